//! The pipeline end to end on real sources of each kind: a libvips JPEG-tiled pyramid (passthrough,
//! reads limited to the planned tiles), a JPEG 2000 at its reduced level, a progressive JPEG.

use tessella_core::iiif::{Limits, ResolvedRequest, Route, Version, parse_path, resolve};
use tessella_core::pixels::decode::{jp2, jpeg, png};
use tessella_core::pixels::{Budget, Image};
use tessella_core::render::{Cost, CostLimits, OverCost, RenderOptions, Rendered, cost, ranges, render};
use tessella_core::source::{ByteRange, SourceBytes, SourceError, probe};
use tessella_core::{Geometry, LevelData, TilePlan, plan};

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const PYRAMID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rocket-pyramid-jpeg.tif");
const PYRAMID_64: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rocket-320-pyramid-64.tif");
const ROCKET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/rocket.jpg");
const NEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/nemo.jp2");
const ELEPHANTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/Elephants_5640x3172.jpg");

/// Probes `file` through the fetch loop, plans `params`, and fetches only the ranges the render needs
/// into a fresh `SourceBytes`, so a render that touched anything else would fail with NeedBytes.
fn prepare(file: &[u8], params: &str) -> (Geometry, TilePlan, ResolvedRequest, SourceBytes) {
    let len = file.len() as u64;
    let slice = |r: ByteRange| file[r.start as usize..r.end as usize].to_vec();
    let mut header = SourceBytes::new(Some(len));
    header.insert(0, slice(ByteRange::new(0, 16.min(len))));
    let geometry = loop {
        match probe(&header) {
            Ok(g) => break g,
            Err(SourceError::NeedBytes(r)) => header.insert(r.start, slice(r)),
            Err(e) => panic!("{e}"),
        }
    };
    let Ok(Route::Image(req)) = parse_path(Version::V3, &format!("x/{params}")) else { panic!("{params}") };
    let resolved = resolve(&req, geometry.width, geometry.height, &Limits::default()).expect("resolve");
    let p = plan(&geometry, &resolved).expect("plan");
    let mut needed = SourceBytes::new(Some(len));
    for r in ranges(&geometry, &p, len) {
        needed.insert(r.start, slice(r));
    }
    (geometry, p, resolved, needed)
}

fn render_params(file: &[u8], params: &str) -> (Rendered, u64) {
    let (g, p, r, bytes) = prepare(file, params);
    let out =
        render(&g, &p, &r, &bytes, &RenderOptions::default()).unwrap_or_else(|e| panic!("{params}: {e}"));
    (out, bytes.held())
}

fn psnr(a: &Image, b: &Image) -> f64 {
    tessella_core::pixels::psnr(a, b).expect("same size and layout")
}

#[test]
fn pyramid_tile_is_passed_through_byte_for_byte() {
    let file = read(PYRAMID);
    let (out, held) = render_params(&file, "256,0,256,256/256,/0/default.jpg");
    assert!(out.passthrough);
    assert_eq!((out.width, out.height), (256, 256));
    // The body is the stored tile with the level's tables spliced in, nothing re-encoded.
    let (g, p, _, bytes) = prepare(&file, "256,0,256,256/256,/0/default.jpg");
    let LevelData::Tiff(t) = &g.levels[p.level].data else { panic!("not a TIFF level") };
    let tables = t.jpeg_tables.expect("vips writes JPEGTables");
    let tile = p.tiles[0].bytes.expect("tile range");
    let expected = jpeg::splice_tables(
        bytes.read(tables.start, tables.len() as usize).unwrap(),
        bytes.read(tile.start, tile.len() as usize).unwrap(),
    )
    .unwrap();
    assert_eq!(out.body, expected);
    let decoded = jpeg::decode_jpeg(&out.body, &Budget::default()).expect("a standalone JPEG");
    assert_eq!((decoded.width, decoded.height), (256, 256));
    assert!(held < file.len() as u64 / 4, "read {held} of {} bytes", file.len());
}

