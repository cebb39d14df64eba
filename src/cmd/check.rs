//! `pamphleteer check`: lint statements without writing anything, and
//! `--fix` for paragraphs split by a pasted page break and, in a bare
//! statement, hyphens typed as dashes (the repairs a build makes in the
//! model, written into the file).

use std::path::Path;
use std::process::ExitCode;

use crate::cmd::args::CheckArgs;
use crate::cmd::output::write_atomic;
use crate::cmd::plan::open_project;
use crate::model::diagnostics::Diagnostic;
use crate::model::document::{
    Block, BlockKind, Document, Event, Inline, Node, plain_text, walk_inlines,
};
use crate::model::lang::spaced_dash;
use crate::project::context::{Context, context_for};
use crate::project::statement::{Loaded, load};
use crate::project::{Project, markdown_files};
use crate::read::finish::{apply_edits, dash_edits, set_dashes_in, split_paragraphs};

pub(crate) fn run(args: CheckArgs) -> ExitCode {
    // (A project file that cannot be read is told as `build` tells it,
    // with the line it is on.)
    let project = match open_project(args.project.as_deref()) {
        Ok(p) => p,
        Err(stop) => return stop.exit(),
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
    let ctx = context_for(&project, false);
    let mut problems = 0;
    for e in project.validate(&ctx.shared.families()) {
        println!("{}", e.short());
        problems += 1;
    }
    let mut fixed = Fixed::default();
    let mut read = Vec::new();
    let count = |found: &[Diagnostic]| {
        for f in found {
            println!("{}", f.short());
        }
        found
            .iter()
            .filter(|f| f.severity != crate::model::diagnostics::Severity::Note)
            .count()
    };
    for file in &files {
        let (found, done, loaded) = check_file(file, &ctx, args.fix);
        problems += count(&found);
        read.extend(loaded);
        // (Each file rewritten is named, with what was done to it.)
        let mut what = Vec::new();
        if done.joined > 0 {
            let s = if done.joined == 1 { "" } else { "s" };
            what.push(format!("joined {} split paragraph{s}", done.joined));
        }
        if done.dashes > 0 {
            let s = if done.dashes == 1 { "" } else { "es" };
            what.push(format!("set {} dash{s}", done.dashes));
        }
        if !what.is_empty() {
            eprintln!("rewrote {}: {}", file.display(), what.join(", "));
        }
        fixed.joined += done.joined;
        fixed.dashes += done.dashes;
    }
    let expected: Vec<String> = project
        .config
        .project
        .languages
        .iter()
        .flatten()
        .map(|l| l.0.clone())
        .collect();
    problems += count(&related(&mut read, &project, &ctx));
    let language = project
        .config
        .project
        .language
        .as_ref()
        .map(|l| l.0.as_str());
    problems += count(&translations(&read, &expected, language));
    // (The book is planned from every statement: only when all are checked.)
    if args.paths.is_empty() {
        problems += count(&anthology(&read, &project, &ctx));
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if fixed.joined > 0 {
        eprintln!(
            "joined {} split paragraph{}",
            fixed.joined,
            plural(fixed.joined)
        );
    }
    if fixed.dashes > 0 {
        eprintln!(
            "set {} hyphen{} typed as a dash as the language's dash",
            fixed.dashes,
            plural(fixed.dashes)
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

/// What `--fix` did to a file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Fixed {
    /// Split paragraphs joined.
    joined: usize,
    /// Hyphens typed as dashes set as dashes.
    dashes: usize,
}

/// The problems in one statement (after fixing, with `fix`), and what was
/// fixed.
fn check_file(path: &Path, ctx: &Context, fix: bool) -> (Vec<Diagnostic>, Fixed, Option<Loaded>) {
    let mut fixed = Fixed::default();
    if fix {
        match fix_file(path, ctx) {
            Ok(f) => fixed = f,
            Err(e) => return (vec![e], fixed, None),
        }
    }
    let loaded = match load(path, ctx) {
        Ok(l) => l,
        Err(all) => return (all, fixed, None),
    };
    let mut found: Vec<Diagnostic> = loaded.notes.clone();
    found.extend(loaded.warnings.iter().cloned());
    found.extend(lint(&loaded.doc));
    // (A build would set a title and nothing under it.)
    if loaded.doc.blocks.is_empty() {
        found.push(
            Diagnostic::warning(
                path,
                0,
                "there is no text to set: the statement has only its front matter",
            )
            .hint("write the statement's text below its front matter"),
        );
    }
    found.sort_by_key(|f| f.line);
    (found, fixed, Some(loaded))
}

/// What the statements checked say of the others: their translation
/// groups, and their links, which lead to statements of the project
/// (read too, when they are not checked) and to headings.
fn related(read: &mut [Loaded], project: &Project, ctx: &Context) -> Vec<Diagnostic> {
    let before: Vec<usize> = read.iter().map(|l| l.warnings.len()).collect();
    let mut found = crate::project::connect_among(project, ctx, read);
    for (l, b) in read.iter().zip(before) {
        found.extend(l.warnings[b..].iter().cloned());
    }
    found.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    found
}

/// What is wrong with `[anthology]` (a preface or cover that is not
/// there, patterns that name no statement...), as `build` would say it
/// when it plans the book: the problems in the project file, not those of
/// the statements (said above).
fn anthology(read: &[Loaded], project: &Project, ctx: &Context) -> Vec<Diagnostic> {
    if project.config.anthology.is_none() {
        return Vec::new();
    }
    let all: Vec<(std::path::PathBuf, Option<&Loaded>)> =
        read.iter().map(|l| (l.doc.path.clone(), Some(l))).collect();
    match crate::project::book::plan(project, ctx, &all) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .filter(|e| {
                Some(&e.path) == project.file.as_ref() || !all.iter().any(|(p, _)| *p == e.path)
            })
            .collect(),
    }
}

/// What the statements' translations say: groups that cannot be told
/// apart (a language twice, two originals, none), and each edition whose
/// structure parts from its original's, where it does.
fn translations(read: &[Loaded], expected: &[String], language: Option<&str>) -> Vec<Diagnostic> {
    let all: Vec<&Loaded> = read.iter().collect();
    // (The groups' errors are `related`'s.)
    let (groups, errors) = crate::project::translations::groups(&all, language);
    if !errors.is_empty() {
        return Vec::new();
    }
    let doc = |source: &Path| all.iter().find(|l| l.doc.path == source).map(|l| &l.doc);
    let mut found = Vec::new();
    // The languages [project] expects and a statement lacks: a group's,
    // or a statement's that has no translations at all.
    let lacks = |name: &str, source: &Path, langs: Vec<&str>| -> Option<Diagnostic> {
        let covered = |l: &str| langs.iter().any(|e| crate::model::lang::in_language(e, l));
        let names: Vec<String> = expected
            .iter()
            .filter(|l| !covered(l))
            .map(|l| match crate::model::lang::autonym(l) {
                Some(name) => format!("{name} (`{l}`)"),
                None => format!("`{l}`"),
            })
            .collect();
        (!names.is_empty()).then(|| {
            Diagnostic::warning(
                source,
                0,
                format!("`{name}` has no edition in {}", names.join(", ")),
            )
            .hint("[project] languages lists the languages every statement is expected in")
        })
    };
    for l in &all {
        let meta = &l.doc.meta;
        // (`related` told each statement its editions.)
        if meta.editions.is_empty() {
            let name = l
                .doc
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.extend(lacks(&name, &l.doc.path, vec![meta.lang.as_str()]));
        }
    }
    for group in &groups {
        let Some(original) = doc(&group.original().source) else {
            continue;
        };
        found.extend(lacks(
            &group.name,
            &group.original().source,
            group.editions.iter().map(|e| e.lang.as_str()).collect(),
        ));
        for edition in &group.editions[1..] {
            if let Some(edition) = doc(&edition.source)
                && let Some(w) = crate::project::translations::compare(original, edition)
            {
                found.push(w);
            }
        }
    }
    found
}

/// The text checks: unbalanced quotation marks, split paragraphs.
pub(crate) fn lint(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Every paragraph, in quotes, lists and notes too.
    for event in doc.walk() {
        let Event::Enter(Node::Block(Block {
            line,
            kind: BlockKind::Paragraph(content),
        })) = event
        else {
            continue;
        };
        let text = plain_text(content);
        // Text runs only, not code. (A pasted statement has had its dashes
        // set by now.)
        let dash = spaced_dash(&doc.meta.language());
        let dashes: usize = walk_inlines(content)
            .filter_map(|event| match event {
                Event::Enter(Node::Inline(Inline::Text(run))) => Some(set_dashes_in(run, dash).1),
                _ => None,
            })
            .sum();
        if dashes > 0 {
            out.push(
                Diagnostic::warning(
                    &doc.path,
                    *line,
                    format!(
                        "{dashes} hyphen{} typed as a dash between spaces (` - `)",
                        if dashes == 1 { "" } else { "s" }
                    ),
                )
                .hint(format!(
                    "type the language's dash ({}), or run `pamphleteer check --fix`",
                    spaced_dash(&doc.meta.language()).trim()
                )),
            );
        }
        if let Some(problem) = unbalanced(&text) {
            out.push(
                Diagnostic::warning(&doc.path, *line, problem)
                    .hint("a quotation opened in this paragraph is not closed, or one is closed that was never opened"),
            );
        }
    }
    for (_, next) in split_paragraphs(&doc.blocks) {
        out.push(
            Diagnostic::warning(
                &doc.path,
                next,
                "this paragraph starts in lower case after one that ends without punctuation: a page break may have split it",
            )
            .hint("join the two paragraphs, or run `pamphleteer check --fix`"),
        );
    }
    out
}

/// What is unbalanced in a paragraph's text, if anything. Double
/// quotation marks are told apart by where they stand, not by their shape,
/// so that German „…“, English “…”, Swedish ”…” and a mix of them all
/// balance: a mark after the start, a space or an opening bracket opens,
/// any other closes (`„` always opens). Guillemets are counted by shape
/// (» opens in German, « in French: either way they pair up). A straight
/// `"` between letters (Hebrew acronyms, צה"ל) or after a digit (12")
/// is not a quotation mark.
fn unbalanced(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let (mut opens, mut closes) = (0, 0);
    for (i, &c) in chars.iter().enumerate() {
        if !matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{201e}') {
            continue;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        if c == '"'
            && (before.is_some_and(|b| b.is_ascii_digit())
                || (before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric)))
        {
            continue;
        }
        let opening = c == '\u{201e}'
            || before.is_none_or(|b| b.is_whitespace() || "([{\u{2014}\u{2013}/".contains(b));
        if opening {
            opens += 1;
        } else {
            closes += 1;
        }
    }
    if opens != closes {
        return Some(format!(
            "unbalanced quotation marks: {opens} opening but {closes} closing"
        ));
    }
    let count = |m: char| chars.iter().filter(|&&c| c == m).count();
    let (left, right) = (count('\u{ab}'), count('\u{bb}'));
    if left != right {
        return Some(format!(
            "unbalanced quotation marks: {left} × « but {right} × »"
        ));
    }
    None
}

/// Joins split paragraphs in a file and sets its hyphens typed as dashes
/// as the language's dash: the repairs a build makes in the model of a
/// pasted statement, and `check`'s warnings ask for in any other. In place and
/// atomically; the rest of the file stays byte for byte.
fn fix_file(path: &Path, ctx: &Context) -> Result<Fixed, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::new(path, 0, format!("cannot read: {e}")))?;
    let doc = crate::read::markdown::read(path, &text)?;
    // The language and `infer` as a build completes them.
    let mut completed = doc.clone();
    crate::project::complete(&mut completed, &ctx.config);
    let edits = dash_edits(&text, &completed.meta.language());
    let dashes = edits.iter().map(|e| e.dashes).sum();
    let fixed_text = apply_edits(&text, &edits);
    // Dashes change no line, so the paragraphs' lines still hold.
    let (fixed_text, joined) = join_lines(&fixed_text, &split_paragraphs(&doc.blocks));
    if fixed_text != text {
        write_atomic(path, fixed_text.as_bytes()).map_err(|e| {
            Diagnostic::new(
                path,
                0,
                format!("cannot write the repaired text: {}", e.error),
            )
            .hint("check that the file can be written to; it is unchanged")
        })?;
    }
    Ok(Fixed { joined, dashes })
}

