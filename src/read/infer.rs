//! Bare statements: title, subtitle, signature and slogans inferred from a
//! statement pasted without front matter.
//!
//! A bare statement is first finished (see [`finish`]): paragraphs split
//! by a page break joined, hyphens typed as dashes set as dashes. A title or
//! organisation read from capitals is catalogued in the language's case.
//!
//! Inference only fills what the front matter left empty, never overrides
//! it, and removes the blocks it used so that nothing prints twice. It runs
//! in a fixed order: title (first heading), signature (last paragraph), then
//! closing slogans (the short exclamations just before the signature).

use crate::model::dates::{is_weekday, parse_date_text};
use crate::model::document::{
    Block, BlockKind, Date, Document, Event, Inline, Meta, Node, Note, plain_text, walk_inlines,
};
use crate::read::finish::{self, ONE_LETTER_WORDS, catalogue_case};

/// Characters that separate a title from its subtitle in one heading
/// (`WASSER FÜR ALLE: Warum wir streiken`).
const TITLE_SEPARATORS: [char; 6] = [':', '–', '—', '-', '.', '|'];

/// A slogan is at most this many characters…
const SLOGAN_MAX_CHARS: usize = 80;
/// …and at most this many words.
const SLOGAN_MAX_WORDS: usize = 12;

/// A signature part (organisation or place) longer than this is prose.
const SIGNATURE_PART_MAX_CHARS: usize = 100;

/// Fills what the front matter left empty from the body's shape, removing
/// the blocks it used; returns one note per inference.
///
/// Does nothing when the front matter says `infer: false`.
pub(crate) fn infer(doc: &mut Document) -> Vec<Note> {
    if doc.meta.infer == Some(false) {
        return Vec::new();
    }
    let mut notes = Vec::new();
    let pasted = finish::is_bare(doc);
    if pasted {
        notes.extend(finish::finish(doc));
    }
    if doc.meta.title.is_none() {
        notes.extend(infer_title(doc));
    }
    notes.extend(infer_signature(doc, pasted));
    if doc.meta.slogans.is_empty() {
        notes.extend(infer_slogans(doc));
    }
    notes
}

// ---------------------------------------------------------------------------
// Title and subtitle

/// How a heading came apart into title and subtitle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// At a line break inside the heading.
    Break,
    /// Between a leading part in capitals and a trailing part in mixed case.
    Case,
}

/// A heading read as a title, maybe with a subtitle.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeadingText {
    title: String,
    subtitle: Option<(String, Cut)>,
}

/// Takes the title (and subtitle, if the front matter has none) from a
/// heading that opens the document, and removes that heading.
fn infer_title(doc: &mut Document) -> Vec<Note> {
    let Some(Block {
        line,
        kind: BlockKind::Heading { content, .. },
    }) = doc.blocks.first()
    else {
        return Vec::new();
    };
    let line = *line;
    if has_footnote_ref(content) {
        // Removing the heading would orphan its note.
        return Vec::new();
    }
    let Some(heading) = read_heading(content) else {
        return Vec::new();
    };
    doc.blocks.remove(0);
    // A title in capitals is catalogued in the language's case; the
    // layout sets it in capitals again (`title-caps`).
    let (title, cased) = match catalogue_case(&heading.title, &doc.meta.language()) {
        Some(cased) => {
            doc.meta.title_caps = true;
            let said = note(
                line,
                format!(
                    "the title in capitals is catalogued as \"{cased}\" (the layout still \
                     sets it in capitals)"
                ),
            );
            (cased, Some(said))
        }
        None => (heading.title, None),
    };
    doc.meta.title = Some(title);
    let Some((subtitle, split)) = heading.subtitle else {
        let mut notes = vec![note(line, "title inferred from the first heading")];
        notes.extend(cased);
        return notes;
    };
    let (title_from, subtitle_from) = match split {
        Cut::Break => ("first line", "second line"),
        Cut::Case => ("capitals part", "mixed-case part"),
    };
    let mut notes = vec![note(
        line,
        format!("title inferred from the first heading's {title_from}"),
    )];
    notes.extend(cased);
    if doc.meta.subtitle.is_none() {
        doc.meta.subtitle = Some(subtitle);
        notes.push(note(
            line,
            format!("subtitle inferred from the first heading's {subtitle_from}"),
        ));
    } else {
        notes.push(note(
            line,
            format!(
                "the first heading's {subtitle_from} \"{subtitle}\" gave way to \
                 the front matter's subtitle"
            ),
        ));
    }
    notes
}

/// The title and subtitle a heading holds: split at its first line break,
/// else between capitals and mixed case, else the whole text is the title.
/// `None` for a heading without text.
fn read_heading(content: &[Inline]) -> Option<HeadingText> {
    let lines = text_lines(content);
    if let [first, rest @ ..] = lines.as_slice()
        && !rest.is_empty()
    {
        let title = first.trim_end_matches(is_break_separator).trim_end();
        let subtitle = rest.join(" ");
        let subtitle = subtitle.trim_start_matches(is_break_separator).trim_start();
        if !title.is_empty() && !subtitle.is_empty() {
            return Some(HeadingText {
                title: title.to_string(),
                subtitle: Some((subtitle.to_string(), Cut::Break)),
            });
        }
    }
    let whole = collapse(&plain_text(content));
    if whole.is_empty() {
        return None;
    }
    Some(match case_split(&whole) {
        Some((title, subtitle)) => HeadingText {
            title,
            subtitle: Some((subtitle, Cut::Case)),
        },
        None => HeadingText {
            title: whole,
            subtitle: None,
        },
    })
}

/// Separators stripped where a heading breaks into two lines (a full stop
/// or hyphen there is part of the text).
fn is_break_separator(c: char) -> bool {
    matches!(c, ':' | '–' | '—' | '|') || c.is_whitespace()
}

/// Separators stripped where capitals and mixed case meet.
fn is_title_separator(c: char) -> bool {
    TITLE_SEPARATORS.contains(&c) || c.is_whitespace()
}

/// A word's letter case, for telling a title in capitals from the subtitle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordCase {
    /// Letters, none of them lower case (`HOUSING`, `ALLE:`, `ВОДА`).
    Capitals,
    /// At least one lower-case letter.
    Mixed,
    /// No letters (`2024`, `–`): goes with the words around it.
    Neutral,
}

fn word_case(word: &str) -> WordCase {
    // ß has no capital in common use, so `STRAßE` is still capitals.
    if word.chars().any(|c| c.is_lowercase() && c != 'ß') {
        WordCase::Mixed
    } else if word.chars().any(char::is_alphabetic) {
        WordCase::Capitals
    } else {
        WordCase::Neutral
    }
}

