//! A parallel edition: two editions of one statement side by side, each
//! block beside its counterpart (see `write::typst::pairs` and
//! `layouts/parallel.typ`), compiled and exported in memory. Nothing is
//! written here.

use crate::model::diagnostics::Severity;
use std::path::PathBuf;

use typst_pdf::PdfStandard;

use crate::model::diagnostics::Diagnostic;
use crate::model::document::Dir;
use crate::model::lang::autonym;
use crate::project::context::Context;
use crate::project::settings::Settings;
use crate::project::statement::{Loaded, source_name};
use crate::render::compile::{self, Compiled, Error, Input, export, pdf_options, standards_for};
use crate::write::typst::pairs::{self as writer, PairSource, Side};

/// What a parallel edition was made into.
#[derive(Debug)]
pub struct Parallel {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The generated Typst source (it compiles with the stock `typst` CLI
    /// from the project root, as a statement's does).
    pub typst: String,
    pub pages: usize,
    /// Warnings, already rendered: Typst's, and the PDF standards not
    /// claimed (not the editions' own warnings about their Markdown, which
    /// their own builds give).
    pub report: crate::model::diagnostics::Report,
}

/// The two editions in the order they are set across the page: as given
/// (the first on the left), except that a right-to-left edition goes on
/// the right, and when both run right to left, the original does.
pub fn sides<'a>(first: &'a Loaded, second: &'a Loaded) -> (&'a Loaded, &'a Loaded) {
    let rtl = |l: &Loaded| l.doc.meta.dir == Dir::Rtl;
    let original = |l: &Loaded, other: &Loaded| {
        let m = &l.doc.meta;
        m.original == Some(true)
            || (m.original.is_none()
                && m.translators.is_empty()
                && !other.doc.meta.translators.is_empty())
    };
    let swap = match (rtl(first), rtl(second)) {
        (true, false) => true,
        (true, true) => original(first, second),
        _ => false,
    };
    if swap {
        (second, first)
    } else {
        (first, second)
    }
}

/// Two editions can be set side by side only if they are in two
/// languages: the same language twice is an error at the second's `lang`
/// (or its first line).
pub fn check(first: &Loaded, second: &Loaded) -> Result<(), Diagnostic> {
    let (a, b) = (&first.doc, &second.doc);
    if !a.meta.lang.eq_ignore_ascii_case(&b.meta.lang) {
        return Ok(());
    }
    let name = autonym(&a.meta.lang).unwrap_or(&a.meta.lang);
    Err(Diagnostic::new(
        &b.path,
        b.meta.line_of("lang"),
        format!(
            "{} and {} are both in {name} (`{}`): a parallel edition sets two languages side by side",
            a.path.display(),
            b.path.display(),
            b.meta.lang
        ),
    )
    .hint("name two editions of the statement in different languages (sciopero.it.md and sciopero.en.md), or give this one its own `lang:`"))
}

/// The settings of a parallel edition: the project's `[layout]` over the
/// layout's defaults (A4, 10 pt on 13 pt). A statement's own front-matter
/// settings are its leaflet's, and are not used here; nor is copyfitting.
pub fn settings(ctx: &Context) -> Settings {
    Settings::resolve("parallel", &ctx.config.layout)
}

/// The Typst source of the parallel edition of two editions, already in
/// their order across the page (see [`sides`]).
pub fn typst_source(left: &Loaded, right: &Loaded, ctx: &Context) -> PairSource {
    let names = [
        source_name(&left.doc.path, &ctx.root),
        source_name(&right.doc.path, &ctx.root),
    ];
    writer::write(
        Side {
            doc: &left.doc,
            source: &names[0],
        },
        Side {
            doc: &right.doc,
            source: &names[1],
        },
        &settings(ctx),
    )
}

/// Compiles a parallel edition's source; its errors point at the Markdown
/// line of either edition behind the code.
pub fn compile(
    left: &Loaded,
    right: &Loaded,
    typ: &PairSource,
    ctx: &Context,
) -> Result<Compiled, Error> {
    let mut input = Input::new(
        typ.text.clone(),
        format!("{} (generated)", file_name(left, right, "typ")),
        date(left, right, ctx),
    );
    let paths = [&left.doc.path, &right.doc.path];
    input.origins = typ
        .origins
        .iter()
        .map(|(at, side, line)| (*at, paths[*side].clone(), *line))
        .collect();
    compile::compile(input, ctx)
}

