//! `pamphleteer.toml`: the project's settings, typed and checked when they
//! are read. Every error names the file, the line and the nearest valid key
//! or value.

use std::path::Path;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::model::diagnostics::{self, HINT, SourceError, nearest};
use crate::model::document::{Date, Dir};
use crate::model::units::Length;
use crate::read::frontmatter::{columns_error, pages_error};

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
    pub title: String,
    pub subtitle: Option<String>,
    pub editors: Option<OneOrMany>,
    /// Default: `[project] publisher`.
    pub publisher: Option<String>,
    /// A Markdown file (relative to the project) set before the statements.
    pub preface: Option<String>,
    /// Which statements: glob patterns (`sources/2026/*.md`), or paths in
    /// the order wanted. Default: every statement.
    pub statements: Option<Vec<String>>,
    pub order: Option<OrderName>,
    pub group: Option<GroupName>,
    /// Default `book`.
    pub layout: Option<LayoutName>,
    /// The output's name (`out/<slug>.pdf`); default: from the title.
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
    pub identifier: Option<String>,
    /// The e-book's cover image; default: drawn.
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
pub enum Group {
    Year,
    Language,
    Organisation,
}

/// `[project]`: who publishes, under which terms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectSection {
    pub title: Option<String>,
    pub publisher: Option<String>,
    /// The organisation's web address, printed under the signature.
    pub url: Option<String>,
    /// The licence or rights statement (`CC BY-SA 4.0`).
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
    pub place: Option<String>,
    pub date: Option<ConfigDate>,
    pub lang: Option<Lang>,
    pub dir: Option<DirName>,
    pub layout: Option<LayoutName>,
    pub publisher: Option<String>,
    pub keywords: Option<OneOrMany>,
    /// Whether bare statements get a title, signature and slogans inferred.
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
    pub body_font: Option<String>,
    pub heading_font: Option<String>,
    pub body_fallback: Option<Vec<String>>,
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
    pub qr: Option<bool>,
}

/// `[outputs]`: what `pamphleteer build` makes of each statement.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Outputs {
    /// The leaflet PDF (or whatever the statement's layout makes).
    pub pdf: bool,
    pub epub: bool,
    /// The generated Typst source.
    pub typst: bool,
    /// Folder for everything built, relative to the project.
    pub dir: String,
    /// Package the shipped fonts an e-book uses.
    pub embed_fonts: bool,
    /// Also the PDF's pages two-up on sheets in saddle-stitch order
    /// (`x.imposed.pdf`).
    pub impose: bool,
    /// Also a PDF for the print shop, with bleed and crop marks
    /// (`x.press.pdf`).
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
    fn check(value: toml::Value) -> Result<LangPair, String> {
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

checked!(GroupName, Group, "`year`, `language` or `organisation`.");
impl GroupName {
    fn check(raw: Raw) -> Result<Group, String> {
        let s = raw.text("`group`")?;
        Ok(match s.as_str() {
            "year" => Group::Year,
            "language" => Group::Language,
            "organisation" | "organization" => Group::Organisation,
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
pub fn load(path: &Path) -> Result<(Config, String), SourceError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        SourceError::new(path, 0, format!("cannot read the project file: {e}"))
            .hint("pamphleteer.toml must be a readable UTF-8 text file")
    })?;
    parse(path, &text).map(|c| (c, text))
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

/// Parses a project file's text.
pub fn parse(path: &Path, text: &str) -> Result<Config, SourceError> {
    let mut config =
        toml::from_str::<Config>(text).map_err(|e| error_at(path, text, e.span(), e.message()))?;
    let written = std::mem::take(&mut config.outputs.parallel_as_written);
    for pair in written {
        let span = pair.span();
        let pair = LangPair::check(pair.into_inner())
            .map_err(|message| error_at(path, text, Some(span), &message))?;
        config.outputs.parallel.push(pair);
    }
    Ok(config)
}

/// An error at a place in the project file, its message made ours.
fn error_at(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> SourceError {
    let (line, column) = match span {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            (line, Some(column))
        }
        None => (0, None),
    };
    let (message, hint) = explain(message);
    let mut err = SourceError::new(path, line, message);
    if let Some(c) = column {
        err = err.column(c);
    }
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}

/// Turns serde's and toml's messages into ours: checked values' hints and
/// unknown keys as everywhere ([`diagnostics::explain`]), then what only a
/// project file gets wrong.
fn explain(message: &str) -> (String, Option<String>) {
    let (message, hint) = diagnostics::explain(message);
    if hint.is_some() {
        return (message, hint);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, _)) = rest.split_once(", expected struct") {
            return (
                format!("expected a [section] here, found {found}"),
                Some("settings go under their section: [project], [defaults], [layout], [outputs] or [anthology]".into()),
            );
        }
        return (
            format!("a value of the wrong type: {rest}"),
            Some("texts go in quotes, lists in [ ], switches are true or false".into()),
        );
    }
    (
        message.to_string(),
        Some("pamphleteer.toml is TOML: `key = \"value\"` lines under [section] headers".into()),
    )
}

/// Typst's paper names (checked against Typst in a test).
pub const PAPERS: &[&str] = &[
    "a0",
    "a1",
    "a2",
    "a3",
    "a4",
    "a5",
    "a6",
    "a7",
    "a8",
    "a9",
    "a10",
    "a11",
    "iso-b1",
    "iso-b2",
    "iso-b3",
    "iso-b4",
    "iso-b5",
    "iso-b6",
    "iso-b7",
    "iso-b8",
    "iso-c3",
    "iso-c4",
    "iso-c5",
    "iso-c6",
    "iso-c7",
    "iso-c8",
    "din-d3",
    "din-d4",
    "din-d5",
    "din-d6",
    "din-d7",
    "din-d8",
    "sis-g5",
    "sis-e5",
    "ansi-a",
    "ansi-b",
    "ansi-c",
    "ansi-d",
    "ansi-e",
    "arch-a",
    "arch-b",
    "arch-c",
    "arch-d",
    "arch-e1",
    "arch-e",
    "jis-b0",
    "jis-b1",
    "jis-b2",
    "jis-b3",
    "jis-b4",
    "jis-b5",
    "jis-b6",
    "jis-b7",
    "jis-b8",
    "jis-b9",
    "jis-b10",
    "jis-b11",
    "sac-d0",
    "sac-d1",
    "sac-d2",
    "sac-d3",
    "sac-d4",
    "sac-d5",
    "sac-d6",
    "iso-id-1",
    "iso-id-2",
    "iso-id-3",
    "asia-f4",
    "jp-shiroku-ban-4",
    "jp-shiroku-ban-5",
    "jp-shiroku-ban-6",
    "jp-kiku-4",
    "jp-kiku-5",
    "jp-business-card",
    "cn-business-card",
    "eu-business-card",
    "fr-raisin",
    "uk-brief",
    "uk-draft",
    "uk-foolscap",
    "uk-quarto",
    "uk-crown",
    "uk-book-a",
    "uk-book-b",
    "us-letter",
    "us-legal",
    "us-tabloid",
    "us-executive",
    "us-foolscap-folio",
    "us-statement",
    "us-ledger",
    "us-oficio",
    "us-gov-letter",
    "us-gov-legal",
    "us-business-card",
    "us-digest",
    "us-trade",
    "newspaper-compact",
    "newspaper-berliner",
    "newspaper-broadsheet",
    "presentation-16-9",
    "presentation-4-3",
];

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

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> SourceError {
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
        assert_eq!(a.group.unwrap().0, Group::Organisation);
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
