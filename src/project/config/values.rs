//! The values `pamphleteer.toml` holds, each checked as it is read
//! (a paper, a colour, a length, a language...): what is wrong becomes
//! the error at its key, with a hint.

use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::model::diagnostics::{HINT, nearest};
use crate::model::document::{Date, Dir};
use crate::model::units::Length;
use crate::project::config::paper::PAPERS;
use crate::project::config::{Grouping, Order, ParagraphStyle};
use crate::read::frontmatter::{columns_error, pages_error};

/// A value checked when it is read: the message becomes the error, with a
/// hint after [`HINT`].
macro_rules! checked {
    ($name:ident, $inner:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = Raw::deserialize(d)?;
                $name::check(raw).map(Self).map_err(de::Error::custom)
            }
        }
    };
}

/// What a checked value may be written as.
#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Str(String),
    Int(i64),
    Float(f64),
    Date(toml::value::Datetime),
    Bool(bool),
    Other(de::IgnoredAny),
}

impl Raw {
    fn text(self, what: &str) -> Result<String, String> {
        match self {
            Raw::Str(s) => Ok(s),
            Raw::Date(d) => Ok(d.to_string()),
            _ => Err(format!("{what} must be a text in quotes")),
        }
    }
}

checked!(
    Paper,
    String,
    "A paper size Typst knows (`a4`, `a5`, `us-letter`)."
);
impl Paper {
    fn check(raw: Raw) -> Result<String, String> {
        let s = raw.text("`paper`")?;
        if typst::layout::Paper::from_str(&s).is_ok() {
            return Ok(s.to_ascii_lowercase());
        }
        let hint = match nearest(&s.to_ascii_lowercase(), PAPERS) {
            Some(n) => format!("did you mean `{n}`?"),
            None => {
                "Typst's paper names include `a4`, `a5`, `a6`, `us-letter` and `us-legal`".into()
            }
        };
        Err(format!("`{s}` is not a paper size Typst knows{HINT}{hint}"))
    }

    /// Width and height in millimetres.
    pub fn size_mm(&self) -> (f64, f64) {
        let p = typst::layout::Paper::from_str(&self.0).unwrap_or(typst::layout::Paper::A4);
        (p.width().to_mm(), p.height().to_mm())
    }
}

checked!(
    Colour,
    String,
    "A colour: `#rgb`, `#rrggbb` or one of Typst's named colours; kept as `#rrggbb`."
);
impl Colour {
    fn check(raw: Raw) -> Result<String, String> {
        let s = raw.text("a colour")?;
        let t = s.trim().to_ascii_lowercase();
        if let Some((_, hex)) = NAMED_COLOURS.iter().find(|(n, _)| *n == t) {
            return Ok((*hex).to_string());
        }
        if let Some(hex) = t.strip_prefix('#')
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            match hex.len() {
                6 => return Ok(format!("#{hex}")),
                3 => {
                    let long: String = hex.chars().flat_map(|c| [c, c]).collect();
                    return Ok(format!("#{long}"));
                }
                _ => {}
            }
        }
        let names: Vec<&str> = NAMED_COLOURS.iter().map(|(n, _)| *n).collect();
        let hint = match nearest(&t, &names) {
            Some(n) => format!("did you mean `{n}`? A colour is `#rrggbb`, `#rgb` or a name"),
            None => {
                "write it as `#rrggbb` (e.g. `#b3141c`), `#rgb` or a name such as `maroon`".into()
            }
        };
        Err(format!("`{s}` is not a colour{HINT}{hint}"))
    }
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(d)?;
        let text = match raw {
            Raw::Int(_) | Raw::Float(_) => {
                return Err(de::Error::custom(format!(
                    "a length needs a unit{HINT}write it with `mm`, `cm`, `in` or `pt`, e.g. \"15mm\""
                )));
            }
            other => other.text("a length").map_err(de::Error::custom)?,
        };
        Length::parse(&text).ok_or_else(|| {
            let comma = if text.contains(',') {
                "write the decimal point as `.`, and "
            } else {
                ""
            };
            de::Error::custom(format!(
                "`{text}` is not a length{HINT}{comma}write a number of zero or more and a unit (`mm`, `cm`, `in` or `pt`), e.g. \"3mm\""
            ))
        })
    }
}

/// A bare number of points, or a length with its unit.
fn points_or_length(raw: Raw) -> Option<Length> {
    match raw {
        Raw::Int(i) => Some(Length::pt(i as f64)),
        Raw::Float(f) => Some(Length::pt(f)),
        Raw::Str(s) => Length::parse(&s),
        _ => None,
    }
}

