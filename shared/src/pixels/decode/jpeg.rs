//! JPEG decoding with zune-jpeg: baseline and progressive Huffman-coded, 8-bit, grey, YCbCr, RGB, CMYK
//! and YCCK.
//!
//! The header is read with the source prober first ([`jpeg_info`]), so a forged size fails against the
//! [`Budget`] before zune sees the file, and the coding processes zune cannot decode (arithmetic,
//! lossless, hierarchical, 12-bit) are `Unsupported` rather than `Corrupt`.
//!
//! Two kinds of stream arrive here. A JPEG file names its own colours: JFIF or Adobe APP14 markers, or
//! component ids 'R','G','B'; four components are read as Adobe's inverted CMYK (or YCCK), with or
//! without the marker, as libjpeg-based readers do. A JPEG-in-TIFF tile does not name them: the TIFF's
//! PhotometricInterpretation does ([`JpegColor`]), its CMYK is not inverted, and its tables usually
//! live in the JPEGTables tag ([`splice_tables`]).

use alloc::format;
use alloc::vec::Vec;

use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;
use zune_jpeg::errors::DecodeErrors;

use crate::pixels::{Budget, Image, PixelError, PixelFormat};
use crate::source::jpeg::{JpegInfo, jpeg_info};
use crate::source::{SourceBytes, SourceError};

const CODEC: &str = "JPEG";

const SOI: [u8; 2] = [0xFF, 0xD8];
const EOI: [u8; 2] = [0xFF, 0xD9];
const SOS: u8 = 0xDA;

/// The first slice of a file handed to the header reader; most headers fit, and a large EXIF block only
/// costs a second, larger read.
const FIRST_HEADER_READ: usize = 64 * 1024;

/// A decoded JPEG file and its EXIF orientation (1..=8, 1 when absent), which the caller applies: the
/// image is returned as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedJpeg {
    pub image: Image,
    pub orientation: u8,
}

/// What a container (TIFF's PhotometricInterpretation) says the components of a JPEG stream are. Such
/// streams carry no JFIF or Adobe marker, and decoders that guess from the component count would convert
/// RGB as if it were YCbCr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JpegColor {
    /// One component (Photometric 0 or 1). A MinIsWhite image comes back as stored; inverting it is the
    /// container's business.
    Gray,
    /// Photometric 2: three components that are already R, G and B.
    Rgb,
    /// Photometric 6: three components in YCbCr, converted to RGB.
    YCbCr,
    /// Photometric 5 (separated, CMYK inks): four components holding ink amounts, 0 for none. Unlike a
    /// JPEG file from Photoshop, TIFF does not store them inverted.
    Cmyk,
}

impl JpegColor {
    /// The interpretation of a TIFF PhotometricInterpretation value, if JPEG compression can carry it.
    pub fn from_photometric(photometric: u16) -> Option<JpegColor> {
        match photometric {
            0 | 1 => Some(JpegColor::Gray),
            2 => Some(JpegColor::Rgb),
            5 => Some(JpegColor::Cmyk),
            6 => Some(JpegColor::YCbCr),
            _ => None,
        }
    }

    fn components(self) -> u8 {
        match self {
            JpegColor::Gray => 1,
            JpegColor::Rgb | JpegColor::YCbCr => 3,
            JpegColor::Cmyk => 4,
        }
    }
}

/// Decodes a JPEG file: grey to `L8`, everything else to `Rgb8`.
pub fn decode_jpeg(data: &[u8], budget: &Budget) -> Result<Image, PixelError> {
    Ok(decode_jpeg_oriented(data, budget)?.image)
}

/// Decodes a JPEG file and reports its EXIF orientation without applying it.
pub fn decode_jpeg_oriented(data: &[u8], budget: &Budget) -> Result<DecodedJpeg, PixelError> {
    decode_stream(data, budget, None)
}

/// Decodes one JPEG-in-TIFF tile or strip. `tables` is the JPEGTables tag, when the TIFF has one; `color`
/// comes from its PhotometricInterpretation and must match the stream's component count.
pub fn decode_jpeg_with_tables(
    tables: Option<&[u8]>,
    data: &[u8],
    budget: &Budget,
    color: JpegColor,
) -> Result<Image, PixelError> {
    let decoded = match tables {
        Some(tables) => decode_stream(&splice_tables(tables, data)?, budget, Some(color))?,
        None => decode_stream(data, budget, Some(color))?,
    };
    Ok(decoded.image)
}

