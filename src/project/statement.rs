//! A statement as its project sees it: read, completed from `[defaults]`,
//! its images resolved against the project root, its layout and settings
//! chosen. What both writers start from.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::model::diagnostics::Diagnostic;
use crate::model::document::Document;
use crate::model::names::valid_layout_name;
use crate::project::context::Context;
use crate::project::registry::{BUILTIN_LAYOUTS, layout_hint, own_layout};
use crate::project::settings::Settings;
use crate::read::markdown;

/// A statement read and checked, ready for the writers.
pub struct Loaded {
    pub doc: Document,
    /// Warnings about the source (raw HTML, missing alt text, ...).
    pub warnings: Vec<Diagnostic>,
    /// Lines of images without alt text.
    pub images_without_alt: Vec<usize>,
    /// Each image file once (root-relative), with the line it is first used on.
    pub images: Vec<(String, usize)>,
    /// What was inferred for a bare statement.
    pub notes: Vec<Diagnostic>,
    /// The layout's name and its resolved settings (the e-book's stylesheet
    /// reads the same).
    pub layout: String,
    pub settings: Settings,
    /// The statement's text as it was read (what its diagnostics show).
    pub text: Arc<str>,
}

/// Reads a statement and resolves its images against the project root.
/// What is wrong with it comes back all at once (every bad image, with the
/// warnings found alongside), in line order.
pub fn load(path: &Path, ctx: &Context) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = ctx.read(path).map_err(|e| {
        vec![
            Diagnostic::new(path, 0, format!("cannot read the statement: {e}"))
                .hint("check that the file exists and that you may read it"),
        ]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![Diagnostic::not_utf8(
            path,
            e.as_bytes(),
            e.utf8_error(),
            "the statement",
        )]
    })?;
    let text: Arc<str> = Arc::from(text);
    // (What is said of it is shown from the text that was read.)
    let attach = |all: &mut Vec<Diagnostic>| {
        for d in all
            .iter_mut()
            .filter(|d| d.path == path && d.text.is_none())
        {
            d.text = Some(text.clone());
        }
    };
    match read(path, &text, ctx) {
        Ok(mut loaded) => {
            attach(&mut loaded.warnings);
            attach(&mut loaded.notes);
            Ok(loaded)
        }
        Err(mut all) => {
            attach(&mut all);
            Err(all)
        }
    }
}

/// [`load`] once the statement is read.
fn read(path: &Path, text: &Arc<str>, ctx: &Context) -> Result<Loaded, Vec<Diagnostic>> {
    let mut doc = markdown::read(path, text).map_err(|e| vec![e])?;
    check_file_lang(&doc)?;
    let mut notes: Vec<Diagnostic> = crate::project::complete(&mut doc, &ctx.config)
        .into_iter()
        .map(|n| Diagnostic::note(path, n.line, n.message))
        .collect();
    notes.sort_by_key(|n| n.line);
    // (What inference made a title is no longer a heading.)
    doc.anchors = crate::read::markdown::anchors(&doc);
    if doc.blocks.is_empty() && doc.meta.title.is_none() {
        return Err(vec![
            Diagnostic::new(
                path,
                0,
                "the statement is empty: there is nothing to typeset",
            )
            .hint("write the text of the statement in Markdown below the front matter"),
        ]);
    }
    let mut warnings: Vec<Diagnostic> = doc
        .warnings
        .iter()
        .map(|n| Diagnostic::warning(path, n.line, &n.message))
        .collect();
    let mut images_without_alt = Vec::new();
    let mut images = Vec::new();
    let base = path.parent().unwrap_or(Path::new(""));
    let root = &ctx.root;
    // Every bad image is reported, not just the first.
    let mut broken = Vec::new();
    doc.try_for_each_image_mut(&mut |img| {
        match resolve_image(path, base, root, &img.src, img.line) {
            Ok(src) => img.src = src,
            Err(e) => {
                broken.push(e);
                return Ok(());
            }
        }
        if !images.iter().any(|(src, _)| *src == img.src) {
            images.push((img.src.clone(), img.line));
        }
        if img.alt.is_empty() {
            images_without_alt.push(img.line);
            warnings.push(
                Diagnostic::warning(path, img.line, format!("the image `{}` has no alt text", img.src))
                    .hint("describe it: ![what the image shows](file.png); without it the PDF cannot claim PDF/UA-1"),
            );
        }
        Ok::<(), Diagnostic>(())
    })
    .map_err(|e| vec![e])?;
    if let Some(cover) = doc.meta.cover.take() {
        match resolve_image(path, base, root, &cover, doc.meta.line_of("cover")) {
            Ok(src) => doc.meta.cover = Some(src),
            Err(e) => broken.push(e),
        }
    }
    if !broken.is_empty() {
        broken.extend(warnings);
        broken.sort_by_key(|e| e.line);
        return Err(broken);
    }
    let layout = layout_name(&doc, ctx).map_err(|e| vec![e])?;
    let settings =
        Settings::resolve(&layout, &ctx.config.layout).with_front_matter(&doc.meta.fitting);
    Ok(Loaded {
        doc,
        warnings,
        images_without_alt,
        images,
        notes,
        layout,
        settings,
        text: text.clone(),
    })
}

