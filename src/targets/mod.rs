//! Every product is a target: a statement's leaflet with its e-book,
//! `.typ`, imposed and press PDFs; a parallel edition; the book. A target
//! says what it is made from (named parts of a fingerprint, and the files
//! it read before it was scheduled, such as its source), makes its outputs
//! as bytes (recording every other file it reads through the context), and
//! says which other targets it holds (it is written only once they are
//! made). One runner (`cmd::run`) schedules them all, writes what they made
//! atomically, records it and reports; it never learns what a target is.
//!
//! A new kind of product is a file here and one line in [`plan`].
//!
//! Imports `model`, `read`, `project`, `write` and `render`; never `cmd`.

pub(crate) mod book;
pub(crate) mod parallel;
pub(crate) mod statement;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::diagnostics::Diagnostic;
use crate::project::Project;
use crate::project::context::Context;
use crate::project::statement::Loaded;
use crate::render::compile::Error;
use crate::render::statement::Wanted;

/// Named parts of what a target is made from apart from the files it
/// reads: `pamphleteer.toml [layout] accent`, `--layout`, `outputs`...,
/// each the hash (or the text) of its value. Comparing two of them names
/// what changed.
pub(crate) type Parts = BTreeMap<String, String>;

/// Files read, by their path from the project root (absolute when outside
/// it), each with the hash of the bytes read (empty: looked for, absent).
pub(crate) type Files = BTreeMap<String, String>;

/// What a target is for the report at the end of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// One of the run's statements.
    Statement,
    /// The book.
    Book,
    /// Something made beside them (a parallel edition): its own line.
    Extra,
}

/// One file a target makes.
pub(crate) struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// What a line about it says besides its name (`(2 pages, 31 KiB)`).
    pub detail: String,
    /// Which product it is, for the summary: `pdf`, `epub`, `typ`,
    /// `imposed`, `press`.
    pub kind: &'static str,
}

/// What a target made.
#[derive(Default)]
pub(crate) struct Made {
    pub outputs: Vec<Output>,
    /// What making it said (warnings and notes, rendered).
    pub report: crate::model::diagnostics::Report,
    pub pages: usize,
    /// Whether copyfitting chose its PDF's setting.
    pub fitted: bool,
}

/// Why a target was not made.
pub(crate) enum Failed {
    Render(Error),
    /// A message already rendered.
    Said(String),
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Render(e) => write!(f, "{e}"),
            Failed::Said(s) => write!(f, "{}", s.trim_end()),
        }
    }
}

impl From<Error> for Failed {
    fn from(e: Error) -> Self {
        Failed::Render(e)
    }
}

/// A product, or a group of products made together from one compilation.
pub(crate) trait Target: Sync {
    /// Its name in the manifest and in messages (`sources/x.md`, `the
    /// anthology`, `out/x.es-en.pdf`).
    fn id(&self) -> String;
    fn role(&self) -> Role;
    /// What it is made from apart from the files it reads.
    fn parts(&self) -> Parts;
    /// The files read for it before the run scheduled it (its sources, read
    /// once, with the hashes of the bytes it is made from).
    fn read_before(&self) -> Files;
    /// The targets it holds, by id: it is written only when each of them
    /// is made or up to date.
    fn holds(&self) -> Vec<String> {
        Vec::new()
    }
    /// The longest pieces of work start first.
    fn weight(&self) -> u64 {
        1
    }
    /// Makes it; every file it reads goes through `ctx`, which records it.
    fn make(&self, ctx: &Context) -> Result<Made, Failed>;
    /// What messages call it (a source as the command line gave it).
    fn shown(&self) -> String {
        self.id()
    }
    /// The line saying it was made, given the files written and the pages
    /// of its PDF.
    fn built(&self, files: &[String], pages: usize) -> String {
        let _ = pages;
        format!("built {} → {}\n", self.shown(), files.join(", "))
    }
    /// Told once its outputs are written (the book prunes its cache).
    fn written(&self) {}
}

/// Where a statement's products go.
#[derive(Debug, Clone)]
pub(crate) enum Dest {
    /// Each product beside this path, with its own extension (`out/x.md`
    /// gives `out/x.pdf`, `out/x.epub`).
    Base(PathBuf),
    /// The file `-o` names (`-`: standard output); what is made beside the
    /// PDF takes its name (`x.imposed.pdf`).
    File(PathBuf),
}

