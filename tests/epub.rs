//! The EPUB edition, checked in Rust without Java: the container, XML
//! well-formedness, the manifest, links and ids, metadata, determinism and
//! image scrubbing. (EPUBCheck and Ace run in `.ci/run`.)

mod common;

use std::collections::{HashMap, HashSet};
use std::io::Read;

use common::*;

/// The e-book of a fixture, as bytes and as its files.
fn epub_of(dir: &std::path::Path, name: &str) -> (Vec<u8>, HashMap<String, Vec<u8>>, Vec<String>) {
    let ctx = ctx_in(dir);
    let loaded = pamphleteer::project::statement::load(&dir.join(name), &ctx)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let (bytes, _) =
        pamphleteer::render::epub::epub(&loaded, &ctx, None).unwrap_or_else(|e| panic!("{e}"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut files = HashMap::new();
    let mut order = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let name = f.name().unwrap().to_string();
        order.push(name.clone());
        files.insert(name, data);
    }
    (bytes, files, order)
}

fn text(files: &HashMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

#[test]
fn the_container_is_right() {
    let (bytes, files, order) = epub_of(&fixtures(), "constructs.md");
    assert_eq!(order[0], "mimetype");
    // The first local header: stored (method 0), no extra field, then the type.
    assert_eq!(&bytes[0..4], b"PK\x03\x04");
    assert_eq!(
        u16::from_le_bytes([bytes[8], bytes[9]]),
        0,
        "mimetype is stored"
    );
    assert_eq!(
        u16::from_le_bytes([bytes[28], bytes[29]]),
        0,
        "no extra field"
    );
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
    assert!(text(&files, "META-INF/container.xml").contains("full-path=\"EPUB/package.opf\""));
}

#[test]
fn every_file_is_well_formed_linked_and_listed() {
    let (_, files, _) = epub_of(&fixtures(), "constructs.md");
    let opf = text(&files, "EPUB/package.opf");
    let package = roxmltree::Document::parse(&opf).expect("the OPF parses");
    let manifest: Vec<(String, String)> = package
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| {
            (
                n.attribute("href").unwrap().to_string(),
                n.attribute("media-type").unwrap().to_string(),
            )
        })
        .collect();
    // Every manifest item exists, and every file of the book is in the manifest.
    for (href, _) in &manifest {
        assert!(
            files.contains_key(&format!("EPUB/{href}")),
            "{href} is listed but missing"
        );
    }
    for name in files.keys() {
        if let Some(href) = name.strip_prefix("EPUB/")
            && href != "package.opf"
        {
            assert!(
                manifest.iter().any(|(h, _)| h == href),
                "{name} is not in the manifest"
            );
        }
    }
    // Every spine entry names a manifest item.
    let ids: HashSet<&str> = package
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    for r in package.descendants().filter(|n| n.has_tag_name("itemref")) {
        assert!(ids.contains(r.attribute("idref").unwrap()));
    }

    // Parse every XHTML file; collect ids (unique per file) and links.
    let mut ids_of: HashMap<String, HashSet<String>> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for (href, media) in &manifest {
        if media != "application/xhtml+xml" {
            continue;
        }
        let source = text(&files, &format!("EPUB/{href}"));
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&source, options)
            .unwrap_or_else(|e| panic!("{href} is not XML: {e}"));
        let root = doc.root_element();
        assert!(
            root.attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                .is_some(),
            "{href}: xml:lang"
        );
        assert!(
            root.attribute("lang").is_some() && root.attribute("dir").is_some(),
            "{href}: lang and dir"
        );
        let mut seen = HashSet::new();
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(id) = n.attribute("id") {
                assert!(seen.insert(id.to_string()), "{href}: id {id} twice");
            }
            for attr in ["href", "src"] {
                if let Some(target) = n.attribute(attr)
                    && !target.contains("://")
                {
                    links.push((href.clone(), target.to_string()));
                }
            }
            // No presentational attributes.
            for attr in ["align", "style", "width", "height", "bgcolor"] {
                assert!(
                    n.attribute(attr).is_none(),
                    "{href}: {attr}= on <{}>",
                    n.tag_name().name()
                );
            }
        }
        ids_of.insert(href.clone(), seen);
    }
    assert!(!links.is_empty());
    for (from, target) in links {
        let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
        let file = if file.is_empty() {
            from.clone()
        } else {
            file.to_string()
        };
        assert!(
            files.contains_key(&format!("EPUB/{file}")),
            "{from}: {target} does not resolve"
        );
        if !fragment.is_empty() {
            assert!(
                ids_of[&file].contains(fragment),
                "{from}: #{fragment} is not an id of {file}"
            );
        }
    }
}

