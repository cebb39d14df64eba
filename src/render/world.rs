//! The Typst world a statement compiles in: a sandbox serving the generated
//! main file, the layouts (built-in or the project's own), the shipped fonts
//! and files under the project root only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::project::context::Reads;
use crate::project::fonts::Shared;
use crate::project::registry::{builtin_file, own_layout};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::diagnostics::DiagnosticWorld;

use crate::model::document::Date;

/// One statement's world.
pub struct BuildWorld {
    shared: Arc<Shared>,
    root: PathBuf,
    main: FileId,
    main_source: Source,
    today: Option<Date>,
    /// What `name()` calls the main file in messages.
    main_name: String,
    cache: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    /// Where what is read is recorded, if anywhere.
    reads: Option<Arc<Reads>>,
}

pub fn main_id() -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new("/main.typ").expect("a valid path"),
    )
    .intern()
}

impl BuildWorld {
    pub fn new(
        shared: Arc<Shared>,
        root: &Path,
        main_text: String,
        main_name: String,
        today: Option<Date>,
    ) -> Self {
        let main = main_id();
        BuildWorld {
            shared,
            root: root.to_path_buf(),
            main,
            main_source: Source::new(main, main_text),
            today,
            main_name,
            cache: Mutex::new(HashMap::new()),
            sources: Mutex::new(HashMap::new()),
            reads: None,
        }
    }

    /// Records the files and fonts the compilation reads.
    pub fn recording(mut self, reads: Option<Arc<Reads>>) -> Self {
        self.reads = reads;
        self
    }

    pub fn main_source(&self) -> &Source {
        &self.main_source
    }

    /// A file that is not on disk (`path` from the project root), such as
    /// the pages a second compilation places on sheets.
    pub fn with_file(self, path: &str, bytes: Vec<u8>) -> Self {
        if let Ok(vpath) = VirtualPath::new(path) {
            let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
            self.cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, Ok(Bytes::new(bytes)));
        }
        self
    }

    /// Reads a file of the project, refusing anything outside the root
    /// (also through symbolic links).
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if id.root() != &VirtualRoot::Project {
            return Err(FileError::Other(Some(
                "Typst packages are disabled in pamphleteer".into(),
            )));
        }
        let vpath = id.vpath();
        let rel = vpath.get_without_slash();
        let record = |bytes: Option<&[u8]>| {
            if let Some(reads) = &self.reads {
                reads.file(rel, bytes);
            }
        };
        if let Some(name) = rel
            .strip_prefix("layouts/")
            .and_then(|n| n.strip_suffix(".typ"))
            && !name.contains('/')
            && own_layout(&self.root, name).is_none()
            && let Some(text) = builtin_file(name)
        {
            // (The project's layout of that name was looked for.)
            record(None);
            return Ok(Bytes::new(text.as_bytes().to_vec()));
        }
        let data = self.read(vpath);
        record(data.as_ref().ok().map(Vec::as_slice));
        let data = data?;
        // JPEGs would be embedded as they are: without their EXIF, GPS and
        // other metadata.
        if crate::render::images::is_jpeg(&data) {
            return Ok(Bytes::new(crate::render::images::strip_jpeg(&data)));
        }
        Ok(Bytes::new(data))
    }

    /// The bytes of a file under the root, refusing anything outside it
    /// (also through symbolic links).
    fn read(&self, vpath: &VirtualPath) -> FileResult<Vec<u8>> {
        let path = vpath
            .realize(&self.root)
            .map_err(|_| FileError::AccessDenied)?;
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        let root = self
            .root
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &self.root))?;
        if !real.starts_with(&root) {
            return Err(FileError::AccessDenied);
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&real).map_err(|e| FileError::from_io(e, &path))
    }
}

impl World for BuildWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            return Ok(self.main_source.clone());
        }
        let mut sources = self.sources.lock().unwrap_or_else(|e| e.into_inner());
        sources
            .entry(id)
            .or_insert_with(|| {
                let bytes = self.file(id)?;
                let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_string()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::new(self.main_source.text().as_bytes().to_vec()));
        }
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(id).or_insert_with(|| self.load(id)).clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        if let Some(reads) = &self.reads {
            reads.font(index);
        }
        self.shared.fonts.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        let _ = offset;
        let d = self.today?;
        Datetime::from_ymd(d.year, d.month, d.day)
    }
}

impl DiagnosticWorld for BuildWorld {
    fn name(&self, id: FileId) -> String {
        if id == self.main {
            self.main_name.clone()
        } else {
            id.vpath().get_without_slash().to_string()
        }
    }
}
