//! `pamphleteer init`: a project that builds at once.

use std::path::Path;
use std::process::ExitCode;

use crate::cmd::output::write_atomic;
use crate::project::FILE;

/// The project file `init` writes: every setting, each with its default
/// and a comment. (A test checks that it reads as the built-in defaults.)
pub(crate) const PROJECT_TOML: &str = r##"# pamphleteer project settings. Every key may be left out; the values shown
# are the defaults. Precedence: command-line flags > a statement's front
# matter > what pamphleteer infers from a bare statement > [defaults].

[project]
# title = "Statements 2026"            # the collection the e-books belong to
# publisher = "Riverside Press"        # dc:publisher of every e-book
# url = "https://example.org"          # printed under each signature
# rights = "CC BY-SA 4.0"              # printed at the end; dc:rights
# language = "en"                      # for statements without `lang`
# Translations: files NAME.LANG.md (strike.it.md, strike.en.md) are the
# editions of one statement; each names the others under its signature.
# online = "https://example.org/statements/{name}/{lang}/"   # each edition's address
#                                      # ({slug}: the file's name); a QR code on leaflets
# languages = ["it", "en"]             # `check` names the editions a statement lacks

[defaults]
# Front matter every statement gets unless it says otherwise.
# author = "Riverside Tenants' Alliance"   # or a list: ["A", "B"]
# place = "Hamilton"
# date = 2026-05-01
# lang = "en"                          # BCP 47: en, de, fr, ar, pt-BR ...
# dir = "ltr"                          # derived from lang when left out
# layout = "leaflet"                   # leaflet, booklet, or layouts/NAME.typ
# publisher = "Riverside Press"
# keywords = ["housing", "rent"]
infer = true                           # title, signature and slogans of bare statements

[layout]
# The shared look: every Typst layout and the e-book's stylesheet read it.
# Left out, each layout uses its own defaults (the booklet: a5, one column,
# margins 15/18/16/14 mm, leading 13.5pt).
# paper = "a4"                         # any Typst paper: a4, a5, us-letter ...
# margins = { top = "14mm", bottom = "18mm", inside = "15mm", outside = "15mm" }
# columns = 2
# gutter = "6mm"
body-font = "Noto Serif"               # shipped: Noto Serif, Inter; or a font in fonts/
heading-font = "Inter"
body-fallback = ["Noto Naskh Arabic", "Noto Serif Hebrew"]   # for other scripts
heading-fallback = ["Noto Sans Arabic", "Noto Sans Hebrew"]
# font-size = 10                       # points; given, fitting keeps it
# leading = 13
accent = "#b3141c"                     # masthead, rules and slogans
paragraph = "indent"                   # or "spacing"
# fit = true                           # copyfitting: size, leading (and A5 for a short text)
#                                      # chosen to fill whole sheets; false: as set here
# pages = 2                            # fit to this many pages (2: front and back)
# shrink = 1                           # at most 1pt smaller than font-size to keep to `pages`
# qr = true                            # with [project] online: a QR code beside the signature

[outputs]
# What `pamphleteer build` makes of each statement, in `dir`.
pdf = true
epub = true
typst = true
dir = "out"
embed-fonts = false                    # package the shipped fonts in e-books
impose = false                         # also NAME.imposed.pdf: pages two-up in saddle-stitch order
press = false                          # also NAME.press.pdf: bleed, crop marks, TrimBox, BleedBox
bleed = "3mm"                          # the press PDF's bleed
creep = "0mm"                          # imposition: each inner sheet's pages move this far to the fold
# parallel = [["it", "en"]]           # also NAME.it-en.pdf: two editions side by side

# An anthology: `build` also collects the statements into one book,
# out/<slug>.pdf and out/<slug>.epub. Uncomment to make one.
# [anthology]
# title = "Statements 2026"
# subtitle = "A year of organising"
# editors = ["The Editorial Group"]
# publisher = "Riverside Press"        # default: [project] publisher
# preface = "preface.md"               # a Markdown file set before the statements
# statements = ["sources/*.md"]        # patterns, or paths in the order wanted; default: all
# order = "date"                       # date, date-desc, list, title
# group = "year"                       # year, language, organisation; default: none
# layout = "book"
# slug = "statements-2026"             # default: from the title
# lang = "en"                          # default: [project] language
# edition = "en"                       # the book in one language: each statement's edition
#                                      # in it, else its original; default: every edition
# date = 2026-12-31                    # default: the latest statement's date
"##;

