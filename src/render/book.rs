//! The anthology: a project's statements collected into one book, a PDF
//! (`layouts/book.typ`) and an EPUB, from the same parsed statements the
//! leaflets are made from.

use crate::model::diagnostics::{Report, Severity};
use std::collections::BTreeMap;
use std::ops::Range;

use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

use crate::project::book::{BookPlan, Item, items};
use crate::project::context::Context;
use crate::render::compile::{self, Compiled, Error, Input};
use crate::render::pages::PageMap;
use crate::render::statement::Wanted;
use crate::write::typst::book::{BookSource, Slice, typst_slice};
use crate::write::typst::statement::body;

/// Compiles the book, or a slice of it, in-process.
pub(crate) fn compile(
    plan: &BookPlan,
    source: BookSource,
    ctx: &Context,
) -> Result<Compiled, Error> {
    let mut input = Input::new(
        source.text,
        format!("{}.typ (generated)", plan.slug),
        plan.book.meta.date.or(ctx.epoch_date),
    );
    input.origins = source.map;
    compile::compile(input, ctx)
}

/// The book's PDF, with what making it reported.
pub(crate) struct BookPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Typst's warnings (each once) and notes on what the PDF claims.
    pub report: Report,
    /// Where the book's pages begin in its texts, for the e-book.
    pub page_map: PageMap,
}

/// About how much Markdown one compilation of the book lays out: some 25
/// statements of 1,500 words, 160 A5 pages. Typst holds about a megabyte a
/// page while it lays a document out, so a longer book is compiled in parts
/// of this size whose PDFs are joined; a shorter one in one piece. The
/// environment variable `PAMPHLETEER_BOOK_PART_BYTES` sets another size.
pub(crate) const PART_BYTES: usize = 256 * 1024;

fn part_bytes() -> usize {
    std::env::var("PAMPHLETEER_BOOK_PART_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PART_BYTES)
}

/// The items split into runs of about `budget` bytes of markup each.
fn split(items: &[Item], budget: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, i) in items.iter().enumerate() {
        if let Item::Statement(_, e) = i {
            let weight = body(&e.loaded.doc, "", 0, None).0.len();
            if size > 0 && size + weight > budget {
                // A part heading goes with what follows it.
                let cut = if k > start && matches!(items[k - 1], Item::Part(_)) {
                    k - 1
                } else {
                    k
                };
                if cut > start {
                    ranges.push(start..cut);
                    start = cut;
                    size = 0;
                }
            }
            size += weight;
        }
    }
    if start < items.len() || ranges.is_empty() {
        ranges.push(start..items.len());
    }
    ranges
}

/// One compilation of the book or a slice of it, as much as the book
/// needs of it: its PDF (when asked for), its pages, where its sections
/// open, where its texts' pages begin, and Typst's warnings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Laid {
    pub pdf: Option<Vec<u8>>,
    pub pages: usize,
    pub opens: Vec<usize>,
    pub page_map: PageMap,
    pub warnings: Vec<String>,
    /// The files (and font files) its compilation read, each with the
    /// hash of the bytes it used: a kept slice is used only while they are
    /// as they were, and its reads count as the book's.
    pub reads: std::collections::BTreeMap<String, String>,
}

/// What the last build of the book left, for this one to take what did
/// not change from: compilations of the book's slices, by a key of
/// everything that goes into them but the files they read (whoever keeps
/// them answers for those: `build` gives one back only while every file
/// it read is as it was), and the book's e-book. After one
/// statement changed, only its slice is laid out again, the front matter
/// only when page numbers moved, and only that statement's chapter of the
/// e-book is compressed again.
pub(crate) trait Kept: Sync {
    fn slice(&self, key: &str) -> Option<Laid>;
    fn keep_slice(&self, key: &str, laid: &Laid);
    /// The e-book the last build made.
    fn epub(&self) -> Option<Vec<u8>>;
    /// Whether to stop before the next compilation (`watch`: files
    /// changed, and this book would be out of date).
    fn stop(&self) -> bool {
        false
    }
    /// Whether to leave Typst's caches as they are (`watch`: warm for the
    /// next save) instead of emptying them around each compilation.
    fn warm(&self) -> bool {
        false
    }
    /// Told once the book made from it is written: what it keeps that the
    /// book did not use can go.
    fn written(&self) {}
}

/// Why a book stopped when [`Kept::stop`] said so.
pub(crate) const STOPPED: &str = "stopped: files changed while it was made";

/// Nothing kept.
pub(crate) struct NothingKept;

impl Kept for NothingKept {
    fn slice(&self, _: &str) -> Option<Laid> {
        None
    }
    fn keep_slice(&self, _: &str, _: &Laid) {}
    fn epub(&self) -> Option<Vec<u8>> {
        None
    }
}

