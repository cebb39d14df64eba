//! What `build` keeps beside its outputs to know what it need not build
//! again: for each target (a statement's products, a parallel edition, the
//! book), its fingerprint's named parts (the settings it uses, the command
//! line...), every file it read with the hash of the bytes it used (its
//! source, images, layouts, fonts, the preface, the cover: recorded as they
//! were read, never chosen by hand), and the files it wrote with their size
//! and time. A target is fresh when all of that is as it was; anything
//! missing, unreadable or different means "build it", never a wrong skip,
//! and [`Why`] names the first difference (`build --explain`).
//!
//! The manifest is `OUT/.pamphleteer/manifest.toml`, written atomically
//! after each build, and only when something in it changed. Paths in it
//! are from the project root, so a build started from another folder finds
//! the same entries.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::cmd::output::{WriteError, write_atomic};
use crate::model::digest as hash;
use crate::project::context::{ABSENT, CHANGED, relative_to};
use crate::render::book::{Kept, Laid};
use crate::render::pages::{PageMap, Row};
use crate::targets::{Files, Parts};

/// The folder under the outputs that holds the manifest and the caches.
pub(crate) const DIR: &str = ".pamphleteer";

/// What the last build made, and from what.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Which program wrote it: entries of another are never fresh.
    #[serde(default)]
    pub program: String,
    /// By target (`sources/x.md`, `the anthology`, `out/x.it-en.pdf`).
    #[serde(default)]
    pub targets: BTreeMap<String, Entry>,
    /// On disk only: the settings parts targets share (most of each
    /// fingerprint), each set kept once under its hash.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    settings: BTreeMap<String, Parts>,
}

/// What one target was made from and made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// What it was made from apart from the files in `deps`, by name.
    pub parts: Parts,
    /// On disk only: the hash of its settings parts, kept once for all.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub settings: String,
    /// Files read (from the root), each with the hash of the bytes used;
    /// an empty hash for a file looked for and not found.
    pub deps: Files,
    /// The files written, with the size and modification time they had.
    pub outputs: Vec<Stamp>,
    /// What building it said (warnings and notes, each with its
    /// severity); its warnings are said again while it is fresh.
    #[serde(default)]
    pub said: crate::model::diagnostics::Report,
    /// Pages of its PDF; whether copyfitting chose the setting.
    #[serde(default)]
    pub pages: usize,
    #[serde(default)]
    pub fitted: bool,
}

/// An output as it was left: its path (from the root), size and
/// modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub path: String,
    pub len: u64,
    /// Nanoseconds since 1970, as a string (TOML's integers are 64 bits).
    pub modified: String,
}

impl Stamp {
    /// The stamp of a file as it is now, if it is there.
    pub(crate) fn of(root: &Path, path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stamp {
            path: relative_to(root, path),
            len: meta.len(),
            modified: modified.to_string(),
        })
    }

    /// Where the file is.
    pub(crate) fn file(&self, root: &Path) -> PathBuf {
        root.join(&self.path)
    }

    /// Whether the file is still as it was left.
    fn holds(&self, root: &Path) -> bool {
        Stamp::of(root, &self.file(root)).as_ref() == Some(self)
    }
}

