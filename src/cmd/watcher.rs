//! A project folder watched for changes, for the commands that rebuild on
//! save (`preview`, `watch`): each batch of changes once the files have
//! been quiet for a moment, as the paths that changed.
//!
//! Folders are watched one by one rather than with the backend's recursive
//! mode, so that what is ignored (the output folder, `.git`, `target/`) is
//! never walked: a project inside a Rust checkout would otherwise put an
//! inotify watch on every folder of `target/`, and run out of them.
//! Editors' swap, backup and probe files are left out of the batches.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the files must be quiet before a batch is handed out: long
/// enough for an editor's write, rename and delete to land in one batch,
/// short enough not to be felt.
pub(crate) const QUIET: Duration = Duration::from_millis(50);

/// The longest a batch waits for quiet (or twenty quiet periods, if that
/// is longer): a program that writes without a pause still gets its
/// changes seen.
pub(crate) const LONGEST: Duration = Duration::from_millis(1000);

/// Folders whose changes never matter, wherever they are in the project.
const IGNORED_FOLDERS: &[&str] = &[".git", "target"];

/// A project folder under watch.
pub(crate) struct Watcher {
    /// The backend; locked to add the folders made while watching.
    inner: Mutex<RecommendedWatcher>,
    /// What the backend saw (locked so that the watcher can be shared
    /// between threads; one batch at a time).
    events: Mutex<Receiver<notify::Result<Event>>>,
    root: PathBuf,
    ignore: Vec<PathBuf>,
    /// How long the files must be quiet before a batch is handed out.
    quiet: Duration,
}

impl Watcher {
    /// Watches `root` and every folder under it but those in `ignore`
    /// (absolute, or relative to `root`), `.git` and `target`.
    pub(crate) fn new(root: &Path, ignore: Vec<PathBuf>) -> io::Result<Watcher> {
        let root = root.canonicalize()?;
        let ignore = ignore
            .into_iter()
            .map(|p| {
                let p = if p.is_absolute() { p } else { root.join(p) };
                p.canonicalize().unwrap_or(p)
            })
            .collect();
        let (tx, events) = channel();
        let inner = notify::recommended_watcher(tx).map_err(to_io)?;
        let watcher = Watcher {
            inner: Mutex::new(inner),
            events: Mutex::new(events),
            root,
            ignore,
            quiet: QUIET,
        };
        watcher.watch_tree(&watcher.root.clone())?;
        Ok(watcher)
    }

    /// The watcher with another quiet period than [`QUIET`] (the tests'
    /// longer one).
    #[cfg(test)]
    pub(crate) fn quiet(mut self, quiet: Duration) -> Watcher {
        self.quiet = quiet;
        self
    }

    /// The folder watched, as the paths of the batches begin.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Waits until something changes and the files have been quiet for
    /// the quiet period ([`QUIET`] unless set; at most [`LONGEST`]); returns the paths that changed
    /// (created, written, renamed to or from, deleted), each once, sorted.
    /// `None` when the watcher is gone. When the backend lost events (a
    /// queue overflow), the batch holds the root: anything may have
    /// changed.
    pub(crate) fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let mut changed = BTreeSet::new();
        while changed.is_empty() {
            let event = events.recv().ok()?;
            self.take(event, &mut changed);
        }
        let started = Instant::now();
        let longest = LONGEST.max(self.quiet * 20);
        while started.elapsed() < longest {
            match events.recv_timeout(self.quiet) {
                Ok(event) => self.take(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(changed.into_iter().collect())
    }

    /// Adds what an event says changed, and watches the folders it made.
    fn take(&self, event: notify::Result<Event>, changed: &mut BTreeSet<PathBuf>) {
        let event = match event {
            Ok(event) => event,
            // (An error of the backend says nothing of what changed.)
            Err(_) => {
                changed.insert(self.root.clone());
                return;
            }
        };
        if event.need_rescan() {
            changed.insert(self.root.clone());
            return;
        }
        let counts = match event.kind {
            // Opening and reading (our own builds do it) change nothing;
            // closing a file written to ends a write.
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
            EventKind::Any | EventKind::Other => true,
        };
        if !counts {
            return;
        }
        let appeared = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
        );
        for path in event.paths {
            if self.ignored(&path) {
                continue;
            }
            if appeared && path.is_dir() {
                // A folder made (or moved in) while watching: watched from
                // now on, and what it already holds counted as changed, as
                // it may have been written before the watch began.
                let _ = self.watch_tree(&path);
                for file in files_under(&path, &|p| self.ignored(p)) {
                    changed.insert(file);
                }
            }
            changed.insert(path);
        }
    }

    /// Watches `dir` and the folders under it that are not ignored.
    fn watch_tree(&self, dir: &Path) -> io::Result<()> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut stack = vec![dir.to_path_buf()];
        let mut first = true;
        while let Some(dir) = stack.pop() {
            match inner.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {}
                // The root must be watched; a folder under it that went
                // away meanwhile need not.
                Err(e) if first => return Err(to_io(e)),
                Err(_) => continue,
            }
            first = false;
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                // (A symbolic link to a folder is not followed: it may lead
                // anywhere, and around in a circle.)
                if entry.file_type().is_ok_and(|t| t.is_dir()) && !self.ignored(&path) {
                    stack.push(path);
                }
            }
        }
        Ok(())
    }

    /// Whether changes to `path` never count: inside an ignored folder, or
    /// an editor's swap, backup or probe file.
    fn ignored(&self, path: &Path) -> bool {
        if self.ignore.iter().any(|i| path.starts_with(i)) {
            return true;
        }
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let in_ignored_folder = rel.components().any(|c| match c {
            Component::Normal(name) => IGNORED_FOLDERS.iter().any(|f| name == *f),
            _ => false,
        });
        in_ignored_folder
            || path
                .file_name()
                .is_some_and(|n| editor_file(&n.to_string_lossy()))
    }
}

