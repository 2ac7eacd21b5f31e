//! Quality (§4.4 of the Image API) and bit depth. Each consumes the image and rewrites it in place:
//! the result is never larger, so nothing is allocated and nothing can fail.

use super::samples::{Sample, U8, U16, remap_in_place, without_alpha};
use crate::pixels::{Image, PixelFormat};

/// ITU-R BT.709 luma weights in 1/32768ths (0.2126, 0.7152, 0.0722), summing to exactly 32768 so white
/// stays white. BT.709 because its primaries are sRGB's, which is what decoded images are; like every
/// image server (and JPEG's own YCbCr) the weights apply to the gamma-encoded values, i.e. this is
/// luma, not linear luminance.
const LUMA: [u32; 3] = [6966, 23436, 2366];

fn luma(r: u32, g: u32, b: u32) -> u32 {
    (LUMA[0] * r + LUMA[1] * g + LUMA[2] * b + (1 << 14)) >> 15
}

/// `gray` quality: colour becomes BT.709 luma (see [`LUMA`]); alpha is kept, depth is kept, gray
/// images are returned unchanged.
pub fn to_gray(mut img: Image) -> Image {
    let (to, sixteen) = match img.format {
        PixelFormat::Rgb8 => (PixelFormat::L8, false),
        PixelFormat::Rgba8 => (PixelFormat::La8, false),
        PixelFormat::Rgb16 => (PixelFormat::L16, true),
        PixelFormat::Rgba16 => (PixelFormat::La16, true),
        _ => return img,
    };
    let alpha = to.has_alpha();
    if sixteen {
        remap_in_place(&mut img, to, |src, dst| gray_pixel::<U16>(src, dst, alpha));
    } else {
        remap_in_place(&mut img, to, |src, dst| gray_pixel::<U8>(src, dst, alpha));
    }
    img
}

fn gray_pixel<S: Sample>(src: &[u8], dst: &mut [u8], alpha: bool) {
    let y = luma(S::load(src, 0), S::load(src, 1), S::load(src, 2));
    S::store(dst, 0, y);
    if alpha {
        S::store(dst, 1, S::load(src, 3));
    }
}

/// `bitonal` quality: an `L8` image of only 0 and 255. Transparent areas are first composited over
/// white (bitonal has no alpha), then luma is thresholded at a fixed 128. A fixed threshold rather than
/// Otsu's because a viewer assembles an image from tiles processed separately: a threshold computed
/// per tile would differ from tile to tile and show seams.
pub fn to_bitonal(img: Image) -> Image {
    let mut img = to_gray(to_8bit(flatten_alpha(img, 255)));
    for v in &mut img.data {
        *v = if *v >= 128 { 255 } else { 0 };
    }
    img
}

/// 16-bit samples become 8-bit with rounding, `(v * 255 + 32767) / 65535`; 8-bit images are unchanged.
pub fn to_8bit(mut img: Image) -> Image {
    let to = match img.format {
        PixelFormat::L16 => PixelFormat::L8,
        PixelFormat::La16 => PixelFormat::La8,
        PixelFormat::Rgb16 => PixelFormat::Rgb8,
        PixelFormat::Rgba16 => PixelFormat::Rgba8,
        _ => return img,
    };
    let channels = usize::from(to.channels());
    remap_in_place(&mut img, to, |src, dst| {
        for c in 0..channels {
            U8::store(dst, c, (U16::load(src, c) * 255 + 32767) / 65535);
        }
    });
    img
}

/// Removes the alpha channel by compositing over an opaque gray `matte` (255 for white, what JPEG
/// output uses), in the image's own (gamma-encoded) space as browsers composite. Images without alpha
/// are unchanged.
pub fn flatten_alpha(mut img: Image, matte: u8) -> Image {
    if !img.format.has_alpha() {
        return img;
    }
    let to = without_alpha(img.format);
    let colours = usize::from(to.channels());
    if img.format.bytes_per_sample() == 2 {
        remap_in_place(&mut img, to, |src, dst| {
            flatten_pixel::<U16>(src, dst, colours, u32::from(matte) * 257)
        });
    } else {
        remap_in_place(&mut img, to, |src, dst| flatten_pixel::<U8>(src, dst, colours, u32::from(matte)));
    }
    img
}

