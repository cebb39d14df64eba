//! Translations through the real CLI: editions that name each other, the
//! QR code of a statement's online edition, links between statements.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Scratch, project, run, stderr, stdout};

/// The fixture in Italian (the original), English and Arabic, with its
/// statements online under `https://example.org/statements/{name}/{lang}/`.
fn online() -> Scratch {
    let p = project("translations");
    p.edit("pamphleteer.toml", |t| {
        t.replace(
            "[project]\n",
            "[project]\nonline = \"https://example.org/statements/{name}/{lang}/\"\n",
        )
    });
    p
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let o = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// The web addresses a PDF's links go to, in page order.
fn uris(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut found = Vec::new();
    for page in doc.get_pages().into_values() {
        for a in doc.get_page_annotations(page).unwrap() {
            if let Ok(action) = a.get(b"A").and_then(|a| a.as_dict())
                && let Ok(uri) = action.get(b"URI").and_then(|u| u.as_str())
            {
                found.push(String::from_utf8_lossy(uri).into_owned());
            }
        }
    }
    found
}

/// A file of an EPUB, as text.
fn in_epub(epub: &Path, name: &str) -> String {
    let bytes = std::fs::read(epub).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

/// Whether an external tool runs here; in CI it must.
fn have(tool: &str) -> bool {
    let here = Command::new(tool).arg("--version").output().is_ok();
    assert!(
        here || std::env::var_os("CI").is_none(),
        "{tool} is missing (CI installs it)"
    );
    if !here {
        eprintln!("skipped: {tool} is not installed (.ci/run installs it)");
    }
    here
}

#[test]
fn each_edition_names_the_others_and_carries_a_qr_code_of_its_own_address() {
    let p = online();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = |lang: &str| format!("https://example.org/statements/sciopero/{lang}/");
    for lang in ["it", "en", "ar"] {
        let pdf = p.path().join(format!("out/sciopero.{lang}.pdf"));
        // The leaflet names every edition by its language's name in
        // itself, and links the others to their online editions.
        if have("pdftotext") {
            let text = pdftotext(&pdf).unwrap();
            for name in ["Italiano", "English", "العربية"] {
                assert!(text.contains(name), "{lang}: {name} missing\n{text}");
            }
            assert!(
                text.contains(&format!("example.org/statements/sciopero/{lang}")),
                "{text}"
            );
        }
        let mut links = uris(&pdf);
        links.sort();
        let mut others: Vec<String> = ["it", "en", "ar"]
            .iter()
            .filter(|l| **l != lang)
            .map(|l| url(l))
            .collect();
        others.push(url(lang));
        others.sort();
        assert_eq!(links, others, "{lang}");
        // The e-book's title page names them too, each in its own language.
        let title_page = in_epub(
            &p.path().join(format!("out/sciopero.{lang}.epub")),
            "EPUB/titlepage.xhtml",
        );
        assert!(
            title_page.contains(&format!(
                "<a href=\"{}\" hreflang=\"ar\" lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">العربية</a>",
                url("ar")
            )) == (lang != "ar"),
            "{title_page}"
        );
        assert!(
            title_page.contains(&format!(
                "<a href=\"{}\" dir=\"ltr\">example.org/statements/sciopero/{lang}</a>",
                url(lang)
            )),
            "{title_page}"
        );
    }
    // The QR code, printed and scanned at 300 dpi, is the address.
    if have("zbarimg") && have("pdftoppm") {
        for lang in ["it", "ar"] {
            let png = p.path().join(format!("page-{lang}"));
            let ok = Command::new("pdftoppm")
                .args(["-r", "300", "-gray", "-png", "-singlefile"])
                .arg(p.path().join(format!("out/sciopero.{lang}.pdf")))
                .arg(&png)
                .status()
                .unwrap();
            assert!(ok.success());
            let o = Command::new("zbarimg")
                .args(["-q", "--raw", "--nodbus"])
                .arg(png.with_extension("png"))
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&o.stdout),
                format!("{}\n", url(lang))
            );
        }
    }
    // `qr = false` leaves the code out, and the address in.
    p.edit("pamphleteer.toml", |t| {
        format!("{t}\n[layout]\nqr = false\n")
    });
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/sciopero.it.typ");
    assert!(!typ.contains("qr:"), "{typ}");
    assert!(typ.contains("online: \"https://example.org/statements/sciopero/it/\""));
}

