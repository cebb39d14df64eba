//! Front matter: YAML between `---` lines or TOML between `+++` lines at the
//! top of a statement, read into typed `Meta` with errors that name the line.

use std::path::Path;

use crate::model::dates::parse_date;
use crate::model::diagnostics::{SourceError, nearest};
use crate::model::document::{Dir, Meta};
use crate::model::lang::{dir_of, valid_lang};
use crate::model::names::valid_layout_name;

/// Every key a statement's front matter may have.
pub const KEYS: &[&str] = &[
    "title",
    "subtitle",
    "author",
    "date",
    "place",
    "lang",
    "dir",
    "layout",
    "description",
    "keywords",
    "cover",
    "identifier",
    "publisher",
    "slogans",
    "infer",
];

/// A source split into its front matter and its Markdown body.
#[derive(Debug)]
pub struct Split<'a> {
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
pub enum Format {
    Yaml,
    Toml,
}

/// Splits off the front matter, if the file starts with `---` or `+++`.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let (format, fence) = match first.trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Ok(Split {
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
            return Ok(Split {
                format: Some(format),
                matter,
                matter_line: 2,
                body,
                body_offset: line,
            });
        }
        offset += l.len();
    }
    Err(SourceError::new(
        path,
        1,
        format!("the front matter opened here with `{fence}` is never closed"),
    )
    .hint(format!(
        "end the front matter with a line holding only `{fence}`"
    )))
}

/// A front-matter value, whichever syntax it came from.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    List(Vec<Value>),
    Other(&'static str),
}

/// Reads the front matter into `Meta`. `lang` defaults to `en`.
pub fn parse(path: &Path, split: &Split) -> Result<Meta, SourceError> {
    let entries = match split.format {
        None => Vec::new(),
        Some(Format::Yaml) => yaml_entries(path, split)?,
        Some(Format::Toml) => toml_entries(path, split)?,
    };
    let mut meta = Meta {
        lang: "en".into(),
        ..Meta::default()
    };
    let mut dir = None;
    for (key, value) in entries {
        let line = key_line(split, &key);
        meta.key_lines.push((key.clone(), line));
        let err = |msg: String| SourceError::new(path, line, msg);
        let string = |v: &Value| -> Result<String, SourceError> {
            match v {
                Value::Str(s) => Ok(s.trim().to_string()),
                Value::List(_) => Err(err(format!("`{key}` must be a single text, not a list"))),
                Value::Other(t) => Err(err(format!("`{key}` must be a text, not {t}"))),
            }
        };
        let list = |v: &Value| -> Result<Vec<String>, SourceError> {
            match v {
                Value::List(items) => items.iter().map(string).collect(),
                other => Ok(vec![string(other)?]),
            }
        };
        let opt = |s: String| if s.is_empty() { None } else { Some(s) };
        match key.as_str() {
            "title" => meta.title = opt(string(&value)?),
            "subtitle" => meta.subtitle = opt(string(&value)?),
            "author" => {
                meta.authors = list(&value)?
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "date" => {
                let s = string(&value)?;
                meta.date = Some(parse_date(&s).ok_or_else(|| {
                    err(format!("`{s}` is not a date"))
                        .hint("write the date as YYYY-MM-DD, for example 2026-03-08")
                })?);
            }
            "place" => meta.place = opt(string(&value)?),
            "lang" => {
                let s = string(&value)?;
                if !valid_lang(&s) {
                    return Err(err(format!("`{s}` is not a language tag"))
                        .hint("use a BCP 47 tag such as `en`, `de`, `ru` or `pt-BR`"));
                }
                meta.lang = s;
            }
            "dir" => {
                let s = string(&value)?;
                dir = Some(match s.as_str() {
                    "ltr" => Dir::Ltr,
                    "rtl" => Dir::Rtl,
                    _ => {
                        let hint = match nearest(&s, &["ltr", "rtl"]) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None => "use `ltr` or `rtl`, or leave it out to derive it from `lang`"
                                .into(),
                        };
                        return Err(err(format!("`{s}` is not a text direction")).hint(hint));
                    }
                });
            }
            "layout" => {
                let s = string(&value)?;
                if !valid_layout_name(&s) {
                    return Err(err(format!("`{s}` is not a layout name")).hint(
                        "a layout name is letters, digits, `-` and `_`, naming layouts/NAME.typ",
                    ));
                }
                meta.layout = Some(s);
            }
            "description" => meta.description = opt(string(&value)?),
            "keywords" => meta.keywords = list(&value)?,
            "cover" => meta.cover = opt(string(&value)?),
            "identifier" => meta.identifier = opt(string(&value)?),
            "publisher" => meta.publisher = opt(string(&value)?),
            "slogans" => {
                meta.slogans = list(&value)?
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "infer" => {
                let s = string(&value)?;
                meta.infer = Some(match s.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(err(format!("`infer` is true or false, not `{s}`")).hint(
                            "`infer: false` keeps pamphleteer from guessing the title, signature and slogans",
                        ));
                    }
                });
            }
            _ => {
                let hint = match nearest(&key, KEYS) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!(
                        "the keys are {}",
                        KEYS.iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                return Err(err(format!("unknown key `{key}`")).hint(hint));
            }
        }
    }
    meta.dir = dir.unwrap_or_else(|| dir_of(&meta.language()));
    Ok(meta)
}