#[test]
fn notes_navigation_and_metadata() {
    let (_, files, _) = epub_of(&fixtures(), "constructs.md");
    let body = text(&files, "EPUB/text.xhtml");
    // One note referenced twice: two references, one note, a link back.
    assert_eq!(body.matches("href=\"#fn-1\"").count(), 2);
    assert_eq!(
        body.matches("<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\">")
            .count(),
        1
    );
    assert!(body.contains("href=\"#fnref-1\" role=\"doc-backlink\""));
    assert!(body.contains("<th scope=\"col\" class=\"right\">Right</th>"));
    assert!(body.contains("<ol start=\"3\">"));
    assert!(body.contains("<figcaption>A caption</figcaption>"));
    assert!(
        body.contains("&lt;div class=&quot;raw&quot;&gt;"),
        "raw HTML is text"
    );

    let nav = text(&files, "EPUB/nav.xhtml");
    let (toc, landmarks) = nav.split_once("epub:type=\"landmarks\"").unwrap();
    assert!(
        toc.contains("Heading six") && !toc.contains("titlepage.xhtml"),
        "landmarks stay out of the contents"
    );
    for l in [
        "epub:type=\"cover\"",
        "epub:type=\"titlepage\"",
        "epub:type=\"bodymatter\"",
    ] {
        assert!(landmarks.contains(l), "{l}");
    }

    let opf = text(&files, "EPUB/package.opf");
    assert!(opf.contains("<dc:creator id=\"creator-1\">First Collective</dc:creator>"));
    assert!(opf.contains("<dc:creator id=\"creator-2\">Second Union</dc:creator>"));
    assert!(opf.contains("<dc:language>en-GB</dc:language>"));
    assert!(opf.contains("<meta property=\"dcterms:modified\">2026-05-01T00:00:00Z</meta>"));
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">alternativeText</meta>"));
    assert!(opf.contains("dcterms:conformsTo"));
    assert!(opf.contains("properties=\"cover-image\""));
    let title_page = text(&files, "EPUB/titlepage.xhtml");
    assert!(
        title_page.contains("First Collective<br/>Second Union")
            && title_page.contains("Lyon, 1 May 2026")
    );
}

#[test]
fn no_conformance_claim_without_alt_text() {
    let (_, files, _) = epub_of(&fixtures(), "no-alt.md");
    let opf = text(&files, "EPUB/package.opf");
    assert!(!opf.contains("dcterms:conformsTo"));
    assert!(!opf.contains(">alternativeText<"));
    assert!(opf.contains("Some images have no text description."));
}

#[test]
fn the_same_statement_gives_the_same_bytes() {
    let (a, _, _) = epub_of(&fixtures(), "constructs.md");
    let (b, _, _) = epub_of(&fixtures(), "constructs.md");
    assert!(a == b);
}

fn scratch(md: &str, files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.md"), md).unwrap();
    for (name, data) in files {
        std::fs::write(dir.path().join(name), data).unwrap();
    }
    dir
}

#[test]
fn languages_set_quotes_direction_and_labels() {
    let de = scratch(
        "---\ntitle: \"Das \\\"Wasser\\\"\"\nlang: de\ndate: 2026-01-01\n---\n\nEr sagte \"so\".\n",
        &[],
    );
    let (_, files, _) = epub_of(de.path(), "s.md");
    let body = text(&files, "EPUB/text.xhtml");
    assert!(body.contains("Er sagte „so“."), "{body}");
    assert!(body.contains("Das „Wasser“"), "{body}");
    assert!(text(&files, "EPUB/nav.xhtml").contains(">Inhalt<"));

    let fr = scratch(
        "---\ntitle: T\nlang: fr\ndate: 2026-01-01\n---\n\nIl a dit \"oui\".\n",
        &[],
    );
    let (_, files, _) = epub_of(fr.path(), "s.md");
    assert!(text(&files, "EPUB/text.xhtml").contains("«\u{202F}oui\u{202F}»"));

    let ar = scratch(
        "---\ntitle: T\nlang: ar\ndate: 2026-01-01\n---\n\nنص.\n",
        &[],
    );
    let (_, files, _) = epub_of(ar.path(), "s.md");
    assert!(text(&files, "EPUB/text.xhtml").contains("dir=\"rtl\""));
    assert!(text(&files, "EPUB/package.opf").contains("page-progression-direction=\"rtl\""));
}

