//! `pamphleteer.toml`: the project's settings, typed and checked when they
//! are read. Every error names the file, the line and the nearest valid key
//! or value.

mod paper;
mod values;

pub use paper::PAPERS;
pub use values::*;

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::model::diagnostics::{self, Diagnostic, HINT};
use crate::model::units::Length;

/// The whole project file. Every section may be left out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub project: ProjectSection,
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default)]
    pub layout: LayoutSection,
    #[serde(default)]
    pub outputs: Outputs,
    /// The book of many statements, when there is one.
    pub anthology: Option<AnthologySection>,
}

/// `[anthology]`: many statements into one book, PDF and EPUB.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AnthologySection {
    #[serde(deserialize_with = "values::text")]
    pub title: String,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub subtitle: Option<String>,
    pub editors: Option<OneOrMany>,
    /// Default: `[project] publisher`.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub publisher: Option<String>,
    /// A Markdown file (relative to the project) set before the statements.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub preface: Option<String>,
    /// Which statements: glob patterns (`sources/2026/*.md`), or paths in
    /// the order wanted. Default: every statement.
    #[serde(default, deserialize_with = "values::opt_texts")]
    pub statements: Option<Vec<String>>,
    pub order: Option<OrderName>,
    pub group: Option<GroupName>,
    /// Default `book`.
    pub layout: Option<LayoutName>,
    /// The output's name (`out/<slug>.pdf`); default: from the title.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub slug: Option<String>,
    /// The book's language; default `[project] language`, then `en`.
    pub lang: Option<Lang>,
    /// The book in one language: each statement's edition in it, or its
    /// original where it has none. Without it, each statement's editions
    /// follow one another, the original first.
    pub edition: Option<KnownLang>,
    /// The book's date; default: the latest statement's.
    pub date: Option<ConfigDate>,
    /// The e-book's identifier; default: derived from the project and slug.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub identifier: Option<String>,
    /// The e-book's cover image; default: drawn.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub cover: Option<String>,
}

/// How an anthology orders its statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    DateAscending,
    DateDescending,
    /// The order of `statements`.
    List,
    Title,
}

/// How an anthology groups its statements under headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Year,
    Language,
    Organisation,
}

/// `[project]`: who publishes, under which terms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectSection {
    #[serde(default, deserialize_with = "values::opt_text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub publisher: Option<String>,
    /// The organisation's web address, printed under the signature.
    #[serde(default, deserialize_with = "values::opt_text")]
    pub url: Option<String>,
    /// The licence or rights statement (`CC BY-SA 4.0`).
    #[serde(default, deserialize_with = "values::opt_text")]
    pub rights: Option<String>,
    /// The language of statements whose front matter gives none.
    pub language: Option<Lang>,
    /// The languages every statement is expected in (`check` lists the
    /// editions a translation group lacks).
    pub languages: Option<Vec<KnownLang>>,
    /// Where the statements are read online, as a pattern:
    /// `https://example.org/statements/{name}/{lang}/`.
    pub online: Option<OnlinePattern>,
}

/// `[defaults]`: front matter every statement gets unless it says otherwise.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Defaults {
    pub author: Option<OneOrMany>,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub place: Option<String>,
    pub date: Option<ConfigDate>,
    pub lang: Option<Lang>,
    pub dir: Option<DirName>,
    pub layout: Option<LayoutName>,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub publisher: Option<String>,
    pub keywords: Option<OneOrMany>,
    /// Whether bare statements get a title, signature and slogans inferred.
    #[serde(default, deserialize_with = "values::opt_switch")]
    pub infer: Option<bool>,
}

