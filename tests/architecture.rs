//! The house rule that keeps the code easy to follow: data flows one way, so
//! no module imports a module that imports it back, directly or round a loop.
//! The graph is read from the source: every `crate::a::b` path and every
//! `super::x` path names a module the file depends on. A folder's `mod.rs`
//! declaring and re-exporting its own children is structure, not a use.
//!
//! `cargo test --test architecture -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path of a source file: `src/data/load.rs` is `data::load`,
/// `src/tabs/mod.rs` is `tabs`, `src/lib.rs` is the crate root (empty).
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
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

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code without comments and without `#[cfg(test)]` modules, which may
/// reach anywhere.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers after `prefix` (`crate::` or `super::`), `{a, b::c}` groups included.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        let end = rest
            .find(|c: char| {
                !(c.is_alphanumeric()
                    || c == '_'
                    || c == ':'
                    || c == '{'
                    || c == ','
                    || c == ' '
                    || c == '}'
                    || c == '\n')
            })
            .unwrap_or(rest.len());
        let chunk = &rest[..end];
        if let Some(open) = chunk.find('{') {
            let head: Vec<String> = chunk[..open]
                .split("::")
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string())
                .collect();
            let close = chunk.find('}').unwrap_or(chunk.len());
            for item in chunk[open + 1..close].split(',') {
                let mut path = head.clone();
                path.extend(
                    item.split("::")
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
                found.push(path);
            }
        } else {
            let first_line = chunk.lines().next().unwrap_or("");
            let path: Vec<String> = first_line
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            found.push(path);
        }
    }
    found
}

/// The longest known module that `path` starts with.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|candidate| modules.contains(candidate))
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&root).expect("under src")))
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&root).expect("under src");
        let module = module_of(relative);
        if module.is_empty() {
            continue; // lib.rs and main.rs only declare and dispatch
        }
        let is_folder = relative.ends_with("mod.rs");
        let text = std::fs::read_to_string(file).expect("read source");
        let code = code_of(&text);
        let mut targets = Vec::new();
        for path in paths_after(&code, "crate::") {
            targets.extend(resolve(&path, &modules));
        }
        for path in paths_after(&code, "super::") {
            // `super` of `a::b` (a file) is `a`; of `a` (a folder's mod.rs) it is the root.
            let mut base = module.clone();
            base.pop();
            let mut full = base;
            full.extend(path);
            targets.extend(resolve(&full, &modules));
        }
        let name = module.join("::");
        let entry = edges.entry(name.clone()).or_default();
        for target in targets {
            let is_own_child =
                is_folder && target.len() > module.len() && target.starts_with(&module);
            if target == module || is_own_child {
                continue;
            }
            entry.insert(target.join("::"));
        }
    }
    edges
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

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = graph();
    for (module, uses) in &edges {
        let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
        println!("{module} -> {}", uses.join(", "));
    }
    assert!(edges.len() > 20, "only {} modules found", edges.len());
    if let Some(cycle) = find_cycle(&edges) {
        panic!("modules import each other: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_checker_sees_a_loop() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let code = "use crate::{app::App, data::{self, Dataset}};\nuse super::list::ListView;";
    assert_eq!(
        paths_after(code, "crate::")[0],
        vec!["app".to_string(), "App".to_string()]
    );
}
