//! The one pipeline every building command runs over its `Plan`. Each
//! statement is read once; then its products and the book's are made side
//! by side, one piece of work per core, the book (the longest piece, a
//! chain of compilations) first so that it overlaps the statements instead
//! of following them; everything is written atomically and reported; then
//! the summary and the exit code. `build` makes only what changed since
//! the last build (see [`crate::cmd::manifest`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use crate::cmd::manifest::{self, Entry, Incremental, KeptBook, Stamp};
use crate::cmd::output::{Failure, emit, shown, write_if_changed};
use crate::cmd::plan::{Job, Mode, Plan, Read};
use crate::cmd::report::{Book, Done, Progress, Written, summary};
use crate::model::diagnostics::SourceError;
use crate::model::document::{Event, Inline, Node};
use crate::project::anthology::plan as plan_book;
use crate::project::context::{Context, Reads};
use crate::project::statement::{Loaded, load};
use crate::render::book::{BookProducts, Kept, NothingKept};
use crate::render::compile::Error;
use crate::render::statement::{Products, products};

/// One piece of work of a run.
enum Task<'p> {
    /// The book, planned.
    Book(&'p BookPlan<'p>),
    /// The statement of this job (by its index).
    Statement(usize),
    /// A parallel edition (by its index among those planned).
    Parallel(usize),
}

/// What a piece of work came to.
enum Outcome {
    Book(Result<BookProducts, Failure>),
    Statement(Done),
    /// The line to print, or the error.
    Parallel(Result<String, String>),
}

