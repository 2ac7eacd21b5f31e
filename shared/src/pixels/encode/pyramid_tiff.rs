//! Pyramidal tiled TIFF with JPEG tiles: the serving derivative made for tile passthrough.
//!
//! Layout, chosen for range reads: the header, then every IFD with its tile offset and byte-count arrays,
//! then the tile data, level by level. A server's first 64 KiB read therefore holds the whole directory
//! of an archival-size image, and each tile is one contiguous range. Levels are chained IFDs (the first is
//! the full image, the rest are marked reduced-resolution, as libvips writes them), halving (2×2 means)
//! until a level fits in one tile. [`PyramidWriter`] builds it from bands of rows, so a conversion can
//! stream its source.
//!
//! Each tile is a complete baseline JPEG (TIFF compression 7 without `JPEGTables`), so a server can send
//! an interior tile to a viewer as it is stored. Colour is Photometric YCbCr with the subsampling the
//! JPEG encoder used, as libtiff expects; gray stays one component. Edge tiles are padded by repeating
//! the last column and row, so padding adds no ringing at the image border. The file is BigTIFF only when
//! classic TIFF's 32-bit offsets cannot hold it.

use alloc::format;
use alloc::vec::Vec;

use super::jpeg;
use crate::pixels::transform::{flatten_alpha, to_8bit, try_clone};
use crate::pixels::{Budget, Image, PixelError, PixelFormat};

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
/// rounded to 8, as JPEG needs. The same as feeding the image to a [`PyramidWriter`] in one band.
pub fn encode_pyramid_tiff(
    img: &Image,
    opts: &PyramidOptions,
    budget: &Budget,
) -> Result<Vec<u8>, PixelError> {
    let mut writer = PyramidWriter::start(img.width, img.height, img.format, opts, budget)?;
    writer.push(img)?;
    writer.finish()
}

/// A pyramidal TIFF built from bands of rows, top to bottom, so a conversion never holds the whole image.
/// Each level keeps fewer than one tile row of pixels pending: a full tile row is encoded at once, and
/// every pair of rows is averaged 2×2 into the next level (an odd last row or column is averaged with
/// itself; the 2×2 mean libvips uses for pyramids). Memory: a tile row per level, one tile's scratch, and
/// the encoded tiles (the output).
pub struct PyramidWriter {
    tile: u32,
    quality: u8,
    gray: bool,
    levels: Vec<LevelState>,
    scratch: Image,
}

struct LevelState {
    width: u32,
    height: u32,
    /// Rows received and not yet encoded, 8-bit gray or RGB.
    pending: Vec<u8>,
    received: u32,
    /// A row waiting for its pair before the next level gets their mean.
    carry: Option<Vec<u8>>,
    tiles: Vec<Vec<u8>>,
}

impl PyramidWriter {
    /// Starts a pyramid of a `width`×`height` image whose bands will be of `format`.
    pub fn start(
        width: u32,
        height: u32,
        format: PixelFormat,
        opts: &PyramidOptions,
        budget: &Budget,
    ) -> Result<PyramidWriter, PixelError> {
        let tile = opts.tile_size;
        if tile == 0 || !tile.is_multiple_of(16) || tile > 4096 {
            return Err(PixelError::unsupported(
                "pyramid tiff",
                format!("tile size {tile} is not a multiple of 16 between 16 and 4096"),
            ));
        }
        if width == 0 || height == 0 {
            return Err(PixelError::corrupt("pyramid tiff", "an empty image"));
        }
        let gray = format.is_gray();
        let scratch = Image::new(tile, tile, if gray { PixelFormat::L8 } else { PixelFormat::Rgb8 }, budget)?;
        let mut levels = Vec::new();
        let (mut w, mut h) = (width, height);
        loop {
            levels.push(LevelState {
                width: w,
                height: h,
                pending: Vec::new(),
                received: 0,
                carry: None,
                tiles: Vec::new(),
            });
            if w <= tile && h <= tile {
                break;
            }
            (w, h) = (w.div_ceil(2), h.div_ceil(2));
        }
        Ok(PyramidWriter { tile, quality: opts.jpeg_quality, gray, levels, scratch })
    }

    fn channels(&self) -> usize {
        if self.gray { 1 } else { 3 }
    }

