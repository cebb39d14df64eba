//! The anthology planned: which statements go into the book, in which
//! order, under which headings, and the book's own metadata. Checks the
//! `[anthology]` section against the project.

use std::path::{Path, PathBuf};

use crate::model::diagnostics::{Diagnostic, Severity};
use crate::model::document::{Date, Document, Meta};
use crate::model::lang::dir_of;
use crate::model::names::slug;
use crate::project::Project;
use crate::project::config::{AnthologySection, Grouping, Order};
use crate::project::context::Context;
use crate::project::settings::Settings;
use crate::project::statement::{Loaded, load, source_name};

/// A statement's place in the book.
pub struct BookEntry<'a> {
    pub loaded: &'a Loaded,
    /// Root-relative source path (`sources/2026/x.md`).
    pub source: String,
    /// A translation set after its original, under the original's entry
    /// in the contents.
    pub translation: bool,
}

/// The book, planned: what goes in, in which order, under which headings.
pub struct BookPlan<'a> {
    pub section: &'a AnthologySection,
    /// `out/<slug>.pdf`, `out/<slug>.epub`.
    pub slug: String,
    /// The book's own metadata, as a document without text (title page,
    /// cover and package read it like a statement's).
    pub book: Document,
    pub preface: Option<Loaded>,
    /// Group headings (none when not grouped) and their statements.
    pub groups: Vec<(Option<String>, Vec<BookEntry<'a>>)>,
    pub layout: String,
    pub settings: Settings,
    /// Warnings about what the book will show (statements without a title).
    pub warnings: crate::model::diagnostics::Report,
}

impl BookPlan<'_> {
    pub fn entries(&self) -> impl Iterator<Item = &BookEntry<'_>> {
        self.groups.iter().flat_map(|(_, e)| e)
    }
}

