//! JPEG 2000 decoding (JP2 files, JPX files with a contiguous codestream, raw codestreams) through
//! [`hayro-jpeg2000`](https://crates.io/crates/hayro-jpeg2000), a pure-Rust, `no_std` + `alloc`, `forbid(unsafe)`
//! decoder, chosen over the `openjp2` port by measurement (see `docs/jp2-decoder.md`).
//!
//! - **Reduced resolution.** `reduce` discards that many resolution levels, so the decoder never touches the
//!   discarded sub-bands: the output is the level [`CodestreamInfo::levels`] advertises (each corner of the
//!   image area divided by 2^reduce, rounded up).
//! - **Regions.** hayro has no decode window of its own, so a region is served by codestream surgery: the
//!   main header's SIZ is rewritten to the union of the tiles the region touches (tile grid origin moved to
//!   the first of them, tile-parts renumbered), and only those tiles' tile-parts are handed to the decoder.
//!   Every kept tile keeps its rectangle on the reference grid, so its samples are bit-identical to the same
//!   tile in a whole-image decode. Inside a tile there is no window: a single-tile image (nemo.jp2) decodes
//!   the whole level and crops.
//! - **Partial codestreams.** Because of the above, `data` does not need the tiles a region does not touch.
//!   It may be a whole JP2 file, or a raw codestream made of SOC + the main header (everything up to the
//!   first SOT, [`CodestreamInfo::main_header_end`]) followed by the complete tile-parts (each from its SOT
//!   marker, `Psot` bytes long) of at least the tiles the region needs, in their original order, optionally
//!   ending in EOC. [`crate::source::jp2_layout`] indexes the tiles and cuts exactly that out of ranged
//!   reads, for this decoder and for OpenJPEG. A tile the
//!   region needs but `data` lacks is [`PixelError::Corrupt`]. (A raw codestream has no JP2 colour boxes:
//!   1, 2, 3 and 4 components are then read as gray, gray + alpha, RGB and RGBA.) Codestreams whose packet
//!   headers are packed in the main header (PPM) cannot be split: they always decode every tile.
//! - **Budget.** Before anything is decoded, the output and the decoder's own working set are checked
//!   against the [`Budget`]: hayro keeps one `f32` plane per component for the whole decoded area (4 bytes
//!   per sample, the dominant cost), plus per-tile coefficient and wavelet buffers. A codestream claiming
//!   100000×100000 fails with [`PixelError::OverBudget`] before any pixel memory is allocated.
//! - **Output.** 1 component → `L8`/`L16`, 2 (gray + alpha) → `La8`/`La16`, 3 → `Rgb8`/`Rgb16`, 4 (RGB +
//!   alpha) → `Rgba8`/`Rgba16`. Components of 8 bits or fewer give 8-bit output (fewer than 8 bits are scaled
//!   up to 0..=255); any component deeper than 8 bits makes the output 16-bit, each component scaled to the
//!   full 0..=65535 range (so 12-bit 4095 becomes 65535; deeper than 16 bits is scaled down). sYCC is
//!   converted to RGB and palettes are resolved (by hayro); ICC profiles are not applied (RGB or gray
//!   profiles pass their samples through unconverted). Refused with [`PixelError::Unsupported`]: signed
//!   components, sub-sampled components (XRsiz/YRsiz ≠ 1), CMYK, CIELab and other colour spaces, palette
//!   images at a reduced resolution, and more than 4 components.
//! - **Errors.** Malformed input is [`PixelError::Corrupt`], found either by the header probe in
//!   [`crate::source::jp2`] or by hayro. hayro is `forbid(unsafe_code)` and returns errors for the malformed
//!   input it has been tested with (including the mutation tests below), but it is not proven panic-free
//!   (it has a few `unwrap`s and slice indexes on validated paths); `catch_unwind` is not available in
//!   `no_std`, so a caller that must survive any input runs the decode in its own isolation (the edge's
//!   per-request instance, a thread in the origin).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use hayro_jpeg2000::{ColorSpace, DecodeError, DecodeSettings, DecoderContext, FormatError, MarkerError};

use crate::pixels::{Budget, Image, PixelError, PixelFormat};
use crate::source::jp2::{BoxHeader, CodestreamInfo, codestream_info, find_codestream, jp2_info};
use crate::source::{FIRST_FETCH, SourceBytes, SourceError};

const CODEC: &str = "JPEG 2000";

const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
const SOC: [u8; 2] = [0xFF, 0x4F];
const SOT: u16 = 0xFF90;
const EOC: u16 = 0xFFD9;
const TLM: u16 = 0xFF55;
const PPM: u16 = 0xFF60;

/// Header fetches grow geometrically, so even a file with megabytes of boxes before its codestream is
/// parsed in a few passes.
const MAX_HEADER_PASSES: usize = 48;

/// A rectangle in the pixel coordinates of the decoded level (after `reduce`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// A JPEG 2000 decoder the render pipeline can use instead of the built-in one ([`Hayro`], this module's
/// [`decode_jp2`]). The origin plugs in OpenJPEG (crate `tessella-openjpeg`) through it, so the pipeline
/// (plan, mosaic, crop, scale, encode) stays in the core and only the codec differs.
///
/// The contract is [`decode_jp2`]'s: `data` is a JP2/JPX file or a raw codestream, `reduce` discards that many
/// resolution levels, `region` is in the reduced level's pixel coordinates (`None`: the whole level), the
/// output is the level's pixels in the layouts `decode_jp2` documents, and the [`Budget`] is checked before
/// any pixel memory is allocated.
pub trait Jp2Decoder: Send + Sync + core::fmt::Debug {
    /// A short name for logs and configuration ("hayro", "openjpeg").
    fn name(&self) -> &'static str;

    fn decode(
        &self,
        data: &[u8],
        reduce: u8,
        region: Option<Region>,
        budget: &Budget,
    ) -> Result<Image, PixelError>;
}

/// The built-in pure-Rust decoder: [`decode_jp2`] (hayro-jpeg2000 with tile surgery for regions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hayro;

impl Jp2Decoder for Hayro {
    fn name(&self) -> &'static str {
        "hayro"
    }

    fn decode(
        &self,
        data: &[u8],
        reduce: u8,
        region: Option<Region>,
        budget: &Budget,
    ) -> Result<Image, PixelError> {
        decode_jp2(data, reduce, region, budget)
    }
}

