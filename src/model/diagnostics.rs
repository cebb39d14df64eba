//! Diagnostics: what is wrong (or was done on the user's behalf) at a place
//! in a user's file, as data (severity, file, line, column, message,
//! hint, and the text it was read from), rendered codespan-style once, from
//! the bytes that were parsed; and a [`Report`], what making something said,
//! a rendered item each with its severity, as results carry it and the
//! manifest keeps it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use codespan_reporting::diagnostic::{Diagnostic as Codespan, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::NoColor};

/// A problem (or a note) at a place in a user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
    /// The text of the file as it was read, when it was: the snippet shows
    /// what was parsed, never what the file holds by the time it is shown.
    pub text: Option<Arc<str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something pamphleteer did on the user's behalf (an inference).
    Note,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column: None,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
            text: None,
        }
    }

    /// A file that is not UTF-8 (`what`: "the statement"): where the first
    /// byte that is not, and how to convert the file.
    pub fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error, what: &str) -> Self {
        let at = e.valid_up_to();
        let (line, column) = line_and_column(bytes, at);
        Diagnostic::new(
            path,
            line,
            format!(
                "{what} is not UTF-8 text: byte {} (0x{:02X}, line {line}, column {column}) is not UTF-8",
                at + 1,
                bytes[at]
            ),
        )
        .hint(format!(
            "save it as UTF-8 in your editor, or convert it: iconv -f WINDOWS-1252 -t UTF-8 {0} > {0}.utf8 && mv {0}.utf8 {0} (name the encoding it is in)",
            path.display()
        ))
    }

    /// The same, with the text of its file as it was read.
    pub fn read_from(mut self, text: &Arc<str>) -> Self {
        self.text = Some(text.clone());
        self
    }

    pub fn warning(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::new(path, line, message)
        }
    }

    pub fn note(path: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Self::new(path, line, message)
        }
    }

    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `file:line:col: message` on one line (for summaries and logs), and
    /// the hint on a line of its own below it: the short form drops the
    /// snippet, never the advice.
    pub fn short(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}\n  hint: {hint}", self.location_line()),
            None => self.location_line(),
        }
    }

    /// `file:line:col: kind: message`.
    fn location_line(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let mut s = format!("{}", self.path.display());
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        format!("{s}: {kind}: {}", self.message)
    }

    /// The codespan-style report: message, the source line with a marker, and
    /// the hint. `text` is the file's content, if it could be read.
    pub fn render(&self, text: Option<&str>) -> String {
        let name = self.path.display().to_string();
        let mut diag = match self.severity {
            Severity::Error => Codespan::error(),
            Severity::Warning => Codespan::warning(),
            Severity::Note => Codespan::note(),
        }
        .with_message(&self.message);
        if let Some(hint) = &self.hint {
            diag = diag.with_notes(vec![format!("hint: {hint}")]);
        }
        let file = SimpleFile::new(name, text.unwrap_or(""));
        if let Some(text) = text
            && self.line > 0
            && let Some(range) = line_range(text, self.line, self.column, self.toml())
        {
            diag = diag.with_labels(vec![Label::primary((), range)]);
        } else {
            // No snippet: say where at least.
            diag.message = self.short_location_message();
        }
        let mut out = NoColor::new(Vec::new());
        let config = term::Config::default();
        if term::emit(&mut out, &config, &file, &diag).is_err() {
            return self.short();
        }
        String::from_utf8_lossy(&out.into_inner()).into_owned()
    }

    fn short_location_message(&self) -> String {
        let mut s = self.path.display().to_string();
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
        }
        format!("{s}: {}", self.message)
    }

    /// Whether it points into a TOML file (whose lines may end in a
    /// comment, which no marker underlines).
    fn toml(&self) -> bool {
        self.path.extension().is_some_and(|e| e == "toml")
    }

    /// The codespan-style report, from the text the file had when it was
    /// read (from the file as it is now only when that is not known).
    pub fn rendered(&self) -> String {
        match &self.text {
            Some(text) => self.render(Some(text)),
            None => self.render(std::fs::read_to_string(&self.path).ok().as_deref()),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

impl std::error::Error for Diagnostic {}

/// The byte range of a (1-based) line, or of the rest of it from a column;
/// with `comments`, up to a `# comment` that ends the line (outside quotes).
fn line_range(
    text: &str,
    line: usize,
    column: Option<usize>,
    comments: bool,
) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            let from = column
                .map(|c| {
                    content
                        .char_indices()
                        .nth(c.saturating_sub(1))
                        .map_or(content.len(), |(b, _)| b)
                })
                .unwrap_or_else(|| content.len() - content.trim_start().len());
            let content = if comments {
                without_comment(content)
            } else {
                content
            };
            let end = content.len().max(from);
            return Some(start + from..start + end);
        }
        start += l.len();
    }
    None
}

