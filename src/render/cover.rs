//! The e-book cover drawn by `layouts/cover.typ` when the front matter
//! gives no `cover:` image: compiled, rendered at 1600 × 2560 pixels and
//! encoded as PNG, once per look.
//!
//! Rendering and encoding are most of an e-book's time, so what they make is
//! kept in a memo (process-wide, like comemo's cache, and bounded) under the
//! hash of the laid-out page: the page is exactly what the pixels are drawn
//! from, whatever made it (the generated source, the cover layout and
//! `base.typ`, built in or the project's own, files they read, the fonts'
//! bytes). A rebuild whose cover would look the same (a statement whose body
//! changed, in `watch`; the anthology's cover when the book is built again)
//! compiles the cover (about a millisecond, comemo helping) but neither
//! renders nor encodes it. (The hash holds for this process only: the
//! page's spans name files by ids interned in the order they were first
//! read, so it cannot key a cache kept on disk.)

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use typst_layout::Page;
use typst_render::RenderOptions;

use crate::model::document::Document;
use crate::project::context::Context;
use crate::project::settings::Settings;
use crate::project::statement::source_name;
use crate::render::compile::{Compiled, Error, Input, compile};
use crate::write::typst::statement::cover_source;

/// The cover image's size in pixels.
pub const COVER_SIZE: (u32, u32) = (1600, 2560);

/// How many bytes of drawn covers the process keeps: some 300 covers of
/// the built-in layout (about 100 kB each), a few of a layout that sets a
/// photograph.
const MEMO_BUDGET: usize = 32 << 20;

/// The covers drawn in this process.
static DRAWN: Memo = Memo::new(MEMO_BUDGET);

/// A drawn cover: the PNG, and the characters the cover's fonts could not
/// show.
pub struct Drawn {
    pub png: Vec<u8>,
    pub missing: Vec<char>,
}

/// Draws a statement's (or a book's) cover with `layouts/cover.typ`, or
/// takes it from the memo when a cover that looks the same was drawn.
pub fn draw(doc: &Document, settings: &Settings, ctx: &Context) -> Result<Drawn, Error> {
    draw_in(&DRAWN, doc, settings, ctx)
}

/// Forgets the covers drawn so far (for a benchmark that measures drawing,
/// or a caller that wants the memory back).
pub fn forget() {
    DRAWN.clear();
}

/// Draws the cover, or takes it from `memo`.
fn draw_in(
    memo: &Memo,
    doc: &Document,
    settings: &Settings,
    ctx: &Context,
) -> Result<Drawn, Error> {
    let cover = compile_cover(doc, settings, ctx)?;
    let page = first_page(&cover)?;
    let key = typst::utils::hash128(&(page, render_options(page)));
    let png = match memo.get(key) {
        Some(png) => png,
        None => {
            // (Drawn outside the memo's lock: other threads draw theirs
            // meanwhile.)
            let png: Arc<[u8]> = encode_png(&pixels(page)?)?.into();
            memo.insert(key, png.clone());
            png
        }
    };
    Ok(Drawn {
        png: png.to_vec(),
        missing: missing_glyphs(&page.frame),
    })
}

/// Compiles the cover. It names the book as the e-book does (the file name
/// when the statement has no title).
pub fn compile_cover(
    doc: &Document,
    settings: &Settings,
    ctx: &Context,
) -> Result<Compiled, Error> {
    let source = source_name(&doc.path, &ctx.root);
    let mut meta = doc.meta.clone();
    meta.title = Some(doc.book_title());
    let input = Input::new(
        cover_source(&meta, &source, settings),
        "cover.typ (generated)".into(),
        doc.meta.date.or(ctx.epoch_date),
    );
    compile(input, ctx)
}

/// The page the cover is drawn from.
pub fn first_page(cover: &Compiled) -> Result<&Page, Error> {
    cover
        .document
        .pages()
        .first()
        .ok_or_else(|| Error::product("the cover", "layouts/cover.typ made no page"))
}

/// The scale that renders the page `COVER_SIZE.0` pixels wide.
fn render_options(page: &Page) -> RenderOptions {
    RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(
            f64::from(COVER_SIZE.0) / page.frame.width().to_pt(),
        ),
        render_bleed: false,
    }
}

