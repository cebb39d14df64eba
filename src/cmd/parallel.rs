//! `pamphleteer parallel A.md B.md -o X.pdf`: two editions of a statement
//! side by side (see `render::pairs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cmd::args::ParallelArgs;
use crate::cmd::output::{emit, shown};
use crate::cmd::plan::{Stop, check_common, context, open_project, statement_file};
use crate::project::statement::{Loaded, load};
use crate::render::pairs;

pub(crate) fn run(args: &ParallelArgs) -> ExitCode {
    match parallel(args) {
        Ok(code) => code,
        Err(stop) => stop.exit(),
    }
}

fn parallel(args: &ParallelArgs) -> Result<ExitCode, Stop> {
    check_common(None)?;
    statement_file(&args.first)?;
    statement_file(&args.second)?;
    if same_file(&args.first, &args.second) {
        return Err(Stop::usage(
            format!(
                "{} is named twice: a parallel edition sets two editions side by side",
                args.second.display()
            ),
            format!(
                "name the edition in the other language second, e.g. `pamphleteer parallel {} {}`",
                args.first.display(),
                other_edition(&args.first)
            ),
        ));
    }
    let project = open_project(args.project.project.as_deref())?;
    let ctx = context(&project, &args.project, None)?;
    let mut loaded: Vec<Loaded> = [&args.first, &args.second]
        .into_iter()
        .map(|path| load(path, &ctx))
        .collect::<Result<_, _>>()
        .map_err(Stop::Project)?;
    // Where their links lead, as in `build` (the project's other
    // statements are read for it).
    let errors = crate::project::connect_among(&project, &ctx, &mut loaded);
    if !errors.is_empty() {
        return Err(Stop::Project(errors));
    }
    let (first, second) = (&loaded[0], &loaded[1]);
    for w in loaded.iter().flat_map(|l| &l.warnings) {
        eprint!("{}", w.render_from_disk());
    }
    pairs::check(first, second).map_err(|e| Stop::Project(vec![e]))?;
    // Two statements that are not editions of one another are set side by
    // side all the same (a user may mean it), with a word.
    let (found, errors) = crate::project::translations::groups(&[first, second]);
    if found.is_empty() && errors.is_empty() {
        eprintln!(
            "warning: {} and {} are not editions of one statement: their file names (NAME.LANG.md) and translation keys differ",
            args.first.display(),
            args.second.display()
        );
        eprintln!("  hint: name them x.it.md and x.en.md, or give both the same `translation-key`");
    }
    let output = match &args.output {
        Some(o) => o.clone(),
        None => {
            let in_project = project.file.is_some() || args.project.project.is_some();
            let dir = if in_project {
                project.out_dir()
            } else {
                args.first
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default()
            };
            dir.join(pairs::file_name(first, second, "pdf"))
        }
    };
    if output == args.first || output == args.second {
        return Err(Stop::usage(
            format!("{} would be written over itself", output.display()),
            "name the output with -o, e.g. -o parallel.pdf",
        ));
    }
    let typst_only = output.extension().is_some_and(|e| e == "typ");
    let made = if typst_only {
        let (left, right) = pairs::sides(first, second);
        let typ = pairs::typst_source(left, right, &ctx);
        Ok((typ.text.into_bytes(), String::new(), None))
    } else {
        pairs::make(first, second, &ctx).map(|p| (p.pdf, p.report, Some(p.pages)))
    };
    let (bytes, report, pages) = match made {
        Ok(made) => made,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(1));
        }
    };
    eprint!("{report}");
    if let Err(e) = emit(&output, &bytes) {
        eprintln!("{e}");
        return Ok(ExitCode::from(1));
    }
    if output != Path::new("-") {
        let pages = pages.map_or(String::new(), |n| {
            format!(" ({n} page{})", if n == 1 { "" } else { "s" })
        });
        eprintln!("wrote {}{pages}", shown(&output));
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| PathBuf::from(p));
    real(a) == real(b)
}

/// A parallel edition `[outputs] parallel` asks `build` for.
pub(crate) struct InBuild {
    /// The two editions' jobs.
    pub first: usize,
    pub second: usize,
    /// Where it goes: beside the first edition's outputs.
    pub path: PathBuf,
    /// Its key (from the two editions' keys), and its last build's entry
    /// when that is still fresh.
    pub key: Option<String>,
    pub fresh: Option<crate::cmd::manifest::Entry>,
}

