//! The products of one statement: its Typst source, its reading PDF (kept
//! to its pages), imposed sheets, a press PDF and its e-book, made in memory
//! from the statement as read. Nothing is written here.

use typst_pdf::PdfStandard;

use crate::model::units::num;
use crate::project::context::Context;
use crate::project::settings::Settings;
use crate::project::statement::{Loaded, source_name};
use crate::render::compile::{self, Compiled, Error, Input, export, pdf, pdf_options};
use crate::write::typst::statement::{self as writer, TypstSource};

/// The Typst source for a loaded statement.
pub fn typst_source(loaded: &Loaded, ctx: &Context) -> TypstSource {
    writer::write(
        &loaded.doc,
        &source_name(&loaded.doc.path, &ctx.root),
        &loaded.layout,
        &loaded.settings,
    )
}

/// Compiles a statement's Typst source; its errors point at the Markdown.
pub fn compile(loaded: &Loaded, typ: &TypstSource, ctx: &Context) -> Result<Compiled, Error> {
    let doc = &loaded.doc;
    let stem = doc
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut input = Input::new(
        typ.text.clone(),
        format!("{stem}.typ (generated)"),
        doc.meta.date.or(ctx.epoch_date),
    );
    input.origins = typ
        .md_map
        .iter()
        .map(|(at, line)| (*at, doc.path.clone(), *line))
        .collect();
    compile::compile(input, ctx)
}

/// Which products to make of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub typst: bool,
    pub pdf: bool,
    pub epub: bool,
    /// The PDF's pages imposed two-up for saddle stitching.
    pub impose: bool,
    /// A press PDF: bleed, crop marks, TrimBox and BleedBox.
    pub press: bool,
}

impl Wanted {
    /// The files the wanted products are written to, by extension, the
    /// reading PDF, e-book or source first (`true`: what `-o` names).
    pub fn files(self) -> impl Iterator<Item = (&'static str, bool)> {
        [
            (self.pdf, "pdf", true),
            (self.epub, "epub", true),
            (self.typst, "typ", true),
            (self.impose, "imposed.pdf", false),
            (self.press, "press.pdf", false),
        ]
        .into_iter()
        .filter(|(on, _, _)| *on)
        .map(|(_, ext, main)| (ext, main))
    }
}

/// What a statement was made into, in memory, and what to tell the user.
#[derive(Debug, Default)]
pub struct Products {
    pub typst: Option<Vec<u8>>,
    pub pdf: Option<Vec<u8>>,
    pub pages: usize,
    pub epub: Option<Vec<u8>>,
    /// The imposed sheets, and how many sheet sides.
    pub imposed: Option<Vec<u8>>,
    pub sides: usize,
    pub press: Option<Vec<u8>>,
    /// Warnings and notes, already rendered.
    pub report: String,
}

/// Makes every wanted product of a statement already read.
pub fn products(loaded: &Loaded, ctx: &Context, wanted: Wanted) -> Result<Products, Error> {
    let mut p = Products::default();
    for n in &loaded.notes {
        p.report.push_str(&n.short());
        p.report.push('\n');
    }
    for w in &loaded.warnings {
        p.report.push_str(&w.render_from_disk());
    }
    let print = wanted.impose || wanted.press;
    let fitting = loaded.settings.pages.is_some() && loaded.settings.shrink > 0.0;
    let printed = wanted.pdf || print || (wanted.typst && fitting);
    // (The e-book marks the pages of the PDF as it is laid out; laid out
    // for the e-book alone, its warnings are the PDF's to give.)
    let mut page_map = None;
    if printed || wanted.epub {
        let Fitted {
            settings,
            typ,
            compiled,
            report,
        } = fit(loaded, ctx)?;
        if printed {
            p.report.push_str(&report);
            for w in &compiled.warnings {
                p.report.push_str(&w.to_string());
            }
        }
        if wanted.epub {
            page_map = Some(crate::render::pages::PageMap::of(&compiled.document));
        }
        if wanted.pdf || wanted.impose {
            let (bytes, notes) = pdf(loaded, &compiled, ctx)?;
            if wanted.pdf {
                for n in notes {
                    p.report.push_str(&n);
                    p.report.push('\n');
                }
            }
            p.pages = compiled.document.pages().len();
            if wanted.impose && loaded.layout == "leaflet" {
                p.report.push_str(&format!(
                    "{}: warning: not imposed: a leaflet is printed flat, not folded into a booklet\n  hint: give it `layout: booklet` (front matter, [defaults] or --layout) to impose it\n",
                    loaded.doc.path.display()
                ));
            } else if wanted.impose {
                let (sheets, sides) = crate::render::print::impose(
                    &bytes,
                    &compiled.document,
                    loaded,
                    &settings,
                    ctx,
                )?;
                p.imposed = Some(sheets);
                p.sides = sides;
            }
            if wanted.pdf {
                p.pdf = Some(bytes);
            }
        }
        if wanted.press {
            p.press = Some(press(loaded, &settings, ctx)?);
        }
        if wanted.typst {
            p.typst = Some(typ.text.into_bytes());
        }
    } else if wanted.typst {
        p.typst = Some(typst_source(loaded, ctx).text.into_bytes());
    }
    if wanted.epub {
        let (bytes, notes) = crate::render::epub::epub(loaded, ctx, page_map.as_ref())?;
        for n in notes {
            p.report.push_str(&n);
            p.report.push('\n');
        }
        p.epub = Some(bytes);
    }
    Ok(p)
}

