//! What `build` keeps beside its outputs to know what it need not build
//! again: for each statement (and the book), a key of what it was made from
//! apart from files (its source's bytes, the resolved settings, the
//! command line, this program), the files and fonts it read with a hash of
//! each, and the files it wrote with their size and time. A product is
//! fresh when all of that is as it was; anything missing, unreadable or
//! different means "build it", never a wrong skip.
//!
//! The manifest is `OUT/.pamphleteer/manifest.toml`, written atomically
//! after each build.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::cmd::output::{WriteError, write_atomic};
use crate::project::context::{Context, Reads};
use crate::render::book::{Kept, Laid};
use crate::render::digest as hash;
use crate::render::pages::{PageMap, Row};

/// The folder under the outputs that holds the manifest and the caches.
pub(crate) const DIR: &str = ".pamphleteer";

/// What the last build made, and from what.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Which program wrote it: entries of another are never fresh.
    #[serde(default)]
    pub program: String,
    /// By source, from the project root (`sources/x.md`).
    #[serde(default)]
    pub statements: BTreeMap<String, Entry>,
    #[serde(default)]
    pub book: Option<Entry>,
    /// The parallel editions (`[outputs] parallel`), by output file.
    #[serde(default)]
    pub parallel: BTreeMap<String, Entry>,
}

/// One product group (a statement's PDF, EPUB, .typ…, or the book's).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The hash of what it was made from apart from the files in `deps`.
    pub key: String,
    /// Files read (from the root), each with the hash of its bytes; an
    /// empty hash for a file looked for and not found.
    pub deps: Vec<Dep>,
    /// The files written, with the size and modification time they had.
    pub outputs: Vec<Stamp>,
    /// What building it reported (warnings and notes), shown again when it
    /// is fresh.
    #[serde(default)]
    pub report: String,
    /// Pages of its PDF; whether copyfitting chose the setting.
    #[serde(default)]
    pub pages: usize,
    #[serde(default)]
    pub fitted: bool,
    /// For the book: the statements it holds (from the root), whose bytes
    /// are part of its key.
    #[serde(default)]
    pub holds: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Dep {
    pub path: String,
    pub hash: String,
}

/// An output as it was left: its path, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub path: PathBuf,
    pub len: u64,
    /// Nanoseconds since 1970, as a string (TOML's integers are 64 bits).
    pub modified: String,
}

impl Stamp {
    /// The stamp of a file as it is now, if it is there.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stamp {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: modified.to_string(),
        })
    }

    /// Whether the file is still as it was left.
    fn holds(&self) -> bool {
        Stamp::of(&self.path).as_ref() == Some(self)
    }
}

impl Manifest {
    /// The manifest under `out`, or an empty one when there is none; a
    /// manifest that cannot be read is an empty one, with a note saying so.
    pub(crate) fn load(out: &Path) -> (Manifest, Option<String>) {
        let path = Manifest::path(out);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (Manifest::default(), None);
        };
        match toml::from_str::<Manifest>(&text) {
            Ok(m) if m.program == program() => (m, None),
            Ok(_) => (Manifest::default(), None),
            Err(_) => (
                Manifest::default(),
                Some(format!(
                    "note: {} could not be read: building everything",
                    path.display()
                )),
            ),
        }
    }

    pub(crate) fn path(out: &Path) -> PathBuf {
        out.join(DIR).join("manifest.toml")
    }

    pub(crate) fn save(&mut self, out: &Path) -> Result<(), WriteError> {
        self.program = program();
        let text = toml::to_string(self).unwrap_or_default();
        write_atomic(&Manifest::path(out), text.as_bytes())
    }
}

/// This program: its version, and the size and time of its executable, so
/// that a rebuilt pamphleteer builds everything again.
pub(crate) fn program() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| Stamp::of(&p))
        .map(|s| format!(" {} {}", s.len, s.modified))
        .unwrap_or_default();
    format!("pamphleteer {}{exe}", env!("CARGO_PKG_VERSION"))
}

/// Hashes of the project's files, each read once in a run.
pub(crate) struct Files {
    root: PathBuf,
    memo: Mutex<HashMap<PathBuf, String>>,
}

