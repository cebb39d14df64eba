//! Markdown (CommonMark + GFM) to the owned `Document`, through comrak's AST.

use std::collections::HashMap;
use std::path::Path;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};

use crate::model::diagnostics::Diagnostic;
use crate::model::document::*;
use crate::read::frontmatter;

/// Nesting deeper than this is refused (it would only exhaust the stack).
pub const MAX_DEPTH: usize = 64;

/// Reads a whole statement: front matter and body.
pub fn read(path: &Path, text: &str) -> Result<Document, Diagnostic> {
    let split = frontmatter::split(path, text)?;
    let meta = frontmatter::parse(path, &split)?;
    let mut doc = parse_body(path, split.body, split.body_offset)?;
    doc.meta = meta;
    Ok(doc)
}

/// The comrak options: CommonMark plus the GFM extensions we support.
pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    // Keep unreferenced definitions, so that they can be reported.
    o.parse.leave_footnote_definitions = true;
    o
}

/// Parses a Markdown body; `line_offset` is added to every line number.
pub fn parse_body(path: &Path, body: &str, line_offset: usize) -> Result<Document, Diagnostic> {
    let arena = Arena::new();
    let root = parse_document(&arena, body, &options());
    let mut reader = Reader {
        path,
        line_offset,
        footnote_index: HashMap::new(),
        footnotes: Vec::new(),
        defs: HashMap::new(),
        warnings: Vec::new(),
    };
    // Footnote definitions first, so references can find them.
    for node in root.descendants() {
        if let NodeValue::FootnoteDefinition(def) = &node.data().value {
            reader.defs.entry(def.name.clone()).or_insert(node);
        }
    }
    let mut blocks = Vec::new();
    for node in root.children() {
        if !matches!(node.data().value, NodeValue::FootnoteDefinition(_)) {
            reader.block(node, 0, &mut blocks)?;
        }
    }
    // Fill footnote bodies in order of first reference (a body may reference
    // further notes, which are appended as they are met).
    let mut i = 0;
    while i < reader.footnotes.len() {
        let name = reader.footnotes[i].name.clone();
        if let Some(node) = reader.defs.get(&name).copied() {
            let mut fb = Vec::new();
            for child in node.children() {
                reader.block(child, 1, &mut fb)?;
            }
            reader.footnotes[i].blocks = fb;
            reader.footnotes[i].line = reader.line(node);
        }
        i += 1;
    }
    let mut unused: Vec<(&String, &&AstNode)> = reader
        .defs
        .iter()
        .filter(|(name, _)| !reader.footnote_index.contains_key(*name))
        .collect();
    unused.sort_by_key(|(_, node)| node.data().sourcepos.start.line);
    let unused: Vec<Note> = unused
        .into_iter()
        .map(|(name, node)| Note {
            line: reader.line(node),
            message: format!(
                "the footnote `[^{name}]` is defined but never referenced, so it is left out"
            ),
        })
        .collect();
    reader.warnings.extend(unused);
    let mut doc = Document {
        path: path.to_path_buf(),
        meta: Meta {
            lang: "en".into(),
            ..Meta::default()
        },
        blocks,
        footnotes: reader.footnotes,
        warnings: reader.warnings,
        anchors: Vec::new(),
    };
    doc.anchors = anchors(&doc);
    Ok(doc)
}

/// Each heading's anchor as GitHub and comrak make it (`## Our demands`:
/// `our-demands`; letters of every script kept; a repeat gets `-1`).
pub(crate) fn anchors(doc: &Document) -> Vec<String> {
    let mut anchorizer = comrak::Anchorizer::new();
    doc.headings()
        .into_iter()
        .map(|h| anchorizer.anchorize(plain_text(h).trim()))
        .collect()
}

/// A link into the project: another statement (`strike.md`,
/// `../2025/strike.md#part`), or a heading of this one (`#part`); the file
/// and the anchor, percent-decoded. `None` for anything else.
fn project_link(url: &str) -> Option<(Option<String>, Option<String>)> {
    let (file, anchor) = match url.trim().split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (url.trim(), None),
    };
    let anchor = anchor.filter(|a| !a.is_empty()).map(percent_decode);
    let file = percent_decode(file);
    match (file.as_str(), anchor) {
        ("", None) => None,
        ("", anchor) => Some((None, anchor)),
        (f, anchor) if f.to_ascii_lowercase().ends_with(".md") => Some((Some(file), anchor)),
        _ => None,
    }
}

