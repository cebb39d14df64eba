//! In-process compile tests: page counts, text order, exact text, standards,
//! reproducible bytes, the sandbox.

mod common;

use common::*;

#[test]
fn nasty_text_comes_out_as_written() {
    let (_, compiled) = compile("nasty.md").unwrap_or_else(|e| panic!("{e}"));
    let text = squeeze(&text_of(&compiled));
    for s in [
        "#sys.inputs",
        "$x^2$",
        "@council",
        "<b>",
        "//notacomment",
        "/**/",
        "=sign",
        "1.April",
        "http://example.org/a_(b)",
        "-5",
        "...",
        "C:\\Users\\x",
        "[x]",
        "~",
        "#letx=1",
        "`raw`",
        "*notstrong*",
        "_notemph_",
        "a--b---c",
    ] {
        assert!(
            text.contains(s),
            "{s:?} missing from the page text:\n{text}"
        );
    }
    // Each line of the source shows once, in order.
    let a = text.find("#sys.inputs").unwrap();
    let b = text.find("@council").unwrap();
    let c = text.find("a--b---c").unwrap();
    assert!(a < b && b < c);
}

#[test]
fn every_construct_compiles_in_reading_order() {
    let (loaded, compiled) = compile("constructs.md").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        compiled.document.pages().len(),
        1,
        "the fixture fits one A4 page"
    );
    let text = text_of(&compiled);
    let flat = squeeze(&text);
    let order = [
        "FIRSTCOLLECTIVE",
        "EveryConstruct",
        "Afixturethatuseseach",
        "Headingone",
        "emphasis",
        "struck",
        "inlinecode",
        "&©A",
        "Headingsix",
        "Aquote.",
        "Anestedquote",
        "bulletone",
        "nestedordered",
        "startsatthree",
        "opentask",
        "#nottypst$x$",
        "indentedcodeblock",
        "Centre",
        "Acaption",
        "rawHTMLblock",
        "Inline<span>rawHTML</span>and",
        "SECONDUNION",
        "Lyon,1May2026",
    ];
    let mut at = 0;
    for s in order {
        let found = flat[at..]
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not after position {at} in:\n{text}"));
        at += found;
    }
    // Footnotes sit at the foot of their column, wherever that falls.
    for note in [
        "Thesharednote,withemphasis.",
        "Asecondnote.",
        "Withasecondparagraph.",
    ] {
        assert!(flat.contains(note), "{note:?} missing");
    }
    assert!(!flat.contains("acomment"), "HTML comments are dropped");
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("raw HTML")),
        "raw HTML blocks are reported"
    );
    // The shared footnote is one note, referenced twice: its text shows once.
    assert_eq!(flat.matches("Thesharednote").count(), 1);
}

#[test]
fn a_second_build_gives_identical_bytes() {
    let build_once = || {
        let ctx = ctx();
        let loaded =
            pamphleteer::project::statement::load(&fixtures().join("constructs.md"), &ctx).unwrap();
        let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx);
        let compiled = pamphleteer::render::statement::compile(&loaded, &typ, &ctx).unwrap();
        pamphleteer::render::compile::pdf(&loaded, &compiled, &ctx)
            .unwrap()
            .0
    };
    let first = build_once();
    comemo::evict(0);
    let second = build_once();
    assert!(first == second, "two builds differ");
    assert!(first.starts_with(b"%PDF-"));
}

#[test]
fn standards_are_claimed_only_where_they_hold() {
    let ctx = ctx();
    let full = load("constructs.md");
    let (standards, why) = pamphleteer::render::compile::standards_for(&full, &ctx);
    assert_eq!(standards.len(), 2, "{why:?}");
    let no_alt = load("no-alt.md");
    let (standards, why) = pamphleteer::render::compile::standards_for(&no_alt, &ctx);
    assert_eq!(standards, vec![typst_pdf::PdfStandard::A_2b]);
    assert!(why[0].contains("line 6"), "{why:?}");
    assert!(
        no_alt
            .warnings
            .iter()
            .any(|w| w.line == 6 && w.message.contains("no alt text"))
    );
    // The export itself succeeds with the reduced claim.
    let typ = pamphleteer::render::statement::typst_source(&no_alt, &ctx);
    let compiled = pamphleteer::render::statement::compile(&no_alt, &typ, &ctx).unwrap();
    let (bytes, notes) = pamphleteer::render::compile::pdf(&no_alt, &compiled, &ctx).unwrap();
    assert!(!bytes.is_empty());
    assert!(notes[0].contains("without a claim"), "{notes:?}");
}

