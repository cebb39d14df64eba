//! The owned document model both writers render: metadata, blocks and
//! inlines, each block carrying the Markdown line it came from.

use std::path::PathBuf;

/// A parsed statement: front matter plus body.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The source file, as the user named it (used in messages only).
    pub path: PathBuf,
    pub meta: Meta,
    pub blocks: Vec<Block>,
    /// Footnote definitions in order of first reference; `Inline::FootnoteRef`
    /// indexes into this list.
    pub footnotes: Vec<Footnote>,
    /// Things the reader noticed that the user should hear about.
    pub warnings: Vec<Note>,
}

/// A message about a line of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub message: String,
}

/// A calendar date (the front matter's `date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Writing direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dir {
    #[default]
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// Document metadata from the front matter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Signatories: one organisation, or several.
    pub authors: Vec<String>,
    pub date: Option<Date>,
    pub place: Option<String>,
    /// The BCP 47 tag as given (`en`, `pt-BR`).
    pub lang: String,
    pub dir: Dir,
    pub layout: Option<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    /// The e-book's cover image, root-relative once resolved.
    pub cover: Option<String>,
    /// The e-book's identifier, when given (otherwise one is derived).
    pub identifier: Option<String>,
    pub publisher: Option<String>,
    /// Closing slogans, one a line (set between the text and the signature).
    pub slogans: Vec<String>,
    /// From `[project]`: the organisation's web address, the rights
    /// statement, and the collection the statement belongs to.
    pub url: Option<String>,
    pub rights: Option<String>,
    pub collection: Option<String>,
    /// Whether bare-statement inference may fill what the front matter left out.
    pub infer: Option<bool>,
    /// The line each front-matter key was written on (for later messages).
    pub key_lines: Vec<(String, usize)>,
}

impl Meta {
    /// The line a front-matter key is on, or 0 if it was not given.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(0, |(_, l)| *l)
    }

    /// The primary language subtag, lower case (`pt` for `pt-BR`).
    pub fn language(&self) -> String {
        self.lang
            .split('-')
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase()
    }

    /// The region subtag, if any (`BR` for `pt-BR`; scripts like `Latn` are skipped).
    pub fn region(&self) -> Option<String> {
        self.lang
            .split('-')
            .skip(1)
            .find(|s| s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
            .map(|s| s.to_ascii_uppercase())
    }
}

/// A block-level element. `line` is the 1-based line in the Markdown file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub line: usize,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Quote(Vec<Block>),
    List(List),
    CodeBlock {
        lang: Option<String>,
        code: String,
    },
    Table(Table),
    ThematicBreak,
    /// An image standing alone in its paragraph.
    Figure(Image),
    /// Raw HTML, kept as literal text (it never reaches Typst as markup).
    Html(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for an ordered list.
    pub start: Option<usize>,
    pub tight: bool,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    /// The header row first.
    pub header: Vec<Vec<Inline>>,
    pub rows: Vec<Vec<Vec<Inline>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Path relative to the project root, with `/` separators (checked to be inside it).
    pub src: String,
    pub alt: String,
    pub title: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The label as written (`1` for `[^1]`).
    pub name: String,
    pub line: usize,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Image(Image),
    /// Index into `Document::footnotes`; `first` is true for the first reference.
    FootnoteRef {
        index: usize,
        first: bool,
    },
    SoftBreak,
    HardBreak,
    /// Inline raw HTML, kept as literal text.
    Html(String),
}

/// The plain text of inlines (for alt text, titles, tests).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    collect_text(inlines, &mut out);
    out
}