/// Plans the book from the statements that were read. `all` holds every
/// source of the project in build order, with what reading it gave; a
/// statement that failed makes the plan fail (a book with a hole is worse
/// than none). Every problem with `[anthology]` is reported at once, at
/// its key's line.
pub fn plan<'a>(
    project: &'a Project,
    ctx: &Context,
    all: &'a [(PathBuf, Option<&'a Loaded>)],
) -> Result<BookPlan<'a>, Vec<Diagnostic>> {
    let section = project
        .config
        .anthology
        .as_ref()
        .expect("plan is called for projects with an [anthology]");
    let section_at = SectionAt {
        file: project
            .file
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::project::FILE)),
        text: &project.text,
    };
    let mut errors = Vec::new();
    let (chosen, explicit) = choose(section, all, &ctx.root, &section_at, &mut errors);
    // (The book in one language is in that language.)
    let lang = section
        .lang
        .as_ref()
        .map(|l| l.0.clone())
        .or_else(|| section.edition.as_ref().map(|e| e.0.clone()))
        .or_else(|| {
            project
                .config
                .project
                .language
                .as_ref()
                .map(|l| l.0.clone())
        })
        .unwrap_or_else(|| "en".to_string());
    let (layout, preface) = check_section(section, ctx, &lang, &section_at, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let file = section_at.file;
    let rel = |p: &Path| source_name(p, &ctx.root);
    let mut entries: Vec<BookEntry> = chosen
        .iter()
        .filter_map(|(path, loaded)| {
            loaded.map(|loaded| BookEntry {
                loaded,
                source: rel(path),
                translation: false,
            })
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(edition) = &section.edition {
        entries = one_edition(entries, &edition.0, &mut notes);
    }
    let translations = take_translations(&mut entries);
    let order = section.order.as_ref().map(|o| o.0).unwrap_or(if explicit {
        Order::List
    } else {
        Order::DateAscending
    });
    sort(&mut entries, order);
    let mut groups = group(entries, section.group.as_ref().map(|g| g.0), &lang);
    after_originals(&mut groups, translations);

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
    let mut warnings = crate::model::diagnostics::Report::default();
    for n in notes {
        warnings.push(Severity::Note, format!("{}: note: {n}", file.display()));
    }
    for e in groups
        .iter()
        .flat_map(|(_, e)| e)
        .filter(|e| e.loaded.doc.meta.title.is_none())
    {
        warnings.push(Severity::Warning, format!(
            "{}: warning: no title: the anthology lists it as `{}`\n  hint: add `title:` to its front matter, or a first heading",
            e.source,
            e.loaded.doc.book_title()
        ));
    }
    Ok(BookPlan {
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

/// The book in one language: of each statement's editions chosen, the
/// one in `lang`, or the original where there is none (a note names
/// those). A statement without translations stays, whatever its language.
fn one_edition<'a>(
    entries: Vec<BookEntry<'a>>,
    lang: &str,
    notes: &mut Vec<String>,
) -> Vec<BookEntry<'a>> {
    // (`pt` takes `pt-BR` too.)
    let same = |l: &str| crate::model::lang::in_language(l, lang);
    let original = |e: &BookEntry| e.loaded.doc.meta.editions.first().map(|o| o.source.clone());
    let has_it: Vec<PathBuf> = entries
        .iter()
        .filter(|e| same(&e.loaded.doc.meta.lang))
        .filter_map(original)
        .collect();
    let mut stand_ins = Vec::new();
    let kept: Vec<BookEntry> = entries
        .into_iter()
        .filter(|e| {
            let meta = &e.loaded.doc.meta;
            let Some(first) = meta.editions.first() else {
                if !same(&meta.lang) {
                    stand_ins.push(format!(
                        "{} ({})",
                        e.source,
                        crate::model::lang::autonym(&meta.lang).unwrap_or(&meta.lang)
                    ));
                }
                return true;
            };
            if same(&meta.lang) {
                return true;
            }
            let keep = first.this && !has_it.contains(&first.source);
            if keep {
                stand_ins.push(format!(
                    "{} ({})",
                    e.source,
                    crate::model::lang::autonym(&meta.lang).unwrap_or(&meta.lang)
                ));
            }
            keep
        })
        .collect();
    if !stand_ins.is_empty() {
        let name = crate::model::lang::autonym(lang).unwrap_or(lang);
        notes.push(format!(
            "{} statement{} {} no {name} edition: the book holds the original{}: {}",
            stand_ins.len(),
            if stand_ins.len() == 1 { "" } else { "s" },
            if stand_ins.len() == 1 { "has" } else { "have" },
            if stand_ins.len() == 1 { "" } else { "s" },
            stand_ins.join(", ")
        ));
    }
    kept
}

/// Takes out the translations whose original is in the book: they are
/// set after it (see [`after_originals`]).
fn take_translations<'a>(entries: &mut Vec<BookEntry<'a>>) -> Vec<BookEntry<'a>> {
    let originals: Vec<PathBuf> = entries
        .iter()
        .filter(|e| e.loaded.doc.meta.editions.first().is_some_and(|o| o.this))
        .map(|e| e.loaded.doc.path.clone())
        .collect();
    let (translations, rest): (Vec<BookEntry>, Vec<BookEntry>) =
        std::mem::take(entries).into_iter().partition(|e| {
            e.loaded
                .doc
                .meta
                .editions
                .first()
                .is_some_and(|o| !o.this && originals.contains(&o.source))
        });
    *entries = rest;
    translations
}

/// Sets each translation after its original (and the translations before
/// it), in the order of their editions: original first, then by language.
fn after_originals<'a>(
    groups: &mut [(Option<String>, Vec<BookEntry<'a>>)],
    translations: Vec<BookEntry<'a>>,
) {
    for mut t in translations {
        t.translation = true;
        let original = t.loaded.doc.meta.editions[0].source.clone();
        for (_, list) in groups.iter_mut() {
            if let Some(at) = list.iter().position(|e| e.loaded.doc.path == original) {
                let mut end = at + 1;
                while end < list.len() && list[end].translation {
                    end += 1;
                }
                list.insert(end, t);
                break;
            }
        }
    }
}

/// Where the `[anthology]` section's keys are written, for messages.
struct SectionAt<'p> {
    file: PathBuf,
    text: &'p str,
}

impl SectionAt<'_> {
    fn line(&self, key: &str) -> usize {
        crate::project::config::key_line(self.text, "anthology", key)
    }

    fn error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file, self.line(key), message)
    }
}