/// The book as a PDF: PDF/A-2b with a date, PDF/UA-1 when every statement
/// has a title and every image alt text. A book longer than [`PART_BYTES`]
/// is compiled in parts (see [`crate::render::pdfjoin`]): the front matter with
/// every statement as a one-page stand-in, for its length; then each run
/// of statements after that many blank pages, which gives their page
/// counts; then the front matter again with stand-ins of those lengths, so
/// that the contents have the right pages and links. Each compilation is
/// dropped before the next, so memory follows the longest part, not the
/// book; each is kept in `kept`, and taken from there when its source is
/// the same.
pub(crate) fn pdf(plan: &BookPlan, ctx: &Context, kept: &dyn Kept) -> Result<BookPdf, Error> {
    let (standards, notes) = claims(plan, ctx);
    let ident = format!("pamphleteer/anthology/{}", plan.slug);
    let date = plan.book.meta.date.or(ctx.epoch_date);
    let options = crate::render::compile::pdf_options(ident.clone(), date, &standards)?;
    let mut layer = Layer {
        plan,
        ctx,
        kept,
        key: format!("{ident}\n{date:?}\n{standards:?}"),
        options,
        report: Report::default(),
    };
    let items = items(plan);
    let ranges = split(&items, part_bytes());
    if ranges.len() == 1 {
        let laid = layer.lay(&Slice::Whole, true)?;
        let mut report = layer.report;
        warn(&mut report, notes);
        return Ok(BookPdf {
            bytes: laid.pdf.unwrap_or_default(),
            pages: laid.pages,
            report,
            page_map: laid.page_map,
        });
    }
    let mismatch = |what: &str| {
        Error::Product {
        what: "the book".into(),
        message: what.into(),
        hint: Some("the parts of a long book must lay out as the whole does; set PAMPHLETEER_BOOK_PART_BYTES larger than the book's Markdown to compile it in one piece".into()),
    }
    };
    let mut front = layer.lay(&Slice::Front(None), false)?.opens[0] - 1;
    for _ in 0..3 {
        // Page numbers from 1: where each item opens, where each run starts.
        let mut opens_at = vec![0; items.len() + 1];
        let mut parts = Vec::new();
        // (Each part's pages carry the book's page numbers.)
        let mut page_map = PageMap::default();
        let mut start = front + 1;
        for range in &ranges {
            let laid = layer.lay(
                &Slice::Items {
                    range: range.clone(),
                    first: start,
                },
                true,
            )?;
            // The openings: perhaps a stand-in for the part the run is
            // under, the run's items, the next item's, the end.
            let opens = &laid.opens;
            let next = usize::from(range.end < items.len());
            let lead = opens.len().checked_sub(range.len() + next + 1);
            let Some(lead) = lead.filter(|l| *l <= 1) else {
                return Err(mismatch("a part of it has sections missing"));
            };
            let opens = &opens[lead..];
            // Physical page p (from 1) is page p + shift of the book.
            let Some(shift) = start.checked_sub(opens[0]) else {
                return Err(mismatch("a part of it does not start on its page"));
            };
            for (k, i) in range.clone().chain(range.end..range.end + 1).enumerate() {
                opens_at[i] = opens[k] + shift;
            }
            let end = opens[range.len()] + shift;
            page_map.extend(laid.page_map);
            parts.push(crate::render::pdfjoin::Part {
                pdf: laid.pdf.unwrap_or_default(),
                pages: (1..=laid.pages)
                    .map(|p| (p + shift).checked_sub(1))
                    .collect(),
                sets: start - 1..end - 1,
            });
            start = end;
        }
        let total = start - 1;
        let laid = layer.lay(&Slice::Front(Some(&opens_at[..items.len()])), true)?;
        let opens = &laid.opens;
        if opens[0] - 1 != front {
            // The contents took another number of pages with the real page
            // numbers: lay the statements out again after them.
            front = opens[0] - 1;
            continue;
        }
        if opens.len() != items.len() + 1 {
            return Err(mismatch("its front matter does not hold every section"));
        }
        // The front matter's own pages, then each stand-in's opening.
        let mut pages: Vec<Option<usize>> = vec![None; laid.pages];
        for (p, page) in pages.iter_mut().enumerate().take(front) {
            *page = Some(p);
        }
        for (k, o) in opens[..items.len()].iter().enumerate() {
            pages[o - 1] = Some(opens_at[k] - 1);
        }
        page_map.extend(laid.page_map);
        parts.insert(
            0,
            crate::render::pdfjoin::Part {
                pdf: laid.pdf.unwrap_or_default(),
                pages,
                sets: 0..front,
            },
        );
        let bytes = crate::render::pdfjoin::join(&parts, &link_names(&items))
            .map_err(|e| Error::product("the book", e))?;
        let mut report = layer.report;
        warn(&mut report, notes);
        return Ok(BookPdf {
            bytes,
            pages: total,
            report,
            page_map,
        });
    }
    Err(mismatch("its contents do not settle on a number of pages"))
}

