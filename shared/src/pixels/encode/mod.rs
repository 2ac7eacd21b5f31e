//! Encoders: an [`Image`] to the bytes of an output format (§4.5 of the Image API).
//!
//! JPEG and PNG are always available: they are pure Rust and `no_std`. WebP (lossless), GIF and TIFF
//! need `std::io` and come with the crate's `std` feature; without it they, like JPEG 2000 and PDF,
//! are [`PixelError::Unsupported`]. [`supported_formats`] tells a server which is which, for
//! `info.json`'s `extraFormats` and for answering 501 before decoding anything.
//!
//! Every encoder accepts every [`PixelFormat`](crate::pixels::PixelFormat): what a format cannot hold
//! (alpha in JPEG, 16 bits in JPEG, WebP and GIF) is converted first, the rest is kept.

mod jpeg;
mod png;
mod pyramid_tiff;

#[cfg(feature = "std")]
mod gif;
#[cfg(feature = "std")]
mod tiff;
#[cfg(feature = "std")]
mod webp;

pub use pyramid_tiff::{PyramidOptions, PyramidWriter, encode_pyramid_tiff};

use alloc::format;
use alloc::vec::Vec;

use super::transform::validate;
use super::{Image, PixelError};
use crate::iiif::Format;

/// Encoder settings a server may configure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// 1–100 (clamped). Below 90 chroma is subsampled 4:2:0, from 90 up it is kept 4:4:4.
    pub jpeg_quality: u8,
    pub png_compression: PngCompression,
}

impl Default for EncodeOptions {
    /// Quality 85: the common choice of image servers, visually lossless on photographs at a fraction of
    /// the size of 95.
    fn default() -> Self {
        EncodeOptions { jpeg_quality: 85, png_compression: PngCompression::Default }
    }
}

/// How hard the PNG encoder's deflate works. The output is lossless at every level; only size and time
/// differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PngCompression {
    /// zlib level 1: several times faster than `Default`, typically 10–30% larger.
    Fast,
    /// zlib level 6, zlib's own default.
    #[default]
    Default,
    /// zlib level 9: a few percent smaller than `Default` for roughly twice the time.
    Best,
}

/// The formats this build encodes, in [`Format::ALL`]'s order. A server's `info.json` lists in
/// `extraFormats` those its compliance level does not already imply (level 2 implies jpg and png).
pub fn supported_formats() -> &'static [Format] {
    #[cfg(feature = "std")]
    const FORMATS: &[Format] = &[Format::Jpg, Format::Png, Format::Webp, Format::Tif, Format::Gif];
    #[cfg(not(feature = "std"))]
    const FORMATS: &[Format] = &[Format::Jpg, Format::Png];
    FORMATS
}

/// Encodes `img` as `format`. Errors: an inconsistent image, dimensions the format cannot hold (JPEG and
/// GIF stop at 65535, WebP at 16384), or a format this build does not encode.
pub fn encode(img: &Image, format: Format, opts: &EncodeOptions) -> Result<Vec<u8>, PixelError> {
    validate(img)?;
    match format {
        Format::Jpg => jpeg::encode(img, opts.jpeg_quality),
        Format::Png => png::encode(img, opts.png_compression),
        #[cfg(feature = "std")]
        Format::Webp => webp::encode(img),
        #[cfg(feature = "std")]
        Format::Gif => gif::encode(img),
        #[cfg(feature = "std")]
        Format::Tif => tiff::encode(img),
        _ => Err(PixelError::unsupported(
            format.extension(),
            format!("this build of Tessella does not encode {}", format.media_type()),
        )),
    }
}

/// The dimensions as `u16`, for formats whose headers hold no more.
fn dimensions_u16(img: &Image, codec: &'static str) -> Result<(u16, u16), PixelError> {
    match (u16::try_from(img.width), u16::try_from(img.height)) {
        (Ok(w), Ok(h)) => Ok((w, h)),
        _ => Err(PixelError::unsupported(
            codec,
            format!("{}×{} is larger than the format's 65535×65535", img.width, img.height),
        )),
    }
}

#[cfg(test)]
mod tests;
