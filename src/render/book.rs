//! The anthology: a project's statements collected into one book, a PDF
//! (`layouts/book.typ`) and an EPUB, from the same parsed statements the
//! leaflets are made from.

use std::ops::Range;

use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

use crate::model::diagnostics::Failure;
use crate::project::anthology::{Item, Plan, items};
use crate::project::context::Context;
use crate::render::world::BuildWorld;
use crate::write::typst::book::{BookSource, Slice, typst_slice};
use crate::write::typst::statement::body;

/// The book compiled, with what Typst warned about.
pub struct CompiledBook {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
}

/// Compiles the book in-process.
pub fn compile(plan: &Plan, source: &BookSource, ctx: &Context) -> Result<CompiledBook, Failure> {
    let world = BuildWorld::new(
        ctx.shared.clone(),
        &ctx.root,
        source.text.clone(),
        format!("{}.typ (generated)", plan.slug),
        plan.book.meta.date.or(ctx.epoch_date),
    );
    let result = typst::compile::<PagedDocument>(&world);
    let render = |d: &typst::diag::SourceDiagnostic| {
        let mut text = crate::render::compile::emit_diagnostics(&world, std::slice::from_ref(d));
        if d.span.id() == Some(world.main_source().id())
            && let Some(range) = typst::WorldExt::range(&world, d.span)
            && let Some((path, line)) = source.origin(range.start)
        {
            text.push_str(&format!(
                "  = note: this code was written for {}:{line}\n\n",
                path.display()
            ));
        }
        text
    };
    match result.output {
        Ok(document) => Ok(CompiledBook {
            document,
            warnings: result.warnings.iter().map(render).collect(),
        }),
        Err(errors) => Err(Failure::Typst(errors.iter().map(render).collect())),
    }
}

/// The book's PDF, with what making it reported.
pub struct BookPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Typst's warnings (each once) and notes on what the PDF claims.
    pub report: Vec<String>,
}

/// About how much Markdown one compilation of the book lays out: some 25
/// statements of 1,500 words, 160 A5 pages. Typst holds about a megabyte a
/// page while it lays a document out, so a longer book is compiled in parts
/// of this size whose PDFs are joined; a shorter one in one piece. The
/// environment variable `PAMPHLETEER_BOOK_PART_BYTES` sets another size.
pub const PART_BYTES: usize = 256 * 1024;

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
            let weight = body(&e.loaded.doc, "").0.len();
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

/// The book as a PDF: PDF/A-2b with a date, PDF/UA-1 when every statement
/// has a title and every image alt text. A book longer than [`PART_BYTES`]
/// is compiled in parts (see [`crate::render::pdfjoin`]): the front matter with
/// every statement as a one-page stand-in, for its length; then each run
/// of statements after that many blank pages, which gives their page
/// counts; then the front matter again with stand-ins of those lengths, so
/// that the contents have the right pages and links. Each compilation is
/// dropped before the next, so memory follows the longest part, not the
/// book.
pub fn pdf(plan: &Plan, ctx: &Context) -> Result<BookPdf, Failure> {
    let (standards, notes) = claims(plan, ctx);
    let options = crate::render::compile::pdf_options(
        format!("pamphleteer/anthology/{}", plan.slug),
        plan.book.meta.date.or(ctx.epoch_date),
        &standards,
    )?;
    let mut report: Vec<String> = Vec::new();
    let mut run = |slice: &Slice| -> Result<PagedDocument, Failure> {
        // Nothing a previous compilation left in Typst's cache helps this one.
        typst::comemo::evict(0);
        let book = compile(plan, &typst_slice(plan, slice), ctx)?;
        for w in book.warnings {
            if !report.contains(&w) {
                report.push(w);
            }
        }
        Ok(book.document)
    };
    let export = |document: &PagedDocument| export(document, &options);
    let items = items(plan);
    let ranges = split(&items, part_bytes());
    if ranges.len() == 1 {
        let document = run(&Slice::Whole)?;
        let bytes = export(&document)?;
        report.extend(notes);
        return Ok(BookPdf {
            bytes,
            pages: document.pages().len(),
            report,
        });
    }
    let mismatch = |what: &str| {
        Failure::Typst(format!(
            "error: the book: {what}\n  = hint: the parts of a long book must lay out as the whole does; set PAMPHLETEER_BOOK_PART_BYTES larger than the book's Markdown to compile it in one piece\n"
        ))
    };
    let mut front = openings(&run(&Slice::Front(None))?)[0] - 1;
    for _ in 0..3 {
        // Page numbers from 1: where each item opens, where each run starts.
        let mut opens_at = vec![0; items.len() + 1];
        let mut parts = Vec::new();
        let mut start = front + 1;
        for range in &ranges {
            let document = run(&Slice::Items {
                range: range.clone(),
                first: start,
            })?;
            // The openings: perhaps a stand-in for the part the run is
            // under, the run's items, the next item's, the end.
            let opens = openings(&document);
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
            let pdf = export(&document)?;
            let count = document.pages().len();
            drop(document);
            typst::comemo::evict(0);
            parts.push(crate::render::pdfjoin::Part {
                pdf,
                pages: (1..=count).map(|p| (p + shift).checked_sub(1)).collect(),
                sets: start - 1..end - 1,
            });
            start = end;
        }
        let total = start - 1;
        let document = run(&Slice::Front(Some(&opens_at[..items.len()])))?;
        let opens = openings(&document);
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
        let mut pages: Vec<Option<usize>> = vec![None; document.pages().len()];
        for (p, page) in pages.iter_mut().enumerate().take(front) {
            *page = Some(p);
        }
        for (k, o) in opens[..items.len()].iter().enumerate() {
            pages[o - 1] = Some(opens_at[k] - 1);
        }
        parts.insert(
            0,
            crate::render::pdfjoin::Part {
                pdf: export(&document)?,
                pages,
                sets: 0..front,
            },
        );
        drop(document);
        typst::comemo::evict(0);
        let bytes = crate::render::pdfjoin::join(&parts)
            .map_err(|e| Failure::Typst(format!("error: the book: {e}\n")))?;
        report.extend(notes);
        return Ok(BookPdf {
            bytes,
            pages: total,
            report,
        });
    }
    Err(mismatch("its contents do not settle on a number of pages"))
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

/// What the book's PDF claims (PDF/A-2b with a date; PDF/UA-1 when every
/// statement has a title and every image alt text), and why not the rest.
fn claims(plan: &Plan, ctx: &Context) -> (Vec<PdfStandard>, Vec<String>) {
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

fn export(document: &PagedDocument, options: &typst_pdf::PdfOptions) -> Result<Vec<u8>, Failure> {
    typst_pdf::pdf(document, options).map_err(|errors| {
        let mut seen = std::collections::HashSet::new();
        Failure::Typst(
            errors
                .iter()
                .filter(|e| seen.insert(e.message.clone()))
                .take(3)
                .map(|e| format!("error: the book: {}\n", e.message))
                .collect(),
        )
    })
}