/// `[layout]`: the shared look, for every Typst layout and the e-book's
/// stylesheet. What is left out comes from the layout's own defaults.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LayoutSection {
    pub paper: Option<Paper>,
    pub margins: Option<Margins>,
    pub columns: Option<Columns>,
    pub gutter: Option<Length>,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub body_font: Option<String>,
    #[serde(default, deserialize_with = "values::opt_text")]
    pub heading_font: Option<String>,
    #[serde(default, deserialize_with = "values::opt_texts")]
    pub body_fallback: Option<Vec<String>>,
    #[serde(default, deserialize_with = "values::opt_texts")]
    pub heading_fallback: Option<Vec<String>>,
    pub font_size: Option<TypeSize>,
    pub leading: Option<TypeSize>,
    pub accent: Option<Colour>,
    pub paragraph: Option<ParagraphName>,
    /// The pages a statement is meant to fill (2: a leaflet printed front
    /// and back); one that runs over is a warning.
    pub pages: Option<PageCount>,
    /// How far the type may shrink to keep a statement to `pages`.
    pub shrink: Option<Shrink>,
    /// Copyfitting (on unless `false`): each leaflet's type size, and for a
    /// short text its paper, chosen to fill whole sheets.
    pub fit: Option<Switch>,
    /// A QR code of the statement's online address beside the signature
    /// (when `[project] online` says where that is); on unless `false`.
    #[serde(default, deserialize_with = "values::opt_switch")]
    pub qr: Option<bool>,
}

/// `[outputs]`: what `pamphleteer build` makes of each statement.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Outputs {
    /// The leaflet PDF (or whatever the statement's layout makes).
    #[serde(deserialize_with = "values::switch")]
    pub pdf: bool,
    #[serde(deserialize_with = "values::switch")]
    pub epub: bool,
    /// The generated Typst source.
    #[serde(deserialize_with = "values::switch")]
    pub typst: bool,
    /// Folder for everything built, relative to the project.
    #[serde(deserialize_with = "values::text")]
    pub dir: String,
    /// Package the shipped fonts an e-book uses.
    #[serde(deserialize_with = "values::switch")]
    pub embed_fonts: bool,
    /// Also the PDF's pages two-up on sheets in saddle-stitch order
    /// (`x.imposed.pdf`).
    #[serde(deserialize_with = "values::switch")]
    pub impose: bool,
    /// Also a PDF for the print shop, with bleed and crop marks
    /// (`x.press.pdf`).
    #[serde(deserialize_with = "values::switch")]
    pub press: bool,
    /// The press PDF's bleed.
    pub bleed: Length,
    /// Imposition: how far each sheet's pages move towards the fold, from
    /// the outermost sheet in (about the paper's thickness).
    pub creep: Length,
    /// Parallel editions: for each pair of languages (`[["it", "en"]]`),
    /// each statement that has an edition in both is also set with the two
    /// side by side (`NAME.it-en.pdf`). Checked once the file is read
    /// (from `parallel_as_written`), so that a bad pair is an error at its
    /// own line.
    #[serde(skip)]
    pub parallel: Vec<LangPair>,
    #[serde(rename = "parallel")]
    parallel_as_written: Vec<toml::Spanned<toml::Value>>,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            pdf: true,
            epub: true,
            typst: true,
            dir: "out".into(),
            embed_fonts: false,
            impose: false,
            press: false,
            bleed: Length::mm(3.0),
            creep: Length::mm(0.0),
            parallel: Vec::new(),
            parallel_as_written: Vec::new(),
        }
    }
}

/// One text or a list of texts (`author = "X"` or `author = ["X", "Y"]`).
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        let wrong = || {
            de::Error::custom(format!(
                "this must be a text in quotes or a list of texts{HINT}e.g. \"Riverside Tenants\" or [\"First Union\", \"Second Union\"]"
            ))
        };
        match value {
            toml::Value::String(s) => Ok(OneOrMany::One(s)),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|i| match i {
                    toml::Value::String(s) => Ok(s),
                    _ => Err(wrong()),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(OneOrMany::Many),
            _ => Err(wrong()),
        }
    }
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

pub fn load(path: &Path) -> Result<(Config, String), Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(path, 0, format!("cannot read the project file: {e}"))
            .hint("check that the file exists and that you may read it")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::not_utf8(path, e.as_bytes(), e.utf8_error(), "the project file")
    })?;
    parse(path, &text).map(|c| (c, text))
}

/// Reads and checks a project file's text; an error shows that text.
pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostic> {
    let shown: std::sync::Arc<str> = std::sync::Arc::from(text);
    parse_text(path, text).map_err(|e| e.read_from(&shown))
}

