//! Front matter: YAML between `---` lines or TOML between `+++` lines at the
//! top of a statement, read with serde into [`RawMeta`] (every key a
//! statement may have, each of the type its value must be) and then into
//! `Meta`. Errors name the key's line.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

use crate::model::dates::{not_a_date, parse_date};
use crate::model::diagnostics::{Diagnostic, HINT, explain, nearest};
use crate::model::document::{Date, Dir, Fixed, Meta};
use crate::model::lang::{dir_of, valid_lang};
use crate::model::names::valid_layout_name;

/// A source split into its front matter and its Markdown body.
#[derive(Debug)]
pub(crate) struct Fenced<'a> {
    pub format: Option<Format>,
    /// The front matter text (without the fences).
    pub matter: &'a str,
    /// 1-based line of the front matter's first line.
    pub matter_line: usize,
    pub body: &'a str,
    /// Lines before the body (add to a body line to get a file line).
    pub body_offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Toml,
}

/// Splits off the front matter, if the file starts with `---` or `+++`.
pub(crate) fn split<'a>(path: &Path, text: &'a str) -> Result<Fenced<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let (format, fence) = match first.trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Ok(Fenced {
                format: None,
                matter: "",
                matter_line: 0,
                body: text,
                body_offset: 0,
            });
        }
    };
    let rest = &text[first.len()..];
    let matter_start = first.len()
        + if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
    let mut offset = matter_start;
    // The closing fence is on `line` (the opening one is line 1).
    for (line, l) in (2..).zip(text[matter_start..].split_inclusive('\n')) {
        let t = l.trim_end();
        if t == fence || (format == Format::Yaml && t == "...") {
            let matter = &text[matter_start..offset];
            let body = &text[offset + l.len()..];
            return Ok(Fenced {
                format: Some(format),
                matter,
                matter_line: 2,
                body,
                body_offset: line,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::new(
        path,
        1,
        format!("the front matter opened here with `{fence}` is never closed"),
    )
    .hint(format!(
        "end the front matter with a line holding only `{fence}`"
    )))
}

/// The front matter as written: every key a statement may have, each of the
/// type its value must be. A key written without a value (YAML `title:`)
/// is given, as an empty text; a key left out is `None`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct RawMeta {
    #[serde(deserialize_with = "given")]
    title: Option<Text>,
    #[serde(deserialize_with = "given")]
    subtitle: Option<Text>,
    #[serde(deserialize_with = "given")]
    author: Option<Texts>,
    #[serde(deserialize_with = "given")]
    date: Option<DateValue>,
    #[serde(deserialize_with = "given")]
    place: Option<Text>,
    #[serde(deserialize_with = "given")]
    lang: Option<Lang>,
    #[serde(deserialize_with = "given")]
    dir: Option<Direction>,
    #[serde(deserialize_with = "given")]
    layout: Option<Layout>,
    #[serde(deserialize_with = "given")]
    description: Option<Text>,
    #[serde(deserialize_with = "given")]
    keywords: Option<Texts>,
    #[serde(deserialize_with = "given")]
    cover: Option<Text>,
    #[serde(deserialize_with = "given")]
    identifier: Option<Text>,
    #[serde(deserialize_with = "given")]
    publisher: Option<Text>,
    #[serde(deserialize_with = "given")]
    slogans: Option<Texts>,
    #[serde(deserialize_with = "given")]
    infer: Option<Infer>,
    #[serde(deserialize_with = "given")]
    font_size: Option<FontSize>,
    #[serde(deserialize_with = "given")]
    columns: Option<ColumnCount>,
    #[serde(deserialize_with = "given")]
    pages: Option<Pages>,
    #[serde(deserialize_with = "given")]
    fit: Option<Fit>,
    #[serde(deserialize_with = "given")]
    translation_key: Option<Text>,
    #[serde(deserialize_with = "given")]
    original: Option<Original>,
    #[serde(deserialize_with = "given")]
    translator: Option<Texts>,
}

/// A written key is given, even without a value: `Option`'s own reading
/// would take YAML's `title:` (null) for a key left out.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl RawMeta {
    /// The statement's `Meta`: empty texts are left out, `lang` defaults to
    /// `en` and `dir` to the language's direction.
    fn into_meta(self, format: Format) -> Meta {
        let text = |t: Option<Text>| t.map(|t| t.written(format)).filter(|s| !s.is_empty());
        let texts = |t: Option<Texts>| -> Vec<String> {
            t.map_or_else(Vec::new, |t| {
                t.0.into_iter().map(|t| t.written(format)).collect()
            })
        };
        let filled = |v: Vec<String>| v.into_iter().filter(|s| !s.is_empty()).collect();
        let mut meta = Meta {
            title: text(self.title),
            subtitle: text(self.subtitle),
            authors: filled(texts(self.author)),
            date: self.date.map(|d| d.0),
            place: text(self.place),
            lang: self.lang.map_or_else(|| "en".into(), |l| l.0),
            layout: self.layout.map(|l| l.0),
            description: text(self.description),
            keywords: texts(self.keywords),
            cover: text(self.cover),
            identifier: text(self.identifier),
            publisher: text(self.publisher),
            slogans: filled(texts(self.slogans)),
            infer: self.infer.map(|i| i.0),
            fitting: Fixed {
                font_size: self.font_size.map(|s| s.0),
                columns: self.columns.map(|c| c.0),
                pages: self.pages.map(|p| p.0),
                fit: self.fit.map(|f| f.0),
            },
            translation_key: text(self.translation_key),
            original: self.original.map(|o| o.0),
            translators: filled(texts(self.translator)),
            ..Meta::default()
        };
        meta.dir = self.dir.map_or_else(|| dir_of(&meta.language()), |d| d.0);
        meta
    }
}

