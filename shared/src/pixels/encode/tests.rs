//! Every encoder's output, decoded again by an independent decoder.

use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::pixels::transform::{crop_resize, to_bitonal, to_gray};
use crate::pixels::{Budget, PixelFormat};
use crate::plan::Crop;

/// A smooth image in any format: channel `c` of pixel (x, y) ramps with x, y and c, alpha included.
fn gradient(width: u32, height: u32, format: PixelFormat) -> Image {
    let channels = u32::from(format.channels());
    let sixteen = format.bytes_per_sample() == 2;
    let mut data = Vec::new();
    for y in 0..height {
        for x in 0..width {
            for c in 0..channels {
                let v = (x * 255 / width.max(2).saturating_sub(1).max(1) + y * 2 + c * 60) % 256;
                if sixteen {
                    data.extend_from_slice(&((v * 257 + x % 7) as u16).to_ne_bytes());
                } else {
                    data.push(v as u8);
                }
            }
        }
    }
    Image::from_raw(width, height, format, data).unwrap()
}

const ALL_FORMATS: [PixelFormat; 8] = [
    PixelFormat::L8,
    PixelFormat::La8,
    PixelFormat::Rgb8,
    PixelFormat::Rgba8,
    PixelFormat::L16,
    PixelFormat::La16,
    PixelFormat::Rgb16,
    PixelFormat::Rgba16,
];

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let mse =
        a.iter().zip(b).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum::<f64>() / a.len() as f64;
    10.0 * libm::log10(255.0 * 255.0 / mse.max(1e-12))
}

fn fixture(name: &str) -> Image {
    let path = std::format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut reader = ::png::Decoder::new(std::io::BufReader::new(file)).read_info().unwrap();
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    data.truncate(info.buffer_size());
    let format = match (info.color_type, info.bit_depth) {
        (::png::ColorType::Grayscale, ::png::BitDepth::Eight) => PixelFormat::L8,
        (::png::ColorType::Rgb, ::png::BitDepth::Eight) => PixelFormat::Rgb8,
        (::png::ColorType::Rgba, ::png::BitDepth::Eight) => PixelFormat::Rgba8,
        other => panic!("{name}: {other:?}"),
    };
    Image::from_raw(info.width, info.height, format, data).unwrap()
}

/// PNG bytes back to an [`Image`] with the png crate, 16-bit samples returned to native order.
fn decode_png(bytes: &[u8]) -> (Image, ::png::BitDepth) {
    let mut decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(::png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let depth = reader.info().bit_depth;
    let mut data = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut data).unwrap();
    data.truncate(info.buffer_size());
    let sixteen = info.bit_depth == ::png::BitDepth::Sixteen;
    let format = match (info.color_type, sixteen) {
        (::png::ColorType::Grayscale, false) => PixelFormat::L8,
        (::png::ColorType::GrayscaleAlpha, false) => PixelFormat::La8,
        (::png::ColorType::Rgb, false) => PixelFormat::Rgb8,
        (::png::ColorType::Rgba, false) => PixelFormat::Rgba8,
        (::png::ColorType::Grayscale, true) => PixelFormat::L16,
        (::png::ColorType::GrayscaleAlpha, true) => PixelFormat::La16,
        (::png::ColorType::Rgb, true) => PixelFormat::Rgb16,
        (::png::ColorType::Rgba, true) => PixelFormat::Rgba16,
        other => panic!("{other:?}"),
    };
    if sixteen {
        for s in data.chunks_exact_mut(2) {
            let v = u16::from_be_bytes([s[0], s[1]]);
            s.copy_from_slice(&v.to_ne_bytes());
        }
    }
    (Image::from_raw(info.width, info.height, format, data).unwrap(), depth)
}

/// JPEG bytes to (width, height, components, samples) with zune-jpeg.
fn decode_jpeg(bytes: &[u8]) -> (u32, u32, usize, Vec<u8>) {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let mut decoder = zune_jpeg::JpegDecoder::new(ZCursor::new(bytes));
    decoder.decode_headers().unwrap();
    let gray = decoder.input_colorspace() == Some(ColorSpace::Luma);
    let out = if gray { ColorSpace::Luma } else { ColorSpace::RGB };
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
        ZCursor::new(bytes),
        DecoderOptions::default().jpeg_set_out_colorspace(out),
    );
    let data = decoder.decode().unwrap();
    let info = decoder.info().unwrap();
    (u32::from(info.width), u32::from(info.height), out.num_components(), data)
}

