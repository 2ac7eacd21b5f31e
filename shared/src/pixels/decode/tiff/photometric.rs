//! From decoded TIFF samples to an [`Image`]: the colour model (`PhotometricInterpretation`), extra
//! samples (alpha), palettes, and YCbCr with chroma subsampling.

use alloc::format;
use alloc::vec::Vec;

use super::{FORMAT, PixelError, buffer};
use crate::pixels::{Budget, Image, PixelFormat};
use crate::source::tiff::{ExtraSample, Photometric, SampleFormat, TiffLevel};

/// How the samples of a pixel become colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// One sample; `invert` for MinIsWhite.
    Gray {
        invert: bool,
    },
    Rgb,
    /// One sample indexing the level's [`ColorMap`].
    Palette,
    /// Four inks, converted naively (no ICC profile): `R = (1 - C)(1 - K)`.
    Cmyk,
    /// Uncompressed (or LZW, Deflate, PackBits) YCbCr, in blocks of `h`×`v` luma samples and one Cb, Cr.
    YCbCr {
        h: u8,
        v: u8,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alpha {
    /// Which sample of the pixel.
    pub index: usize,
    pub premultiplied: bool,
}

/// What a level's samples decode to, decided from its tags alone, before any allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub colour: Colour,
    pub alpha: Option<Alpha>,
    /// Samples per pixel in the decoded data.
    pub samples: usize,
    /// 1, 8 or 16.
    pub bits: u16,
    pub out: PixelFormat,
}

impl Plan {
    pub fn new(tiff: &TiffLevel) -> Result<Plan, PixelError> {
        if tiff.sample_format == SampleFormat::Signed {
            return Err(PixelError::unsupported(FORMAT, "signed integer samples are not supported"));
        }
        let bits = tiff.bits_per_sample;
        if !matches!(bits, 1 | 8 | 16) {
            return Err(PixelError::unsupported(FORMAT, format!("{bits}-bit samples are not supported")));
        }
        let samples = usize::from(tiff.samples_per_pixel);
        // Extra samples are the last ones of a pixel; the colour samples come first.
        let colour_samples = samples.checked_sub(tiff.extra_samples.len()).ok_or_else(|| {
            PixelError::corrupt(
                FORMAT,
                format!("{} extra samples in {samples} samples per pixel", tiff.extra_samples.len()),
            )
        })?;
        let (colour, base) = match tiff.photometric {
            Photometric::MinIsBlack => (Colour::Gray { invert: false }, 1),
            Photometric::MinIsWhite => (Colour::Gray { invert: true }, 1),
            Photometric::Rgb => (Colour::Rgb, 3),
            Photometric::Palette => (Colour::Palette, 1),
            Photometric::Separated if colour_samples >= 4 => (Colour::Cmyk, 4),
            Photometric::Separated => {
                return Err(PixelError::unsupported(
                    FORMAT,
                    format!("separated (ink) images with {colour_samples} inks: only CMYK is supported"),
                ));
            }
            Photometric::YCbCr => (ycbcr(tiff, samples)?, 3),
            other => {
                return Err(PixelError::unsupported(
                    FORMAT,
                    format!("photometric interpretation {other:?} is not supported"),
                ));
            }
        };
        if colour_samples < base {
            return Err(PixelError::corrupt(
                FORMAT,
                format!("{:?} needs {base} colour samples, the pixel has {colour_samples}", tiff.photometric),
            ));
        }
        if bits == 1 && matches!(colour, Colour::YCbCr { .. }) {
            return Err(PixelError::unsupported(FORMAT, "1-bit YCbCr is not supported"));
        }
        // Only the first alpha counts; other extra samples (and unspecified ones) are dropped, as libtiff's
        // RGBA interface does.
        let alpha = tiff.extra_samples.iter().enumerate().find_map(|(i, e)| {
            let premultiplied = match e {
                ExtraSample::AssociatedAlpha => true,
                ExtraSample::UnassociatedAlpha => false,
                _ => return None,
            };
            Some(Alpha { index: colour_samples + i, premultiplied })
        });
        let wide = bits == 16 && colour != Colour::Palette;
        let out = match (colour, alpha.is_some(), wide) {
            (Colour::Gray { .. }, false, false) => PixelFormat::L8,
            (Colour::Gray { .. }, true, false) => PixelFormat::La8,
            (Colour::Gray { .. }, false, true) => PixelFormat::L16,
            (Colour::Gray { .. }, true, true) => PixelFormat::La16,
            (_, false, false) => PixelFormat::Rgb8,
            (_, true, false) => PixelFormat::Rgba8,
            (_, false, true) => PixelFormat::Rgb16,
            (_, true, true) => PixelFormat::Rgba16,
        };
        Ok(Plan { colour, alpha, samples, bits, out })
    }