/// Joins a JPEGTables tag (SOI, tables, EOI) and an abbreviated tile stream (SOI, frame, scans, EOI) into
/// one interchange stream: the tables without their EOI, then the tile without its SOI.
pub fn splice_tables(tables: &[u8], tile: &[u8]) -> Result<Vec<u8>, PixelError> {
    let Some(tables) = tables.strip_prefix(&SOI) else {
        return Err(PixelError::corrupt(CODEC, "JPEGTables does not start with SOI"));
    };
    // Some writers leave the EOI off the tables; either way none may remain inside the joined stream.
    let tables = tables.strip_suffix(&EOI).unwrap_or(tables);
    let Some(tile) = tile.strip_prefix(&SOI) else {
        return Err(PixelError::corrupt(CODEC, "tile data does not start with SOI"));
    };
    let len = SOI.len() + tables.len() + tile.len();
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
    out.extend_from_slice(&SOI);
    out.extend_from_slice(tables);
    out.extend_from_slice(tile);
    Ok(out)
}

/// What zune is asked to produce and what is left to do to its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    out: ColorSpace,
    post: Post,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Post {
    None,
    /// zune saw 'R','G','B' ids or an Adobe marker, but the container says YCbCr.
    YCbCrToRgb,
    /// Uninverted CMYK (from a TIFF) to RGB; zune only knows Adobe's inverted form.
    InkToRgb,
}

fn decode_stream(data: &[u8], budget: &Budget, color: Option<JpegColor>) -> Result<DecodedJpeg, PixelError> {
    let info = read_info(data)?;
    check_supported(&info, color)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    // Fails fast on the final size, before zune parses anything.
    budget.check(width, height, final_format(info.components))?;
    if info.progressive {
        // A progressive decode keeps every 16-bit coefficient until the last scan.
        budget.check(width, height, coefficient_format(info.components))?;
    }
    check_complete(data, &info)?;

    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(data), options(budget));
    decoder.decode_headers().map_err(zune_error)?;
    let input = decoder.input_colorspace().ok_or_else(|| PixelError::corrupt(CODEC, "no headers"))?;
    let plan = plan(info.components, input, color)?;
    decoder.set_options(decoder.options().jpeg_set_out_colorspace(plan.out));

    let zune_size = decoder.info().map(|i| (u32::from(i.width), u32::from(i.height)));
    if zune_size != Some((width, height)) {
        return Err(PixelError::corrupt(CODEC, format!("frame size {zune_size:?} != {width}×{height}")));
    }
    let len = budget.check(width, height, buffer_format(plan.out)?)?;
    if decoder.output_buffer_size() != Some(len) {
        return Err(PixelError::corrupt(CODEC, "decoder output size disagrees with the frame header"));
    }
    let mut pixels = Vec::new();
    pixels.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
    pixels.resize(len, 0);
    decoder.decode_into(&mut pixels).map_err(zune_error)?;

    let image = match plan.post {
        Post::None => Image::from_raw(width, height, final_format(info.components), pixels)?,
        Post::YCbCrToRgb => Image::from_raw(width, height, PixelFormat::Rgb8, ycbcr_to_rgb(pixels))?,
        Post::InkToRgb => Image::from_raw(width, height, PixelFormat::Rgb8, ink_to_rgb(pixels))?,
    };
    Ok(DecodedJpeg { image, orientation: info.orientation })
}

fn options(budget: &Budget) -> DecoderOptions {
    // JPEG sizes are 16-bit, so only a budget under 65535 pixels narrows zune's own limit.
    let limit = usize::try_from(budget.max_pixels.min(u64::from(u16::MAX))).unwrap_or(usize::from(u16::MAX));
    DecoderOptions::default().set_max_width(limit).set_max_height(limit)
}

/// Reads the header with the source prober, handing it a growing prefix of `data`: copying the whole
/// file (megabytes) for a header that sits in its first kilobytes would be wasteful, and doubling keeps
/// the copying linear when a large EXIF or ICC block pushes the frame header far in.
fn read_info(data: &[u8]) -> Result<JpegInfo, PixelError> {
    let total = data.len() as u64;
    let mut held = data.len().min(FIRST_HEADER_READ);
    loop {
        let mut bytes = SourceBytes::new(Some(total));
        bytes.insert(0, data.get(..held).unwrap_or(data).to_vec());
        match jpeg_info(&bytes) {
            Err(SourceError::NeedBytes(range)) if held < data.len() => {
                let wanted = usize::try_from(range.end).unwrap_or(usize::MAX);
                held = wanted.max(held.saturating_mul(2)).min(data.len());
            }
            result => return result.map_err(source_error),
        }
    }
}

fn source_error(e: SourceError) -> PixelError {
    match e {
        SourceError::Corrupt { reason, .. } => PixelError::corrupt(CODEC, reason),
        SourceError::Unsupported { reason, .. } => PixelError::unsupported(CODEC, reason),
        SourceError::NeedBytes(_) => PixelError::corrupt(CODEC, "header truncated"),
        other => PixelError::corrupt(CODEC, format!("{other}")),
    }
}