checked!(
    TypeSize,
    Length,
    "A type size: a length, or a number of points."
);
impl TypeSize {
    fn check(raw: Raw) -> Result<Length, String> {
        match points_or_length(raw) {
            Some(l) if l.to_pt() >= 4.0 && l.to_pt() <= 72.0 => Ok(l),
            Some(l) => Err(format!(
                "{l} is not a usable type size{HINT}body type is usually 9 to 12 points"
            )),
            None => Err(format!(
                "a type size is a number of points or a length{HINT}e.g. 10.5 or \"10.5pt\""
            )),
        }
    }
}

/// Page margins: one length for all four, or each side by name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: Option<Length>,
    pub bottom: Option<Length>,
    pub inside: Option<Length>,
    pub outside: Option<Length>,
}

impl<'de> Deserialize<'de> for Margins {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Sides {
            top: Option<Length>,
            bottom: Option<Length>,
            inside: Option<Length>,
            outside: Option<Length>,
        }
        // Untagged enums lose the inner message; try each way explicitly.
        let value = toml::Value::deserialize(d)?;
        match value {
            toml::Value::Table(t) => {
                for key in t.keys() {
                    if !["top", "bottom", "inside", "outside"].contains(&key.as_str()) {
                        let hint = match nearest(key, &["top", "bottom", "inside", "outside"]) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None => "the sides are `top`, `bottom`, `inside` and `outside`".into(),
                        };
                        return Err(de::Error::custom(format!(
                            "unknown margin `{key}`{HINT}{hint}"
                        )));
                    }
                }
                let sides: Sides = toml::Value::Table(t)
                    .try_into()
                    .map_err(|e: toml::de::Error| de::Error::custom(e.message()))?;
                Ok(Margins {
                    top: sides.top,
                    bottom: sides.bottom,
                    inside: sides.inside,
                    outside: sides.outside,
                })
            }
            other => {
                let l: Length = other
                    .try_into()
                    .map_err(|e: toml::de::Error| de::Error::custom(e.message()))?;
                Ok(Margins {
                    top: Some(l),
                    bottom: Some(l),
                    inside: Some(l),
                    outside: Some(l),
                })
            }
        }
    }
}

checked!(
    PageCount,
    u32,
    "The pages a statement is meant to fill, 1 to 64."
);
impl PageCount {
    fn check(raw: Raw) -> Result<u32, String> {
        match raw {
            Raw::Int(i @ 1..=64) => Ok(i as u32),
            _ => Err(pages_error()),
        }
    }
}

checked!(
    Shrink,
    Length,
    "How far the type may shrink to keep a statement to its pages: up to 2 points."
);
impl Shrink {
    fn check(raw: Raw) -> Result<Length, String> {
        match points_or_length(raw) {
            Some(l) if l.to_pt() > 0.0 && l.to_pt() <= 2.0 => Ok(l),
            _ => Err(format!(
                "`shrink` is how many points the type may lose, more than 0 and at most 2{HINT}e.g. 1 or \"0.5pt\""
            )),
        }
    }
}

checked!(Switch, bool, "`true` or `false`.");
impl Switch {
    fn check(raw: Raw) -> Result<bool, String> {
        match raw {
            Raw::Bool(b) => Ok(b),
            Raw::Str(s) => Err(format!(
                "`fit` is true or false, not the text \"{s}\"{HINT}write `fit = false` (no quotes) to set statements as the settings say, unfitted"
            )),
            _ => Err(format!(
                "`fit` is true or false{HINT}write `fit = false` to set statements as the settings say, unfitted"
            )),
        }
    }
}

checked!(Columns, u8, "A number of text columns, 1 to 4.");
impl Columns {
    fn check(raw: Raw) -> Result<u8, String> {
        match raw {
            Raw::Int(i @ 1..=4) => Ok(i as u8),
            _ => Err(columns_error()),
        }
    }
}

checked!(ParagraphName, ParagraphStyle, "`indent` or `spacing`.");
impl ParagraphName {
    fn check(raw: Raw) -> Result<ParagraphStyle, String> {
        let s = raw.text("`paragraph`")?;
        match s.as_str() {
            "indent" => Ok(ParagraphStyle::Indent),
            "spacing" => Ok(ParagraphStyle::Spacing),
            _ => {
                let hint = match nearest(&s, &["indent", "spacing"]) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => {
                        "use `indent` (first-line indent) or `spacing` (space between paragraphs)"
                            .into()
                    }
                };
                Err(format!("`{s}` is not a paragraph style{HINT}{hint}"))
            }
        }
    }
}

