//! # tessella-openjpeg
//!
//! OpenJPEG 2.5 (the C library, compiled from `openjpeg-sys`' bundled source) as a
//! [`Jp2Decoder`] for tessella-core's render pipeline. The origin uses it for JPEG 2000 because OpenJPEG
//! decodes a true window (`opj_set_decode_area`: only the code-blocks that reach the region, even inside
//! one large tile), discards resolution levels (`opj_set_decoded_resolution_factor`) and spreads one
//! decode over threads (`opj_codec_set_threads`). The core's pure-Rust decoder (hayro) stays the default
//! everywhere else (the edge, wasm).
//!
//! The contract is the core's [`decode_jp2`](tessella_core::pixels::decode::jp2::decode_jp2): JP2, JPX
//! (Kakadu's included) or raw codestream bytes in; `reduce` levels discarded; a region in the reduced
//! level's coordinates; 8-bit gray/RGB(A) out, or 16-bit when any component is deeper than 8 bits (each
//! scaled to the full range); the [`Budget`] checked after reading the header and before decoding.
//!
//! Differences from hayro: signed components are decoded (shifted by 2^(precision−1) to unsigned, as
//! `opj_decompress` does); palette images decode at any reduce. Refused as unsupported, as in the core:
//! sub-sampled components, sYCC/e-YCC/CMYK and non-RGB/gray ICC colour spaces, more than 4 components.
//!
//! Encoding: [`encode_jp2`] writes JP2 or J2K with the codestream recipe UCLA runs in Kakadu (512 tiles,
//! 6 levels, precincts 256/256/128, RPCL, PLT, tile-parts per resolution, 64×64 code-blocks, SOP/EPH;
//! irreversible 9-7 at a ratio or reversible 5-3); see the `encode` module documentation.
//!
//! All `unsafe` code is in the private `ffi` module.

mod encode;
mod ffi;

pub use encode::{
    CODE_BLOCK, EncodeError, Jp2Container, Jp2EncodeOptions, Jp2Mode, Jp2Plan, Jp2Writer, MAX_ENCODE_SAMPLES,
    PRECINCTS, encode_jp2,
};

use tessella_core::pixels::decode::jp2::{self, Jp2Decoder, Region};
use tessella_core::pixels::{Budget, Image, PixelError, PixelFormat};

use crate::ffi::{ColourSpace, Container, Session};

const CODEC: &str = "JPEG 2000";
const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
const SOC_SIZ: [u8; 4] = [0xFF, 0x4F, 0xFF, 0x51];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpjError {
    #[error("neither a JP2/JPX file nor a JPEG 2000 codestream")]
    NotJpeg2000,
    #[error("corrupt JPEG 2000 data: {0}")]
    Corrupt(String),
    #[error("unsupported JPEG 2000: {0}")]
    Unsupported(String),
    #[error(transparent)]
    Pixel(#[from] PixelError),
    #[error("OpenJPEG: {0}")]
    Internal(String),
}

impl From<OpjError> for PixelError {
    fn from(e: OpjError) -> Self {
        match e {
            OpjError::NotJpeg2000 => PixelError::corrupt(CODEC, e.to_string()),
            OpjError::Corrupt(reason) | OpjError::Internal(reason) => PixelError::corrupt(CODEC, reason),
            OpjError::Unsupported(reason) => PixelError::unsupported(CODEC, reason),
            OpjError::Pixel(p) => p,
        }
    }
}

/// The OpenJPEG decoder, with the number of threads one decode may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenJpeg {
    threads: u32,
}

impl Default for OpenJpeg {
    fn default() -> Self {
        OpenJpeg::new(1)
    }
}