fn check_supported(info: &JpegInfo, color: Option<JpegColor>) -> Result<(), PixelError> {
    let unsupported = |reason: &str| Err(PixelError::unsupported(CODEC, reason));
    if info.is_arithmetic() {
        return unsupported("arithmetic coding");
    }
    if info.is_lossless() || info.is_hierarchical() {
        return unsupported("lossless or hierarchical coding");
    }
    if !matches!(info.sof_marker, 0xC0..=0xC2) {
        return unsupported(&format!("frame type 0xFF{:02X}", info.sof_marker));
    }
    if info.precision != 8 {
        return unsupported(&format!("{}-bit samples", info.precision));
    }
    if !matches!(info.components, 1 | 3 | 4) {
        return unsupported(&format!("{} components", info.components));
    }
    match color {
        Some(color) if color.components() != info.components => Err(PixelError::corrupt(
            CODEC,
            format!("the container says {color:?}, the stream has {} components", info.components),
        )),
        _ => Ok(()),
    }
}

/// The format handed back: grey stays grey, colour of any kind becomes RGB.
fn final_format(components: u8) -> PixelFormat {
    if components == 1 { PixelFormat::L8 } else { PixelFormat::Rgb8 }
}

/// A format as large as one 16-bit sample per component per pixel: the upper bound (no chroma
/// subsampling) of a progressive decoder's coefficient store.
fn coefficient_format(components: u8) -> PixelFormat {
    match components {
        1 => PixelFormat::L16,
        3 => PixelFormat::Rgb16,
        _ => PixelFormat::Rgba16,
    }
}

/// The layout of the buffer zune writes, before any conversion of ours.
fn buffer_format(out: ColorSpace) -> Result<PixelFormat, PixelError> {
    match out.num_components() {
        1 => Ok(PixelFormat::L8),
        3 => Ok(PixelFormat::Rgb8),
        4 => Ok(PixelFormat::Rgba8),
        n => Err(PixelError::unsupported(CODEC, format!("{n}-component output"))),
    }
}

/// Chooses zune's output colour space from the stream's components, what zune made of its markers
/// (`input`), and what the container says (`color`, for TIFF tiles).
fn plan(components: u8, input: ColorSpace, color: Option<JpegColor>) -> Result<Plan, PixelError> {
    let plan = |out, post| Ok(Plan { out, post });
    // An Adobe marker names CMYK or YCCK before zune has seen the frame; with three components zune
    // settles on RGB or YCbCr only when it starts decoding, so settle it the same way here.
    let input = match (components, input) {
        (3, ColorSpace::CMYK) => ColorSpace::RGB,
        (3, ColorSpace::YCCK) => ColorSpace::YCbCr,
        _ => input,
    };
    match (components, input, color) {
        (1, _, _) => plan(ColorSpace::Luma, Post::None),
        // A file's own markers decide, and zune reads them: JFIF or none is YCbCr, 'R','G','B' ids or
        // Adobe transform 0 is RGB, four components are Adobe's inverted CMYK or YCCK.
        (3 | 4, _, None) => plan(ColorSpace::RGB, Post::None),
        // Whatever zune concluded, the samples are taken as they are: asking for the input colour space
        // makes zune copy them.
        (3, ColorSpace::YCbCr | ColorSpace::RGB, Some(JpegColor::Rgb)) => plan(input, Post::None),
        (3, ColorSpace::YCbCr, Some(JpegColor::YCbCr)) => plan(ColorSpace::RGB, Post::None),
        (3, ColorSpace::RGB, Some(JpegColor::YCbCr)) => plan(ColorSpace::RGB, Post::YCbCrToRgb),
        // An Adobe YCCK transform inside a TIFF still has to be undone, and only zune can.
        (4, ColorSpace::YCCK, Some(JpegColor::Cmyk)) => plan(ColorSpace::RGB, Post::None),
        (4, ColorSpace::CMYK, Some(JpegColor::Cmyk)) => plan(ColorSpace::CMYK, Post::InkToRgb),
        _ => Err(PixelError::unsupported(CODEC, format!("{components} components read as {input:?}"))),
    }
}

/// A stream cut short still "decodes" in zune's tolerant mode (the missing rows come out grey), so a
/// truncated file or a wrong tile byte range would pass unnoticed. Requires an EOI after the first scan
/// header. Tolerant mode stays on because it also accepts harmless faults real files have (stray bytes
/// between segments, unexpected markers) that libjpeg only warns about.
fn check_complete(data: &[u8], info: &JpegInfo) -> Result<(), PixelError> {
    let sof = usize::try_from(info.sof_offset).unwrap_or(usize::MAX);
    let scan = first_scan(data, sof).ok_or_else(|| PixelError::corrupt(CODEC, "no scan after the frame"))?;
    let scans = data.get(scan..).unwrap_or_default();
    if scans.windows(2).rev().any(|w| w == EOI) {
        Ok(())
    } else {
        Err(PixelError::corrupt(CODEC, "truncated: no EOI after the scan data"))
    }
}