/// `%C3%A9` as `é` (bytes that are not UTF-8 are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).and_then(|b| hex(*b)),
            bytes.get(i + 2).and_then(|b| hex(*b)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

struct Reader<'p, 'a> {
    path: &'p Path,
    line_offset: usize,
    footnote_index: HashMap<String, usize>,
    footnotes: Vec<Footnote>,
    defs: HashMap<String, &'a AstNode<'a>>,
    warnings: Vec<Note>,
}

impl<'a> Reader<'_, 'a> {
    fn line(&self, node: &'a AstNode<'a>) -> usize {
        node.data().sourcepos.start.line + self.line_offset
    }

    fn too_deep(&self, node: &'a AstNode<'a>) -> Diagnostic {
        Diagnostic::new(
            self.path,
            self.line(node),
            format!("nesting deeper than {MAX_DEPTH} levels"),
        )
        .hint("flatten the nested quotes, lists or emphasis")
    }

    fn blocks(&mut self, node: &'a AstNode<'a>, depth: usize) -> Result<Vec<Block>, Diagnostic> {
        let mut out = Vec::new();
        for child in node.children() {
            self.block(child, depth + 1, &mut out)?;
        }
        Ok(out)
    }

    fn block(
        &mut self,
        node: &'a AstNode<'a>,
        depth: usize,
        out: &mut Vec<Block>,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        let line = self.line(node);
        let value = node.data().value.clone();
        let kind = match value {
            NodeValue::Paragraph => {
                let inlines = self.inlines(node, depth)?;
                // An image alone in its paragraph is a figure.
                match inlines.as_slice() {
                    [Inline::Image(img)] => BlockKind::Figure(img.clone()),
                    [] => return Ok(()),
                    _ => BlockKind::Paragraph(inlines),
                }
            }
            NodeValue::Heading(h) => {
                let content = self.inlines(node, depth)?;
                if plain_text(&content).trim().is_empty() {
                    self.warnings.push(Note {
                        line,
                        message: "an empty heading is left out".into(),
                    });
                    return Ok(());
                }
                BlockKind::Heading {
                    level: h.level,
                    content,
                }
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                BlockKind::Quote(self.blocks(node, depth)?)
            }
            NodeValue::List(l) => {
                let mut items = Vec::new();
                for item in node.children() {
                    let task = match &item.data().value {
                        NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
                        _ => None,
                    };
                    items.push(ListItem {
                        task,
                        blocks: self.blocks(item, depth + 1)?,
                    });
                }
                BlockKind::List(List {
                    start: (l.list_type == ListType::Ordered).then_some(l.start),
                    tight: l.tight,
                    items,
                })
            }
            NodeValue::CodeBlock(c) => {
                let lang = c
                    .info
                    .split_whitespace()
                    .next()
                    .filter(|s| !s.is_empty())
                    .map(str::to_string);
                BlockKind::CodeBlock {
                    lang,
                    code: c.literal.trim_end_matches('\n').to_string(),
                }
            }
            NodeValue::ThematicBreak => BlockKind::ThematicBreak,
            NodeValue::HtmlBlock(h) => {
                let text = h.literal.trim_end().to_string();
                if is_comment(&text) {
                    return Ok(());
                }
                self.warnings.push(Note {
                    line,
                    message: "raw HTML is set as literal text".into(),
                });
                BlockKind::Html(text)
            }
            NodeValue::Table(t) => {
                let align = t
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::Left => Align::Left,
                        TableAlignment::Center => Align::Center,
                        TableAlignment::Right => Align::Right,
                        TableAlignment::None => Align::None,
                    })
                    .collect();
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for row in node.children() {
                    let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                    let mut cells = Vec::new();
                    for cell in row.children() {
                        cells.push(self.inlines(cell, depth)?);
                    }
                    if is_header {
                        header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                BlockKind::Table(Table {
                    align,
                    header,
                    rows,
                })
            }
            NodeValue::FootnoteDefinition(_) => return Ok(()),
            // Container-like nodes we do not enable; keep their content.
            NodeValue::Document | NodeValue::Item(_) | NodeValue::TaskItem(_) => {
                for child in node.children() {
                    self.block(child, depth + 1, out)?;
                }
                return Ok(());
            }
            other => {
                // Not produced with our options; say so rather than drop it.
                return Err(Diagnostic::new(
                    self.path,
                    line,
                    format!("unsupported Markdown construct {other:?}"),
                ));
            }
        };
        out.push(Block { line, kind });
        Ok(())
    }

    fn inlines(&mut self, node: &'a AstNode<'a>, depth: usize) -> Result<Vec<Inline>, Diagnostic> {
        let mut out: Vec<Inline> = Vec::new();
        for child in node.children() {
            self.inline(child, depth + 1, &mut out)?;
        }
        Ok(out)
    }

    fn inline(
        &mut self,
        node: &'a AstNode<'a>,
        depth: usize,
        out: &mut Vec<Inline>,
    ) -> Result<(), Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(node));
        }
        let value = node.data().value.clone();
        let inline = match value {
            NodeValue::Text(t) => {
                push_text(out, &t);
                return Ok(());
            }
            NodeValue::Escaped => {
                for child in node.children() {
                    self.inline(child, depth + 1, out)?;
                }
                return Ok(());
            }
            NodeValue::SoftBreak => Inline::SoftBreak,
            NodeValue::LineBreak => Inline::HardBreak,
            NodeValue::Code(c) => Inline::Code(c.literal),
            NodeValue::Emph => Inline::Emph(self.inlines(node, depth)?),
            NodeValue::Strong => Inline::Strong(self.inlines(node, depth)?),
            NodeValue::Strikethrough => Inline::Strike(self.inlines(node, depth)?),
            NodeValue::Link(l) => {
                let content = self.inlines(node, depth)?;
                if is_external(&l.url) {
                    Inline::Link {
                        url: l.url,
                        content,
                    }
                } else if let Some((file, anchor)) = project_link(&l.url) {
                    // A link to another statement or to a heading: the
                    // project resolves it.
                    Inline::Xref(Xref {
                        file,
                        anchor,
                        content,
                        line: self.line(node),
                        target: None,
                    })
                } else {
                    // A link to another kind of file has no target in a
                    // leaflet or an e-book: keep the text.
                    if !l.url.trim().is_empty() {
                        self.warnings.push(Note {
                            line: self.line(node),
                            message: format!(
                                "the link to `{}` is set as plain text: only web, e-mail and phone links are kept",
                                l.url
                            ),
                        });
                    }
                    out.extend(content);
                    return Ok(());
                }
            }
            NodeValue::Image(l) => {
                // Read the alt text without registering footnotes in it.
                let alt = alt_text(node).trim().to_string();
                Inline::Image(Image {
                    src: l.url,
                    alt,
                    title: Some(l.title).filter(|t| !t.is_empty()),
                    line: self.line(node),
                })
            }
            NodeValue::FootnoteReference(r) => {
                let (index, first) = match self.footnote_index.get(&r.name) {
                    Some(&i) => (i, false),
                    None => {
                        let i = self.footnotes.len();
                        self.footnote_index.insert(r.name.clone(), i);
                        self.footnotes.push(Footnote {
                            name: r.name.clone(),
                            line: self.line(node),
                            blocks: Vec::new(),
                        });
                        (i, true)
                    }
                };
                Inline::FootnoteRef { index, first }
            }
            NodeValue::HtmlInline(h) => {
                if is_comment(&h) {
                    return Ok(());
                }
                Inline::Html(h)
            }
            other => {
                return Err(Diagnostic::new(
                    self.path,
                    self.line(node),
                    format!("unsupported inline Markdown {other:?}"),
                ));
            }
        };
        out.push(inline);
        Ok(())
    }
}

