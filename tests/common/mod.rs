//! Helpers shared by the integration tests.
#![allow(dead_code)]
// (A module of each test crate: its items are `pub` for the tests beside it.)
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pamphleteer::project::context::Context;
use pamphleteer::project::fonts::Shared;
use pamphleteer::project::statement::Loaded;
use pamphleteer::render::compile::Compiled;
use pamphleteer::render::compile::Error as Failure;
use typst::layout::{Frame, FrameItem};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A context rooted at the fixtures folder, with the embedded fonts only.
pub fn ctx() -> Context {
    Context::new(fixtures(), Shared::embedded())
}

pub fn load(name: &str) -> Loaded {
    pamphleteer::project::statement::load(&fixtures().join(name), &ctx())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

pub fn compile(name: &str) -> Result<(Loaded, Compiled), Failure> {
    let ctx = ctx();
    let loaded = pamphleteer::project::statement::load(&fixtures().join(name), &ctx)?;
    let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx);
    let compiled = pamphleteer::render::statement::compile(&loaded, &typ, &ctx)?;
    Ok((loaded, compiled))
}

/// The text of every page, in the order it was laid out, one run a line.
pub fn text_of(compiled: &Compiled) -> String {
    let mut out = String::new();
    for page in compiled.document.pages() {
        frame_text(&page.frame, &mut out);
    }
    out
}

pub fn frame_text_pub(frame: &Frame, out: &mut String) {
    frame_text(frame, out)
}

fn frame_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_text(&g.frame, out),
            FrameItem::Text(t) => {
                out.push_str(&t.text);
                out.push('\n');
            }
            _ => {}
        }
    }
}

/// Text with all white space removed, for comparisons across line breaks.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A context rooted at `dir`, with the embedded fonts only.
pub fn ctx_in(dir: &Path) -> Context {
    Context::new(dir.to_path_buf(), Shared::embedded())
}

/// Loads and compiles `name` in the project at `dir`.
pub fn compile_in(dir: &Path, name: &str) -> (Loaded, Compiled) {
    let ctx = ctx_in(dir);
    let loaded = pamphleteer::project::statement::load(&dir.join(name), &ctx)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx);
    let compiled = pamphleteer::render::statement::compile(&loaded, &typ, &ctx)
        .unwrap_or_else(|e| panic!("{e}\n{}", typ.text));
    (loaded, compiled)
}

/// A small real JPEG with an APP1 EXIF segment holding `exif` after "Exif\0\0".
pub fn jpeg_with_exif(width: u32, height: u32, exif: &[u8]) -> Vec<u8> {
    let mut jpeg = Vec::new();
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 6) as u8, (y * 8) as u8, 60])
    });
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    let payload = [b"Exif\0\0".as_slice(), exif].concat();
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    app1.extend_from_slice(&payload);
    jpeg.splice(2..2, app1);
    jpeg
}

/// The regular mono face Typst ships, made distinct from it by `n` bytes at its
/// end (which no table points at), so that the project's copy is loaded.
pub fn mono(n: usize) -> Vec<u8> {
    let mut bytes = typst_assets::fonts()
        .find(|f| {
            typst::text::Font::new(typst::foundations::Bytes::new(*f), 0).is_some_and(|font| {
                font.info().family == "DejaVu Sans Mono"
                    && font.info().variant == typst::text::FontVariant::default()
            })
        })
        .expect("typst-assets ships DejaVu Sans Mono")
        .to_vec();
    bytes.extend(std::iter::repeat_n(0u8, n));
    bytes
}

/// Runs the pamphleteer binary in `dir`, as a user would (no SOURCE_DATE_EPOCH).
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the binary runs")
}

/// `run` with environment variables set.
pub fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pamphleteer"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch copy of tests/projects/NAME; the project is its `p` folder.
pub struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Rewrites a file of the project with `change`.
    pub fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) {
        let text = change(self.read(rel));
        std::fs::write(self.root.join(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }
}

pub fn project(name: &str) -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("p");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/projects")
            .join(name),
        &root,
    );
    Scratch { _dir: dir, root }
}