/// The luma and chroma sampling factors written in the JPEG's baseline frame header.
fn jpeg_sampling(bytes: &[u8]) -> Vec<u8> {
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    let components = usize::from(bytes[sof + 9]);
    (0..components).map(|i| bytes[sof + 11 + 3 * i]).collect()
}

#[test]
fn png_round_trips_every_format_exactly() {
    for format in ALL_FORMATS {
        for (w, h) in [(1, 1), (37, 21), (256, 3)] {
            let img = gradient(w, h, format);
            let bytes = encode(&img, Format::Png, &EncodeOptions::default()).unwrap();
            let (back, _) = decode_png(&bytes);
            assert_eq!(back, img, "{format:?} {w}×{h}");
        }
    }
}

#[test]
fn png_packs_bitonal_images_to_one_bit() {
    let img = to_bitonal(gradient(61, 17, PixelFormat::Rgb8));
    let bytes = encode(&img, Format::Png, &EncodeOptions::default()).unwrap();
    let (back, depth) = decode_png(&bytes);
    assert_eq!(depth, ::png::BitDepth::One);
    assert_eq!(back, img);
    // Gray that only looks bitonal in places stays 8-bit.
    let gray = to_gray(gradient(61, 17, PixelFormat::Rgb8));
    assert_eq!(
        decode_png(&encode(&gray, Format::Png, &EncodeOptions::default()).unwrap()).1,
        ::png::BitDepth::Eight
    );
}

#[test]
fn png_levels_all_decode_and_best_is_smallest() {
    let img = fixture("astronaut.png");
    let img =
        crop_resize(&img, Crop { x: 0.0, y: 0.0, width: 512.0, height: 512.0 }, 256, 256, &Budget::default())
            .unwrap();
    let mut sizes = Vec::new();
    for level in [PngCompression::Fast, PngCompression::Default, PngCompression::Best] {
        let opts = EncodeOptions { png_compression: level, ..EncodeOptions::default() };
        let bytes = encode(&img, Format::Png, &opts).unwrap();
        assert_eq!(decode_png(&bytes).0, img, "{level:?}");
        sizes.push(bytes.len());
    }
    assert!(sizes[2] <= sizes[1] && sizes[1] <= sizes[0], "{sizes:?}");
    assert!(sizes[1] < img.data.len() * 3 / 4, "a photo should compress: {sizes:?}");
}

/// Red across, green down, blue along the diagonal: no edges anywhere.
fn smooth(width: u32, height: u32) -> Image {
    let data = (0..height)
        .flat_map(|y| {
            (0..width).flat_map(move |x| {
                let (fx, fy) = (x * 255 / (width - 1), y * 255 / (height - 1));
                [fx as u8, fy as u8, ((fx + fy) / 2) as u8]
            })
        })
        .collect();
    Image::from_raw(width, height, PixelFormat::Rgb8, data).unwrap()
}

#[test]
fn jpeg_q85_of_a_smooth_gradient_is_above_35_db() {
    let img = smooth(256, 192);
    let bytes = encode(&img, Format::Jpg, &EncodeOptions::default()).unwrap();
    let (w, h, components, data) = decode_jpeg(&bytes);
    assert_eq!((w, h, components), (256, 192, 3));
    let db = psnr(&data, &img.data);
    assert!(db >= 35.0, "{db:.1} dB");
    assert_eq!(jpeg_sampling(&bytes), [0x22, 0x11, 0x11], "4:2:0 below quality 90");
    let fine =
        encode(&img, Format::Jpg, &EncodeOptions { jpeg_quality: 95, ..EncodeOptions::default() }).unwrap();
    assert_eq!(jpeg_sampling(&fine), [0x11, 0x11, 0x11], "4:4:4 from quality 90");
}

