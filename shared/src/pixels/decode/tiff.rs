//! Decoding one TIFF tile or strip from its bytes.
//!
//! The probe ([`crate::source::tiff`]) records everything about a level a decoder needs; the caller
//! fetches the byte range of each tile it wants (and, once per level, the ColorMap or JPEGTables) and
//! hands them in. A tile decodes to an [`Image`] of the whole tile: edge tiles are full-size in TIFF, and
//! the caller crops. A strip decodes to the image width by its rows (the last strip has only the rows
//! that remain).
//!
//! Supported: no compression, PackBits, LZW, Deflate; horizontal differencing (Predictor 2) at 8 and 16
//! bits; 1-, 8- and 16-bit unsigned samples; MinIsBlack, MinIsWhite, RGB, palette, CMYK (naively, to
//! RGB), YCbCr with any subsampling (8-bit, chunky, not JPEG-compressed); alpha from ExtraSamples,
//! premultiplied alpha made straight (other extra samples are dropped); chunky and separate planes.
//! Palettes decode to 8-bit RGB, 1-bit samples to 0 and 255, 16-bit samples to native-endian 16-bit.
//! JPEG-compressed tiles go to the JPEG decoder with the level's tables (see `jpeg_tile`). FillOrder 2 (bits reversed within bytes) is not recorded by the probe
//! and is read as FillOrder 1.

mod decompress;
mod packbits;
mod photometric;
mod predictor;
#[cfg(test)]
mod tests;

use alloc::format;
use alloc::vec::Vec;

pub use photometric::{ColorMap, color_map_from};

use self::photometric::{Colour, Plan, Samples};
use super::jpeg::JpegColor;
use crate::geometry::Level;
use crate::pixels::{Budget, Image, PixelError};
use crate::source::tiff::{Compression, Photometric, Planar, Predictor, TiffLevel};

const FORMAT: &str = "TIFF";

/// Level-wide data some tiles need besides their own bytes. The caller fetches it once per level:
/// the bytes at [`TiffLevel::color_map`], parsed with [`color_map_from`], and the bytes at
/// [`TiffLevel::jpeg_tables`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LevelTables<'a> {
    /// Required when the level's photometric interpretation is `Palette`.
    pub color_map: Option<&'a ColorMap>,
    /// The abbreviated JPEG stream of shared tables, for JPEG-compressed tiles.
    pub jpeg_tables: Option<&'a [u8]>,
}

/// Decodes the tile (or strip) at `index` of `level.tiles` from its bytes `data`, for a level whose
/// samples are chunky. Empty `data` is a sparse tile that was never written: its samples are zeros, as
/// libtiff reads them (so white for MinIsWhite, palette entry 0), and a sparse JPEG tile is black.
pub fn decode_tile(
    level: &Level,
    tiff: &TiffLevel,
    index: u32,
    data: &[u8],
    tables: LevelTables<'_>,
    budget: &Budget,
) -> Result<Image, PixelError> {
    if tiff.planar == Planar::Separate {
        return Err(PixelError::unsupported(
            FORMAT,
            "a level with separate sample planes decodes with decode_tile_planes",
        ));
    }
    let shape = Shape::of(level, tiff, index)?;
    if tiff.compression == Compression::Jpeg {
        if data.is_empty() {
            return Image::new(shape.width, shape.rows, Plan::new(tiff)?.out, budget);
        }
        return jpeg_tile(tables.jpeg_tables, data, tiff, budget);
    }
    let plan = Plan::new(tiff)?;
    check_codec(tiff, &plan)?;
    let map = palette(&plan, tiff, tables)?;
    budget.check(shape.width, shape.rows, plan.out)?;
    if let Colour::YCbCr { h, v } = plan.colour {
        return ycbcr_tile(tiff, data, shape, (h, v), budget);
    }
    let samples = chunky_samples(tiff, &plan, data, shape, budget)?;
    photometric::to_image(samples, &plan, map, budget)
}