/// Splits `HOUSING IS A RIGHT Why we march` into a title in capitals and a
/// subtitle in mixed case, or returns `None` if the text does not read so.
///
/// The capitals part is the run of leading words without lower-case letters
/// (words without letters join it); it needs two upper-case letters. The
/// rest must hold lower-case letters. An explicit separator (`—`, `–`, `-`,
/// `|` or a word ending in `:`) followed by nothing but words without
/// letters is where it splits (`ROSA LUXEMBURG — 100 Years On`). Without a
/// separator (`:`, `–`, `|`, a full stop…) between the parts, the capitals
/// part needs two words, one of them with four letters in a row, and the
/// subtitle a capital first letter, so that `NATO must go`, `NHS Cuts
/// Kill` or `UK PLC Sells Out the NHS` stay whole. A full stop that ends an
/// abbreviation (`U.S.`) or follows a single letter is no separator. A
/// closing one-letter word (`A`, `I`, `O`) moves to the subtitle. Scripts
/// without case never split: they have no lower-case letters.
fn case_split(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut at = words.iter().position(|w| word_case(w) == WordCase::Mixed)?;
    if at == 0 {
        return None;
    }
    if is_one_letter_word(words[at - 1]) {
        at -= 1;
    }
    if let Some(separator) = words[..at].iter().rposition(|w| is_explicit_separator(w))
        && words[separator + 1..at]
            .iter()
            .all(|w| word_case(w) == WordCase::Neutral)
    {
        at = separator + 1;
    }
    let (head, tail) = (words[..at].join(" "), words[at..].join(" "));
    let title = trim_title_end(&head);
    let subtitle = tail.trim_start_matches(is_title_separator);
    let separated = title.len() < head.len() || subtitle.len() < tail.len();
    let capitals: Vec<&str> = words[..at]
        .iter()
        .copied()
        .filter(|w| word_case(w) == WordCase::Capitals)
        .collect();
    let upper = title.chars().filter(|c| c.is_uppercase()).count();
    let reads_as_split = upper >= 2
        && subtitle.chars().any(char::is_lowercase)
        && (separated
            || (capitals.len() >= 2
                && capitals.iter().any(|w| has_letter_run(w, 4))
                && starts_with_capital(subtitle)));
    reads_as_split.then(|| (title.to_string(), subtitle.to_string()))
}

/// A word that stands between title and subtitle: a lone dash or bar, or a
/// word ending in a colon (`ALLE:`).
fn is_explicit_separator(word: &str) -> bool {
    matches!(word, "—" | "–" | "-" | "|") || (word.len() > 1 && word.ends_with(':'))
}

/// The title part without the separators that close it. A full stop that
/// ends an abbreviation (`U.S.`, `A.C.A.B.`) or follows a single letter
/// (`PLAN B.`) belongs to the title.
fn trim_title_end(head: &str) -> &str {
    let mut title = head.trim_end();
    while let Some(c) = title.chars().next_back() {
        if !is_title_separator(c) {
            break;
        }
        let rest = &title[..title.len() - c.len_utf8()];
        if c == '.' {
            let word = rest.rsplit(char::is_whitespace).next().unwrap_or(rest);
            let mut letters = word.chars();
            let single_letter =
                matches!((letters.next(), letters.next()), (Some(l), None) if l.is_alphabetic());
            if word.contains('.') || single_letter {
                break;
            }
        }
        title = rest.trim_end();
    }
    title
}

/// Whether the word holds `n` letters in a row (`PLAN`, not `U.S.` or `UK`).
fn has_letter_run(word: &str, n: usize) -> bool {
    let mut run = 0;
    word.chars().any(|c| {
        run = if c.is_alphabetic() { run + 1 } else { 0 };
        run >= n
    })
}

fn is_one_letter_word(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if ONE_LETTER_WORDS.contains(c))
}

/// Whether the first letter (after quotes, `¡`, digits…) is upper case.
fn starts_with_capital(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

// ---------------------------------------------------------------------------
// Signature

/// A signature line read as signatories, place and date.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Signature {
    /// The organisations that sign, one per line; none for a dateline
    /// alone (`Berlin, den 1. Mai 2025`).
    authors: Vec<String>,
    place: Option<String>,
    date: Date,
}

/// Reads a closing emphasised "Organisation, place, date" paragraph into
/// the metadata it leaves empty, and removes the paragraph (the layout
/// prints the signature from the metadata).
fn infer_signature(doc: &mut Document, pasted: bool) -> Vec<Note> {
    let Some(Block {
        line,
        kind: BlockKind::Paragraph(content),
    }) = doc.blocks.last()
    else {
        return Vec::new();
    };
    let line = *line;
    let language = doc.meta.language();
    // In a pasted statement the signature is often plain text: a short
    // line that reads as one ("Organisation, Place, 12 January 2026").
    let text = emphasised_text(content).or_else(|| pasted.then(|| plain_line(content)).flatten());
    let Some(signature) = text.and_then(|t| read_signature(&t, &language)) else {
        return Vec::new();
    };
    doc.blocks.pop();

    // Organisations typed in capitals are catalogued in the language's
    // case (the layouts set signatories in capitals anyway).
    let mut signature = signature;
    let mut cased = Vec::new();
    if doc.meta.authors.is_empty() {
        for author in &mut signature.authors {
            if let Some(c) = catalogue_case(author, &language) {
                cased.push(note(
                    line,
                    format!("the name \"{author}\" in capitals is catalogued as \"{c}\""),
                ));
                *author = c;
            }
        }
    }
    let (filled, kept) = fill_signature(&mut doc.meta, &signature);
    let read = describe(&signature);
    if filled.is_empty() {
        return vec![note(
            line,
            format!("signature line \"{read}\" replaced by the front matter's"),
        )];
    }
    let mut message = format!("signature inferred: {read} (sets {}", filled.join(", "));
    if !kept.is_empty() {
        message.push_str(&format!("; the front matter's {} kept", kept.join(", ")));
    }
    message.push(')');
    let mut notes = vec![note(line, message)];
    notes.extend(cased);
    notes
}

/// Puts the signature into the metadata fields that are empty; returns the
/// names of the fields it set and of those the front matter had already set.
fn fill_signature(
    meta: &mut Meta,
    signature: &Signature,
) -> (Vec<&'static str>, Vec<&'static str>) {
    let (mut filled, mut kept) = (Vec::new(), Vec::new());
    let mut record = |name, was_empty| {
        (if was_empty { &mut filled } else { &mut kept }).push(name);
    };
    if !signature.authors.is_empty() {
        record("author", meta.authors.is_empty());
        if meta.authors.is_empty() {
            meta.authors = signature.authors.clone();
        }
    }
    if let Some(place) = &signature.place {
        record("place", meta.place.is_none());
        meta.place.get_or_insert_with(|| place.clone());
    }
    record("date", meta.date.is_none());
    meta.date.get_or_insert(signature.date);
    (filled, kept)
}

/// The signature as read, with the date in ISO form.
fn describe(signature: &Signature) -> String {
    let Date { year, month, day } = signature.date;
    let mut parts = Vec::new();
    if !signature.authors.is_empty() {
        parts.push(signature.authors.join(" / "));
    }
    parts.extend(signature.place.clone());
    parts.push(format!("{year:04}-{month:02}-{day:02}"));
    parts.join(", ")
}

/// The text of a paragraph that is wholly bold or italic (runs of emphasis
/// separated only by spaces and line breaks), with `\n` at line breaks.
/// `None` if any text stands outside emphasis, or it holds notes or images.
fn emphasised_text(content: &[Inline]) -> Option<String> {
    let mut text = String::new();
    let mut emphasised = false;
    for inline in content {
        match inline {
            Inline::Text(s) if s.trim().is_empty() => text.push(' '),
            Inline::SoftBreak | Inline::HardBreak => text.push('\n'),
            Inline::Strong(inner) | Inline::Emph(inner) if !has_footnote_ref_or_image(inner) => {
                emphasised = true;
                push_text(inner, &mut text);
            }
            _ => return None,
        }
    }
    emphasised.then_some(text)
}

