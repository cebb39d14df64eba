//! Translation groups: the editions of one statement in several languages.
//! As in Hugo, files `NAME.LANG.md` in one folder are editions of one
//! statement (`sciopero.it.md`, `sciopero.en.md`), and a front-matter
//! `translation-key` links files named otherwise. One edition is the
//! original (`original: true`, or the only one without a `translator`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::diagnostics::SourceError;
use crate::model::document::Document;
use crate::model::lang::{autonym, name_and_lang};
use crate::project::statement::Loaded;

/// The name without its language and the language a file's name gives
/// (`sources/sciopero.it.md`: `sciopero`, `it`).
pub fn file_lang(path: &Path) -> Option<(String, String)> {
    let stem = path.file_stem()?.to_str()?;
    name_and_lang(stem).map(|(name, tag)| (name.to_string(), tag.to_string()))
}

/// A front-matter `lang` that says otherwise than the file's name is an
/// error at its line.
pub fn check_file_lang(doc: &Document) -> Result<(), Vec<SourceError>> {
    let Some((name, tag)) = file_lang(&doc.path) else {
        return Ok(());
    };
    let line = doc.meta.line_of("lang");
    if line == 0 || doc.meta.lang.eq_ignore_ascii_case(&tag) {
        return Ok(());
    }
    let edition = autonym(&tag).unwrap_or(&tag);
    Err(vec![
        SourceError::new(
            &doc.path,
            line,
            format!(
                "`lang: {}` says otherwise than the file's name, which makes it the {edition} (`{tag}`) edition",
                doc.meta.lang
            ),
        )
        .hint(format!(
            "leave out `lang`, or name the file {name}.{}.md",
            doc.meta.lang
        )),
    ])
}

/// One edition of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub source: PathBuf,
    pub lang: String,
}

/// The editions of one statement, the original first, the others in the
/// order of their language tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The name the editions share (`sciopero`), or their key.
    pub name: String,
    pub editions: Vec<Edition>,
}

impl Group {
    pub fn original(&self) -> &Edition {
        &self.editions[0]
    }
}

