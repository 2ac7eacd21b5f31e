//! # tessella-openjph
//!
//! HTJ2K (High-Throughput JPEG 2000, ISO/IEC 15444-15) derivatives for `tessella convert --format htj2k`,
//! encoded by OpenJPH (Debian's `libopenjph-dev`, linked through a small C++ shim; this crate is built
//! only with the origin's `htj2k` feature). HTJ2K replaces Part 1's arithmetic-coded code-blocks with a
//! block coder that encodes and decodes several times faster, in the same codestream structure, so the
//! origin serves the result through OpenJPEG 2.5 (which decodes HT code-blocks) like any JPEG 2000.
//!
//! The recipe follows the JP2 one where OpenJPH 0.9 can: 512² tiles, 6 decomposition levels (fewer when a
//! tile side is below 2^levels), RPCL, 64×64 code-blocks, the colour transform on RGB; reversible 5-3 for
//! lossless, or irreversible 9-7 with a quantisation step (OpenJPH has no rate control: `qstep` sets
//! quality, not size). OpenJPH 0.9 writes neither precinct partitions, tile-parts per resolution, PLT nor
//! TLM; the origin indexes the result by walking its SOT markers (one tile-part per tile).
//!
//! Output is a raw codestream (`.j2c`): OpenJPH writes no JPH boxes. 1 to 4 channels (gray, gray+alpha,
//! RGB, RGBA), 8 or 16 bits.

mod ffi;

use tessella_core::pixels::Image;

/// The most samples (width × height × components) accepted, as for JP2: 2^31.
pub const MAX_ENCODE_SAMPLES: u64 = 1 << 31;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HtError {
    #[error("invalid HTJ2K options: {0}")]
    InvalidOptions(String),
    #[error("image too large for HTJ2K: {0} samples (at most {MAX_ENCODE_SAMPLES})")]
    TooLarge(u64),
    #[error("OpenJPH: {0}")]
    Encoder(String),
}

/// How the HTJ2K derivative is encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HtEncodeOptions {
    /// Tile side; each side is clamped to the image. 0: one tile.
    pub tile_size: u32,
    pub levels: u8,
    /// Reversible 5-3 (exact pixels) instead of irreversible 9-7.
    pub lossless: bool,
    /// Irreversible quantisation step (smaller: better and larger). The default, 0.012, gives about 8:1
    /// and 43 dB on the astronaut photograph (0.004: 3:1, 50 dB; 0.02: 13:1, 40 dB).
    pub qstep: f32,
}

impl Default for HtEncodeOptions {
    fn default() -> Self {
        HtEncodeOptions { tile_size: 512, levels: 6, lossless: false, qstep: 0.012 }
    }
}

/// Encodes `img` as an HTJ2K codestream.
pub fn encode_htj2k(img: &Image, opts: &HtEncodeOptions) -> Result<Vec<u8>, HtError> {
    let channels = u32::from(img.format.channels());
    let bytes_per_sample = img.format.bytes_per_sample() as u32;
    let samples = u64::from(img.width) * u64::from(img.height) * u64::from(channels);
    if img.width == 0 || img.height == 0 || samples > MAX_ENCODE_SAMPLES {
        return Err(HtError::TooLarge(samples));
    }
    let step_ok = opts.qstep > 0.0 && opts.qstep < 1.0;
    if !opts.lossless && !step_ok {
        return Err(HtError::InvalidOptions(format!("qstep {} (0 < qstep < 1)", opts.qstep)));
    }
    if opts.levels > 32 {
        return Err(HtError::InvalidOptions(format!("{} decomposition levels (at most 32)", opts.levels)));
    }
    let side = |s: u32| if opts.tile_size == 0 { s } else { opts.tile_size.min(s) };
    let (tile_width, tile_height) = (side(img.width), side(img.height));
    // A resolution level needs at least one sample per tile side.
    let mut levels = u32::from(opts.levels);
    while levels > 0 && (tile_width.min(tile_height) >> levels) == 0 {
        levels -= 1;
    }
    let bit_depth = if bytes_per_sample == 2 { 16 } else { 8 };
    let params = ffi::Params {
        width: img.width,
        height: img.height,
        channels,
        bytes_per_sample,
        bit_depth,
        tile_width,
        tile_height,
        levels,
        block: 64,
        reversible: i32::from(opts.lossless),
        qstep: opts.qstep,
    };
    ffi::encode(&params, &img.data).map_err(HtError::Encoder)
}
