//! The incremental build through the real binary: `build` builds what a
//! change touched and nothing else, leaves what it did not build as it
//! was (bytes and time), removes what a deleted statement made, and ends
//! with the same bytes a build from nothing makes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{copy_dir, jpeg_with_exif, mono, run, run_with, stderr};

const PROJECT: &str = r##"[project]
title = "Dock Papers"

[layout]
accent = "#1f4e79"

[anthology]
title = "The Dock Papers"
"##;

/// A project of three statements: `a` with an image and inline code (set
/// in the mono face, which the project's fonts/ provides), `b` plain, `c`
/// a booklet; and an anthology of them.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sources")).unwrap();
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::create_dir_all(root.join("fonts")).unwrap();
    std::fs::write(root.join("pamphleteer.toml"), PROJECT).unwrap();
    std::fs::write(root.join("images/crane.jpg"), jpeg_with_exif(40, 30, b"")).unwrap();
    std::fs::write(root.join("fonts/Mono.ttf"), mono(1)).unwrap();
    let statement = |title: &str, extra: &str, body: &str| {
        format!(
            "---\ntitle: {title}\nauthor: Dock Committee\ndate: 2026-03-01\nlang: en\n{extra}---\n\n{body}\n\nDock Committee, Portside, 1 March 2026\n"
        )
    };
    std::fs::write(
        root.join("sources/a.md"),
        statement(
            "The cranes stand still",
            "",
            "The cranes stood still at noon, as the `assembly` had voted.\n\n![A crane at rest](../images/crane.jpg)\n\nWe go on until the port hears us.",
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("sources/b.md"),
        statement(
            "Night shifts",
            "",
            "Night shifts are longer than the day ones, and paid the same.",
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("sources/c.md"),
        statement(
            "A booklet",
            "layout: booklet\n",
            "A booklet of one page is still a booklet.",
        ),
    )
    .unwrap();
    dir
}

/// Builds, and returns which statements were built, whether the book was,
/// and what was said.
fn build(root: &Path, args: &[&str]) -> (BTreeSet<String>, bool, String) {
    build_with(root, args, &[])
}

fn build_with(
    root: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (BTreeSet<String>, bool, String) {
    let mut all = vec!["build"];
    all.extend(args);
    let o = run_with(root, &all, env);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let built = err
        .lines()
        .filter_map(|l| l.strip_prefix("built sources/"))
        .filter_map(|l| l.split(".md →").next())
        .map(str::to_string)
        .collect();
    let book = err.contains("built the anthology");
    (built, book, err)
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Every output (under out/, the manifest aside) with its time.
fn stamps(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut out = BTreeMap::new();
    for entry in walk(&root.join("out")) {
        if !entry.components().any(|c| c.as_os_str() == ".pamphleteer") {
            let t = std::fs::metadata(&entry).unwrap().modified().unwrap();
            out.insert(entry, t);
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files.sort();
    files
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

#[test]
fn a_change_rebuilds_exactly_what_depends_on_it() {
    let dir = project();
    let root = dir.path();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");
    assert!(book, "{err}");

    // Nothing changed: nothing built, no file touched.
    let before = stamps(root);
    let (built, book, err) = build(root, &[]);
    assert!(built.is_empty() && !book, "{err}");
    assert!(
        err.contains("up to date: 3 statements and the anthology"),
        "{err}"
    );
    assert_eq!(
        stamps(root),
        before,
        "a build with nothing to do touched files"
    );

    // The source: that statement and the book.
    edit(&root.join("sources/b.md"), |t| {
        t.replace("paid the same", "paid no more")
    });
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["b"]), "{err}");
    assert!(book, "{err}");
    assert!(err.contains("(2 up to date)"), "{err}");
    let after = stamps(root);
    for (path, t) in &before {
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("a.") || name.starts_with("c.") {
            assert_eq!(after.get(path), Some(t), "{} was rewritten", path.display());
        }
    }

    // An image: the statement that shows it, and the book.
    std::fs::write(root.join("images/crane.jpg"), jpeg_with_exif(48, 30, b"")).unwrap();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a"]), "{err}");
    assert!(book, "{err}");

    // A layout of the project's own, standing in for a built-in one: the
    // statements set in it, not the book (which does not use it).
    let booklet = run(root, &["layout", "booklet"]);
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    std::fs::write(
        root.join("layouts/booklet.typ"),
        [b"// our own\n".as_slice(), &booklet.stdout].concat(),
    )
    .unwrap();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["c"]), "{err}");
    assert!(!book, "{err}");
    // Changed again only in a comment: built, but the same bytes, so the
    // files keep their times.
    let before = stamps(root);
    edit(&root.join("layouts/booklet.typ"), |t| {
        t.replace("// our own", "// our very own")
    });
    let (built, _, err) = build(root, &[]);
    assert_eq!(built, set(&["c"]), "{err}");
    assert_eq!(stamps(root), before, "the same bytes were written again");

    // A font: the statement set in it (and the book, which holds it).
    std::fs::write(root.join("fonts/Mono.ttf"), mono(2)).unwrap();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a"]), "{err}");
    assert!(book, "{err}");

    // A setting every statement uses: all of them.
    edit(&root.join("pamphleteer.toml"), |t| {
        t.replace("#1f4e79", "#7a1f1f")
    });
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");
    assert!(book, "{err}");
    // The anthology's own settings: only the book.
    edit(&root.join("pamphleteer.toml"), |t| {
        t.replace("The Dock Papers", "Papers of the Docks")
    });
    let (built, book, err) = build(root, &[]);
    assert!(built.is_empty(), "{err}");
    assert!(book, "{err}");

    // Another version of pamphleteer: everything.
    let manifest = root.join("out/.pamphleteer/manifest.toml");
    edit(&manifest, |t| {
        let first = t.lines().next().unwrap().to_string();
        t.replace(&first, "program = \"pamphleteer 0.0.1\"")
    });
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");
    assert!(book, "{err}");

    // A corrupt manifest: everything, with a note.
    std::fs::write(&manifest, "[statements\nkey = ").unwrap();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");
    assert!(book, "{err}");
    assert!(
        err.contains("could not be read: building everything"),
        "{err}"
    );
    // A missing one too, quietly.
    std::fs::remove_file(&manifest).unwrap();
    let (built, _, err) = build(root, &[]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");

    // An output deleted by hand: its statement.
    std::fs::remove_file(root.join("out/b.epub")).unwrap();
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["b"]), "{err}");
    assert!(!book, "{err}");
    assert!(root.join("out/b.epub").is_file());

    // --force: everything.
    let (built, book, err) = build(root, &["--force"]);
    assert_eq!(built, set(&["a", "b", "c"]), "{err}");
    assert!(book, "{err}");

    // A statement deleted: its outputs go, and the book no longer holds it;
    // but an output someone changed by hand is theirs, and stays.
    std::fs::write(root.join("out/b.typ"), "// my notes\n").unwrap();
    std::fs::remove_file(root.join("sources/b.md")).unwrap();
    let (built, book, err) = build(root, &[]);
    assert!(built.is_empty(), "{err}");
    assert!(book, "{err}");
    assert!(
        err.contains("removed out/b.pdf, out/b.epub (sources/b.md is gone)"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: kept out/b.typ (sources/b.md is gone): changed since it was written"
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("out/b.typ")).unwrap(),
        "// my notes\n"
    );
    std::fs::remove_file(root.join("out/b.typ")).unwrap();
    for ext in ["pdf", "epub", "typ"] {
        assert!(
            !root.join(format!("out/b.{ext}")).exists(),
            "out/b.{ext} stayed"
        );
    }
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(!text.contains("sources/b.md"), "{text}");
    let (built, book, err) = build(root, &[]);
    assert!(built.is_empty() && !book, "{err}");

    // What the incremental builds left is what a build from nothing makes.
    same_as_cold(root, &[]);
}

/// Builds a copy of the project from nothing and compares every output
/// with what the incremental builds left.
fn same_as_cold(root: &Path, env: &[(&str, &str)]) {
    let cold = tempfile::tempdir().unwrap();
    copy_dir(root, cold.path());
    std::fs::remove_dir_all(cold.path().join("out")).unwrap();
    build_with(cold.path(), &[], env);
    let ours = walk(&root.join("out"));
    let theirs = walk(&cold.path().join("out"));
    let strip = |files: &[PathBuf], base: &Path| -> Vec<PathBuf> {
        files
            .iter()
            .filter(|f| !f.components().any(|c| c.as_os_str() == ".pamphleteer"))
            .map(|f| f.strip_prefix(base).unwrap().to_path_buf())
            .collect()
    };
    assert_eq!(strip(&ours, root), strip(&theirs, cold.path()));
    for rel in strip(&ours, root) {
        assert!(
            std::fs::read(root.join(&rel)).unwrap()
                == std::fs::read(cold.path().join(&rel)).unwrap(),
            "{} differs from a build from nothing",
            rel.display()
        );
    }
}

/// What the book's trace says was laid out again, and what was kept.
fn slices(err: &str, how: &str) -> Vec<String> {
    err.lines()
        .filter_map(|l| l.strip_prefix("book: "))
        .filter(|l| l.contains(&format!(": {how} (")))
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_book_in_parts_lays_out_again_only_the_slice_that_changed() {
    let dir = project();
    let root = dir.path();
    // Each statement a part of its own.
    let env = [
        ("PAMPHLETEER_BOOK_PART_BYTES", "1"),
        ("PAMPHLETEER_BOOK_TRACE", "1"),
    ];
    let (_, book, err) = build_with(root, &[], &env);
    assert!(book, "{err}");
    assert!(slices(&err, "kept").is_empty(), "{err}");
    let all = slices(&err, "laid out");
    assert_eq!(all.len(), 5, "the front twice and three runs: {err}");

    // A word changed in the second statement: its run alone; the front
    // matter's page numbers did not move.
    edit(&root.join("sources/b.md"), |t| {
        t.replace("longer", "harder")
    });
    let (built, book, err) = build_with(root, &[], &env);
    assert_eq!(built, set(&["b"]), "{err}");
    assert!(book, "{err}");
    let again = slices(&err, "laid out");
    assert_eq!(again.len(), 1, "{err}");
    assert!(again[0].starts_with("items "), "{err}");
    assert_eq!(slices(&err, "kept").len(), 4, "{err}");
    // Its chapter of the e-book is compressed again, with what lists it
    // (the package, the page list in the nav), and nothing else.
    let repacked = err
        .lines()
        .find(|l| l.contains("copied from the last one"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(repacked.ends_with(", 1 compressed again"), "{repacked}");
    same_as_cold(root, &env);

    // A statement long enough to move the pages after it: the runs after
    // it and the front matter too, and still the bytes of a cold build.
    edit(&root.join("sources/a.md"), |t| {
        t.replace(
            "We go on until the port hears us.",
            &"We go on until the port hears us, and the port is slow to hear. ".repeat(60),
        )
    });
    let (built, _, err) = build_with(root, &[], &env);
    assert_eq!(built, set(&["a"]), "{err}");
    assert!(slices(&err, "laid out").len() >= 2, "{err}");
    same_as_cold(root, &env);

    // A layout the book uses: nothing kept.
    let book_layout = run(root, &["layout", "book"]);
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    std::fs::write(root.join("layouts/book.typ"), &book_layout.stdout).unwrap();
    let (built, book, err) = build_with(root, &[], &env);
    assert!(built.is_empty() && book, "{err}");
    assert!(slices(&err, "kept").is_empty(), "{err}");
    same_as_cold(root, &env);
}

#[test]
fn a_statement_that_fails_while_the_book_is_made_keeps_the_book_unwritten() {
    let dir = project();
    let root = dir.path();
    // Read well, but its layout does not compile: it fails while the book
    // (which does not use that layout) is being made beside it.
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    std::fs::write(
        root.join("layouts/broken.typ"),
        "#let layout(meta: (:), settings: (:), body) = { let x = 1 + \"a\"; body }\n",
    )
    .unwrap();
    edit(&root.join("sources/b.md"), |t| {
        t.replacen("lang: en\n", "lang: en\nlayout: broken\n", 1)
    });
    let o = run(root, &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the anthology is not built: sources/b.md failed"),
        "{err}"
    );
    assert!(!root.join("out/the-dock-papers.pdf").exists(), "{err}");
    assert!(root.join("out/a.pdf").exists(), "{err}");
    // Mended, the next build makes it, and the book.
    edit(&root.join("sources/b.md"), |t| {
        t.replace("layout: broken\n", "")
    });
    let (built, book, err) = build(root, &[]);
    assert_eq!(built, set(&["b"]), "{err}");
    assert!(
        book && root.join("out/the-dock-papers.pdf").exists(),
        "{err}"
    );
}

#[test]
fn an_error_in_a_layout_many_statements_use_is_shown_once() {
    let dir = project();
    let root = dir.path();
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    // A syntax error: Typst reports it through each statement's import.
    std::fs::write(
        root.join("layouts/broken.typ"),
        "#let layout(meta: (:), settings: (:), body) = { let x = (1, 2; body }\n",
    )
    .unwrap();
    for name in ["a", "b"] {
        edit(&root.join(format!("sources/{name}.md")), |t| {
            t.replacen("lang: en\n", "lang: en\nlayout: broken\n", 1)
        });
    }
    let o = run(root, &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("┌─ layouts/broken.typ").count(), 1, "{err}");
    // (Which of the two is told in full depends on which failed first.)
    let told = |first: &str, second: &str| {
        err.contains(&format!("error: sources/{first}.md is not built:\n"))
            && err.contains(&format!(
                "error: sources/{second}.md is not built: the same error as sources/{first}.md"
            ))
    };
    assert!(told("a", "b") || told("b", "a"), "{err}");
    // The book names every statement that failed.
    assert!(
        err.contains("the anthology is not built: sources/a.md, sources/b.md failed"),
        "{err}"
    );
}
