//! Translations through the real CLI: editions that name each other, the
//! QR code of a statement's online edition, links between statements.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Scratch, project, run, stderr};

/// The fixture in Italian (the original), English and Arabic, with its
/// statements online under `https://example.org/statements/{name}/{lang}/`.
fn online() -> Scratch {
    let p = project("translations");
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "[project]\n",
        "[project]\nonline = \"https://example.org/statements/{name}/{lang}/\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    p
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
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
            assert_eq!(String::from_utf8_lossy(&o.stdout), format!("{}\n", url(lang)));
        }
    }
    // `qr = false` leaves the code out, and the address in.
    let toml = p.path().join("pamphleteer.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[layout]\nqr = false\n")).unwrap();
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
        ("https://example.org/{title}/", "`{title}` in `online` stands for nothing"),
        ("https://example.org/all/", "gives every statement the same address"),
        ("example.org/{name}/", "starting with https://"),
    ] {
        std::fs::write(
            &toml,
            text.replace("[project]\n", &format!("[project]\nonline = \"{pattern}\"\n")),
        )
        .unwrap();
        let o = run(p.path(), &["build"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("pamphleteer.toml:2"), "{err}");
        assert!(err.contains(says), "{err}");
    }
}