    /// Adds the next rows: a band as wide as the image, in the format given to [`PyramidWriter::start`].
    pub fn push(&mut self, band: &Image) -> Result<(), PixelError> {
        let width = self.levels.first().map_or(0, |l| l.width);
        if band.width != width || band.format.is_gray() != self.gray {
            return Err(PixelError::corrupt(
                "pyramid tiff",
                format!(
                    "a band of {}×{} {:?} for a {width}-wide pyramid",
                    band.width, band.height, band.format
                ),
            ));
        }
        if band.format.bytes_per_sample() == 1 && !band.format.has_alpha() {
            self.feed(0, &band.data, band.height)
        } else {
            let band = to_8bit(flatten_alpha(try_clone(band)?, 255));
            self.feed(0, &band.data, band.height)
        }
    }

    /// Level `k` receives `n` rows: the next level gets their 2×2 means, full tile rows are encoded.
    fn feed(&mut self, k: usize, rows: &[u8], n: u32) -> Result<(), PixelError> {
        let ch = self.channels();
        let has_next = k + 1 < self.levels.len();
        let PyramidWriter { tile, quality, levels, scratch, .. } = self;
        let Some(level) = levels.get_mut(k) else { return Ok(()) };
        let row_len = level.width as usize * ch;
        if rows.len() != n as usize * row_len || level.received + n > level.height {
            return Err(PixelError::corrupt("pyramid tiff", "rows past the end of a level, or partial rows"));
        }
        level.received += n;
        let complete = level.received == level.height;
        // The next level's rows: the mean of each pair, the odd last row paired with itself.
        let mut down = Vec::new();
        if has_next {
            for row in rows.chunks_exact(row_len) {
                match level.carry.take() {
                    None => level.carry = Some(row.to_vec()),
                    Some(prev) => mean_rows(&prev, row, level.width, ch, &mut down),
                }
            }
            if complete && let Some(prev) = level.carry.take() {
                mean_rows(&prev, &prev, level.width, ch, &mut down);
            }
        }
        // Full tile rows are encoded as they complete: first the pending rows topped up, then straight from
        // `rows`, so a whole image pushed at once is never copied; fewer than a tile row stay pending.
        let tile_rows = *tile as usize * row_len;
        let mut encode = |data: &[u8]| -> Result<(), PixelError> {
            level.tiles.extend(encode_tile_row(data, level.width, ch, *tile, *quality, scratch)?);
            Ok(())
        };
        let mut rest = rows;
        if !level.pending.is_empty() {
            let need = (tile_rows - level.pending.len()).min(rest.len());
            level.pending.extend_from_slice(&rest[..need]);
            rest = &rest[need..];
        }
        if level.pending.len() == tile_rows || (complete && !level.pending.is_empty()) {
            encode(&level.pending)?;
            level.pending.clear();
        }
        while rest.len() >= tile_rows || (complete && !rest.is_empty()) {
            let take = rest.len().min(tile_rows);
            encode(&rest[..take])?;
            rest = &rest[take..];
        }
        level.pending.extend_from_slice(rest);
        let down_row_len = level.width.div_ceil(2) as usize * ch;
        let down_rows = (down.len() / down_row_len.max(1)) as u32;
        if down_rows > 0 { self.feed(k + 1, &down, down_rows) } else { Ok(()) }
    }

    /// The file, once every row has been pushed.
    pub fn finish(self) -> Result<Vec<u8>, PixelError> {
        if let Some(level) = self.levels.iter().find(|l| l.received != l.height) {
            return Err(PixelError::corrupt(
                "pyramid tiff",
                format!(
                    "{} of {} rows of a {}-wide level written",
                    level.received, level.height, level.width
                ),
            ));
        }
        let levels: Vec<Level> = self
            .levels
            .into_iter()
            .map(|l| Level { width: l.width, height: l.height, tiles: l.tiles })
            .collect();
        let subsampling = if self.gray || self.quality.clamp(1, 100) >= 90 { 1 } else { 2 };
        Ok(assemble(&levels, self.tile, self.gray, subsampling))
    }
}

