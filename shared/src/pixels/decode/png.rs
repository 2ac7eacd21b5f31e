//! PNG decoding with zune-png: every colour type and bit depth, Adam7 interlacing, palettes expanded to
//! RGB (RGBA with a `tRNS` chunk), grey below 8 bits scaled to `L8`, 16-bit samples native-endian.
//!
//! The IHDR is read with the source prober first ([`png_info`]), which also holds it to the
//! specification (zune accepts bit depths PNG forbids), so a forged size fails against the [`Budget`]
//! before zune reads a chunk.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use zune_core::bit_depth::{BitDepth, ByteEndian};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_png::PngDecoder;
use zune_png::error::PngDecodeErrors;

use crate::pixels::{Budget, Image, PixelError, PixelFormat};
use crate::source::png::{ColourType, PngInfo, png_info};
use crate::source::{SourceBytes, SourceError};

const CODEC: &str = "PNG";

/// Signature, then the IHDR chunk with its length, type and CRC.
const HEADER_LEN: usize = 8 + 8 + 13 + 4;

/// Decodes a PNG file to the [`PixelFormat`] its colour type and depth call for.
pub fn decode_png(data: &[u8], budget: &Budget) -> Result<Image, PixelError> {
    let info = read_info(data)?;
    // Fails fast before zune parses anything; a tRNS chunk may still add an alpha channel.
    budget.check(info.width, info.height, header_format(&info))?;

    let mut decoder = PngDecoder::new_with_options(ZCursor::new(data), options(budget));
    decoder.decode_headers().map_err(zune_error)?;
    let format = output_format(decoder.colorspace(), decoder.depth())?;
    let len = budget.check(info.width, info.height, format)?;
    if decoder.output_buffer_size() != Some(len) {
        return Err(PixelError::corrupt(CODEC, "decoder output size disagrees with the header"));
    }
    let mut pixels = Vec::new();
    pixels.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
    pixels.resize(len, 0);
    decoder.decode_into(&mut pixels).map_err(zune_error)?;
    Image::from_raw(info.width, info.height, format, pixels)
}

fn read_info(data: &[u8]) -> Result<PngInfo, PixelError> {
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data.get(..HEADER_LEN).unwrap_or(data).to_vec());
    png_info(&bytes).map_err(|e| match e {
        SourceError::Corrupt { reason, .. } => PixelError::corrupt(CODEC, reason),
        SourceError::Unsupported { reason, .. } => PixelError::unsupported(CODEC, reason),
        other => PixelError::corrupt(CODEC, format!("{other}")),
    })
}

fn options(budget: &Budget) -> DecoderOptions {
    let limit = usize::try_from(budget.max_pixels).unwrap_or(usize::MAX);
    let endian = if cfg!(target_endian = "big") { ByteEndian::BE } else { ByteEndian::LE };
    DecoderOptions::default()
        .set_max_width(limit)
        .set_max_height(limit)
        .set_byte_endian(endian)
        // zune skips both checks by default. libpng makes them, and a damaged file should fail here
        // rather than turn into wrong pixels that get cached.
        .png_set_confirm_crc(true)
        .inflate_set_confirm_adler(true)
}

/// The format the IHDR alone implies: the smallest the decoded image can be.
fn header_format(info: &PngInfo) -> PixelFormat {
    let wide = info.bit_depth == 16;
    match (info.colour_type, wide) {
        (ColourType::Grey, false) => PixelFormat::L8,
        (ColourType::Grey, true) => PixelFormat::L16,
        (ColourType::GreyAlpha, false) => PixelFormat::La8,
        (ColourType::GreyAlpha, true) => PixelFormat::La16,
        (ColourType::Rgb | ColourType::Palette, false) => PixelFormat::Rgb8,
        (ColourType::Rgb | ColourType::Palette, true) => PixelFormat::Rgb16,
        (ColourType::Rgba, false) => PixelFormat::Rgba8,
        (ColourType::Rgba, true) => PixelFormat::Rgba16,
    }
}