/// The line of `key` in `[section]` (dotted sections such as
/// `[layout.margins]` count as `section`), or the section's own line, or 0.
pub fn key_line(text: &str, section: &str, key: &str) -> usize {
    let mut current = String::new();
    let mut section_line = 0;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            current = name.trim().to_string();
            if current == section {
                section_line = i + 1;
            }
            continue;
        }
        let in_section = current == section || current.starts_with(&format!("{section}."));
        if in_section
            && let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with(['=', '.'])
        {
            return i + 1;
        }
    }
    section_line
}

/// Reads a project file's text in two steps: first the tree TOML makes of
/// it, which keeps where each key and value is; then our own checks of
/// its sections and keys (against the keys the settings' types read: one
/// list of them), with our messages and nearest-name hints, at the key's
/// place; then the values, converted from that same tree (no second
/// parse).
fn parse_text(path: &Path, text: &str) -> Result<Config, Diagnostic> {
    let tree =
        toml::de::DeTable::parse(text).map_err(|e| error_at(path, text, e.span(), e.message()))?;
    check_keys(tree.get_ref())
        .map_err(|(span, message, hint)| ours_at(path, text, span, message).hint(hint))?;
    let mut config = Config::deserialize(toml::de::Deserializer::from(tree))
        .map_err(|e| error_at(path, text, e.span(), e.message()))?;
    let written = std::mem::take(&mut config.outputs.parallel_as_written);
    for pair in written {
        let span = pair.span();
        let pair = LangPair::check(pair.into_inner())
            .map_err(|message| error_at(path, text, Some(span), &message))?;
        config.outputs.parallel.push(pair);
    }
    Ok(config)
}

/// What is wrong with the sections and keys of a project file's tree:
/// where, what, and a hint.
type KeyError = (std::ops::Range<usize>, String, String);

/// The sections and their keys, each one a section's type reads; an
/// unknown one named with the nearest known name, a setting where a
/// section should be said so.
fn check_keys(tree: &toml::de::DeTable) -> Result<(), KeyError> {
    let sections = keys_of::<Config>();
    for (name, value) in tree.iter() {
        let known = match name.get_ref().as_ref() {
            "project" => keys_of::<ProjectSection>(),
            "defaults" => keys_of::<Defaults>(),
            "layout" => keys_of::<LayoutSection>(),
            "outputs" => keys_of::<Outputs>(),
            "anthology" => keys_of::<AnthologySection>(),
            other => {
                let (message, hint) = diagnostics::unknown_key(other, sections);
                return Err((name.span(), message, hint));
            }
        };
        let toml::de::DeValue::Table(keys) = value.get_ref() else {
            return Err((
                name.span(),
                format!("expected a [section] here, found a value for `{}`", name.get_ref()),
                "settings go under their section: [project], [defaults], [layout], [outputs] or [anthology]".into(),
            ));
        };
        for (key, _) in keys.iter() {
            if !known.contains(&key.get_ref().as_ref()) {
                let (message, hint) = diagnostics::unknown_key(key.get_ref(), known);
                return Err((key.span(), message, hint));
            }
        }
    }
    Ok(())
}

/// The keys a type reads, from its derived `Deserialize` (which lists
/// them for serde): asked of a deserializer that only listens.
fn keys_of<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    struct Listener(std::cell::Cell<&'static [&'static str]>);
    impl<'de> Deserializer<'de> for &Listener {
        type Error = de::value::Error;
        fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only listening"))
        }
        fn deserialize_option<V: de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
            v.visit_some(self)
        }
        fn deserialize_struct<V: de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.set(fields);
            Err(de::Error::custom("only listening"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct
            map enum identifier ignored_any
        }
    }
    let listener = Listener(std::cell::Cell::new(&[]));
    let _ = T::deserialize(&listener);
    listener.0.get()
}

/// An error of ours at a place in the project file.
fn ours_at(path: &Path, text: &str, span: std::ops::Range<usize>, message: String) -> Diagnostic {
    let (line, column) = diagnostics::line_and_column(text.as_bytes(), span.start);
    Diagnostic::new(path, line, message).column(column)
}

