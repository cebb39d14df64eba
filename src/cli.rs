//! The command line: `typst` and `pdf` over one or more statements, and
//! `layout` to get a built-in layout to start one's own from.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::build::{self, Context, Failure};
use crate::frontmatter::valid_layout_name;
use crate::typst::world::{BUILTIN_COVER, BUILTIN_LAYOUTS, Shared};

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
    /// Write the Typst source of each statement (a readable .typ that
    /// compiles with the stock typst CLI in a folder with layouts/ and fonts/).
    Typst(BuildArgs),
    /// Typeset each statement to a leaflet PDF (PDF/A-2b, and PDF/UA-1
    /// where the content allows).
    Pdf(BuildArgs),
    /// Make an EPUB 3 e-book of each statement (EPUBCheck- and Ace-clean,
    /// with the leaflet's look).
    Epub(BuildArgs),
    /// Print a built-in layout (or `cover`, the e-book cover), to save as
    /// layouts/NAME.typ and change.
    Layout {
        /// The layout's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The Markdown statements.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Output file (with one source only); `-` writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Folder for outputs when no -o is given.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,
    /// Layout to use, overriding the front matter's `layout`.
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
    /// Project root: images must lie inside it, and its layouts/NAME.typ
    /// override the built-in layouts. Defaults to the current folder.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Also use the fonts installed on this system (output then depends on
    /// the machine).
    #[arg(long)]
    pub system_fonts: bool,
    /// E-books: package the shipped fonts the book uses (only those faces),
    /// so that it looks like the leaflet on every reader.
    #[arg(long)]
    pub embed_fonts: bool,
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
        Command::Typst(args) => run(Kind::Typst, args),
        Command::Pdf(args) => run(Kind::Pdf, args),
        Command::Epub(args) => run(Kind::Epub, args),
        Command::Layout { name } => match BUILTIN_LAYOUTS
            .iter()
            .chain([&("cover", BUILTIN_COVER)])
            .find(|(n, _)| *n == name)
        {
            Some((_, text)) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => usage(
                &format!("there is no built-in layout `{name}`"),
                &format!(
                    "the built-in layouts are {} (and `cover`, the e-book cover)",
                    builtin_names()
                ),
            ),
        },
    }
}

fn builtin_names() -> String {
    BUILTIN_LAYOUTS
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports bad usage; exit code 2.
fn usage(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!("  hint: {hint}");
    ExitCode::from(2)
}

fn run(kind: Kind, args: BuildArgs) -> ExitCode {
    if args.output.is_some() && args.sources.len() > 1 {
        return usage(
            &format!(
                "-o names one output file, but {} sources were given",
                args.sources.len()
            ),
            "leave out -o to write each into --out-dir (default `out`)",
        );
    }
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return usage(
            &format!("the project root {} is not a folder", root.display()),
            "--root names the folder that holds the statements, their images and layouts/",
        );
    }
    if let Some(layout) = &args.layout
        && !valid_layout_name(layout)
    {
        return usage(
            &format!("`{layout}` is not a layout name"),
            &format!(
                "a layout name is letters, digits, `-` and `_`; the built-in layouts are {}",
                builtin_names()
            ),
        );
    }
    if let Err(message) = build::source_date_epoch() {
        return usage(
            &message,
            "set it to a Unix time in seconds (`date +%s`), or unset it",
        );
    }
    let outputs: Vec<PathBuf> = match &args.output {
        Some(o) => vec![o.clone()],
        None => args
            .sources
            .iter()
            .map(|s| {
                args.out_dir.join(
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

    let shared = if args.system_fonts {
        Shared::new(true)
    } else {
        Shared::embedded()
    };
    let mut ctx = Context::new(root, shared);
    ctx.layout = args.layout.clone();
    ctx.embed_fonts = args.embed_fonts;
    let results: Vec<Result<String, Failure>> = args
        .sources
        .par_iter()
        .zip(outputs.par_iter())
        .map(|(source, out)| build_one(kind, source, out, &ctx))
        .collect();
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

/// Writes an output atomically, or to standard output for `-`.
fn emit(out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(bytes)
            .and_then(|_| stdout.flush())
            .map_err(|e| Failure::Io(format!("error: cannot write to standard output: {e}")));
    }
    build::write_atomic(out, bytes)
}

/// An output's name in messages.
fn shown(out: &Path) -> String {
    if out == Path::new("-") {
        "standard output".into()
    } else {
        out.display().to_string()
    }
}

/// Builds one statement; returns what to print (warnings, the written file).
fn build_one(kind: Kind, source: &Path, out: &Path, ctx: &Context) -> Result<String, Failure> {
    let loaded = build::load(source, ctx)?;
    let mut report = String::new();
    for w in &loaded.warnings {
        report.push_str(&w.render_from_disk());
    }
    if kind == Kind::Epub {
        let (bytes, notes) = crate::epub::epub(&loaded, ctx)?;
        for n in notes {
            report.push_str(&n);
            report.push('\n');
        }
        emit(out, &bytes)?;
        report.push_str(&format!(
            "wrote {} ({} KiB)\n",
            shown(out),
            bytes.len().div_ceil(1024)
        ));
        return Ok(report);
    }
    let typ = build::typst_source(&loaded, ctx)?;
    match kind {
        Kind::Typst => {
            emit(out, typ.text.as_bytes())?;
            report.push_str(&format!("wrote {}\n", shown(out)));
        }
        Kind::Epub => unreachable!("handled above"),
        Kind::Pdf => {
            let compiled = build::compile(&loaded, &typ, ctx)?;
            for w in &compiled.warnings {
                report.push_str(w);
            }
            let (bytes, notes) = build::pdf(&loaded, &compiled, ctx)?;
            for n in notes {
                report.push_str(&n);
                report.push('\n');
            }
            emit(out, &bytes)?;
            let pages = compiled.document.pages().len();
            report.push_str(&format!(
                "wrote {} ({pages} page{}, {} KiB)\n",
                shown(out),
                if pages == 1 { "" } else { "s" },
                bytes.len().div_ceil(1024)
            ));
        }
    }
    Ok(report)
}
