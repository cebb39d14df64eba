//! Typst values written as source: numbers, arrays, dictionaries, and the
//! layout settings as the dictionary every layout receives.

use crate::model::dates::long_date;
use crate::model::document::{Date, Meta};
use crate::model::quotes::{Marks, Quoter, marks_for};
use crate::model::units::num;
use crate::project::config::ParagraphStyle;
use crate::project::settings::Settings;
use crate::write::typst::escape::string_literal;

/// A Typst array of string literals (`("a",)` for one item).
pub(crate) fn array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| string_literal(s)).collect();
    match inner.len() {
        0 => "()".to_string(),
        1 => format!("({},)", inner[0]),
        _ => format!("({})", inner.join(", ")),
    }
}

/// A multi-line dictionary literal from already-written values.
pub(crate) fn dict(entries: &[(&str, String)], indent: &str) -> String {
    if entries.is_empty() {
        return "(:)".into();
    }
    let mut s = String::from("(\n");
    for (k, v) in entries {
        s.push_str(&format!("{indent}  {k}: {v},\n"));
    }
    s.push_str(indent);
    s.push(')');
    s
}

/// (The settings are the project's; how Typst reads them is the writer's.)
impl Settings {
    /// The settings as a Typst dictionary literal, one key a line.
    pub fn to_typst(&self, indent: &str) -> String {
        let entries = [
            ("paper", string_literal(&self.paper)),
            (
                "margin",
                format!(
                    "(top: {}, bottom: {}, inside: {}, outside: {})",
                    self.margin_top, self.margin_bottom, self.margin_inside, self.margin_outside
                ),
            ),
            ("columns", self.columns.to_string()),
            ("gutter", self.gutter.to_string()),
            ("body-font", string_literal(&self.body_font)),
            ("heading-font", string_literal(&self.heading_font)),
            ("body-fallback", array(&self.body_fallback)),
            ("heading-fallback", array(&self.heading_fallback)),
            ("font-size", format!("{}pt", num(self.font_size))),
            ("leading", format!("{}pt", num(self.leading))),
            ("accent", format!("rgb({})", string_literal(&self.accent))),
            (
                "paragraph",
                string_literal(match self.paragraph {
                    ParagraphStyle::Indent => "indent",
                    ParagraphStyle::Spacing => "spacing",
                }),
            ),
        ];
        let mut entries = entries.to_vec();
        if let Some(bleed) = self.bleed {
            entries.push(("press", format!("(bleed: {bleed})")));
        }
        if self.balance.is_some() {
            // (The room and the place are in the text: see CLOSING_MARK.)
            entries.push(("fitted", "true".to_string()));
        }
        dict(&entries, indent)
    }
}

/// A document's metadata as Typst values, shared by every writer that
/// passes it on (a leaflet's layout, a book's, the cover, the document's
/// own metadata). Typst shows strings as they are, so the texts a reader
/// sees (title, subtitle, names, place) get the language's quotation marks
/// here, by the same rules Typst applies to the body and the e-book to
/// everything.
pub(crate) struct MetaValues<'m> {
    meta: &'m Meta,
    marks: Marks,
    /// The primary language (`en`).
    pub language: String,
}

impl<'m> MetaValues<'m> {
    pub(crate) fn new(meta: &'m Meta) -> Self {
        let language = meta.language();
        MetaValues {
            meta,
            marks: marks_for(&language, meta.region().as_deref()),
            language,
        }
    }

    /// A text with the document's quotation marks.
    pub(crate) fn smart(&self, s: &str) -> String {
        Quoter::new().smarten(s, &self.marks)
    }

    /// A text a reader sees, with its quotation marks, or `none`.
    pub(crate) fn shown(&self, v: &Option<String>) -> String {
        v.as_deref()
            .map_or("none".to_string(), |s| string_literal(&self.smart(s)))
    }

    /// Names or lines a reader sees, as an array.
    pub(crate) fn names(&self, names: &[String]) -> String {
        array(&names.iter().map(|n| self.smart(n)).collect::<Vec<_>>())
    }

    /// The date as a `datetime(..)`, or `none`.
    pub(crate) fn date(&self) -> String {
        datetime_literal(self.meta.date)
    }

    /// The date written out in the document's language, or `none`.
    pub(crate) fn date_text(&self) -> String {
        self.meta.date.map_or("none".into(), |d| {
            string_literal(&long_date(d, &self.language))
        })
    }

    pub(crate) fn region(&self) -> String {
        plain(&self.meta.region())
    }

    pub(crate) fn dir(&self) -> String {
        self.meta.dir.as_str().to_string()
    }

    /// The document's own metadata (the PDF's title, authors, subject,
    /// keywords and date), set by the generated source so that it does not
    /// depend on what a layout does: a layout of one line still makes a
    /// PDF that can claim PDF/UA-1.
    pub(crate) fn document_rule(&self, authors: &[String]) -> String {
        let date = match self.meta.date {
            Some(d) => datetime_literal(Some(d)),
            None => "auto".into(),
        };
        format!(
            "#set document(title: {}, author: {}, description: {}, keywords: {}, date: {date})\n",
            self.shown(&self.meta.title),
            self.names(authors),
            plain(&self.meta.description),
            array(&self.meta.keywords),
        )
    }
}

/// A text as it is, or `none`.
pub(crate) fn plain(v: &Option<String>) -> String {
    v.as_deref().map_or("none".to_string(), string_literal)
}

/// A date as a Typst `datetime(..)`, or `none`.
pub(crate) fn datetime_literal(date: Option<Date>) -> String {
    date.map_or("none".into(), |d| {
        format!(
            "datetime(year: {}, month: {}, day: {})",
            d.year, d.month, d.day
        )
    })
}
