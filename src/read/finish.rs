//! Finishing pasted text: the repairs a bare statement gets before its
//! shape is read, and the case a title or name pasted in capitals is
//! catalogued in.
//!
//! A bare statement (no front matter, inference on) has its paragraphs
//! split by a page break joined and every hyphen typed as a dash between
//! spaces set as its language's dash, in the model, so that both editions
//! see the finished text. `check --fix` writes the same repairs into the
//! file: [`split_paragraphs`] finds the joins, [`dash_edits`] the dashes.

use std::collections::BTreeSet;
use std::ops::Range;

use comrak::nodes::NodeValue;

use crate::model::document::{Block, BlockKind, Document, Inline, Note, Xref, plain_text};
use crate::model::lang::spaced_dash;

/// Single capital letters that are words of their own (articles,
/// prepositions, pronouns): lower case in a title set in capitals. Other
/// single capitals (`PLAN B`) are kept.
pub(crate) const ONE_LETTER_WORDS: &str = "AIOYEUWZÀÁÈÉÓÚАВИКОСУЯІЙЗΟΗ";

/// Whether a document gets the repairs: it was pasted, and inference is
/// on. Pasted: no front matter, or one that leaves the title to be
/// inferred (a `lang:` added to a pasted text, say); a statement whose
/// author gave its title is taken as written.
pub(crate) fn is_bare(doc: &Document) -> bool {
    doc.meta.infer != Some(false) && (doc.meta.key_lines.is_empty() || doc.meta.title.is_none())
}

/// Joins the paragraphs a page break split and sets the dashes; one note
/// per join and per line with a dash set.
pub(crate) fn finish(doc: &mut Document) -> Vec<Note> {
    let mut notes = join_split_paragraphs(doc);
    notes.extend(set_dashes(doc));
    notes
}