/// An error at a place in the project file, its message made ours.
fn error_at(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> Diagnostic {
    let (line, column) = match span {
        Some(span) => {
            let (line, column) = diagnostics::line_and_column(text.as_bytes(), span.start);
            (line, Some(column))
        }
        None => (0, None),
    };
    let (message, hint) = explain(message);
    let mut err = Diagnostic::new(path, line, message);
    if let Some(c) = column {
        err = err.column(c);
    }
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

/// The message of a value's check (ours: its hint after [`HINT`]) or of
/// TOML's parser (a syntax error: with a word on what TOML is). Nothing
/// here reads a library's message for its meaning: unknown sections and
/// keys are found in the tree, and every value's type is checked by our
/// own conversions.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some((m, h)) = message.trim().split_once(HINT) {
        return (m.to_string(), Some(h.to_string()));
    }
    (
        message.trim().to_string(),
        Some("pamphleteer.toml is TOML: `key = \"value\"` lines under [section] headers".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::Date;
    use std::str::FromStr;

    fn err(text: &str) -> Diagnostic {
        parse(Path::new("pamphleteer.toml"), text).unwrap_err()
    }

    #[test]
    fn anthology_section() {
        let c = parse(
            Path::new("p.toml"),
            "[anthology]\ntitle = \"Book\"\nstatements = [\"sources/2026/*.md\"]\norder = \"date-desc\"\ngroup = \"organization\"\neditors = \"Ed\"\n",
        )
        .unwrap();
        let a = c.anthology.unwrap();
        assert_eq!(a.order.unwrap().0, Order::DateDescending);
        assert_eq!(a.group.unwrap().0, Grouping::Organisation);
        let e = err("[anthology]\ntitle = \"B\"\norder = \"dates\"\n");
        assert_eq!(
            (e.line, e.hint.as_deref()),
            (3, Some("did you mean `date`?"))
        );
        let e = err("[anthology]\ntitle = \"B\"\ngroup = \"yaer\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `year`?"));
        let e = err("[anthology]\ntitle = \"B\"\nslgu = \"x\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `slug`?"));
        let e = err("[anthology]\nsubtitle = \"B\"\n");
        assert!(e.message.contains("missing field `title`"), "{e:?}");
    }

    #[test]
    fn dates_say_what_is_wrong() {
        let e = err("[defaults]\ndate = \"2026-13-45\"\n");
        assert_eq!(
            (e.line, e.message.as_str(), e.hint.as_deref()),
            (
                2,
                "`2026-13-45` is not a date",
                Some("there is no month 13; the months are 01 to 12")
            )
        );
        let e = err("[anthology]\ntitle = \"B\"\n\ndate = \"2026-02-30\"\n");
        assert_eq!(
            (e.line, e.message.as_str(), e.hint.as_deref()),
            (
                4,
                "`2026-02-30` is not a date",
                Some("there is no day 30 in February 2026, which has 28 days")
            )
        );
        let e = err("[defaults]\ndate = \"8 March 2026\"\n");
        assert_eq!(
            e.hint.as_deref(),
            Some("write the date as YYYY-MM-DD, for example 2026-03-08")
        );
    }

    #[test]
    fn parallel_editions_are_pairs_of_two_known_languages() {
        let c = parse(
            Path::new("p.toml"),
            "[outputs]\nparallel = [[\"it\", \"en\"], [\"ar\", \"pt-BR\"]]\n",
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = c
            .outputs
            .parallel
            .iter()
            .map(|p| (p.first.as_str(), p.second.as_str()))
            .collect();
        assert_eq!(pairs, [("it", "en"), ("ar", "pt-BR")]);
        assert!(Config::default().outputs.parallel.is_empty());
        let e = err(
            "[outputs]\npdf = true\nparallel = [\n  [\"it\", \"en\"],\n  [\"it\", \"it\"],\n]\n",
        );
        assert_eq!(e.line, 5, "{e:?}");
        assert!(e.message.contains("two different languages"), "{e:?}");
        let e = err("[outputs]\nparallel = [[\"it\", \"xx\"]]\n");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "`xx` is not a language pamphleteer knows")
        );
        let e = err("[outputs]\nparallel = [[\"it\", \"en\", \"de\"]]\n");
        assert!(e.message.contains("not 3 languages"), "{e:?}");
        let e = err("[outputs]\nparallel = [\"it\", \"en\"]\n");
        assert!(e.message.contains("is one language"), "{e:?}");
        assert!(e.hint.unwrap().contains("[[\"it\", \"en\"]]"));
        let e = err("[outputs]\nparallel = [[\"Italian\", \"en\"]]\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `it`?"), "{e:?}");
    }

    #[test]
    fn key_lines() {
        let text = "[project]\ntitle = \"x\"\n\n[layout]\npaper = \"a4\"\nmargins.top = \"1mm\"\n";
        assert_eq!(key_line(text, "layout", "paper"), 5);
        assert_eq!(key_line(text, "layout", "margins"), 6);
        assert_eq!(key_line(text, "layout", "accent"), 4);
        assert_eq!(key_line(text, "project", "paper"), 1);
        assert_eq!(key_line(text, "outputs", "dir"), 0);
    }

    #[test]
    fn every_paper_name_is_typsts() {
        for p in PAPERS {
            assert!(typst::layout::Paper::from_str(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn empty_file_is_all_defaults() {
        let c = parse(Path::new("p.toml"), "").unwrap();
        assert!(c.outputs.pdf && c.outputs.epub && c.outputs.typst);
        assert_eq!(c.layout, LayoutSection::default());
    }

    #[test]
    fn full_file_reads() {
        let c = parse(
            Path::new("p.toml"),
            r##"
[project]
title = "Statements 2026"
publisher = "Riverside Press"
url = "https://example.org"
rights = "CC BY-SA 4.0"
language = "de"

[defaults]
author = ["A", "B"]
place = "Leeds"
date = 2026-05-01
lang = "en-GB"
layout = "booklet"
infer = false

[layout]
paper = "A5"
margins = { top = "12mm", inside = "0.75in" }
columns = 1
font-size = 10.5
leading = "14pt"
accent = "#036"
paragraph = "spacing"
body-fallback = []

[outputs]
typst = false
"##,
        )
        .unwrap();
        assert_eq!(c.layout.paper, Some(Paper("a5".into())));
        assert_eq!(c.layout.accent, Some(Colour("#003366".into())));
        let m = c.layout.margins.unwrap();
        assert_eq!(m.top, Some(Length::mm(12.0)));
        assert_eq!(m.bottom, None);
        assert!((m.inside.unwrap().to_pt() - 54.0).abs() < 1e-9);
        assert_eq!(c.layout.font_size, Some(TypeSize(Length::pt(10.5))));
        assert_eq!(
            c.defaults.date.unwrap().0,
            Date {
                year: 2026,
                month: 5,
                day: 1
            }
        );
        assert_eq!(c.defaults.author.unwrap().to_vec(), vec!["A", "B"]);
        assert!(!c.outputs.typst && c.outputs.pdf);
    }

    #[test]
    fn unknown_keys_name_the_line_and_the_nearest_key() {
        let e = err("[layout]\npaper = \"a4\"\naccnet = \"#ff0000\"\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "unknown key `accnet`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `accent`?"));
        let e = err("[projet]\ntitle = \"x\"\n");
        assert_eq!((e.line, e.message.as_str()), (1, "unknown key `projet`"));
        assert_eq!(e.hint.as_deref(), Some("did you mean `project`?"));
        let e = err("[layout]\nmargins = { top = \"1mm\", botom = \"2mm\" }\n");
        assert_eq!(e.line, 2);
        assert_eq!(e.hint.as_deref(), Some("did you mean `bottom`?"));
    }

    #[test]
    fn the_keys_checked_are_those_the_settings_read() {
        // (From the types' own derive: renamed and kebab-cased as written.)
        let outputs = keys_of::<Outputs>();
        assert!(outputs.contains(&"parallel") && outputs.contains(&"embed-fonts"));
        assert!(!outputs.contains(&"parallel_as_written"));
        assert_eq!(
            keys_of::<Config>(),
            ["project", "defaults", "layout", "outputs", "anthology"]
        );
        // Every section's keys, at the key, with the nearest.
        for (text, line, hint) in [
            ("[outputs]\nparalel = []\n", 2, "did you mean `parallel`?"),
            (
                "[anthology]\ntitle = \"B\"\nprefce = \"p.md\"\n",
                3,
                "did you mean `preface`?",
            ),
            ("[defaults]\nauthr = \"X\"\n", 2, "did you mean `author`?"),
            ("[project]\n\nonlin = \"x\"\n", 3, "did you mean `online`?"),
            ("[outptus]\n", 1, "did you mean `outputs`?"),
        ] {
            let e = err(text);
            assert_eq!((e.line, e.hint.as_deref()), (line, Some(hint)), "{text}");
            assert!(e.message.starts_with("unknown key"), "{e:?}");
        }
        // Its column: the key's.
        let e = err("[layout]\n  accnet = \"red\"\n");
        assert_eq!(e.column, Some(3));
    }

    #[test]
    fn bad_values_are_explained() {
        let e = err("[layout]\n\naccent = \"#12345\"\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "`#12345` is not a colour");
        let e = err("[layout]\naccent = \"maroom\"\n");
        assert!(e.hint.unwrap().starts_with("did you mean `maroon`?"));
        let e = err("[layout]\npaper = \"a44\"\n");
        assert_eq!(e.message, "`a44` is not a paper size Typst knows");
        assert_eq!(e.hint.as_deref(), Some("did you mean `a4`?"));
        let e = err("[layout]\npaper = \"us-leter\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `us-letter`?"));
        let e = err("[defaults]\ndate = \"2026-02-30\"\n");
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "`2026-02-30` is not a date")
        );
        let e = err("[layout]\ngutter = 6\n");
        assert_eq!(e.message, "a length needs a unit");
        let e = err("[layout]\ncolumns = 7\n");
        assert!(e.message.contains("1 to 4"), "{e:?}");
        let e = err("[defaults]\nlang = \"english language\"\n");
        assert!(e.message.contains("language tag"), "{e:?}");
        let e = err("[project]\nlanguage = \"pt_BR\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `pt-BR`?"));
        let e = err("[layout]\nparagraph = \"indnet\"\n");
        assert_eq!(e.hint.as_deref(), Some("did you mean `indent`?"));
        let e = err("[outputs]\npdf = \"yes\"\n");
        assert!(e.message.contains("wrong type"), "{e:?}");
        let e = err("[layout\n");
        assert_eq!(e.line, 1);
        let e = err("[defaults]\nauthor = 5\n");
        assert!(e.message.contains("a text in quotes or a list"), "{e:?}");
        let e = err("layout = \"booklet\"\n");
        assert!(e.message.contains("expected a [section]"), "{e:?}");
        let e = err("[layout]\ngutter = \"-5mm\"\n");
        assert!(e.hint.unwrap().contains("zero or more"));
        // Print production.
        let e = err("[layout]\npages = 0\n");
        assert!(e.message.contains("1 to 64") && e.hint.unwrap().contains("front and back"));
        let e = err("[layout]\nshrink = 5\n");
        assert!(e.message.contains("at most 2"), "{e:?}");
        let e = err("[outputs]\nbleed = 3\n");
        assert_eq!((e.line, e.message.as_str()), (2, "a length needs a unit"));
        let e = err("[outputs]\nimpose = \"yes\"\n");
        assert!(e.message.contains("wrong type"), "{e:?}");
        let c = parse(
            Path::new("p.toml"),
            "[layout]\npages = 2\nshrink = \"0.5pt\"\n[outputs]\npress = true\nbleed = \"5mm\"\n",
        )
        .unwrap();
        assert_eq!(c.layout.pages.map(|p| p.0), Some(2));
        assert_eq!(c.layout.shrink.map(|s| s.0.to_pt()), Some(0.5));
        assert!(c.outputs.press && !c.outputs.impose);
        assert_eq!(c.outputs.bleed, Length::mm(5.0));
    }
}

/// How paragraphs are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphStyle {
    /// First-line indent of 1 em, no space between paragraphs.
    Indent,
    /// No indent, half a line between paragraphs.
    Spacing,
}