#[test]
fn without_an_online_address_the_editions_are_named_not_linked() {
    let p = project("translations");
    let o = run(p.path(), &["pdf", "sources/sciopero.en.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // One edition built alone still knows the others.
    assert!(uris(&p.path().join("out/sciopero.en.pdf")).is_empty());
    let o = run(p.path(), &["typst", "sources/sciopero.en.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/sciopero.en.typ");
    assert!(
        typ.contains("(lang: \"it\", name: \"Italiano\", dir: ltr, online: none, this: false)"),
        "{typ}"
    );
    assert!(typ.contains("name: \"English\", dir: ltr, online: none, this: true)"));
    assert!(!typ.contains("qr:"));
}

#[test]
fn an_online_pattern_must_tell_statements_apart() {
    let p = project("translations");
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    for (pattern, says) in [
        (
            "https://example.org/{title}/",
            "`{title}` in `online` stands for nothing",
        ),
        (
            "https://example.org/all/",
            "gives every statement the same address",
        ),
        ("example.org/{name}/", "starting with https://"),
    ] {
        std::fs::write(
            &toml,
            text.replace(
                "[project]\n",
                &format!("[project]\nonline = \"{pattern}\"\n"),
            ),
        )
        .unwrap();
        let o = run(p.path(), &["build"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("pamphleteer.toml:2"), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

/// Each link of a PDF: its page and where it leads (`p7`, or the address),
/// named destinations resolved through the catalog's names tree.
fn links(pdf: &[u8]) -> Vec<(usize, String)> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    let deref = |o: &Object| doc.dereference(o).unwrap().1.clone();
    let mut names = std::collections::HashMap::new();
    if let Ok(tree) = doc
        .catalog()
        .unwrap()
        .get(b"Names")
        .map(&deref)
        .and_then(|n| n.as_dict().and_then(|d| d.get(b"Dests")).map(&deref))
    {
        let mut stack = vec![tree];
        while let Some(node) = stack.pop() {
            let node = node.as_dict().unwrap().clone();
            if let Ok(kids) = node.get(b"Kids") {
                stack.extend(kids.as_array().unwrap().iter().map(&deref));
            }
            if let Ok(pairs) = node.get(b"Names") {
                for pair in pairs.as_array().unwrap().chunks(2) {
                    names.insert(pair[0].as_str().unwrap().to_vec(), deref(&pair[1]));
                }
            }
        }
    }
    let page_of = |dest: &Object| -> String {
        let dest = match deref(dest) {
            Object::String(name, _) => names[&name].clone(),
            other => other,
        };
        let dest = match dest {
            Object::Dictionary(d) => deref(d.get(b"D").unwrap()),
            other => other,
        };
        let page = dest.as_array().unwrap()[0].as_reference().unwrap();
        format!("p{}", pages.iter().position(|p| *p == page).unwrap() + 1)
    };
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        for a in doc.get_page_annotations(*page).unwrap() {
            let to = match (a.get(b"Dest"), a.get(b"A").and_then(|a| a.as_dict())) {
                (Ok(dest), _) => page_of(dest),
                (_, Ok(action)) => match action.get(b"URI") {
                    Ok(uri) => String::from_utf8_lossy(uri.as_str().unwrap()).into_owned(),
                    Err(_) => page_of(action.get(b"D").unwrap()),
                },
                _ => continue,
            };
            out.push((i + 1, to));
        }
    }
    out
}

/// The page of the book where a text is first found (pdftotext).
fn page_with(pdf: &Path, text: &str) -> usize {
    let pages = pdftotext(pdf).unwrap();
    pages
        .split('\u{c}')
        .position(|p| p.contains(text))
        .unwrap_or_else(|| panic!("{text} not in the book"))
        + 1
}

#[test]
fn links_between_statements_lead_inside_the_book_online_or_to_a_heading() {
    let p = project("links");
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the link to `b.md` is set as plain text in the leaflet and its e-book (and 1 more link to a statement)"),
        "{err}"
    );
    // The leaflet: its own heading is a link target; the other statement
    // is text (no online edition).
    let leaflet = std::fs::read(p.path().join("out/a.pdf")).unwrap();
    assert_eq!(links(&leaflet), [(1, "p1".to_string())]);
    let typ = p.read("out/a.typ");
    assert!(typ.contains("#link(<h-1>)[below]"), "{typ}");
    assert!(typ.contains("= Our demands <h-1>"), "{typ}");
    // The book: to the statement's opening and to its heading, whether the
    // book is compiled whole or in parts and joined.
    let book = p.path().join("out/two.pdf");
    let opens_b = page_with(&book, "The Drivers Join\n");
    let next = page_with(&book, "What comes next");
    let a_text = page_with(&book, "in their own statement");
    let mut whole = links(&std::fs::read(&book).unwrap());
    whole.retain(|(page, _)| *page >= a_text && *page < opens_b);
    assert!(
        whole.contains(&(a_text, format!("p{opens_b}"))),
        "{whole:?}"
    );
    assert!(whole.contains(&(a_text, format!("p{next}"))), "{whole:?}");
    if have("pdftotext") {
        let o = common::run_with(
            p.path(),
            &["build", "--out-dir", "parts"],
            &[("PAMPHLETEER_BOOK_PART_BYTES", "1")],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let joined = std::fs::read(p.path().join("parts/two.pdf")).unwrap();
        assert!(!String::from_utf8_lossy(&joined).contains("pamphleteer:"));
        let mut parts = links(&joined);
        parts.retain(|(page, _)| *page >= a_text && *page < opens_b);
        assert_eq!(parts, whole);
    }
    // The book's e-book: to the chapter and to its heading.
    let text = in_epub(&p.path().join("out/two.epub"), "EPUB/statement-1.xhtml");
    assert!(text.contains("<a href=\"#h-1\">below</a>"), "{text}");
    assert!(text.contains("<a href=\"statement-2.xhtml\">in their own statement</a>"));
    assert!(text.contains("<a href=\"statement-2.xhtml#h-1\">the same in their last section</a>"));
    // Online: the leaflet and its e-book link to the other's online edition.
    p.edit("pamphleteer.toml", |t| {
        t.replace(
            "[project]\n",
            "[project]\nonline = \"https://example.org/{name}/\"\n",
        )
    });
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("plain text"));
    let leaflet = std::fs::read(p.path().join("out/a.pdf")).unwrap();
    let to: Vec<String> = links(&leaflet).into_iter().map(|(_, t)| t).collect();
    assert!(to.contains(&"https://example.org/b/".to_string()), "{to:?}");
    assert!(
        to.contains(&"https://example.org/b/#what-comes-next".to_string()),
        "{to:?}"
    );
    let text = in_epub(&p.path().join("out/a.epub"), "EPUB/text.xhtml");
    assert!(
        text.contains("<a href=\"https://example.org/b/#what-comes-next\">"),
        "{text}"
    );
}

#[test]
fn a_link_to_no_statement_is_an_error_at_its_line_with_the_nearest_name() {
    let p = project("links");
    let a = p.path().join("sources/a.md");
    let text = std::fs::read_to_string(&a)
        .unwrap()
        .replace("(b.md)", "(bb.md)");
    std::fs::write(&a, text).unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the link to `bb.md` leads to no statement of the project"),
        "{err}"
    );
    assert!(err.contains("sources/a.md:9"), "{err}");
    assert!(err.contains("did you mean `b.md`?"), "{err}");
    // The other statement is built.
    assert!(p.path().join("out/b.pdf").is_file());
    let o = run(p.path(), &["check"]);
    assert!(
        stdout(&o).contains("sources/a.md:9: error: the link to `bb.md`"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_book_sets_editions_together_or_in_one_language() {
    let p = project("translations");
    let write = |rel: &str, text: &str| std::fs::write(p.path().join(rel), text).unwrap();
    let toml = p.path().join("pamphleteer.toml");
    let project_file = std::fs::read_to_string(&toml).unwrap();
    write(
        "pamphleteer.toml",
        &format!("{project_file}\n[anthology]\ntitle = \"Magazzino\"\nslug = \"book\"\n"),
    );
    // Another statement in Italian and German, and two that share a title.
    write(
        "sources/turni.it.md",
        "---\ntitle: Turni\nauthor: Collettivo\ndate: 2026-03-05\n---\nTesto.\n",
    );
    write(
        "sources/turni.de.md",
        "---\ntitle: Schichten\nauthor: Kollektiv\ndate: 2026-03-05\ntranslator: K. Weber\n---\nText.\n",
    );
    write(
        "sources/notice-a.md",
        "---\ntitle: Notice\nauthor: Dock Union\ndate: 2026-03-10\n---\nText.\n",
    );
    write(
        "sources/notice-b.md",
        "---\ntitle: Notice\nauthor: Rail Union\ndate: 2026-03-11\n---\nText.\n",
    );
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Editions together: the original's entry, its translations under it
    // by their languages' names in themselves.
    let nav = in_epub(&p.path().join("out/book.epub"), "EPUB/nav.xhtml");
    let entry = "<li><a href=\"statement-1.xhtml\" lang=\"it\" xml:lang=\"it\">Il magazzino si ferma</a>\n<ol>\n<li><a href=\"statement-2.xhtml\" lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\">العربية</a></li>\n<li><a href=\"statement-3.xhtml\">English</a></li>\n</ol>\n</li>";
    assert!(nav.contains(entry), "{nav}");
    assert!(
        nav.contains(">Notice (Dock Union, 10 March 2026)</a>"),
        "{nav}"
    );
    assert!(
        nav.contains(">Notice (Rail Union, 11 March 2026)</a>"),
        "{nav}"
    );
    let typ = p.read("out/book.typ");
    assert_eq!(typ.matches("translation: true").count(), 3, "{typ}");
    // The editions name each other as links inside the book.
    assert!(
        typ.contains("edition-links: (\"ar\": <s2>, \"en\": <s3>,)"),
        "{typ}"
    );
    // Compiled in parts, each statement in a part of its own (a part may
    // begin with a translation), the links hold.
    let o = common::run_with(
        p.path(),
        &["build", "--out-dir", "parts"],
        &[("PAMPHLETEER_BOOK_PART_BYTES", "1")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let joined = std::fs::read(p.path().join("parts/book.pdf")).unwrap();
    assert!(!String::from_utf8_lossy(&joined).contains("pamphleteer:"));
    assert_eq!(
        links(&joined)
            .iter()
            .filter(|(_, to)| to.starts_with('p'))
            .count(),
        links(&std::fs::read(p.path().join("out/book.pdf")).unwrap())
            .iter()
            .filter(|(_, to)| to.starts_with('p'))
            .count()
    );
    // The PDF's contents list the original alone.
    if have("pdftotext") {
        let contents = pdftotext(&p.path().join("out/book.pdf")).unwrap();
        let contents = contents
            .split('\u{c}')
            .find(|p| p.contains("Contents"))
            .unwrap();
        assert!(contents.contains("Il magazzino si ferma"), "{contents}");
        assert!(!contents.contains("The warehouse stops"), "{contents}");
    }
    // The English edition: English where there is one, the original where
    // there is none, with a note.
    write(
        "pamphleteer.toml",
        &format!(
            "{project_file}\n[anthology]\ntitle = \"Magazzino\"\nslug = \"book\"\nedition = \"en\"\n"
        ),
    );
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("note: 1 statement has no English edition: the book holds the original: sources/turni.it.md (Italiano)"),
        "{err}"
    );
    let typ = p.read("out/book.typ");
    assert!(typ.contains("The warehouse stops"), "{typ}");
    assert!(!typ.contains("Il magazzino si ferma"));
    assert!(typ.contains("\"Turni\""));
    assert!(!typ.contains("Schichten"));
    assert!(!typ.contains("translation: true"));
}

#[test]
fn what_an_edition_shows_of_the_others_is_rebuilt_when_they_change() {
    let p = project("links");
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The heading a link points at is renamed: the linking statement,
    // unchanged itself, fails at its link.
    let b = p.path().join("sources/b.md");
    let text = std::fs::read_to_string(&b).unwrap();
    std::fs::write(&b, text.replace("## What comes next", "## Afterwards")).unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("there is no heading `#what-comes-next` in `b.md`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean") || err.contains("its headings are `#afterwards`"),
        "{err}"
    );
    std::fs::write(&b, text).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A new translation of `a`: the original now names it.
    let before = p.read("out/a.typ");
    assert!(!before.contains("editions:"));
    std::fs::rename(
        p.path().join("sources/a.md"),
        p.path().join("sources/a.en.md"),
    )
    .unwrap();
    std::fs::write(
        p.path().join("sources/a.it.md"),
        "---\ntitle: Lo sciopero del deposito\ntranslator: G. Rossi\n---\n\nTesto [sotto](#le-richieste).\n\n## Le richieste\n\nPause.\n",
    )
    .unwrap();
    p.edit("pamphleteer.toml", |t| {
        t.replace("sources/a.md", "sources/a.en.md")
    });
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let en = p.read("out/a.en.typ");
    assert!(en.contains("name: \"Italiano\""), "{en}");
    // Then the translation goes: the original forgets it.
    std::fs::remove_file(p.path().join("sources/a.it.md")).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!p.read("out/a.en.typ").contains("Italiano"));
}

#[test]
fn build_makes_the_parallel_editions_the_project_asks_for() {
    let p = project("translations");
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!(
            "{text}\n[outputs]\nparallel = [[\"it\", \"en\"], [\"it\", \"ar\"], [\"it\", \"de\"]]\n"
        ),
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("built sources/sciopero.it.md and sources/sciopero.en.md side by side → out/sciopero.it-en.pdf"),
        "{err}"
    );
    let it_en = p.path().join("out/sciopero.it-en.pdf");
    let it_ar = p.path().join("out/sciopero.it-ar.pdf");
    assert!(it_ar.is_file());
    // (No German edition: no pair.)
    assert!(!p.path().join("out/sciopero.it-de.pdf").exists());
    // Up to date: not made again, not touched.
    let time = std::fs::metadata(&it_en).unwrap().modified().unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("side by side"), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&it_en).unwrap().modified().unwrap(), time);
    // An edition changes: its pairs are made again.
    let en = p.path().join("sources/sciopero.en.md");
    let t = std::fs::read_to_string(&en).unwrap();
    std::fs::write(&en, t.replace("Since Monday", "Since last Monday")).unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert!(err.contains("→ out/sciopero.it-en.pdf"), "{err}");
    assert!(!err.contains("→ out/sciopero.it-ar.pdf"), "{err}");
    // While an edition fails, its pairs are kept as they were.
    std::fs::write(&en, "---\ntitle: [broken\n---\nText.\n").unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(it_en.is_file(), "{}", stderr(&o));
    std::fs::write(&en, t.replace("Since Monday", "Since last Monday")).unwrap();
    // A pair no longer asked for is removed.
    std::fs::write(
        &toml,
        format!("{text}\n[outputs]\nparallel = [[\"it\", \"ar\"]]\n"),
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!it_en.exists());
    assert!(it_ar.is_file());
}

#[test]
fn editions_are_found_by_key_and_a_language_clash_is_an_error_at_its_line() {
    let p = project("translations");
    let write = |rel: &str, text: &str| std::fs::write(p.path().join(rel), text).unwrap();
    write(
        "sources/greve.md",
        "---\ntitle: La grève\nlang: fr\ntranslation-key: greve-2026\nauthor: Collectif\n---\n\nTexte.\n",
    );
    write(
        "sources/strike.md",
        "---\ntitle: The strike\nlang: en\ntranslation-key: greve-2026\ntranslator: A. Martin\nauthor: Collective\n---\n\nText.\n",
    );
    let o = run(p.path(), &["typst", "sources/greve.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/greve.typ");
    assert!(
        typ.contains("name: \"Français\", dir: ltr, online: none, this: true"),
        "{typ}"
    );
    assert!(
        typ.contains("name: \"English\", dir: ltr, online: none, this: false"),
        "{typ}"
    );
    // A front matter that says another language than the file's name.
    write(
        "sources/sciopero.en.md",
        "---\ntitle: The warehouse stops\nlang: de\ntranslator: R. Bianchi\n---\n\nText.\n",
    );
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("sources/sciopero.en.md:3"), "{err}");
    assert!(err.contains("English (`en`) edition"), "{err}");
}

#[test]
fn a_regional_edition_and_a_translation_s_translators_are_named() {
    let p = project("translations");
    std::fs::write(
        p.path().join("sources/sciopero.pt-BR.md"),
        "---\ntitle: O armazém para\ntranslator: [Ana Souza, Rui Lima]\n---\n\nTexto.\n",
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let typ = p.read("out/sciopero.pt-BR.typ");
    assert!(
        typ.contains("(lang: \"pt\", name: \"Português\", dir: ltr, online: none, this: true)"),
        "{typ}"
    );
    assert!(
        typ.contains("translated: \"Tradução: Ana Souza, Rui Lima\""),
        "{typ}"
    );
    let en = p.read("out/sciopero.en.typ");
    assert!(
        en.contains("translated: \"Translation: R. Bianchi\""),
        "{en}"
    );
    assert!(!p.read("out/sciopero.it.typ").contains("translated:"));
    if have("pdftotext") {
        let text = pdftotext(&p.path().join("out/sciopero.en.pdf")).unwrap();
        assert!(text.contains("Translation: R. Bianchi"), "{text}");
    }
    let opf = in_epub(&p.path().join("out/sciopero.en.epub"), "EPUB/package.opf");
    assert!(
        opf.contains("<dc:contributor id=\"translator-1\">R. Bianchi</dc:contributor>"),
        "{opf}"
    );
    assert!(opf.contains(
        "<meta refines=\"#translator-1\" property=\"role\" scheme=\"marc:relators\">trl</meta>"
    ));
    let title_page = in_epub(
        &p.path().join("out/sciopero.pt-BR.epub"),
        "EPUB/titlepage.xhtml",
    );
    assert!(
        title_page.contains("<p class=\"translators\">Tradução: Ana Souza, Rui Lima</p>"),
        "{title_page}"
    );
    // A book in a language nobody named is an error at its line.
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[anthology]\ntitle = \"M\"\nedition = \"xx\"\n"),
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`xx` is not a language whose name pamphleteer knows"),
        "{err}"
    );
    assert!(err.contains("pamphleteer.toml:7"), "{err}");
}

#[test]
fn check_finds_a_translation_that_lost_a_footnote() {
    let p = project("translations");
    std::fs::write(
        p.path().join("sources/nota.it.md"),
        "---\ntitle: Nota\n---\n\nUn paragrafo.[^1]\n\nUn altro.[^2]\n\n[^1]: Prima.\n[^2]: Seconda.\n",
    )
    .unwrap();
    std::fs::write(
        p.path().join("sources/nota.en.md"),
        "---\ntitle: Note\ntranslator: A\n---\n\nA paragraph.[^1]\n\nAnother.\n\n[^1]: First.\n",
    )
    .unwrap();
    let o = run(p.path(), &["check"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "sources/nota.en.md:10: warning: the original has 2 footnotes, this edition 1"
        ),
        "{out}"
    );
}