/// Decodes `data` (a JP2/JPX file or a raw codestream, whole or holding only the tiles `region` needs, see
/// the module documentation) with `reduce` resolution levels discarded, cut to `region` (in the reduced
/// level's coordinates; `None` is the whole level).
pub fn decode_jp2(
    data: &[u8],
    reduce: u8,
    region: Option<Region>,
    budget: &Budget,
) -> Result<Image, PixelError> {
    let header = read_header(data)?;
    let info = &header.info;
    check_components(info)?;

    let levels = info.levels();
    let Some(level) = levels.get(usize::from(reduce)) else {
        return Err(PixelError::unsupported(
            CODEC,
            format!(
                "reduce {reduce} asks for a resolution level the codestream does not have: it has {} \
                 decomposition level(s), so reduce 0..={} ({}×{} down to {}×{})",
                info.min_decomposition_levels,
                levels.len().saturating_sub(1),
                info.width,
                info.height,
                levels.last().map_or(0, |l| l.width),
                levels.last().map_or(0, |l| l.height),
            ),
        ));
    };
    let region = region.unwrap_or(Region { x: 0, y: 0, w: level.width, h: level.height });
    let fits = |start: u32, len: u32, size: u32| len > 0 && start.checked_add(len).is_some_and(|e| e <= size);
    if !fits(region.x, region.w, level.width) || !fits(region.y, region.h, level.height) {
        return Err(PixelError::unsupported(
            CODEC,
            format!(
                "region {},{},{},{} is empty or outside the {}×{} level (reduce {reduce})",
                region.x, region.y, region.w, region.h, level.width, level.height
            ),
        ));
    }

    let codestream = data
        .get(to_usize(info.offset)?..to_usize(info.end.unwrap_or(data.len() as u64))?)
        .ok_or_else(|| PixelError::corrupt(CODEC, "the codestream box runs past the end of the data"))?;
    let main_header_len = to_usize(info.main_header_end - info.offset)?;
    let segments = main_header_segments(codestream, main_header_len)?;
    let has_ppm = segments.iter().any(|&(marker, _, _)| marker == PPM);
    // Which tiles to decode, and the area they cover on the reference grid.
    let window = Window::select(info, reduce, region, has_ppm)?;
    let parts = tile_parts(codestream, main_header_len, info, &window)?;

    // What the decoder will produce before the crop.
    let decoded_w = window.level_extent(window.x0, window.x1, reduce);
    let decoded_h = window.level_extent(window.y0, window.y1, reduce);
    let origin_x = shrink(u64::from(info.x_offset), reduce);
    let origin_y = shrink(u64::from(info.y_offset), reduce);
    let crop_x = u64::from(region.x) + origin_x - shrink(u64::from(window.x0), reduce);
    let crop_y = u64::from(region.y) + origin_y - shrink(u64::from(window.y0), reduce);

    // Budget: the output, then the decoder's working set, before the decoder allocates anything.
    let deepest = info.components.iter().map(|c| c.bit_depth).max().unwrap_or(8);
    let provisional = output_format(info.components.len(), deepest)?;
    let output_bytes = budget.check(region.w, region.h, provisional)?;
    let (tile_w, tile_h) = window.tile_extent(info, reduce);
    let channels = info.components.len().max(usize::from(provisional.channels())) as u64;
    let decoded_pixels = decoded_w.saturating_mul(decoded_h);
    // One f32 plane per component for the decoded area, and per tile (one component at a time) the
    // coefficients and wavelet buffers: measured at about 8.6 bytes per tile sample on nemo.jp2 (2592×1456,
    // one tile), so 10 is counted.
    let planes = decoded_pixels.saturating_mul(channels * 4);
    let tile_scratch = tile_w.saturating_mul(tile_h).saturating_mul(10);
    // The rebuilt codestream, and its copy in a rebuilt JP2 file.
    let surgery_copy =
        if window.is_everything() { 0 } else { 2 * (parts.bytes as u64 + main_header_len as u64) };
    let working =
        planes.saturating_add(tile_scratch).saturating_add(surgery_copy).saturating_add(output_bytes as u64);
    if decoded_pixels > budget.max_pixels || working > budget.max_bytes {
        return Err(PixelError::OverBudget {
            width: u32::try_from(decoded_w).unwrap_or(u32::MAX),
            height: u32::try_from(decoded_h).unwrap_or(u32::MAX),
            channels: provisional.channels(),
            max_pixels: budget.max_pixels,
            max_bytes: budget.max_bytes,
        });
    }

    // The bytes hayro decodes: the input as it is, or the main header and the kept tiles.
    let rebuilt;
    let input: &[u8] = if window.is_everything() {
        data
    } else {
        let cs = rebuild_codestream(codestream, &segments, info, &window, &parts.kept)?;
        rebuilt = match header.jp2c {
            Some(jp2c) => rewrap_jp2(data, &jp2c, &cs)?,
            None => cs,
        };
        &rebuilt
    };

    let full_w = window.x1 - window.x0;
    let full_h = window.y1 - window.y0;
    let settings = DecodeSettings {
        resolve_palette_indices: true,
        strict: false,
        // hayro discards floor(log2(size / target)) levels; size >> reduce makes that exactly `reduce`
        // (Window::select made sure both sides span at least 2^reduce).
        target_resolution: Some((
            full_w.checked_shr(reduce.into()).unwrap_or(0).max(1),
            full_h.checked_shr(reduce.into()).unwrap_or(0).max(1),
        )),
    };
    let image = hayro_jpeg2000::Image::new(input, &settings).map_err(decoder_error)?;
    if (u64::from(image.width()), u64::from(image.height())) != (decoded_w, decoded_h) {
        return Err(PixelError::unsupported(
            CODEC,
            format!(
                "the decoder would produce {}×{} instead of {decoded_w}×{decoded_h} (reduce {reduce}); \
                 palette images can only be decoded at full resolution",
                image.width(),
                image.height()
            ),
        ));
    }
    let channels = usize::from(image.color_space().num_channels()) + usize::from(image.has_alpha());
    if header.is_jp2 {
        check_colour_space(image.color_space())?;
    }
    let mut context = DecoderContext::default();
    let decoded = image.decode(&mut context).map_err(decoder_error)?;
    let components = decoded.components();
    if components.len() != channels && header.is_jp2 {
        return Err(PixelError::unsupported(
            CODEC,
            format!("{} decoded components for {channels} channels", components.len()),
        ));
    }
    let deepest = components.iter().map(|c| c.bit_depth()).max().unwrap_or(8);
    let format = output_format(components.len(), deepest)?;

    let mut out = Image::new(region.w, region.h, format, budget)?;
    let crop = Crop {
        x: to_usize(crop_x)?,
        y: to_usize(crop_y)?,
        w: region.w as usize,
        h: region.h as usize,
        stride: to_usize(decoded_w)?,
    };
    let planes: Vec<(&[f32], u8)> = components.iter().map(|c| (c.samples(), c.bit_depth())).collect();
    interleave(&planes, &crop, &mut out)?;
    Ok(out)
}

/// The codestream's main header, from whatever part of `data` the probe asks for.
struct Header {
    info: CodestreamInfo,
    /// The contiguous codestream box, for JP2 and JPX files.
    jp2c: Option<BoxHeader>,
    is_jp2: bool,
}