/// A text as written, trimmed. YAML and TOML may give a number, `true` or
/// `false`, or (TOML) a date where a text is meant: each reads as the text
/// it shows. A decimal number waits for its syntax, which shows it its own
/// way (YAML `1.0`, TOML `1`).
#[derive(Debug, Clone, PartialEq)]
enum Text {
    Text(String),
    Decimal(f64),
}

impl Text {
    fn written(self, format: Format) -> String {
        match (self, format) {
            (Text::Text(s), _) => s,
            (Text::Decimal(f), Format::Yaml) => serde_norway::Number::from(f).to_string(),
            (Text::Decimal(f), Format::Toml) => f.to_string(),
        }
    }

    /// The text a checked value looks at (a decimal as YAML shows it).
    fn shown(self) -> String {
        self.written(Format::Yaml)
    }
}

/// One text or a list of texts (`author: X` or `author: [X, Y]`).
#[derive(Debug)]
struct Texts(Vec<Text>);

/// `date`: a calendar date, `YYYY-MM-DD`.
#[derive(Debug)]
struct DateValue(Date);

/// `lang`: a BCP 47 language tag.
#[derive(Debug)]
struct Lang(String);

/// `dir`: `ltr` or `rtl`.
#[derive(Debug)]
struct Direction(Dir);

/// `layout`: a layout's name.
#[derive(Debug)]
struct Layout(String);

/// `infer`: true or false.
#[derive(Debug)]
struct Infer(bool);

/// `font-size`: the body size, in points (`10.5` or `10.5pt`).
#[derive(Debug)]
struct FontSize(f64);

/// `columns`: 1 to 4.
#[derive(Debug)]
struct ColumnCount(u8);

/// `pages`: the pages the statement is to fill, 1 to 64.
#[derive(Debug)]
struct Pages(u32);

/// `fit`: true or false.
#[derive(Debug)]
struct Fit(bool);

/// `original`: whether this edition is the one the others translate.
#[derive(Debug)]
struct Original(bool);

/// A value read from one text and checked as it is read: an error is its
/// message, with the hint after [`HINT`].
trait FromText: Sized {
    fn from_text(text: Text) -> Result<Self, String>;
}

impl FromText for Text {
    fn from_text(text: Text) -> Result<Self, String> {
        Ok(text)
    }
}

impl FromText for DateValue {
    fn from_text(text: Text) -> Result<Self, String> {
        let s = text.shown();
        parse_date(&s).map(DateValue).ok_or_else(|| {
            let (message, hint) = not_a_date(&s);
            format!("{message}{HINT}{hint}")
        })
    }
}

