//! JPEG 2000 encoding with OpenJPEG, to the codestream recipe UCLA runs in Kakadu for its IIIF derivatives:
//!
//! ```text
//! kdu_compress Clevels=6 Stiles={512,512} Cprecincts={256,256},{256,256},{128,128} Corder=RPCL
//!              ORGgen_plt=yes ORGtparts=R Cblk={64,64} Cuse_sop=yes Cuse_eph=yes -rate 3   (or Creversible=yes)
//! ```
//!
//! What [`encode_jp2`] sets in OpenJPEG (see `docs/jp2-encoder.md` for the mapping):
//! 512×512 tiles (each side clamped to the image), 6 decomposition levels (fewer when a tile side is below
//! 2^levels), precincts 256×256 for the two highest resolution levels and 128×128 for every other one,
//! RPCL progression, one tile-part per resolution level, PLT markers, TLM markers (every tile-part's
//! length in the main header, Kakadu's `ORGgen_tlm`, so readers find any tile from the header alone),
//! 64×64 code-blocks, SOP and EPH markers, one quality layer; lossy: irreversible 9-7 wavelet with the
//! irreversible colour transform at a compression ratio (8:1 by default, Kakadu's `-rate 3` on 24-bit
//! RGB); lossless: reversible 5-3 with the
//! reversible colour transform.
//!
//! Input: 8- or 16-bit gray or RGB, with or without alpha. Alpha is encoded as one more component; in a JP2
//! it is declared as opacity in a channel definition (`cdef`) box, so readers see it as alpha; a raw J2K
//! codestream has no place for that, and the extra component is only the last one (tessella's decoders read
//! a 2nd or 4th component as alpha either way).
//!
//! The image is fed to OpenJPEG one tile at a time (`opj_write_tile`), so the encoder's working memory is
//! one tile's buffers plus the output, not a 32-bit copy of the whole image.

use tessella_core::pixels::{Image, PixelFormat};

use crate::ffi::{Container, EncodeSetup, Encoder};

/// The most samples (width × height × components) [`encode_jp2`] accepts: 2^31, e.g. 26 000 × 26 000 RGB.
/// Checked before anything is allocated.
pub const MAX_ENCODE_SAMPLES: u64 = 1 << 31;

/// Precinct sizes per resolution level from the highest down, as Kakadu's
/// `Cprecincts={256,256},{256,256},{128,128}` (the last repeats for every lower level).
pub const PRECINCTS: [u32; 3] = [256, 256, 128];

/// Code-block size (both sides).
pub const CODE_BLOCK: u32 = 64;

/// How the JPEG 2000 derivative is encoded. `Default`: 512 tiles, 6 levels, lossy 8:1, one thread, JP2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jp2EncodeOptions {
    /// Tile side on the reference grid; each side is clamped to the image. 0: one tile for the whole image.
    pub tile_size: u32,
    /// Decomposition levels (resolution levels − 1); reduced when a tile side is below 2^levels. At most 32.
    pub levels: u8,
    pub mode: Jp2Mode,
    /// OpenJPEG threads for this encode (its thread pool does code-blocks and the wavelet in parallel).
    /// 0: one per core. Leave it at 1 when images are already encoded in parallel.
    pub threads: u32,
    pub format: Jp2Container,
    /// Lossy only: stop coding a code-block's bit-plane passes once their distortion-rate slope falls
    /// below what the neighbouring tiles' rate allocation kept (Kakadu codes the same way), instead of
    /// coding every pass and letting rate allocation drop the bottom ones. About 10–20% less encoding
    /// time at the same size; PSNR within 0.005 dB of coding every pass (BENCHMARKS.md). On by default.
    pub early_termination: bool,
}

impl Default for Jp2EncodeOptions {
    fn default() -> Self {
        Jp2EncodeOptions {
            tile_size: 512,
            levels: 6,
            mode: Jp2Mode::default(),
            threads: 1,
            format: Jp2Container::Jp2,
            early_termination: true,
        }
    }
}