fn note(line: usize, message: impl Into<String>) -> Note {
    Note {
        line,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------
// Paragraphs split by a page break

/// Pairs of (line of the first, line of the second) top-level paragraphs
/// where the second looks like the rest of the first.
pub(crate) fn split_paragraphs(blocks: &[Block]) -> Vec<(usize, usize)> {
    blocks
        .windows(2)
        .filter(|pair| is_split(&pair[0], &pair[1]))
        .map(|pair| (pair[0].line, pair[1].line))
        .collect()
}

/// Whether `second` is the rest of `first`: it starts in lower case after
/// one that ends without closing punctuation (a short salutation aside).
fn is_split(first: &Block, second: &Block) -> bool {
    let (BlockKind::Paragraph(a), BlockKind::Paragraph(b)) = (&first.kind, &second.kind) else {
        return false;
    };
    ends_open(a) && starts_lower(b) && !is_salutation(a)
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

/// Joins each top-level paragraph that a page break split with its rest,
/// as `check --fix` joins their lines: with a space, or without one after
/// a word hyphenated across the break (`on-` + `going`).
fn join_split_paragraphs(doc: &mut Document) -> Vec<Note> {
    let mut notes = Vec::new();
    // From the bottom up, so that a paragraph split twice joins whole.
    let mut i = doc.blocks.len();
    while i > 1 {
        i -= 1;
        if !is_split(&doc.blocks[i - 1], &doc.blocks[i]) {
            continue;
        }
        let second = doc.blocks.remove(i);
        let first = &mut doc.blocks[i - 1];
        if let (BlockKind::Paragraph(head), BlockKind::Paragraph(rest)) =
            (&mut first.kind, second.kind)
        {
            join_inlines(head, rest);
        }
        notes.push(note(
            second.line,
            format!(
                "paragraph joined to the one on line {}: a page break had split it \
                 (`pamphleteer check --fix` joins it in the file)",
                first.line
            ),
        ));
    }
    notes.reverse();
    notes
}

fn join_inlines(head: &mut Vec<Inline>, rest: Vec<Inline>) {
    let mut hyphenated = false;
    if let Some(Inline::Text(t)) = head.last_mut() {
        let end = t.trim_end().len();
        t.truncate(end);
        hyphenated = t
            .strip_suffix('-')
            .and_then(|h| h.chars().last())
            .is_some_and(char::is_alphabetic);
    }
    if !hyphenated {
        push_text(head, " ");
    }
    let mut rest = rest.into_iter();
    match rest.next() {
        Some(Inline::Text(t)) => push_text(head, t.trim_start_matches([' ', '\t'])),
        Some(other) => head.push(other),
        None => {}
    }
    head.extend(rest);
}

/// Appends text, merging it with a preceding text run.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Inline::Text(text.to_string()));
    }
}

// ---------------------------------------------------------------------------
// Dashes

/// `text` with each hyphen typed as a dash (`-`, `--` or `---` with spaces
/// on both sides) set as `dash` (the language's, see
/// [`spaced_dash`]), and how many were set. Left alone: a hyphenated word
/// (`well-known`), a minus sign (`-5`), and a hyphen between digits (`3 -
/// 2` may be arithmetic, and a minus sign is no dash).
pub(crate) fn set_dashes_in(text: &str, dash: &str) -> (String, usize) {
    let bytes = text.as_bytes();
    let is_space = |b: u8| b == b' ' || b == b'\t';
    let mut out = String::new();
    let (mut copied, mut i, mut set) = (0, 0, 0);
    while i < bytes.len() {
        if !is_space(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let hyphens_at = j;
        while j < bytes.len() && bytes[j] == b'-' {
            j += 1;
        }
        let hyphens = j - hyphens_at;
        let spaces_at = j;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let before = text[..start].chars().next_back();
        let after = text[j..].chars().next();
        let arithmetic =
            before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit());
        if (1..=3).contains(&hyphens) && j > spaces_at && !arithmetic {
            out.push_str(&text[copied..start]);
            out.push_str(dash);
            copied = j;
            set += 1;
            i = j;
        } else {
            i = hyphens_at;
        }
    }
    out.push_str(&text[copied..]);
    (out, set)
}

/// Sets the dashes in every text run of the body and the notes (not in
/// code, raw HTML, link targets or alt text); one note per line.
fn set_dashes(doc: &mut Document) -> Vec<Note> {
    let dash = spaced_dash(&doc.meta.language());
    let mut lines = BTreeSet::new();
    dash_blocks(&mut doc.blocks, dash, &mut lines);
    for footnote in &mut doc.footnotes {
        dash_blocks(&mut footnote.blocks, dash, &mut lines);
    }
    let shown = dash.replace('\u{a0}', " ");
    lines
        .into_iter()
        .map(|line| {
            note(
                line,
                format!(
                    "a hyphen typed as a dash is set as \"{}\" (with a no-break space before it)",
                    shown.trim()
                ),
            )
        })
        .collect()
}

fn dash_blocks(blocks: &mut [Block], dash: &str, lines: &mut BTreeSet<usize>) {
    for block in blocks {
        let line = block.line;
        match &mut block.kind {
            BlockKind::Paragraph(content) | BlockKind::Heading { content, .. } => {
                dash_inlines(content, dash, &mut line.clone(), lines);
            }
            BlockKind::Quote(blocks) => dash_blocks(blocks, dash, lines),
            BlockKind::List(list) => {
                for item in &mut list.items {
                    dash_blocks(&mut item.blocks, dash, lines);
                }
            }
            BlockKind::Table(table) => {
                for cell in &mut table.header {
                    dash_inlines(cell, dash, &mut line.clone(), lines);
                }
                // The rows follow the header and the delimiter row.
                for (i, row) in table.rows.iter_mut().enumerate() {
                    for cell in row {
                        dash_inlines(cell, dash, &mut (line + 2 + i), lines);
                    }
                }
            }
            BlockKind::CodeBlock { .. }
            | BlockKind::ThematicBreak
            | BlockKind::Figure(_)
            | BlockKind::Html(_) => {}
        }
    }
}

/// Sets the dashes in inlines that start on line `at` (counted on at each
/// line break).
fn dash_inlines(content: &mut [Inline], dash: &str, at: &mut usize, lines: &mut BTreeSet<usize>) {
    for inline in content {
        match inline {
            Inline::Text(text) => {
                let (fixed, set) = set_dashes_in(text, dash);
                if set > 0 {
                    *text = fixed;
                    lines.insert(*at);
                }
            }
            Inline::SoftBreak | Inline::HardBreak => *at += 1,
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Link { content: c, .. }
            | Inline::Xref(Xref { content: c, .. }) => dash_inlines(c, dash, at, lines),
            Inline::Code(_) | Inline::Html(_) | Inline::Image(_) | Inline::FootnoteRef { .. } => {}
        }
    }
}

/// One replacement in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    /// The 1-based line it is on.
    pub line: usize,
    /// Bytes of the text replaced.
    pub range: Range<usize>,
    pub with: String,
    /// How many dashes it sets.
    pub dashes: usize,
}