/// The offset of the first SOS marker, walking the segments from the frame header at `at`.
fn first_scan(data: &[u8], mut at: usize) -> Option<usize> {
    loop {
        if *data.get(at)? != 0xFF {
            return None;
        }
        let marker = *data.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Standalone markers (TEM, RSTn) carry no length.
            0x01 | 0xD0..=0xD7 => at += 2,
            SOS => return Some(at),
            _ => {
                let len = u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]);
                at = at.checked_add(2 + usize::from(len))?;
            }
        }
    }
}

fn zune_error(e: DecodeErrors) -> PixelError {
    match e {
        DecodeErrors::Unsupported(scheme) => PixelError::unsupported(CODEC, format!("{scheme:?}")),
        other => PixelError::corrupt(CODEC, format!("{other}")),
    }
}

/// Full-range YCbCr (JFIF) to RGB in place, 16-bit fixed point like libjpeg.
fn ycbcr_to_rgb(mut pixels: Vec<u8>) -> Vec<u8> {
    const ONE_HALF: i32 = 1 << 15;
    let clamp = |v: i32| (v >> 16).clamp(0, 255) as u8;
    for px in pixels.chunks_exact_mut(3) {
        let [r, g, b] = px else { continue };
        let y = (i32::from(*r) << 16) + ONE_HALF;
        let (cb, cr) = (i32::from(*g) - 128, i32::from(*b) - 128);
        (*r, *g, *b) =
            (clamp(y + 91_881 * cr), clamp(y - 22_554 * cb - 46_802 * cr), clamp(y + 116_130 * cb));
    }
    pixels
}

/// Uninverted CMYK (ink amounts) to RGB, compacting four bytes a pixel to three in place:
/// R = (255 − C)(255 − K)/255, the same naive conversion zune applies to Adobe's inverted form.
fn ink_to_rgb(mut pixels: Vec<u8>) -> Vec<u8> {
    let count = pixels.len() / 4;
    for i in 0..count {
        let (src, dst) = (i * 4, i * 3);
        // The write position never passes the read position, so reading first is enough.
        let Some(&[c, m, y, k]) = pixels.get(src..src + 4).and_then(|s| <&[u8; 4]>::try_from(s).ok()) else {
            break;
        };
        let white = 255 - k;
        if let Some(out) = pixels.get_mut(dst..dst + 3) {
            out.copy_from_slice(&[
                mul_div_255(255 - c, white),
                mul_div_255(255 - m, white),
                mul_div_255(255 - y, white),
            ]);
        }
    }
    pixels.truncate(count * 3);
    pixels
}

