//! The tile plan: for a resolved request and a source's geometry, which resolution level to decode,
//! which source tiles to read (and their byte ranges when known), and the exact crop and scale to apply
//! to the mosaic of those tiles. A pure function: origin and edge both ask it "what do I need?" before
//! fetching a byte, and the edge's budget decision is made from its estimate.

use alloc::vec::Vec;

use crate::geometry::{Geometry, Level};
use crate::iiif::ResolvedRequest;
use crate::math::{ceil_u32, floor_u32};
use crate::source::ByteRange;

/// A source tile the request touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileRef {
    pub column: u32,
    pub row: u32,
    /// Row-major index into the level's tiles.
    pub index: u32,
    /// The tile's pixels in level coordinates (edge tiles are smaller than the grid).
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Where its bytes are, when the source indexes tiles.
    pub bytes: Option<ByteRange>,
}

/// The fractional rectangle to cut from the mosaic, relative to the mosaic's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crop {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// What a request will cost, for budgets (edge) and metrics (origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Compressed bytes to fetch, when the source indexes its tiles.
    pub source_bytes: Option<u64>,
    /// Pixels the decoder produces.
    pub decoded_pixels: u64,
    /// A bound on bytes held at once: decoded mosaic, resize output and encoder buffer.
    pub peak_memory: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TilePlan {
    /// Index into `Geometry::levels`.
    pub level: usize,
    pub level_width: u32,
    pub level_height: u32,
    pub tiles: Vec<TileRef>,
    /// The tiles' union in level coordinates: `(x, y, width, height)`.
    pub mosaic: (u32, u32, u32, u32),
    pub crop: Crop,
    /// Output size before rotation (the resolved request's).
    pub width: u32,
    pub height: u32,
    pub estimate: Estimate,
}

impl TilePlan {
    /// The mosaic is exactly one stored tile and the output is that tile unscaled: a candidate for
    /// passing the tile's bytes through without decoding.
    pub fn is_single_tile_unscaled(&self) -> bool {
        self.tiles.len() == 1 && self.is_unscaled_mosaic()
    }

