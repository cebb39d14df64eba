//! The Typst writers. Text reaches Typst only through `escape`.

pub mod book;
pub(crate) mod escape;
pub mod pairs;
pub mod qr;
pub mod sheets;
pub mod statement;
pub(crate) mod values;