/// The dashes [`finish`] sets in a bare statement's text, as edits of
/// that text (the Markdown's own text runs only: never code, raw HTML,
/// link targets, list markers or alt text), in order. A run whose source
/// is not its text as written (an entity, an escape) is left alone.
pub(crate) fn dash_edits(text: &str, language: &str) -> Vec<Edit> {
    let (skip, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ('\u{feff}'.len_utf8(), rest),
        None => (0, text),
    };
    // The front matter is no Markdown: only the body after it is read.
    let (skip, body, lines_before) =
        match crate::read::frontmatter::split(std::path::Path::new(""), body) {
            Ok(split) if split.format.is_some() => {
                let at = body.len() - split.body.len();
                (skip + at, split.body, split.body_offset)
            }
            _ => (skip, body, 0),
        };
    let dash = spaced_dash(language);
    let mut starts = vec![0];
    starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, body, &crate::read::markdown::options());
    let mut edits = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let NodeValue::Text(literal) = &data.value else {
            continue;
        };
        let in_image = node
            .ancestors()
            .any(|a| matches!(a.data().value, NodeValue::Image(_)));
        let (start, end) = (data.sourcepos.start, data.sourcepos.end);
        if in_image || start.line != end.line || start.line == 0 || start.column == 0 {
            continue;
        }
        let Some(&line_start) = starts.get(start.line - 1) else {
            continue;
        };
        let range = line_start + start.column - 1..line_start + end.column;
        if body.get(range.clone()) != Some(&**literal) {
            continue;
        }
        let (fixed, set) = set_dashes_in(literal, dash);
        if set > 0 {
            edits.push(Edit {
                line: start.line + lines_before,
                range: range.start + skip..range.end + skip,
                with: fixed,
                dashes: set,
            });
        }
    }
    edits.sort_by_key(|e| e.range.start);
    edits
}

/// `text` with the edits made (they must not overlap).
pub(crate) fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for edit in edits {
        out.push_str(&text[copied..edit.range.start]);
        out.push_str(&edit.with);
        copied = edit.range.end;
    }
    out.push_str(&text[copied..]);
    out
}

// ---------------------------------------------------------------------------
// Capitals

/// English words set in lower case inside a title (articles, conjunctions,
/// short prepositions). `up`, `off` and `out` are left out: in slogans
/// they are mostly adverbs (`Rise Up`, `Hands Off`, `Troops Out`).
const ENGLISH_SMALL_WORDS: [&str; 22] = [
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of",
    "on", "per", "to", "via", "vs", "from", "with",
];

/// Acronyms that have vowels (those without, `NHS`, `LPG`, `KPMG`, are
/// found by rule).
const ACRONYMS: &[&str] = &[
    "NATO", "OTAN", "CSTO", "USA", "EU", "UE", "UK", "UN", "ONU", "UNO", "OSCE", "OSZE", "OECD",
    "IMF", "ILO", "OIT", "WTO", "OMC", "NGO", "ONG", "ECB", "EZB", "BCE", "IRA", "ETA", "CIA",
    "FBI", "AIDS", "COVID", "UNESCO", "UNICEF", "UNHCR", "UNRWA", "OPEC", "ASEAN", "BRICS",
    "NAFTA", "FIFA", "UEFA", "CDU", "CSU", "AFD", "FPÖ", "ÖVP", "CGIL", "CGT", "CUB", "PCE", "PCF",
    "PKK", "ANC", "LGBTI", "LGBTQI", "LGBTQIA", "EDF", "NASA", "ISIS", "IDF", "ICE", "НАТО",
    "ОДКБ", "США", "СССР", "ООН", "ЕС", "ЕАЭС", "ОБСЕ", "КПРФ",
];

/// Acronyms of the list that are words in a language (Portuguese `eu`,
/// French, Spanish and Italian `un`, …): lower case there.
const WORDS_NOT_ACRONYMS: &[(&str, &str)] = &[
    ("pt", "EU"),
    ("gl", "EU"),
    ("fr", "UN"),
    ("es", "UN"),
    ("it", "UN"),
    ("ca", "UN"),
    ("ro", "UN"),
    ("es", "UNO"),
    ("it", "UNO"),
    ("it", "USA"),
    ("pt", "USA"),
    ("es", "IRA"),
    ("it", "IRA"),
    ("en", "ICE"),
];