/// Builds what the plan says; the exit code tells whether all of it was.
pub(crate) fn run(plan: Plan) -> ExitCode {
    let started = Instant::now();
    let progress = Progress::new(plan.jobs.len() as u64, plan.mode == Mode::Project);
    let inc = plan
        .out_dir
        .as_deref()
        .map(|out| Incremental::new(&plan.ctx, &plan.wanted, out, plan.force));
    if let Some(note) = inc.as_ref().and_then(|i| i.note.as_ref()) {
        eprintln!("{note}");
    }
    let sources: Vec<PathBuf> = plan.jobs.iter().map(|j| j.source.clone()).collect();
    // Each statement read once, all of them: what one edition shows
    // depends on the others (see `read_all`).
    let (loads, related) = read_all(&plan, &sources);
    let Freshness {
        keys,
        fresh,
        fresh_book,
    } = freshness(&plan, inc.as_ref(), &sources, &related);
    // `watch`'s book round makes the book alone, when every statement is
    // up to date (one that is not is another round's, under way).
    let book_round = plan.news.is_some();
    if book_round && (fresh_book.is_some() || fresh.iter().any(Option::is_none)) {
        return ExitCode::SUCCESS;
    }
    let book_wanted = plan.book_dir.is_some() && fresh_book.is_none();
    let loaded = |i: usize| loads[i].as_ref().and_then(|l| l.as_ref().ok());
    let all: Vec<(PathBuf, Option<&Loaded>)> = (0..plan.jobs.len())
        .map(|i| (sources[i].clone(), loaded(i)))
        .collect();
    let book_plan = match (&plan.book_dir, book_wanted) {
        (Some(dir), true) => Some(plan_the_book(&plan, &all, dir)),
        _ => None,
    };
    let mut tasks: Vec<Task> = Vec::new();
    if let Some(Ok(book)) = &book_plan {
        tasks.push(Task::Book(book));
    }
    tasks.extend(
        (0..plan.jobs.len())
            .filter(|i| fresh[*i].is_none())
            .map(Task::Statement),
    );
    let parallels = crate::cmd::parallel::planned(&plan, &loads, &keys, inc.as_ref());
    if !book_round {
        tasks.extend(
            (0..parallels.len())
                .filter(|k| parallels[*k].fresh.is_none())
                .map(Task::Parallel),
        );
    }
    let (book_ctx, book_reads) = plan.ctx.recording();
    let kept = inc
        .as_ref()
        .filter(|_| book_wanted)
        .map(Incremental::kept_book)
        .map(|mut kept| {
            kept.news = plan.news.clone();
            kept
        });
    let outcomes: Vec<Outcome> = crate::render::parallel::map(&tasks, |task| match task {
        Task::Book(book) => {
            let kept: &dyn Kept = match &kept {
                Some(k) => k,
                None => &NothingKept,
            };
            Outcome::Book(
                crate::render::book::make(&book.plan, &book_ctx, plan.wanted, kept)
                    .map_err(Failure::from),
            )
        }
        Task::Statement(i) => {
            let job = &plan.jobs[*i];
            let done = statement(
                &plan,
                job,
                keys[*i].clone(),
                loads[*i].as_ref(),
                inc.as_ref(),
            );
            progress.finished(&job.source, &done.report);
            Outcome::Statement(done)
        }
        Task::Parallel(k) => Outcome::Parallel(crate::cmd::parallel::build(
            &plan,
            &parallels[*k],
            &loads,
            inc.as_ref(),
        )),
    });
    progress.clear();
    let (mut built, made_book, made_parallel) = sort_out(&tasks, outcomes);
    let done: Vec<Done> = (0..plan.jobs.len())
        .map(|i| match (built.remove(&i), &fresh[i]) {
            (Some(done), _) => done,
            (None, entry) => {
                let entry = entry.clone().unwrap_or_default();
                if plan.replay && !book_round {
                    progress.finished(&sources[i], &entry.report);
                }
                up_to_date(&sources[i], entry)
            }
        })
        .collect();
    if let Some(inc) = &inc {
        remove_gone(inc, &sources);
    }
    let book = match (fresh_book, book_plan) {
        (Some(entry), _) => {
            if plan.replay {
                eprint!("{}", entry.report);
            }
            Some(Ok(Written {
                pages: entry.pages,
                fresh: true,
                ..Written::default()
            }))
        }
        // Files changed while it was made: the next round makes it.
        (None, Some(Ok(_)))
            if plan.news.as_ref().is_some_and(|news| news())
                && made_book.as_ref().is_none_or(Result::is_err) =>
        {
            return ExitCode::SUCCESS;
        }
        (None, Some(Ok(book))) => Some(finish_book(
            &plan,
            &book,
            &done,
            &loads,
            made_book,
            inc.as_ref().map(|i| (i, &book_reads, &book_ctx)),
            kept.as_ref(),
        )),
        (None, Some(Err(why))) => {
            eprintln!("{why}");
            Some(Err(()))
        }
        (None, None) => None,
    };
    // The parallel editions: those made, those up to date, those no
    // longer asked for (removed).
    let parallel_failed = made_parallel.iter().any(Result::is_err);
    for made in &made_parallel {
        eprint!("{}", made.as_ref().unwrap_or_else(|e| e));
    }
    // (While a statement fails, what it would be paired in is not known:
    // nothing is removed.)
    let all_read = loads.iter().all(|l| matches!(l, Some(Ok(_))));
    if let Some(inc) = inc
        .as_ref()
        .filter(|_| plan.mode == Mode::Project && !book_round && all_read)
    {
        let planned: Vec<String> = parallels
            .iter()
            .map(|p| p.path.display().to_string())
            .collect();
        for gone in inc.remove_unplanned(&planned) {
            eprintln!("removed {} (no longer asked for)", gone.display());
        }
    }
    if let Some(inc) = &inc
        && let Err(e) = inc.save()
    {
        eprintln!("{e}");
    }
    if book_round {
        return match book {
            Some(Err(())) => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        };
    }
    if std::env::var_os("PAMPHLETEER_TIMINGS").is_some() {
        timings(started.elapsed());
    }
    match summary(plan.mode, &done, book, started.elapsed()) {
        code if parallel_failed && code == ExitCode::SUCCESS => ExitCode::from(1),
        code => code,
    }
}

