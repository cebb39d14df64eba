//! Fixture projects (tests/projects/NAME) driven through the real CLI, in
//! a scratch copy each: build, init, check, the project file, inference,
//! layout overrides and right-to-left statements.

mod common;

use std::path::Path;

use common::{project, run, run_with, stderr, stdout};

#[test]
fn a_good_project_builds_every_product_of_every_statement() {
    let p = project("good");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for stem in ["night-shifts", "2026/cranes"] {
        for ext in ["pdf", "epub", "typ"] {
            let f = p.path().join(format!("out/{stem}.{ext}"));
            assert!(f.is_file(), "{} missing\n{err}", f.display());
        }
    }
    assert!(
        err.contains("built 2 of 2 statements in "),
        "the summary says what was built: {err}"
    );
    assert!(err.contains("2 PDFs (2 pages, "), "{err}");
    assert!(err.contains("2 EPUBs ("), "{err}");
    // [defaults] fill what the front matter leaves out, and lose to it.
    let night = p.read("out/night-shifts.typ");
    assert!(
        night.contains("authors: (\"Harbour Workers’ Union\",)"),
        "{night}"
    );
    assert!(night.contains("place: \"Portside\""), "{night}");
    let cranes = p.read("out/2026/cranes.typ");
    assert!(cranes.contains("authors: (\"Crane Operators’ Section\",)"));
    // [layout] reaches the Typst settings and the e-book's stylesheet.
    assert!(night.contains("accent: rgb(\"#1f4e79\")"), "{night}");
    assert!(night.contains("font-size: 11pt"), "{night}");
    assert!(
        night.contains("leading: 14.3pt"),
        "the leading keeps its proportion: {night}"
    );
    assert!(night.contains("url: \"https://harbour.example.org\""));
    let epub = std::fs::read(p.path().join("out/night-shifts.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let css = read_entry(&mut zip, "EPUB/style.css");
    assert!(css.contains("#1f4e79"), "{css}");
    let opf = read_entry(&mut zip, "EPUB/package.opf");
    assert!(
        opf.contains("<dc:publisher>Harbour Press</dc:publisher>"),
        "{opf}"
    );
    assert!(opf.contains("<dc:rights>CC BY-SA 4.0</dc:rights>"), "{opf}");
    assert!(
        opf.contains("Statements of the Harbour Workers</meta>"),
        "{opf}"
    );

    // The same project builds to the same bytes.
    let first: Vec<Vec<u8>> = ["pdf", "epub", "typ"]
        .iter()
        .map(|e| std::fs::read(p.path().join(format!("out/night-shifts.{e}"))).unwrap())
        .collect();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0));
    for (e, bytes) in ["pdf", "epub", "typ"].iter().zip(first) {
        assert_eq!(
            std::fs::read(p.path().join(format!("out/night-shifts.{e}"))).unwrap(),
            bytes,
            "{e} differs between builds"
        );
    }
}

