//! The Typst writer: snapshots of the generated `.typ` for the fixtures, and
//! property tests that any Markdown gives Typst that parses without errors.

mod common;

use common::*;
use proptest::prelude::*;

fn typ_of(name: &str) -> String {
    let loaded = load(name);
    pamphleteer::render::statement::typst_source(&loaded, &ctx()).text
}

#[test]
fn snapshot_constructs() {
    insta::assert_snapshot!("constructs.typ", typ_of("constructs.md"));
}

#[test]
fn snapshot_nasty() {
    insta::assert_snapshot!("nasty.typ", typ_of("nasty.md"));
}

/// Typst source for arbitrary Markdown, written without touching the disk.
fn typ_for_markdown(md: &str) -> String {
    let doc = pamphleteer::read::markdown::parse_body(std::path::Path::new("p.md"), md, 0)
        .expect("any Markdown reads");
    pamphleteer::write::typst::statement::write(&doc, "p.md", "leaflet", &Default::default()).text
}

fn assert_parses(md: &str) -> Result<(), TestCaseError> {
    let typ = typ_for_markdown(md);
    let root = typst::syntax::parse(&typ);
    let errors = root.errors_and_warnings().0;
    prop_assert!(
        errors.is_empty(),
        "{:?}\nMarkdown:\n{md}\nTypst:\n{typ}",
        errors.first().map(|e| &e.message)
    );
    Ok(())
}

/// Pieces of Markdown syntax, glued together at random.
fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-=+/.:*_#$@<>`\\\\\\[\\]~'\"!()|^ a1hps\n]{0,12}",
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("3) ".to_string()),
        Just("- [ ] ".to_string()),
        Just("- [x] ".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("    ".to_string()),
        Just("[^1]".to_string()),
        Just("\n[^1]: ".to_string()),
        Just("[link](http://x.org/a_(b))".to_string()),
        Just("<http://example.org>".to_string()),
        Just("![alt](img/square.png)".to_string()),
        Just("<b>".to_string()),
        Just("\\\n".to_string()),
        Just("| a | b |\n|---|--:|\n| 1 | 2 |\n".to_string()),
        Just("---\n".to_string()),
        Just("&amp;".to_string()),
        Just("#sys.inputs".to_string()),
        Just("$x$".to_string()),
        Just("//".to_string()),
        Just("/*".to_string()),
        Just("= ".to_string()),
        Just("...".to_string()),
        Just("-5".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_gives_typst_that_parses(pieces in prop::collection::vec(markdown_piece(), 0..40)) {
        assert_parses(&pieces.concat())?;
    }

    #[test]
    fn any_text_gives_typst_that_parses(s in "\\PC{0,200}") {
        assert_parses(&s)?;
    }
}

#[test]
fn known_hard_cases_parse() {
    for md in [
        "**a**.b",
        "*a*(b)",
        "`x`(y)",
        "[a](b).c",
        "a[^1].x\n\n[^1]: n",
        "- a\n\n  b\n- c",
        "> - a\n> - b",
        "1. a\n   > q",
        "x\\\n- y",
        "# a *b*\nc",
        "a  \n= b",
        "| a |\n|---|\n| - x |",
        "Setext\n===",
        "\\\\",
        "\\",
    ] {
        assert_parses(md).unwrap();
    }
}

/// Markdown that once broke the writer, compiled and exported for real
/// (with both PDF standards claimed, so PDF/UA's checks run too).
#[test]
fn regressions_compile_and_export() {
    let cases = [
        // A deeper heading before a shallower one, in a quote: no underflow.
        ("heading-in-quote", "### Top\n\n> # Quoted\n\nText.\n"),
        ("heading-in-list", "## Top\n\n- # In list\n"),
        // Skipped levels are closed up.
        ("skipped-levels", "# A\n\n### C\n\nText.\n"),
        // A footnote first used at the end of a heading, then again.
        (
            "footnote-in-heading",
            "# Heading[^a]\n\nBody[^a].\n\n[^a]: N.\n",
        ),
        // A footnote in alt text is not its first use.
        (
            "footnote-in-alt",
            "See ![map[^a]](img/square.png) and later[^a].\n\n[^a]: N.\n",
        ),
        ("numbered-tasks", "1. [ ] a\n2. [x] b\n"),
        ("task-in-footnote", "Text[^t].\n\n[^t]: - [ ] a task\n"),
        ("empty-link", "[x]() and [y]( )\n"),
        (
            "line-separators",
            "Para\u{2028}= heading?\u{2028}- item? x a\u{2028}/ term\n",
        ),
        (
            "setext-html",
            "Title <span\nclass=\"x\"> - two\n===\n\nText.\n",
        ),
        ("crlf", "---\r\ntitle: CRLF\r\n---\r\n\r\nText\r\nmore.\r\n"),
    ];
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::copy(
        fixtures().join("img/square.png"),
        dir.path().join("img/square.png"),
    )
    .unwrap();
    let ctx = ctx_in(dir.path());
    for (name, md) in cases {
        let with_meta = if md.starts_with("---") {
            md.to_string()
        } else {
            format!("---\ntitle: {name}\ndate: 2026-01-01\n---\n\n{md}")
        };
        let path = dir.path().join(format!("{name}.md"));
        std::fs::write(&path, with_meta).unwrap();
        let loaded = pamphleteer::project::statement::load(&path, &ctx)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx);
        let compiled = pamphleteer::render::statement::compile(&loaded, &typ, &ctx)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", typ.text));
        pamphleteer::render::compile::pdf(&loaded, &compiled, &ctx)
            .unwrap_or_else(|e| panic!("{name}: {e}\n{}", typ.text));
    }
}

