//! The book (`[anthology]`): one PDF, one e-book and its `.typ`, made from
//! the statements it holds, which it waits for: a statement that fails
//! keeps the book unwritten (a book with a hole is worse than none).

use std::path::{Path, PathBuf};

use crate::model::diagnostics::Diagnostic;
use crate::project::book::{BookPlan, plan};
use crate::project::context::Context;
use crate::project::statement::Loaded;
use crate::targets::{Failed, Files, Inputs, Made, Output, Parts, Role, Target};

/// The book's name among the targets.
pub(crate) const ID: &str = "the anthology";

struct Book<'a> {
    inputs: &'a Inputs<'a>,
    /// The book planned, and where it goes; or why it cannot be made.
    planned: Result<(BookPlan<'a>, PathBuf), String>,
    /// What planning it read (its preface).
    read: Files,
}

/// The book, when the run makes one.
pub(crate) fn targets<'a>(inputs: &'a Inputs<'a>) -> Vec<Box<dyn Target + 'a>> {
    let Some(dir) = inputs.book_dir else {
        return Vec::new();
    };
    let (ctx, reads) = inputs.ctx.recording();
    let planned = plan_the_book(inputs, &ctx, dir);
    vec![Box::new(Book {
        inputs,
        planned,
        read: reads.files(),
    })]
}

/// Plans the book from the statements as read; or says why it cannot be
/// made (said after the statements' own reports, which it points at).
fn plan_the_book<'a>(
    inputs: &'a Inputs<'a>,
    ctx: &Context,
    out_dir: &Path,
) -> Result<(BookPlan<'a>, PathBuf), String> {
    let project = inputs.project;
    let all: &'a [(PathBuf, Option<&'a Loaded>)] = &inputs.all;
    // (What is wrong in the project file is shown from the text read.)
    let text: std::sync::Arc<str> = std::sync::Arc::from(project.text.as_str());
    let shown = |e: &Diagnostic| match (&project.file, &e.text) {
        (Some(file), None) if *file == e.path => e.clone().read_from(&text).rendered(),
        _ => e.rendered(),
    };
    let book = plan(project, ctx, all).map_err(|errors| {
        let all: Vec<String> = errors
            .iter()
            .map(|e| format!("{}\n", shown(e).trim_end()))
            .collect();
        all.join("\n")
    })?;
    let base = out_dir.join(&book.slug);
    // A statement of the same name must not be overwritten by the book.
    if let Some((source, _)) = all.iter().find(|(source, _)| {
        source.file_stem() == base.file_name() && source.parent() == Some(&project.sources_dir())
    }) {
        let file = project.file.clone().unwrap_or_default();
        let line = crate::project::config::key_line(&project.text, "anthology", "slug").max(
            crate::project::config::key_line(&project.text, "anthology", "title"),
        );
        let e = Diagnostic::new(
            &file,
            line,
            format!(
                "the anthology would be written over {}'s outputs ({})",
                source.display(),
                base.with_extension("pdf").display()
            ),
        )
        .hint("set `slug` under [anthology] to another name");
        return Err(format!("{}\n", shown(&e).trim_end()));
    }
    Ok((book, base))
}

impl Target for Book<'_> {
    fn id(&self) -> String {
        ID.into()
    }

    fn role(&self) -> Role {
        Role::Book
    }

    fn parts(&self) -> Parts {
        let ctx = self.inputs.ctx;
        let mut parts = crate::targets::common(self.inputs, &["outputs.parallel"]);
        let all: Vec<String> = self.inputs.all.iter().map(|(s, _)| ctx.rel(s)).collect();
        parts.insert("the project's statements".into(), all.join(", "));
        if let Ok((_, base)) = &self.planned {
            parts.insert("where it goes".into(), ctx.rel(base));
        }
        for (read, _) in &self.inputs.statements {
            parts.insert(
                format!("what {} shows of the others", ctx.rel(&read.source)),
                crate::model::digest(&[read.shows.as_bytes()]),
            );
        }
        if let Ok(bytes) = std::env::var("PAMPHLETEER_BOOK_PART_BYTES") {
            parts.insert("PAMPHLETEER_BOOK_PART_BYTES".into(), bytes);
        }
        parts
    }

    fn read_before(&self) -> Files {
        let mut files = self.read.clone();
        let held = self.holds();
        for (read, _) in &self.inputs.statements {
            if held.contains(&self.inputs.ctx.rel(&read.source)) {
                files.extend(read.files.clone());
            }
        }
        files
    }

    fn holds(&self) -> Vec<String> {
        let ctx = self.inputs.ctx;
        match &self.planned {
            Ok((book, _)) => book
                .entries()
                .map(|e| ctx.rel(&e.loaded.doc.path))
                .collect(),
            // (Said once the statements have said what is wrong with them.)
            Err(_) => self
                .inputs
                .statements
                .iter()
                .map(|(r, _)| ctx.rel(&r.source))
                .collect(),
        }
    }

    fn weight(&self) -> u64 {
        // The longest piece of work (a chain of compilations): first, so
        // that it overlaps the statements instead of following them.
        u64::MAX
    }

    fn make(&self, ctx: &Context) -> Result<Made, Failed> {
        let (book, base) = self
            .planned
            .as_ref()
            .map_err(|why| Failed::Said(why.clone()))?;
        let made = crate::render::book::make(book, ctx, self.inputs.wanted, self.inputs.kept)?;
        let mut outputs = Vec::new();
        for (bytes, ext) in [(made.pdf, "pdf"), (made.epub, "epub"), (made.typst, "typ")] {
            if let Some(bytes) = bytes {
                outputs.push(Output {
                    path: base.with_extension(ext),
                    detail: String::new(),
                    bytes,
                    kind: ext,
                });
            }
        }
        Ok(Made {
            outputs,
            report: made.report,
            pages: made.pages,
            fitted: false,
        })
    }

    fn built(&self, files: &[String], _pages: usize) -> String {
        let held = self.holds().len();
        format!(
            "built the anthology ({held} statement{}) → {}\n",
            if held == 1 { "" } else { "s" },
            files.join(", ")
        )
    }

    fn written(&self) {
        self.inputs.kept.written();
    }
}