/// A plain paragraph short enough to be a signature, and shaped like one:
/// no emphasis, notes or links, at most 150 characters, parts separated by
/// commas or line breaks, not ending as a sentence does.
fn plain_line(content: &[Inline]) -> Option<String> {
    let mut text = String::new();
    for inline in content {
        match inline {
            Inline::Text(s) => text.push_str(s),
            Inline::SoftBreak | Inline::HardBreak => text.push('\n'),
            _ => return None,
        }
    }
    let trimmed = text.trim();
    let shaped = trimmed.chars().count() <= 150
        && (trimmed.contains(',') || trimmed.contains('\n'))
        && !trimmed.ends_with(['.', '!', '?', ':', ';']);
    shaped.then(|| trimmed.to_string())
}

/// Words that introduce a date on a dateline (`Berlin, den 1. Mai 2025`,
/// `Paris, le 8 mars 2024`, `Madrid, a 8 de marzo de 2024`, `Roma, lì 8
/// marzo 2024`): the one part before such a date is a place, not a name.
const DATELINE_WORDS: [&str; 9] = ["den", "am", "le", "el", "il", "the", "a", "lì", "li"];

/// Reads a signature: on several lines, each line but the last names one
/// signatory and the last holds `[place,] date` (or `Organisation, place,
/// date`); on one line (or when the last line holds no date), "Organisation,
/// [place,] date" with parts separated by commas, line breaks or spaced
/// dashes, the date last. With two or more parts before the date, the last
/// of them is the place; a single part is the organisation, or the place
/// when a dateline word introduces the date.
fn read_signature(text: &str, language: &str) -> Option<Signature> {
    let lines = signature_lines(text);
    if lines.len() >= 2
        && let Some(signature) = read_signature_lines(&lines, language)
    {
        return signature;
    }
    let parts = signature_parts(text);
    let (date, date_parts) = trailing_date(&parts, language)?;
    let (before, dated) = parts.split_at(parts.len() - date_parts);
    let before = without_weekday(before, language);
    if !before.iter().all(|p| is_signature_part(p)) {
        return None;
    }
    let (authors, place) = match before {
        [] => return None,
        [place] if is_dateline(dated) => (Vec::new(), Some(place.clone())),
        [organisation] => (vec![organisation.clone()], None),
        [names @ .., place] => (vec![names.join(", ")], Some(place.clone())),
    };
    Some(Signature {
        authors,
        place,
        date,
    })
}

/// Reads a signature on several lines: `None` if the last line holds no
/// date (the caller then reads the lines as one), `Some(None)` if it does
/// but the lines are no signature.
///
/// One line of name before a last line with a date alone is read as one
/// line (`Tenants' Union, Leeds` / `10 January 2022`). Before a last line
/// with a date alone introduced by a dateline word, the line just before
/// it is the place (`Mieterverein` / `Berlin` / `den 1. Mai 2025`).
fn read_signature_lines(lines: &[String], language: &str) -> Option<Option<Signature>> {
    let (last, earlier) = lines.split_last()?;
    let parts = split_parts(last);
    let (date, date_parts) = trailing_date(&parts, language)?;
    let (before, dated) = parts.split_at(parts.len() - date_parts);
    let before = without_weekday(before, language);
    if before.is_empty() && earlier.len() == 1 {
        return None;
    }
    let mut authors: Vec<String> = earlier.iter().map(|l| strip_leading_dash(l)).collect();
    let place = match before {
        [] if is_dateline(dated) => authors.pop(),
        [] => None,
        [place] => Some(place.clone()),
        [names @ .., place] => {
            authors.push(names.join(", "));
            Some(place.clone())
        }
    };
    let plausible = authors.iter().chain(&place).all(|p| is_signature_part(p))
        && before.iter().all(|p| is_signature_part(p));
    if !plausible || authors.iter().any(String::is_empty) {
        return Some(None);
    }
    Some(Some(Signature {
        authors,
        place,
        date,
    }))
}

/// The parts before a date without a weekday just before it (`Berlin,
/// Samstag, 1. Mai 2025` split at commas leaves `Samstag` apart).
fn without_weekday<'a>(before: &'a [String], language: &str) -> &'a [String] {
    match before {
        [rest @ .., last] if is_weekday(last, language) => rest,
        _ => before,
    }
}

/// Whether the date parts hold a dateline word (`den 1. Mai 2025`).
fn is_dateline(dated: &[String]) -> bool {
    dated.iter().any(|part| {
        part.split_whitespace().any(|word| {
            let word = word.trim_end_matches('.').to_lowercase();
            DATELINE_WORDS.contains(&word.as_str())
        })
    })
}

/// Whether a part before the date can be a name or a place: not too long,
/// not ending like a sentence or a label, no contact details (an e-mail or
/// web address, a phone number) and no `Label:` prefix (`Contact:`,
/// `Photo:`, `V.i.S.d.P.:`).
fn is_signature_part(part: &str) -> bool {
    let lower = part.to_lowercase();
    part.chars().count() <= SIGNATURE_PART_MAX_CHARS
        && !part.ends_with(['!', '?', ':', ';', '؟', '！', '？', '：'])
        && !["@", "://", "www."].iter().any(|s| lower.contains(s))
        && !has_phone_number(part)
        && !has_label(part)
}

/// Whether the text holds a run of five or more digits, counting across
/// spaces, dashes, dots, parentheses and `+` (`07700 900123`,
/// `+49 (30) 123-45`).
fn has_phone_number(text: &str) -> bool {
    let mut digits = 0;
    for c in text.chars() {
        if is_digit(c) {
            digits += 1;
            if digits >= 5 {
                return true;
            }
        } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+') {
            digits = 0;
        }
    }
    false
}

/// ASCII, Arabic-Indic and Persian digits.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}')
}

/// Whether the text opens with a label: one or two words, the last ending
/// in a colon (`Contact: …`, `Press contact: …`, `Photo : …`).
fn has_label(text: &str) -> bool {
    text.split_whitespace()
        .take(2)
        .any(|word| word.ends_with([':', '：']))
}

/// A leading dash or em dash (`— Tenants' Union`) removed.
fn strip_leading_dash(text: &str) -> String {
    text.trim_start_matches(|c: char| matches!(c, '-' | '–' | '—' | '―') || c.is_whitespace())
        .to_string()
}

/// The lines of a signature, whitespace collapsed, empty lines dropped; a
/// line that ends in a comma or dash goes on on the next.
fn signature_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n').map(collapse).filter(|l| !l.is_empty()) {
        match lines.last_mut() {
            Some(previous) if previous.ends_with([',', '،', '，', '-', '–', '—']) => {
                previous.push(' ');
                previous.push_str(&line);
            }
            _ => lines.push(line),
        }
    }
    lines
}

/// The parts of a signature: split at line breaks, then as [`split_parts`].
fn signature_parts(text: &str) -> Vec<String> {
    text.split('\n')
        .flat_map(|line| split_parts(&collapse(line)))
        .collect()
}

