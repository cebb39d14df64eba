//! Links between statements: `[as we said](strike.md)`,
//! `[our demands](strike.md#our-demands)` and `[below](#our-demands)`,
//! found among the statements read. A link to a statement or a heading
//! that is not there is an error at its line, with the nearest name as a
//! hint.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::diagnostics::{Diagnostic, nearest};
use crate::model::document::XrefTarget;
use crate::model::lang::file_lang;
use crate::project::statement::Loaded;

/// What a link can point at in one statement.
struct Known {
    path: PathBuf,
    /// The file as it is on disk, to compare paths however they were given.
    real: PathBuf,
    anchors: Vec<String>,
    online: Option<String>,
    lang: String,
    /// The original among its editions (or a statement with none).
    original: bool,
}

/// Resolves every statement's links. Returns the errors (links to nothing)
/// and puts a warning on each statement whose links to others are set as
/// plain text outside the anthology (no online edition to link to).
pub fn resolve(all: &mut [&mut Loaded]) -> Vec<Diagnostic> {
    let known: Vec<Known> = all
        .iter()
        .map(|l| {
            let doc = &l.doc;
            Known {
                path: doc.path.clone(),
                real: doc.path.canonicalize().unwrap_or_else(|_| doc.path.clone()),
                anchors: doc.anchors.clone(),
                online: doc.meta.online.clone(),
                lang: doc.meta.lang.clone(),
                original: doc.meta.editions.first().is_none_or(|e| e.this),
            }
        })
        .collect();
    let by_real: HashMap<&Path, usize> = known
        .iter()
        .enumerate()
        .map(|(i, k)| (k.real.as_path(), i))
        .collect();
    let mut errors = Vec::new();
    for (i, loaded) in all.iter_mut().enumerate() {
        let this = &known[i];
        let folder = this.real.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut as_text = Vec::new();
        loaded.doc.for_each_xref_mut(|x| {
            let at = |message: String| Diagnostic::new(&this.path, x.line, message);
            let target = match &x.file {
                None => i,
                Some(file) => match find(&folder, file, this, &known, &by_real) {
                    Some(t) => t,
                    None => {
                        errors.push(missing_statement(at, file, &folder, &known));
                        return;
                    }
                },
            };
            let heading = match &x.anchor {
                None => None,
                Some(anchor) => match heading(&known[target].anchors, anchor) {
                    Some(k) => Some(k),
                    None => {
                        errors.push(missing_heading(
                            at,
                            anchor,
                            x.file.as_deref(),
                            &known[target],
                        ));
                        return;
                    }
                },
            };
            let online = known[target].online.as_ref().map(|url| match &x.anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            });
            if x.file.is_some() && online.is_none() {
                as_text.push((x.line, x.file.clone().unwrap_or_default()));
            }
            x.target = Some(XrefTarget {
                source: x.file.as_ref().map(|_| known[target].path.clone()),
                heading,
                online,
            });
        });
        if let Some((line, file)) = as_text.first() {
            loaded.warnings.push(
                Diagnostic::warning(
                    &this.path,
                    *line,
                    format!(
                        "the link to `{file}` is set as plain text in the leaflet and its e-book{}: no online edition is known",
                        match as_text.len() {
                            1 => String::new(),
                            2 => " (and 1 more link to a statement)".to_string(),
                            n => format!(" (and {} more links to statements)", n - 1),
                        }
                    ),
                )
                .hint("set `online` under [project] in pamphleteer.toml to link to where the statements are read online; in the anthology it links to the statement"),
            );
        }
    }
    errors
}

/// The statement a link names: the file itself, or for `strike.md` the
/// editions `strike.LANG.md` beside it (the one in the linking text's
/// language, else the original).
fn find(
    folder: &Path,
    file: &str,
    this: &Known,
    known: &[Known],
    by_real: &HashMap<&Path, usize>,
) -> Option<usize> {
    let path = folder.join(file);
    if let Some(i) = path
        .canonicalize()
        .ok()
        .and_then(|p| by_real.get(p.as_path()).copied())
    {
        return Some(i);
    }
    let stem = Path::new(file).file_stem()?.to_str()?;
    let parent = path.parent()?.canonicalize().ok()?;
    let editions: Vec<usize> = (0..known.len())
        .filter(|&j| {
            known[j].real.parent() == Some(parent.as_path())
                && file_lang(&known[j].real).is_some_and(|(name, _)| name == stem)
        })
        .collect();
    editions
        .iter()
        .copied()
        .find(|&j| known[j].lang.eq_ignore_ascii_case(&this.lang))
        .or_else(|| editions.iter().copied().find(|&j| known[j].original))
}

/// The heading an anchor names (from 1): as written, or in other case.
fn heading(anchors: &[String], anchor: &str) -> Option<usize> {
    anchors
        .iter()
        .position(|a| a == anchor)
        .or_else(|| {
            anchors
                .iter()
                .position(|a| a.to_lowercase() == anchor.to_lowercase())
        })
        .map(|k| k + 1)
}

