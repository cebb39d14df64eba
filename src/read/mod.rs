//! Reading: text into a `Document`. The front matter is split off and read
//! into `Meta`, the Markdown parsed by comrak into blocks and inlines, and a
//! bare statement finished (split paragraphs joined, dashes set) and its
//! title, signature and slogans inferred.
//!
//! Imports `model` only.

pub(crate) mod finish;
pub(crate) mod frontmatter;
pub(crate) mod infer;
pub mod markdown;
