//! The EPUB 3 edition, from the same `Document` the PDF is made from.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::model::diagnostics::Diagnostic;
use crate::model::document::{Block, BlockKind, Document, Event, Inline, Node};
use crate::project::context::Context;
use crate::project::fonts::{SHIPPED_FACES, ShippedFace};
use crate::project::statement::{Loaded, source_name};
use crate::render::compile::Error;
use crate::render::pages::PageMap;
use crate::render::{cover, images};
use crate::write::epub::package::{CONTAINER, Item, Metadata};
use crate::write::epub::{css, package, xhtml};

/// Builds the e-book; returns its bytes and notes for the user. With the
/// page map of the statement's PDF, it marks where each printed page
/// begins and lists the pages.
pub fn epub(
    loaded: &Loaded,
    ctx: &Context,
    pages: Option<&PageMap>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let doc = &loaded.doc;
    let front = Front {
        doc,
        settings: &loaded.settings,
        cover_line: doc.meta.line_of("cover"),
        identifier_key: format!("pamphleteer:{}", source_name(&doc.path, &ctx.root)),
        creator_role: None,
        no_date_hint: "add `date:` or set SOURCE_DATE_EPOCH",
    };
    assemble(&front, &[loaded], ctx, None, |hrefs| {
        let breaks = pages.and_then(|p| p.text(0));
        let chapter = xhtml::chapter(doc, hrefs, xhtml::ChapterKind::Statement, breaks, None);
        let nav = xhtml::nav(doc, &chapter.toc, "text.xhtml", true, &chapter.pages);
        let paged = !chapter.pages.is_empty();
        let files = vec![
            xhtml_item("text", "text.xhtml", chapter.xhtml, None, true),
            xhtml_item("nav", "nav.xhtml", nav, Some("nav"), false),
        ];
        (files, paged)
    })
}

/// What sets one e-book apart from another besides its text: the document
/// whose metadata fronts it (title page, cover, package) and its settings.
struct Front<'a> {
    doc: &'a Document,
    settings: &'a crate::project::settings::Settings,
    /// The front matter line of a `cover` image, for messages.
    cover_line: usize,
    /// What the derived identifier (a UUID v5) is made from.
    identifier_key: String,
    /// The creators' MARC role, if not authors.
    creator_role: Option<&'static str>,
    /// What to do about a missing date.
    no_date_hint: &'static str,
}

/// One XHTML file of the book.
fn xhtml_item(
    id: &str,
    href: &str,
    text: String,
    properties: Option<&'static str>,
    spine: bool,
) -> Item {
    Item {
        id: id.into(),
        href: href.into(),
        media_type: "application/xhtml+xml",
        properties,
        bytes: text.into_bytes(),
        spine,
    }
}

/// Packages an e-book: the images of `loadeds` (each file once, re-encoded
/// without metadata), the cover (the front's image, or one drawn by
/// layouts/cover.typ), the cover and title pages, the text files `text`
/// makes from the images' hrefs (nav last; and whether they mark the
/// print edition's pages), the fonts they use when asked, the stylesheet,
/// and the package metadata.
fn assemble(
    front: &Front,
    loadeds: &[&Loaded],
    ctx: &Context,
    previous: Option<&[u8]>,
    text: impl FnOnce(&HashMap<String, String>) -> (Vec<Item>, bool),
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let doc = front.doc;
    let mut notes = Vec::new();
    let (mut images, hrefs) = image_items(loadeds, ctx)?;
    let (cover, cover_href) = cover_item(front, ctx, &mut notes)?;
    images.push(cover);
    let mut book = vec![
        xhtml_item(
            "cover",
            "cover.xhtml",
            xhtml::cover_page(doc, &cover_href),
            None,
            true,
        ),
        xhtml_item(
            "titlepage",
            "titlepage.xhtml",
            xhtml::title_page(doc),
            None,
            true,
        ),
    ];
    let (files, paged) = text(&hrefs);
    book.extend(files);
    let (fonts, font_faces) = if ctx.embed_fonts {
        font_items(loadeds)
    } else {
        (Vec::new(), Vec::new())
    };
    book.extend(fonts);
    book.push(Item {
        id: "style".into(),
        href: "style.css".into(),
        media_type: "text/css",
        properties: None,
        bytes: css::stylesheet(front.settings, &font_faces).into_bytes(),
        spine: false,
    });
    book.append(&mut images);
    let metadata = metadata(front, loadeds, !hrefs.is_empty(), paged, ctx, &mut notes);
    let opf = package::opf(&metadata, &book);
    let bytes = zip(&opf, &book, previous).map_err(|e| Error::product("the e-book", e))?;
    Ok((bytes, notes))
}

