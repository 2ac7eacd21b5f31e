#[cfg(target_arch = "x86")]
use core::arch::x86::{
    __m128i, __m256i, _mm_loadu_si128, _mm_or_si128, _mm_shuffle_epi8, _mm_storel_epi64,
    _mm_unpacklo_epi32, _mm256_add_epi32, _mm256_castsi256_si128, _mm256_cvtepu8_epi32,
    _mm256_extracti128_si256, _mm256_mullo_epi32, _mm256_set1_epi32, _mm256_setr_epi8,
    _mm256_shuffle_epi8, _mm256_srli_epi32, _mm256_sub_epi32,
};

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::{
    __m128i, __m256i, _mm_loadu_si128, _mm_or_si128, _mm_shuffle_epi8, _mm_storel_epi64,
    _mm_unpacklo_epi32, _mm256_add_epi32, _mm256_castsi256_si128, _mm256_cvtepu8_epi32,
    _mm256_extracti128_si256, _mm256_mullo_epi32, _mm256_set1_epi32, _mm256_setr_epi8,
    _mm256_shuffle_epi8, _mm256_srli_epi32, _mm256_sub_epi32,
};

use alloc::vec::Vec;

use crate::image_buffer::channel_shuffles;
use crate::{ImageBuffer, JpegColorType, rgb_to_ycbcr};

