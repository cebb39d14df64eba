//! Print production: booklets imposed two-up in saddle-stitch order, press
//! PDFs with bleed and crop marks, and statements kept to their pages.
//!
//! Imposition is done by Typst itself: the reading PDF's pages are placed
//! on the sheets as PDF images in a second compilation, so the sheets keep
//! the text selectable and the fonts embedded.

use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use crate::model::document::Dir;
use crate::project::context::Context;
use crate::project::settings::Settings;
use crate::project::statement::{Loaded, source_name};
use crate::render::compile::{Compiled, Error, Input, compile, export, pdf_options};
use crate::write::typst::sheets::{SheetSide, sheets_source};

/// The sheet sides of a saddle-stitched booklet of `pages` pages, in the
/// order a duplex printer prints them (front, back, next sheet's front …,
/// flipped on the short edge), the outermost sheet first. The pages are
/// made up to a multiple of four with blank pages at the end, before the
/// back cover would be: never a blank first page. Bound on the right
/// (`rtl`), the halves swap.
pub fn saddle_stitch(pages: usize, rtl: bool) -> Vec<SheetSide> {
    let n = pages.div_ceil(4).max(1) * 4;
    let page = |p: usize| (p <= pages).then_some(p);
    let mut sides = Vec::with_capacity(n / 2);
    for s in 0..n / 4 {
        // Outside of the sheet: the last page of this fold and the first;
        // inside: the second and the second last.
        let front = [page(n - 2 * s), page(2 * s + 1)];
        let back = [page(2 * s + 2), page(n - 2 * s - 1)];
        for side in [front, back] {
            sides.push(if rtl { [side[1], side[0]] } else { side });
        }
    }
    sides
}

/// The paper two pages of `paper` go on side by side (landscape): the
/// next size up (A5 pages on A4, A6 on A5, ISO B5 on B4, half-letter on
/// letter, letter on tabloid); `None` for any other.
pub fn sheet_paper(paper: &str) -> Option<String> {
    let p = paper.to_ascii_lowercase();
    match p.as_str() {
        "us-statement" => return Some("us-letter".into()),
        "us-letter" => return Some("us-tabloid".into()),
        _ => {}
    }
    let (series, n) = p.split_at(p.find(|c: char| c.is_ascii_digit())?);
    let n: u32 = n.parse().ok()?;
    (matches!(series, "a" | "iso-b" | "iso-c") && (1..=10).contains(&n))
        .then(|| format!("{series}{}", n - 1))
}

/// A statement's reading PDF imposed two-up on sheets of the next paper
/// up (A5 pages on A4 landscape, A6 on A5, half-letter on letter),
/// compiled. `document` is the compiled statement the PDF was exported
/// from, `settings` what it was compiled with; the direction, title and
/// date are the statement's, the creep the project's.
pub fn sheets(
    reading: &[u8],
    document: &PagedDocument,
    loaded: &Loaded,
    settings: &Settings,
    ctx: &Context,
) -> Result<Compiled, Error> {
    let Some(first) = document.pages().first() else {
        return Err(Error::product(
            "the imposed sheets",
            "nothing to impose: no pages",
        ));
    };
    let meta = &loaded.doc.meta;
    let creep = ctx.config.outputs.creep;
    let size = first.frame.size();
    let sides = saddle_stitch(document.pages().len(), meta.dir == Dir::Rtl);
    // The innermost sheet moves furthest: never more than a few millimetres
    // (the inside margin is blank, and a page must not cross the fold).
    let most = creep.to_pt() * (sides.len() / 2).saturating_sub(1) as f64;
    if most > 5.0 * 72.0 / 25.4 {
        return Err(ctx
            .error_at(
                "outputs",
                "creep",
                format!(
                    "`creep = \"{creep}\"` moves the innermost of {} sheets {:.1} mm towards the fold",
                    sides.len() / 2,
                    most * 25.4 / 72.0
                ),
            )
            .hint("creep is about the paper's thickness, 0.1mm for 80 g/m² paper: set it under [outputs] in pamphleteer.toml")
            .into());
    }
    let sheet = sheet_paper(&settings.paper);
    let source = sheets_source(
        &sides,
        size.x.to_pt(),
        size.y.to_pt(),
        sheet.as_deref(),
        creep,
        meta.title.as_deref().unwrap_or_default(),
    );
    let mut input = Input::new(
        source,
        "imposed sheets (generated)".into(),
        meta.date.or(ctx.epoch_date),
    );
    input
        .files
        .push(("/.pamphleteer/pages.pdf".into(), reading.to_vec()));
    compile(input, ctx)
}