/// The plain text of an image description (`![this](x.png)`).
fn alt_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants().skip(1) {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// True for links a reader can follow from a leaflet or an e-book: an
/// absolute URL with a web, e-mail or phone scheme.
pub fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    [
        "http://",
        "https://",
        "mailto:",
        "tel:",
        "ftp://",
        "ftps://",
        "sftp://",
        "geo:",
        "sms:",
        "xmpp:",
        "irc://",
        "ircs://",
        "news:",
        "gemini://",
        "matrix:",
        "signal:",
    ]
    .iter()
    .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
}

/// Appends text, merging it with a preceding text run.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Inline::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(md: &str) -> Document {
        read(Path::new("t.md"), md).unwrap()
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_and_shared() {
        let d = doc("A[^b] and B[^a] and again[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n");
        assert_eq!(
            d.footnotes
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            ["b", "a"]
        );
        let BlockKind::Paragraph(p) = &d.blocks[0].kind else {
            panic!()
        };
        let refs: Vec<_> = p
            .iter()
            .filter_map(|i| match i {
                Inline::FootnoteRef { index, first } => Some((*index, *first)),
                _ => None,
            })
            .collect();
        assert_eq!(refs, [(0, true), (1, true), (0, false)]);
        assert_eq!(d.footnotes[1].line, 3);
    }

    #[test]
    fn lines_count_from_the_file_start() {
        let d = doc("---\ntitle: T\n---\n\nPara one.\n\n## Head\n");
        assert_eq!(d.blocks[0].line, 5);
        assert_eq!(d.blocks[1].line, 7);
    }

    #[test]
    fn lists_keep_start_tightness_and_tasks() {
        let d = doc("3. a\n4. b\n\n- [ ] x\n- [x] y\n");
        let BlockKind::List(l) = &d.blocks[0].kind else {
            panic!()
        };
        assert_eq!((l.start, l.tight), (Some(3), true));
        let BlockKind::List(t) = &d.blocks[1].kind else {
            panic!()
        };
        assert_eq!(
            t.items.iter().map(|i| i.task).collect::<Vec<_>>(),
            [Some(false), Some(true)]
        );
    }

    #[test]
    fn lone_image_is_a_figure_and_html_is_text() {
        let d = doc("![A map](map.png)\n\nSee <b>this</b>.\n");
        assert!(
            matches!(&d.blocks[0].kind, BlockKind::Figure(i) if i.alt == "A map" && i.src == "map.png")
        );
        assert_eq!(
            plain_text(match &d.blocks[1].kind {
                BlockKind::Paragraph(p) => p,
                _ => panic!(),
            }),
            "See <b>this</b>."
        );
    }

    #[test]
    fn unreferenced_footnotes_are_reported() {
        let d = doc("Text[^used].\n\n[^used]: Used.\n\n[^spare]: Never used.\n");
        assert_eq!(d.footnotes.len(), 1);
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(d.warnings[0].line, 5);
        assert!(d.warnings[0].message.contains("`[^spare]`"));
        assert!(d.blocks.iter().all(
            |b| !matches!(&b.kind, BlockKind::Paragraph(p) if plain_text(p).contains("Never"))
        ));
    }

    #[test]
    fn only_followable_links_stay_links() {
        let d = doc(
            "[a](https://x.org) [b](other.md) [c](#part) [d](file:///etc/passwd) [e](mailto:a@b.c)\n\n##\n",
        );
        let BlockKind::Paragraph(p) = &d.blocks[0].kind else {
            panic!()
        };
        let links: Vec<&str> = p
            .iter()
            .filter_map(|i| match i {
                Inline::Link { url, .. } => Some(url.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(links, ["https://x.org", "mailto:a@b.c"]);
        // Links inside the project are the project's to resolve.
        let xrefs: Vec<(Option<&str>, Option<&str>)> = p
            .iter()
            .filter_map(|i| match i {
                Inline::Xref(x) => Some((x.file.as_deref(), x.anchor.as_deref())),
                _ => None,
            })
            .collect();
        assert_eq!(xrefs, [(Some("other.md"), None), (None, Some("part"))]);
        assert_eq!(plain_text(p), "a b c d e");
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(d.warnings[0].message.contains("file:///etc/passwd"));
        assert_eq!(d.blocks.len(), 1, "the empty heading is left out");
    }

    #[test]
    fn headings_are_anchored_as_github_does_in_every_script() {
        let d = doc(
            "## Our demands!\n\n## Что делать?\n\n## ما نطالب به\n\n## Our demands\n\n## Qué exigimos\n\nSee [x](../a%20b.md#Qu%C3%A9-exigimos).\n",
        );
        assert_eq!(
            d.anchors,
            [
                "our-demands",
                "что-делать",
                "ما-نطالب-به",
                "our-demands-1",
                "qué-exigimos"
            ]
        );
        let BlockKind::Paragraph(p) = &d.blocks[5].kind else {
            panic!()
        };
        let Inline::Xref(x) = &p[1] else {
            panic!("{p:?}")
        };
        assert_eq!(x.file.as_deref(), Some("../a b.md"));
        assert_eq!(x.anchor.as_deref(), Some("Qué-exigimos"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let md = format!("{}deep\n", ">".repeat(500));
        let e = read(Path::new("t.md"), &md).unwrap_err();
        assert!(e.message.contains("nesting deeper"), "{e}");
        assert_eq!(e.line, 1);
    }
}