#[test]
fn jpeg_of_a_real_photo_is_faithful() {
    let img = fixture("astronaut.png");
    let bytes = encode(&img, Format::Jpg, &EncodeOptions::default()).unwrap();
    let (w, h, _, data) = decode_jpeg(&bytes);
    assert_eq!((w, h), (512, 512));
    let db = psnr(&data, &img.data);
    assert!(db >= 30.0, "{db:.1} dB");
    assert!(bytes.len() < img.data.len() / 5, "{} bytes", bytes.len());
}

#[test]
fn jpeg_gray_is_one_component_and_alpha_and_16_bit_are_converted() {
    let gray = gradient(40, 30, PixelFormat::L8);
    let bytes = encode(&gray, Format::Jpg, &EncodeOptions::default()).unwrap();
    let (w, h, components, data) = decode_jpeg(&bytes);
    assert_eq!((w, h, components), (40, 30, 1));
    assert!(psnr(&data, &gray.data) >= 35.0);

    // Transparent pixels come out white.
    let mut clear = gradient(16, 16, PixelFormat::Rgba8);
    for px in clear.data.chunks_exact_mut(4) {
        px[3] = 0;
    }
    let (_, _, components, data) =
        decode_jpeg(&encode(&clear, Format::Jpg, &EncodeOptions::default()).unwrap());
    assert_eq!(components, 3);
    assert!(data.iter().all(|&v| v >= 250), "{:?}", &data[..12]);

    for format in [PixelFormat::L16, PixelFormat::La16, PixelFormat::Rgb16, PixelFormat::Rgba16] {
        let img = gradient(33, 9, format);
        let (w, h, components, _) =
            decode_jpeg(&encode(&img, Format::Jpg, &EncodeOptions::default()).unwrap());
        assert_eq!((w, h, components), (33, 9, if format.is_gray() { 1 } else { 3 }), "{format:?}");
    }
}

#[test]
fn jpeg_quality_is_clamped_and_sizes_are_checked() {
    let img = gradient(8, 8, PixelFormat::Rgb8);
    for q in [0, 1, 100, 255] {
        let bytes = encode(&img, Format::Jpg, &EncodeOptions { jpeg_quality: q, ..EncodeOptions::default() })
            .unwrap();
        assert_eq!(decode_jpeg(&bytes).0, 8, "q {q}");
    }
    let wide = Image::from_raw(70_000, 1, PixelFormat::L8, vec![0; 70_000]).unwrap();
    let e = encode(&wide, Format::Jpg, &EncodeOptions::default()).unwrap_err();
    assert_eq!(e.status(), 501, "{e}");
}

#[test]
fn validator_image_survives_scaling_and_encoding() {
    // The official validator image: 10×10 squares of 100 pixels, checked at each square's centre.
    let src = fixture("67352ccc-d1b0-11e1-89ae-279075081939.png");
    assert_eq!((src.width, src.height), (1000, 1000));
    let centre = |img: &Image, col: u32, row: u32, cell: u32| {
        let i = ((row * cell + cell / 2) * img.width + col * cell + cell / 2) as usize * 3;
        img.data[i..i + 3].to_vec()
    };
    let half = crop_resize(
        &src,
        Crop { x: 0.0, y: 0.0, width: 1000.0, height: 1000.0 },
        500,
        500,
        &Budget::default(),
    )
    .unwrap();
    let (back, _) = decode_png(&encode(&half, Format::Png, &EncodeOptions::default()).unwrap());
    let (_, _, _, jpeg) = decode_jpeg(&encode(&half, Format::Jpg, &EncodeOptions::default()).unwrap());
    let jpeg = Image::from_raw(500, 500, PixelFormat::Rgb8, jpeg).unwrap();
    for row in 0..10 {
        for col in 0..10 {
            let want = centre(&src, col, row, 100);
            let got = centre(&back, col, row, 50);
            assert!(
                want.iter().zip(&got).all(|(a, b)| a.abs_diff(*b) <= 2),
                "png {col},{row}: {got:?} {want:?}"
            );
            let got = centre(&jpeg, col, row, 50);
            assert!(
                want.iter().zip(&got).all(|(a, b)| a.abs_diff(*b) <= 8),
                "jpeg {col},{row}: {got:?} {want:?}"
            );
        }
    }
}