/// Decodes tile `index_in_plane0` of a level whose samples are in separate planes: `planes` holds the
/// bytes of that tile in each plane, in sample order (the tiles at `index_in_plane0 + p * tiles per
/// plane` of `level.tiles`). The planes are interleaved into one image.
pub fn decode_tile_planes(
    level: &Level,
    tiff: &TiffLevel,
    index_in_plane0: u32,
    planes: &[&[u8]],
    tables: LevelTables<'_>,
    budget: &Budget,
) -> Result<Image, PixelError> {
    if tiff.planar == Planar::Chunky {
        return match planes {
            [one] => decode_tile(level, tiff, index_in_plane0, one, tables, budget),
            _ => Err(PixelError::corrupt(FORMAT, format!("{} planes for a chunky level", planes.len()))),
        };
    }
    let shape = Shape::of(level, tiff, index_in_plane0)?;
    if tiff.compression == Compression::Jpeg {
        return Err(PixelError::unsupported(FORMAT, "JPEG-compressed separate planes are not supported"));
    }
    let plan = Plan::new(tiff)?;
    if planes.len() != plan.samples {
        return Err(PixelError::corrupt(
            FORMAT,
            format!("{} planes for {} samples per pixel", planes.len(), plan.samples),
        ));
    }
    if matches!(plan.colour, Colour::YCbCr { .. }) {
        return Err(PixelError::unsupported(FORMAT, "YCbCr in separate planes is not supported"));
    }
    check_codec(tiff, &plan)?;
    let map = palette(&plan, tiff, tables)?;
    budget.check(shape.width, shape.rows, plan.out)?;
    let samples = interleaved_planes(tiff, &plan, planes, shape, budget)?;
    photometric::to_image(samples, &plan, map, budget)
}

/// Decodes a chunky tile to samples, 1-bit ones unpacked to a byte each.
fn chunky_samples(
    tiff: &TiffLevel,
    plan: &Plan,
    data: &[u8],
    shape: Shape,
    budget: &Budget,
) -> Result<Samples, PixelError> {
    let (w, rows) = (shape.width as usize, shape.rows as usize);
    let samples_per_row = w.checked_mul(plan.samples);
    let row_bytes =
        samples_per_row.and_then(|n| n.checked_mul(usize::from(plan.bits))).map(|b| b.div_ceil(8));
    let len = row_bytes.and_then(|r| r.checked_mul(rows));
    let layout = Layout { len, row_bytes: row_bytes.unwrap_or(0), stride: plan.samples };
    let raw = raw_samples(tiff, data, layout, shape, budget)?;
    let data = if plan.bits == 1 {
        let mut unpacked = photometric::unpacked_buffer(shape.width, shape.rows, plan.samples, budget)?;
        let per_row = samples_per_row.unwrap_or(0);
        photometric::unpack_bits(&raw, per_row, rows, one_bit_high(plan), &mut unpacked)?;
        unpacked
    } else {
        raw
    };
    Ok(Samples { width: shape.width, height: shape.rows, data })
}

/// Decodes one tile of each plane and interleaves them into chunky samples, one plane at a time so
/// that only one plane's buffer is alive besides the result.
fn interleaved_planes(
    tiff: &TiffLevel,
    plan: &Plan,
    planes: &[&[u8]],
    shape: Shape,
    budget: &Budget,
) -> Result<Samples, PixelError> {
    let (w, rows) = (shape.width as usize, shape.rows as usize);
    let bytes = if plan.bits == 16 { 2 } else { 1 };
    let chunky_len =
        w.checked_mul(rows).and_then(|n| n.checked_mul(plan.samples)).and_then(|n| n.checked_mul(bytes));
    let mut chunky = buffer(chunky_len, shape.width, shape.rows, plan.samples, budget)?;
    let row_bytes = w.checked_mul(usize::from(plan.bits)).map(|b| b.div_ceil(8));
    let len = row_bytes.and_then(|r| r.checked_mul(rows));
    let layout = Layout { len, row_bytes: row_bytes.unwrap_or(0), stride: 1 };
    let mut unpacked = Vec::new();
    for (p, data) in planes.iter().enumerate() {
        let raw = raw_samples(tiff, data, layout, shape, budget)?;
        let plane = if plan.bits == 1 {
            photometric::unpack_bits(&raw, w, rows, one_bit_high(plan), &mut unpacked)?;
            &unpacked
        } else {
            &raw
        };
        photometric::interleave(plane, &mut chunky, p, plan.samples, bytes);
    }
    Ok(Samples { width: shape.width, height: shape.rows, data: chunky })
}

