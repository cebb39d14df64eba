//! Parallel editions: two editions of a statement side by side, each block
//! beside its counterpart. Alignment is read from the compiled document
//! (where each pair's marks and each heading landed), against a control
//! that sets the same blocks without pairing them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pamphleteer::model::structure::{align, shapes};
use pamphleteer::project::context::Context;
use pamphleteer::project::statement::{Loaded, load};
use pamphleteer::render::compile::{Compiled, Input, compile};
use pamphleteer::render::pairs;
use pamphleteer::write::typst::statement::Pieces;
use typst::foundations::{Label, NativeElement, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::model::HeadingElem;
use typst::utils::PicoStr;

use common::{ctx_in, project, run, stderr};

fn projects() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/projects")
}

fn loaded(ctx: &Context, rel: &str) -> Loaded {
    load(&ctx.root.join(rel), ctx).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The parallel edition of two editions (in the order given; the writer
/// puts a right-to-left one on the right), compiled.
fn parallel(project: &str, a: &str, b: &str) -> (Compiled, String) {
    let ctx = ctx_in(&projects().join(project));
    let (a, b) = (loaded(&ctx, a), loaded(&ctx, b));
    let (left, right) = pairs::sides(&a, &b);
    let typ = pairs::typst_source(left, right, &ctx);
    let compiled =
        pairs::compile(left, right, &typ, &ctx).unwrap_or_else(|e| panic!("{e}\n{}", typ.text));
    (compiled, typ.text)
}

/// Where something landed: page, x, y (points from the page's top left).
type At = (usize, f64, f64);

/// Each pair's marks, by the pair's id (`0`, `1`, ... for blocks, `n1`,
/// `n2`, ... for notes, `title`, `closing`): the left cell's place and
/// the right's.
fn marks(compiled: &Compiled) -> BTreeMap<String, [Option<At>; 2]> {
    let intro = compiled.document.introspector();
    let label = Label::new(PicoStr::intern("pamphleteer-pair")).unwrap();
    let mut out: BTreeMap<String, [Option<At>; 2]> = BTreeMap::new();
    for c in intro.query(&Selector::Label(label)).iter() {
        let m = c.to_packed::<MetadataElem>().unwrap();
        let Value::Array(a) = &m.value else {
            panic!("{:?}", m.value)
        };
        let side = a.at(0, None).unwrap().cast::<i64>().unwrap() as usize;
        let id = match a.at(1, None).unwrap() {
            Value::Int(k) => format!("{k:02}"),
            Value::Str(s) => s.to_string(),
            other => panic!("{other:?}"),
        };
        let pos = intro.position(c.location().unwrap()).unwrap();
        out.entry(id).or_default()[side] =
            Some((pos.page.get(), pos.point.x.to_pt(), pos.point.y.to_pt()));
    }
    out
}

/// Every heading's text and place, in the order laid out.
fn headings(compiled: &Compiled) -> Vec<(String, At)> {
    let intro = compiled.document.introspector();
    intro
        .query(&HeadingElem::ELEM.select())
        .iter()
        .map(|c| {
            let pos = intro.position(c.location().unwrap()).unwrap();
            (
                c.to_packed::<HeadingElem>()
                    .unwrap()
                    .body
                    .plain_text()
                    .to_string(),
                (pos.page.get(), pos.point.x.to_pt(), pos.point.y.to_pt()),
            )
        })
        .collect()
}

fn arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

#[test]
fn every_pair_and_every_heading_pair_starts_at_one_height() {
    let (compiled, typ) = parallel("parallel", "sources/affitti.it.md", "sources/affitti.en.md");
    assert!(
        compiled.document.pages().len() >= 2,
        "the fixture runs over a page"
    );
    let marks = marks(&compiled);
    // Every block of both editions is paired here: 11 blocks, 3 notes, the
    // title and the closing.
    let blocks = marks.keys().filter(|k| k.parse::<usize>().is_ok()).count();
    assert_eq!(blocks, 11, "{marks:?}");
    assert_eq!(marks.keys().filter(|k| k.starts_with('n')).count(), 3);
    let mut pages = std::collections::BTreeSet::new();
    for (id, [left, right]) in &marks {
        let (l, r) = (left.unwrap(), right.unwrap());
        assert_eq!(l.0, r.0, "pair {id}: pages {l:?} {r:?}");
        assert!((l.2 - r.2).abs() < 0.01, "pair {id}: {l:?} against {r:?}");
        assert!(
            r.1 > l.1 + 100.0,
            "pair {id}: the right cell is in the right column"
        );
        pages.insert(l.0);
    }
    assert!(pages.len() >= 2, "pairs on every page: {pages:?}");
    // The headings themselves, by their own places.
    let hs = headings(&compiled);
    let middle = compiled.document.pages()[0].frame.width().to_pt() / 2.0;
    let (left, right): (Vec<_>, Vec<_>) = hs.iter().partition(|(_, at)| at.1 < middle);
    assert_eq!(left.len(), 3, "{hs:?}");
    assert_eq!(left.len(), right.len(), "{hs:?}");
    for ((lt, l), (rt, r)) in left.iter().zip(&right) {
        assert_eq!(l.0, r.0, "{lt} / {rt}");
        assert!((l.2 - r.2).abs() < 0.01, "{lt} at {l:?}, {rt} at {r:?}");
    }
    assert!(
        left.iter().any(|(t, _)| t == "Che cosa chiediamo")
            && right.iter().any(|(t, _)| t == "What we demand"),
        "{hs:?}"
    );
    // (The source is readable: a pair a block, headings as `=`.)
    assert!(
        typ.contains("#pair(5, kind: \"heading\")[\n= Che cosa chiediamo\n][\n= What we demand\n]"),
        "{typ}"
    );
}

/// The control: the same blocks, with the same marks, set one edition
/// after the other in two columns (as a two-column leaflet would set
/// them), do not line up. What aligns them is the pairing.
#[test]
fn without_pairing_the_same_blocks_do_not_line_up() {
    let dir = projects().join("parallel");
    let ctx = ctx_in(&dir);
    let docs = [
        loaded(&ctx, "sources/affitti.it.md"),
        loaded(&ctx, "sources/affitti.en.md"),
    ];
    let only = |d: &Loaded| shapes(&d.doc).into_iter().map(|s| s.0).collect::<Vec<_>>();
    let pairs = align(&only(&docs[0]), &only(&docs[1]));
    let mut text = String::from(
        "#set page(paper: \"a4\", margin: (top: 20mm, bottom: 18mm, x: 15mm), columns: 2)\n\
         #set columns(gutter: 8mm)\n\
         #set text(font: \"Noto Serif\", size: 10pt)\n\
         #set par(justify: true, spacing: 6.5pt, leading: 3pt)\n\
         #let note-mark(n, target) = super(str(n))\n\n",
    );
    for (side, loaded) in docs.iter().enumerate() {
        let mut pieces = Pieces::new(&loaded.doc, ["a-", "b-"][side]);
        for (k, pair) in pairs.iter().enumerate() {
            if let Some(i) = [pair.0, pair.1][side] {
                text.push_str(&format!(
                    "#metadata(({side}, {k}))<pamphleteer-pair>\n{}\n\n",
                    pieces.block(i).text
                ));
            }
        }
        if side == 0 {
            text.push_str("#colbreak()\n\n");
        }
    }
    let compiled = compile(Input::new(text, "control.typ".into(), None), &ctx)
        .unwrap_or_else(|e| panic!("{e}"));
    let marks = marks(&compiled);
    let apart: Vec<&String> = marks
        .iter()
        .filter(|(_, [l, r])| {
            let (l, r) = (l.unwrap(), r.unwrap());
            l.0 != r.0 || (l.2 - r.2).abs() >= 0.01
        })
        .map(|(id, _)| id)
        .collect();
    assert!(
        apart.len() >= marks.len() / 2,
        "most pairs should be apart without pairing: {marks:?}"
    );
}

#[test]
fn a_right_to_left_edition_sits_on_the_right_and_notes_pair_up() {
    // Arabic named first: it goes on the right all the same.
    let (compiled, typ) = parallel(
        "translations",
        "sources/sciopero.ar.md",
        "sources/sciopero.it.md",
    );
    let hs = headings(&compiled);
    let ar = hs
        .iter()
        .find(|(t, _)| arabic(t))
        .expect("an Arabic heading");
    let it = hs.iter().find(|(t, _)| t == "Cosa chiediamo").unwrap();
    assert!(ar.1.1 > it.1.1 + 100.0, "{hs:?}");
    assert!((ar.1.2 - it.1.2).abs() < 0.01, "{hs:?}");
    // The Italian edition's source comes first: the left column's.
    let left = typ.find("left: (").unwrap();
    assert!(typ[left..].find("lang: \"it\"") < typ[left..].find("lang: \"ar\""));
    let marks = marks(&compiled);
    let n1 = marks.get("n1").expect("the notes are a pair");
    let (l, r) = (n1[0].unwrap(), n1[1].unwrap());
    assert_eq!(l.0, r.0);
    assert!((l.2 - r.2).abs() < 0.01, "{l:?} {r:?}");
    // The note follows the paragraph that refers to it, before the heading.
    let first = marks.get("00").unwrap()[0].unwrap();
    let heading = marks.get("01").unwrap()[0].unwrap();
    assert!(first.2 < l.2 && l.2 < heading.2, "{marks:?}");
    // Each note keeps its edition's number and is linked from its mark.
    assert!(typ.contains("#note-mark(1, <a-fn-1>)") && typ.contains("#note-mark(1, <b-fn-1>)"));
    assert!(typ.contains("]<a-fn-1>") && typ.contains("]<b-fn-1>"));
}

#[test]
fn blocks_without_a_counterpart_get_an_empty_cell() {
    let (compiled, typ) = parallel(
        "translations",
        "sources/sciopero.it.md",
        "sources/sciopero.ar.md",
    );
    // The Arabic edition ends a paragraph early: the Italian's last
    // paragraph is alone on its row.
    assert!(typ.contains("alle sei.\n][]"), "{typ}");
    let marks = marks(&compiled);
    let last = marks.get("04").expect("five block pairs");
    assert!(last[0].is_some() && last[1].is_none(), "{marks:?}");
}

#[test]
fn when_both_run_right_to_left_the_original_is_on_the_right() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("x.ar.md", "---\ntitle: نص\n---\nنص.\n");
    write("x.fa.md", "---\ntitle: متن\ntranslator: م\n---\nمتن.\n");
    let ctx = ctx_in(dir.path());
    let ar = load(&dir.path().join("x.ar.md"), &ctx).unwrap();
    let fa = load(&dir.path().join("x.fa.md"), &ctx).unwrap();
    for (a, b) in [(&ar, &fa), (&fa, &ar)] {
        let (left, right) = pairs::sides(a, b);
        assert_eq!(left.doc.meta.lang, "fa");
        assert_eq!(right.doc.meta.lang, "ar");
    }
    // Left to right, the order given.
    let ctx = ctx_in(&projects().join("translations"));
    let it = loaded(&ctx, "sources/sciopero.it.md");
    let (l, r) = pairs::sides(&it, &ar);
    assert_eq!(
        (l.doc.meta.lang.as_str(), r.doc.meta.lang.as_str()),
        ("it", "ar")
    );
}

#[test]
fn the_command_writes_a_pdf_of_both_languages_the_same_every_time() {
    let p = project("parallel");
    let args = [
        "parallel",
        "sources/affitti.it.md",
        "sources/affitti.en.md",
        "-o",
        "both.pdf",
    ];
    let o = run(p.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wrote both.pdf (2 pages)"),
        "{}",
        stderr(&o)
    );
    let pdf = std::fs::read(p.path().join("both.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", "both.pdf", "-"])
        .current_dir(p.path())
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&text.stdout);
    for s in [
        "La casa non è",
        "A home is not",
        "Che cosa chiediamo",
        "What we demand",
        "ITALIANO",
        "ENGLISH",
        "Nessuno sfratto senza casa",
        "No eviction without a home",
    ] {
        assert!(text.contains(s), "{s} in:\n{text}");
    }
    // Same input, same bytes.
    let o = run(p.path(), &args);
    assert!(o.status.success());
    assert_eq!(std::fs::read(p.path().join("both.pdf")).unwrap(), pdf);
    // Without -o: NAME.A-B.pdf in the project's out/; `.typ`: the source.
    let o = run(p.path(), &args[..3]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(p.path().join("out/affitti.it-en.pdf")).unwrap(),
        pdf
    );
    let o = run(
        p.path(),
        &[
            "parallel",
            "sources/affitti.it.md",
            "sources/affitti.en.md",
            "-o",
            "x.typ",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        p.read("x.typ")
            .starts_with("#import \"/layouts/parallel.typ\"")
    );
}

#[test]
fn the_command_says_what_is_wrong_and_where() {
    let p = project("parallel");
    std::fs::write(
        p.path().join("sources/copia.md"),
        "---\ntitle: Copia\nlang: it\n---\nTesto.\n",
    )
    .unwrap();
    let o = run(
        p.path(),
        &["parallel", "sources/affitti.it.md", "sources/copia.md"],
    );
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("copia.md:3"), "{e}");
    assert!(e.contains("both in Italiano"), "{e}");
    assert!(e.contains("hint:"), "{e}");
    let o = run(
        p.path(),
        &["parallel", "sources/affitti.it.md", "sources/affitti.de.md"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("there is no statement sources/affitti.de.md"),
        "{e}"
    );
    assert!(e.contains("did you mean"), "{e}");
    let o = run(
        p.path(),
        &["parallel", "sources/affitti.it.md", "sources/affitti.it.md"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("named twice"), "{}", stderr(&o));
}