checked!(
    KnownLang,
    String,
    "A language pamphleteer knows by its name (`it`, `en`, `pt-BR`): an edition's."
);
impl KnownLang {
    fn check(raw: Raw) -> Result<String, String> {
        let s = Lang::check(raw)?;
        if crate::model::lang::autonym(&s).is_some() {
            return Ok(s);
        }
        Err(format!(
            "`{s}` is not a language whose name pamphleteer knows{HINT}use the tag of the editions' file names, such as \"en\", \"it\" or \"ar\""
        ))
    }
}

checked!(Lang, String, "A BCP 47 language tag.");
impl Lang {
    fn check(raw: Raw) -> Result<String, String> {
        let s = raw.text("a language")?;
        if crate::model::lang::valid_lang(&s) {
            return Ok(s);
        }
        let hint = match crate::read::frontmatter::meant_lang(&s) {
            Some(tag) => format!("did you mean `{tag}`?"),
            None => "use a BCP 47 tag such as `en`, `de`, `ar` or `pt-BR`".into(),
        };
        Err(format!("`{s}` is not a language tag{HINT}{hint}"))
    }
}

checked!(
    OnlinePattern,
    String,
    "A web address with `{name}`, `{lang}` or `{slug}` standing for each statement's."
);
impl OnlinePattern {
    /// What each placeholder stands for.
    pub const PLACES: [&'static str; 3] = ["{name}", "{lang}", "{slug}"];

    fn check(raw: Raw) -> Result<String, String> {
        let s = raw.text("`online`")?;
        let example = "e.g. \"https://example.org/statements/{name}/{lang}/\"";
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            return Err(format!(
                "`online` is the address of the statements on the web, starting with https://{HINT}{example}"
            ));
        }
        let mut rest = s.as_str();
        while let Some(at) = rest.find('{') {
            let tail = &rest[at..];
            let Some(place) = Self::PLACES.iter().find(|p| tail.starts_with(**p)) else {
                let end = tail.find('}').map_or(tail.len(), |e| e + 1);
                return Err(format!(
                    "`{}` in `online` stands for nothing{HINT}use `{{name}}` (the statement's name, shared by its translations), `{{lang}}` (its language) or `{{slug}}` (its file's name)",
                    &tail[..end]
                ));
            };
            rest = &tail[place.len()..];
        }
        if !s.contains("{name}") && !s.contains("{slug}") {
            return Err(format!(
                "`online` gives every statement the same address{HINT}put `{{name}}` or `{{slug}}` in it: {example}"
            ));
        }
        Ok(s)
    }

    /// The address of a statement: its group's name (its own slug when it
    /// has no translations), its language and its file's name.
    pub fn address(&self, name: &str, lang: &str, slug: &str) -> String {
        self.0
            .replace("{name}", name)
            .replace("{lang}", lang)
            .replace("{slug}", slug)
    }
}

/// Two languages to set side by side (`["it", "en"]`): known tags, and
/// not the same twice. The first is on the left unless it runs right to
/// left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangPair {
    pub first: String,
    pub second: String,
}

impl LangPair {
    pub(crate) fn check(value: toml::Value) -> Result<LangPair, String> {
        let example = "e.g. `parallel = [[\"it\", \"en\"]]`: a list of pairs of languages";
        let tags: Vec<String> = match value {
            toml::Value::Array(items) => items
                .into_iter()
                .map(|i| match i {
                    toml::Value::String(s) => Ok(s),
                    other => Err(format!(
                        "a parallel edition's languages are texts in quotes, not {}{HINT}{example}",
                        other.type_str()
                    )),
                })
                .collect::<Result<_, _>>()?,
            toml::Value::String(s) => {
                return Err(format!(
                    "`\"{s}\"` is one language: a parallel edition is a pair of them{HINT}{example}"
                ));
            }
            other => {
                return Err(format!(
                    "a parallel edition is a pair of languages, not {}{HINT}{example}",
                    other.type_str()
                ));
            }
        };
        let [first, second] = <[String; 2]>::try_from(tags).map_err(|tags| {
            format!(
                "a parallel edition is a pair of languages, not {} language{}{HINT}{example}",
                tags.len(),
                if tags.len() == 1 { "" } else { "s" }
            )
        })?;
        for tag in [&first, &second] {
            if !crate::model::lang::valid_lang(tag) || crate::model::lang::autonym(tag).is_none() {
                let hint = match crate::read::frontmatter::meant_lang(tag).filter(|t| t != tag) {
                    Some(t) => format!("did you mean `{t}`?"),
                    None => "use the language tags the editions' file names end in (`it` for sciopero.it.md)".into(),
                };
                return Err(format!(
                    "`{tag}` is not a language pamphleteer knows{HINT}{hint}"
                ));
            }
        }
        if first.eq_ignore_ascii_case(&second) {
            return Err(format!(
                "`{first}` beside `{second}`: a parallel edition is two different languages{HINT}name the two languages to set side by side, e.g. [\"it\", \"en\"]"
            ));
        }
        Ok(LangPair { first, second })
    }
}

