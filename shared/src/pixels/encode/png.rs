//! PNG, written here over miniz_oxide's deflate. The PNG crates were no fit: `png` needs std, and
//! zune-png 0.5's encoder only stores (its deflate has no compressing mode), so its files are as large as
//! the raw pixels. What PNG adds around deflate is small: per-row filters, three chunk types and a CRC.
//!
//! Gray, gray+alpha, RGB and RGBA at 8 and 16 bits are written as they are; 8-bit gray with only black
//! and white (the bitonal quality) is packed to 1 bit per pixel, an eighth of the data to compress.

use alloc::vec::Vec;

use miniz_oxide::deflate::compress_to_vec_zlib;

use super::PngCompression;
use crate::pixels::{Image, PixelError, PixelFormat};

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

/// The largest chunk the format allows (2³¹ − 1 bytes).
const MAX_CHUNK: usize = 0x7FFF_FFFF;

pub(super) fn encode(img: &Image, compression: PngCompression) -> Result<Vec<u8>, PixelError> {
    let layout = Layout::of(img);
    let filtered = filter(img, &layout)?;
    let level = match compression {
        PngCompression::Fast => 1,
        PngCompression::Default => 6,
        PngCompression::Best => 9,
    };
    let compressed = compress_to_vec_zlib(&filtered, level);
    drop(filtered);

    let chunks = compressed.len().div_ceil(MAX_CHUNK).max(1);
    let size = SIGNATURE.len() + 25 + compressed.len() + 12 * chunks + 12;
    let mut out = Vec::new();
    out.try_reserve_exact(size).map_err(|_| PixelError::OutOfMemory(size))?;
    out.extend_from_slice(&SIGNATURE);
    let mut header = [0u8; 13];
    header[..4].copy_from_slice(&img.width.to_be_bytes());
    header[4..8].copy_from_slice(&img.height.to_be_bytes());
    // Bit depth, colour type; compression, filter and interlace methods are 0 (the only ones defined,
    // and no interlacing).
    header[8] = layout.depth;
    header[9] = layout.colour_type;
    write_chunk(&mut out, b"IHDR", &header);
    if compressed.is_empty() {
        write_chunk(&mut out, b"IDAT", &[]);
    }
    for part in compressed.chunks(MAX_CHUNK) {
        write_chunk(&mut out, b"IDAT", part);
    }
    write_chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// How the image's samples are laid out in PNG rows.
struct Layout {
    depth: u8,
    colour_type: u8,
    /// Bytes in one unfiltered row.
    row_bytes: usize,
    /// The distance the Sub, Average and Paeth filters look back: one pixel, at least one byte.
    filter_step: usize,
}

impl Layout {
    fn of(img: &Image) -> Layout {
        let width = img.width as usize;
        if img.format == PixelFormat::L8 && img.data.iter().all(|&v| v == 0 || v == 255) {
            return Layout { depth: 1, colour_type: 0, row_bytes: width.div_ceil(8), filter_step: 1 };
        }
        let colour_type = match img.format {
            PixelFormat::L8 | PixelFormat::L16 => 0,
            PixelFormat::Rgb8 | PixelFormat::Rgb16 => 2,
            PixelFormat::La8 | PixelFormat::La16 => 4,
            PixelFormat::Rgba8 | PixelFormat::Rgba16 => 6,
        };
        let bpp = img.format.bytes_per_pixel();
        let depth = if img.format.bytes_per_sample() == 2 { 16 } else { 8 };
        Layout { depth, colour_type, row_bytes: width * bpp, filter_step: bpp }
    }
}

/// Row `y` as PNG stores it: 16-bit samples big-endian, 1-bit pixels packed most significant bit first.
fn raw_row(img: &Image, y: u32, layout: &Layout, out: &mut [u8]) {
    let row = img.row(y);
    match layout.depth {
        1 => {
            out.fill(0);
            for (byte, pixels) in out.iter_mut().zip(row.chunks(8)) {
                for (bit, &v) in pixels.iter().enumerate() {
                    if v != 0 {
                        *byte |= 0x80 >> bit;
                    }
                }
            }
        }
        16 => {
            for (dst, src) in out.chunks_exact_mut(2).zip(row.chunks_exact(2)) {
                let v = u16::from_ne_bytes([src[0], src[1]]);
                dst.copy_from_slice(&v.to_be_bytes());
            }
        }
        _ => {
            if let Some(src) = row.get(..out.len()) {
                out.copy_from_slice(src);
            }
        }
    }
}

/// Every row prefixed by its filter type and filtered. Rows of 8 bits and more take the filter whose
/// output has the smallest sum of absolute (signed) bytes, the heuristic libpng uses: it favours rows
/// of small differences, which deflate codes in few bits. 1-bit rows are not filtered, as libpng
/// advises, since their bytes are bit patterns, not values.
fn filter(img: &Image, layout: &Layout) -> Result<Vec<u8>, PixelError> {
    let n = layout.row_bytes;
    let total = (n + 1).checked_mul(img.height as usize).ok_or(PixelError::OutOfMemory(usize::MAX))?;
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| PixelError::OutOfMemory(total))?;
    let scratch_len = n * 7;
    let mut scratch = Vec::new();
    scratch.try_reserve_exact(scratch_len).map_err(|_| PixelError::OutOfMemory(scratch_len))?;
    scratch.resize(scratch_len, 0u8);
    let (rows, candidates) = scratch.split_at_mut(2 * n);
    let (mut previous, mut current) = rows.split_at_mut(n);
    for y in 0..img.height {
        raw_row(img, y, layout, current);
        if layout.depth == 1 {
            out.push(0);
            out.extend_from_slice(current);
        } else {
            let mut best = (u64::MAX, 0u8);
            for (kind, candidate) in (0u8..5).zip(candidates.chunks_exact_mut(n)) {
                apply(kind, current, previous, layout.filter_step, candidate);
                let cost: u64 = candidate.iter().map(|&b| u64::from((b as i8).unsigned_abs())).sum();
                if cost < best.0 {
                    best = (cost, kind);
                }
            }
            out.push(best.1);
            if let Some(chosen) = candidates.chunks_exact(n).nth(usize::from(best.1)) {
                out.extend_from_slice(chosen);
            }
        }
        core::mem::swap(&mut previous, &mut current);
    }
    Ok(out)
}

