//! The file `gigawatt init` writes: every kind of record once, every key
//! explained, and valid as written.

/// A TOML basic string holding `s`, escaped.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub fn new_file(subject: &str) -> String {
    let today = chrono::Local::now().date_naive();
    let subject_q = quoted(subject);
    let title_q = quoted(&format!("{subject}'s compute commitments"));
    format!(
        r#"# A gigawatt data file (format 1). Check it with `gigawatt check FILE`;
# open it with `gigawatt --data FILE` (the explorer reloads it on every save).
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
