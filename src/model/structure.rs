//! The structure of a statement, as its translations keep it: the shape of
//! each top-level block (a heading and its level, a paragraph, a list and
//! its items, a quotation and its blocks...), and the pairing of two
//! editions' blocks. `check` compares an edition with its original by
//! these shapes; a parallel edition sets each block beside its counterpart
//! by the same pairing.

use crate::model::document::{BlockKind, Document};

/// The shape of a top-level block: what a translation keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Heading(u8),
    Paragraph,
    List { ordered: bool, items: usize },
    Quote(usize),
    Code,
    Table(usize),
    Break,
    Figure,
    Html,
}

impl Shape {
    pub fn of(kind: &BlockKind) -> Shape {
        match kind {
            BlockKind::Heading { level, .. } => Shape::Heading(*level),
            BlockKind::Paragraph(_) => Shape::Paragraph,
            BlockKind::List(l) => Shape::List {
                ordered: l.start.is_some(),
                items: l.items.len(),
            },
            BlockKind::Quote(b) => Shape::Quote(b.len()),
            BlockKind::CodeBlock { .. } => Shape::Code,
            BlockKind::Table(t) => Shape::Table(t.rows.len()),
            BlockKind::ThematicBreak => Shape::Break,
            BlockKind::Figure(_) => Shape::Figure,
            BlockKind::Html(_) => Shape::Html,
        }
    }

    /// "a heading", "a list of 3 items", for messages.
    pub fn named(self) -> String {
        match self {
            Shape::Heading(level) => format!("a level-{level} heading"),
            Shape::Paragraph => "a paragraph".into(),
            Shape::List { ordered, items } => format!(
                "{} list of {items} item{}",
                if ordered { "a numbered" } else { "a" },
                if items == 1 { "" } else { "s" }
            ),
            Shape::Quote(n) => format!("a quotation of {n} block{}", if n == 1 { "" } else { "s" }),
            Shape::Code => "a code block".into(),
            Shape::Table(n) => format!("a table of {n} row{}", if n == 1 { "" } else { "s" }),
            Shape::Break => "a thematic break".into(),
            Shape::Figure => "a figure".into(),
            Shape::Html => "raw HTML".into(),
        }
    }

    /// Whether two blocks are counterparts even if they differ in detail:
    /// a list that lost an item is still that list, a quotation of two
    /// paragraphs still that quotation.
    fn kin(self, other: Shape) -> bool {
        use Shape::*;
        match (self, other) {
            (List { ordered: a, .. }, List { ordered: b, .. }) => a == b,
            (Quote(_), Quote(_)) | (Table(_), Table(_)) => true,
            (a, b) => a == b,
        }
    }
}

/// A document's top-level blocks' shapes, with their lines.
pub fn shapes(doc: &Document) -> Vec<(Shape, usize)> {
    doc.blocks
        .iter()
        .map(|b| (Shape::of(&b.kind), b.line))
        .collect()
}

/// Pairs the blocks of two editions, in order: by index when their shapes
/// agree block for block (or are kin: a list that lost an item still
/// pairs with its list); otherwise by the longest common subsequence of
/// kin shapes, each block left over in a pair of its own with an empty
/// side (`None`). Every block of each side appears once, in order.
pub fn align(a: &[Shape], b: &[Shape]) -> Vec<(Option<usize>, Option<usize>)> {
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.kin(*y)) {
        return (0..a.len()).map(|i| (Some(i), Some(i))).collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i].kin(b[j]) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && a[i].kin(b[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            out.push((Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Some(i), None));
            i += 1;
        } else {
            out.push((None, Some(j)));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Shape::*;

    const LIST3: Shape = List {
        ordered: false,
        items: 3,
    };
    const LIST2: Shape = List {
        ordered: false,
        items: 2,
    };

    #[test]
    fn agreeing_shapes_pair_by_index() {
        let a = [Heading(2), Paragraph, LIST3, Quote(1)];
        let b = [Heading(2), Paragraph, LIST2, Quote(2)];
        assert_eq!(
            align(&a, &b),
            (0..4).map(|i| (Some(i), Some(i))).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_lost_block_gets_an_empty_cell() {
        let a = [Paragraph, Heading(2), LIST3, Quote(1), Paragraph];
        let b = [Paragraph, Heading(2), LIST3, Quote(1)];
        let pairs = align(&a, &b);
        assert_eq!(pairs.len(), 5);
        assert_eq!(pairs[4], (Some(4), None));
        // A heading missing in the middle: the rest still pairs.
        let b = [Paragraph, LIST3, Quote(1), Paragraph];
        assert_eq!(
            align(&a, &b),
            vec![
                (Some(0), Some(0)),
                (Some(1), None),
                (Some(2), Some(1)),
                (Some(3), Some(2)),
                (Some(4), Some(3)),
            ]
        );
        // Extra on the right.
        let pairs = align(&b, &a);
        assert_eq!(pairs[1], (None, Some(1)));
        // Every block once, in order, on both sides.
        for (x, y) in [(&a[..], &b[..]), (&b[..], &a[..]), (&a[..], &[][..])] {
            let p = align(x, y);
            let left: Vec<usize> = p.iter().filter_map(|q| q.0).collect();
            let right: Vec<usize> = p.iter().filter_map(|q| q.1).collect();
            assert_eq!(left, (0..x.len()).collect::<Vec<_>>());
            assert_eq!(right, (0..y.len()).collect::<Vec<_>>());
        }
    }
}