impl OpenJpeg {
    /// `threads` per decode; 0 is one per core.
    pub fn new(threads: u32) -> OpenJpeg {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
        } else {
            threads
        };
        OpenJpeg { threads }
    }

    pub fn threads(&self) -> u32 {
        self.threads
    }

    /// Decodes `data` with `reduce` levels discarded, cut to `region` (reduced-level coordinates; `None`:
    /// the whole level).
    pub fn decode(
        &self,
        data: &[u8],
        reduce: u8,
        region: Option<Region>,
        budget: &Budget,
    ) -> Result<Image, OpjError> {
        let container = if data.starts_with(&JP2_SIGNATURE) {
            Container::Jp2
        } else if data.starts_with(&SOC_SIZ) {
            Container::J2k
        } else {
            return Err(OpjError::NotJpeg2000);
        };
        let mut session = Session::open(data, container, self.threads)?;
        let header = session.header().clone();
        check_header(&header)?;

        let r = u32::from(reduce);
        if r >= header.resolutions {
            let levels = header.resolutions.saturating_sub(1);
            return Err(OpjError::Unsupported(format!(
                "reduce {reduce} asks for a resolution level the codestream does not have: it has {levels} \
                 decomposition level(s), so reduce 0..={levels}"
            )));
        }
        let (lx0, lx1) = (shrink(header.x0, r), shrink(header.x1, r));
        let (ly0, ly1) = (shrink(header.y0, r), shrink(header.y1, r));
        // Both fit: the level is no larger than the u32 image area.
        let (level_w, level_h) = ((lx1 - lx0) as u32, (ly1 - ly0) as u32);
        let region = region.unwrap_or(Region { x: 0, y: 0, w: level_w, h: level_h });
        let fits =
            |start: u32, len: u32, size: u32| len > 0 && u64::from(start) + u64::from(len) <= u64::from(size);
        if !fits(region.x, region.w, level_w) || !fits(region.y, region.h, level_h) {
            return Err(OpjError::Unsupported(format!(
                "region {},{},{},{} is empty or outside the {level_w}×{level_h} level (reduce {reduce})",
                region.x, region.y, region.w, region.h
            )));
        }

        // Budget, before OpenJPEG allocates pixel memory: the output; OpenJPEG's i32 planes for the region;
        // per tile (tiles decode one at a time) its i32 tile-component buffers, which cover the whole tile
        // at this level, or with a window inside the tile only the code-blocks near it (sparse arrays:
        // the region plus a margin, counted twice for the wavelet's scratch); the tile's code-block
        // structures (about 256 bytes per 64×64 block, allocated for the whole tile even for a window);
        // and the tile's compressed bytes, at most the input. Checked against measurements on an
        // 8000×6000 JP2, tiled and untiled (BENCHMARKS.md).
        let channels = header.components.len() as u64;
        let deepest = header.components.iter().map(|c| c.precision).max().unwrap_or(8);
        let format = output_format(header.components.len(), deepest)?;
        let output_bytes = budget.check(region.w, region.h, format)? as u64;
        let area = u64::from(region.w) * u64::from(region.h);
        let tile_w = shrink64(u64::from(header.tile_width).min(u64::from(header.x1 - header.x0)), r) + 1;
        let tile_h = shrink64(u64::from(header.tile_height).min(u64::from(header.y1 - header.y0)), r) + 1;
        let tile_area = tile_w.saturating_mul(tile_h);
        let near = (u64::from(region.w) + 512).saturating_mul(u64::from(region.h) + 512);
        let planes = area.saturating_mul(channels * 4);
        let tile_scratch = tile_area.min(near).saturating_mul(channels * 4 * 2);
        let structures = (tile_area / 4096 + 1).saturating_mul(channels * 256);
        let working = planes
            .saturating_add(tile_scratch)
            .saturating_add(structures)
            .saturating_add(data.len() as u64)
            .saturating_add(output_bytes);
        if area > budget.max_pixels || working > budget.max_bytes {
            return Err(OpjError::Pixel(PixelError::OverBudget {
                width: region.w,
                height: region.h,
                channels: format.channels(),
                max_pixels: budget.max_pixels,
                max_bytes: budget.max_bytes,
            }));
        }

        if r > 0 {
            session.set_reduce(r)?;
        }
        let whole = region.x == 0 && region.y == 0 && region.w == level_w && region.h == level_h;
        if !whole {
            // The window on the full-resolution reference grid whose reduced image is exactly the region:
            // the core computes the same window when it chooses which tiles to fetch.
            let (x0, y0, x1, y1) =
                jp2::reference_window((header.x0, header.x1), (header.y0, header.y1), reduce, region);
            session.set_area(x0, y0, x1, y1)?;
        }
        session.decode()?;

        let comps = session.components()?;
        let mut out = Image::new(region.w, region.h, format, budget)?;
        let n = comps.len();
        if n != usize::from(format.channels()) {
            return Err(OpjError::Unsupported(format!(
                "{n} decoded components for {} channels",
                format.channels()
            )));
        }
        let wide = format.bytes_per_sample() == 2;
        let row_bytes = region.w as usize * n * format.bytes_per_sample();
        // Each component's samples for the region: its rows start at `from + row * stride`.
        let mut planes = Vec::with_capacity(n);
        for comp in &comps {
            if (comp.dx, comp.dy) != (1, 1) {
                return Err(OpjError::Unsupported("sub-sampled decoded components".into()));
            }
            // Where the region starts inside this component's samples.
            let start_x = lx0 + u64::from(region.x);
            let start_y = ly0 + u64::from(region.y);
            let comp_x = shrink64(u64::from(comp.x0), comp.factor);
            let comp_y = shrink64(u64::from(comp.y0), comp.factor);
            let (Some(ox), Some(oy)) = (start_x.checked_sub(comp_x), start_y.checked_sub(comp_y)) else {
                return Err(OpjError::Corrupt("the decoded window starts after the region".into()));
            };
            if ox + u64::from(region.w) > u64::from(comp.width)
                || oy + u64::from(region.h) > u64::from(comp.height)
            {
                return Err(OpjError::Corrupt(format!(
                    "decoded {}×{} at {},{} does not cover the {}×{} region",
                    comp.width, comp.height, ox, oy, region.w, region.h
                )));
            }
            let stride = comp.width as usize;
            let from = oy as usize * stride + ox as usize;
            let last_row_end = from + (region.h as usize - 1) * stride + region.w as usize;
            if comp.samples.len() < last_row_end {
                return Err(OpjError::Corrupt("fewer samples than the component's size".into()));
            }
            planes.push((comp.samples, from, stride, Scale::new(comp.precision, comp.signed, wide)));
        }
        let w = region.w as usize;
        let mut rows: Vec<&[i32]> = Vec::with_capacity(n);
        for (row, dst) in out.data.chunks_exact_mut(row_bytes).enumerate() {
            rows.clear();
            rows.extend(
                planes.iter().map(|(s, from, stride, _)| &s[from + row * stride..from + row * stride + w]),
            );
            // 8-bit RGB at its own precision (the common case): all three samples of a pixel in one pass,
            // each a shift and a clamp.
            let plain = |i: usize| !wide && planes[i].3.max == 255;
            if let [r, g, b] = rows[..]
                && (0..3).all(plain)
            {
                let offset = |i: usize| planes[i].3.offset as i32;
                let (or, og, ob) = (offset(0), offset(1), offset(2));
                let to8 = |s: i32, o: i32| s.saturating_add(o).clamp(0, 255) as u8;
                for (px, ((&r, &g), &b)) in dst.chunks_exact_mut(3).zip(r.iter().zip(g).zip(b)) {
                    px[0] = to8(r, or);
                    px[1] = to8(g, og);
                    px[2] = to8(b, ob);
                }
                continue;
            }
            for (c, (src, (_, _, _, scale))) in rows.iter().zip(&planes).enumerate() {
                if wide {
                    for (px, &s) in dst.chunks_exact_mut(n * 2).zip(src.iter()) {
                        px[c * 2..c * 2 + 2].copy_from_slice(&(scale.apply(s) as u16).to_ne_bytes());
                    }
                } else if scale.max == 255 {
                    let offset = scale.offset as i32;
                    for (px, &s) in dst.chunks_exact_mut(n).zip(src.iter()) {
                        px[c] = s.saturating_add(offset).clamp(0, 255) as u8;
                    }
                } else {
                    for (px, &s) in dst.chunks_exact_mut(n).zip(src.iter()) {
                        px[c] = scale.apply(s) as u8;
                    }
                }
            }
        }
        Ok(out)
    }
}

