//! Benchmark: the whole project build, N statements and the anthology of
//! them, as a user runs it (`pamphleteer build --project DIR`).
//!
//! Run:
//!
//! ```sh
//! cargo build --release --bin pamphleteer     # the binary measured
//! cargo run --release --example anthology_bench                 # N = 100
//! cargo run --release --example anthology_bench -- 100 500      # several N
//! ```
//!
//! Options (after `--`, with the N values in any order):
//! `--runs K` (default 3), `--no-epub`, `--no-pdf`, `--no-typst` (turn that
//! product off under `[outputs]`, to see what each costs), `--no-anthology`
//! (leave the `[anthology]` section out: the leaflets alone), `--keep DIR`
//! (write the generated projects under DIR, `DIR/n100` …, and leave them).
//!
//! For each N it generates, from a fixed seed (the same N gives the same
//! bytes on every run; the first 100 statements of N = 500 are those of
//! N = 100), a project in a temporary folder: a `pamphleteer.toml` with an
//! `[anthology]` (title, editors, `group = "year"`, `order = "date"`, a
//! preface) and N statements of about 1,500 words in `sources/`, in English
//! with some German, French and Spanish, by six organisations over three
//! years, with front matter, 3–5 sections, 2–4 footnotes (the same labels
//! in every statement, on purpose: the anthology must keep them apart),
//! lists, a quote, a paragraph of the characters that mean something to
//! Typst and Markdown, bold slogans and an italic signature (the generator
//! is `corpus.rs`, shared with `bench`). It then runs the release binary
//! next to this example (`target/release/pamphleteer`) K times on the
//! project, each time from an empty `out/`, with `SOURCE_DATE_EPOCH` unset,
//! under `/usr/bin/time` for the peak memory (resident set) of the build
//! process; checks that it exited 0 and wrote N PDFs, N EPUBs and the
//! anthology's PDF and EPUB; and prints one line per N: the words in all,
//! the median wall time, the largest peak RSS, the anthology's pages (from
//! the build's summary line), and the median time over that of the first
//! N (how close to linear the build is).
//!
//! Targets (release build, on the 2-core machine the project is developed
//! on; the whole build, every product and the anthology):
//!
//! - 100 statements: under 8 s, peak memory under 1 GiB;
//! - 500 statements: peak memory under 1.5 GiB, time within 5.5× that of
//!   100 (`-- 100 500`).
//!
//! Until the built-in `book` layout exists, a build with an anthology fails
//! with "there is no layout `book`"; the benchmark then writes a minimal
//! stand-in `layouts/book.typ` into the generated project, says so loudly,
//! and its figures are not those of the real book.

#[path = "corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The corpus seed: fixed, so every run measures the same bytes.
const SEED: u64 = 0x5eed_a27b_2026_0001;
/// Words in each statement, about.
const WORDS: usize = 1_500;
/// The anthology's title; its outputs are named after it.
const TITLE: &str = "Statements of Three Years";
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// The stand-in for `layouts/book.typ`, used only while the built-in
/// layout is missing from the binary.
const STUB_BOOK: &str = r#"#let book(meta: (:), settings: (:), body) = { set document(title: meta.title); set page(paper: settings.paper); set text(lang: meta.lang, font: (settings.body-font, ..settings.body-fallback)); title(); outline(); body }
#let part(name) = { pagebreak(); heading(level: 1, name) }
#let preface(title: none, body) = { pagebreak(); heading(level: 1, title); set heading(offset: 1); body }
#let statement(meta: (:), body) = { pagebreak(); set text(lang: meta.lang, dir: meta.dir); heading(level: 2, meta.title); counter(footnote).update(0); set heading(offset: 2); body }
"#;

struct Options {
    ns: Vec<usize>,
    runs: usize,
    pdf: bool,
    epub: bool,
    typst: bool,
    anthology: bool,
    keep: Option<PathBuf>,
}

impl Options {
    fn full(&self) -> bool {
        self.pdf && self.epub && self.typst && self.anthology
    }
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        ns: Vec::new(),
        runs: 3,
        pdf: true,
        epub: true,
        typst: true,
        anthology: true,
        keep: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => {
                o.runs = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&k| k > 0)
                    .ok_or("--runs wants a number above 0")?;
            }
            "--no-pdf" => o.pdf = false,
            "--no-epub" => o.epub = false,
            "--no-typst" => o.typst = false,
            "--no-anthology" => o.anthology = false,
            "--keep" => o.keep = Some(args.next().ok_or("--keep wants a folder")?.into()),
            n => match n.parse::<usize>() {
                Ok(n) if n > 0 => o.ns.push(n),
                _ => return Err(format!("`{n}` is neither a statement count nor an option")),
            },
        }
    }
    if o.ns.is_empty() {
        o.ns.push(100);
    }
    if !(o.pdf || o.epub || o.typst) {
        return Err("--no-pdf, --no-epub and --no-typst together leave nothing to build".into());
    }
    Ok(o)
}