fn flatten_pixel<S: Sample>(src: &[u8], dst: &mut [u8], colours: usize, matte: u32) {
    let max = u64::from(S::MAX);
    let a = u64::from(S::load(src, colours));
    let under = u64::from(matte) * (max - a);
    for c in 0..colours {
        let v = (u64::from(S::load(src, c)) * a + under + max / 2) / max;
        S::store(dst, c, v as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn img(format: PixelFormat, width: u32, data: Vec<u8>) -> Image {
        let height = (data.len() / format.bytes_per_pixel()) as u32 / width;
        Image::from_raw(width, height, format, data).unwrap()
    }

    fn words(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|w| w.to_ne_bytes()).collect()
    }

    #[test]
    fn gray_is_bt709_luma() {
        let g = to_gray(img(
            PixelFormat::Rgb8,
            5,
            vec![255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30],
        ));
        assert_eq!(g.format, PixelFormat::L8);
        // 0.2126·255 = 54.2, 0.7152·255 = 182.4, 0.0722·255 = 18.4, 0.2126·10+0.7152·20+0.0722·30 = 18.6
        assert_eq!(g.data, vec![54, 182, 18, 255, 19]);
        assert_eq!((g.width, g.height), (5, 1));
    }

    #[test]
    fn gray_keeps_alpha_and_depth() {
        let g = to_gray(img(PixelFormat::Rgba8, 1, vec![0, 255, 0, 77]));
        assert_eq!((g.format, g.data), (PixelFormat::La8, vec![182, 77]));
        let g = to_gray(img(PixelFormat::Rgba16, 2, words(&[65535, 65535, 65535, 1234, 0, 65535, 0, 9])));
        assert_eq!(g.format, PixelFormat::La16);
        assert_eq!(g.data, words(&[65535, 1234, 46871, 9]));
        let l = img(PixelFormat::La8, 1, vec![3, 4]);
        assert_eq!(to_gray(l.clone()), l);
    }

    #[test]
    fn bitonal_thresholds_luma_at_128_over_white() {
        let b =
            to_bitonal(img(PixelFormat::Rgb8, 4, vec![128, 128, 128, 127, 127, 127, 255, 0, 0, 0, 255, 0]));
        assert_eq!((b.format, b.data), (PixelFormat::L8, vec![255, 0, 0, 255]));
        // Transparent black is white once flattened; opaque black stays black.
        let b = to_bitonal(img(PixelFormat::Rgba16, 2, words(&[0, 0, 0, 0, 0, 0, 0, 65535])));
        assert_eq!((b.format, b.data), (PixelFormat::L8, vec![255, 0]));
    }

    #[test]
    fn eight_bit_rounds() {
        let e = to_8bit(img(PixelFormat::L16, 7, words(&[0, 128, 129, 32767, 32896, 65407, 65535])));
        assert_eq!(e.format, PixelFormat::L8);
        // v·255/65535 rounded: 128 → 0.498, 129 → 0.502, 32767 → 127.498, 32896 → 128.0, 65407 → 254.5
        assert_eq!(e.data, vec![0, 0, 1, 127, 128, 255, 255]);
        let e = to_8bit(img(PixelFormat::Rgba16, 1, words(&[257, 514, 65535, 0])));
        assert_eq!((e.format, e.data), (PixelFormat::Rgba8, vec![1, 2, 255, 0]));
        let same = img(PixelFormat::Rgb8, 1, vec![1, 2, 3]);
        assert_eq!(to_8bit(same.clone()), same);
    }

    #[test]
    fn flatten_composites_over_the_matte() {
        let f =
            flatten_alpha(img(PixelFormat::Rgba8, 3, vec![0, 0, 0, 0, 0, 0, 0, 255, 0, 100, 200, 128]), 255);
        assert_eq!(f.format, PixelFormat::Rgb8);
        // 0·128/255 + 255·127/255 = 127, 100·128/255 + 127 = 177.2, 200·128/255 + 127 = 227.4
        assert_eq!(f.data, vec![255, 255, 255, 0, 0, 0, 127, 177, 227]);
        let f = flatten_alpha(img(PixelFormat::La16, 1, words(&[0, 32768])), 255);
        assert_eq!((f.format, f.data), (PixelFormat::L16, words(&[32767])));
        let f = flatten_alpha(img(PixelFormat::La8, 1, vec![10, 0]), 0);
        assert_eq!(f.data, vec![0]);
    }

    #[test]
    fn short_buffers_do_not_panic() {
        let broken = Image { width: 10, height: 10, format: PixelFormat::Rgba16, data: vec![1; 13] };
        let g = to_bitonal(broken);
        assert_eq!(g.data.len(), 1);
    }
}
