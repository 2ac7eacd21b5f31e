//! Sample fix-ups after decompression: 16-bit byte order, and undoing horizontal differencing
//! (Predictor 2).

use crate::source::tiff::ByteOrder;

/// Rewrites 16-bit samples from the file's byte order to the native order [`crate::pixels::Image`] uses.
pub fn to_native_endian(buf: &mut [u8], order: ByteOrder) {
    let native_big = cfg!(target_endian = "big");
    if order.is_big_endian() != native_big {
        for pair in buf.chunks_exact_mut(2) {
            pair.swap(0, 1);
        }
    }
}

/// Undoes horizontal differencing: each sample was stored as its difference from the same sample of the
/// pixel to its left, restarting on every row. `stride` is the samples per pixel of the buffer (1 for a
/// separate plane); 16-bit samples must already be native-endian.
pub fn undo_horizontal(buf: &mut [u8], row_bytes: usize, stride: usize, wide: bool) {
    if row_bytes == 0 || stride == 0 {
        return;
    }
    let pixel_bytes = if wide { stride * 2 } else { stride };
    for row in buf.chunks_exact_mut(row_bytes) {
        let mut pixels = row.chunks_exact_mut(pixel_bytes);
        let Some(mut prev) = pixels.next() else { continue };
        for pixel in pixels {
            if wide {
                accumulate16(pixel, prev);
            } else {
                for (s, p) in pixel.iter_mut().zip(prev.iter()) {
                    *s = s.wrapping_add(*p);
                }
            }
            prev = pixel;
        }
    }
}

fn accumulate16(pixel: &mut [u8], prev: &[u8]) {
    for (s, p) in pixel.chunks_exact_mut(2).zip(prev.chunks_exact(2)) {
        let (Ok(sb), Ok(pb)) = (<[u8; 2]>::try_from(&*s), <[u8; 2]>::try_from(p)) else { continue };
        let sum = u16::from_ne_bytes(sb).wrapping_add(u16::from_ne_bytes(pb));
        s.copy_from_slice(&sum.to_ne_bytes());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// Applies horizontal differencing, the inverse of [`undo_horizontal`], to native-endian samples.
    pub fn difference(buf: &mut [u8], row_bytes: usize, stride: usize, wide: bool) {
        let bps = if wide { 2 } else { 1 };
        for row in buf.chunks_exact_mut(row_bytes) {
            let n = row.len() / bps;
            for i in (stride..n).rev() {
                if wide {
                    let get = |r: &[u8], i: usize| u16::from_ne_bytes([r[2 * i], r[2 * i + 1]]);
                    let d = get(row, i).wrapping_sub(get(row, i - stride));
                    row[2 * i..2 * i + 2].copy_from_slice(&d.to_ne_bytes());
                } else {
                    row[i] = row[i].wrapping_sub(row[i - stride]);
                }
            }
        }
    }

    #[test]
    fn eight_bit_rows_restart() {
        // Two rows of two RGB pixels.
        let mut buf = vec![10, 20, 30, 1, 2, 255, 5, 5, 5, 250, 0, 1];
        undo_horizontal(&mut buf, 6, 3, false);
        assert_eq!(buf, [10, 20, 30, 11, 22, 29, 5, 5, 5, 255, 5, 6]);
    }

    #[test]
    fn sixteen_bit_wraps() {
        let samples: Vec<u16> = vec![65535, 2, 100, 65535];
        let mut buf: Vec<u8> = samples.iter().flat_map(|s| s.to_ne_bytes()).collect();
        undo_horizontal(&mut buf, 8, 1, true);
        let out: Vec<u16> = buf.chunks_exact(2).map(|c| u16::from_ne_bytes(c.try_into().unwrap())).collect();
        assert_eq!(out, [65535, 1, 101, 100]);
    }

    #[test]
    fn round_trip_and_byte_order() {
        let original: Vec<u8> = (0..96u32).map(|i| (i * 37 % 251) as u8).collect();
        for (stride, wide) in [(1, false), (3, false), (1, true), (4, true)] {
            let mut buf = original.clone();
            difference(&mut buf, 24, stride, wide);
            undo_horizontal(&mut buf, 24, stride, wide);
            assert_eq!(buf, original, "stride {stride} wide {wide}");
        }
        let mut be = 0x1234u16.to_be_bytes().to_vec();
        to_native_endian(&mut be, ByteOrder::BigEndian);
        assert_eq!(u16::from_ne_bytes([be[0], be[1]]), 0x1234);
        let mut le = 0x1234u16.to_le_bytes().to_vec();
        to_native_endian(&mut le, ByteOrder::LittleEndian);
        assert_eq!(u16::from_ne_bytes([le[0], le[1]]), 0x1234);
    }
}