/// The parts of one line: split at commas (Latin, Arabic, full-width) and
/// spaced dashes (`—`, `–`, `-`), leading dashes and whitespace removed,
/// empty parts dropped.
fn split_parts(line: &str) -> Vec<String> {
    let line = collapse(line);
    line.replace(" — ", ",")
        .replace(" – ", ",")
        .replace(" - ", ",")
        .split([',', '،', '，'])
        .map(|p| strip_leading_dash(p).trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The date that ends the parts, and how many parts it took: the last two
/// rejoined first (`January 10, 2022` holds a comma), then the last alone.
fn trailing_date(parts: &[String], language: &str) -> Option<(Date, usize)> {
    let n = parts.len();
    if n >= 2
        && let Some(date) =
            parse_date_text(&format!("{}, {}", parts[n - 2], parts[n - 1]), language)
    {
        return Some((date, 2));
    }
    parse_date_text(parts.last()?, language).map(|date| (date, 1))
}

// ---------------------------------------------------------------------------
// Slogans

/// Moves the run of short exclamations that closes the body into the
/// slogans. The first block always stays (a statement that is nothing but
/// exclamations keeps them all as text).
fn infer_slogans(doc: &mut Document) -> Vec<Note> {
    let mut start = doc.blocks.len();
    let mut found = Vec::new();
    while start > 0 {
        let Some(lines) = slogan_lines(&doc.blocks[start - 1]) else {
            break;
        };
        found.push(lines);
        start -= 1;
    }
    if found.is_empty() || start == 0 {
        return Vec::new();
    }
    let line = doc.blocks[start].line;
    doc.blocks.truncate(start);
    found.reverse();
    doc.meta.slogans = found.into_iter().flatten().collect();
    let n = doc.meta.slogans.len();
    let plural = if n == 1 { "" } else { "s" };
    vec![note(line, format!("{n} closing slogan{plural} inferred"))]
}

/// The slogans a block holds: a paragraph that is one short exclamation,
/// or whose every line is one. Links, notes and images keep a paragraph in
/// the text (a slogan is plain text and would lose them).
fn slogan_lines(block: &Block) -> Option<Vec<String>> {
    let BlockKind::Paragraph(content) = &block.kind else {
        return None;
    };
    if has_link_footnote_ref_or_image(content) {
        return None;
    }
    let lines = text_lines(content);
    if lines.len() >= 2 && lines.iter().all(|l| is_slogan(l)) {
        return Some(lines);
    }
    let whole = collapse(&plain_text(content));
    is_slogan(&whole).then(|| vec![whole])
}

/// A short line of words ending in an exclamation mark (closing quotes
/// after it are fine).
fn is_slogan(text: &str) -> bool {
    let end = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '“' | '»' | '«' | '›' | ')')
    });
    (end.ends_with('!') || end.ends_with('！'))
        && text.chars().any(char::is_alphanumeric)
        && text.chars().count() <= SLOGAN_MAX_CHARS
        && text.split_whitespace().count() <= SLOGAN_MAX_WORDS
}

// ---------------------------------------------------------------------------
// Inline helpers

