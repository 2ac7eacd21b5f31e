//! Pyramidal tiled TIFF with JPEG tiles: the serving derivative made for tile passthrough.
//!
//! Layout, chosen for range reads: the header, then every IFD with its tile offset and byte-count arrays,
//! then the tile data, level by level. A server's first 64 KiB read therefore holds the whole directory
//! of an archival-size image, and each tile is one contiguous range. Levels are chained IFDs (the first is
//! the full image, the rest are marked reduced-resolution, as libvips writes them), halving until a level
//! fits in one tile.
//!
//! Each tile is a complete baseline JPEG (TIFF compression 7 without `JPEGTables`), so a server can send
//! an interior tile to a viewer as it is stored. Colour is Photometric YCbCr with the subsampling the
//! JPEG encoder used, as libtiff expects; gray stays one component. Edge tiles are padded by repeating
//! the last column and row, so padding adds no ringing at the image border. The file is BigTIFF only when
//! classic TIFF's 32-bit offsets cannot hold it.

use alloc::format;
use alloc::vec::Vec;

use super::jpeg;
use crate::pixels::transform::{crop_resize, flatten_alpha, to_8bit, try_clone};
use crate::pixels::{Budget, Image, PixelError};
use crate::plan::Crop;

/// What the pyramid is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PyramidOptions {
    /// Tile edge in pixels: a multiple of 16 (TIFF's rule), usually 256 or 512.
    pub tile_size: u32,
    /// JPEG quality of every tile, 1–100. From 90 up chroma is kept at full resolution.
    pub jpeg_quality: u8,
}

impl Default for PyramidOptions {
    fn default() -> Self {
        PyramidOptions { tile_size: 256, jpeg_quality: 85 }
    }
}

const TAG_NEW_SUBFILE_TYPE: u16 = 254;
const TAG_IMAGE_WIDTH: u16 = 256;
const TAG_IMAGE_LENGTH: u16 = 257;
const TAG_BITS_PER_SAMPLE: u16 = 258;
const TAG_COMPRESSION: u16 = 259;
const TAG_PHOTOMETRIC: u16 = 262;
const TAG_SAMPLES_PER_PIXEL: u16 = 277;
const TAG_PLANAR_CONFIGURATION: u16 = 284;
const TAG_SOFTWARE: u16 = 305;
const TAG_TILE_WIDTH: u16 = 322;
const TAG_TILE_LENGTH: u16 = 323;
const TAG_TILE_OFFSETS: u16 = 324;
const TAG_TILE_BYTE_COUNTS: u16 = 325;
const TAG_YCBCR_SUBSAMPLING: u16 = 530;

const TYPE_ASCII: u16 = 2;
const TYPE_SHORT: u16 = 3;
const TYPE_LONG: u16 = 4;
const TYPE_LONG8: u16 = 16;

const SOFTWARE: &[u8] = b"tessella\0";

/// One level's encoded tiles, row by row.
struct Level {
    width: u32,
    height: u32,
    tiles: Vec<Vec<u8>>,
}

/// Encodes `img` as a pyramidal tiled TIFF. Alpha is composited over white and 16-bit samples are
/// rounded to 8, as JPEG needs. Memory: the current level, the next one, and the encoded output; every
/// pixel buffer is checked against `budget` first.
pub fn encode_pyramid_tiff(
    img: &Image,
    opts: &PyramidOptions,
    budget: &Budget,
) -> Result<Vec<u8>, PixelError> {
    let tile = opts.tile_size;
    if tile == 0 || !tile.is_multiple_of(16) || tile > 4096 {
        return Err(PixelError::unsupported(
            "pyramid tiff",
            format!("tile size {tile} is not a multiple of 16 between 16 and 4096"),
        ));
    }
    if img.width == 0 || img.height == 0 {
        return Err(PixelError::corrupt("pyramid tiff", "an empty image"));
    }
    let gray = img.format.is_gray();
    let mut current = if img.format.bytes_per_sample() == 1 && !img.format.has_alpha() {
        None
    } else {
        Some(to_8bit(flatten_alpha(try_clone(img)?, 255)))
    };
    let mut levels = Vec::new();
    loop {
        let level_img = current.as_ref().unwrap_or(img);
        levels.push(encode_level(level_img, tile, opts.jpeg_quality, budget)?);
        if level_img.width <= tile && level_img.height <= tile {
            break;
        }
        let (w, h) = (level_img.width.div_ceil(2), level_img.height.div_ceil(2));
        let crop =
            Crop { x: 0.0, y: 0.0, width: f64::from(level_img.width), height: f64::from(level_img.height) };
        let next = crop_resize(level_img, crop, w, h, budget)?;
        current = Some(next);
    }
    let subsampling = if gray || opts.jpeg_quality.clamp(1, 100) >= 90 { 1 } else { 2 };
    Ok(assemble(&levels, tile, gray, subsampling))
}

