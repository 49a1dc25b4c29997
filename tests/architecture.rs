//! The house rules that keep the code easy to follow, read from the source:
//!
//! - data flows one way: no module reaches a module that reaches it back,
//!   directly or round a loop;
//! - each module has a layer, and no module imports one of a higher layer
//!   (the model crate knows nothing of the app, and inside each crate the
//!   rooms are ranked in `MODEL_LAYERS` and `APP_LAYERS`).
//!
//! A dependency is any path that names another module, however it is
//! spelt: `crate::a::b`, `super::x` (and `super::super::`), `self::x`, a
//! bare path through a child the file declares (`child::f` in a `mod.rs`),
//! and `pub use` re-exports, which are followed to where the item lives so
//! that `crate::ledger::Derived` counts as a use of `ledger::derived`, not
//! of `ledger`'s own `mod.rs`. Declaring a child (`pub mod child;`) is
//! structure, not a use. `#[cfg(test)]` modules may reach anywhere.
//!
//! `cargo test --test architecture -- --nocapture` prints both graphs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The model's rooms, lowest first. A module's layer is that of the
/// longest prefix listed.
const MODEL_LAYERS: &[(&str, u8)] = &[
    ("text", 0),
    ("figure", 0),
    ("data", 1),
    ("ledger", 2),
    ("problems", 3),
    ("template", 3),
    ("diff", 3),
    ("import", 3),
    ("view", 3),
    ("export", 4),
];

/// The app's rooms, lowest first: commands and their keys, then state, then
/// what draws it, then the loop that runs it all and the command line.
const APP_LAYERS: &[(&str, u8)] = &[
    ("app::action", 0),
    ("app::list_state", 0),
    ("ui::theme", 0),
    ("ui::layout", 0),
    ("app::keymap", 1),
    ("tabs", 2),
    ("app::document", 3),
    ("ui::overlay", 4),
    ("app", 5),
    ("ui", 6),
    ("cli", 7),
    ("tui", 8),
];

/// Known loops, each named so that it stays in view until it is undone:
/// `figure/mod.rs` defines `Figure`, which its children (`arith`, `date`,
/// `parse`) build on, while it re-exports their `Interval`, `HedgedDate`
/// and parsers. Untangling them means moving `Figure` below `Interval`.
const KNOWN_LOOPS: &[(&str, &str)] = &[
    ("figure::arith", "figure"),
    ("figure::date", "figure"),
    ("figure::parse", "figure"),
    // `validate/records.rs` is more of `Validator`'s impl, over the types
    // `validate.rs` defines; the records' checks belong in a room of their
    // own below the validator.
    ("data::validate::records", "data::validate"),
];

type Module = Vec<String>;

/// What one file says about its module.
#[derive(Default, Clone)]
struct Unit {
    /// Paths it names, each made absolute (from the crate root).
    uses: Vec<Module>,
    /// Children it declares (`mod x;`).
    children: BTreeSet<String>,
    /// Items it defines (`fn`, `struct`, `enum`, ...), by name.
    items: BTreeSet<String>,
    /// `pub use` re-exports: name to the absolute path it stands for; a
    /// glob (`pub use a::*`) is kept under "*" as the module it opens.
    exports: Vec<(String, Module)>,
}

/// Module path of a source file: `data/load.rs` is `data::load`,
/// `tabs/mod.rs` is `tabs`, `lib.rs` is the crate root (empty).
fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without comments, string literals' contents and
/// `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut pending_test = false;
    for line in text.lines() {
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        let trimmed = line.trim();
        if trimmed.starts_with("#[cfg(test)]") {
            pending_test = true;
            continue;
        }
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        if pending_test && skip_depth.is_none() {
            pending_test = false;
            if trimmed.ends_with(';') {
                continue; // `#[cfg(test)] mod tests;` or a single item
            }
            skip_depth = Some(depth);
        }
        depth = depth + opens - closes.min(depth + opens);
        if let Some(at) = skip_depth {
            if depth <= at && (opens > 0 || closes > 0) {
                skip_depth = None;
            }
            continue;
        }
        // `pub(in crate::data)` is a visibility, not a use.
        let line = match (line.find("pub(in "), line.find(')')) {
            (Some(at), Some(close)) if close > at => {
                format!("{}pub{}", &line[..at], &line[close + 1..])
            }
            _ => line.to_string(),
        };
        out.push_str(&strip_strings(&line));
        out.push('\n');
    }
    out
}