#[test]
fn headings_start_at_level_one_and_never_skip() {
    let typ = typ_for_markdown("### Top\n\n#### Sub\n\n###### Deep\n\n### Next\n");
    let levels: Vec<usize> = typ
        .lines()
        .filter(|l| l.starts_with('='))
        .map(|l| l.chars().take_while(|c| *c == '=').count())
        .collect();
    assert_eq!(levels, [1, 2, 3, 1]);
}

#[test]
fn errors_map_to_the_markdown_line_inside_paragraphs_and_footnotes() {
    let md = "Line one\nline two #x\nline three.[^n]\n\n[^n]: Note one.\n\n    Note two.\n";
    let doc =
        pamphleteer::read::markdown::parse_body(std::path::Path::new("p.md"), md, 10).unwrap();
    let typ =
        pamphleteer::write::typst::statement::write(&doc, "p.md", "leaflet", &Default::default());
    let at = |needle: &str| typ.md_line_at(typ.text.find(needle).unwrap());
    assert_eq!(at("line two"), Some(12));
    assert_eq!(at("line three"), Some(13));
    assert_eq!(at("Note one"), Some(15));
    assert_eq!(at("Note two"), Some(17));
    assert_eq!(at("#import"), None);
}

/// Every other source pamphleteer generates parses too, for arbitrary
/// text wherever the user's text goes: the book (whole, its front matter
/// with stand-ins, a run of its statements), the imposed sheets and the
/// e-book cover.
mod generated {
    use std::path::{Path, PathBuf};

    use pamphleteer::model::document::{Date, Document, Meta};
    use pamphleteer::model::units::Length;
    use pamphleteer::project::book::{BookEntry, BookPlan};
    use pamphleteer::project::settings::Settings;
    use pamphleteer::project::statement::Loaded;
    use pamphleteer::write::typst::book::{Slice, typst_slice};
    use proptest::prelude::*;

    fn assert_parses(what: &str, typ: &str) -> Result<(), TestCaseError> {
        let root = typst::syntax::parse(typ);
        let errors = root.errors_and_warnings().0;
        prop_assert!(
            errors.is_empty(),
            "{what}: {:?}\nTypst:\n{typ}",
            errors.first().map(|e| &e.message)
        );
        Ok(())
    }

    fn meta(text: &str, lang: &str) -> Meta {
        Meta {
            title: Some(text.to_string()),
            subtitle: Some(format!("{text}\n{text}")),
            authors: vec![text.to_string(), "B".into()],
            date: Some(Date {
                year: 2026,
                month: 5,
                day: 1,
            }),
            place: Some(text.to_string()),
            lang: lang.to_string(),
            description: Some(text.to_string()),
            keywords: vec![text.to_string()],
            publisher: Some(text.to_string()),
            slogans: vec![text.to_string()],
            url: Some(text.to_string()),
            rights: Some(text.to_string()),
            ..Meta::default()
        }
    }

