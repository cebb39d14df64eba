//! The one path from Typst source to PDF bytes: a World, the compilation,
//! its warnings and errors (mapped back to the Markdown), the PDF claims
//! and the export.

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_kit::diagnostics::{DiagnosticFormat, termcolor::NoColor};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::diagnostics::Failure;
use crate::model::document::{Date, Document};
use crate::project::context::Context;
use crate::project::statement::{Loaded, source_name};
use crate::render::world::BuildWorld;
use crate::write::typst::statement::TypstSource;

/// A compiled statement and what Typst warned about.
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
    /// The world and source it was compiled from, for export diagnostics.
    pub world: BuildWorld,
    pub typ: TypstSource,
}

/// Compiles the Typst source in-process. Font warnings are errors: a
/// missing family would silently change the look.
pub fn compile(loaded: &Loaded, typ: &TypstSource, ctx: &Context) -> Result<Compiled, Failure> {
    let world = world(loaded, typ, ctx);
    let result = typst::compile::<PagedDocument>(&world);
    let (font_warnings, warnings): (Vec<_>, Vec<_>) = result
        .warnings
        .iter()
        .cloned()
        .partition(|w| w.message.contains("font family"));
    match result.output {
        Ok(document) if font_warnings.is_empty() => Ok(Compiled {
            document,
            warnings: warnings
                .iter()
                .map(|w| render(&world, typ, &loaded.doc, w))
                .collect(),
            world,
            typ: typ.clone(),
        }),
        Ok(_) => {
            let report: String = font_warnings
                .into_iter()
                .map(|mut w| {
                    w.severity = Severity::Error;
                    w.hint(format!(
                        "the fonts available are: {}",
                        ctx.shared.families().join(", ")
                    ));
                    render(&world, typ, &loaded.doc, &w)
                })
                .collect();
            Err(Failure::Typst(report))
        }
        Err(errors) => Err(Failure::Typst(
            errors
                .iter()
                .map(|e| render(&world, typ, &loaded.doc, e))
                .collect(),
        )),
    }
}

fn world(loaded: &Loaded, typ: &TypstSource, ctx: &Context) -> BuildWorld {
    let stem = loaded
        .doc
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    BuildWorld::new(
        ctx.shared.clone(),
        &ctx.root,
        typ.text.clone(),
        format!("{stem}.typ (generated)"),
        loaded.doc.meta.date.or(ctx.epoch_date),
    )
}

/// Typst diagnostics, codespan-style, as text.
pub fn emit_diagnostics(world: &BuildWorld, diags: &[SourceDiagnostic]) -> String {
    let mut out = NoColor::new(Vec::new());
    let _ = typst_kit::diagnostics::emit(&mut out, world, diags, DiagnosticFormat::Human);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// One Typst diagnostic, codespan-style, with the Markdown line behind it
/// when it points into the generated file.
fn render(
    world: &BuildWorld,
    typ: &TypstSource,
    doc: &Document,
    diag: &SourceDiagnostic,
) -> String {
    let mut text = emit_diagnostics(world, std::slice::from_ref(diag));
    if diag.span.id() == Some(world.main_source().id())
        && let Some(range) = world.range(diag.span)
        && let Some(line) = typ.md_line_at(range.start)
    {
        text.push_str(&format!(
            "  = note: this code was written for {}:{line}\n\n",
            doc.path.display()
        ));
    }
    text
}

/// The PDF standards a document can truthfully claim, and why any is missing.
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

/// Exports a compiled statement as PDF/A-2b (and PDF/UA-1 where it holds),
/// with a fixed identifier and timestamp so that the bytes are reproducible.
pub fn pdf(
    loaded: &Loaded,
    compiled: &Compiled,
    ctx: &Context,
) -> Result<(Vec<u8>, Vec<String>), Failure> {
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
    let bytes = typst_pdf::pdf(&compiled.document, &options).map_err(|errors| {
        // The same complaint for many glyphs: show a few.
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<&SourceDiagnostic> = errors.iter().filter(|e| seen.insert(e.message.clone())).collect();
        let mut report: String = distinct
            .iter()
            .take(3)
            .map(|e| {
                let mut e = (*e).clone();
                if e.message.contains("glyph") || e.message.contains("could not be displayed") {
                    e.hint("the shipped fonts cover Latin, Greek and Cyrillic: put a font for this script in the project's fonts/ or use --system-fonts");
                }
                render(&compiled.world, &compiled.typ, &loaded.doc, &e)
            })
            .collect();
        if errors.len() > 3 {
            report.push_str(&format!("({} errors in all)\n", errors.len()));
        }
        Failure::Typst(report)
    })?;
    Ok((bytes, notes))
}

/// Export options that make the same bytes from the same input: a fixed
/// identifier, and the document's date (never the clock) as timestamp.
pub fn pdf_options(
    ident: String,
    date: Option<Date>,
    standards: &[PdfStandard],
) -> Result<PdfOptions, Failure> {
    Ok(PdfOptions {
        ident: Smart::Custom(ident),
        timestamp: date
            .and_then(|d| Datetime::from_ymd(d.year, d.month, d.day))
            .map(Timestamp::new_utc),
        standards: PdfStandards::new(standards)
            .map_err(|e| Failure::Typst(format!("error: {}", e.message())))?,
        ..PdfOptions::default()
    })
}