#[test]
fn one_pixel_images_encode_in_every_supported_format() {
    for &format in supported_formats() {
        for pixel in ALL_FORMATS {
            let img = gradient(1, 1, pixel);
            let bytes = encode(&img, format, &EncodeOptions::default()).unwrap();
            assert!(bytes.len() > 8, "{format:?} {pixel:?}");
        }
    }
}

#[test]
fn formats_without_an_encoder_are_unsupported() {
    let img = gradient(4, 4, PixelFormat::Rgb8);
    for format in Format::ALL {
        let result = encode(&img, format, &EncodeOptions::default());
        if supported_formats().contains(&format) {
            assert!(result.is_ok(), "{format:?}");
        } else {
            assert!(matches!(result, Err(PixelError::Unsupported { .. })), "{format:?}");
        }
    }
    assert!(supported_formats().starts_with(&[Format::Jpg, Format::Png]));
    assert!(!supported_formats().contains(&Format::Jp2) && !supported_formats().contains(&Format::Pdf));
    assert_eq!(supported_formats().contains(&Format::Webp), cfg!(feature = "std"));
}

#[test]
fn inconsistent_images_are_refused() {
    let broken = Image { width: 10, height: 10, format: PixelFormat::Rgb8, data: vec![0; 20] };
    for &format in supported_formats() {
        assert!(encode(&broken, format, &EncodeOptions::default()).is_err(), "{format:?}");
    }
}

#[cfg(feature = "std")]
mod with_std {
    use super::*;
    use crate::pixels::transform::to_8bit;
    use std::io::Cursor;

    #[test]
    fn webp_is_lossless() {
        for format in ALL_FORMATS {
            let img = gradient(45, 20, format);
            let bytes = encode(&img, Format::Webp, &EncodeOptions::default()).unwrap();
            let mut decoder = image_webp::WebPDecoder::new(Cursor::new(&bytes)).unwrap();
            assert_eq!(decoder.dimensions(), (45, 20));
            let mut data = vec![0; decoder.output_buffer_size().unwrap()];
            decoder.read_image(&mut data).unwrap();
            // The decoder always gives RGB(A): compare with the expected 8-bit image expanded to it.
            let expected = to_8bit(img.clone());
            let alpha = format.has_alpha();
            assert_eq!(decoder.has_alpha(), alpha, "{format:?}");
            let expanded: Vec<u8> = expected
                .data
                .chunks_exact(expected.format.bytes_per_pixel())
                .flat_map(|p| match *p {
                    [l] => vec![l, l, l],
                    [l, a] => vec![l, l, l, a],
                    _ => p.to_vec(),
                })
                .collect();
            assert_eq!(data, expanded, "{format:?}");
        }
    }

    #[test]
    fn webp_refuses_what_it_cannot_hold() {
        let wide = Image::from_raw(20_000, 1, PixelFormat::L8, vec![0; 20_000]).unwrap();
        assert!(matches!(
            encode(&wide, Format::Webp, &EncodeOptions::default()),
            Err(PixelError::Unsupported { .. })
        ));
    }

