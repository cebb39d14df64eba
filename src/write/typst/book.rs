//! The anthology's Typst source: the whole book, or one slice of it for a
//! book compiled in parts.

use std::ops::Range;
use std::path::{Path, PathBuf};

use std::collections::HashSet;

use crate::model::document::{Document, Event, Inline, Meta, Node, Xref, XrefTarget};
use crate::project::book::{BookPlan, Item, items};
use crate::write::typst::escape::{single_line, string_literal};
use crate::write::typst::statement::{
    BookLinks, MARK_DEF, TASK_BOX, body, has_task_lists, meta_dict,
};
use crate::write::typst::values::{MetaValues, dict, plain};

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
pub fn typst_source(plan: &BookPlan) -> BookSource {
    typst_slice(plan, &Slice::Whole)
}

/// Writes what one compilation of the book lays out (see [`Slice`]).
pub fn typst_slice(plan: &BookPlan, slice: &Slice) -> BookSource {
    let mut text = String::new();
    let mut map = Vec::new();
    let v = header(plan, slice, &mut text);
    let mut put = |text: &mut String, doc: &Document, markup: &str, lines: Vec<(usize, usize)>| {
        let start = text.len();
        for (at, line) in lines {
            map.push((start + at, doc.path.clone(), line));
        }
        text.push_str(markup);
        map.push((text.len(), PathBuf::new(), 0));
    };
    let items = items(plan);
    let links = book_links(&items, slice);
    if let (Some(p), Slice::Whole | Slice::Front(_)) = (&plan.preface, slice) {
        let (markup, lines) = body(&p.doc, "p-", 0, Some(&links));
        let pm = &p.doc.meta;
        text.push_str(&format!(
            "#preface(title: {}, lang: {}, region: {}, dir: {})[\n",
            string_literal(&v.smart(pm.title.as_deref().unwrap_or_default())),
            string_literal(&pm.language()),
            plain(&pm.region()),
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
            let mut meta = meta_dict(&in_book(&e.loaded.doc.meta), &e.source, false);
            // The title a link points at is labelled `s{n}`; a translation
            // set after its original is under the original's entry.
            if links.targeted.contains(&(n, 0)) {
                meta.insert_str(meta.len() - 1, &format!("  anchor: \"s{n}\",\n"));
            }
            if e.translation {
                meta.insert_str(meta.len() - 1, "  translation: true,\n");
            }
            // Its other editions in the book: links to them here, not to
            // their online editions.
            if let Some(here) = edition_links(&e.loaded.doc, &links) {
                meta.insert_str(meta.len() - 1, &format!("  edition-links: ({here},),\n"));
            }
            match page {
                Some(page) => {
                    text.push_str(&format!("#statement(meta: {meta}, page: {page})[]\n\n"))
                }
                None => {
                    let doc = &e.loaded.doc;
                    let (markup, lines) = body(doc, &format!("s{n}-"), n, Some(&links));
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

/// Links from a statement to its other editions in the book (`"it":
/// <s3>`, or a placeholder where the edition is in another part), if any.
fn edition_links(doc: &Document, links: &BookLinks) -> Option<String> {
    let here: Vec<String> = doc
        .meta
        .editions
        .iter()
        .filter(|ed| !ed.this)
        .filter_map(|ed| {
            let m = *links.numbers.get(&ed.source)?;
            let to = if links.titles.contains(&m) {
                format!("<s{m}>")
            } else {
                string_literal(&format!("pamphleteer:s{m}"))
            };
            let lang = crate::model::lang::primary(&ed.lang);
            Some(format!("{}: {to}", string_literal(&lang)))
        })
        .collect();
    (!here.is_empty()).then(|| here.join(", "))
}

/// The head of a compilation of the book: the layout's import, the
/// task boxes and marks it may need, and the `book` show rule with the
/// book's metadata and settings. Returns the book's metadata as values.
fn header<'p>(plan: &'p BookPlan, slice: &Slice, text: &mut String) -> MetaValues<'p> {
    let whole = matches!(slice, Slice::Whole);
    text.push_str(&format!(
        "#import {}: book, part, statement, preface{}\n",
        string_literal(&format!("/layouts/{}.typ", plan.layout)),
        if whole { "" } else { ", elsewhere" }
    ));
    text.push_str(&format!(
        "// Generated by pamphleteer from {} ([anthology]). Edit the Markdown, not this file.\n",
        single_line(&book_file(plan))
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
    text.push_str(MARK_DEF);
    let m = &plan.book.meta;
    let v = MetaValues::new(m);
    let language = v.language.clone();
    let labels = crate::model::lang::labels(&language);
    let entries = [
        ("title", v.shown(&m.title)),
        ("subtitle", v.shown(&m.subtitle)),
        ("editors", v.names(&m.authors)),
        ("publisher", v.shown(&m.publisher)),
        ("date", v.date()),
        ("date-text", v.date_text()),
        ("lang", string_literal(&language)),
        ("region", v.region()),
        ("dir", v.dir()),
        ("rights", plain(&m.rights)),
        ("url", plain(&m.url)),
        (
            "grouped",
            plan.groups.iter().any(|(g, _)| g.is_some()).to_string(),
        ),
        (
            "labels",
            format!(
                "(contents: {}, preface: {})",
                string_literal(labels.contents),
                string_literal(labels.preface)
            ),
        ),
        ("source", string_literal(&book_file(plan))),
    ];
    text.push_str(&v.document_rule(&m.authors));
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
    v
}

/// Where the links between statements go in this slice of the book: each
/// statement's number, whose text and title the slice sets, and the
/// headings and titles (heading 0) that some link points at.
fn book_links(items: &[Item], slice: &Slice) -> BookLinks {
    let mut links = BookLinks::default();
    for (k, item) in items.iter().enumerate() {
        let Item::Statement(n, e) = item else {
            continue;
        };
        links.numbers.insert(e.loaded.doc.path.clone(), *n);
        let (body, title) = match slice {
            Slice::Whole => (true, true),
            Slice::Front(_) => (false, true),
            Slice::Items { range, .. } => {
                (range.contains(&k), range.contains(&k) || k == range.end)
            }
        };
        if body {
            links.bodies.insert(*n);
        }
        if title {
            links.titles.insert(*n);
        }
    }
    let mut targeted = HashSet::new();
    for item in items {
        let Item::Statement(_, e) = item else {
            continue;
        };
        // (The editions of a statement in the book link to each other.)
        for ed in e.loaded.doc.meta.editions.iter().filter(|ed| !ed.this) {
            if let Some(n) = links.numbers.get(&ed.source) {
                targeted.insert((*n, 0));
            }
        }
        for event in e.loaded.doc.walk() {
            let Event::Enter(Node::Inline(Inline::Xref(Xref {
                target:
                    Some(XrefTarget {
                        source: Some(source),
                        heading,
                        ..
                    }),
                ..
            }))) = event
            else {
                continue;
            };
            if let Some(n) = links.numbers.get(source) {
                targeted.insert((*n, heading.unwrap_or(0)));
            }
        }
    }
    links.targeted = targeted;
    links
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

/// The project file the book is made from, as the reader should see it:
/// its name, never the builder's folders.
fn book_file(plan: &BookPlan) -> String {
    plan.book.path.file_name().map_or_else(
        || "pamphleteer.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    )
}
