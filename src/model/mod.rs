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
