//! The bridge to fast_image_resize, which does the convolution (with SIMD where the target has it).
//!
//! It views buffers as typed pixels, so 16-bit buffers must be 2-byte aligned. A `Vec<u8>` promises
//! only 1; allocators give more in practice, and when they do not, the window is copied into an aligned
//! buffer instead of reinterpreting memory (the workspace forbids `unsafe`).

use alloc::string::ToString;
use alloc::vec::Vec;

use fast_image_resize as fr;

use super::resize::{Filter, Window};
use crate::pixels::{Image, PixelError, PixelFormat};
use crate::plan::Crop;

/// Scales `crop` (relative to `window`, a rectangle of `src`) into all of `out`, which has `src`'s format.
pub(super) fn scale(
    src: &Image,
    window: Window,
    crop: Crop,
    filter: Filter,
    out: &mut Image,
) -> Result<(), PixelError> {
    let (width, height) = (out.width, out.height);
    scale_slices(
        Source { data: &src.data, width: src.width, height: src.height, format: src.format },
        window,
        crop,
        filter,
        &mut out.data,
        width,
        height,
    )
}

struct Source<'a> {
    data: &'a [u8],
    width: u32,
    height: u32,
    format: PixelFormat,
}

fn scale_slices(
    src: Source<'_>,
    window: Window,
    crop: Crop,
    filter: Filter,
    out: &mut [u8],
    width: u32,
    height: u32,
) -> Result<(), PixelError> {
    let pixel_type = pixel_type(src.format);
    let align = src.format.bytes_per_sample();
    let realigned;
    let (data, view_width, view_height, window) = if is_aligned(src.data, align) {
        (src.data, src.width, src.height, window)
    } else {
        realigned = aligned_window(&src, window)?;
        (realigned.bytes(), window.width, window.height, Window { x: 0, y: 0, ..window })
    };
    let whole = fr::images::ImageRef::new(view_width, view_height, data, pixel_type).map_err(failed)?;
    let view = fr::images::CroppedImage::new(&whole, window.x, window.y, window.width, window.height)
        .map_err(failed)?;
    let kernel = match filter {
        Filter::Lanczos3 => fr::FilterType::Lanczos3,
        Filter::CatmullRom => fr::FilterType::CatmullRom,
    };
    // The default options premultiply alpha before filtering and divide it out after, which is what
    // fast_image_resize recommends for images with alpha; for the others they are a no-op.
    let options = fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(kernel)).crop(
        crop.x,
        crop.y,
        crop.width,
        crop.height,
    );
    let mut resizer = fr::Resizer::new();
    if is_aligned(out, align) {
        let mut dst = fr::images::Image::from_slice_u8(width, height, out, pixel_type).map_err(failed)?;
        resizer.resize(&view, &mut dst, &options).map_err(failed)?;
    } else {
        let mut scratch = Aligned::zeroed(out.len(), align)?;
        let mut dst = fr::images::Image::from_slice_u8(width, height, scratch.bytes_mut(), pixel_type)
            .map_err(failed)?;
        resizer.resize(&view, &mut dst, &options).map_err(failed)?;
        if let Some(d) = out.get_mut(..scratch.len) {
            d.copy_from_slice(scratch.bytes());
        }
    }
    Ok(())
}

fn pixel_type(format: PixelFormat) -> fr::PixelType {
    match format {
        PixelFormat::L8 => fr::PixelType::U8,
        PixelFormat::La8 => fr::PixelType::U8x2,
        PixelFormat::Rgb8 => fr::PixelType::U8x3,
        PixelFormat::Rgba8 => fr::PixelType::U8x4,
        PixelFormat::L16 => fr::PixelType::U16,
        PixelFormat::La16 => fr::PixelType::U16x2,
        PixelFormat::Rgb16 => fr::PixelType::U16x3,
        PixelFormat::Rgba16 => fr::PixelType::U16x4,
    }
}

