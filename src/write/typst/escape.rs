//! The one place where text becomes Typst source.
//!
//! Two contexts exist: markup text (the body of a paragraph or a content
//! block) and string literals (metadata, URLs, code). Everything the writer
//! emits that came from the user goes through one of these two functions.

/// Escapes `text` so that, as Typst markup, it reads back as exactly `text`.
///
/// `line_start` says whether the text begins at the start of a line (where
/// `=`, `-`, `+`, `/ ` and `1.` would open headings, lists and term lists).
/// `after_code` says whether the text directly follows an embedded expression
/// such as `#strong[..]`, where a `.` or `(` would continue the expression.
/// Characters are escaped with a backslash, which Typst accepts before any
/// character; only those that would otherwise mean something are escaped, so
/// that the generated file stays readable.
pub(crate) fn escape_markup(text: &str, line_start: bool, after_code: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let chars: Vec<char> = text.chars().collect();
    // True while only spaces have been seen since the start of a line.
    let mut at_line_start = line_start;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let escape = (i == 0 && after_code && matches!(c, '.' | '('))
            || match c {
                // Code (`#`), math (`$`), references (`@`), labels (`<`), strong
                // (`*`), emphasis (`_`), raw (`` ` ``), escapes and line breaks
                // (`\`), content blocks (`[`, `]`), non-breaking space (`~`).
                '#' | '$' | '@' | '<' | '*' | '_' | '`' | '\\' | '[' | ']' | '~' => true,
                // `//` and `/*` open comments; `/ ` at a line start opens a term.
                '/' => matches!(next, Some('/') | Some('*')) || at_line_start,
                // `-5` is a minus sign, `--` and `---` are dashes, `-?` a soft
                // hyphen; `- ` at a line start opens a list item.
                '-' => {
                    at_line_start
                        || matches!(next, Some('-') | Some('?'))
                        || next.is_some_and(char::is_numeric)
                }
                // `...` is an ellipsis shorthand.
                '.' => {
                    (next == Some('.') || prev == Some('.'))
                        || (prev.is_some_and(|p| p.is_ascii_digit())
                            && enum_marker_before(&chars, i))
                }
                // `=` and `+` at a line start open a heading or an enum item.
                '=' | '+' => at_line_start,
                // `http://` and `https://` become links; escaping the colon keeps
                // the text as it is.
                ':' => next == Some('/') && ends_with_scheme(&out),
                _ => false,
            };
        if escape {
            out.push('\\');
        }
        out.push(c);
        if is_newline(c) {
            at_line_start = true;
        } else if !(c == ' ' || c == '\t') {
            at_line_start = false;
        }
    }
    out
}

/// The characters Typst reads as a line break (as `typst_syntax` does):
/// after any of them, line-start markers apply again.
pub(crate) fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\x0B' | '\x0C' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}'
    )
}

/// Replaces line breaks with spaces, for text that must stay on one line
/// (a heading, a comment).
pub(crate) fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if is_newline(c) { ' ' } else { c })
        .collect()
}

/// True when the digits before position `dot` start their line, as in `1.`
/// (an enum marker in Typst).
fn enum_marker_before(chars: &[char], dot: usize) -> bool {
    let mut j = dot;
    while j > 0 && chars[j - 1].is_ascii_digit() {
        j -= 1;
    }
    chars[..j]
        .iter()
        .rev()
        .take_while(|c| !is_newline(**c))
        .all(|c| *c == ' ' || *c == '\t')
}

fn ends_with_scheme(out: &str) -> bool {
    out.ends_with("http") || out.ends_with("https")
}