macro_rules! ycbcr_image_avx2 {
    ($name:ident, $num_colors:expr, $o1:expr, $o2:expr, $o3:expr) => {
        pub struct $name<'a>(pub &'a [u8], pub u16, pub u16);

        impl<'a> $name<'a> {
            #[target_feature(enable = "avx2")]
            fn fill_buffers_avx2(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
                // Tessella (vendored copy): each channel of 8 pixels gathered from two 16-byte loads by
                // byte shuffles (`channel_shuffles`), pixel i in lane i; upstream inserted the 24 or 32
                // bytes one at a time (in reverse lane order, undone by reversing each output).
                #[inline]
                #[target_feature(enable = "avx2")]
                fn load8(pixels: &[u8; 8 * $num_colors], offset: usize) -> __m256i {
                    const SHUFFLES: [([u8; 16], [u8; 16]); $num_colors] = channel_shuffles::<$num_colors>();
                    let (from_low, from_high) = &SHUFFLES[offset];
                    // SAFETY: both loads read 16 bytes inside `pixels` (at least 24 long), and the
                    // shuffle controls are 16-byte arrays.
                    unsafe {
                        let low = _mm_loadu_si128(pixels.as_ptr().cast::<__m128i>());
                        let high = _mm_loadu_si128(pixels[8 * $num_colors - 16..].as_ptr().cast::<__m128i>());
                        let low = _mm_shuffle_epi8(low, _mm_loadu_si128(from_low.as_ptr().cast::<__m128i>()));
                        let high = _mm_shuffle_epi8(high, _mm_loadu_si128(from_high.as_ptr().cast::<__m128i>()));
                        _mm256_cvtepu8_epi32(_mm_or_si128(low, high))
                    }
                }

                /// The low byte of each 32-bit lane (every lane holds 0..=255 here), lane i in byte i.
                #[inline]
                #[target_feature(enable = "avx2")]
                fn low_bytes(data: __m256i) -> [u8; 8] {
                    let pick = _mm256_setr_epi8(
                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, //
                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                    );
                    let picked = _mm256_shuffle_epi8(data, pick);
                    let both = _mm_unpacklo_epi32(
                        _mm256_castsi256_si128(picked),
                        _mm256_extracti128_si256::<1>(picked),
                    );
                    let mut out = [0u8; 8];
                    // SAFETY: the store writes the 8 bytes of `out`.
                    unsafe { _mm_storel_epi64(out.as_mut_ptr().cast::<__m128i>(), both) };
                    out
                }

                let [y_buffer, cb_buffer, cr_buffer, _] = buffers;
                y_buffer.reserve(self.width() as usize);
                cb_buffer.reserve(self.width() as usize);
                cr_buffer.reserve(self.width() as usize);

                let ymulr = _mm256_set1_epi32(19595);
                let ymulg = _mm256_set1_epi32(38470);
                let ymulb = _mm256_set1_epi32(7471);

                let cbmulr = _mm256_set1_epi32(-11059);
                let cbmulg = _mm256_set1_epi32(21709);
                let cbmulb = _mm256_set1_epi32(32768);

                let crmulr = _mm256_set1_epi32(32768);
                let crmulg = _mm256_set1_epi32(27439);
                let crmulb = _mm256_set1_epi32(5329);

                let mut data = &self.0[(y as usize * self.1 as usize * $num_colors)..];

                for _ in 0..self.width() / 8 {
                    let pixels: &[u8; 8 * $num_colors] =
                        data[..8 * $num_colors].try_into().expect("8 pixels");
                    let r = load8(pixels, $o1);
                    let g = load8(pixels, $o2);
                    let b = load8(pixels, $o3);

                    data = &data[($num_colors * 8)..];

                    let yr = _mm256_mullo_epi32(ymulr, r);
                    let yg = _mm256_mullo_epi32(ymulg, g);
                    let yb = _mm256_mullo_epi32(ymulb, b);

                    let y = _mm256_add_epi32(_mm256_add_epi32(yr, yg), yb);
                    let y = _mm256_add_epi32(y, _mm256_set1_epi32(0x7FFF));
                    let y = _mm256_srli_epi32(y, 16);
                    let y: [u8; 8] = low_bytes(y);
                    y_buffer.extend_from_slice(&y);

                    let cbr = _mm256_mullo_epi32(cbmulr, r);
                    let cbg = _mm256_mullo_epi32(cbmulg, g);
                    let cbb = _mm256_mullo_epi32(cbmulb, b);

                    let cb = _mm256_add_epi32(_mm256_sub_epi32(cbr, cbg), cbb);
                    let cb = _mm256_add_epi32(cb, _mm256_set1_epi32(128 << 16));
                    let cb = _mm256_add_epi32(cb, _mm256_set1_epi32(0x7FFF));
                    let cb = _mm256_srli_epi32(cb, 16);
                    let cb: [u8; 8] = low_bytes(cb);
                    cb_buffer.extend_from_slice(&cb);

                    let crr = _mm256_mullo_epi32(crmulr, r);
                    let crg = _mm256_mullo_epi32(crmulg, g);
                    let crb = _mm256_mullo_epi32(crmulb, b);

                    let cr = _mm256_sub_epi32(_mm256_sub_epi32(crr, crg), crb);
                    let cr = _mm256_add_epi32(cr, _mm256_set1_epi32(128 << 16));
                    let cr = _mm256_add_epi32(cr, _mm256_set1_epi32(0x7FFF));
                    let cr = _mm256_srli_epi32(cr, 16);
                    let cr: [u8; 8] = low_bytes(cr);
                    cr_buffer.extend_from_slice(&cr);
                }

                for _ in 0..self.width() % 8 {
                    let (y, cb, cr) = rgb_to_ycbcr(data[$o1], data[$o2], data[$o3]);
                    data = &data[$num_colors..];

                    y_buffer.push(y);
                    cb_buffer.push(cb);
                    cr_buffer.push(cr);
                }
            }
        }

        impl<'a> ImageBuffer for $name<'a> {
            fn get_jpeg_color_type(&self) -> JpegColorType {
                JpegColorType::Ycbcr
            }

            fn width(&self) -> u16 {
                self.1
            }

            fn height(&self) -> u16 {
                self.2
            }

            #[inline(always)]
            fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
                unsafe {
                    self.fill_buffers_avx2(y, buffers);
                }
            }
        }
    };
}