    fn statement(md: &str, text: &str, lang: &str) -> Loaded {
        let mut doc = pamphleteer::read::markdown::parse_body(Path::new("s.md"), md, 0)
            .expect("any Markdown reads");
        doc.meta = meta(text, lang);
        Loaded {
            doc,
            warnings: Vec::new(),
            images_without_alt: Vec::new(),
            images: Vec::new(),
            notes: Vec::new(),
            layout: "leaflet".into(),
            settings: Settings::default(),
            text: std::sync::Arc::from(md),
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[-=+/.:*_#$@<>`\\\\\\[\\]~'\"!()|^{}; a1\n]{0,16}",
            "\\PC{0,40}",
        ]
    }

    fn markdown() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[-=+/.:*_#$@<>`\\\\\\[\\]~'\"!()|^ a1\n]{0,12}",
                Just("\n\n".to_string()),
                Just("# ".to_string()),
                Just("> ".to_string()),
                Just("- ".to_string()),
                Just("[^1]\n\n[^1]: ".to_string()),
            ],
            0..12,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn the_book_and_its_parts_parse(
            title in text(),
            heading in text(),
            bodies in prop::collection::vec((markdown(), text()), 1..4),
            lang in prop_oneof![Just("en"), Just("ar"), Just("de-CH")],
        ) {
            let config = pamphleteer::project::config::parse(
                Path::new("pamphleteer.toml"),
                "[anthology]\ntitle = \"Book\"\n",
            )
            .expect("the section reads");
            let section = config.anthology.expect("an anthology");
            let statements: Vec<Loaded> =
                bodies.iter().map(|(md, t)| statement(md, t, lang)).collect();
            let preface = statement("A preface with `code` and #hash.", &title, lang);
            let entries: Vec<BookEntry> = statements
                .iter()
                .enumerate()
                .map(|(k, loaded)| BookEntry { loaded, source: format!("sources/{k}{title}.md"), translation: false })
                .collect();
            let n = entries.len();
            let plan = BookPlan {
                section: &section,
                slug: "book".into(),
                book: Document {
                    path: PathBuf::from("pamphleteer.toml"),
                    meta: meta(&title, lang),
                    blocks: Vec::new(),
                    footnotes: Vec::new(),
                    warnings: Vec::new(),
                    anchors: Vec::new(),
                },
                preface: Some(preface),
                groups: vec![(Some(heading.clone()), entries)],
                layout: "book".into(),
                settings: Settings::default(),
                warnings: Default::default(),
            };
            let pages: Vec<usize> = (0..=n).map(|k| 7 + 4 * k).collect();
            for (what, slice) in [
                ("the whole book", Slice::Whole),
                ("the front matter, pages unknown", Slice::Front(None)),
                ("the front matter", Slice::Front(Some(&pages))),
                ("a run of statements", Slice::Items { range: 1..n + 1, first: 9 }),
                ("the part heading's run", Slice::Items { range: 0..1, first: 5 }),
            ] {
                assert_parses(what, &typst_slice(&plan, &slice).text)?;
            }
        }

        #[test]
        fn sheets_and_covers_parse(
            title in text(),
            pages in 1usize..20,
            paper in prop_oneof![Just(None), Just(Some("a4")), Just(Some("us-letter"))],
            lang in prop_oneof![Just("en"), Just("he")],
        ) {
            let sides = pamphleteer::render::print::saddle_stitch(pages, lang == "he");
            let sheets = pamphleteer::write::typst::sheets::sheets_source(
                &sides,
                419.53,
                595.28,
                paper,
                Length::mm(0.1),
                &title,
            );
            assert_parses("the imposed sheets", &sheets)?;
            let cover = pamphleteer::write::typst::statement::cover_source(
                &meta(&title, lang),
                &format!("sources/{title}.md"),
                &Settings::default(),
            );
            assert_parses("the cover", &cover)?;
        }
    }
}