    /// Whether the decoded samples already are the output layout, up to per-pixel fixes in place.
    fn in_place(&self) -> bool {
        let base = match self.colour {
            Colour::Gray { .. } => 1,
            Colour::Rgb => 3,
            _ => return false,
        };
        match self.alpha {
            None => self.samples == base,
            Some(a) => self.samples == base + 1 && a.index == base,
        }
    }

    fn wide_in(&self) -> bool {
        self.bits == 16
    }
}

fn ycbcr(tiff: &TiffLevel, samples: usize) -> Result<Colour, PixelError> {
    if samples != 3 || tiff.bits_per_sample != 8 {
        return Err(PixelError::unsupported(
            FORMAT,
            format!(
                "YCbCr with {samples} {}-bit samples: only 3 8-bit samples are supported",
                tiff.bits_per_sample
            ),
        ));
    }
    let (h, v) = tiff.ycbcr_subsampling.unwrap_or((2, 2));
    Ok(Colour::YCbCr { h, v })
}

/// A level's palette, scaled to 8 bits: `1 << BitsPerSample` entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorMap {
    entries: Vec<[u8; 3]>,
}

impl ColorMap {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<[u8; 3]> {
        self.entries.get(index).copied()
    }
}

/// Parses the bytes at [`TiffLevel::color_map`] (all reds, then greens, then blues, 16 bits each in the
/// file's byte order) into a [`ColorMap`]. Fetch and parse it once per level.
pub fn color_map_from(bytes: &[u8], tiff: &TiffLevel) -> Result<ColorMap, PixelError> {
    let bits = tiff.bits_per_sample;
    if !matches!(bits, 1 | 8 | 16) {
        return Err(PixelError::unsupported(FORMAT, format!("{bits}-bit palette indexes")));
    }
    let n = 1usize << bits;
    if bytes.len() != n * 3 * 2 {
        return Err(PixelError::corrupt(
            FORMAT,
            format!("ColorMap of {} bytes for {bits}-bit indexes ({} expected)", bytes.len(), n * 6),
        ));
    }
    let big = tiff.byte_order.is_big_endian();
    let values: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| {
            let pair = [c.first().copied().unwrap_or(0), c.get(1).copied().unwrap_or(0)];
            if big { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) }
        })
        .collect();
    // Some old writers stored 8-bit values in the 16-bit map; libtiff and libvips detect this the same
    // way (no value above 255) and take them as they are.
    let eight_bit = values.iter().all(|&v| v < 256);
    let scale = |v: u16| if eight_bit { v as u8 } else { (v >> 8) as u8 };
    let (reds, rest) = values.split_at_checked(n).unwrap_or_default();
    let (greens, blues) = rest.split_at_checked(n).unwrap_or_default();
    let entries =
        reds.iter().zip(greens).zip(blues).map(|((&r, &g), &b)| [scale(r), scale(g), scale(b)]).collect();
    Ok(ColorMap { entries })
}