/// `PAMPHLETEER_TIMINGS=1`: how the run's time compares with Typst's own.
fn timings(wall: std::time::Duration) {
    use std::sync::atomic::Ordering::Relaxed;
    let t = &crate::render::compile::TYPST_TIME;
    let secs = |n: &std::sync::atomic::AtomicU64| n.load(Relaxed) as f64 / 1e9;
    let (layout, export) = (secs(&t.compile_nanos), secs(&t.export_nanos));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ideal = (layout + export) / cores as f64;
    eprintln!(
        "timings: Typst laid out {} documents in {layout:.2} s and exported {} PDFs in {export:.2} s (summed over threads); over {cores} cores that is {ideal:.2} s; the run took {:.2} s ({:.2}×)",
        t.compiles.load(Relaxed),
        t.exports.load(Relaxed),
        wall.as_secs_f64(),
        wall.as_secs_f64() / ideal.max(1e-9)
    );
}

/// Reads every statement of the plan (and, for the file commands, the
/// project's other statements) and tells each what it shows of the others:
/// its editions in other languages, its online address, where its links
/// lead. A statement that a translation group's error names, or with a
/// link to nothing, fails with it. Returns the reads, by
/// job, and for each what it was told (a part of its key).
fn read_all(plan: &Plan, sources: &[PathBuf]) -> (Vec<Read>, Vec<String>) {
    let all: Vec<&PathBuf> = sources.iter().chain(&plan.corpus).collect();
    let mut loads: Vec<Result<Loaded, Vec<SourceError>>> =
        crate::render::parallel::map(&all, |source| load(source, &plan.ctx));
    let errors = {
        let mut read: Vec<&mut Loaded> = loads.iter_mut().filter_map(|l| l.as_mut().ok()).collect();
        crate::project::connect(&mut read, &plan.ctx.config)
    };
    loads.truncate(sources.len());
    for load in &mut loads {
        let path = match load {
            Ok(loaded) => loaded.doc.path.clone(),
            Err(_) => continue,
        };
        let its: Vec<SourceError> = errors.iter().filter(|e| e.path == path).cloned().collect();
        if !its.is_empty() {
            *load = Err(its);
        }
    }
    let related = loads
        .iter()
        .map(|l| match l {
            Ok(l) => {
                let targets: Vec<_> = l
                    .doc
                    .walk()
                    .filter_map(|event| match event {
                        Event::Enter(Node::Inline(Inline::Xref(x))) => Some(&x.target),
                        _ => None,
                    })
                    .collect();
                format!(
                    "{:?} {:?} {targets:?}",
                    l.doc.meta.online, l.doc.meta.editions
                )
            }
            Err(_) => String::new(),
        })
        .collect();
    (loads.into_iter().map(Some).collect(), related)
}

/// What is up to date, from hashes alone: each statement's key and, when
/// it is fresh, its entry; the book's entry when it is fresh.
struct Freshness {
    keys: Vec<Option<String>>,
    fresh: Vec<Option<Entry>>,
    fresh_book: Option<Entry>,
}

fn freshness(
    plan: &Plan,
    inc: Option<&Incremental>,
    sources: &[PathBuf],
    related: &[String],
) -> Freshness {
    let keys: Vec<Option<String>> = plan
        .jobs
        .iter()
        .zip(related)
        .map(|(job, related)| inc.map(|i| i.key(&job.source, &(&job.output, related))))
        .collect();
    let fresh = plan
        .jobs
        .iter()
        .zip(&keys)
        .map(|(job, key)| inc?.fresh(&job.source, key.as_ref()?))
        .collect();
    let fresh_book = match (&plan.book_dir, inc) {
        (Some(_), Some(inc)) => inc.fresh_book(sources),
        _ => None,
    };
    Freshness {
        keys,
        fresh,
        fresh_book,
    }
}

/// The statements built, by index, and the book made, from the outcomes
/// of the tasks.
type Sorted = (
    HashMap<usize, Done>,
    Option<Result<BookProducts, Failure>>,
    Vec<Result<String, String>>,
);