/// What was generated: the words in all, and the statements per language.
struct Corpus {
    words: usize,
    langs: Vec<(&'static str, usize)>,
}

/// Writes the project: `pamphleteer.toml`, `preface.md`, `sources/*.md`.
fn generate(dir: &Path, n: usize, o: &Options) -> std::io::Result<Corpus> {
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources)?;
    let mut config = format!(
        "[project]\n\
         title = \"Bench Statements\"\n\
         publisher = \"Riverside Press\"\n\
         url = \"https://example.org\"\n\
         rights = \"CC BY-SA 4.0\"\n\
         language = \"en\"\n\
         \n\
         [outputs]\n\
         pdf = {}\n\
         epub = {}\n\
         typst = {}\n",
        o.pdf, o.epub, o.typst
    );
    if o.anthology {
        config.push_str(&format!(
            "\n[anthology]\n\
             title = \"{TITLE}\"\n\
             subtitle = \"{first} to {last}\"\n\
             editors = [\"Ada Editor\", \"Bo Compiler\"]\n\
             preface = \"preface.md\"\n\
             group = \"year\"\n\
             order = \"date\"\n",
            first = corpus::FIRST_YEAR,
            last = corpus::FIRST_YEAR + 2
        ));
    }
    std::fs::write(dir.join("pamphleteer.toml"), config)?;
    std::fs::write(dir.join("preface.md"), corpus::preface(SEED))?;
    let mut words = corpus::preface(SEED).split_whitespace().count();
    let mut langs: Vec<(&'static str, usize)> = Vec::new();
    for i in 0..n {
        // Statement i is the same whatever N is.
        let seed = SEED ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let s = corpus::anthology_statement(seed, WORDS);
        words += s.words;
        match langs.iter_mut().find(|(l, _)| *l == s.lang) {
            Some((_, k)) => *k += 1,
            None => langs.push((s.lang, 1)),
        }
        std::fs::write(sources.join(format!("s{:04}.md", i + 1)), s.text)?;
    }
    langs.sort();
    Ok(Corpus { words, langs })
}

/// The release binary next to this example: `target/release/pamphleteer`.
fn binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("where am I? {e}"))?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join(format!("pamphleteer{}", std::env::consts::EXE_SUFFIX)))
        .ok_or("no folder above this example")?;
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: run `cargo build --release --bin pamphleteer` first",
            bin.display()
        ));
    }
    Ok(bin)
}

/// One build: its wall time, its peak resident set, what it said.
struct Run {
    wall: Duration,
    rss_kib: u64,
    ok: bool,
    stderr: String,
}

const TIME: &str = "/usr/bin/time";

