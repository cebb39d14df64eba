//! The one runner every building command uses over its `Plan`. Each
//! statement is read once; the targets (`crate::targets`: the statements'
//! products, the book, the parallel editions) are planned from what was
//! read; those that are not up to date are made side by side, one piece of
//! work per core, the heaviest first; what each made is written atomically,
//! recorded and reported; a target that holds others (the book) is written
//! only once they are made. Then the summary and the exit code. `build`
//! makes only what changed since the last build (see
//! [`crate::cmd::manifest`]). The runner knows targets by their id and
//! role, never by what they make.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::cmd::manifest::{Entry, Incremental, Why};
use crate::cmd::output::{Failure, emit, shown, write_if_changed};
use crate::cmd::plan::{Mode, Plan, Round};
use crate::cmd::report::{Outcome, Progress, summary};
use crate::model::diagnostics::{Diagnostic, Severity};
use crate::model::document::{Document, Event, Inline, Node};
use crate::project::statement::{Loaded, load};
use crate::render::book::{Kept, NothingKept};
use crate::targets::{Failed, Files, Inputs, Made, Read, Role, Target};

/// What a target says of itself, asked once a run: its id, what it is
/// made from, what was read for it, what it holds.
struct Known {
    id: String,
    parts: crate::targets::Parts,
    read: Files,
    holds: Vec<String>,
}

/// What making a target came to before it was written: a target that
/// holds others waits for them.
enum Making {
    Done(Outcome),
    Waiting(Result<Made, Failed>, Files),
}

/// Builds what the plan says; the exit code tells whether all of it was.
pub(crate) fn run(plan: Plan) -> ExitCode {
    let started = Instant::now();
    let inc = plan
        .out_dir
        .as_deref()
        .map(|out| Incremental::new(&plan.project.root, out, plan.force));
    if let Some(note) = inc.as_ref().and_then(|i| i.note.as_ref()) {
        eprintln!("{note}");
    }
    // Each statement read once, all of them: what one edition shows
    // depends on the others (see `read_all`).
    let reads = read_all(&plan);
    gate();
    let kept: Box<dyn Kept> = match &inc {
        Some(inc) => Box::new(inc.kept_book(&plan.ctx.shared.book_hash(), plan.cancel.clone())),
        None => Box::new(NothingKept),
    };
    let inputs = Inputs {
        project: &plan.project,
        ctx: &plan.ctx,
        wanted: plan.wanted,
        statements: reads
            .iter()
            .zip(&plan.jobs)
            .map(|(r, j)| (r, &j.output))
            .collect(),
        all: reads.iter().map(|r| (r.source.clone(), r.ok())).collect(),
        book_dir: plan.book_dir.as_deref(),
        project_run: plan.mode == Mode::Project,
        kept: &*kept,
    };
    let targets = crate::targets::plan(&inputs);
    // What each target says of itself, asked once.
    let known: Vec<Known> = targets
        .iter()
        .map(|t| Known {
            id: t.id(),
            parts: t.parts(),
            read: t.read_before(),
            holds: t.holds(),
        })
        .collect();
    let ids: Vec<String> = known.iter().map(|k| k.id.clone()).collect();
    let status: Vec<Result<Entry, Why>> = known
        .iter()
        .map(|k| match &inc {
            Some(inc) => inc.check(&k.id, &k.parts, &k.read),
            None => Err(Why::NotBuilt),
        })
        .collect();
    let Some(scheduled) = schedule(&plan, &targets, &known, &status) else {
        return ExitCode::SUCCESS;
    };
    let statements = targets
        .iter()
        .filter(|t| matches!(t.role(), Role::Statement))
        .count();
    let progress = Progress::new(statements as u64, plan.mode == Mode::Project);
    let told = Told::default();
    let making: Vec<Making> = crate::render::threads::map(&scheduled, |k| {
        let (target, its) = (&targets[*k], &known[*k]);
        let (ctx, reads) = plan.ctx.recording();
        reads.merge(&its.read);
        let made = target.make(&ctx);
        let deps = reads.all(&ctx.shared, &ctx.root);
        if !its.holds.is_empty() {
            return Making::Waiting(made, deps);
        }
        let outcome = finish(&plan, inc.as_ref(), &**target, its, made, deps, &told);
        if matches!(target.role(), Role::Statement) {
            progress.finished(&target.shown(), &outcome.report);
        }
        Making::Done(outcome)
    });
    progress.clear();
    let mut outcomes: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut waiting = Vec::new();
    for (k, m) in scheduled.iter().zip(making) {
        match m {
            Making::Done(outcome) => {
                outcomes.insert(*k, outcome);
            }
            Making::Waiting(made, deps) => waiting.push((*k, made, deps)),
        }
    }
    // Files changed while a target that holds others was made (`watch`):
    // the next round makes it.
    if plan.round == Round::Holders
        && plan.cancel.as_ref().is_some_and(|cancel| cancel())
        && waiting.iter().any(|(_, made, _)| made.is_err())
    {
        return ExitCode::SUCCESS;
    }
    let removed = remove_unplanned(&plan, inc.as_ref(), &ids, &reads);
    for (k, made, deps) in waiting {
        let (target, its) = (&*targets[k], &known[k]);
        let made = unless_a_held_one_failed(target, its, made, &ids, &outcomes);
        outcomes.insert(
            k,
            finish(&plan, inc.as_ref(), target, its, made, deps, &told),
        );
    }
    // What is up to date, as the last build left it.
    for (k, status) in status.into_iter().enumerate() {
        if let (Ok(entry), false) = (status, outcomes.contains_key(&k)) {
            if plan.replay && plan.round != Round::Holders {
                match targets[k].role() {
                    Role::Statement => progress.finished(&targets[k].shown(), &replayed(&entry)),
                    _ => eprint!("{}", replayed(&entry)),
                }
            }
            outcomes.insert(k, Outcome::fresh(&entry));
        }
    }
    eprint!("{removed}");
    // What the targets that are not statements said, in order.
    for (k, outcome) in &outcomes {
        if !matches!(targets[*k].role(), Role::Statement) && !outcome.fresh {
            eprint!("{}", outcome.report);
        }
    }
    if let Some(inc) = &inc
        && let Err(e) = inc.save()
    {
        eprintln!("{e}");
    }
    if plan.round == Round::Holders {
        return match outcomes.values().any(|o| o.result.is_err()) {
            true => ExitCode::from(1),
            false => ExitCode::SUCCESS,
        };
    }
    if std::env::var_os("PAMPHLETEER_TIMINGS").is_some() {
        timings(started.elapsed());
    }
    let roles: Vec<(Role, Outcome)> = outcomes
        .into_iter()
        .map(|(k, o)| (targets[k].role(), o))
        .collect();
    summary(plan.mode, statements, &roles, started.elapsed())
}

