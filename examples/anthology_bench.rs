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
//! For each N it generates, from a fixed seed (the same N gives the same
//! bytes on every run; the first 100 statements of N = 500 are those of
//! N = 100), a project in a temporary folder: a `pamphleteer.toml` with an
//! `[anthology]` (title, editors, `group = "year"`, `order = "date"`, a
//! preface) and N statements of about 1,500 words in `sources/`, mostly in
//! English with some German, French and Spanish, by six organisations over
//! three years, with front matter, 3–5 sections, 2–4 footnotes (the same
//! labels in every statement, on purpose: the anthology must keep them
//! apart), lists, a quote, a paragraph of the characters that mean
//! something to Typst and Markdown, bold slogans and an italic signature
//! (the generator is `corpus.rs`, shared with `bench`).
//!
//! It then runs the release binary next to this example
//! (`target/release/pamphleteer`) K times on the project, each time from an
//! empty `out/`, with `SOURCE_DATE_EPOCH` unset and stderr captured (not a
//! terminal: one line per statement), under `/usr/bin/time` for the peak
//! memory (resident set) of the build process; checks that it exited 0 and
//! wrote N PDFs, N EPUBs, N Typst sources and the anthology's PDF and EPUB;
//! and prints one line per N: the words in all, the median wall time (and
//! the fastest and slowest run), the build's CPU time, the largest peak
//! RSS, the anthology's pages (from the build's summary line) and the
//! leaflets' pages, and the median time over that of the first N (how close
//! to linear the build is).
//!
//! It also splits each build in two at the moment the last statement's line
//! arrives: until then, and what is left after (RSS sampled every 10 ms
//! from `/proc/PID/status`). Since the book is made beside the statements
//! (it starts first, on one core), the first part holds most of the book
//! too, and the second is what of the book outlasts the statements. A run during which other
//! processes took noticeable CPU time (from `/proc/stat`) is marked noisy.
//!
//! Options (after `--`, with the N values in any order):
//!
//! - `--runs K`: builds per N (default 3);
//! - `--no-pdf`, `--no-epub`, `--no-typst`: turn that product off under
//!   `[outputs]` (for the statements and the book), to see what each costs;
//! - `--no-anthology`: leave the `[anthology]` section out (the leaflets
//!   alone);
//! - `--no-fit`: `fit = false` under `[layout]`: the leaflets set at the
//!   layout's sizes, unfitted (against the default, what copyfitting
//!   costs: `-- 100 --no-anthology --no-typst` and the same with
//!   `--no-fit`);
//! - `--keep DIR`: write the generated projects under DIR (`DIR/n100` …)
//!   and leave them there;
//! - `--max-rss GIB` (default 4), `--timeout S` (default 300): a build that
//!   passes either is killed and reported as failed, so that a runaway does
//!   not take the machine with it;
//! - `--min-stack MIB`: run the build with `RUST_MIN_STACK` set, for a
//!   build whose threads overflow their stacks (reported as not the build
//!   as shipped);
//! - `--book-layout FILE`: copy FILE into each project as
//!   `layouts/book.typ`, over the built-in layout (to try a change to it;
//!   reported as such).
//!
//! Targets (release build, on the 2-core machine the project is developed
//! on; the whole build, every product and the anthology):
//!
//! - 100 statements: under 8 s, peak memory under 1 GiB;
//! - 500 statements: peak memory under 1.5 GiB, time within 5.5× that of
//!   100 (`-- 100 500`).
//!
//! The benchmark prints which of these were met (for a partial build, or
//! one with another layout or stack, for information only).
//!
//! A binary without the built-in `book` layout fails a build with an
//! anthology with "there is no layout `book`"; the benchmark then writes a
//! minimal stand-in `layouts/book.typ` into the generated project, says so
//! loudly, and its figures are not those of the real book.

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
    /// Copyfitting (off: `[layout] fit = false`, to see what it costs).
    fit: bool,
    keep: Option<PathBuf>,
    /// `RUST_MIN_STACK` for the build, in MiB (a workaround, reported).
    min_stack: Option<usize>,
    /// A `book.typ` to use instead of the built-in one (for its author).
    book_layout: Option<PathBuf>,
    /// A build is stopped when its RSS passes this (GiB) …
    max_rss: f64,
    /// … or when it has run this long (seconds).
    timeout: f64,
}