/// The images of the statements, each file once, re-encoded without
/// metadata; and the href each source path is packaged under.
fn image_items(
    loadeds: &[&Loaded],
    ctx: &Context,
) -> Result<(Vec<Item>, HashMap<String, String>), Error> {
    let mut images: Vec<Item> = Vec::new();
    let mut hrefs: HashMap<String, String> = HashMap::new();
    for loaded in loadeds {
        for (src, line) in &loaded.images {
            if hrefs.contains_key(src) {
                continue;
            }
            let n = hrefs.len() + 1;
            let packaged = package_image(ctx, &loaded.doc.path, src, *line)?;
            let href = format!("images/image-{n}.{}", packaged.extension);
            hrefs.insert(src.clone(), href.clone());
            images.push(Item {
                id: format!("image-{n}"),
                href,
                media_type: packaged.media_type,
                properties: None,
                bytes: packaged.bytes,
                spine: false,
            });
        }
    }
    Ok((images, hrefs))
}

/// The cover image (the front matter's `cover`, or one drawn by
/// layouts/cover.typ) and its href.
fn cover_item(
    front: &Front,
    ctx: &Context,
    notes: &mut Vec<String>,
) -> Result<(Item, String), Error> {
    let doc = front.doc;
    let cover = match &doc.meta.cover {
        Some(src) => package_image(ctx, &doc.path, src, front.cover_line)?,
        None => {
            let cover::Drawn { png, missing } = cover::draw(doc, front.settings, ctx)?;
            if !missing.is_empty() {
                notes.push(format!(
                    "{}: warning: the drawn cover lacks glyphs for {}: the shipped fonts cover Latin, Greek and Cyrillic; give a `cover:` image or a font in the project's fonts/",
                    doc.path.display(),
                    missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" ")
                ));
            }
            images::Packaged {
                bytes: png,
                media_type: "image/png",
                extension: "png",
            }
        }
    };
    let cover_href = format!("images/cover.{}", cover.extension);
    let item = Item {
        id: "cover-image".into(),
        href: cover_href.clone(),
        media_type: cover.media_type,
        properties: Some("cover-image"),
        bytes: cover.bytes,
        spine: false,
    };
    Ok((item, cover_href))
}

/// The shipped faces the statements use, as items of the package, and as
/// the stylesheet's `@font-face` rules read them (family, href, weight,
/// style).
pub(crate) fn font_items(loadeds: &[&Loaded]) -> (Vec<Item>, Vec<css::FontFace>) {
    let mut items = Vec::new();
    let mut font_faces = Vec::new();
    let mut faces: Vec<&'static ShippedFace> = Vec::new();
    for face in loadeds.iter().flat_map(|l| used_faces(l)) {
        if !faces.iter().any(|f| std::ptr::eq(*f, face)) {
            faces.push(face);
        }
    }
    for (n, face) in faces.into_iter().enumerate() {
        let href = format!("fonts/{}", face.file);
        font_faces.push((
            face.family.to_string(),
            href.clone(),
            if face.bold { "bold" } else { "normal" },
            if face.italic { "italic" } else { "normal" },
        ));
        items.push(Item {
            id: format!("font-{}", n + 1),
            href,
            media_type: if face.file.ends_with(".otf") {
                "font/otf"
            } else {
                "font/ttf"
            },
            properties: None,
            bytes: face.data.to_vec(),
            spine: false,
        });
    }
    (items, font_faces)
}

