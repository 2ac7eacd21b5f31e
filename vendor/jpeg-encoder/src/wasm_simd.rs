//! WebAssembly `simd128` forward DCT and RGB to YCbCr conversion (added for Tessella; not in upstream
//! jpeg-encoder 0.7.1).
//!
//! The scalar `fdct` (libjpeg's islow) on four rows or columns at a time: the block is widened to
//! `i32` and transposed so that each lane holds one row for the first pass, transposed back for the
//! second, and truncated to `i16` as the scalar code's `as i16` does, so the output is bit-identical
//! (checked against `fdct::fdct` in the tests below). Each pass is its own function: inlined, the
//! block's 16 vectors and the constants overflow x86's 16 SIMD registers and V8 and Cranelift spill
//! most of them (measured on zune-jpeg's IDCT, written the same way).
#![cfg(all(target_arch = "wasm32", target_feature = "simd128"))]

use core::arch::wasm32::*;

use alloc::vec::Vec;

use crate::encoder::{AlignedBlock, Operations};
use crate::image_buffer::channel_shuffles;
use crate::{ImageBuffer, JpegColorType, rgb_to_ycbcr};

const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;

const FIX_0_298631336: i32 = 2446;
const FIX_0_390180644: i32 = 3196;
const FIX_0_541196100: i32 = 4433;
const FIX_0_765366865: i32 = 6270;
const FIX_0_899976223: i32 = 7373;
const FIX_1_175875602: i32 = 9633;
const FIX_1_501321110: i32 = 12299;
const FIX_1_847759065: i32 = 15137;
const FIX_1_961570560: i32 = 16069;
const FIX_2_053119869: i32 = 16819;
const FIX_2_562915447: i32 = 20995;
const FIX_3_072711026: i32 = 25172;

pub(crate) struct WasmSimdOperations;

impl Operations for WasmSimdOperations {
    #[inline(always)]
    fn fdct(data: &mut AlignedBlock) {
        fdct_simd128(data);
    }
}

#[inline(always)]
fn mulc(v: v128, c: i32) -> v128 {
    i32x4_mul(v, i32x4_splat(c))
}

/// `(x + 2^(n-1)) >> n`, the scalar code's `descale`.
#[inline(always)]
fn descale(x: v128, n: u32) -> v128 {
    i32x4_shr(i32x4_add(x, i32x4_splat(1 << (n - 1))), n)
}

#[inline(always)]
fn transpose4(v: &mut [v128]) {
    let t0 = i32x4_shuffle::<0, 4, 1, 5>(v[0], v[1]);
    let t1 = i32x4_shuffle::<2, 6, 3, 7>(v[0], v[1]);
    let t2 = i32x4_shuffle::<0, 4, 1, 5>(v[2], v[3]);
    let t3 = i32x4_shuffle::<2, 6, 3, 7>(v[2], v[3]);
    v[0] = i32x4_shuffle::<0, 1, 4, 5>(t0, t2);
    v[1] = i32x4_shuffle::<2, 3, 6, 7>(t0, t2);
    v[2] = i32x4_shuffle::<0, 1, 4, 5>(t1, t3);
    v[3] = i32x4_shuffle::<2, 3, 6, 7>(t1, t3);
}

/// Transposes the 8×8 block held as `left` (each row's columns 0..4) and `right` (columns 4..8).
#[inline(always)]
fn transpose(left: &mut [v128; 8], right: &mut [v128; 8]) {
    transpose4(&mut left[..4]);
    transpose4(&mut left[4..]);
    transpose4(&mut right[..4]);
    transpose4(&mut right[4..]);
    for i in 0..4 {
        core::mem::swap(&mut left[4 + i], &mut right[i]);
    }
}

