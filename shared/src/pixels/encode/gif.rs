//! GIF with the `gif` crate: one frame, at most 256 colours and 1-bit transparency.
//!
//! Gray images get an exact palette of the grays they use (two entries for bitonal). Colour images with
//! at most 256 colours are exact too; beyond that the crate's NeuQuant picks the palette. Alpha below
//! half becomes transparent, the rest opaque: GIF has nothing in between, and half is where a
//! rotated image's anti-aliased edge is as much background as image.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

use gif::{Encoder, Frame};

use super::dimensions_u16;
use crate::pixels::transform::{to_8bit, try_clone};
use crate::pixels::{Image, PixelError, PixelFormat};

/// NeuQuant's sampling factor: 1 looks at every pixel, 30 at one in thirty. 10 is the crate's advice
/// for a balance of speed and quality.
const QUANTISER_SPEED: i32 = 10;

pub(super) fn encode(img: &Image) -> Result<Vec<u8>, PixelError> {
    let (width, height) = dimensions_u16(img, "gif")?;
    let img = if img.format.bytes_per_sample() == 2 {
        Cow::Owned(to_8bit(try_clone(img)?))
    } else {
        Cow::Borrowed(img)
    };
    let frame = match img.format {
        PixelFormat::L8 => gray_frame(width, height, &img.data),
        PixelFormat::Rgb8 => Frame::from_rgb_speed(width, height, &img.data, QUANTISER_SPEED),
        _ => {
            let mut rgba = to_rgba(&img)?;
            Frame::from_rgba_speed(width, height, &mut rgba, QUANTISER_SPEED)
        }
    };
    let mut out = Vec::new();
    let failed = |e: gif::EncodingError| PixelError::corrupt("gif", e.to_string());
    let mut encoder = Encoder::new(&mut out, width, height, &[]).map_err(failed)?;
    encoder.write_frame(&frame).map_err(failed)?;
    drop(encoder);
    Ok(out)
}

/// A palette of exactly the grays present, in ascending order.
fn gray_frame(width: u16, height: u16, data: &[u8]) -> Frame<'static> {
    let mut used = [false; 256];
    for &v in data {
        used[usize::from(v)] = true;
    }
    let mut index = [0u8; 256];
    let mut palette = Vec::with_capacity(3 * 256);
    for (gray, _) in (0..=255u8).zip(used).filter(|(_, u)| *u) {
        index[usize::from(gray)] = (palette.len() / 3) as u8;
        palette.extend_from_slice(&[gray; 3]);
    }
    let pixels: Vec<u8> = data.iter().map(|&v| index[usize::from(v)]).collect();
    Frame::from_palette_pixels(width, height, pixels, palette, None)
}

/// RGBA for the quantiser, with alpha cut to fully opaque or fully transparent at half.
fn to_rgba(img: &Image) -> Result<Vec<u8>, PixelError> {
    let n = img.width as usize * img.height as usize;
    let len = n * 4;
    let mut rgba = Vec::new();
    rgba.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
    let bpp = img.format.bytes_per_pixel();
    for px in img.data.chunks_exact(bpp) {
        let (rgb, a) = match *px {
            [l, a] => ([l, l, l], a),
            [r, g, b, a] => ([r, g, b], a),
            [r, g, b] => ([r, g, b], 255),
            [l] => ([l, l, l], 255),
            _ => ([0; 3], 0),
        };
        rgba.extend_from_slice(&rgb);
        rgba.push(if a >= 128 { 255 } else { 0 });
    }
    Ok(rgba)
}