/// Decoded samples of one tile, chunky: `plan.samples` per pixel, 1 byte each (1-bit samples already
/// unpacked) or 2 native-endian bytes when 16-bit.
pub struct Samples {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// Converts samples to the plan's output format. Associated (premultiplied) alpha is un-premultiplied:
/// an [`Image`] holds straight alpha, as PNG and WebP output expect.
pub fn to_image(
    samples: Samples,
    plan: &Plan,
    map: Option<&ColorMap>,
    budget: &Budget,
) -> Result<Image, PixelError> {
    if plan.in_place() {
        let Samples { width, height, mut data } = samples;
        fix_in_place(&mut data, plan);
        return Image::from_raw(width, height, plan.out, data);
    }
    let mut image = Image::new(samples.width, samples.height, plan.out, budget)?;
    let wide_in = plan.wide_in();
    let in_bytes = plan.samples * if wide_in { 2 } else { 1 };
    let out_bytes = plan.out.bytes_per_pixel();
    let wide_out = plan.out.bytes_per_sample() == 2;
    let max_out = if wide_out { 65535 } else { 255 };
    for (src, dst) in samples.data.chunks_exact(in_bytes).zip(image.data.chunks_exact_mut(out_bytes)) {
        let s = |i: usize| sample(src, i, wide_in);
        let (mut colour, n) = pixel_colour(plan.colour, &s, map, wide_in);
        if let Some(alpha) = plan.alpha {
            let mut a = s(alpha.index);
            if wide_in && !wide_out {
                a >>= 8;
            }
            if alpha.premultiplied {
                for c in colour.iter_mut().take(n) {
                    *c = unpremultiply(*c, a, max_out);
                }
            }
            put(dst, n, a, wide_out);
        }
        for (i, c) in colour.iter().take(n).enumerate() {
            put(dst, i, *c, wide_out);
        }
    }
    Ok(image)
}

/// The colour samples of one pixel in the output's depth, and how many there are.
fn pixel_colour(
    colour: Colour,
    s: &impl Fn(usize) -> u32,
    map: Option<&ColorMap>,
    wide_in: bool,
) -> ([u32; 3], usize) {
    let max = if wide_in { 65535 } else { 255 };
    match colour {
        Colour::Gray { invert } => ([if invert { max - s(0).min(max) } else { s(0) }, 0, 0], 1),
        Colour::Rgb => ([s(0), s(1), s(2)], 3),
        Colour::Cmyk => {
            let k = max - s(3).min(max);
            let ink = |i: usize| (max - s(i).min(max)) * k / max.max(1);
            ([ink(0), ink(1), ink(2)], 3)
        }
        Colour::Palette => {
            let [r, g, b] = map.and_then(|m| m.get(s(0) as usize)).unwrap_or([0; 3]);
            ([u32::from(r), u32::from(g), u32::from(b)], 3)
        }
        // Converted from the raw block layout before samples exist; never reaches here.
        Colour::YCbCr { .. } => ([0; 3], 3),
    }
}

fn fix_in_place(data: &mut [u8], plan: &Plan) {
    let invert = plan.colour == Colour::Gray { invert: true };
    let premultiplied = plan.alpha.filter(|a| a.premultiplied);
    if !invert && premultiplied.is_none() {
        return;
    }
    let wide = plan.wide_in();
    let max = if wide { 65535 } else { 255 };
    let colour_samples = plan.alpha.map_or(plan.samples, |a| a.index);
    let pixel_bytes = plan.samples * if wide { 2 } else { 1 };
    for px in data.chunks_exact_mut(pixel_bytes) {
        if invert {
            put(px, 0, max - sample(px, 0, wide).min(max), wide);
        }
        if let Some(alpha) = premultiplied {
            let a = sample(px, alpha.index, wide);
            for i in 0..colour_samples {
                put(px, i, unpremultiply(sample(px, i, wide), a, max), wide);
            }
        }
    }
}

fn unpremultiply(c: u32, a: u32, max: u32) -> u32 {
    if a == 0 {
        return 0;
    }
    let c = u64::from(c);
    let straight = (c * u64::from(max) + u64::from(a / 2)) / u64::from(a);
    straight.min(u64::from(max)) as u32
}

fn sample(px: &[u8], i: usize, wide: bool) -> u32 {
    if wide {
        match px.get(2 * i..2 * i + 2) {
            Some(&[a, b]) => u32::from(u16::from_ne_bytes([a, b])),
            _ => 0,
        }
    } else {
        px.get(i).copied().map_or(0, u32::from)
    }
}

fn put(px: &mut [u8], i: usize, v: u32, wide: bool) {
    if wide {
        if let Some(dst) = px.get_mut(2 * i..2 * i + 2) {
            dst.copy_from_slice(&(v.min(65535) as u16).to_ne_bytes());
        }
    } else if let Some(dst) = px.get_mut(i) {
        *dst = v.min(255) as u8;
    }
}

/// Unpacks 1-bit samples, most significant bit first, each row starting on a byte, into one byte per
/// sample: 0 or `one`.
pub fn unpack_bits(
    raw: &[u8],
    samples_per_row: usize,
    rows: usize,
    one: u8,
    out: &mut Vec<u8>,
) -> Result<(), PixelError> {
    let row_bytes = samples_per_row.div_ceil(8);
    if raw.len() < row_bytes.saturating_mul(rows) {
        return Err(PixelError::corrupt(FORMAT, "short 1-bit tile"));
    }
    out.clear();
    for row in raw.chunks_exact(row_bytes.max(1)).take(rows) {
        let bits = row.iter().flat_map(|byte| (0..8).rev().map(move |b| (byte >> b) & 1));
        out.extend(bits.take(samples_per_row).map(|bit| bit * one));
    }
    Ok(())
}

/// Converts uncompressed YCbCr in the TIFF block layout to RGB: blocks of `h`×`v` pixels, row-major
/// over the tile, each `h * v` luma samples then one Cb and one Cr. Chroma is replicated over its block,
/// as libtiff does. The coefficients are the spec's defaults (ITU-R BT.601, full range); files naming
/// others are rare and are decoded as if they did not.
pub fn ycbcr_to_rgb(
    raw: &[u8],
    width: u32,
    rows: u32,
    (h, v): (u8, u8),
    budget: &Budget,
) -> Result<Image, PixelError> {
    let mut image = Image::new(width, rows, PixelFormat::Rgb8, budget)?;
    let needed = ycbcr_len(width, rows, (h, v))
        .ok_or_else(|| PixelError::corrupt(FORMAT, "YCbCr tile size overflows"))?;
    if raw.len() < needed {
        return Err(PixelError::corrupt(FORMAT, "short YCbCr tile"));
    }
    let (h, v) = (usize::from(h.max(1)), usize::from(v.max(1)));
    let (w, rows) = (width as usize, rows as usize);
    let luma = h * v;
    let per_row = w.div_ceil(h).max(1);
    let blocks = per_row * rows.div_ceil(v);
    for (i, block) in raw.chunks_exact(luma + 2).take(blocks).enumerate() {
        let (bx, by) = (i % per_row * h, i / per_row * v);
        let (ys, chroma) = block.split_at(luma);
        let (cb, cr) = match chroma {
            [cb, cr] => (i32::from(*cb) - 128, i32::from(*cr) - 128),
            _ => continue,
        };
        for (j, &y) in ys.iter().enumerate() {
            let (x, row) = (bx + j % h, by + j / h);
            if x >= w || row >= rows {
                continue;
            }
            let at = (row * w + x) * 3;
            if let Some(px) = image.data.get_mut(at..at + 3) {
                px.copy_from_slice(&ycbcr_pixel(i32::from(y), cb, cr));
            }
        }
    }
    Ok(image)
}

/// The bytes of a `width`×`rows` YCbCr tile in blocks of `h`×`v`: partial blocks at the right and bottom
/// edges are stored whole.
pub fn ycbcr_len(width: u32, rows: u32, (h, v): (u8, u8)) -> Option<usize> {
    let (h, v) = (usize::from(h.max(1)), usize::from(v.max(1)));
    (width as usize).div_ceil(h).checked_mul((rows as usize).div_ceil(v))?.checked_mul(h * v + 2)
}

/// JFIF's full-range BT.601 conversion in 16.16 fixed point.
fn ycbcr_pixel(y: i32, cb: i32, cr: i32) -> [u8; 3] {
    const HALF: i32 = 1 << 15;
    let r = y + ((91_881 * cr + HALF) >> 16);
    let g = y + ((-22_554 * cb - 46_802 * cr + HALF) >> 16);
    let b = y + ((116_130 * cb + HALF) >> 16);
    [r.clamp(0, 255) as u8, g.clamp(0, 255) as u8, b.clamp(0, 255) as u8]
}

/// Copies the samples of plane `plane` into every `samples`-th slot of a chunky buffer.
pub fn interleave(plane: &[u8], chunky: &mut [u8], plane_index: usize, samples: usize, bytes: usize) {
    let at = plane_index * bytes;
    for (src, px) in plane.chunks_exact(bytes).zip(chunky.chunks_exact_mut(samples * bytes)) {
        if let Some(dst) = px.get_mut(at..at + bytes) {
            dst.copy_from_slice(src);
        }
    }
}

/// A buffer for the unpacked samples of a 1-bit tile: one byte per sample.
pub fn unpacked_buffer(
    width: u32,
    rows: u32,
    samples: usize,
    budget: &Budget,
) -> Result<Vec<u8>, PixelError> {
    let len = (width as usize).checked_mul(rows as usize).and_then(|n| n.checked_mul(samples));
    let mut out = buffer(len, width, rows, samples, budget)?;
    out.clear();
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ycbcr_matches_the_float_formula() {
        for (y, cb, cr) in [(0, 128, 128), (255, 128, 128), (76, 85, 255), (150, 44, 21), (29, 255, 107)] {
            let [r, g, b] = ycbcr_pixel(y, cb - 128, cr - 128);
            let (yf, cbf, crf) = (f64::from(y), f64::from(cb) - 128.0, f64::from(cr) - 128.0);
            let expect = [yf + 1.402 * crf, yf - 0.344136 * cbf - 0.714136 * crf, yf + 1.772 * cbf];
            for (got, want) in [r, g, b].iter().zip(expect) {
                let want = want.clamp(0.0, 255.0);
                assert!((f64::from(*got) - want).abs() <= 0.5 + 1e-9, "{y} {cb} {cr}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn unpremultiply_rounds_and_clamps() {
        assert_eq!(unpremultiply(64, 128, 255), 128);
        assert_eq!(unpremultiply(200, 100, 255), 255);
        assert_eq!(unpremultiply(9, 0, 255), 0);
        assert_eq!(unpremultiply(32768, 32768, 65535), 65535);
    }

    #[test]
    fn bits_unpack_per_row() {
        let mut out = Vec::new();
        unpack_bits(&[0b1010_0000, 0b0100_0000], 3, 2, 255, &mut out).unwrap();
        assert_eq!(out, [255, 0, 255, 0, 255, 0]);
        assert!(unpack_bits(&[0], 3, 2, 1, &mut out).is_err());
    }
}
