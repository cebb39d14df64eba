//! What a run tells the user: a progress bar on a terminal (plain lines
//! otherwise), and the summary at the end with the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cmd::plan::Mode;
use crate::targets::Role;

/// What a target came to: what it said, and what it made (its pages and
/// the size of each kind of product), or that it failed.
pub(crate) struct Outcome {
    /// What messages call it.
    pub shown: String,
    /// What to print about it.
    pub report: String,
    pub result: Result<(), ()>,
    /// Up to date: not built in this run.
    pub fresh: bool,
    pub pages: usize,
    /// Whether copyfitting chose its PDF's setting.
    pub fitted: bool,
    /// Each file written, by kind (`pdf`, `epub`, `typ`, `imposed`, `press`).
    pub sizes: Vec<(&'static str, u64)>,
}

impl Outcome {
    /// A target that is up to date, as the last build left it.
    pub(crate) fn fresh(entry: &crate::cmd::manifest::Entry) -> Self {
        Outcome {
            shown: String::new(),
            report: entry
                .said
                .only(crate::model::diagnostics::Severity::Warning)
                .to_string(),
            result: Ok(()),
            fresh: true,
            pages: entry.pages,
            fitted: entry.fitted,
            sizes: Vec::new(),
        }
    }

    fn size(&self, kind: &str) -> Option<u64> {
        self.sizes.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s)
    }
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

    pub(crate) fn finished(&self, source: &str, report: &str) {
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
                bar.set_message(source.to_string());
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
/// statements failed. Exit code 1 when anything did.
pub(crate) fn summary(
    mode: Mode,
    statements: usize,
    outcomes: &[(Role, Outcome)],
    elapsed: Duration,
) -> ExitCode {
    let done: Vec<&Outcome> = outcomes
        .iter()
        .filter(|(r, _)| matches!(r, Role::Statement))
        .map(|(_, o)| o)
        .collect();
    let book = outcomes
        .iter()
        .find(|(r, _)| *r == Role::Book)
        .map(|(_, o)| o);
    let extra_failed = outcomes
        .iter()
        .any(|(r, o)| *r == Role::Extra && o.result.is_err());
    let ok: Vec<&&Outcome> = done
        .iter()
        .filter(|d| !d.fresh && d.result.is_ok())
        .collect();
    let fresh = done.iter().filter(|d| d.fresh).count();
    let failed: Vec<&&Outcome> = done.iter().filter(|d| d.result.is_err()).collect();
    if mode == Mode::Files {
        for d in &done {
            eprint!("{}", d.report);
        }
        if failed.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: {} of {} statement{} failed",
            failed.len(),
            statements,
            plural(statements)
        );
        return ExitCode::from(1);
    }
    let parts = made(&ok);
    let book_fresh = book.is_some_and(|b| b.fresh);
    if fresh == statements && (book.is_none() || book_fresh) {
        eprintln!(
            "up to date: {} statement{}{} ({:.2} s; `build --force` builds everything)",
            statements,
            plural(statements),
            if book_fresh { " and the anthology" } else { "" },
            elapsed.as_secs_f64(),
        );
        return if extra_failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if ok.is_empty() && failed.is_empty() {
        eprintln!(
            "{} statement{} up to date ({:.2} s)",
            statements,
            plural(statements),
            elapsed.as_secs_f64()
        );
    } else {
        eprintln!(
            "built {} of {} statement{} in {:.2} s{}: {}",
            ok.len(),
            statements,
            plural(statements),
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
    match book {
        Some(w) if w.fresh => eprintln!("and the anthology: up to date"),
        Some(w) if w.result.is_ok() => eprintln!(
            "and the anthology: {}",
            [
                w.size("pdf").map(|s| format!(
                    "a PDF ({} page{}, {})",
                    w.pages,
                    plural(w.pages),
                    human(s)
                )),
                w.size("epub").map(|s| format!("an EPUB ({})", human(s))),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        ),
        Some(_) => eprintln!(
            "error: the anthology was not built (see above); earlier copies are unchanged"
        ),
        None => {}
    }
    let book_failed = book.is_some_and(|b| b.result.is_err());
    if failed.is_empty() {
        return if book_failed || extra_failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    eprintln!(
        "error: {} statement{} failed ({} earlier outputs are unchanged):",
        failed.len(),
        plural(failed.len()),
        if failed.len() == 1 { "its" } else { "their" }
    );
    for d in failed {
        eprintln!("  {}", d.shown);
    }
    ExitCode::from(1)
}

/// What the statements built made, by kind: `3 PDFs (4 pages, 120 KiB,
/// 2 fitted)`, `3 EPUBs (300 KiB)`...
fn made(ok: &[&&Outcome]) -> Vec<String> {
    let sum = |kind: &str| -> (usize, u64) {
        ok.iter()
            .filter_map(|w| w.size(kind))
            .fold((0, 0), |(n, total), s| (n + 1, total + s))
    };
    let mut parts = Vec::new();
    let (n, size) = sum("pdf");
    if n > 0 {
        let pages: usize = ok.iter().map(|w| w.pages).sum();
        let fitted = ok
            .iter()
            .filter(|w| w.size("pdf").is_some() && w.fitted)
            .count();
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
    for (kind, one, many) in [
        ("epub", "EPUB", "EPUBs"),
        ("typ", "Typst source", "Typst sources"),
        ("imposed", "imposed", "imposed"),
        ("press", "press PDF", "press PDFs"),
    ] {
        let (n, size) = sum(kind);
        if n > 0 {
            let name = if n == 1 { one } else { many };
            parts.push(format!("{n} {name} ({})", human(size)));
        }
    }
    parts
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
