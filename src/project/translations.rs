//! Translation groups: the editions of one statement in several languages.
//! As in Hugo, files `NAME.LANG.md` in one folder are editions of one
//! statement (`sciopero.it.md`, `sciopero.en.md`), and a front-matter
//! `translation-key` links files named otherwise. One edition is the
//! original (`original: true`, or the only one without a `translator`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::model::diagnostics::Diagnostic;
use crate::model::document::{Dir, Document, EditionRef};
use crate::model::lang::{autonym, file_lang};
use crate::model::structure::{Shape, shapes};
use crate::project::config::OnlinePattern;
use crate::project::statement::Loaded;

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
/// more editions joined by a shared folder and name (`x.it.md`, `x.en.md`),
/// by a shared `translation-key`, or by a key that is such a name in their
/// folder (`translation-key: x` beside `x.it.md`). A statement with none
/// stands alone and is in no group. Two editions of one language, two
/// originals, or no way to tell the original are errors, at the line that
/// says so.
pub fn groups(all: &[&Loaded], language: Option<&str>) -> (Vec<Group>, Vec<Diagnostic>) {
    let found = find(all, language);
    (found.groups, found.errors)
}

/// What [`groups`] finds, with what a build needs besides.
struct Found {
    groups: Vec<Group>,
    errors: Vec<Diagnostic>,
    /// The editions of each group with an error: none of them is built.
    failed: Vec<(String, Vec<PathBuf>)>,
    /// A `translation-key` that links no other edition.
    warnings: Vec<Diagnostic>,
    /// An original taken to be one because it is in the project's language.
    notes: Vec<Diagnostic>,
}

