/*
 * Copyright (c) 2023.
 *
 * This software is free software;
 *
 * You can redistribute it or modify it under terms of the MIT, Apache License or Zlib license
 */

//! WebAssembly `simd128` IDCT (added for Tessella; not in upstream zune-jpeg 0.5.15).
//!
//! The NEON version's structure on `v128`: both one-dimensional passes are the scalar
//! code's arithmetic on four columns at a time, with an 8×8 transpose between them, so the
//! output is bit-identical to [`super::scalar::idct_int`] (wrapping `i32` arithmetic,
//! arithmetic shifts, saturating pack, then a clamp to 0..=255). The tests below check that.
#![cfg(all(target_arch = "wasm32", target_feature = "simd128"))]

use core::arch::wasm32::*;

const SCALE_BITS: i32 = 512 + 65536 + (128 << 17);

#[inline(always)]
fn load4(src: &[i32]) -> v128 {
    let src = &src[..4];
    // SAFETY: `src` has 4 `i32`s (16 bytes); `v128_load` has no alignment requirement.
    unsafe { v128_load(src.as_ptr().cast()) }
}

#[inline(always)]
fn mulc(v: v128, c: i32) -> v128 {
    i32x4_mul(v, i32x4_splat(c))
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

/// Transposes the 8×8 block held as `left` (each row's columns 0..4) and `right` (columns 4..8):
/// each 4×4 quadrant transposed, the two off-diagonal ones trading places.
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

/// One pass of the scalar code's 1-D IDCT on four columns at once (lane = column; `r[k]` = row `k`).
/// Half a block at a time, and out of line: inlined into one function, the block's 16 vectors and the
/// constants exceed x86's 16 SIMD registers and V8 spilled so much that the IDCT was 2.3× slower than
/// the scalar one; as its own function each pass fits.
#[inline(never)]
fn pass(r: &mut [v128; 8], bias: i32, shift: u32) {
    let p1 = mulc(i32x4_add(r[2], r[6]), 2217);
    let t2 = i32x4_add(p1, mulc(r[6], -7567));
    let t3 = i32x4_add(p1, mulc(r[2], 3135));

    let t0 = i32x4_shl(i32x4_add(r[0], r[4]), 12);
    let t1 = i32x4_shl(i32x4_sub(r[0], r[4]), 12);

    let bias = i32x4_splat(bias);
    let x0 = i32x4_add(i32x4_add(t0, t3), bias);
    let x3 = i32x4_add(i32x4_sub(t0, t3), bias);
    let x1 = i32x4_add(i32x4_add(t1, t2), bias);
    let x2 = i32x4_add(i32x4_sub(t1, t2), bias);

    let p3 = i32x4_add(r[7], r[3]);
    let p4 = i32x4_add(r[5], r[1]);
    let p1 = i32x4_add(r[7], r[1]);
    let p2 = i32x4_add(r[5], r[3]);
    let p5 = mulc(i32x4_add(p3, p4), 4816);

    let t0 = mulc(r[7], 1223);
    let t1 = mulc(r[5], 8410);
    let t2 = mulc(r[3], 12586);
    let t3 = mulc(r[1], 6149);

    let p1 = i32x4_add(p5, mulc(p1, -3685));
    let p2 = i32x4_add(p5, mulc(p2, -10497));
    let p3 = mulc(p3, -8034);
    let p4 = mulc(p4, -1597);

    let t3 = i32x4_add(t3, i32x4_add(p1, p4));
    let t2 = i32x4_add(t2, i32x4_add(p2, p3));
    let t1 = i32x4_add(t1, i32x4_add(p2, p4));
    let t0 = i32x4_add(t0, i32x4_add(p1, p3));

    r[0] = i32x4_shr(i32x4_add(x0, t3), shift);
    r[1] = i32x4_shr(i32x4_add(x1, t2), shift);
    r[2] = i32x4_shr(i32x4_add(x2, t1), shift);
    r[3] = i32x4_shr(i32x4_add(x3, t0), shift);
    r[4] = i32x4_shr(i32x4_sub(x3, t0), shift);
    r[5] = i32x4_shr(i32x4_sub(x2, t1), shift);
    r[6] = i32x4_shr(i32x4_sub(x1, t2), shift);
    r[7] = i32x4_shr(i32x4_sub(x0, t3), shift);
}

/// Writes 8 samples at `pos`, or nowhere when the output is too short (a corrupt image).
#[inline(always)]
fn store(out: &mut [i16], pos: usize, v: v128) {
    if let Some(dst) = out.get_mut(pos..pos + 8) {
        // SAFETY: `dst` has 8 `i16`s (16 bytes); `v128_store` has no alignment requirement.
        unsafe { v128_store(dst.as_mut_ptr().cast(), v) }
    }
}

pub fn idct_simd128(in_vector: &mut [i32; 64], out_vector: &mut [i16], stride: usize) {
    // Coefficients 1..64: the DC term does not count.
    let mut any = load4(&in_vector[1..]);
    for k in 1..16 {
        any = v128_or(any, load4(&in_vector[4 * k..]));
    }
    if !v128_any_true(any) {
        let coeff = (in_vector[0].wrapping_add(4).wrapping_add(1024) >> 3).clamp(0, 255) as i16;
        let v = i16x8_splat(coeff);
        for i in 0..8 {
            store(out_vector, i * stride, v);
        }
        return;
    }

    let mut left = [i32x4_splat(0); 8];
    let mut right = [i32x4_splat(0); 8];
    for k in 0..8 {
        left[k] = load4(&in_vector[8 * k..]);
        right[k] = load4(&in_vector[8 * k + 4..]);
    }
    pass(&mut left, 512, 10);
    pass(&mut right, 512, 10);
    transpose(&mut left, &mut right);
    pass(&mut left, SCALE_BITS, 17);
    pass(&mut right, SCALE_BITS, 17);
    transpose(&mut left, &mut right);

    let zero = i16x8_splat(0);
    let max = i16x8_splat(255);
    for k in 0..8 {
        let packed = i16x8_narrow_i32x4(left[k], right[k]);
        store(out_vector, k * stride, i16x8_min(i16x8_max(packed, zero), max));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idct::scalar::idct_int;

    /// A small deterministic generator, so the test needs no dependency.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn simd128_matches_scalar() {
        let mut state = 0x9E37_79B9_7F4A_7C15;
        for case in 0..20_000 {
            let mut block = [0i32; 64];
            // Sparse blocks like real ones, dense ones, DC-only ones and extreme values.
            let density = [0, 2, 8, 64][case % 4];
            let range = [64, 1024, 32768, i32::MAX as u64][(case / 4) % 4];
            block[0] = ((next(&mut state) % (2 * range)) as i64 - range as i64) as i32;
            for _ in 0..density {
                let at = (next(&mut state) % 64) as usize;
                block[at] = ((next(&mut state) % (2 * range)) as i64 - range as i64) as i32;
            }
            let stride = 8 + (case % 3) * 8;
            let mut a = block;
            let mut b = block;
            let mut out_simd = vec![0i16; stride * 8];
            let mut out_scalar = vec![0i16; stride * 8];
            idct_simd128(&mut a, &mut out_simd, stride);
            idct_int(&mut b, &mut out_scalar, stride);
            assert_eq!(out_simd, out_scalar, "block {block:?}");
        }
    }

    #[test]
    fn short_output_is_left_alone() {
        let mut block = [7i32; 64];
        let mut out = vec![0i16; 20];
        idct_simd128(&mut block, &mut out, 8);
        assert!(out[16..].iter().all(|&v| v == 0));
    }
}