checked!(DirName, Dir, "`ltr` or `rtl`.");
impl DirName {
    fn check(raw: Raw) -> Result<Dir, String> {
        let s = raw.text("a direction")?;
        match s.as_str() {
            "ltr" => Ok(Dir::Ltr),
            "rtl" => Ok(Dir::Rtl),
            _ => Err(format!(
                "`{s}` is not a text direction{HINT}use `ltr` or `rtl`, or leave it out to derive it from the language"
            )),
        }
    }
}

checked!(OrderName, Order, "`date`, `date-desc`, `list` or `title`.");
impl OrderName {
    fn check(raw: Raw) -> Result<Order, String> {
        let s = raw.text("`order`")?;
        Ok(match s.as_str() {
            "date" => Order::DateAscending,
            "date-desc" => Order::DateDescending,
            "list" => Order::List,
            "title" => Order::Title,
            _ => {
                return Err(choice(
                    &s,
                    "an order",
                    &["date", "date-desc", "list", "title"],
                ));
            }
        })
    }
}

checked!(GroupName, Grouping, "`year`, `language` or `organisation`.");
impl GroupName {
    fn check(raw: Raw) -> Result<Grouping, String> {
        let s = raw.text("`group`")?;
        Ok(match s.as_str() {
            "year" => Grouping::Year,
            "language" => Grouping::Language,
            "organisation" | "organization" => Grouping::Organisation,
            _ => {
                return Err(choice(
                    &s,
                    "a grouping",
                    &["year", "language", "organisation"],
                ));
            }
        })
    }
}

/// "`x` is not WHAT" with the nearest of `valid` as a hint.
fn choice(s: &str, what: &str, valid: &[&str]) -> String {
    let hint = match nearest(s, valid) {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!(
            "use one of {}",
            valid
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("`{s}` is not {what}{HINT}{hint}")
}

checked!(LayoutName, String, "A layout's name.");
impl LayoutName {
    fn check(raw: Raw) -> Result<String, String> {
        let s = raw.text("a layout name")?;
        if crate::model::names::valid_layout_name(&s) {
            Ok(s)
        } else {
            Err(format!(
                "`{s}` is not a layout name{HINT}a layout name is letters, digits, `-` and `_`, naming layouts/NAME.typ"
            ))
        }
    }
}

checked!(ConfigDate, Date, "A calendar date, `YYYY-MM-DD`.");
impl ConfigDate {
    fn check(raw: Raw) -> Result<Date, String> {
        let s = raw.text("a date")?;
        crate::model::dates::parse_date(&s).ok_or_else(|| {
            let (message, hint) = crate::model::dates::not_a_date(&s);
            format!("{message}{HINT}{hint}")
        })
    }
}

/// Reads and checks a project file; returns it with its text (for the
/// lines of later messages).
/// Typst's named colours, as hex.
const NAMED_COLOURS: &[(&str, &str)] = &[
    ("black", "#000000"),
    ("gray", "#aaaaaa"),
    ("silver", "#dddddd"),
    ("white", "#ffffff"),
    ("navy", "#001f3f"),
    ("blue", "#0074d9"),
    ("aqua", "#7fdbff"),
    ("teal", "#39cccc"),
    ("eastern", "#239dad"),
    ("purple", "#b10dc9"),
    ("fuchsia", "#f012be"),
    ("maroon", "#85144b"),
    ("red", "#ff4136"),
    ("orange", "#ff851b"),
    ("yellow", "#ffdc00"),
    ("olive", "#3d9970"),
    ("green", "#2ecc40"),
    ("lime", "#01ff70"),
];

/// What a value is, for a message (`a text`, `a number`).
fn kind(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a text",
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "`true` or `false`",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// A value of another kind than the key takes: said in our words.
fn wrong<E: de::Error>(value: &toml::Value, wanted: &str) -> E {
    E::custom(format!(
        "a value of the wrong type: {} where {wanted} goes{HINT}texts go in quotes, lists in [ ], switches are true or false",
        kind(value)
    ))
}

/// A setting that is a text.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(s),
        other => Err(wrong(&other, "a text in quotes")),
    }
}

pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(Some)
}

/// A setting that is a list of texts.
pub(crate) fn opt_texts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                toml::Value::String(s) => Ok(s),
                other => Err(wrong(&other, "a text in quotes")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(wrong(&other, "a list of texts in [ ]")),
    }
}

/// A setting that is on or off.
pub(crate) fn switch<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Boolean(b) => Ok(b),
        other => Err(wrong(&other, "`true` or `false`")),
    }
}

pub(crate) fn opt_switch<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    switch(d).map(Some)
}