/// [`sheets`] as a PDF (no PDF/A or PDF/UA claim: sheets are for the
/// printer), and the number of sheet sides.
pub fn impose(
    reading: &[u8],
    document: &PagedDocument,
    loaded: &Loaded,
    settings: &Settings,
    ctx: &Context,
) -> Result<(Vec<u8>, usize), Error> {
    let sheets = sheets(reading, document, loaded, settings, ctx)?;
    let ident = format!(
        "pamphleteer/imposed/{}",
        source_name(&loaded.doc.path, &ctx.root)
    );
    let date = loaded.doc.meta.date.or(ctx.epoch_date);
    // Sheets are for the printer: no tags (a page image has no structure
    // to tag) and no claims.
    let options = typst_pdf::PdfOptions {
        tagged: false,
        ..pdf_options(ident, date, &[])?
    };
    let bytes = export(&sheets, &options)?;
    Ok((bytes, sheets.document.pages().len()))
}

/// Sets every page's BleedBox: its TrimBox grown by `bleed` points on each
/// side (Typst writes the TrimBox; the print shop wants both).
pub fn add_bleed_boxes(pdf: &[u8], bleed: f64) -> Result<Vec<u8>, String> {
    use lopdf::{Document, Object};
    let mut doc = Document::load_mem(pdf).map_err(|e| format!("the press PDF: {e}"))?;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for page in pages {
        let dict = doc.get_dictionary_mut(page).map_err(|e| e.to_string())?;
        let Ok(trim) = dict.get(b"TrimBox").and_then(Object::as_array) else {
            continue;
        };
        let v: Vec<f32> = trim.iter().filter_map(|o| o.as_float().ok()).collect();
        if let [x0, y0, x1, y1] = v[..] {
            let b = bleed as f32;
            dict.set(
                "BleedBox",
                vec![
                    Object::Real(x0 - b),
                    Object::Real(y0 - b),
                    Object::Real(x1 + b),
                    Object::Real(y1 + b),
                ],
            );
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("the press PDF: {e}"))?;
    Ok(out)
}

/// About how many lines of text are set after page `limit`: distinct
/// baselines, column by column, above the bottom margin (`bottom` points:
/// not the folios).
pub fn lines_over(document: &PagedDocument, limit: usize, bottom: f64, columns: u8) -> usize {
    let mut lines = 0;
    for page in document.pages().iter().skip(limit) {
        let width = page.frame.width().to_pt().max(1.0);
        let limit_y = page.frame.height().to_pt() - bottom;
        let mut seen = std::collections::HashSet::new();
        baselines(&page.frame, (0.0, 0.0), &mut |x, y| {
            if y <= limit_y {
                let column = (x / width * f64::from(columns.max(1))).floor() as i64;
                seen.insert((column, y.round() as i64));
            }
        });
        lines += seen.len();
    }
    lines
}

fn baselines(frame: &Frame, at: (f64, f64), found: &mut dyn FnMut(f64, f64)) {
    for (pos, item) in frame.items() {
        let (x, y) = (at.0 + pos.x.to_pt(), at.1 + pos.y.to_pt());
        match item {
            FrameItem::Group(g) => baselines(&g.frame, (x, y), found),
            FrameItem::Text(_) => found(x, y),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_the_next_paper_up() {
        assert_eq!(sheet_paper("a5").as_deref(), Some("a4"));
        assert_eq!(sheet_paper("A6").as_deref(), Some("a5"));
        assert_eq!(sheet_paper("iso-b5").as_deref(), Some("iso-b4"));
        assert_eq!(sheet_paper("us-statement").as_deref(), Some("us-letter"));
        assert_eq!(sheet_paper("a0"), None);
        assert_eq!(sheet_paper("presentation-16-9"), None);
        // Every sheet named is a paper Typst knows.
        for p in [
            "a5",
            "a6",
            "a10",
            "iso-b5",
            "iso-c5",
            "us-statement",
            "us-letter",
        ] {
            let s = sheet_paper(p).unwrap();
            assert!(s.parse::<typst::layout::Paper>().is_ok(), "{s}");
        }
    }

    #[test]
    fn saddle_stitch_order_for_eight_pages() {
        let s = |v: [usize; 2]| [Some(v[0]), Some(v[1])];
        assert_eq!(
            saddle_stitch(8, false),
            vec![s([8, 1]), s([2, 7]), s([6, 3]), s([4, 5])]
        );
        // Bound on the right: the halves swap.
        assert_eq!(saddle_stitch(8, true)[0], s([1, 8]));
    }

    #[test]
    fn blank_pages_make_up_the_sheets_at_the_end() {
        // Five pages: eight on two sheets, pages 6 to 8 blank.
        let sides = saddle_stitch(5, false);
        assert_eq!(sides.len(), 4);
        assert_eq!(sides[0], [None, Some(1)]);
        assert_eq!(sides[1], [Some(2), None]);
        assert_eq!(sides[2], [None, Some(3)]);
        assert_eq!(sides[3], [Some(4), Some(5)]);
        // One page: one sheet, page 1 on the front's right half.
        assert_eq!(saddle_stitch(1, false), vec![[None, Some(1)], [None, None]]);
        // Every page once, whatever the count.
        for n in 1..40 {
            let mut seen: Vec<usize> = saddle_stitch(n, false)
                .iter()
                .flatten()
                .flatten()
                .copied()
                .collect();
            seen.sort();
            assert_eq!(seen, (1..=n).collect::<Vec<_>>());
        }
    }
}