/// The resizer only fails on mismatched sizes or types, which `crop_resize` rules out first.
fn failed(e: impl ToString) -> PixelError {
    PixelError::corrupt("resize", e.to_string())
}

fn is_aligned(bytes: &[u8], align: usize) -> bool {
    bytes.as_ptr().align_offset(align) == 0
}

/// A byte buffer whose start is aligned, carved out of a slightly larger `Vec<u8>`.
struct Aligned {
    data: Vec<u8>,
    offset: usize,
    len: usize,
}

impl Aligned {
    fn zeroed(len: usize, align: usize) -> Result<Aligned, PixelError> {
        let total = len.checked_add(align).ok_or(PixelError::OutOfMemory(usize::MAX))?;
        let mut data = Vec::new();
        data.try_reserve_exact(total).map_err(|_| PixelError::OutOfMemory(total))?;
        data.resize(total, 0);
        let offset = data.as_ptr().align_offset(align);
        if offset > align {
            return Err(PixelError::unsupported("resize", "this platform cannot align a byte buffer"));
        }
        Ok(Aligned { data, offset, len })
    }

    fn bytes(&self) -> &[u8] {
        self.data.get(self.offset..self.offset + self.len).unwrap_or(&[])
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        self.data.get_mut(self.offset..self.offset + self.len).unwrap_or(&mut [])
    }
}

/// The window's rows, copied into an aligned buffer of exactly the window's size.
fn aligned_window(src: &Source<'_>, window: Window) -> Result<Aligned, PixelError> {
    let bpp = src.format.bytes_per_pixel();
    let row = window.width as usize * bpp;
    let src_row = src.width as usize * bpp;
    let mut copy = Aligned::zeroed(row * window.height as usize, src.format.bytes_per_sample())?;
    if row == 0 {
        return Ok(copy);
    }
    for (i, dst) in copy.bytes_mut().chunks_exact_mut(row).enumerate() {
        let at = (window.y as usize + i) * src_row + window.x as usize * bpp;
        if let Some(s) = src.data.get(at..at + row) {
            dst.copy_from_slice(s);
        }
    }
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The same 16-bit resize from a 2-aligned and from an odd address, into both kinds of output.
    #[test]
    fn misaligned_16_bit_buffers_give_the_same_result() {
        let (w, h) = (9u32, 7u32);
        let samples: Vec<u8> = (0..w * h * 3).flat_map(|i| ((i * 997) as u16).to_ne_bytes()).collect();
        let mut backing = vec![0u8; samples.len() + 1];
        let odd = usize::from(is_aligned(&backing, 2));
        backing[odd..odd + samples.len()].copy_from_slice(&samples);
        let misaligned = &backing[odd..odd + samples.len()];
        assert!(!is_aligned(misaligned, 2));
        let aligned = Aligned::zeroed(samples.len(), 2).unwrap();
        let mut aligned = aligned;
        aligned.bytes_mut().copy_from_slice(&samples);

        let window = Window { x: 1, y: 1, width: 7, height: 6 };
        let crop = Crop { x: 0.5, y: 0.25, width: 6.0, height: 5.5 };
        let run = |data: &[u8], out: &mut [u8]| {
            let src = Source { data, width: w, height: h, format: PixelFormat::Rgb16 };
            scale_slices(src, window, crop, Filter::Lanczos3, out, 4, 3).unwrap();
        };
        let mut expected = Aligned::zeroed(4 * 3 * 6, 2).unwrap();
        run(aligned.bytes(), expected.bytes_mut());
        let mut out_backing = vec![0u8; 4 * 3 * 6 + 1];
        let odd_out = usize::from(is_aligned(&out_backing, 2));
        let out = &mut out_backing[odd_out..odd_out + 72];
        run(misaligned, out);
        assert_eq!(out, expected.bytes());
        assert!(expected.bytes().iter().any(|&b| b != 0));
    }
}