fn strip_strings(line: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                out.push('"');
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in `code` that starts at a word boundary with one of
/// `heads` (`crate`, `super`, `self`, a child's name), `{a, b::c}` groups
/// expanded. Each path is its segments, the head included.
fn paths_from(code: &str, heads: &BTreeSet<String>) -> Vec<Vec<String>> {
    let bytes: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == ':');
        if boundary && is_ident(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word: String = bytes[start..i].iter().collect();
            let followed = bytes.get(i) == Some(&':') && bytes.get(i + 1) == Some(&':');
            if heads.contains(&word) && followed {
                let (tail, end) = path_tail(&bytes, i);
                for mut path in tail {
                    path.insert(0, word.clone());
                    found.push(path);
                }
                i = end;
            }
            continue;
        }
        i += 1;
    }
    found
}

/// The rest of a path from `::` at `at`: one path, or several for a group.
fn path_tail(chars: &[char], mut at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    loop {
        if chars.get(at) == Some(&':') && chars.get(at + 1) == Some(&':') {
            at += 2;
        } else {
            return (vec![prefix], at);
        }
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        if chars.get(at) == Some(&'{') {
            let mut depth = 0;
            let start = at + 1;
            let mut end = start;
            while end < chars.len() {
                match chars[end] {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    _ => {}
                }
                end += 1;
            }
            let inner: String = chars[start..end.min(chars.len())].iter().collect();
            let mut out = Vec::new();
            for item in split_top(&inner) {
                let item: Vec<char> = format!("::{}", item.trim()).chars().collect();
                let (tails, _) = path_tail(&item, 0);
                for tail in tails {
                    let mut path = prefix.clone();
                    path.extend(tail);
                    out.push(path);
                }
            }
            return (out, end + 1);
        }
        let start = at;
        while chars.get(at).is_some_and(|&c| is_ident(c) || c == '*') {
            at += 1;
        }
        if start == at {
            return (vec![prefix], at);
        }
        prefix.push(chars[start..at].iter().collect());
    }
}

/// `a, b::{c, d}, e` split at its top-level commas.
fn split_top(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("one").push(c);
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// `super`, `self` and `crate` made absolute against `module` (a folder's
/// `mod.rs` is the module itself); a child's name is under `module`.
fn absolute(path: &[String], module: &Module) -> Module {
    let mut base: Module = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("self") | Some("super") => {
            base = module.clone();
            while let Some(head) = rest.first() {
                match head.as_str() {
                    "self" => rest = &rest[1..],
                    "super" => {
                        base.pop();
                        rest = &rest[1..];
                    }
                    _ => break,
                }
            }
        }
        _ => base = module.clone(),
    }
    base.extend(rest.iter().cloned());
    base
}

fn read_unit(code: &str, module: &Module) -> Unit {
    let mut unit = Unit::default();
    for line in code.lines() {
        let t = line.trim_start();
        let t = t.strip_prefix("pub(crate) ").unwrap_or(t);
        let t = t.strip_prefix("pub ").unwrap_or(t);
        if let Some(name) = t.strip_prefix("mod ") {
            let name: String = name.chars().take_while(|&c| is_ident(c)).collect();
            if t.trim_end().ends_with(';') {
                unit.children.insert(name);
            } else {
                unit.items.insert(name);
            }
            continue;
        }
        for keyword in [
            "fn ", "struct ", "enum ", "type ", "const ", "static ", "trait ", "union ",
        ] {
            if let Some(rest) = t.strip_prefix(keyword) {
                let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
                unit.items.insert(name);
            }
        }
        if let Some(rest) = line.trim_start().strip_prefix("macro_rules! ") {
            let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
            unit.items.insert(name);
        }
    }
    let mut heads: BTreeSet<String> = ["crate", "super", "self"].map(String::from).into();
    heads.extend(unit.children.iter().cloned());
    // `pub use a::{b, c}`: a re-export per name, the statement read whole.
    let mut rest = code;
    while let Some(at) = rest.find("pub use ") {
        let statement = &rest[at + "pub use ".len()..];
        let end = statement.find(';').unwrap_or(statement.len());
        let chars: Vec<char> = format!("::{}", &statement[..end]).chars().collect();
        for path in path_tail(&chars, 0).0 {
            let full = absolute(&path, module);
            if path.last().map(String::as_str) == Some("*") {
                let mut opened = full;
                opened.pop();
                unit.exports.push(("*".into(), opened));
            } else if path.last().map(String::as_str) == Some("self") {
                let mut target = full;
                target.pop();
                if let Some(name) = target.last().cloned() {
                    unit.exports.push((name, target));
                }
            } else if let Some(name) = path.last().cloned() {
                unit.exports.push((name, full));
            }
        }
        rest = &statement[end..];
    }
    for path in paths_from(code, &heads) {
        unit.uses.push(absolute(&path, module));
    }
    unit
}