/// The case a title or name pasted in capitals is catalogued in, or `None`
/// when it is not in capitals (two capitals at least, no lower-case
/// letter) or would not change.
///
/// English gets title case: every word capitalised but articles,
/// conjunctions and short prepositions inside it. Every other language
/// gets sentence case: the first word capitalised (and the first after
/// `:`, `.`, `!`, `?` or a dash), the rest lower case. German too: its
/// nouns are capitalised, but which words are nouns cannot be told from
/// capitals, so sentence case is the honest choice (`Wasser für alle`, not
/// a guess at `Wasser Für Alle`).
///
/// Kept in capitals: acronyms, that is words of the list above, words of
/// two to five letters without a vowel (`NHS`, `LPG`, `KPMG`, `LGBT`),
/// Roman numerals of two letters or more (`II`, `XIV`), abbreviations with
/// full stops (`U.S.`), words with digits (`G20`), and single capitals that
/// are no word of their own (`PLAN B`); in English also `I`. A possessive
/// stays with its acronym (`NATO's`).
pub(crate) fn catalogue_case(text: &str, language: &str) -> Option<String> {
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    if capitals < 2 || text.chars().any(|c| c.is_lowercase() && c != 'ß') {
        return None;
    }
    let english = language == "en";
    let words: Vec<(usize, &str)> = words_at(text);
    let last = words
        .iter()
        .rposition(|(_, w)| w.chars().any(char::is_alphabetic));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut starts_sentence = true;
    for (i, &(at, word)) in words.iter().enumerate() {
        out.push_str(&text[copied..at]);
        copied = at + word.len();
        let has_letters = word.chars().any(char::is_alphabetic);
        let edge = starts_sentence || Some(i) == last;
        out.push_str(&case_word(word, starts_sentence, edge, english, language));
        if has_letters {
            starts_sentence = false;
        }
        if word.ends_with([':', '.', '!', '?']) || matches!(word, "-" | "–" | "—" | "|") {
            // An abbreviation's full stop (`U.S.`) ends no sentence.
            starts_sentence =
                !is_dotted(word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'));
        }
    }
    out.push_str(&text[copied..]);
    (out != text).then_some(out)
}

/// The words of a text (runs without whitespace) and where they start.
fn words_at(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &text[s..]));
    }
    words
}

/// One word in its catalogue case: `first` when it opens a sentence,
/// `edge` when it opens or closes the title (English capitalises a small
/// word there).
fn case_word(word: &str, first: bool, edge: bool, english: bool, language: &str) -> String {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if is_dotted(core) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    // Hyphenated and slashed compounds part by part (`WELL-KNOWN`,
    // `COVID-19`, `NATO-LED`); outside English an apostrophe ends an
    // elided article or preposition (`L'ÉTAT`, `DELL'ONU`).
    let mut part = String::new();
    let mut index = 0;
    let flush = |part: &mut String, out: &mut String, index: &mut usize, elided: bool| {
        if !part.is_empty() {
            let capitalise = if english {
                (edge && *index == 0) || !is_small_word(part)
            } else {
                first && *index == 0
            };
            out.push_str(&case_part(part, capitalise, elided, english, language));
            *index += 1;
            part.clear();
        }
    };
    for c in word.chars() {
        if !english && matches!(c, '\'' | '’') {
            flush(&mut part, &mut out, &mut index, true);
            out.push(c);
        } else if c.is_alphanumeric() || matches!(c, '\'' | '’' | '.') {
            part.push(c);
        } else {
            flush(&mut part, &mut out, &mut index, false);
            out.push(c);
        }
    }
    flush(&mut part, &mut out, &mut index, false);
    out
}

fn is_small_word(part: &str) -> bool {
    let bare = part.trim_matches(|c: char| !c.is_alphanumeric());
    ENGLISH_SMALL_WORDS.contains(&bare.to_lowercase().as_str())
}

