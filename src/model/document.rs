//! The owned document model both writers render: metadata, blocks and
//! inlines, each block carrying the Markdown line it came from.

use std::iter;
use std::path::PathBuf;
use std::slice;

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
    /// Each heading's anchor, as a link to it is written (`#our-demands`,
    /// GitHub's way), in the order of [`Document::headings`].
    pub anchors: Vec<String>,
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

/// A link inside the project, as written and as the project resolved it.
#[derive(Debug, Clone, PartialEq)]
pub struct Xref {
    /// The statement as written (`strike.md`, relative to this one's
    /// folder); `None`: this statement.
    pub file: Option<String>,
    /// The heading's anchor as written, decoded; `None`: the statement itself.
    pub anchor: Option<String>,
    pub content: Vec<Inline>,
    pub line: usize,
    /// What it points at, once the project has found it.
    pub target: Option<XrefTarget>,
}

/// The statement and heading a link points at.
#[derive(Debug, Clone, PartialEq)]
pub struct XrefTarget {
    /// The statement's source; `None`: the statement the link is in.
    pub source: Option<PathBuf>,
    /// The heading, from 1 in the order of [`Document::headings`]; `None`:
    /// the statement's opening.
    pub heading: Option<usize>,
    /// The target's online edition (with the anchor), when it has one.
    pub online: Option<String>,
}

/// Document metadata from the front matter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub title: Option<String>,
    /// The title was pasted in capitals: `title` holds it in the
    /// language's case (for the catalogue), and the layout may set it in
    /// capitals again.
    pub title_caps: bool,
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
    /// Layout settings this statement fixes for itself (`font-size`,
    /// `columns`, `pages`, `fit`): they win over `[layout]`, and copyfitting
    /// works with what is left.
    pub fitting: Fixed,
    /// What links this edition to its translations when their file names
    /// do not (`translation-key`).
    pub translation_key: Option<String>,
    /// `original: true`: the edition the others translate.
    pub original: Option<bool>,
    /// Who translated this edition (`translator`).
    pub translators: Vec<String>,
    /// The line each front-matter key was written on (for later messages).
    pub key_lines: Vec<(String, usize)>,
    /// Where this edition is read online (`[project] online`, filled in).
    pub online: Option<String>,
    /// Every edition of the statement, this one included, the original
    /// first; empty for a statement with no translations.
    pub editions: Vec<EditionRef>,
}

/// One edition of a statement, as the others name it: by its language's
/// name in itself, with a link when it is online.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRef {
    /// Its source file.
    pub source: PathBuf,
    pub lang: String,
    /// "Italiano", "العربية".
    pub name: String,
    pub dir: Dir,
    pub online: Option<String>,
    /// The edition this is (named, not linked).
    pub this: bool,
}

/// What a statement's front matter fixes of its own layout.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fixed {
    /// The body size in points.
    pub font_size: Option<f64>,
    pub columns: Option<u8>,
    pub pages: Option<u32>,
    /// `fit: false` sets the statement as the settings say, unfitted.
    pub fit: Option<bool>,
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
    /// A link to another statement of the project or to a heading
    /// (`other.md`, `other.md#part`, `#part`).
    Xref(Xref),
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

impl Inline {
    /// The text an inline holds itself, not what is nested in it: a text
    /// run, code, raw HTML, an image's alt text. `None` for the rest.
    pub fn own_text(&self) -> Option<&str> {
        match self {
            Inline::Text(s) | Inline::Code(s) | Inline::Html(s) => Some(s),
            Inline::Image(img) => Some(&img.alt),
            _ => None,
        }
    }
}

/// The plain text of inlines (for alt text, titles, tests).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for event in walk_inlines(inlines) {
        if let Event::Enter(Node::Inline(inline)) = event {
            push_plain(inline, &mut out);
        }
    }
    out
}

/// What one inline adds to its plain text (a line break is a space).
fn push_plain(inline: &Inline, out: &mut String) {
    match inline {
        Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        other => out.push_str(other.own_text().unwrap_or_default()),
    }
}