fn sort_out(tasks: &[Task], outcomes: Vec<Outcome>) -> Sorted {
    let mut made_book = None;
    let mut built = HashMap::new();
    let mut parallel = Vec::new();
    for (task, outcome) in tasks.iter().zip(outcomes) {
        match (task, outcome) {
            (Task::Statement(i), Outcome::Statement(done)) => {
                built.insert(*i, done);
            }
            (_, Outcome::Book(made)) => made_book = Some(made),
            (_, Outcome::Parallel(made)) => parallel.push(made),
            _ => {}
        }
    }
    (built, made_book, parallel)
}

/// A statement that is up to date, as the last build left it.
fn up_to_date(source: &Path, entry: Entry) -> Done {
    Done {
        source: source.to_path_buf(),
        result: Ok(Written {
            pages: entry.pages,
            fitted: entry.fitted,
            ..Written::default()
        }),
        report: entry.report,
        fresh: true,
    }
}

/// Removes the outputs of statements that are gone, and says so.
fn remove_gone(inc: &Incremental, sources: &[PathBuf]) {
    for (source, files) in inc.remove_gone(sources) {
        let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        if !files.is_empty() {
            eprintln!("removed {} ({source} is gone)", files.join(", "));
        }
    }
}

/// Makes a statement's products from what reading it gave, writes them,
/// and records them in the manifest.
fn statement(
    plan: &Plan,
    job: &Job,
    key: Option<String>,
    read: Option<&Result<Loaded, Vec<SourceError>>>,
    inc: Option<&Incremental>,
) -> Done {
    let (ctx, reads) = plan.ctx.recording();
    let result = match read {
        Some(Ok(loaded)) => make(loaded, job, plan, &ctx),
        Some(Err(errors)) => Err(Failure::Render(Error::Source(errors.clone()))),
        None => Err(Failure::Render(Error::product(
            job.source.display().to_string(),
            "it was not read",
        ))),
    };
    // Typst memoises across compiles in one global cache: without
    // eviction a build of hundreds of statements holds every one of
    // them. What the last few used (fonts, the layout) stays warm.
    typst::comemo::evict(4);
    let report = match &result {
        Ok((report, _)) => report.clone(),
        Err(f) => format!("{f}\n\n"),
    };
    if let (Some(inc), Some(key), Ok((_, written)), Some(Ok(loaded))) = (inc, key, &result, read) {
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
        fresh: false,
    }
}

/// What a statement's report says again when it is up to date: its
/// warnings (each with its hints and the code it points at), as cargo
/// repeats a crate's; not its notes, nor that it was built.
fn replayed(report: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in report.lines() {
        if !line.is_empty() && !line.starts_with(char::is_whitespace) {
            keep = line.contains("warning:") && !line.starts_with("built ");
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
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

/// The book planned, and where it goes.
struct BookPlan<'a> {
    plan: crate::project::anthology::Plan<'a>,
    base: PathBuf,
}

/// Plans the book from the statements as read; or says why it cannot be
/// made (said after the statements' own reports, which it points at).
fn plan_the_book<'a>(
    plan: &'a Plan,
    all: &'a [(PathBuf, Option<&'a Loaded>)],
    out_dir: &Path,
) -> Result<BookPlan<'a>, String> {
    let project = &plan.project;
    let book = match plan_book(project, &plan.ctx, all) {
        Ok(book) => book,
        Err(errors) => {
            let shown: Vec<String> = errors
                .iter()
                .map(|e| format!("{}\n", e.render_from_disk().trim_end()))
                .collect();
            return Err(shown.join("\n"));
        }
    };
    let base = out_dir.join(&book.slug);
    // A statement of the same name must not be overwritten by the book.
    if let Some((source, _)) = all.iter().find(|(source, _)| {
        source.file_stem() == base.file_name() && source.parent() == Some(&project.sources_dir())
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
                source.display(),
                base.with_extension("pdf").display()
            ),
        )
        .hint("set `slug` under [anthology] to another name");
        return Err(format!("{}\n", e.render_from_disk().trim_end()));
    }
    Ok(BookPlan { plan: book, base })
}