/// a·b/255, rounded, without a division.
fn mul_div_255(a: u8, b: u8) -> u8 {
    let t = u32::from(a) * u32::from(b) + 128;
    ((t + (t >> 8)) >> 8) as u8
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that unwraps fails loudly, which is what it is for.
pub(super) mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    /// A test image from the workspace's shared fixtures (`/work/shared/fixtures`).
    pub fn fixture(name: &str) -> Vec<u8> {
        let path = String::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/")) + name;
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A file from `testdata/` beside this module (see `testdata/generate.py`).
    pub fn testdata(name: &str) -> Vec<u8> {
        let path = String::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src/pixels/decode/testdata/")) + name;
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Statistics of a reference decode (libjpeg-turbo through Pillow), written by `generate.py`.
    struct Reference {
        size: (u32, u32, usize),
        mean: Vec<f64>,
        grid: u32,
        cells: Vec<Vec<u8>>,
    }

    fn reference(name: &str) -> Reference {
        let text = String::from_utf8(testdata(name)).unwrap();
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        let mut field = |key: &str| -> Vec<String> {
            let line = lines.next().unwrap();
            let mut words = line.split_whitespace();
            assert_eq!(words.next(), Some(key), "{name}: {line}");
            words.map(String::from).collect()
        };
        let size: Vec<u32> = field("size").iter().map(|w| w.parse().unwrap()).collect();
        let mean = field("mean").iter().map(|w| w.parse().unwrap()).collect();
        let grid = field("grid")[0].parse().unwrap();
        let cells = lines
            .flat_map(|l| l.split_whitespace())
            .map(|hex| {
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
            })
            .collect();
        Reference { size: (size[0], size[1], size[2] as usize), mean, grid, cells }
    }

    /// How far a decode is from a reference: the largest difference of any sample at the grid points,
    /// their PSNR, and the largest difference of a channel's mean over the whole image.
    #[derive(Debug)]
    struct Comparison {
        max_diff: u8,
        psnr: f64,
        mean_diff: f64,
    }

    fn compare(image: &Image, r: &Reference) -> Comparison {
        let channels = image.format.bytes_per_pixel();
        assert_eq!((image.width, image.height, channels), r.size);
        let (mut max_diff, mut squares) = (0u8, 0f64);
        for j in 0..r.grid {
            for i in 0..r.grid {
                let x = (2 * i + 1) * image.width / (2 * r.grid);
                let y = (2 * j + 1) * image.height / (2 * r.grid);
                let at = (y as usize * image.width as usize + x as usize) * channels;
                let expected = &r.cells[(j * r.grid + i) as usize];
                for (a, b) in image.data[at..at + channels].iter().zip(expected) {
                    let d = a.abs_diff(*b);
                    max_diff = max_diff.max(d);
                    squares += f64::from(d) * f64::from(d);
                }
            }
        }
        let mse = squares / f64::from(r.grid * r.grid) / channels as f64;
        let psnr = if mse == 0.0 { f64::INFINITY } else { 10.0 * libm::log10(255.0 * 255.0 / mse) };
        let pixels = image.data.len() / channels;
        let mean_diff = (0..channels)
            .map(|c| {
                let sum: u64 = image.data.iter().skip(c).step_by(channels).map(|&v| u64::from(v)).sum();
                (sum as f64 / pixels as f64 - r.mean[c]).abs()
            })
            .fold(0.0, f64::max);
        Comparison { max_diff, psnr, mean_diff }
    }

    /// Two conforming decoders differ by a level or two here and there (IDCT rounding, chroma
    /// upsampling at block edges); a wrong colour conversion or a misplaced block is far worse.
    fn assert_close(image: &Image, reference_name: &str) -> Comparison {
        let c = compare(image, &reference(reference_name));
        assert!(c.psnr >= 45.0 && c.max_diff <= 8 && c.mean_diff < 0.5, "{reference_name}: {c:?}");
        c
    }

    fn decode(data: &[u8]) -> Result<Image, PixelError> {
        decode_jpeg(data, &Budget::default())
    }

    fn assert_corrupt<T: core::fmt::Debug>(r: Result<T, PixelError>) {
        assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    }

    /// Offset of the first marker `code` (its 0xFF), walking segments from SOI.
    fn marker_offset(data: &[u8], code: u8) -> usize {
        let mut at = 2;
        while data[at + 1] != code {
            at += 2 + usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        }
        at
    }

    /// Renames the components in the frame and scan headers, as another writer would have numbered them.
    fn rename_components(data: &[u8], from: [u8; 3], to: [u8; 3]) -> Vec<u8> {
        let mut out = data.to_vec();
        let rename = |id: &mut u8| *id = to[from.iter().position(|f| f == id).unwrap()];
        let sof = marker_offset(data, 0xC0);
        for c in 0..3 {
            rename(&mut out[sof + 10 + 3 * c]);
        }
        let sos = marker_offset(data, SOS);
        for c in 0..3 {
            rename(&mut out[sos + 5 + 2 * c]);
        }
        out
    }

    #[test]
    fn files_decode_to_their_size_and_format() {
        let cases = [
            (fixture("rocket.jpg"), 640, 427, PixelFormat::Rgb8),
            (fixture("hubble_deep_field.jpg"), 1000, 872, PixelFormat::Rgb8),
            (testdata("gray.jpg"), 61, 45, PixelFormat::L8),
            (testdata("progressive.jpg"), 75, 50, PixelFormat::Rgb8),
            (testdata("orient6.jpg"), 24, 16, PixelFormat::Rgb8),
            (testdata("cmyk_adobe.jpg"), 48, 32, PixelFormat::Rgb8),
            (testdata("ycck.jpg"), 48, 32, PixelFormat::Rgb8),
            (testdata("cmyk_plain.jpg"), 48, 32, PixelFormat::Rgb8),
        ];
        for (file, width, height, format) in cases {
            let image = decode(&file).unwrap();
            assert_eq!((image.width, image.height, image.format), (width, height, format));
            assert_eq!(image.data.len(), (width * height) as usize * format.bytes_per_pixel());
        }
        let sample = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/rocket.jpg")).unwrap();
        assert_eq!(decode(&sample).unwrap(), decode(&fixture("rocket.jpg")).unwrap());
    }

    #[test]
    fn matches_libjpeg_turbo() {
        for (file, reference) in [
            (fixture("rocket.jpg"), "rocket.ref"),
            (fixture("hubble_deep_field.jpg"), "hubble.ref"),
            (testdata("gray.jpg"), "gray.ref"),
            (testdata("progressive.jpg"), "progressive.ref"),
        ] {
            assert_close(&decode(&file).unwrap(), reference);
        }
    }

    /// The large progressive fixture (16 MB, 5640×3172, 4:2:2). Reports its distance from libjpeg-turbo.
    #[test]
    fn progressive_elephants_match_libjpeg_turbo() {
        let decoded = decode_jpeg_oriented(&fixture("Elephants_5640x3172.jpg"), &Budget::default()).unwrap();
        assert_eq!((decoded.image.width, decoded.image.height), (5640, 3172));
        assert_eq!((decoded.image.format, decoded.orientation), (PixelFormat::Rgb8, 1));
        let c = assert_close(&decoded.image, "elephants.ref");
        std::println!("Elephants vs libjpeg-turbo at 64×64 grid points: {c:?}");
    }

    #[test]
    fn orientation_is_reported_not_applied() {
        let decoded = decode_jpeg_oriented(&testdata("orient6.jpg"), &Budget::default()).unwrap();
        assert_eq!((decoded.orientation, decoded.image.width, decoded.image.height), (6, 24, 16));
        assert_eq!(decoded.image, decode(&testdata("orient6.jpg")).unwrap());
        let rocket = decode_jpeg_oriented(&fixture("rocket.jpg"), &Budget::default()).unwrap();
        assert_eq!(rocket.orientation, 1);
    }

    /// The CMYK test images hold six 16×16 patches of these inks (0 = none); see `make_cmyk.rs`.
    const INKS: [[u8; 4]; 6] = [
        [0, 255, 255, 0],
        [255, 0, 255, 0],
        [255, 255, 0, 0],
        [0, 0, 0, 128],
        [64, 128, 0, 32],
        [0, 0, 0, 0],
    ];

    fn assert_patches(image: &Image, expected: impl Fn([u8; 4]) -> [u8; 3]) {
        for (i, ink) in INKS.iter().enumerate() {
            let (x, y) = ((i % 3) * 16 + 8, (i / 3) * 16 + 8);
            let at = (y * 48 + x) * 3;
            let got = &image.data[at..at + 3];
            let want = expected(*ink);
            assert!(got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 2), "patch {i}: {got:?} != {want:?}");
        }
    }

    fn ink_rgb([c, m, y, k]: [u8; 4]) -> [u8; 3] {
        [c, m, y].map(|v| mul_div_255(255 - v, 255 - k))
    }

    #[test]
    fn cmyk_files_follow_the_adobe_convention() {
        // Photoshop, Pillow and jpeg-encoder store Adobe CMYK inverted, and so do YCCK files.
        for (name, reference) in [("cmyk_adobe.jpg", "cmyk_adobe.ref"), ("ycck.jpg", "ycck.ref")] {
            let image = decode(&testdata(name)).unwrap();
            assert_close(&image, reference);
            assert_patches(&image, ink_rgb);
        }
        // Without an APP14 marker a file is still read as inverted, as libjpeg-based readers do: this
        // one really holds plain inks, so it comes out (nearly) black, like Pillow's reading.
        let plain = decode(&testdata("cmyk_plain.jpg")).unwrap();
        assert_close(&plain, "cmyk_plain.ref");
        assert_patches(&plain, |ink| ink_rgb(ink.map(|v| 255 - v)));
    }

    #[test]
    fn tiff_cmyk_is_not_inverted() {
        let tile = testdata("cmyk_plain.jpg");
        let image = decode_jpeg_with_tables(None, &tile, &Budget::default(), JpegColor::Cmyk).unwrap();
        assert_eq!((image.width, image.height, image.format), (48, 32, PixelFormat::Rgb8));
        assert_patches(&image, ink_rgb);
        // A YCCK stream says so itself, and that still has to be undone.
        let ycck = decode_jpeg_with_tables(None, &testdata("ycck.jpg"), &Budget::default(), JpegColor::Cmyk);
        assert_patches(&ycck.unwrap(), ink_rgb);
    }

    fn tile(stem: &str, color: JpegColor) -> Result<Image, PixelError> {
        let (tables, tile) =
            (testdata(&(String::from(stem) + ".tables")), testdata(&(String::from(stem) + ".tile")));
        decode_jpeg_with_tables(Some(&tables), &tile, &Budget::default(), color)
    }

    #[test]
    fn tiff_tiles_match_libtiff() {
        let ycbcr = tile("tiff_ycbcr", JpegColor::YCbCr).unwrap();
        assert_eq!((ycbcr.width, ycbcr.height, ycbcr.format), (32, 32, PixelFormat::Rgb8));
        assert_close(&ycbcr, "tiff_ycbcr.ref");
        let rgb = tile("tiff_rgb", JpegColor::Rgb).unwrap();
        assert_close(&rgb, "tiff_rgb.ref");
        // An abbreviated tile has no tables of its own.
        assert_corrupt(decode_jpeg_with_tables(
            None,
            &testdata("tiff_ycbcr.tile"),
            &Budget::default(),
            JpegColor::YCbCr,
        ));
    }

    #[test]
    fn photometric_decides_between_rgb_and_ycbcr() {
        let budget = Budget::default();
        // libtiff names RGB components 'R','G','B', which zune recognises; other writers number them, and
        // then only the photometric tells RGB from YCbCr.
        let tables = testdata("tiff_rgb.tables");
        let numbered = rename_components(&testdata("tiff_rgb.tile"), *b"RGB", [1, 2, 3]);
        let rgb = tile("tiff_rgb", JpegColor::Rgb).unwrap();
        let as_rgb = decode_jpeg_with_tables(Some(&tables), &numbered, &budget, JpegColor::Rgb).unwrap();
        assert_eq!(as_rgb, rgb);
        let as_ycbcr = decode_jpeg_with_tables(Some(&tables), &numbered, &budget, JpegColor::YCbCr).unwrap();
        assert_ne!(as_ycbcr, rgb, "the photometric must change the reading");
        // YCbCr data under 'R','G','B' ids: our own conversion takes over from zune's.
        let tables = testdata("tiff_ycbcr.tables");
        let lettered = rename_components(&testdata("tiff_ycbcr.tile"), [1, 2, 3], *b"RGB");
        let image = decode_jpeg_with_tables(Some(&tables), &lettered, &budget, JpegColor::YCbCr).unwrap();
        assert_close(&image, "tiff_ycbcr.ref");
        // The photometric and the component count must agree.
        for color in [JpegColor::Gray, JpegColor::Cmyk] {
            assert_corrupt(tile("tiff_ycbcr", color));
        }
        let gray = decode_jpeg_with_tables(None, &testdata("gray.jpg"), &budget, JpegColor::Gray).unwrap();
        assert_eq!(gray, decode(&testdata("gray.jpg")).unwrap());
        assert_corrupt(decode_jpeg_with_tables(None, &testdata("gray.jpg"), &budget, JpegColor::Rgb));
    }

    /// `data` with an Adobe APP14 segment (transform `transform`) right after its SOI.
    fn with_adobe(data: &[u8], transform: u8) -> Vec<u8> {
        let mut out = data[..2].to_vec();
        out.extend_from_slice(&[
            0xFF, 0xEE, 0, 14, b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, transform,
        ]);
        out.extend_from_slice(&data[2..]);
        out
    }

    #[test]
    fn adobe_markers_in_tiles_do_not_confuse_the_photometric() {
        let budget = Budget::default();
        let (rgb, ycbcr) =
            (tile("tiff_rgb", JpegColor::Rgb).unwrap(), tile("tiff_ycbcr", JpegColor::YCbCr).unwrap());
        for transform in [0, 1, 2] {
            let tables = with_adobe(&testdata("tiff_rgb.tables"), transform);
            let image =
                decode_jpeg_with_tables(Some(&tables), &testdata("tiff_rgb.tile"), &budget, JpegColor::Rgb);
            assert_eq!(image.unwrap(), rgb, "RGB tile, Adobe transform {transform}");
            let tables = with_adobe(&testdata("tiff_ycbcr.tables"), transform);
            let image = decode_jpeg_with_tables(
                Some(&tables),
                &testdata("tiff_ycbcr.tile"),
                &budget,
                JpegColor::YCbCr,
            );
            assert_close(&image.unwrap(), "tiff_ycbcr.ref");
        }
        assert_eq!(ycbcr.format, PixelFormat::Rgb8);
    }

    #[test]
    fn photometric_values() {
        assert_eq!(JpegColor::from_photometric(1), Some(JpegColor::Gray));
        assert_eq!(JpegColor::from_photometric(2), Some(JpegColor::Rgb));
        assert_eq!(JpegColor::from_photometric(5), Some(JpegColor::Cmyk));
        assert_eq!(JpegColor::from_photometric(6), Some(JpegColor::YCbCr));
        assert_eq!(JpegColor::from_photometric(3), None);
    }

    #[test]
    fn splicing_joins_tables_and_tile() {
        assert_eq!(
            splice_tables(&[0xFF, 0xD8, 0xFF, 0xDB, 0, 2, 0xFF, 0xD9], &[0xFF, 0xD8, 0xFF, 0xC0, 0xFF, 0xD9])
                .unwrap(),
            vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 2, 0xFF, 0xC0, 0xFF, 0xD9]
        );
        // Tables without an EOI, or with nothing in them.
        assert_eq!(
            splice_tables(&[0xFF, 0xD8, 0xAA], &[0xFF, 0xD8, 0xBB]).unwrap(),
            vec![0xFF, 0xD8, 0xAA, 0xBB]
        );
        assert_eq!(splice_tables(&[0xFF, 0xD8, 0xFF, 0xD9], &[0xFF, 0xD8]).unwrap(), vec![0xFF, 0xD8]);
        assert_corrupt(splice_tables(&[0xFF, 0xDB, 0xFF, 0xD9], &[0xFF, 0xD8]));
        assert_corrupt(splice_tables(&[0xFF, 0xD8], &[0xFF, 0xC0]));
        assert_corrupt(splice_tables(&[], &[]));
        // A complete file spliced with empty tables is itself.
        let rocket = fixture("rocket.jpg");
        assert_eq!(splice_tables(&[0xFF, 0xD8, 0xFF, 0xD9], &rocket).unwrap(), rocket);
    }

    /// rocket.jpg with its frame header rewritten.
    fn forged(f: impl FnOnce(&mut [u8])) -> Vec<u8> {
        let mut file = fixture("rocket.jpg");
        let sof = marker_offset(&file, 0xC0);
        f(&mut file[sof..]);
        file
    }

    #[test]
    fn oversized_headers_fail_fast() {
        let huge = forged(|sof| sof[5..9].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]));
        let started = Instant::now();
        let e = decode(&huge).unwrap_err();
        assert!(started.elapsed() < Duration::from_millis(200), "{:?}", started.elapsed());
        assert!(
            matches!(e, PixelError::OverBudget { width: 65535, height: 65535, channels: 3, .. }),
            "{e:?}"
        );
        let small = Budget { max_pixels: 640 * 426, max_bytes: u64::MAX };
        assert!(matches!(decode_jpeg(&fixture("rocket.jpg"), &small), Err(PixelError::OverBudget { .. })));
        let exact = Budget { max_pixels: 640 * 427, max_bytes: 640 * 427 * 3 };
        assert!(decode_jpeg(&fixture("rocket.jpg"), &exact).is_ok());
    }

    #[test]
    fn progressive_coefficients_count_against_the_budget() {
        // 75×50: 11 250 bytes of RGB, up to 22 500 of coefficients.
        let budget = Budget { max_pixels: 1 << 20, max_bytes: 20_000 };
        let e = decode_jpeg(&testdata("progressive.jpg"), &budget).unwrap_err();
        assert!(matches!(e, PixelError::OverBudget { width: 75, height: 50, .. }), "{e:?}");
        let budget = Budget { max_pixels: 1 << 20, max_bytes: 22_500 };
        assert!(decode_jpeg(&testdata("progressive.jpg"), &budget).is_ok());
    }

    #[test]
    fn unsupported_processes_are_named() {
        for (marker, precision) in [(0xC3, 8), (0xC9, 8), (0xCA, 8), (0xC5, 8), (0xC1, 12)] {
            let file = forged(|sof| {
                sof[1] = marker;
                sof[4] = precision;
            });
            let e = decode(&file).unwrap_err();
            assert!(matches!(e, PixelError::Unsupported { .. }), "0xFF{marker:02X} {precision}-bit: {e:?}");
            assert_eq!(e.status(), 501);
        }
    }

    #[test]
    fn truncated_files_are_corrupt() {
        for name in ["rocket.jpg", "hubble_deep_field.jpg"] {
            let file = fixture(name);
            for cut in [0, 1, 2, 3, 100, 600, file.len() / 3, file.len() / 2, file.len() - 3, file.len() - 1]
            {
                assert_corrupt(decode(&file[..cut]));
            }
        }
        // A progressive file cut between scans, and one cut inside one.
        let file = testdata("progressive.jpg");
        let second_scan = marker_offset(&file, SOS)
            + 1
            + file[marker_offset(&file, SOS) + 1..].windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        assert_corrupt(decode(&file[..second_scan]));
        assert_corrupt(decode(&file[..second_scan + 40]));
        // Bytes after the EOI are ignored, as every decoder does.
        let mut trailing = fixture("rocket.jpg");
        trailing.extend_from_slice(b"trailing garbage");
        assert_eq!(decode(&trailing).unwrap(), decode(&fixture("rocket.jpg")).unwrap());
    }

    #[test]
    fn garbage_is_corrupt() {
        assert_corrupt(decode(b""));
        assert_corrupt(decode(b"GIF89a"));
        assert_corrupt(decode(&fixture("rocket.jpg")[2..]));
        assert_corrupt(decode(&[0xFF, 0xD8, 0xFF, 0xD9]));
    }

    fn small_files() -> Vec<Vec<u8>> {
        ["gray.jpg", "progressive.jpg", "orient6.jpg", "cmyk_adobe.jpg", "ycck.jpg", "cmyk_plain.jpg"]
            .map(testdata)
            .to_vec()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn damaged_files_never_panic(
            which in 0usize..6,
            cut in 0usize..3000,
            edits in proptest::collection::vec((0usize..3000, any::<u8>()), 0..6),
        ) {
            let mut file = small_files().swap_remove(which);
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] = byte;
            }
            file.truncate(cut);
            if let Ok(image) = decode(&file) {
                prop_assert_eq!(image.data.len(), image.row_bytes() * image.height as usize);
            }
        }

        #[test]
        fn damaged_tiles_never_panic(
            ycbcr in any::<bool>(),
            color in 0usize..4,
            in_tables in any::<bool>(),
            cut in 0usize..1100,
            edits in proptest::collection::vec((0usize..1100, any::<u8>()), 0..6),
        ) {
            let stem = if ycbcr { "tiff_ycbcr" } else { "tiff_rgb" };
            let mut tables = testdata(&(String::from(stem) + ".tables"));
            let mut tile = testdata(&(String::from(stem) + ".tile"));
            let target = if in_tables { &mut tables } else { &mut tile };
            let len = target.len();
            for (at, byte) in edits {
                target[at % len] = byte;
            }
            target.truncate(cut);
            let color = [JpegColor::Gray, JpegColor::Rgb, JpegColor::YCbCr, JpegColor::Cmyk][color];
            let _ = decode_jpeg_with_tables(Some(&tables), &tile, &Budget::default(), color);
        }
    }
}