/// A TOML line without the comment that ends it, and the spaces before it.
fn without_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => return line[..i].trim_end(),
            _ => {}
        }
        escaped = false;
    }
    line
}

/// The edit distance between two short strings (for "did you mean" hints).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// In the text of an error that a checked value gives serde, what follows
/// this is the hint; [`explain`] splits the two again.
pub(crate) const HINT: &str = "\n hint: ";

/// A message that serde passes on, as ours: a checked value's splits at
/// [`HINT`] into message and hint; serde's "unknown field" becomes "unknown
/// key" with the nearest of the keys serde lists as the hint. Any other
/// message comes back as it is, without a hint.
pub(crate) fn explain(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    if let Some((m, h)) = message.split_once(HINT) {
        return (m.to_string(), Some(h.to_string()));
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let valid: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| !k.is_empty())
            .collect();
        let (message, hint) = unknown_key(key, &valid);
        return (message, Some(hint));
    }
    (message.to_string(), None)
}

/// The line and column (from 1; the column in bytes) of a byte offset.
pub(crate) fn line_and_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let column = 1 + before.len()
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
    (line, column)
}

/// A key that is not one of `valid`: the message, and a hint with the
/// nearest valid key (or all of them).
pub(crate) fn unknown_key(key: &str, valid: &[&str]) -> (String, String) {
    let hint = match nearest(key, valid) {
        Some(n) => format!("did you mean `{n}`?"),
        None if valid.is_empty() => "this section takes no keys".into(),
        None => format!(
            "the keys here are {}",
            valid
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    (format!("unknown key `{key}`"), hint)
}

/// One thing making a product said, rendered, with its severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub severity: Severity,
    /// What is shown, one or more whole lines.
    pub text: String,
}

/// What making something said: its warnings and notes (or, with an
/// error, everything found), in order. Carried with what was made, kept
/// in the manifest as it is, and said again from there: an up-to-date
/// product repeats its warnings, found by their severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Report(pub Vec<Said>);

impl Report {
    /// A report of one thing said.
    pub fn said(severity: Severity, text: impl Into<String>) -> Report {
        let mut report = Report::default();
        report.push(severity, text);
        report
    }

    /// Adds text already rendered (ends with a newline).
    pub fn push(&mut self, severity: Severity, text: impl Into<String>) {
        let mut text = text.into();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.0.push(Said { severity, text });
    }

    /// Adds a diagnostic, rendered with its snippet (notes in their short
    /// form: a line each).
    pub fn diagnostic(&mut self, d: &Diagnostic) {
        let text = match d.severity {
            Severity::Note => d.short(),
            _ => d.rendered(),
        };
        self.push(d.severity, text);
    }

    pub fn extend(&mut self, other: Report) {
        self.0.extend(other.0);
    }

    /// Only what is of this severity.
    pub fn only(&self, severity: Severity) -> Report {
        Report(
            self.0
                .iter()
                .filter(|s| s.severity == severity)
                .cloned()
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether it says this already (one whole thing said).
    pub fn says(&self, text: &str) -> bool {
        self.0.iter().any(|s| s.text.trim_end() == text.trim_end())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for said in &self.0 {
            f.write_str(&said.text)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_keeps_each_thing_said_with_its_severity() {
        let mut r = Report::default();
        r.push(
            Severity::Note,
            "a.md: note: fitted to 2 pages at 10 pt on 13 pt",
        );
        r.push(
            Severity::Warning,
            "a.md: warning: too short to fill its page\n  hint: add about 9 lines\n",
        );
        r.push(
            Severity::Warning,
            "warning: unknown font family\n  ┌─ layouts/x.typ:3:1\n  │\n\n",
        );
        // What an up-to-date product says again: its warnings, whole.
        assert_eq!(
            r.only(Severity::Warning).to_string(),
            "a.md: warning: too short to fill its page\n  hint: add about 9 lines\n\
             warning: unknown font family\n  ┌─ layouts/x.typ:3:1\n  │\n\n"
        );
        assert!(r.says("a.md: note: fitted to 2 pages at 10 pt on 13 pt"));
        // Kept in the manifest as data, and read back the same.
        let kept = toml::to_string(&Wrapper { said: r.clone() }).unwrap();
        assert_eq!(toml::from_str::<Wrapper>(&kept).unwrap().said, r);
    }

    #[derive(Serialize, Deserialize)]
    struct Wrapper {
        said: Report,
    }

    #[test]
    fn a_diagnostic_shows_the_text_that_was_read_not_the_file_now() {
        let text: Arc<str> = Arc::from("---\ntitle: T\n---\nThe line that was read.\n");
        let e = Diagnostic::warning(Path::new("/nowhere/gone.md"), 4, "here").read_from(&text);
        assert!(
            e.rendered().contains("The line that was read."),
            "{}",
            e.rendered()
        );
    }

    #[test]
    fn a_project_files_comment_is_not_underlined() {
        assert_eq!(
            without_comment("infer = maybe   # a comment"),
            "infer = maybe"
        );
        assert_eq!(
            without_comment("accent = \"#1f4e79\" # red"),
            "accent = \"#1f4e79\""
        );
        assert_eq!(without_comment("x = 'a#b'"), "x = 'a#b'");
        assert_eq!(without_comment("x = \"a\\\"#b\""), "x = \"a\\\"#b\"");
        let e = Diagnostic::new(Path::new("pamphleteer.toml"), 2, "bad").column(9);
        let text = "[defaults]\ninfer = maybe   # a comment\n";
        let shown = e.render(Some(text));
        assert!(
            shown.contains("^^^^^\n") && !shown.contains("^^^^^^"),
            "{shown}"
        );
        // (In a statement, `#` is text.)
        let e = Diagnostic::new(Path::new("x.md"), 1, "bad");
        assert!(
            e.render(Some("Issue #3 is open\n"))
                .contains("^^^^^^^^^^^^^^^^")
        );
    }

    #[test]
    fn nearest_key() {
        let keys = ["title", "subtitle", "author", "date"];
        assert_eq!(nearest("titel", &keys), Some("title"));
        assert_eq!(nearest("authors", &keys), Some("author"));
        assert_eq!(nearest("colour", &keys), None);
    }

    #[test]
    fn serde_messages_explained() {
        assert_eq!(
            explain(&format!("`x` is not a date{HINT}write it so")),
            ("`x` is not a date".into(), Some("write it so".into()))
        );
        assert_eq!(
            explain("unknown field `titel`, expected one of `title`, `date`"),
            (
                "unknown key `titel`".into(),
                Some("did you mean `title`?".into())
            )
        );
        assert_eq!(
            explain("unknown field `colour`, expected `title` or `date`").1,
            Some("the keys here are `title`, `date`".into())
        );
        assert_eq!(
            explain("unknown field `x`, there are no fields").1,
            Some("this section takes no keys".into())
        );
        assert_eq!(explain("something else "), ("something else".into(), None));
    }

    #[test]
    fn render_points_at_the_line() {
        let err = Diagnostic::new(Path::new("x.md"), 2, "unknown key `titel`")
            .hint("did you mean `title`?");
        let out = err.render(Some("---\ntitel: A\n---\n"));
        assert!(out.contains("x.md:2:1"), "{out}");
        assert!(out.contains("titel: A"), "{out}");
        assert!(out.contains("hint: did you mean `title`?"), "{out}");
    }
}
