//! HTJ2K through OpenJPH: lossless round trips decoded by OpenJPEG (the origin's decoder) and by Debian's
//! `ojph_expand`, lossy quality, the codestream's markers, tiles read by range, and bad options.

use std::process::Command;
use std::sync::Arc;

use tessella_core::pixels::decode::png::decode_png;
use tessella_core::pixels::{Budget, Image, PixelFormat};
use tessella_core::source::SourceBytes;
use tessella_core::source::jp2::codestream_info;
use tessella_openjpeg::OpenJpeg;
use tessella_openjph::{HtEncodeOptions, HtError, encode_htj2k};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn png(name: &str) -> Image {
    decode_png(&fixture(name), &Budget::default()).expect("decodes")
}

fn opj(data: &[u8]) -> Image {
    OpenJpeg::new(2).decode(data, 0, None, &Budget::default()).expect("OpenJPEG decodes HTJ2K")
}

/// A 16-bit image using all 16 bits.
fn widen(img: &Image) -> Image {
    let format = match img.format {
        PixelFormat::L8 => PixelFormat::L16,
        PixelFormat::Rgb8 => PixelFormat::Rgb16,
        other => panic!("{other:?}"),
    };
    let data = img
        .data
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| (u16::from(v) * 256 + (i as u16).wrapping_mul(37) % 256).to_ne_bytes())
        .collect();
    Image::from_raw(img.width, img.height, format, data).expect("16-bit")
}

#[test]
fn lossless_round_trips_exactly_through_openjpeg() {
    let lossless = HtEncodeOptions { lossless: true, ..HtEncodeOptions::default() };
    for img in
        [png("astronaut.png"), png("camera.png"), widen(&png("camera.png")), widen(&png("chelsea.png"))]
    {
        let out = encode_htj2k(&img, &lossless).expect("encodes");
        let back = opj(&out);
        assert_eq!((back.width, back.height, back.format), (img.width, img.height, img.format));
        assert!(back.data == img.data, "{:?}: pixels differ", img.format);
        // A raw codestream with the HT capability bit (Rsiz bit 14) and the recipe's tiles and levels.
        let info = codestream_info(&SourceBytes::from_vec(out), 0).expect("probe");
        assert_ne!(info.rsiz & (1 << 14), 0, "Rsiz {:#x}", info.rsiz);
        assert_eq!(info.coding.decomposition_levels, 6);
        assert_eq!(info.coding.code_block_width, 64);
    }
}

#[test]
fn lossy_is_small_and_close() {
    let img = png("astronaut.png");
    let out = encode_htj2k(&img, &HtEncodeOptions::default()).expect("encodes");
    let ratio = img.data.len() as f64 / out.len() as f64;
    let quality = tessella_core::pixels::psnr(&img, &opj(&out)).expect("psnr");
    println!("astronaut lossy, default qstep: {ratio:.1}:1, {quality:.2} dB");
    assert!(ratio > 6.0, "ratio {ratio:.1}");
    assert!(quality > 40.0, "PSNR {quality:.2} dB");
    let finer =
        encode_htj2k(&img, &HtEncodeOptions { qstep: 0.004, ..HtEncodeOptions::default() }).expect("encodes");
    assert!(finer.len() > out.len(), "a finer step is larger");
}

