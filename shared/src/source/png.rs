//! PNG header probing: the signature and the IHDR chunk, which the specification requires to come first,
//! hold the size and the pixel format, so one 33-byte read answers.

use alloc::format;

use crate::crc::crc32;

use super::{SourceBytes, SourceError};
use crate::geometry::{Geometry, Level, LevelData, SourceFormat};

const FORMAT: &str = "PNG";

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Signature, IHDR length and type, 13 bytes of IHDR data, CRC.
const HEADER_LEN: usize = 8 + 8 + 13 + 4;
/// The largest width or height PNG allows.
const MAX_DIMENSION: u32 = (1 << 31) - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourType {
    Grey,
    Rgb,
    Palette,
    GreyAlpha,
    Rgba,
}

impl ColourType {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => ColourType::Grey,
            2 => ColourType::Rgb,
            3 => ColourType::Palette,
            4 => ColourType::GreyAlpha,
            6 => ColourType::Rgba,
            _ => return None,
        })
    }

    /// Samples per decoded pixel; a palette expands to RGB (a `tRNS` chunk, not read here, may add alpha).
    pub fn channels(self) -> u8 {
        match self {
            ColourType::Grey => 1,
            ColourType::GreyAlpha => 2,
            ColourType::Rgb | ColourType::Palette => 3,
            ColourType::Rgba => 4,
        }
    }

    /// Whether the PNG specification allows `depth` with this colour type.
    fn allows_depth(self, depth: u8) -> bool {
        match self {
            ColourType::Grey => matches!(depth, 1 | 2 | 4 | 8 | 16),
            ColourType::Palette => matches!(depth, 1 | 2 | 4 | 8),
            ColourType::Rgb | ColourType::GreyAlpha | ColourType::Rgba => matches!(depth, 8 | 16),
        }
    }
}

/// The image header of a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    /// Bits per sample, or per palette index.
    pub bit_depth: u8,
    pub colour_type: ColourType,
    /// Adam7 interlacing: a decoder must read the whole file before the first full row exists.
    pub interlaced: bool,
}

impl PngInfo {
    pub fn geometry(&self) -> Geometry {
        Geometry {
            format: SourceFormat::Png,
            width: self.width,
            height: self.height,
            channels: self.colour_type.channels(),
            bits_per_sample: self.bit_depth,
            levels: alloc::vec![Level::whole(self.width, self.height, LevelData::Whole)],
        }
    }
}

pub fn probe(bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Ok(png_info(bytes)?.geometry())
}

/// Reads the signature and the IHDR chunk, checking its CRC.
pub fn png_info(bytes: &SourceBytes) -> Result<PngInfo, SourceError> {
    let header = bytes.read(0, HEADER_LEN)?;
    let Some((signature, rest)) = header.split_first_chunk::<8>() else {
        return Err(corrupt("short header"));
    };
    if signature != SIGNATURE {
        return Err(corrupt("bad signature"));
    }
    let Some((chunk, _)) = rest.split_first_chunk::<{ 8 + 13 + 4 }>() else {
        return Err(corrupt("short header"));
    };
    let [l0, l1, l2, l3, t0, t1, t2, t3, data @ .., c0, c1, c2, c3] = *chunk;
    if [t0, t1, t2, t3] != *b"IHDR" {
        return Err(corrupt("first chunk is not IHDR"));
    }
    let length = u32::from_be_bytes([l0, l1, l2, l3]);
    if length != 13 {
        return Err(corrupt(format!("IHDR length {length}")));
    }
    let [w0, w1, w2, w3, h0, h1, h2, h3, bit_depth, colour, compression, filter, interlace] = data;
    // The CRC covers the chunk type and data; a mismatch means the header itself is damaged.
    let stored_crc = u32::from_be_bytes([c0, c1, c2, c3]);
    if crc32(&[chunk.get(4..4 + 4 + 13).unwrap_or_default()]) != stored_crc {
        return Err(corrupt("IHDR CRC mismatch"));
    }
    let width = dimension("width", u32::from_be_bytes([w0, w1, w2, w3]))?;
    let height = dimension("height", u32::from_be_bytes([h0, h1, h2, h3]))?;
    let colour_type =
        ColourType::from_code(colour).ok_or_else(|| corrupt(format!("colour type {colour}")))?;
    if !colour_type.allows_depth(bit_depth) {
        return Err(corrupt(format!("bit depth {bit_depth} with colour type {colour}")));
    }
    // Only method 0 of each is defined; anything else is undecodable.
    if compression != 0 || filter != 0 {
        return Err(corrupt(format!("compression method {compression}, filter method {filter}")));
    }
    let interlaced = match interlace {
        0 => false,
        1 => true,
        other => return Err(corrupt(format!("interlace method {other}"))),
    };
    Ok(PngInfo { width, height, bit_depth, colour_type, interlaced })
}

