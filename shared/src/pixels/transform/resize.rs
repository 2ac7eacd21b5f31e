//! Region and size (§4.1–4.2 of the Image API): cut the plan's fractional rectangle out of the decoded
//! mosaic and scale it to the output size.

use alloc::format;

use super::samples::validate;
use crate::pixels::{Budget, Image, PixelError, PixelFormat};
use crate::plan::Crop;

/// How far (in source pixels) a crop may overhang the source and still be taken as touching its edge:
/// the plan computes crops as products of floats, which land a hair past whole numbers.
const EDGE_SLACK: f64 = 1e-6;

/// Below this a coordinate counts as whole, as `math` rounds plan coordinates.
const WHOLE: f64 = 1e-9;

/// The resampling kernel, chosen per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filter {
    /// For reductions: the sharpest common kernel that still suppresses aliasing.
    Lanczos3,
    /// For enlargements, where Lanczos' wider lobes only add ringing around edges and cost time.
    CatmullRom,
}

impl Filter {
    /// The kernel's radius in output-scale pixels; reductions widen it by the scale factor.
    fn support(self) -> f64 {
        match self {
            Filter::Lanczos3 => 3.0,
            Filter::CatmullRom => 2.0,
        }
    }
}

/// An integer rectangle of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// Cuts `crop` (fractional source pixels) out of `src` and scales it to `width`×`height`: Lanczos3 when
/// either axis shrinks, Catmull-Rom when both grow, and a plain copy when the crop is whole pixels of the
/// output's size. Alpha is premultiplied for the filter and divided out after it, so transparent pixels
/// do not bleed their (meaningless) colour into their neighbours. Pixels around the crop, when the
/// source has them, feed the filter, so a tile's edges match its neighbours'.
///
/// The output and every scratch buffer are checked against `budget` before anything is allocated.
/// Errors: a zero-size output, a crop that is empty, not finite or outside the source.
pub fn crop_resize(
    src: &Image,
    crop: Crop,
    width: u32,
    height: u32,
    budget: &Budget,
) -> Result<Image, PixelError> {
    validate(src)?;
    if width == 0 || height == 0 {
        return Err(PixelError::corrupt("resize", format!("an output of {width}×{height} has no pixels")));
    }
    let crop = fit(crop, src)?;
    let out_len = budget.check(width, height, src.format)?;
    if let Some((x, y)) = whole_pixels(crop, width, height) {
        let mut out = Image::new(width, height, src.format, budget)?;
        copy_rect(src, x, y, &mut out);
        return Ok(out);
    }
    let filter = if crop.width > f64::from(width) || crop.height > f64::from(height) {
        Filter::Lanczos3
    } else {
        Filter::CatmullRom
    };
    let window = window(src, crop, width, height, filter);
    check_scratch(budget, width, height, src.format, out_len, scratch_bytes(src, window, width, height))?;
    let mut out = Image::new(width, height, src.format, budget)?;
    let (x, y) = (crop.x - f64::from(window.x), crop.y - f64::from(window.y));
    // Rounding in the subtraction must not push the far edge a hair past the window: the resizer
    // refuses crops that leave its source.
    let inner = Crop {
        x,
        y,
        width: crop.width.min(f64::from(window.width) - x),
        height: crop.height.min(f64::from(window.height) - y),
    };
    scale(src, window, inner, filter, &mut out)?;
    Ok(out)
}

/// The crop, clamped onto the source when it overhangs by float noise; refused when it is empty, not
/// finite, or really outside.
fn fit(crop: Crop, src: &Image) -> Result<Crop, PixelError> {
    let (sw, sh) = (f64::from(src.width), f64::from(src.height));
    let finite = [crop.x, crop.y, crop.width, crop.height].iter().all(|v| v.is_finite());
    let inside = crop.x >= -EDGE_SLACK
        && crop.y >= -EDGE_SLACK
        && crop.x + crop.width <= sw + EDGE_SLACK
        && crop.y + crop.height <= sh + EDGE_SLACK;
    let refuse = || {
        PixelError::corrupt(
            "resize",
            format!(
                "crop {},{} {}×{} is empty or outside the {}×{} source",
                crop.x, crop.y, crop.width, crop.height, src.width, src.height
            ),
        )
    };
    if !finite || !inside || crop.width <= 0.0 || crop.height <= 0.0 {
        return Err(refuse());
    }
    let x = crop.x.clamp(0.0, sw);
    let y = crop.y.clamp(0.0, sh);
    let fitted = Crop { x, y, width: crop.width.min(sw - x), height: crop.height.min(sh - y) };
    if fitted.width <= 0.0 || fitted.height <= 0.0 {
        return Err(refuse());
    }
    Ok(fitted)
}

