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
        eprint!("{}", w.rendered());
    }
    pairs::check(first, second).map_err(|e| Stop::Project(vec![e]))?;
    // Two statements that are not editions of one another are set side by
    // side all the same (a user may mean it), with a word.
    let language = ctx.config.project.language.as_ref().map(|l| l.0.as_str());
    let (found, errors) = crate::project::translations::groups(&[first, second], language);
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
        Ok((typ.text.into_bytes(), Default::default(), None))
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
