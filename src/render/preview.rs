//! What `pamphleteer preview` shows of a statement, made in memory: its
//! leaflet pages as SVG, drawn from the same fitted compile the PDF is
//! exported from; where on each page the text of each Markdown line was
//! set (for clicking a page to its source); and its e-book text, the XHTML
//! the EPUB holds with its stylesheet.

use std::collections::HashMap;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::syntax::Span;

use crate::project::context::Context;
use crate::project::statement::Loaded;
use crate::render::compile::{Compiled, Error};
use crate::render::pages::PageMap;
use crate::render::statement::{Fitted, fit};
use crate::write::epub::{css, xhtml};

/// A statement as the preview shows it.
pub struct Preview {
    pub pages: Vec<Page>,
    /// The e-book's text file, as the EPUB holds it but for the images'
    /// addresses.
    pub xhtml: String,
    /// The e-book's stylesheet.
    pub css: String,
    /// The shipped faces the stylesheet names, when the project packages
    /// them (`embed-fonts`): their path beside the stylesheet
    /// (`fonts/x.ttf`) and bytes.
    pub fonts: Vec<(String, Vec<u8>)>,
    /// Notes and warnings, as `build` prints them.
    pub report: String,
}

/// A leaflet page.
pub struct Page {
    pub svg: String,
    /// The page's size in points.
    pub width: f64,
    pub height: f64,
    /// Where the text of each Markdown line was set.
    pub spots: Vec<Spot>,
}

/// A run of text on a page and the Markdown line it was written for: a
/// box in points from the page's top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spot {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub line: usize,
}

/// Makes the preview of a statement already read. `image_href` gives the
/// address the e-book text uses for an image (its root-relative path in).
pub fn preview(
    loaded: &Loaded,
    ctx: &Context,
    image_href: &dyn Fn(&str) -> String,
) -> Result<Preview, Error> {
    let mut report = String::new();
    for n in &loaded.notes {
        report.push_str(&n.short());
        report.push('\n');
    }
    for w in &loaded.warnings {
        report.push_str(&w.rendered());
    }
    let Fitted {
        compiled,
        report: fitting,
        ..
    } = fit(loaded, ctx)?;
    report.push_str(&fitting.to_string());
    for w in &compiled.warnings {
        report.push_str(&w.to_string());
    }
    let lines = MetaLines::of(loaded);
    let pages = compiled
        .document
        .pages()
        .iter()
        .map(|page| {
            let size = page.frame.size();
            let mut spots = Vec::new();
            let mut seen = HashMap::new();
            let mut walk = Walk {
                compiled: &compiled,
                meta: &lines,
                seen: &mut seen,
                spots: &mut spots,
            };
            walk.frame(&page.frame, Transform::identity());
            Page {
                svg: typst_svg::svg(page, &typst_svg::SvgOptions::default()),
                width: size.x.to_pt(),
                height: size.y.to_pt(),
                spots,
            }
        })
        .collect();
    // The text marks the pages of the PDF as the e-book does.
    let page_map = PageMap::of(&compiled.document);
    let hrefs: HashMap<String, String> = loaded
        .images
        .iter()
        .map(|(src, _)| (src.clone(), image_href(src)))
        .collect();
    let chapter = xhtml::chapter(
        &loaded.doc,
        &hrefs,
        xhtml::ChapterKind::Statement,
        page_map.text(0),
        None,
    );
    let (fonts, faces) = if ctx.embed_fonts {
        let (items, faces) = crate::render::epub::font_items(&[loaded]);
        (
            items.into_iter().map(|i| (i.href, i.bytes)).collect(),
            faces,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Preview {
        pages,
        xhtml: chapter.xhtml,
        css: css::stylesheet(&loaded.settings, &faces),
        fonts,
        report,
    })
}

/// The front matter lines of the metadata a layout sets from its values
/// (title, subtitle, signature, slogans): their text has no place in the
/// generated file to trace, so it is known by what it says.
struct MetaLines {
    /// The text of each value, squeezed (see [`squeeze`]), and its line.
    values: Vec<(String, usize)>,
}

impl MetaLines {
    fn of(loaded: &Loaded) -> MetaLines {
        let m = &loaded.doc.meta;
        let line = |keys: &[&str]| keys.iter().map(|k| m.line_of(k)).find(|l| *l > 0);
        let mut values = Vec::new();
        let mut add = |text: &str, keys: &[&str]| {
            if let Some(l) = line(keys) {
                values.push((squeeze(text), l));
            }
        };
        if let Some(t) = &m.title {
            add(t, &["title"]);
        }
        if let Some(s) = &m.subtitle {
            add(s, &["subtitle"]);
        }
        for a in &m.authors {
            add(a, &["author", "authors"]);
        }
        for s in &m.slogans {
            add(s, &["slogans", "slogan"]);
        }
        if let Some(p) = &m.place {
            add(p, &["place"]);
        }
        MetaLines { values }
    }

    /// The line of the value that a run of text (at least three letters)
    /// is part of.
    fn line_of(&self, text: &str) -> Option<usize> {
        let text = squeeze(text);
        if text.chars().count() < 3 {
            return None;
        }
        self.values
            .iter()
            .find(|(v, _)| v.contains(&text))
            .map(|(_, l)| *l)
    }
}

/// Letters and digits only, lower case: a title set in capitals, with the
/// language's quotation marks or hyphenated, still reads as written.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A walk over a page's frames collecting its spots.
struct Walk<'a> {
    compiled: &'a Compiled,
    meta: &'a MetaLines,
    /// Where each span met so far begins in the generated file (finding a
    /// span in the source is the walk's dearest step; many glyphs share
    /// one).
    seen: &'a mut HashMap<Span, Option<usize>>,
    spots: &'a mut Vec<Spot>,
}

