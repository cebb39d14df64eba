//! The command line: `build`, `init` and `check` for a project; `typst`,
//! `pdf` and `epub` over single statements; `layout` to get a built-in
//! layout to start one's own from.

pub mod build;
pub mod check;
pub mod init;
pub mod output;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::cmd::output::{emit, shown};
use crate::model::diagnostics::Failure;
use crate::model::names::valid_layout_name;
use crate::project::Project;
use crate::project::context::{Context, context_for, source_date_epoch};
use crate::project::registry::{builtin_file, builtin_names};
use crate::render::statement::{self, Wanted};

#[derive(Parser, Debug)]
#[command(
    name = "pamphleteer",
    version,
    about = "Markdown statements into print-ready leaflets and e-books"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the project: every sources/**/*.md into out/ (leaflet PDF,
    /// EPUB and .typ, as [outputs] says), in parallel.
    Build(ProjectBuildArgs),
    /// Start a project that builds at once: pamphleteer.toml with every
    /// setting, an example statement, and a README.
    Init {
        /// The folder to make the project in (created if need be).
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
    },
    /// Lint statements without writing anything: front matter, images, alt
    /// text, unbalanced quotes, paragraphs split by a pasted page break.
    Check(CheckArgs),
    /// Write the Typst source of each statement (a readable .typ that
    /// compiles with the stock typst CLI in a folder with layouts/ and fonts/).
    Typst(BuildArgs),
    /// Typeset each statement to a leaflet PDF (PDF/A-2b, and PDF/UA-1
    /// where the content allows).
    Pdf(BuildArgs),
    /// Make an EPUB 3 e-book of each statement (EPUBCheck- and Ace-clean,
    /// with the leaflet's look).
    Epub(BuildArgs),
    /// Print a built-in layout (`leaflet`, `booklet`), what they share
    /// (`base`) or the e-book cover (`cover`), to save as layouts/NAME.typ
    /// and change.
    Layout {
        /// The layout's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
}

/// Where the project is, and which fonts to use.
#[derive(Args, Debug)]
pub struct ProjectArgs {
    /// The project folder (holding pamphleteer.toml). Without it, the
    /// nearest folder upward from the current one that has a
    /// pamphleteer.toml, or else the current folder.
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Also use the fonts installed on this system (output then depends on
    /// the machine).
    #[arg(long)]
    pub system_fonts: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The Markdown statements.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Output file (with one source only); `-` writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Folder for outputs when no -o is given (default: the project's
    /// [outputs] dir, `out`).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Layout to use, overriding the front matter and [defaults].
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// E-books: package the shipped fonts the book uses (only those faces),
    /// so that it looks like the leaflet on every reader.
    #[arg(long)]
    pub embed_fonts: bool,
    /// `pdf` only: also write a booklet's pages two-up on sheets of the
    /// next paper size up (A5 on A4) in saddle-stitch order
    /// (NAME.imposed.pdf), for duplex printing flipped on the short edge
    /// and folding ([outputs] impose).
    #[arg(long)]
    pub impose: bool,
    /// `pdf` only: also write a PDF for the print shop (NAME.press.pdf),
    /// with bleed, crop marks, TrimBox and BleedBox ([outputs] press,
    /// bleed).
    #[arg(long)]
    pub press: bool,
}

#[derive(Args, Debug)]
pub struct ProjectBuildArgs {
    /// Layout for every statement, overriding the front matter and [defaults].
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
    /// Folder for outputs (default: [outputs] dir, `out`).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// E-books: package the shipped fonts each book uses.
    #[arg(long)]
    pub embed_fonts: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Statements or folders of statements (default: the project's sources/).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Join paragraphs split by a pasted page break, in place.
    #[arg(long)]
    pub fix: bool,
    /// The project folder (see `build`).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Typst,
    Pdf,
    Epub,
}

impl Kind {
    fn extension(self) -> &'static str {
        match self {
            Kind::Typst => "typ",
            Kind::Pdf => "pdf",
            Kind::Epub => "epub",
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => crate::cmd::build::run(args),
        Command::Init { dir } => crate::cmd::init::run(&dir),
        Command::Check(args) => crate::cmd::check::run(args),
        Command::Typst(args) => run(Kind::Typst, args),
        Command::Pdf(args) => run(Kind::Pdf, args),
        Command::Epub(args) => run(Kind::Epub, args),
        Command::Layout { name } => match builtin_file(&name) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => usage(
                &format!("there is no built-in layout `{name}`"),
                &format!(
                    "the built-in layouts are {} (and `base`, what they share, and `cover`, the e-book cover)",
                    builtin_names()
                ),
            ),
        },
    }
}

/// Reports bad usage; exit code 2.
pub fn usage(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("  hint: {hint}");
    ExitCode::from(2)
}

/// The project, or the exit code after saying why it cannot be read.
pub fn open_project(dir: Option<&Path>) -> Result<Project, ExitCode> {
    Project::discover(dir).map_err(|e| {
        eprintln!("{}", e.render_from_disk().trim_end());
        ExitCode::from(1)
    })
}

/// The build context of a project whose file names fonts and layouts that
/// exist; otherwise the exit code after reporting what does not.
pub fn context(project: &Project, system_fonts: bool) -> Result<Context, ExitCode> {
    let ctx = context_for(project, system_fonts);
    let errors = project.validate(&ctx.shared.families());
    if errors.is_empty() {
        return Ok(ctx);
    }
    for e in &errors {
        eprintln!("{}", e.render_from_disk().trim_end());
    }
    Err(ExitCode::from(1))
}

/// Checks what the command line says before anything is built: the layout
/// name and `SOURCE_DATE_EPOCH`.
pub fn check_common(layout: Option<&str>) -> Result<(), ExitCode> {
    if let Some(layout) = layout
        && !valid_layout_name(layout)
    {
        return Err(usage(
            &format!("`{layout}` is not a layout name"),
            &format!(
                "a layout name is letters, digits, `-` and `_`; the built-in layouts are {}",
                builtin_names()
            ),
        ));
    }
    if let Err(message) = source_date_epoch() {
        return Err(usage(
            &message,
            "set it to a Unix time in seconds (`date +%s`), or unset it",
        ));
    }
    Ok(())
}

fn run(kind: Kind, args: BuildArgs) -> ExitCode {
    if (args.impose || args.press) && kind != Kind::Pdf {
        return usage(
            "--impose and --press make PDFs",
            "use them with `pamphleteer pdf`",
        );
    }
    if (args.impose || args.press) && args.output.as_deref() == Some(Path::new("-")) {
        return usage(
            "--impose and --press write files beside the PDF, not to standard output",
            "give -o a file name, or leave it out",
        );
    }
    if args.output.is_some() && args.sources.len() > 1 {
        return usage(
            &format!(
                "-o names one output file, but {} sources were given",
                args.sources.len()
            ),
            "leave out -o to write each into --out-dir (default `out`)",
        );
    }
    if let Err(code) = check_common(args.layout.as_deref()) {
        return code;
    }
    let project = match open_project(args.project.project.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let out_dir = args.out_dir.clone().unwrap_or_else(|| project.out_dir());
    let outputs: Vec<PathBuf> = match &args.output {
        Some(o) => vec![o.clone()],
        None => args
            .sources
            .iter()
            .map(|s| {
                out_dir.join(
                    Path::new(s.file_stem().unwrap_or_default()).with_extension(kind.extension()),
                )
            })
            .collect(),
    };
    // Two sources must not race for one output file.
    let mut seen: HashMap<&Path, &Path> = HashMap::new();
    for (source, out) in args.sources.iter().zip(&outputs) {
        if let Some(other) = seen.insert(out, source) {
            return usage(
                &format!(
                    "{} and {} would both be written to {}",
                    other.display(),
                    source.display(),
                    out.display()
                ),
                "build them in separate runs with different --out-dir folders, or rename one",
            );
        }
    }

    let mut ctx = match context(&project, args.project.system_fonts) {
        Ok(ctx) => ctx,
        Err(code) => return code,
    };
    ctx.layout = args.layout.clone();
    ctx.embed_fonts |= args.embed_fonts;
    let configured = &project.config.outputs;
    // (Configured for builds; not for a PDF written to standard output.)
    let to_file = args.output.as_deref() != Some(Path::new("-"));
    let wanted = Wanted {
        typst: kind == Kind::Typst,
        pdf: kind == Kind::Pdf,
        epub: kind == Kind::Epub,
        impose: kind == Kind::Pdf && (args.impose || (to_file && configured.impose)),
        press: kind == Kind::Pdf && (args.press || (to_file && configured.press)),
    };
    let jobs: Vec<(&PathBuf, &PathBuf)> = args.sources.iter().zip(&outputs).collect();
    let results: Vec<Result<String, Failure>> =
        crate::render::parallel::map(&jobs, |(source, out)| {
            let result = build_one(source, out, &ctx, wanted);
            // Keep Typst's global cache to what recent statements used.
            typst::comemo::evict(4);
            result
        });
    let mut failed = 0;
    for r in results {
        match r {
            Ok(report) => eprint!("{report}"),
            Err(f) => {
                failed += 1;
                eprintln!("{f}\n");
            }
        }
    }
    if failed > 0 {
        eprintln!(
            "error: {failed} of {} statements failed",
            args.sources.len()
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Builds one product of one statement; returns what to print.
fn build_one(source: &Path, out: &Path, ctx: &Context, wanted: Wanted) -> Result<String, Failure> {
    let products = statement::make(source, ctx, wanted)?;
    let mut report = products.report;
    let (bytes, what) = if let Some(pdf) = &products.pdf {
        let pages = products.pages;
        (
            pdf,
            format!("{pages} page{}, ", if pages == 1 { "" } else { "s" }),
        )
    } else if let Some(epub) = &products.epub {
        (epub, String::new())
    } else if let Some(typ) = &products.typst {
        emit(out, typ)?;
        report.push_str(&format!("wrote {}\n", shown(out)));
        return Ok(report);
    } else {
        return Ok(report);
    };
    emit(out, bytes)?;
    report.push_str(&format!(
        "wrote {} ({what}{} KiB)\n",
        shown(out),
        bytes.len().div_ceil(1024)
    ));
    // Beside the PDF: NAME.imposed.pdf and NAME.press.pdf.
    for (extra, ext, what) in [
        (
            &products.imposed,
            "imposed.pdf",
            format!("{} sheet sides, ", products.sides),
        ),
        (&products.press, "press.pdf", String::new()),
    ] {
        if let Some(extra) = extra {
            let path = out.with_extension(ext);
            emit(&path, extra)?;
            report.push_str(&format!(
                "wrote {} ({what}{} KiB)\n",
                path.display(),
                extra.len().div_ceil(1024)
            ));
        }
    }
    Ok(report)
}
