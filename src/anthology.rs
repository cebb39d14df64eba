//! The anthology: a project's statements collected into one book, a PDF
//! (`layouts/book.typ`) and an EPUB, from the same parsed statements the
//! leaflets are made from.

use std::ops::Range;
use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;
use typst_pdf::PdfStandard;

use crate::build::{Context, Failure, Loaded, source_name};
use crate::config::{AnthologySection, Group, Order};
use crate::diagnostics::SourceError;
use crate::document::{Date, Document, Meta};
use crate::frontmatter::dir_of;
use crate::project::Project;
use crate::quotes::{Quoter, marks_for};
use crate::settings::{Settings, array, dict};
use crate::typst::escape::{single_line, string_literal};
use crate::typst::world::BuildWorld;
use crate::typst::writer::{
    TASK_BOX, body, date_text_literal, datetime_literal, has_task_lists, meta_dict,
};

/// A statement's place in the book.
pub struct Entry<'a> {
    pub loaded: &'a Loaded,
    /// Root-relative source path (`sources/2026/x.md`).
    pub source: String,
}

/// The book, planned: what goes in, in which order, under which headings.
pub struct Plan<'a> {
    pub section: &'a AnthologySection,
    /// `out/<slug>.pdf`, `out/<slug>.epub`.
    pub slug: String,
    /// The book's own metadata, as a document without text (title page,
    /// cover and package read it like a statement's).
    pub book: Document,
    pub preface: Option<Loaded>,
    /// Group headings (none when not grouped) and their statements.
    pub groups: Vec<(Option<String>, Vec<Entry<'a>>)>,
    pub layout: String,
    pub settings: Settings,
    /// Warnings about what the book will show (statements without a title).
    pub warnings: Vec<String>,
}

impl Plan<'_> {
    pub fn entries(&self) -> impl Iterator<Item = &Entry<'_>> {
        self.groups.iter().flat_map(|(_, e)| e)
    }
}

