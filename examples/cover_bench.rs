//! Benchmark: what the drawn e-book cover costs against the whole e-book.
//!
//! Run with `cargo run --example cover_bench [ITERATIONS] [STATEMENT.md]`
//! from the repository root (its `pamphleteer.toml`, `sources/` and
//! `fonts/` are the project); the statement defaults to
//! `sources/housing-now.md`. Prints the median of each phase: the cover's
//! compile, render and PNG encode (and, to compare, the `image` crate's
//! default encoder on the same pixels), the PNG's size, and the e-book made
//! with a cover drawn afresh and with one from the memo.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pamphleteer::project::Project;
use pamphleteer::project::context::context_for;
use pamphleteer::render::cover;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "sources/housing-now.md".into()),
    );
    let project = Project::open(&PathBuf::from(".")).unwrap_or_else(|e| panic!("{e:?}"));
    let ctx = context_for(&project, false);
    let loaded =
        pamphleteer::project::statement::load(&path, &ctx).unwrap_or_else(|e| panic!("{e:?}"));
    let (doc, settings) = (&loaded.doc, &loaded.settings);

    let mut t: [Vec<Duration>; 8] = Default::default();
    let mut sizes = (0, 0, 0);
    for i in 0..=iterations {
        // Cold: no memoised layout, no drawn cover.
        comemo::evict(0);
        cover::forget();
        let t0 = Instant::now();
        let compiled = cover::compile_cover(doc, settings, &ctx).unwrap_or_else(|e| panic!("{e}"));
        let t1 = Instant::now();
        let page = cover::first_page(&compiled).unwrap_or_else(|e| panic!("{e}"));
        let rgb = cover::pixels(page).unwrap_or_else(|e| panic!("{e}"));
        let t2 = Instant::now();
        let png = cover::encode_png(&rgb).unwrap_or_else(|e| panic!("{e}"));
        let t3 = Instant::now();
        let mut before = Vec::new();
        rgb.write_with_encoder(image::codecs::png::PngEncoder::new(&mut before))
            .expect("encoded");
        let t4 = Instant::now();
        comemo::evict(0);
        cover::forget();
        let t5 = Instant::now();
        let (bytes, _) =
            pamphleteer::render::epub::epub(&loaded, &ctx, None).unwrap_or_else(|e| panic!("{e}"));
        let t6 = Instant::now();
        let (again, _) =
            pamphleteer::render::epub::epub(&loaded, &ctx, None).unwrap_or_else(|e| panic!("{e}"));
        let t7 = Instant::now();
        let drawn = cover::draw(doc, settings, &ctx).unwrap_or_else(|e| panic!("{e}"));
        let t8 = Instant::now();
        assert_eq!(bytes, again, "the same e-book twice");
        assert_eq!(drawn.png, png, "the memo's cover is the one drawn");
        sizes = (png.len(), before.len(), bytes.len());
        if i == 0 {
            continue;
        }
        for (v, d) in t.iter_mut().zip([
            t1 - t0,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            t6 - t5,
            t7 - t6,
            t8 - t7,
            t3 - t0,
        ]) {
            v.push(d);
        }
    }
    let [compile, render, encode, before, cold, warm, hit, all] = t.map(median);
    println!(
        "{}: {iterations} iterations after a warm-up",
        path.display()
    );
    println!("cover compile (cold)       : {compile:?}");
    println!("cover render, to RGB       : {render:?}");
    println!("PNG encode                 : {encode:?}");
    println!(
        "  (image's default encoder : {before:?}, {} bytes)",
        sizes.1
    );
    println!("cover in all (cold)        : {all:?}");
    println!("cover from the memo        : {hit:?}  (compile included)");
    println!("cover PNG                  : {} bytes", sizes.0);
    println!("e-book, cover drawn (cold) : {cold:?} ({} bytes)", sizes.2);
    println!("e-book, cover from memo    : {warm:?}");
    println!(
        "the cover's share (cold)   : {:.0}%",
        100.0 * all.as_secs_f64() / cold.as_secs_f64()
    );
}