ycbcr_image_avx2!(RgbImageAVX2, 3, 0, 1, 2);
ycbcr_image_avx2!(RgbaImageAVX2, 4, 0, 1, 2);
ycbcr_image_avx2!(BgrImageAVX2, 3, 2, 1, 0);
ycbcr_image_avx2!(BgraImageAVX2, 4, 2, 1, 0);

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    // A very basic linear congruential generator (LCG) to avoid external dependencies.
    pub struct SimpleRng {
        state: u64,
    }

    impl SimpleRng {
        /// Create a new RNG with a given seed.
        pub fn new(seed: u64) -> Self {
            Self { state: seed }
        }

        /// Generate the next random u64 value.
        pub fn next_u64(&mut self) -> u64 {
            // Constants from Numerical Recipes
            self.state = self.state.wrapping_mul(6364136223846793005).wrapping_add(1);
            self.state
        }

        /// Generate a random byte in 0..=255
        pub fn next_byte(&mut self) -> u8 {
            (self.next_u64() & 0xFF) as u8
        }

        /// Fill a Vec<u8> with random bytes of the given length.
        pub fn random_bytes(&mut self, len: usize) -> Vec<u8> {
            (0..len).map(|_| self.next_byte()).collect()
        }
    }

    #[test]
    #[cfg(feature = "simd")]
    fn avx_matches_scalar_rgb() {
        // Do not run AVX2 test on machines without it
        if !std::is_x86_feature_detected!("avx2") {
            return;
        }
        let mut rng = SimpleRng::new(42);
        let width = 512 + 3; // power of two plus a bit to stress remainder handling
        let height = 1;
        let bpp = 3;

        let input = rng.random_bytes(width * height * bpp); // power of two plus a bit to exercise remainder handling

        let scalar_result: Vec<[u8; 3]> = input
            .chunks_exact(bpp)
            .map(|chunk| {
                let [r, g, b, ..] = chunk else { unreachable!() };
                let (y, cb, cr) = rgb_to_ycbcr(*r, *g, *b);
                [y, cb, cr]
            })
            .collect();

        let mut buffers = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let avx_input = RgbImageAVX2(
            &input,
            width.try_into().unwrap(),
            height.try_into().unwrap(),
        );
        // SAFETY: we've checked above that AVX2 is present
        unsafe {
            avx_input.fill_buffers_avx2(0, &mut buffers);
        }

        for i in 0..3 {
            assert_eq!(buffers[i].len(), input.len() / 3);
        }

        for (i, pixel) in scalar_result.iter().copied().enumerate() {
            let avx_pixel: [u8; 3] = [buffers[0][i], buffers[1][i], buffers[2][i]];
            if pixel != avx_pixel {
                panic!(
                    "Mismatch at index {i}: scalar result is {pixel:?}, avx result is {avx_pixel:?}"
                );
            }
        }
    }
    // Tessella (vendored copy): the shuffled loads and packed stores, for every pixel layout, over
    // several rows (the last group of 8 ends exactly at the row's end) and widths with a remainder.
    #[test]
    #[cfg(feature = "simd")]
    fn avx_matches_scalar_every_layout() {
        if !std::is_x86_feature_detected!("avx2") {
            return;
        }
        let mut rng = SimpleRng::new(7);
        for width in [8usize, 16, 23, 64, 515] {
            let height = 3;
            for (bpp, [o1, o2, o3]) in [(3, [0, 1, 2]), (4, [0, 1, 2]), (3, [2, 1, 0]), (4, [2, 1, 0])] {
                let input = rng.random_bytes(width * height * bpp);
                let (w, h) = (width as u16, height as u16);
                for y in 0..h {
                    let mut buffers = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
                    // SAFETY: AVX2 is present (checked above).
                    unsafe {
                        match (bpp, o1) {
                            (3, 0) => RgbImageAVX2(&input, w, h).fill_buffers_avx2(y, &mut buffers),
                            (4, 0) => RgbaImageAVX2(&input, w, h).fill_buffers_avx2(y, &mut buffers),
                            (3, _) => BgrImageAVX2(&input, w, h).fill_buffers_avx2(y, &mut buffers),
                            _ => BgraImageAVX2(&input, w, h).fill_buffers_avx2(y, &mut buffers),
                        }
                    }
                    let row = &input[y as usize * width * bpp..][..width * bpp];
                    for (x, pixel) in row.chunks_exact(bpp).enumerate() {
                        let expected = rgb_to_ycbcr(pixel[o1], pixel[o2], pixel[o3]);
                        let got = (buffers[0][x], buffers[1][x], buffers[2][x]);
                        assert_eq!(got, expected, "width {width}, {bpp} bytes, offsets {o1}{o2}{o3}, ({x}, {y})");
                    }
                    assert_eq!(buffers[0].len(), width);
                }
            }
        }
    }
}