fn collect_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(s) | Inline::Code(s) | Inline::Html(s) => out.push_str(s),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => collect_text(c, out),
            Inline::Link { content, .. } => collect_text(content, out),
            Inline::Image(img) => out.push_str(&img.alt),
            Inline::FootnoteRef { .. } => {}
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// All the text of a document, metadata included (to find the scripts it uses).
pub fn all_text(doc: &Document) -> String {
    fn blocks(list: &[Block], out: &mut String) {
        for b in list {
            match &b.kind {
                BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
                    collect_text(c, out)
                }
                BlockKind::Quote(q) => blocks(q, out),
                BlockKind::List(l) => l.items.iter().for_each(|i| blocks(&i.blocks, out)),
                BlockKind::Table(t) => t
                    .header
                    .iter()
                    .chain(t.rows.iter().flatten())
                    .for_each(|c| collect_text(c, out)),
                BlockKind::CodeBlock { code, .. } => out.push_str(code),
                BlockKind::Figure(img) => out.push_str(&img.alt),
                BlockKind::Html(h) => out.push_str(h),
                BlockKind::ThematicBreak => {}
            }
            out.push('\n');
        }
    }
    let m = &doc.meta;
    let mut out = String::new();
    for s in [&m.title, &m.subtitle, &m.place].into_iter().flatten() {
        out.push_str(s);
        out.push('\n');
    }
    for s in m.authors.iter().chain(&m.slogans) {
        out.push_str(s);
        out.push('\n');
    }
    blocks(&doc.blocks, &mut out);
    doc.footnotes
        .iter()
        .for_each(|f| blocks(&f.blocks, &mut out));
    out
}

/// Heading levels as both editions number them: the document's highest
/// heading is level 1, and no heading is more than one level below the
/// heading before it (PDF/UA and EPUB accessibility forbid skipping a
/// level). Each writer feeds the headings in the order it writes them.
#[derive(Debug, Clone)]
pub struct Outline {
    /// The Markdown level that becomes level 1.
    top: u8,
    /// The level of the last heading (0 before the first).
    last: u8,
}

impl Outline {
    pub fn new(doc: &Document) -> Self {
        Outline {
            top: doc.top_heading_level().unwrap_or(1),
            last: 0,
        }
    }

    /// The level, from 1, of the next heading, written `#` × `markdown`.
    pub fn level(&mut self, markdown: u8) -> u8 {
        let level = (markdown.saturating_sub(self.top) + 1).min(self.last + 1);
        self.last = level;
        level
    }
}

impl Document {
    /// The title the editions give a document: its own, or its file name
    /// when it has none.
    pub fn book_title(&self) -> String {
        self.meta.title.clone().unwrap_or_else(|| {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }

    /// The highest (smallest) heading level anywhere: body, quotes, lists
    /// and notes. Both writers renumber headings from it.
    pub fn top_heading_level(&self) -> Option<u8> {
        fn walk(blocks: &[Block], min: &mut Option<u8>) {
            for b in blocks {
                match &b.kind {
                    BlockKind::Heading { level, .. } => {
                        *min = Some(min.map_or(*level, |m| m.min(*level)))
                    }
                    BlockKind::Quote(q) => walk(q, min),
                    BlockKind::List(l) => l.items.iter().for_each(|i| walk(&i.blocks, min)),
                    _ => {}
                }
            }
        }
        let mut min = None;
        walk(&self.blocks, &mut min);
        self.footnotes
            .iter()
            .for_each(|f| walk(&f.blocks, &mut min));
        min
    }

    /// Calls `f` on every image, in reading order, stopping at the first error.
    pub fn try_for_each_image_mut<E>(
        &mut self,
        f: &mut dyn FnMut(&mut Image) -> Result<(), E>,
    ) -> Result<(), E> {
        fn blocks<E>(
            list: &mut [Block],
            f: &mut dyn FnMut(&mut Image) -> Result<(), E>,
        ) -> Result<(), E> {
            for block in list {
                match &mut block.kind {
                    BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
                        inlines(c, f)?
                    }
                    BlockKind::Quote(b) => blocks(b, f)?,
                    BlockKind::List(l) => {
                        for item in &mut l.items {
                            blocks(&mut item.blocks, f)?;
                        }
                    }
                    BlockKind::Table(t) => {
                        for cell in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                            inlines(cell, f)?;
                        }
                    }
                    BlockKind::Figure(img) => f(img)?,
                    BlockKind::CodeBlock { .. } | BlockKind::ThematicBreak | BlockKind::Html(_) => {
                    }
                }
            }
            Ok(())
        }
        fn inlines<E>(
            inlines_: &mut [Inline],
            f: &mut dyn FnMut(&mut Image) -> Result<(), E>,
        ) -> Result<(), E> {
            for inline in inlines_ {
                match inline {
                    Inline::Image(img) => f(img)?,
                    Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, f)?,
                    Inline::Link { content, .. } => inlines(content, f)?,
                    _ => {}
                }
            }
            Ok(())
        }
        blocks(&mut self.blocks, f)?;
        for note in &mut self.footnotes {
            blocks(&mut note.blocks, f)?;
        }
        Ok(())
    }
}
