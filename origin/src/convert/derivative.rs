//! One source image to one serving derivative, in memory: probe, decode the full image with the core's
//! pipeline (the same code that serves it), and write the derivative format.

use std::fmt;
use std::str::FromStr;

use tessella_core::pixels::Image;
use tessella_core::pixels::encode::{PyramidOptions, encode_pyramid_tiff};
use tessella_core::render::{RenderError, RenderOptions, decode_full};
use tessella_core::source::{SourceBytes, SourceError};
use tessella_openjpeg::encode_jp2;

#[derive(Debug, thiserror::Error)]
pub enum DerivativeError {
    #[error("unreadable source: {0}")]
    Source(#[from] SourceError),
    #[error("cannot decode the source: {0}")]
    Decode(String),
    #[error("cannot write the derivative: {0}")]
    Encode(String),
}

/// The derivative a batch writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerivativeFormat {
    /// Pyramidal tiled TIFF with JPEG tiles, served by tile passthrough.
    PyramidTiff,
    /// JPEG 2000 (a JP2 file) with UCLA's Kakadu recipe, encoded by OpenJPEG; stored as `.jpx` like
    /// Bucketeer's.
    Jp2,
    /// High-Throughput JPEG 2000 (Part 15), a raw codestream encoded by OpenJPH (`.jhc`); only in builds
    /// with the `htj2k` feature.
    Htj2k,
}

impl DerivativeFormat {
    /// The object key's extension.
    pub fn extension(self) -> &'static str {
        match self {
            DerivativeFormat::PyramidTiff => "tif",
            DerivativeFormat::Jp2 => "jpx",
            DerivativeFormat::Htj2k => "jhc",
        }
    }
}

impl FromStr for DerivativeFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "ptiff" | "tif" | "tiff" | "pyramid-tiff" => Ok(DerivativeFormat::PyramidTiff),
            "jp2" | "jpx" | "jpeg2000" => Ok(DerivativeFormat::Jp2),
            "htj2k" | "jhc" => Ok(DerivativeFormat::Htj2k),
            other => Err(format!("unknown derivative format {other:?} (ptiff, jp2 or htj2k)")),
        }
    }
}

impl fmt::Display for DerivativeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DerivativeFormat::PyramidTiff => "ptiff",
            DerivativeFormat::Jp2 => "jp2",
            DerivativeFormat::Htj2k => "htj2k",
        })
    }
}

/// How derivatives are made.
#[derive(Debug, Clone)]
pub struct Recipe {
    pub format: DerivativeFormat,
    /// Tile edge for tiled formats.
    pub tile_size: u32,
    /// JPEG quality of pyramid tiles.
    pub jpeg_quality: u8,
    /// JPEG 2000: reversible (exact pixels) instead of lossy.
    pub lossless: bool,
    /// JPEG 2000, lossy: the compression ratio (8: Kakadu's `-rate 3` on 24-bit RGB, UCLA's setting).
    pub rate: f32,
    /// HTJ2K, lossy: OpenJPH's quantisation step (OpenJPH has no rate control; 0.012 is about 8:1).
    pub qstep: f32,
    /// OpenJPEG threads per JPEG 2000 encode.
    pub threads: u32,
    /// JPEG 2000, lossy: stop coding a code-block's passes where rate allocation will cut them
    /// (`Jp2EncodeOptions::early_termination`).
    pub early_termination: bool,
    /// Decode limits (pixels and bytes) for one source.
    pub render: RenderOptions,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe {
            format: DerivativeFormat::PyramidTiff,
            tile_size: 512,
            jpeg_quality: 90,
            lossless: false,
            rate: 8.0,
            qstep: 0.012,
            threads: 1,
            early_termination: true,
            render: RenderOptions::default(),
        }
    }
}

/// Decodes a whole source image at full resolution through the core.
pub fn decode_source(data: Vec<u8>, render: &RenderOptions) -> Result<Image, DerivativeError> {
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data);
    decode_full(&bytes, render).map(|(_, image)| image).map_err(|e| match e {
        RenderError::Source(e) => DerivativeError::Source(e),
        other => DerivativeError::Decode(other.to_string()),
    })
}

/// The derivative of a source file's bytes.
pub fn make(data: Vec<u8>, recipe: &Recipe) -> Result<Vec<u8>, DerivativeError> {
    let image = decode_source(data, &recipe.render)?;
    match recipe.format {
        DerivativeFormat::PyramidTiff => {
            let opts = PyramidOptions { tile_size: recipe.tile_size, jpeg_quality: recipe.jpeg_quality };
            encode_pyramid_tiff(&image, &opts, &recipe.render.budget)
                .map_err(|e| DerivativeError::Encode(e.to_string()))
        }
        DerivativeFormat::Jp2 => encode_jp2(&image, &super::stream::jp2_options(recipe))
            .map_err(|e| DerivativeError::Encode(e.to_string())),
        DerivativeFormat::Htj2k => htj2k(&image, recipe),
    }
}

/// The HTJ2K options of a recipe.
#[cfg(feature = "htj2k")]
pub fn ht_options(recipe: &Recipe) -> tessella_openjph::HtEncodeOptions {
    tessella_openjph::HtEncodeOptions {
        tile_size: recipe.tile_size,
        levels: 6,
        lossless: recipe.lossless,
        qstep: recipe.qstep,
    }
}

#[cfg(feature = "htj2k")]
fn htj2k(image: &Image, recipe: &Recipe) -> Result<Vec<u8>, DerivativeError> {
    tessella_openjph::encode_htj2k(image, &ht_options(recipe))
        .map_err(|e| DerivativeError::Encode(e.to_string()))
}

#[cfg(not(feature = "htj2k"))]
fn htj2k(_image: &Image, _recipe: &Recipe) -> Result<Vec<u8>, DerivativeError> {
    Err(DerivativeError::Encode(
        "this build has no HTJ2K encoder: build tessella with `--features htj2k` (needs OpenJPH: apt-get \
         install libopenjph-dev)"
            .into(),
    ))
}