/// The statements `statements` chooses (all of them without it), each
/// once, in the order chosen; and whether they were listed one by one
/// (then the list is the book's order). A statement that failed is
/// chosen too, and reported: the book would have a hole.
fn choose<'a>(
    section: &AnthologySection,
    all: &'a [(PathBuf, Option<&'a Loaded>)],
    root: &Path,
    at: &SectionAt,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<&'a (PathBuf, Option<&'a Loaded>)>, bool) {
    let rel = |p: &Path| source_name(p, root);
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
                                at.error(
                                    "statements",
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
                            at.error("statements", format!("`{item}` matches no statement"))
                                .hint("patterns are relative to the project folder, e.g. \"sources/2026/*.md\""),
                        );
                    }
                } else {
                    match all.iter().find(|s| rel(&s.0) == wanted) {
                        Some(s) if !chosen.iter().any(|c| c.0 == s.0) => chosen.push(s),
                        Some(_) => errors.push(
                            at.error("statements", format!("`{item}` is listed twice"))
                                .hint("each statement appears once in the book"),
                        ),
                        None if root.join(wanted).is_file() => errors.push(
                            at.error("statements", format!("`{item}` is not a statement: statements are the Markdown files in sources/"))
                                .hint("move it into sources/, or leave it out of `statements`"),
                        ),
                        None => errors.push(
                            at.error("statements", format!("there is no statement `{item}`"))
                                .hint("list paths relative to the project folder, e.g. \"sources/housing-now.md\", or use a pattern"),
                        ),
                    }
                }
            }
        }
    }
    if chosen.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::new(
                &at.file,
                at.line("statements").max(at.line("title")),
                "the anthology has no statements",
            )
            .hint("`statements` selects them; leave it out to collect every statement in sources/"),
        );
    }
    // A statement that failed leaves a hole: no book.
    for (path, loaded) in &chosen {
        if loaded.is_none() {
            errors.push(
                at.error(
                    "title",
                    format!("the anthology is not built: {} failed", path.display()),
                )
                .hint("fix the statement (its error is above), or leave it out of `statements`"),
            );
        }
    }
    (chosen, explicit)
}

