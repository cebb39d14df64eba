//! The one rule of imports (README, "How the code is laid out"): the stages
//! of `src/` in pipeline order, each using only the stages before it, and no
//! module of the crate reaching, through others, back to itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The stage folders, model first: a stage may use those before it.
const STAGES: &[&str] = &[
    "model", "read", "project", "write", "render", "targets", "cmd",
];

/// Every module of the crate (`render::book`, `cmd`) and the modules its
/// code (tests aside) names through `crate::`.
fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let name = |path: &Path| {
        let rel = path.strip_prefix(&src).unwrap().with_extension("");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        parts.join("::").trim_end_matches("::mod").to_string()
    };
    let names: BTreeSet<String> = files.iter().map(|f| name(f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = name(file);
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut uses = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let path: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
            // The longest prefix that is a module: `crate::project::config::Length`
            // names `project::config`.
            if let Some(used) = (1..=parts.len())
                .rev()
                .map(|k| parts[..k].join("::"))
                .find(|m| names.contains(m))
                .filter(|m| *m != module)
            {
                uses.insert(used);
            }
        }
        graph.insert(module, uses);
    }
    graph
}

fn stage(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or_default();
    STAGES
        .iter()
        .position(|s| *s == top)
        .unwrap_or_else(|| panic!("{module} is in no stage folder: put it in one of {STAGES:?}"))
}

#[test]
fn no_stage_uses_a_later_one() {
    let graph = modules();
    assert!(graph.len() > 20, "the crate's modules were not found");
    let mut wrong = Vec::new();
    for (module, uses) in &graph {
        for used in uses {
            if stage(used) > stage(module) {
                wrong.push(format!("{module} uses {used}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a stage uses one after it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_module_reaches_back_to_itself() {
    let graph = modules();
    // Depth-first, with the path so far: a module met again on it is a cycle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(i) = path.iter().position(|p| *p == m) {
            return Some(format!("{} -> {m}", path[i..].join(" -> ")));
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("modules that use each other: {cycle}");
        }
    }
}
