//! Parse + resolve + canonicalise of a viewer's tile request, the work every IIIF request does before a
//! cache lookup; and the tile plan that follows a miss.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tessella_core::geometry::{Geometry, Level, LevelData, SourceFormat};
use tessella_core::iiif::info::{Capabilities, info_json};
use tessella_core::iiif::{Limits, Route, Version, parse_path, resolve};
use tessella_core::plan;

const TILE: &str = "ark:%2F21198%2Fzz0009gsq9/2048,1024,512,512/256,/0/default.jpg";

fn pyramid() -> Geometry {
    let mut levels = Vec::new();
    let (mut w, mut h) = (8000u32, 5000u32);
    loop {
        let data = LevelData::Whole;
        levels.push(Level { width: w, height: h, tile_width: 256, tile_height: 256, tiles: vec![], data });
        if w <= 256 && h <= 256 {
            break;
        }
        (w, h) = (w.div_ceil(2), h.div_ceil(2));
    }
    Geometry {
        format: SourceFormat::Tiff,
        width: 8000,
        height: 5000,
        channels: 3,
        bits_per_sample: 8,
        levels,
    }
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let g = pyramid();
    c.bench_function("parse+resolve+canonical tile request", |b| {
        b.iter(|| {
            let Ok(Route::Image(req)) = parse_path(Version::V3, black_box(TILE)) else { unreachable!() };
            let resolved = resolve(&req, 8000, 5000, &limits).map_err(|e| e.to_string());
            black_box(resolved.map(|r| r.canonical().cache_key()))
        })
    });
    c.bench_function("parse only", |b| b.iter(|| black_box(parse_path(Version::V3, black_box(TILE)))));
    let Ok(Route::Image(req)) = parse_path(Version::V3, TILE) else { unreachable!() };
    let Ok(resolved) = resolve(&req, 8000, 5000, &limits) else { unreachable!() };
    c.bench_function("tile plan (8000x5000 pyramid, 256 tiles)", |b| {
        b.iter(|| black_box(plan(&g, black_box(&resolved))))
    });
    let caps = Capabilities::default();
    c.bench_function("info.json v3 (serialised)", |b| {
        b.iter(|| black_box(info_json(Version::V3, "https://example.org/iiif/3/x", &g, &caps).to_json()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