/// Lays out the book's slices, or takes them from what was kept, and
/// gathers their warnings.
struct Layer<'a, 'p> {
    plan: &'a BookPlan<'p>,
    ctx: &'a Context,
    kept: &'a dyn Kept,
    /// What every slice's key holds besides its source: the identifier,
    /// the date, the standards claimed.
    key: String,
    options: typst_pdf::PdfOptions,
    report: Report,
}

impl Layer<'_, '_> {
    /// One compilation of the book (exported to PDF with `export`).
    fn lay(&mut self, slice: &Slice, export: bool) -> Result<Laid, Error> {
        let (plan, ctx, kept) = (self.plan, self.ctx, self.kept);
        let source = typst_slice(plan, slice);
        let key = crate::render::digest(&[
            source.text.as_bytes(),
            format!("{}\n{export}", self.key).as_bytes(),
        ]);
        let started = std::time::Instant::now();
        let found = kept.slice(&key);
        let trace = |how: &str| {
            if std::env::var_os("PAMPHLETEER_BOOK_TRACE").is_some() {
                let what = match slice {
                    Slice::Whole => "the whole book".to_string(),
                    Slice::Front(None) => "the front matter, with stand-ins".into(),
                    Slice::Front(Some(_)) => "the front matter".into(),
                    Slice::Items { range, first } => {
                        format!("items {range:?} from page {first}")
                    }
                };
                eprintln!("book: {what}: {how} ({} ms)", started.elapsed().as_millis());
            }
        };
        let laid = match found {
            Some(laid) => {
                trace("kept");
                if let Some(reads) = &ctx.reads {
                    reads.merge(&laid.reads);
                }
                laid
            }
            None if kept.stop() => {
                return Err(Error::product("the book", STOPPED));
            }
            None => {
                // Nothing a previous compilation left in Typst's cache helps
                // this one; but `watch` keeps what its next save will use.
                let evict = || {
                    if !kept.warm() {
                        typst::comemo::evict(0);
                    }
                };
                evict();
                // (What this slice reads is kept with it.)
                let (part, reads) = ctx.recording_part();
                let book = compile(plan, source, &part)?;
                let laid = Laid {
                    reads: reads.all(&ctx.shared, &ctx.root),
                    pdf: export
                        .then(|| crate::render::compile::export(&book, &self.options))
                        .transpose()?,
                    pages: book.document.pages().len(),
                    opens: openings(&book.document),
                    page_map: PageMap::of(&book.document),
                    warnings: book.warnings.iter().map(ToString::to_string).collect(),
                };
                drop(book);
                evict();
                kept.keep_slice(&key, &laid);
                trace("laid out");
                laid
            }
        };
        for w in &laid.warnings {
            if !self.report.says(w) {
                self.report.push(Severity::Warning, w.clone());
            }
        }
        Ok(laid)
    }
}

/// What a link into another part of the book points at, by the label
/// the book's writer gives it (`s3`, `s3-h-2`): the statement's title, or
/// the heading's text and the statement's title (a link's alternative
/// text).
fn link_names(items: &[Item]) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for item in items {
        let Item::Statement(n, e) = item else {
            continue;
        };
        let doc = &e.loaded.doc;
        let title = doc.book_title();
        for (k, h) in doc.headings().iter().enumerate() {
            let text = crate::model::document::plain_text(h);
            names.insert(
                format!("s{n}-h-{}", k + 1),
                format!("{}, {title}", text.trim()),
            );
        }
        names.insert(format!("s{n}"), title);
    }
    names
}

/// The pages (from 1) on which the parts and statements of a compiled book
/// open, in order, then the page after its last.
fn openings(document: &PagedDocument) -> Vec<usize> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let intro = document.introspector();
    let mut out = Vec::new();
    if let Some(label) = Label::new(typst::utils::PicoStr::intern("pamphleteer-book-mark")) {
        for c in intro.query(&Selector::Label(label)).iter() {
            let Some(m) = c.to_packed::<MetadataElem>() else {
                continue;
            };
            let Value::Dict(d) = &m.value else { continue };
            let field = |k: &str| d.get(k).ok().and_then(|v| v.clone().cast::<String>().ok());
            if field("kind").as_deref() == Some("open")
                && matches!(field("role").as_deref(), Some("statement" | "part"))
                && let Some(page) = c.location().and_then(|l| intro.page(l))
            {
                out.push(page.get());
            }
        }
    }
    out.push(document.pages().len() + 1);
    out
}