fn read_header(data: &[u8]) -> Result<Header, PixelError> {
    let is_jp2 = data.starts_with(&JP2_SIGNATURE);
    if !is_jp2 && !data.starts_with(&SOC) {
        return Err(PixelError::corrupt(CODEC, "neither a JP2 file nor a codestream (no signature, no SOC)"));
    }
    let len = data.len() as u64;
    let mut bytes = SourceBytes::new(Some(len));
    let mut grow = FIRST_FETCH;
    bytes.insert(0, data[..to_usize(grow.min(len))?].to_vec());
    for _ in 0..MAX_HEADER_PASSES {
        let result = if is_jp2 {
            find_codestream(&bytes).and_then(|jp2c| Ok((jp2_info(&bytes)?, Some(jp2c))))
        } else {
            codestream_info(&bytes, 0).map(|info| (info, None))
        };
        match result {
            Ok((info, jp2c)) => return Ok(Header { info, jp2c, is_jp2 }),
            Err(SourceError::NeedBytes(range)) => {
                grow = grow.saturating_mul(2);
                let end = range.end.max(range.start.saturating_add(grow)).min(len);
                let chunk =
                    data.get(to_usize(range.start)?..to_usize(end)?).filter(|c| !c.is_empty()).ok_or_else(
                        || PixelError::corrupt(CODEC, "the header points past the end of the data"),
                    )?;
                bytes.insert(range.start, chunk.to_vec());
            }
            Err(e) => return Err(source_error(e)),
        }
    }
    Err(PixelError::corrupt(CODEC, "the main header could not be found in a reasonable number of passes"))
}

fn source_error(e: SourceError) -> PixelError {
    match e {
        SourceError::Unsupported { reason, .. } | SourceError::TooLarge(reason) => {
            PixelError::unsupported(CODEC, reason)
        }
        SourceError::Corrupt { reason, .. } => PixelError::corrupt(CODEC, reason),
        other => PixelError::corrupt(CODEC, format!("{other}")),
    }
}

fn decoder_error(e: DecodeError) -> PixelError {
    match e {
        DecodeError::Format(FormatError::Unsupported) | DecodeError::Marker(MarkerError::Unsupported) => {
            PixelError::unsupported(CODEC, format!("{e}"))
        }
        _ => PixelError::corrupt(CODEC, format!("{e}")),
    }
}

fn check_components(info: &CodestreamInfo) -> Result<(), PixelError> {
    if info.components.is_empty() || info.components.len() > 4 {
        return Err(PixelError::unsupported(
            CODEC,
            format!("{} components (1 to 4 are decoded)", info.components.len()),
        ));
    }
    for (i, c) in info.components.iter().enumerate() {
        if c.signed {
            return Err(PixelError::unsupported(
                CODEC,
                format!(
                    "component {i} holds signed samples, which have no faithful 8/16-bit unsigned output"
                ),
            ));
        }
        if (c.dx, c.dy) != (1, 1) {
            return Err(PixelError::unsupported(
                CODEC,
                format!(
                    "component {i} is sub-sampled {}×{} on the reference grid; sub-sampled components are \
                     not decoded",
                    c.dx, c.dy
                ),
            ));
        }
    }
    Ok(())
}

/// Colour spaces whose samples are gray or RGB as they stand.
fn check_colour_space(cs: &ColorSpace) -> Result<(), PixelError> {
    match cs {
        ColorSpace::Gray | ColorSpace::RGB => Ok(()),
        // hayro reports CIELab as an ICC-based space too; the profile header's colour space tells them
        // apart (bytes 16..20: 'GRAY', 'RGB ', 'Lab ', 'CMYK'...).
        ColorSpace::Icc { profile, .. } => match profile.get(16..20) {
            Some(b"GRAY") | Some(b"RGB ") => Ok(()),
            other => Err(PixelError::unsupported(
                CODEC,
                format!(
                    "ICC colour space '{}' (only gray and RGB are decoded)",
                    other.map(|s| s.iter().map(|&b| char::from(b)).collect::<String>()).unwrap_or_default()
                ),
            )),
        },
        ColorSpace::CMYK => Err(PixelError::unsupported(CODEC, "CMYK colour space")),
        ColorSpace::Unknown { num_channels } => {
            Err(PixelError::unsupported(CODEC, format!("unknown colour space with {num_channels} channels")))
        }
    }
}

/// The layout for `channels` samples per pixel, 16-bit when any is deeper than 8 bits. 2 and 4 channels
/// end in alpha: for JP2 files hayro has checked that against the channel definitions (or the colour
/// space's channel count), a raw codestream has nothing else to go by.
fn output_format(channels: usize, deepest: u8) -> Result<PixelFormat, PixelError> {
    PixelFormat::from_channels(channels, deepest > 8)
        .ok_or_else(|| PixelError::unsupported(CODEC, format!("{channels} channels (1 to 4 are decoded)")))
}

/// `value / 2^reduce`, rounded up (ISO 15444-1 B-15).
fn shrink(value: u64, reduce: u8) -> u64 {
    value.div_ceil(1u64 << reduce)
}

fn to_usize(v: u64) -> Result<usize, PixelError> {
    usize::try_from(v).map_err(|_| PixelError::corrupt(CODEC, format!("offset {v} does not fit in memory")))
}

/// The tiles to decode (columns `p0..=p1`, rows `q0..=q1`) and the part of the image area they cover on
/// the reference grid, `x0..x1` × `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    p0: u32,
    p1: u32,
    q0: u32,
    q1: u32,
    x0: u32,
    x1: u32,
    y0: u32,
    y1: u32,
    tiles_across: u32,
    tiles_down: u32,
}

impl Window {
    fn select(
        info: &CodestreamInfo,
        reduce: u8,
        region: Region,
        has_ppm: bool,
    ) -> Result<Window, PixelError> {
        let image_x = (info.x_offset, info.x_offset + info.width);
        let image_y = (info.y_offset, info.y_offset + info.height);
        let (p0, p1) = axis_tiles(
            image_x,
            (info.tile_x_offset, info.tile_width),
            info.tiles_across,
            reduce,
            (region.x, region.w),
        )?;
        let (q0, q1) = axis_tiles(
            image_y,
            (info.tile_y_offset, info.tile_height),
            info.tiles_down,
            reduce,
            (region.y, region.h),
        )?;
        // Packed packet headers (PPM) span every tile-part, so the tiles cannot be separated.
        let (p0, p1, q0, q1) =
            if has_ppm { (0, info.tiles_across - 1, 0, info.tiles_down - 1) } else { (p0, p1, q0, q1) };
        let (p0, p1, x0, x1) =
            widen(image_x, (info.tile_x_offset, info.tile_width), info.tiles_across, reduce, p0, p1)?;
        let (q0, q1, y0, y1) =
            widen(image_y, (info.tile_y_offset, info.tile_height), info.tiles_down, reduce, q0, q1)?;
        Ok(Window {
            p0,
            p1,
            q0,
            q1,
            x0,
            x1,
            y0,
            y1,
            tiles_across: info.tiles_across,
            tiles_down: info.tiles_down,
        })
    }