impl Manifest {
    /// The manifest under `out`, or an empty one when there is none; a
    /// manifest that cannot be read is an empty one, with a note saying so.
    /// Also whether one was there, of this program.
    pub(crate) fn load(out: &Path) -> (Manifest, Option<String>, Found) {
        let path = Manifest::path(out);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (Manifest::default(), None, Found::Nothing);
        };
        match toml::from_str::<Manifest>(&text) {
            Ok(m) if m.program == program() => (m.unshared(), None, Found::Ours),
            Ok(_) => (Manifest::default(), None, Found::Another),
            Err(_) => (
                Manifest::default(),
                Some(format!(
                    "note: {} could not be read: building everything",
                    path.display()
                )),
                Found::Unreadable,
            ),
        }
    }

    pub(crate) fn path(out: &Path) -> PathBuf {
        out.join(DIR).join("manifest.toml")
    }

    pub(crate) fn save(&mut self, out: &Path) -> Result<(), WriteError> {
        self.program = program();
        let text = toml::to_string(&self.clone().shared()).unwrap_or_default();
        write_atomic(&Manifest::path(out), text.as_bytes())
    }

    /// As it is kept: each target's settings parts (those of
    /// pamphleteer.toml, which most targets share) in a set of their own,
    /// kept once.
    fn shared(mut self) -> Manifest {
        for entry in self.targets.values_mut() {
            let (settings, own): (Parts, Parts) = std::mem::take(&mut entry.parts)
                .into_iter()
                .partition(|(name, _)| name.starts_with(crate::project::FILE));
            let text = toml::to_string(&settings).unwrap_or_default();
            let id = hash(&[text.as_bytes()])[..16].to_string();
            self.settings.insert(id.clone(), settings);
            entry.parts = own;
            entry.settings = id;
        }
        self
    }

    /// As it is used: each target's parts whole again.
    fn unshared(mut self) -> Manifest {
        let sets = std::mem::take(&mut self.settings);
        for entry in self.targets.values_mut() {
            if let Some(set) = sets.get(&std::mem::take(&mut entry.settings)) {
                entry.parts.extend(set.clone());
            }
        }
        self
    }
}

/// What was found where the manifest is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Nothing,
    /// A manifest that is not one (cut short, edited by hand).
    Unreadable,
    Ours,
    /// A manifest another build of pamphleteer wrote.
    Another,
}

/// This program: its version and the identity of its build (a hash of the
/// code, layouts, fonts and dependencies it was built from, fixed by
/// `build.rs`), so that a rebuilt pamphleteer builds everything again.
pub(crate) fn program() -> String {
    format!(
        "pamphleteer {} {}",
        env!("CARGO_PKG_VERSION"),
        env!("PAMPHLETEER_BUILD_ID")
    )
}

/// Why a target is built again: the first thing found changed since it
/// was last built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    Forced,
    NotBuilt,
    /// The manifest could not be read.
    Unreadable,
    /// The last build was another build of pamphleteer.
    Program,
    Output {
        path: String,
        gone: bool,
    },
    Part {
        name: String,
        how: How,
    },
    File {
        path: String,
        how: How,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    New,
    Changed,
    Gone,
    /// Read twice during the build, with two contents.
    ChangedWhileRead,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Forced => write!(f, "--force"),
            Why::NotBuilt => write!(f, "it was not built before"),
            Why::Unreadable => write!(f, "the record of the last build could not be read"),
            Why::Program => write!(f, "pamphleteer was rebuilt (the last build was another's)"),
            Why::Output { path, gone: true } => write!(f, "{path} was deleted"),
            Why::Output { path, gone: false } => {
                write!(f, "{path} was changed since it was written")
            }
            Why::Part { name, how } => match how {
                How::New => write!(f, "{name} was added"),
                How::Gone => write!(f, "{name} was removed"),
                _ => write!(f, "{name} changed"),
            },
            Why::File { path, how } => match how {
                How::New => write!(f, "{path} is new"),
                How::Gone => write!(f, "{path} was deleted"),
                How::Changed => write!(f, "{path} changed"),
                How::ChangedWhileRead => write!(f, "{path} changed while it was being built"),
            },
        }
    }
}

impl Why {
    /// What it says, its files named from the project folder as it was
    /// given (`p/out/x.pdf` for `--project p`).
    pub(crate) fn shown_from(&self, root: &Path) -> String {
        let shown = |path: &String| {
            if Path::new(path).is_absolute() {
                path.clone()
            } else {
                crate::project::under(root, path).display().to_string()
            }
        };
        match self {
            Why::Output { path, gone } => Why::Output {
                path: shown(path),
                gone: *gone,
            }
            .to_string(),
            Why::File { path, how } => Why::File {
                path: shown(path),
                how: *how,
            }
            .to_string(),
            other => other.to_string(),
        }
    }
}

