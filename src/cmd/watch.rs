//! `pamphleteer watch`: `build`, then again on every save, until Ctrl-C.
//! Each round is an incremental build (only what the saved files touch is
//! made again), in this one process: the fonts stay loaded and Typst's
//! caches warm from one round to the next (each build evicts only what
//! the last few compilations did not use). A round that fails says why
//! and leaves the last good outputs where they are; the next good save
//! builds again.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};

use crate::cmd::args::BuildArgs;
use crate::cmd::plan::{self, Stop};
use crate::cmd::watcher::Watcher;
use crate::project::fonts::Shared;

pub(crate) fn run(args: &BuildArgs) -> ExitCode {
    let root = match &args.project.project {
        Some(dir) => dir.clone(),
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            crate::project::find_upward(&here).unwrap_or(here)
        }
    };
    let mut args = args.clone();
    let mut fonts: Option<Arc<Shared>> = None;
    let mut out = args.out_dir.clone().unwrap_or_else(|| root.join("out"));
    let mut watcher = match watch(&root, &out) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut first = true;
    // What the last round that could not begin said (a broken project
    // file): the same again is not said twice.
    let mut last_stop: Option<String> = None;
    let mut had_file = false;
    let round = Arc::new(AtomicU64::new(0));
    let (busy, stop) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    {
        // Ctrl-C between rounds ends at once; during one, when it is over
        // (nothing half-written: no temporary file left in the outputs);
        // a second Ctrl-C at once.
        let (busy, stop) = (busy.clone(), stop.clone());
        if let Err(e) = ctrlc::set_handler(move || {
            if busy.load(SeqCst) && !stop.swap(true, SeqCst) {
                eprintln!("\nwatch: stopping when this round is over (Ctrl-C again: now)");
            } else {
                eprintln!("\nwatch: stopped");
                std::process::exit(0);
            }
        }) {
            eprintln!("note: Ctrl-C is left to the terminal ({e})");
        }
    }
    loop {
        busy.store(true, SeqCst);
        match plan::for_project_with(&args, fonts.clone()) {
            Ok(mut plan) => {
                last_stop = None;
                // The first round builds as `build` does, the book beside
                // the statements. Later ones build the statements, and
                // leave the book to a round of its own beside the next
                // ones, which stops when files change again: a save
                // reaches its leaflet without waiting for the book.
                let book = plan.book_dir.is_some() && !first;
                if book {
                    plan.round = plan::Round::DeferHolders;
                }
                plan.replay = first;
                // A project file that went away: said, not silently
                // replaced by the defaults.
                if had_file && plan.project.file.is_none() {
                    eprintln!(
                        "warning: {} is gone: building with the default settings until it is back",
                        crate::project::FILE
                    );
                }
                had_file = plan.project.file.is_some();
                first = false;
                fonts = Some(plan.ctx.shared.clone());
                // (Only the first round is forced.)
                args.force = false;
                if let Some(dir) = plan.out_dir.clone()
                    && !same(&dir, &out)
                {
                    out = dir;
                    watcher = match watch(&root, &out) {
                        Ok(w) => w,
                        Err(code) => return code,
                    };
                }
                let _ = crate::cmd::run::run(plan);
                if book {
                    let (args, fonts, round, this) = (
                        args.clone(),
                        fonts.clone(),
                        round.clone(),
                        round.load(SeqCst),
                    );
                    std::thread::spawn(move || {
                        if let Ok(mut plan) = plan::for_project_with(&args, fonts) {
                            plan.round = plan::Round::Holders;
                            plan.cancel = Some(Arc::new(move || round.load(SeqCst) != this));
                            let _ = crate::cmd::run::run(plan);
                        }
                    });
                }
            }
            // A broken project file, or nothing to build: said, and
            // watched until it is mended.
            // (The same again, as when one save came as two batches, is
            // not said twice.)
            Err(stop) => {
                let said = stop.said();
                if last_stop.as_deref() == Some(said.as_str()) {
                    eprintln!("(the same error as above)");
                } else {
                    eprint!("{said}");
                }
                last_stop = Some(said);
            }
        }
        busy.store(false, SeqCst);
        if stop.load(SeqCst) {
            eprintln!("watch: stopped");
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "watching {} for changes (Ctrl-C to stop)",
            shown(&root).display()
        );
        let Some(batch) = watcher.next_batch() else {
            return ExitCode::SUCCESS;
        };
        // (An editor's temporary file, written and renamed away, is not
        // named: what is there now, or else what went.)
        // (Nor a folder whose files are named.)
        let now: Vec<&PathBuf> = batch
            .iter()
            .filter(|p| p.exists())
            .filter(|p| !batch.iter().any(|q| q != *p && q.starts_with(p)))
            .collect();
        let named = if now.is_empty() {
            batch.iter().collect()
        } else {
            now
        };
        let names: Vec<String> = named
            .iter()
            .map(|p| {
                p.strip_prefix(watcher.root())
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .collect();
        eprintln!("\n{} changed", names.join(", "));
        // (A book round under way stops at its next compilation.)
        round.fetch_add(1, SeqCst);
        // New or changed fonts are loaded again; nothing else is.
        if batch.iter().any(|p| {
            p.strip_prefix(watcher.root())
                .is_ok_and(|rel| rel.starts_with("fonts"))
        }) {
            fonts = None;
        }
    }
}

/// A watcher on the project, blind to its outputs.
fn watch(root: &Path, out: &Path) -> Result<Arc<Watcher>, ExitCode> {
    Watcher::new(root, vec![out.to_path_buf()]).map(Arc::new).map_err(|e| {
        Stop::usage(
            format!("cannot watch {}: {e}", root.display()),
            "check that the folder exists; on Linux, raise fs.inotify.max_user_watches if it is full",
        )
        .exit()
    })
}

fn same(a: &Path, b: &Path) -> bool {
    a == b
        || a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
}

fn shown(root: &Path) -> &Path {
    if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    }
}