/// Lossy or lossless.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jp2Mode {
    /// Irreversible 9-7 wavelet (+ ICT on RGB), rate-controlled to `rate`:1 against the uncompressed
    /// samples at their bit depth (8.0 on 24-bit RGB is 3 bits per pixel, Kakadu's `-rate 3`).
    Lossy { rate: f32 },
    /// Reversible 5-3 wavelet (+ RCT on RGB): decodes to exactly the input pixels.
    Lossless,
}

impl Default for Jp2Mode {
    fn default() -> Self {
        Jp2Mode::Lossy { rate: 8.0 }
    }
}

/// The file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Jp2Container {
    /// A JP2 file (signature, header boxes with colour specification and, for alpha, channel definition;
    /// the codestream in a `jp2c` box). What Bucketeer stores under `{ARK}.jpx`.
    #[default]
    Jp2,
    /// A bare codestream (SOC … EOC), `.j2k`/`.j2c`.
    J2k,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    #[error("invalid JPEG 2000 encode options: {0}")]
    InvalidOptions(String),
    #[error(
        "image of {width}×{height} with {components} components is empty or over the encoder's limit of {limit} samples"
    )]
    TooLarge { width: u32, height: u32, components: u8, limit: u64 },
    #[error("image data is {actual} bytes, {expected} expected for {width}×{height} {format:?}")]
    BadImage { width: u32, height: u32, format: PixelFormat, actual: usize, expected: u64 },
    #[error("OpenJPEG refused the encode: {0}")]
    Unsupported(String),
    #[error("OpenJPEG encode failed: {0}")]
    Internal(String),
}

impl From<crate::OpjError> for EncodeError {
    fn from(e: crate::OpjError) -> Self {
        match e {
            crate::OpjError::Unsupported(m) => EncodeError::Unsupported(m),
            other => EncodeError::Internal(other.to_string()),
        }
    }
}

/// The coding parameters [`encode_jp2`] uses for an image of `width`×`height` (after clamping), for
/// callers and tests that want to know what was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jp2Plan {
    pub tile_width: u32,
    pub tile_height: u32,
    /// Decomposition levels actually used.
    pub levels: u8,
    /// Precinct (width, height) per resolution level, from the highest resolution down.
    pub precincts: Vec<(u32, u32)>,
    pub tiles_across: u32,
    pub tiles_down: u32,
}

impl Jp2EncodeOptions {
    /// The tile size and levels for an image of `width`×`height`, clamped as [`encode_jp2`] clamps them.
    pub fn plan(&self, width: u32, height: u32) -> Result<Jp2Plan, EncodeError> {
        if width == 0 || height == 0 {
            return Err(EncodeError::TooLarge { width, height, components: 0, limit: MAX_ENCODE_SAMPLES });
        }
        if self.levels > 32 {
            return Err(EncodeError::InvalidOptions(format!(
                "{} decomposition levels (JPEG 2000 allows at most 32)",
                self.levels
            )));
        }
        let (tile_width, tile_height) = if self.tile_size == 0 {
            (width, height)
        } else {
            (self.tile_size.min(width), self.tile_size.min(height))
        };
        // OpenJPEG (and the standard's intent) needs each tile side to be at least 2^levels.
        let fit = tile_width.min(tile_height).ilog2();
        let levels = u32::from(self.levels).min(fit) as u8;
        let precincts = (0..=usize::from(levels))
            .map(|i| {
                let p = PRECINCTS[i.min(PRECINCTS.len() - 1)];
                (p, p)
            })
            .collect();
        Ok(Jp2Plan {
            tile_width,
            tile_height,
            levels,
            precincts,
            tiles_across: width.div_ceil(tile_width),
            tiles_down: height.div_ceil(tile_height),
        })
    }
}

