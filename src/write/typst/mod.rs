//! The Typst writers. Text reaches Typst only through `escape`.

pub mod book;
pub mod escape;
pub mod sheets;
pub mod statement;
pub mod values;
