//! Reading and writing one sample of an interleaved pixel, for the transforms that work per pixel
//! rather than through a library. Accessors never panic: an [`Image`]'s fields are public, so a
//! buffer shorter than its size claims is possible, and [`validate`] is what callers check first.

use alloc::format;
use alloc::vec::Vec;

use crate::pixels::{Image, PixelError, PixelFormat};

/// 8- or 16-bit samples, stored as [`Image`] stores them (16-bit native-endian).
pub(super) trait Sample {
    const MAX: u32;
    fn load(pixel: &[u8], channel: usize) -> u32;
    fn store(pixel: &mut [u8], channel: usize, value: u32);
}

pub(super) struct U8;
pub(super) struct U16;

impl Sample for U8 {
    const MAX: u32 = 255;

    fn load(pixel: &[u8], channel: usize) -> u32 {
        pixel.get(channel).map_or(0, |&b| u32::from(b))
    }

    fn store(pixel: &mut [u8], channel: usize, value: u32) {
        if let Some(b) = pixel.get_mut(channel) {
            *b = value.min(Self::MAX) as u8;
        }
    }
}

impl Sample for U16 {
    const MAX: u32 = 65535;

    fn load(pixel: &[u8], channel: usize) -> u32 {
        match pixel.get(channel * 2..channel * 2 + 2) {
            Some(&[a, b]) => u32::from(u16::from_ne_bytes([a, b])),
            _ => 0,
        }
    }

    fn store(pixel: &mut [u8], channel: usize, value: u32) {
        if let Some(b) = pixel.get_mut(channel * 2..channel * 2 + 2) {
            b.copy_from_slice(&(value.min(Self::MAX) as u16).to_ne_bytes());
        }
    }
}

/// The buffer holds exactly `width`×`height` pixels and neither is zero: what every transform and
/// encoder assumes before indexing rows.
pub(crate) fn validate(img: &Image) -> Result<(), PixelError> {
    let expected = (img.width as usize)
        .checked_mul(img.height as usize)
        .and_then(|p| p.checked_mul(img.format.bytes_per_pixel()));
    if img.width == 0 || img.height == 0 {
        return Err(PixelError::corrupt("image", format!("{}×{} has no pixels", img.width, img.height)));
    }
    if expected != Some(img.data.len()) {
        return Err(PixelError::corrupt(
            "image",
            format!("{} bytes for {}×{} {:?}", img.data.len(), img.width, img.height, img.format),
        ));
    }
    Ok(())
}

/// A copy whose allocation failure is an error rather than an abort.
pub(crate) fn try_clone(img: &Image) -> Result<Image, PixelError> {
    let mut data = Vec::new();
    data.try_reserve_exact(img.data.len()).map_err(|_| PixelError::OutOfMemory(img.data.len()))?;
    data.extend_from_slice(&img.data);
    Ok(Image { width: img.width, height: img.height, format: img.format, data })
}

/// Rewrites every pixel in place into `to`, whose pixels must be no larger than the image's: pixel
/// `i` is written at or before where it was read, so no source pixel is overwritten before it is used.
pub(super) fn remap_in_place(img: &mut Image, to: PixelFormat, f: impl Fn(&[u8], &mut [u8])) {
    let (ib, ob) = (img.format.bytes_per_pixel(), to.bytes_per_pixel());
    if ob > ib {
        return;
    }
    let n = img.data.len() / ib;
    let mut pixel = [0u8; 8];
    for i in 0..n {
        let (Some(tmp), Some(src)) = (pixel.get_mut(..ib), img.data.get(i * ib..i * ib + ib)) else {
            break;
        };
        tmp.copy_from_slice(src);
        if let (Some(src), Some(dst)) = (pixel.get(..ib), img.data.get_mut(i * ob..i * ob + ob)) {
            f(src, dst);
        }
    }
    img.data.truncate(n * ob);
    img.format = to;
}

/// The format with an alpha channel added (itself if it has one).
pub(super) fn with_alpha(format: PixelFormat) -> PixelFormat {
    match format {
        PixelFormat::L8 => PixelFormat::La8,
        PixelFormat::Rgb8 => PixelFormat::Rgba8,
        PixelFormat::L16 => PixelFormat::La16,
        PixelFormat::Rgb16 => PixelFormat::Rgba16,
        other => other,
    }
}

/// The format with its alpha channel removed (itself if it has none).
pub(super) fn without_alpha(format: PixelFormat) -> PixelFormat {
    match format {
        PixelFormat::La8 => PixelFormat::L8,
        PixelFormat::Rgba8 => PixelFormat::Rgb8,
        PixelFormat::La16 => PixelFormat::L16,
        PixelFormat::Rgba16 => PixelFormat::Rgb16,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_round_trip_and_tolerate_short_pixels() {
        let mut px = [0u8; 4];
        U16::store(&mut px, 1, 0xABCD);
        assert_eq!(U16::load(&px, 1), 0xABCD);
        assert_eq!(U16::load(&px, 2), 0, "past the pixel reads as 0");
        U16::store(&mut px, 5, 1);
        U8::store(&mut px, 0, 300);
        assert_eq!(U8::load(&px, 0), 255, "stores clamp");
    }

    #[test]
    fn validate_refuses_inconsistent_images() {
        let ok = Image { width: 2, height: 1, format: PixelFormat::La16, data: alloc::vec![0; 8] };
        assert!(validate(&ok).is_ok());
        assert!(validate(&Image { data: alloc::vec![0; 7], ..ok.clone() }).is_err());
        assert!(validate(&Image { width: 0, data: Vec::new(), ..ok }).is_err());
    }
}