/// The parallel edition of two editions of a statement: `first` on the
/// left unless it runs right to left (see [`sides`]). Its PDF claims
/// PDF/A-2b where it has a date and PDF/UA-1 where both editions have a
/// title and every image its alt text. The same editions give the same
/// bytes.
pub fn make(first: &Loaded, second: &Loaded, ctx: &Context) -> Result<Parallel, Error> {
    check(first, second)?;
    let (left, right) = sides(first, second);
    let mut report = crate::model::diagnostics::Report::default();
    let typ = typst_source(left, right, ctx);
    let compiled = compile(left, right, &typ, ctx)?;
    for w in &compiled.warnings {
        report.push(Severity::Warning, w.to_string());
    }
    let (a, why_a) = standards_for(left, ctx);
    let (b, why_b) = standards_for(right, ctx);
    let standards: Vec<PdfStandard> = a.into_iter().filter(|s| b.contains(s)).collect();
    let name = file_name(first, second, "pdf");
    for (loaded, why) in [(left, why_a), (right, why_b)] {
        for why in why {
            report.push(
                Severity::Warning,
                format!(
                    "{}: warning: {name} exported without a claim: {why}\n",
                    loaded.doc.path.display()
                ),
            );
        }
    }
    let options = pdf_options(
        format!(
            "pamphleteer/parallel/{}+{}",
            source_name(&left.doc.path, &ctx.root),
            source_name(&right.doc.path, &ctx.root)
        ),
        date(left, right, ctx),
        &standards,
    )?;
    let pdf = export(&compiled, &options)?;
    Ok(Parallel {
        pdf,
        typst: typ.text,
        pages: compiled.document.pages().len(),
        report,
    })
}

/// The name a parallel edition is given: `NAME.FIRST-SECOND.EXT` in the
/// order the editions were asked for (`sciopero.it-en.pdf`), NAME the
/// statement's (`sciopero` of `sciopero.it.md`), or the first edition's
/// file name without its extension when it has no language in it.
pub fn file_name(first: &Loaded, second: &Loaded, ext: &str) -> String {
    let (left, right) = (first, second);
    let path = &left.doc.path;
    let name = crate::model::lang::file_lang(path)
        .map(|(name, _)| name)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    format!(
        "{name}.{}-{}.{ext}",
        left.doc.meta.lang, right.doc.meta.lang
    )
}

/// The edition's date: the left's, else the right's, else
/// `SOURCE_DATE_EPOCH`'s.
fn date(left: &Loaded, right: &Loaded, ctx: &Context) -> Option<crate::model::document::Date> {
    left.doc
        .meta
        .date
        .or(right.doc.meta.date)
        .or(ctx.epoch_date)
}

/// A parallel edition `[outputs] parallel` asks of a translation group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The first language's edition (on the left unless it runs right to
    /// left) and the second's, as the group holds them.
    pub first: PathBuf,
    pub second: PathBuf,
    /// The file to write, beside the first edition's own outputs:
    /// `NAME.FIRST-SECOND.pdf`, NAME the group's (`sciopero.it-en.pdf`).
    pub file: String,
}

/// The parallel editions `[outputs] parallel` asks for: for each pair of
/// languages, each group that has an edition in both (an edition is in a
/// language when its tag is that one, or when the pair names its primary
/// language: `pt` takes `pt-BR`). In the order of the groups, then of the
/// pairs.
pub fn planned(
    groups: &[crate::project::translations::Group],
    pairs: &[crate::project::config::LangPair],
) -> Vec<Planned> {
    let in_lang = crate::model::lang::in_language;
    let mut out = Vec::new();
    for group in groups {
        for pair in pairs {
            let find = |tag: &str| group.editions.iter().find(|e| in_lang(&e.lang, tag));
            if let (Some(a), Some(b)) = (find(&pair.first), find(&pair.second)) {
                out.push(Planned {
                    first: a.source.clone(),
                    second: b.source.clone(),
                    file: format!("{}.{}-{}.pdf", group.name, pair.first, pair.second),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::config::LangPair;
    use crate::project::translations::{Edition, Group};

    #[test]
    fn each_group_with_both_languages_gets_its_parallel_edition() {
        let group = |name: &str, langs: &[&str]| Group {
            name: name.into(),
            editions: langs
                .iter()
                .map(|l| Edition {
                    source: format!("sources/{name}.{l}.md").into(),
                    lang: l.to_string(),
                })
                .collect(),
        };
        let groups = [
            group("sciopero", &["it", "en", "ar"]),
            group("casa", &["it", "de"]),
            group("greve", &["pt-BR", "fr"]),
        ];
        let pair = |a: &str, b: &str| LangPair {
            first: a.into(),
            second: b.into(),
        };
        let planned = planned(
            &groups,
            &[pair("it", "en"), pair("ar", "it"), pair("pt", "fr")],
        );
        let files: Vec<&str> = planned.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "sciopero.it-en.pdf",
                "sciopero.ar-it.pdf",
                "greve.pt-fr.pdf"
            ]
        );
        assert_eq!(planned[1].first, PathBuf::from("sources/sciopero.ar.md"));
        assert_eq!(planned[1].second, PathBuf::from("sources/sciopero.it.md"));
    }
}