/// Plans the book from the statements that were read. `all` holds every
/// source of the project in build order, with what reading it gave; a
/// statement that failed makes the plan fail (a book with a hole is worse
/// than none).
pub fn plan<'a>(
    project: &'a Project,
    ctx: &Context,
    all: &'a [(PathBuf, Option<&'a Loaded>)],
) -> Result<Plan<'a>, Vec<SourceError>> {
    let section = project
        .config
        .anthology
        .as_ref()
        .expect("plan is called for projects with an [anthology]");
    let file = project
        .file
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::project::FILE));
    let at = |key: &str| crate::config::key_line(&project.text, "anthology", key);
    let mut errors = Vec::new();

    // Which statements.
    let rel = |p: &Path| source_name(p, &ctx.root);
    let mut chosen: Vec<&(PathBuf, Option<&Loaded>)> = Vec::new();
    let mut explicit = false;
    match &section.statements {
        None => chosen.extend(all.iter()),
        Some(list) => {
            explicit = list.iter().all(|s| !s.contains(['*', '?', '[']));
            for item in list {
                let wanted = item.trim_start_matches("./");
                if item.contains(['*', '?', '[']) {
                    let pattern = match glob::Pattern::new(wanted) {
                        Ok(p) => p,
                        Err(e) => {
                            errors.push(
                                SourceError::new(
                                    &file,
                                    at("statements"),
                                    format!("`{item}` is not a pattern: {}", e.msg),
                                )
                                .hint("patterns use `*`, `**` and `?`, e.g. \"sources/2026/*.md\""),
                            );
                            continue;
                        }
                    };
                    let options = glob::MatchOptions {
                        require_literal_separator: true,
                        ..glob::MatchOptions::new()
                    };
                    let before = chosen.len();
                    for s in all {
                        if pattern.matches_with(&rel(&s.0), options)
                            && !chosen.iter().any(|c| c.0 == s.0)
                        {
                            chosen.push(s);
                        }
                    }
                    if chosen.len() == before {
                        errors.push(
                            SourceError::new(&file, at("statements"), format!("`{item}` matches no statement"))
                                .hint("patterns are relative to the project folder, e.g. \"sources/2026/*.md\""),
                        );
                    }
                } else {
                    match all.iter().find(|s| rel(&s.0) == wanted) {
                        Some(s) if !chosen.iter().any(|c| c.0 == s.0) => chosen.push(s),
                        Some(_) => errors.push(
                            SourceError::new(&file, at("statements"), format!("`{item}` is listed twice"))
                                .hint("each statement appears once in the book"),
                        ),
                        None if ctx.root.join(wanted).is_file() => errors.push(
                            SourceError::new(&file, at("statements"), format!("`{item}` is not a statement: statements are the Markdown files in sources/"))
                                .hint("move it into sources/, or leave it out of `statements`"),
                        ),
                        None => errors.push(
                            SourceError::new(&file, at("statements"), format!("there is no statement `{item}`"))
                                .hint("list paths relative to the project folder, e.g. \"sources/housing-now.md\", or use a pattern"),
                        ),
                    }
                }
            }
        }
    }
    if chosen.is_empty() && errors.is_empty() {
        errors.push(
            SourceError::new(
                &file,
                at("statements").max(at("title")),
                "the anthology has no statements",
            )
            .hint("`statements` selects them; leave it out to collect every statement in sources/"),
        );
    }
    // A statement that failed leaves a hole: no book.
    for (path, loaded) in &chosen {
        if loaded.is_none() {
            errors.push(
                SourceError::new(
                    &file,
                    at("title"),
                    format!("the anthology is not built: {} failed", path.display()),
                )
                .hint("fix the statement (its error is above), or leave it out of `statements`"),
            );
        }
    }
    let lang = section
        .lang
        .as_ref()
        .or(project.config.project.language.as_ref())
        .map_or("en".to_string(), |l| l.0.clone());
    let layout = section
        .layout
        .as_ref()
        .map_or("book".to_string(), |l| l.0.clone());
    let own = crate::typst::world::own_layout(&ctx.root, &layout).is_some();
    if crate::typst::world::builtin_file(&layout).is_none() && !own {
        errors.push(
            SourceError::new(
                &file,
                at("layout"),
                format!("there is no layout `{layout}`"),
            )
            .hint(
                "the anthology's built-in layout is `book`; a project's own go in layouts/NAME.typ",
            ),
        );
    }
    if let Some(slug) = &section.slug
        && !valid_slug(slug)
    {
        errors.push(
            SourceError::new(&file, at("slug"), format!("`{slug}` is not a file name for the book"))
                .hint("a slug is letters, digits, `-`, `_` and `.`, not starting with `.`, e.g. \"statements-2026\""),
        );
    }
    if ["leaflet", "booklet", "base", "cover"].contains(&layout.as_str()) && !own {
        errors.push(
            SourceError::new(&file, at("layout"), format!("`{layout}` is a layout for single statements, not for a book"))
                .hint("a book layout exports `book`, `part`, `statement` and `preface`; the built-in one is `book`"),
        );
    }
    let preface = match &section.preface {
        Some(p) => match read_preface(&crate::project::under(&ctx.root, p), &lang, ctx) {
            Ok(l) => Some(l),
            Err(e) => {
                errors.push(
                    SourceError::new(&file, at("preface"), e)
                        .hint("`preface` names a Markdown file relative to the project folder"),
                );
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut entries: Vec<Entry> = chosen
        .iter()
        .filter_map(|(path, loaded)| {
            loaded.map(|loaded| Entry {
                loaded,
                source: rel(path),
            })
        })
        .collect();
    let order = section.order.as_ref().map(|o| o.0).unwrap_or(if explicit {
        Order::List
    } else {
        Order::DateAscending
    });
    sort(&mut entries, order);
    let groups = group(entries, section.group.as_ref().map(|g| g.0), &lang);

    let date = section
        .date
        .as_ref()
        .map(|d| d.0)
        .or_else(|| {
            groups
                .iter()
                .flat_map(|(_, e)| e)
                .filter_map(|e| e.loaded.doc.meta.date)
                .max()
        })
        .or(ctx.epoch_date);
    let book = book_document(section, project, &lang, date, &file);
    let slug = section.slug.clone().unwrap_or_else(|| slug(&section.title));
    let settings = Settings::resolve(&layout, &project.config.layout);
    let warnings = groups
        .iter()
        .flat_map(|(_, e)| e)
        .filter(|e| e.loaded.doc.meta.title.is_none())
        .map(|e| {
            format!(
                "{}: warning: no title: the anthology lists it as `{}`\n  hint: add `title:` to its front matter, or a first heading",
                e.source,
                crate::epub::xhtml::book_title(&e.loaded.doc)
            )
        })
        .collect();
    Ok(Plan {
        section,
        slug,
        book,
        preface,
        groups,
        layout,
        settings,
        warnings,
    })
}

/// Whether a slug makes one plain file name in `out/`.
fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Reads the preface: a Markdown file, its title from its front matter or
/// first heading, or the book language's word for a preface.
fn read_preface(path: &Path, lang: &str, ctx: &Context) -> Result<Loaded, String> {
    if !path.is_file() {
        return Err(format!("the preface {} does not exist", path.display()));
    }
    let mut ctx = ctx.clone();
    // The preface is not a statement: nothing is inferred but its title.
    let mut config = (*ctx.config).clone();
    config.defaults.infer = Some(false);
    if config.defaults.lang.is_none() {
        config.defaults.lang = Some(crate::config::Lang(lang.to_string()));
    }
    ctx.config = std::sync::Arc::new(config);
    let mut loaded = crate::build::load(path, &ctx).map_err(|e| e.to_string())?;
    let doc = &mut loaded.doc;
    if doc.meta.title.is_none() {
        if let Some(first) = doc.blocks.first()
            && let crate::document::BlockKind::Heading { content, .. } = &first.kind
        {
            doc.meta.title = Some(crate::document::plain_text(content).trim().to_string());
            doc.blocks.remove(0);
        } else {
            doc.meta.title = Some(crate::epub::xhtml::preface_label(&doc.meta.language()).into());
        }
    }
    // A preface is signed by its editors, if at all, in its own text.
    doc.meta.slogans.clear();
    Ok(loaded)
}

/// Orders the statements; ties keep the order of the sources.
fn sort(entries: &mut [Entry], order: Order) {
    let title = |e: &Entry| {
        e.loaded
            .doc
            .meta
            .title
            .clone()
            .unwrap_or_default()
            .to_lowercase()
    };
    let date = |e: &Entry| e.loaded.doc.meta.date;
    match order {
        Order::List => {}
        Order::Title => entries.sort_by_key(title),
        // Undated statements go last either way.
        Order::DateAscending => entries.sort_by_key(|e| (date(e).is_none(), date(e))),
        Order::DateDescending => {
            entries.sort_by_key(|e| (date(e).is_none(), std::cmp::Reverse(date(e))))
        }
    }
}

/// Groups ordered statements under headings, in the order each heading is
/// first met.
fn group<'a>(
    entries: Vec<Entry<'a>>,
    by: Option<Group>,
    book_lang: &str,
) -> Vec<(Option<String>, Vec<Entry<'a>>)> {
    let Some(by) = by else {
        return vec![(None, entries)];
    };
    let mut groups: Vec<(Option<String>, Vec<Entry>)> = Vec::new();
    for e in entries {
        let m = &e.loaded.doc.meta;
        let key = match by {
            Group::Year => m.date.map_or_else(
                || other_label(book_lang, 0).to_string(),
                |d| d.year.to_string(),
            ),
            Group::Language => language_name(&m.language(), book_lang),
            Group::Organisation => m
                .authors
                .first()
                .cloned()
                .unwrap_or_else(|| other_label(book_lang, 1).to_string()),
        };
        match groups
            .iter_mut()
            .find(|(k, _)| k.as_deref() == Some(key.as_str()))
        {
            Some((_, list)) => list.push(e),
            None => groups.push((Some(key), vec![e])),
        }
    }
    groups
}

/// The heading of statements without a date (0) or a signatory (1), in
/// the book's language.
fn other_label(book_lang: &str, which: usize) -> &'static str {
    let pair = match book_lang.split('-').next().unwrap_or("en") {
        "de" => ["Ohne Datum", "Ohne Unterschrift"],
        "fr" => ["Sans date", "Sans signature"],
        "es" => ["Sin fecha", "Sin firma"],
        "pt" => ["Sem data", "Sem assinatura"],
        "it" => ["Senza data", "Senza firma"],
        "nl" => ["Zonder datum", "Zonder ondertekening"],
        "pl" => ["Bez daty", "Bez podpisu"],
        "ru" => ["Без даты", "Без подписи"],
        "uk" => ["Без дати", "Без підпису"],
        "ar" => ["بلا تاريخ", "بلا توقيع"],
        "he" => ["ללא תאריך", "ללא חתימה"],
        _ => ["Undated", "Unsigned"],
    };
    pair[which]
}

