//! What every build of a statement needs to know: the project's root and
//! settings, its fonts, and what the command line changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::model::diagnostics::Diagnostic;
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

/// What a build of one statement (or the book) read: every file of the
/// project, by its path from the root, with the hash of the very bytes the
/// build used (an empty hash for a file looked for and not found: a
/// project layout that does not exist is one the built-in stands for, and
/// adding it changes the output); and the fonts it used, by their index in
/// the font book. Every read of a build goes through here
/// ([`Context::read`], the Typst World), so none can be left out by hand.
#[derive(Debug, Default)]
pub struct Reads {
    files: Mutex<BTreeMap<String, String>>,
    fonts: Mutex<BTreeSet<usize>>,
    /// Where else what is read is recorded (the book's reads, for one of
    /// its slices).
    parent: Option<Arc<Reads>>,
}

/// The hash of a file that was looked for and not found.
pub const ABSENT: &str = "";

/// The hash of a file that changed while a build read it (read twice, two
/// different contents): no file's hash, so what recorded it is never fresh.
pub const CHANGED: &str = "changed while it was read";

impl Reads {
    /// Records a file read (from the root) and the bytes it gave, or that
    /// it was not there (`None`).
    pub fn file(&self, rel: &str, bytes: Option<&[u8]>) {
        let hash = bytes.map_or_else(String::new, |b| crate::model::digest(&[b]));
        self.hashed(rel, hash);
    }

    /// Records a file read whose hash is known already.
    pub fn hashed(&self, rel: &str, hash: String) {
        if let Some(parent) = &self.parent {
            parent.hashed(rel, hash.clone());
        }
        let mut files = lock(&self.files);
        match files.get(rel) {
            Some(known) if *known != hash => {
                files.insert(rel.to_string(), CHANGED.to_string());
            }
            Some(_) => {}
            None => {
                files.insert(rel.to_string(), hash);
            }
        }
    }

    pub fn font(&self, index: usize) {
        if let Some(parent) = &self.parent {
            parent.font(index);
        }
        lock(&self.fonts).insert(index);
    }

    /// The files read (from the root), in order, each with its hash.
    pub fn files(&self) -> BTreeMap<String, String> {
        lock(&self.files).clone()
    }

    /// The fonts used, by index, in order.
    pub fn fonts(&self) -> Vec<usize> {
        lock(&self.fonts).iter().copied().collect()
    }

    /// Everything read, files and the font files, each with its hash: what
    /// the product made from them depends on.
    pub fn all(&self, shared: &Shared, root: &Path) -> BTreeMap<String, String> {
        let mut all = self.files();
        for i in self.fonts() {
            if let Some((path, hash)) = shared.file_of(i) {
                all.insert(relative_to(root, &path), hash);
            }
        }
        all
    }

    /// Records what another build read (a slice of the book kept from the
    /// last build, with what it read then).
    pub fn merge(&self, read: &BTreeMap<String, String>) {
        for (rel, hash) in read {
            self.hashed(rel, hash.clone());
        }
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

    /// The same context, recording into a fresh [`Reads`] of its own and
    /// also into this one's (a part of a build whose reads are kept apart).
    pub fn recording_part(&self) -> (Context, Arc<Reads>) {
        let reads = Arc::new(Reads {
            parent: self.reads.clone(),
            ..Reads::default()
        });
        let mut ctx = self.clone();
        ctx.reads = Some(reads.clone());
        (ctx, reads)
    }

    /// Reads a file of the project (a path under the root, or one given
    /// relative to the current folder), recording it with its hash.
    pub fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let result = std::fs::read(path);
        if let Some(reads) = &self.reads {
            reads.file(&self.rel(path), result.as_ref().ok().map(Vec::as_slice));
        }
        result
    }

    /// A path as the manifest names it: from the root when it is under it
    /// (whatever the current folder), else absolute.
    pub fn rel(&self, path: &Path) -> String {
        relative_to(&self.root, path)
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
    pub fn error_at(&self, section: &str, key: &str, message: impl Into<String>) -> Diagnostic {
        let file = self
            .project_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::project::FILE));
        let line = crate::project::config::key_line(&self.project_text, section, key);
        Diagnostic::new(&file, line, message)
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

/// `path` from `root` when it is under it, else absolute; both taken
/// from the current folder when relative. The name a build's records give
/// a file, the same whichever folder pamphleteer runs from.
pub fn relative_to(root: &Path, path: &Path) -> String {
    // (The current folder asked once: a build names thousands of paths.)
    static HERE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let here = HERE.get_or_init(|| std::env::current_dir().ok());
    let abs = |p: &Path| match here {
        Some(here) if p.is_relative() => here.join(p),
        _ => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    };
    let (root, path) = (abs(root), abs(path));
    let clean = |p: &Path| -> PathBuf {
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    };
    let (root, path) = (clean(&root), clean(&path));
    path.strip_prefix(&root)
        .unwrap_or(&path)
        .to_string_lossy()
        .into_owned()
}