/// Appends the 2×2 means of rows `a` and `b` (`width` pixels of `ch` samples): the next level's row.
fn mean_rows(a: &[u8], b: &[u8], width: u32, ch: usize, out: &mut Vec<u8>) {
    let w = width as usize;
    for x in 0..w.div_ceil(2) {
        let (x0, x1) = (2 * x, (2 * x + 1).min(w - 1));
        for c in 0..ch {
            let sum = u16::from(a[x0 * ch + c])
                + u16::from(a[x1 * ch + c])
                + u16::from(b[x0 * ch + c])
                + u16::from(b[x1 * ch + c]);
            out.push(((sum + 2) / 4) as u8);
        }
    }
}

/// Cuts a tile row (up to `tile` rows of `width` pixels) into tiles, padding the right and bottom edges by
/// repeating the last column and row (so the JPEG's blocks at the border stay smooth), and encodes each.
fn encode_tile_row(
    rows: &[u8],
    width: u32,
    ch: usize,
    tile: u32,
    quality: u8,
    scratch: &mut Image,
) -> Result<Vec<Vec<u8>>, PixelError> {
    let row_len = width as usize * ch;
    let h = (rows.len() / row_len.max(1)) as u32;
    let tile_row_len = tile as usize * ch;
    let mut tiles = Vec::new();
    for tx in 0..width.div_ceil(tile) {
        let x0 = (tx * tile) as usize;
        let w = (width as usize - x0).min(tile as usize);
        for y in 0..tile {
            let sy = y.min(h.saturating_sub(1)) as usize;
            let src = &rows[sy * row_len + x0 * ch..sy * row_len + (x0 + w) * ch];
            let dst = &mut scratch.data[y as usize * tile_row_len..(y as usize + 1) * tile_row_len];
            dst[..src.len()].copy_from_slice(src);
            let last = &src[src.len() - ch..];
            for px in dst[src.len()..].chunks_exact_mut(ch) {
                px.copy_from_slice(last);
            }
        }
        tiles.push(jpeg::encode(scratch, quality)?);
    }
    Ok(tiles)
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
    fn bands_of_any_height_give_the_same_file() {
        for (format, width, height) in [(PixelFormat::Rgb8, 300, 211), (PixelFormat::La16, 97, 131)] {
            let img = gradient(width, height, format);
            let opts = PyramidOptions { tile_size: 32, jpeg_quality: 90 };
            let whole = encode_pyramid_tiff(&img, &opts, &Budget::default()).unwrap();
            let mut w = PyramidWriter::start(width, height, format, &opts, &Budget::default()).unwrap();
            let row = img.row_bytes();
            let mut y = 0;
            for n in [1u32, 37, 2, 64].into_iter().cycle() {
                let n = n.min(height - y);
                let band = Image::from_raw(
                    width,
                    n,
                    format,
                    img.data[y as usize * row..(y + n) as usize * row].to_vec(),
                )
                .unwrap();
                w.push(&band).unwrap();
                y += n;
                if y == height {
                    break;
                }
            }
            assert!(w.finish().unwrap() == whole, "{format:?}");
        }
        // Too many rows, a band of another width, and finishing early are errors.
        let img = gradient(64, 40, PixelFormat::Rgb8);
        let opts = PyramidOptions { tile_size: 32, ..PyramidOptions::default() };
        let mut w = PyramidWriter::start(64, 40, PixelFormat::Rgb8, &opts, &Budget::default()).unwrap();
        assert!(w.push(&gradient(63, 4, PixelFormat::Rgb8)).is_err());
        w.push(&img).unwrap();
        assert!(w.push(&gradient(64, 1, PixelFormat::Rgb8)).is_err());
        let early = PyramidWriter::start(64, 40, PixelFormat::Rgb8, &opts, &Budget::default()).unwrap();
        assert!(early.finish().is_err());
    }

    #[test]
    fn a_reduced_level_is_the_two_by_two_mean() {
        let mut out = Vec::new();
        // Two rows of three RGB pixels; the odd last column is averaged with itself.
        let a = [0, 10, 20, 4, 14, 24, 100, 100, 100];
        let b = [8, 18, 28, 12, 22, 32, 50, 50, 50];
        mean_rows(&a, &b, 3, 3, &mut out);
        assert_eq!(out, [6, 16, 26, 75, 75, 75]);
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