impl FromText for Lang {
    fn from_text(text: Text) -> Result<Self, String> {
        let s = text.shown();
        if valid_lang(&s) {
            return Ok(Lang(s));
        }
        let hint = match meant_lang(&s) {
            Some(tag) => format!("did you mean `{tag}`?"),
            None => "use a BCP 47 tag such as `en`, `de`, `ru` or `pt-BR`".into(),
        };
        Err(format!("`{s}` is not a language tag{HINT}{hint}"))
    }
}

impl FromText for Direction {
    fn from_text(text: Text) -> Result<Self, String> {
        let s = text.shown();
        match s.as_str() {
            "ltr" => Ok(Direction(Dir::Ltr)),
            "rtl" => Ok(Direction(Dir::Rtl)),
            _ => {
                let hint = match nearest(&s, &["ltr", "rtl"]) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "use `ltr` or `rtl`, or leave it out to derive it from `lang`".into(),
                };
                Err(format!("`{s}` is not a text direction{HINT}{hint}"))
            }
        }
    }
}

impl FromText for Layout {
    fn from_text(text: Text) -> Result<Self, String> {
        let s = text.shown();
        if valid_layout_name(&s) {
            Ok(Layout(s))
        } else {
            Err(format!(
                "`{s}` is not a layout name{HINT}a layout name is letters, digits, `-` and `_`, naming layouts/NAME.typ"
            ))
        }
    }
}

/// `true` or `false`; else the message for `key`, with `hint`.
fn boolean(text: Text, key: &str, hint: &str) -> Result<bool, String> {
    match text.shown().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        s => Err(format!("`{key}` is true or false, not `{s}`{HINT}{hint}")),
    }
}

impl FromText for Infer {
    fn from_text(text: Text) -> Result<Self, String> {
        boolean(
            text,
            "infer",
            "`infer: false` keeps pamphleteer from guessing the title, signature and slogans",
        )
        .map(Infer)
    }
}

impl FromText for FontSize {
    fn from_text(text: Text) -> Result<Self, String> {
        let shown = text.shown();
        let number = shown.strip_suffix("pt").unwrap_or(&shown).trim();
        match number.parse::<f64>() {
            Ok(pt) if (4.0..=72.0).contains(&pt) => Ok(FontSize(pt)),
            _ => Err(format!(
                "`font-size` is the body size in points, not `{shown}`{HINT}body type is usually 9 to 12 points, e.g. `font-size: 10.5`"
            )),
        }
    }
}

/// What a bad `columns` is told, here and under `[layout]`.
pub(crate) fn columns_error() -> String {
    format!("`columns` is a whole number from 1 to 4{HINT}the leaflet uses 2, the booklet 1")
}

/// What a bad `pages` is told, here and under `[layout]`.
pub(crate) fn pages_error() -> String {
    format!("`pages` is a whole number from 1 to 64{HINT}2 for a leaflet printed front and back")
}

impl FromText for ColumnCount {
    fn from_text(text: Text) -> Result<Self, String> {
        match text.shown().parse::<u8>() {
            Ok(c @ 1..=4) => Ok(ColumnCount(c)),
            _ => Err(columns_error()),
        }
    }
}

impl FromText for Pages {
    fn from_text(text: Text) -> Result<Self, String> {
        match text.shown().parse::<u32>() {
            Ok(p @ 1..=64) => Ok(Pages(p)),
            _ => Err(pages_error()),
        }
    }
}

impl FromText for Original {
    fn from_text(text: Text) -> Result<Self, String> {
        boolean(
            text,
            "original",
            "`original: true` marks the edition the others are translated from",
        )
        .map(Original)
    }
}

impl FromText for Fit {
    fn from_text(text: Text) -> Result<Self, String> {
        boolean(
            text,
            "fit",
            "`fit: false` sets the statement at the layout's sizes, without fitting it to its pages",
        )
        .map(Fit)
    }
}

/// Stand-ins in a value's message for what only the reader knows: the key
/// (the syntax says which it was) and the syntax's word for a table.
const KEY: &str = "\u{1}KEY\u{1}";
const A_TABLE: &str = "\u{1}A_TABLE\u{1}";

/// Reads one text into a `T`. A list or a table is an error, raised here,
/// inside the syntax's reading, so that the syntax knows the key it is at.
struct TextVisitor<T>(PhantomData<T>);

