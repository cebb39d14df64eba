//! Copyfitting: each leaflet set at the size, and for a short text on the
//! paper, that fills whole sheets, with no page mostly empty and the last
//! page's columns ending level.
//!
//! A compile is measured (`measure`: where each page's columns start and
//! end, from the frames Typst laid out, and the closing block's height),
//! the measurement is turned into a model of how much room the text needs
//! at another size or column width (`Model`: the height of the text grows
//! with the number of lines, in proportion to the type size over the
//! column width, and with the leading), the model picks a setting
//! (`choose`), and one more compile confirms it. Only when the confirming
//! compile disagrees is the model refitted to it and another size tried.
//! Balancing the last page then needs no new type size: the confirmed
//! compile says how much text the last page holds, and the closing block
//! is given the room under it that makes the columns above it end level.

use typst::introspection::Tag;
use typst::layout::{Frame, FrameItem, Paper};
use typst::model::FootnoteEntry;
use typst_layout::PagedDocument;

use crate::model::units::Length;
use crate::project::settings::{Balance, Settings};

/// The clearance Typst keeps between a leaflet's columns and its closing
/// block (`clearance: 6mm` in leaflet.typ).
const CLOSING_CLEARANCE: f64 = 6.0 * 72.0 / 25.4;

/// The share of a text's height taken as fixed when only one compile has
/// been measured (see `Model::text_at`).
const FIXED_SHARE: f64 = 0.25;

/// A page's text area as measured. Heights are in points from the top of
/// the text area (the page less its top and bottom margins).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFill {
    /// The text area's height.
    pub area: f64,
    /// Where the columns start: below the masthead on the first page, 0
    /// elsewhere.
    pub top: f64,
    /// Each column's text, in reading order.
    pub columns: Vec<ColumnFill>,
    /// The closing block (slogans, signature and the room under them), from
    /// its top to the foot of the text area, its clearance included; and
    /// the height of what it shows.
    pub closing: Option<(f64, f64)>,
    /// The top-level blocks that begin on this page, by their marks: the
    /// block, the column its mark is in, and how far down.
    pub blocks: Vec<(usize, usize, f64)>,
}

/// One column of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ColumnFill {
    /// From the top of the columns to the foot of the column's last line.
    pub text: f64,
    /// Lines of text (notes not counted).
    pub lines: usize,
    /// The height of the notes at the column's foot, with their rule.
    pub notes: f64,
}

impl ColumnFill {
    fn used(&self) -> f64 {
        self.text + self.notes
    }
}

impl PageFill {
    /// The share of the text area that carries something: the masthead, the
    /// longest column with its notes, the slogans and signature.
    pub fn fill(&self) -> f64 {
        let n = self.columns.len().max(1) as f64;
        let column = self.columns.iter().map(ColumnFill::used).sum::<f64>() / n;
        let closing = self
            .closing
            .map_or(0.0, |(_, shown)| shown + CLOSING_CLEARANCE);
        ((self.top + column + closing) / self.area).min(1.0)
    }

    /// Lines of text in the columns (not the masthead, notes or closing).
    pub fn lines(&self) -> usize {
        self.columns.iter().map(|c| c.lines).sum()
    }
}

/// Where a compile's columns are on the page: what `measure` needs besides
/// the frames.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub margin_top: f64,
    pub margin_bottom: f64,
    /// The margin the first column starts at (left, or right when the text
    /// runs right to left).
    pub margin_start: f64,
    pub columns: usize,
    pub gutter: f64,
    pub rtl: bool,
}

impl Geometry {
    pub fn of(settings: &Settings, rtl: bool) -> Geometry {
        Geometry {
            margin_top: settings.margin_top.to_pt(),
            margin_bottom: settings.margin_bottom.to_pt(),
            margin_start: if rtl {
                settings.margin_outside.to_pt()
            } else {
                settings.margin_inside.to_pt()
            },
            columns: usize::from(settings.columns.max(1)),
            gutter: settings.gutter.to_pt(),
            rtl,
        }
    }
}

/// A run of text found on a page: its baseline, size, and whether it is
/// part of a footnote.
struct Run {
    /// The middle of the run, across.
    x: f64,
    y: f64,
    size: f64,
    note: bool,
}