#[test]
fn requests_that_are_not_the_stored_tile_are_rendered() {
    let file = read(PYRAMID);
    for params in [
        "256,0,256,256/256,/0/gray.jpg",     // quality changes pixels
        "256,0,256,256/256,/0/default.png",  // format
        "256,0,256,256/256,/90/default.jpg", // rotation
        "256,0,256,256/128,/0/default.jpg",  // scale
        "200,0,256,256/256,/0/default.jpg",  // straddles two tiles
    ] {
        let (out, _) = render_params(&file, params);
        assert!(!out.passthrough, "{params}");
        let img = if params.ends_with(".png") {
            png::decode_png(&out.body, &Budget::default())
        } else {
            jpeg::decode_jpeg(&out.body, &Budget::default())
        }
        .expect("decodes");
        assert_eq!((img.width, img.height), (out.width, out.height), "{params}");
    }
}

#[test]
fn pyramid_renders_match_the_original_photo() {
    let file = read(PYRAMID);
    let original = jpeg::decode_jpeg(&read(ROCKET), &Budget::default()).unwrap();
    let (out, _) = render_params(&file, "full/max/0/default.png");
    let rendered = png::decode_png(&out.body, &Budget::default()).unwrap();
    let db = psnr(&rendered, &original);
    assert!(db > 30.0, "full image from 6 JPEG tiles: {db:.1} dB against the source photo");
    // A thumbnail from level 2 (160×106) against the same thumbnail made from the original.
    let (out, held_thumb) = render_params(&file, "full/160,/0/default.png");
    let (_, held_full) = render_params(&file, "full/max/0/default.png");
    assert!(held_thumb * 4 < held_full, "thumbnail read {held_thumb} bytes, full image {held_full}");
    let thumb = png::decode_png(&out.body, &Budget::default()).unwrap();
    assert_eq!((thumb.width, thumb.height), (160, 107));
}

#[test]
fn jpeg2000_renders_from_its_reduced_level() {
    let file = read(NEMO);
    let (g, p, _, _) = prepare(&file, "full/1296,/0/default.png");
    assert_eq!((p.level, g.levels[p.level].data.clone()), (1, LevelData::Jp2 { reduce: 1, layout: None }));
    let (out, _) = render_params(&file, "full/1296,/0/default.png");
    let rendered = png::decode_png(&out.body, &Budget::default()).unwrap();
    let level = jp2::decode_jp2(&file, 1, None, &Budget::default()).unwrap();
    assert_eq!(rendered, level, "an unscaled level passes through losslessly as PNG");
    let (out, _) = render_params(&file, "1000,500,600,400/300,/0/default.jpg");
    assert_eq!((out.width, out.height), (300, 200));
}

#[test]
fn progressive_jpeg_renders_at_any_size() {
    let file = read(ELEPHANTS);
    let (out, _) = render_params(&file, "full/1024,/0/default.jpg");
    assert_eq!((out.width, out.height), (1024, 576));
    let (out, _) = render_params(&file, "2000,1000,512,512/256,/!45/default.png");
    let img = png::decode_png(&out.body, &Budget::default()).unwrap();
    assert!(img.format.has_alpha());
}

#[test]
fn budget_refuses_a_render_before_decoding() {
    let file = read(ELEPHANTS);
    let (g, p, r, bytes) = prepare(&file, "full/1024,/0/default.jpg");
    let opts = RenderOptions {
        budget: Budget { max_pixels: 1_000_000, max_bytes: 1 << 30 },
        ..RenderOptions::default()
    };
    let e = render(&g, &p, &r, &bytes, &opts).unwrap_err();
    assert_eq!(e.status(), 413, "{e}");
}

/// libvips writes RGB-coded JPEG tiles (Photometric RGB) at quality 90 and above; passed through, they
/// carry an Adobe marker so decoders read RGB, and decode to the same pixels as the rendered path.
#[test]
fn rgb_coded_tiles_pass_through_marked_as_rgb() {
    let file = read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rocket-pyramid-rgb-jpeg.tif"));
    let (g, _, _, _) = prepare(&file, "full/max/0/default.jpg");
    let LevelData::Tiff(t) = &g.levels[0].data else { panic!("not a TIFF level") };
    assert_eq!(t.photometric, tessella_core::source::tiff::Photometric::Rgb);
    let (out, _) = render_params(&file, "0,0,256,256/256,/0/default.jpg");
    assert!(out.passthrough);
    assert_eq!(&out.body[2..9], &[0xFF, 0xEE, 0x00, 0x0E, b'A', b'd', b'o']);
    let passed = jpeg::decode_jpeg(&out.body, &Budget::default()).unwrap();
    let (rendered, _) = render_params(&file, "0,0,256,256/256,/0/default.png");
    let rendered = png::decode_png(&rendered.body, &Budget::default()).unwrap();
    let db = psnr(&passed, &rendered);
    assert!(db > 50.0, "passthrough and rendered tile differ: {db:.1} dB");
}

