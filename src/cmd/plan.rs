//! The command line resolved, once, into what to build: the project and its
//! context, which products of which statements, written where. `pdf`,
//! `epub` and `typst` on files and `build` on a project resolve into the
//! same `Plan`, which `run` carries out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::cmd::args::{BuildArgs, EpubArgs, PdfArgs, ProjectArgs, StatementArgs};
use crate::model::diagnostics::{Diagnostic, nearest};
use crate::model::names::valid_layout_name;
use crate::project::Project;
use crate::project::context::{Context, context_for, context_with, source_date_epoch};
use crate::project::fonts::Shared;
use crate::project::registry::{BUILTIN_LAYOUTS, builtin_names, layout_hint, own_layout};
use crate::render::statement::Wanted;

/// Why a command stops before building anything.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The command line asks for something that cannot be done: exit 2.
    Usage { message: String, hint: String },
    /// The project file is wrong: exit 1.
    Project(Vec<Diagnostic>),
}

impl Stop {
    pub(crate) fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Stop::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// What it says.
    pub(crate) fn said(&self) -> String {
        match self {
            Stop::Usage { message, hint } => format!("error: {message}\n  hint: {hint}\n"),
            Stop::Project(errors) => errors
                .iter()
                .map(|e| format!("{}\n", e.rendered().trim_end()))
                .collect(),
        }
    }

    /// Says why, and gives the exit code.
    pub(crate) fn exit(self) -> ExitCode {
        match self {
            Stop::Usage { message, hint } => {
                eprintln!("error: {message}");
                eprintln!("  hint: {hint}");
                ExitCode::from(2)
            }
            Stop::Project(errors) => {
                for e in &errors {
                    eprintln!("{}", e.rendered().trim_end());
                }
                ExitCode::from(1)
            }
        }
    }
}

/// How the run reports: a line for each file written (`pdf`, `epub`,
/// `typst`), or a progress bar, a line for each statement and a summary
/// (`build`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Files,
    Project,
}

/// Where a statement's products go.
pub(crate) use crate::targets::Dest as Output;

/// One statement to build.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub source: PathBuf,
    pub output: Output,
}

/// Everything a run needs, resolved.
pub(crate) struct Plan {
    pub project: Project,
    pub ctx: Context,
    pub wanted: Wanted,
    pub jobs: Vec<Job>,
    pub mode: Mode,
    /// The book's folder; `None` when the run makes no book.
    pub book_dir: Option<PathBuf>,
    /// `build`: the outputs' folder, where the manifest of what was built
    /// is kept; `None` for the file commands, which always build.
    pub out_dir: Option<PathBuf>,
    /// Build even what is up to date.
    pub force: bool,
    /// Say why each target is built (`--explain`).
    pub explain: bool,
    /// Which targets this run makes (`watch` makes the book in a round of
    /// its own).
    pub round: Round,
    /// Whether to stop making what is under way: files changed since
    /// `watch`'s book round began, and a later round makes it.
    pub cancel: Option<Cancel>,
    /// Whether statements that are up to date say their warnings again
    /// (`watch` says them in its first round only).
    pub replay: bool,
    /// The project's statements that are not jobs, read for what the jobs
    /// show of them (their translations' names and addresses).
    pub corpus: Vec<PathBuf>,
}

/// Which targets a run makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Round {
    /// Every target that is not up to date.
    All,
    /// All but those that hold others (the book): `watch`'s rounds after
    /// the first, so that a save reaches its leaflet without waiting for
    /// the book.
    DeferHolders,
    /// Only those that hold others, when all they hold is up to date:
    /// `watch`'s book round, beside the next rounds, stopped by its
    /// [`Cancel`] token.
    Holders,
}

/// Whether files changed since a round of `watch` began: then what it
/// makes would be out of date, and it stops.
pub(crate) type Cancel = Arc<dyn Fn() -> bool + Send + Sync>;

/// What `typst`, `pdf` and `epub` make of each statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Typst,
    Pdf,
    Epub,
}