/// What one page's frames hold, as `measure` needs it.
#[derive(Default)]
struct Found {
    runs: Vec<Run>,
    /// The masthead's end and the closing's start, by their markers.
    body: Option<f64>,
    closing: Option<f64>,
    /// The top-level blocks' marks, and where they are.
    blocks: Vec<(usize, f64, f64)>,
    /// Footnote entries open at this point of the walk.
    notes: Vec<typst::introspection::Location>,
}

fn walk(frame: &Frame, at: (f64, f64), found: &mut Found) {
    for (pos, item) in frame.items() {
        let (x, y) = (at.0 + pos.x.to_pt(), at.1 + pos.y.to_pt());
        match item {
            FrameItem::Group(g) => walk(&g.frame, (x, y), found),
            FrameItem::Text(t) => found.runs.push(Run {
                // (The middle of the run: its start would put a long line
                // of right-to-left text in the wrong column.)
                x: x + t.width().to_pt() / 2.0,
                y,
                size: t.size.to_pt(),
                note: !found.notes.is_empty(),
            }),
            FrameItem::Tag(Tag::Start(content, _)) => {
                if content.is::<FootnoteEntry>() {
                    if let Some(loc) = content.location() {
                        found.notes.push(loc);
                    }
                } else if let Some(label) = content.label() {
                    match label.resolve().as_str() {
                        "pamphleteer-body" => found.body = Some(y),
                        "pamphleteer-closing" => found.closing = Some(y),
                        "pamphleteer-block" => {
                            if let Some(k) = block_mark(content) {
                                found.blocks.push((k, x, y));
                            }
                        }
                        _ => {}
                    }
                }
            }
            FrameItem::Tag(Tag::End(loc, _, _)) => found.notes.retain(|l| l != loc),
            _ => {}
        }
    }
}

