//! Writing: a `Document` (or the anthology's plan) into text. `typst/`
//! writes the Typst source of a leaflet, a book, a slice of a book and
//! imposed sheets; `epub/` the XHTML, CSS and package documents of an
//! e-book. No I/O, no Typst compilation: every function here is text in,
//! text out.
//!
//! Imports `model` and `project` (for settings and the plan).

pub(crate) mod epub;
pub mod typst;