/// The page rendered `COVER_SIZE.0` pixels wide, as RGB pixels.
pub fn pixels(page: &Page) -> Result<image::RgbImage, Error> {
    let pixmap = typst_render::render(page, &render_options(page));
    let (width, height) = (pixmap.width(), pixmap.height());
    // The page is opaque, so the premultiplied pixels are plain RGBA.
    let rgba = image::RgbaImage::from_raw(width, height, pixmap.take())
        .ok_or_else(|| Error::product("the cover", "it could not be rendered"))?;
    // (The `image` crate's own conversion: optimised even in a debug build.)
    Ok(image::DynamicImage::ImageRgba8(rgba).into_rgb8())
}

/// The pixels as a PNG. A drawn cover is large flat areas and the edges of
/// letters: each row filtered by the one above it and zlib at level 2 make
/// it about 40 % smaller than the `image` crate's default (fdeflate with
/// the filter chosen row by row) and encode it seven times as fast (5 ms
/// against 35 ms for 1600 × 2560). The same pixels give the same bytes.
pub fn encode_png(rgb: &image::RgbImage) -> Result<Vec<u8>, Error> {
    let mut png = Vec::new();
    let encoder = PngEncoder::new_with_quality(&mut png, CompressionType::Level(2), FilterType::Up);
    rgb.write_with_encoder(encoder)
        .map_err(|e| Error::product("the cover", format!("it could not be encoded: {e}")))?;
    Ok(png)
}

/// Characters set in a font that has no glyph for them (drawn as boxes).
fn missing_glyphs(frame: &typst::layout::Frame) -> Vec<char> {
    let mut missing = Vec::new();
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(g) => missing.extend(missing_glyphs(&g.frame)),
            typst::layout::FrameItem::Text(t) => {
                for g in t.glyphs.iter().filter(|g| g.id == 0) {
                    if let Some(c) = t.text.get(g.range()).and_then(|s| s.chars().next()) {
                        missing.push(c);
                    }
                }
            }
            _ => {}
        }
    }
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// PNGs by the hash of what they show, the least recently used forgotten
/// first once they hold more than the budget's bytes.
struct Memo {
    budget: usize,
    state: Mutex<State>,
}

struct State {
    /// The least recently used first.
    entries: VecDeque<(u128, Arc<[u8]>)>,
    bytes: usize,
    /// How many covers were found here rather than drawn (for the tests).
    hits: usize,
}