fn dimension(name: &str, value: u32) -> Result<u32, SourceError> {
    if value == 0 || value > MAX_DIMENSION {
        return Err(corrupt(format!("{name} {value}")));
    }
    Ok(value)
}

fn corrupt(reason: impl Into<alloc::string::String>) -> SourceError {
    SourceError::corrupt(FORMAT, reason)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that unwraps fails loudly, which is what it is for.
mod tests {
    use super::super::probe_test_support::{Feeder, fixture, sample};
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// A PNG header with a correct CRC, followed by an empty IEND so the file is plausible.
    fn png(width: u32, height: u32, depth: u8, colour: u8, interlace: u8) -> Vec<u8> {
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&width.to_be_bytes());
        chunk.extend_from_slice(&height.to_be_bytes());
        chunk.extend_from_slice(&[depth, colour, 0, 0, interlace]);
        let mut file = SIGNATURE.to_vec();
        file.extend_from_slice(&13u32.to_be_bytes());
        file.extend_from_slice(&chunk);
        file.extend_from_slice(&crc32(&[&chunk]).to_be_bytes());
        file.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
        file
    }

    fn info(file: &[u8]) -> Result<PngInfo, SourceError> {
        png_info(&SourceBytes::from_vec(file.to_vec()))
    }

    fn assert_corrupt<T: core::fmt::Debug>(r: Result<T, SourceError>) {
        assert!(matches!(r, Err(SourceError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
    }

    #[test]
    fn fixtures_probe_to_their_sizes() {
        let validator = "67352ccc-d1b0-11e1-89ae-279075081939.png";
        let cases = [
            (fixture(validator), 1000, 1000, 3),
            (sample(validator), 1000, 1000, 3),
            (fixture("astronaut.png"), 512, 512, 3),
            (fixture("camera.png"), 512, 512, 1),
            (sample("camera.png"), 512, 512, 1),
            (fixture("chelsea.png"), 451, 300, 3),
        ];
        for (file, width, height, channels) in cases {
            let g = super::super::probe(&SourceBytes::from_vec(file)).unwrap();
            assert_eq!(g.format, SourceFormat::Png);
            assert_eq!((g.width, g.height, g.channels, g.bits_per_sample), (width, height, channels, 8));
            assert_eq!(g.levels, vec![Level::whole(width, height, LevelData::Whole)]);
        }
        let chelsea = info(&fixture("chelsea.png")).unwrap();
        assert_eq!((chelsea.colour_type, chelsea.interlaced), (ColourType::Rgb, false));
    }

    #[test]
    fn converges_in_one_round_trip() {
        let file = fixture("astronaut.png");
        let whole = info(&file).unwrap();
        for feeder in [
            Feeder::EXACT,
            Feeder { initial: 16, ..Feeder::EXACT },
            Feeder { known_len: false, ..Feeder::EXACT },
        ] {
            assert_eq!(feeder.run(&file, png_info), (Ok(whole), 1), "{feeder:?}");
        }
        let (got, trips) = Feeder::STINGY.run(&file, png_info);
        assert_eq!((got, trips), (Ok(whole), 3));
    }

    #[test]
    fn colour_types_and_depths() {
        let allowed: [(u8, &[u8], u8); 5] = [
            (0, &[1, 2, 4, 8, 16], 1),
            (2, &[8, 16], 3),
            (3, &[1, 2, 4, 8], 3),
            (4, &[8, 16], 2),
            (6, &[8, 16], 4),
        ];
        for (colour, depths, channels) in allowed {
            for depth in [0, 1, 2, 3, 4, 5, 8, 12, 16, 32] {
                let got = probe(&SourceBytes::from_vec(png(3, 2, depth, colour, 0)));
                if depths.contains(&depth) {
                    let g = got.unwrap();
                    assert_eq!((g.channels, g.bits_per_sample), (channels, depth));
                } else {
                    assert_corrupt(got);
                }
            }
        }
        for colour in [1, 5, 7, 8, 255] {
            assert_corrupt(info(&png(3, 2, 8, colour, 0)));
        }
    }

    #[test]
    fn interlace_is_noted() {
        assert!(info(&png(3, 2, 8, 2, 1)).unwrap().interlaced);
        assert!(!info(&png(3, 2, 8, 2, 0)).unwrap().interlaced);
        assert_corrupt(info(&png(3, 2, 8, 2, 2)));
    }

    #[test]
    fn dimension_limits() {
        assert_eq!(info(&png(MAX_DIMENSION, MAX_DIMENSION, 8, 0, 0)).unwrap().width, MAX_DIMENSION);
        assert_corrupt(info(&png(0, 2, 8, 0, 0)));
        assert_corrupt(info(&png(2, 0, 8, 0, 0)));
        assert_corrupt(info(&png(1 << 31, 2, 8, 0, 0)));
        assert_corrupt(info(&png(2, u32::MAX, 8, 0, 0)));
    }

    #[test]
    fn malformed_headers_are_corrupt() {
        let good = png(3, 2, 8, 2, 0);
        let mut signature = good.clone();
        signature[1] = b'p';
        assert_corrupt(info(&signature));
        let mut length = good.clone();
        length[11] = 12;
        assert_corrupt(info(&length));
        let mut first = good.clone();
        first[12..16].copy_from_slice(b"gAMA");
        assert_corrupt(info(&first));
        let mut crc = good.clone();
        crc[29] ^= 1;
        assert_corrupt(info(&crc));
        // A compression method other than 0, with the CRC made to match so the method is what fails.
        let mut compression = good.clone();
        compression[26] = 1;
        let fixed = crc32(&[&compression[12..29]]).to_be_bytes();
        compression[29..33].copy_from_slice(&fixed);
        assert_corrupt(info(&compression));
        for cut in 0..HEADER_LEN {
            assert_corrupt(info(&good[..cut]));
        }
    }

    proptest! {
        #[test]
        fn mutated_headers_never_panic(
            which in 0usize..3,
            cut in 0usize..64,
            edits in proptest::collection::vec((0usize..64, any::<u8>()), 0..6),
            fix_crc in any::<bool>(),
            known_len in any::<bool>(),
        ) {
            let mut file = match which {
                0 => fixture("camera.png"),
                1 => fixture("chelsea.png"),
                _ => png(1, 1, 16, 6, 1),
            };
            file.truncate(64);
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] = byte;
            }
            // Without a matching CRC nearly every mutation stops at the checksum.
            if fix_crc {
                let crc = crc32(&[&file[12..29]]).to_be_bytes();
                file[29..33].copy_from_slice(&crc);
            }
            file.truncate(cut);
            let mut bytes = SourceBytes::new(known_len.then_some(file.len() as u64));
            bytes.insert(0, file);
            let _ = png_info(&bytes);
            let _ = super::super::probe(&bytes);
        }
    }
}
