//! The files `gigawatt init` writes: every kind of record once, every key
//! explained, and valid as written. Format 2 by default; format 1 on request.

/// A TOML basic string holding `s`, escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A format 1 starter file.
pub fn new_file_v1(subject: &str) -> String {
    let today = chrono::Local::now().date_naive();
    let subject_q = quoted(subject);
    let title_q = quoted(&format!("{subject}'s compute commitments"));
    format!(
        r#"# A gigawatt data file (format 1). Check it with `gigawatt check FILE`;
# open it with `gigawatt --data FILE` (the explorer reloads it on every save).
#
# The format is described in full in data/README.md.
#
# Figures are strings: an optional hedge, a number, a unit.
#   hedges: about / roughly / ~    up to / as much as / <=
#           over / exceeding / >=  nearly / almost
#   money "$38bn", "up to $1.4 trillion"   power "30 GW", "about 500 MW"
#   rate "1 GW/week"   percent "+5%"   duration "7 years"   count "25m homes"
# A commitment without `value` is undisclosed: shown as such, never as zero.
# Every record may cite a source: `source` (an id below) and `at` (where in it).

format = 1                          # the format version; this build reads 1

[dataset]
title = {title_q}   # shown in the title bar
subject = {subject_q}                # whose commitments these are
as_of = {today}                  # the date the facts describe; the ramp starts here
summary = "One paragraph, in your own words."

[[sources]]                         # at least one
id = "example-report"               # a-z, 0-9 and -; unique among sources
title = "Headline or document title"
publisher = "Publisher"             # optional
published = {today}              # optional
url = "https://example.com/report"  # optional

[[providers]]                       # at least one
id = "example-cloud"                # unique among providers
name = "Example Cloud"
parent = "Example Holdings"         # optional
kind = "hyperscaler"                # hyperscaler, cloud, neocloud, chipmaker or other
hardware = ["Nvidia GB200"]         # optional
summary = "Who they are, in your own words."
source = "example-report"           # optional: a source id
at = "para 3"                       # optional: where in the source

[[commitments]]
id = "example-deal"                 # unique among commitments
provider = "example-cloud"          # a provider id from above
value = "about $10bn"               # money; leave out if undisclosed
term = "5 years"                    # optional duration
announced = {today}              # optional date
status = "signed"                   # signed, agreed, reported, ongoing or option
online_by = {next_year}-12-31             # optional: when the capacity is due
summary = "What was agreed, in your own words."
source = "example-report"
at = "para 4"

[capacity]                          # optional: the buyer's capacity plan
target = "5 GW"                     # power
target_cost = "up to $200bn"        # money
build_rate = "1 GW per month"       # rate: the ramp's default pace
cost_per_gw = "over $35bn"          # money: the ramp's default cost per GW
homes_equivalent = "roughly 4m homes"  # count
summary = "The plan, in your own words."
source = "example-report"
at = "para 6"

[[capacity.milestones]]
date = {next_year}-06-30                  # required date
label = "First campus online"       # required
provider = "example-cloud"          # optional provider id

[[notes]]                           # market reaction
date = {today}                   # optional
subject = "Example Holdings"        # a company or topic
kind = "stock"                      # stock, valuation, finance, analyst, statement or context
headline = "Shares rise on the deal"
change = "+3%"                      # optional percent
amount = "nearly $20bn"             # optional money
# speaker = "Name, role"            # optional, for statements
body = "What happened, in your own words."
source = "example-report"
at = "para 8"
"#,
        next_year = chrono::Datelike::year(&today) + 1,
    )
}