impl Dest {
    /// The file of a product (`pdf`, `imposed.pdf`); `main` for the one
    /// product `-o` names.
    pub(crate) fn path(&self, ext: &str, main: bool) -> PathBuf {
        match self {
            Dest::Base(base) => base.with_extension(ext),
            Dest::File(file) if main => file.clone(),
            Dest::File(file) => file.with_extension(ext),
        }
    }
}

/// A statement as the run read it: what reading gave, the files read for
/// it (its source), and what it shows of the others (its editions, where
/// its links lead), as text for its fingerprint.
pub(crate) struct Read {
    pub source: PathBuf,
    pub loaded: Result<Loaded, Vec<Diagnostic>>,
    pub files: Files,
    pub shows: String,
}

impl Read {
    pub(crate) fn ok(&self) -> Option<&Loaded> {
        self.loaded.as_ref().ok()
    }
}

/// What the targets of a run are planned from.
pub(crate) struct Inputs<'a> {
    pub project: &'a Project,
    pub ctx: &'a Context,
    pub wanted: Wanted,
    /// Each statement of the run with where its products go.
    pub statements: Vec<(&'a Read, &'a Dest)>,
    /// Every statement in build order, with what reading it gave (what the
    /// book is planned from).
    pub all: Vec<(PathBuf, Option<&'a Loaded>)>,
    /// The book's folder, when the run makes one.
    pub book_dir: Option<&'a Path>,
    /// Whether the run builds a project (not files named on the command line).
    pub project_run: bool,
    /// What the book keeps between runs, and when to stop (`watch`).
    pub kept: &'a dyn crate::render::book::Kept,
}

/// Every target of a run: the one registration of each kind of product.
/// Also what could not be planned (the book's plan that fails), said as
/// a failed target.
pub(crate) fn plan<'a>(inputs: &'a Inputs<'a>) -> Vec<Box<dyn Target + 'a>> {
    let mut targets: Vec<Box<dyn Target + 'a>> = Vec::new();
    targets.extend(statement::targets(inputs));
    targets.extend(book::targets(inputs));
    targets.extend(parallel::targets(inputs));
    targets
}

/// The parts every target shares: the settings it uses (each key of the
/// project file that is not in a section `skip` names, hashed from the
/// text the run read), the command line, the fonts Typst may pick from.
pub(crate) fn common(inputs: &Inputs, skip: &[&str]) -> Parts {
    let ctx = inputs.ctx;
    let mut parts = settings(&inputs.project.text, skip);
    if let Some(layout) = &ctx.layout {
        parts.insert("--layout".into(), layout.clone());
    }
    if let Some(date) = &ctx.epoch_date {
        parts.insert(
            "SOURCE_DATE_EPOCH".into(),
            format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
        );
    }
    if ctx.embed_fonts {
        parts.insert("--embed-fonts".into(), "yes".into());
    }
    let w = inputs.wanted;
    let products: Vec<&str> = [
        (w.pdf, "pdf"),
        (w.epub, "epub"),
        (w.typst, "typ"),
        (w.impose, "imposed"),
        (w.press, "press"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    parts.insert("products".into(), products.join(", "));
    parts.insert("the fonts".into(), ctx.shared.book_hash());
    parts
}

/// Each setting of a project file's text as a part of its own
/// (`pamphleteer.toml [layout] accent`), its value as TOML; the sections
/// `skip` names left out. A file that does not parse (it would not have
/// been read) gives one part, its text's hash.
pub(crate) fn settings(text: &str, skip: &[&str]) -> Parts {
    let mut parts = Parts::new();
    let file = crate::project::FILE;
    let Ok(table) = text.parse::<toml::Table>() else {
        parts.insert(file.into(), crate::model::digest(&[text.as_bytes()]));
        return parts;
    };
    for (section, value) in &table {
        if skip.contains(&section.as_str()) {
            continue;
        }
        match value {
            toml::Value::Table(keys) => {
                for (key, value) in keys {
                    if skip.contains(&format!("{section}.{key}").as_str()) {
                        continue;
                    }
                    parts.insert(format!("{file}: [{section}] {key}"), value.to_string());
                }
            }
            value => {
                parts.insert(format!("{file}: {section}"), value.to_string());
            }
        }
    }
    parts
}
