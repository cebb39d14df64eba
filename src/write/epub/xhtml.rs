//! `Document` to XHTML 5 for the EPUB: the same model the Typst writer
//! reads, with the language's quotation marks, EPUB 3 footnotes and
//! semantic markup only (presentation lives in the stylesheet).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::PathBuf;

use crate::model::dates::long_date;
use crate::model::document::*;
use crate::model::lang::{Labels, labels};
use crate::model::quotes::{Marks, Quoter, marks_for};

/// A heading of the text, for the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TocEntry {
    /// 1 for the statement's title, 2 and deeper for its sections.
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Escapes text for XML content and attribute values, dropping characters
/// XML 1.0 cannot hold.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL as a valid `href`: characters URLs may not hold are percent-encoded
/// (spaces, quotes, angle brackets, a `%` that starts no escape).
pub(crate) fn encode_url(url: &str) -> String {
    let url = url.trim();
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        let escape_ok = c == '%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        match c {
            '%' if !escape_ok => out.push_str("%25"),
            ' ' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// An XHTML document around a body.
pub(crate) fn page(meta: &Meta, title: &str, body: &str) -> String {
    let lang = esc(&meta.lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\" dir=\"{}\">\n<head>\n<meta charset=\"UTF-8\"/>\n\
         <title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n\
         <body>\n{body}</body>\n</html>\n",
        meta.dir.as_str(),
        esc(title)
    )
}

/// The title as readers see it: with the language's quotation marks.
pub(crate) fn shown_title(doc: &Document) -> String {
    smarten(doc, &doc.book_title())
}

/// Text with the document's quotation marks.
pub(crate) fn smarten(doc: &Document, text: &str) -> String {
    let m = &doc.meta;
    Quoter::new().smarten(text, &marks_for(&m.language(), m.region().as_deref()))
}

/// The signature line: place and date.
fn place_date(meta: &Meta) -> Option<String> {
    let date = meta.date.map(|d| long_date(d, &meta.language()));
    let parts: Vec<String> = [meta.place.clone(), date].into_iter().flatten().collect();
    // Arabic script has its own comma, as the PDF's signature uses.
    let comma = match meta.language().as_str() {
        "ar" | "fa" | "ur" | "ps" | "sd" | "ug" | "ckb" => "، ",
        _ => ", ",
    };
    (!parts.is_empty()).then(|| parts.join(comma))
}

/// The title page: title, subtitle, signatories, place and date.
pub(crate) fn title_page(doc: &Document) -> String {
    let m = &doc.meta;
    let marks = marks_for(&m.language(), m.region().as_deref());
    let smart = |s: &str| esc(&Quoter::new().smarten(s, &marks));
    let labels = labels(&m.language());
    let mut b = format!(
        "<section class=\"titlepage\" epub:type=\"titlepage\" aria-label=\"{}\">\n",
        esc(labels.title_page)
    );
    let _ = writeln!(b, "<h1 class=\"title\">{}</h1>", smart(&doc.book_title()));
    if let Some(s) = &m.subtitle {
        let _ = writeln!(b, "<p class=\"subtitle\">{}</p>", smart(s));
    }
    if !m.authors.is_empty() {
        let names: Vec<String> = m.authors.iter().map(|a| smart(a)).collect();
        let _ = writeln!(b, "<p class=\"signatories\">{}</p>", names.join("<br/>"));
    }
    if let Some(pd) = place_date(m) {
        let _ = writeln!(b, "<p class=\"place-date\">{}</p>", esc(&pd));
    }
    if let Some(line) = crate::model::lang::translated_by(m) {
        let _ = writeln!(b, "<p class=\"translators\">{}</p>", esc(&line));
    }
    if let Some(line) = editions_line(m) {
        let _ = writeln!(b, "<p class=\"editions\">{line}</p>");
    }
    if let Some(url) = &m.online {
        let _ = writeln!(
            b,
            "<p class=\"online\"><a href=\"{}\" dir=\"ltr\">{}</a></p>",
            esc(&encode_url(url)),
            esc(shown_address(url))
        );
    }
    if let Some(r) = &m.rights {
        let _ = writeln!(b, "<p class=\"rights\">{}</p>", esc(r));
    }
    b.push_str("</section>\n");
    page(m, &shown_title(doc), &b)
}

/// The statement's editions by their languages' names in themselves, each
/// in its own language and direction, linked to its online edition when
/// it has one; this edition's name unlinked. `None` with no translations.
fn editions_line(m: &Meta) -> Option<String> {
    if m.editions.len() < 2 {
        return None;
    }
    let names: Vec<String> = m
        .editions
        .iter()
        .map(|e| {
            let lang = format!(
                "lang=\"{0}\" xml:lang=\"{0}\" dir=\"{1}\"",
                esc(&e.lang),
                e.dir.as_str()
            );
            match (&e.online, e.this) {
                (_, true) => format!("<span class=\"this\" {lang}>{}</span>", esc(&e.name)),
                (Some(url), false) => format!(
                    "<a href=\"{}\" hreflang=\"{}\" {lang}>{}</a>",
                    esc(&encode_url(url)),
                    esc(&e.lang),
                    esc(&e.name)
                ),
                (None, false) => format!("<span {lang}>{}</span>", esc(&e.name)),
            }
        })
        .collect();
    Some(names.join(" · "))
}

/// An address as a reader types it: without its scheme, `www.` and the
/// closing slash.
fn shown_address(url: &str) -> &str {
    let s = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    s.strip_prefix("www.").unwrap_or(s).trim_end_matches('/')
}

/// The cover page around the cover image.
pub(crate) fn cover_page(doc: &Document, href: &str) -> String {
    let labels = labels(&doc.meta.language());
    let body = format!(
        "<section class=\"cover\" epub:type=\"cover\" aria-label=\"{}\">\n<img role=\"doc-cover\" src=\"{}\" alt=\"{}\"/>\n</section>\n",
        esc(labels.cover),
        esc(href),
        esc(&format!("{}: {}", labels.cover, shown_title(doc)))
    );
    page(&doc.meta, &shown_title(doc), &body)
}

/// The text of the statement: its heading, body, signature and notes.
pub(crate) struct Chapter {
    pub xhtml: String,
    pub toc: Vec<TocEntry>,
    /// The page breaks it marks, in order: (id, folio).
    pub pages: Vec<PageTarget>,
}

/// Where the printed edition's pages begin in a text: before its
/// top-level block `k` (before the title for block 0; `blocks.len()`: before
/// the slogans and the signature), the folios of the pages that begin
/// there, in order.
pub(crate) type PageBreaks = BTreeMap<usize, Vec<String>>;

/// A page break in a text, for the page list: its id and its folio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageTarget {
    pub id: String,
    pub folio: String,
}