/// Writes the book that was made, unless a statement it holds failed
/// while it was being made (a book with a hole is worse than none), and
/// records it in the manifest.
fn finish_book(
    plan: &Plan,
    book: &BookPlan,
    done: &[Done],
    loads: &[Read],
    made: Option<Result<BookProducts, Failure>>,
    inc: Option<(&Incremental, &Arc<Reads>, &Context)>,
    kept: Option<&KeptBook>,
) -> Book {
    // The plan again, without the statements that failed: it says which
    // of them the book holds.
    let all: Vec<(PathBuf, Option<&Loaded>)> = done
        .iter()
        .zip(loads)
        .map(|(d, l)| {
            let loaded = l.as_ref().and_then(|l| l.as_ref().ok());
            (d.source.clone(), loaded.filter(|_| d.result.is_ok()))
        })
        .collect();
    if let Err(errors) = plan_book(&plan.project, &plan.ctx, &all) {
        for e in errors {
            eprintln!("{}\n", e.render_from_disk().trim_end());
        }
        return Err(());
    }
    let made = made
        .unwrap_or_else(|| {
            Err(Failure::Render(Error::product(
                "the book",
                "it was not made",
            )))
        })
        .and_then(|made| write_book(&made, &book.base).map(|names| (made, names)));
    if let (Some(kept), Ok(_)) = (kept, &made) {
        kept.prune();
    }
    let (made, names) = match made {
        Ok(made) => made,
        Err(f) => {
            eprintln!("{f}\n");
            return Err(());
        }
    };
    let mut report = String::new();
    for line in &made.report {
        report.push_str(line);
        if !line.ends_with('\n') {
            report.push('\n');
        }
    }
    eprint!("{report}");
    let book = &book.plan;
    let held = book.entries().count();
    eprintln!(
        "built the anthology ({held} statement{}) → {}",
        if held == 1 { "" } else { "s" },
        names.join(", ")
    );
    if let Some((inc, reads, ctx)) = inc {
        let root = &plan.project.root;
        let holds: Vec<String> = book
            .entries()
            .map(|e| manifest::name(&e.loaded.doc.path, root))
            .collect();
        let mut more: Vec<String> = book
            .entries()
            .flat_map(|e| e.loaded.images.iter().map(|(i, _)| i.clone()))
            .collect();
        more.extend(
            book.preface
                .as_ref()
                .map(|p| manifest::name(&p.doc.path, root)),
        );
        let sources: Vec<PathBuf> = done.iter().map(|d| d.source.clone()).collect();
        let stale = inc.record_book(Entry {
            key: inc.book_key(&sources, &holds),
            deps: inc.files.deps(reads, ctx, &more),
            outputs: names
                .iter()
                .filter_map(|n| Stamp::of(Path::new(n)))
                .collect(),
            report: replayed(&report),
            pages: made.pages,
            fitted: false,
            holds,
        });
        if !stale.is_empty() {
            let stale: Vec<String> = stale.iter().map(|f| f.display().to_string()).collect();
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

#[cfg(test)]
mod tests {
    #[test]
    fn an_up_to_date_statement_says_again_its_warnings_only() {
        let report = "sources/a.md: note: fitted to 2 pages at 10 pt on 13 pt\n\
            sources/a.md: warning: too short to fill its page\n  hint: add about 9 lines\n\
            warning: unknown font family\n  ┌─ layouts/x.typ:3:1\n  │\n\n\
            built sources/a.md → out/a.pdf\n";
        assert_eq!(
            super::replayed(report),
            "sources/a.md: warning: too short to fill its page\n  hint: add about 9 lines\n\
             warning: unknown font family\n  ┌─ layouts/x.typ:3:1\n  │\n\n"
        );
    }
}