/// A format 2 starter file: the subject as a party that buys from another.
pub fn new_file(subject: &str) -> String {
    let today = chrono::Local::now().date_naive();
    let next_year = chrono::Datelike::year(&today) + 1;
    let id = crate::data::party_id_of(subject);
    let id_q = quoted(&id);
    let subject_q = quoted(subject);
    let title_q = quoted(&format!("{subject}'s compute deals"));
    format!(
        r#"# A gigawatt data file (format 2). Check it with `gigawatt check FILE`;
# open it with `gigawatt --data FILE` (the explorer reloads it on every save).
# Several files (or a folder of them) open as one set: `--data a.toml --data b.toml`.
# The format is described in full in data/README.md.
#
# Figures are strings: an optional hedge, a number (or a range), a unit.
#   hedges: about / roughly / ~ / some    up to / as much as / under / <=
#           over / exceeding / at least / "$10bn+"    nearly / almost
#   ranges: "$5bn-$10bn", "between 5 and 10 GW", "tens of billions"
#   money "$38bn", "US$ 3bn"   power "30 GW", "about 500 MW"   rate "1 GW/week"
#   percent "+5%"   duration "7 years"   count "up to 1 million TPUs"
# Dates are TOML dates (2025-11-03) or hedged strings: "2026-11", "2026-Q3",
#   "2026-H2", "2026", "week of 2025-10-27", "by end of 2026", "from 2027",
#   "about 2026-06".
# A deal without `value` is undisclosed: shown as such, never as zero.
# Every record may cite sources: `source` (an id below) and `at` (where in
# it), or several: sources = [{{ source = "id", at = "para 2" }}].

format = 2                          # the format version; this build reads 1 and 2

[dataset]
title = {title_q}   # shown in the title bar
subject = {id_q}                # a party id: the default buyer of the deals below
as_of = {today}                  # the date the facts describe; the ramp starts here
summary = "One paragraph, in your own words."

[[sources]]                         # at least one
id = "example-report"               # a-z, 0-9 and -; unique among sources
title = "Headline or document title"
publisher = "Publisher"             # optional
published = {today}              # optional; may be hedged, like "2025-11"
accessed = {today}               # optional: when you read it
url = "https://example.com/report"  # optional

[[parties]]                         # at least one; companies that buy, sell or invest
id = {id_q}
name = {subject_q}
kind = "lab"                        # lab, hyperscaler, cloud, neocloud, chipmaker,
                                    # investor, energy or other

[[parties]]
id = "example-cloud"                # unique among parties
name = "Example Cloud"
parent = "Example Holdings"         # optional: free text or a party id
kind = "hyperscaler"
hardware = ["Nvidia GB200"]         # optional
summary = "Who they are, in your own words."
source = "example-report"           # optional: a source id
at = "para 3"                       # optional: where in the source

[[commitments]]                     # deals
id = "example-deal"                 # unique among commitments (across a set too)
buyer = {id_q}                # optional: a party id; default: [dataset] subject
provider = "example-cloud"          # a party id: who delivers
kind = "compute"                    # compute, chips, power, investment or other
value = "about $10bn"               # money; leave out if undisclosed
term = "5 years"                    # optional duration
power = "up to 1 GW"                # optional power
hardware = ["Nvidia GB200"]         # optional
announced = {today}              # optional date
starts = "{next_year}-H1"                 # optional: when delivery begins
status = "signed"                   # signed, agreed, reported, ongoing, option,
                                    # announced, letter of intent, completed or cancelled
online_by = "by end of {next_year}"       # optional: when the capacity is due
# supersedes = "earlier-deal-id"    # optional: an earlier record of this deal
summary = "What was agreed, in your own words."
sources = [{{ source = "example-report", at = "para 4" }}]

[[capacity]]                        # optional: a buyer's capacity plans
buyer = {id_q}                # optional; default: [dataset] subject
target = "5 GW"                     # power
target_cost = "up to $200bn"        # money
build_rate = "1 GW per month"       # rate: the ramp's default pace
cost_per_gw = "over $35bn"          # money: the ramp's default cost per GW
homes_equivalent = "roughly 4m homes"  # count
by = "{next_year}-Q4"                     # optional: when the target should be met
summary = "The plan, in your own words."
source = "example-report"
at = "para 6"

[[capacity.milestones]]             # belong to the plan above
date = "{next_year}-06"                   # required date
label = "First campus online"       # required
provider = "example-cloud"          # optional party id
commitment = "example-deal"         # optional commitment id

[[notes]]                           # market reaction
date = {today}                   # optional
subject = "Example Holdings"        # a company or topic, or a party id
kind = "stock"                      # stock, valuation, finance, analyst,
                                    # statement, context or revenue
headline = "Shares rise on the deal"
change = "+3%"                      # optional percent
amount = "nearly $20bn"             # optional money; a revenue note's run rate
# speaker = "Name, role"            # optional, for statements
body = "What happened, in your own words."
source = "example-report"
at = "para 8"
"#,
    )
}
