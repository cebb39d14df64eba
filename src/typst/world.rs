//! The Typst world a statement compiles in: a sandbox serving the generated
//! main file, the layouts (built-in or the project's own), the shipped fonts
//! and files under the project root only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::diagnostics::DiagnosticWorld;
use typst_kit::fonts::FontStore;

use crate::document::Date;

/// The layouts built into the binary, by name.
pub const BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    ("leaflet", include_str!("../../layouts/leaflet.typ")),
    ("booklet", include_str!("../../layouts/booklet.typ")),
    ("book", include_str!("../../layouts/book.typ")),
];

/// The built-in e-book cover (`layouts/cover.typ`), overridable like a layout.
pub const BUILTIN_COVER: &str = include_str!("../../layouts/cover.typ");

/// The project's own `layouts/NAME.typ`, if it has one.
pub fn own_layout(root: &Path, name: &str) -> Option<PathBuf> {
    let path = root.join("layouts").join(format!("{name}.typ"));
    path.is_file().then_some(path)
}

/// Every built-in file under `layouts/`: the layouts, what they share
/// (`base`), and the cover. A project's `layouts/NAME.typ` replaces any.
pub fn builtin_file(name: &str) -> Option<&'static str> {
    const SUPPORT: &[(&str, &str)] = &[
        ("base", include_str!("../../layouts/base.typ")),
        ("cover", BUILTIN_COVER),
    ];
    BUILTIN_LAYOUTS
        .iter()
        .chain(SUPPORT)
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The font files shipped in `fonts/`, embedded in the binary.
/// A face shipped in `fonts/`.
pub struct ShippedFace {
    pub family: &'static str,
    pub bold: bool,
    pub italic: bool,
    /// The file name, for packaging (`NotoSerif-Regular.ttf`).
    pub file: &'static str,
    pub data: &'static [u8],
}

macro_rules! face {
    ($family:literal, $bold:literal, $italic:literal, $dir:literal, $file:literal) => {
        ShippedFace {
            family: $family,
            bold: $bold,
            italic: $italic,
            file: $file,
            data: include_bytes!(concat!("../../fonts/", $dir, "/", $file)),
        }
    };
}

/// The faces shipped in `fonts/`, embedded in the binary.
pub const SHIPPED_FACES: &[ShippedFace] = &[
    face!(
        "Noto Serif",
        false,
        false,
        "NotoSerif",
        "NotoSerif-Regular.ttf"
    ),
    face!(
        "Noto Serif",
        false,
        true,
        "NotoSerif",
        "NotoSerif-Italic.ttf"
    ),
    face!("Noto Serif", true, false, "NotoSerif", "NotoSerif-Bold.ttf"),
    face!(
        "Noto Serif",
        true,
        true,
        "NotoSerif",
        "NotoSerif-BoldItalic.ttf"
    ),
    face!("Inter", false, false, "Inter", "Inter-Regular.otf"),
    face!("Inter", false, true, "Inter", "Inter-Italic.otf"),
    face!("Inter", true, false, "Inter", "Inter-Bold.otf"),
    face!("Inter", true, true, "Inter", "Inter-BoldItalic.otf"),
    // Right-to-left scripts: Arabic (also Persian and Urdu) and Hebrew, a
    // text face and a display face each, which the layouts name as fallbacks.
    face!(
        "Noto Naskh Arabic",
        false,
        false,
        "NotoNaskhArabic",
        "NotoNaskhArabic-Regular.ttf"
    ),
    face!(
        "Noto Naskh Arabic",
        true,
        false,
        "NotoNaskhArabic",
        "NotoNaskhArabic-Bold.ttf"
    ),
    face!(
        "Noto Sans Arabic",
        false,
        false,
        "NotoSansArabic",
        "NotoSansArabic-Regular.ttf"
    ),
    face!(
        "Noto Sans Arabic",
        true,
        false,
        "NotoSansArabic",
        "NotoSansArabic-Bold.ttf"
    ),
    face!(
        "Noto Serif Hebrew",
        false,
        false,
        "NotoSerifHebrew",
        "NotoSerifHebrew-Regular.ttf"
    ),
    face!(
        "Noto Serif Hebrew",
        true,
        false,
        "NotoSerifHebrew",
        "NotoSerifHebrew-Bold.ttf"
    ),
    face!(
        "Noto Sans Hebrew",
        false,
        false,
        "NotoSansHebrew",
        "NotoSansHebrew-Regular.ttf"
    ),
    face!(
        "Noto Sans Hebrew",
        true,
        false,
        "NotoSansHebrew",
        "NotoSansHebrew-Bold.ttf"
    ),
];

/// Fonts and the standard library, loaded once per process and shared by
/// every document compiled in it.
pub struct Shared {
    library: LazyHash<Library>,
    fonts: FontStore,
}

impl Shared {
    /// The shipped fonts plus Typst's own (for code and math), a project's
    /// `fonts/` (first, so that they can replace a shipped face), and the
    /// system's fonts only when asked for.
    pub fn new(system_fonts: bool) -> Arc<Shared> {
        Shared::with_fonts(None, system_fonts)
    }

    pub fn with_fonts(project_fonts: Option<&Path>, system_fonts: bool) -> Arc<Shared> {
        let mut fonts = FontStore::new();
        if let Some(dir) = project_fonts {
            // A project that keeps copies of the shipped faces (as this
            // repository does) must not load them twice.
            let shipped = |path: &Path| {
                std::fs::read(path).is_ok_and(|data| {
                    SHIPPED_FACES
                        .iter()
                        .any(|f| f.data.len() == data.len() && f.data == data.as_slice())
                })
            };
            let mut found: Vec<_> = typst_kit::fonts::scan(dir)
                .filter(|(p, _)| !shipped(&p.path))
                .collect();
            // fontdb's order depends on the file system; ours must not.
            found.sort_by(|(a, _), (b, _)| (&a.path, a.index).cmp(&(&b.path, b.index)));
            fonts.extend(found);
        }
        fonts.extend(SHIPPED_FACES.iter().flat_map(|face| {
            Font::iter(Bytes::new(face.data)).map(|f| {
                let info = f.info().clone();
                (f, info)
            })
        }));
        fonts.extend(typst_kit::fonts::embedded());
        if system_fonts {
            fonts.extend(typst_kit::fonts::system());
        }
        Arc::new(Shared {
            library: LazyHash::new(Library::builder().build()),
            fonts,
        })
    }

    /// The process-wide instance without system fonts.
    pub fn embedded() -> Arc<Shared> {
        static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();
        SHARED.get_or_init(|| Shared::new(false)).clone()
    }

    /// Family names available, for messages.
    pub fn families(&self) -> Vec<String> {
        self.fonts
            .book()
            .families()
            .map(|(name, _)| name.to_string())
            .collect()
    }
}

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
        }
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
        if let Some(name) = rel
            .strip_prefix("layouts/")
            .and_then(|n| n.strip_suffix(".typ"))
            && !name.contains('/')
            && own_layout(&self.root, name).is_none()
            && let Some(text) = builtin_file(name)
        {
            return Ok(Bytes::new(text.as_bytes().to_vec()));
        }
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
        let data = std::fs::read(&real).map_err(|e| FileError::from_io(e, &path))?;
        // JPEGs would be embedded as they are: without their EXIF, GPS and
        // other metadata.
        if crate::images::is_jpeg(&data) {
            return Ok(Bytes::new(crate::images::strip_jpeg(&data)));
        }
        Ok(Bytes::new(data))
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