impl<T> TextVisitor<T> {
    fn new() -> Self {
        TextVisitor(PhantomData)
    }
}

impl<T: FromText> TextVisitor<T> {
    fn read<E: de::Error>(text: Text) -> Result<T, E> {
        T::from_text(text).map_err(E::custom)
    }
}

impl<'de, T: FromText> Visitor<'de> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Self::read(Text::Text(v.trim().to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Self::read(Text::Text(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Self::read(Text::Text(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Self::read(Text::Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Self::read(Text::Decimal(v))
    }

    /// YAML's null: an empty text.
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Self::read(Text::Text(String::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(de::Error::custom(format!(
            "{KEY} must be a single text, not a list"
        )))
    }

    /// A table, unless it is how TOML hands over a date.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        match toml::value::Datetime::deserialize(MapAccessDeserializer::new(map)) {
            Ok(date) => Self::read(Text::Text(date.to_string())),
            Err(_) => Err(de::Error::custom(format!(
                "{KEY} must be a text, not {A_TABLE}"
            ))),
        }
    }

    /// A YAML value with a tag (`!x value`): the value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        let (_, value) = data.variant::<de::IgnoredAny>()?;
        value.newtype_variant_seed(self)
    }
}

impl<'de, T: FromText> DeserializeSeed<'de> for TextVisitor<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! read_as_text {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                TextVisitor::<$t>::new().deserialize(d)
            }
        }
    )*};
}

read_as_text!(
    Text,
    DateValue,
    Lang,
    Direction,
    Layout,
    Infer,
    FontSize,
    ColumnCount,
    Pages,
    Fit,
    Original
);

/// Reads one text or a list of texts; anything but a list is one text.
struct TextsVisitor;

impl TextsVisitor {
    fn one<E>(text: Result<Text, E>) -> Result<Texts, E> {
        text.map(|t| Texts(vec![t]))
    }
}

