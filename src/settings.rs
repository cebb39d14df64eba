//! The shared look (`[layout]`): one set of settings every layout receives as
//! a Typst dictionary, and that the EPUB stylesheet will read too.

use crate::typst::escape::string_literal;

/// How paragraphs are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphStyle {
    /// First-line indent of 1 em, no space between paragraphs.
    Indent,
    /// No indent, half a line between paragraphs.
    Spacing,
}

/// Layout settings. Lengths are in millimetres (page geometry) or points
/// (type); the defaults are the leaflet's from the typography brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub paper: String,
    pub margin_top: f64,
    pub margin_bottom: f64,
    pub margin_inside: f64,
    pub margin_outside: f64,
    pub columns: u8,
    pub gutter: f64,
    pub body_font: String,
    pub heading_font: String,
    pub font_size: f64,
    pub leading: f64,
    pub accent: String,
    pub paragraph: ParagraphStyle,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            paper: "a4".into(),
            margin_top: 14.0,
            margin_bottom: 18.0,
            margin_inside: 15.0,
            margin_outside: 15.0,
            columns: 2,
            gutter: 6.0,
            body_font: "Noto Serif".into(),
            heading_font: "Inter".into(),
            font_size: 10.0,
            leading: 13.0,
            accent: "#b3141c".into(),
            paragraph: ParagraphStyle::Indent,
        }
    }
}

impl Settings {
    /// The settings as a Typst dictionary literal, one key a line.
    pub fn to_typst(&self, indent: &str) -> String {
        let entries = [
            ("paper", string_literal(&self.paper)),
            (
                "margin",
                format!(
                    "(top: {}mm, bottom: {}mm, inside: {}mm, outside: {}mm)",
                    num(self.margin_top),
                    num(self.margin_bottom),
                    num(self.margin_inside),
                    num(self.margin_outside)
                ),
            ),
            ("columns", self.columns.to_string()),
            ("gutter", format!("{}mm", num(self.gutter))),
            ("body-font", string_literal(&self.body_font)),
            ("heading-font", string_literal(&self.heading_font)),
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
        dict(&entries, indent)
    }
}

/// A number as Typst writes it (no trailing `.0`).
pub fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A multi-line dictionary literal from already-written values.
pub fn dict(entries: &[(&str, String)], indent: &str) -> String {
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