/// All the text of a document, metadata included (to find the scripts it uses).
pub fn all_text(doc: &Document) -> String {
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
    // Each block's text, then a line break when the block (and all it
    // holds) is done.
    for event in doc.walk() {
        match event {
            Event::Enter(Node::Inline(inline)) => push_plain(inline, &mut out),
            Event::Enter(Node::Block(b)) => match &b.kind {
                BlockKind::CodeBlock { code, .. } => out.push_str(code),
                BlockKind::Figure(img) => out.push_str(&img.alt),
                BlockKind::Html(h) => out.push_str(h),
                _ => {}
            },
            Event::Leave(Node::Block(_)) => out.push('\n'),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The walk

/// A place in a document the walk reaches.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    /// A footnote definition (its blocks follow).
    Footnote(&'a Footnote),
    Block(&'a Block),
    /// An item of a list (its blocks follow).
    Item(&'a ListItem),
    /// A table cell (its inlines follow); `header` for the header row's.
    Cell {
        header: bool,
        content: &'a [Inline],
    },
    Inline(&'a Inline),
}

/// A step of the walk: reaching a node, and leaving it once everything in
/// it has been visited. Visitors that need to know what they are inside
/// (emphasis, a heading) keep that from these pairs.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    Enter(Node<'a>),
    Leave(Node<'a>),
}

/// The one traversal of the document model, in document order: a
/// document's blocks, then its footnotes in order (each its blocks); a
/// quote's blocks; a list's items, each its blocks; a paragraph's or
/// heading's inlines; a table's header cells, then its rows' cells, each
/// its inlines; emphasis, strong, strikethrough and link text. An image's
/// alt text and a footnote reference are leaves (the note's blocks come
/// with the footnotes). Iterative, with its own stack, so that no depth of
/// nesting can overflow the thread's.
pub struct Walk<'a> {
    stack: Vec<Frame<'a>>,
}

/// What is left to do at one level of the walk.
enum Frame<'a> {
    Footnotes(slice::Iter<'a, Footnote>),
    Blocks(slice::Iter<'a, Block>),
    Items(slice::Iter<'a, ListItem>),
    HeaderCells(slice::Iter<'a, Vec<Inline>>),
    RowCells(iter::Flatten<slice::Iter<'a, Vec<Vec<Inline>>>>),
    Inlines(slice::Iter<'a, Inline>),
    Leave(Node<'a>),
}

impl<'a> Iterator for Walk<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let next = match self.stack.last_mut()? {
                Frame::Leave(node) => {
                    let node = *node;
                    self.stack.pop();
                    return Some(Event::Leave(node));
                }
                Frame::Footnotes(it) => it.next().map(Node::Footnote),
                Frame::Blocks(it) => it.next().map(Node::Block),
                Frame::Items(it) => it.next().map(Node::Item),
                Frame::HeaderCells(it) => it.next().map(|c| Node::Cell {
                    header: true,
                    content: c,
                }),
                Frame::RowCells(it) => it.next().map(|c| Node::Cell {
                    header: false,
                    content: c,
                }),
                Frame::Inlines(it) => it.next().map(Node::Inline),
            };
            let Some(node) = next else {
                self.stack.pop();
                continue;
            };
            self.stack.push(Frame::Leave(node));
            // Pushed last, visited first.
            match node {
                Node::Footnote(f) => self.stack.push(Frame::Blocks(f.blocks.iter())),
                Node::Block(b) => match &b.kind {
                    BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
                        self.stack.push(Frame::Inlines(c.iter()))
                    }
                    BlockKind::Quote(q) => self.stack.push(Frame::Blocks(q.iter())),
                    BlockKind::List(l) => self.stack.push(Frame::Items(l.items.iter())),
                    BlockKind::Table(t) => {
                        self.stack.push(Frame::RowCells(t.rows.iter().flatten()));
                        self.stack.push(Frame::HeaderCells(t.header.iter()));
                    }
                    BlockKind::CodeBlock { .. }
                    | BlockKind::ThematicBreak
                    | BlockKind::Figure(_)
                    | BlockKind::Html(_) => {}
                },
                Node::Item(i) => self.stack.push(Frame::Blocks(i.blocks.iter())),
                Node::Cell { content, .. } => self.stack.push(Frame::Inlines(content.iter())),
                Node::Inline(i) => {
                    if let Some(c) = nested(i) {
                        self.stack.push(Frame::Inlines(c.iter()))
                    }
                }
            }
            return Some(Event::Enter(node));
        }
    }
}

/// The inlines nested in an inline, if it holds any.
fn nested(inline: &Inline) -> Option<&[Inline]> {
    match inline {
        Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => Some(c),
        Inline::Link { content, .. } | Inline::Xref(Xref { content, .. }) => Some(content),
        _ => None,
    }
}

/// Walks inlines and everything nested in them (see [`Walk`]).
pub fn walk_inlines(inlines: &[Inline]) -> Walk<'_> {
    Walk {
        stack: vec![Frame::Inlines(inlines.iter())],
    }
}

/// A node reached by the mutable walk ([`Document::try_walk_mut`]).
#[derive(Debug)]
pub enum NodeMut<'a> {
    Footnote(&'a mut Footnote),
    Block(&'a mut Block),
    Item(&'a mut ListItem),
    Cell {
        header: bool,
        content: &'a mut Vec<Inline>,
    },
    Inline(&'a mut Inline),
}

impl NodeMut<'_> {
    fn reborrow(&mut self) -> NodeMut<'_> {
        match self {
            NodeMut::Footnote(f) => NodeMut::Footnote(f),
            NodeMut::Block(b) => NodeMut::Block(b),
            NodeMut::Item(i) => NodeMut::Item(i),
            NodeMut::Cell { header, content } => NodeMut::Cell {
                header: *header,
                content,
            },
            NodeMut::Inline(i) => NodeMut::Inline(i),
        }
    }
}

/// What is left to do at one level of the mutable walk.
enum FrameMut<'a> {
    Footnotes(slice::IterMut<'a, Footnote>),
    Blocks(slice::IterMut<'a, Block>),
    Items(slice::IterMut<'a, ListItem>),
    HeaderCells(slice::IterMut<'a, Vec<Inline>>),
    RowCells(iter::Flatten<slice::IterMut<'a, Vec<Vec<Inline>>>>),
    Inlines(slice::IterMut<'a, Inline>),
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

    /// Walks the whole document, notes included (see [`Walk`]).
    pub fn walk(&self) -> Walk<'_> {
        Walk {
            stack: vec![
                Frame::Footnotes(self.footnotes.iter()),
                Frame::Blocks(self.blocks.iter()),
            ],
        }
    }

    /// The walk's mutable form: calls `visit` on each node as [`walk`]
    /// enters it, in the same order, before going into it (so what `visit`
    /// puts there is walked), stopping at the first error.
    ///
    /// [`walk`]: Document::walk
    pub fn try_walk_mut<E>(
        &mut self,
        mut visit: impl FnMut(NodeMut<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stack = vec![
            FrameMut::Footnotes(self.footnotes.iter_mut()),
            FrameMut::Blocks(self.blocks.iter_mut()),
        ];
        while let Some(top) = stack.last_mut() {
            let next = match top {
                FrameMut::Footnotes(it) => it.next().map(NodeMut::Footnote),
                FrameMut::Blocks(it) => it.next().map(NodeMut::Block),
                FrameMut::Items(it) => it.next().map(NodeMut::Item),
                FrameMut::HeaderCells(it) => it.next().map(|c| NodeMut::Cell {
                    header: true,
                    content: c,
                }),
                FrameMut::RowCells(it) => it.next().map(|c| NodeMut::Cell {
                    header: false,
                    content: c,
                }),
                FrameMut::Inlines(it) => it.next().map(NodeMut::Inline),
            };
            let Some(mut node) = next else {
                stack.pop();
                continue;
            };
            visit(node.reborrow())?;
            match node {
                NodeMut::Footnote(f) => stack.push(FrameMut::Blocks(f.blocks.iter_mut())),
                NodeMut::Block(b) => match &mut b.kind {
                    BlockKind::Paragraph(c) | BlockKind::Heading { content: c, .. } => {
                        stack.push(FrameMut::Inlines(c.iter_mut()))
                    }
                    BlockKind::Quote(q) => stack.push(FrameMut::Blocks(q.iter_mut())),
                    BlockKind::List(l) => stack.push(FrameMut::Items(l.items.iter_mut())),
                    BlockKind::Table(t) => {
                        stack.push(FrameMut::RowCells(t.rows.iter_mut().flatten()));
                        stack.push(FrameMut::HeaderCells(t.header.iter_mut()));
                    }
                    BlockKind::CodeBlock { .. }
                    | BlockKind::ThematicBreak
                    | BlockKind::Figure(_)
                    | BlockKind::Html(_) => {}
                },
                NodeMut::Item(i) => stack.push(FrameMut::Blocks(i.blocks.iter_mut())),
                NodeMut::Cell { content, .. } => stack.push(FrameMut::Inlines(content.iter_mut())),
                NodeMut::Inline(
                    Inline::Emph(c)
                    | Inline::Strong(c)
                    | Inline::Strike(c)
                    | Inline::Link { content: c, .. }
                    | Inline::Xref(Xref { content: c, .. }),
                ) => stack.push(FrameMut::Inlines(c.iter_mut())),
                NodeMut::Inline(_) => {}
            }
        }
        Ok(())
    }

    /// Every heading's text, in the order both writers number them (the
    /// body depth first, then the notes): the k-th (from 1) is `h-k` in the
    /// e-book and the label `h-k` in Typst.
    pub fn headings(&self) -> Vec<&[Inline]> {
        self.walk()
            .filter_map(|event| match event {
                Event::Enter(Node::Block(Block {
                    kind: BlockKind::Heading { content, .. },
                    ..
                })) => Some(content.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// Calls `f` on each link inside the project (for the project to
    /// resolve), in reading order.
    pub fn for_each_xref_mut(&mut self, mut f: impl FnMut(&mut Xref)) {
        let _ = self.try_walk_mut(|node| {
            if let NodeMut::Inline(Inline::Xref(x)) = node {
                f(x);
            }
            Ok::<(), ()>(())
        });
    }

    /// The highest (smallest) heading level anywhere: body, quotes, lists
    /// and notes. Both writers renumber headings from it.
    pub fn top_heading_level(&self) -> Option<u8> {
        self.walk()
            .filter_map(|event| match event {
                Event::Enter(Node::Block(Block {
                    kind: BlockKind::Heading { level, .. },
                    ..
                })) => Some(*level),
                _ => None,
            })
            .min()
    }

    /// Calls `f` on every image, in reading order, stopping at the first error.
    pub fn try_for_each_image_mut<E>(
        &mut self,
        f: &mut dyn FnMut(&mut Image) -> Result<(), E>,
    ) -> Result<(), E> {
        self.try_walk_mut(|node| match node {
            NodeMut::Block(Block {
                kind: BlockKind::Figure(img),
                ..
            })
            | NodeMut::Inline(Inline::Image(img)) => f(img),
            _ => Ok(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: BlockKind) -> Block {
        Block { line: 1, kind }
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn image(alt: &str) -> Image {
        Image {
            src: format!("{alt}.png"),
            alt: alt.to_string(),
            title: None,
            line: 1,
        }
    }

    fn doc(blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Document {
        Document {
            anchors: Vec::new(),
            path: PathBuf::from("t.md"),
            meta: Meta::default(),
            blocks,
            footnotes,
            warnings: Vec::new(),
        }
    }

    /// A short name for a node, to write expected walks down.
    fn name(node: Node) -> String {
        match node {
            Node::Footnote(f) => format!("note {}", f.name),
            Node::Block(b) => match &b.kind {
                BlockKind::Paragraph(_) => "p".into(),
                BlockKind::Heading { level, .. } => format!("h{level}"),
                BlockKind::Quote(_) => "quote".into(),
                BlockKind::List(_) => "list".into(),
                BlockKind::CodeBlock { .. } => "code".into(),
                BlockKind::Table(_) => "table".into(),
                BlockKind::ThematicBreak => "hr".into(),
                BlockKind::Figure(img) => format!("figure {}", img.alt),
                BlockKind::Html(_) => "html".into(),
            },
            Node::Item(_) => "item".into(),
            Node::Cell { header, .. } => if header { "th" } else { "td" }.into(),
            Node::Inline(i) => match i {
                Inline::Emph(_) => "emph".into(),
                Inline::Strong(_) => "strong".into(),
                Inline::Strike(_) => "strike".into(),
                Inline::Link { .. } => "link".into(),
                Inline::Xref(_) => "xref".into(),
                Inline::Image(img) => format!("img {}", img.alt),
                Inline::FootnoteRef { index, .. } => format!("ref {index}"),
                Inline::SoftBreak | Inline::HardBreak => "br".into(),
                other => format!("'{}'", other.own_text().unwrap_or_default()),
            },
        }
    }

    fn shared<'b>(node: &'b NodeMut<'_>) -> Node<'b> {
        match node {
            NodeMut::Footnote(f) => Node::Footnote(f),
            NodeMut::Block(b) => Node::Block(b),
            NodeMut::Item(i) => Node::Item(i),
            NodeMut::Cell { header, content } => Node::Cell {
                header: *header,
                content,
            },
            NodeMut::Inline(i) => Node::Inline(i),
        }
    }

    /// Every kind of node: a heading with emphasis, a paragraph with a
    /// link, an image and a note, a quoted list, a table, a figure, a note.
    fn sample() -> Document {
        let blocks = vec![
            block(BlockKind::Heading {
                level: 2,
                content: vec![text("a"), Inline::Emph(vec![text("b")])],
            }),
            block(BlockKind::Paragraph(vec![
                Inline::Strong(vec![Inline::Link {
                    url: "u".into(),
                    content: vec![text("c"), Inline::Image(image("i1"))],
                }]),
                Inline::SoftBreak,
                Inline::FootnoteRef {
                    index: 0,
                    first: true,
                },
            ])),
            block(BlockKind::Quote(vec![block(BlockKind::List(List {
                start: None,
                tight: true,
                items: vec![
                    ListItem {
                        task: None,
                        blocks: vec![block(BlockKind::Paragraph(vec![text("d")]))],
                    },
                    ListItem {
                        task: Some(true),
                        blocks: vec![block(BlockKind::CodeBlock {
                            lang: None,
                            code: "e".into(),
                        })],
                    },
                ],
            }))])),
            block(BlockKind::Table(Table {
                align: vec![Align::None, Align::None],
                header: vec![vec![text("f")], vec![Inline::Image(image("i2"))]],
                rows: vec![
                    vec![vec![text("g")], vec![]],
                    vec![vec![Inline::Strike(vec![text("h")])], vec![text("i")]],
                ],
            })),
            block(BlockKind::Figure(image("i3"))),
        ];
        let footnotes = vec![Footnote {
            name: "1".into(),
            line: 9,
            blocks: vec![block(BlockKind::Paragraph(vec![
                text("j"),
                Inline::Image(image("i4")),
            ]))],
        }];
        doc(blocks, footnotes)
    }

    #[test]
    fn the_walk_goes_in_document_order_notes_last() {
        let d = sample();
        let walked: Vec<String> = d
            .walk()
            .map(|event| match event {
                Event::Enter(n) => format!("+{}", name(n)),
                Event::Leave(n) => format!("-{}", name(n)),
            })
            .collect();
        let expected = "+h2 +'a' -'a' +emph +'b' -'b' -emph -h2 \
            +p +strong +link +'c' -'c' +img i1 -img i1 -link -strong +br -br +ref 0 -ref 0 -p \
            +quote +list +item +p +'d' -'d' -p -item +item +code -code -item -list -quote \
            +table +th +'f' -'f' -th +th +img i2 -img i2 -th \
            +td +'g' -'g' -td +td -td +td +strike +'h' -'h' -strike -td +td +'i' -'i' -td -table \
            +figure i3 -figure i3 \
            +note 1 +p +'j' -'j' +img i4 -img i4 -p -note 1";
        assert_eq!(walked.join(" "), expected);
    }

    #[test]
    fn the_mutable_walk_enters_what_the_walk_enters_in_the_same_order() {
        let mut d = sample();
        let entered: Vec<String> = d
            .walk()
            .filter_map(|event| match event {
                Event::Enter(n) => Some(name(n)),
                Event::Leave(_) => None,
            })
            .collect();
        let mut visited = Vec::new();
        d.try_walk_mut(|node| {
            visited.push(name(shared(&node)));
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(visited, entered);

        // Images in reading order, notes last; the first error stops it.
        let mut seen = Vec::new();
        let stopped = d.try_for_each_image_mut(&mut |img| {
            img.src = format!("/{}", img.src);
            seen.push(img.alt.clone());
            if img.alt == "i3" {
                Err(img.line)
            } else {
                Ok(())
            }
        });
        assert_eq!(stopped, Err(1));
        assert_eq!(seen, ["i1", "i2", "i3"]);
        let BlockKind::Figure(figure) = &d.blocks[4].kind else {
            panic!()
        };
        assert_eq!(figure.src, "/i3.png");
    }

    #[test]
    fn the_walkers_built_on_it() {
        let d = sample();
        assert_eq!(d.top_heading_level(), Some(2));
        assert_eq!(all_text(&d), "ab\nci1 \nd\ne\n\n\nfi2ghi\ni3\nji4\n");
        let BlockKind::Paragraph(p) = &d.blocks[1].kind else {
            panic!()
        };
        assert_eq!(plain_text(p), "ci1 ");
    }

    #[test]
    fn the_walk_survives_deep_nesting() {
        const DEPTH: usize = 10_000;
        let mut inner = vec![block(BlockKind::Heading {
            level: 3,
            content: vec![Inline::Emph(vec![text("deep"), Inline::Image(image("x"))])],
        })];
        for _ in 0..DEPTH {
            inner = vec![block(BlockKind::Quote(inner))];
        }
        inner.push(block(BlockKind::Paragraph(vec![text("after")])));
        let mut d = doc(inner, Vec::new());

        let events: Vec<Event> = d.walk().collect();
        assert_eq!(events.len(), 2 * (DEPTH + 6));
        let names: Vec<String> = events
            .iter()
            .map(|e| match *e {
                Event::Enter(n) => format!("+{}", name(n)),
                Event::Leave(n) => format!("-{}", name(n)),
            })
            .collect();
        assert!(names[..DEPTH].iter().all(|n| n == "+quote"));
        assert_eq!(
            names[DEPTH..DEPTH + 8].join(" "),
            "+h3 +emph +'deep' -'deep' +img x -img x -emph -h3"
        );
        assert!(
            names[DEPTH + 8..2 * DEPTH + 8]
                .iter()
                .all(|n| n == "-quote")
        );
        assert_eq!(names[2 * DEPTH + 8..].join(" "), "+p +'after' -'after' -p");
        assert_eq!(d.top_heading_level(), Some(3));
        assert!(all_text(&d).starts_with("deepx\n\n"));

        let mut visited = 0;
        d.try_walk_mut(|_| {
            visited += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(visited, DEPTH + 6);
        let mut images = Vec::new();
        d.try_for_each_image_mut(&mut |img| {
            images.push(img.alt.clone());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(images, ["x"]);

        // Dropping the nest would recurse as deep as it goes: take it apart.
        let mut blocks = std::mem::take(&mut d.blocks);
        while let Some(b) = blocks.pop() {
            if let BlockKind::Quote(q) = b.kind {
                blocks.extend(q);
            }
        }
    }
}
