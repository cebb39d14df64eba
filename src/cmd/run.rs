//! The one pipeline every building command runs over its `Plan`: each
//! statement read once and made into every wanted product on its own core,
//! written atomically, reported; then the book, when the plan has one; then
//! the summary and the exit code.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::cmd::manifest::{self, Entry, Incremental, Stamp};
use crate::cmd::output::{Failure, emit, shown, write_if_changed};
use crate::cmd::plan::{Job, Mode, Plan};
use crate::cmd::report::{Book, Done, Progress, Written, summary};
use crate::model::diagnostics::SourceError;
use crate::project::anthology::plan as plan_book;
use crate::project::context::Context;
use crate::project::statement::{Loaded, load};
use crate::render::book::{BookProducts, NoSlices, Slices};
use crate::render::compile::Error;
use crate::render::statement::{Products, products};

/// Builds what the plan says; the exit code tells whether all of it was.
/// `build` builds only what changed since the last build (see
/// [`crate::cmd::manifest`]).
pub(crate) fn run(plan: Plan) -> ExitCode {
    let started = Instant::now();
    let progress = Progress::new(plan.jobs.len() as u64, plan.mode == Mode::Project);
    let keep = plan.book_dir.is_some();
    let inc = plan
        .out_dir
        .as_deref()
        .map(|out| Incremental::new(&plan.ctx, &plan.wanted, out, plan.force));
    if let Some(note) = inc.as_ref().and_then(|i| i.note.as_ref()) {
        eprintln!("{note}");
    }
    let done: Vec<Done> = crate::render::parallel::map(&plan.jobs, |job| {
        let key = inc.as_ref().map(|i| i.key(&job.source, &job.output));
        if let (Some(inc), Some(key)) = (&inc, &key)
            && let Some(entry) = inc.fresh(&job.source, key)
        {
            progress.finished(&job.source, &entry.report);
            return Done {
                source: job.source.clone(),
                result: Ok(Written {
                    pages: entry.pages,
                    fitted: entry.fitted,
                    ..Written::default()
                }),
                report: entry.report,
                loaded: None,
                fresh: true,
            };
        }
        let (ctx, reads) = plan.ctx.recording();
        let (result, loaded) = match load(&job.source, &ctx) {
            Ok(loaded) => {
                let result = make(&loaded, job, &plan, &ctx);
                (result, Some(loaded))
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
        if let (Some(inc), Some(key), Ok((_, written)), Some(loaded)) =
            (&inc, key, &result, &loaded)
        {
            let mut more: Vec<String> = loaded.images.iter().map(|(i, _)| i.clone()).collect();
            more.extend(loaded.doc.meta.cover.clone());
            inc.record(
                &job.source,
                Entry {
                    key,
                    deps: inc.files.deps(&reads, &ctx, &more),
                    outputs: written.files.iter().filter_map(|p| Stamp::of(p)).collect(),
                    report: replayed(&report),
                    pages: written.pages,
                    fitted: written.fitted,
                    holds: Vec::new(),
                },
            );
        }
        Done {
            source: job.source.clone(),
            result: result.map(|(_, w)| w),
            report,
            loaded: loaded.filter(|_| keep),
            fresh: false,
        }
    });
    progress.clear();
    if let Some(inc) = &inc {
        let sources: Vec<PathBuf> = plan.jobs.iter().map(|j| j.source.clone()).collect();
        for (source, files) in inc.remove_gone(&sources) {
            let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            if !files.is_empty() {
                eprintln!("removed {} ({source} is gone)", files.join(", "));
            }
        }
    }
    let book = plan
        .book_dir
        .as_deref()
        .map(|dir| book(&plan, &done, dir, inc.as_ref()));
    if let Some(inc) = &inc
        && let Err(e) = inc.save()
    {
        eprintln!("{e}");
    }
    summary(plan.mode, &done, book, started.elapsed())
}

/// What a statement's report says again when it is up to date: its
/// warnings and notes, not that it was built.
fn replayed(report: &str) -> String {
    report
        .lines()
        .filter(|l| !l.starts_with("built "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Makes a statement's products and writes them; returns what to print
/// and what was written.
fn make(
    loaded: &Loaded,
    job: &Job,
    plan: &Plan,
    ctx: &Context,
) -> Result<(String, Written), Failure> {
    let made: Products = products(loaded, ctx, plan.wanted)?;
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
        match plan.mode {
            Mode::Files => emit(&path, bytes)?,
            Mode::Project => {
                write_if_changed(&path, bytes)?;
            }
        }
        *size = Some(bytes.len() as u64);
        if plan.mode == Mode::Files {
            report.push_str(&format!(
                "wrote {}{}\n",
                shown(&path),
                details(ext, bytes, pages, sides)
            ));
        }
        files.push(path.display().to_string());
        written.files.push(path);
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
/// unless any part of it failed; or finds it up to date.
fn book(plan: &Plan, done: &[Done], out_dir: &Path, inc: Option<&Incremental>) -> Book {
    let sources: Vec<PathBuf> = done.iter().map(|d| d.source.clone()).collect();
    let all_ok = done.iter().all(|d| d.result.is_ok());
    if let Some(inc) = inc
        && all_ok
        && let Some(entry) = inc.fresh_book(&sources)
    {
        eprint!("{}", entry.report);
        return Ok(Written {
            pages: entry.pages,
            fresh: true,
            ..Written::default()
        });
    }
    // Statements that were up to date are read now: the book needs them.
    let fresh: Vec<&Done> = done
        .iter()
        .filter(|d| d.fresh && d.loaded.is_none())
        .collect();
    let read: Vec<Option<Loaded>> =
        crate::render::parallel::map(&fresh, |d| load(&d.source, &plan.ctx).ok());
    let read: HashMap<&Path, &Loaded> = fresh
        .iter()
        .zip(&read)
        .filter_map(|(d, l)| l.as_ref().map(|l| (d.source.as_path(), l)))
        .collect();
    let all: Vec<(PathBuf, Option<&Loaded>)> = done
        .iter()
        .map(|d| {
            let loaded = d
                .loaded
                .as_ref()
                .or_else(|| read.get(d.source.as_path()).copied());
            (d.source.clone(), loaded.filter(|_| d.result.is_ok()))
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
    let (ctx, reads) = plan.ctx.recording();
    let slices = inc.map(Incremental::slices);
    let kept: &dyn Slices = match &slices {
        Some(s) => s,
        None => &NoSlices,
    };
    let made = crate::render::book::make(&book, &ctx, plan.wanted, kept)
        .map_err(Failure::from)
        .and_then(|made| write_book(&made, &base).map(|names| (made, names)));
    if let (Some(slices), Ok(_)) = (&slices, &made) {
        slices.prune();
    }
    match made {
        Ok((made, names)) => {
            let mut report = String::new();
            for line in &made.report {
                report.push_str(line);
                if !line.ends_with('\n') {
                    report.push('\n');
                }
            }
            eprint!("{report}");
            eprintln!(
                "built the anthology ({} statements) → {}",
                book.entries().count(),
                names.join(", ")
            );
            if let Some(inc) = inc {
                let holds: Vec<String> = book
                    .entries()
                    .map(|e| manifest::name(&e.loaded.doc.path, &project.root))
                    .collect();
                let mut more: Vec<String> = book
                    .entries()
                    .flat_map(|e| e.loaded.images.iter().map(|(i, _)| i.clone()))
                    .collect();
                more.extend(
                    book.preface
                        .as_ref()
                        .map(|p| manifest::name(&p.doc.path, &project.root)),
                );
                let stale = inc.record_book(Entry {
                    key: inc.book_key(&sources, &holds),
                    deps: inc.files.deps(&reads, &ctx, &more),
                    outputs: names
                        .iter()
                        .filter_map(|n| Stamp::of(Path::new(n)))
                        .collect(),
                    report,
                    pages: made.pages,
                    fitted: false,
                    holds,
                });
                if !stale.is_empty() {
                    let stale: Vec<String> =
                        stale.iter().map(|f| f.display().to_string()).collect();
                    eprintln!("removed {} (the anthology's old name)", stale.join(", "));
                }
            }
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

/// Writes the book's products (only once every one of them was made);
/// one whose bytes did not change is left as it was.
fn write_book(made: &BookProducts, base: &Path) -> Result<Vec<String>, Failure> {
    let mut names = Vec::new();
    for (bytes, ext) in [
        (&made.pdf, "pdf"),
        (&made.epub, "epub"),
        (&made.typst, "typ"),
    ] {
        if let Some(bytes) = bytes {
            let path = base.with_extension(ext);
            write_if_changed(&path, bytes)?;
            names.push(path.display().to_string());
        }
    }
    Ok(names)
}
