//! The command line as a user runs it: exit codes, messages, atomic writes.

mod common;

use std::process::Command;

use common::{run, stderr};

/// A scratch project holding a copy of the fixtures.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::fixtures()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::copy(
        common::fixtures().join("img/square.png"),
        dir.path().join("img/square.png"),
    )
    .unwrap();
    dir
}

#[test]
fn pdf_and_typst_succeed_with_exit_0() {
    let p = project();
    let o = run(p.path(), &["pdf", "constructs.md", "-o", "c.pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = std::fs::read(p.path().join("c.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(stderr(&o).contains("wrote c.pdf (1 page"), "{}", stderr(&o));
    let o = run(p.path(), &["typst", "constructs.md", "-o", "c.typ"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = std::fs::read_to_string(p.path().join("c.typ")).unwrap();
    assert!(typ.contains("#import \"/layouts/leaflet.typ\": layout"));
    // Nothing of the builder's machine leaks into the outputs.
    let home = p.path().to_string_lossy().into_owned();
    assert!(!typ.contains(&home));
    assert!(!String::from_utf8_lossy(&pdf).contains(&home));
}

#[test]
fn many_sources_go_to_the_out_dir() {
    let p = project();
    let o = run(
        p.path(),
        &["pdf", "constructs.md", "nasty.md", "--out-dir", "build"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.path().join("build/constructs.pdf").is_file());
    assert!(p.path().join("build/nasty.pdf").is_file());
}

#[test]
fn usage_errors_exit_2() {
    let p = project();
    assert_eq!(run(p.path(), &["pdf"]).status.code(), Some(2));
    assert_eq!(run(p.path(), &["frobnicate"]).status.code(), Some(2));
    let o = run(
        p.path(),
        &["pdf", "constructs.md", "nasty.md", "-o", "x.pdf"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hint"), "{}", stderr(&o));
}

#[test]
fn a_bad_source_exits_1_names_file_and_line_and_keeps_the_old_output() {
    let p = project();
    std::fs::write(
        p.path().join("bad.md"),
        "---\ntitle: Bad\nsubtitel: Typo\n---\n\nBody.\n",
    )
    .unwrap();
    std::fs::write(p.path().join("bad.pdf"), b"the previous build").unwrap();
    let o = run(p.path(), &["pdf", "bad.md", "-o", "bad.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown key `subtitel`"), "{err}");
    assert!(err.contains("bad.md:3"), "{err}");
    assert!(err.contains("did you mean `subtitle`?"), "{err}");
    assert_eq!(
        std::fs::read(p.path().join("bad.pdf")).unwrap(),
        b"the previous build"
    );
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pamphleteer-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn front_matter_mistakes_are_named_in_either_syntax() {
    let p = project();
    for (name, text, line, message, hint) in [
        (
            "toml-key.md",
            "+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n\nBody.\n",
            3,
            "unknown key `titel`",
            "did you mean `title`?",
        ),
        (
            "month.md",
            "---\ntitle: A\ndate: 2026-13-45\n---\n\nBody.\n",
            3,
            "`2026-13-45` is not a date",
            "there is no month 13; the months are 01 to 12",
        ),
        (
            "february.md",
            "+++\ndate = \"2026-02-30\"\n+++\n\nBody.\n",
            2,
            "`2026-02-30` is not a date",
            "there is no day 30 in February 2026, which has 28 days",
        ),
        (
            "locale.md",
            "---\nlang: en_US\n---\n\nBody.\n",
            2,
            "`en_US` is not a language tag",
            "did you mean `en-US`?",
        ),
    ] {
        std::fs::write(p.path().join(name), text).unwrap();
        let o = run(p.path(), &["pdf", name, "-o", "x.pdf"]);
        let out = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains(&format!("{name}:{line}")), "{out}");
        assert!(out.contains(message), "{out}");
        assert!(out.contains(&format!("hint: {hint}")), "{out}");
    }
}

#[test]
fn one_bad_source_does_not_stop_the_others() {
    let p = project();
    let o = run(p.path(), &["pdf", "escape.md", "nasty.md"]);
    assert_eq!(o.status.code(), Some(1));
    // Outside any project, a statement's PDF is written beside it.
    assert!(p.path().join("nasty.pdf").is_file());
    assert!(!p.path().join("out").exists());
    let err = stderr(&o);
    assert!(err.contains("escape.md:3"), "{err}");
    assert!(err.contains("1 of 2 statements failed"), "{err}");
}

#[test]
fn a_project_layout_overrides_the_builtin_and_unknown_fonts_are_errors() {
    let p = project();
    std::fs::create_dir(p.path().join("layouts")).unwrap();
    std::fs::write(
        p.path().join("layouts/leaflet.typ"),
        "#let layout(meta: (:), settings: (:), body) = { set text(font: \"No Such Font\"); body }\n",
    )
    .unwrap();
    let o = run(p.path(), &["pdf", "nasty.md", "-o", "n.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown font family: no such font"), "{err}");
    assert!(err.contains("layouts/leaflet.typ"), "{err}");
    assert!(!p.path().join("n.pdf").exists());
}

#[test]
fn an_unknown_layout_is_an_error_with_the_choices() {
    let p = project();
    let o = run(p.path(), &["pdf", "nasty.md", "--layout", "poster"]);
    // (A flag that names nothing: bad usage, before anything is read.)
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no layout `poster`"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("leaflet"), "{}", stderr(&o));
    let o = run(p.path(), &["pdf", "nasty.md", "--layout", "leaflett"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `leaflet`?"),
        "{}",
        stderr(&o)
    );
    // In the front matter, the same hint at the line.
    std::fs::write(
        p.path().join("l.md"),
        "---\ntitle: L\nlayout: bookelt\n---\nText.\n",
    )
    .unwrap();
    let o = run(p.path(), &["pdf", "l.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("l.md:3") && err.contains("did you mean `booklet`?"),
        "{err}"
    );
}

#[test]
fn a_missing_image_names_the_line() {
    let p = project();
    std::fs::write(p.path().join("m.md"), "Text.\n\n![A map](maps/none.png)\n").unwrap();
    let o = run(p.path(), &["pdf", "m.md"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("m.md:3") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn a_front_matter_layout_that_does_not_exist_names_its_line() {
    let p = project();
    std::fs::write(
        p.path().join("l.md"),
        "---\ntitle: L\nlayout: poster\n---\n\nText.\n",
    )
    .unwrap();
    let o = run(p.path(), &["pdf", "l.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("l.md:3"), "{}", stderr(&o));
}

#[test]
fn typst_packages_are_disabled() {
    let p = project();
    std::fs::create_dir(p.path().join("layouts")).unwrap();
    std::fs::write(
        p.path().join("layouts/pkg.typ"),
        "#import \"@preview/example:0.1.0\": *\n#let layout(meta: (:), settings: (:), body) = body\n",
    )
    .unwrap();
    let o = run(p.path(), &["pdf", "nasty.md", "--layout", "pkg"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("packages are disabled"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_sources_for_one_output_are_a_usage_error() {
    let p = project();
    std::fs::create_dir_all(p.path().join("a")).unwrap();
    std::fs::create_dir_all(p.path().join("b")).unwrap();
    std::fs::copy(p.path().join("nasty.md"), p.path().join("a/x.md")).unwrap();
    std::fs::copy(p.path().join("nasty.md"), p.path().join("b/x.md")).unwrap();
    let o = run(p.path(), &["pdf", "a/x.md", "b/x.md", "--out-dir", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("would both be written to"),
        "{}",
        stderr(&o)
    );
    assert!(!p.path().join("out").exists());
}

#[test]
fn bad_layout_names_and_source_date_epoch_are_usage_errors() {
    let p = project();
    assert_eq!(
        run(p.path(), &["pdf", "nasty.md", "--layout", "../x"])
            .status
            .code(),
        Some(2)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
        .args(["pdf", "nasty.md"])
        .current_dir(p.path())
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));
}

#[test]
fn source_date_epoch_dates_an_undated_statement() {
    let p = project();
    std::fs::write(p.path().join("u.md"), "---\ntitle: Undated\n---\n\nText.\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
        .args(["pdf", "u.md", "-o", "u.pdf"])
        .current_dir(p.path())
        .env("SOURCE_DATE_EPOCH", "1772928000")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("without a claim"), "{}", stderr(&o));
    let pdf = String::from_utf8_lossy(&std::fs::read(p.path().join("u.pdf")).unwrap()).into_owned();
    assert!(
        pdf.contains("2026-03-08"),
        "the creation date comes from SOURCE_DATE_EPOCH"
    );
}

#[test]
fn dash_writes_to_standard_output() {
    let p = project();
    let o = run(p.path(), &["pdf", "nasty.md", "-o", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"%PDF-"));
    assert!(!p.path().join("-").exists());
}

#[test]
fn an_empty_statement_is_an_error() {
    let p = project();
    std::fs::write(p.path().join("e.md"), "\n\n").unwrap();
    let o = run(p.path(), &["pdf", "e.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("e.md: the statement is empty"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_builtin_layout_can_be_printed() {
    let p = project();
    let o = run(p.path(), &["layout", "leaflet"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("#let layout(meta: (:), settings: (:), body)")
    );
    assert_eq!(run(p.path(), &["layout", "poster"]).status.code(), Some(2));
    let o = run(p.path(), &["layout", "cover"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("#let cover(meta: (:), settings: (:))"));
}

#[test]
fn epub_writes_an_ebook() {
    let p = project();
    let o = run(p.path(), &["epub", "constructs.md", "-o", "c.epub"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let book = std::fs::read(p.path().join("c.epub")).unwrap();
    assert!(book.starts_with(b"PK\x03\x04"));
    assert!(stderr(&o).contains("wrote c.epub"), "{}", stderr(&o));
    let o = run(p.path(), &["epub", "escape.md", "-o", "e.epub"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!p.path().join("e.epub").exists());
}

#[test]
fn a_missing_statement_or_a_folder_is_bad_usage() {
    let p = project();
    let o = run(p.path(), &["pdf", "nastx.md"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("there is no statement nastx.md"), "{err}");
    assert!(err.contains("did you mean ./nasty.md?"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    std::fs::create_dir_all(p.path().join("drafts")).unwrap();
    let o = run(p.path(), &["epub", "drafts"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("drafts is a folder, not a statement"), "{err}");
    // One statement that fails is counted as one.
    std::fs::write(p.path().join("e.md"), "---\ntitle: [\n---\n").unwrap();
    let o = run(p.path(), &["pdf", "e.md"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("1 of 1 statement failed"),
        "{}",
        stderr(&o)
    );
}