#[test]
fn images_outside_the_root_are_refused() {
    let all = pamphleteer::project::statement::load(&fixtures().join("escape.md"), &ctx())
        .err()
        .expect("refused");
    let e = &all[0];
    assert_eq!(e.line, 3);
    assert!(
        e.message.contains("../../../../etc/passwd")
            && e.message.contains("outside the project root"),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_root_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join("img/square.png"),
        outside.path().join("secret.png"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.png"),
        dir.path().join("link.png"),
    )
    .unwrap();
    std::fs::write(dir.path().join("s.md"), "![A square](link.png)\n").unwrap();
    let ctx = ctx_in(dir.path());
    let err = pamphleteer::project::statement::load(&dir.path().join("s.md"), &ctx)
        .err()
        .expect("refused");
    assert!(
        err.iter()
            .any(|e| e.message.contains("outside the project root")),
        "{err:?}"
    );
}

#[test]
fn typst_errors_point_at_the_markdown_line() {
    let err = compile("broken-image.md")
        .err()
        .expect("a broken image fails");
    let report = err.to_string();
    assert!(report.contains("broken-image.md:5"), "{report}");
    assert!(report.contains("error"), "{report}");
}

#[test]
fn the_typ_file_parses_and_imports_its_layout() {
    let loaded = load("constructs.md");
    let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx());
    assert!(
        typ.text
            .lines()
            .next()
            .unwrap()
            .starts_with("#import \"/layouts/leaflet.typ\": layout")
    );
    assert!(
        typst::syntax::parse(&typ.text)
            .errors_and_warnings()
            .0
            .is_empty()
    );
    assert!(
        typ.text
            .contains("date: datetime(year: 2026, month: 5, day: 1)")
    );
    assert!(
        typ.text
            .contains("authors: (\"First Collective\", \"Second Union\")")
    );
}

#[test]
fn photo_metadata_never_reaches_the_pdf() {
    // A real JPEG with an EXIF block naming a place and an owner.
    let jpeg = jpeg_with_exif(32, 24, b"GPSLatitude=51.5074N CameraOwner=Ada-Secret-Name");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("photo.jpg"), &jpeg).unwrap();
    std::fs::write(
        dir.path().join("s.md"),
        "---\ntitle: Photo\ndate: 2026-01-02\n---\n\n![A gradient](photo.jpg)\n",
    )
    .unwrap();
    let (loaded, compiled) = compile_in(dir.path(), "s.md");
    let (pdf, _) =
        pamphleteer::render::compile::pdf(&loaded, &compiled, &ctx_in(dir.path())).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/DCTDecode"), "the photo is embedded as a JPEG");
    assert!(
        !has(b"Ada-Secret-Name") && !has(b"GPSLatitude") && !has(b"Exif"),
        "EXIF leaked into the PDF"
    );
}

#[test]
fn page_numbers_show_only_on_leaflets_of_several_pages() {
    let (_, one) = compile("constructs.md").unwrap_or_else(|e| panic!("{e}"));
    assert!(!squeeze(&text_of(&one)).contains("1/1"));

    let dir = tempfile::tempdir().unwrap();
    let para = "The assembly met again and agreed, after a long and careful debate, that the \
                campaign would continue through the winter and into the spring. ";
    let mut md = String::from("---\ntitle: Long\nauthor: Org\ndate: 2026-02-03\n---\n\n");
    for i in 0..40 {
        md.push_str(&format!("## Part {i}\n\n{}\n\n", para.repeat(4)));
    }
    std::fs::write(dir.path().join("long.md"), md).unwrap();
    let (_, compiled) = compile_in(dir.path(), "long.md");
    let n = compiled.document.pages().len();
    assert!(n >= 3, "{n} pages");
    let text = squeeze(&text_of(&compiled));
    for page in 1..=n {
        assert!(
            text.contains(&format!("{page}/{n}")),
            "no folio {page} / {n}"
        );
    }
}

#[test]
fn the_booklet_has_a_cover_and_a5_pages_in_one_column() {
    let dir = tempfile::tempdir().unwrap();
    let para = "Every household in the valley pays for water it cannot be sure of, and the \
                company that sells it answers to shareholders rather than to us. ";
    let mut md = String::from(
        "---\ntitle: Valley Water\nsubtitle: Ours to keep\nauthor: Valley Water Forum\nplace: Dale\ndate: 2026-02-03\nlayout: booklet\n---\n\n",
    );
    for i in 0..6 {
        md.push_str(&format!("## Part {i}\n\n{}\n\n", para.repeat(3)));
    }
    std::fs::write(dir.path().join("valley.md"), md).unwrap();
    let (loaded, compiled) = compile_in(dir.path(), "valley.md");
    assert_eq!(loaded.settings.columns, 1);
    let pages = compiled.document.pages();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for page in pages {
        let size = page.frame.size();
        assert!((size.x.to_mm() - 148.0).abs() < 0.1 && (size.y.to_mm() - 210.0).abs() < 0.1);
    }
    // The cover holds the title, subtitle and signatories, and no text.
    let mut cover = String::new();
    common::frame_text_pub(&pages[0].frame, &mut cover);
    let cover = squeeze(&cover);
    assert!(
        cover.contains("ValleyWater") && cover.contains("Ourstokeep"),
        "{cover}"
    );
    assert!(!cover.contains("household"), "{cover}");
    let mut second = String::new();
    common::frame_text_pub(&pages[1].frame, &mut second);
    assert!(
        squeeze(&second).contains("Everyhouseholdinthevalley"),
        "{second}"
    );
    // Folios from page 2 on, none on the cover.
    assert!(
        cover.ends_with("Dale,3February2026"),
        "no folio on the cover: {cover}"
    );
    assert!(squeeze(&second).ends_with('2'), "{second}");
}