    /// GIF bytes to (width, height, RGBA pixels, palette entries) with the gif crate.
    fn decode_gif(bytes: &[u8]) -> (u16, u16, Vec<u8>, usize) {
        let mut options = ::gif::DecodeOptions::new();
        options.set_color_output(::gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(Cursor::new(bytes)).unwrap();
        let (w, h) = (decoder.width(), decoder.height());
        let frame = decoder.read_next_frame().unwrap().unwrap();
        let palette = frame.palette.as_ref().map_or(0, |p| p.len() / 3);
        (w, h, frame.buffer.to_vec(), palette)
    }

    #[test]
    fn gif_gray_and_few_colours_are_exact() {
        let gray = to_gray(gradient(50, 20, PixelFormat::Rgb8));
        let (w, h, rgba, _) = decode_gif(&encode(&gray, Format::Gif, &EncodeOptions::default()).unwrap());
        assert_eq!((w, h), (50, 20));
        let got: Vec<u8> = rgba.chunks_exact(4).map(|p| p[0]).collect();
        assert_eq!(got, gray.data);

        let bitonal = to_bitonal(gradient(50, 20, PixelFormat::Rgb8));
        let (_, _, rgba, palette) =
            decode_gif(&encode(&bitonal, Format::Gif, &EncodeOptions::default()).unwrap());
        assert_eq!(palette, 2);
        assert_eq!(rgba.chunks_exact(4).map(|p| p[0]).collect::<Vec<_>>(), bitonal.data);

        let few: Vec<u8> = (0..64u32).flat_map(|i| [(i % 4 * 80) as u8, (i / 16 * 60) as u8, 7]).collect();
        let few = Image::from_raw(8, 8, PixelFormat::Rgb8, few).unwrap();
        let (_, _, rgba, _) = decode_gif(&encode(&few, Format::Gif, &EncodeOptions::default()).unwrap());
        let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        assert_eq!(rgb, few.data);
    }

    #[test]
    fn gif_quantises_photos_and_keeps_transparency() {
        let photo = gradient(64, 64, PixelFormat::Rgb16);
        let (w, h, rgba, palette) =
            decode_gif(&encode(&photo, Format::Gif, &EncodeOptions::default()).unwrap());
        assert_eq!((w, h), (64, 64));
        assert!(palette <= 256);
        let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        assert!(psnr(&rgb, &to_8bit(photo).data) > 25.0);

        let mut img = gradient(10, 10, PixelFormat::La8);
        for (i, px) in img.data.chunks_exact_mut(2).enumerate() {
            px[1] = if i % 2 == 0 { 0 } else { 200 };
        }
        let (_, _, rgba, _) = decode_gif(&encode(&img, Format::Gif, &EncodeOptions::default()).unwrap());
        let alpha: Vec<u8> = rgba.chunks_exact(4).map(|p| p[3]).collect();
        assert!(alpha.iter().enumerate().all(|(i, &a)| a == if i % 2 == 0 { 0 } else { 255 }), "{alpha:?}");
    }

    #[test]
    fn tiff_round_trips_every_format_exactly() {
        use ::tiff::ColorType as T;
        use ::tiff::decoder::{Decoder, DecodingResult};
        for format in ALL_FORMATS {
            let img = gradient(37, 21, format);
            let bytes = encode(&img, Format::Tif, &EncodeOptions::default()).unwrap();
            let mut decoder = Decoder::new(Cursor::new(&bytes)).unwrap();
            assert_eq!(decoder.dimensions().unwrap(), (37, 21));
            // The tiff crate reports gray with an extra sample as `Multiband`, whatever the sample is.
            let expected_type = match format {
                PixelFormat::L8 => T::Gray(8),
                PixelFormat::La8 => T::Multiband { bit_depth: 8, num_samples: 2 },
                PixelFormat::Rgb8 => T::RGB(8),
                PixelFormat::Rgba8 => T::RGBA(8),
                PixelFormat::L16 => T::Gray(16),
                PixelFormat::La16 => T::Multiband { bit_depth: 16, num_samples: 2 },
                PixelFormat::Rgb16 => T::RGB(16),
                PixelFormat::Rgba16 => T::RGBA(16),
            };
            assert_eq!(decoder.colortype().unwrap(), expected_type);
            let extra = decoder.find_tag_unsigned_vec::<u16>(::tiff::tags::Tag::ExtraSamples).unwrap();
            // 2: unassociated alpha, i.e. not premultiplied, which is what an Image holds.
            assert_eq!(extra, format.has_alpha().then(|| vec![2]), "{format:?}");
            let data: Vec<u8> = match decoder.read_image().unwrap() {
                DecodingResult::U8(v) => v,
                DecodingResult::U16(v) => v.iter().flat_map(|s| s.to_ne_bytes()).collect(),
                other => panic!("{format:?}: {:?}", core::mem::discriminant(&other)),
            };
            assert_eq!(data, img.data, "{format:?}");
        }
    }

    #[test]
    fn tiff_compresses_photos() {
        let img = fixture("astronaut.png");
        let bytes = encode(&img, Format::Tif, &EncodeOptions::default()).unwrap();
        assert!(bytes.len() < img.data.len(), "{} of {}", bytes.len(), img.data.len());
    }
}