/// The block a mark `#metadata((text, k))<pamphleteer-block>` stands
/// before: `k`.
fn block_mark(content: &typst::foundations::Content) -> Option<usize> {
    let meta = content.to_packed::<typst::introspection::MetadataElem>()?;
    match &meta.value {
        typst::foundations::Value::Array(a) => match a.as_slice().get(1)? {
            typst::foundations::Value::Int(k) => usize::try_from(*k).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Each page's fill, from the frames of a compiled leaflet.
pub fn measure(document: &PagedDocument, g: &Geometry) -> Vec<PageFill> {
    document
        .pages()
        .iter()
        .map(|page| {
            let (width, height) = (page.frame.width().to_pt(), page.frame.height().to_pt());
            let mut found = Found::default();
            walk(&page.frame, (0.0, 0.0), &mut found);
            let area = height - g.margin_top - g.margin_bottom;
            let top = found.body.map_or(0.0, |y| (y - g.margin_top).max(0.0));
            let closing_at = found.closing.map(|y| y - g.margin_top);
            let text_width = width - 2.0 * g.margin_start.min(width / 4.0);
            let column_width =
                (text_width - g.gutter * (g.columns as f64 - 1.0)) / g.columns as f64;
            let column_of = |x: f64| {
                let from_start = if g.rtl { width - x } else { x } - g.margin_start;
                ((from_start / (column_width + g.gutter)).floor().max(0.0) as usize)
                    .min(g.columns - 1)
            };
            let mut columns = vec![ColumnFill::default(); g.columns];
            let mut baselines: Vec<Vec<i64>> = vec![Vec::new(); g.columns];
            let mut notes: Vec<(f64, f64)> = vec![(f64::MAX, f64::MIN); g.columns];
            let mut closing_foot: f64 = 0.0;
            for run in &found.runs {
                let y = run.y - g.margin_top;
                // The running foot (page numbers) lies below the text area.
                if y > area + 1.0 {
                    continue;
                }
                // The masthead lies above the columns' start.
                if found.body.is_some() && y < top {
                    continue;
                }
                let (line_top, line_foot) = (y - 0.8 * run.size, y + 0.2 * run.size);
                if let Some(at) = closing_at
                    && y >= at
                {
                    closing_foot = closing_foot.max(line_foot);
                    continue;
                }
                let index = column_of(run.x);
                if run.note {
                    let n = &mut notes[index];
                    *n = (n.0.min(line_top), n.1.max(line_foot));
                } else {
                    let c = &mut columns[index];
                    c.text = c.text.max(line_foot - top);
                    baselines[index].push((y * 2.0).round() as i64);
                }
            }
            for (i, c) in columns.iter_mut().enumerate() {
                let lines = &mut baselines[i];
                lines.sort_unstable();
                lines.dedup();
                c.lines = lines.len();
                let (from, to) = notes[i];
                if to > from {
                    // The notes, their rule and the clearance above it.
                    c.notes = to - from + 10.0;
                }
            }
            let closing =
                closing_at.map(|at| (area - at + CLOSING_CLEARANCE, (closing_foot - at).max(0.0)));
            // A mark's column is told by where it is across; but a mark at
            // the head of a column may be placed at the first column's
            // side, so the order of the marks counts too: a column starts
            // higher than the one before it ended.
            let mut column = 0;
            let mut last_y = f64::MIN;
            let blocks = found
                .blocks
                .iter()
                .map(|&(k, x, y)| {
                    let across = column_of(x);
                    if across > column {
                        column = across;
                    } else if y + 1.0 < last_y {
                        column = (column + 1).min(g.columns - 1);
                    }
                    last_y = y;
                    (k, column, y - g.margin_top)
                })
                .collect();
            PageFill {
                area,
                top,
                columns,
                closing,
                blocks,
            }
        })
        .collect()
}

/// Where the fitting may go: the type sizes, the pages, the paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// The body size the layout prefers, and the smallest and largest it
    /// allows (`short_max` for a text that fills one page).
    pub preferred: f64,
    pub min: f64,
    pub max: f64,
    pub short_max: f64,
    /// The leading as a multiple of the size (`None`: the leading is fixed).
    pub ratio: Option<f64>,
    /// The pages the user asked for.
    pub pages: Option<u32>,
    /// A short text may move to A5 in one column.
    pub small_paper: bool,
}

impl Bounds {
    /// The bounds for a leaflet's settings: 9 to 11 pt (12 for a short
    /// text) around the layout's 10, unless the user fixed the size, or
    /// allowed it to shrink by `shrink` only (whether or not it was given).
    pub fn of(settings: &Settings, layout: &str) -> Bounds {
        let size = settings.font_size;
        let (min, max, short_max) = if settings.shrink > 0.0 {
            (size - settings.shrink, size, size)
        } else if settings.fixed.font_size {
            (size, size, size)
        } else {
            (size - 1.0, size + 1.0, size + 2.0)
        };
        Bounds {
            preferred: size,
            min,
            max,
            short_max,
            // (A size given keeps its leading too: the layout's proportion,
            // or the leading given.)
            ratio: (!settings.fixed.leading
                && (!settings.fixed.font_size || settings.shrink > 0.0))
                .then(|| settings.leading / size),
            pages: settings.pages,
            small_paper: layout == "leaflet" && !settings.fixed.paper && !settings.fixed.columns,
        }
    }
}

/// A setting to try: paper, columns and type.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub paper: String,
    pub columns: u8,
    pub size: f64,
    pub leading: f64,
    /// The pages it is expected to fill, and the last page's fill.
    pub pages: usize,
    pub last_fill: f64,
    /// The room expected under the closing for the last page's columns to
    /// end level.
    pub balance: f64,
}

impl Setting {
    /// `settings` set this way.
    pub fn apply(&self, settings: &Settings) -> Settings {
        let mut s = settings.clone();
        s.paper = self.paper.clone();
        s.columns = self.columns;
        s.font_size = self.size;
        s.leading = self.leading;
        // (A predicted room, placed at the end: only where the model is
        // sure of it, near the size measured; else none, and the last page
        // is balanced once it is known.)
        s.balance = Some(Balance {
            room: Length::pt(self.balance),
            at: None,
        });
        s
    }

    /// The setting `settings` are at, as a key (nothing expected).
    pub fn of(settings: &Settings) -> Setting {
        Setting {
            paper: settings.paper.clone(),
            columns: settings.columns,
            size: settings.font_size,
            leading: settings.leading,
            pages: 0,
            last_fill: 0.0,
            balance: 0.0,
        }
    }
}

/// A page's text area for a paper and margins: its height and a column's
/// width.
fn area(settings: &Settings, paper: &str, columns: u8) -> Option<(f64, f64)> {
    let paper: Paper = paper.parse().ok()?;
    let (w, h) = (paper.width().to_pt(), paper.height().to_pt());
    let text = w - settings.margin_inside.to_pt() - settings.margin_outside.to_pt();
    let c = f64::from(columns.max(1));
    let column = (text - settings.gutter.to_pt() * (c - 1.0)) / c;
    Some((
        h - settings.margin_top.to_pt() - settings.margin_bottom.to_pt(),
        column,
    ))
}

/// How much room a statement's text needs, from one measured compile.
#[derive(Debug, Clone)]
pub struct Model {
    /// The compile measured: its size, leading and column width.
    size: f64,
    leading: f64,
    width: f64,
    /// The text's height set in one column of that width (notes included).
    text: f64,
    /// The masthead's height and the closing's (clearance included), and
    /// the width of the text area the masthead was measured across.
    masthead: f64,
    across: f64,
    closing: f64,
    /// A second compile's setting (size times leading over width) and text
    /// height, when there was one.
    second: Option<(f64, f64)>,
}

impl Model {
    pub fn of(pages: &[PageFill], settings: &Settings) -> Option<Model> {
        let (_, width) = area(settings, &settings.paper, settings.columns)?;
        let (_, across) = area(settings, &settings.paper, 1)?;
        let text = pages
            .iter()
            .flat_map(|p| p.columns.iter())
            .map(ColumnFill::used)
            .sum();
        let masthead = pages.first().map_or(0.0, |p| p.top);
        let closing = pages
            .iter()
            .rev()
            .find_map(|p| p.closing)
            .map_or(0.0, |(_, shown)| shown + CLOSING_CLEARANCE);
        Some(Model {
            size: settings.font_size,
            leading: settings.leading,
            width,
            text,
            masthead,
            across,
            closing,
            second: None,
        })
    }

    /// The text's height in one column `width` wide, at `size` on
    /// `leading`: as many lines as the size over the width says, each one
    /// leading high.
    fn text_at(&self, size: f64, leading: f64, width: f64) -> f64 {
        let x = size * leading / width;
        let x0 = self.size * self.leading / self.width;
        match self.second {
            // Two compiles: the line through both (what does not grow with
            // the body size, such as notes, headings and quotes set at their
            // own sizes, is its intercept).
            Some((x1, text1)) if (x1 - x0).abs() > 1e-9 => {
                let slope = (text1 - self.text) / (x1 - x0);
                self.text + slope * (x - x0)
            }
            // One compile: a quarter of the height taken as not growing
            // with the body size (a paragraph's last line is a line however
            // short it is, a column ends where a heading or a paragraph's
            // last lines will not go over): tried on the generated corpus of
            // the benchmarks, where a third made it pessimistic and none
            // optimistic.
            _ => self.text * (FIXED_SHARE + (1.0 - FIXED_SHARE) * x / x0),
        }
    }

    /// This model refined by a second compile's measurement at another
    /// setting (the same paper and columns).
    pub fn with(mut self, other: &Model) -> Model {
        if other.width == self.width && other.text > 0.0 {
            let x = other.size * other.leading / other.width;
            let slope_ok = {
                let x0 = self.size * self.leading / self.width;
                (x - x0).abs() > 1e-9 && (other.text - self.text) / (x - x0) > 0.0
            };
            if slope_ok {
                self.second = Some((x, other.text));
            }
        }
        self
    }

    /// The pages and the last page's fill of the text at `size` on
    /// `leading` set in `columns` columns of the text `area` (height, column
    /// width), with `masthead` above them on the first page. One line a
    /// column is kept in hand for where a column cannot end level (a
    /// heading kept with its paragraph, a paragraph's last lines kept
    /// together).
    /// Also the room to leave under the closing for the last page's columns
    /// to end level, a line and a half in hand (used only near the size
    /// measured).
    fn pages_at(
        &self,
        size: f64,
        leading: f64,
        columns: u8,
        area: (f64, f64),
        masthead: f64,
    ) -> (usize, f64, f64) {
        let (height, width) = area;
        let c = f64::from(columns.max(1));
        let text = self.text_at(size, leading, width);
        let per_page = height - leading;
        if per_page <= masthead + self.closing {
            return (usize::MAX, 0.0, 0.0);
        }
        // The first page holds less by the masthead; the last by the
        // closing, across all columns.
        let mut pages = 1;
        let mut room = c * (per_page - masthead);
        while text + c * self.closing > room {
            pages += 1;
            room += c * per_page;
            if pages > 64 {
                return (usize::MAX, 0.0, 0.0);
            }
        }
        let before = room - c * per_page.min(room / c);
        let on_last = (text - before.max(0.0)).max(0.0) / c;
        let top = if pages == 1 { masthead } else { 0.0 };
        let balance = (height - self.closing - top - on_last - 1.5 * leading).max(0.0);
        // (Only near the size measured is the model sure enough of the
        // last page to shorten its columns: a room too large would push the
        // text onto another page.)
        let near = (size - self.size).abs() <= 0.6
            && (leading / size - self.leading / self.size).abs() < 0.02;
        let balance = if near { balance } else { 0.0 };
        (
            pages,
            ((top + on_last + self.closing) / height).min(1.0),
            balance,
        )
    }

    /// The best setting within `bounds`, by this order: whole sheets (one
    /// page or an even number) with every page at least half full, the
    /// fewest pages, the last page filled nearest to nine tenths; then an odd number of
    /// pages; a short text that leaves its page half empty even at the
    /// largest size moves to A5 in one column when the layout allows.
    /// `None` when nothing in the bounds keeps every page half full.
    pub fn choose(&self, settings: &Settings, bounds: &Bounds) -> Option<Setting> {
        const HALF: f64 = 0.55;
        // The leading keeps the layout's proportion to the size, or opens or
        // closes by up to a tenth of the size (two steps of a twentieth) to
        // bring a text to whole sheets.
        let leadings = |size: f64| -> Vec<f64> {
            match bounds.ratio {
                Some(r) => [0.0, -0.05, 0.05, -0.1, 0.1]
                    .iter()
                    .map(|d| ((size * (r + d)) * 10.0).round() / 10.0)
                    .collect(),
                None => vec![settings.leading],
            }
        };
        let ratio = bounds
            .ratio
            .unwrap_or(settings.leading / settings.font_size);
        let candidates = |paper: &str, columns: u8, max: f64| -> Vec<Setting> {
            let (Some(area), Some((_, across))) =
                (area(settings, paper, columns), area(settings, paper, 1))
            else {
                return Vec::new();
            };
            // The title takes more lines on a narrower page: the masthead
            // grows by about the fifth root of the ratio of the widths (by
            // eye, from A4 to A5).
            let masthead = self.masthead * (self.across / across).powf(0.2);
            let steps = ((max - bounds.min) / 0.1).round().max(0.0) as usize;
            (0..=steps)
                .map(|i| ((bounds.min + 0.1 * i as f64) * 10.0).round() / 10.0)
                .flat_map(|size| leadings(size).into_iter().map(move |l| (size, l)))
                .filter_map(|(size, leading)| {
                    let (pages, last_fill, balance) =
                        self.pages_at(size, leading, columns, area, masthead);
                    (pages != usize::MAX).then(|| Setting {
                        paper: paper.to_string(),
                        columns,
                        size,
                        leading,
                        pages,
                        last_fill,
                        balance: balance.floor(),
                    })
                })
                .collect()
        };
        let whole = |p: usize| p == 1 || p.is_multiple_of(2);
        let wanted = |s: &Setting| bounds.pages.is_none_or(|p| s.pages == p as usize);
        // Of the fewest pages, the size nearest the preferred that fills
        // the last page to between eight tenths and nine (a few lines short,
        // which a compile may need); failing that, the nearest
        // to nine tenths.
        let best = |list: &[Setting], accept: &dyn Fn(&Setting) -> bool| -> Option<Setting> {
            let fewest = list.iter().filter(|s| accept(s)).map(|s| s.pages).min()?;
            list.iter()
                .filter(|s| accept(s) && s.pages == fewest)
                .min_by(|a, b| {
                    // (A changed leading weighs as two points of size.)
                    let d = |s: &Setting| {
                        let changed = (s.size - bounds.preferred).abs()
                            + 20.0 * (s.leading / s.size - ratio).abs();
                        if (0.8..=0.93).contains(&s.last_fill) {
                            // (Nearly full by the model, a few lines kept in
                            // hand for where it errs.) A text of one page
                            // fills it: the fuller the better.
                            if s.pages == 1 {
                                0.93 - s.last_fill + changed / 100.0
                            } else {
                                changed
                            }
                        } else {
                            10.0 + (s.last_fill - 0.9).abs() + changed / 100.0
                        }
                    };
                    d(a).total_cmp(&d(b))
                })
                .cloned()
        };
        // Up to the largest size; a text on one page up to the largest a
        // short text may have.
        let mut here = candidates(&settings.paper, settings.columns, bounds.short_max);
        here.retain(|s| s.size <= bounds.max + 1e-9 || s.pages == 1);
        let good = |s: &Setting| wanted(s) && whole(s.pages) && s.last_fill >= HALF;
        let chosen = best(&here, &good);
        let underfull = chosen
            .as_ref()
            .is_none_or(|s| s.pages == 1 && s.last_fill < 0.8);
        if bounds.small_paper && underfull && bounds.pages.is_none_or(|p| p == 1) {
            // (Even a text too short to fill half of an A5 page fills more
            // of it than of an A4 one.)
            let a5 = candidates("a5", 1, bounds.short_max);
            let on_a4 = chosen
                .clone()
                .or_else(|| best(&here, &|s| wanted(s) && s.pages == 1));
            if let Some(small) = best(&a5, &|s| s.pages == 1)
                && on_a4
                    .as_ref()
                    .is_none_or(|c| (small.last_fill - 0.9).abs() < (c.last_fill - 0.9).abs())
            {
                return Some(small);
            }
        }
        // Failing that, an odd number of pages; failing that too, the whole
        // sheets whose last page comes nearest to filled.
        chosen
            .or_else(|| best(&here, &|s| wanted(s) && s.last_fill >= HALF))
            .or_else(|| best(&here, &|s| wanted(s) && whole(s.pages)))
    }
}

/// How far a last page's fill is from what a fitting aims for (eight
/// tenths or more): 0 when there.
pub fn off_band(fill: f64) -> f64 {
    if fill >= 0.8 { 0.0 } else { (fill - 0.9).abs() }
}

/// The room to leave under the closing on the last page so that its
/// columns end level: each column as long as the text on that page
/// divided among them, to the next whole line, and two lines more, for the
/// first column may end a line or two early (a paragraph's last lines kept
/// together, a heading kept with what follows). `None` when the last page
/// needs no balancing: one column whose closing already follows it, or
/// columns already within two lines of each other and the closing
/// following them.
pub fn balance(pages: &[PageFill], settings: &Settings) -> Option<Balance> {
    let last = pages.last()?;
    let (room, shown) = last.closing?;
    let leading = settings.leading;
    let c = last.columns.len().max(1) as f64;
    let total: f64 = last.columns.iter().map(ColumnFill::used).sum();
    let lines = (total / c / leading).ceil();
    // The room above the closing now ends at `area - room`; it should end
    // at the target (with two lines in hand; one on a page so full that two
    // would leave nothing to move).
    let current = room - CLOSING_CLEARANCE - shown;
    let extra_with =
        |spare: f64| last.area - (last.top + (lines + spare) * leading) - CLOSING_CLEARANCE - shown;
    let extra = if extra_with(2.0) > current + 0.5 * leading {
        extra_with(2.0)
    } else {
        extra_with(1.0)
    };
    // Typst places the closing where it meets it only if it fits in what is
    // left of the page's columns there, taken together: met lower down, it
    // may only be so tall, or it goes over to a page of its own.
    let placed = settings.balance.map_or(0.0, |b| b.room.to_pt());
    let natural = room - CLOSING_CLEARANCE - placed;
    let (at, extra) = match last.blocks.first() {
        Some(&(k, column, y)) => {
            let full = last.area - last.top;
            let left = (last.area - y) + (c - 1.0 - column as f64).max(0.0) * full;
            let most = left / c - natural - CLOSING_CLEARANCE - 2.0;
            (Some(k), extra.min(most))
        }
        None => (None, extra),
    };
    if extra <= current + 0.5 * leading {
        return None;
    }
    Some(Balance {
        room: Length::pt(extra.floor().max(0.0)),
        at,
    })
}

/// The balance to try when a balanced last page came out uneven: the
/// columns a line longer where the first ended short (a heading kept with
/// its paragraph went over), a line shorter where the last did. `None`
/// when it is level, or was not balanced.
pub fn rebalance(pages: &[PageFill], settings: &Settings) -> Option<Balance> {
    let last = pages.last()?;
    let balance = settings.balance?;
    if level(last, settings.leading) || last.columns.len() < 2 {
        return None;
    }
    let first = last.columns.first()?.used();
    let end = last.columns.last()?.used();
    // Half the difference moves from the longer column to the shorter: the
    // columns that much taller or shorter, to whole lines, at least one.
    let step = ((end - first).abs() / 2.0 / settings.leading)
        .round()
        .max(1.0)
        * settings.leading;
    let room = balance.room.to_pt();
    let room = if end > first {
        room - step
    } else {
        room + step
    };
    (room >= 0.0).then(|| Balance {
        room: Length::pt(room.floor()),
        at: balance.at,
    })
}

/// Whether a last page's columns end within two lines of each other: their
/// feet, the notes under them included (what the eye sees as the column's
/// end). Always, with one column.
pub fn level(page: &PageFill, leading: f64) -> bool {
    let within = |of: &dyn Fn(&ColumnFill) -> f64| {
        let (max, min) = page
            .columns
            .iter()
            .map(of)
            .fold((f64::MIN, f64::MAX), |(hi, lo), u| (hi.max(u), lo.min(u)));
        max - min <= 2.0 * leading + 1.0
    };
    page.columns.len() < 2 || within(&ColumnFill::used)
}

/// What is wrong with a page, for a typesetter: `None` when nothing is.
pub fn fault(pages: &[PageFill], index: usize) -> Option<String> {
    let page = pages.get(index)?;
    let lines = page.lines();
    if lines == 0 {
        // (What closes a statement may be nothing: no slogan, no
        // signature.)
        let closing = page.closing.is_some_and(|(_, shown)| shown > 1.0);
        return Some(match (closing, index) {
            (true, _) => "holds only the slogans and signature".into(),
            (false, 0) => "holds only the title".into(),
            (false, _) => "holds no text".into(),
        });
    }
    if page.fill() < 0.5 {
        return Some(format!("is only {:.0}% full", page.fill() * 100.0));
    }
    for c in &page.columns {
        if (1..=2).contains(&c.lines) && lines > 6 {
            return Some(format!(
                "has a column of {} line{}",
                c.lines,
                if c.lines == 1 { "" } else { "s" }
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(top: f64, columns: &[(f64, usize)], closing: Option<f64>) -> PageFill {
        PageFill {
            area: 751.0,
            top,
            columns: columns
                .iter()
                .map(|&(text, lines)| ColumnFill {
                    text,
                    lines,
                    notes: 0.0,
                })
                .collect(),
            closing: closing.map(|shown| (shown + CLOSING_CLEARANCE, shown)),
            blocks: Vec::new(),
        }
    }

    /// A text of `columns` full columns and a last page holding `last` of a
    /// column, measured at the leaflet's 10 pt on 13 pt.
    fn measured(full_pages: usize, last: f64) -> Vec<PageFill> {
        let mut pages = vec![page(100.0, &[(640.0, 49), (640.0, 49)], None)];
        for _ in 1..full_pages {
            pages.push(page(0.0, &[(740.0, 57), (740.0, 57)], None));
        }
        pages.push(page(
            0.0,
            &[(last, (last / 13.0) as usize), (0.0, 0)],
            Some(80.0),
        ));
        pages
    }

    #[test]
    fn a_short_overrun_is_brought_back_to_whole_sheets() {
        let settings = Settings::default();
        let bounds = Bounds::of(&settings, "leaflet");
        // Two full pages and six lines over.
        let model = Model::of(&measured(2, 78.0), &settings).unwrap();
        let s = model.choose(&settings, &bounds).unwrap();
        assert_eq!(s.pages, 2, "{s:?}");
        assert!(s.size < 10.0 && s.size >= 9.0, "{s:?}");
        assert!(s.last_fill >= 0.55, "{s:?}");
        assert_eq!(s.paper, "a4");
    }

    #[test]
    fn a_short_text_fills_its_page_and_a_very_short_one_moves_to_a5() {
        let settings = Settings::default();
        let bounds = Bounds::of(&settings, "leaflet");
        // Half a column: larger type on A4 cannot fill the page.
        let short = vec![page(100.0, &[(300.0, 23), (0.0, 0)], Some(80.0))];
        let s = Model::of(&short, &settings)
            .unwrap()
            .choose(&settings, &bounds)
            .unwrap();
        assert_eq!(
            (s.paper.as_str(), s.columns, s.pages),
            ("a5", 1, 1),
            "{s:?}"
        );
        // Where the paper is the user's, it stays, and the type grows.
        let mut fixed = settings.clone();
        fixed.fixed.paper = true;
        let bounds = Bounds::of(&fixed, "leaflet");
        let s = Model::of(&short, &fixed).unwrap().choose(&fixed, &bounds);
        assert!(
            s.as_ref().is_none_or(|s| s.paper == "a4" && s.size > 10.0),
            "{s:?}"
        );
        // Not in a project's own layout either.
        let bounds = Bounds::of(&settings, "manifesto");
        let s = Model::of(&short, &settings)
            .unwrap()
            .choose(&settings, &bounds);
        assert!(s.as_ref().is_none_or(|s| s.paper == "a4"), "{s:?}");
    }

    #[test]
    fn a_size_the_user_gave_is_kept() {
        let settings = Settings {
            font_size: 11.0,
            leading: 14.3,
            fixed: crate::project::settings::FixedBy {
                font_size: true,
                ..Default::default()
            },
            ..Settings::default()
        };
        let bounds = Bounds::of(&settings, "leaflet");
        assert_eq!(
            (bounds.min, bounds.max, bounds.short_max),
            (11.0, 11.0, 11.0)
        );
        let model = Model::of(&measured(2, 300.0), &settings).unwrap();
        if let Some(s) = model.choose(&settings, &bounds) {
            assert_eq!(s.size, 11.0);
        }
        // `pages` asked for is the only count tried.
        let two = Settings {
            pages: Some(2),
            ..Settings::default()
        };
        let bounds = Bounds::of(&two, "leaflet");
        let s = Model::of(&measured(2, 200.0), &two)
            .unwrap()
            .choose(&two, &bounds);
        assert!(s.is_none_or(|s| s.pages == 2));
    }

    #[test]
    fn a_second_compile_refines_the_model() {
        let settings = Settings::default();
        let first = Model::of(&measured(2, 78.0), &settings).unwrap();
        let mut smaller = settings.clone();
        smaller.font_size = 9.0;
        smaller.leading = 11.7;
        // At 9 pt the text took more room than the one-compile guess.
        let guess = first.text_at(9.0, 11.7, first.width);
        let second = Model::of(&measured(2, 40.0), &smaller).unwrap();
        let refined = second.clone().with(&first);
        let at = |m: &Model| m.text_at(9.5, 12.4, m.width);
        assert!(at(&refined) > guess, "{} {}", at(&refined), guess);
        // Through both measured points.
        assert!((refined.text_at(10.0, 13.0, refined.width) - first.text).abs() < 1e-6);
        assert!((refined.text_at(9.0, 11.7, refined.width) - second.text).abs() < 1e-6);
    }

    #[test]
    fn the_last_page_is_balanced_and_its_faults_named() {
        let settings = Settings::default();
        // 40 lines in the first column, none in the second: each should
        // hold about 20, the closing following them.
        let pages = vec![
            page(100.0, &[(640.0, 49), (640.0, 49)], None),
            page(0.0, &[(520.0, 40), (0.0, 0)], Some(80.0)),
        ];
        assert!(!level(&pages[1], 13.0));
        let room = balance(&pages, &settings).unwrap().room.to_pt();
        let column_end = 751.0 - room - 80.0 - CLOSING_CLEARANCE;
        // (Two lines in hand.)
        assert!((column_end - 22.0 * 13.0).abs() <= 13.0, "{column_end}");
        // Placed before the first block of the page; where that block
        // begins low in the first column, the closing may only be as tall
        // as Typst will place there.
        let mut low = pages.clone();
        low[1].blocks = vec![(7, 0, 700.0), (8, 0, 710.0)];
        let b = balance(&low, &settings).unwrap();
        assert_eq!(b.at, Some(7));
        let most = ((751.0 - 700.0) + 751.0) / 2.0 - 80.0 - CLOSING_CLEARANCE;
        assert!(b.room.to_pt() <= most && b.room.to_pt() < room, "{b:?}");
        // A page with the closing alone, one under half full, a stranded
        // line.
        let alone = vec![
            pages[0].clone(),
            page(0.0, &[(0.0, 0), (0.0, 0)], Some(80.0)),
        ];
        assert_eq!(
            fault(&alone, 1).unwrap(),
            "holds only the slogans and signature"
        );
        let title = vec![page(100.0, &[(0.0, 0), (0.0, 0)], Some(0.0))];
        assert_eq!(fault(&title, 0).unwrap(), "holds only the title");
        let thin = vec![page(0.0, &[(100.0, 8), (90.0, 7)], Some(80.0))];
        assert!(fault(&thin, 0).unwrap().contains("% full"));
        let stranded = vec![page(0.0, &[(700.0, 54), (26.0, 2)], None)];
        assert!(fault(&stranded, 0).is_some());
        assert!(fault(&pages, 0).is_none());
    }
}