/// Checks the section's layout, slug and preface against the project;
/// returns the layout's name and the preface, read.
fn check_section(
    section: &AnthologySection,
    ctx: &Context,
    lang: &str,
    at: &SectionAt,
    errors: &mut Vec<Diagnostic>,
) -> (String, Option<Loaded>) {
    let layout = section
        .layout
        .as_ref()
        .map_or("book".to_string(), |l| l.0.clone());
    let own = crate::project::registry::own_layout(&ctx.root, &layout).is_some();
    if crate::project::registry::builtin_file(&layout).is_none() && !own {
        errors.push(
            at.error("layout", format!("there is no layout `{layout}`"))
            .hint(
                "the anthology's built-in layout is `book`; a project's own go in layouts/NAME.typ",
            ),
        );
    }
    if let Some(slug) = &section.slug
        && !valid_slug(slug)
    {
        errors.push(
            at.error("slug", format!("`{slug}` is not a file name for the book"))
                .hint("a slug is letters, digits, `-`, `_` and `.`, not starting with `.`, e.g. \"statements-2026\""),
        );
    }
    if ["leaflet", "booklet", "base", "cover"].contains(&layout.as_str()) && !own {
        errors.push(
            at.error("layout", format!("`{layout}` is a layout for single statements, not for a book"))
                .hint("a book layout exports `book`, `part`, `statement` and `preface`; the built-in one is `book`"),
        );
    }
    let preface = match &section.preface {
        Some(p) => {
            let path = crate::project::under(&ctx.root, p);
            if !path.is_file() {
                errors.push(
                    at.error(
                        "preface",
                        format!("the preface {} does not exist", path.display()),
                    )
                    .hint("`preface` names a Markdown file relative to the project folder"),
                );
                None
            } else {
                match read_preface(&path, lang, ctx) {
                    Ok(l) => Some(l),
                    // (What is wrong is in the preface, at its line.)
                    Err(e) => {
                        errors.extend(e);
                        None
                    }
                }
            }
        }
        None => None,
    };
    if let Some(cover) = &section.cover {
        let path = crate::project::under(&ctx.root, cover);
        if !path.is_file() {
            errors.push(
                at.error("cover", format!("the cover {} does not exist", path.display()))
                    .hint("`cover` names a picture (PNG, JPEG, GIF, WebP or SVG) relative to the project folder; without it the cover is drawn"),
            );
        }
    }
    (layout, preface)
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
fn read_preface(path: &Path, lang: &str, ctx: &Context) -> Result<Loaded, Vec<Diagnostic>> {
    let mut ctx = ctx.clone();
    // The preface is not a statement: nothing is inferred but its title.
    let mut config = (*ctx.config).clone();
    config.defaults.infer = Some(false);
    if config.defaults.lang.is_none() {
        config.defaults.lang = Some(crate::project::config::Lang(lang.to_string()));
    }
    ctx.config = std::sync::Arc::new(config);
    let mut loaded = load(path, &ctx)?;
    let doc = &mut loaded.doc;
    if doc.meta.title.is_none() {
        if let Some(first) = doc.blocks.first()
            && let crate::model::document::BlockKind::Heading { content, .. } = &first.kind
        {
            doc.meta.title = Some(
                crate::model::document::plain_text(content)
                    .trim()
                    .to_string(),
            );
            doc.blocks.remove(0);
        } else {
            doc.meta.title = Some(
                crate::model::lang::labels(&doc.meta.language())
                    .preface
                    .into(),
            );
        }
    }
    // A preface is signed by its editors, if at all, in its own text.
    doc.meta.slogans.clear();
    Ok(loaded)
}

/// Orders the statements; ties keep the order of the sources.
fn sort(entries: &mut [BookEntry], order: Order) {
    let title = |e: &BookEntry| {
        e.loaded
            .doc
            .meta
            .title
            .clone()
            .unwrap_or_default()
            .to_lowercase()
    };
    let date = |e: &BookEntry| e.loaded.doc.meta.date;
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
    entries: Vec<BookEntry<'a>>,
    by: Option<Grouping>,
    book_lang: &str,
) -> Vec<(Option<String>, Vec<BookEntry<'a>>)> {
    let Some(by) = by else {
        return vec![(None, entries)];
    };
    let mut groups: Vec<(Option<String>, Vec<BookEntry>)> = Vec::new();
    for e in entries {
        let m = &e.loaded.doc.meta;
        let key = match by {
            Grouping::Year => m.date.map_or_else(
                || other_label(book_lang, 0).to_string(),
                |d| d.year.to_string(),
            ),
            Grouping::Language => crate::model::lang::autonym(&m.language())
                .map_or_else(|| m.language(), str::to_string),
            Grouping::Organisation => m
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
        anchors: Vec::new(),
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
        warnings: Default::default(),
    }
}

/// One thing after the front matter, in the book's order.
#[derive(Clone, Copy)]
pub enum Item<'p, 'a> {
    /// A group heading.
    Part(&'p str),
    /// A statement, with its number in the book (from 1).
    Statement(usize, &'p BookEntry<'a>),
}

pub fn items<'p, 'a>(plan: &'p BookPlan<'a>) -> Vec<Item<'p, 'a>> {
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