/// Writes the statement's text. `images` maps each image's source path to
/// its href inside the book.
/// What a text file of the e-book is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChapterKind {
    /// A statement's own e-book (its title page comes first).
    Statement,
    /// A statement in an anthology: the subtitle follows the title.
    InBook,
    /// An anthology's preface (front matter).
    Preface,
}

pub(crate) fn chapter(
    doc: &Document,
    images: &HashMap<String, String>,
    kind: ChapterKind,
    breaks: Option<&PageBreaks>,
    chapters: Option<&HashMap<PathBuf, String>>,
) -> Chapter {
    let title_block = kind == ChapterKind::InBook;
    let m = &doc.meta;
    let mut w = Writer {
        out: String::new(),
        doc,
        images,
        marks: marks_for(&m.language(), m.region().as_deref()),
        labels: labels(&m.language()),
        quoter: Quoter::new(),
        toc: Vec::new(),
        outline: Outline::new(doc),
        refs: vec![0; doc.footnotes.len()],
        breaks,
        pages: Vec::new(),
        chapters,
    };
    let title = shown_title(doc);
    w.out.push_str(match kind {
        ChapterKind::Preface => "<section class=\"text\" epub:type=\"frontmatter preface\" role=\"doc-preface\" aria-labelledby=\"title\">\n",
        _ => "<section class=\"text\" epub:type=\"bodymatter chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n",
    });
    // The page the text opens on begins with its title.
    w.page_breaks(0);
    let _ = writeln!(
        w.out,
        "<h1 id=\"title\" class=\"chapter-title\">{}</h1>",
        esc(&title)
    );
    if title_block && let Some(sub) = &m.subtitle {
        let _ = writeln!(
            w.out,
            "<p class=\"subtitle\">{}</p>",
            esc(&Quoter::new().smarten(sub, &w.marks))
        );
    }
    w.toc.push(TocEntry {
        level: 1,
        id: "title".into(),
        text: title.clone(),
    });
    for (k, block) in doc.blocks.iter().enumerate() {
        if k > 0 {
            w.page_breaks(k);
        }
        w.block(block);
    }
    if !doc.blocks.is_empty() {
        w.page_breaks(doc.blocks.len());
    }
    if !m.slogans.is_empty() {
        w.out.push_str("<div class=\"slogans\">\n");
        for s in &m.slogans {
            let _ = writeln!(w.out, "<p>{}</p>", esc(&Quoter::new().smarten(s, &w.marks)));
        }
        w.out.push_str("</div>\n");
    }
    if !m.authors.is_empty() || place_date(m).is_some() || m.url.is_some() {
        w.out.push_str("<footer class=\"signature\">\n");
        if !m.authors.is_empty() {
            let names: Vec<String> = m
                .authors
                .iter()
                .map(|a| esc(&Quoter::new().smarten(a, &w.marks)))
                .collect();
            let _ = writeln!(
                w.out,
                "<p class=\"signatories\">{}</p>",
                names.join("<br/>")
            );
        }
        if let Some(pd) = place_date(m) {
            let _ = writeln!(w.out, "<p class=\"place-date\">{}</p>", esc(&pd));
        }
        if let Some(url) = &m.url {
            let _ = writeln!(
                w.out,
                "<p class=\"url\"><a href=\"{}\">{}</a></p>",
                esc(&encode_url(url)),
                esc(url)
            );
        }
        w.out.push_str("</footer>\n");
    }
    w.notes();
    w.out.push_str("</section>\n");
    Chapter {
        xhtml: page(m, &title, &w.out),
        toc: w.toc,
        pages: w.pages,
    }
}

