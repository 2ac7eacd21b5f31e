//! PackBits (Apple's run-length scheme, TIFF compression 32773).

use alloc::format;

use super::{FORMAT, PixelError};

/// Decodes `data` into all of `out`. Runs that would overflow `out` are cut short, as libtiff does: some
/// writers pad the last strip, and a run cannot make the output larger than the tile. Input that ends
/// before `out` is full is corrupt.
pub fn decode(data: &[u8], out: &mut [u8]) -> Result<(), PixelError> {
    let mut input = data;
    let mut written = 0usize;
    while written < out.len() {
        let Some((&header, rest)) = input.split_first() else {
            return Err(short(written, out.len()));
        };
        input = rest;
        let room = out.len() - written;
        // The header is a signed byte: n >= 0 copies n + 1 literal bytes, -127..=-1 repeats the next
        // byte 1 - n times, and -128 is a no-op some writers emit.
        let n = header as i8;
        if n >= 0 {
            let count = usize::from(header) + 1;
            let (literal, rest) = input.split_at_checked(count).ok_or_else(|| {
                PixelError::corrupt(
                    FORMAT,
                    format!("PackBits literal run of {count} bytes past the end of the data"),
                )
            })?;
            input = rest;
            let take = count.min(room);
            copy_into(out, written, literal.get(..take).unwrap_or_default())?;
            written += take;
        } else if n != -128 {
            let count = 1 + usize::from(n.unsigned_abs());
            let Some((&byte, rest)) = input.split_first() else {
                return Err(short(written, out.len()));
            };
            input = rest;
            let take = count.min(room);
            out.get_mut(written..written + take).unwrap_or_default().fill(byte);
            written += take;
        }
    }
    Ok(())
}

fn copy_into(out: &mut [u8], at: usize, bytes: &[u8]) -> Result<(), PixelError> {
    let end = at + bytes.len();
    match out.get_mut(at..end) {
        Some(dst) => {
            dst.copy_from_slice(bytes);
            Ok(())
        }
        None => Err(PixelError::corrupt(FORMAT, "PackBits run past the tile")),
    }
}

fn short(written: usize, expected: usize) -> PixelError {
    PixelError::corrupt(FORMAT, format!("PackBits data ends after {written} of {expected} bytes"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// A PackBits encoder for tests: runs of 3 or more identical bytes become repeat runs, the rest
    /// literal runs of at most 128 bytes.
    pub fn encode(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut literal: Vec<u8> = Vec::new();
        let flush = |literal: &mut Vec<u8>, out: &mut Vec<u8>| {
            for chunk in literal.chunks(128) {
                out.push((chunk.len() - 1) as u8);
                out.extend_from_slice(chunk);
            }
            literal.clear();
        };
        while i < data.len() {
            let run = data[i..].iter().take(128).take_while(|&&b| b == data[i]).count();
            if run >= 3 {
                flush(&mut literal, &mut out);
                out.push((1i16 - run as i16) as i8 as u8);
                out.push(data[i]);
                i += run;
            } else {
                literal.push(data[i]);
                i += 1;
            }
        }
        flush(&mut literal, &mut out);
        out
    }

    #[test]
    fn the_apple_example() {
        // From Apple's technical note TN1023.
        let packed =
            [0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA];
        let unpacked = [
            0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22, 0xAA, 0xAA,
            0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
        ];
        let mut out = vec![0; unpacked.len()];
        decode(&packed, &mut out).unwrap();
        assert_eq!(out, unpacked);
    }

    #[test]
    fn no_ops_overlong_runs_and_short_data() {
        let mut out = vec![0; 4];
        decode(&[0x80, 0xFD, 7, 0x80], &mut out).unwrap();
        assert_eq!(out, [7; 4]);
        // A run longer than the tile is cut at the tile's end.
        let mut out = vec![0; 3];
        decode(&[0x81, 9], &mut out).unwrap();
        assert_eq!(out, [9; 3]);
        let mut out = vec![0; 3];
        decode(&[5, 1, 2, 3, 4, 5, 6], &mut out).unwrap();
        assert_eq!(out, [1, 2, 3]);
        for bad in [&[][..], &[0xFE], &[4, 1, 2], &[0x80], &[0, 1]] {
            let mut out = vec![0; 4];
            assert!(matches!(decode(bad, &mut out), Err(PixelError::Corrupt { .. })), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(data in proptest::collection::vec(prop_oneof![Just(0u8), Just(1u8), any::<u8>()], 1..600)) {
            let mut out = vec![0; data.len()];
            decode(&encode(&data), &mut out).unwrap();
            prop_assert_eq!(out, data);
        }

        #[test]
        fn arbitrary_input_never_panics(data in proptest::collection::vec(any::<u8>(), 0..300), len in 1usize..500) {
            let mut out = vec![0; len];
            let _ = decode(&data, &mut out);
        }
    }
}