/// The plan of `pdf`, `epub` or `typst` over the statements named.
pub(crate) fn for_files(kind: Kind, args: &StatementArgs, extra: Extra) -> Result<Plan, Stop> {
    if (extra.impose || extra.press) && args.output.as_deref() == Some(Path::new("-")) {
        return Err(Stop::usage(
            "--impose and --press write files beside the PDF, not to standard output",
            "give -o a file name, or leave it out",
        ));
    }
    if args.output.is_some() && args.sources.len() > 1 {
        return Err(Stop::usage(
            format!(
                "-o names one output file, but {} statements were given",
                args.sources.len()
            ),
            "leave out -o to write each beside its statement, or into --out-dir",
        ));
    }
    for source in &args.sources {
        statement_file(source)?;
    }
    check_common(args.layout.as_deref())?;
    let project = open_project(args.project.project.as_deref())?;
    if let Some(layout) = &args.layout {
        layout_exists(&project.root, layout)?;
    }
    // A loose statement's products go beside it (as `typst compile` puts
    // its PDF); a project's into its [outputs] folder.
    let in_project = project.file.is_some() || args.project.project.is_some();
    let out_dir = args
        .out_dir
        .clone()
        .or_else(|| in_project.then(|| project.out_dir()));
    let jobs: Vec<Job> = args
        .sources
        .iter()
        .map(|source| {
            let output = match (&args.output, &out_dir) {
                (Some(o), _) => Output::File(o.clone()),
                (None, Some(dir)) => Output::Base(dir.join(source.file_name().unwrap_or_default())),
                (None, None) => Output::Base(source.clone()),
            };
            Job {
                source: source.clone(),
                output,
            }
        })
        .collect();
    let configured = &project.config.outputs;
    // (Configured for builds; not for a PDF written to standard output.)
    let to_file = args.output.as_deref() != Some(Path::new("-"));
    let pdf = kind == Kind::Pdf;
    let wanted = Wanted {
        typst: kind == Kind::Typst,
        pdf,
        epub: kind == Kind::Epub,
        impose: pdf && (extra.impose || (to_file && configured.impose)),
        press: pdf && (extra.press || (to_file && configured.press)),
    };
    one_writer_a_file(&jobs, wanted)?;
    let mut ctx = context(&project, &args.project, None)?;
    ctx.layout = args.layout.clone();
    ctx.embed_fonts |= extra.embed_fonts;
    // A project's statement is an edition among its translations: the
    // others are read too (a loose statement has none).
    let corpus = if in_project {
        project.sources_besides(&args.sources)
    } else {
        Vec::new()
    };
    Ok(Plan {
        project,
        ctx,
        wanted,
        jobs,
        mode: Mode::Files,
        book_dir: None,
        out_dir: None,
        force: true,
        explain: false,
        round: Round::All,
        cancel: None,
        replay: true,
        corpus,
    })
}

/// The flags only some of `pdf`, `epub` and `typst` have.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extra {
    pub impose: bool,
    pub press: bool,
    pub embed_fonts: bool,
}

impl From<&PdfArgs> for Extra {
    fn from(a: &PdfArgs) -> Self {
        Extra {
            impose: a.impose,
            press: a.press,
            ..Extra::default()
        }
    }
}

impl From<&EpubArgs> for Extra {
    fn from(a: &EpubArgs) -> Self {
        Extra {
            embed_fonts: a.embed_fonts,
            ..Extra::default()
        }
    }
}

/// The plan of `build`: every statement of the project, as [outputs] says,
/// and the book when there is an [anthology].
pub(crate) fn for_project(args: &BuildArgs) -> Result<Plan, Stop> {
    for_project_with(args, None)
}

/// The plan of `build` with fonts already loaded, if given.
pub(crate) fn for_project_with(args: &BuildArgs, fonts: Option<Arc<Shared>>) -> Result<Plan, Stop> {
    check_common(args.layout.as_deref())?;
    let project = open_project(args.project.project.as_deref())?;
    if let Some(layout) = &args.layout {
        layout_exists(&project.root, layout)?;
    }
    let sources = project.sources().map_err(|message| {
        Stop::usage(
            message,
            "a project keeps its statements in sources/; `pamphleteer init` makes one",
        )
    })?;
    if sources.is_empty() {
        return Err(Stop::usage(
            format!(
                "there are no statements (*.md) in {}",
                project.sources_dir().display()
            ),
            "write a statement in Markdown and save it as sources/NAME.md",
        ));
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
        return Err(Stop::usage(
            "[outputs] turns every product off: there is nothing to build",
            "set `pdf = true`, `epub = true` or `typst = true` under [outputs] in pamphleteer.toml",
        ));
    }
    let out_dir = args.out_dir.clone().unwrap_or_else(|| project.out_dir());
    let sources_dir = project.sources_dir();
    let jobs: Vec<Job> = sources
        .iter()
        .map(|source| Job {
            source: source.clone(),
            output: Output::Base(out_dir.join(source.strip_prefix(&sources_dir).unwrap_or(source))),
        })
        .collect();
    one_writer_a_file(&jobs, wanted)?;
    let mut ctx = context(&project, &args.project, fonts)?;
    ctx.layout = args.layout.clone();
    ctx.embed_fonts |= args.embed_fonts;
    let book_dir = project.config.anthology.is_some().then(|| out_dir.clone());
    Ok(Plan {
        project,
        ctx,
        wanted,
        jobs,
        mode: Mode::Project,
        book_dir,
        out_dir: Some(out_dir),
        force: args.force,
        explain: args.explain,
        round: Round::All,
        cancel: None,
        replay: true,
        corpus: Vec::new(),
    })
}

