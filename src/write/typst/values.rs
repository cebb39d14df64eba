//! Typst values written as source: numbers, arrays, dictionaries, and the
//! layout settings as the dictionary every layout receives.

use crate::model::units::num;
use crate::project::config::ParagraphStyle;
use crate::project::settings::Settings;
use crate::write::typst::escape::string_literal;

/// A Typst array of string literals (`("a",)` for one item).
pub fn array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| string_literal(s)).collect();
    match inner.len() {
        0 => "()".to_string(),
        1 => format!("({},)", inner[0]),
        _ => format!("({})", inner.join(", ")),
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
        dict(&entries, indent)
    }
}