/// Turns an image reference into a root-relative path, refusing what is
/// remote, missing or outside the root.
fn resolve_image(
    md: &Path,
    base: &Path,
    root: &Path,
    src: &str,
    line: usize,
) -> Result<String, Diagnostic> {
    let err = |msg: String| Diagnostic::new(md, line, msg);
    if src.contains("://") || src.starts_with("data:") || src.starts_with("//") {
        return Err(err(format!("the image `{src}` is not a local file")).hint(
            "pamphleteer does not download images: save it next to the statement and link the file",
        ));
    }
    let decoded = percent_decode(src);
    let root_abs = absolute(root);
    // `/img/x.png` is relative to the project root, as in Typst.
    let joined = match decoded.strip_prefix('/') {
        Some(rooted) => absolute(&root_abs.join(rooted)),
        None => absolute(&base.join(&decoded)),
    };
    let outside = || {
        err(format!(
            "the image `{src}` is outside the project root {}",
            root_abs.display()
        ))
        .hint("images must be inside the project folder; copy it there")
    };
    let rel = joined.strip_prefix(&root_abs).map_err(|_| outside())?;
    if !joined.is_file() {
        return Err(err(format!(
            "the image `{src}` does not exist (looked for {})",
            joined.display()
        ))
        .hint("image paths are relative to the Markdown file, or to the project root when they start with `/`"));
    }
    // A symbolic link may still lead out of the root.
    if let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root_abs.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(outside());
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Ok(parts.join("/"))
}

/// A lexically normalised absolute path (`..` and `.` resolved).
fn absolute(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The layout a document uses: the command line's, the front matter's, or `leaflet`.
pub fn layout_name(doc: &Document, ctx: &Context) -> Result<String, Diagnostic> {
    let name = ctx
        .layout
        .clone()
        .or_else(|| doc.meta.layout.clone())
        .unwrap_or_else(|| "leaflet".into());
    // Point at the front matter's `layout` unless the name came from the command line.
    let line = if ctx.layout.is_some() {
        0
    } else {
        doc.meta.line_of("layout")
    };
    if name == "book" && own_layout(&ctx.root, &name).is_none() {
        return Err(Diagnostic::new(
            &doc.path,
            line,
            "`book` is the anthology's layout, not a statement's",
        )
        .hint("a statement uses `leaflet` or `booklet`; the book is made from [anthology] in pamphleteer.toml"));
    }
    if !valid_layout_name(&name)
        || !(own_layout(&ctx.root, &name).is_some()
            || BUILTIN_LAYOUTS.iter().any(|(n, _)| *n == name))
    {
        return Err(
            Diagnostic::new(&doc.path, line, format!("there is no layout `{name}`"))
                .hint(layout_hint(&ctx.root, &name)),
        );
    }
    Ok(name)
}

/// A source's name relative to the project root, with `/` separators
/// (outputs must not carry the builder's folders or user name).
pub fn source_name(path: &Path, root: &Path) -> String {
    let abs = absolute(path);
    let rel = abs
        .strip_prefix(absolute(root))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(path.file_name().unwrap_or_default()));
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A front-matter `lang` that says otherwise than the file's name is an
/// error at its line.
fn check_file_lang(doc: &Document) -> Result<(), Vec<Diagnostic>> {
    let Some((name, tag)) = crate::model::lang::file_lang(&doc.path) else {
        return Ok(());
    };
    let line = doc.meta.line_of("lang");
    // (A regional variant of the file's language agrees with it: `lang:
    // it-CH` in `x.it.md`.)
    if line == 0 || crate::model::lang::in_language(&doc.meta.lang, &tag) {
        return Ok(());
    }
    let edition = crate::model::lang::autonym(&tag).unwrap_or(&tag);
    Err(vec![
        Diagnostic::new(
            &doc.path,
            line,
            format!(
                "`lang: {}` says otherwise than the file's name, which makes it the {edition} (`{tag}`) edition",
                doc.meta.lang
            ),
        )
        .hint(format!(
            "leave out `lang`, or name the file {name}.{}.md",
            doc.meta.lang
        )),
    ])
}
