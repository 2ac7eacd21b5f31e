//! Decompression of one tile or strip into a buffer of exactly the size its pixels need. The buffer is
//! allocated (and budget-checked) by the caller, so no stream can make us write more than a tile: a zip
//! bomb fills the buffer and stops.

use alloc::boxed::Box;
use alloc::format;

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use weezl::decode::Configuration;
use weezl::{BitOrder, LzwStatus};

use super::{FORMAT, PixelError, packbits};
use crate::source::tiff::Compression;

/// Fills all of `out` from `data`. Data that decodes to more than `out` holds is cut, as libtiff does
/// (writers may pad the last strip to a whole `RowsPerStrip`); data that decodes to less is corrupt.
pub fn decompress_into(compression: Compression, data: &[u8], out: &mut [u8]) -> Result<(), PixelError> {
    match compression {
        Compression::None => uncompressed(data, out),
        Compression::PackBits => packbits::decode(data, out),
        Compression::Lzw => lzw(data, out),
        Compression::Deflate => inflate(data, out),
        // The tile decoder sends JPEG elsewhere and refuses the rest before allocating.
        other => Err(PixelError::unsupported(FORMAT, format!("compression {other:?}"))),
    }
}

fn uncompressed(data: &[u8], out: &mut [u8]) -> Result<(), PixelError> {
    let src = data.get(..out.len()).ok_or_else(|| short("uncompressed", data.len(), out.len()))?;
    out.copy_from_slice(src);
    Ok(())
}

fn lzw(data: &[u8], out: &mut [u8]) -> Result<(), PixelError> {
    // Files from libtiff before 5.0 (1990s) used an LZW variant with LSB-first codes and the usual code
    // width switch. libtiff still reads them and tells them apart the same way: the 9-bit Clear code
    // 256 written LSB-first begins 0x00, then a byte with its low bit set; MSB-first it begins 0x80.
    let old_style = data.first() == Some(&0) && data.get(1).is_some_and(|b| b & 1 == 1);
    let config = if old_style {
        Configuration::new(BitOrder::Lsb, 8)
    } else {
        Configuration::with_tiff_size_switch(BitOrder::Msb, 8)
    };
    // Yielding on a full buffer lets us stop at the tile's size, whatever follows: some writers omit
    // the end-of-information code, and libtiff never reads past the bytes it needs either.
    let mut decoder = config.with_yield_on_full_buffer(true).build();
    let (mut input, mut written) = (data, 0usize);
    while written < out.len() {
        let Some(rest) = out.get_mut(written..) else { break };
        let result = decoder.decode_bytes(input, rest);
        written += result.consumed_out;
        input = input.get(result.consumed_in..).unwrap_or_default();
        match result.status {
            Ok(LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
            Ok(_) => break,
            Err(e) => {
                return Err(PixelError::corrupt(FORMAT, format!("LZW: {e:?} after {written} bytes")));
            }
        }
    }
    if written < out.len() {
        return Err(short("LZW", written, out.len()));
    }
    Ok(())
}

fn inflate(data: &[u8], out: &mut [u8]) -> Result<(), PixelError> {
    // About 11 KB of tables: on the heap, for small wasm stacks.
    let mut state = Box::<DecompressorOxide>::default();
    let flags =
        inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let (status, _, written) = decompress(&mut state, data, out, 0, flags);
    match status {
        TINFLStatus::Done | TINFLStatus::HasMoreOutput if written == out.len() => Ok(()),
        TINFLStatus::Done | TINFLStatus::HasMoreOutput => Err(short("Deflate", written, out.len())),
        TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
            Err(PixelError::corrupt(FORMAT, format!("Deflate stream truncated after {written} bytes")))
        }
        other => Err(PixelError::corrupt(FORMAT, format!("Deflate: {other:?} after {written} bytes"))),
    }
}

fn short(codec: &str, got: usize, expected: usize) -> PixelError {
    PixelError::corrupt(FORMAT, format!("{codec} data holds {got} of the tile's {expected} bytes"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn sample() -> Vec<u8> {
        (0..5000u32).map(|i| ((i / 7) % 256) as u8 ^ (i % 3) as u8).collect()
    }

    fn decode(c: Compression, data: &[u8], len: usize) -> Result<Vec<u8>, PixelError> {
        let mut out = vec![0; len];
        decompress_into(c, data, &mut out).map(|()| out)
    }

    #[test]
    fn lzw_tiff_and_old_style() {
        let data = sample();
        let new = weezl::encode::Encoder::with_tiff_size_switch(BitOrder::Msb, 8).encode(&data).unwrap();
        assert_eq!(new[0], 0x80);
        assert_eq!(decode(Compression::Lzw, &new, data.len()).unwrap(), data);
        let old = weezl::encode::Encoder::new(BitOrder::Lsb, 8).encode(&data).unwrap();
        assert_eq!((old[0], old[1] & 1), (0, 1));
        assert_eq!(decode(Compression::Lzw, &old, data.len()).unwrap(), data);
        // A stream cut before its end-of-information code still yields the bytes it holds.
        assert_eq!(decode(Compression::Lzw, &new, 100).unwrap(), data[..100]);
        assert!(matches!(decode(Compression::Lzw, &new, data.len() + 1), Err(PixelError::Corrupt { .. })));
        assert!(matches!(
            decode(Compression::Lzw, &new[..new.len() / 2], data.len()),
            Err(PixelError::Corrupt { .. })
        ));
    }

    #[test]
    fn deflate_is_capped() {
        // 16 MB of zeros compress to ~16 KB; decoding into a 1000-byte tile stops at 1000.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; 16 << 20], 9);
        assert!(bomb.len() < 64 * 1024);
        assert_eq!(decode(Compression::Deflate, &bomb, 1000).unwrap(), vec![0; 1000]);
        let data = sample();
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
        assert_eq!(decode(Compression::Deflate, &z, data.len()).unwrap(), data);
        assert!(matches!(decode(Compression::Deflate, &z, data.len() + 1), Err(PixelError::Corrupt { .. })));
        assert!(matches!(
            decode(Compression::Deflate, &z[..z.len() / 2], data.len()),
            Err(PixelError::Corrupt { .. })
        ));
        let mut bad_sum = z.clone();
        *bad_sum.last_mut().unwrap() ^= 1;
        assert!(matches!(
            decode(Compression::Deflate, &bad_sum, data.len()),
            Err(PixelError::Corrupt { .. })
        ));
    }

    #[test]
    fn uncompressed_and_others() {
        assert_eq!(decode(Compression::None, &[1, 2, 3, 4], 3).unwrap(), [1, 2, 3]);
        assert!(matches!(decode(Compression::None, &[1, 2], 3), Err(PixelError::Corrupt { .. })));
        assert!(matches!(decode(Compression::Other(34712), &[1, 2], 2), Err(PixelError::Unsupported { .. })));
    }
}
