//! The commands: `build`, `init` and `check` for a project; `typst`, `pdf`
//! and `epub` over statements; `parallel` for two editions side by side; `preview` to see a statement in the
//! browser as it is written (over `watcher` and `serve`); `layout` to get
//! a built-in layout to start one's own from. The building commands resolve their arguments once into
//! a `plan::Plan` and carry it out with `run::run`, the one pipeline.
//!
//! Imports every stage above it; nothing imports it. The only stage that
//! writes files and prints.

pub(crate) mod args;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod manifest;
pub mod output;
pub(crate) mod parallel;
pub(crate) mod plan;
pub(crate) mod preview;
pub(crate) mod report;
pub(crate) mod run;
pub(crate) mod serve;
pub(crate) mod watch;
pub(crate) mod watcher;

use std::process::ExitCode;

use clap::Parser;

use crate::cmd::args::{Cli, Command};
use crate::cmd::plan::{Extra, Kind, Stop};
use crate::project::registry::{builtin_file, builtin_names};

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let plan = match cli.command {
        Command::Build(args) => plan::for_project(&args),
        Command::Watch(args) => return watch::run(&args),
        Command::Typst(args) => plan::for_files(Kind::Typst, &args, Extra::default()),
        Command::Pdf(args) => plan::for_files(Kind::Pdf, &args.statements, Extra::from(&args)),
        Command::Epub(args) => plan::for_files(Kind::Epub, &args.statements, Extra::from(&args)),
        Command::Init { dir } => return init::run(&dir),
        Command::Check(args) => return check::run(args),
        Command::Layout { name } => return layout(&name),
        Command::Preview(args) => return preview::run(&args),
        Command::Parallel(args) => return parallel::run(&args),
    };
    match plan {
        Ok(plan) => run::run(plan),
        Err(stop) => stop.exit(),
    }
}

/// `pamphleteer layout NAME`: a built-in layout's source on standard output.
fn layout(name: &str) -> ExitCode {
    match builtin_file(name) {
        Some(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            let hint = format!(
                "the built-in layouts are {} (and `base`, what they share, `cover`, the e-book cover, and `parallel`, the parallel edition's)",
                builtin_names()
            );
            let names = ["leaflet", "booklet", "book", "base", "cover", "parallel"];
            let hint = match crate::model::diagnostics::nearest(name, &names) {
                Some(n) => format!("did you mean `{n}`? {hint}"),
                None => hint,
            };
            Stop::usage(format!("there is no built-in layout `{name}`"), hint).exit()
        }
    }
}