/// A language's name in itself (the way a multilingual book lists them).
fn language_name(language: &str, _book_lang: &str) -> String {
    match language {
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "pt" => "Português",
        "it" => "Italiano",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "ru" => "Русский",
        "uk" => "Українська",
        "ar" => "العربية",
        "fa" => "فارسی",
        "he" => "עברית",
        "tr" => "Türkçe",
        "el" => "Ελληνικά",
        "ja" => "日本語",
        "zh" => "中文",
        other => other,
    }
    .to_string()
}

/// A file name from a title: lower-case ASCII letters and digits joined by
/// `-`; `anthology` when nothing is left.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "anthology".into()
    } else {
        out
    }
}

/// Latin letters without their accents, for slugs.
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        other => other,
    }
}

/// The book's metadata as a document with no text.
fn book_document(
    section: &AnthologySection,
    project: &Project,
    lang: &str,
    date: Option<Date>,
    file: &Path,
) -> Document {
    let language = lang.split('-').next().unwrap_or("en").to_ascii_lowercase();
    Document {
        path: file.to_path_buf(),
        meta: Meta {
            title: Some(section.title.clone()),
            subtitle: section.subtitle.clone(),
            authors: section
                .editors
                .as_ref()
                .map(|e| e.to_vec())
                .unwrap_or_default(),
            date,
            lang: lang.to_string(),
            dir: dir_of(&language),
            publisher: section
                .publisher
                .clone()
                .or_else(|| project.config.project.publisher.clone()),
            identifier: section.identifier.clone(),
            cover: section.cover.clone(),
            url: project.config.project.url.clone(),
            rights: project.config.project.rights.clone(),
            infer: Some(false),
            ..Meta::default()
        },
        blocks: Vec::new(),
        footnotes: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The book's Typst source, and where each part of it came from.
pub struct BookSource {
    pub text: String,
    /// `(byte offset, Markdown file, line)` where the source behind the text changes.
    pub map: Vec<(usize, PathBuf, usize)>,
}

impl BookSource {
    /// The Markdown file and line behind a byte offset.
    pub fn origin(&self, offset: usize) -> Option<(&Path, usize)> {
        let i = self.map.partition_point(|(at, _, _)| *at <= offset);
        i.checked_sub(1)
            .map(|i| (self.map[i].1.as_path(), self.map[i].2))
            .filter(|(_, l)| *l > 0)
    }
}

/// One thing after the front matter, in the book's order.
#[derive(Clone, Copy)]
enum Item<'p, 'a> {
    /// A group heading.
    Part(&'p str),
    /// A statement, with its number in the book (from 1).
    Statement(usize, &'p Entry<'a>),
}

fn items<'p, 'a>(plan: &'p Plan<'a>) -> Vec<Item<'p, 'a>> {
    let mut out = Vec::new();
    let mut n = 0;
    for (heading, entries) in &plan.groups {
        if let Some(h) = heading {
            out.push(Item::Part(h));
        }
        for e in entries {
            n += 1;
            out.push(Item::Statement(n, e));
        }
    }
    out
}

/// What one compilation of the book lays out.
#[derive(Clone)]
pub enum Slice<'s> {
    /// The whole book (the `.typ` a user gets, and the PDF of a book that
    /// fits one compilation).
    Whole,
    /// The front matter, contents and preface, with every statement as a
    /// stand-in that knows the page of the book it opens on (while those
    /// are not known, a number of as many digits).
    Front(Option<&'s [usize]>),
    /// Items `range` (parts and statements, in the book's order), the
    /// first on page `first` of the book, then the next item's opening.
    Items { range: Range<usize>, first: usize },
}

/// Writes the whole book: the layout's `book` over the whole, an optional
/// preface, `part` headings when grouped, and one `statement` each.
pub fn typst_source(plan: &Plan) -> BookSource {
    typst_slice(plan, &Slice::Whole)
}

/// Writes what one compilation of the book lays out (see [`Slice`]).
pub fn typst_slice(plan: &Plan, slice: &Slice) -> BookSource {
    let mut text = String::new();
    let mut map = Vec::new();
    let whole = matches!(slice, Slice::Whole);
    text.push_str(&format!(
        "#import {}: book, part, statement, preface{}\n",
        string_literal(&format!("/layouts/{}.typ", plan.layout)),
        if whole { "" } else { ", elsewhere" }
    ));
    text.push_str(&format!(
        "// Generated by pamphleteer from {} ([anthology]). Edit the Markdown, not this file.\n",
        single_line(&plan.book.path.display().to_string())
    ));
    let docs: Vec<&Document> = plan
        .preface
        .iter()
        .map(|p| &p.doc)
        .chain(plan.entries().map(|e| &e.loaded.doc))
        .collect();
    if docs.iter().any(|d| has_task_lists(d)) {
        text.push_str(TASK_BOX);
    }
    let m = &plan.book.meta;
    let marks = marks_for(&m.language(), m.region().as_deref());
    let smart = |s: &str| Quoter::new().smarten(s, &marks);
    let shown = |v: &Option<String>| {
        v.as_deref()
            .map_or("none".to_string(), |s| string_literal(&smart(s)))
    };
    let opt = |v: &Option<String>| v.as_deref().map_or("none".to_string(), string_literal);
    let language = m.language();
    let labels = crate::epub::xhtml::labels(&language);
    let entries = [
        ("title", shown(&m.title)),
        ("subtitle", shown(&m.subtitle)),
        (
            "editors",
            array(&m.authors.iter().map(|a| smart(a)).collect::<Vec<_>>()),
        ),
        ("publisher", shown(&m.publisher)),
        ("date", datetime_literal(m.date)),
        ("date-text", date_text_literal(m.date, &language)),
        ("lang", string_literal(&language)),
        ("region", opt(&m.region())),
        ("dir", m.dir.as_str().to_string()),
        ("rights", opt(&m.rights)),
        ("url", opt(&m.url)),
        (
            "grouped",
            plan.groups.iter().any(|(g, _)| g.is_some()).to_string(),
        ),
        (
            "labels",
            format!(
                "(contents: {}, preface: {})",
                string_literal(labels.contents),
                string_literal(crate::epub::xhtml::preface_label(&language))
            ),
        ),
        (
            "source",
            string_literal(&plan.book.path.display().to_string()),
        ),
    ];
    text.push_str(&format!(
        "#show: book.with(\n  meta: {},\n  settings: {},{}\n)\n\n",
        dict(&entries, "  "),
        plan.settings.to_typst("  "),
        if matches!(slice, Slice::Items { .. }) {
            "\n  front: false,"
        } else {
            ""
        }
    ));
    let mut put = |text: &mut String, doc: &Document, markup: &str, lines: Vec<(usize, usize)>| {
        let start = text.len();
        for (at, line) in lines {
            map.push((start + at, doc.path.clone(), line));
        }
        text.push_str(markup);
        map.push((text.len(), PathBuf::new(), 0));
    };
    let items = items(plan);
    if let (Some(p), Slice::Whole | Slice::Front(_)) = (&plan.preface, slice) {
        let (markup, lines) = body(&p.doc, "p-");
        let pm = &p.doc.meta;
        text.push_str(&format!(
            "#preface(title: {}, lang: {}, region: {}, dir: {})[\n",
            string_literal(&smart(pm.title.as_deref().unwrap_or_default())),
            string_literal(&pm.language()),
            opt(&pm.region()),
            pm.dir.as_str()
        ));
        put(&mut text, &p.doc, &markup, lines);
        text.push_str("\n]\n\n");
    }
    // An item as itself, or as a stand-in opening on page `page` of the
    // book ("auto": not known).
    let mut item = |text: &mut String, item: Item, page: Option<String>| match item {
        Item::Part(h) => text.push_str(&format!("#part({})\n\n", string_literal(h))),
        Item::Statement(n, e) => {
            let meta = meta_dict(&in_book(&e.loaded.doc.meta), &e.source);
            match page {
                Some(page) => {
                    text.push_str(&format!("#statement(meta: {meta}, page: {page})[]\n\n"))
                }
                None => {
                    let doc = &e.loaded.doc;
                    let (markup, lines) = body(doc, &format!("s{n}-"));
                    text.push_str(&format!("#statement(meta: {meta})[\n"));
                    put(text, doc, &markup, lines);
                    text.push_str("\n]\n\n");
                }
            }
        }
    };
    match slice {
        Slice::Whole => {
            for i in &items {
                item(&mut text, *i, None);
            }
        }
        Slice::Front(pages) => {
            // (Guessed: six pages a statement.)
            let guess = 10usize.pow((6 * items.len().max(1)).ilog10());
            for (k, i) in items.iter().enumerate() {
                let page = pages.map_or(guess, |p| p[k]);
                item(&mut text, *i, Some(page.to_string()));
            }
        }
        Slice::Items { range, first } => {
            // The part the first statement is under, set elsewhere: its
            // heading (on a page that is not kept) makes the statements'
            // headings one level below it, as in the whole book. It takes
            // two pages: its own and the blank back.
            let under = match items.get(range.start) {
                Some(Item::Statement(..)) => items[..range.start]
                    .iter()
                    .rev()
                    .find(|i| matches!(i, Item::Part(_))),
                _ => None,
            };
            let lead = if under.is_some() { 2 } else { 0 };
            text.push_str(&format!("#elsewhere(page: {})\n\n", first - lead));
            if let Some(part) = under {
                item(&mut text, *part, None);
            }
            for i in &items[range.clone()] {
                item(&mut text, *i, None);
            }
            if let Some(next) = items.get(range.end) {
                item(&mut text, *next, Some("auto".into()));
            }
        }
    }
    BookSource { text, map }
}

/// A statement's metadata inside the book: the project's address and
/// rights are the book's imprint, not repeated under every signature.
pub fn in_book(meta: &Meta) -> Meta {
    Meta {
        url: None,
        rights: None,
        collection: None,
        ..meta.clone()
    }
}

/// The book compiled, with what Typst warned about.
pub struct CompiledBook {
    pub document: PagedDocument,
    pub warnings: Vec<String>,
}

/// Compiles the book in-process.
pub fn compile(plan: &Plan, source: &BookSource, ctx: &Context) -> Result<CompiledBook, Failure> {
    let world = BuildWorld::new(
        ctx.shared.clone(),
        &ctx.root,
        source.text.clone(),
        format!("{}.typ (generated)", plan.slug),
        plan.book.meta.date.or(ctx.epoch_date),
    );
    let result = typst::compile::<PagedDocument>(&world);
    let render = |d: &typst::diag::SourceDiagnostic| {
        let mut text = crate::build::emit_diagnostics(&world, std::slice::from_ref(d));
        if d.span.id() == Some(world.main_source().id())
            && let Some(range) = typst::WorldExt::range(&world, d.span)
            && let Some((path, line)) = source.origin(range.start)
        {
            text.push_str(&format!(
                "  = note: this code was written for {}:{line}\n\n",
                path.display()
            ));
        }
        text
    };
    match result.output {
        Ok(document) => Ok(CompiledBook {
            document,
            warnings: result.warnings.iter().map(render).collect(),
        }),
        Err(errors) => Err(Failure::Typst(errors.iter().map(render).collect())),
    }
}

/// The book's PDF, with what making it reported.
pub struct BookPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Typst's warnings (each once) and notes on what the PDF claims.
    pub report: Vec<String>,
}

/// About how much Markdown one compilation of the book lays out: some 25
/// statements of 1,500 words, 160 A5 pages. Typst holds about a megabyte a
/// page while it lays a document out, so a longer book is compiled in parts
/// of this size whose PDFs are joined; a shorter one in one piece. The
/// environment variable `PAMPHLETEER_BOOK_PART_BYTES` sets another size.
pub const PART_BYTES: usize = 256 * 1024;

fn part_bytes() -> usize {
    std::env::var("PAMPHLETEER_BOOK_PART_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PART_BYTES)
}

/// The items split into runs of about `budget` bytes of markup each.
fn split(items: &[Item], budget: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, i) in items.iter().enumerate() {
        if let Item::Statement(_, e) = i {
            let weight = body(&e.loaded.doc, "").0.len();
            if size > 0 && size + weight > budget {
                // A part heading goes with what follows it.
                let cut = if k > start && matches!(items[k - 1], Item::Part(_)) {
                    k - 1
                } else {
                    k
                };
                if cut > start {
                    ranges.push(start..cut);
                    start = cut;
                    size = 0;
                }
            }
            size += weight;
        }
    }
    if start < items.len() || ranges.is_empty() {
        ranges.push(start..items.len());
    }
    ranges
}

/// The book as a PDF: PDF/A-2b with a date, PDF/UA-1 when every statement
/// has a title and every image alt text. A book longer than [`PART_BYTES`]
/// is compiled in parts (see [`crate::pdfjoin`]): the front matter with
/// every statement as a one-page stand-in, for its length; then each run
/// of statements after that many blank pages, which gives their page
/// counts; then the front matter again with stand-ins of those lengths, so
/// that the contents have the right pages and links. Each compilation is
/// dropped before the next, so memory follows the longest part, not the
/// book.
pub fn pdf(plan: &Plan, ctx: &Context) -> Result<BookPdf, Failure> {
    let (standards, notes) = claims(plan, ctx);
    let options = crate::build::pdf_options(
        format!("pamphleteer/anthology/{}", plan.slug),
        plan.book.meta.date.or(ctx.epoch_date),
        &standards,
    )?;
    let mut report: Vec<String> = Vec::new();
    let mut run = |slice: &Slice| -> Result<PagedDocument, Failure> {
        // Nothing a previous compilation left in Typst's cache helps this one.
        typst::comemo::evict(0);
        let book = compile(plan, &typst_slice(plan, slice), ctx)?;
        for w in book.warnings {
            if !report.contains(&w) {
                report.push(w);
            }
        }
        Ok(book.document)
    };
    let export = |document: &PagedDocument| export(document, &options);
    let items = items(plan);
    let ranges = split(&items, part_bytes());
    if ranges.len() == 1 {
        let document = run(&Slice::Whole)?;
        let bytes = export(&document)?;
        report.extend(notes);
        return Ok(BookPdf {
            bytes,
            pages: document.pages().len(),
            report,
        });
    }
    let mismatch = |what: &str| {
        Failure::Typst(format!(
            "error: the book: {what}\n  = hint: the parts of a long book must lay out as the whole does; set PAMPHLETEER_BOOK_PART_BYTES larger than the book's Markdown to compile it in one piece\n"
        ))
    };
    let mut front = openings(&run(&Slice::Front(None))?)[0] - 1;
    for _ in 0..3 {
        // Page numbers from 1: where each item opens, where each run starts.
        let mut opens_at = vec![0; items.len() + 1];
        let mut parts = Vec::new();
        let mut start = front + 1;
        for range in &ranges {
            let document = run(&Slice::Items {
                range: range.clone(),
                first: start,
            })?;
            // The openings: perhaps a stand-in for the part the run is
            // under, the run's items, the next item's, the end.
            let opens = openings(&document);
            let next = usize::from(range.end < items.len());
            let lead = opens.len().checked_sub(range.len() + next + 1);
            let Some(lead) = lead.filter(|l| *l <= 1) else {
                return Err(mismatch("a part of it has sections missing"));
            };
            let opens = &opens[lead..];
            // Physical page p (from 1) is page p + shift of the book.
            let Some(shift) = start.checked_sub(opens[0]) else {
                return Err(mismatch("a part of it does not start on its page"));
            };
            for (k, i) in range.clone().chain(range.end..range.end + 1).enumerate() {
                opens_at[i] = opens[k] + shift;
            }
            let end = opens[range.len()] + shift;
            let pdf = export(&document)?;
            let count = document.pages().len();
            drop(document);
            typst::comemo::evict(0);
            parts.push(crate::pdfjoin::Part {
                pdf,
                pages: (1..=count).map(|p| (p + shift).checked_sub(1)).collect(),
                sets: start - 1..end - 1,
            });
            start = end;
        }
        let total = start - 1;
        let document = run(&Slice::Front(Some(&opens_at[..items.len()])))?;
        let opens = openings(&document);
        if opens[0] - 1 != front {
            // The contents took another number of pages with the real page
            // numbers: lay the statements out again after them.
            front = opens[0] - 1;
            continue;
        }
        if opens.len() != items.len() + 1 {
            return Err(mismatch("its front matter does not hold every section"));
        }
        // The front matter's own pages, then each stand-in's opening.
        let mut pages: Vec<Option<usize>> = vec![None; document.pages().len()];
        for (p, page) in pages.iter_mut().enumerate().take(front) {
            *page = Some(p);
        }
        for (k, o) in opens[..items.len()].iter().enumerate() {
            pages[o - 1] = Some(opens_at[k] - 1);
        }
        parts.insert(
            0,
            crate::pdfjoin::Part {
                pdf: export(&document)?,
                pages,
                sets: 0..front,
            },
        );
        drop(document);
        typst::comemo::evict(0);
        let bytes = crate::pdfjoin::join(&parts)
            .map_err(|e| Failure::Typst(format!("error: the book: {e}\n")))?;
        report.extend(notes);
        return Ok(BookPdf {
            bytes,
            pages: total,
            report,
        });
    }
    Err(mismatch("its contents do not settle on a number of pages"))
}

/// The pages (from 1) on which the parts and statements of a compiled book
/// open, in order, then the page after its last.
fn openings(document: &PagedDocument) -> Vec<usize> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::{Introspector, MetadataElem};
    let intro = document.introspector();
    let mut out = Vec::new();
    if let Some(label) = Label::new(typst::utils::PicoStr::intern("pamphleteer-book-mark")) {
        for c in intro.query(&Selector::Label(label)).iter() {
            let Some(m) = c.to_packed::<MetadataElem>() else {
                continue;
            };
            let Value::Dict(d) = &m.value else { continue };
            let field = |k: &str| d.get(k).ok().and_then(|v| v.clone().cast::<String>().ok());
            if field("kind").as_deref() == Some("open")
                && matches!(field("role").as_deref(), Some("statement" | "part"))
                && let Some(page) = c.location().and_then(|l| intro.page(l))
            {
                out.push(page.get());
            }
        }
    }
    out.push(document.pages().len() + 1);
    out
}

/// What the book's PDF claims (PDF/A-2b with a date; PDF/UA-1 when every
/// statement has a title and every image alt text), and why not the rest.
fn claims(plan: &Plan, ctx: &Context) -> (Vec<PdfStandard>, Vec<String>) {
    let mut standards = Vec::new();
    let mut notes = Vec::new();
    if plan.book.meta.date.or(ctx.epoch_date).is_some() {
        standards.push(PdfStandard::A_2b);
    } else {
        notes.push(format!(
            "{}: warning: the book is exported without a PDF/A claim: no statement has a date (set `date` under [anthology] or SOURCE_DATE_EPOCH)",
            plan.book.path.display()
        ));
    }
    let untitled: Vec<String> = plan
        .entries()
        .filter(|e| e.loaded.doc.meta.title.is_none())
        .map(|e| e.source.clone())
        .collect();
    let no_alt: Vec<String> = plan
        .entries()
        .filter(|e| !e.loaded.images_without_alt.is_empty())
        .map(|e| e.source.clone())
        .collect();
    if untitled.is_empty() && no_alt.is_empty() {
        standards.push(PdfStandard::Ua_1);
    } else {
        let mut why = Vec::new();
        if !untitled.is_empty() {
            why.push(format!("a title for {}", untitled.join(", ")));
        }
        if !no_alt.is_empty() {
            why.push(format!("alt text for the images in {}", no_alt.join(", ")));
        }
        notes.push(format!(
            "{}: warning: the book is exported without a PDF/UA-1 claim: it needs {}",
            plan.book.path.display(),
            why.join(" and ")
        ));
    }
    (standards, notes)
}

fn export(document: &PagedDocument, options: &typst_pdf::PdfOptions) -> Result<Vec<u8>, Failure> {
    typst_pdf::pdf(document, options).map_err(|errors| {
        let mut seen = std::collections::HashSet::new();
        Failure::Typst(
            errors
                .iter()
                .filter(|e| seen.insert(e.message.clone()))
                .take(3)
                .map(|e| format!("error: the book: {}\n", e.message))
                .collect(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Statements 2026"), "statements-2026");
        assert_eq!(slug("  Wasser für alle! "), "wasser-fur-alle");
        assert_eq!(slug("النقل العام"), "anthology");
        assert_eq!(slug("Déclarations — l'année"), "declarations-l-annee");
    }
}