impl Jp2Decoder for OpenJpeg {
    fn name(&self) -> &'static str {
        "openjpeg"
    }

    fn decode(
        &self,
        data: &[u8],
        reduce: u8,
        region: Option<Region>,
        budget: &Budget,
    ) -> Result<Image, PixelError> {
        Ok(OpenJpeg::decode(self, data, reduce, region, budget)?)
    }
}

fn check_header(h: &ffi::Header) -> Result<(), OpjError> {
    let n = h.components.len();
    if !(1..=4).contains(&n) {
        return Err(OpjError::Unsupported(format!("{n} components (1 to 4 are decoded)")));
    }
    if h.x1 <= h.x0 || h.y1 <= h.y0 {
        return Err(OpjError::Corrupt("empty image area".into()));
    }
    for (i, c) in h.components.iter().enumerate() {
        if (c.dx, c.dy) != (1, 1) {
            return Err(OpjError::Unsupported(format!(
                "component {i} is sub-sampled {}×{} on the reference grid; sub-sampled components are not \
                 decoded",
                c.dx, c.dy
            )));
        }
        if !(1..=31).contains(&c.precision) {
            return Err(OpjError::Unsupported(format!("component {i} has {} bits", c.precision)));
        }
    }
    match h.colour_space {
        ColourSpace::Sycc | ColourSpace::Eycc => {
            return Err(OpjError::Unsupported("sYCC/e-YCC colour space".into()));
        }
        ColourSpace::Cmyk => return Err(OpjError::Unsupported("CMYK colour space".into())),
        ColourSpace::Unknown if h.icc_colour.is_none() => {
            return Err(OpjError::Unsupported("unknown colour space".into()));
        }
        _ => {}
    }
    match h.icc_colour {
        None | Some([b'G', b'R', b'A', b'Y']) | Some([b'R', b'G', b'B', b' ']) => Ok(()),
        Some(other) => Err(OpjError::Unsupported(format!(
            "ICC colour space '{}' (only gray and RGB are decoded)",
            String::from_utf8_lossy(&other)
        ))),
    }
}