/// The groups among `all`; `language`, the project's, tells the original
/// where nothing else does.
fn find(all: &[&Loaded], language: Option<&str>) -> Found {
    let folder = |l: &Loaded| {
        l.doc
            .path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    // Each edition's tokens; editions that share one are of one group.
    let tokens: Vec<Vec<String>> = all
        .iter()
        .map(|l| {
            let mut t = Vec::new();
            if let Some((name, _)) = file_lang(&l.doc.path) {
                t.push(format!("name:{}/{name}", folder(l)));
            }
            if let Some(key) = &l.doc.meta.translation_key {
                t.push(format!("key:{key}"));
                t.push(format!("name:{}/{key}", folder(l)));
            }
            t
        })
        .collect();
    let mut parent: Vec<usize> = (0..all.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_with: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        for token in t {
            match first_with.get(token.as_str()) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    first_with.insert(token, i);
                }
            }
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        if !t.is_empty() {
            let r = root(&mut parent, i);
            sets.entry(r).or_default().push(i);
        }
    }
    let mut found = Found {
        groups: Vec::new(),
        errors: Vec::new(),
        failed: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
    };
    for members in sets.into_values() {
        if members.len() < 2 {
            let doc = &all[members[0]].doc;
            if let Some(key) = &doc.meta.translation_key {
                found.warnings.push(
                    Diagnostic::warning(
                        &doc.path,
                        doc.meta.line_of("translation-key"),
                        format!("`translation-key: {key}` links no other edition"),
                    )
                    .hint(format!("give the statement's other editions the same key, or name its files {key}.LANG.md in this folder")),
                );
            }
            continue;
        }
        let mut editions: Vec<&Loaded> = members.iter().map(|&i| all[i]).collect();
        editions.sort_by(|a, b| a.doc.path.cmp(&b.doc.path));
        // The name the editions share: a file's name, else the key.
        let name = editions
            .iter()
            .find_map(|l| file_lang(&l.doc.path).map(|(n, _)| n))
            .or_else(|| {
                editions
                    .iter()
                    .find_map(|l| l.doc.meta.translation_key.clone())
            })
            .unwrap_or_default();
        editions.sort_by(|a, b| a.doc.meta.lang.cmp(&b.doc.meta.lang));
        let errors_before = found.errors.len();
        for pair in editions.windows(2) {
            if pair[0]
                .doc
                .meta
                .lang
                .eq_ignore_ascii_case(&pair[1].doc.meta.lang)
            {
                let doc = &pair[1].doc;
                found.errors.push(
                    Diagnostic::new(
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
        match original(&name, &editions, language) {
            Ok((i, note)) if found.errors.len() == errors_before => {
                found.notes.extend(note);
                let first = editions.remove(i);
                editions.insert(0, first);
                found.groups.push(Group {
                    name,
                    editions: editions
                        .iter()
                        .map(|l| Edition {
                            source: l.doc.path.clone(),
                            lang: l.doc.meta.lang.clone(),
                        })
                        .collect(),
                });
                continue;
            }
            Ok(_) => {}
            Err(e) => found.errors.extend(e),
        }
        found
            .failed
            .push((name, editions.iter().map(|l| l.doc.path.clone()).collect()));
    }
    found
        .errors
        .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    found
}

/// What each statement knows of the others: its online address and its
/// editions. Returns the translation groups' errors (the statements they
/// name cannot be built); a group with an error is left out.
pub fn relate(
    all: &mut [&mut Loaded],
    online: Option<&OnlinePattern>,
    language: Option<&str>,
) -> Vec<Diagnostic> {
    let Found {
        groups,
        mut errors,
        failed,
        warnings,
        notes,
    } = {
        let view: Vec<&Loaded> = all.iter().map(|l| &**l).collect();
        find(&view, language)
    };
    // Every edition of a group that does not hold together fails: one
    // that no error names, with a line that says why.
    for (name, members) in &failed {
        let named: Vec<&Path> = members
            .iter()
            .filter(|m| errors.iter().any(|e| e.path == **m))
            .map(PathBuf::as_path)
            .collect();
        for m in members.iter().filter(|m| !named.contains(&m.as_path())) {
            let shown: Vec<String> = named.iter().map(|p| p.display().to_string()).collect();
            errors.push(
                Diagnostic::new(
                    m,
                    0,
                    format!("`{name}` is not built: its editions do not hold together"),
                )
                .hint(format!("see the error in {} above", shown.join(", "))),
            );
        }
    }
    for w in warnings {
        if let Some(l) = all.iter_mut().find(|l| l.doc.path == w.path) {
            l.warnings.push(w);
        }
    }
    for n in notes {
        if let Some(l) = all.iter_mut().find(|l| l.doc.path == n.path) {
            l.notes.push(n);
        }
    }
    let slug = |path: &Path| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let address = |name: &str, lang: &str, path: &Path| {
        online.map(|pattern| pattern.address(name, lang, &slug(path)))
    };
    let dirs: BTreeMap<PathBuf, Dir> = all
        .iter()
        .map(|l| (l.doc.path.clone(), l.doc.meta.dir))
        .collect();
    for loaded in all.iter_mut() {
        let path = loaded.doc.path.clone();
        let meta = &mut loaded.doc.meta;
        let group = groups
            .iter()
            .find(|g| g.editions.iter().any(|e| e.source == path));
        let Some(group) = group else {
            meta.online = address(&slug(&path), &meta.lang, &path);
            continue;
        };
        meta.online = address(&group.name, &meta.lang, &path);
        meta.editions = group
            .editions
            .iter()
            .map(|e| EditionRef {
                source: e.source.clone(),
                lang: e.lang.clone(),
                name: autonym(&e.lang).map_or_else(|| e.lang.clone(), str::to_string),
                dir: dirs.get(&e.source).copied().unwrap_or_default(),
                online: address(&group.name, &e.lang, &e.source),
                this: e.source == path,
            })
            .collect();
    }
    errors
}

/// Which edition is the original: the one marked `original: true`, else
/// the only one without a `translator`. Otherwise an error at each
/// edition that could be it.
/// When nothing marks it but one edition is in the project's `language`,
/// that one, with a note saying so.
fn original(
    name: &str,
    editions: &[&Loaded],
    language: Option<&str>,
) -> Result<(usize, Option<Diagnostic>), Vec<Diagnostic>> {
    let marked: Vec<usize> = (0..editions.len())
        .filter(|i| editions[*i].doc.meta.original == Some(true))
        .collect();
    match marked.as_slice() {
        [i] => return Ok((*i, None)),
        [first, second, ..] => {
            let doc = &editions[*second].doc;
            return Err(vec![
                Diagnostic::new(
                    &doc.path,
                    doc.meta.line_of("original"),
                    format!(
                        "`{name}` has two originals: {} is marked `original: true` too",
                        editions[*first].doc.path.display()
                    ),
                )
                .hint("mark one edition of a statement as the original"),
            ]);
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
        return Ok((*i, None));
    }
    // (Nothing marks one: the edition in the project's language, if one is.)
    let in_project_language: Vec<usize> = match language {
        Some(lang) => (0..editions.len())
            .filter(|i| untranslated.is_empty() || untranslated.contains(i))
            .filter(|i| {
                use crate::model::lang::primary;
                primary(&editions[*i].doc.meta.lang) == primary(lang)
            })
            .collect(),
        None => Vec::new(),
    };
    if let [i] = in_project_language.as_slice() {
        let doc = &editions[*i].doc;
        let note = Diagnostic::note(
            &doc.path,
            doc.meta.line_of("title").max(1),
            format!(
                "taken as the original of `{name}`: it is in the project's language ({}), and no edition is marked",
                language.unwrap_or_default()
            ),
        )
        .hint("to make another edition the original, add `original: true` to its front matter (or `translator:` to each translation's)");
        return Ok((*i, Some(note)));
    }
    // No candidate (every edition names a translator), or several.
    let why = if untranslated.is_empty() {
        "every edition names a translator".to_string()
    } else {
        format!(
            "{} of {} name no translator",
            untranslated.len(),
            editions.len()
        )
    };
    let candidates: Vec<usize> = if untranslated.is_empty() {
        (0..editions.len()).collect()
    } else {
        untranslated
    };
    let names: Vec<String> = candidates
        .iter()
        .map(|i| editions[*i].doc.path.display().to_string())
        .collect();
    Err(candidates
        .iter()
        .map(|&i| {
            let doc = &editions[i].doc;
            let line = match doc.meta.line_of("translator") {
                0 => doc.meta.line_of("title").max(1),
                l => l,
            };
            Diagnostic::new(
                &doc.path,
                line,
                format!(
                    "which edition of `{name}` is the original? {why} ({})",
                    names.join(", ")
                ),
            )
            .hint("add `original: true` to the original's front matter, or `translator:` to each translation's")
        })
        .collect())
}

/// Where an edition's structure first parts from its original's: its
/// headings, paragraphs, lists and their items, quotations, tables,
/// footnotes, slogans and signature. A warning at the edition's line, or
/// `None` when they match.
pub fn compare(original: &Document, edition: &Document) -> Option<Diagnostic> {
    let at = |line: usize, message: String| Some(Diagnostic::warning(&edition.path, line, message));
    let (ours, theirs) = (shapes(edition), shapes(original));
    for (k, (theirs, ours)) in theirs.iter().zip(&ours).enumerate() {
        if theirs.0 == ours.0 {
            continue;
        }
        let message = match (theirs.0, ours.0) {
            (Shape::List { items: a, .. }, Shape::List { items: b, .. }) if a != b => format!(
                "the original has {a} list items here, this edition {b} (the original's line {})",
                theirs.1
            ),
            (Shape::Quote(a), Shape::Quote(b)) => format!(
                "the original's quotation here has {a} blocks, this edition's {b} (the original's line {})",
                theirs.1
            ),
            (a, b) => format!(
                "the original has {} here, this edition {} (block {} of the text; the original's line {})",
                a.named(),
                b.named(),
                k + 1,
                theirs.1
            ),
        };
        return at(ours.1, message);
    }
    if ours.len() != theirs.len() {
        let (line, message) = if ours.len() < theirs.len() {
            let next = theirs[ours.len()];
            (
                ours.last().map_or(0, |b| b.1),
                format!(
                    "the original goes on after this: {} more block{}, the first {} (the original's line {})",
                    theirs.len() - ours.len(),
                    if theirs.len() - ours.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    next.0.named(),
                    next.1
                ),
            )
        } else {
            let extra = ours[theirs.len()];
            (
                extra.1,
                format!(
                    "the original ends before this: this edition has {} more block{}",
                    ours.len() - theirs.len(),
                    if ours.len() - theirs.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ),
            )
        };
        return at(line, message);
    }
    let count = |what: &str, a: usize, b: usize| {
        let what = if a == 1 {
            what.strip_suffix('s').unwrap_or(what)
        } else {
            what
        };
        (a != b).then(|| format!("the original has {a} {what}, this edition {b}"))
    };
    let last = ours.last().map_or(0, |b| b.1);
    if let Some(m) = count(
        "footnotes",
        original.footnotes.len(),
        edition.footnotes.len(),
    ) {
        let line = edition.footnotes.last().map_or(last, |f| f.line);
        return at(line, m);
    }
    if let Some(m) = count(
        "closing slogans",
        original.meta.slogans.len(),
        edition.meta.slogans.len(),
    ) {
        return at(last, m);
    }
    let signed = |d: &Document| !d.meta.authors.is_empty();
    if signed(original) != signed(edition) {
        let m = if signed(original) {
            "the original is signed, this edition is not"
        } else {
            "this edition is signed, the original is not"
        };
        return at(last, m.to_string());
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::project::context::Context;
    use crate::project::fonts::Shared;

    /// The statements `files` (name, text) read in a project of their own.
    pub(crate) fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Loaded>) {
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
        let (groups, errors) = groups(&all, None);
        assert!(errors.is_empty());
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
    fn each_edition_knows_the_others_and_where_each_is_online() {
        let (_d, mut loaded) = project(&[
            ("sources/sciopero.it.md", "---\ntitle: Sciopero\n---\nT.\n"),
            (
                "sources/sciopero.ar.md",
                "---\ntitle: إضراب\ntranslator: B\n---\nT.\n",
            ),
            (
                "sources/sciopero.en.md",
                "---\ntitle: Strike\ntranslator: A\n---\nT.\n",
            ),
            ("sources/alone.md", "---\ntitle: Alone\n---\nT.\n"),
        ]);
        let pattern: OnlinePattern = toml::from_str::<
            std::collections::HashMap<String, OnlinePattern>,
        >("p = \"https://example.org/{name}/{lang}/\"")
        .unwrap()
        .remove("p")
        .unwrap();
        let mut all: Vec<&mut Loaded> = loaded.iter_mut().collect();
        assert!(relate(&mut all, Some(&pattern), None).is_empty());
        fn meta<'a>(loaded: &'a [Loaded], stem: &str) -> &'a crate::model::document::Meta {
            &loaded
                .iter()
                .find(|l| l.doc.path.file_stem().unwrap() == stem)
                .unwrap()
                .doc
                .meta
        }
        let en = meta(&loaded, "sciopero.en");
        assert_eq!(
            en.online.as_deref(),
            Some("https://example.org/sciopero/en/")
        );
        let shown: Vec<(&str, &str, bool, Dir)> = en
            .editions
            .iter()
            .map(|e| (e.lang.as_str(), e.name.as_str(), e.this, e.dir))
            .collect();
        // The original first, then by language tag.
        assert_eq!(
            shown,
            [
                ("it", "Italiano", false, Dir::Ltr),
                ("ar", "العربية", false, Dir::Rtl),
                ("en", "English", true, Dir::Ltr),
            ]
        );
        assert_eq!(
            en.editions[1].online.as_deref(),
            Some("https://example.org/sciopero/ar/")
        );
        // Alone: its own slug for {name}, no editions.
        let alone = meta(&loaded, "alone");
        assert_eq!(
            alone.online.as_deref(),
            Some("https://example.org/alone/en/")
        );
        assert!(alone.editions.is_empty());
        // Without `online`, the editions are named but not linked.
        let mut all: Vec<&mut Loaded> = loaded.iter_mut().collect();
        relate(&mut all, None, None);
        assert!(meta(&loaded, "sciopero.it").online.is_none());
        let it = &meta(&loaded, "sciopero.it").editions;
        assert!(it.iter().all(|e| e.online.is_none()));
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
        let (found, errors) = groups(&all, None);
        // (c.fr.md's key is the name of c.de.md: one statement, whose
        // original is the one without a translator.)
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].original().lang, "fr");
        let text: Vec<(String, usize, String)> = errors
            .iter()
            .map(|e| {
                let file = e.path.file_name().unwrap().to_string_lossy().into_owned();
                (file, e.line, e.message.clone())
            })
            .collect();
        assert!(
            text.iter()
                .any(|(f, l, m)| f == "a.it.md" && *l == 3 && m.contains("`a` has two originals")),
            "{text:?}"
        );
        // Both candidates are told, each at its title line.
        for file in ["b.en.md", "b.it.md"] {
            assert!(
                text.iter().any(|(f, l, m)| f == file
                    && *l == 2
                    && m.contains(
                        "which edition of `b` is the original? 2 of 2 name no translator"
                    )),
                "{text:?}"
            );
        }
        assert_eq!(errors.len(), 3, "{text:?}");
        let (_d, loaded) = project(&[
            ("d.it.md", "---\ntitle: D\n---\nT.\n"),
            (
                "d.en.md",
                "---\ntitle: D\nlang: en\ntranslator: Y\n---\nT.\n",
            ),
            (
                "e.md",
                "---\ntitle: E\nlang: fr\ntranslation-key: d\ntranslator: Z\n---\nT.\n",
            ),
            (
                "f.md",
                "---\ntitle: F\nlang: fr\ntranslation-key: nothing-else\n---\nT.\n",
            ),
        ]);
        let all: Vec<&Loaded> = loaded.iter().collect();
        // d.it.md and d.en.md by name; e.md by the key `d`, which is their
        // name; f.md's key links nothing (a warning).
        let found = find(&all, None);
        assert_eq!(found.groups.len(), 1);
        assert_eq!(found.groups[0].editions.len(), 3);
        assert_eq!(found.warnings.len(), 1);
        assert!(found.warnings[0].message.contains("links no other edition"));
    }

    #[test]
    fn an_unmarked_group_takes_the_edition_in_the_projects_language() {
        let files = [
            ("x.it.md", "---\ntitle: X\n---\nT.\n"),
            ("x.en.md", "---\ntitle: X\n---\nT.\n"),
            ("x.de.md", "---\ntitle: X\n---\nT.\n"),
        ];
        let (_d, loaded) = project(&files);
        let all: Vec<&Loaded> = loaded.iter().collect();
        // In Italian: the Italian edition, with a note saying how to mark
        // another.
        let found = find(&all, Some("it"));
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(found.groups[0].original().lang, "it");
        assert_eq!(found.notes.len(), 1);
        assert!(found.notes[0].path.ends_with("x.it.md"));
        assert!(
            found.notes[0]
                .message
                .contains("the project's language (it)")
        );
        assert!(
            found.notes[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("original: true")
        );
        // A regional tag is in its language.
        assert_eq!(find(&all, Some("de-AT")).groups[0].original().lang, "de");
        // No edition in the project's language, or none set: an error.
        for language in [Some("fr"), None] {
            let found = find(&all, language);
            assert!(found.groups.is_empty());
            assert_eq!(found.errors.len(), 3, "{:?}", found.errors);
        }
        // A mark still decides.
        let (_d, loaded) = project(&[
            ("y.it.md", "---\ntitle: Y\n---\nT.\n"),
            ("y.en.md", "---\ntitle: Y\noriginal: true\n---\nT.\n"),
        ]);
        let all: Vec<&Loaded> = loaded.iter().collect();
        let found = find(&all, Some("it"));
        assert_eq!(found.groups[0].original().lang, "en");
        assert!(found.notes.is_empty());
    }

    #[test]
    fn an_edition_that_parts_from_its_original_is_told_where() {
        let original = "---\ntitle: T\nauthor: Org\n---\n\n## One\n\nA paragraph.[^1]\n\n- a\n- b\n- c\n\n> A quote.\n\nLast.\n\n[^1]: A note.\n";
        let (_d, loaded) = project(&[
            ("o.it.md", original),
            (
                "lost-item.en.md",
                "---\ntitle: T\nauthor: Org\n---\n\n## One\n\nA paragraph.[^1]\n\n- a\n- b\n\n> A quote.\n\nLast.\n\n[^1]: A note.\n",
            ),
            (
                "lost-paragraph.en.md",
                "---\ntitle: T\nauthor: Org\n---\n\n## One\n\nA paragraph.[^1]\n\n- a\n- b\n- c\n\n> A quote.\n\n[^1]: A note.\n",
            ),
            (
                "lost-note.en.md",
                "---\ntitle: T\nauthor: Org\n---\n\n## One\n\nA paragraph.\n\n- a\n- b\n- c\n\n> A quote.\n\nLast.\n",
            ),
            ("same.en.md", original),
        ]);
        let o = &loaded[0].doc;
        let told = |i: usize| compare(o, &loaded[i].doc);
        let item = told(1).unwrap();
        assert_eq!(item.line, 10);
        assert!(
            item.message
                .contains("the original has 3 list items here, this edition 2"),
            "{item:?}"
        );
        let para = told(2).unwrap();
        assert!(para.message.contains("the original goes on after this: 1 more block, the first a paragraph (the original's line 16)"), "{para:?}");
        assert_eq!(para.line, 14);
        let note = told(3).unwrap();
        assert!(
            note.message
                .contains("the original has 1 footnote, this edition 0"),
            "{note:?}"
        );
        assert!(told(4).is_none());
    }
}
