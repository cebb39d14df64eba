//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use pamphleteer::build::{self, Compiled, Context, Failure, Loaded};
use pamphleteer::typst::world::Shared;
use typst::layout::{Frame, FrameItem};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A context rooted at the fixtures folder, with the embedded fonts only.
pub fn ctx() -> Context {
    Context::new(fixtures(), Shared::embedded())
}

pub fn load(name: &str) -> Loaded {
    build::load(&fixtures().join(name), &ctx()).unwrap_or_else(|e| panic!("{e}"))
}

pub fn compile(name: &str) -> Result<(Loaded, Compiled), Failure> {
    let ctx = ctx();
    let loaded = build::load(&fixtures().join(name), &ctx)?;
    let typ = build::typst_source(&loaded, &ctx)?;
    let compiled = build::compile(&loaded, &typ, &ctx)?;
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