#[test]
fn images_are_reencoded_without_metadata_and_scaled() {
    // A JPEG with EXIF, a 6-megapixel PNG and a BMP.
    let jpeg = jpeg_with_exif(40, 30, b"GPS=51.5N Owner=Ada-Secret-Name");
    let mut big = Vec::new();
    image::RgbImage::from_pixel(3000, 2000, image::Rgb([10, 20, 30]))
        .write_to(&mut std::io::Cursor::new(&mut big), image::ImageFormat::Png)
        .unwrap();
    let mut bmp = Vec::new();
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 0, 0]))
        .write_to(&mut std::io::Cursor::new(&mut bmp), image::ImageFormat::Bmp)
        .unwrap();
    let dir = scratch(
        "---\ntitle: Pictures\ndate: 2026-01-01\n---\n\n![A photo](p.jpg)\n\n![A big one](big.png)\n\n![A bitmap](b.bmp)\n",
        &[("p.jpg", jpeg), ("big.png", big), ("b.bmp", bmp)],
    );
    let (_, files, _) = epub_of(dir.path(), "s.md");
    let photo = &files["EPUB/images/image-1.jpg"];
    assert!(!photo.windows(4).any(|w| w == b"Exif"), "EXIF survived");
    assert!(!photo.windows(15).any(|w| w == b"Ada-Secret-Name"));
    let big = image::load_from_memory(&files["EPUB/images/image-2.png"]).unwrap();
    assert!(u64::from(big.width()) * u64::from(big.height()) <= 4_000_000);
    let ratio = f64::from(big.width()) / f64::from(big.height());
    assert!((ratio - 1.5).abs() < 0.002, "aspect ratio kept: {ratio}");
    assert!(
        files.contains_key("EPUB/images/image-3.jpg"),
        "an opaque BMP becomes JPEG"
    );
    let opf = text(&files, "EPUB/package.opf");
    assert!(opf.contains("href=\"images/image-1.jpg\" media-type=\"image/jpeg\""));
    let cover = image::load_from_memory(&files["EPUB/images/cover.png"]).unwrap();
    assert_eq!((cover.width(), cover.height()), (1600, 2560));
}

#[test]
fn a_front_matter_cover_is_used() {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(160, 256, image::Rgb([0, 90, 200]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let dir = scratch(
        "---\ntitle: Covered\ncover: art.png\n---\n\nText.\n",
        &[("art.png", png)],
    );
    let (_, files, _) = epub_of(dir.path(), "s.md");
    let cover = image::load_from_memory(&files["EPUB/images/cover.png"]).unwrap();
    assert_eq!((cover.width(), cover.height()), (160, 256));
}

#[test]
fn embedded_fonts_are_only_the_faces_used() {
    let ctx = |dir: &std::path::Path| {
        let mut c = ctx_in(dir);
        c.embed_fonts = true;
        c
    };
    let files_of = |dir: &std::path::Path| {
        let c = ctx(dir);
        let loaded = pamphleteer::project::statement::load(&dir.join("s.md"), &c).unwrap();
        let (bytes, _) = pamphleteer::render::epub::epub(&loaded, &c, None).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        let mut css = String::new();
        zip.by_name("EPUB/style.css")
            .unwrap()
            .read_to_string(&mut css)
            .unwrap();
        (names, css)
    };
    // Plain text, no subtitle, no date: the text face's regular and the
    // display face's bold (for the title) only.
    let plain = scratch("---\ntitle: Plain\n---\n\nJust text.\n", &[]);
    let (names, css) = files_of(plain.path());
    let fonts: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("EPUB/fonts/"))
        .collect();
    assert_eq!(
        fonts,
        [
            "EPUB/fonts/NotoSerif-Regular.ttf",
            "EPUB/fonts/Inter-Bold.otf"
        ]
    );
    assert!(css.contains("@font-face { font-family: \"Noto Serif\"; src: url(\"fonts/NotoSerif-Regular.ttf\"); font-weight: normal; font-style: normal; }"));
    // Emphasis and strong text bring in italic and bold.
    let rich = scratch(
        "---\ntitle: Rich\nsubtitle: Sub\n---\n\n*a* **b** ***c***\n",
        &[],
    );
    let (names, _) = files_of(rich.path());
    for f in [
        "NotoSerif-Italic.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-BoldItalic.ttf",
        "Inter-Regular.otf",
    ] {
        assert!(names.contains(&format!("EPUB/fonts/{f}")), "{f} missing");
    }
    // Off by default.
    let (_, files, _) = epub_of(plain.path(), "s.md");
    assert!(!files.keys().any(|n| n.starts_with("EPUB/fonts/")));
}

#[test]
fn notes_in_notes_empty_header_cells_and_odd_urls() {
    let dir = scratch(
        "---\ntitle: Odd\ndate: 2026-01-01\n---\n\nText.[^o] And [a link](<http://x.org/a b\"c>).\n\n| | B |\n|---|---|\n| 1 | 2 |\n\n[^o]: Outer.[^i]\n[^i]: Inner.\n",
        &[],
    );
    let (_, files, _) = epub_of(dir.path(), "s.md");
    let body = text(&files, "EPUB/text.xhtml");
    assert!(
        body.contains("id=\"fn-1\"") && body.contains("id=\"fn-2\""),
        "the inner note is written"
    );
    assert!(
        body.contains("<td></td><th scope=\"col\">B</th>"),
        "an empty header cell is a plain cell"
    );
    assert!(body.contains("href=\"http://x.org/a%20b%22c\""), "{body}");
    assert!(body.contains("<p><span class=\"note-number\">1.</span> Outer."));
}
