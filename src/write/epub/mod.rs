//! The e-book's text: XHTML chapters, navigation, the stylesheet and the
//! OPF package document.

pub mod css;
pub mod package;
pub mod xhtml;