/// Whether a file name is one an editor keeps beside the file it edits:
/// vim's swap files (`.x.md.swp`, `.swo`, ...) and its `4913` probe (made to
/// see whether it may write to the folder), backups (`x.md~`), emacs's lock
/// and autosave files (`.#x.md`, `#x.md#`), kate's swap files.
pub(crate) fn editor_file(name: &str) -> bool {
    let vim_swap = name.starts_with('.')
        && name.len() > 4
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    vim_swap
        || name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".kate-swp")
}

/// The files under `dir` (not in ignored folders).
fn files_under(dir: &Path, ignored: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if ignored(&path) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => files.push(path),
                Err(_) => {}
            }
        }
    }
    files
}

fn to_io(e: notify::Error) -> io::Error {
    match e.kind {
        notify::ErrorKind::Io(e) => e,
        _ => io::Error::other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;

    /// Starts waiting for the next batch on another thread (the watcher
    /// blocks; a test must not).
    fn waiting(w: &std::sync::Arc<Watcher>) -> mpsc::Receiver<Option<Vec<PathBuf>>> {
        let (tx, rx) = mpsc::channel();
        let w = w.clone();
        thread::spawn(move || {
            let _ = tx.send(w.next_batch());
        });
        rx
    }

    /// The batch waited for, or a failure after a generous wait.
    fn got(rx: mpsc::Receiver<Option<Vec<PathBuf>>>) -> Vec<PathBuf> {
        rx.recv_timeout(Duration::from_secs(20))
            .expect("a batch within 20 s")
            .expect("the watcher is alive")
    }

    /// The next batch.
    fn batch(w: &std::sync::Arc<Watcher>) -> Vec<PathBuf> {
        got(waiting(w))
    }

    /// A project folder under watch, with `out/` ignored. The quiet
    /// period is longer than in use, so that a busy machine cannot split
    /// what a test writes well inside it.
    fn watched() -> (tempfile::TempDir, PathBuf, std::sync::Arc<Watcher>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("sources")).unwrap();
        std::fs::create_dir_all(root.join("out")).unwrap();
        std::fs::create_dir_all(root.join(".git/objects")).unwrap();
        std::fs::write(root.join("sources/x.md"), "# One\n").unwrap();
        let w = Watcher::new(&root, vec![PathBuf::from("out")])
            .unwrap()
            .quiet(Duration::from_millis(400));
        (dir, root, std::sync::Arc::new(w))
    }

    #[test]
    fn a_write_is_one_batch_naming_the_file() {
        let (_dir, root, w) = watched();
        std::fs::write(root.join("sources/x.md"), "# Two\n").unwrap();
        assert_eq!(batch(&w), vec![root.join("sources/x.md")]);
    }

    #[test]
    fn a_temporary_file_renamed_over_the_original_is_seen() {
        let (_dir, root, w) = watched();
        // As vim (without backupcopy) and many IDEs save: a new file beside
        // the old one, renamed over it.
        let tmp = root.join("sources/.x.md.tmp1234");
        std::fs::write(&tmp, "# Renamed\n").unwrap();
        std::fs::rename(&tmp, root.join("sources/x.md")).unwrap();
        let b = batch(&w);
        assert!(b.contains(&root.join("sources/x.md")), "{b:?}");
    }

    #[test]
    fn a_save_as_vim_makes_it_is_one_change_of_the_file() {
        let (_dir, root, w) = watched();
        let rx = waiting(&w);
        // vim's probe of the folder, the original moved aside as a backup,
        // the new text written, the backup deleted.
        let src = root.join("sources");
        std::fs::write(src.join("4913"), "").unwrap();
        std::fs::remove_file(src.join("4913")).unwrap();
        std::fs::rename(src.join("x.md"), src.join("x.md~")).unwrap();
        std::fs::write(src.join("x.md"), "# Vim\n").unwrap();
        std::fs::remove_file(src.join("x.md~")).unwrap();
        assert_eq!(got(rx), vec![src.join("x.md")]);
    }

    #[test]
    fn a_file_deleted_and_made_again_is_seen() {
        let (_dir, root, w) = watched();
        std::fs::remove_file(root.join("sources/x.md")).unwrap();
        std::fs::write(root.join("sources/x.md"), "# Again\n").unwrap();
        let b = batch(&w);
        assert_eq!(b, vec![root.join("sources/x.md")]);
    }

    /// A watcher fed by the test instead of the file system: what is sent
    /// before a batch is asked for is all there when it is, whatever the
    /// machine's load, so what makes one batch does not depend on timing.
    fn fed() -> (
        tempfile::TempDir,
        Watcher,
        std::sync::mpsc::Sender<notify::Result<Event>>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (tx, events) = channel();
        let inner = notify::recommended_watcher(|_| {}).unwrap();
        let watcher = Watcher {
            inner: Mutex::new(inner),
            events: Mutex::new(events),
            root,
            ignore: vec![PathBuf::from("/nowhere/out")],
            quiet: QUIET,
        };
        (dir, watcher, tx)
    }

    fn modified(path: PathBuf) -> notify::Result<Event> {
        Ok(Event::new(EventKind::Modify(ModifyKind::Any)).add_path(path))
    }

    #[test]
    fn quick_writes_collapse_into_one_batch() {
        let (_dir, w, tx) = fed();
        let (x, y, z) = (
            w.root.join("x.md"),
            w.root.join("y.md"),
            w.root.join("z.md"),
        );
        // Writes to two files in quick succession: one batch, each once.
        for _ in 0..5 {
            tx.send(modified(y.clone())).unwrap();
            tx.send(modified(x.clone())).unwrap();
        }
        // (Opening and reading a file is no change.)
        tx.send(Ok(
            Event::new(EventKind::Access(AccessKind::Read)).add_path(z.clone())
        ))
        .unwrap();
        assert_eq!(w.next_batch().unwrap(), vec![x, y]);
        // A write after the batch is a batch of its own.
        tx.send(modified(z.clone())).unwrap();
        assert_eq!(w.next_batch().unwrap(), vec![z]);
        // Events the backend lost: the whole folder may have changed.
        tx.send(Ok(
            Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan)
        ))
        .unwrap();
        assert_eq!(w.next_batch().unwrap(), vec![w.root.clone()]);
        // The backend gone: no more batches.
        drop(tx);
        assert!(w.next_batch().is_none());
    }

    #[test]
    fn ignored_folders_and_editor_files_make_no_batch() {
        let (_dir, root, w) = watched();
        std::fs::write(root.join("out/x.pdf"), "pdf").unwrap();
        std::fs::write(root.join(".git/objects/ab"), "obj").unwrap();
        std::fs::write(root.join("sources/.x.md.swp"), "swap").unwrap();
        std::fs::write(root.join("sources/x.md~"), "backup").unwrap();
        std::fs::write(root.join("sources/4913"), "").unwrap();
        std::fs::write(root.join("sources/.#x.md"), "lock").unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        std::fs::write(root.join("target/debug/x"), "bin").unwrap();
        // Reading a file is no change either.
        let _ = std::fs::read(root.join("sources/x.md")).unwrap();
        // The first batch is the marker's alone.
        std::fs::write(root.join("sources/marker.md"), "# M\n").unwrap();
        assert_eq!(batch(&w), vec![root.join("sources/marker.md")]);
    }

    #[test]
    fn a_folder_made_while_watching_is_watched() {
        let (_dir, root, w) = watched();
        std::fs::create_dir_all(root.join("img/new")).unwrap();
        std::fs::write(root.join("img/new/a.png"), "png").unwrap();
        let b = batch(&w);
        assert!(b.contains(&root.join("img/new/a.png")), "{b:?}");
        // A later write inside it is seen.
        std::fs::write(root.join("img/new/a.png"), "png2").unwrap();
        assert_eq!(batch(&w), vec![root.join("img/new/a.png")]);
    }

    #[test]
    fn editor_files_are_known_by_name() {
        for name in [
            ".x.md.swp",
            ".x.md.swo",
            "x.md~",
            "4913",
            ".#x.md",
            "#x.md#",
        ] {
            assert!(editor_file(name), "{name}");
        }
        for name in ["x.md", ".gitignore", "swap.md", "notes.swp.md", "#tag"] {
            assert!(!editor_file(name), "{name}");
        }
    }
}