/// The example statement `init` writes.
pub(crate) const EXAMPLE: &str = r#"---
title: Light the Library
subtitle: Keep the Eastgate reading room open in the evenings
author: Friends of Eastgate Library
place: Eastgate
date: 2026-11-28
lang: en
---

Since September, the reading room on Mill Street has closed at five. For
the pupils who do their homework there, for the night-shift workers who come
in before work, and for everyone without a quiet room at home, five o'clock
is the middle of the day.

## What the closure costs

The council saves the wages of two evening librarians.[^1] In return, the
only warm, free, quiet place in the ward goes dark at the hour most people
can use it.

> A library that closes when people finish work is a library for people who
> do not work.

## What we ask

- Opening until eight on weekdays, as before September.
- A public count of evening visitors before any further cut.
- A seat for library users on the review panel.

Write to your councillor, and come to the reading room on Thursday at six.

[^1]: Figures from the council's own budget papers for 2026.
"#;

/// The project's README.
const README: &str = r#"# A pamphleteer project

- `pamphleteer build` makes every statement in `sources/` into `out/`: a
  leaflet PDF, an EPUB and the Typst source (see `[outputs]`). Each leaflet
  is fitted to whole sheets (its type size, and for a short text A5): the
  build says how in a note; `fit = false` under `[layout]` turns it off.
- `pamphleteer check` lints the statements without writing anything;
  `pamphleteer check --fix` joins paragraphs split by a pasted page break.
- Settings live in `pamphleteer.toml`; each statement's front matter wins
  over its `[defaults]`.

A project's own `layouts/NAME.typ` adds a layout or replaces a built-in one
of that name (contract: `#let layout(meta: (:), settings: (:), body)`;
`mkdir -p layouts && pamphleteer layout leaflet > layouts/leaflet.typ`
gives one to start from), and fonts in `fonts/` are used before the
shipped ones.
"#;

pub(crate) fn run(dir: &Path) -> ExitCode {
    if dir.exists() && !dir.is_dir() {
        eprintln!("error: {} is a file, not a folder", dir.display());
        eprintln!("  hint: name a new folder for the project, or an existing one");
        return ExitCode::from(2);
    }
    let file = dir.join(FILE);
    if file.exists() {
        eprintln!("error: {} already exists", file.display());
        eprintln!("  hint: this folder is already a project; run `pamphleteer build` in it");
        return ExitCode::from(1);
    }
    let mut made = Vec::new();
    let mut kept = Vec::new();
    for (path, text) in [
        (file.clone(), PROJECT_TOML),
        (dir.join("sources").join("example.md"), EXAMPLE),
        (dir.join("README.md"), README),
        (dir.join(".gitignore"), "/out/\n"),
    ] {
        if path.exists() {
            kept.push(path);
            continue;
        }
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
        made.push(path);
    }
    for p in &made {
        eprintln!("created {}", p.display());
    }
    for p in &kept {
        eprintln!("kept {} (it already exists)", p.display());
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    eprintln!("next: {cd}pamphleteer build");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::settings::Settings;

    #[test]
    fn the_template_says_the_defaults() {
        let c = crate::project::config::parse(Path::new(FILE), PROJECT_TOML).unwrap();
        assert_eq!(Settings::resolve("leaflet", &c.layout), Settings::default());
        assert_eq!(
            Settings::resolve("booklet", &c.layout),
            Settings::for_layout("booklet")
        );
        let d = crate::project::config::Outputs::default();
        let o = &c.outputs;
        assert_eq!(
            (o.pdf, o.epub, o.typst, o.dir.as_str(), o.embed_fonts),
            (d.pdf, d.epub, d.typst, d.dir.as_str(), d.embed_fonts)
        );
        assert_eq!(
            (o.impose, o.press, o.bleed, o.creep),
            (d.impose, d.press, d.bleed, d.creep)
        );
        // The commented lines are valid settings too, once uncommented.
        let all: String = PROJECT_TOML
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = ") || r.starts_with('['))
                    .unwrap_or(l)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let c = crate::project::config::parse(Path::new(FILE), &all).unwrap();
        let expected = Settings {
            pages: Some(2),
            shrink: 1.0,
            fixed: crate::project::settings::FixedBy {
                font_size: true,
                leading: true,
                columns: true,
                paper: true,
            },
            ..Settings::default()
        };
        assert_eq!(Settings::resolve("leaflet", &c.layout), expected);
        assert_eq!(c.anthology.unwrap().title, "Statements 2026");
    }
}