/// One 1-D pass of the scalar code on four lines at once: `r[k]` holds element `k` of four lines and
/// becomes their coefficient `k`. `FIRST`: the row pass (scaled up by `PASS1_BITS`), else the column pass.
#[inline(never)]
fn pass<const FIRST: bool>(r: &mut [v128; 8]) {
    let tmp0 = i32x4_add(r[0], r[7]);
    let tmp7 = i32x4_sub(r[0], r[7]);
    let tmp1 = i32x4_add(r[1], r[6]);
    let tmp6 = i32x4_sub(r[1], r[6]);
    let tmp2 = i32x4_add(r[2], r[5]);
    let tmp5 = i32x4_sub(r[2], r[5]);
    let tmp3 = i32x4_add(r[3], r[4]);
    let tmp4 = i32x4_sub(r[3], r[4]);

    let tmp10 = i32x4_add(tmp0, tmp3);
    let tmp13 = i32x4_sub(tmp0, tmp3);
    let tmp11 = i32x4_add(tmp1, tmp2);
    let tmp12 = i32x4_sub(tmp1, tmp2);

    let shift = if FIRST { CONST_BITS - PASS1_BITS } else { CONST_BITS + PASS1_BITS };
    if FIRST {
        r[0] = i32x4_shl(i32x4_add(tmp10, tmp11), PASS1_BITS);
        r[4] = i32x4_shl(i32x4_sub(tmp10, tmp11), PASS1_BITS);
    } else {
        r[0] = descale(i32x4_add(tmp10, tmp11), PASS1_BITS);
        r[4] = descale(i32x4_sub(tmp10, tmp11), PASS1_BITS);
    }
    let z1 = mulc(i32x4_add(tmp12, tmp13), FIX_0_541196100);
    r[2] = descale(i32x4_add(z1, mulc(tmp13, FIX_0_765366865)), shift);
    r[6] = descale(i32x4_add(z1, mulc(tmp12, -FIX_1_847759065)), shift);

    let z1 = i32x4_add(tmp4, tmp7);
    let z2 = i32x4_add(tmp5, tmp6);
    let z3 = i32x4_add(tmp4, tmp6);
    let z4 = i32x4_add(tmp5, tmp7);
    let z5 = mulc(i32x4_add(z3, z4), FIX_1_175875602);

    let tmp4 = mulc(tmp4, FIX_0_298631336);
    let tmp5 = mulc(tmp5, FIX_2_053119869);
    let tmp6 = mulc(tmp6, FIX_3_072711026);
    let tmp7 = mulc(tmp7, FIX_1_501321110);
    let z1 = mulc(z1, -FIX_0_899976223);
    let z2 = mulc(z2, -FIX_2_562915447);
    let z3 = i32x4_add(mulc(z3, -FIX_1_961570560), z5);
    let z4 = i32x4_add(mulc(z4, -FIX_0_390180644), z5);

    r[7] = descale(i32x4_add(i32x4_add(tmp4, z1), z3), shift);
    r[5] = descale(i32x4_add(i32x4_add(tmp5, z2), z4), shift);
    r[3] = descale(i32x4_add(i32x4_add(tmp6, z2), z3), shift);
    r[1] = descale(i32x4_add(i32x4_add(tmp7, z1), z4), shift);
}

pub(crate) fn fdct_simd128(block: &mut AlignedBlock) {
    let data = &mut block.data;
    let mut left = [i32x4_splat(0); 8];
    let mut right = [i32x4_splat(0); 8];
    for (k, row) in data.chunks_exact(8).enumerate() {
        // SAFETY: `row` has 8 `i16`s (16 bytes); `v128_load` has no alignment requirement.
        let v = unsafe { v128_load(row.as_ptr().cast()) };
        left[k] = i32x4_extend_low_i16x8(v);
        right[k] = i32x4_extend_high_i16x8(v);
    }
    // Lanes = rows for the row pass.
    transpose(&mut left, &mut right);
    pass::<true>(&mut left);
    pass::<true>(&mut right);
    // Lanes = columns for the column pass.
    transpose(&mut left, &mut right);
    pass::<false>(&mut left);
    pass::<false>(&mut right);
    for (k, row) in data.chunks_exact_mut(8).enumerate() {
        // The low 16 bits of each lane: the scalar code's `as i16`.
        let v = i8x16_shuffle::<0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29>(left[k], right[k]);
        // SAFETY: `row` has 8 `i16`s (16 bytes); `v128_store` has no alignment requirement.
        unsafe { v128_store(row.as_mut_ptr().cast(), v) };
    }
}