impl Options {
    fn full(&self) -> bool {
        self.pdf && self.epub && self.typst && self.anthology && self.fit
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
        fit: true,
        keep: None,
        min_stack: None,
        book_layout: None,
        max_rss: 4.0,
        timeout: 300.0,
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
            "--no-fit" => o.fit = false,
            "--keep" => o.keep = Some(args.next().ok_or("--keep wants a folder")?.into()),
            "--book-layout" => {
                o.book_layout = Some(args.next().ok_or("--book-layout wants a file")?.into());
            }
            "--max-rss" => {
                o.max_rss = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&g: &f64| g > 0.0)
                    .ok_or("--max-rss wants a size in GiB")?;
            }
            "--timeout" => {
                o.timeout = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|&t: &f64| t > 0.0)
                    .ok_or("--timeout wants seconds")?;
            }
            "--min-stack" => {
                o.min_stack = Some(
                    args.next()
                        .and_then(|s| s.parse().ok())
                        .filter(|&m| m > 0)
                        .ok_or("--min-stack wants a size in MiB")?,
                );
            }
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
    if !o.fit {
        config.push_str("\n[layout]\nfit = false\n");
    }
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
    if let Some(book) = &o.book_layout {
        std::fs::create_dir_all(dir.join("layouts"))?;
        std::fs::copy(book, dir.join("layouts/book.typ"))?;
    }
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
    /// The build's CPU time (user + system), when `/usr/bin/time` ran it.
    cpu: Option<f64>,
    /// CPU time other processes used meanwhile (from `/proc/stat`): the
    /// figures are noisy when it is more than a little.
    others: Option<f64>,
    /// The peak RSS, from `/usr/bin/time` (else the sampled high-water mark).
    rss_kib: u64,
    /// When the last statement was reported built: the anthology follows.
    leaflets: Option<Duration>,
    /// The largest RSS sampled (every 10 ms) up to then, and after.
    leaflet_rss_kib: u64,
    book_rss_kib: u64,
    ok: bool,
    /// Why the benchmark stopped the build, when it did.
    stopped: Option<String>,
    stderr: String,
}

const TIME: &str = "/usr/bin/time";

