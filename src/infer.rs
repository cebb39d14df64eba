//! Bare statements: title, subtitle, signature and slogans inferred from a
//! statement pasted without front matter.

use crate::document::{Document, Note};

/// Fills what the front matter left empty from the body's shape, removing
/// the blocks it used; returns one note per inference.
pub fn infer(doc: &mut Document) -> Vec<Note> {
    let _ = doc;
    Vec::new()
}
