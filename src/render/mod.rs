//! Rendering: text into bytes. The Typst World, the one compile-and-report
//! path (`compile`), the products of a statement (`statement`: PDF, press
//! PDF, imposed sheets), the book compiled whole or in parts and joined
//! (`book`, `pdfjoin`), the EPUB packager and its images, the e-book's
//! drawn cover (`cover`), and where the printed pages begin, for the
//! e-book (`pages`); what the live preview shows of a statement
//! (`preview`: its pages as SVG, where each Markdown line was set on
//! them, its e-book text).
//!
//! Imports `model`, `read`, `project` and `write`; never `cmd`. Writes no
//! file: what it makes is returned as bytes for the command to write.

pub(crate) mod book;
pub mod compile;
pub mod cover;
pub mod epub;
pub mod fit;
pub(crate) mod images;
pub mod pages;
pub mod pairs;
pub(crate) mod pdfjoin;
pub mod preview;
pub mod print;
pub mod statement;
pub(crate) mod threads;
pub mod world;

/// The hex SHA-256 of some parts (see [`crate::model::digest`]).
pub(crate) use crate::model::digest;
