//! Benchmark: what the drawn e-book cover costs against the whole e-book.
//!
//! Run with `cargo run --example cover_bench [ITERATIONS] [STATEMENT.md]`
//! from the repository root (its `pamphleteer.toml`, `sources/` and
//! `fonts/` are the project); the statement defaults to
//! `sources/housing-now.md`. Prints the median of each phase: the cover's
//! compile, render and PNG encode, the PNG's size, and the e-book.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use pamphleteer::project::Project;
use pamphleteer::project::context::context_for;
use pamphleteer::render::compile::{Input, compile};
use pamphleteer::render::epub::COVER_SIZE;
use pamphleteer::write::typst::statement::cover_source;

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
    let source = pamphleteer::project::statement::source_name(&loaded.doc.path, &ctx.root);
    let mut meta = loaded.doc.meta.clone();
    meta.title = Some(loaded.doc.book_title());
    let text = cover_source(&meta, &source, &loaded.settings);

    let (mut compiles, mut renders, mut convert, mut encodes, mut epubs, mut warm) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut sizes = (0, 0);
    for i in 0..=iterations {
        comemo::evict(0);
        let t0 = Instant::now();
        let cover = compile(
            Input::new(text.clone(), "cover.typ (generated)".into(), None),
            &ctx,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let t1 = Instant::now();
        let page = &cover.document.pages()[0];
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(
                f64::from(COVER_SIZE.0) / page.frame.width().to_pt(),
            ),
            render_bleed: false,
        };
        let pixmap = typst_render::render(page, &options);
        let t2 = Instant::now();
        let rgba =
            image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec())
                .expect("a pixmap");
        let rgb = image::DynamicImage::ImageRgba8(rgba).to_rgb8();
        let t3 = Instant::now();
        let mut png = Vec::new();
        rgb.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
            .expect("encoded");
        let t4 = Instant::now();
        comemo::evict(0);
        let t5 = Instant::now();
        let (bytes, _) =
            pamphleteer::render::epub::epub(&loaded, &ctx, None).unwrap_or_else(|e| panic!("{e}"));
        let t6 = Instant::now();
        let (again, _) =
            pamphleteer::render::epub::epub(&loaded, &ctx, None).unwrap_or_else(|e| panic!("{e}"));
        let t7 = Instant::now();
        assert_eq!(bytes, again, "the same e-book twice");
        sizes = (png.len(), bytes.len());
        if i == 0 {
            continue;
        }
        compiles.push(t1 - t0);
        renders.push(t2 - t1);
        convert.push(t3 - t2);
        encodes.push(t4 - t3);
        epubs.push(t6 - t5);
        warm.push(t7 - t6);
    }
    let (c, r, v, e) = (
        median(compiles),
        median(renders),
        median(convert),
        median(encodes),
    );
    let (book, warm) = (median(epubs), median(warm));
    println!(
        "{}: {iterations} iterations after a warm-up",
        path.display()
    );
    println!("cover compile (cold)  : {c:?}");
    println!("cover render          : {r:?}");
    println!("pixmap to RGB         : {v:?}");
    println!("PNG encode            : {e:?}");
    println!("cover in all          : {:?}", c + r + v + e);
    println!("cover PNG             : {} bytes", sizes.0);
    println!("e-book (cold)         : {book:?} ({} bytes)", sizes.1);
    println!("e-book again (warm)   : {warm:?}");
    println!(
        "the cover's share     : {:.0}%",
        100.0 * (c + r + v + e).as_secs_f64() / book.as_secs_f64()
    );
}
