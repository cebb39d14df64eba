//! The products of one statement: its Typst source, its reading PDF (kept
//! to its pages), imposed sheets, a press PDF and its e-book, made in memory
//! from the statement as read. Nothing is written here.

use crate::model::diagnostics::{Report, Severity};
use typst_pdf::PdfStandard;

use crate::model::units::{Length, num};
use crate::project::context::Context;
use crate::project::settings::{Balance, Settings};
use crate::project::statement::{Loaded, source_name};
use crate::render::compile::{self, Compiled, Error, Input, export, pdf, pdf_options};
use crate::render::fit;
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
    /// Whether copyfitting chose the PDF's setting.
    pub fitted: bool,
    /// Warnings and notes, already rendered.
    pub report: Report,
}

/// Makes every wanted product of a statement already read.
pub fn products(loaded: &Loaded, ctx: &Context, wanted: Wanted) -> Result<Products, Error> {
    let mut p = Products::default();
    for n in &loaded.notes {
        p.report.diagnostic(n);
    }
    for w in &loaded.warnings {
        p.report.diagnostic(w);
    }
    let print = wanted.impose || wanted.press;
    let fitting = fits(loaded) || (loaded.settings.pages.is_some() && loaded.settings.shrink > 0.0);
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
            fitted,
            ..
        } = fit(loaded, ctx)?;
        if printed {
            p.fitted = fitted;
            p.report.extend(report);
            for w in &compiled.warnings {
                p.report.push(Severity::Warning, w.to_string());
            }
        }
        if wanted.epub {
            page_map = Some(crate::render::pages::PageMap::of(&compiled.document));
        }
        if wanted.pdf || wanted.impose {
            let (bytes, notes) = pdf(loaded, &compiled, ctx)?;
            if wanted.pdf {
                for n in notes {
                    p.report.push(Severity::Warning, n);
                }
            }
            p.pages = compiled.document.pages().len();
            if wanted.impose && loaded.layout == "leaflet" {
                p.report.push(Severity::Warning, format!(
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
            p.report.push(Severity::Warning, n);
        }
        p.epub = Some(bytes);
    }
    Ok(p)
}

/// A statement compiled as it will be printed: fitted (see `render::fit`),
/// or, with `fit = false`, as the settings say, with a warning when it runs
/// over `[layout] pages` (after shrinking by up to `shrink`).
pub struct Fitted {
    pub settings: Settings,
    pub typ: TypstSource,
    pub compiled: Compiled,
    pub report: Report,
    /// Whether copyfitting chose the setting.
    pub fitted: bool,
}

pub fn fit(loaded: &Loaded, ctx: &Context) -> Result<Fitted, Error> {
    let name = source_name(&loaded.doc.path, &ctx.root);
    let make = |settings: &Settings| -> Result<(TypstSource, Compiled), Error> {
        let typ = writer::write(&loaded.doc, &name, &loaded.layout, settings);
        let compiled = compile(loaded, &typ, ctx)?;
        Ok((typ, compiled))
    };
    if fits(loaded) {
        copyfit(loaded, ctx, &make)
    } else {
        keep_to_pages(loaded, ctx, &make)
    }
}

/// Whether a statement is fitted: unless `fit = false`, or a booklet (whose
/// pages are folded, not fitted).
fn fits(loaded: &Loaded) -> bool {
    loaded.settings.fit && !matches!(loaded.layout.as_str(), "booklet" | "book")
}

type Make<'a> = dyn Fn(&Settings) -> Result<(TypstSource, Compiled), Error> + 'a;

/// One compile of a fitting, measured.
struct Trial {
    settings: Settings,
    typ: TypstSource,
    compiled: Compiled,
    pages: Vec<fit::PageFill>,
    /// How long Typst took (for the trace).
    took: std::time::Duration,
}

impl Trial {
    fn new(settings: Settings, make: &Make, rtl: bool) -> Result<Trial, Error> {
        let started = std::time::Instant::now();
        let (typ, compiled) = make(&settings)?;
        let took = started.elapsed();
        let pages = fit::measure(&compiled.document, &fit::Geometry::of(&settings, rtl));
        Ok(Trial {
            settings,
            typ,
            compiled,
            pages,
            took,
        })
    }

    /// Whether another size could do no better: whole sheets, every page
    /// passed, the last well filled (its balance is for later).
    fn settled(&self, asked: Option<u32>) -> bool {
        let (faults, _, band) = self.cost(asked);
        let leading = self.settings.leading;
        let unlevel = usize::from(!self.pages.last().is_none_or(|p| fit::level(p, leading)));
        faults == unlevel && band == 0
    }

    /// For the trace: the setting and what it came to.
    fn summary(&self, bounds: &fit::Bounds) -> String {
        let s = &self.settings;
        format!(
            "{}/{}{}{} {}p{:?} {}ms",
            num(s.font_size),
            num(s.leading),
            if s.paper == "a4" { "" } else { " a5" },
            s.balance.map_or(String::new(), |b| format!(" +{}", b.room)),
            self.pages.len(),
            self.cost(bounds.pages),
            self.took.as_millis()
        )
    }

    /// The first page a typesetter would not pass, and why.
    fn fault(&self) -> Option<(usize, String)> {
        (0..self.pages.len()).find_map(|i| fit::fault(&self.pages, i).map(|f| (i + 1, f)))
    }

    /// Whole sheets (or the pages asked for) and no page at fault, then the
    /// fewest pages, then the last page well filled: the lower the better.
    fn cost(&self, asked: Option<u32>) -> (usize, usize, u64) {
        let n = self.pages.len();
        let off = match asked {
            Some(p) => usize::from(n != p as usize),
            None => usize::from(n != 1 && n % 2 == 1),
        };
        // (A page without text of the body, or with a line or two of it,
        // is the worst there is.)
        let faults: usize = (0..n)
            .filter(|&i| fit::fault(&self.pages, i).is_some())
            .map(|i| if self.pages[i].lines() <= 3 { 10 } else { 1 })
            .sum();
        let leading = self.settings.leading;
        let unlevel = usize::from(!self.pages.last().is_none_or(|p| fit::level(p, leading)));
        let last = self.pages.last().map_or(0.0, fit::PageFill::fill);
        (
            faults + off + unlevel,
            n,
            (fit::off_band(last) * 1000.0) as u64,
        )
    }
}

/// Copyfitting: the statement compiled at its settings and measured; the
/// setting the measurement suggests compiled to confirm it (and, where it
/// disagrees, the next suggestion, up to three); then the last page's
/// columns balanced with the closing following them. Only the chosen
/// compile is exported.
fn copyfit(loaded: &Loaded, ctx: &Context, make: &Make) -> Result<Fitted, Error> {
    let rtl = loaded.doc.meta.dir == crate::model::document::Dir::Rtl;
    let bounds = fit::Bounds::of(&loaded.settings, &loaded.layout);
    let mut start = loaded.settings.clone();
    start.balance = Some(Balance {
        room: Length::pt(0.0),
        at: None,
    });
    let mut best = Trial::new(start, make, rtl)?;
    let mut compiles = 1;
    let mut log = vec![best.summary(&bounds)];
    let mut tried = vec![fit::Setting::of(&best.settings)];
    let mut latest_model = fit::Model::of(&best.pages, &best.settings);
    for _ in 0..3 {
        if best.settled(bounds.pages) {
            break;
        }
        let Some(choice) = latest_model
            .as_ref()
            .and_then(|m| m.choose(&loaded.settings, &bounds))
        else {
            break;
        };
        let key = fit::Setting {
            pages: 0,
            last_fill: 0.0,
            balance: 0.0,
            ..choice.clone()
        };
        if tried.contains(&key) {
            break;
        }
        tried.push(key);
        let trial = Trial::new(choice.apply(&best.settings), make, rtl)?;
        compiles += 1;
        log.push(trial.summary(&bounds));
        let measured = fit::Model::of(&trial.pages, &trial.settings);
        latest_model = match (measured, latest_model) {
            (Some(new), Some(old)) => Some(new.with(&old)),
            (new, _) => new,
        };
        if trial.cost(bounds.pages) <= best.cost(bounds.pages) {
            best = trial;
        }
        if best.settled(bounds.pages) {
            break;
        }
    }
    // Over the pages asked for even so: set at the smallest size the bounds
    // allow, so that what is over is said of that.
    if let Some(asked) = bounds.pages
        && best.pages.len() > asked as usize
        && best.settings.font_size > bounds.min
    {
        let mut smallest = best.settings.clone();
        smallest.font_size = bounds.min;
        smallest.balance = Some(Balance {
            room: Length::pt(0.0),
            at: None,
        });
        if let Some(ratio) = bounds.ratio {
            smallest.leading = (bounds.min * ratio * 10.0).round() / 10.0;
        }
        let trial = Trial::new(smallest, make, rtl)?;
        compiles += 1;
        log.push(trial.summary(&bounds));
        if trial.pages.len() <= best.pages.len() {
            best = trial;
        }
    }
    // The last page's columns level, the closing following them; once more,
    // a line either way, where a heading or a paragraph's last lines kept
    // together left them uneven.
    let mut next = fit::balance(&best.pages, &best.settings);
    for _ in 0..3 {
        let Some(balance) = next else { break };
        let mut settings = best.settings.clone();
        settings.balance = Some(balance);
        let trial = Trial::new(settings, make, rtl)?;
        compiles += 1;
        log.push(trial.summary(&bounds));
        next = if trial.pages.len() > best.pages.len() {
            // Too tall a closing: the text went over to another page.
            let room = balance.room.to_pt() - 2.0 * trial.settings.leading;
            (room > 0.0).then(|| Balance {
                room: Length::pt(room.floor()),
                at: balance.at,
            })
        } else {
            fit::rebalance(&trial.pages, &trial.settings)
        };
        if trial.pages.len() == best.pages.len()
            && trial.cost(bounds.pages) <= best.cost(bounds.pages)
        {
            best = trial;
        }
    }
    if std::env::var_os("PAMPHLETEER_FIT_TRACE").is_some() {
        // For the benchmarks: what fitting did, a line a statement.
        let fills: Vec<String> = best
            .pages
            .iter()
            .map(|p| format!("{:.2}", p.fill()))
            .collect();
        eprintln!(
            "fit-trace {}: {compiles} compiles, {} pt on {} pt, {}, pages filled {} (tried {})",
            loaded.doc.path.display(),
            num(best.settings.font_size),
            num(best.settings.leading),
            best.settings.paper,
            fills.join(" "),
            log.join(", ")
        );
    }
    // (One that could not be fitted says so, and is not counted as fitted.)
    let (report, warned) = fit_report(loaded, ctx, &best, &bounds);
    let fitted = !warned;
    Ok(Fitted {
        settings: best.settings,
        typ: best.typ,
        compiled: best.compiled,
        report,
        fitted,
    })
}

/// The note saying what fitting chose, and the warning saying what it could
/// not mend (`true` when there is one).
fn fit_report(
    loaded: &Loaded,
    ctx: &Context,
    best: &Trial,
    bounds: &fit::Bounds,
) -> (Report, bool) {
    let path = loaded.doc.path.display();
    let s = &best.settings;
    let n = best.pages.len();
    let mut how = format!(
        "{n} page{} at {} pt on {} pt",
        if n == 1 { "" } else { "s" },
        num(s.font_size),
        num(s.leading)
    );
    if s.paper != loaded.settings.paper {
        how.push_str(&format!(", on {}", s.paper.to_uppercase()));
    }
    if s.columns != loaded.settings.columns {
        how.push_str(&format!(
            ", in {} column{}",
            s.columns,
            if s.columns == 1 { "" } else { "s" }
        ));
    }
    let mut report = Report::default();
    report.push(Severity::Note, format!("{path}: note: fitted to {how}\n"));
    let lines_per_page = (best.pages.first().map_or(0.0, |p| p.area) / s.leading).floor();
    let columns = f64::from(s.columns.max(1));
    if let Some(asked) = bounds.pages
        && n > asked as usize
    {
        let over = crate::render::print::lines_over(
            &best.compiled.document,
            asked as usize,
            s.margin_bottom.to_pt(),
            s.columns,
        );
        let (key, at) = pages_key(loaded, ctx);
        report.push(Severity::Warning, format!(
            "{path}: warning: runs to {n} pages, more than `{key}{asked}` ({at}) allows, even at {} pt: about {over} line{} over\n  hint: shorten the text by about {over} line{}, or allow more pages\n",
            num(s.font_size),
            if over == 1 { "" } else { "s" },
            if over == 1 { "" } else { "s" },
        ));
    } else if let Some((page, fault)) = best.fault() {
        let last = best.pages.last().map_or(1.0, fit::PageFill::fill);
        let short = ((0.5 - last).max(0.0) * lines_per_page * columns).ceil() as usize;
        let cut = (last * lines_per_page * columns).ceil() as usize;
        let lines = |n: usize| format!("{n} line{}", if n == 1 { "" } else { "s" });
        if n == 1 && best.pages.iter().all(|p| p.lines() == 0) {
            report.push(Severity::Warning, format!(
                "{path}: warning: there is no text to set: page 1 {fault}\n  hint: write the statement's text below its front matter\n",
            ));
        } else if n == 1 {
            report.push(Severity::Warning, format!(
                "{path}: warning: too short to fill its page {}{} pt: page 1 {fault}\n  hint: add about {}, or give it a smaller `paper` (a6)\n",
                if s.font_size >= bounds.short_max - 1e-9 { "even at " } else { "at " },
                num(s.font_size),
                lines(short)
            ));
        } else {
            report.push(Severity::Warning, format!(
                "{path}: warning: cannot be fitted to whole pages: page {page} {fault}\n  hint: cut about {} to end a page sooner, or add about {short} to fill the last page\n",
                lines(cut)
            ));
        }
    } else if let Some(asked) = bounds.pages
        && n < asked as usize
    {
        report.push(
            Severity::Note,
            format!(
                "{path}: note: fills {n} of the {asked} pages asked for, even at {} pt\n",
                num(s.font_size)
            ),
        );
    } else if n > 1 && n % 2 == 1 && bounds.pages.is_none() {
        let last = best.pages.last().map_or(1.0, fit::PageFill::fill);
        let cut = (last * lines_per_page * columns).ceil() as usize;
        report.push(Severity::Note, format!(
            "{path}: note: {n} pages is not a whole number of sheets; cutting about {cut} lines would make it {}\n",
            n - 1
        ));
    }
    let warned = bounds.pages.is_some_and(|p| n > p as usize) || best.fault().is_some();
    (report, warned)
}

/// Where `pages` was given: the front matter's key and line, or the
/// project file's.
fn pages_key(loaded: &Loaded, ctx: &Context) -> (&'static str, String) {
    let meta = &loaded.doc.meta;
    if meta.fitting.pages.is_some() {
        (
            "pages: ",
            format!("{}:{}", loaded.doc.path.display(), meta.line_of("pages")),
        )
    } else {
        ("pages = ", ctx.key_at("layout", "pages"))
    }
}

/// Unfitted (`fit = false`, or a booklet): as the settings say; with
/// `[layout] pages`, the type shrunk by up to `shrink` (a quarter point at
/// a time) until it keeps to them; else a warning that says how much is
/// over.
fn keep_to_pages(loaded: &Loaded, ctx: &Context, make: &Make) -> Result<Fitted, Error> {
    let settings = loaded.settings.clone();
    let (typ, compiled) = make(&settings)?;
    let pages = compiled.document.pages().len();
    let done = |settings, typ, compiled, report| Fitted {
        settings,
        typ,
        compiled,
        report,
        fitted: false,
    };
    let limit = match settings.pages.map(|p| p as usize) {
        Some(limit) if pages > limit => limit,
        _ => return Ok(done(settings, typ, compiled, Report::default())),
    };
    let (key, at) = pages_key(loaded, ctx);
    let mut steps = 1;
    while settings.shrink > 0.0 && 0.25 * steps as f64 <= settings.shrink + 1e-9 {
        let mut smaller = settings.clone();
        smaller.font_size = settings.font_size - 0.25 * steps as f64;
        smaller.leading = settings.leading * smaller.font_size / settings.font_size;
        let (typ, compiled) = make(&smaller)?;
        if compiled.document.pages().len() <= limit {
            let report = Report::said(
                Severity::Note,
                format!(
                    "{}: note: set at {}pt on {}pt instead of {}pt on {}pt to keep to {limit} page{} ({})\n",
                    loaded.doc.path.display(),
                    num(smaller.font_size),
                    num(smaller.leading),
                    num(settings.font_size),
                    num(settings.leading),
                    if limit == 1 { "" } else { "s" },
                    at,
                ),
            );
            return Ok(done(smaller, typ, compiled, report));
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
    let report = Report::said(
        Severity::Warning,
        format!(
            "{}: warning: runs to {pages} pages, more than `{key}{limit}` ({at}) allows: about {over} line{} over\n  hint: {hint}\n",
            loaded.doc.path.display(),
            if over == 1 { "" } else { "s" },
        ),
    );
    Ok(done(settings, typ, compiled, report))
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
