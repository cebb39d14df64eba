//! pamphleteer: Markdown statements into leaflet PDFs (Typst, in-process)
//! and, from the same parsed document, e-books.

pub mod anthology;
pub mod batch;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod document;
pub mod epub;
pub mod frontmatter;
pub mod images;
pub mod infer;
pub mod init;
pub mod markdown;
pub mod parallel;
pub mod pdfjoin;
pub mod print;
pub mod project;
pub mod quotes;
pub mod settings;
pub mod typst;