/// One crate's graph: module to the modules it uses.
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
}

/// The module a path lands in: the longest known module it starts with,
/// followed through re-exports to where the named item is defined.
fn land(path: &[String], units: &BTreeMap<Module, Unit>, hops: usize) -> Option<Module> {
    let (module, next) = (1..=path.len())
        .rev()
        .map(|n| (path[..n].to_vec(), path.get(n)))
        .find(|(candidate, _)| units.contains_key(candidate))
        .or_else(|| {
            units
                .contains_key(&Vec::new())
                .then(|| (Vec::new(), path.first()))
        })?;
    let Some(name) = next else {
        return Some(module);
    };
    let unit = &units[&module];
    if hops > 8 || unit.items.contains(name) {
        return Some(module);
    }
    for (exported, target) in &unit.exports {
        if exported == name {
            let mut rest = path[module.len() + 1..].to_vec();
            let mut full = target.clone();
            full.append(&mut rest);
            return land(&full, units, hops + 1).or(Some(module));
        }
    }
    for (exported, opened) in &unit.exports {
        if exported == "*" {
            let Some(inner) = units.get(opened) else {
                continue;
            };
            if inner.items.contains(name) || inner.exports.iter().any(|(e, _)| e == name) {
                let mut full = opened.clone();
                full.extend(path[module.len()..].iter().cloned());
                return land(&full, units, hops + 1).or(Some(module));
            }
        }
    }
    Some(module)
}

fn graph_of(root: &Path) -> Graph {
    let mut files = Vec::new();
    sources(root, &mut files);
    let mut units = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(root).expect("under src");
        if relative.ends_with("main.rs") {
            continue;
        }
        let module = module_of(relative);
        let text = std::fs::read_to_string(file).expect("read source");
        units.insert(module.clone(), read_unit(&code_of(&text), &module));
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, unit) in &units {
        if module.is_empty() {
            continue; // lib.rs only declares
        }
        let entry = edges.entry(module.join("::")).or_default();
        let mut uses = unit.uses.clone();
        uses.extend(unit.exports.iter().map(|(_, target)| target.clone()));
        for path in &uses {
            if let Some(target) = land(path, &units, 0)
                && target != *module
                && !target.is_empty()
                && !KNOWN_LOOPS.contains(&(module.join("::").as_str(), target.join("::").as_str()))
            {
                entry.insert(target.join("::"));
            }
        }
    }
    Graph { edges }
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, edges, &mut Vec::new(), &mut done) {
            return Some(cycle);
        }
    }
    None
}

fn layer_of(module: &str, layers: &[(&str, u8)]) -> Option<u8> {
    layers
        .iter()
        .filter(|(prefix, _)| module == *prefix || module.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|&(_, layer)| layer)
}

/// Every broken rule of a crate's source: cycles, upward imports and
/// modules no layer names.
fn problems(root: &Path, layers: &[(&str, u8)]) -> Vec<String> {
    let graph = graph_of(root);
    let mut out = Vec::new();
    if let Some(cycle) = find_cycle(&graph.edges) {
        out.push(format!("a loop: {}", cycle.join(" -> ")));
    }
    for (module, uses) in &graph.edges {
        let Some(own) = layer_of(module, layers) else {
            out.push(format!("{module} is in no layer"));
            continue;
        };
        for used in uses {
            if let Some(theirs) = layer_of(used, layers)
                && theirs > own
            {
                out.push(format!(
                    "{module} (layer {own}) imports {used} (layer {theirs})"
                ));
            }
        }
    }
    out
}

fn model_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/model/src")
}

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn print(root: &Path) {
    for (module, uses) in &graph_of(root).edges {
        let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
        println!("{module} -> {}", uses.join(", "));
    }
}

#[test]
fn the_model_flows_one_way_through_its_layers() {
    print(&model_src());
    assert!(graph_of(&model_src()).edges.len() > 20);
    assert_eq!(problems(&model_src(), MODEL_LAYERS), Vec::<String>::new());
}

