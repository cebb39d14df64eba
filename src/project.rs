//! A project: a folder with `pamphleteer.toml`, `sources/`, and optionally
//! its own `layouts/` and `fonts/`. Found upward from the current folder,
//! as cargo finds `Cargo.toml`.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diagnostics::SourceError;
use crate::document::{Document, Note};
use crate::frontmatter::dir_of;

/// The project file's name.
pub const FILE: &str = "pamphleteer.toml";

/// A project, or the current folder when there is no project file.
#[derive(Debug, Clone)]
pub struct Project {
    /// The folder holding the project file: the sandbox for images, the
    /// home of `sources/`, `layouts/`, `fonts/` and `out/`.
    pub root: PathBuf,
    /// The project file, if there is one.
    pub file: Option<PathBuf>,
    pub config: Config,
}

impl Project {
    /// `--project DIR`, or the nearest folder upward from the current one
    /// that holds `pamphleteer.toml`, or the current folder without one.
    pub fn discover(explicit: Option<&Path>) -> Result<Project, SourceError> {
        let root = match explicit {
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(SourceError::new(
                        dir,
                        0,
                        "the project folder does not exist or is not a folder",
                    )
                    .hint("--project names the folder that holds pamphleteer.toml and sources/"));
                }
                Some(dir.to_path_buf())
            }
            None => find_upward(&std::env::current_dir().unwrap_or_default()),
        };
        match root {
            Some(root) => Project::open(&root),
            None => Ok(Project {
                root: PathBuf::from("."),
                file: None,
                config: Config::default(),
            }),
        }
    }

    /// The project in `root`, with its file if it has one.
    pub fn open(root: &Path) -> Result<Project, SourceError> {
        let file = root.join(FILE);
        if file.is_file() {
            Ok(Project {
                root: relative_to_cwd(root),
                config: config::load(&file)?,
                file: Some(file),
            })
        } else {
            Ok(Project {
                root: root.to_path_buf(),
                file: None,
                config: Config::default(),
            })
        }
    }

    /// A path inside the project (`sources`, not `./sources`, in messages).
    fn under(&self, rel: &str) -> PathBuf {
        if self.root == Path::new(".") {
            PathBuf::from(rel)
        } else {
            self.root.join(rel)
        }
    }

    pub fn sources_dir(&self) -> PathBuf {
        self.under("sources")
    }

    /// Where `build` writes.
    pub fn out_dir(&self) -> PathBuf {
        self.under(&self.config.outputs.dir)
    }

    /// The project's own fonts, if it has a `fonts/` folder.
    pub fn fonts_dir(&self) -> Option<PathBuf> {
        let dir = self.under("fonts");
        dir.is_dir().then_some(dir)
    }

    /// Every `sources/**/*.md`, sorted, hidden files and folders skipped.
    pub fn sources(&self) -> Result<Vec<PathBuf>, String> {
        let dir = self.sources_dir();
        if !dir.is_dir() {
            return Err(format!(
                "there is no sources/ folder in {}",
                self.root.display()
            ));
        }
        let mut found = Vec::new();
        markdown_files(&dir, &mut found)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        found.sort();
        Ok(found)
    }
}

/// The nearest folder from `start` upward that holds the project file.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(FILE).is_file())
        .map(Path::to_path_buf)
}

/// A found project's folder, relative to the current folder when it is
/// the current folder or above it (shorter messages).
fn relative_to_cwd(root: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return root.to_path_buf();
    };
    if root == cwd {
        return PathBuf::from(".");
    }
    match cwd.strip_prefix(root) {
        Ok(below) if root.is_absolute() => {
            let ups = below.components().count();
            (0..ups).map(|_| "..").collect()
        }
        _ => root.to_path_buf(),
    }
}

/// Collects Markdown files below `dir`, recursively.
pub fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            markdown_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// Completes a statement's metadata: the front matter first, then what the
/// body's shape says (bare statements), then `[defaults]` and `[project]`.
/// Returns the inference notes.
pub fn complete(doc: &mut Document, config: &Config) -> Vec<Note> {
    let d = &config.defaults;
    let p = &config.project;
    let meta = &mut doc.meta;
    let (lang_given, dir_given) = (meta.line_of("lang") > 0, meta.line_of("dir") > 0);
    // The language comes first: inference reads dates in it.
    if !lang_given {
        if let Some(lang) = d.lang.as_ref().or(p.language.as_ref()) {
            meta.lang = lang.0.clone();
        }
        if !dir_given {
            meta.dir = dir_of(&meta.language());
        }
    }
    if !dir_given && let Some(dir) = &d.dir {
        meta.dir = dir.0;
    }
    if meta.infer.is_none() {
        meta.infer = d.infer;
    }
    let notes = crate::infer::infer(doc);
    let meta = &mut doc.meta;
    if meta.authors.is_empty()
        && let Some(a) = &d.author
    {
        meta.authors = a.to_vec();
    }
    if meta.place.is_none() {
        meta.place = d.place.clone();
    }
    if meta.date.is_none() {
        meta.date = d.date.as_ref().map(|d| d.0);
    }
    if meta.layout.is_none() {
        meta.layout = d.layout.as_ref().map(|l| l.0.clone());
    }
    if meta.publisher.is_none() {
        meta.publisher = d.publisher.clone().or_else(|| p.publisher.clone());
    }
    if meta.keywords.is_empty()
        && let Some(k) = &d.keywords
    {
        meta.keywords = k.clone();
    }
    meta.url = p.url.clone();
    meta.rights = p.rights.clone();
    meta.collection = p.title.clone();
    notes
}
