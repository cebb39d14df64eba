//! The faces shipped in `fonts/` (embedded in the binary), and the fonts a
//! project sees with Typst's library: loaded once per process.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::Font;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_kit::fonts::FontStore;

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
    pub library: LazyHash<Library>,
    pub fonts: FontStore,
    /// The files of the project's own fonts: font `i` of the book is in
    /// `project_fonts[i]` while `i` is below its length (they come first).
    pub project_fonts: Vec<PathBuf>,
    /// The hash of each font's bytes as loaded, by index, once asked for
    /// (only the fonts that come from files: the project's, the system's).
    hashes: Vec<OnceLock<Option<(PathBuf, String)>>>,
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
        let mut own_fonts = Vec::new();
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
            own_fonts = found.iter().map(|(p, _)| p.path.clone()).collect();
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
        let count = fonts
            .book()
            .families()
            .map(|(_, faces)| faces.count())
            .sum();
        Arc::new(Shared {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            project_fonts: own_fonts,
            hashes: (0..count).map(|_| OnceLock::new()).collect(),
        })
    }

    /// The process-wide instance without system fonts.
    pub fn embedded() -> Arc<Shared> {
        static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();
        SHARED.get_or_init(|| Shared::new(false)).clone()
    }

    /// The file font `index` comes from, with the hash of the bytes Typst
    /// was given of it; `None` for a font built into the program.
    pub fn file_of(&self, index: usize) -> Option<(PathBuf, String)> {
        self.hashes
            .get(index)?
            .get_or_init(|| {
                let source: &dyn std::any::Any = self.fonts.source(index)?;
                let path = source.downcast_ref::<typst_kit::fonts::FontPath>()?;
                let font = self.fonts.font(index)?;
                let hash = crate::model::digest(&[&font.data()[..]]);
                Some((path.path.clone(), hash))
            })
            .clone()
    }

    /// A hash of every face the font book offers (family, variant, what it
    /// covers): a font added, removed or replaced anywhere Typst may pick
    /// one from changes it.
    pub fn book_hash(&self) -> String {
        let book: &typst::text::FontBook = self.fonts.book();
        format!("{:032x}", typst::utils::hash128(book))
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
