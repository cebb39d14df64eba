//! Print production: imposed booklets, press PDFs, statements kept to their
//! pages. The fixture projects are `tests/projects/print` (a six-page
//! booklet, `impose` and `press` on, 0.2 mm creep) and
//! `tests/projects/overflow` (`pages = 1`, `shrink = 1`).

mod common;

use std::path::{Path, PathBuf};

use common::{project, run, run_with, stderr};
use lopdf::Document;
use pamphleteer::project::Project;
use pamphleteer::render::compile::Error as Failure;
use typst::layout::{Frame, FrameItem};
use typst::visualize::ImageKind;

const MM: f64 = 72.0 / 25.4;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/projects")
        .join(name)
}

/// Each image on a sheet side: its left edge and the page of the booklet
/// it shows (from 1).
fn placed(frame: &Frame, x: f64, out: &mut Vec<(f64, usize, f64, f64)>) {
    for (pos, item) in frame.items() {
        let x = x + pos.x.to_pt();
        match item {
            FrameItem::Group(g) => placed(&g.frame, x, out),
            FrameItem::Image(image, size, _) => {
                if let ImageKind::Pdf(pdf) = image.kind() {
                    out.push((x, pdf.page_index() + 1, size.x.to_pt(), size.y.to_pt()));
                }
            }
            _ => {}
        }
    }
}

/// The booklet compiled in-process, its reading PDF, and its sheets.
fn booklet_sheets() -> (typst_layout::PagedDocument, typst_layout::PagedDocument) {
    let project = Project::open(&fixture("print")).unwrap();
    let ctx = pamphleteer::project::context::context_for(&project, false);
    let loaded =
        pamphleteer::project::statement::load(&fixture("print/sources/assembly.md"), &ctx).unwrap();
    let fitted = pamphleteer::render::statement::fit(&loaded, &ctx).unwrap();
    let (reading, _) = pamphleteer::render::compile::pdf(&loaded, &fitted.compiled, &ctx).unwrap();
    let sheets = pamphleteer::render::print::sheets(
        &reading,
        &fitted.compiled.document,
        &loaded,
        &fitted.settings,
        &ctx,
    )
    .unwrap_or_else(|f: Failure| panic!("{f}"));
    (fitted.compiled.document, sheets.document)
}

#[test]
fn imposed_sheets_put_each_page_where_saddle_stitching_needs_it() {
    let (booklet, sheets) = booklet_sheets();
    assert_eq!(
        booklet.pages().len(),
        6,
        "the fixture is a six-page booklet"
    );
    let page = booklet.pages()[0].frame.size();
    let (w, h) = (page.x.to_pt(), page.y.to_pt());
    assert!(
        (w - 148.0 * MM).abs() < 0.1 && (h - 210.0 * MM).abs() < 0.1,
        "A5 pages"
    );

    // Six pages make two sheets of eight (two blank pages at the end):
    // four sides of A4 landscape, in the order a duplex printer prints them.
    assert_eq!(sheets.pages().len(), 4);
    for side in sheets.pages() {
        let size = side.frame.size();
        assert!(
            (size.x.to_pt() - 297.0 * MM).abs() < 0.01
                && (size.y.to_pt() - 210.0 * MM).abs() < 0.01
        );
    }
    // The fold down the middle of the sheet.
    let fold = 297.0 * MM / 2.0;
    let creep = 0.2 * MM;
    let sides: Vec<Vec<(f64, usize, f64, f64)>> = sheets
        .pages()
        .iter()
        .map(|p| {
            let mut v = Vec::new();
            placed(&p.frame, 0.0, &mut v);
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            v
        })
        .collect();
    // (left edge, page): the outer sheet's front holds the back cover
    // (blank: page 8) and the cover; its back pages 2 and 7 (blank); the
    // inner sheet, moved 0.2 mm towards the fold, 6 and 3, then 4 and 5.
    let (left, right) = (fold - w, fold);
    let expected: [&[(f64, usize)]; 4] = [
        &[(right, 1)],
        &[(left, 2)],
        &[(left + creep, 6), (right - creep, 3)],
        &[(left + creep, 4), (right - creep, 5)],
    ];
    for (k, (got, want)) in sides.iter().zip(expected).enumerate() {
        let got: Vec<(f64, usize)> = got.iter().map(|(x, p, _, _)| (*x, *p)).collect();
        assert_eq!(got.len(), want.len(), "side {}: {got:?}", k + 1);
        for ((gx, gp), (wx, wp)) in got.iter().zip(want) {
            assert_eq!(gp, wp, "side {}: {got:?}", k + 1);
            assert!((gx - wx).abs() < 0.01, "side {}: {got:?}", k + 1);
        }
    }
    // Every page at its own size.
    for (_, _, iw, ih) in sides.iter().flatten() {
        assert!((iw - w).abs() < 0.01 && (ih - h).abs() < 0.01);
    }
}

