//! The one path from Typst source to PDF bytes, for leaflets, books, book
//! parts, imposed sheets, press PDFs and covers alike: a World, the
//! compilation, its warnings and errors as data (each mapped back to the
//! Markdown line that produced the code it points at), the PDF claims and
//! the export. Typst's own `Warned { output, warnings }` is the model:
//! warnings travel with what was made, errors instead of it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_kit::diagnostics::{DiagnosticFormat, termcolor::NoColor};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::diagnostics::Diagnostic;
use crate::model::document::Date;
use crate::project::context::Context;
use crate::project::statement::{Loaded, source_name};
use crate::render::world::BuildWorld;

/// Why rendering made nothing.
#[derive(Debug)]
pub enum Error {
    /// Problems in the user's files, each at its line: errors, and the
    /// warnings found with them, in line order.
    Source(Vec<Diagnostic>),
    /// Typst refused the document.
    Typst(Vec<TypstDiagnostic>),
    /// A step after Typst failed: joining a book's parts, a press PDF's
    /// boxes, a cover's image, an e-book's package.
    Product {
        /// What was being made ("the book", "the press PDF").
        what: String,
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    pub fn product(what: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::Product {
            what: what.into(),
            message: message.to_string(),
            hint: None,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(e: Diagnostic) -> Self {
        Error::Source(vec![e])
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(all: Vec<Diagnostic>) -> Self {
        Error::Source(all)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Source(all) => {
                let text: Vec<String> = all
                    .iter()
                    .map(|e| e.rendered().trim_end().to_string())
                    .collect();
                f.write_str(&text.join("\n\n"))
            }
            Error::Typst(all) => {
                let text: String = all.iter().map(ToString::to_string).collect();
                f.write_str(text.trim_end())
            }
            Error::Product {
                what,
                message,
                hint,
            } => {
                write!(f, "error: {what}: {message}")?;
                match hint {
                    Some(hint) => write!(f, "\n  = hint: {hint}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for Error {}

/// One of Typst's warnings or errors, as its CLI shows it, and the
/// Markdown line behind the generated code it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct TypstDiagnostic {
    pub error: bool,
    pub message: String,
    /// The report: the message, the code it points at, the hints.
    pub shown: String,
    /// The Markdown file and line the code was written for.
    pub written_for: Option<(PathBuf, usize)>,
}

impl fmt::Display for TypstDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)?;
        if let Some((path, line)) = &self.written_for {
            write!(
                f,
                "  = note: this code was written for {}:{line}\n\n",
                path.display()
            )?;
        }
        Ok(())
    }
}

/// Typst source to compile.
pub struct Input {
    pub text: String,
    /// What messages call the generated file (`x.typ (generated)`).
    pub name: String,
    /// The date `datetime.today()` gives.
    pub today: Option<Date>,
    /// `(byte offset, Markdown file, line)` at each point where the
    /// Markdown behind the text changes; line 0 is code with none behind it.
    pub origins: Vec<(usize, PathBuf, usize)>,
    /// Files that are not on disk (path from the project root, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

impl Input {
    pub fn new(text: String, name: String, today: Option<Date>) -> Self {
        Input {
            text,
            name,
            today,
            origins: Vec::new(),
            files: Vec::new(),
        }
    }

    /// The Markdown file and line behind a byte offset of the text.
    fn origin(&self, offset: usize) -> Option<(&Path, usize)> {
        let i = self.origins.partition_point(|(at, _, _)| *at <= offset);
        i.checked_sub(1)
            .map(|i| (self.origins[i].1.as_path(), self.origins[i].2))
            .filter(|(_, line)| *line > 0)
    }
}

/// A compiled document, what Typst warned about, and the world it was
/// compiled in (for the export's diagnostics).
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<TypstDiagnostic>,
    world: BuildWorld,
    input: Input,
}

/// What Typst itself took in this process, summed over threads: its
/// layouts (compilations) and PDF exports, each a count and nanoseconds.
/// A run's total against its wall time says how much of it is Typst's.
pub struct TypstTime {
    pub compiles: AtomicU64,
    pub compile_nanos: AtomicU64,
    pub exports: AtomicU64,
    pub export_nanos: AtomicU64,
}

pub static TYPST_TIME: TypstTime = TypstTime {
    compiles: AtomicU64::new(0),
    compile_nanos: AtomicU64::new(0),
    exports: AtomicU64::new(0),
    export_nanos: AtomicU64::new(0),
};

fn count(n: &AtomicU64, nanos: &AtomicU64, since: Instant) {
    n.fetch_add(1, Ordering::Relaxed);
    nanos.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

impl Compiled {
    /// Where a span of the laid-out document (a glyph's, say) lies in the
    /// generated file; `None` for what another file holds (a layout's own
    /// text, or a value the layout sets).
    pub fn generated(&self, span: typst::syntax::Span) -> Option<std::ops::Range<usize>> {
        if span.id() != Some(self.world.main_source().id()) {
            return None;
        }
        self.world.range(span)
    }

    /// The Markdown file and line behind a byte offset of the generated
    /// file (`None` for code with no line behind it).
    pub fn written_for(&self, offset: usize) -> Option<(&Path, usize)> {
        self.input.origin(offset)
    }
}

/// Compiles Typst source in the project's world. A warning about a font
/// family is an error: a missing family would silently change the look.
pub fn compile(mut input: Input, ctx: &Context) -> Result<Compiled, Error> {
    // The world takes the text and the files; the input keeps its map back
    // to the Markdown for the messages.
    let mut world = BuildWorld::new(
        ctx.shared.clone(),
        &ctx.root,
        std::mem::take(&mut input.text),
        std::mem::take(&mut input.name),
        input.today,
    )
    .recording(ctx.reads.clone());
    for (path, bytes) in std::mem::take(&mut input.files) {
        world = world.with_file(&path, bytes);
    }
    let started = Instant::now();
    let result = typst::compile::<PagedDocument>(&world);
    count(&TYPST_TIME.compiles, &TYPST_TIME.compile_nanos, started);
    let (fonts, warnings): (Vec<_>, Vec<_>) = result
        .warnings
        .iter()
        .cloned()
        .partition(|w| w.message.contains("font family"));
    let diagnostic = |d: &SourceDiagnostic| diagnostic(&world, &input, d);
    match result.output {
        Ok(document) if fonts.is_empty() => {
            let warnings = warnings.iter().map(diagnostic).collect();
            Ok(Compiled {
                document,
                warnings,
                world,
                input,
            })
        }
        Ok(_) => Err(Error::Typst(
            fonts
                .into_iter()
                .map(|mut w| {
                    w.severity = Severity::Error;
                    w.hint(format!(
                        "the fonts available are: {}",
                        ctx.shared.families().join(", ")
                    ));
                    diagnostic(&w)
                })
                .collect(),
        )),
        Err(errors) => Err(Error::Typst(errors.iter().map(diagnostic).collect())),
    }
}

/// Exports a compiled document as PDF. The same complaint about many
/// glyphs is shown for a few.
pub fn export(compiled: &Compiled, options: &PdfOptions) -> Result<Vec<u8>, Error> {
    let started = Instant::now();
    let pdf = typst_pdf::pdf(&compiled.document, options);
    count(&TYPST_TIME.exports, &TYPST_TIME.export_nanos, started);
    pdf.map_err(|errors| {
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<&SourceDiagnostic> = errors
            .iter()
            .filter(|e| seen.insert(e.message.clone()))
            .collect();
        let mut shown: Vec<TypstDiagnostic> = distinct
            .iter()
            .take(3)
            .map(|e| {
                let mut e = (*e).clone();
                if e.message.contains("glyph") || e.message.contains("could not be displayed") {
                    e.hint("the shipped fonts cover Latin, Greek, Cyrillic, Arabic and Hebrew: put a font for this script in the project's fonts/ or use --system-fonts");
                }
                diagnostic(&compiled.world, &compiled.input, &e)
            })
            .collect();
        if errors.len() > 3
            && let Some(last) = shown.last_mut()
        {
            last.shown.push_str(&format!("({} errors in all)\n", errors.len()));
        }
        Error::Typst(shown)
    })
}

/// One Typst diagnostic, codespan-style, with the Markdown line behind it
/// when it points into the generated file.
fn diagnostic(world: &BuildWorld, input: &Input, diag: &SourceDiagnostic) -> TypstDiagnostic {
    let mut out = NoColor::new(Vec::new());
    let _ = typst_kit::diagnostics::emit(
        &mut out,
        world,
        std::slice::from_ref(diag),
        DiagnosticFormat::Human,
    );
    let written_for = (diag.span.id() == Some(world.main_source().id()))
        .then(|| world.range(diag.span))
        .flatten()
        .and_then(|range| input.origin(range.start))
        .map(|(path, line)| (path.to_path_buf(), line));
    TypstDiagnostic {
        error: diag.severity == Severity::Error,
        message: diag.message.to_string(),
        shown: String::from_utf8_lossy(&out.into_inner()).into_owned(),
        written_for,
    }
}

/// The PDF standards a statement can truthfully claim, and why any is
/// missing.
pub fn standards_for(loaded: &Loaded, ctx: &Context) -> (Vec<PdfStandard>, Vec<String>) {
    let mut standards = Vec::new();
    let mut why_not = Vec::new();
    if loaded.doc.meta.date.or(ctx.epoch_date).is_some() {
        standards.push(PdfStandard::A_2b);
    } else {
        why_not.push(
            "PDF/A-2b needs a date: add `date:` to the front matter or set SOURCE_DATE_EPOCH"
                .to_string(),
        );
    }
    let mut ua = Vec::new();
    if loaded.doc.meta.title.is_none() {
        ua.push("a title (add `title:` to the front matter)".to_string());
    }
    if !loaded.images_without_alt.is_empty() {
        let lines: Vec<String> = loaded
            .images_without_alt
            .iter()
            .map(|l| l.to_string())
            .collect();
        ua.push(format!(
            "alt text for the images on line {}",
            lines.join(", ")
        ));
    }
    if ua.is_empty() {
        standards.push(PdfStandard::Ua_1);
    } else {
        why_not.push(format!("PDF/UA-1 needs {}", ua.join(" and ")));
    }
    (standards, why_not)
}

/// A statement's reading PDF: PDF/A-2b (and PDF/UA-1 where it holds),
/// with notes on what it does not claim and why.
pub fn pdf(
    loaded: &Loaded,
    compiled: &Compiled,
    ctx: &Context,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let (standards, why_not) = standards_for(loaded, ctx);
    let notes: Vec<String> = why_not
        .iter()
        .map(|why| {
            format!(
                "{}: warning: exported without a claim: {why}",
                loaded.doc.path.display()
            )
        })
        .collect();
    let options = pdf_options(
        format!("pamphleteer/{}", source_name(&loaded.doc.path, &ctx.root)),
        loaded.doc.meta.date.or(ctx.epoch_date),
        &standards,
    )?;
    Ok((export(compiled, &options)?, notes))
}

/// Export options that make the same bytes from the same input: a fixed
/// identifier, and the document's date (never the clock) as timestamp.
pub fn pdf_options(
    ident: String,
    date: Option<Date>,
    standards: &[PdfStandard],
) -> Result<PdfOptions, Error> {
    Ok(PdfOptions {
        ident: Smart::Custom(ident),
        timestamp: date
            .and_then(|d| Datetime::from_ymd(d.year, d.month, d.day))
            .map(Timestamp::new_utc),
        standards: PdfStandards::new(standards)
            .map_err(|e| Error::product("the PDF's standards", e.message()))?,
        ..PdfOptions::default()
    })
}