/// Cuts one level into tiles (padding the right and bottom edges) and encodes each.
fn encode_level(img: &Image, tile: u32, quality: u8, budget: &Budget) -> Result<Level, PixelError> {
    let across = img.width.div_ceil(tile);
    let down = img.height.div_ceil(tile);
    let mut scratch = Image::new(tile, tile, img.format, budget)?;
    let bpp = img.format.bytes_per_pixel();
    let row_len = tile as usize * bpp;
    let mut tiles = Vec::new();
    tiles.try_reserve_exact((across * down) as usize).map_err(|_| PixelError::OutOfMemory(0))?;
    for ty in 0..down {
        for tx in 0..across {
            let x0 = tx * tile;
            let y0 = ty * tile;
            let w = (img.width - x0).min(tile) as usize;
            let h = (img.height - y0).min(tile);
            for y in 0..tile {
                let src_row = img.row(y0 + y.min(h - 1));
                let src = &src_row[x0 as usize * bpp..(x0 as usize + w) * bpp];
                let dst = &mut scratch.data[y as usize * row_len..(y as usize + 1) * row_len];
                dst[..src.len()].copy_from_slice(src);
                // Repeat the last pixel into the padding, so the JPEG's blocks at the border stay smooth.
                let last = &src[src.len() - bpp..];
                for px in dst[src.len()..].chunks_exact_mut(bpp) {
                    px.copy_from_slice(last);
                }
            }
            tiles.push(jpeg::encode(&scratch, quality)?);
        }
    }
    Ok(Level { width: img.width, height: img.height, tiles })
}

/// One IFD entry before layout: tag, type, count, and its values as little-endian bytes.
struct Entry {
    tag: u16,
    kind: u16,
    count: u64,
    data: Vec<u8>,
}

fn shorts(tag: u16, values: &[u16]) -> Entry {
    Entry {
        tag,
        kind: TYPE_SHORT,
        count: values.len() as u64,
        data: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
    }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry { tag, kind: TYPE_LONG, count: 1, data: value.to_le_bytes().to_vec() }
}

/// Offsets in a classic TIFF are LONG, in a BigTIFF LONG8; the values are filled in once laid out.
fn offsets(tag: u16, count: usize, big: bool) -> Entry {
    let (kind, width) = if big { (TYPE_LONG8, 8) } else { (TYPE_LONG, 4) };
    Entry { tag, kind, count: count as u64, data: alloc::vec![0; count * width] }
}

fn entries(level: &Level, index: usize, tile: u32, gray: bool, subsampling: u16, big: bool) -> Vec<Entry> {
    let samples: u16 = if gray { 1 } else { 3 };
    let mut e = Vec::new();
    e.push(long(TAG_NEW_SUBFILE_TYPE, u32::from(index > 0)));
    e.push(long(TAG_IMAGE_WIDTH, level.width));
    e.push(long(TAG_IMAGE_LENGTH, level.height));
    e.push(shorts(TAG_BITS_PER_SAMPLE, &alloc::vec![8; samples as usize]));
    e.push(shorts(TAG_COMPRESSION, &[7]));
    e.push(shorts(TAG_PHOTOMETRIC, &[if gray { 1 } else { 6 }]));
    e.push(shorts(TAG_SAMPLES_PER_PIXEL, &[samples]));
    e.push(shorts(TAG_PLANAR_CONFIGURATION, &[1]));
    e.push(Entry {
        tag: TAG_SOFTWARE,
        kind: TYPE_ASCII,
        count: SOFTWARE.len() as u64,
        data: SOFTWARE.to_vec(),
    });
    e.push(long(TAG_TILE_WIDTH, tile));
    e.push(long(TAG_TILE_LENGTH, tile));
    e.push(offsets(TAG_TILE_OFFSETS, level.tiles.len(), big));
    e.push(offsets(TAG_TILE_BYTE_COUNTS, level.tiles.len(), big));
    if !gray {
        e.push(shorts(TAG_YCBCR_SUBSAMPLING, &[subsampling, subsampling]));
    }
    e
}