/// Whether Markdown text is exactly one paragraph (comments included: the
/// document model drops them, so comrak's own tree is asked).
fn is_one_paragraph(text: &str) -> bool {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, text, &crate::read::markdown::options());
    let mut children = root.children();
    matches!(
        (
            children.next().map(|n| n.data().value.clone()),
            children.next()
        ),
        (Some(comrak::nodes::NodeValue::Paragraph), None)
    )
}

/// Joins, for each pair (first paragraph's line, second's line), the last
/// line of the first with the first line of the second, dropping the blank
/// lines between. Line endings are kept. A pair is left alone unless only
/// blank lines separate the two and the first's lines are one paragraph
/// (an HTML comment or other block between them stays where it is).
pub(crate) fn join_lines(text: &str, pairs: &[(usize, usize)]) -> (String, usize) {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut joined = 0;
    // From the bottom up, so that earlier line numbers stay valid.
    for &(first, second) in pairs.iter().rev() {
        let (first, second) = (first.saturating_sub(1), second.saturating_sub(1));
        if second >= lines.len() || first >= second {
            continue;
        }
        // The first paragraph's lines: up to the first blank line.
        let mut end = first;
        while end + 1 < second && !lines[end + 1].trim().is_empty() {
            end += 1;
        }
        let only_blanks_between =
            end + 1 < second && (end + 1..second).all(|i| lines[i].trim().is_empty());
        let own: String = lines[first..=end].concat();
        let one_paragraph = is_one_paragraph(&own);
        if !only_blanks_between || !one_paragraph {
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
        // A word hyphenated across the break keeps its hyphen and joins up;
        // a dash standing alone keeps its space.
        let hyphenated = head
            .strip_suffix('-')
            .and_then(|h| h.chars().last())
            .is_some_and(char::is_alphabetic);
        let glue = if hyphenated { "" } else { " " };
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
        crate::read::markdown::read(Path::new("t.md"), md).unwrap()
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
        let d = crate::read::markdown::read(Path::new("t.md"), text).unwrap();
        let pairs = split_paragraphs(&d.blocks);
        assert_eq!(pairs, vec![(4, 7), (7, 9)]);
        let (fixed, n) = join_lines(text, &pairs);
        assert_eq!(n, 2);
        assert_eq!(
            fixed,
            "---\ntitle: T\n---\nOne that runs on, and on-going.\r\n\nEnd.\n"
        );
        let again = crate::read::markdown::read(Path::new("t.md"), &fixed).unwrap();
        assert!(split_paragraphs(&again.blocks).is_empty());
    }

    #[test]
    fn leaves_what_is_not_a_plain_split_alone() {
        let text = "We say no to cuts, no to\n<!-- page 2 -->\n\nevictions of any kind.\n";
        let d = crate::read::markdown::read(Path::new("t.md"), text).unwrap();
        let pairs = split_paragraphs(&d.blocks);
        assert_eq!(pairs, vec![(1, 4)]);
        assert_eq!(join_lines(text, &pairs), (text.to_string(), 0));
        let text = "Some text ending with a dash -\n\nand then more.\n";
        let d = crate::read::markdown::read(Path::new("t.md"), text).unwrap();
        let (fixed, n) = join_lines(text, &split_paragraphs(&d.blocks));
        assert_eq!(
            (fixed.as_str(), n),
            ("Some text ending with a dash - and then more.\n", 1)
        );
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
        for fine in [
            "It's the tenants' union's “plan”, rock 'n' roll.\n",
            "---\nlang: de\n---\nDer Slogan „Wohnen“ stammt aus dem englischen “Housing is a right”.\n",
            "---\nlang: sv\n---\nHan sa ”nej” och gick.\n",
            "---\nlang: he\n---\nצה\"ל אמר \"לא\".\n",
            "A 12\" pipe and a \"quoted\" word.\n",
            "---\nlang: de\n---\nEr sagte »Unsinn« und ging.\n",
        ] {
            let found = lint(&doc(fine));
            assert!(found.is_empty(), "{fine}: {found:?}");
        }
        for bad in [
            "---\nlang: it\n---\nDisse “no e poi basta.\n",
            "---\nlang: de\n---\nEr sagte »Unsinn und ging.\n",
            "---\nlang: pl\n---\nPowiedział „nie i wyszedł.\n",
        ] {
            assert_eq!(lint(&doc(bad)).len(), 1, "{bad}");
        }
    }
}
