//! The oracle of the incremental build: after any sequence of edits, each
//! followed by `build`, every output has the same bytes as a build from
//! nothing of a copy of the project in another folder, and nothing stale
//! remains. The project has an anthology with a cover and a preface,
//! images, a translated statement, a layout and a font of its own; the
//! edits change, add, delete and rename sources, replace the image, the
//! cover, the preface, the layout and the font, and change a setting of
//! every section of pamphleteer.toml; builds start from the project and
//! from another folder. A fixed number of random sequences runs in
//! `cargo test` (`PAMPHLETEER_ORACLE_CASES` sets how many: CI runs more);
//! each kind of edit also runs once by name, with what `--explain` says.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{copy_dir, jpeg_with_exif, mono, run, stderr};
use proptest::prelude::*;

/// One change a user makes between two builds.
#[derive(Debug, Clone)]
enum Edit {
    /// The text of the n-th statement (among those there).
    Source(usize),
    /// A new statement.
    Add,
    Delete(usize),
    Rename(usize),
    /// The picture a statement shows, another one.
    Image(u8),
    /// The anthology's cover, another picture.
    Cover(u8),
    Preface(u8),
    /// The project's own leaflet layout: removed (0), or a variant.
    Layout(u8),
    /// The project's font: removed (0), or a variant.
    Font(u8),
    /// A setting (which, and its value).
    Setting(u8, u8),
    /// A German edition of the translated statement: added or removed.
    German,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..8usize).prop_map(Edit::Source),
        1 => Just(Edit::Add),
        1 => (0..8usize).prop_map(Edit::Delete),
        1 => (0..8usize).prop_map(Edit::Rename),
        1 => (0..3u8).prop_map(Edit::Image),
        1 => (0..3u8).prop_map(Edit::Cover),
        1 => (0..3u8).prop_map(Edit::Preface),
        1 => (0..3u8).prop_map(Edit::Layout),
        1 => (0..3u8).prop_map(Edit::Font),
        3 => (0..SETTINGS as u8, 0..3u8).prop_map(|(k, v)| Edit::Setting(k, v)),
        1 => Just(Edit::German),
    ]
}

/// How many settings an edit can change, one per section and more.
const SETTINGS: usize = 6;

