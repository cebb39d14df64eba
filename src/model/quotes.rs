//! Straight quotes into the marks of the document's language, the way
//! Typst's smart quotes do it in the PDF, so that both editions agree.
//! (Ported from `typst-library`'s `SmartQuoter` and `SmartQuotes::get`.)

/// The four marks of a language: single open/close, double open/close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marks {
    pub single_open: &'static str,
    pub single_close: &'static str,
    pub double_open: &'static str,
    pub double_close: &'static str,
}

const fn marks(s: [&'static str; 4]) -> Marks {
    Marks {
        single_open: s[0],
        single_close: s[1],
        double_open: s[2],
        double_close: s[3],
    }
}

/// The marks for a primary language subtag and an optional region, as
/// Typst 0.15 chooses them (English marks for languages it does not know).
pub(crate) fn marks_for(language: &str, region: Option<&str>) -> Marks {
    const DEFAULT: [&str; 4] = ["‘", "’", "“", "”"];
    const LOW_HIGH: [&str; 4] = ["‚", "‘", "„", "“"];
    marks(match language {
        "de" if matches!(region, Some("CH" | "LI")) => ["‹", "›", "«", "»"],
        "fr" if region == Some("CH") => ["‹\u{202F}", "\u{202F}›", "«\u{202F}", "\u{202F}»"],
        "cs" | "de" | "et" | "is" | "lt" | "lv" | "sk" | "sl" => LOW_HIGH,
        "da" => DEFAULT,
        "fr" => ["“", "”", "«\u{202F}", "\u{202F}»"],
        "gl" => ["“", "”", "«", "»"],
        "bs" | "fi" | "sv" => ["’", "’", "”", "”"],
        "it" | "la" => ["“", "”", "«", "»"],
        "es" if matches!(region, Some("ES") | None) => ["“", "”", "«", "»"],
        "hu" | "pl" | "ro" => ["’", "’", "„", "”"],
        "no" | "nb" | "nn" => ["’", "’", "«", "»"],
        "ru" => ["„", "“", "«", "»"],
        "uk" => ["“", "”", "«", "»"],
        "el" => ["‘", "’", "«", "»"],
        "he" => ["’", "’", "”", "”"],
        "hr" => ["‘", "’", "„", "”"],
        "bg" => ["’", "’", "„", "“"],
        "ar" => ["’", "‘", "«", "»"],
        "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb" | "syr" => ["’", "‘", "”", "“"],
        _ => DEFAULT,
    })
}

/// Decides, quote by quote, whether a straight quote opens, closes or is an
/// apostrophe. One per paragraph.
#[derive(Debug, Default)]
pub(crate) struct Quoter {
    depth: u8,
    kinds: u32,
    /// The last character seen, across the inline runs of a paragraph.
    before: Option<char>,
}

impl Quoter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Tells the quoter about text that is not run through it (code, an
    /// image) so that the next quote knows what precedes it.
    pub(crate) fn saw(&mut self, c: char) {
        self.before = Some(c);
    }

    fn top(&self) -> Option<bool> {
        self.depth
            .checked_sub(1)
            .map(|i| (self.kinds >> i) & 1 == 1)
    }

    fn quote(&mut self, marks: &Marks, double: bool) -> &'static str {
        let opened = self.top();
        let before = self.before.unwrap_or(' ');
        if before.is_numeric() && opened != Some(double) {
            return if double { "″" } else { "′" };
        }
        if !double && opened != Some(false) && (before.is_alphabetic() || before == '\u{FFFC}') {
            return "’";
        }
        if opened == Some(double) && !before.is_whitespace() && !matches!(before, '(' | '[' | '{') {
            self.depth -= 1;
            self.kinds &= !(1 << self.depth);
            return if double {
                marks.double_close
            } else {
                marks.single_close
            };
        }
        if self.depth < 32 {
            self.kinds |= u32::from(double) << self.depth;
            self.depth += 1;
        }
        if double {
            marks.double_open
        } else {
            marks.single_open
        }
    }

    /// `text` with its straight quotes replaced.
    pub(crate) fn smarten(&mut self, text: &str, marks: &Marks) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '"' | '\'' => out.push_str(self.quote(marks, c == '"')),
                c => out.push(c),
            }
            self.before = Some(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smart(text: &str, lang: &str) -> String {
        Quoter::new().smarten(text, &marks_for(lang, None))
    }

    #[test]
    fn languages() {
        assert_eq!(smart("\"so\" and 'so'", "en"), "“so” and ‘so’");
        assert_eq!(smart("\"so\"", "de"), "„so“");
        assert_eq!(smart("\"oui\"", "fr"), "«\u{202F}oui\u{202F}»");
        assert_eq!(smart("\"да\"", "ru"), "«да»");
        assert_eq!(smart("\"sì\"", "it"), "«sì»");
    }

    #[test]
    fn apostrophes_and_nesting() {
        assert_eq!(smart("it's", "en"), "it’s");
        assert_eq!(smart("\"a 'b' c\"", "en"), "“a ‘b’ c”");
        assert_eq!(smart("(\"x\")", "en"), "(“x”)");
    }
}
