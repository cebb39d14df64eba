//! The e-book's text: XHTML chapters, navigation, the stylesheet and the
//! OPF package document.

pub(crate) mod css;
pub(crate) mod package;
pub(crate) mod xhtml;