/// One channel of 8 `N`-byte pixels (at byte `offset` of each), widened to two `i32x4`: pixels 0..4, 4..8.
#[inline(always)]
fn load8<const N: usize>(pixels: &[u8], offset: usize, shuffles: &[([u8; 16], [u8; 16]); N]) -> (v128, v128) {
    let (from_low, from_high) = &shuffles[offset];
    let low: &[u8; 16] = pixels[..16].try_into().expect("16 bytes");
    let high: &[u8; 16] = pixels[8 * N - 16..8 * N].try_into().expect("16 bytes");
    // SAFETY: each load reads one of the 16-byte arrays above.
    let (low, high, from_low, from_high) = unsafe {
        (
            v128_load(low.as_ptr().cast::<v128>()),
            v128_load(high.as_ptr().cast::<v128>()),
            v128_load(from_low.as_ptr().cast::<v128>()),
            v128_load(from_high.as_ptr().cast::<v128>()),
        )
    };
    // Swizzle indices of 16 and up (the 0x80 of the controls) give 0.
    let bytes = v128_or(u8x16_swizzle(low, from_low), u8x16_swizzle(high, from_high));
    let wide = u16x8_extend_low_u8x16(bytes);
    (u32x4_extend_low_u16x8(wide), u32x4_extend_high_u16x8(wide))
}

/// `(a·r + b·g + c·b + bias + 0x7FFF) >> 16` on four pixels, as `rgb_to_ycbcr` computes each.
#[inline(always)]
fn weigh(rgb: [v128; 3], weights: [i32; 3], bias: i32) -> v128 {
    let sum = i32x4_add(
        i32x4_add(mulc(rgb[0], weights[0]), mulc(rgb[1], weights[1])),
        i32x4_add(mulc(rgb[2], weights[2]), i32x4_splat(bias + 0x7FFF)),
    );
    u32x4_shr(sum, 16)
}

/// Eight results of 0..=255, pixels 0..4 in `low`, 4..8 in `high`, as bytes.
#[inline(always)]
fn narrow8(low: v128, high: v128) -> [u8; 8] {
    let bytes = u8x16_narrow_i16x8(i16x8_narrow_i32x4(low, high), i16x8_splat(0));
    (i64x2_extract_lane::<0>(bytes) as u64).to_le_bytes()
}