/// The format of zune's output: its colour space accounts for palettes and tRNS, its depth for
/// sub-byte samples (expanded to 8 bits).
fn output_format(colorspace: Option<ColorSpace>, depth: Option<BitDepth>) -> Result<PixelFormat, PixelError> {
    Ok(match (colorspace, depth) {
        (Some(ColorSpace::Luma), Some(BitDepth::Eight)) => PixelFormat::L8,
        (Some(ColorSpace::LumaA), Some(BitDepth::Eight)) => PixelFormat::La8,
        (Some(ColorSpace::RGB), Some(BitDepth::Eight)) => PixelFormat::Rgb8,
        (Some(ColorSpace::RGBA), Some(BitDepth::Eight)) => PixelFormat::Rgba8,
        (Some(ColorSpace::Luma), Some(BitDepth::Sixteen)) => PixelFormat::L16,
        (Some(ColorSpace::LumaA), Some(BitDepth::Sixteen)) => PixelFormat::La16,
        (Some(ColorSpace::RGB), Some(BitDepth::Sixteen)) => PixelFormat::Rgb16,
        (Some(ColorSpace::RGBA), Some(BitDepth::Sixteen)) => PixelFormat::Rgba16,
        other => return Err(PixelError::unsupported(CODEC, format!("output {other:?}"))),
    })
}