    fn is_everything(&self) -> bool {
        self.p0 == 0 && self.q0 == 0 && self.p1 + 1 == self.tiles_across && self.q1 + 1 == self.tiles_down
    }

    fn contains(&self, tile: u32) -> bool {
        let (p, q) = (tile % self.tiles_across, tile / self.tiles_across);
        (self.p0..=self.p1).contains(&p) && (self.q0..=self.q1).contains(&q)
    }

    /// The index a kept tile has in the rebuilt codestream's grid.
    fn renumber(&self, tile: u32) -> u32 {
        let (p, q) = (tile % self.tiles_across, tile / self.tiles_across);
        (p - self.p0) + (q - self.q0) * (self.p1 - self.p0 + 1)
    }

    fn tile_count(&self) -> u32 {
        (self.p1 - self.p0 + 1) * (self.q1 - self.q0 + 1)
    }

    /// The width (or height) of `a0..a1` on the reference grid at the reduced level.
    fn level_extent(&self, a0: u32, a1: u32, reduce: u8) -> u64 {
        shrink(u64::from(a1), reduce) - shrink(u64::from(a0), reduce)
    }

    /// An upper bound on one tile's size at the reduced level.
    fn tile_extent(&self, info: &CodestreamInfo, reduce: u8) -> (u64, u64) {
        let w = shrink(u64::from(info.tile_width.min(info.width)), reduce) + 1;
        let h = shrink(u64::from(info.tile_height.min(info.height)), reduce) + 1;
        (w, h)
    }
}

/// The tiles a decode of `region` (reduced-level coordinates) at `reduce` reads, as columns `p0..=p1` and
/// rows `q0..=q1`: those [`decode_jp2`]'s window keeps, and those the [`reference_window`] touches (what
/// OpenJPEG decodes). A caller that fetches only these tiles' tile-parts can hand either decoder the
/// result of [`crate::source::jp2_layout::Jp2Layout::cut`].
pub fn needed_tiles(
    info: &CodestreamInfo,
    reduce: u8,
    region: Region,
) -> Result<(u32, u32, u32, u32), PixelError> {
    let hayro = Window::select(info, reduce, region, false)?;
    let image_x = (info.x_offset, info.x_offset + info.width);
    let image_y = (info.y_offset, info.y_offset + info.height);
    let (x0, y0, x1, y1) = reference_window(image_x, image_y, reduce, region);
    let touched = |image: (u32, u32), grid: (u32, u32), tiles: u32, a0: u32, a1: u32| {
        let hits = |p: &u32| {
            let (s, e) = tile_span(image, grid, *p);
            s < u64::from(a1) && e > u64::from(a0)
        };
        Some(((0..tiles).find(hits)?, (0..tiles).rev().find(hits)?))
    };
    let across = touched(image_x, (info.tile_x_offset, info.tile_width), info.tiles_across, x0, x1);
    let down = touched(image_y, (info.tile_y_offset, info.tile_height), info.tiles_down, y0, y1);
    let (Some((p0, p1)), Some((q0, q1))) = (across, down) else {
        return Err(PixelError::corrupt(CODEC, "no tile covers the requested region"));
    };
    Ok((p0.min(hayro.p0), p1.max(hayro.p1), q0.min(hayro.q0), q1.max(hayro.q1)))
}

/// The window on the full-resolution reference grid (`x0, y0, x1, y1`) whose image at `reduce` is exactly
/// `region` (reduced-level coordinates) of the image area `image_x` × `image_y`: what an area decoder such
/// as OpenJPEG (`opj_set_decode_area`) is given.
pub fn reference_window(
    image_x: (u32, u32),
    image_y: (u32, u32),
    reduce: u8,
    region: Region,
) -> (u32, u32, u32, u32) {
    let r = u32::from(reduce);
    let grid = |image: (u32, u32), level_start: u64| -> u32 {
        let v = level_start.checked_shl(r).unwrap_or(u64::MAX);
        // Clamped to the image area, which is u32.
        v.clamp(u64::from(image.0), u64::from(image.1)) as u32
    };
    let lx0 = shrink(u64::from(image_x.0), reduce);
    let ly0 = shrink(u64::from(image_y.0), reduce);
    let x = lx0 + u64::from(region.x);
    let y = ly0 + u64::from(region.y);
    (
        grid(image_x, x),
        grid(image_y, y),
        grid(image_x, x + u64::from(region.w)),
        grid(image_y, y + u64::from(region.h)),
    )
}

/// The reference-grid extent of tile `p` along one axis, clipped to the image area.
fn tile_span(image: (u32, u32), grid: (u32, u32), p: u32) -> (u64, u64) {
    let (origin, size) = (u64::from(grid.0), u64::from(grid.1));
    let start = (origin + u64::from(p) * size).max(u64::from(image.0));
    let end = (origin + (u64::from(p) + 1) * size).min(u64::from(image.1));
    (start, end)
}

/// The first and last tile along one axis whose reduced extent meets `start..start + len` (level
/// coordinates).
fn axis_tiles(
    image: (u32, u32),
    grid: (u32, u32),
    tiles: u32,
    reduce: u8,
    (start, len): (u32, u32),
) -> Result<(u32, u32), PixelError> {
    let origin = shrink(u64::from(image.0), reduce);
    let a0 = origin + u64::from(start);
    let a1 = a0 + u64::from(len);
    let mut first = None;
    let mut last = None;
    for p in 0..tiles {
        let (s, e) = tile_span(image, grid, p);
        let (rs, re) = (shrink(s, reduce), shrink(e, reduce));
        if rs < a1 && re > a0 {
            first.get_or_insert(p);
            last = Some(p);
        }
    }
    match (first, last) {
        (Some(f), Some(l)) => Ok((f, l)),
        _ => Err(PixelError::corrupt(CODEC, "no tile covers the requested region")),
    }
}

/// Tiles `p0..=p1` and the image-area extent they cover, widened until it spans at least 2^reduce
/// reference-grid samples (hayro derives the number of discarded levels from the image size, which it
/// cannot do for an area narrower than 2^reduce).
fn widen(
    image: (u32, u32),
    grid: (u32, u32),
    tiles: u32,
    reduce: u8,
    mut p0: u32,
    mut p1: u32,
) -> Result<(u32, u32, u32, u32), PixelError> {
    let need = 1u64 << reduce;
    loop {
        let start = tile_span(image, grid, p0).0;
        let end = tile_span(image, grid, p1).1;
        if end - start >= need {
            // Both lie within the image area, which is u32.
            return Ok((p0, p1, start as u32, end as u32));
        }
        if p0 > 0 {
            p0 -= 1;
        } else if p1 + 1 < tiles {
            p1 += 1;
        } else {
            return Err(PixelError::unsupported(
                CODEC,
                format!(
                    "the image is {} samples across, fewer than the 2^{reduce} the decoder needs to discard \
                     {reduce} resolution levels",
                    end - start
                ),
            ));
        }
    }
}