/// RGB(A)/BGR(A) to YCbCr eight pixels at a time with `simd128` (added for Tessella), the arithmetic
/// of `rgb_to_ycbcr` on `i32` lanes, so bit-identical to it; the scalar images convert pixel by pixel.
macro_rules! ycbcr_image_simd128 {
    ($name:ident, $num_colors:expr, $o1:expr, $o2:expr, $o3:expr) => {
        pub(crate) struct $name<'a>(pub &'a [u8], pub u16, pub u16);

        impl ImageBuffer for $name<'_> {
            fn get_jpeg_color_type(&self) -> JpegColorType {
                JpegColorType::Ycbcr
            }

            fn width(&self) -> u16 {
                self.1
            }

            fn height(&self) -> u16 {
                self.2
            }

            fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
                const N: usize = $num_colors;
                const SHUFFLES: [([u8; 16], [u8; 16]); N] = channel_shuffles::<N>();
                let [y_buffer, cb_buffer, cr_buffer, _] = buffers;
                let width = usize::from(self.1);
                let row = &self.0[usize::from(y) * width * N..][..width * N];
                let mut groups = row.chunks_exact(8 * N);
                for pixels in &mut groups {
                    let (r0, r1) = load8::<N>(pixels, $o1, &SHUFFLES);
                    let (g0, g1) = load8::<N>(pixels, $o2, &SHUFFLES);
                    let (b0, b1) = load8::<N>(pixels, $o3, &SHUFFLES);
                    let (low, high) = ([r0, g0, b0], [r1, g1, b1]);
                    let luma = [19595, 38470, 7471];
                    let blue = [-11059, -21709, 32768];
                    let red = [32768, -27439, -5329];
                    y_buffer.extend_from_slice(&narrow8(weigh(low, luma, 0), weigh(high, luma, 0)));
                    cb_buffer.extend_from_slice(&narrow8(weigh(low, blue, 128 << 16), weigh(high, blue, 128 << 16)));
                    cr_buffer.extend_from_slice(&narrow8(weigh(low, red, 128 << 16), weigh(high, red, 128 << 16)));
                }
                for pixel in groups.remainder().chunks_exact(N) {
                    let (y, cb, cr) = rgb_to_ycbcr(pixel[$o1], pixel[$o2], pixel[$o3]);
                    y_buffer.push(y);
                    cb_buffer.push(cb);
                    cr_buffer.push(cr);
                }
            }
        }
    };
}

ycbcr_image_simd128!(RgbImageSimd128, 3, 0, 1, 2);
ycbcr_image_simd128!(RgbaImageSimd128, 4, 0, 1, 2);
ycbcr_image_simd128!(BgrImageSimd128, 3, 2, 1, 0);
ycbcr_image_simd128!(BgraImageSimd128, 4, 2, 1, 0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdct::fdct;

    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn simd128_matches_scalar() {
        let mut state = 0x2545_F491_4F6C_DD1D;
        for case in 0..20_000 {
            // Level-shifted 8-bit samples as the encoder feeds them, flat and noisy blocks, and a wider
            // range (10-bit) that still keeps the scalar code's i32 arithmetic from overflowing.
            let range: i64 = [256, 256, 1024][case % 3];
            let flat = case % 5 == 0;
            let base = (next(&mut state) % range as u64) as i64 - range / 2;
            let mut input = [0i16; 64];
            for v in input.iter_mut() {
                *v = if flat { base as i16 } else { ((next(&mut state) % range as u64) as i64 - range / 2) as i16 };
            }
            let mut a = AlignedBlock::new(input);
            let mut b = AlignedBlock::new(input);
            fdct_simd128(&mut a);
            fdct(&mut b);
            assert_eq!(a.data, b.data, "input {input:?}");
        }
    }
    // Tessella: the simd128 colour conversion equals `rgb_to_ycbcr` for every pixel layout, over rows
    // whose last group of 8 ends at the row's end and widths with a remainder.
    #[test]
    fn simd128_colour_conversion_matches_scalar() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for width in [1usize, 8, 16, 23, 64, 515] {
            let height = 3;
            for (bpp, [o1, o2, o3]) in [(3, [0, 1, 2]), (4, [0, 1, 2]), (3, [2, 1, 0]), (4, [2, 1, 0])] {
                let input: Vec<u8> = (0..width * height * bpp).map(|_| next(&mut state) as u8).collect();
                let (w, h) = (width as u16, height as u16);
                for y in 0..h {
                    let mut buffers = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
                    match (bpp, o1) {
                        (3, 0) => RgbImageSimd128(&input, w, h).fill_buffers(y, &mut buffers),
                        (4, 0) => RgbaImageSimd128(&input, w, h).fill_buffers(y, &mut buffers),
                        (3, _) => BgrImageSimd128(&input, w, h).fill_buffers(y, &mut buffers),
                        _ => BgraImageSimd128(&input, w, h).fill_buffers(y, &mut buffers),
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