/// The translation groups among the statements read: every set of two or
/// more editions that share a folder and a name (`x.it.md`, `x.en.md`) or
/// a `translation-key`. A statement with neither stands alone and is in
/// no group. Two editions of one language, two originals, or no way to
/// tell the original are errors, at the line that says so.
pub fn groups(all: &[&Loaded]) -> Result<Vec<Group>, Vec<SourceError>> {
    // (By key: the folder and name, or the translation key.)
    let mut found: BTreeMap<(String, String), Vec<&Loaded>> = BTreeMap::new();
    for loaded in all {
        let doc = &loaded.doc;
        let key = match (&doc.meta.translation_key, file_lang(&doc.path)) {
            (Some(key), _) => (String::new(), key.clone()),
            (None, Some((name, _))) => (
                doc.path
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                name,
            ),
            (None, None) => continue,
        };
        found.entry(key).or_default().push(loaded);
    }
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    for ((_, name), mut editions) in found {
        if editions.len() < 2 {
            continue;
        }
        editions.sort_by(|a, b| a.doc.meta.lang.cmp(&b.doc.meta.lang));
        for pair in editions.windows(2) {
            if pair[0]
                .doc
                .meta
                .lang
                .eq_ignore_ascii_case(&pair[1].doc.meta.lang)
            {
                let doc = &pair[1].doc;
                errors.push(
                    SourceError::new(
                        &doc.path,
                        doc.meta.line_of("lang"),
                        format!(
                            "{} and {} are both the `{}` edition of `{name}`",
                            pair[0].doc.path.display(),
                            doc.path.display(),
                            doc.meta.lang
                        ),
                    )
                    .hint("give each edition of a statement its own language"),
                );
            }
        }
        match original(&name, &editions) {
            Ok(i) => {
                let first = editions.remove(i);
                editions.insert(0, first);
                groups.push(Group {
                    name,
                    editions: editions
                        .iter()
                        .map(|l| Edition {
                            source: l.doc.path.clone(),
                            lang: l.doc.meta.lang.clone(),
                        })
                        .collect(),
                });
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(groups)
    } else {
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(errors)
    }
}

/// Which edition is the original: the one marked `original: true`, else
/// the only one without a `translator`.
fn original(name: &str, editions: &[&Loaded]) -> Result<usize, SourceError> {
    let marked: Vec<usize> = (0..editions.len())
        .filter(|i| editions[*i].doc.meta.original == Some(true))
        .collect();
    let at = |i: usize, key: &str| {
        let doc = &editions[i].doc;
        (doc.path.clone(), doc.meta.line_of(key))
    };
    match marked.as_slice() {
        [i] => return Ok(*i),
        [first, second, ..] => {
            let (path, line) = at(*second, "original");
            return Err(SourceError::new(
                &path,
                line,
                format!(
                    "`{name}` has two originals: {} is marked `original: true` too",
                    editions[*first].doc.path.display()
                ),
            )
            .hint("mark one edition of a statement as the original"));
        }
        [] => {}
    }
    let untranslated: Vec<usize> = (0..editions.len())
        .filter(|i| {
            editions[*i].doc.meta.translators.is_empty()
                && editions[*i].doc.meta.original != Some(false)
        })
        .collect();
    if let [i] = untranslated.as_slice() {
        return Ok(*i);
    }
    let (path, _) = at(0, "lang");
    let names: Vec<String> = editions
        .iter()
        .map(|l| l.doc.path.display().to_string())
        .collect();
    Err(SourceError::new(
        &path,
        0,
        format!(
            "which edition of `{name}` is the original? {} of {} ({}) name no translator",
            untranslated.len(),
            editions.len(),
            names.join(", ")
        ),
    )
    .hint("add `original: true` to the original's front matter, or `translator:` to each translation's"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::context::Context;
    use crate::project::fonts::Shared;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Loaded>) {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context::new(dir.path().to_path_buf(), Shared::embedded());
        let mut loaded = Vec::new();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            loaded.push(crate::project::statement::load(&path, &ctx).unwrap());
        }
        (dir, loaded)
    }

    fn names(g: &Group) -> Vec<String> {
        g.editions
            .iter()
            .map(|e| e.source.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn editions_are_grouped_by_file_name_and_by_key() {
        let (_d, loaded) = project(&[
            (
                "sources/sciopero.it.md",
                "---\ntitle: Sciopero\n---\nTesto.\n",
            ),
            (
                "sources/sciopero.en.md",
                "---\ntitle: Strike\ntranslator: A. N. Other\n---\nText.\n",
            ),
            ("sources/alone.md", "---\ntitle: Alone\n---\nText.\n"),
            (
                "sources/2026/streik.md",
                "---\ntitle: Streik\nlang: de\ntranslation-key: sciopero-2026\ntranslator: B\n---\nText.\n",
            ),
            (
                "sources/greve.md",
                "---\ntitle: Grève\nlang: fr\ntranslation-key: sciopero-2026\noriginal: true\n---\nTexte.\n",
            ),
            (
                "sources/other/sciopero.es.md",
                "---\ntitle: Huelga\n---\nTexto.\n",
            ),
        ]);
        let all: Vec<&Loaded> = loaded.iter().collect();
        let groups = groups(&all).unwrap();
        assert_eq!(groups.len(), 2, "{groups:?}");
        let by_key = groups.iter().find(|g| g.name == "sciopero-2026").unwrap();
        assert_eq!(names(by_key), ["greve.md", "streik.md"]);
        let by_name = groups.iter().find(|g| g.name == "sciopero").unwrap();
        // The original first; a file in another folder is not of the group.
        assert_eq!(names(by_name), ["sciopero.it.md", "sciopero.en.md"]);
        assert_eq!(by_name.original().lang, "it");
        assert_eq!(by_name.editions[1].lang, "en");
    }

    #[test]
    fn the_file_name_gives_the_language_and_a_contradiction_is_an_error_at_its_line() {
        let (_d, loaded) = project(&[("x.ru.md", "---\ntitle: Мир\n---\nТекст.\n")]);
        assert_eq!(loaded[0].doc.meta.lang, "ru");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.it.md");
        std::fs::write(&path, "---\ntitle: X\nlang: de\n---\nText.\n").unwrap();
        let ctx = Context::new(dir.path().to_path_buf(), Shared::embedded());
        let errors = crate::project::statement::load(&path, &ctx).err().unwrap();
        assert_eq!(errors[0].line, 3);
        assert!(
            errors[0].message.contains("Italiano (`it`) edition"),
            "{:?}",
            errors[0]
        );
    }

    #[test]
    fn two_originals_one_language_twice_or_no_original_are_errors() {
        let (_d, loaded) = project(&[
            ("a.it.md", "---\ntitle: A\noriginal: true\n---\nT.\n"),
            ("a.en.md", "---\ntitle: A\noriginal: true\n---\nT.\n"),
            ("b.it.md", "---\ntitle: B\n---\nT.\n"),
            ("b.en.md", "---\ntitle: B\n---\nT.\n"),
            ("c.de.md", "---\ntitle: C\ntranslator: X\n---\nT.\n"),
            ("c.fr.md", "---\ntitle: C\ntranslation-key: c\n---\nT.\n"),
        ]);
        let all: Vec<&Loaded> = loaded.iter().collect();
        let errors = groups(&all).err().unwrap();
        let text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
        assert!(
            text.iter().any(|m| m.contains("`a` has two originals")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|m| m.contains("which edition of `b` is the original? 2 of 2")),
            "{text:?}"
        );
        // (c.fr.md has a key, so it is not of `c`'s group: c.de.md alone.)
        assert_eq!(errors.len(), 2, "{text:?}");
        let (_d, loaded) = project(&[
            ("d.it.md", "---\ntitle: D\n---\nT.\n"),
            (
                "d.en.md",
                "---\ntitle: D\nlang: en\ntranslator: Y\n---\nT.\n",
            ),
            (
                "e.md",
                "---\ntitle: E\nlang: it\ntranslation-key: d\n---\nT.\n",
            ),
        ]);
        let all: Vec<&Loaded> = loaded.iter().collect();
        // d.it.md and d.en.md by name; e.md by the key `d`: another group,
        // of one, which stands alone.
        assert_eq!(groups(&all).unwrap().len(), 1);
    }
}