/// A statement named on the command line must be a file: say plainly what
/// it is instead, with the nearest statement's name when there is one.
pub(crate) fn statement_file(source: &Path) -> Result<(), Stop> {
    if source.is_file() {
        return Ok(());
    }
    if source.is_dir() {
        return Err(Stop::usage(
            format!("{} is a folder, not a statement", source.display()),
            "name a statement's .md file; `pamphleteer build` builds every statement of a project",
        ));
    }
    let folder = match source.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut names = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for path in entries.flatten().map(|e| e.path()) {
            if path
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
            {
                names.push(
                    path.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    names.sort();
    let wanted = source.file_name().unwrap_or_default().to_string_lossy();
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match nearest(&wanted, &candidates) {
        Some(n) => format!("did you mean {}?", folder.join(n).display()),
        None => "name a Markdown statement (.md), e.g. sources/statement.md".into(),
    };
    Err(Stop::usage(
        format!("there is no statement {}", source.display()),
        hint,
    ))
}

/// Two statements must not race for one file (`x.imposed.md`'s PDF is
/// `x.md`'s imposed sheets).
fn one_writer_a_file(jobs: &[Job], wanted: Wanted) -> Result<(), Stop> {
    let mut written_by: HashMap<PathBuf, &Path> = HashMap::new();
    for job in jobs {
        for (ext, main) in wanted.files() {
            let path = job.output.path(ext, main);
            if path == Path::new("-") {
                continue;
            }
            if path == job.source {
                return Err(Stop::usage(
                    format!("{} would be written over itself", job.source.display()),
                    "give the statement a .md name, or name the output with -o or --out-dir",
                ));
            }
            if let Some(other) = written_by.insert(path.clone(), &job.source) {
                return Err(Stop::usage(
                    format!(
                        "{} and {} would both be written to {}",
                        other.display(),
                        job.source.display(),
                        path.display()
                    ),
                    "rename one of them, or build them in separate runs with different --out-dir folders",
                ));
            }
        }
    }
    Ok(())
}

/// What the command line says before anything is read: the layout name
/// and `SOURCE_DATE_EPOCH`.
pub(crate) fn check_common(layout: Option<&str>) -> Result<(), Stop> {
    if let Some(layout) = layout
        && !valid_layout_name(layout)
    {
        return Err(Stop::usage(
            format!("`{layout}` is not a layout name"),
            format!(
                "a layout name is letters, digits, `-` and `_`; the built-in layouts are {}",
                builtin_names()
            ),
        ));
    }
    if let Err(message) = source_date_epoch() {
        return Err(Stop::usage(
            message,
            "set it to a Unix time in seconds (`date +%s`), or unset it",
        ));
    }
    Ok(())
}

/// A `--layout` must name a layout that is there.
fn layout_exists(root: &Path, layout: &str) -> Result<(), Stop> {
    if own_layout(root, layout).is_some() || BUILTIN_LAYOUTS.iter().any(|(n, _)| *n == layout) {
        return Ok(());
    }
    Err(Stop::usage(
        format!("there is no layout `{layout}`"),
        layout_hint(root, layout),
    ))
}

/// The project, or why it cannot be read.
pub(crate) fn open_project(dir: Option<&Path>) -> Result<Project, Stop> {
    Project::discover(dir).map_err(|e| Stop::Project(vec![e]))
}

/// The build context of a project whose file names fonts and layouts that
/// exist.
pub(crate) fn context(
    project: &Project,
    args: &ProjectArgs,
    fonts: Option<Arc<Shared>>,
) -> Result<Context, Stop> {
    let ctx = match fonts {
        Some(shared) => context_with(project, shared),
        None => context_for(project, args.system_fonts),
    };
    let errors = project.validate(&ctx.shared.families());
    if errors.is_empty() {
        Ok(ctx)
    } else {
        Err(Stop::Project(errors))
    }
}