/// The layout for `channels` samples per pixel, 16-bit when any is deeper than 8 bits; 2 and 4 channels
/// end in alpha.
fn output_format(channels: usize, deepest: u32) -> Result<PixelFormat, OpjError> {
    PixelFormat::from_channels(channels, deepest > 8)
        .ok_or_else(|| OpjError::Unsupported(format!("{channels} channels (1 to 4 are decoded)")))
}

/// From one component's samples to the output's range: signed samples shifted to unsigned, clamped to
/// the precision, scaled to 0..=255 or 0..=65535 (rounded), exactly as the core's decoder does.
#[derive(Debug, Clone, Copy)]
struct Scale {
    offset: i64,
    max: i64,
    target: i64,
}

impl Scale {
    fn new(precision: u32, signed: bool, wide: bool) -> Scale {
        let precision = precision.clamp(1, 31);
        Scale {
            offset: if signed { 1i64 << (precision - 1) } else { 0 },
            max: (1i64 << precision) - 1,
            target: if wide { 65535 } else { 255 },
        }
    }

    fn apply(self, sample: i32) -> i64 {
        let v = (i64::from(sample) + self.offset).clamp(0, self.max);
        if self.max == self.target { v } else { (v * self.target + self.max / 2) / self.max }
    }
}

/// `value / 2^r`, rounded up (ISO 15444-1 B-15).
fn shrink(value: u32, r: u32) -> u64 {
    shrink64(u64::from(value), r)
}

fn shrink64(value: u64, r: u32) -> u64 {
    if r >= 64 { u64::from(value > 0) } else { value.div_ceil(1u64 << r) }
}