/// The project, and what the test knows of it.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// The statements there, by file name.
    statements: BTreeSet<String>,
    settings: [u8; SETTINGS],
    n: usize,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        for sub in ["sources", "images", "fonts", "layouts"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let mut p = Project {
            _dir: dir,
            root,
            statements: BTreeSet::new(),
            settings: [0; SETTINGS],
            n: 0,
        };
        p.write_settings();
        p.write("images/crane.jpg", &jpeg_with_exif(40, 30, b""));
        p.write("cover.jpg", &jpeg_with_exif(60, 90, b""));
        p.write("fonts/Mono.ttf", &mono(1));
        p.write("preface.md", b"# Preface\n\nThese are the dock papers.\n");
        p.statement(
            "a.md",
            "lang: en\n",
            "The cranes stood still at noon, as the `assembly` had voted.\n\n![A crane at rest](../images/crane.jpg)",
        );
        p.statement(
            "b.it.md",
            "",
            "Il turno di notte è più lungo e pagato uguale.",
        );
        p.statement(
            "b.en.md",
            "",
            "The night shift is longer and paid the same. See [the cranes](a.md).",
        );
        p.statement(
            "c.md",
            "lang: en\nlayout: booklet\n",
            "A booklet of one page.",
        );
        p
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn statement(&mut self, name: &str, extra: &str, body: &str) {
        let text = format!(
            "---\ntitle: {}\ndate: 2026-03-01\n{extra}---\n\n{body}\n\nDock Committee, Portside, 1 March 2026\n",
            name.trim_end_matches(".md")
        );
        self.write(&format!("sources/{name}"), text.as_bytes());
        self.statements.insert(name.to_string());
    }

    fn write_settings(&self) {
        let s = self.settings;
        let accents = ["#1f4e79", "#7a1f1f", "#2d6a4f"];
        let mut text = format!(
            "[project]\ntitle = \"Dock Papers {}\"\nlanguage = \"it\"\n",
            s[0]
        );
        if s[1] > 0 {
            text.push_str(&format!(
                "online = \"https://example.org/v{}/{{name}}/{{lang}}/\"\n",
                s[1]
            ));
        }
        text.push_str(&format!(
            "\n[defaults]\nplace = \"{}\"\n\n[layout]\naccent = \"{}\"\n\n[outputs]\ntypst = {}\n",
            ["Portside", "Harbour", "Quay"][s[2] as usize % 3],
            accents[s[3] as usize % 3],
            s[4].is_multiple_of(2)
        ));
        text.push_str(&format!(
            "\n[anthology]\ntitle = \"The Dock Papers {}\"\npreface = \"preface.md\"\ncover = \"cover.jpg\"\n",
            s[5]
        ));
        self.write("pamphleteer.toml", text.as_bytes());
    }

    /// The n-th statement there, if any.
    fn nth(&self, n: usize) -> Option<String> {
        let len = self.statements.len();
        (len > 0).then(|| self.statements.iter().nth(n % len).unwrap().clone())
    }

    /// The n-th statement there but `a.md`, which another links to (to
    /// delete or rename it would break the link: an error, not a build).
    fn nth_unlinked(&self, n: usize) -> Option<String> {
        let others: Vec<&String> = self.statements.iter().filter(|s| *s != "a.md").collect();
        (!others.is_empty()).then(|| others[n % others.len()].clone())
    }

    fn apply(&mut self, edit: &Edit) {
        self.n += 1;
        let n = self.n;
        match edit {
            Edit::Source(i) => {
                if let Some(name) = self.nth(*i) {
                    let path = self.root.join("sources").join(&name);
                    let text = std::fs::read_to_string(&path).unwrap();
                    let text =
                        text.replacen("\n\n", &format!("\n\nA line added in edit {n}.\n\n"), 2);
                    std::fs::write(path, text).unwrap();
                }
            }
            Edit::Add => self.statement(&format!("new{n}.md"), "lang: en\n", "Added later."),
            // (`a.md` stays: the project always has a statement.)
            Edit::Delete(i) => {
                if let Some(name) = self.nth_unlinked(*i) {
                    std::fs::remove_file(self.root.join("sources").join(&name)).unwrap();
                    self.statements.remove(&name);
                }
            }
            Edit::Rename(i) => {
                let Some(name) = self.nth_unlinked(*i) else {
                    return;
                };
                let new = format!("r{n}-{name}");
                let sources = self.root.join("sources");
                std::fs::rename(sources.join(&name), sources.join(&new)).unwrap();
                self.statements.remove(&name);
                self.statements.insert(new);
            }
            Edit::Image(v) => self.write(
                "images/crane.jpg",
                &jpeg_with_exif(40 + u32::from(*v) * 8, 30, b""),
            ),
            Edit::Cover(v) => self.write(
                "cover.jpg",
                &jpeg_with_exif(60, 90 + u32::from(*v) * 4, b""),
            ),
            Edit::Preface(v) => self.write(
                "preface.md",
                format!("# Preface\n\nThese are the dock papers, edition {v}.\n").as_bytes(),
            ),
            Edit::Layout(0) => {
                let _ = std::fs::remove_file(self.root.join("layouts/leaflet.typ"));
            }
            Edit::Layout(v) => {
                let leaflet = run(&self.root, &["layout", "leaflet"]).stdout;
                let text = String::from_utf8(leaflet).unwrap().replace(
                    "let accent = doc.accent",
                    &format!("let accent = rgb(\"#{v}{v}2233\")"),
                );
                self.write("layouts/leaflet.typ", text.as_bytes());
            }
            Edit::Font(0) => {
                let _ = std::fs::remove_file(self.root.join("fonts/Mono.ttf"));
            }
            Edit::Font(v) => self.write("fonts/Mono.ttf", &mono(usize::from(*v) + 1)),
            Edit::Setting(k, v) => {
                self.settings[usize::from(*k) % SETTINGS] = *v;
                self.write_settings();
            }
            Edit::German => {
                if self.statements.remove("b.de.md") {
                    std::fs::remove_file(self.root.join("sources/b.de.md")).unwrap();
                } else {
                    self.statement(
                        "b.de.md",
                        "translator: K. Weber\n",
                        "Die Nachtschicht ist länger.",
                    );
                }
            }
        }
    }

    /// Builds, from the project's folder or from the one above it; returns
    /// what it said.
    fn build(&self, elsewhere: bool, args: &[&str]) -> String {
        let o = if elsewhere {
            let mut all = vec!["build", "--project", "p"];
            all.extend(args);
            run(self.root.parent().unwrap(), &all)
        } else {
            let mut all = vec!["build"];
            all.extend(args);
            run(&self.root, &all)
        };
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        err
    }
}