fn note(line: usize, message: impl Into<String>) -> Note {
    Note {
        line,
        message: message.into(),
    }
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lines of inlines' plain text, cut at soft and hard breaks (also
/// inside emphasis), whitespace collapsed, empty lines dropped.
fn text_lines(content: &[Inline]) -> Vec<String> {
    let mut text = String::new();
    push_text(content, &mut text);
    text.split('\n')
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Appends the plain text of inlines, with `\n` for line breaks.
fn push_text(content: &[Inline], out: &mut String) {
    for event in walk_inlines(content) {
        match event {
            Event::Enter(Node::Inline(Inline::SoftBreak | Inline::HardBreak)) => out.push('\n'),
            Event::Enter(Node::Inline(inline)) => {
                out.push_str(inline.own_text().unwrap_or_default())
            }
            _ => {}
        }
    }
}

/// Whether any inline, at any depth, matches `pred`.
fn any_inline(content: &[Inline], pred: &dyn Fn(&Inline) -> bool) -> bool {
    walk_inlines(content).any(|event| matches!(event, Event::Enter(Node::Inline(i)) if pred(i)))
}

fn has_footnote_ref(content: &[Inline]) -> bool {
    any_inline(content, &|i| matches!(i, Inline::FootnoteRef { .. }))
}

fn has_footnote_ref_or_image(content: &[Inline]) -> bool {
    any_inline(content, &|i| {
        matches!(i, Inline::FootnoteRef { .. } | Inline::Image(_))
    })
}

fn has_link_footnote_ref_or_image(content: &[Inline]) -> bool {
    any_inline(content, &|i| {
        matches!(
            i,
            Inline::FootnoteRef { .. } | Inline::Image(_) | Inline::Link { .. }
        )
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A bare statement (no front matter) in `lang`.
    fn doc(lang: &str, body: &str) -> Document {
        let mut doc =
            crate::read::markdown::parse_body(Path::new("t.md"), body, 0).expect("parses");
        doc.meta.lang = lang.to_string();
        doc
    }

    /// The plain text of each remaining block.
    fn body(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
                    collapse(&plain_text(c))
                }
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn messages(notes: &[Note]) -> Vec<&str> {
        notes.iter().map(|n| n.message.as_str()).collect()
    }

    fn date(year: i32, month: u8, day: u8) -> Option<Date> {
        Some(Date { year, month, day })
    }

    /// Title and subtitle read from a statement that opens with `heading`,
    /// as the heading splits (before a title in capitals is cased: see
    /// `finish`'s tests).
    fn titles(lang: &str, heading: &str) -> (Option<String>, Option<String>) {
        let d = doc(lang, &format!("# {heading}\n\nBody.\n"));
        let Some(Block {
            kind: BlockKind::Heading { content, .. },
            ..
        }) = d.blocks.first()
        else {
            return (None, None);
        };
        match read_heading(content) {
            Some(h) => (Some(h.title), h.subtitle.map(|(s, _)| s)),
            None => (None, None),
        }
    }

    fn pair(title: &str, subtitle: Option<&str>) -> (Option<String>, Option<String>) {
        (Some(title.to_string()), subtitle.map(str::to_string))
    }

    // --- title -----------------------------------------------------------

    #[test]
    fn first_heading_becomes_the_title_and_leaves_the_body() {
        let mut d = doc("en", "\n## Housing is a *right*\n\nWe march.\n\n## More\n");
        let notes = infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Housing is a right"));
        assert_eq!(d.meta.subtitle, None);
        assert_eq!(body(&d), ["We march.", "More"]);
        assert_eq!(
            notes,
            [Note {
                line: 2,
                message: "title inferred from the first heading".into()
            }]
        );
    }

    #[test]
    fn only_a_heading_that_opens_the_document_is_a_title() {
        let mut d = doc("en", "Intro.\n\n# Heading\n");
        assert!(infer(&mut d).is_empty());
        assert_eq!(d.meta.title, None);
        assert_eq!(body(&d), ["Intro.", "Heading"]);
    }

    #[test]
    fn a_line_break_splits_title_and_subtitle() {
        let mut d = doc("en", "Housing is a right:\nwhy we march\n===\n\nBody.\n");
        let notes = infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Housing is a right"));
        assert_eq!(d.meta.subtitle.as_deref(), Some("why we march"));
        assert_eq!(
            messages(&notes),
            [
                "title inferred from the first heading's first line",
                "subtitle inferred from the first heading's second line"
            ]
        );
        // A hard break inside emphasis (a heading built by another reader).
        let mut d = doc("en", "Body.\n");
        let content = vec![
            Inline::Text("Housing ".into()),
            Inline::Emph(vec![
                Inline::Text("is a right".into()),
                Inline::HardBreak,
                Inline::Text("Why we march".into()),
            ]),
        ];
        d.blocks.insert(
            0,
            Block {
                line: 1,
                kind: BlockKind::Heading { level: 1, content },
            },
        );
        infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Housing is a right"));
        assert_eq!(d.meta.subtitle.as_deref(), Some("Why we march"));
        assert_eq!(body(&d), ["Body."]);
    }

    #[test]
    fn capitals_then_mixed_case_split() {
        let split = |t, s| pair(t, Some(s));
        assert_eq!(
            titles("en", "HOUSING IS A RIGHT Why we march on Saturday"),
            split("HOUSING IS A RIGHT", "Why we march on Saturday")
        );
        assert_eq!(
            titles("de", "WASSER FÜR ALLE: Warum wir streiken"),
            split("WASSER FÜR ALLE", "Warum wir streiken")
        );
        assert_eq!(
            titles("en", "**HOUSING IS A RIGHT** – *Why we march*"),
            split("HOUSING IS A RIGHT", "Why we march")
        );
        assert_eq!(
            titles("en", "MAY DAY 2024 | Why we march"),
            split("MAY DAY 2024", "Why we march")
        );
        assert_eq!(
            titles("en", "NO WAR — why we refuse"),
            split("NO WAR", "why we refuse")
        );
        assert_eq!(
            titles("de", "DIE STRAßE GEHÖRT UNS. Aufruf zur Demo"),
            split("DIE STRAßE GEHÖRT UNS", "Aufruf zur Demo")
        );
        assert_eq!(
            titles("es", "VIVIENDA YA ¡Todos a la calle!"),
            split("VIVIENDA YA", "¡Todos a la calle!")
        );
    }

    #[test]
    fn cyrillic_and_greek_capitals_split() {
        assert_eq!(
            titles("ru", "ВОДА ДЛЯ ВСЕХ: Почему мы бастуем"),
            pair("ВОДА ДЛЯ ВСЕХ", Some("Почему мы бастуем"))
        );
        assert_eq!(
            titles("uk", "ЖИТЛО — ЦЕ ПРАВО Чому ми виходимо"),
            pair("ЖИТЛО — ЦЕ ПРАВО", Some("Чому ми виходимо"))
        );
        assert_eq!(
            titles("el", "ΝΕΡΟ ΓΙΑ ΟΛΟΥΣ Γιατί απεργούμε"),
            pair("ΝΕΡΟ ΓΙΑ ΟΛΟΥΣ", Some("Γιατί απεργούμε"))
        );
    }

    #[test]
    fn a_closing_one_letter_word_starts_the_subtitle() {
        assert_eq!(
            titles("en", "HOUSING NOW A call to action"),
            pair("HOUSING NOW", Some("A call to action"))
        );
        assert_eq!(
            titles("pt", "HABITAÇÃO JÁ O que queremos"),
            pair("HABITAÇÃO JÁ", Some("O que queremos"))
        );
        assert_eq!(
            titles("ru", "ЖИЛЬЁ СЕЙЧАС В защиту арендаторов"),
            pair("ЖИЛЬЁ СЕЙЧАС", Some("В защиту арендаторов"))
        );
        // A letter that is no word of its own stays in the title.
        assert_eq!(
            titles("en", "THERE IS NO PLAN B Why we act now"),
            pair("THERE IS NO PLAN B", Some("Why we act now"))
        );
        // Without the letter the capitals are too few.
        assert_eq!(titles("en", "X A call"), pair("X A call", None));
    }

    #[test]
    fn headings_that_do_not_split() {
        for heading in [
            "HOUSING IS A RIGHT",
            "Housing is a right",
            "Housing Is A Right",
            "WHY THE G20 MATTERS",
            // An acronym opening a sentence.
            "NATO must go",
            "NHS Cuts Kill",
            "COVID-19 and us",
            "EU Migration Pact",
            // Capitals for emphasis inside a sentence.
            "THE NHS is ours",
            "I am here",
            "A Call To Action",
            "McDONALD'S WORKERS STRIKE Now",
        ] {
            assert_eq!(titles("en", heading), pair(heading, None), "{heading}");
        }
    }

    #[test]
    fn abbreviations_acronyms_and_numbers_after_a_separator() {
        for heading in [
            // A full stop that ends an abbreviation or an initial.
            "U.S. Troops Out of Iraq Now",
            "A.C.A.B. Graffiti Trial",
            "THE U.S. Empire Strikes",
            // Acronyms alone do not split without a separator.
            "UK PLC Sells Out the NHS",
            "NHS EU Deal Explained",
        ] {
            assert_eq!(titles("en", heading), pair(heading, None), "{heading}");
        }
        assert_eq!(
            titles("en", "ROSA LUXEMBURG — 100 Years On"),
            pair("ROSA LUXEMBURG", Some("100 Years On"))
        );
        assert_eq!(
            titles("en", "ROSA LUXEMBURG: 100 Years On"),
            pair("ROSA LUXEMBURG", Some("100 Years On"))
        );
        assert_eq!(
            titles("en", "MAY DAY – 2024 and beyond"),
            pair("MAY DAY", Some("2024 and beyond"))
        );
        assert_eq!(
            titles("en", "UK PLC: Sold Out"),
            pair("UK PLC", Some("Sold Out"))
        );
        assert_eq!(
            titles("en", "U.S. OUT OF IRAQ: Why we march"),
            pair("U.S. OUT OF IRAQ", Some("Why we march"))
        );
        assert_eq!(
            titles("en", "TROOPS OUT OF THE U.S.A. Why we march"),
            pair("TROOPS OUT OF THE U.S.A.", Some("Why we march"))
        );
    }

    #[test]
    fn scripts_without_case_never_split() {
        for (lang, heading) in [
            ("ar", "السكن حق لماذا نتظاهر"),
            ("he", "דיור זה זכות למה אנחנו צועדים"),
            ("zh", "住房是权利 我们为何游行"),
            ("ar", "NATO لماذا نتظاهر"),
        ] {
            assert_eq!(titles(lang, heading), pair(heading, None), "{heading}");
        }
    }

    #[test]
    fn front_matter_title_wins() {
        let mut d = doc("en", "# HOUSING NOW Why we march\n\nBody.\n");
        d.meta.title = Some("Given".into());
        assert!(infer(&mut d).is_empty());
        assert_eq!(d.meta.title.as_deref(), Some("Given"));
        assert_eq!(d.meta.subtitle, None);
        assert_eq!(body(&d), ["HOUSING NOW Why we march", "Body."]);
    }

    #[test]
    fn front_matter_subtitle_keeps_its_place() {
        let mut d = doc("en", "# HOUSING NOW Why we march\n\nBody.\n");
        d.meta.subtitle = Some("Given".into());
        let notes = infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Housing Now"));
        assert!(d.meta.title_caps);
        assert_eq!(d.meta.subtitle.as_deref(), Some("Given"));
        assert_eq!(body(&d), ["Body."]);
        assert_eq!(notes.len(), 3);
        assert!(
            notes[2]
                .message
                .contains("gave way to the front matter's subtitle")
        );

        let mut d = doc("en", "# Housing now\n\nBody.\n");
        d.meta.subtitle = Some("Given".into());
        infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Housing now"));
        assert_eq!(d.meta.subtitle.as_deref(), Some("Given"));
    }

    #[test]
    fn a_heading_with_a_footnote_or_no_text_stays() {
        let mut d = doc("en", "# Title[^1]\n\nBody.\n\n[^1]: Note.\n");
        assert!(infer(&mut d).is_empty());
        assert_eq!(d.meta.title, None);
        assert_eq!(d.blocks.len(), 2);
        let mut d = doc("en", "Body.\n");
        let content = vec![Inline::Text(" ".into()), Inline::SoftBreak];
        d.blocks.insert(
            0,
            Block {
                line: 1,
                kind: BlockKind::Heading { level: 1, content },
            },
        );
        assert!(infer(&mut d).is_empty());
        assert_eq!(d.blocks.len(), 2);
    }

    // --- signature -------------------------------------------------------

    #[test]
    fn a_bold_signature_line_fills_author_place_and_date() {
        let mut d = doc(
            "en",
            "Body.\n\n**Tenants' Union, Leeds, 10 January 2022**\n",
        );
        let notes = infer(&mut d);
        assert_eq!(d.meta.authors, ["Tenants' Union"]);
        assert_eq!(d.meta.place.as_deref(), Some("Leeds"));
        assert_eq!(d.meta.date, date(2022, 1, 10));
        assert_eq!(body(&d), ["Body."]);
        assert_eq!(
            notes,
            [Note {
                line: 3,
                message: "signature inferred: Tenants' Union, Leeds, 2022-01-10 \
                          (sets author, place, date)"
                    .into()
            }]
        );
    }

    #[test]
    fn signature_shapes() {
        let read = |lang: &str, last: &str| {
            let mut d = doc(lang, &format!("Body.\n\n{last}\n"));
            infer(&mut d);
            assert_eq!(body(&d), ["Body."], "{last}");
            (d.meta.authors, d.meta.place, d.meta.date)
        };
        let sig = |org: &str, place: Option<&str>, d| {
            (vec![org.to_string()], place.map(str::to_string), d)
        };
        assert_eq!(
            read("en", "*Tenants' Union*  \n*Leeds, 10 January 2022*"),
            sig("Tenants' Union", Some("Leeds"), date(2022, 1, 10))
        );
        // Each line before a last line that holds the date alone signs.
        assert_eq!(
            read("en", "***Tenants' Union\nLeeds\nJanuary 10, 2022.***"),
            (
                vec!["Tenants' Union".to_string(), "Leeds".to_string()],
                None,
                date(2022, 1, 10)
            )
        );
        assert_eq!(
            read("en", "***Tenants' Union\nLeeds, January 10, 2022.***"),
            sig("Tenants' Union", Some("Leeds"), date(2022, 1, 10))
        );
        assert_eq!(
            read("en", "*The **Tenants'** Union — Leeds — January 10, 2022*"),
            sig("The Tenants' Union", Some("Leeds"), date(2022, 1, 10))
        );
        assert_eq!(
            read("en", "**Tenants' Union, 2022-01-10**"),
            sig("Tenants' Union", None, date(2022, 1, 10))
        );
        assert_eq!(
            read("en", "**Union, Local 5, Leeds, 10 Jan 2022**"),
            sig("Union, Local 5", Some("Leeds"), date(2022, 1, 10))
        );
        assert_eq!(
            read("de", "*Mieterverein Berlin, Berlin, den 1. Mai 2025*"),
            sig("Mieterverein Berlin", Some("Berlin"), date(2025, 5, 1))
        );
        assert_eq!(
            read("de", "*Mieterverein, Berlin, 1.5.2025*"),
            sig("Mieterverein", Some("Berlin"), date(2025, 5, 1))
        );
        assert_eq!(
            read("ru", "**Союз жильцов, Москва, 8\u{a0}марта 2024\u{a0}г.**"),
            sig("Союз жильцов", Some("Москва"), date(2024, 3, 8))
        );
        // English is always understood.
        assert_eq!(
            read("fr", "*Collectif, Lyon, 8 March 2024*"),
            sig("Collectif", Some("Lyon"), date(2024, 3, 8))
        );
    }

    #[test]
    fn paragraphs_that_are_no_signature_stay() {
        for last in [
            // Not wholly emphasised (a plain line is a signature only in
            // a pasted statement: see the test after this one).
            "**Tenants' Union**, Leeds, 10 January 2022",
            "**Tenants' Union, Leeds,** 10 January 2022",
            // No date, or not last, or not real.
            "**Tenants' Union, Leeds**",
            "**Tenants' Union, 10 January 2022, Leeds**",
            "**Tenants' Union, Leeds, 32 January 2022**",
            "**Tenants' Union, Leeds, 8 mars 2024**",
            // A date alone names nobody.
            "**10 January 2022**",
            // Emphasised prose that happens to end in a date.
            "**We will never give up! 10 January 2022**",
            "**Never again!, 10 January 2022**",
            // Notes and images keep it in the text.
            "**Tenants' Union[^1], Leeds, 10 January 2022**\n\n[^1]: Note.",
        ] {
            let mut d = doc("en", &format!("Body.\n\n{last}\n"));
            assert!(infer(&mut d).is_empty(), "{last}");
            assert_eq!(d.blocks.len(), 2, "{last}");
            assert!(d.meta.authors.is_empty() && d.meta.date.is_none());
        }
        let mut d = doc(
            "en",
            "Body.\n\n> **Tenants' Union, Leeds, 10 January 2022**\n",
        );
        assert!(infer(&mut d).is_empty());
    }

    #[test]
    fn contact_photo_and_press_law_lines_are_no_signature() {
        for last in [
            "**Contact: press@example.org, 07700 900123, 10 January 2022**",
            "**press@example.org, Leeds, 10 January 2022**",
            "**Tenants' Union, www.example.org, 10 January 2022**",
            "**Tenants' Union, https://example.org, 10 January 2022**",
            "**Tenants' Union, +44 (0)113 496-0000, 10 January 2022**",
            "**Tenants' Union, 07700 900123, 10 January 2022**",
            "*Photo: Jane Doe, Leeds, 10 January 2022*",
            "*Photo : Jane Doe, Lyon, 10 January 2022*",
            "*Press contact: Jane Doe, Leeds, 10 January 2022*",
            "*Foto: Max Muster, Berlin, 1. Mai 2025*",
            "**Kontakt: Max Muster, Berlin, 1. Mai 2025**",
            "**V.i.S.d.P.: Max Muster, Berlin, 1. Mai 2025**",
            "**V.i.S.d.P.: Max Muster, Musterstraße 1, Berlin, 1. Mai 2025**",
            "**Tenants' Union**  \n**Contact: press@example.org**  \n**10 January 2022**",
            "**Tenants' Union**  \n**We will never give up!**  \n**Leeds, 10 January 2022**",
        ] {
            let lang = if last.contains("Mai") { "de" } else { "en" };
            let mut d = doc(lang, &format!("Body.\n\n{last}\n"));
            assert!(infer(&mut d).is_empty(), "{last}");
            assert_eq!(d.blocks.len(), 2, "{last}");
            assert!(d.meta.authors.is_empty() && d.meta.date.is_none());
        }
    }

    #[test]
    fn a_dateline_alone_gives_place_and_date() {
        let mut d = doc("de", "Body.\n\n**Berlin, den 1. Mai 2025**\n");
        let notes = infer(&mut d);
        assert!(d.meta.authors.is_empty());
        assert_eq!(d.meta.place.as_deref(), Some("Berlin"));
        assert_eq!(d.meta.date, date(2025, 5, 1));
        assert_eq!(body(&d), ["Body."]);
        assert_eq!(
            messages(&notes),
            ["signature inferred: Berlin, 2025-05-01 (sets place, date)"]
        );
        for (lang, last, place, day) in [
            ("fr", "*Paris, le 8 mars 2024*", "Paris", date(2024, 3, 8)),
            (
                "es",
                "*Madrid, el 8 de marzo de 2024*",
                "Madrid",
                date(2024, 3, 8),
            ),
            (
                "es",
                "*Madrid, a 8 de marzo de 2024*",
                "Madrid",
                date(2024, 3, 8),
            ),
            ("it", "*Roma, lì 8 marzo 2024*", "Roma", date(2024, 3, 8)),
            (
                "en",
                "*Leeds, the 1st of May 2022*",
                "Leeds",
                date(2022, 5, 1),
            ),
            (
                "de",
                "*Berlin, am Samstag, 1. Mai 2025*",
                "Berlin",
                date(2025, 5, 1),
            ),
            (
                "de",
                "*Berlin*  \n*den 1. Mai 2025*",
                "Berlin",
                date(2025, 5, 1),
            ),
        ] {
            let mut d = doc(lang, &format!("Body.\n\n{last}\n"));
            infer(&mut d);
            assert!(d.meta.authors.is_empty(), "{last}");
            assert_eq!(d.meta.place.as_deref(), Some(place), "{last}");
            assert_eq!(d.meta.date, day, "{last}");
            assert_eq!(body(&d), ["Body."], "{last}");
        }
        // The front matter's (or the project's) author stays.
        let mut d = doc("fr", "Body.\n\n*Paris, le 8 mars 2024*\n");
        d.meta.authors = vec!["Given".into()];
        infer(&mut d);
        assert_eq!(d.meta.authors, ["Given"]);
        assert_eq!(d.meta.place.as_deref(), Some("Paris"));
        // Without a dateline word one part is the organisation.
        let mut d = doc("fr", "Body.\n\n*Collectif, 8 mars 2024*\n");
        infer(&mut d);
        assert_eq!(d.meta.authors, ["Collectif"]);
        assert_eq!(d.meta.place, None);
    }

    #[test]
    fn more_signature_separators_digits_and_weekdays() {
        let read = |lang: &str, last: &str| {
            let mut d = doc(lang, &format!("Body.\n\n{last}\n"));
            infer(&mut d);
            assert_eq!(body(&d), ["Body."], "{last}");
            (d.meta.authors, d.meta.place, d.meta.date)
        };
        let sig = |authors: &[&str], place: &str, d| {
            (
                authors.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
                Some(place.to_string()),
                d,
            )
        };
        let union_leeds = sig(&["Tenants Union"], "Leeds", date(2025, 5, 1));
        // A leading dash is no part of the name.
        for last in [
            "*— Tenants Union, Leeds, 1 May 2025*",
            "*- Tenants Union, Leeds, 1 May 2025*",
            "*– Tenants Union, Leeds, 1 May 2025*",
            "*—Tenants Union, Leeds, 1 May 2025*",
            // A spaced hyphen separates like a spaced dash.
            "*Tenants Union - Leeds - 1 May 2025*",
            // A weekday before the date.
            "*Tenants Union, Leeds, Saturday 1 May 2025*",
            "*Tenants Union, Leeds, Saturday, May 1, 2025*",
            "*Tenants Union, Leeds, Sat., 1 May 2025*",
        ] {
            assert_eq!(read("en", last), union_leeds, "{last}");
        }
        assert_eq!(
            read("de", "**Mieterverein, Berlin, Samstag, 1. Mai 2025**"),
            sig(&["Mieterverein"], "Berlin", date(2025, 5, 1))
        );
        assert_eq!(
            read("fr", "*Collectif, Lyon, samedi 8 mars 2024*"),
            sig(&["Collectif"], "Lyon", date(2024, 3, 8))
        );
        assert_eq!(
            read("it", "*Collettivo, Roma, sabato 8 marzo 2024*"),
            sig(&["Collettivo"], "Roma", date(2024, 3, 8))
        );
        assert_eq!(
            read("es", "*Colectivo, Madrid, sábado 8 de marzo de 2024*"),
            sig(&["Colectivo"], "Madrid", date(2024, 3, 8))
        );
        // Arabic and Persian commas and digits, full-width commas.
        let cairo = sig(&["اتحاد المستأجرين"], "القاهرة", date(2026, 10, 12));
        assert_eq!(
            read("ar", "**اتحاد المستأجرين، القاهرة، 12 أكتوبر 2026**"),
            cairo
        );
        assert_eq!(
            read("ar", "**اتحاد المستأجرين، القاهرة، ١٢ أكتوبر ٢٠٢٦**"),
            cairo
        );
        assert_eq!(
            read("fa", "**اتحادیه مستأجران، تهران، ۱۲ اکتبر ۲۰۲۶**"),
            sig(&["اتحادیه مستأجران"], "تهران", date(2026, 10, 12))
        );
        assert_eq!(
            read("zh", "**租户联盟，北京，2026-10-12**"),
            sig(&["租户联盟"], "北京", date(2026, 10, 12))
        );
    }

    #[test]
    fn one_signatory_per_line() {
        let read = |lang: &str, last: &str| {
            let mut d = doc(lang, &format!("Body.\n\n{last}\n"));
            infer(&mut d);
            assert_eq!(body(&d), ["Body."], "{last}");
            (d.meta.authors, d.meta.place, d.meta.date)
        };
        let sig = |authors: &[&str], place: Option<&str>, d| {
            (
                authors.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
                place.map(str::to_string),
                d,
            )
        };
        let may_day = date(2025, 5, 1);
        assert_eq!(
            read("en", "**Union A**  \n**Union B**  \n**Leeds, 1 May 2025**"),
            sig(&["Union A", "Union B"], Some("Leeds"), may_day)
        );
        assert_eq!(
            read("en", "*Org*  \n*Leeds, 10 January 2026*"),
            sig(&["Org"], Some("Leeds"), date(2026, 1, 10))
        );
        assert_eq!(
            read(
                "en",
                "**— Union A, Local 5**  \n**— Union B**  \n**Leeds, 1 May 2025**"
            ),
            sig(&["Union A, Local 5", "Union B"], Some("Leeds"), may_day)
        );
        // Organisation, place and date on the last line.
        assert_eq!(
            read("en", "**Union A**  \n**Union B, Leeds, 1 May 2025**"),
            sig(&["Union A", "Union B"], Some("Leeds"), may_day)
        );
        // A date alone on the last line.
        assert_eq!(
            read("en", "**Union A**  \n**Union B**  \n**1 May 2025**"),
            sig(&["Union A", "Union B"], None, may_day)
        );
        // …after a dateline word, the line before it is the place.
        assert_eq!(
            read("de", "*Mieterverein*  \n*Berlin*  \n*den 1. Mai 2025*"),
            sig(&["Mieterverein"], Some("Berlin"), may_day)
        );
        // One line before a date alone reads as one line.
        assert_eq!(
            read("en", "**Tenants' Union, Leeds**  \n**1 May 2025**"),
            sig(&["Tenants' Union"], Some("Leeds"), may_day)
        );
        // A line ending in a comma goes on on the next.
        assert_eq!(
            read("en", "**Union A, Union B, Leeds,\n1 May 2025**"),
            sig(&["Union A, Union B"], Some("Leeds"), may_day)
        );
        // The last line alone holds no date: the lines read as one.
        assert_eq!(
            read("en", "**Tenants' Union, Leeds, 1\nMay 2025**"),
            sig(&["Tenants' Union"], Some("Leeds"), may_day)
        );
    }

    #[test]
    fn front_matter_signature_wins_but_the_line_goes() {
        let mut d = doc(
            "en",
            "Body.\n\n**Tenants' Union, Leeds, 10 January 2022**\n",
        );
        d.meta.authors = vec!["Given".into()];
        d.meta.place = Some("York".into());
        d.meta.date = date(2023, 5, 1);
        let notes = infer(&mut d);
        assert_eq!(d.meta.authors, ["Given"]);
        assert_eq!(d.meta.place.as_deref(), Some("York"));
        assert_eq!(d.meta.date, date(2023, 5, 1));
        assert_eq!(body(&d), ["Body."]);
        assert_eq!(
            messages(&notes),
            ["signature line \"Tenants' Union, Leeds, 2022-01-10\" replaced by the front matter's"]
        );

        let mut d = doc(
            "en",
            "Body.\n\n**Tenants' Union, Leeds, 10 January 2022**\n",
        );
        d.meta.authors = vec!["Given".into()];
        let notes = infer(&mut d);
        assert_eq!(d.meta.authors, ["Given"]);
        assert_eq!(d.meta.place.as_deref(), Some("Leeds"));
        assert_eq!(d.meta.date, date(2022, 1, 10));
        assert_eq!(
            messages(&notes),
            ["signature inferred: Tenants' Union, Leeds, 2022-01-10 \
              (sets place, date; the front matter's author kept)"]
        );
    }

    // --- slogans ---------------------------------------------------------

    #[test]
    fn closing_exclamations_become_slogans() {
        let mut d = doc(
            "en",
            "Body.\n\nHousing for all!\n\n*Rent freeze now!*\n\n\
             **Tenants' Union, Leeds, 10 January 2022**\n",
        );
        let notes = infer(&mut d);
        assert_eq!(d.meta.slogans, ["Housing for all!", "Rent freeze now!"]);
        assert_eq!(body(&d), ["Body."]);
        assert_eq!(
            notes[1],
            Note {
                line: 3,
                message: "2 closing slogans inferred".into()
            }
        );
    }

    #[test]
    fn slogans_without_a_signature_and_one_per_line() {
        let mut d = doc(
            "es",
            "Cuerpo.\n\n¡Vivienda ya!\n¡No pasarán!\n«¡Ni una menos!»\n",
        );
        let notes = infer(&mut d);
        assert_eq!(
            d.meta.slogans,
            ["¡Vivienda ya!", "¡No pasarán!", "«¡Ni una menos!»"]
        );
        assert_eq!(body(&d), ["Cuerpo."]);
        assert_eq!(messages(&notes), ["3 closing slogans inferred"]);

        // A short exclamation wrapped over two lines is one slogan.
        let mut d = doc("en", "Body.\n\nHousing for all,\nnot for profit!\n");
        infer(&mut d);
        assert_eq!(d.meta.slogans, ["Housing for all, not for profit!"]);
    }

    #[test]
    fn a_single_slogan_counts() {
        let mut d = doc("en", "Body.\n\nHousing for all!\n");
        assert_eq!(messages(&infer(&mut d)), ["1 closing slogan inferred"]);
        assert_eq!(d.meta.slogans, ["Housing for all!"]);
    }

    #[test]
    fn what_is_no_slogan() {
        for last in [
            "Who owns the city?",
            "Housing for all.",
            "We will keep marching through every street of this city until each and every \
             tenant has a home they can afford!",
            "One two three four five six seven eight nine ten eleven twelve thirteen!",
            "!!!",
            "Housing for all!\nWhy not?",
            "Join [us](https://example.org)!",
            "Housing for all![^1]\n\n[^1]: Note.",
            "# Housing for all!",
            "- Housing for all!",
            "> Housing for all!",
        ] {
            let mut d = doc("en", &format!("Body.\n\n{last}\n"));
            assert!(infer(&mut d).is_empty(), "{last}");
            assert!(d.meta.slogans.is_empty(), "{last}");
        }
    }

    #[test]
    fn the_run_stops_at_the_first_block_that_is_no_slogan() {
        let mut d = doc("en", "Body!\n\nA real sentence.\n\nOne!\n\nTwo!\n");
        infer(&mut d);
        assert_eq!(d.meta.slogans, ["One!", "Two!"]);
        assert_eq!(body(&d), ["Body!", "A real sentence."]);
    }

    #[test]
    fn a_statement_of_nothing_but_exclamations_keeps_them() {
        let mut d = doc("en", "Housing for all!\n\nRent freeze now!\n");
        assert!(infer(&mut d).is_empty());
        assert_eq!(body(&d), ["Housing for all!", "Rent freeze now!"]);
        let mut d = doc("en", "# Title\n\nHousing for all!\nRent freeze now!\n");
        assert_eq!(
            messages(&infer(&mut d)),
            ["title inferred from the first heading"]
        );
        assert_eq!(body(&d), ["Housing for all! Rent freeze now!"]);
    }

    #[test]
    fn front_matter_slogans_win() {
        let mut d = doc("en", "Body.\n\nHousing for all!\n");
        d.meta.slogans = vec!["Given!".into()];
        assert!(infer(&mut d).is_empty());
        assert_eq!(d.meta.slogans, ["Given!"]);
        assert_eq!(body(&d), ["Body.", "Housing for all!"]);
    }

    // --- together --------------------------------------------------------

    #[test]
    fn a_whole_bare_statement() {
        let mut d = doc(
            "de",
            "# WASSER FÜR ALLE: Warum wir streiken\n\nText.\n\nMehr Text.\n\n\
             Wasser ist keine Ware!\n\n*Bündnis Wasser, Leipzig, 8. März 2024*\n",
        );
        let notes = infer(&mut d);
        assert_eq!(d.meta.title.as_deref(), Some("Wasser für alle"));
        assert!(d.meta.title_caps);
        assert_eq!(d.meta.subtitle.as_deref(), Some("Warum wir streiken"));
        assert_eq!(d.meta.authors, ["Bündnis Wasser"]);
        assert_eq!(d.meta.place.as_deref(), Some("Leipzig"));
        assert_eq!(d.meta.date, date(2024, 3, 8));
        assert_eq!(d.meta.slogans, ["Wasser ist keine Ware!"]);
        assert_eq!(body(&d), ["Text.", "Mehr Text."]);
        let lines: Vec<usize> = notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [1, 1, 1, 9, 7]);
    }

    #[test]
    fn a_pasted_statement_is_signed_by_a_plain_line_too() {
        let text = "# NO TO THE TERMINAL\n\nWe say no - again.\n\nNo terminal!\n\nJobs for the estuary!\n\nEstuary Defence Committee, Church Ferry, 12 January 2026\n";
        let mut d = crate::read::markdown::read(Path::new("p.md"), text).unwrap();
        d.meta.lang = "en".into();
        let notes = infer(&mut d);
        assert_eq!(d.meta.authors, ["Estuary Defence Committee"], "{notes:?}");
        assert_eq!(d.meta.place.as_deref(), Some("Church Ferry"));
        assert_eq!(d.meta.slogans, ["No terminal!", "Jobs for the estuary!"]);
        // A last sentence that ends as a sentence does is text, and so is
        // a plain line in a statement whose author gave its title.
        for text in [
            "# NO\n\nBody.\n\nWe meet again in Leeds, on 12 January 2026.\n",
            "---\ntitle: Ours\n---\nBody.\n\nEstuary Defence Committee, Church Ferry, 12 January 2026\n",
        ] {
            let mut d = crate::read::markdown::read(Path::new("p.md"), text).unwrap();
            d.meta.lang = "en".into();
            infer(&mut d);
            assert!(d.meta.authors.is_empty(), "{text}: {:?}", d.meta.authors);
        }
    }

    #[test]
    fn infer_false_does_nothing() {
        let text =
            "# HOUSING NOW Why we march\n\nBody.\n\nNow!\n\n**Union, Leeds, 10 January 2022**\n";
        let mut d = doc("en", text);
        d.meta.infer = Some(false);
        let before = d.clone();
        assert!(infer(&mut d).is_empty());
        assert_eq!(d, before);
    }

    #[test]
    fn empty_and_odd_documents_do_not_panic() {
        for text in [
            "",
            "#",
            "**",
            "!",
            "****\n\n!!",
            "# —\n\n— — —",
            "*, , 2022-01-10*",
        ] {
            let mut d = doc("en", text);
            infer(&mut d);
        }
    }
}
