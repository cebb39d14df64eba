//! `pamphleteer build`: every statement of a project, in parallel, with a
//! progress bar on a terminal, and a summary at the end.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::cmd::output::write_atomic;
use crate::cmd::{ProjectBuildArgs, check_common, context, open_project, usage};
use crate::model::diagnostics::Failure;
use crate::project::context::Context;
use crate::project::statement::{Loaded, load};
use crate::render::statement::{self, Products, Wanted};

/// One statement's result: what was written, or why nothing was; and the
/// statement as read, for the anthology.
struct Done {
    source: PathBuf,
    result: Result<Written, Failure>,
    loaded: Option<Loaded>,
}

/// Sizes and pages of what a statement was made into.
#[derive(Default)]
struct Written {
    pages: usize,
    pdf: Option<u64>,
    epub: Option<u64>,
    typst: Option<u64>,
    imposed: Option<u64>,
    press: Option<u64>,
}

pub fn run(args: ProjectBuildArgs) -> ExitCode {
    let started = Instant::now();
    if let Err(code) = check_common(args.layout.as_deref()) {
        return code;
    }
    let project = match open_project(args.project.project.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let sources = match project.sources() {
        Ok(s) => s,
        Err(message) => {
            return usage(
                &message,
                "a project keeps its statements in sources/; `pamphleteer init` makes one",
            );
        }
    };
    if sources.is_empty() {
        return usage(
            &format!(
                "there are no statements (*.md) in {}",
                project.sources_dir().display()
            ),
            "write a statement in Markdown and save it as sources/NAME.md",
        );
    }
    let outputs = &project.config.outputs;
    let wanted = Wanted {
        typst: outputs.typst,
        pdf: outputs.pdf,
        epub: outputs.epub,
        impose: outputs.impose,
        press: outputs.press,
    };
    if !(wanted.typst || wanted.pdf || wanted.epub) {
        return usage(
            "[outputs] turns every product off: there is nothing to build",
            "set `pdf = true`, `epub = true` or `typst = true` under [outputs] in pamphleteer.toml",
        );
    }
    let out_dir = args.out_dir.clone().unwrap_or_else(|| project.out_dir());
    let mut ctx = match context(&project, args.project.system_fonts) {
        Ok(ctx) => ctx,
        Err(code) => return code,
    };
    ctx.layout = args.layout.clone();
    ctx.embed_fonts |= args.embed_fonts;

    let sources_dir = project.sources_dir();
    // Two statements must not write the same file (`x.imposed.md`'s PDF is
    // `x.md`'s imposed sheets).
    let mut written_by: std::collections::HashMap<PathBuf, &PathBuf> = Default::default();
    for source in &sources {
        let base = out_dir.join(source.strip_prefix(&sources_dir).unwrap_or(source));
        let print = [(wanted.impose, "imposed.pdf"), (wanted.press, "press.pdf")];
        let print = print.iter().filter(|(on, _)| *on).map(|(_, ext)| *ext);
        for ext in ["pdf", "epub", "typ"].into_iter().chain(print) {
            if let Some(other) = written_by.insert(base.with_extension(ext), source) {
                return usage(
                    &format!(
                        "{} and {} would both write {}",
                        other.display(),
                        source.display(),
                        base.with_extension(ext).display()
                    ),
                    "rename one of them",
                );
            }
        }
    }
    let progress = Progress::new(sources.len() as u64);
    let keep = project.config.anthology.is_some();
    let done: Vec<Done> = crate::render::parallel::map(&sources, |source| {
        let (result, loaded) = match load(source, &ctx) {
            Ok(loaded) => {
                let result = build_source(&loaded, source, &sources_dir, &out_dir, &ctx, wanted);
                (result, keep.then_some(loaded))
            }
            Err(f) => (Err(f), None),
        };
        // Typst memoises across compiles in one global cache: without
        // eviction a build of hundreds of statements holds every one of
        // them. What the last few used (fonts, the layout) stays warm.
        typst::comemo::evict(4);
        let report = match &result {
            Ok((report, _)) => report.clone(),
            Err(f) => format!("{f}\n\n"),
        };
        progress.finished(source, &report);
        Done {
            source: source.clone(),
            result: result.map(|(_, w)| w),
            loaded,
        }
    });
    progress.clear();
    let book = keep.then(|| anthology(&project, &ctx, &done, &out_dir, wanted));
    summary(&done, book, started.elapsed())
}

/// What the anthology came to: its pages and sizes, or why it was not made.
type Book = Result<Written, ()>;

/// Builds the anthology from the statements as read, and writes it unless
/// any of its statements failed.
fn anthology(
    project: &crate::project::Project,
    ctx: &Context,
    done: &[Done],
    out_dir: &Path,
    wanted: Wanted,
) -> Book {
    let all: Vec<(PathBuf, Option<&Loaded>)> = done
        .iter()
        .map(|d| {
            (
                d.source.clone(),
                d.loaded.as_ref().filter(|_| d.result.is_ok()),
            )
        })
        .collect();
    let plan = match crate::project::anthology::plan(project, ctx, &all) {
        Ok(plan) => plan,
        Err(errors) => {
            for e in errors {
                eprintln!("{}\n", e.render_from_disk().trim_end());
            }
            return Err(());
        }
    };
    let base = out_dir.join(&plan.slug);
    // A statement of the same name must not be overwritten by the book.
    if let Some(d) = done.iter().find(|d| {
        d.source.file_stem() == base.file_name()
            && d.source.parent() == Some(&project.sources_dir())
    }) {
        let file = project.file.clone().unwrap_or_default();
        let line = crate::project::config::key_line(&project.text, "anthology", "slug").max(
            crate::project::config::key_line(&project.text, "anthology", "title"),
        );
        let e = crate::model::diagnostics::SourceError::new(
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
    let made = (|| -> Result<(Written, String), Failure> {
        let mut written = Written::default();
        let mut report = String::new();
        for w in &plan.warnings {
            report.push_str(w);
            report.push('\n');
        }
        let mut products: Vec<(Vec<u8>, &str)> = Vec::new();
        let source = crate::write::typst::book::typst_source(&plan);
        // The e-book is made on another core while the PDF is laid out
        // (the PDF's compilations are one after another).
        let (pdf, epub) = std::thread::scope(|scope| {
            let epub = scope.spawn(|| {
                wanted
                    .epub
                    .then(|| crate::render::epub::anthology(&plan, ctx))
                    .transpose()
            });
            let pdf = wanted
                .pdf
                .then(|| crate::render::book::pdf(&plan, ctx))
                .transpose();
            let epub = epub
                .join()
                .unwrap_or_else(|_| Err(Failure::Io("error: the book's e-book: a panic".into())));
            (pdf, epub)
        });
        if let Some(book) = pdf? {
            for line in &book.report {
                report.push_str(line);
                if !line.ends_with('\n') {
                    report.push('\n');
                }
            }
            written.pages = book.pages;
            written.pdf = Some(book.bytes.len() as u64);
            products.push((book.bytes, "pdf"));
        }
        if let Some((bytes, notes)) = epub? {
            for n in notes {
                report.push_str(&n);
                report.push('\n');
            }
            written.epub = Some(bytes.len() as u64);
            products.push((bytes, "epub"));
        }
        if wanted.typst {
            written.typst = Some(source.text.len() as u64);
            products.push((source.text.into_bytes(), "typ"));
        }
        // Written only when everything was made.
        let mut names = Vec::new();
        for (bytes, ext) in &products {
            let path = base.with_extension(ext);
            write_atomic(&path, bytes)?;
            names.push(path.display().to_string());
        }
        report.push_str(&format!(
            "built the anthology ({} statements) → {}\n",
            plan.entries().count(),
            names.join(", ")
        ));
        Ok((written, report))
    })();
    match made {
        Ok((written, report)) => {
            eprint!("{report}");
            Ok(written)
        }
        Err(f) => {
            eprintln!("{f}\n");
            Err(())
        }
    }
}

/// Builds one statement and writes its products; returns the report to
/// print and what was written.
fn build_source(
    loaded: &Loaded,
    source: &Path,
    sources_dir: &Path,
    out_dir: &Path,
    ctx: &Context,
    wanted: Wanted,
) -> Result<(String, Written), Failure> {
    let products: Products = statement::products(loaded, ctx, wanted)?;
    let rel = source.strip_prefix(sources_dir).unwrap_or(source);
    let base = out_dir.join(rel);
    let mut written = Written {
        pages: products.pages,
        ..Written::default()
    };
    let mut lines = Vec::new();
    for (bytes, ext, size) in [
        (&products.pdf, "pdf", &mut written.pdf),
        (&products.epub, "epub", &mut written.epub),
        (&products.typst, "typ", &mut written.typst),
        (&products.imposed, "imposed.pdf", &mut written.imposed),
        (&products.press, "press.pdf", &mut written.press),
    ] {
        if let Some(bytes) = bytes {
            let path = base.with_extension(ext);
            write_atomic(&path, bytes)?;
            *size = Some(bytes.len() as u64);
            lines.push(path.display().to_string());
        }
    }
    let mut report = products.report;
    report.push_str(&format!(
        "built {} → {}\n",
        source.display(),
        lines.join(", ")
    ));
    Ok((report, written))
}

/// A progress bar on a terminal; plain lines otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    /// Keeps reports whole when several threads finish at once.
    lock: Mutex<()>,
}

impl Progress {
    fn new(total: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} statements  {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            lock: Mutex::new(()),
        }
    }

    fn finished(&self, source: &Path, report: &str) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        match &self.bar {
            Some(bar) => {
                // Only what needs reading stays above the bar.
                let keep: String = report
                    .lines()
                    .filter(|l| !l.starts_with("built "))
                    .map(|l| format!("{l}\n"))
                    .collect();
                if !keep.trim().is_empty() {
                    bar.suspend(|| eprint!("{keep}"));
                }
                bar.set_message(source.display().to_string());
                bar.inc(1);
            }
            None => eprint!("{report}"),
        }
    }

    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The closing lines: what was built, how big, how long it took; which
/// statements failed. Exit code 1 when any did.
fn summary(done: &[Done], book: Option<Book>, elapsed: Duration) -> ExitCode {
    let ok: Vec<&Written> = done.iter().filter_map(|d| d.result.as_ref().ok()).collect();
    let failed: Vec<&Done> = done.iter().filter(|d| d.result.is_err()).collect();
    let sum = |f: fn(&Written) -> Option<u64>| -> (usize, u64) {
        ok.iter()
            .filter_map(|w| f(w))
            .fold((0, 0), |(n, total), s| (n + 1, total + s))
    };
    let mut parts = Vec::new();
    let (n, size) = sum(|w| w.pdf);
    if n > 0 {
        let pages: usize = ok.iter().map(|w| w.pages).sum();
        parts.push(format!(
            "{n} PDF{} ({pages} page{}, {})",
            plural(n),
            plural(pages),
            human(size)
        ));
    }
    let (n, size) = sum(|w| w.epub);
    if n > 0 {
        parts.push(format!("{n} EPUB{} ({})", plural(n), human(size)));
    }
    let (n, size) = sum(|w| w.typst);
    if n > 0 {
        parts.push(format!("{n} Typst source{} ({})", plural(n), human(size)));
    }
    let (n, size) = sum(|w| w.imposed);
    if n > 0 {
        parts.push(format!("{n} imposed ({})", human(size)));
    }
    let (n, size) = sum(|w| w.press);
    if n > 0 {
        parts.push(format!("{n} press PDF{} ({})", plural(n), human(size)));
    }
    eprintln!(
        "built {} of {} statement{} in {:.2} s: {}",
        ok.len(),
        done.len(),
        plural(done.len()),
        elapsed.as_secs_f64(),
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    );
    match &book {
        Some(Ok(w)) => eprintln!(
            "and the anthology: {}",
            [
                w.pdf
                    .map(|s| format!("a PDF ({} page{}, {})", w.pages, plural(w.pages), human(s))),
                w.epub.map(|s| format!("an EPUB ({})", human(s))),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        ),
        Some(Err(())) => eprintln!(
            "error: the anthology was not built (see above); earlier copies are unchanged"
        ),
        None => {}
    }
    if failed.is_empty() && !matches!(book, Some(Err(()))) {
        return ExitCode::SUCCESS;
    }
    if failed.is_empty() {
        return ExitCode::from(1);
    }
    eprintln!(
        "error: {} statement{} failed (their earlier outputs are unchanged):",
        failed.len(),
        plural(failed.len())
    );
    for d in failed {
        eprintln!("  {}", d.source.display());
    }
    ExitCode::from(1)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A size for people: KiB below a MiB, MiB with one decimal above.
fn human(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}