impl<'de> Visitor<'de> for TextsVisitor {
    type Value = Texts;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text or a list of texts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(TextVisitor::<Text>::new())? {
            items.push(item);
        }
        Ok(Texts(items))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_str(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_u64(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_f64(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Texts, E> {
        Self::one(TextVisitor::new().visit_unit())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Texts, A::Error> {
        Self::one(TextVisitor::new().visit_map(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Texts, A::Error> {
        let (_, value) = data.variant::<de::IgnoredAny>()?;
        value.newtype_variant_seed(self)
    }
}

impl<'de> DeserializeSeed<'de> for TextsVisitor {
    type Value = Texts;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Texts, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TextsVisitor.deserialize(d)
    }
}

/// The language tag meant by a text that is not one, for the usual slips: a
/// locale's underscore (`en_US`, `pt_BR.UTF-8`) or the language's name
/// (`English`, `Deutsch`).
pub(crate) fn meant_lang(s: &str) -> Option<String> {
    let s = s.trim();
    let locale = s.split(['.', '@']).next().unwrap_or(s).replace('_', "-");
    if valid_lang(&locale) {
        return Some(
            locale
                .split('-')
                .enumerate()
                .map(|(i, part)| match part.len() {
                    _ if i == 0 => part.to_ascii_lowercase(),
                    2 => part.to_ascii_uppercase(),
                    4 => part[..1].to_ascii_uppercase() + &part[1..].to_ascii_lowercase(),
                    _ => part.to_ascii_lowercase(),
                })
                .collect::<Vec<_>>()
                .join("-"),
        );
    }
    let name = s.to_lowercase();
    let name = name.strip_suffix(" language").unwrap_or(&name);
    LANGUAGE_NAMES
        .iter()
        .find(|(tag, names)| *tag == name || names.contains(&name))
        .map(|(tag, _)| tag.to_string())
}

/// Languages by their English names and their own.
const LANGUAGE_NAMES: &[(&str, &[&str])] = &[
    ("ar", &["arabic", "العربية"]),
    ("cs", &["czech", "čeština"]),
    ("da", &["danish", "dansk"]),
    ("de", &["german", "deutsch"]),
    ("el", &["greek", "ελληνικά"]),
    ("en", &["english"]),
    ("es", &["spanish", "español", "espanol", "castellano"]),
    ("fa", &["persian", "farsi", "فارسی"]),
    ("fi", &["finnish", "suomi"]),
    ("fr", &["french", "français", "francais"]),
    ("he", &["hebrew", "עברית"]),
    ("hi", &["hindi", "हिन्दी"]),
    ("hu", &["hungarian", "magyar"]),
    ("it", &["italian", "italiano"]),
    ("ja", &["japanese", "日本語"]),
    ("ko", &["korean", "한국어"]),
    ("nl", &["dutch", "nederlands"]),
    ("no", &["norwegian", "norsk"]),
    ("pl", &["polish", "polski"]),
    ("pt", &["portuguese", "português", "portugues"]),
    ("ro", &["romanian", "română", "romana"]),
    ("ru", &["russian", "русский"]),
    ("sv", &["swedish", "svenska"]),
    ("tr", &["turkish", "türkçe", "turkce"]),
    ("uk", &["ukrainian", "українська"]),
    ("ur", &["urdu", "اردو"]),
    ("zh", &["chinese", "中文"]),
];

/// Reads the front matter into `Meta`. `lang` defaults to `en`.
pub(crate) fn parse(path: &Path, split: &Fenced) -> Result<Meta, Diagnostic> {
    let Some(format) = split.format else {
        return Ok(RawMeta::default().into_meta(Format::Yaml));
    };
    // The syntax first, as its own error; then the keys and their values.
    let keys = match format {
        Format::Yaml => yaml_keys(path, split)?,
        Format::Toml => toml_keys(path, split)?,
    };
    let raw = match format {
        Format::Yaml if split.matter.trim().is_empty() => RawMeta::default(),
        Format::Yaml => read_yaml(path, split)?,
        Format::Toml => read_toml(path, split)?,
    };
    let mut meta = raw.into_meta(format);
    meta.key_lines = keys
        .into_iter()
        .map(|key| {
            let line = key_line(split, &key);
            (key, line)
        })
        .collect();
    Ok(meta)
}

/// The line on which a top-level key is written (falls back to the first line).
fn key_line(split: &Fenced, key: &str) -> usize {
    find_key_line(split, key).unwrap_or(split.matter_line)
}

/// The line on which a top-level key is written as `key:` or `key =`.
fn find_key_line(split: &Fenced, key: &str) -> Option<usize> {
    for (i, l) in split.matter.lines().enumerate() {
        let t = l.trim_start_matches(['"', '\'']);
        if !l.starts_with([' ', '\t'])
            && let Some(rest) = t.strip_prefix(key)
            && rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with([':', '='])
        {
            return Some(split.matter_line + i);
        }
    }
    None
}

/// An error in reading the keys' values. `key` is the key the syntax says
/// the error is in: the error goes on the key's line, however far into its
/// value the trouble is. Without one (an unknown key), or when the key is
/// not on a line of its own, it goes where the syntax says, at `line`.
fn value_error(
    path: &Path,
    split: &Fenced,
    format: Format,
    key: Option<&str>,
    message: &str,
    line: Option<usize>,
) -> Diagnostic {
    let (message, hint) = if message.contains(KEY) {
        // A list or a table where a text belongs.
        let named = key.map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
        let table = match format {
            Format::Yaml => "a mapping",
            Format::Toml => "a table",
        };
        let message = message.replace(KEY, &named).replace(A_TABLE, table);
        (message, None)
    } else if let Some(found) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.strip_suffix(", expected field identifier"))
    {
        (
            format!("this key is a {found}, not a name"),
            Some("keys are names such as `title` or `date`".to_string()),
        )
    } else {
        let (message, hint) = explain(message);
        (
            message,
            Some(hint.unwrap_or_else(|| syntax_hint(format).into())),
        )
    };
    let line = key
        .and_then(|key| find_key_line(split, key))
        .or(line)
        .unwrap_or(split.matter_line);
    let err = Diagnostic::new(path, line, message);
    match hint {
        Some(hint) => err.hint(hint),
        None => err,
    }
}

fn syntax_hint(format: Format) -> &'static str {
    match format {
        Format::Yaml => {
            "front matter is `key: value` lines; quote values that contain `: ` or start with a special character"
        }
        Format::Toml => "front matter between `+++` lines is TOML: `key = \"value\"`",
    }
}

/// Checks the YAML's syntax and that it is `key: value` lines; returns the
/// keys in the order written.
fn yaml_keys(path: &Path, split: &Fenced) -> Result<Vec<String>, Diagnostic> {
    if split.matter.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_norway::Value = serde_norway::from_str(split.matter).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((0, None), |l| (l.line(), Some(l.column())));
        let mut err = Diagnostic::new(
            path,
            split.matter_line + line.saturating_sub(1),
            format!(
                "the YAML front matter does not parse: {}",
                strip_location(&e.to_string())
            ),
        );
        if let Some(c) = col {
            err = err.column(c);
        }
        err.hint(syntax_hint(Format::Yaml))
    })?;
    let serde_norway::Value::Mapping(map) = value else {
        return Err(Diagnostic::new(
            path,
            split.matter_line,
            "the front matter is not a set of `key: value` lines",
        )
        .hint("write one `key: value` per line, e.g. `title: Homes for all`"));
    };
    // Keys that are not texts are never valid: reading the values says so.
    Ok(map
        .into_iter()
        .filter_map(|(k, _)| k.as_str().map(str::to_string))
        .collect())
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Reads the YAML's keys and values.
fn read_yaml(path: &Path, split: &Fenced) -> Result<RawMeta, Diagnostic> {
    serde_norway::from_str(split.matter).map_err(|e| {
        // The text is `key: message at line L column C`, the key (serde's
        // path) left out for an error in no key's value.
        let shown = e.to_string();
        let shown = e
            .location()
            .and_then(|l| {
                shown.strip_suffix(&format!(" at line {} column {}", l.line(), l.column()))
            })
            .unwrap_or(&shown);
        let (key, message) = yaml_path(shown);
        let line = e
            .location()
            .map(|l| split.matter_line + l.line().saturating_sub(1));
        value_error(path, split, Format::Yaml, key, message, line)
    })
}

/// Splits serde_norway's `author[1]: message` into the top-level key and
/// the message.
fn yaml_path(shown: &str) -> (Option<&str>, &str) {
    let key_end = shown
        .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
        .unwrap_or(shown.len());
    let mut rest = &shown[key_end..];
    while let Some(index) = rest.strip_prefix('[') {
        let digits = index
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(index.len());
        match index[digits..].strip_prefix(']') {
            Some(after) if digits > 0 => rest = after,
            _ => return (None, shown),
        }
    }
    match rest.strip_prefix(": ") {
        Some(message) if key_end > 0 => (Some(&shown[..key_end]), message),
        _ => (None, shown),
    }
}

/// Checks the TOML's syntax; returns the keys (in toml's order).
fn toml_keys(path: &Path, split: &Fenced) -> Result<Vec<String>, Diagnostic> {
    let table: toml::Table = toml::from_str(split.matter).map_err(|e| {
        Diagnostic::new(
            path,
            toml_line(split, &e).unwrap_or(split.matter_line),
            format!("the TOML front matter does not parse: {}", e.message()),
        )
        .hint(syntax_hint(Format::Toml))
    })?;
    Ok(table.into_iter().map(|(k, _)| k).collect())
}

/// Reads the TOML's keys and values.
fn read_toml(path: &Path, split: &Fenced) -> Result<RawMeta, Diagnostic> {
    toml::from_str(split.matter).map_err(|e| {
        let key = toml_key(&e);
        value_error(
            path,
            split,
            Format::Toml,
            key.as_deref(),
            e.message(),
            toml_line(split, &e),
        )
    })
}

/// The file line a TOML error points at.
fn toml_line(split: &Fenced, e: &toml::de::Error) -> Option<usize> {
    e.span().map(|s| {
        split.matter_line
            + split.matter[..s.start.min(split.matter.len())]
                .matches('\n')
                .count()
    })
}

/// The top-level key a TOML error is in: toml keeps the keys, and shows them
/// (as "in `author`") when it has no text to quote.
fn toml_key(e: &toml::de::Error) -> Option<String> {
    let mut e = e.clone();
    e.set_input(None);
    let shown = e.to_string();
    let keys = shown
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("in `")?.strip_suffix('`'))?;
    keys.split('.').next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::Date;

    fn meta(text: &str) -> Result<Meta, Diagnostic> {
        let path = Path::new("t.md");
        let s = split(path, text)?;
        parse(path, &s)
    }

    #[test]
    fn yaml_and_toml_agree() {
        let y =
            meta("---\ntitle: A \"B\"\nauthor: [X, Y]\ndate: 2026-03-08\nlang: de\n---\nBody\n")
                .unwrap();
        let t = meta("+++\ntitle = 'A \"B\"'\nauthor = ['X', 'Y']\ndate = 2026-03-08\nlang = 'de'\n+++\nBody\n").unwrap();
        assert_eq!(
            Meta {
                key_lines: vec![],
                ..y.clone()
            },
            Meta {
                key_lines: vec![],
                ..t.clone()
            }
        );
        assert_eq!(y.line_of("date"), 4);
        assert_eq!(t.line_of("date"), 4);
        assert_eq!(y.title.as_deref(), Some("A \"B\""));
        assert_eq!(y.authors, vec!["X", "Y"]);
        assert_eq!(
            y.date,
            Some(Date {
                year: 2026,
                month: 3,
                day: 8
            })
        );
    }

    #[test]
    fn crlf_files_count_lines_like_lf_files() {
        let e = meta("---\r\ntitle: A\r\nsubtitel: B\r\n---\r\n").unwrap_err();
        assert_eq!(e.line, 3);
        let s = split(Path::new("t.md"), "---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!((s.body, s.body_offset), ("Body\r\n", 3));
    }

    #[test]
    fn dates_are_strict() {
        for bad in [
            "+026-01-01",
            "2026-+1-08",
            "0000-01-01",
            "2026-1-8",
            "26-01-01",
            "2026-13-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_date("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
    }

    #[test]
    fn body_offset_counts_fence_lines() {
        let s = split(Path::new("t.md"), "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 3);
    }

    #[test]
    fn unknown_key_names_line_and_nearest() {
        let e = meta("---\ntitle: A\nsubtitel: B\n---\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "unknown key `subtitel`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `subtitle`?"));
    }

    #[test]
    fn bad_values_are_errors_on_their_line() {
        let e = meta("---\ntitle: A\ndate: 2026-02-30\n---\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (3, "`2026-02-30` is not a date")
        );
        let e = meta("---\nlang: english language\n---\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = meta("---\ndir: rtll\n---\n").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `rtl`?"));
        let e = meta("---\ntitle: [a, b]\n---\n").unwrap_err();
        assert!(e.message.contains("not a list"), "{e}");
    }

    #[test]
    fn unknown_keys_in_toml_too() {
        let e = meta("+++\ntitle = 'A'\ntitel = 'B'\n+++\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str(), e.hint.as_deref()),
            (3, "unknown key `titel`", Some("did you mean `title`?"))
        );
        let e = meta("+++\ntitle = 'A'\n[autor]\nx = 1\n+++\n").unwrap_err();
        assert_eq!(
            (e.line, e.hint.as_deref()),
            (3, Some("did you mean `author`?"))
        );
        let e = meta("---\ncolour: red\n---\n").unwrap_err();
        assert!(e.hint.unwrap().contains("`title`, `subtitle`, `author`"));
    }

    #[test]
    fn dates_say_what_is_wrong() {
        for (text, hint) in [
            (
                "---\ntitle: A\ndate: 2026-13-45\n---\n",
                "there is no month 13; the months are 01 to 12",
            ),
            (
                "+++\ntitle = 'A'\ndate = '2026-13-45'\n+++\n",
                "there is no month 13; the months are 01 to 12",
            ),
            (
                "---\ntitle: A\ndate: 2026-02-30\n---\n",
                "there is no day 30 in February 2026, which has 28 days",
            ),
            (
                "+++\ntitle = 'A'\ndate = '2026-02-30'\n+++\n",
                "there is no day 30 in February 2026, which has 28 days",
            ),
            (
                "---\ntitle: A\ndate: 8 March 2026\n---\n",
                "write the date as YYYY-MM-DD, for example 2026-03-08",
            ),
            (
                "---\ntitle: A\ndate: 2026-3-8\n---\n",
                "write the date as YYYY-MM-DD: 2026-03-08",
            ),
        ] {
            let e = meta(text).unwrap_err();
            assert_eq!((e.line, e.hint.as_deref()), (3, Some(hint)), "{text}");
            assert!(e.message.ends_with("` is not a date"), "{e}");
        }
    }

    #[test]
    fn language_tags_meant() {
        for (text, line) in [
            ("---\ntitle: A\nlang: en_US\n---\n", 3),
            ("+++\nlang = 'en_US'\n+++\n", 2),
        ] {
            let e = meta(text).unwrap_err();
            assert_eq!(
                (e.line, e.message.as_str(), e.hint.as_deref()),
                (
                    line,
                    "`en_US` is not a language tag",
                    Some("did you mean `en-US`?")
                )
            );
        }
        assert_eq!(meant_lang("pt_br.UTF-8").as_deref(), Some("pt-BR"));
        assert_eq!(meant_lang("sr_latn_RS").as_deref(), Some("sr-Latn-RS"));
        assert_eq!(meant_lang("Deutsch").as_deref(), Some("de"));
        assert_eq!(meant_lang("english language").as_deref(), Some("en"));
        assert_eq!(meant_lang("Klingon"), None);
        let e = meta("---\nlang: Klingon\n---\n").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("use a BCP 47 tag such as `en`, `de`, `ru` or `pt-BR`")
        );
    }

    #[test]
    fn values_of_the_wrong_shape_name_their_key_and_line() {
        for (text, line, message) in [
            (
                "---\nauthor:\n  - X\n  - [Y]\n---\n",
                2,
                "`author` must be a single text, not a list",
            ),
            (
                "---\ntitle: A\ndate: {y: 1}\n---\n",
                3,
                "`date` must be a text, not a mapping",
            ),
            (
                "+++\nauthor = [\n  'X',\n  ['Y'],\n]\n+++\n",
                2,
                "`author` must be a single text, not a list",
            ),
            (
                "+++\ntitle = 'A'\n[slogans]\nx = 1\n+++\n",
                3,
                "`slogans` must be a text, not a table",
            ),
        ] {
            let e = meta(text).unwrap_err();
            assert_eq!(
                (e.line, e.message.as_str(), e.hint),
                (line, message, None),
                "{text}"
            );
        }
    }

    #[test]
    fn texts_as_each_syntax_writes_them() {
        let y = meta("---\ntitle: 1.0\nsubtitle:\nauthor: [2026, true, '', ~]\nkeywords:\ninfer: false\n---\n").unwrap();
        assert_eq!(y.title.as_deref(), Some("1.0"));
        assert_eq!(y.subtitle, None);
        assert_eq!(y.authors, vec!["2026", "true"]);
        assert_eq!(y.keywords, vec![""]);
        assert_eq!(y.infer, Some(false));
        assert_eq!(y.line_of("subtitle"), 3);
        let t = meta("+++\ntitle = 1.0\ncover = 2026-03-08\ninfer = 'true'\n+++\n").unwrap();
        assert_eq!(t.title.as_deref(), Some("1"));
        assert_eq!(t.cover.as_deref(), Some("2026-03-08"));
        assert_eq!(t.infer, Some(true));
        // A key with no value is given, and checked.
        let e = meta("---\ndir:\n---\n").unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (2, "`` is not a text direction")
        );
    }

    #[test]
    fn syntax_errors_and_unclosed_fences() {
        let e = meta("---\ntitle: A\n  bad: : indent\n---\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        let e = meta("---\ntitle: A\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn defaults_and_direction() {
        let m = meta("No front matter.\n").unwrap();
        assert_eq!(m.lang, "en");
        assert_eq!(m.dir, Dir::Ltr);
        assert_eq!(meta("---\nlang: ar\n---\n").unwrap().dir, Dir::Rtl);
        assert_eq!(
            meta("---\nlang: ar\ndir: ltr\n---\n").unwrap().dir,
            Dir::Ltr
        );
        let m = meta("---\nlang: pt-BR\n---\n").unwrap();
        assert_eq!(
            (m.language().as_str(), m.region().as_deref()),
            ("pt", Some("BR"))
        );
    }
}
