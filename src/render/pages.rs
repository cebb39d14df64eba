//! Where the printed pages begin, for the e-book's page list: the Typst
//! writers put an invisible mark before each top-level block of a text and
//! one after its last ([`BLOCK_MARK`]); after the layout, the page each
//! mark landed on says which block each printed page begins with.
//!
//! A page on which no block begins (a long paragraph, list or table runs
//! over it) is marked before the block that runs onto it, after that
//! block's own page: "go to page 7" then lands at the start of the text
//! that continues on page 7, never after it.

use std::collections::BTreeMap;

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::model::Numbering;
use typst_layout::PagedDocument;

use crate::write::epub::xhtml::PageBreaks;
use crate::write::typst::statement::BLOCK_MARK;

/// The page breaks of each text laid out, by the number the writer gave
/// it (0 for a statement alone and a book's preface, a book's statements
/// from 1), with the folios as printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMap {
    texts: BTreeMap<usize, PageBreaks>,
}

/// A text's page breaks as a row: the text, then each block a page
/// begins at with the folios of those pages.
pub type Row = (usize, Vec<(usize, Vec<String>)>);

impl PageMap {
    /// The page breaks of the texts laid out in `document`.
    pub fn of(document: &PagedDocument) -> PageMap {
        let mut map = PageMap::default();
        map.add(document);
        map
    }

    /// Adds the texts laid out in `document` (a part of a book compiled in
    /// parts: its pages carry the book's page numbers).
    pub fn add(&mut self, document: &PagedDocument) {
        // (text, block, page index from 0), in the order of the marks.
        let mut marks: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        let intro = document.introspector();
        let Some(label) = Label::new(typst::utils::PicoStr::intern(BLOCK_MARK)) else {
            return;
        };
        for c in intro.query(&Selector::Label(label)).iter() {
            let Some(m) = c.to_packed::<MetadataElem>() else {
                continue;
            };
            let Value::Array(a) = &m.value else { continue };
            let int = |i: usize| {
                a.as_slice()
                    .get(i)
                    .and_then(|v| v.clone().cast::<i64>().ok())
                    .and_then(|n| usize::try_from(n).ok())
            };
            if let (Some(text), Some(block), Some(page)) =
                (int(0), int(1), c.location().and_then(|l| intro.page(l)))
            {
                marks.entry(text).or_default().push((block, page.get() - 1));
            }
        }
        let folios: Vec<String> = document.pages().iter().map(folio).collect();
        for (text, mut blocks) in marks {
            blocks.sort_unstable();
            blocks.dedup_by_key(|(k, _)| *k);
            self.texts.insert(text, breaks(&blocks, &folios));
        }
    }

    /// Adds the texts of another map (of another part of the same book).
    pub fn extend(&mut self, other: PageMap) {
        self.texts.extend(other.texts);
    }

    /// The map as rows, `(text, [(block, folios)])`, to keep it on disk.
    pub fn rows(&self) -> Vec<Row> {
        self.texts
            .iter()
            .map(|(t, b)| (*t, b.iter().map(|(k, f)| (*k, f.clone())).collect()))
            .collect()
    }

    /// The map from its rows.
    pub fn from_rows(rows: Vec<Row>) -> PageMap {
        PageMap {
            texts: rows
                .into_iter()
                .map(|(t, b)| (t, b.into_iter().collect()))
                .collect(),
        }
    }

    /// The page breaks of text `text`, if it was laid out.
    pub fn text(&self, text: usize) -> Option<&PageBreaks> {
        self.texts.get(&text)
    }

    /// Whether no text was found (a layout without the marks).
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// The page breaks of one text from where its marks landed: `(block,
/// page)` in the blocks' order, the end mark last. Every page from the
/// first block's to the end's is marked once: before the first block that
/// begins on it, else before the block that runs onto it.
fn breaks(blocks: &[(usize, usize)], folios: &[String]) -> PageBreaks {
    let mut out = PageBreaks::new();
    let (Some(first), Some(last)) = (
        blocks.first().map(|b| b.1),
        blocks.iter().map(|b| b.1).max(),
    ) else {
        return out;
    };
    for page in first..=last {
        let at = blocks
            .iter()
            .find(|(_, p)| *p == page)
            .or_else(|| blocks.iter().rev().find(|(_, p)| *p < page));
        if let (Some((k, _)), Some(folio)) = (at, folios.get(page)) {
            out.entry(*k).or_default().push(folio.clone());
        }
    }
    out
}

/// A page's folio as the page numbering prints it (the bare number
/// without a numbering pattern, as the leaflet's "n / N" shows it).
fn folio(page: &typst_layout::Page) -> String {
    match &page.numbering {
        Some(Numbering::Pattern(p)) => p
            .apply(None, &[page.number])
            .map(|s| s.to_string())
            .unwrap_or_else(|_| page.number.to_string()),
        _ => page.number.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folios(n: usize) -> Vec<String> {
        (1..=n).map(|p| p.to_string()).collect()
    }

    #[test]
    fn every_page_is_marked_once_at_a_block_boundary() {
        // Blocks 0-2 on page 1, block 3 from page 2 over 3 and 4, block 4
        // and the end on page 5.
        let marks = [(0, 0), (1, 0), (2, 0), (3, 1), (4, 4), (5, 4)];
        let b = breaks(&marks, &folios(5));
        let want: PageBreaks = [
            (0, vec!["1".to_string()]),
            (3, vec!["2".into(), "3".into(), "4".into()]),
            (4, vec!["5".into()]),
        ]
        .into_iter()
        .collect();
        assert_eq!(b, want);
    }

    #[test]
    fn a_page_that_only_the_signature_begins_is_marked_at_the_end() {
        let b = breaks(&[(0, 0), (1, 0), (2, 1)], &folios(2));
        assert_eq!(b.get(&2), Some(&vec!["2".to_string()]));
    }
}