/// The line on which a top-level key is written (falls back to the first line).
fn key_line(split: &Split, key: &str) -> usize {
    for (i, l) in split.matter.lines().enumerate() {
        let t = l.trim_start_matches(['"', '\'']);
        if !l.starts_with([' ', '\t'])
            && let Some(rest) = t.strip_prefix(key)
            && rest
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with([':', '='])
        {
            return split.matter_line + i;
        }
    }
    split.matter_line
}

fn yaml_entries(path: &Path, split: &Split) -> Result<Vec<(String, Value)>, SourceError> {
    if split.matter.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_norway::Value = serde_norway::from_str(split.matter).map_err(|e| {
        let (line, col) = e.location().map_or((0, None), |l| (l.line(), Some(l.column())));
        let mut err = SourceError::new(path, split.matter_line + line.saturating_sub(1), format!("the YAML front matter does not parse: {}", strip_location(&e.to_string())));
        if let Some(c) = col {
            err = err.column(c);
        }
        err.hint("front matter is `key: value` lines; quote values that contain `: ` or start with a special character")
    })?;
    let serde_norway::Value::Mapping(map) = value else {
        return Err(SourceError::new(
            path,
            split.matter_line,
            "the front matter is not a set of `key: value` lines",
        )
        .hint("write one `key: value` per line, e.g. `title: Homes for all`"));
    };
    let mut out = Vec::new();
    for (k, v) in map {
        let key = match k {
            serde_norway::Value::String(s) => s,
            other => yaml_scalar(&other).unwrap_or_default(),
        };
        out.push((key, yaml_value(&v)));
    }
    Ok(out)
}

fn yaml_scalar(v: &serde_norway::Value) -> Option<String> {
    match v {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn yaml_value(v: &serde_norway::Value) -> Value {
    match v {
        serde_norway::Value::Sequence(items) => Value::List(items.iter().map(yaml_value).collect()),
        serde_norway::Value::Mapping(_) => Value::Other("a mapping"),
        serde_norway::Value::Null => Value::Str(String::new()),
        serde_norway::Value::Tagged(t) => yaml_value(&t.value),
        other => Value::Str(yaml_scalar(other).unwrap_or_default()),
    }
}

fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn toml_entries(path: &Path, split: &Split) -> Result<Vec<(String, Value)>, SourceError> {
    let table: toml::Table = toml::from_str(split.matter).map_err(|e| {
        let line = e.span().map_or(0, |s| {
            split.matter[..s.start.min(split.matter.len())]
                .matches('\n')
                .count()
        });
        SourceError::new(
            path,
            split.matter_line + line,
            format!("the TOML front matter does not parse: {}", e.message()),
        )
        .hint("front matter between `+++` lines is TOML: `key = \"value\"`")
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_value(&v)))
        .collect())
}

fn toml_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::Str(s.clone()),
        toml::Value::Integer(i) => Value::Str(i.to_string()),
        toml::Value::Float(f) => Value::Str(f.to_string()),
        toml::Value::Boolean(b) => Value::Str(b.to_string()),
        toml::Value::Datetime(d) => Value::Str(d.to_string()),
        toml::Value::Array(items) => Value::List(items.iter().map(toml_value).collect()),
        toml::Value::Table(_) => Value::Other("a table"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::Date;

    fn meta(text: &str) -> Result<Meta, SourceError> {
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
