//! Everything Typst: escaping, the writer, the world.

pub mod escape;
pub mod world;
pub mod writer;