/// The inner sheet's front, rendered small, against a reference image made
/// and checked by eye (`tests/reference/imposed-side-3.png`). A difference
/// writes what was rendered beside it as `.new.png` for review.
#[test]
fn an_imposed_sheet_looks_like_its_reference() {
    let (_, sheets) = booklet_sheets();
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(0.25),
        render_bleed: false,
    };
    let pixmap = typst_render::render(&sheets.pages()[2], &options);
    let png = pixmap.encode_png().unwrap();
    let got = image::load_from_memory(&png).unwrap().to_luma8();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let reference = dir.join("imposed-side-3.png");
    let write_new = || {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("imposed-side-3.new.png"), &png).unwrap();
    };
    let Ok(want) = image::open(&reference) else {
        write_new();
        panic!("no reference image: look at tests/reference/imposed-side-3.new.png and rename it");
    };
    let want = want.to_luma8();
    assert_eq!(got.dimensions(), want.dimensions());
    let differing = got
        .pixels()
        .zip(want.pixels())
        .filter(|(a, b)| a.0[0].abs_diff(b.0[0]) > 24)
        .count();
    let total = (got.width() * got.height()) as usize;
    if differing * 200 > total {
        write_new();
        panic!(
            "{differing} of {total} pixels differ from the reference: see tests/reference/imposed-side-3.new.png"
        );
    }
}

fn boxes(doc: &Document, page: lopdf::ObjectId, name: &[u8]) -> Option<[f64; 4]> {
    let a = doc
        .get_dictionary(page)
        .ok()?
        .get(name)
        .ok()?
        .as_array()
        .ok()?
        .clone();
    let v: Vec<f64> = a.iter().map(|o| o.as_float().unwrap() as f64).collect();
    Some([v[0], v[1], v[2], v[3]])
}

