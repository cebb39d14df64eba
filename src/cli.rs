//! The command line: `typst` and `pdf`, each over one or more statements.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::build::{self, Context, Failure};
use crate::typst::world::Shared;

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
    /// compiles with the stock typst CLI next to layouts/ and fonts/).
    Typst(BuildArgs),
    /// Typeset each statement to a leaflet PDF (PDF/A-2b, and PDF/UA-1
    /// where the content allows).
    Pdf(BuildArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The Markdown statements.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Output file (with one source only).
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
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Typst,
    Pdf,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Typst(args) => run(Kind::Typst, args),
        Command::Pdf(args) => run(Kind::Pdf, args),
    }
}

fn run(kind: Kind, args: BuildArgs) -> ExitCode {
    if args.output.is_some() && args.sources.len() > 1 {
        eprintln!(
            "error: -o names one output file, but {} sources were given",
            args.sources.len()
        );
        eprintln!("  hint: leave out -o to write each into --out-dir (default `out`)");
        return ExitCode::from(2);
    }
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        eprintln!("error: the project root {} is not a folder", root.display());
        return ExitCode::from(2);
    }
    let shared = if args.system_fonts {
        Shared::new(true)
    } else {
        Shared::embedded()
    };
    let mut ctx = Context::new(root, shared);
    ctx.layout = args.layout.clone();
    let ext = match kind {
        Kind::Typst => "typ",
        Kind::Pdf => "pdf",
    };
    let results: Vec<Result<String, Failure>> = args
        .sources
        .par_iter()
        .map(|source| {
            let out = match &args.output {
                Some(o) => o.clone(),
                None => args
                    .out_dir
                    .join(Path::new(source.file_stem().unwrap_or_default()).with_extension(ext)),
            };
            build_one(kind, source, &out, &ctx)
        })
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

/// Builds one statement; returns what to print (warnings, the written file).
fn build_one(kind: Kind, source: &Path, out: &Path, ctx: &Context) -> Result<String, Failure> {
    let loaded = build::load(source, ctx)?;
    let mut report = String::new();
    for w in &loaded.warnings {
        report.push_str(&w.render_from_disk());
    }
    let typ = build::typst_source(&loaded, ctx)?;
    match kind {
        Kind::Typst => build::write_atomic(out, typ.text.as_bytes())?,
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
            build::write_atomic(out, &bytes)?;
            report.push_str(&format!(
                "wrote {} ({} page{}, {} KiB)\n",
                out.display(),
                compiled.document.pages().len(),
                if compiled.document.pages().len() == 1 {
                    ""
                } else {
                    "s"
                },
                bytes.len().div_ceil(1024)
            ));
            return Ok(report);
        }
    }
    report.push_str(&format!("wrote {}\n", out.display()));
    Ok(report)
}