struct Writer<'d> {
    out: String,
    doc: &'d Document,
    images: &'d HashMap<String, String>,
    marks: Marks,
    labels: &'static Labels,
    quoter: Quoter,
    toc: Vec<TocEntry>,
    /// The headings' levels (h1 is the title: level 1 is h2).
    outline: Outline,
    /// How often each footnote has been referenced so far.
    refs: Vec<usize>,
    /// Where the printed pages begin, and the breaks marked so far.
    breaks: Option<&'d PageBreaks>,
    pages: Vec<PageTarget>,
    /// In an anthology: each statement's file in the book, by its source.
    chapters: Option<&'d HashMap<PathBuf, String>>,
}

impl Writer<'_> {
    /// A link inside the project: to a heading of this text (`#h-2`), to
    /// another statement's file in an anthology, or to its online edition;
    /// else its text.
    fn xref(&mut self, x: &Xref) {
        let heading = |k: Option<usize>| k.map_or(String::new(), |k| format!("#h-{k}"));
        let href = x
            .target
            .as_ref()
            .and_then(|t| match (&t.source, self.chapters) {
                (None, _) => t.heading.map(|k| format!("#h-{k}")),
                (Some(source), Some(chapters)) if chapters.contains_key(source) => {
                    Some(format!("{}{}", chapters[source], heading(t.heading)))
                }
                (Some(_), _) => t.online.as_ref().map(|u| encode_url(u)),
            });
        match href {
            Some(href) => {
                let _ = write!(self.out, "<a href=\"{}\">", esc(&href));
                self.inlines(&x.content);
                self.out.push_str("</a>");
            }
            None => self.inlines(&x.content),
        }
    }

    /// Marks the printed pages that begin before top-level block `k`.
    fn page_breaks(&mut self, k: usize) {
        let Some(folios) = self.breaks.and_then(|b| b.get(&k)) else {
            return;
        };
        for folio in folios {
            // An id from the folio (a number, or roman numerals), kept
            // unique in the file.
            let base: String = folio
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let mut id = format!("page-{base}");
            let mut n = 1;
            while self.pages.iter().any(|p| p.id == id) {
                n += 1;
                id = format!("page-{base}-{n}");
            }
            let _ = writeln!(
                self.out,
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{}\"></span>",
                esc(folio)
            );
            self.pages.push(PageTarget {
                id,
                folio: folio.clone(),
            });
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, block: &Block) {
        self.quoter = Quoter::new();
        match &block.kind {
            BlockKind::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            BlockKind::Heading { level, content } => {
                // h2 and below (h1 is the title); HTML has six levels.
                let level = (self.outline.level(*level) + 1).min(6);
                let id = format!("h-{}", self.toc.len());
                let _ = write!(self.out, "<h{level} id=\"{id}\">");
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
                self.toc.push(TocEntry {
                    level,
                    id,
                    text: smarten(self.doc, plain_text(content).trim()),
                });
            }
            BlockKind::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            BlockKind::List(list) => {
                let tag = if list.start.is_some() { "ol" } else { "ul" };
                let mut class = Vec::new();
                if list.items.iter().any(|i| i.task.is_some()) {
                    class.push("tasks");
                }
                if !list.tight {
                    class.push("loose");
                }
                let _ = write!(self.out, "<{tag}");
                if let Some(start) = list.start.filter(|s| *s != 1) {
                    let _ = write!(self.out, " start=\"{start}\"");
                }
                if !class.is_empty() {
                    let _ = write!(self.out, " class=\"{}\"", class.join(" "));
                }
                self.out.push_str(">\n");
                for item in &list.items {
                    self.out.push_str("<li>");
                    if let Some(done) = item.task {
                        let (mark, word) = if done {
                            ("☒", self.labels.done)
                        } else {
                            ("☐", self.labels.open)
                        };
                        let _ = write!(
                            self.out,
                            "<span class=\"task\" role=\"img\" aria-label=\"{}\">{mark}</span> ",
                            esc(word)
                        );
                    }
                    // A tight item's paragraph needs no <p>.
                    match item.blocks.as_slice() {
                        [
                            Block {
                                kind: BlockKind::Paragraph(inlines),
                                ..
                            },
                            rest @ ..,
                        ] if list.tight => {
                            self.quoter = Quoter::new();
                            self.inlines(inlines);
                            if !rest.is_empty() {
                                self.out.push('\n');
                                self.blocks(rest);
                            }
                        }
                        blocks => {
                            self.out.push('\n');
                            self.blocks(blocks);
                        }
                    }
                    self.out.push_str("</li>\n");
                }
                let _ = writeln!(self.out, "</{tag}>");
            }
            BlockKind::CodeBlock { lang, code } => {
                let class = lang
                    .as_deref()
                    .map(|l| format!(" class=\"language-{}\"", esc(l)))
                    .unwrap_or_default();
                let _ = writeln!(self.out, "<pre><code{class}>{}</code></pre>", esc(code));
            }
            BlockKind::Html(html) => {
                let _ = writeln!(
                    self.out,
                    "<pre class=\"html\"><code>{}</code></pre>",
                    esc(html)
                );
            }
            BlockKind::ThematicBreak => self.out.push_str("<hr/>\n"),
            BlockKind::Table(t) => self.table(t),
            BlockKind::Figure(img) => {
                self.out.push_str("<figure>\n");
                self.image(img);
                if let Some(title) = &img.title {
                    let t = Quoter::new().smarten(title, &self.marks);
                    let _ = write!(self.out, "\n<figcaption>{}</figcaption>", esc(&t));
                }
                self.out.push_str("\n</figure>\n");
            }
        }
    }

    fn table(&mut self, t: &Table) {
        let class = |i: usize| match t.align.get(i) {
            Some(Align::Left) => " class=\"left\"",
            Some(Align::Center) => " class=\"center\"",
            Some(Align::Right) => " class=\"right\"",
            _ => "",
        };
        let columns = t.align.len().max(1);
        self.out.push_str("<table>\n");
        if !t.header.is_empty() {
            self.out.push_str("<thead>\n<tr>");
            for i in 0..columns {
                let cell = t.header.get(i).filter(|c| !plain_text(c).trim().is_empty());
                // An empty header cell heads nothing: a plain cell.
                let tag = if cell.is_some() { "th" } else { "td" };
                let scope = if cell.is_some() { " scope=\"col\"" } else { "" };
                let _ = write!(self.out, "<{tag}{scope}{}>", class(i));
                self.quoter = Quoter::new();
                if let Some(cell) = cell {
                    self.inlines(cell);
                }
                let _ = write!(self.out, "</{tag}>");
            }
            self.out.push_str("</tr>\n</thead>\n");
        }
        self.out.push_str("<tbody>\n");
        for row in &t.rows {
            self.out.push_str("<tr>");
            for i in 0..columns {
                let _ = write!(self.out, "<td{}>", class(i));
                self.quoter = Quoter::new();
                if let Some(cell) = row.get(i) {
                    self.inlines(cell);
                }
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table>\n");
    }

    fn image(&mut self, img: &Image) {
        let src = self
            .images
            .get(&img.src)
            .cloned()
            .unwrap_or_else(|| img.src.clone());
        let _ = write!(
            self.out,
            "<img src=\"{}\" alt=\"{}\"/>",
            esc(&src),
            esc(&img.alt)
        );
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn wrapped(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(t) => {
                let s = self.quoter.smarten(t, &self.marks);
                self.out.push_str(&esc(&s));
            }
            Inline::Html(h) => {
                self.out.push_str(&esc(h));
                if let Some(c) = h.chars().last() {
                    self.quoter.saw(c);
                }
            }
            Inline::Emph(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strike(c) => self.wrapped("s", c),
            Inline::Code(code) => {
                let _ = write!(self.out, "<code>{}</code>", esc(code));
                self.quoter.saw('x');
            }
            Inline::Link { url, content } if url.trim().is_empty() => self.inlines(content),
            Inline::Link { url, content } => {
                let _ = write!(self.out, "<a href=\"{}\">", esc(&encode_url(url)));
                self.inlines(content);
                self.out.push_str("</a>");
            }
            Inline::Xref(x) => self.xref(x),
            Inline::Image(img) => {
                self.image(img);
                self.quoter.saw('\u{FFFC}');
            }
            Inline::FootnoteRef { index, .. } => {
                self.refs[*index] += 1;
                let n = index + 1;
                let id = if self.refs[*index] == 1 {
                    format!("fnref-{n}")
                } else {
                    format!("fnref-{n}-{}", self.refs[*index])
                };
                let _ = write!(
                    self.out,
                    "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" id=\"{id}\" href=\"#fn-{n}\">{n}</a></sup>"
                );
            }
            Inline::SoftBreak => {
                self.out.push('\n');
                self.quoter.saw(' ');
            }
            Inline::HardBreak => {
                self.out.push_str("<br/>\n");
                self.quoter.saw(' ');
            }
        }
    }

    /// The notes, at the end of the text, where every reader shows them.
    fn notes(&mut self) {
        // Notes are written in their order; one may reference another (also
        // an earlier one), so go on until every referenced note is out.
        let doc = self.doc;
        let mut written = vec![false; doc.footnotes.len()];
        let mut any = false;
        while let Some(i) = (0..written.len()).find(|i| !written[*i] && self.refs[*i] > 0) {
            written[i] = true;
            if !any {
                any = true;
                let _ = writeln!(
                    self.out,
                    "<section class=\"notes\" epub:type=\"footnotes\" aria-label=\"{}\">\n<hr/>",
                    esc(self.labels.notes)
                );
            }
            let n = i + 1;
            let note = &doc.footnotes[i];
            // The body, written apart so the number can open its first paragraph.
            let outer = std::mem::take(&mut self.out);
            if note.blocks.is_empty() {
                let _ = writeln!(self.out, "<p>{}</p>", esc(&format!("[^{}]", note.name)));
            } else {
                self.blocks(&note.blocks);
            }
            let mut body = std::mem::replace(&mut self.out, outer);
            let number = format!("<span class=\"note-number\">{n}.</span> ");
            if body.starts_with("<p>") {
                body.insert_str(3, &number);
            } else {
                body.insert_str(0, &format!("<p>{number}</p>\n"));
            }
            // A link back to every reference.
            let back: String = (1..=self.refs[i])
                .map(|k| {
                    let (id, mark) = if k == 1 {
                        (format!("fnref-{n}"), "↩".to_string())
                    } else {
                        (format!("fnref-{n}-{k}"), format!("↩{k}"))
                    };
                    format!(
                        " <a href=\"#{id}\" role=\"doc-backlink\" aria-label=\"{}\">{mark}</a>",
                        esc(self.labels.back)
                    )
                })
                .collect();
            if body.ends_with("</p>\n") {
                body.truncate(body.len() - "</p>\n".len());
                body.push_str(&back);
                body.push_str("</p>\n");
            } else {
                body.push_str(&format!("<p>{}</p>\n", back.trim_start()));
            }
            let _ = writeln!(
                self.out,
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-{n}\">"
            );
            self.out.push_str(&body);
            self.out.push_str("</aside>\n");
        }
        if any {
            self.out.push_str("</section>\n");
        }
    }
}

/// The page list: a link to every page break of the text files, as
/// (file, break), in the book's order. Nothing when there are none.
fn page_list(b: &mut String, labels: &Labels, pages: &[(String, PageTarget)]) {
    if pages.is_empty() {
        return;
    }
    let _ = writeln!(
        b,
        "<nav epub:type=\"page-list\" id=\"page-list\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>",
        esc(labels.pages)
    );
    for (href, p) in pages {
        let _ = writeln!(
            b,
            "<li><a href=\"{}#{}\">{}</a></li>",
            esc(href),
            esc(&p.id),
            esc(&p.folio)
        );
    }
    b.push_str("</ol>\n</nav>\n");
}

/// The navigation document: the table of contents, the landmarks and the
/// page list.
pub(crate) fn nav(
    doc: &Document,
    toc: &[TocEntry],
    text_href: &str,
    has_cover: bool,
    pages: &[PageTarget],
) -> String {
    let labels = labels(&doc.meta.language());
    let mut b = format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">{}</h1>\n<ol>\n",
        esc(labels.contents)
    );
    // Nested lists from the heading levels.
    let mut depth = 1u8;
    let mut first = true;
    for e in toc {
        let level = e.level.max(1);
        if first {
            first = false;
        } else if level > depth {
            for _ in depth..level {
                b.push_str("\n<ol>\n");
            }
        } else {
            b.push_str("</li>\n");
            for _ in level..depth {
                b.push_str("</ol>\n</li>\n");
            }
        }
        depth = level;
        let href = if e.level == 1 {
            text_href.to_string()
        } else {
            format!("{text_href}#{}", e.id)
        };
        let _ = write!(b, "<li><a href=\"{}\">{}</a>", esc(&href), esc(&e.text));
    }
    b.push_str("</li>\n");
    for _ in 1..depth {
        b.push_str("</ol>\n</li>\n");
    }
    b.push_str("</ol>\n</nav>\n");
    let _ = writeln!(
        b,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>",
        esc(labels.landmarks)
    );
    if has_cover {
        let _ = writeln!(
            b,
            "<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>",
            esc(labels.cover)
        );
    }
    let _ = writeln!(
        b,
        "<li><a epub:type=\"titlepage\" href=\"titlepage.xhtml\">{}</a></li>",
        esc(labels.title_page)
    );
    let _ = writeln!(
        b,
        "<li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>",
        esc(text_href),
        esc(labels.text)
    );
    b.push_str("</ol>\n</nav>\n");
    let pages: Vec<(String, PageTarget)> = pages
        .iter()
        .map(|p| (text_href.to_string(), p.clone()))
        .collect();
    page_list(&mut b, labels, &pages);
    page(&doc.meta, labels.contents, &b)
}

/// What an anthology's contents list holds: the preface, then each group
/// heading (none when not grouped) with its statements, as (href, title).
pub(crate) struct BookNav {
    pub preface: Option<NavLink>,
    /// Group headings (with the language they are written in, for a
    /// grouping by language) and their statements.
    pub groups: Vec<(Option<GroupHeading>, Vec<NavLink>)>,
    /// The page breaks of the text files, as (file, break), in order.
    pub pages: Vec<(String, PageTarget)>,
}

/// A group heading, and its language when it differs by design (a
/// grouping by language names each in itself).
pub(crate) type GroupHeading = (String, Option<(String, Dir)>);

/// A file of the book, its title, and the title's language and direction.
pub(crate) struct NavLink {
    pub href: String,
    pub title: String,
    pub lang: String,
    pub dir: Dir,
    /// The statement's other editions in the book, under its entry.
    pub editions: Vec<NavLink>,
}

impl NavLink {
    pub(crate) fn to(href: &str, doc: &Document) -> NavLink {
        NavLink {
            href: href.to_string(),
            title: shown_title(doc),
            lang: doc.meta.lang.clone(),
            dir: doc.meta.dir,
            editions: Vec::new(),
        }
    }

    /// A translation set after its original, by its language's name in itself.
    pub(crate) fn edition(href: &str, doc: &Document) -> NavLink {
        let lang = &doc.meta.lang;
        NavLink {
            title: crate::model::lang::autonym(lang).map_or_else(|| lang.clone(), str::to_string),
            ..NavLink::to(href, doc)
        }
    }

    /// The entry of a statement whose title another in the book shares:
    /// told apart by its organisation and date.
    pub(crate) fn told_apart(mut self, doc: &Document) -> NavLink {
        let m = &doc.meta;
        let parts: Vec<String> = m
            .authors
            .first()
            .cloned()
            .into_iter()
            .chain(m.date.map(|d| long_date(d, &m.language())))
            .collect();
        if !parts.is_empty() {
            self.title = format!("{} ({})", self.title, parts.join(", "));
        }
        self
    }

    /// The link, with `lang` and `dir` where they differ from the book's.
    fn write(&self, b: &mut String, book: &Meta) {
        let mut attrs = String::new();
        if self.lang != book.lang {
            let _ = write!(attrs, " lang=\"{0}\" xml:lang=\"{0}\"", esc(&self.lang));
        }
        if self.dir != book.dir {
            let _ = write!(attrs, " dir=\"{}\"", self.dir.as_str());
        }
        let _ = write!(
            b,
            "<a href=\"{}\"{attrs}>{}</a>",
            esc(&self.href),
            esc(&self.title)
        );
    }
}

/// The navigation document of an anthology: every statement, nested under
/// its group heading, and the landmarks.
pub(crate) fn book_nav(book: &Document, nav: &BookNav) -> String {
    let labels = labels(&book.meta.language());
    let mut b = format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">{}</h1>\n<ol>\n",
        esc(labels.contents)
    );
    let link = |b: &mut String, l: &NavLink| {
        b.push_str("<li>");
        l.write(b, &book.meta);
        if !l.editions.is_empty() {
            b.push_str("\n<ol>\n");
            for e in &l.editions {
                b.push_str("<li>");
                e.write(b, &book.meta);
                b.push_str("</li>\n");
            }
            b.push_str("</ol>\n");
        }
        b.push_str("</li>\n");
    };
    if let Some(l) = &nav.preface {
        link(&mut b, l);
    }
    for (heading, list) in &nav.groups {
        match heading {
            Some((h, lang)) => {
                // A group heading is not a place to go: its first statement is.
                let first = list.first().map_or("", |l| l.href.as_str());
                let heading = NavLink {
                    editions: Vec::new(),
                    href: first.to_string(),
                    title: h.clone(),
                    lang: lang
                        .as_ref()
                        .map_or(book.meta.lang.clone(), |(l, _)| l.clone()),
                    dir: lang.as_ref().map_or(book.meta.dir, |(_, d)| *d),
                };
                b.push_str("<li>");
                heading.write(&mut b, &book.meta);
                b.push_str("\n<ol>\n");
                for l in list {
                    link(&mut b, l);
                }
                b.push_str("</ol>\n</li>\n");
            }
            None => {
                for l in list {
                    link(&mut b, l);
                }
            }
        }
    }
    b.push_str("</ol>\n</nav>\n");
    let first = nav
        .groups
        .iter()
        .flat_map(|(_, l)| l)
        .next()
        .map_or("titlepage.xhtml", |l| l.href.as_str());
    let _ = writeln!(
        b,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-label=\"{}\" hidden=\"hidden\">\n<ol>\n<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n<li><a epub:type=\"titlepage\" href=\"titlepage.xhtml\">{}</a></li>\n<li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>\n</ol>\n</nav>",
        esc(labels.landmarks),
        esc(labels.cover),
        esc(labels.title_page),
        esc(first),
        esc(labels.text)
    );
    page_list(&mut b, labels, &nav.pages);
    page(&book.meta, labels.contents, &b)
}
