//! `pamphleteer check`: lint statements without writing anything, and
//! `--fix` for paragraphs split by a pasted page break.

use std::path::Path;
use std::process::ExitCode;

use crate::build::{self, Failure};
use crate::cli::{CheckArgs, open_project};
use crate::diagnostics::SourceError;
use crate::document::{Block, BlockKind, Document, Inline, plain_text};
use crate::project::markdown_files;
use crate::quotes::marks_for;

pub fn run(args: CheckArgs) -> ExitCode {
    let project = match open_project(args.project.as_deref()) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut files = Vec::new();
    let paths = if args.paths.is_empty() {
        vec![project.sources_dir()]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if path.is_dir() {
            if let Err(e) = markdown_files(path, &mut files) {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(1);
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            eprintln!("error: {} does not exist", path.display());
            eprintln!("  hint: name statements (.md files) or folders that hold them");
            return ExitCode::from(2);
        }
    }
    files.sort();
    files.dedup();
    let ctx = build::context_for(&project, false);
    let mut problems = 0;
    let mut fixed = 0;
    for file in &files {
        let (found, joined) = check_file(file, &ctx, args.fix);
        for f in &found {
            println!("{}", f.short());
        }
        problems += found
            .iter()
            .filter(|f| f.severity != crate::diagnostics::Severity::Note)
            .count();
        fixed += joined;
    }
    if fixed > 0 {
        eprintln!(
            "joined {fixed} split paragraph{}",
            if fixed == 1 { "" } else { "s" }
        );
    }
    eprintln!(
        "checked {} statement{}: {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        match problems {
            0 => "no problems".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        }
    );
    if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The problems in one statement (after fixing, with `fix`), and how many
/// paragraphs were joined.
fn check_file(path: &Path, ctx: &build::Context, fix: bool) -> (Vec<SourceError>, usize) {
    let mut joined = 0;
    if fix {
        match fix_file(path) {
            Ok(n) => joined = n,
            Err(e) => return (vec![e], 0),
        }
    }
    let loaded = match build::load(path, ctx) {
        Ok(l) => l,
        Err(Failure::Source(e)) => return (vec![e], joined),
        Err(other) => {
            return (
                vec![SourceError::new(
                    path,
                    0,
                    other.to_string().replace("error: ", ""),
                )],
                joined,
            );
        }
    };
    let mut found: Vec<SourceError> = loaded.notes.clone();
    found.extend(loaded.warnings.iter().cloned());
    found.extend(lint(&loaded.doc));
    found.sort_by_key(|f| f.line);
    (found, joined)
}

/// The text checks: unbalanced quotation marks, split paragraphs.
pub fn lint(doc: &Document) -> Vec<SourceError> {
    let mut out = Vec::new();
    let marks = marks_for(&doc.meta.language(), doc.meta.region().as_deref());
    let pair = (
        marks.double_open.trim_matches('\u{202f}'),
        marks.double_close.trim_matches('\u{202f}'),
    );
    let mut check_quotes = |blocks: &[Block]| {
        for_each_paragraph(blocks, &mut |line, content| {
            let text = plain_text(content);
            if let Some(problem) = unbalanced(&text, pair) {
                out.push(
                    SourceError::warning(&doc.path, line, problem)
                        .hint("a quotation opened in this paragraph is not closed, or one is closed that was never opened"),
                );
            }
        });
    };
    check_quotes(&doc.blocks);
    for f in &doc.footnotes {
        check_quotes(&f.blocks);
    }
    for (_, next) in split_paragraphs(&doc.blocks) {
        out.push(
            SourceError::warning(
                &doc.path,
                next,
                "this paragraph starts in lower case after one that ends without punctuation: a page break may have split it",
            )
            .hint("join the two paragraphs, or run `pamphleteer check --fix`"),
        );
    }
    out
}

/// Calls `f` with the line and content of every paragraph, quotes and
/// lists included.
fn for_each_paragraph(blocks: &[Block], f: &mut dyn FnMut(usize, &[Inline])) {
    for b in blocks {
        match &b.kind {
            BlockKind::Paragraph(c) => f(b.line, c),
            BlockKind::Quote(q) => for_each_paragraph(q, f),
            BlockKind::List(l) => l
                .items
                .iter()
                .for_each(|i| for_each_paragraph(&i.blocks, f)),
            _ => {}
        }
    }
}

/// What is unbalanced in a paragraph's text, if anything: straight double
/// quotes, the language's double marks, and English marks pasted into a
/// text in another language.
fn unbalanced(text: &str, (open, close): (&str, &str)) -> Option<String> {
    let count = |m: &str| text.matches(m).count();
    if count("\"") % 2 == 1 {
        return Some("unbalanced quotation marks: an odd number of `\"`".into());
    }
    if open == close {
        if count(open) % 2 == 1 {
            return Some(format!(
                "unbalanced quotation marks: an odd number of {open}"
            ));
        }
    } else if count(open) != count(close) {
        return Some(format!(
            "unbalanced quotation marks: {} × {open} but {} × {close}",
            count(open),
            count(close)
        ));
    }
    let (eo, ec) = ("\u{201c}", "\u{201d}");
    if (open, close) != (eo, ec) && count(eo) > 0 && count(ec) > 0 && count(eo) != count(ec) {
        return Some(format!(
            "unbalanced quotation marks: {} × {eo} but {} × {ec}",
            count(eo),
            count(ec)
        ));
    }
    None
}

/// Pairs of (line of the first, line of the second) top-level paragraphs
/// where the second looks like the rest of the first.
pub fn split_paragraphs(blocks: &[Block]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for pair in blocks.windows(2) {
        let (BlockKind::Paragraph(a), BlockKind::Paragraph(b)) = (&pair[0].kind, &pair[1].kind)
        else {
            continue;
        };
        if ends_open(a) && starts_lower(b) && !is_salutation(a) {
            out.push((pair[0].line, pair[1].line));
        }
    }
    out
}

/// Whether a paragraph ends without closing punctuation.
fn ends_open(content: &[Inline]) -> bool {
    if matches!(content.last(), Some(Inline::FootnoteRef { .. })) {
        return false;
    }
    let text = plain_text(content);
    match text.trim_end().chars().last() {
        Some(c) => c.is_alphanumeric() || c == ',' || c == '-' || c == '\u{2010}',
        None => false,
    }
}

/// "Dear councillors," before a letter's first paragraph.
fn is_salutation(content: &[Inline]) -> bool {
    let text = plain_text(content);
    let text = text.trim();
    text.ends_with(',') && text.split_whitespace().count() <= 6
}

fn starts_lower(content: &[Inline]) -> bool {
    plain_text(content)
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Joins split paragraphs in a file, in place and atomically. Returns how
/// many were joined.
fn fix_file(path: &Path) -> Result<usize, SourceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SourceError::new(path, 0, format!("cannot read: {e}")))?;
    let doc = crate::markdown::read(path, &text)?;
    let pairs = split_paragraphs(&doc.blocks);
    if pairs.is_empty() {
        return Ok(0);
    }
    let (fixed, n) = join_lines(&text, &pairs);
    if n > 0 {
        build::write_atomic(path, fixed.as_bytes())
            .map_err(|e| SourceError::new(path, 0, e.to_string().replace("error: ", "")))?;
    }
    Ok(n)
}

