//! The e-book's page breaks and page list follow the PDF: built through
//! the real CLI, each `pagebreak` marker's label is checked against the
//! page its block begins on in the PDF (its text found by pdftotext).

mod common;

use std::path::Path;
use std::process::Command;

use common::{project, run, run_with, stderr};

/// Letters and digits only, lower case: text compared across line breaks,
/// hyphenation, quotation marks and letter spacing.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The PDF's pages' text, normalised, from 1 (index 0 empty).
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    let mut pages = vec![String::new()];
    pages.extend(text.split('\x0c').map(norm));
    // (The text ends with a form feed.)
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// The page (from 1) on which `text` begins, searching from page `from`:
/// its first 80 letters, else (a block that runs over a page break, where
/// a folio or notes come between) its first 24.
fn page_of(pages: &[String], text: &str, from: usize) -> Option<usize> {
    let text = norm(text);
    for len in [80, 24] {
        let want: String = text.chars().take(len).collect();
        if want.is_empty() {
            return None;
        }
        if let Some(p) = (from.max(1)..pages.len()).find(|p| pages[*p].contains(&want)) {
            return Some(p);
        }
    }
    None
}

fn entries(epub: &Path) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(std::fs::read(epub).unwrap())).unwrap()
}

fn entry(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

const EPUB_NS: &str = "http://www.idpf.org/2007/ops";

fn parse(xhtml: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(xhtml, options)
}

/// The markers of a text file as (id, label), checked against the PDF:
/// each marker's label is the page the block after it begins on, or a
/// page that block runs onto (where no block begins).
fn check_file(xhtml: &str, file: &str, pages: &[String]) -> Vec<(String, usize)> {
    let doc = parse(xhtml).unwrap_or_else(|e| panic!("{file}: {e}"));
    let section = doc
        .descendants()
        .find(|n| n.has_tag_name("section") && n.attribute("class") == Some("text"))
        .unwrap_or_else(|| panic!("{file}: no text section"));
    let is_break = |n: &roxmltree::Node| n.attribute((EPUB_NS, "type")) == Some("pagebreak");
    // The blocks (top-level elements that are not markers), each with the
    // markers just before it.
    let mut blocks: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    let mut pending = Vec::new();
    for n in section.children().filter(|n| n.is_element()) {
        if is_break(&n) {
            assert_eq!(n.attribute("role"), Some("doc-pagebreak"), "{file}");
            let label = n.attribute("aria-label").expect("a label");
            assert_eq!(n.text(), None, "{file}: a marker is empty");
            pending.push((
                n.attribute("id").unwrap().to_string(),
                label.parse::<usize>().unwrap_or_else(|_| panic!("{label}")),
            ));
            continue;
        }
        if n.attribute("class") == Some("notes") {
            // Notes sit at the feet of the pages in the PDF, at the end here.
            assert!(pending.is_empty(), "{file}: a marker before the notes");
            break;
        }
        let text: String = n
            .descendants()
            .filter(|d| d.is_text())
            .map(|d| d.text().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        blocks.push((text, std::mem::take(&mut pending)));
    }
    assert!(pending.is_empty(), "{file}: a marker at the end");
    let first = blocks
        .iter()
        .flat_map(|(_, m)| m)
        .map(|(_, l)| *l)
        .next()
        .unwrap_or_else(|| panic!("{file}: no page break"));
    // Where each block begins in the PDF, in order (a block without text,
    // a rule, where the one before it did).
    let mut found = Vec::new();
    let mut from = first.saturating_sub(1);
    for (text, _) in &blocks {
        if let Some(p) = page_of(pages, text, from) {
            from = p;
        }
        found.push(from);
    }
    let mut out = Vec::new();
    for (k, (text, markers)) in blocks.iter().enumerate() {
        let begins = found[k];
        let next = found.get(k + 1).copied().unwrap_or(usize::MAX);
        for (id, label) in markers {
            assert!(
                *label == begins || (begins < *label && *label <= next && *label < pages.len()),
                "{file}: marker {id} says page {label}, but the block after it begins on page {begins} (the next on {next}): {text:.80}"
            );
            out.push((id.clone(), *label));
        }
    }
    out
}

/// Checks every text file of an e-book against its PDF, the markers'
/// labels against the nav's page list, and that the pages from the first
/// marked to the last are each marked once, in order.
fn check_book(epub: &Path, pdf: &Path, files: &[&str]) -> Vec<usize> {
    let pages = pdf_pages(pdf);
    let mut zip = entries(epub);
    let mut all = Vec::new();
    for file in files {
        for (id, label) in check_file(&entry(&mut zip, &format!("EPUB/{file}")), file, &pages) {
            all.push((format!("{file}#{id}"), label));
        }
    }
    let labels: Vec<usize> = all.iter().map(|(_, l)| *l).collect();
    assert!(
        labels.windows(2).all(|w| w[0] < w[1]),
        "pages in order, each once: {labels:?}"
    );
    // The nav's page list: the same targets and labels, in order.
    let nav = entry(&mut zip, "EPUB/nav.xhtml");
    let doc = parse(&nav).unwrap();
    let list = doc
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute((EPUB_NS, "type")) == Some("page-list"))
        .expect("a page list");
    assert!(list.attribute("hidden").is_some());
    let listed: Vec<(String, usize)> = list
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (
                a.attribute("href").unwrap().to_string(),
                a.text().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, all);
    let opf = entry(&mut zip, "EPUB/package.opf");
    for expected in [
        "<meta property=\"pageBreakSource\">",
        ">pageBreakMarkers</meta>",
        ">pageNavigation</meta>",
    ] {
        assert!(opf.contains(expected), "{expected} in\n{opf}");
    }
    labels
}

#[test]
fn a_multi_page_statement_marks_the_pdf_pages_it_was_fitted_to() {
    let p = project("overflow");
    std::fs::write(
        p.path().join("pamphleteer.toml"),
        "[outputs]\nepub = true\ntypst = false\n\n[layout]\npages = 1\nshrink = 1\n",
    )
    .unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (name, pages) in [("far-over", 2..=usize::MAX), ("nearly", 1..=1)] {
        let epub = p.path().join(format!("out/{name}.epub"));
        let pdf = p.path().join(format!("out/{name}.pdf"));
        let labels = check_book(&epub, &pdf, &["text.xhtml"]);
        let count = pdf_pages(&pdf).len() - 1;
        assert!(pages.contains(&count), "{name}: {count} pages");
        // A statement's every page, from the first.
        assert_eq!(labels, (1..=count).collect::<Vec<_>>(), "{name}");
    }
    // The e-book alone is made from the same layout, to the same bytes.
    let before = std::fs::read(p.path().join("out/far-over.epub")).unwrap();
    std::fs::write(
        p.path().join("pamphleteer.toml"),
        "[outputs]\nepub = true\npdf = false\ntypst = false\n\n[layout]\npages = 1\nshrink = 1\n",
    )
    .unwrap();
    std::fs::remove_file(p.path().join("out/far-over.epub")).unwrap();
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(p.path().join("out/far-over.epub")).unwrap(),
        before
    );
}

/// The anthology's text files, in the book's order.
const BOOK_FILES: [&str; 5] = [
    "preface.xhtml",
    "statement-1.xhtml",
    "statement-2.xhtml",
    "statement-3.xhtml",
    "statement-4.xhtml",
];

#[test]
fn the_anthology_marks_the_books_folios_whole_and_in_parts() {
    let slug = "two-years-on-the-quays";
    let p = project("anthology");
    let o = run(p.path(), &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let epub = p.path().join(format!("out/{slug}.epub"));
    let pdf = p.path().join(format!("out/{slug}.pdf"));
    let labels = check_book(&epub, &pdf, &BOOK_FILES);
    // The texts begin after the front matter and the contents.
    assert!(labels[0] > 4, "{labels:?}");
    let whole = std::fs::read(&epub).unwrap();

    // Compiled in parts and joined: the same folios, the same e-book.
    let o = run_with(
        p.path(),
        &["build"],
        &[("PAMPHLETEER_BOOK_PART_BYTES", "200")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(check_book(&epub, &pdf, &BOOK_FILES), labels);
    assert_eq!(std::fs::read(&epub).unwrap(), whole);
}
