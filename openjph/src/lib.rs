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
//! Output is a raw codestream (stored as `{ark}.jhc`): OpenJPH writes no JPH boxes. 1 to 4 channels (gray,
//! gray+alpha, RGB, RGBA), 8 or 16 bits. [`HtWriter`] takes the rows a band at a time, for a conversion
//! that streams its source; [`encode_htj2k`] feeds it a whole image.

mod ffi;

use tessella_core::pixels::{Image, PixelFormat};

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
    let mut writer = HtWriter::start(img.width, img.height, img.format, opts)?;
    let row = writer.row_bytes();
    if img.data.len() != row * img.height as usize {
        return Err(HtError::InvalidOptions(format!(
            "{} bytes of pixels for {}×{} {:?}",
            img.data.len(),
            img.width,
            img.height,
            img.format
        )));
    }
    for band in img.data.chunks((writer.band_rows() as usize * row).max(1)) {
        writer.write_rows(band)?;
    }
    writer.finish()
}

/// An HTJ2K encode fed rows a band at a time (OpenJPH codes line by line), so a conversion never holds the
/// whole image: the encoder's memory is its line buffers, its code-block state and the output.
pub struct HtWriter {
    encoder: ffi::Encoder,
    width: u32,
    height: u32,
    format: PixelFormat,
    tile_height: u32,
    rows_written: u32,
}

impl HtWriter {
    /// Starts an encode of a `width`×`height` image of `format`.
    pub fn start(
        width: u32,
        height: u32,
        format: PixelFormat,
        opts: &HtEncodeOptions,
    ) -> Result<Self, HtError> {
        let channels = u32::from(format.channels());
        let bytes_per_sample = format.bytes_per_sample() as u32;
        let samples = u64::from(width) * u64::from(height) * u64::from(channels);
        if width == 0 || height == 0 || samples > MAX_ENCODE_SAMPLES {
            return Err(HtError::TooLarge(samples));
        }
        let step_ok = opts.qstep > 0.0 && opts.qstep < 1.0;
        if !opts.lossless && !step_ok {
            return Err(HtError::InvalidOptions(format!("qstep {} (0 < qstep < 1)", opts.qstep)));
        }
        if opts.levels > 32 {
            return Err(HtError::InvalidOptions(format!(
                "{} decomposition levels (at most 32)",
                opts.levels
            )));
        }
        let side = |s: u32| if opts.tile_size == 0 { s } else { opts.tile_size.min(s) };
        let (tile_width, tile_height) = (side(width), side(height));
        // A resolution level needs at least one sample per tile side.
        let mut levels = u32::from(opts.levels);
        while levels > 0 && (tile_width.min(tile_height) >> levels) == 0 {
            levels -= 1;
        }
        let params = ffi::Params {
            width,
            height,
            channels,
            bytes_per_sample,
            bit_depth: if bytes_per_sample == 2 { 16 } else { 8 },
            tile_width,
            tile_height,
            levels,
            block: 64,
            reversible: i32::from(opts.lossless),
            qstep: opts.qstep,
        };
        let encoder = ffi::Encoder::start(&params).map_err(HtError::Encoder)?;
        Ok(HtWriter { encoder, width, height, format, tile_height, rows_written: 0 })
    }

    /// Rows per band a caller should feed (any count works; a tile row keeps bands aligned with tiles).
    pub fn band_rows(&self) -> u32 {
        self.tile_height
    }

    /// Bytes per row of interleaved samples.
    pub fn row_bytes(&self) -> usize {
        self.width as usize * self.format.bytes_per_pixel()
    }

    /// Encodes the next rows (a whole number of rows of interleaved samples).
    pub fn write_rows(&mut self, rows: &[u8]) -> Result<(), HtError> {
        let row = self.row_bytes();
        let count = rows.len() / row.max(1);
        let count = u32::try_from(count).map_err(|_| HtError::InvalidOptions("too many rows".into()))?;
        if rows.len() != count as usize * row || count == 0 || self.rows_written + count > self.height {
            return Err(HtError::InvalidOptions(format!(
                "{} bytes are not whole rows of {row} within the image's {} rows ({} written)",
                rows.len(),
                self.height,
                self.rows_written
            )));
        }
        self.encoder.push_rows(rows, count).map_err(HtError::Encoder)?;
        self.rows_written += count;
        Ok(())
    }

    /// Ends the codestream; every row must have been written.
    pub fn finish(self) -> Result<Vec<u8>, HtError> {
        if self.rows_written != self.height {
            return Err(HtError::InvalidOptions(format!(
                "{} of {} rows written",
                self.rows_written, self.height
            )));
        }
        self.encoder.finish().map_err(HtError::Encoder)
    }
}
