//! The one pipeline every building command runs over its `Plan`: each
//! statement read once and made into every wanted product on its own core,
//! written atomically, reported; then the book, when the plan has one; then
//! the summary and the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::cmd::output::{Failure, emit, shown, write_atomic};
use crate::cmd::plan::{Job, Mode, Plan};
use crate::cmd::report::{Book, Done, Progress, Written, summary};
use crate::model::diagnostics::SourceError;
use crate::project::anthology::plan as plan_book;
use crate::project::statement::{Loaded, load};
use crate::render::book::BookProducts;
use crate::render::compile::Error;
use crate::render::statement::{Products, products};

/// Builds what the plan says; the exit code tells whether all of it was.
pub(crate) fn run(plan: Plan) -> ExitCode {
    let started = Instant::now();
    let progress = Progress::new(plan.jobs.len() as u64, plan.mode == Mode::Project);
    let keep = plan.book_dir.is_some();
    let done: Vec<Done> = crate::render::parallel::map(&plan.jobs, |job| {
        let (result, loaded) = match load(&job.source, &plan.ctx) {
            Ok(loaded) => {
                let result = make(&loaded, job, &plan);
                (result, keep.then_some(loaded))
            }
            Err(errors) => (Err(Failure::Render(Error::Source(errors))), None),
        };
        // Typst memoises across compiles in one global cache: without
        // eviction a build of hundreds of statements holds every one of
        // them. What the last few used (fonts, the layout) stays warm.
        typst::comemo::evict(4);
        let report = match &result {
            Ok((report, _)) => report.clone(),
            Err(f) => format!("{f}\n\n"),
        };
        progress.finished(&job.source, &report);
        Done {
            source: job.source.clone(),
            result: result.map(|(_, w)| w),
            report,
            loaded,
        }
    });
    progress.clear();
    let book = plan.book_dir.as_deref().map(|dir| book(&plan, &done, dir));
    summary(plan.mode, &done, book, started.elapsed())
}

/// Makes a statement's products and writes them; returns what to print
/// and what was written.
fn make(loaded: &Loaded, job: &Job, plan: &Plan) -> Result<(String, Written), Failure> {
    let made: Products = products(loaded, &plan.ctx, plan.wanted)?;
    let mut written = Written {
        pages: made.pages,
        fitted: made.fitted,
        ..Written::default()
    };
    let mut files = Vec::new();
    let (pages, sides) = (made.pages, made.sides);
    let mut report = made.report;
    let products = [
        ("pdf", true, &made.pdf, &mut written.pdf),
        ("epub", true, &made.epub, &mut written.epub),
        ("typ", true, &made.typst, &mut written.typst),
        ("imposed.pdf", false, &made.imposed, &mut written.imposed),
        ("press.pdf", false, &made.press, &mut written.press),
    ];
    for (ext, main, bytes, size) in products {
        // (A leaflet is not imposed: no sheets.)
        let Some(bytes) = bytes else { continue };
        let path = job.output.path(ext, main);
        emit(&path, bytes)?;
        *size = Some(bytes.len() as u64);
        if plan.mode == Mode::Files {
            report.push_str(&format!(
                "wrote {}{}\n",
                shown(&path),
                details(ext, bytes, pages, sides)
            ));
        }
        files.push(path.display().to_string());
    }
    if plan.mode == Mode::Project {
        report.push_str(&format!(
            "built {} → {}\n",
            job.source.display(),
            files.join(", ")
        ));
    }
    Ok((report, written))
}

/// What a line about a written file says besides its name.
fn details(ext: &str, bytes: &[u8], pages: usize, sides: usize) -> String {
    let kib = bytes.len().div_ceil(1024);
    match ext {
        "typ" => String::new(),
        "pdf" => format!(
            " ({pages} page{}, {kib} KiB)",
            if pages == 1 { "" } else { "s" }
        ),
        "imposed.pdf" => format!(" ({sides} sheet sides, {kib} KiB)"),
        _ => format!(" ({kib} KiB)"),
    }
}

/// Plans the book from the statements as read, makes it, and writes it
/// unless any part of it failed.
fn book(plan: &Plan, done: &[Done], out_dir: &Path) -> Book {
    let all: Vec<(PathBuf, Option<&Loaded>)> = done
        .iter()
        .map(|d| {
            (
                d.source.clone(),
                d.loaded.as_ref().filter(|_| d.result.is_ok()),
            )
        })
        .collect();
    let project = &plan.project;
    let book = match plan_book(project, &plan.ctx, &all) {
        Ok(book) => book,
        Err(errors) => {
            for e in errors {
                eprintln!("{}\n", e.render_from_disk().trim_end());
            }
            return Err(());
        }
    };
    let base = out_dir.join(&book.slug);
    // A statement of the same name must not be overwritten by the book.
    if let Some(d) = done.iter().find(|d| {
        d.source.file_stem() == base.file_name()
            && d.source.parent() == Some(&project.sources_dir())
    }) {
        let file = project.file.clone().unwrap_or_default();
        let line = crate::project::config::key_line(&project.text, "anthology", "slug").max(
            crate::project::config::key_line(&project.text, "anthology", "title"),
        );
        let e = SourceError::new(
            &file,
            line,
            format!(
                "the anthology would be written over {}'s outputs ({})",
                d.source.display(),
                base.with_extension("pdf").display()
            ),
        )
        .hint("set `slug` under [anthology] to another name");
        eprintln!("{}\n", e.render_from_disk().trim_end());
        return Err(());
    }
    let made = crate::render::book::make(&book, &plan.ctx, plan.wanted)
        .map_err(Failure::from)
        .and_then(|made| write_book(&made, &base).map(|names| (made, names)));
    match made {
        Ok((made, names)) => {
            for line in &made.report {
                eprint!("{line}");
                if !line.ends_with('\n') {
                    eprintln!();
                }
            }
            eprintln!(
                "built the anthology ({} statements) → {}",
                book.entries().count(),
                names.join(", ")
            );
            let size = |b: &Option<Vec<u8>>| b.as_ref().map(|b| b.len() as u64);
            Ok(Written {
                pages: made.pages,
                pdf: size(&made.pdf),
                epub: size(&made.epub),
                typst: size(&made.typst),
                ..Written::default()
            })
        }
        Err(f) => {
            eprintln!("{f}\n");
            Err(())
        }
    }
}

/// Writes the book's products (only once every one of them was made).
fn write_book(made: &BookProducts, base: &Path) -> Result<Vec<String>, Failure> {
    let mut names = Vec::new();
    for (bytes, ext) in [
        (&made.pdf, "pdf"),
        (&made.epub, "epub"),
        (&made.typst, "typ"),
    ] {
        if let Some(bytes) = bytes {
            let path = base.with_extension(ext);
            write_atomic(&path, bytes)?;
            names.push(path.display().to_string());
        }
    }
    Ok(names)
}