/// Which targets this run makes (by index), the heaviest first: those not
/// up to date, in this round; saying why with `--explain`. `None`: the
/// round has nothing to do.
fn schedule(
    plan: &Plan,
    targets: &[Box<dyn Target + '_>],
    known: &[Known],
    status: &[Result<Entry, Why>],
) -> Option<Vec<usize>> {
    let holder = |k: usize| !known[k].holds.is_empty();
    let stale = |k: usize| status[k].is_err();
    // `watch`'s round of the targets that hold others makes them alone,
    // when all they hold is up to date (what is not is another round's,
    // under way).
    if plan.round == Round::Holders
        && ((0..targets.len()).any(|k| !holder(k) && stale(k))
            || (0..targets.len()).all(|k| !holder(k) || !stale(k)))
    {
        return None;
    }
    let mut scheduled: Vec<usize> = (0..targets.len())
        .filter(|k| stale(*k))
        .filter(|k| match plan.round {
            Round::All => true,
            Round::DeferHolders => !holder(*k),
            Round::Holders => holder(*k),
        })
        .collect();
    if plan.explain {
        // (In the order of the targets: the statements, then the rest.)
        for k in &scheduled {
            if let Err(why) = &status[*k] {
                eprintln!(
                    "dirty {}: {}",
                    targets[*k].shown(),
                    why.shown_from(&plan.project.root)
                );
            }
        }
    }
    scheduled.sort_by_key(|k| std::cmp::Reverse(targets[*k].weight()));
    Some(scheduled)
}

/// What a target that holds others made, unless one of them failed in
/// this run: then why it is not built.
fn unless_a_held_one_failed(
    target: &dyn Target,
    its: &Known,
    made: Result<Made, Failed>,
    ids: &[String],
    outcomes: &BTreeMap<usize, Outcome>,
) -> Result<Made, Failed> {
    let failed: Vec<&String> = its
        .holds
        .iter()
        .filter(|held| {
            ids.iter()
                .position(|id| id == *held)
                .and_then(|i| outcomes.get(&i))
                .is_some_and(|o| o.result.is_err())
        })
        .collect();
    if failed.is_empty() {
        return made;
    }
    Err(Failed::Said(format!(
        "error: {} is not built: {} failed",
        target.shown(),
        failed
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Writes what a target made, records it and says so; or says why it was
/// not made.
fn finish(
    plan: &Plan,
    inc: Option<&Incremental>,
    target: &dyn Target,
    its: &Known,
    made: Result<Made, Failed>,
    deps: Files,
    told: &Told,
) -> Outcome {
    let failed = |why: String| Outcome {
        shown: target.shown(),
        report: told.why(&target.shown(), &why),
        result: Err(()),
        fresh: false,
        pages: 0,
        fitted: false,
        sizes: Vec::new(),
    };
    let made = match made {
        Ok(made) => made,
        Err(f) => return failed(f.to_string()),
    };
    let said = made.report;
    let mut report = said.to_string();
    let mut files = Vec::new();
    for output in &made.outputs {
        let written = match plan.mode {
            Mode::Files => emit(&output.path, &output.bytes),
            Mode::Project => write_if_changed(&output.path, &output.bytes).map(|_| ()),
        };
        if let Err(e) = written {
            return failed(Failure::Write(e).to_string());
        }
        if plan.mode == Mode::Files {
            let _ = writeln!(report, "wrote {}{}", shown(&output.path), output.detail);
        }
        files.push(output.path.display().to_string());
    }
    if plan.mode == Mode::Project {
        report.push_str(&target.built(&files, made.pages));
    }
    if let Some(inc) = inc {
        let entry = Entry {
            parts: its.parts.clone(),
            deps,
            outputs: made
                .outputs
                .iter()
                .filter_map(|o| inc.stamp(&o.path))
                .collect(),
            said,
            pages: made.pages,
            fitted: made.fitted,
            ..Entry::default()
        };
        let stale = inc.record(&its.id, entry);
        if !stale.is_empty() {
            let _ = writeln!(
                report,
                "removed {} (no longer made)",
                names(plan, &stale).join(", ")
            );
        }
    }
    target.written();
    Outcome {
        shown: target.shown(),
        report,
        result: Ok(()),
        fresh: false,
        pages: made.pages,
        fitted: made.fitted,
        sizes: made
            .outputs
            .iter()
            .map(|o| (o.kind, o.bytes.len() as u64))
            .collect(),
    }
}

/// The errors said so far in a run, by their text, with the target that
/// first failed with each: an error in a file many targets use (a broken
/// layout) is shown once, and each target it failed is named.
#[derive(Default)]
struct Told(std::sync::Mutex<BTreeMap<String, String>>);

impl Told {
    /// What to say of a target that failed with `why`.
    fn why(&self, shown: &str, why: &str) -> String {
        let why = why.trim_end();
        // (The same error, wherever the statement's own code imported
        // the file it is in.)
        let key: String = why
            .lines()
            .filter(|l| !l.contains("(generated)") && !l.contains("this code was written for"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut told = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(first) = told.get(&key) {
            return format!("error: {shown} is not built: the same error as {first}\n\n");
        }
        told.insert(key, shown.to_string());
        if why.contains(shown) {
            format!("{why}\n\n")
        } else {
            format!("error: {shown} is not built:\n{why}\n\n")
        }
    }
}

/// Files as messages show them: from the project root as it was given.
fn names(plan: &Plan, files: &[PathBuf]) -> Vec<String> {
    let root = std::path::absolute(&plan.project.root).unwrap_or_default();
    files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&root).unwrap_or(f);
            crate::project::under(&plan.project.root, &rel.to_string_lossy())
                .display()
                .to_string()
        })
        .collect()
}

/// Removes the outputs of what the last build made and this one does not
/// plan: a statement that is gone, a parallel edition no longer asked
/// for (only when every statement was read: while one fails, what it
/// would be part of is not known). Returns what to say.
fn remove_unplanned(
    plan: &Plan,
    inc: Option<&Incremental>,
    planned: &[String],
    reads: &[Read],
) -> String {
    let mut said = String::new();
    let Some(inc) = inc.filter(|_| plan.mode == Mode::Project) else {
        return said;
    };
    let complete = plan.round == Round::All && reads.iter().all(|r| r.loaded.is_ok());
    for id in inc.unplanned(planned) {
        let why = if inc.source_gone(&id) {
            format!("{id} is gone")
        } else if complete {
            "no longer asked for".to_string()
        } else {
            continue;
        };
        let (files, kept) = inc.remove(&id);
        if !files.is_empty() {
            let _ = writeln!(said, "removed {} ({why})", names(plan, &files).join(", "));
        }
        if !kept.is_empty() {
            let _ = writeln!(
                said,
                "warning: kept {} ({why}): changed since it was written\n  hint: delete it yourself if it is not needed",
                names(plan, &kept).join(", ")
            );
        }
    }
    said
}

/// What an up-to-date target says again: its warnings (each with its
/// hints and the code it points at), as cargo repeats a crate's; not its
/// notes, nor that it was built. Found by their severity, as they were
/// kept.
fn replayed(entry: &Entry) -> String {
    entry.said.only(Severity::Warning).to_string()
}

/// For the tests of saves during a build: with `PAMPHLETEER_TEST_GATE=PATH`,
/// once the statements are read, says so (`PATH.read`) and waits until
/// told to go on (`PATH.go`), so that a test can save a file at that
/// moment, every time.
fn gate() {
    let Some(gate) = std::env::var_os("PAMPHLETEER_TEST_GATE").map(PathBuf::from) else {
        return;
    };
    let _ = std::fs::write(gate.with_extension("read"), "");
    let started = Instant::now();
    while !gate.with_extension("go").exists() && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(10));
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
/// project's other statements) once, recording the bytes read, and tells
/// each what it shows of the others: its editions in other languages, its
/// online address, where its links lead. A statement that a translation
/// group's error names, or with a link to nothing, fails with it.
fn read_all(plan: &Plan) -> Vec<Read> {
    let all: Vec<&PathBuf> = plan
        .jobs
        .iter()
        .map(|j| &j.source)
        .chain(&plan.corpus)
        .collect();
    let mut loads: Vec<(Result<Loaded, Vec<Diagnostic>>, Files)> =
        crate::render::threads::map(&all, |source| {
            let (ctx, reads) = plan.ctx.recording();
            (load(source, &ctx), reads.files())
        });
    let errors = {
        let mut read: Vec<&mut Loaded> = loads
            .iter_mut()
            .filter_map(|(l, _)| l.as_mut().ok())
            .collect();
        crate::project::connect(&mut read, &plan.ctx.config)
    };
    loads.truncate(plan.jobs.len());
    loads
        .into_iter()
        .zip(&plan.jobs)
        .map(|((mut loaded, files), job)| {
            if let Ok(l) = &mut loaded {
                // (Shown from the text that was read.)
                let text = l.text.clone();
                let path = l.doc.path.clone();
                for w in l
                    .warnings
                    .iter_mut()
                    .filter(|w| w.text.is_none() && w.path == path)
                {
                    w.text = Some(text.clone());
                }
                let its: Vec<Diagnostic> = errors
                    .iter()
                    .filter(|e| e.path == path)
                    .map(|e| e.clone().read_from(&text))
                    .collect();
                if !its.is_empty() {
                    loaded = Err(its);
                }
            }
            let shows = match &loaded {
                Ok(l) => shows(&l.doc, plan),
                Err(_) => String::new(),
            };
            Read {
                source: job.source.clone(),
                loaded,
                files,
                shows,
            }
        })
        .collect()
}

/// What a statement shows of the others (a part of its fingerprint), one
/// fact a line: its address, each edition it names, where each of its
/// links leads.
fn shows(doc: &Document, plan: &Plan) -> String {
    let rel = |p: &std::path::Path| plan.ctx.rel(p);
    let mut s = String::new();
    let _ = writeln!(s, "online: {}", doc.meta.online.as_deref().unwrap_or(""));
    for e in &doc.meta.editions {
        let _ = writeln!(
            s,
            "edition: {} {} {} {} {} {}",
            rel(&e.source),
            e.lang,
            e.name,
            if e.dir == crate::model::document::Dir::Rtl {
                "rtl"
            } else {
                "ltr"
            },
            e.online.as_deref().unwrap_or(""),
            e.this
        );
    }
    for event in doc.walk() {
        if let Event::Enter(Node::Inline(Inline::Xref(x))) = event {
            let _ = match &x.target {
                Some(t) => writeln!(
                    s,
                    "link: {} {} {}",
                    t.source.as_deref().map(rel).unwrap_or_default(),
                    t.heading.map(|h| h.to_string()).unwrap_or_default(),
                    t.online.as_deref().unwrap_or("")
                ),
                None => writeln!(s, "link: none"),
            };
        }
    }
    s
}