#[test]
fn cost_counts_planned_tiles_for_a_pyramid_and_the_whole_file_otherwise() {
    let file = read(PYRAMID);
    let (g, p, _, bytes) = prepare(&file, "256,0,256,256/256,/0/default.jpg");
    let c = cost(&g, &p, file.len() as u64);
    assert_eq!(c.fetch_bytes, bytes.held());
    assert!(c.fetch_bytes < file.len() as u64 / 4);
    assert_eq!(c.decoded_pixels, 256 * 256);
    assert!(c.peak_memory >= 256 * 256 * 3 + c.fetch_bytes);

    let rocket = read(ROCKET);
    let (g, p, _, _) = prepare(&rocket, "full/max/0/default.jpg");
    let c = cost(&g, &p, rocket.len() as u64);
    assert_eq!(c.fetch_bytes, rocket.len() as u64);
    assert!(c.peak_memory > rocket.len() as u64 + u64::from(g.width) * u64::from(g.height) * 3);
}

#[test]
fn cost_limits_name_the_first_limit_exceeded() {
    let c = Cost { fetch_bytes: 10, decoded_pixels: 100, peak_memory: 1000 };
    let ok = CostLimits { max_fetch_bytes: 10, max_decoded_pixels: 100, max_peak_memory: 1000 };
    assert_eq!(c.check(&ok), Ok(()));
    assert_eq!(c.check(&CostLimits { max_fetch_bytes: 9, ..ok }), Err(OverCost::FetchBytes(10, 9)));
    assert_eq!(c.check(&CostLimits { max_decoded_pixels: 99, ..ok }), Err(OverCost::DecodedPixels(100, 99)));
    assert_eq!(c.check(&CostLimits { max_peak_memory: 999, ..ok }), Err(OverCost::PeakMemory(1000, 999)));
}

/// Our own pyramid writer's output serves like a libvips pyramid: interior tiles pass through as
/// stored, edge tiles and scaled requests render, and the full image stays close to the source.
#[test]
fn our_pyramid_tiff_serves_tiles_by_passthrough() {
    use tessella_core::pixels::encode::{PyramidOptions, encode_pyramid_tiff};
    let original = jpeg::decode_jpeg(&read(ROCKET), &Budget::default()).unwrap();
    let opts = PyramidOptions { tile_size: 256, jpeg_quality: 90 };
    let file = encode_pyramid_tiff(&original, &opts, &Budget::default()).unwrap();

    let (out, held) = render_params(&file, "0,0,256,256/256,/0/default.jpg");
    assert!(out.passthrough, "an interior tile is sent as stored");
    let (g, p, _, _) = prepare(&file, "0,0,256,256/256,/0/default.jpg");
    let tile = p.tiles[0].bytes.expect("tile range");
    assert_eq!(out.body, file[tile.start as usize..tile.end as usize]);
    assert!(held < file.len() as u64 / 2, "read {held} of {} bytes", file.len());
    assert_eq!(g.levels.len(), 3, "640×427 → 320×214 → 160×107 (one tile)");

    let (out, _) = render_params(&file, "512,256,128,171/128,/0/default.jpg");
    assert!(out.passthrough, "the padded edge tile is joined, its padding cut off by the frame");
    let edge = jpeg::decode_jpeg(&out.body, &Budget::default()).unwrap();
    assert_eq!((edge.width, edge.height), (128, 171));
    let (out, _) = render_params(&file, "full/max/0/default.png");
    let rendered = png::decode_png(&out.body, &Budget::default()).unwrap();
    let db = psnr(&rendered, &original);
    assert!(db > 35.0, "full image from our tiles at q90: {db:.1} dB against the source");
    let (out, _) = render_params(&file, "full/160,/0/default.png");
    let thumb = png::decode_png(&out.body, &Budget::default()).unwrap();
    assert_eq!((thumb.width, thumb.height), (160, 107));
}

