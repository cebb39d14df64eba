//! What every build of a statement needs to know: the project's root and
//! settings, its fonts, and what the command line changed.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::model::diagnostics::SourceError;
use crate::model::document::Date;
use crate::project::config::Config;
use crate::project::fonts::Shared;

/// What every build of a statement needs to know.
#[derive(Clone)]
pub struct Context {
    /// The project root: the sandbox for images and the home of `layouts/`.
    pub root: PathBuf,
    /// A layout given on the command line (wins over the front matter).
    pub layout: Option<String>,
    /// The project's settings (empty when there is no project file).
    pub config: Arc<Config>,
    pub shared: Arc<Shared>,
    /// `SOURCE_DATE_EPOCH`, as a date, for documents without one.
    pub epoch_date: Option<Date>,
    /// Package the shipped fonts the e-book uses.
    pub embed_fonts: bool,
    /// The project file and its text, for messages that point into it.
    pub project_file: Option<PathBuf>,
    pub project_text: Arc<str>,
    /// Where the files and fonts a build reads are recorded, when someone
    /// wants to know (the incremental build's manifest).
    pub reads: Option<Arc<Reads>>,
}

/// What a build of one statement (or the book) read: the project's files,
/// by their path from the root, including those looked for and not found
/// (a project layout that does not exist is one the built-in stands for:
/// adding it changes the output); and the fonts it used, by their index in
/// the font book.
#[derive(Debug, Default)]
pub struct Reads {
    files: Mutex<BTreeSet<String>>,
    fonts: Mutex<BTreeSet<usize>>,
}

impl Reads {
    pub fn file(&self, rel: &str) {
        lock(&self.files).insert(rel.to_string());
    }

    pub fn font(&self, index: usize) {
        lock(&self.fonts).insert(index);
    }

    /// The files read (from the root), in order.
    pub fn files(&self) -> Vec<String> {
        lock(&self.files).iter().cloned().collect()
    }

    /// The fonts used, by index, in order.
    pub fn fonts(&self) -> Vec<usize> {
        lock(&self.fonts).iter().copied().collect()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Context {
    /// The same context, recording what is read into a fresh [`Reads`].
    pub fn recording(&self) -> (Context, Arc<Reads>) {
        let reads = Arc::new(Reads::default());
        let mut ctx = self.clone();
        ctx.reads = Some(reads.clone());
        (ctx, reads)
    }

    /// `file:line` of a key in the project file, or `[section]` without it.
    pub fn key_at(&self, section: &str, key: &str) -> String {
        let line = crate::project::config::key_line(&self.project_text, section, key);
        match &self.project_file {
            Some(file) if line > 0 => format!("{}:{line}", file.display()),
            _ => format!("[{section}] {key}"),
        }
    }

    /// An error at a key of the project file (its first line when the key
    /// is not written there).
    pub fn error_at(&self, section: &str, key: &str, message: impl Into<String>) -> SourceError {
        let file = self
            .project_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::project::FILE));
        let line = crate::project::config::key_line(&self.project_text, section, key);
        SourceError::new(&file, line, message)
    }

    pub fn new(root: PathBuf, shared: Arc<Shared>) -> Self {
        let epoch_date = source_date_epoch().ok().flatten();
        Context {
            root,
            layout: None,
            config: Arc::new(Config::default()),
            shared,
            epoch_date,
            embed_fonts: false,
            project_file: None,
            project_text: Arc::from(""),
            reads: None,
        }
    }
}

/// `SOURCE_DATE_EPOCH` as a date: `Ok(None)` when unset, an error when it
/// is not a number of seconds between the years 1 and 9999.
pub fn source_date_epoch() -> Result<Option<Date>, String> {
    let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = value.trim().parse().map_err(|_| {
        format!("SOURCE_DATE_EPOCH is `{value}`, not a number of seconds since 1970")
    })?;
    let date = crate::model::dates::from_unix(secs);
    if !(1..=9999).contains(&date.year) {
        return Err(format!(
            "SOURCE_DATE_EPOCH {secs} is outside the years 1 to 9999"
        ));
    }
    Ok(Some(date))
}

/// A context for a project: its root, its settings, its fonts.
pub fn context_for(project: &crate::project::Project, system_fonts: bool) -> Context {
    let fonts = project.fonts_dir();
    let shared = if fonts.is_none() && !system_fonts {
        Shared::embedded()
    } else {
        Shared::with_fonts(fonts.as_deref(), system_fonts)
    };
    context_with(project, shared)
}

/// A context for a project with its fonts already loaded (`watch` and
/// `preview` keep them from one build to the next).
pub fn context_with(project: &crate::project::Project, shared: Arc<Shared>) -> Context {
    let mut ctx = Context::new(project.root.clone(), shared);
    ctx.config = Arc::new(project.config.clone());
    ctx.embed_fonts = project.config.outputs.embed_fonts;
    ctx.project_file = project.file.clone();
    ctx.project_text = Arc::from(project.text.as_str());
    ctx
}
