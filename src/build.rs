//! The pipeline for one statement: read, resolve, write Typst, compile,
//! export; and atomic writes of what it makes.

use std::fmt;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst_kit::diagnostics::{DiagnosticFormat, termcolor::NoColor};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::Config;
use crate::diagnostics::SourceError;
use crate::document::{Date, Document};
use crate::frontmatter::valid_layout_name;
use crate::markdown;
use crate::settings::{Settings, num};
use crate::typst::world::{BUILTIN_LAYOUTS, BuildWorld, Shared, own_layout};
use crate::typst::writer::{self, TypstSource};

/// What every build of a statement needs to know.
#[derive(Clone)]
pub struct Context {
    /// The project root: the sandbox for images and the home of `layouts/`.
    pub root: PathBuf,
    /// A layout given on the command line (wins over the front matter).
    pub layout: Option<String>,
    /// The project's settings (empty when there is no project file).
    pub config: Arc<Config>,
    pub shared: Arc<Shared>,
    /// `SOURCE_DATE_EPOCH`, as a date, for documents without one.
    pub epoch_date: Option<Date>,
    /// Package the shipped fonts the e-book uses.
    pub embed_fonts: bool,
    /// The project file and its text, for messages that point into it.
    pub project_file: Option<PathBuf>,
    pub project_text: Arc<str>,
}

impl Context {
    /// `file:line` of a key in the project file, or `[section]` without it.
    pub fn key_at(&self, section: &str, key: &str) -> String {
        let line = crate::config::key_line(&self.project_text, section, key);
        match &self.project_file {
            Some(file) if line > 0 => format!("{}:{line}", file.display()),
            _ => format!("[{section}] {key}"),
        }
    }

    pub fn new(root: PathBuf, shared: Arc<Shared>) -> Self {
        let epoch_date = source_date_epoch().ok().flatten();
        Context {
            root,
            layout: None,
            config: Arc::new(Config::default()),
            shared,
            epoch_date,
            embed_fonts: false,
            project_file: None,
            project_text: Arc::from(""),
        }
    }
}

/// `SOURCE_DATE_EPOCH` as a date: `Ok(None)` when unset, an error when it
/// is not a number of seconds between the years 1 and 9999.
pub fn source_date_epoch() -> Result<Option<Date>, String> {
    let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = value.trim().parse().map_err(|_| {
        format!("SOURCE_DATE_EPOCH is `{value}`, not a number of seconds since 1970")
    })?;
    let date = crate::dates::from_unix(secs);
    if !(1..=9999).contains(&date.year) {
        return Err(format!(
            "SOURCE_DATE_EPOCH {secs} is outside the years 1 to 9999"
        ));
    }
    Ok(Some(date))
}

/// Why a statement was not built. Its `Display` is the full report.
#[derive(Debug)]
pub enum Failure {
    /// A problem in the Markdown or its front matter.
    Source(SourceError),
    /// Several (errors, and the warnings found with them), in line order.
    Many(Vec<SourceError>),
    /// Typst refused the document; the report is already rendered.
    Typst(String),
    /// Reading or writing a file failed.
    Io(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Source(e) => f.write_str(e.render_from_disk().trim_end()),
            Failure::Many(all) => {
                let text: Vec<String> = all
                    .iter()
                    .map(|e| e.render_from_disk().trim_end().to_string())
                    .collect();
                f.write_str(&text.join("\n\n"))
            }
            Failure::Typst(s) | Failure::Io(s) => f.write_str(s.trim_end()),
        }
    }
}

impl From<SourceError> for Failure {
    fn from(e: SourceError) -> Self {
        Failure::Source(e)
    }
}

/// A statement read and checked, ready for the writers.
pub struct Loaded {
    pub doc: Document,
    /// Warnings about the source (raw HTML, missing alt text, ...).
    pub warnings: Vec<SourceError>,
    /// Lines of images without alt text.
    pub images_without_alt: Vec<usize>,
    /// Each image file once (root-relative), with the line it is first used on.
    pub images: Vec<(String, usize)>,
    /// What was inferred for a bare statement.
    pub notes: Vec<SourceError>,
    /// The layout's name and its resolved settings (the e-book's stylesheet
    /// reads the same).
    pub layout: String,
    pub settings: Settings,
}