    /// The output is exactly the mosaic of the stored tiles, unscaled: a candidate for joining the tiles
    /// without decoding them.
    pub fn is_unscaled_mosaic(&self) -> bool {
        self.crop == Crop { x: 0.0, y: 0.0, width: f64::from(self.width), height: f64::from(self.height) }
            && (self.mosaic.2, self.mosaic.3) == (self.width, self.height)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the source has no resolution levels")]
    NoLevels,
    #[error("the request was resolved for {0}×{1} but the source is {2}×{3}")]
    SizeMismatch(u32, u32, u32, u32),
    #[error("the source's tile grid is invalid at level {0}")]
    BadGrid(usize),
}

/// How far under the requested size (in output pixels) a level may fall and still be chosen. Pyramid
/// levels round their sizes up or down by a pixel (libvips rounds 427 down to 213), and a viewer's edge tile asks for `ceil(w/s)`; without
/// this slack such requests would decode a level four times larger for a fraction of a pixel.
const LEVEL_SLACK: f64 = 1.0;

pub fn plan(geometry: &Geometry, req: &ResolvedRequest) -> Result<TilePlan, PlanError> {
    if (geometry.width, geometry.height) != (req.image_width, req.image_height) {
        return Err(PlanError::SizeMismatch(
            req.image_width,
            req.image_height,
            geometry.width,
            geometry.height,
        ));
    }
    let level_index = choose_level(geometry, req).ok_or(PlanError::NoLevels)?;
    let level = geometry.levels.get(level_index).ok_or(PlanError::NoLevels)?;
    if level.width == 0 || level.height == 0 || level.tile_width == 0 || level.tile_height == 0 {
        return Err(PlanError::BadGrid(level_index));
    }
    let (fx0, fy0, fx1, fy1) = region_in_level(geometry, level, req);
    // Integer pixels the decode must cover: every pixel the fractional region overlaps.
    let ix0 = floor_u32(fx0);
    let iy0 = floor_u32(fy0);
    let ix1 = ceil_u32(fx1).clamp(ix0 + 1, level.width);
    let iy1 = ceil_u32(fy1).clamp(iy0 + 1, level.height);
    let (tw, th) = (level.tile_width, level.tile_height);
    let (c0, c1) = (ix0 / tw, (ix1 - 1) / tw);
    let (r0, r1) = (iy0 / th, (iy1 - 1) / th);
    let columns = level.columns();
    let mut tiles = Vec::with_capacity(((c1 - c0 + 1) * (r1 - r0 + 1)) as usize);
    for row in r0..=r1 {
        for column in c0..=c1 {
            let (x, y) = (column * tw, row * th);
            let index = row * columns + column;
            tiles.push(TileRef {
                column,
                row,
                index,
                x,
                y,
                width: tw.min(level.width - x),
                height: th.min(level.height - y),
                bytes: level.tiles.get(index as usize).copied(),
            });
        }
    }
    let (mx, my) = (c0 * tw, r0 * th);
    let mosaic_w = (c1 * tw + tw).min(level.width) - mx;
    let mosaic_h = (r1 * th + th).min(level.height) - my;
    let crop = Crop { x: fx0 - f64::from(mx), y: fy0 - f64::from(my), width: fx1 - fx0, height: fy1 - fy0 };
    let estimate = estimate(geometry, &tiles, req);
    Ok(TilePlan {
        level: level_index,
        level_width: level.width,
        level_height: level.height,
        tiles,
        mosaic: (mx, my, mosaic_w, mosaic_h),
        crop,
        width: req.width,
        height: req.height,
        estimate,
    })
}

/// The smallest level whose copy of the region is not smaller than the output (within [`LEVEL_SLACK`]).
fn choose_level(geometry: &Geometry, req: &ResolvedRequest) -> Option<usize> {
    let fits = |level: &Level| {
        let (fx0, fy0, fx1, fy1) = region_in_level(geometry, level, req);
        fx1 - fx0 + LEVEL_SLACK >= f64::from(req.width) && fy1 - fy0 + LEVEL_SLACK >= f64::from(req.height)
    };
    let mut best = None;
    for (i, level) in geometry.levels.iter().enumerate() {
        if i == 0 || fits(level) {
            let smaller =
                best.is_none_or(|b: usize| geometry.levels.get(b).is_some_and(|l| level.width < l.width));
            if smaller {
                best = Some(i);
            }
        }
    }
    best
}

/// The request's region in a level's coordinates, fractional.
fn region_in_level(geometry: &Geometry, level: &Level, req: &ResolvedRequest) -> (f64, f64, f64, f64) {
    let sx = f64::from(level.width) / f64::from(geometry.width);
    let sy = f64::from(level.height) / f64::from(geometry.height);
    let r = req.region;
    (f64::from(r.x) * sx, f64::from(r.y) * sy, f64::from(r.x + r.w) * sx, f64::from(r.y + r.h) * sy)
}

fn estimate(geometry: &Geometry, tiles: &[TileRef], req: &ResolvedRequest) -> Estimate {
    let bytes_per_pixel =
        u64::from(geometry.channels.max(1)) * if geometry.bits_per_sample > 8 { 2 } else { 1 };
    let decoded_pixels: u64 = tiles.iter().map(|t| u64::from(t.width) * u64::from(t.height)).sum();
    let source_bytes = tiles.iter().map(|t| t.bytes.map(|b| b.len())).sum::<Option<u64>>();
    let (fw, fh) = req.final_size();
    let output = u64::from(req.width) * u64::from(req.height) * 4;
    let rotated = u64::from(fw) * u64::from(fh) * 4;
    // A JPEG 2000 decode holds a 32-bit plane per component for the decoded area, plus each tile's
    // coefficients and wavelet buffers (about 10 bytes per tile sample in hayro); a JPEG or TIFF decode
    // holds its output samples.
    let decoded_bytes = if geometry.format.is_wavelet() {
        decoded_pixels * (u64::from(geometry.channels.max(1)) * 4 + 10)
    } else {
        decoded_pixels * bytes_per_pixel
    };
    Estimate {
        source_bytes,
        decoded_pixels,
        peak_memory: decoded_bytes + output + rotated + source_bytes.unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{LevelData, SourceFormat};
    use crate::iiif::{Limits, Route, Version, parse_path, resolve};
    use alloc::format;
    use alloc::vec;

    /// A pyramidal TIFF-like source: levels halving (rounding up) until one tile, `tile`-square tiles with
    /// made-up byte ranges.
    fn pyramid(w: u32, h: u32, tile: u32) -> Geometry {
        let mut levels = Vec::new();
        let (mut lw, mut lh) = (w, h);
        let mut offset = 0;
        loop {
            let n = lw.div_ceil(tile) * lh.div_ceil(tile);
            let tiles = (0..n)
                .map(|i| {
                    offset += 1000 + u64::from(i);
                    ByteRange::new(offset, offset + 1000)
                })
                .collect();
            levels.push(Level {
                width: lw,
                height: lh,
                tile_width: tile,
                tile_height: tile,
                tiles,
                data: LevelData::Whole,
            });
            if lw <= tile && lh <= tile {
                break;
            }
            (lw, lh) = (lw.div_ceil(2), lh.div_ceil(2));
        }
        Geometry { format: SourceFormat::Tiff, width: w, height: h, channels: 3, bits_per_sample: 8, levels }
    }

    fn req(path: &str, w: u32, h: u32) -> ResolvedRequest {
        match parse_path(Version::V3, &format!("id/{path}")) {
            Ok(Route::Image(r)) => match resolve(&r, w, h, &Limits::default()) {
                Ok(r) => r,
                Err(e) => panic!("{path}: {e}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn viewer_tile_reads_one_aligned_tile() {
        let g = pyramid(8000, 5000, 256);
        let p = plan(&g, &req("2048,1024,512,512/256,/0/default.jpg", 8000, 5000)).unwrap();
        assert_eq!(p.level, 1);
        assert_eq!(p.tiles.len(), 1);
        assert_eq!((p.tiles[0].column, p.tiles[0].row), (4, 2));
        assert_eq!(p.tiles[0].index, 2 * 16 + 4);
        assert_eq!(p.crop, Crop { x: 0.0, y: 0.0, width: 256.0, height: 256.0 });
        assert!(p.is_single_tile_unscaled());
        assert_eq!(p.estimate.source_bytes, Some(1000));
    }

    #[test]
    fn partial_edge_tile() {
        let g = pyramid(1000, 700, 256);
        let p = plan(&g, &req("768,512,232,188/116,/0/default.jpg", 1000, 700)).unwrap();
        assert_eq!((p.level, p.level_width, p.level_height), (1, 500, 350));
        assert_eq!(p.tiles.len(), 1);
        let t = p.tiles[0];
        assert_eq!((t.x, t.y, t.width, t.height), (256, 256, 244, 94));
        assert_eq!(p.crop, Crop { x: 128.0, y: 0.0, width: 116.0, height: 94.0 });
        assert!(!p.is_single_tile_unscaled());
    }

    #[test]
    fn unaligned_region_reads_the_tiles_it_crosses() {
        let g = pyramid(1000, 1000, 256);
        let p = plan(&g, &req("200,200,100,100/max/0/default.jpg", 1000, 1000)).unwrap();
        assert_eq!(p.level, 0);
        let cells: Vec<_> = p.tiles.iter().map(|t| (t.column, t.row)).collect();
        assert_eq!(cells, vec![(0, 0), (1, 0), (0, 1), (1, 1)]);
        assert_eq!(p.mosaic, (0, 0, 512, 512));
        assert_eq!(p.crop, Crop { x: 200.0, y: 200.0, width: 100.0, height: 100.0 });
    }

    #[test]
    fn pct_region_and_thumbnail_use_small_levels() {
        let g = pyramid(8000, 5000, 256);
        let p = plan(&g, &req("pct:25,25,50,50/500,/0/default.jpg", 8000, 5000)).unwrap();
        // The region is 4000×2500; 500 wide is 1/8, level 3 (1000×625) has it at 500×312.5.
        assert_eq!((p.level, p.level_width), (3, 1000));
        assert_eq!(p.crop.width, 500.0);
        let p = plan(&g, &req("full/150,/0/default.jpg", 8000, 5000)).unwrap();
        assert_eq!(p.level_width, 250);
    }

    #[test]
    fn upscaled_and_full_requests_use_level_zero() {
        let g = pyramid(1000, 700, 256);
        assert_eq!(plan(&g, &req("0,0,10,10/^100,/0/default.jpg", 1000, 700)).unwrap().level, 0);
        let p = plan(&g, &req("full/max/0/default.jpg", 1000, 700)).unwrap();
        assert_eq!((p.level, p.tiles.len()), (0, 12));
    }

    #[test]
    fn rounding_slack_picks_the_smaller_level() {
        // 1001 wide: level 1 is 501 wide; the right-hand viewer tile asks for ceil(489/2) = 245 pixels
        // of which level 1 holds 244.76.
        let g = pyramid(1001, 1001, 256);
        let p = plan(&g, &req("512,0,489,489/245,/0/default.jpg", 1001, 1001)).unwrap();
        assert_eq!(p.level, 1);
    }

    #[test]
    fn level_rounded_down_by_its_writer_is_still_used() {
        // libvips halves 640×427 to 320×213; half of a 512×427 region is 256×213.5, asked as 256×214.
        let mut g = pyramid(640, 427, 256);
        g.levels[1].height = 213;
        let p = plan(&g, &req("0,0,512,427/256,214/0/default.jpg", 640, 427)).unwrap();
        assert_eq!(p.level, 1);
    }

    #[test]
    fn size_mismatch_is_an_error() {
        let g = pyramid(1000, 700, 256);
        assert!(matches!(
            plan(&g, &req("full/max/0/default.jpg", 999, 700)),
            Err(PlanError::SizeMismatch(..))
        ));
    }
}