/// The tile-parts to keep, as ranges of the codestream in their original order.
struct Parts {
    kept: Vec<(u32, usize, usize)>,
    /// Their total length.
    bytes: usize,
}

/// Walks the tile-parts after the main header, checks every tile in `window` has at least one, and lists
/// the ones to keep.
fn tile_parts(
    cs: &[u8],
    main_header_len: usize,
    info: &CodestreamInfo,
    window: &Window,
) -> Result<Parts, PixelError> {
    let tiles = info.tiles_across * info.tiles_down;
    let mut present = alloc::vec![false; window.tile_count() as usize];
    let mut kept = Vec::new();
    let mut bytes = 0;
    let mut at = main_header_len;
    while at < cs.len() {
        let marker = be16(cs, at)?;
        if marker == EOC {
            break;
        }
        if marker != SOT {
            return Err(PixelError::corrupt(
                CODEC,
                format!("expected a tile-part (SOT) at codestream offset {at}"),
            ));
        }
        if be16(cs, at + 2)? != 10 {
            return Err(PixelError::corrupt(
                CODEC,
                format!("SOT at codestream offset {at} is not 10 bytes long"),
            ));
        }
        let tile = u32::from(be16(cs, at + 4)?);
        let psot = be32(cs, at + 6)? as usize;
        if tile >= tiles {
            return Err(PixelError::corrupt(CODEC, format!("tile-part for tile {tile} of {tiles}")));
        }
        let end = if psot == 0 {
            // The last tile-part runs to the end of the codestream (before its EOC, if any).
            if cs.len() >= at + 2 && cs.ends_with(&EOC.to_be_bytes()) { cs.len() - 2 } else { cs.len() }
        } else {
            at.checked_add(psot).filter(|&e| e <= cs.len() && psot >= 12).ok_or_else(|| {
                PixelError::corrupt(
                    CODEC,
                    format!(
                        "tile-part of tile {tile} at codestream offset {at} is {psot} bytes: shorter than its header or past the end"
                    ),
                )
            })?
        };
        if window.contains(tile) {
            present[window.renumber(tile) as usize] = true;
            kept.push((tile, at, end));
            bytes += end - at;
        }
        at = end;
    }
    if let Some(missing) = present.iter().position(|p| !p) {
        let missing = missing as u32;
        let width = window.p1 - window.p0 + 1;
        let tile = (window.p0 + missing % width) + (window.q0 + missing / width) * window.tiles_across;
        return Err(PixelError::corrupt(CODEC, format!("tile {tile} has no tile-parts in the data")));
    }
    Ok(Parts { kept, bytes })
}

fn be16(b: &[u8], at: usize) -> Result<u16, PixelError> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or_else(|| PixelError::corrupt(CODEC, "the codestream ends inside a marker"))
}

fn be32(b: &[u8], at: usize) -> Result<u32, PixelError> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| PixelError::corrupt(CODEC, "the codestream ends inside a marker"))
}

/// The marker segments of the main header after SIZ (marker, start, end), checked to lie inside it.
fn main_header_segments(cs: &[u8], main_header_len: usize) -> Result<Vec<(u16, usize, usize)>, PixelError> {
    let header = cs.get(..main_header_len).ok_or_else(|| PixelError::corrupt(CODEC, "short main header"))?;
    // SOC (2), SIZ marker (2), Lsiz (2).
    let siz_len = usize::from(be16(header, 4)?);
    let mut at = 4 + siz_len;
    if header.len() < at || siz_len < 38 {
        return Err(PixelError::corrupt(CODEC, "short SIZ"));
    }
    let mut segments = alloc::vec![(0xFF51, 2, at)];
    while at < header.len() {
        let marker = be16(header, at)?;
        let len =
            if (0xFF30..=0xFF3F).contains(&marker) { 2 } else { 2 + usize::from(be16(header, at + 2)?) };
        let end = at + len;
        if end > header.len() {
            return Err(PixelError::corrupt(CODEC, "a main header marker segment overruns the header"));
        }
        segments.push((marker, at, end));
        at = end;
    }
    Ok(segments)
}

/// SOC, the main header with SIZ describing only the window (and TLM left out, its lengths no longer
/// matching), the kept tile-parts renumbered, EOC.
fn rebuild_codestream(
    cs: &[u8],
    segments: &[(u16, usize, usize)],
    info: &CodestreamInfo,
    window: &Window,
    kept: &[(u32, usize, usize)],
) -> Result<Vec<u8>, PixelError> {
    let header_len = segments.last().map_or(0, |s| s.2);
    let total = header_len + kept.iter().map(|&(_, s, e)| e - s).sum::<usize>() + 2;
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| PixelError::OutOfMemory(total))?;
    out.extend_from_slice(&SOC);
    for &(marker, start, end) in segments {
        if marker == PPM {
            return Err(PixelError::unsupported(
                CODEC,
                "packed packet headers (PPM) cannot be split by tile",
            ));
        }
        if marker != TLM {
            out.extend_from_slice(&cs[start..end]);
        }
    }
    // After SOC (2), the SIZ marker (2), Lsiz (2) and Rsiz (2): Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz,
    // XTOsiz, YTOsiz.
    let fields = [
        window.x1,
        window.y1,
        window.x0,
        window.y0,
        info.tile_width,
        info.tile_height,
        tile_origin(info.tile_x_offset, info.tile_width, window.p0)?,
        tile_origin(info.tile_y_offset, info.tile_height, window.q0)?,
    ];
    for (i, v) in fields.iter().enumerate() {
        out[8 + 4 * i..12 + 4 * i].copy_from_slice(&v.to_be_bytes());
    }
    for &(tile, start, end) in kept {
        let from = out.len();
        out.extend_from_slice(&cs[start..end]);
        let renumbered =
            u16::try_from(window.renumber(tile)).map_err(|_| PixelError::corrupt(CODEC, "tile index"))?;
        let length =
            u32::try_from(end - start).map_err(|_| PixelError::corrupt(CODEC, "tile-part length"))?;
        out[from + 4..from + 6].copy_from_slice(&renumbered.to_be_bytes());
        out[from + 6..from + 10].copy_from_slice(&length.to_be_bytes());
    }
    out.extend_from_slice(&EOC.to_be_bytes());
    Ok(out)
}

fn tile_origin(offset: u32, size: u32, first: u32) -> Result<u32, PixelError> {
    u32::try_from(u64::from(offset) + u64::from(size) * u64::from(first))
        .map_err(|_| PixelError::corrupt(CODEC, "tile grid overflows"))
}

