//! The command line as clap reads it. Each command lists only the flags that
//! apply to it; `plan` resolves them, once, into what to build.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "pamphleteer",
    version,
    about = "Markdown statements into print-ready leaflets and e-books"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Build the project: every sources/**/*.md into out/ (leaflet PDF,
    /// EPUB and .typ, as [outputs] says), in parallel; and, when
    /// pamphleteer.toml has an [anthology] section, the book of them all
    /// (out/<slug>.pdf and out/<slug>.epub). Only what changed since the
    /// last build is built again.
    Build(BuildArgs),
    /// Build the project as `build` does, then again whenever a statement,
    /// an image, a layout, a font or pamphleteer.toml is saved, until
    /// Ctrl-C; each round makes only what the change touched.
    Watch(BuildArgs),
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
    Typst(StatementArgs),
    /// Typeset each statement to a leaflet PDF (PDF/A-2b, and PDF/UA-1
    /// where the content allows).
    Pdf(PdfArgs),
    /// Make an EPUB 3 e-book of each statement (EPUBCheck- and Ace-clean,
    /// with the leaflet's look).
    Epub(EpubArgs),
    /// Set two editions of a statement side by side (a parallel edition):
    /// one column each, every heading, paragraph, list, quotation and note
    /// of one beside its counterpart in the other, starting at the same
    /// height. A right-to-left edition goes on the right.
    Parallel(ParallelArgs),
    /// Show a statement in the browser, its leaflet pages and its e-book
    /// text side by side, rebuilt on every save (of the statement, its
    /// images, pamphleteer.toml, a layout or a font).
    ///
    /// Prints the address first, then opens it in the browser. Clicking a
    /// place on a page shows the Markdown line its text came from; a save
    /// that does not build shows the error over the last good pages. The
    /// server answers on 127.0.0.1 only, with nothing but the preview and
    /// the images the statement shows. Ctrl-C stops it.
    Preview(PreviewArgs),
    /// Print a built-in layout (`leaflet`, `booklet`, `book`), what they
    /// share (`base`), the e-book cover (`cover`) or the parallel
    /// edition's (`parallel`), to save as layouts/NAME.typ and change.
    Layout {
        /// The layout's name.
        #[arg(value_name = "NAME")]
        name: String,
    },
}

/// Where the project is, and which fonts to use.
#[derive(Args, Debug, Clone)]
pub(crate) struct ProjectArgs {
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

/// What `typst`, `pdf` and `epub` take: statements, and where to put what
/// is made of them.
#[derive(Args, Debug)]
pub(crate) struct StatementArgs {
    /// The Markdown statements.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Output file (with one source only); `-` writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Folder for outputs when no -o is given (default: the project's
    /// [outputs] dir, `out`; beside each statement when there is no
    /// project).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Layout to use, overriding the front matter and [defaults].
    #[arg(long, value_name = "NAME")]
    pub layout: Option<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Args, Debug)]
pub(crate) struct PdfArgs {
    #[command(flatten)]
    pub statements: StatementArgs,
    /// Also write a booklet's pages two-up on sheets of the next paper
    /// size up (A5 on A4) in saddle-stitch order (NAME.imposed.pdf), for
    /// duplex printing flipped on the short edge and folding ([outputs]
    /// impose).
    #[arg(long)]
    pub impose: bool,
    /// Also write a PDF for the print shop (NAME.press.pdf), with bleed,
    /// crop marks, TrimBox and BleedBox ([outputs] press, bleed).
    #[arg(long)]
    pub press: bool,
}

#[derive(Args, Debug)]
pub(crate) struct EpubArgs {
    #[command(flatten)]
    pub statements: StatementArgs,
    /// Package the shipped fonts the book uses (only those faces), so that
    /// it looks like the leaflet on every reader.
    #[arg(long)]
    pub embed_fonts: bool,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct BuildArgs {
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
    /// Build everything, even what is up to date (by default only what
    /// changed since the last build is built; OUT/.pamphleteer/ records it).
    #[arg(long)]
    pub force: bool,
    /// Say, for each product built, the first thing that made it out of
    /// date ("sources/x.md changed", "layouts/leaflet.typ is new",
    /// "pamphleteer.toml: [layout] accent changed", "out/x.pdf was deleted").
    #[arg(long)]
    pub explain: bool,
}

#[derive(Args, Debug)]
pub(crate) struct PreviewArgs {
    /// The Markdown statement to show.
    #[arg(value_name = "SOURCE")]
    pub source: PathBuf,
    /// The port to serve on; 0 for any free one [default: 3370, or any
    /// free port when that is taken].
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// The address to serve on instead of 127.0.0.1 (0.0.0.0: every
    /// interface). The statement and its images can then be read by
    /// anyone on the network who finds the port.
    #[arg(long, value_name = "H")]
    pub host: Option<String>,
    /// Only print the address; do not open a browser.
    #[arg(long)]
    pub no_open: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Args, Debug)]
pub(crate) struct ParallelArgs {
    /// The edition for the left column (the original, say).
    #[arg(value_name = "A")]
    pub first: PathBuf,
    /// The edition for the right column.
    #[arg(value_name = "B")]
    pub second: PathBuf,
    /// Output file: a PDF, or the Typst source when it ends in `.typ`;
    /// `-` writes the PDF to standard output (default: NAME.A-B.pdf, in the
    /// project's [outputs] folder, or beside A when there is no project).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
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