#[test]
fn ojph_expand_decodes_our_output() {
    if Command::new("ojph_expand").arg("-h").output().is_err() {
        assert!(
            std::env::var_os("TESSELLA_REQUIRE_TOOLS").is_none(),
            "ojph_expand is missing and TESSELLA_REQUIRE_TOOLS is set (apt-get install openjph-tools)"
        );
        eprintln!("skipping: ojph_expand not installed (apt-get install openjph-tools)");
        return;
    }
    let img = png("astronaut.png");
    let out = encode_htj2k(&img, &HtEncodeOptions { lossless: true, ..HtEncodeOptions::default() })
        .expect("encodes");
    let dir = std::env::temp_dir().join(format!("tessella-ojph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (input, output) = (dir.join("in.j2c"), dir.join("out.ppm"));
    std::fs::write(&input, &out).expect("write");
    let status =
        Command::new("ojph_expand").arg("-i").arg(&input).arg("-o").arg(&output).status().expect("runs");
    assert!(status.success());
    let ppm = std::fs::read(&output).expect("ppm");
    let header = format!("P6\n{} {}\n255\n", img.width, img.height);
    assert!(ppm.starts_with(header.as_bytes()), "{:?}", String::from_utf8_lossy(&ppm[..20]));
    assert!(ppm[header.len()..] == img.data[..], "ojph_expand decodes other pixels");
}

#[test]
fn a_tile_is_read_by_range_and_renders_as_from_the_whole_file() {
    use tessella_core::iiif::{Limits, Route, Version, parse_path, resolve};
    use tessella_core::render::{RenderOptions, ranges, render};
    use tessella_core::source::jp2_layout::{Indexed, Indexer};
    use tessella_core::source::{SourceError, probe};
    let img = png("astronaut.png");
    let file =
        encode_htj2k(&img, &HtEncodeOptions { tile_size: 128, levels: 5, ..HtEncodeOptions::default() })
            .expect("encodes");
    let mut bytes = SourceBytes::new(Some(file.len() as u64));
    let layout: Arc<tessella_core::source::jp2_layout::Jp2Layout> = loop {
        match Indexer::new(true).advance(&bytes) {
            Ok(Indexed::Layout(l)) => break Arc::from(l),
            Ok(Indexed::Whole(reason)) => panic!("{reason}"),
            Err(SourceError::NeedBytes(r)) => {
                bytes.insert(r.start, file[r.start as usize..r.end as usize].to_vec())
            }
            Err(e) => panic!("{e}"),
        }
    };
    let opts = RenderOptions { jp2_decoder: Some(Arc::new(OpenJpeg::new(1))), ..RenderOptions::default() };
    for params in
        ["128,256,128,128/max/0/default.png", "100,100,300,200/150,/0/default.png", "full/128,/0/default.png"]
    {
        let mut out = Vec::new();
        for with_layout in [false, true] {
            let mut g = probe(&SourceBytes::from_vec(file.clone())).expect("probe");
            if with_layout {
                g = g.with_jp2_layout(layout.clone());
            }
            let Ok(Route::Image(req)) = parse_path(Version::V3, &format!("x/{params}")) else { panic!() };
            let resolved = resolve(&req, g.width, g.height, &Limits::default()).expect("resolve");
            let p = tessella_core::plan(&g, &resolved).expect("plan");
            let mut held = SourceBytes::new(Some(file.len() as u64));
            for r in ranges(&g, &p, file.len() as u64) {
                held.insert(r.start, file[r.start as usize..r.end as usize].to_vec());
            }
            out.push((render(&g, &p, &resolved, &held, &opts).expect("renders").body, held.held()));
        }
        assert!(out[0].0 == out[1].0, "{params}: pixels differ");
        // One tile of 16 (and the header); a region over 12 of them; every tile (one tile-part each,
        // so nothing to cut short).
        let most = match params {
            p if p.starts_with("128,256") => out[0].1 / 4,
            p if p.starts_with("full") => out[0].1,
            _ => out[0].1 - 1,
        };
        assert!(out[1].1 <= most, "{params}: read {} of {}", out[1].1, out[0].1);
    }
}

#[test]
fn bad_options_are_typed_errors() {
    let img = png("camera.png");
    for qstep in [0.0, -1.0, 1.5, f32::NAN] {
        let r = encode_htj2k(&img, &HtEncodeOptions { qstep, ..HtEncodeOptions::default() });
        assert!(matches!(r, Err(HtError::InvalidOptions(_))), "qstep {qstep}: {r:?}");
    }
    let r = encode_htj2k(&img, &HtEncodeOptions { levels: 40, ..HtEncodeOptions::default() });
    assert!(matches!(r, Err(HtError::InvalidOptions(_))));
    let empty = Image { width: 0, height: 3, format: PixelFormat::L8, data: Vec::new() };
    assert!(matches!(encode_htj2k(&empty, &HtEncodeOptions::default()), Err(HtError::TooLarge(_))));
}

#[test]
fn rows_fed_in_any_bands_give_the_same_codestream() {
    use tessella_openjph::HtWriter;
    let img = png("astronaut.png");
    let opts = HtEncodeOptions { tile_size: 128, ..HtEncodeOptions::default() };
    let whole = encode_htj2k(&img, &opts).expect("encodes");
    let row = img.width as usize * 3;
    let mut w = HtWriter::start(img.width, img.height, img.format, &opts).expect("start");
    for band in [&img.data[..100 * row], &img.data[100 * row..101 * row], &img.data[101 * row..]] {
        w.write_rows(band).expect("rows");
    }
    assert!(w.finish().expect("finish") == whole);
    // Too many rows, a part row, and finishing early are errors; dropping an unfinished encode frees it.
    let mut w = HtWriter::start(img.width, img.height, img.format, &opts).expect("start");
    assert!(w.write_rows(&img.data[..row + 1]).is_err());
    w.write_rows(&img.data).expect("all rows");
    assert!(w.write_rows(&img.data[..row]).is_err());
    let w2 = HtWriter::start(img.width, img.height, img.format, &opts).expect("start");
    assert!(w2.finish().is_err());
    drop(HtWriter::start(img.width, img.height, img.format, &opts).expect("start"));
}