/// A JP2 file holding `codestream`: the signature, file type and JP2 header boxes of `file` (the colour
/// specification, channel definitions and palette the decoder needs), then a codestream box.
fn rewrap_jp2(file: &[u8], jp2c: &BoxHeader, codestream: &[u8]) -> Result<Vec<u8>, PixelError> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let end = to_usize(jp2c.offset)?;
    while at < end {
        let len = be32(file, at)?;
        let box_type = file.get(at + 4..at + 8).ok_or_else(|| PixelError::corrupt(CODEC, "short box"))?;
        let box_len = match len {
            0 => end - at,
            1 => to_usize(u64::from(be32(file, at + 8)?) << 32 | u64::from(be32(file, at + 12)?))?,
            n => n as usize,
        };
        let next = at
            .checked_add(box_len)
            .filter(|&n| n <= end && box_len >= 8)
            .ok_or_else(|| PixelError::corrupt(CODEC, format!("box at {at} runs past the codestream box")))?;
        if matches!(box_type, b"jP  " | b"ftyp" | b"jp2h") {
            out.extend_from_slice(&file[at..next]);
        }
        at = next;
    }
    let box_len = u32::try_from(codestream.len() + 8)
        .map_err(|_| PixelError::unsupported(CODEC, "rebuilt codestream over 4 GiB"))?;
    out.extend_from_slice(&box_len.to_be_bytes());
    out.extend_from_slice(b"jp2c");
    out.extend_from_slice(codestream);
    Ok(out)
}

/// The part of the decoded planes to copy out.
struct Crop {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    /// Samples per plane row.
    stride: usize,
}

