//! What is built into the binary: the layouts (a project's own
//! `layouts/NAME.typ` replaces any of them) and the e-book cover.

use std::path::{Path, PathBuf};

use crate::model::diagnostics::nearest;

/// The layouts built into the binary, by name.
pub(crate) const BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    ("leaflet", include_str!("../../layouts/leaflet.typ")),
    ("booklet", include_str!("../../layouts/booklet.typ")),
    ("book", include_str!("../../layouts/book.typ")),
];

/// The built-in e-book cover (`layouts/cover.typ`), overridable like a layout.
pub(crate) const BUILTIN_COVER: &str = include_str!("../../layouts/cover.typ");

/// The built-in layout of parallel editions (`layouts/parallel.typ`):
/// not a statement's layout, but overridable like one.
pub(crate) const BUILTIN_PARALLEL: &str = include_str!("../../layouts/parallel.typ");

/// The project's own `layouts/NAME.typ`, if it has one.
pub(crate) fn own_layout(root: &Path, name: &str) -> Option<PathBuf> {
    let path = root.join("layouts").join(format!("{name}.typ"));
    path.is_file().then_some(path)
}

/// Every built-in file under `layouts/`: the layouts, what they share
/// (`base`), the cover, and the parallel edition's. A project's `layouts/NAME.typ` replaces any.
pub(crate) fn builtin_file(name: &str) -> Option<&'static str> {
    const SUPPORT: &[(&str, &str)] = &[
        ("base", include_str!("../../layouts/base.typ")),
        ("cover", BUILTIN_COVER),
        ("parallel", BUILTIN_PARALLEL),
    ];
    BUILTIN_LAYOUTS
        .iter()
        .chain(SUPPORT)
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

pub(crate) fn builtin_names() -> String {
    BUILTIN_LAYOUTS
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What to say of a statement's layout name that names no layout: the
/// nearest one there is (built in, or the project's own), and the choices.
pub(crate) fn layout_hint(root: &Path, name: &str) -> String {
    // (`book` is the anthology's, not a statement's.)
    let builtin: Vec<&str> = BUILTIN_LAYOUTS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| *n != "book")
        .collect();
    let mut known: Vec<String> = builtin.iter().map(|n| n.to_string()).collect();
    if let Ok(entries) = std::fs::read_dir(root.join("layouts")) {
        for path in entries.flatten().map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "typ")
                && let Some(stem) = path.file_stem()
            {
                known.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let choices = format!(
        "the built-in layouts are {}; a project's own go in layouts/NAME.typ",
        builtin.join(", ")
    );
    match nearest(name, &known) {
        Some(n) => format!("did you mean `{n}`? {choices}"),
        None => choices,
    }
}
