//! pamphleteer: Markdown statements into leaflet PDFs (Typst, in-process)
//! and, from the same parsed document, e-books and anthologies.
//!
//! The stages, in the order a statement goes through them. One rule of
//! imports: a stage uses the stages above it in this list, never one below
//! it (`tests/architecture.rs` reads the `use crate::` lines and fails on a
//! breach).

pub mod cmd;
pub mod model;
pub mod project;
pub mod read;
pub mod render;
pub mod targets;
pub mod write;