/// The crop's top-left corner when the crop is whole pixels exactly the output's size: no resampling.
fn whole_pixels(crop: Crop, width: u32, height: u32) -> Option<(u32, u32)> {
    let whole = |v: f64| (v - libm::round(v)).abs() < WHOLE;
    let same = |v: f64, n: u32| (v - f64::from(n)).abs() < WHOLE;
    (whole(crop.x) && whole(crop.y) && same(crop.width, width) && same(crop.height, height))
        .then(|| (libm::round(crop.x) as u32, libm::round(crop.y) as u32))
}

fn copy_rect(src: &Image, x: u32, y: u32, out: &mut Image) {
    let bpp = src.format.bytes_per_pixel();
    let (src_row, out_row) = (src.row_bytes(), out.row_bytes());
    let start = x as usize * bpp;
    for (i, row) in out.data.chunks_exact_mut(out_row).enumerate() {
        let at = (y as usize + i) * src_row + start;
        if let Some(s) = src.data.get(at..at + out_row) {
            row.copy_from_slice(s);
        }
    }
}

/// The source pixels the filter reads: the crop widened by the kernel's reach, within the source. Only
/// this window is premultiplied and convolved, so a small region of a large decoded image costs memory
/// in proportion to the region.
fn window(src: &Image, crop: Crop, width: u32, height: u32, filter: Filter) -> Window {
    let reach = |extent: f64, out: u32| filter.support() * (extent / f64::from(out)).max(1.0) + 1.0;
    let span = |start: f64, extent: f64, out: u32, limit: u32| {
        let r = reach(extent, out);
        let lo = libm::floor(start - r).max(0.0) as u32;
        let hi = (libm::ceil(start + extent + r).min(f64::from(limit)) as u32).max(lo + 1);
        (lo.min(limit.saturating_sub(1)), hi.min(limit))
    };
    let (x0, x1) = span(crop.x, crop.width, width, src.width);
    let (y0, y1) = span(crop.y, crop.height, height, src.height);
    Window { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/// What the resizer allocates besides the output: the premultiplied copy of the window (alpha only),
/// the intermediate of its two passes, and aligned copies when a 16-bit buffer is not 2-byte aligned.
fn scratch_bytes(src: &Image, window: Window, width: u32, height: u32) -> u64 {
    let bpp = src.format.bytes_per_pixel() as u64;
    let window_bytes = u64::from(window.width) * u64::from(window.height) * bpp;
    let premultiplied = if src.format.has_alpha() { window_bytes } else { 0 };
    let between_passes =
        (u64::from(window.width) * u64::from(height)).max(u64::from(width) * u64::from(window.height)) * bpp;
    let realign = if src.format.bytes_per_sample() == 2 {
        window_bytes + u64::from(width) * u64::from(height) * bpp
    } else {
        0
    };
    premultiplied + between_passes + realign
}

fn check_scratch(
    budget: &Budget,
    width: u32,
    height: u32,
    format: PixelFormat,
    out_len: usize,
    scratch: u64,
) -> Result<(), PixelError> {
    if (out_len as u64).saturating_add(scratch) > budget.max_bytes {
        return Err(PixelError::OverBudget {
            width,
            height,
            channels: format.channels(),
            max_pixels: budget.max_pixels,
            max_bytes: budget.max_bytes,
        });
    }
    Ok(())
}

#[cfg(not(all(target_arch = "x86_64", not(target_feature = "sse2"))))]
use super::convolve::scale;

/// x86-64 without SSE (`x86_64-unknown-none`, kernels, UEFI) cannot compile fast_image_resize's SIMD
/// kernels (LLVM aborts on vector floats under soft-float), so such builds crop but do not scale.
#[cfg(all(target_arch = "x86_64", not(target_feature = "sse2")))]
fn scale(_: &Image, _: Window, _: Crop, _: Filter, _: &mut Image) -> Result<(), PixelError> {
    Err(PixelError::unsupported("resize", "scaling on a target without floating-point SIMD"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// The IIIF validator's pattern: 100×100 squares of 10×10 pixels, each its own colour.
    fn squares(size: u32) -> Image {
        let cell = size / 10;
        let data =
            (0..size).flat_map(|y| (0..size).flat_map(move |x| square_colour(x / cell, y / cell))).collect();
        Image::from_raw(size, size, PixelFormat::Rgb8, data).unwrap()
    }

    fn square_colour(col: u32, row: u32) -> [u8; 3] {
        [(col * 25) as u8, (row * 25) as u8, (255 - (col + row) * 12) as u8]
    }

    fn px(img: &Image, x: u32, y: u32) -> Vec<u8> {
        let bpp = img.format.bytes_per_pixel();
        let at = (y as usize * img.width as usize + x as usize) * bpp;
        img.data[at..at + bpp].to_vec()
    }

    fn close(a: &[u8], b: &[u8], tolerance: u8) -> bool {
        a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
    }

    fn full(img: &Image) -> Crop {
        Crop { x: 0.0, y: 0.0, width: f64::from(img.width), height: f64::from(img.height) }
    }

    #[test]
    fn halving_the_validator_pattern_keeps_every_square() {
        let src = squares(1000);
        let out = crop_resize(&src, full(&src), 500, 500, &Budget::default()).unwrap();
        assert_eq!((out.width, out.height, out.format), (500, 500, PixelFormat::Rgb8));
        for row in 0..10 {
            for col in 0..10 {
                let got = px(&out, col * 50 + 25, row * 50 + 25);
                assert!(close(&got, &square_colour(col, row), 2), "square {col},{row}: {got:?}");
            }
        }
    }

    #[test]
    fn regions_keep_their_squares_wherever_they_are_cut() {
        let src = squares(1000);
        // (crop, output size): whole squares, a region straddling squares, an upscale, a fractional crop.
        for (crop, w, h) in [
            (Crop { x: 300.0, y: 100.0, width: 200.0, height: 300.0 }, 100, 150),
            (Crop { x: 250.0, y: 650.0, width: 300.0, height: 200.0 }, 150, 100),
            (Crop { x: 100.0, y: 100.0, width: 200.0, height: 200.0 }, 400, 400),
            (Crop { x: 100.5, y: 199.25, width: 400.0, height: 300.0 }, 200, 150),
        ] {
            let out = crop_resize(&src, crop, w, h, &Budget::default()).unwrap();
            let (sx, sy) = (crop.width / f64::from(w), crop.height / f64::from(h));
            for y in 0..h {
                for x in 0..w {
                    // Check only pixels well inside a square, where no filter may change the colour.
                    let cx = crop.x + (f64::from(x) + 0.5) * sx;
                    let cy = crop.y + (f64::from(y) + 0.5) * sy;
                    let (fx, fy) = (cx % 100.0, cy % 100.0);
                    if (25.0..75.0).contains(&fx) && (25.0..75.0).contains(&fy) {
                        let want = square_colour((cx / 100.0) as u32, (cy / 100.0) as u32);
                        let got = px(&out, x, y);
                        assert!(close(&got, &want, 2), "{crop:?} at {x},{y}: {got:?} != {want:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn whole_pixel_crop_of_output_size_is_an_exact_copy() {
        let src = squares(100);
        let out = crop_resize(
            &src,
            Crop { x: 7.0, y: 13.0, width: 20.0, height: 30.0 },
            20,
            30,
            &Budget::default(),
        )
        .unwrap();
        for y in 0..30 {
            assert_eq!(out.row(y), &src.row(13 + y)[7 * 3..27 * 3]);
        }
        let same = crop_resize(&src, full(&src), 100, 100, &Budget::default()).unwrap();
        assert_eq!(same, src);
    }

    #[test]
    fn fractional_crops_shift_by_the_fraction() {
        // A horizontal ramp: pixel x has value 2x. A crop starting half a pixel in, kept at its own
        // width, reads midway between neighbours.
        let data: Vec<u8> = (0..8).flat_map(|_| (0..64).map(|x| (x * 2) as u8)).collect();
        let src = Image::from_raw(64, 8, PixelFormat::L8, data).unwrap();
        let out =
            crop_resize(&src, Crop { x: 10.5, y: 0.0, width: 20.0, height: 8.0 }, 20, 8, &Budget::default())
                .unwrap();
        for x in 0..20u32 {
            let want = 2.0 * (10.5 + f64::from(x));
            assert!(
                (f64::from(out.data[(4 * 20 + x) as usize]) - want).abs() <= 1.0,
                "{x}: {:?}",
                out.row(4)
            );
        }
    }

    #[test]
    fn sixteen_bit_and_alpha_formats_resize() {
        // Opaque red next to fully transparent green: premultiplying keeps the green from bleeding in.
        for format in [PixelFormat::La8, PixelFormat::Rgba8, PixelFormat::La16, PixelFormat::Rgba16] {
            let max: u16 = if format.bytes_per_sample() == 2 { 65535 } else { 255 };
            let (red, clear): (Vec<u16>, Vec<u16>) = if format.is_gray() {
                (vec![max / 3, max], vec![max, 0])
            } else {
                (vec![max, 0, 0, max], vec![0, max, 0, 0])
            };
            let samples: Vec<u16> = (0..16)
                .flat_map(|_| (0..16).flat_map(|x| if x < 8 { red.clone() } else { clear.clone() }))
                .collect();
            let data: Vec<u8> = if max == 255 {
                samples.iter().map(|&v| v as u8).collect()
            } else {
                samples.iter().flat_map(|v| v.to_ne_bytes()).collect()
            };
            let src = Image::from_raw(16, 16, format, data).unwrap();
            let out = crop_resize(&src, full(&src), 5, 5, &Budget::default()).unwrap();
            assert_eq!(out.format, format);
            let bps = format.bytes_per_sample();
            let sample = |p: &[u8], c: usize| {
                if bps == 2 { u16::from_ne_bytes([p[2 * c], p[2 * c + 1]]) } else { u16::from(p[c]) }
            };
            // The column at the boundary is partly transparent but still pure red.
            let edge = px(&out, 2, 2);
            let alpha = sample(&edge, usize::from(format.channels()) - 1);
            assert!(alpha > max / 8 && alpha < max - max / 8, "{format:?} alpha {alpha}");
            let colour: Vec<u16> =
                (0..usize::from(format.channels()) - 1).map(|c| sample(&edge, c)).collect();
            let want = &red[..red.len() - 1];
            assert!(
                colour.iter().zip(want).all(|(a, b)| a.abs_diff(*b) <= max / 100),
                "{format:?} {colour:?}"
            );
        }
        let src = Image::from_raw(4, 4, PixelFormat::Rgb16, 1000u16.to_ne_bytes().repeat(48)).unwrap();
        let out = crop_resize(&src, full(&src), 9, 7, &Budget::default()).unwrap();
        assert!(out.data.chunks_exact(2).all(|s| u16::from_ne_bytes([s[0], s[1]]).abs_diff(1000) <= 1));
    }

    #[test]
    fn bad_crops_and_sizes_are_errors() {
        let src = squares(100);
        let b = Budget::default();
        let bad = [
            (Crop { x: 0.0, y: 0.0, width: 0.0, height: 10.0 }, 10, 10),
            (Crop { x: 0.0, y: 0.0, width: 10.0, height: -1.0 }, 10, 10),
            (Crop { x: 95.0, y: 0.0, width: 10.0, height: 10.0 }, 10, 10),
            (Crop { x: 100.0, y: 0.0, width: 1e-9, height: 10.0 }, 10, 10),
            (Crop { x: f64::NAN, y: 0.0, width: 10.0, height: 10.0 }, 10, 10),
            (Crop { x: 0.0, y: 0.0, width: f64::INFINITY, height: 10.0 }, 10, 10),
            (Crop { x: 0.0, y: 0.0, width: 10.0, height: 10.0 }, 0, 10),
        ];
        for (crop, w, h) in bad {
            assert!(crop_resize(&src, crop, w, h, &b).is_err(), "{crop:?} → {w}×{h}");
        }
        // Float noise past the edge is clamped, not refused.
        let noisy = Crop { x: 50.0, y: 0.0, width: 50.000_000_001, height: 100.0 };
        assert_eq!(crop_resize(&src, noisy, 50, 100, &b).unwrap().row(0), &src.row(0)[150..]);
    }

    #[test]
    fn one_pixel_images_scale_both_ways() {
        let one = Image::from_raw(1, 1, PixelFormat::Rgba8, vec![1, 2, 3, 255]).unwrap();
        let big = crop_resize(&one, full(&one), 7, 3, &Budget::default()).unwrap();
        assert!(big.data.chunks_exact(4).all(|p| p == [1, 2, 3, 255]));
        let back = crop_resize(&big, full(&big), 1, 1, &Budget::default()).unwrap();
        assert_eq!(back, one);
        let sliver =
            crop_resize(&one, Crop { x: 0.25, y: 0.5, width: 0.5, height: 0.25 }, 1, 1, &Budget::default());
        assert_eq!(sliver.unwrap(), one);
    }

    #[test]
    fn budget_is_checked_before_allocating() {
        let src = squares(100);
        let tight = Budget { max_pixels: 2500, max_bytes: u64::MAX };
        assert!(crop_resize(&src, full(&src), 50, 50, &tight).is_ok());
        let e = crop_resize(&src, full(&src), 51, 50, &tight).unwrap_err();
        assert!(matches!(e, PixelError::OverBudget { width: 51, height: 50, .. }));
        // The output fits its byte budget but the resizer's intermediate does not.
        let bytes = Budget { max_pixels: u64::MAX, max_bytes: 50 * 50 * 3 };
        assert!(matches!(crop_resize(&src, full(&src), 50, 50, &bytes), Err(PixelError::OverBudget { .. })));
        // A plain copy needs no scratch.
        let copy = Crop { x: 0.0, y: 0.0, width: 50.0, height: 50.0 };
        assert!(crop_resize(&src, copy, 50, 50, &bytes).is_ok());
        let huge = crop_resize(&src, full(&src), 100_000, 100_000, &Budget::default());
        assert!(matches!(huge, Err(PixelError::OverBudget { .. })));
    }

    proptest::proptest! {
        /// Any crop inside any small image, to any small size, in any format: the right size out, no
        /// error, no panic, and a uniform image stays uniform.
        #[test]
        fn any_crop_of_a_uniform_image_stays_uniform(
            (sw, sh) in (1u32..40, 1u32..40),
            fx in 0.0f64..1.0, fy in 0.0f64..1.0, fw in 0.0f64..1.0, fh in 0.0f64..1.0,
            (w, h) in (1u32..60, 1u32..60),
            format in proptest::sample::select(&[
                PixelFormat::L8, PixelFormat::La8, PixelFormat::Rgb8, PixelFormat::Rgba8,
                PixelFormat::L16, PixelFormat::La16, PixelFormat::Rgb16, PixelFormat::Rgba16,
            ][..]),
        ) {
            let pattern = &[0x5Au8, 0xC3, 0x77, 0xE0, 0x12, 0x9F, 0x40, 0xFF][..format.bytes_per_pixel()];
            let src = Image::from_raw(sw, sh, format, pattern.repeat(sw as usize * sh as usize)).unwrap();
            let x = fx * f64::from(sw);
            let y = fy * f64::from(sh);
            // Up to the far edge, computed the way a plan computes it, and never empty.
            let width = (f64::from(sw) - x) * fw.max(1e-3);
            let height = (f64::from(sh) - y) * fh.max(1e-3);
            let crop = Crop { x, y, width, height };
            let out = crop_resize(&src, crop, w, h, &Budget::default());
            let out = out.map_err(|e| proptest::test_runner::TestCaseError::fail(alloc::format!("{crop:?}: {e}")))?;
            proptest::prop_assert_eq!((out.width, out.height, out.format), (w, h, format));
            let tolerance = if format.bytes_per_sample() == 2 { 2 } else { 1 };
            for px in out.data.chunks_exact(format.bytes_per_pixel()) {
                proptest::prop_assert!(close(px, pattern, tolerance), "{:?} vs {:?}", px, pattern);
            }
        }
    }

    #[test]
    fn the_window_covers_the_kernel_and_stays_inside() {
        let src = squares(1000);
        let w =
            window(&src, Crop { x: 500.0, y: 0.0, width: 100.0, height: 1000.0 }, 10, 100, Filter::Lanczos3);
        // Reach: 3 × scale 10 + 1 = 31 pixels each side, clipped at the top and bottom edges.
        assert_eq!(w, Window { x: 469, y: 0, width: 162, height: 1000 });
        let one = Image::from_raw(1, 1, PixelFormat::L8, vec![0]).unwrap();
        let w = window(&one, Crop { x: 0.0, y: 0.0, width: 1.0, height: 1.0 }, 5, 5, Filter::CatmullRom);
        assert_eq!(w, Window { x: 0, y: 0, width: 1, height: 1 });
    }
}