/// Joins, for each pair (first paragraph's line, second's line), the last
/// line of the first with the first line of the second, dropping the blank
/// lines between. Line endings are kept.
pub fn join_lines(text: &str, pairs: &[(usize, usize)]) -> (String, usize) {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut joined = 0;
    // From the bottom up, so that earlier line numbers stay valid.
    for &(first, second) in pairs.iter().rev() {
        let (first, second) = (first - 1, second - 1);
        if second >= lines.len() || first >= second {
            continue;
        }
        let mut end = second - 1;
        while end > first && lines[end].trim().is_empty() {
            end -= 1;
        }
        // Something other than blank lines between them: leave it alone.
        if (end + 1..second).any(|i| !lines[i].trim().is_empty()) || end + 1 == second {
            continue;
        }
        let ending = if lines[second].ends_with("\r\n") {
            "\r\n"
        } else if lines[second].ends_with('\n') {
            "\n"
        } else {
            ""
        };
        let head = lines[end].trim_end().to_string();
        let tail = lines[second].trim().to_string();
        // A word hyphenated across the break keeps its hyphen.
        let glue = if head.ends_with('-') { "" } else { " " };
        lines[end] = format!("{head}{glue}{tail}{ending}");
        lines.drain(end + 1..=second);
        joined += 1;
    }
    (lines.concat(), joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> Document {
        crate::markdown::read(Path::new("t.md"), md).unwrap()
    }

    #[test]
    fn finds_paragraphs_split_by_a_page_break() {
        let d = doc(
            "First part of a sentence that\n\nruns on here.\n\nA whole one.\n\nand this is fine? No: the one before ends with a full stop.\n",
        );
        assert_eq!(split_paragraphs(&d.blocks), vec![(1, 3)]);
        let d = doc("Ends with a note[^1]\n\nlower case.\n\n[^1]: n\n");
        assert!(split_paragraphs(&d.blocks).is_empty());
        let d = doc("A heading follows\n\n# lower heading\n");
        assert!(split_paragraphs(&d.blocks).is_empty());
    }

    #[test]
    fn joins_split_paragraphs_keeping_line_endings() {
        let text = "---\ntitle: T\n---\nOne that\n\n\nruns on, and on-\n\ngoing.\r\n\nEnd.\n";
        let d = crate::markdown::read(Path::new("t.md"), text).unwrap();
        let pairs = split_paragraphs(&d.blocks);
        assert_eq!(pairs, vec![(4, 7), (7, 9)]);
        let (fixed, n) = join_lines(text, &pairs);
        assert_eq!(n, 2);
        assert_eq!(
            fixed,
            "---\ntitle: T\n---\nOne that runs on, and on-going.\r\n\nEnd.\n"
        );
        let again = crate::markdown::read(Path::new("t.md"), &fixed).unwrap();
        assert!(split_paragraphs(&again.blocks).is_empty());
    }

    #[test]
    fn unbalanced_quotes() {
        let en = doc("She said “go home.\n\nHe said “stay” and “wait”.\n\nA \"straight one.\n");
        let found = lint(&en);
        let lines: Vec<usize> = found.iter().map(|f| f.line).collect();
        assert_eq!(lines, vec![1, 5], "{found:?}");
        let de = doc("---\nlang: de\n---\nEr sagte „nein“ und ging.\n\nSie sagte „ja.\n");
        let found = lint(&de);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 6);
        let fr = doc("---\nlang: fr\n---\nIl a dit « non » puis « oui.\n");
        assert_eq!(lint(&fr).len(), 1);
        let ok = doc("It's the tenants' union's “plan”.\n");
        assert!(lint(&ok).is_empty());
    }
}