/// Runs `pamphleteer build --project DIR` once, from an empty `out/`,
/// under `/usr/bin/time` when there is one. Meanwhile it samples the
/// build's RSS and notes when each line of its report arrived, to tell the
/// statements (built in parallel, one line each) from the anthology (after
/// the last of them).
fn build(bin: &Path, dir: &Path, scratch: &Path, o: &Options) -> std::io::Result<Run> {
    use std::io::BufRead;
    let out = dir.join("out");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let timed = Path::new(TIME).is_file();
    let report = scratch.join("time.txt");
    let mut cmd = if timed {
        // GNU time: %M is the peak RSS in KiB; -o keeps it out of stderr.
        let mut cmd = Command::new(TIME);
        cmd.arg("-f")
            .arg("%e %M %U %S")
            .arg("-o")
            .arg(&report)
            .arg(bin);
        cmd
    } else {
        Command::new(bin)
    };
    cmd.arg("build").arg("--project").arg(dir);
    cmd.env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped()); // not a terminal: one plain line a statement
    if let Some(mib) = o.min_stack {
        cmd.env("RUST_MIN_STACK", (mib << 20).to_string());
    }
    let busy_before = busy_seconds();
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    let spawned = child.id();
    let max_rss_kib = (o.max_rss * 1024.0 * 1024.0) as u64;
    let timeout = Duration::from_secs_f64(o.timeout);
    let sampler = std::thread::spawn(move || {
        // The build itself: the child of `time`, or the child.
        let pid = if timed {
            let children = format!("/proc/{spawned}/task/{spawned}/children");
            loop {
                match std::fs::read_to_string(&children) {
                    Ok(s) if !s.trim().is_empty() => {
                        break s.split_whitespace().next().and_then(|p| p.parse().ok());
                    }
                    Ok(_) => std::thread::sleep(Duration::from_millis(1)),
                    Err(_) => break None,
                }
            }
        } else {
            Some(spawned)
        };
        let mut samples: Vec<(Duration, u64, u64)> = Vec::new();
        let mut stopped = None;
        if let Some(pid) = pid {
            let status = format!("/proc/{pid}/status");
            while let Ok(s) = std::fs::read_to_string(&status) {
                let field = |name: &str| {
                    s.lines()
                        .find(|l| l.starts_with(name))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|k| k.parse::<u64>().ok())
                };
                if let (Some(rss), Some(hwm)) = (field("VmRSS:"), field("VmHWM:")) {
                    let t = started.elapsed();
                    samples.push((t, rss, hwm));
                    // A runaway build would take the machine with it.
                    let why = if rss > max_rss_kib {
                        Some(format!(
                            "RSS passed {:.1} GiB (--max-rss)",
                            max_rss_kib as f64 / 1048576.0
                        ))
                    } else if t > timeout {
                        Some(format!(
                            "still running after {:.0} s (--timeout)",
                            timeout.as_secs_f64()
                        ))
                    } else {
                        None
                    };
                    if stopped.is_none() && why.is_some() {
                        let _ = Command::new("kill")
                            .arg("-KILL")
                            .arg(pid.to_string())
                            .status();
                        stopped = why;
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        (samples, stopped)
    });
    let mut stderr = String::new();
    let mut leaflets = None;
    if let Some(pipe) = child.stderr.take() {
        for line in std::io::BufReader::new(pipe).lines() {
            let line = line?;
            // "built sources/x.md → out/x.pdf, …", one per statement.
            if statement_line(&line) {
                leaflets = Some(started.elapsed());
            }
            stderr.push_str(&line);
            stderr.push('\n');
        }
    }
    let status = child.wait()?;
    let wall = started.elapsed();
    let (samples, stopped) = sampler.join().unwrap_or_default();
    let busy = busy_seconds()
        .zip(busy_before)
        .map(|(after, before)| after - before);
    let sampled_peak = samples.iter().map(|s| s.2).max().unwrap_or(0);
    let (mut cpu, mut rss_kib) = (None, sampled_peak);
    if timed {
        let text = std::fs::read_to_string(&report)?;
        // The last line; a failed command adds "Command exited …" above.
        let fields: Vec<f64> = text
            .lines()
            .last()
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        if let [_, m, u, s] = fields[..] {
            rss_kib = m as u64;
            cpu = Some(u + s);
        }
    }
    let split = leaflets.unwrap_or(wall);
    let peak = |keep: &dyn Fn(Duration) -> bool| {
        samples
            .iter()
            .filter(|s| keep(s.0))
            .map(|s| s.1)
            .max()
            .unwrap_or(0)
    };
    Ok(Run {
        wall,
        cpu,
        others: busy.zip(cpu).map(|(b, c)| (b - c).max(0.0)),
        rss_kib,
        leaflets,
        leaflet_rss_kib: peak(&|t| t <= split),
        book_rss_kib: peak(&|t| t > split),
        ok: status.success() && stopped.is_none(),
        stopped,
        stderr,
    })
}

/// Whether a line of the build's report is a statement's
/// ("built sources/x.md → out/x.pdf, …").
fn statement_line(line: &str) -> bool {
    line.starts_with("built ") && line.contains(" → ") && !line.starts_with("built the anthology")
}

/// CPU seconds all processes have spent busy since boot (`/proc/stat`).
fn busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let jiffies: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|j| j.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal …; USER_HZ is 100.
    let total: u64 = jiffies.iter().take(8).sum();
    let idle = jiffies.get(3)? + jiffies.get(4)?;
    Some((total - idle) as f64 / 100.0)
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
    /// Median CPU seconds of the build (user + system).
    cpu: Option<f64>,
    /// Most CPU seconds other processes took during a run.
    others: Option<f64>,
    /// Median time until the last statement was built; the rest is the
    /// anthology (and the summary).
    leaflets: Option<Duration>,
    rss_kib: u64,
    leaflet_rss_kib: u64,
    book_rss_kib: u64,
    book_pages: Option<usize>,
    leaflet_pages: Option<usize>,
    /// Why the build failed, when it did.
    failure: Option<String>,
}

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> Option<T> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied()
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

const STUB_NOTE: &str = "
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!! NOTE: this binary has no built-in `book` layout. The generated project
!!! gets a minimal STUB layouts/book.typ: the anthology figures below are
!!! NOT those of the real book. Rebuild the binary once layouts/book.typ is
!!! built in: cargo build --release --bin pamphleteer
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
";

/// Generates the project for `n` and builds it `o.runs` times.
fn measure(
    n: usize,
    bin: &Path,
    slug: &str,
    scratch: &Path,
    o: &Options,
    stub: &mut bool,
) -> Result<Figures, String> {
    let project: PathBuf = match &o.keep {
        Some(keep) => keep.join(format!("n{n}")),
        None => scratch.join(format!("n{n}")),
    };
    if project.exists() {
        let _ = std::fs::remove_dir_all(&project);
    }
    let corpus =
        generate(&project, n, o).map_err(|e| format!("writing {}: {e}", project.display()))?;
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
    let mut figures = Figures {
        n,
        words: corpus.words,
        median: Duration::ZERO,
        min: Duration::ZERO,
        max: Duration::ZERO,
        cpu: None,
        others: None,
        leaflets: None,
        rss_kib: 0,
        leaflet_rss_kib: 0,
        book_rss_kib: 0,
        book_pages: None,
        leaflet_pages: None,
        failure: None,
    };
    let (mut times, mut cpus, mut splits) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = String::new();
    let mut run = 0;
    while run < o.runs {
        let r = build(bin, &project, scratch, o)
            .map_err(|e| format!("running {}: {e}", bin.display()))?;
        if !r.ok {
            if r.stderr.contains("there is no layout `book`")
                && !project.join("layouts/book.typ").exists()
            {
                *stub = true;
                eprintln!("{STUB_NOTE}");
                let layouts = project.join("layouts");
                std::fs::create_dir_all(&layouts)
                    .and_then(|_| std::fs::write(layouts.join("book.typ"), STUB_BOOK))
                    .map_err(|e| format!("writing the stub layout: {e}"))?;
                continue; // this run does not count
            }
            let tail: Vec<&str> = r.stderr.lines().rev().take(20).collect();
            eprintln!(
                "error: the build of {n} statements failed after {:.2} s (peak RSS {:.0} MiB); the end of what it said:\n{}\n",
                r.wall.as_secs_f64(),
                mib(r.rss_kib),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
            let what = if let Some(why) = &r.stopped {
                format!("stopped: {why}")
            } else if r.stderr.contains("overflowed its stack") {
                "stack overflow".to_string()
            } else {
                "build failed".to_string()
            };
            let phase = match r.leaflets {
                Some(l)
                    if o.anthology
                        && r.stderr.lines().filter(|l| statement_line(l)).count() == n =>
                {
                    format!(
                        " in the anthology (statements done at {:.2} s)",
                        l.as_secs_f64()
                    )
                }
                Some(l) if o.anthology => {
                    format!(" (last statement line at {:.2} s)", l.as_secs_f64())
                }
                _ => String::new(),
            };
            figures.failure = Some(what + &phase);
            figures.rss_kib = r.rss_kib;
            figures.median = r.wall;
            return Ok(figures);
        }
        check_outputs(&project, n, slug, o).map_err(|e| format!("the build exited 0 but {e}"))?;
        let phases = match r.leaflets {
            Some(l) if o.anthology => format!(
                " (statements {:.2} s / {:.0} MiB, then the anthology {:.2} s / {:.0} MiB)",
                l.as_secs_f64(),
                mib(r.leaflet_rss_kib),
                (r.wall - l).as_secs_f64(),
                mib(r.book_rss_kib)
            ),
            _ => String::new(),
        };
        let cpu = r.cpu.map_or(String::new(), |c| format!(", {c:.2} CPU s"));
        let others = match r.others {
            Some(x) if x > 0.05 * r.wall.as_secs_f64() => {
                format!("; other processes took {x:.1} CPU s meanwhile: noisy")
            }
            _ => String::new(),
        };
        println!(
            "  run {}: {:.2} s{cpu}, peak RSS {:.0} MiB{phases}{others}",
            run + 1,
            r.wall.as_secs_f64(),
            mib(r.rss_kib),
        );
        times.push(r.wall);
        if let Some(c) = r.cpu {
            cpus.push(c);
        }
        if let Some(l) = r.leaflets {
            splits.push(l);
        }
        figures.rss_kib = figures.rss_kib.max(r.rss_kib);
        figures.leaflet_rss_kib = figures.leaflet_rss_kib.max(r.leaflet_rss_kib);
        figures.book_rss_kib = figures.book_rss_kib.max(r.book_rss_kib);
        figures.others = match (figures.others, r.others) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        last = r.stderr;
        run += 1;
    }
    figures.median = median(times.clone()).unwrap_or_default();
    figures.min = times.iter().copied().min().unwrap_or_default();
    figures.max = times.iter().copied().max().unwrap_or_default();
    figures.cpu = median(cpus);
    figures.leaflets = median(splits);
    let book_pdf = project.join("out").join(format!("{slug}.pdf"));
    if o.anthology && o.pdf {
        figures.book_pages = book_pages(&last, &book_pdf);
    }
    figures.leaflet_pages =
        number_after(&last, "built ", "PDFs (").or_else(|| number_after(&last, "built ", "PDF ("));
    Ok(figures)
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "error: {e}\nusage: anthology_bench [N ...] [--runs K] [--no-pdf] [--no-epub] [--no-typst] [--no-anthology] [--keep DIR] [--max-rss GIB] [--timeout S] [--min-stack MIB] [--book-layout FILE]"
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
    let slug = pamphleteer::model::names::slug(TITLE);
    let scratch = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: a temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("binary: {} ({cores} cores)", bin.display());
    println!(
        "memory: {}",
        if Path::new(TIME).is_file() {
            "peak RSS from /usr/bin/time (%M); per phase: RSS sampled every 10 ms"
        } else {
            "peak RSS sampled every 10 ms from /proc/PID/status (no /usr/bin/time)"
        }
    );
    if !o.full() {
        println!(
            "partial build (pdf = {}, epub = {}, typst = {}, anthology = {}, fit = {}): the targets are for the whole build",
            o.pdf, o.epub, o.typst, o.anthology, o.fit
        );
    }
    if let Some(m) = o.min_stack {
        println!("workaround: the build runs with RUST_MIN_STACK = {m} MiB");
    }
    if let Some(b) = &o.book_layout {
        println!(
            "!!! the book layout is {} (copied into each project), not the built-in one",
            b.display()
        );
    }
    let mut stub = false;
    let mut all: Vec<Figures> = Vec::new();
    for &n in &o.ns {
        match measure(n, &bin, &slug, scratch.path(), &o, &mut stub) {
            Ok(f) => all.push(f),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }

    println!();
    if stub {
        println!("!!! STUB book layout used: the anthology figures are not the real book's !!!");
    }
    println!(
        "{:>6}  {:>9}  {:>8}  {:>11}  {:>6}  {:>11}  {:>8}  {:>15}  {:>10}  {:>8}  {:>6}",
        "stmts",
        "words",
        "median s",
        "min–max s",
        "CPU s",
        "stmts+book",
        "peak MiB",
        "stmts+book MiB",
        "book pages",
        "leaflets",
        "ratio"
    );
    let first = all
        .iter()
        .find(|f| f.failure.is_none())
        .map(|f| f.median.as_secs_f64());
    let dash = || "-".to_string();
    for f in &all {
        if let Some(why) = &f.failure {
            println!(
                "{:>6}  {:>9}  FAILED: {why} after {:.2} s, peak RSS {:.0} MiB",
                f.n,
                f.words,
                f.median.as_secs_f64(),
                mib(f.rss_kib)
            );
            continue;
        }
        let pages = |p: Option<usize>| p.map_or_else(dash, |p| p.to_string());
        let split = match f.leaflets {
            Some(l) if o.anthology => format!(
                "{:.2}+{:.2}",
                l.as_secs_f64(),
                (f.median.saturating_sub(l)).as_secs_f64()
            ),
            _ => dash(),
        };
        let split_mem = if o.anthology {
            format!("{:.0}+{:.0}", mib(f.leaflet_rss_kib), mib(f.book_rss_kib))
        } else {
            dash()
        };
        println!(
            "{:>6}  {:>9}  {:>8.2}  {:>11}  {:>6}  {:>11}  {:>8.0}  {:>15}  {:>10}  {:>8}  {:>6}",
            f.n,
            f.words,
            f.median.as_secs_f64(),
            format!("{:.2}–{:.2}", f.min.as_secs_f64(), f.max.as_secs_f64()),
            f.cpu.map_or_else(dash, |c| format!("{c:.1}")),
            split,
            mib(f.rss_kib),
            split_mem,
            pages(f.book_pages),
            pages(f.leaflet_pages),
            first.map_or_else(dash, |t| format!("{:.2}×", f.median.as_secs_f64() / t)),
        );
    }
    println!(
        "(median of {} runs; peak: the largest; stmts+book: up to the last statement's line, then the anthology)",
        o.runs
    );
    if let Some(x) = all.iter().filter_map(|f| f.others).reduce(f64::max)
        && x > 0.5
    {
        println!("note: other processes used up to {x:.1} CPU s during a run: the times are noisy");
    }

    // The targets, for the N they name.
    let mut verdicts = Vec::new();
    let at = |n: usize| all.iter().find(|f| f.n == n);
    let mark = |ok: bool| if ok { "met" } else { "MISSED" };
    if let Some(f) = at(100) {
        let t = f.median.as_secs_f64();
        let m = f.rss_kib as f64 * 1024.0 / GIB;
        let ok = f.failure.is_none();
        verdicts.push(format!("100: time {t:.2} s < 8 s: {}", mark(ok && t < 8.0)));
        verdicts.push(format!(
            "100: memory {m:.2} GiB < 1 GiB: {}",
            mark(ok && m < 1.0)
        ));
    }
    if let Some(f) = at(500) {
        let m = f.rss_kib as f64 * 1024.0 / GIB;
        let ok = f.failure.is_none();
        verdicts.push(format!(
            "500: memory {m:.2} GiB < 1.5 GiB: {}",
            mark(ok && m < 1.5)
        ));
        if let Some(h) = at(100).filter(|h| h.failure.is_none() && ok) {
            let r = f.median.as_secs_f64() / h.median.as_secs_f64();
            verdicts.push(format!(
                "500: time {r:.2}× that of 100 ≤ 5.5×: {}",
                mark(r <= 5.5)
            ));
        } else if at(100).is_some() {
            verdicts.push("500: time ≤ 5.5× that of 100: MISSED (a build failed)".into());
        }
    }
    if !verdicts.is_empty() {
        println!();
        let note = if !o.full() {
            " (partial build: for information only)"
        } else if stub {
            " (STUB book layout: for information only)"
        } else if o.book_layout.is_some() {
            " (another book layout: for information only)"
        } else if o.min_stack.is_some() {
            " (with RUST_MIN_STACK set: not the build as shipped)"
        } else {
            ""
        };
        println!("targets{note}:");
        for v in verdicts {
            println!("  {v}");
        }
    }
    if let Some(keep) = &o.keep {
        println!("\nprojects kept under {}", keep.display());
    }
    if all.iter().any(|f| f.failure.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