/// The parallel editions `[outputs] parallel` asks for, among the editions
/// `build` read (`loads`, by job) with their keys.
pub(crate) fn planned(
    plan: &crate::cmd::plan::Plan,
    loads: &[crate::cmd::plan::Read],
    keys: &[Option<String>],
    inc: Option<&crate::cmd::manifest::Incremental>,
) -> Vec<InBuild> {
    let pairs_wanted = &plan.ctx.config.outputs.parallel;
    if plan.mode != crate::cmd::plan::Mode::Project || pairs_wanted.is_empty() {
        return Vec::new();
    }
    let read: Vec<&Loaded> = loads
        .iter()
        .filter_map(|l| l.as_ref().and_then(|l| l.as_ref().ok()))
        .collect();
    let (groups, _) = crate::project::translations::groups(&read);
    let job_of = |path: &Path| plan.jobs.iter().position(|j| j.source == path);
    pairs::planned(&groups, pairs_wanted)
        .into_iter()
        .filter_map(|planned| {
            let (first, second) = (job_of(&planned.first)?, job_of(&planned.second)?);
            let path = plan.jobs[first]
                .output
                .path("pdf", true)
                .with_file_name(&planned.file);
            let key = match (inc, &keys[first], &keys[second]) {
                (Some(_), Some(a), Some(b)) => Some(crate::render::digest(&[
                    a.as_bytes(),
                    b.as_bytes(),
                    planned.file.as_bytes(),
                ])),
                _ => None,
            };
            let name = path.display().to_string();
            let fresh = inc
                .zip(key.as_ref())
                .and_then(|(i, k)| i.fresh_parallel(&name, k));
            Some(InBuild {
                first,
                second,
                path,
                key,
                fresh,
            })
        })
        .collect()
}

/// Makes and writes a parallel edition for `build`, and records it: the
/// line to print, or the error.
pub(crate) fn build(
    plan: &crate::cmd::plan::Plan,
    wanted: &InBuild,
    loads: &[crate::cmd::plan::Read],
    inc: Option<&crate::cmd::manifest::Incremental>,
) -> Result<String, String> {
    let loaded = |i: usize| loads[i].as_ref().and_then(|l| l.as_ref().ok());
    let (Some(first), Some(second)) = (loaded(wanted.first), loaded(wanted.second)) else {
        return Err(format!(
            "error: {} is not made: an edition failed\n",
            shown(&wanted.path)
        ));
    };
    let (ctx, reads) = plan.ctx.recording();
    let made = pairs::make(first, second, &ctx).map_err(|e| format!("{e}\n"))?;
    typst::comemo::evict(4);
    crate::cmd::output::write_if_changed(&wanted.path, &made.pdf).map_err(|e| format!("{e}\n"))?;
    if let (Some(inc), Some(key)) = (inc, &wanted.key) {
        let mut more: Vec<String> = Vec::new();
        for l in [first, second] {
            more.extend(l.images.iter().map(|(i, _)| i.clone()));
        }
        inc.record_parallel(
            &wanted.path.display().to_string(),
            crate::cmd::manifest::Entry {
                key: key.clone(),
                deps: inc.files.deps(&reads, &ctx, &more),
                outputs: crate::cmd::manifest::Stamp::of(&wanted.path)
                    .into_iter()
                    .collect(),
                report: made.report.clone(),
                pages: made.pages,
                ..Default::default()
            },
        );
    }
    Ok(format!(
        "{}built {} and {} side by side → {} ({} page{})\n",
        made.report,
        shown(&first.doc.path),
        shown(&second.doc.path),
        shown(&wanted.path),
        made.pages,
        if made.pages == 1 { "" } else { "s" }
    ))
}

/// The name of another edition of a statement, for a hint: `x.en.md` for
/// `x.it.md` (`x.en.md` for `x.md`).
fn other_edition(path: &Path) -> String {
    let (name, lang) = crate::model::lang::file_lang(path).unwrap_or_else(|| {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        (stem.unwrap_or_default(), String::new())
    });
    let other = if lang == "en" { "it" } else { "en" };
    path.with_file_name(format!("{name}.{other}.md"))
        .display()
        .to_string()
}