impl Files {
    pub(crate) fn new(root: &Path) -> Self {
        Files {
            root: root.to_path_buf(),
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// The hash of a file's bytes (a path from the root, or absolute);
    /// empty when it cannot be read.
    pub(crate) fn hash(&self, path: &str) -> String {
        let full = self.root.join(path);
        if let Some(h) = self
            .memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&full)
        {
            return h.clone();
        }
        let h = std::fs::read(&full)
            .map(|bytes| hash(&[&bytes]))
            .unwrap_or_default();
        self.memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(full, h.clone());
        h
    }

    /// The dependencies a build recorded (plus `more`, such as images the
    /// e-book packed), each hashed now.
    pub(crate) fn deps(&self, reads: &Reads, ctx: &Context, more: &[String]) -> Vec<Dep> {
        let mut paths: Vec<String> = reads.files();
        paths.extend(more.iter().cloned());
        for i in reads.fonts() {
            if let Some(file) = ctx.shared.project_fonts.get(i) {
                let rel = file.strip_prefix(&self.root).unwrap_or(file);
                paths.push(rel.to_string_lossy().into_owned());
            }
        }
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .map(|path| Dep {
                hash: self.hash(&path),
                path,
            })
            .collect()
    }

    /// Whether an entry made under `key` is still fresh: the same key,
    /// every file it read as it was, every file it wrote as it was left.
    pub(crate) fn fresh(&self, entry: &Entry, key: &str) -> bool {
        entry.key == key
            && entry.deps.iter().all(|d| self.hash(&d.path) == d.hash)
            && entry.outputs.iter().all(Stamp::holds)
    }
}

/// A path as the manifest names it: from the root when under it.
pub(crate) fn name(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// What `build` knows of the last build and learns in this one.
pub(crate) struct Incremental {
    pub files: Files,
    root: PathBuf,
    out: PathBuf,
    old: Manifest,
    new: Mutex<Manifest>,
    /// What every statement's key holds besides its own source: this
    /// program, the command line, the project's settings apart from the
    /// anthology, the project's font files.
    common: String,
    /// The same for the book, with the anthology.
    book_common: String,
    /// The hash of each statement's bytes as [`Incremental::key`] read
    /// them, by name: what the book's key is made of.
    read: Mutex<HashMap<String, String>>,
    /// Why the old manifest was not used, when it could not be read.
    pub note: Option<String>,
}

impl Incremental {
    /// Starts from the manifest under `out` (from none with `force`).
    pub(crate) fn new(
        ctx: &Context,
        wanted: &impl std::fmt::Debug,
        out: &Path,
        force: bool,
    ) -> Self {
        let (old, note) = if force {
            (Manifest::default(), None)
        } else {
            Manifest::load(out)
        };
        let mut config = (*ctx.config).clone();
        let anthology = config.anthology.take();
        // (The parallel editions have keys of their own.)
        config.outputs.parallel.clear();
        let fonts: Vec<&PathBuf> = ctx.shared.project_fonts.iter().collect();
        let common = format!(
            "{}\n{:?}\n{:?}\n{:?}\n{}\n{wanted:?}\n{fonts:?}\n{} families\n{config:?}",
            program(),
            ctx.layout,
            ctx.epoch_date,
            ctx.embed_fonts,
            ctx.root.display(),
            ctx.shared.families().len(),
        );
        let book_common = format!(
            "{common}\n{anthology:?}\n{:?}",
            std::env::var("PAMPHLETEER_BOOK_PART_BYTES").ok()
        );
        let new = Manifest {
            // What is not built again is carried over as it was.
            statements: old.statements.clone(),
            book: old.book.clone(),
            parallel: old.parallel.clone(),
            ..Manifest::default()
        };
        Incremental {
            files: Files::new(&ctx.root),
            root: ctx.root.clone(),
            out: out.to_path_buf(),
            old,
            new: Mutex::new(new),
            common,
            book_common,
            note,
            read: Mutex::new(HashMap::new()),
        }
    }

    /// The key of a statement's products: what they are made from apart
    /// from the files its build reads.
    pub(crate) fn key(&self, source: &Path, output: &impl std::fmt::Debug) -> String {
        let bytes = std::fs::read(source).unwrap_or_default();
        self.read
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name(source, &self.root), hash(&[&bytes]));
        hash(&[
            self.common.as_bytes(),
            name(source, &self.root).as_bytes(),
            format!("{output:?}").as_bytes(),
            &bytes,
        ])
    }

    /// The last build's entry for a statement, if it is still fresh.
    pub(crate) fn fresh(&self, source: &Path, key: &str) -> Option<Entry> {
        let entry = self.old.statements.get(&name(source, &self.root))?;
        self.files.fresh(entry, key).then(|| entry.clone())
    }

    pub(crate) fn record(&self, source: &Path, entry: Entry) {
        self.lock()
            .statements
            .insert(name(source, &self.root), entry);
    }

    /// The key of the book that holds these statements (from the root).
    pub(crate) fn book_key(&self, sources: &[PathBuf], holds: &[String]) -> String {
        let mut parts: Vec<Vec<u8>> = vec![self.book_common.clone().into_bytes()];
        let all: Vec<String> = sources.iter().map(|s| name(s, &self.root)).collect();
        parts.push(all.join("\n").into_bytes());
        // Each statement's bytes as this build read them when it began (a
        // save during the build leaves the book stale, never falsely fresh).
        let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        for held in holds {
            parts.push(held.clone().into_bytes());
            let bytes = match read.get(held) {
                Some(h) => h.clone(),
                None => hash(&[&std::fs::read(self.root.join(held)).unwrap_or_default()]),
            };
            parts.push(bytes.into_bytes());
        }
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        hash(&parts)
    }

    /// The last build's book, if it is still fresh for these statements.
    pub(crate) fn fresh_book(&self, sources: &[PathBuf]) -> Option<Entry> {
        let entry = self.old.book.as_ref()?;
        let key = self.book_key(sources, &entry.holds);
        self.files.fresh(entry, &key).then(|| entry.clone())
    }

    /// Records the book as built; removes what the last build wrote for it
    /// and this one did not (the files of its old name), and returns them.
    pub(crate) fn record_book(&self, entry: Entry) -> Vec<PathBuf> {
        let mut new = self.lock();
        let stale: Vec<PathBuf> = new
            .book
            .iter()
            .flat_map(|old| &old.outputs)
            .filter(|old| entry.outputs.iter().all(|o| o.path != old.path))
            .filter(|old| std::fs::remove_file(&old.path).is_ok())
            .map(|old| old.path.clone())
            .collect();
        new.book = Some(entry);
        stale
    }

    /// The last build's parallel edition written to `file`, if it is
    /// still fresh.
    pub(crate) fn fresh_parallel(&self, file: &str, key: &str) -> Option<Entry> {
        let entry = self.old.parallel.get(file)?;
        self.files.fresh(entry, key).then(|| entry.clone())
    }

    pub(crate) fn record_parallel(&self, file: &str, entry: Entry) {
        self.lock().parallel.insert(file.to_string(), entry);
    }

    /// Removes the parallel editions this build no longer makes (a pair
    /// or an edition gone), and returns their files.
    pub(crate) fn remove_unplanned(&self, planned: &[String]) -> Vec<PathBuf> {
        let mut new = self.lock();
        let gone: Vec<String> = new
            .parallel
            .keys()
            .filter(|k| !planned.contains(k))
            .cloned()
            .collect();
        gone.iter()
            .filter_map(|k| new.parallel.remove(k))
            .flat_map(|e| e.outputs)
            .filter(|out| std::fs::remove_file(&out.path).is_ok())
            .map(|out| out.path)
            .collect()
    }

    /// Removes the outputs of statements that are no longer there, and
    /// their entries; returns each such statement with what was removed.
    pub(crate) fn remove_gone(&self, sources: &[PathBuf]) -> Vec<(String, Vec<PathBuf>)> {
        let here: std::collections::HashSet<String> =
            sources.iter().map(|s| name(s, &self.root)).collect();
        let mut new = self.lock();
        let gone: Vec<String> = new
            .statements
            .keys()
            .filter(|k| !here.contains(*k))
            .cloned()
            .collect();
        let mut removed = Vec::new();
        for k in gone {
            if let Some(entry) = new.statements.remove(&k) {
                let files = entry
                    .outputs
                    .into_iter()
                    .filter(|out| std::fs::remove_file(&out.path).is_ok())
                    .map(|out| out.path)
                    .collect();
                removed.push((k, files));
            }
        }
        removed
    }

    /// Where the book's compilations are kept between builds.
    pub(crate) fn kept_book(&self) -> KeptBook {
        let valid = self
            .old
            .book
            .as_ref()
            .is_some_and(|b| b.deps.iter().all(|d| self.files.hash(&d.path) == d.hash));
        // The last e-book, if it is as the last build left it.
        let epub = self.old.book.as_ref().and_then(|b| {
            b.outputs
                .iter()
                .find(|o| o.path.extension().is_some_and(|e| e == "epub") && o.holds())
                .map(|o| o.path.clone())
        });
        KeptBook {
            news: None,
            epub,
            dir: self.out.join(DIR).join("book"),
            salt: hash(&[self.book_common.as_bytes()]),
            valid,
            used: Mutex::new(Default::default()),
        }
    }

    /// Writes what this build learnt.
    pub(crate) fn save(&self) -> Result<(), WriteError> {
        self.lock().save(&self.out)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Manifest> {
        self.new.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the last build of the book left: its slices' compilations, kept
/// under `OUT/.pamphleteer/book/` (a PDF and a TOML file of what else the
/// book needs of each), and its e-book.
pub(crate) struct KeptBook {
    /// `watch`: whether files changed meanwhile (then the book stops).
    pub news: Option<crate::cmd::plan::News>,
    dir: PathBuf,
    /// The book's e-book as the last build wrote it.
    epub: Option<PathBuf>,
    /// What every key is salted with: this program, its settings.
    salt: String,
    /// Whether what is kept may be used: only while every file the last
    /// book read is as it was (the keys cover the rest).
    valid: bool,
    used: Mutex<std::collections::BTreeSet<String>>,
}

#[derive(Serialize, Deserialize)]
struct LaidFile {
    pages: usize,
    opens: Vec<usize>,
    warnings: Vec<String>,
    pdf: bool,
    map: Vec<Row>,
}

impl KeptBook {
    fn name(&self, key: &str) -> String {
        hash(&[self.salt.as_bytes(), key.as_bytes()])
    }

    fn used(&self, name: &str) {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string());
    }

    /// Removes what this build did not use.
    pub(crate) fn prune(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            if !used.contains(stem.as_ref()) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

impl Kept for KeptBook {
    fn slice(&self, key: &str) -> Option<Laid> {
        if !self.valid {
            return None;
        }
        let name = self.name(key);
        let text = std::fs::read_to_string(self.dir.join(format!("{name}.toml"))).ok()?;
        let file: LaidFile = toml::from_str(&text).ok()?;
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
        })
    }

    fn epub(&self) -> Option<Vec<u8>> {
        std::fs::read(self.epub.as_ref()?).ok()
    }

    fn stop(&self) -> bool {
        self.news.as_ref().is_some_and(|news| news())
    }

    fn warm(&self) -> bool {
        self.news.is_some()
    }

    fn keep_slice(&self, key: &str, laid: &Laid) {
        let name = self.name(key);
        let file = LaidFile {
            pages: laid.pages,
            opens: laid.opens.clone(),
            warnings: laid.warnings.clone(),
            pdf: laid.pdf.is_some(),
            map: laid.page_map.rows(),
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
        assert!(Manifest::load(out).0.statements.is_empty());
        let mut m = Manifest::default();
        m.statements.insert(
            "sources/a.md".into(),
            Entry {
                key: "k".into(),
                ..Entry::default()
            },
        );
        m.save(out).unwrap();
        let (back, note) = Manifest::load(out);
        assert!(note.is_none());
        assert_eq!(back.statements["sources/a.md"].key, "k");
        std::fs::write(Manifest::path(out), "statements = [[[").unwrap();
        let (back, note) = Manifest::load(out);
        assert!(back.statements.is_empty());
        assert!(note.unwrap().contains("could not be read"));
        std::fs::write(
            Manifest::path(out),
            "program = \"pamphleteer 0.0.0\"\n[statements.\"sources/a.md\"]\nkey = \"k\"\ndeps = []\noutputs = []\n",
        )
        .unwrap();
        assert!(Manifest::load(out).0.statements.is_empty());
    }

    #[test]
    fn an_entry_is_fresh_until_a_file_it_read_or_wrote_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("in.typ"), "a").unwrap();
        std::fs::write(root.join("out.pdf"), "pdf").unwrap();
        let files = Files::new(root);
        let entry = Entry {
            key: "k".into(),
            deps: vec![
                Dep {
                    path: "in.typ".into(),
                    hash: files.hash("in.typ"),
                },
                Dep {
                    path: "layouts/absent.typ".into(),
                    hash: files.hash("layouts/absent.typ"),
                },
            ],
            outputs: vec![Stamp::of(&root.join("out.pdf")).unwrap()],
            ..Entry::default()
        };
        assert!(files.fresh(&entry, "k"));
        assert!(!files.fresh(&entry, "other"));
        std::fs::write(root.join("in.typ"), "b").unwrap();
        let files = Files::new(root);
        assert!(!files.fresh(&entry, "k"));
        std::fs::write(root.join("in.typ"), "a").unwrap();
        let files = Files::new(root);
        assert!(files.fresh(&entry, "k"));
        std::fs::create_dir(root.join("layouts")).unwrap();
        std::fs::write(root.join("layouts/absent.typ"), "now here").unwrap();
        let files = Files::new(root);
        assert!(!files.fresh(&entry, "k"));
        std::fs::remove_file(root.join("layouts/absent.typ")).unwrap();
        let files = Files::new(root);
        assert!(files.fresh(&entry, "k"));
        std::fs::remove_file(root.join("out.pdf")).unwrap();
        assert!(!files.fresh(&entry, "k"));
    }
}
