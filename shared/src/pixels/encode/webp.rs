//! Lossless WebP (VP8L) with image-webp, the only maintained pure-Rust WebP encoder; it has no lossy
//! mode. Lossless is also what an image server's WebP is mostly asked for: screenshots, scans, maps.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

use image_webp::{ColorType, EncodingError, WebPEncoder};

use crate::pixels::transform::{to_8bit, try_clone};
use crate::pixels::{Image, PixelError, PixelFormat};

pub(super) fn encode(img: &Image) -> Result<Vec<u8>, PixelError> {
    let img = if img.format.bytes_per_sample() == 2 {
        Cow::Owned(to_8bit(try_clone(img)?))
    } else {
        Cow::Borrowed(img)
    };
    let color = match img.format {
        PixelFormat::L8 => ColorType::L8,
        PixelFormat::La8 => ColorType::La8,
        PixelFormat::Rgb8 => ColorType::Rgb8,
        _ => ColorType::Rgba8,
    };
    let mut out = Vec::new();
    WebPEncoder::new(&mut out).encode(&img.data, img.width, img.height, color).map_err(|e| match e {
        EncodingError::InvalidDimensions => PixelError::unsupported(
            "webp",
            alloc::format!("{}×{} is larger than WebP's 16384×16384", img.width, img.height),
        ),
        other => PixelError::corrupt("webp", other.to_string()),
    })?;
    Ok(out)
}