fn read_entry(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn the_project_is_found_from_a_subfolder_and_with_project() {
    let p = project("good");
    let o = run(&p.path().join("sources/2026"), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.path().join("out/2026/cranes.pdf").is_file());
    let elsewhere = tempfile::tempdir().unwrap();
    let o = run(
        elsewhere.path(),
        &[
            "build",
            "--project",
            p.path().to_str().unwrap(),
            "--out-dir",
            "here",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(elsewhere.path().join("here/night-shifts.epub").is_file());
    // The single-statement commands read the project too.
    let o = run(p.path(), &["typst", "sources/night-shifts.md", "-o", "-"]);
    assert!(stdout(&o).contains("place: \"Portside\""), "{}", stderr(&o));
}

#[test]
fn one_broken_statement_does_not_stop_the_others() {
    let p = project("broken");
    std::fs::create_dir_all(p.path().join("out")).unwrap();
    std::fs::write(p.path().join("out/bad.pdf"), b"the previous build").unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("sources/bad.md:3"), "file and line: {err}");
    assert!(err.contains("`2026-02-30` is not a date"), "{err}");
    assert!(err.contains("built 2 of 3 statements"), "{err}");
    assert!(err.contains("1 statement failed"), "{err}");
    assert!(p.path().join("out/fine.pdf").is_file());
    assert!(p.path().join("out/also-fine.epub").is_file());
    assert_eq!(
        std::fs::read(p.path().join("out/bad.pdf")).unwrap(),
        b"the previous build",
        "a failed statement leaves its earlier outputs alone"
    );
    assert!(!p.path().join("out/bad.epub").exists());
}

#[test]
fn a_typo_in_the_project_file_names_the_line_and_the_key() {
    let p = project("typo");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown key `accnet`"), "{err}");
    assert!(err.contains("did you mean `accent`?"), "{err}");
    assert!(err.contains("pamphleteer.toml:6"), "{err}");
    assert!(!p.path().join("out").exists(), "nothing is built");
    // Each kind of bad value, through the CLI.
    for (text, line, message) in [
        (
            "[layout]\naccent = \"#gg0000\"\n",
            2,
            "`#gg0000` is not a colour",
        ),
        (
            "[layout]\n\npaper = \"a44\"\n",
            3,
            "`a44` is not a paper size Typst knows",
        ),
        (
            "[defaults]\ndate = \"2026-13-01\"\n",
            2,
            "`2026-13-01` is not a date",
        ),
    ] {
        std::fs::write(p.path().join("pamphleteer.toml"), text).unwrap();
        let o = run(p.path(), &["build"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("pamphleteer.toml:{line}")), "{err}");
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn bare_statements_get_title_subtitle_signature_and_slogans() {
    let p = project("bare");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("sources/pasted.md:1: note: title inferred"),
        "each inference is a note: {err}"
    );
    assert!(err.contains("2 closing slogans inferred"), "{err}");
    let typ = p.read("out/pasted.typ");
    for expected in [
        // Catalogued in title case, set in capitals by the layout.
        "title: \"Rent Strike Now\"",
        "title-caps: true",
        "subtitle: \"Why the tenants of Elm Court stop paying\"",
        "authors: (\"Elm Court Tenants’ Association\",)",
        "place: \"Leeds\"",
        "date: datetime(year: 2026, month: 1, day: 10)",
        "slogans: (\"Heat before rent!\", \"Repairs before profits!\")",
    ] {
        assert!(typ.contains(expected), "{expected} in\n{typ}");
    }
    // The heading and the lines used are not printed twice.
    assert!(!typ.contains("= RENT STRIKE"), "{typ}");
    assert!(!typ.contains("*Heat before rent!*"), "{typ}");
    assert!(!typ.contains("_Elm Court"), "{typ}");
    // The e-book has them as blocks too.
    let epub = std::fs::read(p.path().join("out/pasted.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let text = read_entry(&mut zip, "EPUB/text.xhtml");
    assert!(
        text.contains("<div class=\"slogans\">\n<p>Heat before rent!</p>"),
        "{text}"
    );
    assert!(text.contains("Elm Court Tenants’ Association"), "{text}");

    // Front matter wins: the title stays, the heading stays in the text.
    let covered = p.read("out/covered.typ");
    assert!(covered.contains("title: \"Given Title\""), "{covered}");
    assert!(
        covered.contains("= A HEADING THAT IS NOT THE TITLE"),
        "{covered}"
    );
    assert!(
        covered.contains("authors: (\"Given Organisation\",)"),
        "{covered}"
    );
    assert!(covered.contains("place: \"Elsewhere\""), "{covered}");

    // infer = false turns it all off.
    std::fs::write(
        p.path().join("pamphleteer.toml"),
        "[defaults]\ninfer = false\n",
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("inferred"), "{}", stderr(&o));
    let typ = p.read("out/pasted.typ");
    assert!(typ.contains("title: none"), "{typ}");
    assert!(typ.contains("= RENT STRIKE NOW"), "{typ}");
}

#[test]
fn a_project_layout_adds_one_and_overrides_a_built_in_one() {
    let p = project("override");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let poster = p.read("out/poster.typ");
    assert!(
        poster.starts_with("#import \"/layouts/poster.typ\": layout"),
        "{poster}"
    );
    let leaflet = p.read("out/leaflet.typ");
    assert!(leaflet.starts_with("#import \"/layouts/leaflet.typ\": layout"));
    let pdf = std::fs::read(p.path().join("out/poster.pdf")).unwrap();
    let a3 = b"MediaBox[0 0 841.8898 1190.5511]";
    assert!(pdf.windows(a3.len()).any(|w| w == a3), "an A3 page");
    // The command line beats the front matter and [defaults].
    let o = run(
        p.path(),
        &[
            "typst",
            "sources/leaflet.md",
            "--layout",
            "booklet",
            "-o",
            "-",
        ],
    );
    assert!(
        stdout(&o).starts_with("#import \"/layouts/booklet.typ\": layout"),
        "{}",
        stderr(&o)
    );
    // The book's layout is not a statement's.
    let o = run(
        p.path(),
        &[
            "pdf",
            "sources/leaflet.md",
            "--layout",
            "book",
            "-o",
            "x.pdf",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`book` is the anthology's layout, not a statement's"),
        "{}",
        stderr(&o)
    );
    // An unknown layout names the line it came from.
    std::fs::write(
        p.path().join("pamphleteer.toml"),
        "[defaults]\nlayout = \"postr\"\n",
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no layout `postr`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn right_to_left_statements_render_with_real_glyphs() {
    let p = project("rtl");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for (stem, lang, font) in [
        ("maa", "ar", "NotoNaskhArabic"),
        ("shalom", "he", "NotoSerifHebrew"),
    ] {
        let typ = p.read(&format!("out/{stem}.typ"));
        assert!(typ.contains("dir: rtl"), "{typ}");
        assert!(typ.contains(&format!("lang: \"{lang}\"")), "{typ}");
        let pdf = std::fs::read(p.path().join(format!("out/{stem}.pdf"))).unwrap();
        assert!(
            pdf.windows(font.len()).any(|w| w == font.as_bytes()),
            "{stem}.pdf embeds {font}"
        );
        let epub = std::fs::read(p.path().join(format!("out/{stem}.epub"))).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
        let text = read_entry(&mut zip, "EPUB/text.xhtml");
        assert!(
            text.contains(&format!("xml:lang=\"{lang}\"")) && text.contains("dir=\"rtl\""),
            "{text}"
        );
    }
    // Arabic dates are written out in Arabic.
    assert!(
        p.read("out/maa.typ")
            .contains("date-text: \"1 يونيو 2026\"")
    );
}

#[test]
fn init_makes_a_project_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["init", "leaflets"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let p = dir.path().join("leaflets");
    let toml = std::fs::read_to_string(p.join("pamphleteer.toml")).unwrap();
    for section in ["[project]", "[defaults]", "[layout]", "[outputs]"] {
        assert!(toml.contains(section), "{section}");
    }
    let readme = std::fs::read_to_string(p.join("README.md")).unwrap();
    assert!(readme.contains("layouts/NAME.typ") && readme.contains("fonts/"));
    let o = run(&p, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(p.join("out/example.pdf").is_file());
    let o = run(&p, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // A mistake in the project file: `check` shows it at its line as
    // `build` does, and underlines the value, not the comment after it.
    let good = toml.clone();
    std::fs::write(
        p.join("pamphleteer.toml"),
        toml.replacen("infer = true ", "infer = maybe", 1),
    )
    .unwrap();
    for command in ["check", "build"] {
        let o = run(&p, &[command]);
        assert_eq!(o.status.code(), Some(1), "{command}");
        let err = stderr(&o);
        assert!(err.contains("┌─ pamphleteer.toml:"), "{command}: {err}");
        assert!(err.contains("^^^^^\n"), "{command}: {err}");
        assert!(!err.contains("^^^^^^"), "{command}: {err}");
    }
    // Saved in Latin-1, not UTF-8: where, and how to convert it.
    std::fs::write(
        p.join("pamphleteer.toml"),
        [good.as_bytes(), b"# caf\xe9\n"].concat(),
    )
    .unwrap();
    let o = run(&p, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let lines = good.lines().count() + 1;
    assert!(
        stderr(&o).contains(&format!(
            "the project file is not UTF-8 text: byte {} (0xE9, line {lines}, column 6)",
            good.len() + 6
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("iconv -f WINDOWS-1252"),
        "{}",
        stderr(&o)
    );
    // What is wrong in [anthology] is found by `check`, as by `build`.
    std::fs::write(
        p.join("pamphleteer.toml"),
        format!("{good}\n[anthology]\ntitle = \"Book\"\npreface = \"prefac.md\"   # typo\n"),
    )
    .unwrap();
    for command in ["check", "build"] {
        let o = run(&p, &[command]);
        assert_eq!(o.status.code(), Some(1), "{command}");
        let said = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            said.contains("the preface prefac.md does not exist"),
            "{command}: {said}"
        );
    }
    std::fs::write(p.join("pamphleteer.toml"), &good).unwrap();
    std::fs::write(p.join("sources/latin.md"), b"# Caf\xe9 workers\n\nText.\n").unwrap();
    let o = run(&p, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("the statement is not UTF-8 text: byte 6 (0xE9, line 1, column 6)"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(p.join("sources/latin.md")).unwrap();
    // A statement with only a title: `check` says what `build` would.
    std::fs::write(
        p.join("sources/title.md"),
        "---\ntitle: Only a title\n---\n",
    )
    .unwrap();
    let o = run(&p, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("sources/title.md: warning: there is no text to set"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_file(p.join("sources/title.md")).unwrap();
    // A second init refuses to overwrite.
    let o = run(dir.path(), &["init", "leaflets"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"));
}

#[test]
fn check_reports_problems_by_file_and_line_and_fixes_split_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sources")).unwrap();
    std::fs::write(p.join("pamphleteer.toml"), "").unwrap();
    let split = "---\ntitle: Split\n---\nThe rent went up by a third and the\n\nlandlord did nothing about the damp.\n\nShe said “we stay.\n";
    std::fs::write(p.join("sources/split.md"), split).unwrap();
    std::fs::write(
        p.join("sources/images.md"),
        "---\ntitle: Images\n---\nText.\n\n![](missing.png)\n",
    )
    .unwrap();
    std::fs::write(
        p.join("sources/alt.md"),
        "---\ntitle: Alt\n---\nText.\n\n![](pic.png)\n",
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/img/square.png"),
        p.join("sources/pic.png"),
    )
    .unwrap();
    std::fs::write(p.join("sources/front.md"), "---\ntitel: Oops\n---\nText.\n").unwrap();
    std::fs::write(
        p.join("sources/many.md"),
        "---\ntitle: Many\n---\nText.\n\n![](gone.png)\n\n![](https://example.org/x.png)\n\n![](pic.png)\n",
    )
    .unwrap();
    let o = run(p, &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    for expected in [
        "sources/split.md:6: warning: this paragraph starts in lower case",
        "sources/split.md:8: warning: unbalanced quotation marks",
        "sources/images.md:6: error: the image `missing.png` does not exist",
        "sources/alt.md:6: warning: the image `sources/pic.png` has no alt text",
        "sources/front.md:2: error: unknown key `titel`",
        // Every bad image at once, with the warnings found alongside.
        "sources/many.md:6: error: the image `gone.png` does not exist",
        "sources/many.md:8: error: the image `https://example.org/x.png` is not a local file",
        "sources/many.md:10: warning: the image `sources/pic.png` has no alt text",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    // The same advice `build` gives for the same mistake.
    assert!(
        out.contains(
            "sources/front.md:2: error: unknown key `titel`\n  hint: did you mean `title`?"
        ),
        "{out}"
    );
    // Nothing was written.
    assert_eq!(
        std::fs::read_to_string(p.join("sources/split.md")).unwrap(),
        split
    );
    assert!(!p.join("out").exists());

    let o = run(p, &["check", "--fix", "sources/split.md"]);
    assert!(
        stderr(&o).contains("joined 1 split paragraph"),
        "{}",
        stderr(&o)
    );
    // The file rewritten is named.
    assert!(
        stderr(&o).contains("rewrote sources/split.md: joined 1 split paragraph"),
        "{}",
        stderr(&o)
    );
    let fixed = std::fs::read_to_string(p.join("sources/split.md")).unwrap();
    assert!(
        fixed.contains("by a third and the landlord did nothing"),
        "{fixed}"
    );
    assert!(!stdout(&o).contains("lower case"), "{}", stdout(&o));
    // A salutation is not a split paragraph.
    std::fs::write(
        p.join("sources/split.md"),
        "---\ntitle: Letter\n---\nDear councillors,\n\nwe write to you about the library.\n",
    )
    .unwrap();
    let o = run(p, &["check", "sources/split.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn a_pasted_bare_statement_comes_out_finished_and_check_fix_writes_the_repairs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sources")).unwrap();
    std::fs::write(p.join("pamphleteer.toml"), "").unwrap();
    let pasted = "# WITH THE WORKERS AND PEOPLE'S UPRISING IN KAZAKHSTAN\n\n\
                  The strike began in the west - in Zhanaozen - and the\n\n\
                  army of the CSTO came in, a well-known story.\r\n\n\
                  - prices of LPG - doubled\n- wages fell by -5 per cent\n\n\
                  Use `a - b` for 3 - 2.\n\n\
                  Dear comrades,\n\nwe stand with you.\n\n\
                  **SOLIDARITY NETWORK OF THE EU, Leeds, 10 January 2022**\n";
    std::fs::write(p.join("sources/pasted.md"), pasted).unwrap();

    // The build finishes the text in both editions; the notes say where.
    let o = run(p, &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    for expected in [
        "sources/pasted.md:1: note: the title in capitals is catalogued as \"With the Workers and People's Uprising in Kazakhstan\"",
        "sources/pasted.md:3: note: a hyphen typed as a dash is set as \"–\"",
        "sources/pasted.md:5: note: paragraph joined to the one on line 3",
        "sources/pasted.md:7: note: a hyphen typed as a dash is set as \"–\"",
        "sources/pasted.md:16: note: the name \"SOLIDARITY NETWORK OF THE EU\" in capitals is catalogued as \"Solidarity Network of the EU\"",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    for line in [8, 10, 12, 14] {
        assert!(
            !out.contains(&format!("pasted.md:{line}:")),
            "{line}\n{out}"
        );
    }
    let o = run(p, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = std::fs::read_to_string(p.join("out/pasted.typ")).unwrap();
    // (Apostrophes are set as the language's, as in every title.)
    let cased = "With the Workers and People’s Uprising in Kazakhstan";
    assert!(
        typ.contains(&format!("#set document(title: \"{cased}\"")),
        "{typ}"
    );
    assert!(typ.contains("title-caps: true"), "{typ}");
    assert!(
        typ.contains("west\u{a0}– in Zhanaozen\u{a0}– and the army of the CSTO came in"),
        "{typ}"
    );
    assert!(typ.contains("3 - 2"), "{typ}");
    let opf = epub_entry(&p.join("out/pasted.epub"), "EPUB/package.opf");
    assert!(
        opf.contains(&format!(
            "<dc:title id=\"title\">{}</dc:title>",
            cased.replace('’', "'")
        )),
        "{opf}"
    );
    assert!(
        opf.contains(">Solidarity Network of the EU</dc:creator>"),
        "{opf}"
    );
    let text = epub_entry(&p.join("out/pasted.epub"), "EPUB/text.xhtml");
    assert!(
        text.contains("west\u{a0}– in Zhanaozen\u{a0}– and the army"),
        "{text}"
    );

    // `check --fix` writes the same repairs into the file, atomically,
    // leaving the rest byte for byte (the heading's capitals are the
    // layout's: they stay).
    let o = run(p, &["check", "--fix"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("joined 1 split paragraph"), "{err}");
    assert!(err.contains("set 3 hyphens typed as a dash"), "{err}");
    let fixed = std::fs::read_to_string(p.join("sources/pasted.md")).unwrap();
    assert_eq!(
        fixed,
        "# WITH THE WORKERS AND PEOPLE'S UPRISING IN KAZAKHSTAN\n\n\
         The strike began in the west\u{a0}– in Zhanaozen\u{a0}– and the army of the CSTO came in, a well-known story.\r\n\n\
         - prices of LPG\u{a0}– doubled\n- wages fell by -5 per cent\n\n\
         Use `a - b` for 3 - 2.\n\n\
         Dear comrades,\n\nwe stand with you.\n\n\
         **SOLIDARITY NETWORK OF THE EU, Leeds, 10 January 2022**\n"
    );
    // A second check has nothing left to repair; a second fix changes nothing.
    let o = run(p, &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("joined"), "{out}");
    assert!(!out.contains("hyphen"), "{out}");
    assert!(!out.contains("warning"), "{out}");
    let o = run(p, &["check", "--fix"]);
    assert!(!stderr(&o).contains("joined"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("hyphen"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(p.join("sources/pasted.md")).unwrap(),
        fixed
    );
}

fn epub_entry(path: &Path, name: &str) -> String {
    let epub = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    read_entry(&mut zip, name)
}

#[test]
fn an_anthology_collects_the_statements_into_one_book() {
    let p = project("anthology");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("and the anthology: a PDF ("), "{err}");
    let slug = "two-years-on-the-quays";
    for ext in ["pdf", "epub", "typ"] {
        assert!(
            p.path().join(format!("out/{slug}.{ext}")).is_file(),
            "{ext}\n{err}"
        );
    }
    // The leaflets are built as well.
    assert!(p.path().join("out/cranes.pdf").is_file());

    // Grouped by year, dated order inside each group; every statement's
    // notes under labels of its own.
    let typ = p.read(&format!("out/{slug}.typ"));
    let at = |s: &str| {
        typ.find(s)
            .unwrap_or_else(|| panic!("{s} missing in\n{typ}"))
    };
    assert!(at("#part(\"2025\")") < at("title: \"Safe Cranes\""));
    assert!(at("title: \"Safe Cranes\"") < at("title: \"الميناء لنا\""));
    assert!(at("title: \"الميناء لنا\"") < at("#part(\"2026\")"));
    assert!(at("#part(\"2026\")") < at("title: \"No More Unpaid Night Shifts\""));
    assert!(at("title: \"No More Unpaid Night Shifts\"") < at("title: \"Der Hafen gehört uns\""));
    for label in [
        "<p-fn-1>",
        "<s1-fn-1>",
        "<s2-fn-1>",
        "<s3-fn-1>",
        "<s4-fn-1>",
    ] {
        assert_eq!(typ.matches(label).count(), 1, "{label}");
    }
    assert!(
        typ.contains("#preface(title: \"Why this book\", lang: \"en\", region: none, dir: ltr)"),
        "the preface in its own language: {typ}"
    );
    assert!(typ.contains("paper: \"a5\""), "the book's own page: {typ}");

    // The PDF claims what it meets.
    let pdf = std::fs::read(p.path().join(format!("out/{slug}.pdf"))).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"<pdfaid:part>2</pdfaid:part>") && has(b"<pdfuaid:part>1</pdfuaid:part>"));

    // The e-book: a file per statement in its own language, the book's
    // metadata, contents nested under the years.
    let book = p.path().join(format!("out/{slug}.epub"));
    let opf = epub_entry(&book, "EPUB/package.opf");
    for expected in [
        "<dc:title id=\"title\">Two Years on the Quays</dc:title>",
        ">Harbour Workers' Union</dc:creator>",
        "<meta refines=\"#creator-1\" property=\"role\" scheme=\"marc:relators\">edt</meta>",
        ">Dock Committee</dc:creator>",
        "<dc:publisher>Harbour Press</dc:publisher>",
        "<dc:language>en</dc:language>",
        "href=\"statement-4.xhtml\"",
    ] {
        assert!(opf.contains(expected), "{expected} in\n{opf}");
    }
    let arabic = epub_entry(&book, "EPUB/statement-2.xhtml");
    assert!(arabic.contains("xml:lang=\"ar\"") && arabic.contains("dir=\"rtl\""));
    let nav = epub_entry(&book, "EPUB/nav.xhtml");
    let n = |s: &str| {
        nav.find(s)
            .unwrap_or_else(|| panic!("{s} missing in\n{nav}"))
    };
    assert!(n(">Why this book<") < n(">2025<"));
    assert!(n(">2025<") < n(">Safe Cranes<") && n(">Safe Cranes<") < n(">2026<"));
    assert!(
        nav.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">الميناء لنا</a>"),
        "{nav}"
    );

    // Built twice, the same bytes.
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read(p.path().join(format!("out/{slug}.pdf"))).unwrap(),
        pdf
    );
}

#[test]
fn an_anthology_takes_a_list_in_its_order_and_a_slug() {
    let p = project("anthology");
    let toml = p.read("pamphleteer.toml").replace(
        "group = \"year\"\norder = \"date\"\n",
        "statements = [\"sources/night-shifts.md\", \"sources/cranes.md\"]\nslug = \"quays\"\n",
    );
    std::fs::write(p.path().join("pamphleteer.toml"), toml).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/quays.typ");
    assert!(!typ.contains("#part("), "not grouped");
    assert!(!stderr(&o).contains("no title"), "{}", stderr(&o));
    assert!(!typ.contains("Hafen"), "only what is listed");
    assert!(typ.find("Unpaid Night Shifts").unwrap() < typ.find("Safe Cranes").unwrap());
    // A pattern that matches nothing and a path that does not exist.
    let toml = p.read("pamphleteer.toml").replace(
        "statements = [\"sources/night-shifts.md\", \"sources/cranes.md\"]",
        "statements = [\"sources/nope/*.md\"]",
    );
    std::fs::write(p.path().join("pamphleteer.toml"), toml).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("`sources/nope/*.md` matches no statement"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("pamphleteer.toml:10"), "{}", stderr(&o));
    // A slug that is not one file name, and a statement layout for a book.
    for (line, message) in [
        (
            "slug = \"../escape\"",
            "`../escape` is not a file name for the book",
        ),
        (
            "layout = \"leaflet\"",
            "`leaflet` is a layout for single statements, not for a book",
        ),
    ] {
        let toml = p
            .read("pamphleteer.toml")
            .replace("statements = [\"sources/nope/*.md\"]\n", "")
            .replace("slug = \"quays\"", line);
        std::fs::write(p.path().join("pamphleteer.toml"), toml).unwrap();
        let o = run(p.path(), &["build"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(message), "{}", stderr(&o));
        assert!(!p.path().join("escape.pdf").exists() && !p.path().join("../escape.pdf").exists());
        std::fs::write(
            p.path().join("pamphleteer.toml"),
            p.read("pamphleteer.toml").replace(line, "slug = \"quays\""),
        )
        .unwrap();
    }
}

#[test]
fn a_failed_statement_keeps_the_anthology_from_being_written() {
    let p = project("anthology");
    std::fs::create_dir_all(p.path().join("out")).unwrap();
    let slug = "two-years-on-the-quays";
    std::fs::write(
        p.path().join(format!("out/{slug}.pdf")),
        b"last year's book",
    )
    .unwrap();
    std::fs::write(
        p.path().join("sources/broken.md"),
        "---\ntitle: Broken\ndate: 2026-13-01\n---\nText.\n",
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the anthology is not built: sources/broken.md failed"),
        "{err}"
    );
    // The statement's own error first: the book's points at it, above.
    let own = err.find("sources/broken.md:").unwrap_or(usize::MAX);
    let book = err.find("the anthology is not built").unwrap();
    assert!(own < book, "{err}");
    assert!(
        err.contains("built 4 of 5 statements"),
        "the others are built: {err}"
    );
    assert_eq!(
        std::fs::read(p.path().join(format!("out/{slug}.pdf"))).unwrap(),
        b"last year's book"
    );
    assert!(!p.path().join(format!("out/{slug}.epub")).exists());
}

/// What a reader and a screen reader get from a PDF, with object numbers
/// replaced by page numbers: so that two PDFs of the same pages made in
/// different ways can be compared.
#[derive(Debug, PartialEq)]
struct Reading {
    pages: usize,
    /// Each page's label.
    labels: Vec<String>,
    /// Bookmarks: depth, title, page, open.
    outline: Vec<(usize, String, usize, bool)>,
    /// Links: page, target page (or URI).
    links: Vec<(usize, String)>,
    /// The structure tree depth first: depth, type, pages of its content.
    structure: Vec<(usize, String, Vec<usize>)>,
}

/// Reads a PDF's pages, bookmarks, links and structure, and checks that its
/// structure tree holds together: every marked page and link has its entry
/// in the parent tree, every entry names elements of the tree, IDs are
/// unique.
fn reading(pdf: &[u8]) -> Reading {
    use lopdf::{Document, Object, ObjectId};
    let doc = Document::load_mem(pdf).unwrap();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let page_no = |id: ObjectId| pages.iter().position(|p| *p == id).map_or(0, |i| i + 1);
    let deref = |o: &Object| doc.dereference(o).unwrap().1.clone();
    let catalog = doc.catalog().unwrap();
    // A number tree's entries (flat, as Typst and the join write them).
    let nums_of = |tree: &Object| -> Vec<Object> {
        let tree = deref(tree);
        tree.as_dict()
            .unwrap()
            .get(b"Nums")
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };

    let mut labels = Vec::new();
    let mut nums = Vec::new();
    if let Ok(tree) = catalog.get(b"PageLabels") {
        for pair in nums_of(tree).chunks(2) {
            nums.push((pair[0].as_i64().unwrap() as usize, deref(&pair[1])));
        }
    }
    for i in 0..pages.len() {
        let (j, d) = nums.iter().rev().find(|(j, _)| *j <= i).expect("a label");
        let d = d.as_dict().unwrap();
        let start = d.get(b"St").map_or(1, |s| s.as_i64().unwrap());
        let style = d
            .get(b"S")
            .map_or(vec![], |s| s.as_name().unwrap().to_vec());
        labels.push(format!(
            "{}{}",
            String::from_utf8_lossy(&style),
            start + (i - j) as i64
        ));
    }

    let dest_page = |o: &Object| -> String {
        match deref(o) {
            Object::Array(a) => format!("p{}", page_no(a[0].as_reference().unwrap())),
            Object::Dictionary(d) => match d.get(b"URI") {
                Ok(u) => String::from_utf8_lossy(u.as_str().unwrap()).into_owned(),
                Err(_) => {
                    let d = deref(d.get(b"D").unwrap());
                    format!(
                        "p{}",
                        page_no(d.as_array().unwrap()[0].as_reference().unwrap())
                    )
                }
            },
            other => format!("{other:?}"),
        }
    };
    let mut outline = Vec::new();
    if let Ok(root) = catalog.get(b"Outlines") {
        let mut stack = vec![];
        if let Ok(f) = deref(root).as_dict().unwrap().get(b"First") {
            stack.push((f.as_reference().unwrap(), 0));
        }
        while let Some((id, depth)) = stack.pop() {
            let item = doc.get_dictionary(id).unwrap();
            let title = String::from_utf8_lossy(item.get(b"Title").unwrap().as_str().unwrap());
            let target = item.get(b"Dest").or_else(|_| item.get(b"A")).unwrap();
            let page = dest_page(target)[1..].parse().unwrap();
            let open = item.get(b"Count").is_ok_and(|c| c.as_i64().unwrap() > 0);
            outline.push((depth, title.into_owned(), page, open));
            if let Ok(n) = item.get(b"Next") {
                stack.push((n.as_reference().unwrap(), depth));
            }
            if let Ok(c) = item.get(b"First") {
                stack.push((c.as_reference().unwrap(), depth + 1));
            }
        }
    }

    // The parent tree, and each marked page's and link's entry in it.
    let root = deref(catalog.get(b"StructTreeRoot").unwrap());
    let root = root.as_dict().unwrap();
    let mut parents = std::collections::HashMap::new();
    for pair in nums_of(root.get(b"ParentTree").unwrap()).chunks(2) {
        let refs: Vec<ObjectId> = match deref(&pair[1]) {
            Object::Array(a) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
            _ => vec![pair[1].as_reference().unwrap()],
        };
        assert!(
            parents.insert(pair[0].as_i64().unwrap(), refs).is_none(),
            "a key twice"
        );
    }
    let mut links = Vec::new();
    let mut named = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let p = doc.get_dictionary(*page).unwrap();
        if let Ok(k) = p.get(b"StructParents") {
            named.extend(
                parents
                    .get(&k.as_i64().unwrap())
                    .expect("the page's entry")
                    .clone(),
            );
        }
        if let Ok(annots) = p.get(b"Annots") {
            for a in deref(annots).as_array().unwrap() {
                let a = deref(a);
                let a = a.as_dict().unwrap();
                let k = a
                    .get(b"StructParent")
                    .expect("a tagged link")
                    .as_i64()
                    .unwrap();
                named.extend(parents.get(&k).expect("the link's entry").clone());
                let target = a.get(b"Dest").or_else(|_| a.get(b"A")).unwrap();
                links.push((i + 1, dest_page(target)));
            }
        }
    }

    let mut structure = Vec::new();
    let mut in_tree = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    let mut stack: Vec<(Object, usize)> = vec![(root.get(b"K").unwrap().clone(), 0)];
    while let Some((k, depth)) = stack.pop() {
        let kids = match deref(&k) {
            Object::Array(a) => a,
            other => vec![other],
        };
        // (Pushed in reverse, popped in order.)
        let mut elements = Vec::new();
        for kid in kids {
            let Object::Reference(id) = kid else { continue };
            let d = doc.get_dictionary(id).unwrap();
            if !d.has(b"S") {
                continue;
            }
            assert!(in_tree.insert(id), "an element twice in the tree");
            if let Ok(id) = d.get(b"ID") {
                assert!(ids.insert(id.as_str().unwrap().to_vec()), "an ID twice");
            }
            let mut on = Vec::new();
            if let Ok(pg) = d.get(b"Pg") {
                on.push(page_no(pg.as_reference().unwrap()));
            }
            structure.push((
                depth,
                String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap()).into_owned(),
                on,
            ));
            if let Ok(k) = d.get(b"K") {
                elements.push((k.clone(), depth + 1));
            }
        }
        stack.extend(elements.into_iter().rev());
    }
    for id in named {
        assert!(
            in_tree.contains(&id),
            "the parent tree names an element outside the tree"
        );
    }
    Reading {
        pages: pages.len(),
        labels,
        outline,
        links,
        structure,
    }
}

#[test]
fn a_long_anthology_is_compiled_in_parts_and_joined_into_the_same_book() {
    let p = project("anthology");
    let slug = "two-years-on-the-quays";
    let book = || std::fs::read(p.path().join(format!("out/{slug}.pdf"))).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let whole = book();
    // Each statement in a part of its own: the second year's second
    // statement is compiled under a stand-in for its year's heading.
    let tiny = [("PAMPHLETEER_BOOK_PART_BYTES", "1")];
    let o = run_with(p.path(), &["build"], &tiny);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let parts = book();
    assert_ne!(whole, parts, "the parts were not compiled apart");

    let (a, b) = (reading(&whole), reading(&parts));
    assert!(
        a.pages > 12 && a.outline.len() >= 8 && a.links.len() >= 5,
        "{a:#?}"
    );
    assert!(a.structure.iter().any(|(_, s, _)| s == "TOC"), "{a:#?}");
    assert_eq!(a, b);

    // The joined book claims what the whole does, and is made again the same.
    let has = |pdf: &[u8], needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    for claim in [
        b"<pdfaid:part>2</pdfaid:part>".as_slice(),
        b"<pdfuaid:part>1</pdfuaid:part>",
    ] {
        assert!(has(&parts, claim));
    }
    let o = run_with(p.path(), &["build"], &tiny);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(book(), parts);
}

#[test]
fn the_smallest_layout_a_user_can_write_makes_a_tagged_titled_pdf() {
    let p = project("good");
    let root = p.path().to_path_buf();
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    std::fs::write(
        root.join("layouts/leaflet.typ"),
        "#let layout(meta: (:), settings: (:), body) = body\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sources/tiny.md"),
        "---\ntitle: A Tiny Leaflet\nauthor: The Tiny Union\ndate: 2026-05-01\n---\nOne line of text.\n",
    )
    .unwrap();
    let o = run(&root, &["pdf", "sources/tiny.md", "--layout", "leaflet"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("without a claim"), "{err}");
    let pdf = std::fs::read(root.join("out/tiny.pdf")).unwrap();
    let has = |needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());
    // The metadata comes from the generated source, not the layout.
    assert!(has("<pdfuaid:part>1</pdfuaid:part>"), "no PDF/UA-1 claim");
    assert!(
        has("A Tiny Leaflet") && has("The Tiny Union"),
        "no title or author"
    );
}

#[test]
fn names_in_the_project_file_get_the_nearest_valid_one() {
    let p = project("good");
    let root = p.path().to_path_buf();
    std::fs::write(
        root.join("pamphleteer.toml"),
        "[defaults]\nlayout = \"leaflett\"\n\n[layout]\nbody-font = \"noto serf\"\n",
    )
    .unwrap();
    let o = run(&root, &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("there is no font `noto serf`"), "{err}");
    assert!(err.contains("did you mean `Noto Serif`?"), "{err}");
    assert!(err.contains("there is no layout `leaflett`"), "{err}");
    assert!(err.contains("did you mean `leaflet`?"), "{err}");
}

#[test]
fn check_warns_of_hyphens_typed_as_dashes_in_a_written_statement_and_fix_sets_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("sources")).unwrap();
    std::fs::write(p.join("pamphleteer.toml"), "").unwrap();
    let text = "---\ntitle: Ours\nplace: Saint-Aubin - Nord\nlang: fr\n---\n\nNous disons non - encore.\n\nLe code `a - b` reste.\n";
    std::fs::write(p.join("sources/written.md"), text).unwrap();
    let o = run(p, &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("sources/written.md:7: warning: 1 hyphen typed as a dash between spaces"),
        "{out}"
    );
    assert!(out.contains("hint: type the language's dash (—)"), "{out}");
    assert!(!out.contains("written.md:9"), "code is left alone: {out}");
    let o = run(p, &["check", "--fix"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        std::fs::read_to_string(p.join("sources/written.md")).unwrap(),
        text.replace("non - encore", "non\u{a0}— encore")
    );
}

#[test]
fn check_knows_translations() {
    let p = project("translations");
    let o = run(p.path(), &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    // The English edition lost a list item; the Arabic one its last paragraph.
    assert!(
        out.contains(
            "sources/sciopero.en.md:13: warning: the original has 3 list items here, this edition 2"
        ),
        "{out}"
    );
    assert!(
        out.contains("sources/sciopero.ar.md:17: warning: the original goes on after this: 1 more block, the first a paragraph"),
        "{out}"
    );
    // The languages [project] expects and the group lacks.
    assert!(
        out.contains("`sciopero` has no edition in Deutsch (`de`)"),
        "{out}"
    );
    // The file's name gives the language: the Arabic edition is right to left.
    let o = run(p.path(), &["typst", "sources/sciopero.ar.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/sciopero.ar.typ");
    assert!(typ.contains("lang: \"ar\""), "{typ}");
    assert!(typ.contains("dir: rtl"), "{typ}");
}