/// Runs `pamphleteer build --project DIR` once, from an empty `out/`.
fn build(bin: &Path, dir: &Path, scratch: &Path) -> std::io::Result<Run> {
    let out = dir.join("out");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    if Path::new(TIME).is_file() {
        // GNU time: %M is the peak RSS in KiB; -o keeps it out of stderr.
        let report = scratch.join("time.txt");
        let mut cmd = Command::new(TIME);
        cmd.arg("-f").arg("%e %M").arg("-o").arg(&report);
        cmd.arg(bin).arg("build").arg("--project").arg(dir);
        let started = Instant::now();
        let output = quiet(&mut cmd).output()?;
        let wall = started.elapsed();
        let text = std::fs::read_to_string(&report)?;
        // The last line; a failed command adds "Command exited …" above.
        let rss_kib = text
            .lines()
            .last()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        Ok(Run {
            wall,
            rss_kib,
            ok: output.status.success(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    } else {
        // Without GNU time: poll the child's high-water mark (Linux) until
        // it ends; close to its peak, never above it.
        let mut cmd = Command::new(bin);
        cmd.arg("build").arg("--project").arg(dir);
        let started = Instant::now();
        let child = quiet(&mut cmd).spawn()?;
        let status = format!("/proc/{}/status", child.id());
        let watcher = std::thread::spawn(move || {
            let mut peak = 0;
            while let Ok(s) = std::fs::read_to_string(&status) {
                if let Some(kib) = s
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|k| k.parse::<u64>().ok())
                {
                    peak = peak.max(kib);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        });
        let output = child.wait_with_output()?;
        let wall = started.elapsed();
        Ok(Run {
            wall,
            rss_kib: watcher.join().unwrap_or(0),
            ok: output.status.success(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// No terminal (so no progress bar), no fixed timestamps.
fn quiet(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
}

/// Checks that `out/` holds what the build was asked for.
fn check_outputs(dir: &Path, n: usize, slug: &str, o: &Options) -> Result<(), String> {
    let out = dir.join("out");
    let mut counts = [0usize; 3];
    let entries = std::fs::read_dir(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.file_stem().and_then(|s| s.to_str()) == Some(slug) {
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("pdf") => counts[0] += 1,
            Some("epub") => counts[1] += 1,
            Some("typ") => counts[2] += 1,
            _ => {}
        }
    }
    let mut problems = Vec::new();
    for ((kind, wanted), found) in [
        ("PDFs", o.pdf),
        ("EPUBs", o.epub),
        ("Typst sources", o.typst),
    ]
    .into_iter()
    .zip(counts)
    {
        let expected = if wanted { n } else { 0 };
        if found != expected {
            problems.push(format!("{found} statement {kind} (expected {expected})"));
        }
    }
    if o.anthology {
        for (ext, wanted) in [("pdf", o.pdf), ("epub", o.epub)] {
            let book = out.join(format!("{slug}.{ext}"));
            if wanted && !book.is_file() {
                problems.push(format!("no anthology {}", book.display()));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", out.display(), problems.join(", ")))
    }
}

/// The number after `prefix` in the build's summary, e.g. the anthology's
/// pages from "and the anthology: a PDF (312 pages, 2.1 MiB), …".
fn number_after(stderr: &str, line_start: &str, prefix: &str) -> Option<usize> {
    let line = stderr.lines().rev().find(|l| l.starts_with(line_start))?;
    let rest = &line[line.find(prefix)? + prefix.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The anthology's pages: from the summary line, else by counting page
/// objects in the PDF (works for PDFs without object streams).
fn book_pages(stderr: &str, pdf: &Path) -> Option<usize> {
    number_after(stderr, "and the anthology:", "a PDF (").or_else(|| {
        let bytes = std::fs::read(pdf).ok()?;
        let needle = b"/Type /Page";
        let n = bytes
            .windows(needle.len() + 1)
            .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
            .count();
        (n > 0).then_some(n)
    })
}

/// One N's figures.
struct Figures {
    n: usize,
    words: usize,
    median: Duration,
    min: Duration,
    max: Duration,
    rss_kib: u64,
    book_pages: Option<usize>,
    leaflet_pages: Option<usize>,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: anthology_bench [N ...] [--runs K] [--no-pdf] [--no-epub] [--no-typst] [--no-anthology] [--keep DIR]"
            );
            return ExitCode::from(2);
        }
    };
    let bin = match binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let slug = pamphleteer::anthology::slug(TITLE);
    let scratch = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: a temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("binary: {}", bin.display());
    println!(
        "memory: {}",
        if Path::new(TIME).is_file() {
            "peak RSS from /usr/bin/time (%M)"
        } else {
            "peak RSS polled from /proc/PID/status VmHWM (no /usr/bin/time)"
        }
    );
    if !o.full() {
        println!(
            "partial build (pdf = {}, epub = {}, typst = {}, anthology = {}): the targets are for the whole build",
            o.pdf, o.epub, o.typst, o.anthology
        );
    }
    let mut stub = false;
    let mut all: Vec<Figures> = Vec::new();
    for &n in &o.ns {
        let project: PathBuf = match &o.keep {
            Some(keep) => keep.join(format!("n{n}")),
            None => scratch.path().join(format!("n{n}")),
        };
        if project.exists() {
            let _ = std::fs::remove_dir_all(&project);
        }
        let corpus = match generate(&project, n, &o) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: writing {}: {e}", project.display());
                return ExitCode::FAILURE;
            }
        };
        let langs: Vec<String> = corpus
            .langs
            .iter()
            .map(|(l, k)| format!("{l} {k}"))
            .collect();
        println!(
            "N = {n}: {} words ({} a statement), {}; {} runs…",
            corpus.words,
            corpus.words / n,
            langs.join(", "),
            o.runs
        );
        let mut times = Vec::new();
        let mut rss = 0;
        let mut last = String::new();
        let mut run = 0;
        while run < o.runs {
            let r = match build(&bin, &project, scratch.path()) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: running {}: {e}", bin.display());
                    return ExitCode::FAILURE;
                }
            };
            if !r.ok {
                if r.stderr.contains("there is no layout `book`")
                    && !project.join("layouts/book.typ").exists()
                {
                    stub = true;
                    eprintln!(
                        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                         !!! NOTE: this binary has no built-in `book` layout. The generated project\n\
                         !!! gets a minimal STUB layouts/book.typ: the anthology figures below are\n\
                         !!! NOT those of the real book. Rebuild the binary once layouts/book.typ is\n\
                         !!! built in: cargo build --release --bin pamphleteer\n\
                         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    );
                    let layouts = project.join("layouts");
                    if let Err(e) = std::fs::create_dir_all(&layouts)
                        .and_then(|_| std::fs::write(layouts.join("book.typ"), STUB_BOOK))
                    {
                        eprintln!("error: writing the stub layout: {e}");
                        return ExitCode::FAILURE;
                    }
                    continue; // this run does not count
                }
                let tail: Vec<&str> = r.stderr.lines().rev().take(40).collect();
                eprintln!(
                    "error: the build of {n} statements failed; the end of what it said:\n{}",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
                return ExitCode::FAILURE;
            }
            if let Err(e) = check_outputs(&project, n, &slug, &o) {
                eprintln!("error: the build exited 0 but {e}");
                return ExitCode::FAILURE;
            }
            println!(
                "  run {}: {:.2} s, peak RSS {:.0} MiB",
                run + 1,
                r.wall.as_secs_f64(),
                mib(r.rss_kib)
            );
            times.push(r.wall);
            rss = rss.max(r.rss_kib);
            last = r.stderr;
            run += 1;
        }
        let book_pdf = project.join("out").join(format!("{slug}.pdf"));
        let figures = Figures {
            n,
            words: corpus.words,
            median: median(times.clone()),
            min: *times.iter().min().unwrap_or(&Duration::ZERO),
            max: *times.iter().max().unwrap_or(&Duration::ZERO),
            rss_kib: rss,
            book_pages: if o.anthology && o.pdf {
                book_pages(&last, &book_pdf)
            } else {
                None
            },
            leaflet_pages: number_after(&last, "built ", "PDFs (")
                .or_else(|| number_after(&last, "built ", "PDF (")),
        };
        all.push(figures);
    }

    println!();
    if stub {
        println!("!!! STUB book layout used: the anthology figures are not the real book's !!!");
    }
    println!(
        "{:>6}  {:>9}  {:>8}  {:>15}  {:>8}  {:>10}  {:>8}  {:>6}",
        "stmts", "words", "median s", "min–max s", "peak MiB", "book pages", "leaflets", "ratio"
    );
    let first = all.first().map(|f| f.median.as_secs_f64()).unwrap_or(1.0);
    for f in &all {
        let pages = |p: Option<usize>| p.map_or("-".to_string(), |p| p.to_string());
        println!(
            "{:>6}  {:>9}  {:>8.2}  {:>15}  {:>8.0}  {:>10}  {:>8}  {:>5.2}×",
            f.n,
            f.words,
            f.median.as_secs_f64(),
            format!("{:.2}–{:.2}", f.min.as_secs_f64(), f.max.as_secs_f64()),
            mib(f.rss_kib),
            pages(f.book_pages),
            pages(f.leaflet_pages),
            f.median.as_secs_f64() / first
        );
    }

    // The targets, for the N they name.
    let mut verdicts = Vec::new();
    let at = |n: usize| all.iter().find(|f| f.n == n);
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    if let Some(f) = at(100) {
        let t = f.median.as_secs_f64();
        let m = f.rss_kib as f64 * 1024.0 / GIB;
        verdicts.push(format!("100: time {t:.2} s < 8 s: {}", mark(t < 8.0)));
        verdicts.push(format!("100: memory {m:.2} GiB < 1 GiB: {}", mark(m < 1.0)));
    }
    if let Some(f) = at(500) {
        let m = f.rss_kib as f64 * 1024.0 / GIB;
        verdicts.push(format!(
            "500: memory {m:.2} GiB < 1.5 GiB: {}",
            mark(m < 1.5)
        ));
        if let Some(h) = at(100) {
            let r = f.median.as_secs_f64() / h.median.as_secs_f64();
            verdicts.push(format!(
                "500: time {r:.2}× that of 100 ≤ 5.5×: {}",
                mark(r <= 5.5)
            ));
        }
    }
    if !verdicts.is_empty() {
        println!();
        let note = match (o.full(), stub) {
            (true, false) => "",
            (false, _) => " (partial build: for information only)",
            (true, true) => " (STUB book layout: for information only)",
        };
        println!("targets{note}:");
        for v in verdicts {
            println!("  {v}");
        }
    }
    if let Some(keep) = &o.keep {
        println!("\nprojects kept under {}", keep.display());
    }
    ExitCode::SUCCESS
}