/// Encodes `image` as JPEG 2000 (JP2 or J2K, per `opts.format`) with the recipe above.
///
/// Errors, never panics: options out of range, an empty image or one over [`MAX_ENCODE_SAMPLES`], data
/// whose length does not match the size and format, and anything OpenJPEG refuses (with its message).
pub fn encode_jp2(image: &Image, opts: &Jp2EncodeOptions) -> Result<Vec<u8>, EncodeError> {
    let samples = u64::from(image.width) * u64::from(image.height) * u64::from(image.format.channels());
    if samples == 0 || samples > MAX_ENCODE_SAMPLES {
        let (width, height, components) = (image.width, image.height, image.format.channels());
        return Err(EncodeError::TooLarge { width, height, components, limit: MAX_ENCODE_SAMPLES });
    }
    let expected = samples * image.format.bytes_per_sample() as u64;
    if image.data.len() as u64 != expected {
        return Err(EncodeError::BadImage {
            width: image.width,
            height: image.height,
            format: image.format,
            actual: image.data.len(),
            expected,
        });
    }
    let mut writer = Jp2Writer::start(image.width, image.height, image.format, opts)?;
    let band_bytes = writer.band_rows() as usize * writer.row_bytes();
    for band in image.data.chunks(band_bytes.max(1)) {
        writer.write_rows(band)?;
    }
    writer.finish()
}

/// A JPEG 2000 encode fed a band of rows at a time (one tile row: [`Jp2Writer::band_rows`] rows, fewer
/// for the last), so a caller that decodes its source band by band never holds the whole image: the
/// encoder's memory is one band, one tile's planar copy and the compressed output.
pub struct Jp2Writer {
    encoder: Encoder,
    plan: Jp2Plan,
    width: u32,
    height: u32,
    format: PixelFormat,
    rows_written: u32,
    tile: Vec<u8>,
}