impl Walk<'_> {
    fn frame(&mut self, frame: &Frame, ts: Transform) {
        for (pos, item) in frame.items() {
            let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(group) => self.frame(&group.frame, at.pre_concat(group.transform)),
                FrameItem::Text(text) => self.text(text, at),
                _ => {}
            }
        }
    }

    /// The spots of a run of text: its glyphs grouped by the Markdown line
    /// behind them.
    fn text(&mut self, text: &typst::text::TextItem, ts: Transform) {
        let size = text.size;
        // (Roughly the line's height: enough to hit, not to overlap the
        // next line.)
        let (top, bottom) = (-size * 0.8, size * 0.25);
        let meta_line = self.meta.line_of(&text.text);
        let mut x = Abs::zero();
        let mut run: Option<(Abs, Abs, usize)> = None;
        let mut runs = Vec::new();
        for glyph in &text.glyphs {
            let width = glyph.x_advance.at(size);
            let (span, offset) = glyph.span;
            let compiled = self.compiled;
            let start = *self
                .seen
                .entry(span)
                .or_insert_with(|| compiled.generated(span).map(|r| r.start));
            // (A span's text may run over two Markdown lines: the glyph's
            // offset in it says which.)
            let line = start
                .and_then(|at| compiled.written_for(at + usize::from(offset)))
                .map(|(_, l)| l)
                .or(meta_line);
            match (&mut run, line) {
                (Some((_, end, l)), Some(line)) if *l == line => *end = x + width,
                (_, line) => {
                    runs.extend(run.take());
                    run = line.map(|l| (x, x + width, l));
                }
            }
            x += width;
        }
        runs.extend(run);
        for (start, end, line) in runs {
            let corners = [
                Point::new(start, top),
                Point::new(end, top),
                Point::new(start, bottom),
                Point::new(end, bottom),
            ]
            .map(|p| p.transform(ts));
            let xs = corners.map(|p| p.x.to_pt());
            let ys = corners.map(|p| p.y.to_pt());
            let spot = Spot {
                x0: xs.iter().copied().fold(f64::INFINITY, f64::min),
                y0: ys.iter().copied().fold(f64::INFINITY, f64::min),
                x1: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                y1: ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                line,
            };
            // Runs of one line side by side (a word in italics within a
            // sentence) are one spot.
            match self.spots.last_mut() {
                Some(last)
                    if last.line == line
                        && (last.y0 - spot.y0).abs() < 0.5
                        && (spot.x0 - last.x1).abs() < size.to_pt() =>
                {
                    last.x0 = last.x0.min(spot.x0);
                    last.x1 = last.x1.max(spot.x1);
                    last.y1 = last.y1.max(spot.y1);
                }
                _ => self.spots.push(spot),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezed_text_reads_as_written() {
        assert_eq!(squeeze("„Wohnen – jetzt!“"), "wohnenjetzt");
        assert_eq!(squeeze("HOUSING NOW"), "housingnow");
    }
}