/// A statement compiled to the pages it is meant to fill (`[layout]
/// pages`): as it is, or with the type shrunk (down to `[layout] shrink`
/// points smaller, a quarter point at a time) until it fits; else with a
/// warning that says how much is over.
pub struct Fitted {
    pub settings: Settings,
    pub typ: TypstSource,
    pub compiled: Compiled,
    pub report: String,
}

pub fn fit(loaded: &Loaded, ctx: &Context) -> Result<Fitted, Error> {
    let name = source_name(&loaded.doc.path, &ctx.root);
    let make = |settings: &Settings| -> Result<(TypstSource, Compiled), Error> {
        let typ = writer::write(&loaded.doc, &name, &loaded.layout, settings);
        let compiled = compile(loaded, &typ, ctx)?;
        Ok((typ, compiled))
    };
    let settings = loaded.settings.clone();
    let (typ, compiled) = make(&settings)?;
    let pages = compiled.document.pages().len();
    let limit = match settings.pages.map(|p| p as usize) {
        Some(limit) if pages > limit => limit,
        _ => {
            return Ok(Fitted {
                settings,
                typ,
                compiled,
                report: String::new(),
            });
        }
    };
    let at = ctx.key_at("layout", "pages");
    let mut steps = 1;
    while settings.shrink > 0.0 && 0.25 * steps as f64 <= settings.shrink + 1e-9 {
        let mut smaller = settings.clone();
        smaller.font_size = settings.font_size - 0.25 * steps as f64;
        smaller.leading = settings.leading * smaller.font_size / settings.font_size;
        let (typ, compiled) = make(&smaller)?;
        if compiled.document.pages().len() <= limit {
            let report = format!(
                "{}: note: set at {}pt on {}pt instead of {}pt on {}pt to keep to {limit} page{} ({})\n",
                loaded.doc.path.display(),
                num(smaller.font_size),
                num(smaller.leading),
                num(settings.font_size),
                num(settings.leading),
                if limit == 1 { "" } else { "s" },
                at,
            );
            return Ok(Fitted {
                settings: smaller,
                typ,
                compiled,
                report,
            });
        }
        steps += 1;
    }
    let over = crate::render::print::lines_over(
        &compiled.document,
        limit,
        settings.margin_bottom.to_pt(),
        settings.columns,
    );
    let hint = if settings.shrink > 0.0 {
        format!(
            "shrinking the type by {}pt was not enough: shorten the text, or allow more pages",
            num(settings.shrink)
        )
    } else if over <= 20 {
        "shorten the text, or let the type shrink to fit: `shrink = 1` under [layout]".to_string()
    } else {
        // (A point less holds a few lines a page, not a score.)
        "shorten the text, or allow more pages".to_string()
    };
    let report = format!(
        "{}: warning: runs to {pages} pages, more than `pages = {limit}` ({at}) allows: about {over} line{} over\n  hint: {hint}\n",
        loaded.doc.path.display(),
        if over == 1 { "" } else { "s" },
    );
    Ok(Fitted {
        settings,
        typ,
        compiled,
        report,
    })
}

/// The press PDF: the statement compiled again with the bleed and crop
/// marks, PDF/A-2b where it has a date (not PDF/UA: it is for the press,
/// not for reading), with each page's BleedBox set.
fn press(loaded: &Loaded, settings: &Settings, ctx: &Context) -> Result<Vec<u8>, Error> {
    let bleed = ctx.config.outputs.bleed;
    let mut settings = settings.clone();
    settings.bleed = Some(bleed);
    let typ = writer::write(
        &loaded.doc,
        &source_name(&loaded.doc.path, &ctx.root),
        &loaded.layout,
        &settings,
    );
    let compiled = compile(loaded, &typ, ctx)?;
    let date = loaded.doc.meta.date.or(ctx.epoch_date);
    let standards: &[PdfStandard] = if date.is_some() {
        &[PdfStandard::A_2b]
    } else {
        &[]
    };
    let options = pdf_options(
        format!(
            "pamphleteer/press/{}",
            source_name(&loaded.doc.path, &ctx.root)
        ),
        date,
        standards,
    )?;
    let bytes = export(&compiled, &options)?;
    crate::render::print::add_bleed_boxes(&bytes, bleed.to_pt())
        .map_err(|e| Error::product("the press PDF", e))
}