/// Every file under `dir` (the manifest and caches aside), from `dir`.
fn outputs(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".pamphleteer") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found
}

/// The outputs are those a build from nothing of a copy makes, byte for
/// byte; else what differs.
fn same_as_cold(p: &Project, history: &[Edit]) -> Result<(), String> {
    let cold = tempfile::tempdir().unwrap();
    copy_dir(&p.root, cold.path());
    let _ = std::fs::remove_dir_all(cold.path().join("out"));
    let o = run(cold.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (ours, theirs) = (
        outputs(&p.root.join("out")),
        outputs(&cold.path().join("out")),
    );
    if ours != theirs {
        return Err(format!(
            "after {history:?}: the outputs are {ours:?}, a build from nothing makes {theirs:?}"
        ));
    }
    for rel in &ours {
        let a = std::fs::read(p.root.join("out").join(rel)).unwrap();
        let b = std::fs::read(cold.path().join("out").join(rel)).unwrap();
        if a != b {
            return Err(format!(
                "after {history:?}: out/{} differs from a build from nothing",
                rel.display()
            ));
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PAMPHLETEER_ORACLE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 8,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_incremental_build_is_a_build_from_nothing(
        steps in prop::collection::vec((edit(), any::<bool>()), 1..6)
    ) {
        let mut p = Project::new();
        p.build(false, &[]);
        let mut history = Vec::new();
        for (edit, elsewhere) in &steps {
            p.apply(edit);
            history.push(edit.clone());
            p.build(*elsewhere, &[]);
            if let Err(e) = same_as_cold(&p, &history) {
                prop_assert!(false, "{}", e);
            }
        }
        // Nothing is left to do, and nothing is falsely out of date.
        let said = p.build(false, &["--explain"]);
        prop_assert!(said.contains("up to date:"), "after {:?}: {}", history, said);
    }
}

/// Each kind of edit once, in turn: what `--explain` says was rebuilt, and
/// why; and after each, the outputs of a build from nothing.
#[test]
fn each_edit_once_rebuilds_what_it_touches_and_says_why() {
    let mut p = Project::new();
    p.build(false, &[]);
    let dirty = |said: &str| -> BTreeSet<String> {
        said.lines()
            .filter_map(|l| l.strip_prefix("dirty "))
            .map(str::to_string)
            .collect()
    };
    let set =
        |lines: &[&str]| -> BTreeSet<String> { lines.iter().map(|s| s.to_string()).collect() };
    let mut history = Vec::new();
    let mut step = |p: &mut Project, edit: Edit, elsewhere: bool| -> BTreeSet<String> {
        p.apply(&edit);
        history.push(edit);
        let said = p.build(elsewhere, &["--explain"]);
        same_as_cold(p, &history).unwrap();
        dirty(&said)
    };
    // The cover: the book alone (its e-book shows it).
    assert_eq!(
        step(&mut p, Edit::Cover(1), false),
        set(&["the anthology: cover.jpg changed"])
    );
    // The preface: the book alone.
    assert_eq!(
        step(&mut p, Edit::Preface(1), false),
        set(&["the anthology: preface.md changed"])
    );
    // A source: it and the book, from another folder as from the project.
    assert_eq!(
        step(&mut p, Edit::Source(0), true),
        set(&[
            "p/sources/a.md: p/sources/a.md changed",
            "the anthology: p/sources/a.md changed"
        ])
    );
    // The picture a statement shows: it and the book.
    assert_eq!(
        step(&mut p, Edit::Image(1), false),
        set(&[
            "sources/a.md: images/crane.jpg changed",
            "the anthology: images/crane.jpg changed"
        ])
    );
    // The project's font, set in a's inline code: a and the book.
    assert_eq!(
        step(&mut p, Edit::Font(2), false),
        set(&[
            "sources/a.md: fonts/Mono.ttf changed",
            "the anthology: fonts/Mono.ttf changed"
        ])
    );
    // A layout of the project's own, standing in for the built-in leaflet:
    // the leaflets, not the booklet, nor the book (set in its own layout).
    let leaflets = step(&mut p, Edit::Layout(1), false);
    assert_eq!(
        leaflets,
        set(&[
            "sources/a.md: layouts/leaflet.typ is new",
            "sources/b.en.md: layouts/leaflet.typ is new",
            "sources/b.it.md: layouts/leaflet.typ is new"
        ])
    );
    // A setting every statement uses.
    let all = step(&mut p, Edit::Setting(3, 1), false);
    assert!(
        all.contains("sources/c.md: pamphleteer.toml: [layout] accent changed")
            && all.contains("the anthology: pamphleteer.toml: [layout] accent changed"),
        "{all:?}"
    );
    // The anthology's own: the book alone.
    assert_eq!(
        step(&mut p, Edit::Setting(5, 1), false),
        set(&["the anthology: pamphleteer.toml: [anthology] title changed"])
    );
    // [project] online: where each statement's links and editions lead.
    let online = step(&mut p, Edit::Setting(1, 1), false);
    assert!(
        online.contains("sources/b.it.md: pamphleteer.toml: [project] online was added"),
        "{online:?}"
    );
    // [defaults] and [outputs].
    assert!(!step(&mut p, Edit::Setting(2, 1), false).is_empty());
    assert!(step(&mut p, Edit::Setting(4, 1), true).len() >= 4);
    assert!(!p.root.join("out/a.typ").exists());
    // A translation added: the editions it joins (they name it), and the book.
    let german = step(&mut p, Edit::German, false);
    assert!(
        german.contains("sources/b.de.md: it was not built before")
            && german.iter().any(|l| l.starts_with("sources/b.it.md: ")),
        "{german:?}"
    );
    // A statement renamed, added, deleted.
    assert!(!step(&mut p, Edit::Rename(0), false).is_empty());
    assert!(!step(&mut p, Edit::Add, true).is_empty());
    let _ = step(&mut p, Edit::Delete(1), false);
    // The layout and the font removed: the built-in ones stand in again.
    assert!(!step(&mut p, Edit::Layout(0), false).is_empty());
    assert!(!step(&mut p, Edit::Font(0), false).is_empty());
    let said = p.build(true, &["--explain"]);
    assert!(
        said.contains("up to date:") && dirty(&said).is_empty(),
        "{said}"
    );
}

/// A source saved while a build is under way (after the build read it):
/// the build ends with what it read, and the next one builds it again,
/// never taking the new bytes for built.
#[test]
fn a_save_during_a_build_leaves_it_stale_not_falsely_fresh() {
    let mut p = Project::new();
    p.build(false, &[]);
    p.apply(&Edit::Source(1));
    let gate = p.root.parent().unwrap().join("gate");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
        .arg("build")
        .current_dir(&p.root)
        .env("PAMPHLETEER_TEST_GATE", &gate)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let read = gate.with_extension("read");
    let started = std::time::Instant::now();
    while !read.exists() {
        assert!(
            started.elapsed().as_secs() < 120,
            "the build never said it had read the sources"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Saved now: after the build read it, before it is made.
    p.apply(&Edit::Source(1));
    std::fs::write(gate.with_extension("go"), "").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = p.build(false, &["--explain"]);
    assert!(
        said.contains("dirty sources/b.en.md: sources/b.en.md changed"),
        "{said}"
    );
    same_as_cold(&p, &[Edit::Source(1), Edit::Source(1)]).unwrap();
}