/// Sizes of an IFD for a layout: the directory itself and the out-of-line values after it.
fn ifd_len(entries: &[Entry], big: bool) -> (u64, u64) {
    let (count_len, entry_len, next_len, inline) = if big { (8, 20, 8, 8) } else { (2, 12, 4, 4) };
    let dir = count_len + entry_len * entries.len() as u64 + next_len;
    let extra =
        entries.iter().map(|e| e.data.len() as u64).filter(|&n| n > inline).map(|n| n + (n & 1)).sum();
    (dir, extra)
}

fn assemble(levels: &[Level], tile: u32, gray: bool, subsampling: u16) -> Vec<u8> {
    let data_len: u64 = levels.iter().flat_map(|l| &l.tiles).map(|t| t.len() as u64).sum();
    // Classic TIFF when everything fits below 4 GiB with room for the directories.
    let big = data_len > u64::from(u32::MAX) - (64 << 20);
    let mut dirs: Vec<Vec<Entry>> =
        levels.iter().enumerate().map(|(i, l)| entries(l, i, tile, gray, subsampling, big)).collect();
    let header_len: u64 = if big { 16 } else { 8 };
    let mut ifd_starts = Vec::with_capacity(dirs.len());
    let mut pos = header_len;
    for d in &dirs {
        ifd_starts.push(pos);
        let (dir, extra) = ifd_len(d, big);
        pos += dir + extra;
    }
    // Tile data follows the directories; fill in each level's offsets and byte counts.
    let mut data_pos = pos;
    for (d, level) in dirs.iter_mut().zip(levels) {
        let (mut offs, mut counts) = (Vec::new(), Vec::new());
        for t in &level.tiles {
            push_offset(&mut offs, data_pos, big);
            push_offset(&mut counts, t.len() as u64, big);
            data_pos += t.len() as u64;
        }
        for e in d.iter_mut() {
            match e.tag {
                TAG_TILE_OFFSETS => e.data = core::mem::take(&mut offs),
                TAG_TILE_BYTE_COUNTS => e.data = core::mem::take(&mut counts),
                _ => {}
            }
        }
    }

    let mut out = Vec::with_capacity(data_pos as usize);
    out.extend_from_slice(b"II");
    if big {
        out.extend_from_slice(&43u16.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&header_len.to_le_bytes());
    } else {
        out.extend_from_slice(&42u16.to_le_bytes());
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
    }
    for (i, d) in dirs.iter().enumerate() {
        let start = ifd_starts[i];
        let (dir, _) = ifd_len(d, big);
        let mut extra_pos = start + dir;
        let mut extra = Vec::new();
        if big {
            out.extend_from_slice(&(d.len() as u64).to_le_bytes());
        } else {
            out.extend_from_slice(&(d.len() as u16).to_le_bytes());
        }
        let inline = if big { 8 } else { 4 };
        for e in d {
            out.extend_from_slice(&e.tag.to_le_bytes());
            out.extend_from_slice(&e.kind.to_le_bytes());
            if big {
                out.extend_from_slice(&e.count.to_le_bytes());
            } else {
                out.extend_from_slice(&(e.count as u32).to_le_bytes());
            }
            if e.data.len() <= inline {
                let mut value = e.data.clone();
                value.resize(inline, 0);
                out.extend_from_slice(&value);
            } else {
                push_offset(&mut out, extra_pos, big);
                extra.extend_from_slice(&e.data);
                // Values start on a word boundary (TIFF 6.0 §2).
                if e.data.len() % 2 == 1 {
                    extra.push(0);
                }
                extra_pos += e.data.len() as u64 + (e.data.len() as u64 & 1);
            }
        }
        let next = ifd_starts.get(i + 1).copied().unwrap_or(0);
        push_offset(&mut out, next, big);
        out.extend_from_slice(&extra);
    }
    for t in levels.iter().flat_map(|l| &l.tiles) {
        out.extend_from_slice(t);
    }
    out
}