/// The package metadata: identifier, titles, creators, dates and the
/// accessibility summary.
fn metadata(
    front: &Front,
    loadeds: &[&Loaded],
    has_images: bool,
    paged: bool,
    ctx: &Context,
    notes: &mut Vec<String>,
) -> Metadata {
    let doc = front.doc;
    let modified = match doc.meta.date.or(ctx.epoch_date) {
        Some(d) => format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day),
        None => {
            notes.push(format!(
                "{}: warning: the e-book has no date, so its dcterms:modified is 1970-01-01: {}",
                doc.path.display(),
                front.no_date_hint
            ));
            "1970-01-01T00:00:00Z".into()
        }
    };
    let identifier = doc.meta.identifier.clone().unwrap_or_else(|| {
        format!(
            "urn:uuid:{}",
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, front.identifier_key.as_bytes())
        )
    });
    let docs: Vec<&Document> = loadeds.iter().map(|l| &l.doc).collect();
    Metadata {
        identifier,
        title: doc.book_title(),
        subtitle: doc.meta.subtitle.clone(),
        creators: doc.meta.authors.clone(),
        creator_role: front.creator_role,
        translators: doc.meta.translators.clone(),
        language: doc.meta.lang.clone(),
        date: doc
            .meta
            .date
            .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)),
        publisher: doc.meta.publisher.clone(),
        rights: doc.meta.rights.clone(),
        collection: doc.meta.collection.clone(),
        description: doc.meta.description.clone(),
        subjects: doc.meta.keywords.clone(),
        modified,
        accessibility: accessibility(
            &docs,
            has_images,
            loadeds.iter().all(|l| l.images_without_alt.is_empty()),
            doc.meta.cover.is_none(),
            paged,
        ),
        // The print edition is the PDF made with the e-book from the same
        // source; it has no identifier of its own to name.
        page_source: paged.then(|| format!("{}: the print edition (PDF)", doc.book_title())),
        rtl: doc.meta.dir == crate::model::document::Dir::Rtl,
    }
}

/// The shipped faces the e-book's stylesheet will use for this statement:
/// the text face's regular always, its italic, bold and bold italic only
/// where the text has emphasis, strong text, notes or a dated signature;
/// the display face's bold for the headings, its regular for a subtitle.
/// Families the settings name that do not ship with pamphleteer are left
/// to the reader.
fn used_faces(loaded: &Loaded) -> Vec<&'static ShippedFace> {
    let doc = &loaded.doc;
    let settings = &loaded.settings;
    #[derive(Default)]
    struct Uses {
        emph: bool,
        strong: bool,
        strong_emph: bool,
        heading_emph: bool,
        deep_heading: bool,
        caption: bool,
    }
    let top = doc.top_heading_level().unwrap_or(1);
    let mut u = Uses::default();
    // How deep in emphasis and strong the walk is, and whether in a
    // heading or a table's header row (set in the display face's bold).
    let (mut emph, mut strong, mut heading) = (0usize, 0usize, false);
    for event in doc.walk() {
        match event {
            Event::Enter(Node::Inline(Inline::Emph(_))) => {
                u.emph = true;
                u.strong_emph |= strong > 0;
                u.heading_emph |= heading;
                emph += 1;
            }
            Event::Leave(Node::Inline(Inline::Emph(_))) => emph -= 1,
            Event::Enter(Node::Inline(Inline::Strong(_))) => {
                u.strong = true;
                u.strong_emph |= emph > 0;
                strong += 1;
            }
            Event::Leave(Node::Inline(Inline::Strong(_))) => strong -= 1,
            Event::Enter(Node::Block(Block {
                kind: BlockKind::Heading { level, .. },
                ..
            })) => {
                u.deep_heading |= *level > top + 1;
                heading = true;
            }
            Event::Enter(Node::Cell { header: true, .. }) => heading = true,
            Event::Leave(
                Node::Block(Block {
                    kind: BlockKind::Heading { .. },
                    ..
                })
                | Node::Cell { header: true, .. },
            ) => heading = false,
            Event::Enter(Node::Block(Block {
                kind: BlockKind::Figure(img),
                ..
            })) => u.caption |= img.title.is_some(),
            _ => {}
        }
    }
    let m = &doc.meta;
    let body = &settings.body_font;
    let display = &settings.heading_font;
    let wanted = [
        (body, false, false, true),
        (
            body,
            false,
            true,
            u.emph || u.caption || m.place.is_some() || m.date.is_some(),
        ),
        (body, true, false, u.strong || !doc.footnotes.is_empty()),
        (body, true, true, u.strong_emph),
        (display, true, false, true),
        (display, false, false, m.subtitle.is_some()),
        (display, true, true, u.deep_heading || u.heading_emph),
    ];
    // Faces for other scripts: the first fallback that has the script's
    // letters, regular and bold for text, bold for headings.
    let text = crate::model::document::all_text(doc);
    let mut wanted = wanted.to_vec();
    for script in [Script::Arabic, Script::Hebrew] {
        if !text.chars().any(|c| script.has(c)) {
            continue;
        }
        for (list, bold) in [
            (&settings.body_fallback, false),
            (&settings.body_fallback, true),
            (&settings.heading_fallback, true),
        ] {
            if let Some(family) = list.iter().find(|f| script.is_for(f)) {
                wanted.push((family, bold, false, true));
            }
        }
    }
    let mut faces = Vec::new();
    for (family, bold, italic, used) in wanted {
        if let Some(face) = SHIPPED_FACES
            .iter()
            .find(|f| f.family == family && f.bold == bold && f.italic == italic)
            && used
            && !faces.iter().any(|f: &&ShippedFace| std::ptr::eq(*f, face))
        {
            faces.push(face);
        }
    }
    faces
}