/// One part of a word (letters, digits, apostrophes, full stops);
/// `elided` for the part before an elision's apostrophe (`L'`).
fn case_part(part: &str, capitalise: bool, elided: bool, english: bool, language: &str) -> String {
    if part.chars().any(|c| c.is_numeric()) {
        return part.to_string();
    }
    let letters = part.trim_end_matches('.');
    // `NATO'S` is NATO's, `PEOPLE'S` people's.
    let (stem, possessive) = match letters
        .strip_suffix("'S")
        .map(|s| (s, "'s"))
        .or_else(|| letters.strip_suffix("’S").map(|s| (s, "’s")))
    {
        Some((stem, p)) if stem.chars().count() >= 2 => (stem, p),
        _ => (letters, ""),
    };
    if is_acronym(stem, language) {
        return format!("{stem}{possessive}{}", &part[letters.len()..]);
    }
    let mut chars = stem.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && !elided
        && (!ONE_LETTER_WORDS.contains(c) || english && c == 'I')
    {
        return part.to_string();
    }
    let lower = part.to_lowercase();
    if !capitalise {
        return lower;
    }
    // The first letter capitalised (after an elision's apostrophe it is
    // still the first: `L'état`).
    let mut out = String::with_capacity(lower.len());
    let mut done = false;
    for c in lower.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Letters with a full stop after each (`U.S.`, `A.C.A.B`).
fn is_dotted(word: &str) -> bool {
    let mut letters = 0;
    let mut last_dot = true;
    for c in word.chars() {
        if c == '.' {
            if last_dot {
                return false;
            }
            last_dot = true;
        } else if c.is_alphabetic() && last_dot {
            letters += 1;
            last_dot = false;
        } else {
            return false;
        }
    }
    letters >= 2 && word.contains('.')
}

/// Whether a word in capitals is an acronym (see [`catalogue_case`]).
fn is_acronym(word: &str, language: &str) -> bool {
    let n = word.chars().count();
    if n < 2 || !word.chars().all(char::is_alphabetic) {
        return false;
    }
    if ACRONYMS.contains(&word) {
        return !WORDS_NOT_ACRONYMS.contains(&(language, word));
    }
    is_roman_numeral(word) || (n <= 5 && !word.chars().any(|c| is_vowel(c, language)))
}

/// Vowels of the Latin, Cyrillic and Greek alphabets in capitals (`Y`
/// counts, so that `MY`, `WHY` and `SKY` are words); `R` and `L` are
/// syllables of their own in Czech, Slovak and the South Slavic languages
/// (`VLK`, `SMRT`, `PRST`).
fn is_vowel(c: char, language: &str) -> bool {
    const VOWELS: &str = "AEIOUYÀÁÂÃÄÅÆÈÉÊËÌÍÎÏÒÓÔÕÖØÙÚÛÜÝŒĀĂĄĒĖĘĚĪĮŌŐŪŮŰŲ\
                          АЕЁИОУЫЭЮЯІЇЄЪΑΕΗΙΟΥΩΆΈΉΊΌΎΏ";
    let syllabic = matches!(language, "cs" | "sk" | "hr" | "sr" | "sl" | "bs" | "mk")
        && matches!(c, 'R' | 'L' | 'Р' | 'Л' | 'Ŕ' | 'Ĺ');
    VOWELS.contains(c) || syllabic || (language == "cy" && c == 'W')
}

/// `II`, `IV`, `XIV`: Roman numerals of I, V, X and L in their usual form.
fn is_roman_numeral(word: &str) -> bool {
    const DIGITS: [(&str, usize); 7] = [
        ("L", 50),
        ("XL", 40),
        ("X", 10),
        ("IX", 9),
        ("V", 5),
        ("IV", 4),
        ("I", 1),
    ];
    if word.len() < 2 || !word.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return false;
    }
    // Read greedily, then write the value back: only the usual form matches
    // (`IIII`, `VX` do not).
    let (mut value, mut rest) = (0, word);
    while !rest.is_empty() {
        let Some((digit, v)) = DIGITS.iter().find(|(d, _)| rest.starts_with(d)) else {
            return false;
        };
        value += v;
        rest = &rest[digit.len()..];
    }
    let mut written = String::new();
    for (digit, v) in DIGITS {
        while value >= v {
            written.push_str(digit);
            value -= v;
        }
    }
    written == word
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::document::plain_text;

    /// A bare statement in `lang`, finished and inferred as a build does.
    fn bare(lang: &str, text: &str) -> (Document, Vec<Note>) {
        let mut doc = crate::read::markdown::read(Path::new("t.md"), text).expect("parses");
        doc.meta.lang = lang.to_string();
        let notes = crate::read::infer::infer(&mut doc);
        (doc, notes)
    }

    /// Each top-level block's plain text (a list: its items' texts).
    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => plain_text(c),
                BlockKind::List(l) => l
                    .items
                    .iter()
                    .flat_map(|i| &i.blocks)
                    .map(|b| match &b.kind {
                        BlockKind::Paragraph(c) => format!("- {}", plain_text(c)),
                        other => format!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                BlockKind::CodeBlock { code, .. } => code.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn said(notes: &[Note]) -> Vec<(usize, &str)> {
        notes.iter().map(|n| (n.line, n.message.as_str())).collect()
    }

    #[test]
    fn a_page_break_split_paragraph_is_joined_in_the_model() {
        let (doc, notes) = bare(
            "en",
            "Intro.\n\nThe rent went up by a third and the\n\nlandlord did nothing, on-\n\ngoing as ever.\n\nEnd.\n",
        );
        assert_eq!(
            texts(&doc),
            [
                "Intro.",
                "The rent went up by a third and the landlord did nothing, on-going as ever.",
                "End."
            ]
        );
        let lines: Vec<usize> = notes.iter().map(|n| n.line).collect();
        assert_eq!(lines, [5, 7], "{notes:?}");
        assert!(notes[0].message.contains("joined to the one on line 3"));
        // Emphasis and links come along.
        let (doc, _) = bare(
            "en",
            "We *say* no to\n\n[evictions](https://x.org) of any kind.\n",
        );
        let BlockKind::Paragraph(p) = &doc.blocks[0].kind else {
            panic!("{doc:?}")
        };
        assert_eq!(plain_text(p), "We say no to evictions of any kind.");
        assert!(matches!(&p[3], Inline::Link { .. }), "{p:?}");
    }

    #[test]
    fn what_is_not_split_stays_apart() {
        // A salutation ending in a comma.
        let (doc, notes) = bare(
            "en",
            "Dear councillors,\n\nwe write to you about the library.\n",
        );
        assert_eq!(doc.blocks.len(), 2);
        assert!(notes.is_empty(), "{notes:?}");
        // A paragraph that ends without a full stop before a heading, a
        // paragraph after a full stop, a note reference.
        let (doc, notes) = bare(
            "en",
            "Our demands\n\n## housing first\n\nIt ends.\n\nbut this starts low.\n\nA note[^1]\n\nafter it.\n\n[^1]: N.\n",
        );
        assert_eq!(doc.blocks.len(), 6, "{:?}", texts(&doc));
        assert!(notes.is_empty(), "{notes:?}");
        // With a title in its front matter it was written, not pasted:
        // `check` warns instead. Without one, a front matter added on top
        // of a paste (a `lang`, a place) leaves it pasted.
        let (doc, _) = bare("en", "---\ntitle: Ours\n---\nOne that\n\nruns on.\n");
        assert_eq!(doc.blocks.len(), 2);
        let (doc, _) = bare("en", "---\nplace: Leeds\n---\nOne that\n\nruns on.\n");
        assert_eq!(doc.blocks.len(), 1);
        // `infer: false` turns the repairs off too.
        let mut doc =
            crate::read::markdown::read(Path::new("t.md"), "One that\n\nruns - on.\n").unwrap();
        doc.meta.infer = Some(false);
        assert!(crate::read::infer::infer(&mut doc).is_empty());
        assert_eq!(texts(&doc), ["One that", "runs - on."]);
    }

    #[test]
    fn a_hyphen_between_spaces_becomes_the_languages_dash() {
        let text = "Rents rose - again -- and again --- and\nthen - fell.\n";
        let en = "Rents rose\u{a0}– again\u{a0}– and again\u{a0}– and then\u{a0}– fell.";
        let (doc, notes) = bare("en", text);
        assert_eq!(texts(&doc), [en]);
        assert_eq!(
            said(&notes),
            [
                (
                    1,
                    "a hyphen typed as a dash is set as \"–\" (with a no-break space before it)"
                ),
                (
                    2,
                    "a hyphen typed as a dash is set as \"–\" (with a no-break space before it)"
                ),
            ]
        );
        for lang in ["de", "it", "es", "pt-BR"] {
            assert_eq!(texts(&bare(lang, text).0), [en], "{lang}");
        }
        let em = en.replace('–', "—");
        for lang in ["fr", "ru", "fr-CA"] {
            assert_eq!(texts(&bare(lang, text).0), [em.as_str()], "{lang}");
        }
        // In emphasis, quotes, lists, tables and notes too.
        let (doc, _) = bare(
            "en",
            "*a - b*\n\n> c - d\n\n- item - one\n- -5 and well-known\n\n| x - y |\n| --- |\n| z - w |\n\nN[^1].\n\n[^1]: e - f\n",
        );
        let all = crate::model::document::all_text(&doc);
        for fixed in [
            "a\u{a0}– b",
            "c\u{a0}– d",
            "item\u{a0}– one",
            "x\u{a0}– y",
            "z\u{a0}– w",
            "e\u{a0}– f",
        ] {
            assert!(all.contains(fixed), "{fixed}: {all}");
        }
        assert!(all.contains("-5 and well-known"), "{all}");
    }

    #[test]
    fn what_is_no_dash_stays() {
        for (text, kept) in [
            ("A well-known fact.\n", "A well-known fact."),
            ("It fell to -5 degrees.\n", "It fell to -5 degrees."),
            ("We count 3 - 2 = 1.\n", "We count 3 - 2 = 1."),
            ("Use `a - b` here.\n", "Use a - b here."),
            (
                "See <https://example.org/a-b> now.\n",
                "See https://example.org/a-b now.",
            ),
            (
                "A dash—unspaced—and a ---- rule-ish run.\n",
                "A dash—unspaced—and a ---- rule-ish run.",
            ),
            ("Ends with -\nand goes on.\n", "Ends with - and goes on."),
        ] {
            let (doc, notes) = bare("en", text);
            assert_eq!(texts(&doc), [kept], "{text}");
            assert!(notes.is_empty(), "{text}: {notes:?}");
        }
        let (doc, _) = bare("en", "- one - two\n- three\n\n```\nx - y\n```\n");
        assert_eq!(texts(&doc), ["- one\u{a0}– two\n- three", "x - y"]);
    }

    #[test]
    fn the_file_gets_the_same_dashes_and_nothing_else_changes() {
        let text = "\u{feff}Rents  -  rose -- **again - and** `a - b`\r\n\n- item - one\n- -5\n\n```\nx - y\n```\n\n[a - b](https://x.org/a-b) ![c - d](i.png) 3 - 2 &amp; - e\n";
        let edits = dash_edits(text, "en");
        assert_eq!(
            edits.iter().map(|e| e.line).collect::<Vec<_>>(),
            [1, 1, 3, 10]
        );
        assert_eq!(
            apply_edits(text, &edits),
            "\u{feff}Rents\u{a0}– rose\u{a0}– **again\u{a0}– and** `a - b`\r\n\n- item\u{a0}– one\n- -5\n\n```\nx - y\n```\n\n[a\u{a0}– b](https://x.org/a-b) ![c - d](i.png) 3 - 2 &amp; - e\n",
            "a text run holding an entity is left to the build"
        );
        assert_eq!(
            apply_edits(text, &dash_edits(text, "fr"))
                .matches('—')
                .count(),
            5
        );
        let once = apply_edits(text, &edits);
        assert!(dash_edits(&once, "en").is_empty());
        // The front matter is left as it is; the body's lines are the file's.
        let text = "---\nlang: en\nplace: Saint-Aubin - Nord\n---\n\nWe say - no.\n";
        let edits = dash_edits(text, "en");
        assert_eq!(edits.iter().map(|e| e.line).collect::<Vec<_>>(), [6]);
        assert_eq!(
            apply_edits(text, &edits),
            "---\nlang: en\nplace: Saint-Aubin - Nord\n---\n\nWe say\u{a0}– no.\n"
        );
    }

    fn cased(lang: &str, text: &str) -> String {
        catalogue_case(text, lang).unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn titles_in_capitals_are_catalogued_in_the_languages_case() {
        for (lang, caps, expected) in [
            (
                "en",
                "WITH THE WORKERS AND PEOPLE'S UPRISING IN KAZAKHSTAN",
                "With the Workers and People's Uprising in Kazakhstan",
            ),
            (
                "en",
                "NATO AND CSTO OUT OF KAZAKHSTAN",
                "NATO and CSTO Out of Kazakhstan",
            ),
            (
                "en",
                "NO TO LPG PRICE HIKES BY KPMG'S CLIENTS",
                "No to LPG Price Hikes by KPMG's Clients",
            ),
            (
                "en",
                "HANDS OFF THE NHS AND THE USA",
                "Hands Off the NHS and the USA",
            ),
            ("en", "WORLD WAR II AND THE EU", "World War II and the EU"),
            (
                "en",
                "THE U.S. IN THE G20: A NEW ORDER",
                "The U.S. in the G20: A New Order",
            ),
            ("en", "THERE IS NO PLAN B", "There Is No Plan B"),
            ("en", "WHAT ARE WE FIGHTING FOR", "What Are We Fighting For"),
            (
                "en",
                "WELL-KNOWN FACTS ABOUT COVID-19",
                "Well-Known Facts About COVID-19",
            ),
            ("en", "WHY I MARCH", "Why I March"),
            ("de", "WASSER FÜR ALLE", "Wasser für alle"),
            // German nouns cannot be told from capitals: sentence case.
            ("de", "DIE STRAßE GEHÖRT UNS", "Die straße gehört uns"),
            (
                "de",
                "RAUS AUS DER NATO: FRIEDEN JETZT",
                "Raus aus der NATO: Frieden jetzt",
            ),
            (
                "fr",
                "L'ÉTAT CONTRE LES GRÉVISTES DE L'OTAN",
                "L'état contre les grévistes de l'OTAN",
            ),
            (
                "it",
                "NO ALLA GUERRA DELL'UE E DELLA NATO",
                "No alla guerra dell'UE e della NATO",
            ),
            ("es", "UN MUNDO SIN LA OTAN", "Un mundo sin la OTAN"),
            ("pt", "EU NÃO ESQUEÇO", "Eu não esqueço"),
            ("ru", "НЕТ ВОЙНЕ НАТО И ОДКБ", "Нет войне НАТО и ОДКБ"),
            ("cs", "SMRT FAŠISMU", "Smrt fašismu"),
            ("el", "ΝΕΡΟ ΓΙΑ ΟΛΟΥΣ", "Νερο για ολους"),
        ] {
            assert_eq!(cased(lang, caps), expected, "{lang}: {caps}");
        }
        // Not in capitals, or nothing to change.
        for (lang, text) in [
            ("en", "Housing Now"),
            ("en", "McDONALD'S WORKERS"),
            ("en", "NATO"),
            ("en", "NHS"),
            ("en", "Y"),
            ("zh", "住房是权利"),
            ("ar", "السكن حق"),
        ] {
            assert_eq!(catalogue_case(text, lang), None, "{text}");
        }
    }

    #[test]
    fn an_inferred_title_in_capitals_is_catalogued_and_flagged() {
        let (doc, notes) = bare(
            "en",
            "# WITH THE WORKERS AND PEOPLE'S UPRISING IN KAZAKHSTAN\n\nBody.\n",
        );
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("With the Workers and People's Uprising in Kazakhstan")
        );
        assert!(doc.meta.title_caps);
        assert_eq!(
            said(&notes),
            [
                (1, "title inferred from the first heading"),
                (
                    1,
                    "the title in capitals is catalogued as \"With the Workers and People's \
                     Uprising in Kazakhstan\" (the layout still sets it in capitals)"
                ),
            ]
        );
        // The capitals part of a split heading.
        let (doc, _) = bare("de", "# WASSER FÜR ALLE: Warum wir streiken\n\nText.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Wasser für alle"));
        assert_eq!(doc.meta.subtitle.as_deref(), Some("Warum wir streiken"));
        assert!(doc.meta.title_caps);
        // An acronym alone, a mixed-case title, a given title: as they are.
        for text in [
            "# NATO\n\nBody.\n",
            "# Housing Now\n\nBody.\n",
            "---\ntitle: HOUSING NOW\n---\nBody.\n",
        ] {
            let (doc, _) = bare("en", text);
            assert!(!doc.meta.title_caps, "{text}");
            assert!(
                matches!(
                    doc.meta.title.as_deref(),
                    Some("NATO" | "Housing Now" | "HOUSING NOW")
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn an_organisation_signing_in_capitals_is_catalogued() {
        let (doc, notes) = bare(
            "en",
            "Body.\n\n**TENANTS' UNION OF THE NHS, Leeds, 10 January 2022**\n",
        );
        assert_eq!(doc.meta.authors, ["Tenants' Union of the NHS"]);
        assert_eq!(doc.meta.place.as_deref(), Some("Leeds"));
        assert!(
            notes.iter().any(|n| n.line == 3
                && n.message
                    == "the name \"TENANTS' UNION OF THE NHS\" in capitals is catalogued as \
                        \"Tenants' Union of the NHS\""),
            "{notes:?}"
        );
        let (doc, _) = bare("en", "Body.\n\n**KPMG, Leeds, 10 January 2022**\n");
        assert_eq!(doc.meta.authors, ["KPMG"]);
    }
}