fn missing_statement(
    at: impl Fn(String) -> Diagnostic,
    file: &str,
    folder: &Path,
    known: &[Known],
) -> Diagnostic {
    // The statements as a link from here names them.
    let names: Vec<String> = known.iter().map(|k| relative(&k.real, folder)).collect();
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match nearest(file, &candidates) {
        Some(name) => format!("did you mean `{name}`?"),
        None => {
            "link to a statement of the project by its file name, relative to this one (`other.md`)"
                .into()
        }
    };
    at(format!(
        "the link to `{file}` leads to no statement of the project"
    ))
    .hint(hint)
}

fn missing_heading(
    at: impl Fn(String) -> Diagnostic,
    anchor: &str,
    file: Option<&str>,
    target: &Known,
) -> Diagnostic {
    let candidates: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
    let hint = match (nearest(anchor, &candidates), candidates.as_slice()) {
        (Some(a), _) => format!("did you mean `#{a}`?"),
        (None, []) => "it has no headings: link to the statement itself".into(),
        (None, all) => format!(
            "its headings are {}",
            all.iter()
                .map(|a| format!("`#{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let place = match file {
        Some(f) => format!("in `{f}`"),
        None => "in this statement".into(),
    };
    at(format!("there is no heading `#{anchor}` {place}")).hint(hint)
}

/// A path as a link from `folder` writes it (`strike.md`, `../2025/x.md`).
fn relative(path: &Path, folder: &Path) -> String {
    let mut up = folder;
    let mut prefix = String::new();
    loop {
        if let Ok(rest) = path.strip_prefix(up) {
            return format!("{prefix}{}", rest.display());
        }
        match up.parent() {
            Some(p) => {
                up = p;
                prefix.push_str("../");
            }
            None => return path.display().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::translations::tests::project as read;

    fn targets(l: &Loaded) -> Vec<(Option<String>, Option<usize>)> {
        let mut doc = l.doc.clone();
        let mut found = Vec::new();
        doc.for_each_xref_mut(|x| {
            let t = x.target.clone().unwrap();
            found.push((
                t.source
                    .map(|s| s.file_name().unwrap().to_string_lossy().into_owned()),
                t.heading,
            ));
        });
        found
    }

    #[test]
    fn links_find_statements_headings_and_the_edition_in_the_text_s_language() {
        let (_d, mut loaded) = read(&[
            (
                "a.md",
                "---\ntitle: A\n---\n## Our demands\n\nSee [below](#the-strike), [B](b.md), [its end](b.md#the-end), [the strike](strike.md).\n\n## The strike\n\nText.\n",
            ),
            ("b.md", "---\ntitle: B\n---\nText.\n\n## The End\n\nMore.\n"),
            ("strike.it.md", "---\ntitle: Sciopero\n---\nTesto.\n"),
            (
                "strike.en.md",
                "---\ntitle: Strike\ntranslator: X\n---\nText.\n",
            ),
        ]);
        let mut all: Vec<&mut Loaded> = loaded.iter_mut().collect();
        crate::project::translations::relate(&mut all, None, None);
        assert!(resolve(&mut all).is_empty());
        assert_eq!(
            targets(&loaded[0]),
            [
                (None, Some(2)),
                (Some("b.md".into()), None),
                (Some("b.md".into()), Some(1)),
                (Some("strike.en.md".into()), None),
            ]
        );
        // Without online editions, the links between statements are text
        // outside the anthology: a warning, at the first.
        let w = &loaded[0].warnings;
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, 6);
        assert!(
            w[0].message
                .contains("the link to `b.md` is set as plain text")
        );
        assert!(w[0].message.contains("and 2 more links"));
    }

    #[test]
    fn a_link_to_nothing_is_an_error_at_its_line_with_the_nearest_name() {
        let (_d, mut loaded) = read(&[
            (
                "a.md",
                "---\ntitle: A\n---\nSee [B](bb.md),\n[C](b.md#the-ned) and [D](#nothing-like-it).\n",
            ),
            ("b.md", "---\ntitle: B\n---\n## The end\n\nText.\n"),
        ]);
        let mut all: Vec<&mut Loaded> = loaded.iter_mut().collect();
        let errors = resolve(&mut all);
        let shown: Vec<(usize, &str, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str(), e.hint.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    4,
                    "the link to `bb.md` leads to no statement of the project",
                    "did you mean `b.md`?"
                ),
                (
                    5,
                    "there is no heading `#the-ned` in `b.md`",
                    "did you mean `#the-end`?"
                ),
                (
                    5,
                    "there is no heading `#nothing-like-it` in this statement",
                    "it has no headings: link to the statement itself"
                ),
            ]
        );
    }
}
