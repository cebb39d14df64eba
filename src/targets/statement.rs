//! A statement's products, made together from one reading and one fitted
//! compilation: its leaflet PDF, its e-book (which marks the PDF's pages),
//! its `.typ`, and its imposed and press PDFs.

use crate::project::context::Context;
use crate::render::statement::products;
use crate::targets::{Dest, Failed, Files, Inputs, Made, Output, Parts, Read, Role, Target};

struct Statement<'a> {
    read: &'a Read,
    dest: &'a Dest,
    inputs: &'a Inputs<'a>,
    common: std::sync::Arc<Parts>,
}

/// The run's statements, each a target.
pub(crate) fn targets<'a>(inputs: &'a Inputs<'a>) -> Vec<Box<dyn Target + 'a>> {
    // (The book's settings and the parallel editions' are theirs.)
    let common = std::sync::Arc::new(crate::targets::common(
        inputs,
        &["anthology", "outputs.parallel"],
    ));
    inputs
        .statements
        .iter()
        .map(|(read, dest)| {
            Box::new(Statement {
                read,
                dest,
                inputs,
                common: common.clone(),
            }) as Box<dyn Target + 'a>
        })
        .collect()
}

impl Target for Statement<'_> {
    fn id(&self) -> String {
        self.inputs.ctx.rel(&self.read.source)
    }

    fn role(&self) -> Role {
        Role::Statement
    }

    fn shown(&self) -> String {
        self.read.source.display().to_string()
    }

    fn parts(&self) -> Parts {
        let mut parts = (*self.common).clone();
        let ctx = self.inputs.ctx;
        parts.insert(
            "where its products go".into(),
            ctx.rel(&self.dest.path("pdf", true)),
        );
        parts.insert(
            "what it shows of the other statements (editions, links)".into(),
            crate::model::digest(&[self.read.shows.as_bytes()]),
        );
        parts
    }

    fn read_before(&self) -> Files {
        self.read.files.clone()
    }

    fn make(&self, ctx: &Context) -> Result<Made, Failed> {
        let loaded = match &self.read.loaded {
            Ok(loaded) => loaded,
            Err(errors) => {
                return Err(Failed::Render(crate::render::compile::Error::Source(
                    errors.clone(),
                )));
            }
        };
        let made = products(loaded, ctx, self.inputs.wanted)?;
        // Typst memoises across compiles in one global cache: without
        // eviction a build of hundreds of statements holds every one of
        // them. What the last few used (fonts, the layout) stays warm.
        typst::comemo::evict(4);
        let (pages, sides) = (made.pages, made.sides);
        let mut outputs = Vec::new();
        for (ext, kind, main, bytes) in [
            ("pdf", "pdf", true, made.pdf),
            ("epub", "epub", true, made.epub),
            ("typ", "typ", true, made.typst),
            ("imposed.pdf", "imposed", false, made.imposed),
            ("press.pdf", "press", false, made.press),
        ] {
            // (A leaflet is not imposed: no sheets.)
            let Some(bytes) = bytes else { continue };
            outputs.push(Output {
                path: self.dest.path(ext, main),
                detail: details(ext, &bytes, pages, sides),
                bytes,
                kind,
            });
        }
        Ok(Made {
            outputs,
            report: made.report,
            pages,
            fitted: made.fitted,
        })
    }
}

/// What a line about a written file says besides its name.
fn details(ext: &str, bytes: &[u8], pages: usize, sides: usize) -> String {
    let kib = bytes.len().div_ceil(1024);
    match ext {
        "typ" => String::new(),
        "pdf" => format!(
            " ({pages} page{}, {kib} KiB)",
            if pages == 1 { "" } else { "s" }
        ),
        "imposed.pdf" => format!(" ({sides} sheet sides, {kib} KiB)"),
        _ => format!(" ({kib} KiB)"),
    }
}
