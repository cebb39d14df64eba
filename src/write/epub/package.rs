//! The EPUB package document (OPF) and the container's `container.xml`;
//! `render::epub` zips them with the `zip` crate. Written by hand, not with
//! epub-builder: 0.8.3 gives dc:language and dc:creator the same id, stamps
//! entries with the clock, lists landmarks in the table of contents and
//! hides its metadata renderer (see the README's dependency notes).

use crate::write::epub::xhtml::esc;

/// A file of the publication, under `EPUB/`.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub href: String,
    pub media_type: &'static str,
    /// OPF `properties` (`nav`, `cover-image`, `svg`).
    pub properties: Option<&'static str>,
    pub bytes: Vec<u8>,
    /// In the spine (reading order), in this order.
    pub spine: bool,
}

/// The package metadata, already decided.
#[derive(Debug, Clone)]
pub(crate) struct Metadata {
    pub identifier: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub creators: Vec<String>,
    /// The creators' MARC relator role (`edt` for an anthology's editors).
    pub creator_role: Option<&'static str>,
    /// Those who translated it (MARC relator `trl`).
    pub translators: Vec<String>,
    pub language: String,
    pub date: Option<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    /// The series the book belongs to (the project's title).
    pub collection: Option<String>,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    /// `(property, value)` pairs of accessibility metadata.
    pub accessibility: Vec<(&'static str, String)>,
    /// The print edition the page breaks and page list follow
    /// (`pageBreakSource`).
    pub page_source: Option<String>,
    pub rtl: bool,
}

/// The OPF package document.
pub(crate) fn opf(meta: &Metadata, items: &[Item]) -> String {
    let mut m = String::new();
    m.push_str(&format!(
        "    <dc:identifier id=\"pub-id\">{}</dc:identifier>\n",
        esc(&meta.identifier)
    ));
    m.push_str(&format!(
        "    <dc:title id=\"title\">{}</dc:title>\n",
        esc(&meta.title)
    ));
    m.push_str("    <meta refines=\"#title\" property=\"title-type\">main</meta>\n");
    if let Some(sub) = &meta.subtitle {
        m.push_str(&format!(
            "    <dc:title id=\"subtitle\">{}</dc:title>\n",
            esc(sub)
        ));
        m.push_str("    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n");
    }
    for (i, c) in meta.creators.iter().enumerate() {
        m.push_str(&format!(
            "    <dc:creator id=\"creator-{}\">{}</dc:creator>\n",
            i + 1,
            esc(c)
        ));
        if let Some(role) = meta.creator_role {
            m.push_str(&format!(
                "    <meta refines=\"#creator-{}\" property=\"role\" scheme=\"marc:relators\">{role}</meta>\n",
                i + 1
            ));
        }
    }
    for (i, t) in meta.translators.iter().enumerate() {
        m.push_str(&format!(
            "    <dc:contributor id=\"translator-{0}\">{1}</dc:contributor>\n    <meta refines=\"#translator-{0}\" property=\"role\" scheme=\"marc:relators\">trl</meta>\n",
            i + 1,
            esc(t)
        ));
    }
    m.push_str(&format!(
        "    <dc:language>{}</dc:language>\n",
        esc(&meta.language)
    ));
    if let Some(d) = &meta.date {
        m.push_str(&format!("    <dc:date>{}</dc:date>\n", esc(d)));
    }
    if let Some(p) = &meta.publisher {
        m.push_str(&format!("    <dc:publisher>{}</dc:publisher>\n", esc(p)));
    }
    if let Some(r) = &meta.rights {
        m.push_str(&format!("    <dc:rights>{}</dc:rights>\n", esc(r)));
    }
    if let Some(c) = &meta.collection {
        m.push_str(&format!(
            "    <meta property=\"belongs-to-collection\" id=\"collection\">{}</meta>\n",
            esc(c)
        ));
        m.push_str(
            "    <meta refines=\"#collection\" property=\"collection-type\">series</meta>\n",
        );
    }
    if let Some(d) = &meta.description {
        m.push_str(&format!(
            "    <dc:description>{}</dc:description>\n",
            esc(d)
        ));
    }
    for s in &meta.subjects {
        m.push_str(&format!("    <dc:subject>{}</dc:subject>\n", esc(s)));
    }
    m.push_str(&format!(
        "    <meta property=\"dcterms:modified\">{}</meta>\n",
        esc(&meta.modified)
    ));
    for (property, value) in &meta.accessibility {
        m.push_str(&format!(
            "    <meta property=\"{property}\">{}</meta>\n",
            esc(value)
        ));
    }
    if let Some(source) = &meta.page_source {
        m.push_str(&format!(
            "    <meta property=\"pageBreakSource\">{}</meta>\n",
            esc(source)
        ));
    }
    if let Some(cover) = items.iter().find(|i| i.properties == Some("cover-image")) {
        // EPUB 2 readers find the cover this way.
        m.push_str(&format!(
            "    <meta name=\"cover\" content=\"{}\"/>\n",
            esc(&cover.id)
        ));
    }
    let mut manifest = String::new();
    for i in items {
        let props = i
            .properties
            .map(|p| format!(" properties=\"{p}\""))
            .unwrap_or_default();
        manifest.push_str(&format!(
            "    <item id=\"{}\" href=\"{}\" media-type=\"{}\"{props}/>\n",
            esc(&i.id),
            esc(&i.href),
            i.media_type
        ));
    }
    let spine: String = items
        .iter()
        .filter(|i| i.spine)
        .map(|i| format!("    <itemref idref=\"{}\"/>\n", esc(&i.id)))
        .collect();
    let direction = if meta.rtl {
        " page-progression-direction=\"rtl\""
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{}\" \
         prefix=\"a11y: http://www.idpf.org/epub/vocab/package/a11y/#\">\n\
         \x20 <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{m}  </metadata>\n\
         \x20 <manifest>\n{manifest}  </manifest>\n\
         \x20 <spine{direction}>\n{spine}  </spine>\n</package>\n",
        esc(&meta.language)
    )
}

pub(crate) const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
  <rootfiles>\n    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n\
</container>\n";