/// Rounds, clamps and scales `planes` (each with its bit depth) into `out`'s interleaved samples.
fn interleave(planes: &[(&[f32], u8)], crop: &Crop, out: &mut Image) -> Result<(), PixelError> {
    let n = planes.len();
    let wide = out.format.bytes_per_sample() == 2;
    for (c, &(samples, depth)) in planes.iter().enumerate() {
        let depth = depth.clamp(1, 32);
        let max = ((1u64 << depth) - 1) as f32;
        let target: u64 = if wide { 65535 } else { 255 };
        let max_int = (1u64 << depth) - 1;
        let exact = max_int == target;
        for row in 0..crop.h {
            let from = (crop.y + row) * crop.stride + crop.x;
            let src = samples.get(from..from + crop.w).ok_or_else(|| {
                PixelError::corrupt(CODEC, "the decoder produced fewer samples than its size")
            })?;
            let row_bytes = crop.w * n * out.format.bytes_per_sample();
            let dst = &mut out.data[row * row_bytes..(row + 1) * row_bytes];
            for (x, &s) in src.iter().enumerate() {
                // Round half up; NaN becomes 0.
                let v = (s.clamp(0.0, max) + 0.5) as u64;
                let v = if exact { v } else { (v * target + max_int / 2) / max_int };
                if wide {
                    let at = (x * n + c) * 2;
                    dst[at..at + 2].copy_from_slice(&(v as u16).to_ne_bytes());
                } else {
                    dst[x * n + c] = v as u8;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;
    use std::string::ToString;

    const TILED: &[u8] = include_bytes!("testdata/tiled.jp2");
    const GRAY12: &[u8] = include_bytes!("testdata/gray12.j2k");
    const RGBA: &[u8] = include_bytes!("testdata/rgba.jp2");
    const REFERENCE: &str = include_str!("testdata/opj-reference.txt");

    fn nemo() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/nemo.jp2");
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn decode(data: &[u8], reduce: u8, region: Option<Region>) -> Result<Image, PixelError> {
        decode_jp2(data, reduce, region, &Budget::default())
    }

    /// What opj_decompress produced for one file at one level (see testdata/gen-reference.sh).
    struct Reference {
        width: u32,
        height: u32,
        channels: usize,
        sums: Vec<u64>,
        pixels: Vec<(u32, u32, Vec<u8>)>,
    }

    fn reference(file: &str, reduce: u8) -> Reference {
        let mut found: Option<Reference> = None;
        for line in REFERENCE.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.first() {
                Some(&"image") => {
                    if found.is_some() {
                        break;
                    }
                    if fields[1] == file && fields[2] == reduce.to_string() {
                        found = Some(Reference {
                            width: fields[3].parse().unwrap(),
                            height: fields[4].parse().unwrap(),
                            channels: fields[5].parse().unwrap(),
                            sums: Vec::new(),
                            pixels: Vec::new(),
                        });
                    }
                }
                Some(&"sum") => {
                    if let Some(r) = found.as_mut() {
                        r.sums = fields[1..].iter().map(|v| v.parse().unwrap()).collect();
                    }
                }
                Some(&"px") => {
                    if let Some(r) = found.as_mut() {
                        let v: Vec<u32> = fields[1..].iter().map(|v| v.parse().unwrap()).collect();
                        r.pixels.push((v[0], v[1], v[2..].iter().map(|&s| s as u8).collect()));
                    }
                }
                _ => {}
            }
        }
        found.unwrap_or_else(|| panic!("no reference for {file} at reduce {reduce}"))
    }

    fn sums(img: &Image) -> Vec<u64> {
        let n = usize::from(img.format.channels());
        let mut sums = vec![0u64; n];
        for (i, &v) in img.data.iter().enumerate() {
            sums[i % n] += u64::from(v);
        }
        sums
    }

    fn pixel(img: &Image, x: u32, y: u32) -> &[u8] {
        let n = img.format.bytes_per_pixel();
        let at = (y as usize * img.width as usize + x as usize) * n;
        &img.data[at..at + n]
    }

    /// Cuts `r` out of `img`.
    fn cut(img: &Image, r: Region) -> Image {
        let n = img.format.bytes_per_pixel();
        let mut data = Vec::new();
        for y in r.y..r.y + r.h {
            let row = img.row(y);
            data.extend_from_slice(&row[r.x as usize * n..(r.x + r.w) as usize * n]);
        }
        Image::from_raw(r.w, r.h, img.format, data).unwrap()
    }

    /// Lossless files must match exactly; lossy ones within one step per sample.
    fn assert_matches(img: &Image, file: &str, reduce: u8, exact: bool) {
        let r = reference(file, reduce);
        assert_eq!((img.width, img.height), (r.width, r.height), "{file} reduce {reduce}");
        assert_eq!(usize::from(img.format.channels()), r.channels);
        let got = sums(img);
        let pixels = f64::from(r.width) * f64::from(r.height);
        for (c, (&g, &want)) in got.iter().zip(&r.sums).enumerate() {
            if exact {
                assert_eq!(g, want, "{file} reduce {reduce} channel {c} sum");
            } else {
                let (g, want) = (g as f64 / pixels, want as f64 / pixels);
                assert!((g - want).abs() < 0.05, "{file} reduce {reduce} channel {c} mean {g} vs {want}");
            }
        }
        assert_eq!(r.pixels.len(), 256);
        for (x, y, want) in &r.pixels {
            let got = pixel(img, *x, *y);
            if exact {
                assert_eq!(got, &want[..], "{file} reduce {reduce} at {x},{y}");
            } else {
                for (g, w) in got.iter().zip(want) {
                    assert!(g.abs_diff(*w) <= 1, "{file} reduce {reduce} at {x},{y}: {got:?} vs {want:?}");
                }
            }
        }
    }

    #[test]
    fn nemo_matches_opj_decompress_at_every_advertised_level() {
        let file = nemo();
        let geometry = crate::source::probe(&SourceBytes::from_vec(file.clone())).unwrap();
        let sizes: Vec<(u32, u32)> = geometry.levels.iter().map(|l| (l.width, l.height)).collect();
        assert_eq!(sizes, vec![(2592, 1456), (1296, 728)]);
        for (reduce, level) in geometry.levels.iter().enumerate() {
            let crate::geometry::LevelData::Jp2 { reduce: r, .. } = level.data else { panic!() };
            assert_eq!(usize::from(r), reduce);
            let img = decode(&file, r, None).unwrap();
            assert_eq!(img.format, PixelFormat::Rgb8);
            assert_eq!((img.width, img.height), (level.width, level.height));
            assert_matches(&img, "nemo.jp2", r, true);
        }
    }

    #[test]
    fn tiled_lossy_file_with_offsets_matches_opj_decompress() {
        let geometry = crate::source::probe(&SourceBytes::from_vec(TILED.to_vec())).unwrap();
        assert_eq!(geometry.levels.len(), 4);
        for (reduce, level) in geometry.levels.iter().enumerate() {
            let img = decode(TILED, reduce as u8, None).unwrap();
            assert_eq!((img.width, img.height), (level.width, level.height));
            assert_matches(&img, "tiled.jp2", reduce as u8, false);
        }
    }

    #[test]
    fn alpha_channel_definitions_give_rgba() {
        for reduce in 0..2 {
            let img = decode(RGBA, reduce, None).unwrap();
            assert_eq!(img.format, PixelFormat::Rgba8);
            assert_matches(&img, "rgba.jp2", reduce, true);
        }
    }

    #[test]
    fn twelve_bit_gray_scales_to_sixteen_bits() {
        let img = decode(GRAY12, 0, None).unwrap();
        assert_eq!((img.width, img.height, img.format), (64, 40, PixelFormat::L16));
        for y in 0..40u32 {
            for x in 0..64u32 {
                let v = u64::from((x * 61 + y * 97 + (x * y) % 37) % 4096);
                let want = ((v * 65535 + 2047) / 4095) as u16;
                assert_eq!(u16::from_ne_bytes(pixel(&img, x, y).try_into().unwrap()), want, "{x},{y}");
            }
        }
        let half = decode(GRAY12, 1, None).unwrap();
        assert_eq!((half.width, half.height, half.format), (32, 20, PixelFormat::L16));
        // The extremes of 12 bits land on the extremes of 16.
        let max = half.data.chunks(2).map(|s| u16::from_ne_bytes([s[0], s[1]])).max().unwrap();
        assert!(max > 60_000, "{max}");
    }

    #[test]
    fn regions_equal_the_same_window_of_a_full_decode() {
        let file = nemo();
        for reduce in 0..2 {
            let full = decode(&file, reduce, None).unwrap();
            for r in [
                Region { x: 0, y: 0, w: 1, h: 1 },
                Region { x: 100, y: 50, w: 512, h: 300 },
                Region { x: full.width - 7, y: full.height - 3, w: 7, h: 3 },
            ] {
                assert_eq!(decode(&file, reduce, Some(r)).unwrap(), cut(&full, r), "reduce {reduce} {r:?}");
            }
        }
        // A tiled file decodes only the tiles the region touches; the result is bit-identical.
        for reduce in 0..4u8 {
            let full = decode(TILED, reduce, None).unwrap();
            let (w, h) = (full.width, full.height);
            let mut regions = vec![
                Region { x: 0, y: 0, w, h },
                Region { x: 0, y: 0, w: 1, h: 1 },
                Region { x: w - 1, y: h - 1, w: 1, h: 1 },
                Region { x: w / 3, y: h / 4, w: w / 2, h: h / 2 },
                Region { x: 0, y: h / 2, w, h: 1 },
                Region { x: w / 2, y: 0, w: 1, h },
            ];
            // Every tile boundary at this level, straddled.
            for x in (1..w).step_by(3) {
                regions.push(Region { x: x - 1, y: h / 3, w: 2, h: 2 });
            }
            for r in regions {
                assert_eq!(decode(TILED, reduce, Some(r)).unwrap(), cut(&full, r), "reduce {reduce} {r:?}");
            }
        }
    }

    /// The tile-parts of a codestream: (tile index, start, end).
    fn split(cs: &[u8]) -> (usize, Vec<(u16, usize, usize)>) {
        let first_sot = (0..cs.len()).find(|&i| cs[i..].starts_with(&[0xFF, 0x90])).unwrap();
        let mut parts = Vec::new();
        let mut at = first_sot;
        while cs[at..].starts_with(&[0xFF, 0x90]) {
            let tile = u16::from_be_bytes([cs[at + 4], cs[at + 5]]);
            let len = u32::from_be_bytes(cs[at + 6..at + 10].try_into().unwrap()) as usize;
            parts.push((tile, at, at + len));
            at += len;
        }
        (first_sot, parts)
    }

    fn codestream_of(jp2: &[u8]) -> &[u8] {
        let at = (0..jp2.len()).find(|&i| jp2[i..].starts_with(b"jp2c")).unwrap() + 4;
        &jp2[at..]
    }

    #[test]
    fn partial_codestreams_decode_the_tiles_they_hold() {
        let cs = codestream_of(TILED);
        let (main_header, parts) = split(cs);
        assert_eq!(parts.len(), 16);
        // Tiles 5, 6, 9 and 10 (the middle 2×2 of the 4×4 grid) and nothing else.
        let mut partial = cs[..main_header].to_vec();
        for &(tile, start, end) in &parts {
            if [5, 6, 9, 10].contains(&tile) {
                partial.extend_from_slice(&cs[start..end]);
            }
        }
        partial.extend_from_slice(&[0xFF, 0xD9]);
        assert!(partial.len() < cs.len() / 2);
        // Tiles 5..=10 span x 69..197, y 51..147 on the reference grid: 32..160 × 30..126 in the image.
        let inside = Region { x: 40, y: 35, w: 100, h: 80 };
        let full = decode(TILED, 0, None).unwrap();
        assert_eq!(decode(&partial, 0, Some(inside)).unwrap(), cut(&full, inside));
        let full1 = decode(TILED, 1, None).unwrap();
        let inside1 = Region { x: 20, y: 18, w: 50, h: 40 };
        assert_eq!(decode(&partial, 1, Some(inside1)).unwrap(), cut(&full1, inside1));
        // Anything that needs an absent tile says which.
        for region in [None, Some(Region { x: 0, y: 0, w: 10, h: 10 })] {
            let got = decode(&partial, 0, region);
            assert!(
                matches!(&got, Err(PixelError::Corrupt { reason, .. }) if reason.contains("no tile-parts")),
                "{got:?}"
            );
        }
    }

    #[test]
    fn reduce_beyond_the_levels_is_a_clear_error() {
        let got = decode(&nemo(), 2, None);
        assert!(
            matches!(&got, Err(PixelError::Unsupported { reason, .. })
                if reason.contains("reduce 2") && reason.contains("0..=1")),
            "{got:?}"
        );
        assert!(matches!(decode(TILED, 4, None), Err(PixelError::Unsupported { .. })));
        assert!(matches!(decode(TILED, 255, None), Err(PixelError::Unsupported { .. })));
    }

    #[test]
    fn regions_outside_the_level_are_refused() {
        let file = nemo();
        for r in [
            Region { x: 0, y: 0, w: 0, h: 1 },
            Region { x: 1296, y: 0, w: 1, h: 1 },
            Region { x: 1000, y: 0, w: 297, h: 1 },
            Region { x: u32::MAX, y: 0, w: 2, h: 1 },
        ] {
            assert!(matches!(decode(&file, 1, Some(r)), Err(PixelError::Unsupported { .. })), "{r:?}");
        }
    }

    /// Offset of the SIZ marker segment's Xsiz field in nemo.jp2's codestream.
    fn siz(file: &[u8]) -> usize {
        (0..file.len()).find(|&i| file[i..].starts_with(&[0xFF, 0x4F, 0xFF, 0x51])).unwrap() + 8
    }

    #[test]
    fn forged_huge_sizes_are_over_budget_before_decoding() {
        let mut file = nemo();
        let at = siz(&file);
        for field in [0, 1, 4, 5] {
            // Xsiz, Ysiz, XTsiz, YTsiz: one 100000×100000 tile.
            file[at + 4 * field..at + 4 * field + 4].copy_from_slice(&100_000u32.to_be_bytes());
        }
        let got = decode(&file, 0, None);
        assert!(
            matches!(got, Err(PixelError::OverBudget { width: 100_000, height: 100_000, .. })),
            "{got:?}"
        );
        // Also when only a small region is wanted: a single tile means the whole level is decoded.
        let got = decode(&file, 0, Some(Region { x: 0, y: 0, w: 10, h: 10 }));
        assert!(matches!(got, Err(PixelError::OverBudget { .. })), "{got:?}");
        // A small budget refuses the real file, and the working set counts, not just the output.
        let small = Budget { max_pixels: 1 << 20, max_bytes: 64 << 20 };
        assert!(matches!(decode_jp2(&nemo(), 0, None, &small), Err(PixelError::OverBudget { .. })));
        assert!(decode_jp2(&nemo(), 1, None, &Budget { max_pixels: 1 << 20, max_bytes: 32 << 20 }).is_ok());
        let tight = Budget { max_pixels: 1 << 20, max_bytes: 8 << 20 };
        assert!(matches!(decode_jp2(&nemo(), 1, None, &tight), Err(PixelError::OverBudget { .. })));
    }

    #[test]
    fn signed_and_subsampled_components_are_unsupported() {
        let file = nemo();
        let ssiz = siz(&file) + 34;
        let mut signed = file.clone();
        signed[ssiz] |= 0x80;
        let got = decode(&signed, 1, None);
        assert!(
            matches!(&got, Err(PixelError::Unsupported { reason, .. }) if reason.contains("signed")),
            "{got:?}"
        );
        let mut subsampled = file.clone();
        subsampled[ssiz + 3 + 1] = 2;
        let got = decode(&subsampled, 1, None);
        assert!(
            matches!(&got, Err(PixelError::Unsupported { reason, .. }) if reason.contains("sub-sampled")),
            "{got:?}"
        );
    }

    #[test]
    fn not_jpeg2000_is_corrupt() {
        for data in [&b""[..], b"\xFF\xD8\xFF\xE0", b"\0\0\0\x0cjP  \r\n\x87\n", b"\xFF\x4F\xFF\x51"] {
            assert!(matches!(decode(data, 0, None), Err(PixelError::Corrupt { .. })), "{data:?}");
        }
    }

    #[test]
    fn narrow_edge_tiles_widen_to_what_the_decoder_can_reduce() {
        // Image 37..237, tiles of 64 from 5: tile 0 is 32 samples wide, too narrow for reduce 6.
        assert_eq!(widen((37, 237), (5, 64), 4, 5, 0, 0).unwrap(), (0, 0, 37, 69));
        assert_eq!(widen((37, 237), (5, 64), 4, 6, 0, 0).unwrap(), (0, 1, 37, 133));
        assert_eq!(widen((37, 237), (5, 64), 4, 6, 3, 3).unwrap(), (2, 3, 133, 237));
        assert!(matches!(widen((37, 237), (5, 64), 4, 8, 1, 1), Err(PixelError::Unsupported { .. })));
    }

    #[test]
    fn every_truncation_of_a_small_file_is_an_error() {
        for cut in (0..TILED.len()).step_by(7) {
            assert!(decode(&TILED[..cut], 1, None).is_err(), "cut at {cut}");
        }
        let cs = codestream_of(TILED);
        for cut in (0..cs.len()).step_by(11) {
            assert!(decode(&cs[..cut], 2, None).is_err(), "codestream cut at {cut}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn mutated_tiled_files_never_panic(
            cut in 0usize..8000,
            edits in proptest::collection::vec((0usize..8000, any::<u8>()), 1..6),
            reduce in 0u8..4,
            region in any::<(u8, u8, u8, u8)>(),
            raw in any::<bool>(),
        ) {
            let mut file = if raw { codestream_of(TILED).to_vec() } else { TILED.to_vec() };
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] ^= byte | 1;
            }
            file.truncate(cut.max(1));
            let (x, y, w, h) = region;
            let region = Region { x: u32::from(x % 50), y: u32::from(y % 40), w: u32::from(w % 30) + 1, h: u32::from(h % 30) + 1 };
            let _ = decode(&file, reduce, Some(region));
            let _ = decode(&file, reduce, None);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        #[test]
        fn truncated_nemo_is_an_error(cut in 0usize..1_000_000) {
            let file = nemo();
            let cut = cut % file.len();
            prop_assert!(decode(&file[..cut], 1, None).is_err());
        }

        #[test]
        fn flipped_nemo_never_panics(edits in proptest::collection::vec((0usize..1_000_000, any::<u8>()), 1..4)) {
            let mut file = nemo();
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] ^= byte | 1;
            }
            let _ = decode(&file, 1, None);
        }
    }
}