impl Memo {
    const fn new(budget: usize) -> Self {
        Memo {
            budget,
            state: Mutex::new(State {
                entries: VecDeque::new(),
                bytes: 0,
                hits: 0,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere leaves the entries whole: each is pushed or
        // removed in one step.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: u128) -> Option<Arc<[u8]>> {
        let mut state = self.state();
        let i = state.entries.iter().position(|(k, _)| *k == key)?;
        let entry = state.entries.remove(i)?;
        let png = entry.1.clone();
        state.entries.push_back(entry);
        state.hits += 1;
        Some(png)
    }

    fn insert(&self, key: u128, png: Arc<[u8]>) {
        if png.len() > self.budget {
            return;
        }
        let mut state = self.state();
        // (Another thread may have drawn the same cover meanwhile.)
        if state.entries.iter().any(|(k, _)| *k == key) {
            return;
        }
        state.bytes += png.len();
        state.entries.push_back((key, png));
        while state.bytes > self.budget {
            match state.entries.pop_front() {
                Some((_, old)) => state.bytes -= old.len(),
                None => break,
            }
        }
    }

    fn clear(&self) {
        let mut state = self.state();
        state.entries.clear();
        state.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::fonts::Shared;

    /// A statement in a project of its own, loaded.
    fn statement(dir: &std::path::Path, md: &str) -> crate::project::statement::Loaded {
        std::fs::write(dir.join("s.md"), md).unwrap();
        crate::project::statement::load(&dir.join("s.md"), &ctx(dir)).unwrap()
    }

    fn ctx(dir: &std::path::Path) -> Context {
        Context::new(dir.to_path_buf(), Shared::embedded())
    }

    fn drawn(memo: &Memo, dir: &std::path::Path, md: &str) -> Vec<u8> {
        let loaded = statement(dir, md);
        draw_in(memo, &loaded.doc, &loaded.settings, &ctx(dir))
            .unwrap_or_else(|e| panic!("{e}"))
            .png
    }

    const MD: &str = "---\ntitle: A Title\nauthor: Someone\ndate: 2026-01-01\n---\n\nText.\n";

    #[test]
    fn the_memo_gives_what_drawing_gives_and_draws_again_when_the_look_changes() {
        let dir = tempfile::tempdir().unwrap();
        let memo = Memo::new(MEMO_BUDGET);
        let first = drawn(&memo, dir.path(), MD);
        assert_eq!(state_of(&memo), (1, 0));
        // The same cover again, from the memo: the same bytes as drawing it
        // afresh.
        let again = drawn(&memo, dir.path(), MD);
        assert_eq!(state_of(&memo), (1, 1));
        assert!(again == first, "the memo gave other bytes");
        let fresh = drawn(&Memo::new(MEMO_BUDGET), dir.path(), MD);
        assert!(fresh == first, "drawing twice gave other bytes");
        // The body is not on the cover.
        drawn(&memo, dir.path(), &MD.replace("Text.", "Other text."));
        assert_eq!(state_of(&memo), (1, 2));
        // A new title is drawn.
        let retitled = drawn(&memo, dir.path(), &MD.replace("A Title", "Another"));
        assert_eq!(state_of(&memo), (2, 2));
        assert!(retitled != first);
        // So is the project's own cover layout, and a change to it.
        let layouts = dir.path().join("layouts");
        std::fs::create_dir(&layouts).unwrap();
        let own = crate::project::registry::BUILTIN_COVER.replace("62%", "50%");
        std::fs::write(layouts.join("cover.typ"), &own).unwrap();
        let owned = drawn(&memo, dir.path(), MD);
        assert_eq!(state_of(&memo), (3, 2));
        assert!(owned != first);
        std::fs::write(
            layouts.join("cover.typ"),
            own.replace("fill: white", "fill: luma(240)"),
        )
        .unwrap();
        let changed = drawn(&memo, dir.path(), MD);
        assert_eq!(state_of(&memo), (4, 2));
        assert!(changed != owned);
        // The built-in layout again: the first cover, from the memo.
        std::fs::remove_dir_all(&layouts).unwrap();
        assert!(drawn(&memo, dir.path(), MD) == first);
        assert_eq!(state_of(&memo), (4, 3));
    }

    #[test]
    fn a_font_of_other_bytes_is_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let memo = Memo::new(MEMO_BUDGET);
        let first = drawn(&memo, dir.path(), MD);
        // The project's own copy of the title's face, with other bytes (a
        // revision of the font would have other outlines).
        let inter = crate::project::fonts::SHIPPED_FACES
            .iter()
            .find(|f| f.family == "Inter" && f.bold && !f.italic)
            .unwrap();
        let mut data = inter.data.to_vec();
        data.extend_from_slice(&[0; 4]);
        std::fs::create_dir(dir.path().join("fonts")).unwrap();
        std::fs::write(dir.path().join("fonts").join(inter.file), data).unwrap();
        let mut own = ctx(dir.path());
        own.shared = Shared::with_fonts(Some(&dir.path().join("fonts")), false);
        let loaded = statement(dir.path(), MD);
        let again = draw_in(&memo, &loaded.doc, &loaded.settings, &own).unwrap();
        assert_eq!(state_of(&memo), (2, 0));
        // (Drawn again, it looks the same.)
        assert!(again.png == first);
    }

    /// How many covers the memo holds, and how many it gave.
    fn state_of(memo: &Memo) -> (usize, usize) {
        let state = memo.state();
        (state.entries.len(), state.hits)
    }

    #[test]
    fn the_png_is_the_rendered_page() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = statement(dir.path(), MD);
        let cover = compile_cover(&loaded.doc, &loaded.settings, &ctx(dir.path())).unwrap();
        let page = first_page(&cover).unwrap();
        let rgb = pixels(page).unwrap();
        assert_eq!(rgb.dimensions(), COVER_SIZE);
        let png = encode_png(&rgb).unwrap();
        let decoded = image::load_from_memory(&png).unwrap();
        assert_eq!(decoded.color(), image::ColorType::Rgb8);
        assert!(decoded.into_rgb8() == rgb, "the PNG lost pixels");
    }

    #[test]
    fn the_memo_keeps_to_its_budget_forgetting_the_least_recently_used() {
        let memo = Memo::new(10);
        let png = |n: usize| -> Arc<[u8]> { vec![0; n].into() };
        memo.insert(1, png(4));
        memo.insert(2, png(4));
        assert!(memo.get(1).is_some());
        memo.insert(3, png(4));
        // 2 was used least recently.
        assert!(memo.get(2).is_none());
        assert!(memo.get(1).is_some() && memo.get(3).is_some());
        // Too big to keep at all.
        memo.insert(4, png(11));
        assert!(memo.get(4).is_none());
        assert!(memo.get(1).is_some());
        assert!(memo.state().bytes <= 10);
        memo.clear();
        assert!(memo.get(1).is_none());
        assert_eq!(memo.state().bytes, 0);
    }
}
