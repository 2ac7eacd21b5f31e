//! How close two images are: the PSNR the conversion pipeline and the edge report against a source.

use super::{Image, PixelError};

/// Peak signal-to-noise ratio of `b` against `a` in dB, over every sample, with the peak of their depth
/// (255 or 65535); infinite when they are identical. Errors when their size or layout differ.
pub fn psnr(a: &Image, b: &Image) -> Result<f64, PixelError> {
    if (a.width, a.height, a.format) != (b.width, b.height, b.format) || a.data.len() != b.data.len() {
        return Err(PixelError::corrupt(
            "psnr",
            alloc::format!(
                "{}×{} {:?} against {}×{} {:?}",
                a.width,
                a.height,
                a.format,
                b.width,
                b.height,
                b.format
            ),
        ));
    }
    let (sum, count, peak) = if a.format.bytes_per_sample() == 2 {
        let sample = |c: &[u8]| f64::from(u16::from_ne_bytes([c[0], c[1]]));
        let sum: f64 = a
            .data
            .chunks_exact(2)
            .zip(b.data.chunks_exact(2))
            .map(|(x, y)| square(sample(x) - sample(y)))
            .sum();
        (sum, a.data.len() / 2, 65535.0)
    } else {
        let sum: f64 = a.data.iter().zip(&b.data).map(|(x, y)| square(f64::from(*x) - f64::from(*y))).sum();
        (sum, a.data.len(), 255.0)
    };
    if sum == 0.0 {
        return Ok(f64::INFINITY);
    }
    let mse = sum / count.max(1) as f64;
    Ok(10.0 * libm::log10(peak * peak / mse))
}

// `no_std`: no `f64::powi`.
fn square(v: f64) -> f64 {
    v * v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pixels::PixelFormat;

    fn image(format: PixelFormat, data: alloc::vec::Vec<u8>) -> Image {
        Image { width: 2, height: 1, format, data }
    }

    #[test]
    fn identical_is_infinite_and_error_follows_the_depth() {
        let a = image(PixelFormat::L8, alloc::vec![10, 20]);
        assert_eq!(psnr(&a, &a).ok(), Some(f64::INFINITY));
        // One sample off by 1 of 2: MSE 0.5, 10·log10(255²/0.5).
        let b = image(PixelFormat::L8, alloc::vec![11, 20]);
        let expected = 10.0 * libm::log10(255.0 * 255.0 / 0.5);
        assert!((psnr(&a, &b).unwrap_or(0.0) - expected).abs() < 1e-9);
        let wide = |v: [u16; 2]| image(PixelFormat::L16, v.iter().flat_map(|s| s.to_ne_bytes()).collect());
        let expected = 10.0 * libm::log10(65535.0 * 65535.0 / 0.5);
        let got = psnr(&wide([1000, 2000]), &wide([1001, 2000])).unwrap_or(0.0);
        assert!((got - expected).abs() < 1e-9, "{got}");
    }

    #[test]
    fn different_layouts_are_an_error() {
        let a = image(PixelFormat::L8, alloc::vec![1, 2]);
        let b = Image { width: 1, height: 1, format: PixelFormat::La8, data: alloc::vec![1, 2] };
        assert!(psnr(&a, &b).is_err());
    }
}