#[test]
fn decode_full_is_the_full_max_pixels_and_refuses_what_is_not_an_image() {
    let file = read(PYRAMID);
    let mut whole = SourceBytes::new(Some(file.len() as u64));
    whole.insert(0, file.clone());
    let (geometry, image) =
        tessella_core::render::decode_full(&whole, &RenderOptions::default()).expect("decode_full");
    assert_eq!((image.width, image.height), (geometry.width, geometry.height));
    // The same pixels a full/max PNG request renders (PNG is lossless).
    let (png_out, _) = render_params(&file, "full/max/0/default.png");
    let rendered = png::decode_png(&png_out.body, &Budget::default()).expect("png");
    assert_eq!(rendered, image);

    let mut junk = SourceBytes::new(Some(16));
    junk.insert(0, b"not an image at!".to_vec());
    let err = tessella_core::render::decode_full(&junk, &RenderOptions::default()).unwrap_err();
    assert!((400..500).contains(&err.status()) || err.status() == 501, "{err}: {}", err.status());
}

/// Renders `params` without passthrough or joining: the decoded pixels, as PNG, so nothing is lost after.
fn rendered_pixels(file: &[u8], params: &str) -> Image {
    let (g, p, r, bytes) = prepare(file, &params.replace(".jpg", ".png"));
    let opts = RenderOptions { passthrough: false, ..RenderOptions::default() };
    let out = render(&g, &p, &r, &bytes, &opts).unwrap_or_else(|e| panic!("{params}: {e}"));
    png::decode_png(&out.body, &Budget::default()).expect("the rendered PNG decodes")
}

/// A request that is exactly a mosaic of stored tiles at their stored size (a viewer's 512 tile from a
/// 256² pyramid, a whole level) is answered by joining the tiles' coefficients: no pixels decoded, the
/// same pixels as decoding them, and only the planned tiles read.
#[test]
fn stored_tiles_whose_mosaic_is_the_answer_are_joined_without_decoding() {
    let ycbcr = read(PYRAMID);
    let rgb = read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rocket-pyramid-rgb-jpeg.tif"));
    for (file, params, size) in [
        (&ycbcr, "0,0,512,256/512,/0/default.jpg", (512, 256)), // two whole tiles
        (&ycbcr, "256,0,384,427/384,/0/default.jpg", (384, 427)), // 2×2, partial right and bottom
        (&ycbcr, "full/max/0/default.jpg", (640, 427)),         // the whole level 0, 3×2 tiles
        (&rgb, "full/max/0/default.jpg", (384, 256)),           // RGB-coded tiles, marked as RGB
    ] {
        let (out, held) = render_params(file, params);
        assert!(out.passthrough, "{params}: joined");
        let joined = jpeg::decode_jpeg(&out.body, &Budget::default()).expect("the joined JPEG decodes");
        assert_eq!((joined.width, joined.height), size, "{params}");
        let db = psnr(&joined, &rendered_pixels(file, params));
        // The same coefficients: equal pixels except where chroma upsampling now sees across a seam.
        assert!(db > 45.0, "{params}: joined and decoded differ, {db:.1} dB");
        let (_, _, _, planned) = prepare(file, params);
        assert_eq!(held, planned.held(), "{params}: reads only the planned tiles");
    }
    let (out, _) = render_params(&rgb, "full/max/0/default.jpg");
    assert_eq!(&out.body[2..9], &[0xFF, 0xEE, 0x00, 0x0E, b'A', b'd', b'o']);
    // Scaled, shifted, rotated, gray or another format: decoded as before.
    for params in [
        "0,0,512,256/256,/0/default.jpg",
        "8,0,512,256/512,/0/default.jpg",
        "0,0,512,256/512,/90/default.jpg",
        "0,0,512,256/512,/0/gray.jpg",
        "0,0,512,256/512,/0/default.png",
    ] {
        assert!(!render_params(&ycbcr, params).0.passthrough, "{params}");
    }
}

/// Runs a render's jobs in reverse order on one thread (order must not matter), or on threads.
#[derive(Debug)]
struct TestWorkers {
    count: usize,
    threads: bool,
    runs: std::sync::atomic::AtomicUsize,
}

impl tessella_core::render::Workers for TestWorkers {
    fn count(&self) -> usize {
        self.count
    }

