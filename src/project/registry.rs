//! What is built into the binary: the layouts (a project's own
//! `layouts/NAME.typ` replaces any of them) and the e-book cover.

use std::path::{Path, PathBuf};

/// The layouts built into the binary, by name.
pub const BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    ("leaflet", include_str!("../../layouts/leaflet.typ")),
    ("booklet", include_str!("../../layouts/booklet.typ")),
    ("book", include_str!("../../layouts/book.typ")),
];

/// The built-in e-book cover (`layouts/cover.typ`), overridable like a layout.
pub const BUILTIN_COVER: &str = include_str!("../../layouts/cover.typ");

/// The project's own `layouts/NAME.typ`, if it has one.
pub fn own_layout(root: &Path, name: &str) -> Option<PathBuf> {
    let path = root.join("layouts").join(format!("{name}.typ"));
    path.is_file().then_some(path)
}

/// Every built-in file under `layouts/`: the layouts, what they share
/// (`base`), and the cover. A project's `layouts/NAME.typ` replaces any.
pub fn builtin_file(name: &str) -> Option<&'static str> {
    const SUPPORT: &[(&str, &str)] = &[
        ("base", include_str!("../../layouts/base.typ")),
        ("cover", BUILTIN_COVER),
    ];
    BUILTIN_LAYOUTS
        .iter()
        .chain(SUPPORT)
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

pub fn builtin_names() -> String {
    BUILTIN_LAYOUTS
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
