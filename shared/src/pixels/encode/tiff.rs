//! Baseline TIFF with the `tiff` crate: one strip-organised image, LZW with the horizontal predictor.
//! LZW because every TIFF reader has it (Deflate is an extension some still lack); the predictor
//! because it turns smooth areas into runs of small differences, which LZW codes well. 8 and 16 bits
//! are kept; alpha is written as an unassociated (not premultiplied) extra sample.

use alloc::string::ToString;
use alloc::vec::Vec;
use std::io::Cursor;

use tiff::encoder::colortype::{ColorType, Gray8, Gray16, RGB8, RGB16};
use tiff::encoder::{Compression, Predictor, TiffEncoder, TiffValue};
use tiff::tags::ExtraSamples;

use crate::pixels::{Image, PixelError, PixelFormat};

pub(super) fn encode(img: &Image) -> Result<Vec<u8>, PixelError> {
    let mut out = Cursor::new(Vec::new());
    match img.format {
        PixelFormat::L8 | PixelFormat::La8 => write::<Gray8>(&mut out, img, &img.data)?,
        PixelFormat::Rgb8 | PixelFormat::Rgba8 => write::<RGB8>(&mut out, img, &img.data)?,
        PixelFormat::L16 | PixelFormat::La16 => write::<Gray16>(&mut out, img, &words(img)?)?,
        PixelFormat::Rgb16 | PixelFormat::Rgba16 => write::<RGB16>(&mut out, img, &words(img)?)?,
    }
    Ok(out.into_inner())
}

fn write<C: ColorType>(out: &mut Cursor<Vec<u8>>, img: &Image, samples: &[C::Inner]) -> Result<(), PixelError>
where
    [C::Inner]: TiffValue,
{
    let failed = |e: tiff::TiffError| PixelError::corrupt("tiff", e.to_string());
    // The crate's predictor steps by the colour type's samples and does not count extra samples, so
    // with alpha it would difference the wrong samples: images with alpha go unpredicted.
    let predictor = if img.format.has_alpha() { Predictor::None } else { Predictor::Horizontal };
    let mut encoder =
        TiffEncoder::new(out).map_err(failed)?.with_compression(Compression::Lzw).with_predictor(predictor);
    let mut image = encoder.new_image::<C>(img.width, img.height).map_err(failed)?;
    if img.format.has_alpha() {
        image.extra_samples(&[ExtraSamples::UnassociatedAlpha]).map_err(failed)?;
    }
    image.write_data(samples).map_err(failed)
}

/// 16-bit samples as `u16`s, which the crate writes in the file's byte order.
fn words(img: &Image) -> Result<Vec<u16>, PixelError> {
    let n = img.data.len() / 2;
    let mut words = Vec::new();
    words.try_reserve_exact(n).map_err(|_| PixelError::OutOfMemory(n * 2))?;
    words.extend(img.data.chunks_exact(2).map(|b| u16::from_ne_bytes([b[0], b[1]])));
    Ok(words)
}