    fn run<'a>(&self, jobs: Vec<Box<dyn FnOnce() + Send + 'a>>) {
        self.runs.fetch_add(jobs.len(), std::sync::atomic::Ordering::Relaxed);
        if self.threads {
            std::thread::scope(|s| jobs.into_iter().for_each(|job| drop(s.spawn(job))));
        } else {
            jobs.into_iter().rev().for_each(|job| job());
        }
    }
}

/// A mosaic decoded by bands of tile rows on several workers is the mosaic decoded tile by tile: the
/// same bytes out on 2 to 5 workers, threaded or not, for mosaics of one to four tile rows and one to five
/// columns (a single column, where the first band holds only the first tile, included), at level 0 and at
/// a reduced level, from 256² and 64² tiles.
#[test]
fn tiles_decoded_by_workers_render_the_same_bytes() {
    let serial = RenderOptions { passthrough: false, ..RenderOptions::default() };
    let cases = [
        (PYRAMID, "full/max/0/default.jpg"),
        (PYRAMID, "100,50,500,300/max/0/default.png"),
        (PYRAMID, "300,0,300,427/max/90/gray.png"),
        (PYRAMID_64, "full/max/0/default.png"),
        (PYRAMID_64, "0,0,60,214/max/0/default.png"),
        (PYRAMID_64, "70,30,200,150/max/0/default.png"),
        (PYRAMID_64, "full/150,/0/default.png"),
        (PYRAMID_64, "0,100,320,114/max/0/default.jpg"),
    ];
    for (path, params) in cases {
        let file = read(path);
        let (g, p, r, bytes) = prepare(&file, params);
        let expected = render(&g, &p, &r, &bytes, &serial).expect("serial render");
        for (count, threads) in [(2, false), (3, true), (5, false), (2, true)] {
            let workers = std::sync::Arc::new(TestWorkers {
                count,
                threads,
                runs: std::sync::atomic::AtomicUsize::new(0),
            });
            let opts = RenderOptions { workers: Some(workers.clone()), ..serial.clone() };
            let out = render(&g, &p, &r, &bytes, &opts).expect("render on workers");
            assert!(out.body == expected.body, "{params} on {count} workers differs");
            let jobs = workers.runs.load(std::sync::atomic::Ordering::Relaxed);
            let rows = p.tiles.iter().map(|t| t.row).collect::<std::collections::BTreeSet<_>>().len();
            if rows > 1 && p.tiles.len() > 2 {
                assert!(jobs >= 2, "{params}: {} tiles decoded in {jobs} jobs", p.tiles.len());
            }
            assert!(jobs <= count, "{params}: {jobs} jobs for {count} workers");
        }
    }
}

/// A mosaic of many tile rows and columns holds exactly the pixels of its tiles decoded one at a time
/// (each a render of a single tile, which pastes no band): the bands of tile rows put every tile where
/// it belongs. Level 0 of a 5×4-tile pyramid, whole and in parts.
#[test]
fn mosaics_are_their_tiles_decoded_one_by_one() {
    let file = read(PYRAMID_64);
    let (width, height, tile) = (320u32, 214u32, 64u32);
    let mut expected = vec![0u8; (width * height * 3) as usize];
    for ty in (0..height).step_by(tile as usize) {
        for tx in (0..width).step_by(tile as usize) {
            let (tw, th) = (tile.min(width - tx), tile.min(height - ty));
            let one = rendered_pixels(&file, &format!("{tx},{ty},{tw},{th}/max/0/default.png"));
            assert_eq!((one.width, one.height, one.data.len()), (tw, th, (tw * th * 3) as usize));
            for row in 0..th {
                let at = (((ty + row) * width + tx) * 3) as usize;
                expected[at..at + (tw * 3) as usize].copy_from_slice(one.row(row));
            }
        }
    }
    for (x, y, w, h) in [(0, 0, width, height), (70, 30, 200, 150), (0, 0, 60, 214), (130, 64, 190, 150)] {
        let mosaic = rendered_pixels(&file, &format!("{x},{y},{w},{h}/max/0/default.png"));
        assert_eq!((mosaic.width, mosaic.height), (w, h));
        for row in 0..h {
            let at = (((y + row) * width + x) * 3) as usize;
            assert!(
                mosaic.row(row) == &expected[at..at + (w * 3) as usize],
                "{x},{y},{w},{h}: row {row} differs"
            );
        }
    }
}
