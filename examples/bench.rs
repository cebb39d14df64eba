//! Benchmark: one ~3-page statement, Markdown to PDF, phase by phase.
//!
//! Run with `cargo run --release --example bench [ITERATIONS]`. The statement
//! is generated from a fixed seed, so every run measures the same input.
//! Prints the median wall time of each phase and the share that is
//! pamphleteer's own work (read, parse, write Typst, world setup, file
//! write) rather than Typst's layout and PDF export.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pamphleteer::project::context::Context;
use pamphleteer::project::fonts::Shared;
use pamphleteer::render::world::BuildWorld;

#[path = "corpus.rs"]
mod corpus;

use corpus::statement;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let source = dir.path().join("bench.md");
    std::fs::write(&source, statement(42)).expect("write the statement");
    let out: PathBuf = dir.path().join("bench.pdf");

    let t = Instant::now();
    let shared = Shared::embedded();
    let ctx = Context::new(dir.path().to_path_buf(), shared);
    let startup = t.elapsed();

    let mut setup = Vec::new();
    let (mut read, mut write, mut compile, mut export, mut save, mut total) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut pages = 0;
    for i in 0..=iterations {
        // Every iteration starts cold: no memoised layout from the last one.
        comemo::evict(0);
        let t0 = Instant::now();
        let loaded =
            pamphleteer::project::statement::load(&source, &ctx).expect("the statement reads");
        let t1 = Instant::now();
        let typ = pamphleteer::render::statement::typst_source(&loaded, &ctx);
        let t2 = Instant::now();
        // World setup on its own (compile below builds its own the same way).
        let world = BuildWorld::new(
            ctx.shared.clone(),
            dir.path(),
            typ.text.clone(),
            "bench.typ".into(),
            None,
        );
        drop(world);
        let tw = Instant::now();
        let compiled = pamphleteer::render::statement::compile(&loaded, &typ, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        let t3 = Instant::now();
        let compile_time = t3 - tw;
        let (bytes, _) = pamphleteer::render::compile::pdf(&loaded, &compiled, &ctx)
            .unwrap_or_else(|e| panic!("{e}"));
        let t4 = Instant::now();
        pamphleteer::cmd::output::write_atomic(&out, &bytes).expect("write the PDF");
        let t5 = Instant::now();
        pages = compiled.document.pages().len();
        if i == 0 {
            continue; // warm-up: fonts parsed, library built
        }
        setup.push(tw - t2);
        read.push(t1 - t0);
        write.push(t2 - t1);
        compile.push(compile_time);
        export.push(t4 - t3);
        save.push(t5 - t4);
        total.push(t5 - t0 - (tw - t2));
    }
    let words = statement(42).split_whitespace().count();
    let (read, write, compile, export, save, total) = (
        median(read),
        median(write),
        median(compile),
        median(export),
        median(save),
        median(total),
    );
    let setup = median(setup);
    let ours = read + write + setup + save;
    println!(
        "statement: {words} words, {pages} pages; {iterations} cold iterations after one warm-up"
    );
    println!("process start-up (fonts, library): {startup:?}");
    println!("read + parse Markdown : {read:?}");
    println!("write Typst           : {write:?}");
    println!("world setup           : {setup:?}");
    println!("Typst compile         : {compile:?}  (world setup included)");
    println!("Typst PDF export      : {export:?}");
    println!("atomic write          : {save:?}");
    println!("total (median)        : {total:?}");
    println!(
        "our own work (read, write, world setup, save): {:?} = {:.1}% of the total",
        ours,
        100.0 * ours.as_secs_f64() / total.as_secs_f64()
    );
}