fn zune_error(e: PngDecodeErrors) -> PixelError {
    // zune's messages end in a newline.
    let message = String::from(format!("{e}").trim_end());
    PixelError::corrupt(CODEC, message)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that unwraps fails loudly, which is what it is for.
mod tests {
    use super::super::jpeg::tests::{fixture, testdata};
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    const VALIDATOR: &str = "67352ccc-d1b0-11e1-89ae-279075081939.png";

    fn decode(data: &[u8]) -> Result<Image, PixelError> {
        decode_png(data, &Budget::default())
    }

    fn assert_corrupt<T: core::fmt::Debug>(r: Result<T, PixelError>) {
        assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    }

    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }

    fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut c = (body.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(body);
        c.extend_from_slice(&crate::crc::crc32(&[&c[4..]]).to_be_bytes());
        c
    }

    /// A zlib stream of stored (uncompressed) blocks: all a test needs, no compressor required.
    fn zlib_stored(data: &[u8]) -> Vec<u8> {
        let mut z = vec![0x78, 0x01];
        let blocks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(65535).collect() };
        for (i, block) in blocks.iter().enumerate() {
            z.push(u8::from(i + 1 == blocks.len()));
            let len = block.len() as u16;
            z.extend_from_slice(&len.to_le_bytes());
            z.extend_from_slice(&(!len).to_le_bytes());
            z.extend_from_slice(block);
        }
        z.extend_from_slice(&adler32(data).to_be_bytes());
        z
    }

    /// A non-interlaced PNG from packed scanlines (filter type 0 is added), with `extra` chunks (PLTE,
    /// tRNS) before the image data.
    fn png(
        width: u32,
        height: u32,
        depth: u8,
        colour: u8,
        rows: &[Vec<u8>],
        extra: &[(&[u8; 4], Vec<u8>)],
    ) -> Vec<u8> {
        let raw: Vec<u8> =
            rows.iter().flat_map(|row| core::iter::once(0).chain(row.iter().copied())).collect();
        png_raw(width, height, depth, colour, &raw, extra)
    }

    /// A PNG whose image data is `raw`, filter bytes and all.
    fn png_raw(
        width: u32,
        height: u32,
        depth: u8,
        colour: u8,
        raw: &[u8],
        extra: &[(&[u8; 4], Vec<u8>)],
    ) -> Vec<u8> {
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[depth, colour, 0, 0, 0]);
        let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
        file.extend(chunk(b"IHDR", &ihdr));
        for (kind, body) in extra {
            file.extend(chunk(kind, body));
        }
        file.extend(chunk(b"IDAT", &zlib_stored(raw)));
        file.extend(chunk(b"IEND", &[]));
        file
    }

    /// Packs sub-byte samples most significant first, as PNG does, padding the row to a byte.
    fn pack(samples: &[u8], depth: u8) -> Vec<u8> {
        let per_byte = 8 / depth;
        samples
            .chunks(usize::from(per_byte))
            .map(|group| {
                group.iter().enumerate().fold(0u8, |byte, (i, &s)| byte | (s << (8 - depth * (i as u8 + 1))))
            })
            .collect()
    }

    fn wide(samples: &[u16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_be_bytes()).collect()
    }

    fn native(samples: &[u16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_ne_bytes()).collect()
    }

    /// Checksums of Pillow's decode: the sum of all samples, and of each times (its index mod 65521).
    fn checksums(data: &[u8]) -> (u64, u64) {
        let sum = data.iter().map(|&v| u64::from(v)).sum();
        let weighted = data.iter().enumerate().map(|(i, &v)| (i as u64 % 65521) * u64::from(v)).sum();
        (sum, weighted)
    }

    #[test]
    fn fixtures_decode_exactly_like_pillow() {
        let cases = [
            ("camera.png", 512, 512, PixelFormat::L8, (33_832_495, 1_072_578_985_366)),
            ("astronaut.png", 512, 512, PixelFormat::Rgb8, (90_124_324, 2_881_509_980_090)),
            ("chelsea.png", 451, 300, PixelFormat::Rgb8, (46_802_357, 1_489_973_203_672)),
            (VALIDATOR, 1000, 1000, PixelFormat::Rgb8, (359_980_000, 11_750_862_297_713)),
        ];
        for (name, width, height, format, sums) in cases {
            let image = decode(&fixture(name)).unwrap();
            assert_eq!((image.width, image.height, image.format), (width, height, format), "{name}");
            assert_eq!(checksums(&image.data), sums, "{name}");
        }
        for name in ["camera.png", VALIDATOR] {
            let sample =
                std::fs::read(std::format!("{}/../samples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            assert_eq!(decode(&sample).unwrap(), decode(&fixture(name)).unwrap());
        }
    }

    #[test]
    fn validator_squares_have_their_colours() {
        let image = decode(&fixture(VALIDATOR)).unwrap();
        let text = String::from_utf8(testdata("validator_squares.ref")).unwrap();
        let rows: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows.len(), 10);
        for (r, row) in rows.iter().enumerate() {
            for (c, hex) in row.split_whitespace().enumerate() {
                let colour: Vec<u8> =
                    (0..3).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
                // Every pixel of the square, not only its centre.
                for y in r * 100..(r + 1) * 100 {
                    let row = image.row(y as u32);
                    assert_eq!(&row[c * 300..c * 300 + 3], &colour[..], "square ({r}, {c}) at y {y}");
                    assert!(row[c * 300..(c + 1) * 300].chunks(3).all(|px| px == &colour[..]));
                }
            }
        }
        // Spot checks, written out: the first square and the last.
        assert_eq!(&image.row(50)[150..153], &[61, 170, 126]);
        assert_eq!(
            &image.row(950)[2850..2853],
            &rows[9]
                .split_whitespace()
                .last()
                .map(|h| {
                    (0..3).map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).unwrap()).collect::<Vec<u8>>()
                })
                .unwrap()[..]
        );
    }

    #[test]
    fn interlaced_matches_the_plain_file() {
        // adam7_*.png are the 61×37 crop at (100, 50) of chelsea.png, Adam7-interlaced.
        let chelsea = decode(&fixture("chelsea.png")).unwrap();
        let crop: Vec<u8> = (50..87).flat_map(|y| chelsea.row(y)[300..300 + 61 * 3].to_vec()).collect();
        let eight = decode(&testdata("adam7_8.png")).unwrap();
        assert_eq!((eight.width, eight.height, eight.format), (61, 37, PixelFormat::Rgb8));
        assert_eq!(eight.data, crop);
        let sixteen = decode(&testdata("adam7_16.png")).unwrap();
        assert_eq!((sixteen.width, sixteen.height, sixteen.format), (61, 37, PixelFormat::Rgb16));
        let scaled: Vec<u16> = crop.iter().map(|&v| u16::from(v) * 257).collect();
        assert_eq!(sixteen.data, native(&scaled));
    }

    #[test]
    fn animated_pngs_decode_their_default_image() {
        // Red, then green and blue frames; in the first file the red image is not part of the animation.
        for name in ["apng_default.png", "apng.png"] {
            let image = decode(&testdata(name)).unwrap();
            assert_eq!((image.width, image.height, image.format), (8, 6, PixelFormat::Rgb8));
            assert!(image.data.chunks(3).all(|px| px == [255, 0, 0]), "{name}");
        }
    }

    #[test]
    fn sixteen_bit_samples_are_exact_and_native_endian() {
        let (width, height) = (5u32, 3u32);
        for (colour, format) in
            [(0, PixelFormat::L16), (4, PixelFormat::La16), (2, PixelFormat::Rgb16), (6, PixelFormat::Rgba16)]
        {
            let per_row = width as usize * usize::from(format.channels());
            let samples: Vec<u16> =
                (0..per_row * height as usize).map(|i| (i as u16).wrapping_mul(4099) ^ 0x8001).collect();
            let rows: Vec<Vec<u8>> = samples.chunks(per_row).map(wide).collect();
            let image = decode(&png(width, height, 16, colour, &rows, &[])).unwrap();
            assert_eq!((image.width, image.height, image.format), (width, height, format));
            assert_eq!(image.data, native(&samples), "{format:?}");
        }
    }

    #[test]
    fn eight_bit_formats_are_exact() {
        for (colour, format) in
            [(0, PixelFormat::L8), (4, PixelFormat::La8), (2, PixelFormat::Rgb8), (6, PixelFormat::Rgba8)]
        {
            let per_row = 7 * usize::from(format.channels());
            let samples: Vec<u8> = (0..per_row * 2).map(|i| (i * 37 % 256) as u8).collect();
            let rows: Vec<Vec<u8>> = samples.chunks(per_row).map(<[u8]>::to_vec).collect();
            let image = decode(&png(7, 2, 8, colour, &rows, &[])).unwrap();
            assert_eq!((image.format, image.data), (format, samples));
        }
    }

    #[test]
    fn low_bit_grey_expands_to_full_range() {
        for depth in [1u8, 2, 4] {
            let max = (1u8 << depth) - 1;
            // An odd width, so rows end in a partial byte.
            let (width, height) = (5usize, 3usize);
            let samples: Vec<Vec<u8>> = (0..height)
                .map(|y| (0..width).map(|x| ((x + 2 * y) % (usize::from(max) + 1)) as u8).collect())
                .collect();
            let rows: Vec<Vec<u8>> = samples.iter().map(|row| pack(row, depth)).collect();
            let image = decode(&png(width as u32, height as u32, depth, 0, &rows, &[])).unwrap();
            assert_eq!(image.format, PixelFormat::L8);
            let expected: Vec<u8> = samples.concat().iter().map(|&s| s * (255 / max)).collect();
            assert_eq!(image.data, expected, "{depth}-bit");
        }
    }

    #[test]
    fn palettes_expand_with_their_transparency() {
        let palette = vec![10, 20, 30, 40, 50, 60, 70, 80, 90];
        let indices: Vec<u8> = vec![0, 1, 2, 1, 0, 2, 2];
        let rows = vec![pack(&indices, 2), pack(&indices.iter().rev().copied().collect::<Vec<_>>(), 2)];
        let rgb: Vec<u8> = indices
            .iter()
            .chain(indices.iter().rev())
            .flat_map(|&i| palette[usize::from(i) * 3..usize::from(i) * 3 + 3].to_vec())
            .collect();
        let opaque = decode(&png(7, 2, 2, 3, &rows, &[(b"PLTE", palette.clone())])).unwrap();
        assert_eq!((opaque.format, &opaque.data), (PixelFormat::Rgb8, &rgb));
        // tRNS lists alpha for the first entries; the rest are opaque.
        let trns = [(b"PLTE", palette.clone()), (b"tRNS", vec![0, 128])];
        let translucent = decode(&png(7, 2, 2, 3, &rows, &trns)).unwrap();
        let alpha = [0u8, 128, 255];
        let rgba: Vec<u8> = indices
            .iter()
            .chain(indices.iter().rev())
            .zip(rgb.chunks(3))
            .flat_map(|(&i, px)| [px[0], px[1], px[2], alpha[usize::from(i)]])
            .collect();
        assert_eq!((translucent.format, translucent.data), (PixelFormat::Rgba8, rgba));
        // The budget is checked again once tRNS has made the image RGBA.
        let rgb_only = Budget { max_pixels: 100, max_bytes: 14 * 3 };
        assert!(decode_png(&png(7, 2, 2, 3, &rows, &[(b"PLTE", palette.clone())]), &rgb_only).is_ok());
        let e = decode_png(&png(7, 2, 2, 3, &rows, &trns), &rgb_only).unwrap_err();
        assert!(matches!(e, PixelError::OverBudget { channels: 4, .. }), "{e:?}");
    }

    #[test]
    fn colour_keys_become_alpha() {
        let grey = decode(&png(3, 1, 8, 0, &[vec![7, 8, 7]], &[(b"tRNS", vec![0, 7])])).unwrap();
        assert_eq!((grey.format, grey.data), (PixelFormat::La8, vec![7, 0, 8, 255, 7, 0]));
        let key = vec![0, 1, 0, 2, 0, 3];
        let rgb = decode(&png(2, 1, 8, 2, &[vec![1, 2, 3, 1, 2, 4]], &[(b"tRNS", key)])).unwrap();
        assert_eq!((rgb.format, rgb.data), (PixelFormat::Rgba8, vec![1, 2, 3, 0, 1, 2, 4, 255]));
    }

    /// A PNG whose IHDR claims `width`×`height`, with a correct CRC, and a token image data chunk.
    fn claiming(width: u32, height: u32) -> Vec<u8> {
        png(width, height, 8, 2, &[vec![0; 3]], &[])
    }

    #[test]
    fn oversized_headers_fail_fast() {
        for (width, height) in [(65_535, 65_535), ((1 << 31) - 1, (1 << 31) - 1), (100_000, 1001)] {
            let started = Instant::now();
            let e = decode(&claiming(width, height)).unwrap_err();
            assert!(started.elapsed() < Duration::from_millis(200), "{:?}", started.elapsed());
            assert!(
                matches!(e, PixelError::OverBudget { width: w, height: h, .. } if (w, h) == (width, height)),
                "{e:?}"
            );
        }
        let small = Budget { max_pixels: 512 * 511, max_bytes: u64::MAX };
        assert!(matches!(decode_png(&fixture("camera.png"), &small), Err(PixelError::OverBudget { .. })));
        assert!(
            decode_png(&fixture("camera.png"), &Budget { max_pixels: 512 * 512, max_bytes: 512 * 512 })
                .is_ok()
        );
    }

    #[test]
    fn truncated_and_damaged_files_are_corrupt() {
        for name in ["camera.png", "chelsea.png", VALIDATOR] {
            let file = fixture(name);
            for cut in [0, 7, 8, 20, 32, 33, 100, file.len() / 2, file.len() - 13, file.len() - 1] {
                assert_corrupt(decode(&file[..cut]));
            }
        }
        // A flipped bit inside the image data fails its chunk's CRC.
        let mut flipped = fixture("camera.png");
        let at = flipped.len() / 2;
        flipped[at] ^= 0x10;
        assert_corrupt(decode(&flipped));
        // Image data altered consistently with its CRC still fails the zlib checksum.
        let good = png(3, 1, 8, 0, &[vec![1, 2, 3]], &[]);
        let idat = good.windows(4).position(|w| w == b"IDAT").unwrap();
        let mut data = good[idat + 4..good.len() - 12 - 4].to_vec();
        data[8] ^= 1;
        let mut altered = good[..idat - 4].to_vec();
        altered.extend(chunk(b"IDAT", &data));
        altered.extend(chunk(b"IEND", &[]));
        assert_corrupt(decode(&altered));
        assert_corrupt(decode(b""));
        assert_corrupt(decode(&fixture("rocket.jpg")));
        // Bit depths PNG forbids with a colour type are refused before zune sees them.
        assert_corrupt(decode(&png(8, 1, 4, 2, &[vec![0; 12]], &[])));
    }

    fn small_files() -> Vec<Vec<u8>> {
        let sixteen: Vec<Vec<u8>> = (0..3).map(|y| wide(&[y * 1000, 65535, 7, 300, 4, 5, 6, 7])).collect();
        vec![
            testdata("adam7_8.png"),
            testdata("adam7_16.png"),
            png(
                7,
                2,
                2,
                3,
                &[vec![0x1B, 0x60], vec![0xA4, 0x12]],
                &[(b"PLTE", vec![1, 2, 3, 4, 5, 6, 7, 8, 9]), (b"tRNS", vec![9])],
            ),
            png(2, 3, 16, 6, &sixteen, &[]),
            png(5, 2, 1, 0, &[vec![0xA8], vec![0x50]], &[]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn damaged_files_never_panic(
            which in 0usize..5,
            cut in 0usize..9000,
            edits in proptest::collection::vec((0usize..9000, any::<u8>()), 0..6),
            fix_crcs in any::<bool>(),
        ) {
            let mut file = small_files().swap_remove(which);
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] = byte;
            }
            // Without matching CRCs nearly every edit stops at the first checksum.
            if fix_crcs {
                refresh_crcs(&mut file);
            }
            file.truncate(cut);
            if let Ok(image) = decode(&file) {
                prop_assert_eq!(image.data.len(), image.row_bytes() * image.height as usize);
            }
        }

        /// Well-formed containers around arbitrary content: any allowed colour type and depth, filter
        /// bytes and samples at random, palettes and transparency of any length.
        #[test]
        fn arbitrary_content_never_panics(
            (colour, depth) in prop_oneof![
                Just((0u8, 1u8)), Just((0, 2)), Just((0, 4)), Just((0, 8)), Just((0, 16)),
                Just((2, 8)), Just((2, 16)), Just((3, 1)), Just((3, 2)), Just((3, 4)), Just((3, 8)),
                Just((4, 8)), Just((4, 16)), Just((6, 8)), Just((6, 16)),
            ],
            width in 1u32..20,
            height in 1u32..8,
            raw in proptest::collection::vec(any::<u8>(), 0..2000),
            palette in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..800)),
            trns in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..300)),
            exact in any::<bool>(),
            interlaced in any::<bool>(),
        ) {
            let mut extra: Vec<(&[u8; 4], Vec<u8>)> = Vec::new();
            if let Some(p) = palette {
                extra.push((b"PLTE", p));
            }
            if let Some(t) = trns {
                extra.push((b"tRNS", t));
            }
            let channels = [1, 0, 3, 1, 2, 0, 4][usize::from(colour)];
            let row = (width as usize * channels * usize::from(depth)).div_ceil(8);
            let mut raw = raw;
            if exact && !raw.is_empty() {
                // As much data as the header calls for, with valid filter types, to get past inflate.
                raw = raw.iter().cycle().take((row + 1) * height as usize).copied().collect();
                for filter in raw.iter_mut().step_by(row + 1) {
                    *filter %= 5;
                }
            }
            let mut file = png_raw(width, height, depth, colour, &raw, &extra);
            if interlaced {
                file[28] = 1;
                refresh_crcs(&mut file);
            }
            if let Ok(image) = decode(&file) {
                prop_assert_eq!((image.width, image.height), (width, height));
            }
        }
    }

    /// Recomputes the CRC of every chunk that fits in the file.
    fn refresh_crcs(file: &mut [u8]) {
        let mut at = 8;
        while at + 12 <= file.len() {
            let len = u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
            let Some(end) = (at + 8).checked_add(len).filter(|&e| e + 4 <= file.len()) else { break };
            let crc = crate::crc::crc32(&[&file[at + 4..end]]);
            file[end..end + 4].copy_from_slice(&crc.to_be_bytes());
            at = end + 4;
        }
    }
}
