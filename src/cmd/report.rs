//! What a run tells the user: a progress bar on a terminal (plain lines
//! otherwise), and the summary at the end with the exit code.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cmd::output::Failure;
use crate::cmd::plan::Mode;

/// One statement's result: what was written, or why nothing was.
pub(crate) struct Done {
    pub source: PathBuf,
    pub result: Result<Written, Failure>,
    /// What to print about it.
    pub report: String,
    /// Up to date: not built in this run.
    pub fresh: bool,
}

/// What the book came to: its pages and sizes, or why it was not made.
pub(crate) type Book = Result<Written, ()>;

/// Sizes and pages of what a statement (or the book) was made into.
#[derive(Default)]
pub(crate) struct Written {
    pub pages: usize,
    /// Whether copyfitting chose its PDF's setting.
    pub fitted: bool,
    pub pdf: Option<u64>,
    pub epub: Option<u64>,
    pub typst: Option<u64>,
    pub imposed: Option<u64>,
    pub press: Option<u64>,
    /// The files written.
    pub files: Vec<PathBuf>,
    /// Up to date: not built in this run.
    pub fresh: bool,
}

/// A progress bar on a terminal; plain lines otherwise.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// Each statement's lines as it is done (`build`), or all of them in
    /// order at the end (the file commands).
    live: bool,
    /// Keeps reports whole when several threads finish at once.
    lock: Mutex<()>,
}

impl Progress {
    pub(crate) fn new(total: u64, live: bool) -> Self {
        let bar = (live && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} statements  {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            live,
            lock: Mutex::new(()),
        }
    }

    pub(crate) fn finished(&self, source: &Path, report: &str) {
        if !self.live {
            return;
        }
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

    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The closing lines: what was built, how big, how long it took; which
/// statements failed. Exit code 1 when any did.
pub(crate) fn summary(
    mode: Mode,
    done: &[Done],
    book: Option<Book>,
    elapsed: Duration,
) -> ExitCode {
    let ok: Vec<&Written> = done
        .iter()
        .filter(|d| !d.fresh)
        .filter_map(|d| d.result.as_ref().ok())
        .collect();
    let fresh = done.iter().filter(|d| d.fresh).count();
    let failed: Vec<&Done> = done.iter().filter(|d| d.result.is_err()).collect();
    if mode == Mode::Files {
        for d in done {
            eprint!("{}", d.report);
        }
        if failed.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: {} of {} statement{} failed",
            failed.len(),
            done.len(),
            plural(done.len())
        );
        return ExitCode::from(1);
    }
    let sum = |f: fn(&Written) -> Option<u64>| -> (usize, u64) {
        ok.iter()
            .filter_map(|w| f(w))
            .fold((0, 0), |(n, total), s| (n + 1, total + s))
    };
    let mut parts = Vec::new();
    let (n, size) = sum(|w| w.pdf);
    if n > 0 {
        let pages: usize = ok.iter().map(|w| w.pages).sum();
        let fitted = ok.iter().filter(|w| w.pdf.is_some() && w.fitted).count();
        let fitted = if fitted > 0 {
            format!(", {fitted} fitted")
        } else {
            String::new()
        };
        parts.push(format!(
            "{n} PDF{} ({pages} page{}, {}{fitted})",
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
    let book_fresh = matches!(&book, Some(Ok(w)) if w.fresh);
    if fresh == done.len() && (book.is_none() || book_fresh) {
        eprintln!(
            "up to date: {} statement{}{} ({:.2} s; `build --force` builds everything)",
            done.len(),
            plural(done.len()),
            if book_fresh { " and the anthology" } else { "" },
            elapsed.as_secs_f64(),
        );
        return ExitCode::SUCCESS;
    }
    if ok.is_empty() && failed.is_empty() {
        eprintln!(
            "{} statement{} up to date ({:.2} s)",
            done.len(),
            plural(done.len()),
            elapsed.as_secs_f64()
        );
    } else {
        eprintln!(
            "built {} of {} statement{} in {:.2} s{}: {}",
            ok.len(),
            done.len(),
            plural(done.len()),
            elapsed.as_secs_f64(),
            if fresh > 0 {
                format!(" ({fresh} up to date)")
            } else {
                String::new()
            },
            if parts.is_empty() {
                "nothing".to_string()
            } else {
                parts.join(", ")
            }
        );
    }
    match &book {
        Some(Ok(w)) if w.fresh => eprintln!("and the anthology: up to date"),
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
        "error: {} statement{} failed ({} earlier outputs are unchanged):",
        failed.len(),
        plural(failed.len()),
        if failed.len() == 1 { "its" } else { "their" }
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