/// Reads a statement and resolves its images against the project root.
pub fn load(path: &Path, ctx: &Context) -> Result<Loaded, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Io(format!("error: cannot read {}: {e}", path.display())))?;
    let mut doc = markdown::read(path, &text)?;
    let mut notes: Vec<SourceError> = crate::project::complete(&mut doc, &ctx.config)
        .into_iter()
        .map(|n| SourceError::note(path, n.line, n.message))
        .collect();
    notes.sort_by_key(|n| n.line);
    if doc.blocks.is_empty() && doc.meta.title.is_none() {
        return Err(SourceError::new(
            path,
            0,
            "the statement is empty: there is nothing to typeset",
        )
        .hint("write the text of the statement in Markdown below the front matter")
        .into());
    }
    let mut warnings: Vec<SourceError> = doc
        .warnings
        .iter()
        .map(|n| SourceError::warning(path, n.line, &n.message))
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
                SourceError::warning(path, img.line, format!("the image `{}` has no alt text", img.src))
                    .hint("describe it: ![what the image shows](file.png); without it the PDF cannot claim PDF/UA-1"),
            );
        }
        Ok::<(), SourceError>(())
    })?;
    if let Some(cover) = doc.meta.cover.take() {
        match resolve_image(path, base, root, &cover, doc.meta.line_of("cover")) {
            Ok(src) => doc.meta.cover = Some(src),
            Err(e) => broken.push(e),
        }
    }
    if !broken.is_empty() {
        broken.extend(warnings);
        broken.sort_by_key(|e| e.line);
        return Err(Failure::Many(broken));
    }
    let layout = layout_name(&doc, ctx)?;
    let settings = Settings::resolve(&layout, &ctx.config.layout);
    Ok(Loaded {
        doc,
        warnings,
        images_without_alt,
        images,
        notes,
        layout,
        settings,
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
) -> Result<String, SourceError> {
    let err = |msg: String| SourceError::new(md, line, msg);
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
pub fn layout_name(doc: &Document, ctx: &Context) -> Result<String, Failure> {
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
        return Err(SourceError::new(
            &doc.path,
            line,
            "`book` is the anthology's layout, not a statement's",
        )
        .hint("a statement uses `leaflet` or `booklet`; the book is made from [anthology] in pamphleteer.toml")
        .into());
    }
    if !valid_layout_name(&name)
        || !(own_layout(&ctx.root, &name).is_some()
            || BUILTIN_LAYOUTS.iter().any(|(n, _)| *n == name))
    {
        let known: Vec<&str> = BUILTIN_LAYOUTS.iter().map(|(n, _)| *n).collect();
        return Err(
            SourceError::new(&doc.path, line, format!("there is no layout `{name}`"))
                .hint(format!(
                    "the built-in layouts are {}; a project's own go in layouts/NAME.typ",
                    known.join(", ")
                ))
                .into(),
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

/// The Typst source for a loaded statement.
pub fn typst_source(loaded: &Loaded, ctx: &Context) -> Result<TypstSource, Failure> {
    Ok(writer::write(
        &loaded.doc,
        &source_name(&loaded.doc.path, &ctx.root),
        &loaded.layout,
        &loaded.settings,
    ))
}

/// A compiled statement and what Typst warned about.
pub struct Compiled {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
    /// The world and source it was compiled from, for export diagnostics.
    world: BuildWorld,
    typ: TypstSource,
}

/// Compiles the Typst source in-process. Font warnings are errors: a
/// missing family would silently change the look.
pub fn compile(loaded: &Loaded, typ: &TypstSource, ctx: &Context) -> Result<Compiled, Failure> {
    let world = world(loaded, typ, ctx);
    let result = typst::compile::<PagedDocument>(&world);
    let (font_warnings, warnings): (Vec<_>, Vec<_>) = result
        .warnings
        .iter()
        .cloned()
        .partition(|w| w.message.contains("font family"));
    match result.output {
        Ok(document) if font_warnings.is_empty() => Ok(Compiled {
            document,
            warnings: warnings
                .iter()
                .map(|w| render(&world, typ, &loaded.doc, w))
                .collect(),
            world,
            typ: typ.clone(),
        }),
        Ok(_) => {
            let report: String = font_warnings
                .into_iter()
                .map(|mut w| {
                    w.severity = Severity::Error;
                    w.hint(format!(
                        "the fonts available are: {}",
                        ctx.shared.families().join(", ")
                    ));
                    render(&world, typ, &loaded.doc, &w)
                })
                .collect();
            Err(Failure::Typst(report))
        }
        Err(errors) => Err(Failure::Typst(
            errors
                .iter()
                .map(|e| render(&world, typ, &loaded.doc, e))
                .collect(),
        )),
    }
}

fn world(loaded: &Loaded, typ: &TypstSource, ctx: &Context) -> BuildWorld {
    let stem = loaded
        .doc
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    BuildWorld::new(
        ctx.shared.clone(),
        &ctx.root,
        typ.text.clone(),
        format!("{stem}.typ (generated)"),
        loaded.doc.meta.date.or(ctx.epoch_date),
    )
}

/// Typst diagnostics, codespan-style, as text.
pub fn emit_diagnostics(world: &BuildWorld, diags: &[SourceDiagnostic]) -> String {
    let mut out = NoColor::new(Vec::new());
    let _ = typst_kit::diagnostics::emit(&mut out, world, diags, DiagnosticFormat::Human);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// One Typst diagnostic, codespan-style, with the Markdown line behind it
/// when it points into the generated file.
fn render(
    world: &BuildWorld,
    typ: &TypstSource,
    doc: &Document,
    diag: &SourceDiagnostic,
) -> String {
    let mut text = emit_diagnostics(world, std::slice::from_ref(diag));
    if diag.span.id() == Some(world.main_source().id())
        && let Some(range) = world.range(diag.span)
        && let Some(line) = typ.md_line_at(range.start)
    {
        text.push_str(&format!(
            "  = note: this code was written for {}:{line}\n\n",
            doc.path.display()
        ));
    }
    text
}

/// The PDF standards a document can truthfully claim, and why any is missing.
pub fn standards_for(loaded: &Loaded, ctx: &Context) -> (Vec<PdfStandard>, Vec<String>) {
    let mut standards = Vec::new();
    let mut why_not = Vec::new();
    if loaded.doc.meta.date.or(ctx.epoch_date).is_some() {
        standards.push(PdfStandard::A_2b);
    } else {
        why_not.push(
            "PDF/A-2b needs a date: add `date:` to the front matter or set SOURCE_DATE_EPOCH"
                .to_string(),
        );
    }
    let mut ua = Vec::new();
    if loaded.doc.meta.title.is_none() {
        ua.push("a title (add `title:` to the front matter)".to_string());
    }
    if !loaded.images_without_alt.is_empty() {
        let lines: Vec<String> = loaded
            .images_without_alt
            .iter()
            .map(|l| l.to_string())
            .collect();
        ua.push(format!(
            "alt text for the images on line {}",
            lines.join(", ")
        ));
    }
    if ua.is_empty() {
        standards.push(PdfStandard::Ua_1);
    } else {
        why_not.push(format!("PDF/UA-1 needs {}", ua.join(" and ")));
    }
    (standards, why_not)
}

/// Exports a compiled statement as PDF/A-2b (and PDF/UA-1 where it holds),
/// with a fixed identifier and timestamp so that the bytes are reproducible.
pub fn pdf(
    loaded: &Loaded,
    compiled: &Compiled,
    ctx: &Context,
) -> Result<(Vec<u8>, Vec<String>), Failure> {
    let (standards, why_not) = standards_for(loaded, ctx);
    let notes: Vec<String> = why_not
        .iter()
        .map(|why| {
            format!(
                "{}: warning: exported without a claim: {why}",
                loaded.doc.path.display()
            )
        })
        .collect();
    let options = pdf_options(
        format!("pamphleteer/{}", source_name(&loaded.doc.path, &ctx.root)),
        loaded.doc.meta.date.or(ctx.epoch_date),
        &standards,
    )?;
    let bytes = typst_pdf::pdf(&compiled.document, &options).map_err(|errors| {
        // The same complaint for many glyphs: show a few.
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<&SourceDiagnostic> = errors.iter().filter(|e| seen.insert(e.message.clone())).collect();
        let mut report: String = distinct
            .iter()
            .take(3)
            .map(|e| {
                let mut e = (*e).clone();
                if e.message.contains("glyph") || e.message.contains("could not be displayed") {
                    e.hint("the shipped fonts cover Latin, Greek and Cyrillic: put a font for this script in the project's fonts/ or use --system-fonts");
                }
                render(&compiled.world, &compiled.typ, &loaded.doc, &e)
            })
            .collect();
        if errors.len() > 3 {
            report.push_str(&format!("({} errors in all)\n", errors.len()));
        }
        Failure::Typst(report)
    })?;
    Ok((bytes, notes))
}

/// Export options that make the same bytes from the same input: a fixed
/// identifier, and the document's date (never the clock) as timestamp.
pub fn pdf_options(
    ident: String,
    date: Option<Date>,
    standards: &[PdfStandard],
) -> Result<PdfOptions, Failure> {
    Ok(PdfOptions {
        ident: Smart::Custom(ident),
        timestamp: date
            .and_then(|d| Datetime::from_ymd(d.year, d.month, d.day))
            .map(Timestamp::new_utc),
        standards: PdfStandards::new(standards)
            .map_err(|e| Failure::Typst(format!("error: {}", e.message())))?,
        ..PdfOptions::default()
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that a reader never sees half a file and a failure leaves
/// the previous file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let io =
        |e: std::io::Error| Failure::Io(format!("error: cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".pamphleteer-")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // A temporary file is private; the output gets the permissions of the
    // file it replaces, or the usual ones for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file().set_permissions(perms).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Which products to make of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub typst: bool,
    pub pdf: bool,
    pub epub: bool,
    /// The PDF's pages imposed two-up for saddle stitching.
    pub impose: bool,
    /// A press PDF: bleed, crop marks, TrimBox and BleedBox.
    pub press: bool,
}

/// What a statement was made into, in memory, and what to tell the user.
#[derive(Debug, Default)]
pub struct Products {
    pub typst: Option<Vec<u8>>,
    pub pdf: Option<Vec<u8>>,
    pub pages: usize,
    pub epub: Option<Vec<u8>>,
    /// The imposed sheets, and how many sheet sides.
    pub imposed: Option<Vec<u8>>,
    pub sides: usize,
    pub press: Option<Vec<u8>>,
    /// Warnings and notes, already rendered.
    pub report: String,
}

/// Reads a statement once and makes every wanted product from it. Nothing
/// is written: a statement that fails anywhere leaves its old files alone.
pub fn make(source: &Path, ctx: &Context, wanted: Wanted) -> Result<Products, Failure> {
    products(&load(source, ctx)?, ctx, wanted)
}

/// Makes every wanted product of a statement already read.
pub fn products(loaded: &Loaded, ctx: &Context, wanted: Wanted) -> Result<Products, Failure> {
    let mut p = Products::default();
    for n in &loaded.notes {
        p.report.push_str(&n.short());
        p.report.push('\n');
    }
    for w in &loaded.warnings {
        p.report.push_str(&w.render_from_disk());
    }
    let print = wanted.impose || wanted.press;
    let fitting = loaded.settings.pages.is_some() && loaded.settings.shrink > 0.0;
    if wanted.pdf || print || (wanted.typst && fitting) {
        let Fitted {
            settings,
            typ,
            compiled,
            report,
        } = fit(loaded, ctx)?;
        p.report.push_str(&report);
        for w in &compiled.warnings {
            p.report.push_str(w);
        }
        if wanted.pdf || wanted.impose {
            let (bytes, notes) = pdf(loaded, &compiled, ctx)?;
            if wanted.pdf {
                for n in notes {
                    p.report.push_str(&n);
                    p.report.push('\n');
                }
            }
            p.pages = compiled.document.pages().len();
            if wanted.impose && loaded.layout == "leaflet" {
                p.report.push_str(&format!(
                    "{}: warning: not imposed: a leaflet is printed flat, not folded into a booklet\n  hint: give it `layout: booklet` (front matter, [defaults] or --layout) to impose it\n",
                    loaded.doc.path.display()
                ));
            } else if wanted.impose {
                let (sheets, sides) =
                    crate::print::impose(&bytes, &compiled.document, loaded, &settings, ctx)?;
                p.imposed = Some(sheets);
                p.sides = sides;
            }
            if wanted.pdf {
                p.pdf = Some(bytes);
            }
        }
        if wanted.press {
            p.press = Some(press(loaded, &settings, ctx)?);
        }
        if wanted.typst {
            p.typst = Some(typ.text.into_bytes());
        }
    } else if wanted.typst {
        p.typst = Some(typst_source(loaded, ctx)?.text.into_bytes());
    }
    if wanted.epub {
        let (bytes, notes) = crate::epub::epub(loaded, ctx)?;
        for n in notes {
            p.report.push_str(&n);
            p.report.push('\n');
        }
        p.epub = Some(bytes);
    }
    Ok(p)
}

/// A statement compiled to the pages it is meant to fill (`[layout]
/// pages`): as it is, or with the type shrunk (down to `[layout] shrink`
/// points smaller, a quarter point at a time) until it fits; else with a
/// warning that says how much is over.
pub struct Fitted {
    pub settings: Settings,
    pub typ: TypstSource,
    pub compiled: Compiled,
    pub report: String,
}

pub fn fit(loaded: &Loaded, ctx: &Context) -> Result<Fitted, Failure> {
    let name = source_name(&loaded.doc.path, &ctx.root);
    let make = |settings: &Settings| -> Result<(TypstSource, Compiled), Failure> {
        let typ = writer::write(&loaded.doc, &name, &loaded.layout, settings);
        let compiled = compile(loaded, &typ, ctx)?;
        Ok((typ, compiled))
    };
    let settings = loaded.settings.clone();
    let (typ, compiled) = make(&settings)?;
    let pages = compiled.document.pages().len();
    let limit = match settings.pages.map(|p| p as usize) {
        Some(limit) if pages > limit => limit,
        _ => {
            return Ok(Fitted {
                settings,
                typ,
                compiled,
                report: String::new(),
            });
        }
    };
    let at = ctx.key_at("layout", "pages");
    let mut steps = 1;
    while settings.shrink > 0.0 && 0.25 * steps as f64 <= settings.shrink + 1e-9 {
        let mut smaller = settings.clone();
        smaller.font_size = settings.font_size - 0.25 * steps as f64;
        smaller.leading = settings.leading * smaller.font_size / settings.font_size;
        let (typ, compiled) = make(&smaller)?;
        if compiled.document.pages().len() <= limit {
            let report = format!(
                "{}: note: set at {}pt on {}pt instead of {}pt on {}pt to keep to {limit} page{} ({})\n",
                loaded.doc.path.display(),
                num(smaller.font_size),
                num(smaller.leading),
                num(settings.font_size),
                num(settings.leading),
                if limit == 1 { "" } else { "s" },
                at,
            );
            return Ok(Fitted {
                settings: smaller,
                typ,
                compiled,
                report,
            });
        }
        steps += 1;
    }
    let over = crate::print::lines_over(
        &compiled.document,
        limit,
        settings.margin_bottom.to_pt(),
        settings.columns,
    );
    let hint = if settings.shrink > 0.0 {
        format!(
            "shrinking the type by {}pt was not enough: shorten the text, or allow more pages",
            num(settings.shrink)
        )
    } else if over <= 20 {
        "shorten the text, or let the type shrink to fit: `shrink = 1` under [layout]".to_string()
    } else {
        // (A point less holds a few lines a page, not a score.)
        "shorten the text, or allow more pages".to_string()
    };
    let report = format!(
        "{}: warning: runs to {pages} pages, more than `pages = {limit}` ({at}) allows: about {over} line{} over\n  hint: {hint}\n",
        loaded.doc.path.display(),
        if over == 1 { "" } else { "s" },
    );
    Ok(Fitted {
        settings,
        typ,
        compiled,
        report,
    })
}

/// The press PDF: the statement compiled again with the bleed and crop
/// marks, PDF/A-2b where it has a date (not PDF/UA: it is for the press,
/// not for reading), with each page's BleedBox set.
fn press(loaded: &Loaded, settings: &Settings, ctx: &Context) -> Result<Vec<u8>, Failure> {
    let bleed = ctx.config.outputs.bleed;
    let mut settings = settings.clone();
    settings.bleed = Some(bleed);
    let typ = writer::write(
        &loaded.doc,
        &source_name(&loaded.doc.path, &ctx.root),
        &loaded.layout,
        &settings,
    );
    let compiled = compile(loaded, &typ, ctx)?;
    let date = loaded.doc.meta.date.or(ctx.epoch_date);
    let standards: &[PdfStandard] = if date.is_some() {
        &[PdfStandard::A_2b]
    } else {
        &[]
    };
    let options = pdf_options(
        format!(
            "pamphleteer/press/{}",
            source_name(&loaded.doc.path, &ctx.root)
        ),
        date,
        standards,
    )?;
    let bytes = typst_pdf::pdf(&compiled.document, &options)
        .map_err(|errors| Failure::Typst(emit_diagnostics(&compiled.world, &errors)))?;
    crate::print::add_bleed_boxes(&bytes, bleed.to_pt())
        .map_err(|e| Failure::Typst(format!("error: {e}\n")))
}

/// A context for a project: its root, its settings, its fonts.
pub fn context_for(project: &crate::project::Project, system_fonts: bool) -> Context {
    let fonts = project.fonts_dir();
    let shared = if fonts.is_none() && !system_fonts {
        Shared::embedded()
    } else {
        Shared::with_fonts(fonts.as_deref(), system_fonts)
    };
    let mut ctx = Context::new(project.root.clone(), shared);
    ctx.config = Arc::new(project.config.clone());
    ctx.embed_fonts = project.config.outputs.embed_fonts;
    ctx.project_file = project.file.clone();
    ctx.project_text = Arc::from(project.text.as_str());
    ctx
}
