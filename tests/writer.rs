//! The Typst writer: snapshots of the generated `.typ` for the fixtures, and
//! property tests that any Markdown gives Typst that parses without errors.

mod common;

use common::*;
use pamphleteer::build;
use proptest::prelude::*;

fn typ_of(name: &str) -> String {
    let loaded = load(name);
    build::typst_source(&loaded, &ctx()).unwrap().text
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
    let doc = pamphleteer::markdown::parse_body(std::path::Path::new("p.md"), md, 0)
        .expect("any Markdown reads");
    pamphleteer::typst::writer::write(&doc, "p.md", "leaflet", &Default::default()).text
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
