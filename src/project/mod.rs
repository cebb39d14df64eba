//! The project: `pamphleteer.toml` (typed and checked), the settings each
//! layout resolves to, where the project is and what it holds (its
//! statements, its own layouts and fonts), what is built into the binary,
//! a statement as the project sees it, and the anthology's plan.
//!
//! Imports `model` and `read`.

pub mod book;
pub mod config;

pub mod context;
pub mod fonts;
pub mod links;
pub(crate) mod registry;
pub mod settings;
pub mod statement;
pub mod translations;

// A project: a folder with `pamphleteer.toml`, `sources/`, and optionally
// its own `layouts/` and `fonts/`. Found upward from the current folder,
// as cargo finds `Cargo.toml`.

use std::path::{Path, PathBuf};

use crate::model::diagnostics::{Diagnostic, nearest};
use crate::model::document::{Document, Note};
use crate::model::lang::dir_of;
use crate::model::units::num;
use crate::project::settings::Settings;
use config::Config;

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
    /// The project file's text (for the lines of messages).
    pub text: String,
}

impl Project {
    /// `--project DIR`, or the nearest folder upward from the current one
    /// that holds `pamphleteer.toml`, or the current folder without one.
    pub fn discover(explicit: Option<&Path>) -> Result<Project, Diagnostic> {
        let root = match explicit {
            Some(dir) => {
                if !dir.is_dir() {
                    return Err(Diagnostic::new(
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
                text: String::new(),
            }),
        }
    }

    /// The project in `root`, with its file if it has one.
    pub fn open(root: &Path) -> Result<Project, Diagnostic> {
        let root = relative_to_cwd(root);
        let file = if root == Path::new(".") {
            PathBuf::from(FILE)
        } else {
            root.join(FILE)
        };
        if file.is_file() {
            let (config, text) = config::load(&file)?;
            Ok(Project {
                root,
                config,
                file: Some(file),
                text,
            })
        } else {
            Ok(Project {
                root,
                file: None,
                config: Config::default(),
                text: String::new(),
            })
        }
    }

    /// A path inside the project (`sources`, not `./sources`, in messages).
    fn under(&self, rel: &str) -> PathBuf {
        under(&self.root, rel)
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

    /// Every `sources/**/*.md` (and `.markdown`), sorted, hidden files and
    /// folders skipped.
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

    /// The project's statements besides `given`, however their paths were
    /// written (none when there is no sources/ folder).
    pub fn sources_besides(&self, given: &[PathBuf]) -> Vec<PathBuf> {
        let given: Vec<PathBuf> = given.iter().filter_map(|g| g.canonicalize().ok()).collect();
        self.sources()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.canonicalize().is_ok_and(|c| !given.contains(&c)))
            .collect()
    }
}

/// [`connect`] for statements read on their own (those a command was given),
/// with the project's other statements read for what these show of them.
/// Returns the errors about these.
pub fn connect_among(
    project: &Project,
    ctx: &context::Context,
    these: &mut [statement::Loaded],
) -> Vec<crate::model::diagnostics::Diagnostic> {
    let given: Vec<PathBuf> = these.iter().map(|l| l.doc.path.clone()).collect();
    let mut others: Vec<statement::Loaded> = project
        .sources_besides(&given)
        .iter()
        .filter_map(|s| statement::load(s, ctx).ok())
        .collect();
    let mut all: Vec<&mut statement::Loaded> = these.iter_mut().chain(&mut others).collect();
    let mut errors = connect(&mut all, &ctx.config);
    errors.retain(|e| given.contains(&e.path));
    errors
}

/// Tells each statement read what it shows of the others: its editions
/// in other languages, its online address, where its links lead. Returns
/// the errors (a translation group that does not hold together, a link to
/// nothing), each at its statement's line.
pub fn connect(
    all: &mut [&mut statement::Loaded],
    config: &Config,
) -> Vec<crate::model::diagnostics::Diagnostic> {
    let language = config.project.language.as_ref().map(|l| l.0.as_str());
    let mut errors = translations::relate(all, config.project.online.as_ref(), language);
    errors.extend(links::resolve(all));
    errors
}

/// `rel` inside `root`, without a `./` in front when the root is `.`.
pub fn under(root: &Path, rel: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(rel)
    } else {
        root.join(rel)
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
        // Symbolic links are followed (a linked folder of statements counts).
        if path.is_dir() {
            markdown_files(&path, out)?;
        } else if is_markdown(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `.md` or `.markdown`, in any case.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Completes a statement's metadata: the front matter first, then what the
/// body's shape says (bare statements), then `[defaults]` and `[project]`.
/// Returns the inference notes.
pub fn complete(doc: &mut Document, config: &Config) -> Vec<Note> {
    let d = &config.defaults;
    let p = &config.project;
    // A file named `x.it.md` is in Italian unless its front matter says
    // (the same: any other is an error when it is read).
    let named = crate::model::lang::file_lang(&doc.path).map(|(_, tag)| tag);
    let meta = &mut doc.meta;
    if meta.line_of("lang") == 0
        && let Some(tag) = &named
    {
        meta.lang = tag.clone();
    }
    let (lang_given, dir_given) = (
        meta.line_of("lang") > 0 || named.is_some(),
        meta.line_of("dir") > 0,
    );
    // The language comes first: inference reads dates in it. A statement's
    // own `lang` decides its direction over `[defaults] dir`.
    if !lang_given && let Some(lang) = d.lang.as_ref().or(p.language.as_ref()) {
        meta.lang = lang.0.clone();
    }
    if !dir_given {
        meta.dir = match &d.dir {
            Some(dir) if !lang_given => dir.0,
            _ => dir_of(&meta.language()),
        };
    }
    if meta.infer.is_none() {
        meta.infer = d.infer;
    }
    let notes = crate::read::infer::infer(doc);
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
        meta.keywords = k.to_vec();
    }
    meta.url = p.url.clone();
    meta.rights = p.rights.clone();
    meta.collection = p.title.clone();
    notes
}

impl Project {
    /// Checks what the project file names against what exists (fonts,
    /// layouts) and what it sets against what makes a page (type that
    /// does not overlap, margins that leave room for text). Each problem is
    /// an error on its line of the project file.
    pub fn validate(&self, families: &[String]) -> Vec<Diagnostic> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        let c = &self.config;
        let at = |section: &str, key: &str, message: String| {
            Diagnostic::new(file, config::key_line(&self.text, section, key), message)
        };
        let mut errors = Vec::new();
        let known = |family: &str| families.iter().any(|f| f.eq_ignore_ascii_case(family));
        let available = || format!("the fonts available are: {}", families.join(", "));
        let l = &c.layout;
        for (key, names) in [
            ("body-font", l.body_font.iter().cloned().collect::<Vec<_>>()),
            ("heading-font", l.heading_font.iter().cloned().collect()),
            ("body-fallback", l.body_fallback.clone().unwrap_or_default()),
            (
                "heading-fallback",
                l.heading_fallback.clone().unwrap_or_default(),
            ),
        ] {
            for name in names.iter().filter(|n| !known(n)) {
                let lower: Vec<String> = families.iter().map(|f| f.to_lowercase()).collect();
                let candidates: Vec<&str> = lower.iter().map(String::as_str).collect();
                let hint = match nearest(&name.to_lowercase(), &candidates)
                    .and_then(|n| families.iter().find(|f| f.to_lowercase() == n))
                {
                    Some(n) => format!("did you mean `{n}`? {}", available()),
                    None => available(),
                };
                errors.push(
                    at("layout", key, format!("there is no font `{name}`"))
                        .hint(format!("{hint}; a project's own fonts go in fonts/")),
                );
            }
        }
        if let Some(layout) = &c.defaults.layout
            && crate::project::registry::builtin_file(&layout.0).is_none()
            && crate::project::registry::own_layout(&self.root, &layout.0).is_none()
        {
            errors.push(
                at(
                    "defaults",
                    "layout",
                    format!("there is no layout `{}`", layout.0),
                )
                .hint(crate::project::registry::layout_hint(&self.root, &layout.0)),
            );
        }
        // The page each built-in layout would make with these settings.
        for layout in ["leaflet", "booklet"] {
            let s = Settings::resolve(layout, l);
            if s.leading < s.font_size {
                let key = if l.leading.is_some() {
                    "leading"
                } else {
                    "font-size"
                };
                errors.push(
                    at(
                        "layout",
                        key,
                        format!(
                            "a leading of {}pt is less than the type size ({}pt): lines would overlap",
                            num(s.leading),
                            num(s.font_size)
                        ),
                    )
                    .hint("the leading is the distance from line to line, usually 1.2 to 1.4 times the type size"),
                );
                break;
            }
            let (w, h) = crate::project::config::Paper(s.paper.clone()).size_mm();
            let mm = |l: crate::model::units::Length| l.to_pt() * 25.4 / 72.0;
            let width = w - mm(s.margin_inside) - mm(s.margin_outside);
            let height = h - mm(s.margin_top) - mm(s.margin_bottom);
            if width < 40.0 || height < 60.0 {
                let key = if l.margins.is_some() {
                    "margins"
                } else {
                    "paper"
                };
                errors.push(
                    at(
                        "layout",
                        key,
                        format!(
                            "the margins leave a text area of {} × {} mm on {} paper ({layout})",
                            num(width.max(0.0)),
                            num(height.max(0.0)),
                            s.paper
                        ),
                    )
                    .hint("the text needs at least 40 mm across and 60 mm down; make the margins smaller"),
                );
                break;
            }
        }
        if c.outputs.dir.trim().is_empty() {
            errors.push(
                at("outputs", "dir", "`dir` is empty".into())
                    .hint("name the folder for what is built, e.g. \"out\""),
            );
        }
        errors
    }
}