/// Hashes of files as they are now, each read once in a run.
pub(crate) struct Hashes {
    root: PathBuf,
    memo: Mutex<HashMap<PathBuf, String>>,
}

impl Hashes {
    pub(crate) fn new(root: &Path) -> Self {
        Hashes {
            root: root.to_path_buf(),
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// The hash of a file's bytes (a path from the root, or absolute);
    /// empty when it is not there.
    pub(crate) fn hash(&self, path: &str) -> String {
        let full = self.root.join(path);
        if let Some(h) = lock(&self.memo).get(&full) {
            return h.clone();
        }
        let h = std::fs::read(&full)
            .map(|bytes| hash(&[&bytes]))
            .unwrap_or_default();
        lock(&self.memo).insert(full, h.clone());
        h
    }

    /// The first file of `deps` that is not as it was read.
    pub(crate) fn changed<'a>(
        &self,
        deps: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Option<Why> {
        deps.into_iter()
            .find_map(|(path, was)| file_changed(path, was, &self.hash(path)))
    }
}

/// How a file is not as it was read (`was`, `now`: hashes, empty for a
/// file not there), if it is not.
fn file_changed(path: &str, was: &str, now: &str) -> Option<Why> {
    let how = match (was, now) {
        (CHANGED, _) => How::ChangedWhileRead,
        _ if was == now => return None,
        (ABSENT, _) => How::New,
        (_, ABSENT) => How::Gone,
        _ => How::Changed,
    };
    Some(Why::File {
        path: path.to_string(),
        how,
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The first part that differs between two fingerprints.
fn part_changed(was: &Parts, now: &Parts) -> Option<Why> {
    let names: std::collections::BTreeSet<&String> = was.keys().chain(now.keys()).collect();
    names.into_iter().find_map(|name| {
        let how = match (was.get(name), now.get(name)) {
            (Some(a), Some(b)) if a == b => return None,
            (None, _) => How::New,
            (_, None) => How::Gone,
            _ => How::Changed,
        };
        Some(Why::Part {
            name: name.clone(),
            how,
        })
    })
}

/// What `build` knows of the last build and learns in this one.
pub(crate) struct Incremental {
    /// (Shared with the book's kept slices: a file is hashed once a run.)
    hashes: std::sync::Arc<Hashes>,
    /// The project root, absolute.
    pub root: PathBuf,
    out: PathBuf,
    old: Manifest,
    found: Found,
    force: bool,
    /// What this build changed: an entry recorded, or removed (`None`).
    changes: Mutex<BTreeMap<String, Option<Entry>>>,
    /// Why the old manifest was not used, when it could not be read.
    pub note: Option<String>,
}

/// Saves of the manifest, one at a time in a process (`watch`'s book
/// round saves beside the next round).
static SAVING: Mutex<()> = Mutex::new(());

impl Incremental {
    /// Starts from the manifest under `out` (from none with `force`).
    pub(crate) fn new(root: &Path, out: &Path, force: bool) -> Self {
        let (old, note, found) = Manifest::load(out);
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Incremental {
            hashes: std::sync::Arc::new(Hashes::new(&root)),
            root,
            out: std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()),
            old,
            found,
            force,
            changes: Mutex::new(BTreeMap::new()),
            note,
        }
    }

    /// The last build's entry for a target if it is still fresh: the same
    /// parts, every file it read as it was, every file it wrote as it was
    /// left; else the first thing that is not.
    pub(crate) fn check(&self, id: &str, parts: &Parts, read: &Files) -> Result<Entry, Why> {
        if self.force {
            return Err(Why::Forced);
        }
        let Some(entry) = self.old.targets.get(id) else {
            return Err(match self.found {
                Found::Another => Why::Program,
                Found::Unreadable => Why::Unreadable,
                _ => Why::NotBuilt,
            });
        };
        if let Some(out) = entry.outputs.iter().find(|o| !o.holds(&self.root)) {
            return Err(Why::Output {
                path: out.path.clone(),
                gone: !out.file(&self.root).exists(),
            });
        }
        // What was read for it this time, then what it read last time.
        for (path, now) in read {
            let was = entry.deps.get(path).map_or(ABSENT, String::as_str);
            if let Some(why) = file_changed(path, was, now) {
                return Err(why);
            }
        }
        if let Some(why) = part_changed(&entry.parts, parts) {
            return Err(why);
        }
        // (The files read for it are not read again.)
        let rest = entry
            .deps
            .iter()
            .filter(|(path, _)| !read.contains_key(*path));
        if let Some(why) = self.hashes.changed(rest) {
            return Err(why);
        }
        Ok(entry.clone())
    }

    /// Records a target as built; removes what the last build wrote for it
    /// and this one did not (the files of an old name), and returns them.
    pub(crate) fn record(&self, id: &str, entry: Entry) -> Vec<PathBuf> {
        let stale = self
            .old
            .targets
            .get(id)
            .into_iter()
            .flat_map(|old| &old.outputs)
            .filter(|old| entry.outputs.iter().all(|o| o.path != old.path))
            .map(|old| old.file(&self.root))
            .filter(|file| std::fs::remove_file(file).is_ok())
            .collect();
        lock(&self.changes).insert(id.to_string(), Some(entry));
        stale
    }

    /// The targets the last build made that this one does not plan.
    pub(crate) fn unplanned(&self, planned: &[String]) -> Vec<String> {
        self.old
            .targets
            .keys()
            .filter(|id| !planned.contains(id))
            .cloned()
            .collect()
    }

    /// Whether a target's id names a file of the project that is gone (a
    /// statement deleted).
    pub(crate) fn source_gone(&self, id: &str) -> bool {
        id.ends_with(".md") && !self.root.join(id).exists()
    }

    /// Removes a target's outputs and its entry; returns the files removed,
    /// and those kept because they were changed since they were written
    /// (someone's work, which is not ours to delete). A folder left empty
    /// goes too.
    pub(crate) fn remove(&self, id: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let (mut removed, mut kept) = (Vec::new(), Vec::new());
        for out in self
            .old
            .targets
            .get(id)
            .into_iter()
            .flat_map(|e| &e.outputs)
        {
            let file = out.file(&self.root);
            if !file.exists() {
                continue;
            }
            if !out.holds(&self.root) {
                kept.push(file);
            } else if std::fs::remove_file(&file).is_ok() {
                // (Its folder, when nothing else is in it; never the outputs' own.)
                if let Some(dir) = file.parent()
                    && dir != self.out
                    && dir.starts_with(&self.out)
                {
                    let _ = std::fs::remove_dir(dir);
                }
                removed.push(file);
            }
        }
        lock(&self.changes).insert(id.to_string(), None);
        (removed, kept)
    }

    /// The stamp of an output written.
    pub(crate) fn stamp(&self, path: &Path) -> Option<Stamp> {
        Stamp::of(&self.root, path)
    }

    /// Where the book's compilations are kept between builds.
    pub(crate) fn kept_book(
        &self,
        salt: &str,
        cancel: Option<crate::cmd::plan::Cancel>,
    ) -> KeptBook {
        // The last e-book, if it is as the last build left it.
        let epub = self
            .old
            .targets
            .get(crate::targets::book::ID)
            .and_then(|b| b.outputs.iter().find(|o| o.path.ends_with(".epub")))
            .filter(|o| o.holds(&self.root))
            .map(|o| o.file(&self.root));
        KeptBook {
            cancel,
            epub,
            dir: self.out.join(DIR).join("book"),
            salt: hash(&[program().as_bytes(), salt.as_bytes()]),
            hashes: self.hashes.clone(),
            used: Mutex::new(Default::default()),
        }
    }

    /// Writes what this build changed into the manifest as it is now on
    /// disk (another build in this process may have saved meanwhile); not
    /// at all when nothing changed.
    pub(crate) fn save(&self) -> Result<(), WriteError> {
        let _one = lock(&SAVING);
        let changes = lock(&self.changes);
        if changes.is_empty() && self.found == Found::Ours {
            return Ok(());
        }
        let (mut manifest, _, found) = Manifest::load(&self.out);
        let before = (manifest.clone(), found);
        for (id, entry) in changes.iter() {
            match entry {
                Some(entry) => {
                    manifest.targets.insert(id.clone(), entry.clone());
                }
                None => {
                    manifest.targets.remove(id);
                }
            }
        }
        manifest.program = program();
        if before == (manifest.clone(), Found::Ours) {
            return Ok(());
        }
        manifest.save(&self.out)
    }
}

/// What the last build of the book left: its slices' compilations, kept
/// under `OUT/.pamphleteer/book/` (a PDF and a TOML file of what else the
/// book needs of each, with the files it read), and its e-book.
pub(crate) struct KeptBook {
    /// `watch`: whether files changed meanwhile (then the book stops).
    cancel: Option<crate::cmd::plan::Cancel>,
    dir: PathBuf,
    /// The book's e-book as the last build wrote it.
    epub: Option<PathBuf>,
    /// What every key is salted with: this program, the book's settings.
    salt: String,
    hashes: std::sync::Arc<Hashes>,
    used: Mutex<std::collections::BTreeSet<String>>,
}

#[derive(Serialize, Deserialize)]
struct LaidFile {
    pages: usize,
    opens: Vec<usize>,
    warnings: Vec<String>,
    pdf: bool,
    map: Vec<Row>,
    /// What its compilation read, with the hashes of the bytes it used.
    reads: Files,
}

impl KeptBook {
    fn name(&self, key: &str) -> String {
        hash(&[self.salt.as_bytes(), key.as_bytes()])
    }

    fn used(&self, name: &str) {
        lock(&self.used).insert(name.to_string());
    }
}

impl Kept for KeptBook {
    fn slice(&self, key: &str) -> Option<Laid> {
        let name = self.name(key);
        let text = std::fs::read_to_string(self.dir.join(format!("{name}.toml"))).ok()?;
        let file: LaidFile = toml::from_str(&text).ok()?;
        // (Only while every file it read is as it was.)
        if self.hashes.changed(&file.reads).is_some() {
            return None;
        }
        let pdf = if file.pdf {
            Some(std::fs::read(self.dir.join(format!("{name}.pdf"))).ok()?)
        } else {
            None
        };
        self.used(&name);
        Some(Laid {
            pdf,
            pages: file.pages,
            opens: file.opens,
            page_map: PageMap::from_rows(file.map),
            warnings: file.warnings,
            reads: file.reads,
        })
    }

    fn epub(&self) -> Option<Vec<u8>> {
        std::fs::read(self.epub.as_ref()?).ok()
    }

    fn stop(&self) -> bool {
        self.cancel.as_ref().is_some_and(|cancel| cancel())
    }

    fn warm(&self) -> bool {
        self.cancel.is_some()
    }

    fn keep_slice(&self, key: &str, laid: &Laid) {
        let name = self.name(key);
        let file = LaidFile {
            pages: laid.pages,
            opens: laid.opens.clone(),
            warnings: laid.warnings.clone(),
            pdf: laid.pdf.is_some(),
            map: laid.page_map.rows(),
            reads: laid.reads.clone(),
        };
        // (A slice that cannot be kept is laid out again next time.)
        let Ok(text) = toml::to_string(&file) else {
            return;
        };
        if let Some(pdf) = &laid.pdf
            && write_atomic(&self.dir.join(format!("{name}.pdf")), pdf).is_err()
        {
            return;
        }
        if write_atomic(&self.dir.join(format!("{name}.toml")), text.as_bytes()).is_ok() {
            self.used(&name);
        }
    }

    /// Removes what this build did not use.
    fn written(&self) {
        let used = lock(&self.used);
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            if !used.contains(stem.as_ref()) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_tells_parts_apart() {
        assert_ne!(hash(&[b"ab", b"c"]), hash(&[b"a", b"bc"]));
        assert_eq!(hash(&[b"x"]), hash(&[b"x"]));
        assert_eq!(hash(&[]).len(), 64);
    }

    #[test]
    fn a_corrupt_or_foreign_manifest_is_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        assert!(Manifest::load(out).0.targets.is_empty());
        let mut m = Manifest::default();
        m.targets.insert("sources/a.md".into(), Entry::default());
        m.save(out).unwrap();
        let (back, note, found) = Manifest::load(out);
        assert!(note.is_none());
        assert_eq!(found, Found::Ours);
        assert!(back.targets.contains_key("sources/a.md"));
        std::fs::write(Manifest::path(out), "targets = [[[").unwrap();
        let (back, note, _) = Manifest::load(out);
        assert!(back.targets.is_empty());
        assert!(note.unwrap().contains("could not be read"));
        std::fs::write(
            Manifest::path(out),
            "program = \"pamphleteer 0.0.0\"\n[targets.\"sources/a.md\"]\nparts = {}\ndeps = {}\noutputs = []\n",
        )
        .unwrap();
        let (back, _, found) = Manifest::load(out);
        assert!(back.targets.is_empty());
        assert_eq!(found, Found::Another);
    }

    #[test]
    fn a_target_is_fresh_until_a_part_a_file_it_read_or_wrote_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("in.typ"), "a").unwrap();
        std::fs::write(root.join("out.pdf"), "pdf").unwrap();
        let parts: Parts = [(
            "pamphleteer.toml: [layout] accent".to_string(),
            "red".to_string(),
        )]
        .into_iter()
        .collect();
        let entry = Entry {
            parts: parts.clone(),
            deps: [
                ("in.typ".to_string(), hash(&[b"a"])),
                ("layouts/absent.typ".to_string(), ABSENT.to_string()),
            ]
            .into_iter()
            .collect(),
            outputs: vec![Stamp::of(root, &root.join("out.pdf")).unwrap()],
            ..Entry::default()
        };
        let mut m = Manifest::default();
        m.targets.insert("x".into(), entry);
        m.save(&root.join("out")).unwrap();
        let check = |parts: &Parts| {
            Incremental::new(root, &root.join("out"), false).check("x", parts, &Files::new())
        };
        assert!(check(&parts).is_ok());
        let mut other = parts.clone();
        other.insert("pamphleteer.toml: [layout] accent".into(), "blue".into());
        assert_eq!(
            check(&other).unwrap_err().to_string(),
            "pamphleteer.toml: [layout] accent changed"
        );
        std::fs::write(root.join("in.typ"), "b").unwrap();
        assert_eq!(check(&parts).unwrap_err().to_string(), "in.typ changed");
        std::fs::write(root.join("in.typ"), "a").unwrap();
        assert!(check(&parts).is_ok());
        std::fs::create_dir(root.join("layouts")).unwrap();
        std::fs::write(root.join("layouts/absent.typ"), "now here").unwrap();
        assert_eq!(
            check(&parts).unwrap_err().to_string(),
            "layouts/absent.typ is new"
        );
        std::fs::remove_file(root.join("layouts/absent.typ")).unwrap();
        assert!(check(&parts).is_ok());
        // From another folder, the same entry.
        let sub = root.join("sub");
        std::fs::create_dir(&sub).unwrap();
        let inc = Incremental::new(&sub.join(".."), &root.join("out"), false);
        assert_eq!(relative_to(&inc.root, &root.join("in.typ")), "in.typ");
        assert!(inc.check("x", &parts, &Files::new()).is_ok());
        // What was read for it this time comes first.
        let read: Files = [("in.typ".to_string(), hash(&[b"c"]))]
            .into_iter()
            .collect();
        assert_eq!(
            inc.check("x", &parts, &read).unwrap_err().to_string(),
            "in.typ changed"
        );
        std::fs::remove_file(root.join("out.pdf")).unwrap();
        assert_eq!(
            check(&parts).unwrap_err().to_string(),
            "out.pdf was deleted"
        );
    }
}