impl Jp2Writer {
    /// Starts an encode of a `width`×`height` image of `format`.
    pub fn start(
        width: u32,
        height: u32,
        format: PixelFormat,
        opts: &Jp2EncodeOptions,
    ) -> Result<Jp2Writer, EncodeError> {
        let components = format.channels();
        let bytes_per_sample = format.bytes_per_sample();
        let samples = u64::from(width) * u64::from(height) * u64::from(components);
        if samples == 0 || samples > MAX_ENCODE_SAMPLES {
            return Err(EncodeError::TooLarge { width, height, components, limit: MAX_ENCODE_SAMPLES });
        }
        let expected = samples * bytes_per_sample as u64;
        let rate = match opts.mode {
            Jp2Mode::Lossless => None,
            Jp2Mode::Lossy { rate } if rate.is_finite() && rate >= 1.0 => Some(rate),
            Jp2Mode::Lossy { rate } => {
                return Err(EncodeError::InvalidOptions(format!(
                    "lossy rate {rate} (a compression ratio: at least 1, e.g. 8 for 8:1)"
                )));
            }
        };
        let plan = opts.plan(width, height)?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
        } else {
            opts.threads
        };
        let raw =
            usize::try_from(expected).map_err(|_| EncodeError::InvalidOptions("image over usize".into()))?;
        let setup = EncodeSetup {
            width,
            height,
            components: u32::from(components),
            precision: 8 * bytes_per_sample as u32,
            gray: format.is_gray(),
            alpha: format.has_alpha(),
            tile_width: plan.tile_width,
            tile_height: plan.tile_height,
            resolutions: u32::from(plan.levels) + 1,
            precincts: plan.precincts.clone(),
            code_block: CODE_BLOCK,
            rate,
            container: match opts.format {
                Jp2Container::Jp2 => Container::Jp2,
                Jp2Container::J2k => Container::J2k,
            },
            threads,
            early_termination: opts.early_termination,
            max_output: raw.saturating_mul(2).saturating_add(1 << 20),
        };
        let encoder = Encoder::start(&setup)?;
        Ok(Jp2Writer { encoder, plan, width, height, format, rows_written: 0, tile: Vec::new() })
    }

    /// Rows per band: the tile height.
    pub fn band_rows(&self) -> u32 {
        self.plan.tile_height
    }

    /// Bytes per row of interleaved samples.
    pub fn row_bytes(&self) -> usize {
        self.width as usize * self.format.bytes_per_pixel()
    }

    /// Encodes the next band: `band_rows()` rows of interleaved samples (fewer only for the last band).
    pub fn write_rows(&mut self, band: &[u8]) -> Result<(), EncodeError> {
        let row_bytes = self.row_bytes();
        let remaining = self.height - self.rows_written;
        let rows = self.plan.tile_height.min(remaining);
        if rows == 0 || band.len() != rows as usize * row_bytes {
            return Err(EncodeError::BadImage {
                width: self.width,
                height: rows,
                format: self.format,
                actual: band.len(),
                expected: rows as u64 * row_bytes as u64,
            });
        }
        // One tile's planar samples, reused: at most tile_size² × 4 × 2 bytes.
        let n = usize::from(self.format.channels());
        let bytes_per_sample = self.format.bytes_per_sample();
        let pixel_bytes = n * bytes_per_sample;
        let h = rows as usize;
        for tx in 0..self.plan.tiles_across {
            let x0 = tx * self.plan.tile_width;
            let w = self.plan.tile_width.min(self.width - x0) as usize;
            let len = w * h * pixel_bytes;
            self.tile.clear();
            self.tile
                .try_reserve(len)
                .map_err(|_| EncodeError::Internal(format!("cannot allocate {len} bytes")))?;
            self.tile.resize(len, 0);
            // Planar: component c's rows from c × plane on; each row of the band is read once.
            let plane_row = w * bytes_per_sample;
            let plane = plane_row * h;
            for y in 0..h {
                let start = y * row_bytes + x0 as usize * pixel_bytes;
                let row = band
                    .get(start..start + w * pixel_bytes)
                    .ok_or_else(|| EncodeError::Internal("tile row out of range".into()))?;
                deinterleave_row(row, &mut self.tile, plane, y * plane_row, n, bytes_per_sample);
            }
            self.encoder.write_tile(&self.tile)?;
        }
        self.rows_written += rows;
        Ok(())
    }

    /// Ends the codestream; every row must have been written.
    pub fn finish(self) -> Result<Vec<u8>, EncodeError> {
        if self.rows_written != self.height {
            return Err(EncodeError::Internal(format!(
                "{} of {} rows written before the end",
                self.rows_written, self.height
            )));
        }
        Ok(self.encoder.finish()?)
    }
}

/// Spreads one row of interleaved pixels (`n` components of `bps` bytes each) into the planar `tile`:
/// component c's samples go to `tile[c × plane + at ..]`. RGB, the common case, gets a loop of its own
/// that the compiler keeps tight.
fn deinterleave_row(row: &[u8], tile: &mut [u8], plane: usize, at: usize, n: usize, bps: usize) {
    let len = row.len() / n;
    match (n, bps) {
        (1, _) => tile[at..at + len].copy_from_slice(row),
        (3, 1) => {
            let (p0, rest) = tile.split_at_mut(plane);
            let (p1, p2) = rest.split_at_mut(plane);
            let planes = p0[at..at + len].iter_mut().zip(&mut p1[at..at + len]).zip(&mut p2[at..at + len]);
            for (((a, b), c), px) in planes.zip(row.chunks_exact(3)) {
                *a = px[0];
                *b = px[1];
                *c = px[2];
            }
        }
        _ => {
            for (x, px) in row.chunks_exact(n * bps).enumerate() {
                for (c, sample) in px.chunks_exact(bps).enumerate() {
                    let to = c * plane + at + x * bps;
                    tile[to..to + bps].copy_from_slice(sample);
                }
            }
        }
    }
}