/// Quotes `text` as a Typst string literal, `"..."`.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// Reads markup back as the text it shows, or `None` if it holds
    /// anything but text (an error, a heading, code, a reference...).
    pub(crate) fn read_back(markup: &str) -> Result<String, String> {
        let root = typst::syntax::parse(markup);
        let errors = root.errors_and_warnings().0;
        if !errors.is_empty() {
            return Err(format!("{:?}", errors[0].message));
        }
        let mut out = String::new();
        for child in root.children() {
            text_of(child, &mut out)?;
        }
        Ok(out)
    }

    fn text_of(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
        match node.kind() {
            SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::SmartQuote => {
                // Spaces fold; a line break inside a paragraph is kept as is.
                out.push_str(node.leaf_text());
            }
            SyntaxKind::Escape => {
                let t = node.leaf_text();
                out.push_str(&t[1..]);
            }
            SyntaxKind::Parbreak => out.push_str(node.leaf_text()),
            other => return Err(format!("unexpected {other:?}: {:?}", node.leaf_text())),
        }
        Ok(())
    }

    #[test]
    fn nasty_strings_read_back() {
        let table = [
            "#sys.inputs",
            "$x^2$",
            "@council",
            "<b>",
            "// not a comment",
            "/* */",
            "= sign",
            "1. April",
            "http://example.org/a_(b)",
            "https://example.org",
            "-5",
            "...",
            "C:\\Users\\x",
            "[x]",
            "~",
            "- dash at start",
            "+ plus",
            "/ term: x",
            "a -- b --- c",
            "soft-? hyphen",
            "*bold* _em_ `raw`",
            "a\\",
            "\\",
            "12. 13.",
            "  2. indented",
            "x = 1",
            "line\n= heading?\n- item?\n1. enum?",
            "\"quoted\" and 'single'",
            "{braces} (parens); semicolon",
            "tab\there",
            "unicode: «ёлка» — 日本",
            "2.5 and 3.",
            "a<b>c",
            "#",
            "$",
            "]",
            "[",
            "```",
            "**",
            "a//b",
            "end /",
            "\\u{41}",
            "Para\u{2028}= heading?\u{2028}- item?",
            "x a\u{2028}/ term",
            "a\u{2029}+ b\u{85}1. c\x0B- d\x0C= e\r- f",
        ];
        for s in table {
            let escaped = escape_markup(s, true, false);
            assert_eq!(
                read_back(&escaped).as_deref(),
                Ok(s),
                "escaped as {escaped:?}"
            );
            let mid = escape_markup(s, false, false);
            let with_prefix = format!("x{mid}");
            assert_eq!(
                read_back(&with_prefix).as_deref(),
                Ok(format!("x{s}").as_str()),
                "escaped as {with_prefix:?}"
            );
        }
    }

    #[test]
    fn readable_text_is_left_alone() {
        assert_eq!(
            escape_markup("Homes for people, not for profit!", true, false),
            "Homes for people, not for profit!"
        );
        assert_eq!(
            escape_markup("a well-known e-mail", false, false),
            "a well-known e-mail"
        );
        assert_eq!(
            escape_markup("Rents rose 12 % in 2025.", false, false),
            "Rents rose 12 % in 2025."
        );
    }

    #[test]
    fn string_literals_round_trip() {
        for s in [
            "",
            "plain",
            "with \"quotes\"",
            "back\\slash",
            "new\nline",
            "tab\t",
            "\u{1}",
            "#$@",
        ] {
            let lit = string_literal(s);
            let code = format!("#let x = {lit}");
            let root = typst::syntax::parse(&code);
            assert!(root.errors_and_warnings().0.is_empty(), "{lit}");
            fn find_str(node: &SyntaxNode) -> Option<String> {
                if node.kind() == SyntaxKind::Str {
                    return node
                        .cast::<typst::syntax::ast::Str>()
                        .map(|s| s.get().to_string());
                }
                node.children().find_map(find_str)
            }
            assert_eq!(find_str(&root).as_deref(), Some(s));
        }
    }

    mod props {
        use super::super::*;
        use super::read_back;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn any_string_reads_back(s in "\\PC*") {
                let escaped = escape_markup(&s, true, false);
                prop_assert_eq!(read_back(&escaped), Ok(s));
            }

            #[test]
            fn typst_punctuation_soup_reads_back(s in "[-=+/.:*_#$@<>`\\\\\\[\\]~'\" a1hpst\n\r\u{2028}\u{2029}\u{85}\x0B\x0C]{0,40}") {
                let escaped = escape_markup(&s, true, false);
                prop_assert_eq!(read_back(&escaped), Ok(s));
            }
        }
    }
}