/// Scripts the shipped fallback faces cover.
#[derive(Clone, Copy)]
enum Script {
    Arabic,
    Hebrew,
}

impl Script {
    fn has(self, c: char) -> bool {
        match self {
            Script::Arabic => {
                matches!(c, '\u{600}'..='\u{6ff}' | '\u{750}'..='\u{77f}' | '\u{8a0}'..='\u{8ff}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
            }
            Script::Hebrew => matches!(c, '\u{590}'..='\u{5ff}' | '\u{fb1d}'..='\u{fb4f}'),
        }
    }

    /// Whether a shipped family is this script's.
    fn is_for(self, family: &str) -> bool {
        match self {
            Script::Arabic => family.contains("Arabic"),
            Script::Hebrew => family.contains("Hebrew"),
        }
    }
}

/// Accessibility metadata that says what this book actually contains.
fn accessibility(
    docs: &[&Document],
    has_images: bool,
    all_alt: bool,
    drawn_cover: bool,
    paged: bool,
) -> Vec<(&'static str, String)> {
    let mut a: Vec<(&'static str, String)> = vec![("schema:accessMode", "textual".into())];
    // The cover is an image too.
    a.push(("schema:accessMode", "visual".into()));
    if all_alt {
        a.push(("schema:accessModeSufficient", "textual".into()));
    }
    a.push(("schema:accessModeSufficient", "textual,visual".into()));
    for f in ["structuralNavigation", "tableOfContents", "readingOrder"] {
        a.push(("schema:accessibilityFeature", f.into()));
    }
    if all_alt {
        a.push(("schema:accessibilityFeature", "alternativeText".into()));
    }
    a.push((
        "schema:accessibilityFeature",
        "displayTransformability".into(),
    ));
    if paged {
        for f in ["pageBreakMarkers", "pageNavigation"] {
            a.push(("schema:accessibilityFeature", f.into()));
        }
    }
    a.push(("schema:accessibilityHazard", "none".into()));
    let headings = docs.iter().any(|doc| {
        doc.blocks
            .iter()
            .any(|b| matches!(b.kind, crate::model::document::BlockKind::Heading { .. }))
    });
    let mut summary = String::from("A text with a navigable table of contents");
    summary.push_str(if headings {
        " and section headings"
    } else {
        ""
    });
    summary.push_str("; the reading order follows the text, and text can be resized and restyled.");
    if paged {
        summary.push_str(" Page breaks and a page list follow the print edition.");
    }
    if docs.iter().any(|d| !d.footnotes.is_empty()) {
        summary.push_str(" Footnotes are linked both ways and also appear at the end of the text.");
    }
    if has_images {
        summary.push_str(if all_alt {
            " Every image has a text description."
        } else {
            " Some images have no text description."
        });
    }
    summary.push_str(if drawn_cover {
        " The cover image shows the title, which the title page also gives as text."
    } else {
        " The cover is a picture; the title page gives the title as text."
    });
    a.push(("schema:accessibilitySummary", summary));
    if all_alt {
        a.push((
            "dcterms:conformsTo",
            "EPUB Accessibility 1.1 - WCAG 2.1 Level AA".into(),
        ));
        a.push((
            "a11y:certifiedBy",
            "pamphleteer (automated checks when the book was made)".into(),
        ));
    }
    a
}

/// Reads and re-encodes one image of the statement.
fn package_image(
    ctx: &Context,
    md: &std::path::Path,
    src: &str,
    line: usize,
) -> Result<images::Packaged, Error> {
    let path = ctx.root.join(src);
    let bytes = ctx.read(&path).map_err(|e| {
        Error::from(Diagnostic::new(
            md,
            line,
            format!("cannot read the image `{src}`: {e}"),
        ))
    })?;
    images::for_epub(&bytes).map_err(|e| {
        Diagnostic::new(md, line, format!("the image `{src}` cannot be read: {e}"))
            .hint("use a PNG, JPEG, GIF, WebP or SVG file")
            .into()
    })
}

/// The anthology as one e-book: a cover, the book's title page, the
/// preface, one XHTML file per statement (each in its own language and
/// direction), and a contents list nested under the group headings.
///
/// `pages` gives the page map of the book's PDF when it is laid out (it is
/// asked for only once the cover and images are made, so that the PDF can
/// be laid out meanwhile); without one, the e-book has no page list.
pub fn anthology(
    plan: &crate::project::book::BookPlan,
    ctx: &Context,
    previous: Option<&[u8]>,
    pages: impl FnOnce() -> Option<PageMap>,
) -> Result<(Vec<u8>, Vec<String>), Error> {
    let book = &plan.book;
    let loadeds: Vec<&Loaded> = plan
        .preface
        .iter()
        .chain(plan.entries().map(|e| e.loaded))
        .collect();
    let front = Front {
        doc: book,
        settings: &plan.settings,
        cover_line: 0,
        identifier_key: format!("pamphleteer-anthology:{}", plan.slug),
        creator_role: Some("edt"),
        no_date_hint: "set `date` under [anthology] or SOURCE_DATE_EPOCH",
    };
    assemble(&front, &loadeds, ctx, previous, |hrefs| {
        let mut files = Vec::new();
        let pages = pages();
        let breaks = |text: usize| pages.as_ref().and_then(|p| p.text(text));
        let mut nav = xhtml::BookNav {
            preface: None,
            groups: Vec::new(),
            pages: Vec::new(),
        };
        let marked = |nav: &mut xhtml::BookNav, href: &str, chapter: &xhtml::Chapter| {
            nav.pages
                .extend(chapter.pages.iter().map(|p| (href.to_string(), p.clone())));
        };
        // Each statement's file, for the links between them.
        let chapters: HashMap<PathBuf, String> = plan
            .groups
            .iter()
            .flat_map(|(_, entries)| entries)
            .enumerate()
            .map(|(i, e)| {
                (
                    e.loaded.doc.path.clone(),
                    format!("statement-{}.xhtml", i + 1),
                )
            })
            .collect();
        if let Some(p) = &plan.preface {
            let chapter = xhtml::chapter(
                &p.doc,
                hrefs,
                xhtml::ChapterKind::Preface,
                breaks(0),
                Some(&chapters),
            );
            marked(&mut nav, "preface.xhtml", &chapter);
            files.push(xhtml_item(
                "preface",
                "preface.xhtml",
                chapter.xhtml,
                None,
                true,
            ));
            nav.preface = Some(xhtml::NavLink::to("preface.xhtml", &p.doc));
        }
        // Titles that two statements share: their entries say whose.
        let mut titles: HashMap<String, usize> = HashMap::new();
        for e in plan.entries().filter(|e| !e.translation) {
            *titles.entry(e.loaded.doc.book_title()).or_default() += 1;
        }
        let shared: Vec<String> = titles
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(t, _)| t)
            .collect();
        // Languages are named in themselves: mark a heading's language.
        let by_language = plan.section.group.as_ref().map(|g| g.0)
            == Some(crate::project::config::Grouping::Language);
        let mut n = 0;
        for (heading, entries) in &plan.groups {
            let mut list = Vec::new();
            for e in entries {
                n += 1;
                let href = format!("statement-{n}.xhtml");
                let doc = Document {
                    meta: crate::write::typst::book::in_book(&e.loaded.doc.meta),
                    ..e.loaded.doc.clone()
                };
                let chapter = xhtml::chapter(
                    &doc,
                    hrefs,
                    xhtml::ChapterKind::InBook,
                    breaks(n),
                    Some(&chapters),
                );
                marked(&mut nav, &href, &chapter);
                files.push(xhtml_item(
                    &format!("statement-{n}"),
                    &href,
                    chapter.xhtml,
                    None,
                    true,
                ));
                match list.last_mut() {
                    Some(original) if e.translation => {
                        let link: &mut xhtml::NavLink = original;
                        link.editions
                            .push(xhtml::NavLink::edition(&href, &e.loaded.doc));
                    }
                    _ if shared.contains(&e.loaded.doc.book_title()) => list
                        .push(xhtml::NavLink::to(&href, &e.loaded.doc).told_apart(&e.loaded.doc)),
                    _ => list.push(xhtml::NavLink::to(&href, &e.loaded.doc)),
                }
            }
            let lang = entries
                .first()
                .filter(|_| by_language)
                .map(|e| (e.loaded.doc.meta.lang.clone(), e.loaded.doc.meta.dir));
            nav.groups.push((heading.clone().map(|h| (h, lang)), list));
        }
        let paged = !nav.pages.is_empty();
        files.push(xhtml_item(
            "nav",
            "nav.xhtml",
            xhtml::book_nav(book, &nav),
            Some("nav"),
            false,
        ));
        (files, paged)
    })
}

/// The zip: `mimetype` first and stored, then the container, the package
/// document and the items in their order, all with one fixed timestamp
/// and fixed permissions, so the same book gives the same bytes.
fn zip(opf: &str, items: &[Item], previous: Option<&[u8]>) -> std::io::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut previous = previous.and_then(|b| ZipArchive::new(std::io::Cursor::new(b)).ok());
    let fixed = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let stored = fixed.compression_method(CompressionMethod::Stored);
    let deflated = fixed
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    let (mut copied, mut compressed) = (0, 0);
    let mut put = |zip: &mut ZipWriter<_>, name: &str, bytes: &[u8], options| {
        // What the last e-book holds as it is, compressed, is copied as
        // it is: only what changed is compressed again.
        if options == deflated
            && let Some(previous) = previous.as_mut()
            && holds(previous, name, bytes)
            && let Ok(file) = previous.by_name(name)
        {
            copied += 1;
            return zip.raw_copy_file(file).map_err(std::io::Error::from);
        }
        compressed += usize::from(options == deflated);
        zip.start_file(name, options)?;
        zip.write_all(bytes)
    };
    put(
        &mut zip,
        "META-INF/container.xml",
        CONTAINER.as_bytes(),
        deflated,
    )?;
    put(&mut zip, "EPUB/package.opf", opf.as_bytes(), deflated)?;
    for item in items {
        // Already-compressed images gain nothing from deflate.
        let options = if matches!(item.media_type, "image/jpeg" | "image/png") {
            stored
        } else {
            deflated
        };
        put(
            &mut zip,
            &format!("EPUB/{}", item.href),
            &item.bytes,
            options,
        )?;
    }
    if previous.is_some() && std::env::var_os("PAMPHLETEER_BOOK_TRACE").is_some() {
        eprintln!(
            "book: the e-book: {copied} files copied from the last one, {compressed} compressed again"
        );
    }
    Ok(zip.finish()?.into_inner())
}

/// Whether an archive holds `bytes`, deflated, under `name`.
fn holds(archive: &mut ZipArchive<std::io::Cursor<&[u8]>>, name: &str, bytes: &[u8]) -> bool {
    let Ok(mut file) = archive.by_name(name) else {
        return false;
    };
    if file.size() != bytes.len() as u64
        || file.compression() != CompressionMethod::Deflated
        || file.crc32() != crc32fast::hash(bytes)
    {
        return false;
    }
    let mut content = Vec::with_capacity(bytes.len());
    std::io::Read::read_to_end(&mut file, &mut content).is_ok() && content == bytes
}