/// Warnings made as text (what a PDF does not claim, what an e-book
/// lacks), added to a report.
fn warn(report: &mut Report, warnings: Vec<String>) {
    for w in warnings {
        report.push(Severity::Warning, w);
    }
}

/// What the book's PDF claims (PDF/A-2b with a date; PDF/UA-1 when every
/// statement has a title and every image alt text), and why not the rest.
fn claims(plan: &BookPlan, ctx: &Context) -> (Vec<PdfStandard>, Vec<String>) {
    let mut standards = Vec::new();
    let mut notes = Vec::new();
    if plan.book.meta.date.or(ctx.epoch_date).is_some() {
        standards.push(PdfStandard::A_2b);
    } else {
        notes.push(format!(
            "{}: warning: the book is exported without a PDF/A claim: no statement has a date (set `date` under [anthology] or SOURCE_DATE_EPOCH)",
            plan.book.path.display()
        ));
    }
    let untitled: Vec<String> = plan
        .entries()
        .filter(|e| e.loaded.doc.meta.title.is_none())
        .map(|e| e.source.clone())
        .collect();
    let no_alt: Vec<String> = plan
        .entries()
        .filter(|e| !e.loaded.images_without_alt.is_empty())
        .map(|e| e.source.clone())
        .collect();
    if untitled.is_empty() && no_alt.is_empty() {
        standards.push(PdfStandard::Ua_1);
    } else {
        let mut why = Vec::new();
        if !untitled.is_empty() {
            why.push(format!("a title for {}", untitled.join(", ")));
        }
        if !no_alt.is_empty() {
            why.push(format!("alt text for the images in {}", no_alt.join(", ")));
        }
        notes.push(format!(
            "{}: warning: the book is exported without a PDF/UA-1 claim: it needs {}",
            plan.book.path.display(),
            why.join(" and ")
        ));
    }
    (standards, notes)
}

/// What the book was made into, in memory, and what to tell the user.
#[derive(Default)]
pub(crate) struct BookProducts {
    pub pdf: Option<Vec<u8>>,
    pub pages: usize,
    pub epub: Option<Vec<u8>>,
    pub typst: Option<Vec<u8>>,
    /// Warnings and notes.
    pub report: Report,
}

/// Makes the book's wanted products. The e-book is made on another core
/// while the PDF is laid out (the PDF's compilations are one after
/// another); it waits for the PDF's page map only for its text files, and
/// the PDF is laid out for the e-book's page list even when only the
/// e-book is wanted. Nothing is written: a book that fails anywhere leaves
/// its old files alone.
pub(crate) fn make(
    plan: &BookPlan,
    ctx: &Context,
    wanted: Wanted,
    kept: &dyn Kept,
) -> Result<BookProducts, Error> {
    let mut made = BookProducts {
        report: plan.warnings.clone(),
        ..BookProducts::default()
    };
    let (pages_to, pages_from) = std::sync::mpsc::channel();
    let (pdf, epub) = std::thread::scope(|scope| {
        let epub = scope.spawn(move || {
            wanted
                .epub
                .then(|| {
                    let mut waited = std::time::Duration::ZERO;
                    let started = std::time::Instant::now();
                    let previous = kept.epub();
                    let made = crate::render::epub::anthology(plan, ctx, previous.as_deref(), || {
                        let t = std::time::Instant::now();
                        let map = pages_from.recv().ok();
                        waited = t.elapsed();
                        map
                    });
                    if std::env::var_os("PAMPHLETEER_BOOK_TRACE").is_some() {
                        eprintln!(
                            "book: the e-book: made ({} ms, besides {} ms waiting for the PDF's page map)",
                            (started.elapsed() - waited).as_millis(),
                            waited.as_millis()
                        );
                    }
                    made
                })
                .transpose()
        });
        let pdf = (wanted.pdf || wanted.epub)
            .then(|| pdf(plan, ctx, kept))
            .transpose()
            .map(|book| {
                book.map(|mut book| {
                    // (If the e-book failed first, nobody is listening.)
                    let _ = pages_to.send(std::mem::take(&mut book.page_map));
                    book
                })
            });
        // A failed PDF leaves the e-book waiting no longer.
        drop(pages_to);
        let epub = epub
            .join()
            .unwrap_or_else(|_| Err(Error::product("the book's e-book", "its thread panicked")));
        (pdf, epub)
    });
    if let Some(book) = pdf?.filter(|_| wanted.pdf) {
        made.report.extend(book.report);
        made.pages = book.pages;
        made.pdf = Some(book.bytes);
    }
    if let Some((bytes, notes)) = epub? {
        warn(&mut made.report, notes);
        made.epub = Some(bytes);
    }
    if wanted.typst {
        made.typst = Some(
            crate::write::typst::book::typst_source(plan)
                .text
                .into_bytes(),
        );
    }
    Ok(made)
}
