//! The one rule of imports (README, "How the code is laid out"): the stages
//! of `src/` in pipeline order, each using only the stages before it, and no
//! module of the crate reaching, through others, back to itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stage folders, model first: a stage may use those before it.
const STAGES: &[&str] = &[
    "model", "read", "project", "write", "render", "targets", "cmd",
];

/// Every module of the crate (`render::book`, `cmd`), found as the
/// compiler finds them (the `mod` declarations from `lib.rs` down), and
/// the modules its code names through `crate::`, also inside grouped
/// imports (`use crate::{model::lang, project}`); code under
/// `#[cfg(test)]` aside, wherever it stands.
fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // (module name, its file, the folder its submodules are in)
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut queue = vec![(String::new(), src.join("lib.rs"), src.clone())];
    while let Some((name, file, dir)) = queue.pop() {
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for child in declared_modules(&without_tests(&text)) {
            let (path, sub) = if dir.join(format!("{child}.rs")).is_file() {
                (dir.join(format!("{child}.rs")), dir.join(&child))
            } else {
                (dir.join(&child).join("mod.rs"), dir.join(&child))
            };
            let full = if name.is_empty() {
                child.clone()
            } else {
                format!("{name}::{child}")
            };
            queue.push((full, path, sub));
        }
        if !name.is_empty() {
            found.push((name, file));
        }
    }
    let names: BTreeSet<String> = found.iter().map(|(n, _)| n.clone()).collect();
    let mut graph = BTreeMap::new();
    for (module, file) in &found {
        let code = without_tests(&std::fs::read_to_string(file).unwrap());
        let mut uses = BTreeSet::new();
        for path in crate_paths(&code) {
            let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
            // The longest prefix that is a module: `crate::project::config::Length`
            // names `project::config`.
            if let Some(used) = (1..=parts.len())
                .rev()
                .map(|k| parts[..k].join("::"))
                .find(|m| names.contains(m))
                .filter(|m| m != module)
            {
                uses.insert(used);
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// The modules a file declares (`mod x;`, `pub(crate) mod x;`), not the
/// inline ones.
fn declared_modules(code: &str) -> Vec<String> {
    code.lines()
        .map(str::trim)
        .filter_map(|l| {
            let rest = l
                .strip_prefix("pub(crate) ")
                .or_else(|| l.strip_prefix("pub "))
                .unwrap_or(l);
            rest.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(|n| n.trim().to_string())
        })
        .collect()
}

/// The code without the items under `#[cfg(test)]` (a test module, a
/// helper method), each cut from the attribute to the end of its item:
/// the end of its braces, or its `;`.
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at + "#[cfg(test)]".len()..];
        let (brace, semi) = (item.find('{'), item.find(';'));
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = item.len();
                for (i, c) in item[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => item.len(),
        };
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every path the code names after `crate::`, a grouped import expanded
/// into its paths (`crate::{a::b, c::{d, e}}`: `a::b`, `c::d`, `c::e`).
fn crate_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        expand(&code[at + 7..], String::new(), &mut paths);
    }
    paths
}

/// The paths at the start of `text` under `prefix`; returns how much of
/// `text` they took.
fn expand(text: &str, prefix: String, paths: &mut Vec<String>) -> usize {
    let word: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let path = format!("{prefix}{word}");
    let rest = &text[word.len()..];
    if !rest.starts_with('{') {
        paths.push(path);
        return word.len();
    }
    // A group: each member, separated by commas, up to its closing brace.
    let mut i = 1;
    loop {
        let member = &rest[i..];
        let skipped = member.len() - member.trim_start().len();
        i += skipped;
        if rest[i..].starts_with('}') || i >= rest.len() {
            return word.len() + i + 1;
        }
        i += expand(&rest[i..], path.clone(), paths);
        let after = &rest[i..];
        let skipped = after.len() - after.trim_start().len();
        i += skipped;
        if rest[i..].starts_with(',') {
            i += 1;
        }
    }
}

#[test]
fn the_reader_of_the_code_sees_what_the_compiler_sees() {
    let paths = crate_paths("use crate::{model::lang, project::{config::Config, Project}};");
    assert_eq!(
        paths,
        ["model::lang", "project::config::Config", "project::Project"]
    );
    let code = "fn a() { crate::x::y() }\n#[cfg(test)]\nfn helper() { crate::z::w() }\nfn b() { crate::q::r() }\n#[cfg(test)]\nmod tests { fn t() { crate::z::v() } }\n";
    let kept = without_tests(code);
    assert!(
        kept.contains("crate::x::y") && kept.contains("crate::q::r"),
        "{kept}"
    );
    assert!(!kept.contains("crate::z"), "{kept}");
    assert_eq!(
        declared_modules("pub mod a;\nmod b;\npub(crate) mod c;\nmod tests {\n"),
        ["a", "b", "c"]
    );
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
