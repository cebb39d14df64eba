//! The model: what a statement is once read (`Document`, `Meta`, blocks
//! and inlines with their source lines), the diagnostics that point into a
//! user's files, and what both writers need to know about languages
//! (direction, dates, quotation marks) and names.
//!
//! Imports nothing above it: no other stage of the crate.

pub mod dates;
pub(crate) mod diagnostics;
pub mod document;
pub(crate) mod lang;
pub mod names;
pub(crate) mod quotes;
pub mod structure;
pub mod units;

/// The hex SHA-256 of some parts, each length-prefixed so that no two
/// lists of parts run together into the same bytes: the key of what a
/// product or a compilation was made from, and the hash of a file read.
pub(crate) fn digest(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