/// Decodes a YCbCr tile stored in blocks of `h`×`v` pixels (see [`photometric::ycbcr_to_rgb`]).
fn ycbcr_tile(
    tiff: &TiffLevel,
    data: &[u8],
    shape: Shape,
    subsampling: (u8, u8),
    budget: &Budget,
) -> Result<Image, PixelError> {
    let len = photometric::ycbcr_len(shape.width, shape.rows, subsampling);
    // The predictor is only allowed without subsampling, where the blocks are plain 3-sample pixels.
    let layout = Layout { len, row_bytes: (shape.width as usize).saturating_mul(3), stride: 3 };
    let raw = raw_samples(tiff, data, layout, shape, budget)?;
    photometric::ycbcr_to_rgb(&raw, shape.width, shape.rows, subsampling, budget)
}

/// JPEG-compressed tiles (Compression 7): each tile is an abbreviated JPEG stream that relies on the
/// level's shared `tables`; Photometric, not the stream, says how its components are coded.
fn jpeg_tile(
    tables: Option<&[u8]>,
    data: &[u8],
    tiff: &TiffLevel,
    budget: &Budget,
) -> Result<Image, PixelError> {
    let color = match tiff.photometric {
        Photometric::MinIsBlack => JpegColor::Gray,
        Photometric::Rgb => JpegColor::Rgb,
        Photometric::YCbCr => JpegColor::YCbCr,
        Photometric::Separated => JpegColor::Cmyk,
        other => {
            return Err(PixelError::unsupported(
                FORMAT,
                format!("JPEG-compressed tiles with photometric {other:?}"),
            ));
        }
    };
    super::jpeg::decode_jpeg_with_tables(tables, data, budget, color)
}

/// The pixel size of one tile or strip.
#[derive(Debug, Clone, Copy)]
struct Shape {
    width: u32,
    rows: u32,
}

impl Shape {
    fn of(level: &Level, tiff: &TiffLevel, index: u32) -> Result<Shape, PixelError> {
        let (columns, grid_rows) = (level.columns(), level.rows());
        if level.tile_width == 0
            || level.tile_height == 0
            || u64::from(index) >= u64::from(columns) * u64::from(grid_rows)
        {
            return Err(PixelError::corrupt(
                FORMAT,
                format!("tile {index} is outside the {columns}×{grid_rows} grid of the level"),
            ));
        }
        let rows = if tiff.is_tiled {
            level.tile_height
        } else {
            // Strips span the width, so `index` is the strip's row in the grid.
            let first_row = u64::from(index / columns.max(1)) * u64::from(level.tile_height);
            let left = u64::from(level.height).saturating_sub(first_row);
            u32::try_from(left.min(u64::from(level.tile_height))).unwrap_or(level.tile_height)
        };
        if rows == 0 {
            return Err(PixelError::corrupt(FORMAT, format!("strip {index} lies below the image")));
        }
        Ok(Shape { width: level.tile_width, rows })
    }
}

/// The decompressed bytes of one tile, plane or strip: `len` in all (`None` when it overflows), rows of
/// `row_bytes` with `stride` samples per pixel for the predictor.
#[derive(Debug, Clone, Copy)]
struct Layout {
    len: Option<usize>,
    row_bytes: usize,
    stride: usize,
}