/// PNG filter `kind` (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) of `row` given the row above.
fn apply(kind: u8, row: &[u8], above: &[u8], step: usize, out: &mut [u8]) {
    for (i, ((o, &x), &b)) in out.iter_mut().zip(row).zip(above).enumerate() {
        let a = if i >= step { row.get(i - step).copied().unwrap_or(0) } else { 0 };
        let c = if i >= step { above.get(i - step).copied().unwrap_or(0) } else { 0 };
        let predicted = match kind {
            1 => a,
            2 => b,
            3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
            4 => paeth(a, b, c),
            _ => 0,
        };
        *o = x.wrapping_sub(predicted);
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crate::crc::crc32(&[kind, data]).to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_specification() {
        // The IEND chunk's CRC, as every PNG file ends.
        assert_eq!(crate::crc::crc32(&[b"IEND", &[]]), 0xAE42_6082);
        assert_eq!(crate::crc::crc32(&[b"123456789"]), 0xCBF4_3926);
    }

    #[test]
    fn filters_invert() {
        let above = [10u8, 200, 30, 40, 250, 0];
        let row = [12u8, 190, 35, 41, 3, 255];
        for kind in 0..5 {
            let mut out = [0u8; 6];
            apply(kind, &row, &above, 2, &mut out);
            // Undo as a decoder does, left to right.
            let mut back = [0u8; 6];
            for i in 0..6 {
                let a = if i >= 2 { back[i - 2] } else { 0 };
                let c = if i >= 2 { above[i - 2] } else { 0 };
                let predicted = match kind {
                    1 => a,
                    2 => above[i],
                    3 => ((u16::from(a) + u16::from(above[i])) / 2) as u8,
                    4 => paeth(a, above[i], c),
                    _ => 0,
                };
                back[i] = out[i].wrapping_add(predicted);
            }
            assert_eq!(back, row, "filter {kind}");
        }
    }
}
