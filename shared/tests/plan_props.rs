//! Property tests for the tile plan over random pyramids and requests: the plan reads every tile the
//! region touches and no other, its crop lies inside the mosaic, and it picks the smallest level that
//! still holds the requested resolution.

use proptest::prelude::*;
use tessella_core::geometry::{Geometry, Level, LevelData, SourceFormat};
use tessella_core::iiif::{Limits, Route, Version, parse_path, resolve};
use tessella_core::plan;

fn pyramid(w: u32, h: u32, tile: u32, halvings: u32, round_up: bool) -> Geometry {
    let mut levels = Vec::new();
    let (mut lw, mut lh) = (w, h);
    for _ in 0..=halvings {
        levels.push(Level {
            width: lw,
            height: lh,
            tile_width: tile,
            tile_height: tile,
            tiles: vec![],
            data: LevelData::Whole,
        });
        if lw < 2 || lh < 2 {
            break;
        }
        (lw, lh) = if round_up { (lw.div_ceil(2), lh.div_ceil(2)) } else { (lw / 2, lh / 2) };
    }
    Geometry { format: SourceFormat::Tiff, width: w, height: h, channels: 3, bits_per_sample: 8, levels }
}

fn request() -> impl Strategy<Value = String> {
    let region = prop_oneof![
        Just("full".to_string()),
        Just("square".to_string()),
        (0u32..60_000, 0u32..60_000, 1u32..30_000, 1u32..30_000)
            .prop_map(|(x, y, w, h)| format!("{x},{y},{w},{h}")),
        (0u32..9_000, 0u32..9_000, 1u32..9_000, 1u32..9_000).prop_map(|(x, y, w, h)| format!(
            "pct:{}.{:02},{}.{:02},{}.{:02},{}.{:02}",
            x / 100,
            x % 100,
            y / 100,
            y % 100,
            w / 100,
            w % 100,
            h / 100,
            h % 100
        )),
    ];
    let size = prop_oneof![
        Just("max".to_string()),
        (1u32..4000).prop_map(|w| format!("{w},")),
        (1u32..4000).prop_map(|h| format!(",{h}")),
        (1u32..4000, 1u32..4000).prop_map(|(w, h)| format!("!{w},{h}")),
        (1u32..4000, 1u32..4000).prop_map(|(w, h)| format!("^{w},{h}")),
        (1u32..200).prop_map(|p| format!("pct:{p}")),
    ];
    (region, size).prop_map(|(r, s)| format!("id/{r}/{s}/0/default.jpg"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn plans_read_exactly_the_touched_tiles(
        w in 1u32..70_000, h in 1u32..70_000,
        tile in prop_oneof![Just(64u32), Just(256), Just(512), Just(1024)],
        halvings in 0u32..10, round_up in any::<bool>(),
        path in request(),
    ) {
        let g = pyramid(w, h, tile, halvings, round_up);
        let Ok(Route::Image(r)) = parse_path(Version::V3, &path) else { return Err(TestCaseError::fail(path)) };
        let Ok(req) = resolve(&r, w, h, &Limits::default()) else { return Ok(()) };
        let p = plan(&g, &req).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let level = &g.levels[p.level];
        let sx = f64::from(level.width) / f64::from(w);
        let sy = f64::from(level.height) / f64::from(h);
        let reg = req.region;
        let (fx0, fy0) = (f64::from(reg.x) * sx, f64::from(reg.y) * sy);
        let (fx1, fy1) = (f64::from(reg.x + reg.w) * sx, f64::from(reg.y + reg.h) * sy);
        // Every planned tile overlaps the region with positive area.
        for t in &p.tiles {
            let ox = fx1.min(f64::from(t.x + t.width)) - fx0.max(f64::from(t.x));
            let oy = fy1.min(f64::from(t.y + t.height)) - fy0.max(f64::from(t.y));
            prop_assert!(ox > 0.0 && oy > 0.0, "tile {:?} does not touch {fx0},{fy0}..{fx1},{fy1}", t);
            prop_assert!(t.x + t.width <= level.width && t.y + t.height <= level.height);
        }
        // And every tile that overlaps is planned: count the grid cells the region crosses.
        // Region edges are products of floats; a millionth of a pixel is rounding, not a touch.
        let cols = |a: f64, b: f64, t: u32| {
            ((b - 1e-6) / f64::from(t)).ceil() as u32 - ((a + 1e-6) / f64::from(t)).floor() as u32
        };
        let expected = cols(fx0, fx1, tile).max(1) * cols(fy0, fy1, tile).max(1);
        prop_assert_eq!(p.tiles.len() as u32, expected);
        // The crop lies inside the mosaic.
        let (_, _, mw, mh) = p.mosaic;
        prop_assert!(p.crop.x >= -1e-6 && p.crop.y >= -1e-6);
        prop_assert!(p.crop.x + p.crop.width <= f64::from(mw) + 1e-6);
        prop_assert!(p.crop.y + p.crop.height <= f64::from(mh) + 1e-6);
        // The level holds the requested resolution (within a pixel), unless it is level 0 ...
        if p.level > 0 {
            prop_assert!(p.crop.width + 1.0 >= f64::from(req.width) && p.crop.height + 1.0 >= f64::from(req.height));
        }
        // ... and no smaller level would.
        for (i, l) in g.levels.iter().enumerate() {
            if l.width < level.width && i != 0 {
                let lsx = f64::from(l.width) / f64::from(w);
                let lsy = f64::from(l.height) / f64::from(h);
                let ok = f64::from(reg.w) * lsx + 1.0 >= f64::from(req.width) && f64::from(reg.h) * lsy + 1.0 >= f64::from(req.height);
                prop_assert!(!ok, "level {i} ({}×{}) would do but {} was chosen", l.width, l.height, p.level);
            }
        }
    }
}