/// Decompresses `data` into exactly `layout.len` bytes and restores the samples: native byte order,
/// predictor undone.
fn raw_samples(
    tiff: &TiffLevel,
    data: &[u8],
    layout: Layout,
    shape: Shape,
    budget: &Budget,
) -> Result<Vec<u8>, PixelError> {
    let mut raw = buffer(layout.len, shape.width, shape.rows, layout.stride, budget)?;
    if data.is_empty() {
        // A sparse tile: libtiff reads it as zeros too.
        return Ok(raw);
    }
    decompress::decompress_into(tiff.compression, data, &mut raw)?;
    let wide = tiff.bits_per_sample == 16;
    if wide {
        predictor::to_native_endian(&mut raw, tiff.byte_order);
    }
    if tiff.predictor == Predictor::Horizontal {
        predictor::undo_horizontal(&mut raw, layout.row_bytes, layout.stride, wide);
    }
    Ok(raw)
}

/// Refuses, before anything is allocated, what this decoder cannot read.
fn check_codec(tiff: &TiffLevel, plan: &Plan) -> Result<(), PixelError> {
    match tiff.compression {
        Compression::None | Compression::PackBits | Compression::Lzw | Compression::Deflate => {}
        Compression::Jpeg => {}
        Compression::OldJpeg => {
            return Err(PixelError::unsupported(FORMAT, "old-style JPEG compression (6) is not supported"));
        }
        Compression::Other(code) => {
            return Err(PixelError::unsupported(FORMAT, format!("compression {code} is not supported")));
        }
    }
    if tiff.predictor == Predictor::Horizontal {
        if plan.bits == 1 {
            return Err(PixelError::unsupported(FORMAT, "horizontal differencing of 1-bit samples"));
        }
        if matches!(plan.colour, Colour::YCbCr { h, v } if (h, v) != (1, 1)) {
            return Err(PixelError::unsupported(FORMAT, "horizontal differencing of subsampled YCbCr"));
        }
    }
    Ok(())
}

/// The level's palette, checked against its index depth, when it has one.
fn palette<'a>(
    plan: &Plan,
    tiff: &TiffLevel,
    tables: LevelTables<'a>,
) -> Result<Option<&'a ColorMap>, PixelError> {
    if plan.colour != Colour::Palette {
        return Ok(None);
    }
    let map = tables.color_map.ok_or_else(|| {
        PixelError::corrupt(FORMAT, "a palette tile needs its level's ColorMap (see color_map_from)")
    })?;
    if map.len() != 1usize << tiff.bits_per_sample.min(16) {
        return Err(PixelError::corrupt(
            FORMAT,
            format!("a ColorMap of {} entries for {}-bit indexes", map.len(), tiff.bits_per_sample),
        ));
    }
    Ok(Some(map))
}

/// What a set bit unpacks to: the palette index 1, or full intensity.
fn one_bit_high(plan: &Plan) -> u8 {
    if plan.colour == Colour::Palette { 1 } else { 255 }
}

/// A zeroed buffer of `len` bytes for samples on their way to an image, held to the budget's byte limit
/// like the image itself: with many samples per pixel it can be larger than the output.
fn buffer(
    len: Option<usize>,
    width: u32,
    rows: u32,
    samples: usize,
    budget: &Budget,
) -> Result<Vec<u8>, PixelError> {
    let over = || PixelError::OverBudget {
        width,
        height: rows,
        channels: u8::try_from(samples).unwrap_or(u8::MAX),
        max_pixels: budget.max_pixels,
        max_bytes: budget.max_bytes,
    };
    let len = len.ok_or_else(over)?;
    if u64::try_from(len).map_or(true, |l| l > budget.max_bytes) {
        return Err(over());
    }
    let mut data = Vec::new();
    data.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
    data.resize(len, 0);
    Ok(data)
}