fn push_offset(out: &mut Vec<u8>, value: u64, big: bool) {
    if big {
        out.extend_from_slice(&value.to_le_bytes());
    } else {
        // Checked by the caller's choice of layout: a classic file never passes 4 GiB.
        out.extend_from_slice(&(value as u32).to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::LevelData;
    use crate::pixels::PixelFormat;
    use crate::source::{SourceBytes, probe};

    fn gradient(width: u32, height: u32, format: PixelFormat) -> Image {
        let mut img = Image::new(width, height, format, &Budget::default()).unwrap();
        let bpp = format.bytes_per_pixel();
        for y in 0..height {
            for x in 0..width {
                let i = (y * width + x) as usize * bpp;
                for c in 0..bpp {
                    img.data[i + c] = ((x * 3 + y * 5 + c as u32 * 40) % 256) as u8;
                }
            }
        }
        img
    }

    fn probe_all(bytes: &[u8]) -> crate::geometry::Geometry {
        let mut src = SourceBytes::new(Some(bytes.len() as u64));
        src.insert(0, bytes.to_vec());
        probe(&src).unwrap()
    }

    #[test]
    fn levels_halve_until_one_tile_and_every_tile_is_a_jpeg() {
        let img = gradient(1000, 600, PixelFormat::Rgb8);
        let bytes = encode_pyramid_tiff(&img, &PyramidOptions::default(), &Budget::default()).unwrap();
        let g = probe_all(&bytes);
        assert_eq!((g.width, g.height), (1000, 600));
        let sizes: Vec<_> = g.levels.iter().map(|l| (l.width, l.height)).collect();
        assert_eq!(sizes, [(1000, 600), (500, 300), (250, 150)]);
        assert_eq!(g.levels[0].tiles.len(), 4 * 3);
        for level in &g.levels {
            assert_eq!((level.tile_width, level.tile_height), (256, 256));
            assert!(matches!(level.data, LevelData::Tiff(_)));
            for r in &level.tiles {
                let t = &bytes[r.start as usize..r.end as usize];
                assert_eq!(&t[..2], &[0xFF, 0xD8], "a tile starts with SOI");
                assert_eq!(&t[t.len() - 2..], &[0xFF, 0xD9], "and ends with EOI");
            }
        }
        // The whole directory sits before the first tile: one header read finds every tile.
        let first_tile = g.levels.iter().flat_map(|l| &l.tiles).map(|r| r.start).min().unwrap();
        assert!(first_tile < 4096, "directories end at {first_tile}");
    }

    #[test]
    fn gray_and_alpha_sources_are_written_as_jpeg_can_hold_them() {
        for format in [PixelFormat::L8, PixelFormat::Rgba16, PixelFormat::La8] {
            let img = gradient(300, 40, format);
            let bytes = encode_pyramid_tiff(
                &img,
                &PyramidOptions { tile_size: 128, jpeg_quality: 92 },
                &Budget::default(),
            )
            .unwrap();
            let g = probe_all(&bytes);
            assert_eq!((g.width, g.height, g.levels.len()), (300, 40, 3), "{format:?}: 300 → 150 → 75 wide");
        }
    }

    #[test]
    fn bad_tile_sizes_and_budgets_are_errors() {
        let img = gradient(64, 64, PixelFormat::Rgb8);
        for tile in [0, 100, 8192] {
            let opts = PyramidOptions { tile_size: tile, ..PyramidOptions::default() };
            assert!(matches!(
                encode_pyramid_tiff(&img, &opts, &Budget::default()),
                Err(PixelError::Unsupported { .. })
            ));
        }
        let tiny = Budget { max_pixels: 100, ..Budget::default() };
        assert!(matches!(
            encode_pyramid_tiff(&img, &PyramidOptions::default(), &tiny),
            Err(PixelError::OverBudget { .. })
        ));
    }
}