#[test]
fn the_app_flows_one_way_through_its_layers() {
    print(&app_src());
    assert!(graph_of(&app_src()).edges.len() > 20);
    assert_eq!(problems(&app_src(), APP_LAYERS), Vec::<String>::new());
}

#[test]
fn the_model_crate_knows_no_terminal() {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/model/Cargo.toml"),
    )
    .expect("the model's manifest");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a dependencies table");
    for terminal in ["ratatui", "crossterm"] {
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with(terminal)),
            "the model depends on {terminal}"
        );
    }
}

/// A scratch copy of the model's source with each text appended to its
/// file (a file not there is made).
fn planted(plants: &[(&str, &str)]) -> Vec<String> {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    copy_tree(&model_src(), scratch.path());
    for (file, plant) in plants {
        let target = scratch.path().join(file);
        let mut text = std::fs::read_to_string(&target).unwrap_or_default();
        text.push_str(plant);
        std::fs::write(&target, text).expect("planted");
    }
    problems(scratch.path(), MODEL_LAYERS)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch dir");
    for entry in std::fs::read_dir(from).expect("read src") {
        let path = entry.expect("dir entry").path();
        let dest = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copied");
        }
    }
}

#[test]
fn an_upward_import_fails_the_check_in_every_spelling() {
    // Each plant makes `figure` (layer 0) reach `ledger` (layer 2), or
    // makes a child of `ledger` reach the `mod.rs` that gathers it.
    let child = (
        "figure/planted_child.rs",
        "pub fn up() { super::planted(); }\n",
    );
    let spellings: [(&str, Vec<(&str, &str)>); 6] = [
        (
            "crate",
            vec![("figure/arith.rs", "\nuse crate::ledger::Derived;\n")],
        ),
        (
            "super",
            vec![(
                "figure/arith.rs",
                "\nfn planted() { super::super::ledger::all(todo!()); }\n",
            )],
        ),
        (
            "self",
            vec![(
                "figure/mod.rs",
                "\nfn planted() { self::super::ledger::all(todo!()); }\n",
            )],
        ),
        (
            "a group",
            vec![(
                "figure/date.rs",
                "\nuse crate::{data::Dataset, ledger::{self, Derived}};\n",
            )],
        ),
        (
            "a child path from mod.rs",
            vec![
                (
                    "figure/mod.rs",
                    "\nmod planted_child;\nfn planted() {}\nfn calls() { planted_child::up(); }\n",
                ),
                child,
            ],
        ),
        (
            "pub use",
            vec![
                (
                    "figure/mod.rs",
                    "\nmod planted_child;\nfn planted() {}\npub use planted_child::up;\n",
                ),
                child,
            ],
        ),
    ];
    for (spelling, plants) in spellings {
        let found = planted(&plants);
        assert!(
            !found.is_empty(),
            "a planted import spelt with {spelling} passed the check"
        );
    }
}

#[test]
fn a_child_that_reaches_back_into_its_gatherer_is_a_loop() {
    // ledger/mod.rs uses its child `totals` by a bare path; a `super::`
    // call back from the child closes the loop.
    let found = planted(&[(
        "ledger/totals.rs",
        "\nfn planted() { super::all(todo!()); }\n",
    )]);
    assert!(
        found.iter().any(|p| p.starts_with("a loop")),
        "no loop found: {found:?}"
    );
    // And the re-exported item reached through the gatherer is followed to
    // where it lives: using `crate::ledger::Derived` from a sibling is no loop.
    let found = planted(&[(
        "ledger/scenario.rs",
        "\nfn planted(_: crate::ledger::Derived) {}\n",
    )]);
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn paths_are_read_in_every_spelling() {
    let heads: BTreeSet<String> = ["crate", "super", "self", "child"].map(String::from).into();
    let code = "use crate::{app::App, data::{self, Dataset}};\nuse super::list::ListView;\nchild::go(); self::x::y();";
    let paths = paths_from(code, &heads);
    let as_strings: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        as_strings,
        [
            "crate::app::App",
            "crate::data::self",
            "crate::data::Dataset",
            "super::list::ListView",
            "child::go",
            "self::x::y"
        ]
    );
    let module: Module = vec!["a".into(), "b".into()];
    assert_eq!(
        absolute(&["super".into(), "super".into(), "c".into()], &module),
        vec!["c".to_string()]
    );
}