#[test]
fn a_build_writes_the_reading_pdf_the_imposed_sheets_and_the_press_pdf() {
    let p = project("print");
    let root = p.path().to_path_buf();
    let o = run(&root, &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("1 imposed (") && err.contains("1 press PDF ("),
        "{err}"
    );
    let read = |name: &str| std::fs::read(root.join("out").join(name)).unwrap();
    let has = |pdf: &[u8], needle: &str| pdf.windows(needle.len()).any(|w| w == needle.as_bytes());

    // The press PDF: every page the trimmed A5 page plus 3 mm of bleed and
    // 8 mm for the crop marks; TrimBox and BleedBox; PDF/A-2b but not
    // PDF/UA (it is for the press).
    let press = read("assembly.press.pdf");
    let doc = Document::load_mem(&press).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), 6);
    for page in pages {
        let media = boxes(&doc, page, b"MediaBox").unwrap();
        let trim = boxes(&doc, page, b"TrimBox").expect("a TrimBox");
        let bleed = boxes(&doc, page, b"BleedBox").expect("a BleedBox");
        let out = 11.0 * MM;
        assert!((trim[0] - media[0] - out).abs() < 0.05 && (media[3] - trim[3] - out).abs() < 0.05);
        assert!((trim[2] - trim[0] - 148.0 * MM).abs() < 0.1, "{trim:?}");
        for (b, t, sign) in [
            (bleed[0], trim[0], -1.0),
            (bleed[1], trim[1], -1.0),
            (bleed[2], trim[2], 1.0),
            (bleed[3], trim[3], 1.0),
        ] {
            assert!(
                (b - (t + sign * 3.0 * MM)).abs() < 0.05,
                "{bleed:?} {trim:?}"
            );
        }
    }
    assert!(has(&press, "<pdfaid:part>2</pdfaid:part>"));
    assert!(!has(&press, "pdfuaid:part"));

    // The reading PDF keeps no marks and its claims.
    let reading = read("assembly.pdf");
    let doc = Document::load_mem(&reading).unwrap();
    for page in doc.get_pages().into_values() {
        assert!(
            boxes(&doc, page, b"TrimBox").is_none() && boxes(&doc, page, b"BleedBox").is_none()
        );
    }
    assert!(has(&reading, "<pdfuaid:part>1</pdfuaid:part>"));

    // The sheets: four sides of A4 landscape, the fonts embedded.
    let imposed = read("assembly.imposed.pdf");
    let doc = Document::load_mem(&imposed).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), 4);
    let media = boxes(&doc, pages[0], b"MediaBox").unwrap();
    assert!((media[2] - 297.0 * MM).abs() < 0.1 && (media[3] - 210.0 * MM).abs() < 0.1);
    let embedded = doc.objects.values().any(|o| {
        o.as_dict()
            .is_ok_and(|d| d.has(b"FontFile2") || d.has(b"FontFile3") || d.has(b"FontFile"))
    });
    assert!(embedded, "the sheets embed their fonts");

    // Built again, the same bytes.
    let o = run(&root, &["build"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(read("assembly.imposed.pdf"), imposed);
    assert_eq!(read("assembly.press.pdf"), press);
}

#[test]
fn pdf_takes_impose_and_press_and_refuses_them_elsewhere() {
    let p = project("overflow");
    let root = p.path().to_path_buf();
    // (The overflow project has neither under [outputs].)
    // A leaflet is printed flat: not imposed, and told so.
    let o = run(&root, &["pdf", "sources/nearly.md", "--impose"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: not imposed: a leaflet is printed flat"),
        "{err}"
    );
    assert!(!root.join("out/nearly.imposed.pdf").exists());
    let o = run(
        &root,
        &[
            "pdf",
            "sources/nearly.md",
            "--layout",
            "booklet",
            "--impose",
            "--press",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    for name in ["nearly.pdf", "nearly.imposed.pdf", "nearly.press.pdf"] {
        assert!(root.join("out").join(name).is_file(), "{name}: {err}");
    }
    assert!(
        err.contains("out/nearly.imposed.pdf (2 sheet sides,"),
        "{err}"
    );
    let o = run(&root, &["typst", "sources/nearly.md", "--impose"]);
    // (`typst` has no such flag.)
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--impose"), "{}", stderr(&o));
    let o = run(&root, &["pdf", "sources/nearly.md", "--press", "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));

    // Two statements that would write one file: refused before anything is built.
    std::fs::copy(
        root.join("sources/nearly.md"),
        root.join("sources/nearly.press.md"),
    )
    .unwrap();
    std::fs::write(
        root.join("pamphleteer.toml"),
        std::fs::read_to_string(root.join("pamphleteer.toml"))
            .unwrap()
            .replace("typst = false\n", "typst = false\npress = true\n"),
    )
    .unwrap();
    let o = run(&root, &["build"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("would both be written to out/nearly.press.pdf"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_statement_over_its_pages_shrinks_within_bounds_or_is_reported() {
    let p = project("overflow");
    let root = p.path().to_path_buf();
    let o = run(&root, &["build"]);
    let err = stderr(&o);
    // Warnings, not failures.
    assert_eq!(o.status.code(), Some(0), "{err}");
    // Slightly over: fitted to its one page within the point `shrink`
    // allows.
    let size = |e: &str, name: &str| -> f64 {
        let key = format!("sources/{name}.md: note: fitted to 1 page at ");
        let at = e.find(&key).unwrap_or_else(|| panic!("{e}")) + key.len();
        e[at..].split(' ').next().unwrap().parse().unwrap()
    };
    let fitted = size(&err, "nearly");
    assert!((9.0..10.0).contains(&fitted), "{err}");
    let nearly = Document::load_mem(&std::fs::read(root.join("out/nearly.pdf")).unwrap()).unwrap();
    assert_eq!(nearly.get_pages().len(), 1);
    // Far over: reported with how much, at the setting's line, at the
    // smallest size `shrink` allows.
    assert!(
        err.contains("sources/far-over.md: warning: runs to 2 pages, more than `pages = 1` (pamphleteer.toml:6) allows, even at 9 pt: about"),
        "{err}"
    );
    assert!(err.contains("hint: shorten the text by about"), "{err}");

    // Without fitting, the statement that nearly fits is reported too.
    let toml = std::fs::read_to_string(root.join("pamphleteer.toml")).unwrap();
    std::fs::write(
        root.join("pamphleteer.toml"),
        toml.replace("shrink = 1\n", "fit = false\n"),
    )
    .unwrap();
    let o = run_with(&root, &["build"], &[]);
    let err = stderr(&o);
    assert!(!err.contains("fitted"), "{err}");
    assert!(
        err.contains("sources/nearly.md: warning: runs to 2 pages"),
        "{err}"
    );
    assert!(
        err.contains("let the type shrink to fit: `shrink = 1` under [layout]"),
        "{err}"
    );
    let over = |e: &str| {
        let at = e.find("sources/nearly.md: warning").unwrap();
        let tail = &e[at..];
        let n: String = tail[tail.find("about ").unwrap() + 6..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        n.parse::<usize>().unwrap()
    };
    assert!((1..20).contains(&over(&err)), "a few lines over: {err}");
    // And with `shrink` back, unfitted, a quarter point at a time.
    std::fs::write(
        root.join("pamphleteer.toml"),
        toml.replace("shrink = 1\n", "shrink = 1\nfit = false\n"),
    )
    .unwrap();
    let err = stderr(&run_with(&root, &["build"], &[]));
    assert!(
        err.contains("sources/nearly.md: note: set at 9.75pt on 12.675pt instead of 10pt on 13pt to keep to 1 page (pamphleteer.toml:6)"),
        "{err}"
    );
    // Without `shrink`, fitting may go down to 9 pt and open up to 11.
    std::fs::write(
        root.join("pamphleteer.toml"),
        toml.replace("shrink = 1\n", ""),
    )
    .unwrap();
    let err = stderr(&run_with(&root, &["build"], &[]));
    assert!((9.0..10.0).contains(&size(&err, "nearly")), "{err}");
}
