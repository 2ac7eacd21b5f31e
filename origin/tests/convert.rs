//! `tessella convert` end to end: the binary on real TIFF sources in a folder, the result CSV, the
//! derivatives it writes (checked by the core that serves them), reruns, and a `kill -9` mid-batch.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tessella_core::geometry::Geometry;
use tessella_core::iiif::{Format, Limits, Route, Version, parse_path, resolve};
use tessella_core::pixels::Image;
use tessella_core::pixels::encode::{EncodeOptions, encode};
use tessella_core::plan;
use tessella_core::render::{RenderOptions, ranges, render};
use tessella_core::source::SourceBytes;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures").join(name)
}

fn bytes_of(data: &[u8]) -> SourceBytes {
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data.to_vec());
    bytes
}

/// The whole image at full resolution, decoded by the core.
fn decode_full(data: &[u8]) -> (Geometry, Image) {
    tessella_core::render::decode_full(&bytes_of(data), &RenderOptions::default()).expect("decode")
}

/// An uncompressed TIFF of a fixture, as an archive's master would be.
fn tiff_of(fixture_name: &str) -> Vec<u8> {
    let (_, image) = decode_full(&std::fs::read(fixture(fixture_name)).expect("fixture"));
    encode(&image, Format::Tif, &EncodeOptions::default()).expect("tiff")
}

fn psnr(a: &Image, b: &Image) -> f64 {
    tessella_core::pixels::psnr(a, b).expect("same size and layout")
}

fn tessella(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessella"))
        .args(args)
        .env("TESSELLA_LOG", "warn")
        .env_remove("TESSELLA_ADMIN__TOKEN")
        .output()
        .expect("run tessella")
}

/// The result CSV as rows of column → value.
fn result_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("result csv");
    let headers: Vec<String> = reader.headers().expect("headers").iter().map(str::to_string).collect();
    reader
        .records()
        .map(|r| headers.iter().cloned().zip(r.expect("record").iter().map(str::to_string)).collect())
        .collect()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("under").to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

struct Batch {
    dir: tempfile::TempDir,
}

impl Batch {
    fn new() -> Batch {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("masters/sub")).expect("mkdir");
        Batch { dir }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    fn write(&self, rel: &str, data: &[u8]) {
        std::fs::write(self.path(rel), data).expect("write");
    }
    fn convert(&self, csv: &str, extra: &[&str]) -> Output {
        let csv = self.path(csv);
        let source = self.path("masters");
        let dest = self.path("derivatives");
        let mut args = vec![
            "convert",
            csv.to_str().expect("utf-8"),
            "--source",
            source.to_str().expect("utf-8"),
            "--dest",
            dest.to_str().expect("utf-8"),
            "--iiif-base",
            "https://iiif.example.edu",
        ];
        args.extend_from_slice(extra);
        tessella(&args)
    }
}

const BATCH: &str = "\
Title,Item ARK,Parent ARK,Object Type,File Name,viewingHint,Rights.copyrightStatus
Collection,ark:/21198/c1,,Collection,,,
Book,ark:/21198/w1,ark:/21198/c1,Work,,paged,pd
Astronaut,ark:/21198/a1,ark:/21198/w1,Page,astronaut.tif,,pd
Chelsea,ark:/21198/a2,ark:/21198/w1,Page,sub/chelsea.tif,,\"pd, \"\"quoted\"\"\"
Gone,ark:/21198/a3,ark:/21198/w1,Page,sub/gone.tif,,pd
Spaces,ark:/21198/a4,ark:/21198/w1,Page,sub/with space.tif,,pd
Again,ark:/21198/a1,ark:/21198/w1,Page,sub/chelsea.tif,,pd
Broken,ark:/21198/a5,ark:/21198/w1,Page,broken.tif,,pd
Escape,ark:/21198/a6,ark:/21198/w1,Page,../secret.tif,,pd
";

#[test]
fn a_batch_reports_every_row_writes_servable_derivatives_and_reruns_as_ingested() {
    let b = Batch::new();
    let astronaut = tiff_of("astronaut.png");
    b.write("masters/astronaut.tif", &astronaut);
    b.write("masters/sub/chelsea.tif", &tiff_of("chelsea.png"));
    // A TIFF header promising strips that are not there: unreadable, reported, the batch goes on.
    b.write("masters/broken.tif", &astronaut[..astronaut.len() / 3]);
    b.write("secret.tif", &astronaut);
    b.write("batch.csv", BATCH.as_bytes());

    let out = b.convert("batch.csv", &["--tile", "256"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Failures and missing files make the exit status 2, after the whole batch ran.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("2 succeeded, 0 ingested, 1 missing, 4 failed, 2 passed through"), "{stderr}");

    let rows = result_rows(&b.path("batch-result.csv"));
    assert_eq!(rows.len(), 9);
    let state: Vec<&str> = rows.iter().map(|r| r["Bucketeer State"].as_str()).collect();
    assert_eq!(state, ["", "", "succeeded", "succeeded", "missing", "failed", "failed", "failed", "failed"]);
    // Every input column kept, in order, values untouched (quotes and commas included).
    let text = std::fs::read_to_string(b.path("batch-result.csv")).expect("result");
    assert!(text.starts_with(
        "Title,Item ARK,Parent ARK,Object Type,File Name,viewingHint,Rights.copyrightStatus,\
         Bucketeer State,IIIF Access URL,Bucketeer Message\n"
    ));
    assert_eq!(rows[3]["Rights.copyrightStatus"], "pd, \"quoted\"");
    assert_eq!(rows[2]["IIIF Access URL"], "https://iiif.example.edu/iiif/3/ark:%2F21198%2Fa1");
    assert_eq!(rows[4]["IIIF Access URL"], "");
    // Each bad row says why.
    assert!(rows[4]["Bucketeer Message"].contains("sub/gone.tif"), "{:?}", rows[4]);
    assert!(rows[5]["Bucketeer Message"].contains("spaces"), "{:?}", rows[5]);
    assert!(
        rows[6]["Bucketeer Message"].contains("duplicate") && rows[6]["Bucketeer Message"].contains("line 4")
    );
    assert!(!rows[7]["Bucketeer Message"].is_empty(), "{:?}", rows[7]);
    assert!(rows[8]["Bucketeer Message"].contains("plain path"), "{:?}", rows[8]);

    // Exactly the two derivatives, keyed by ARK.
    assert_eq!(files_under(&b.path("derivatives")), ["ark:/21198/a1.tif", "ark:/21198/a2.tif"]);
    let derivative = std::fs::read(b.path("derivatives/ark:/21198/a1.tif")).expect("derivative");
    let (geometry, pixels) = decode_full(&derivative);
    let (_, original) = decode_full(&astronaut);
    assert_eq!((geometry.width, geometry.height), (512, 512));
    // A pyramid down to one tile: 512 and 256.
    assert_eq!(geometry.levels.len(), 2, "{:?}", geometry.levels.iter().map(|l| l.width).collect::<Vec<_>>());
    let quality = psnr(&original, &pixels);
    eprintln!("pyramidal TIFF at JPEG quality 90: PSNR {quality:.1} dB");
    assert!(quality > 35.0, "PSNR {quality:.1} dB");

    // The origin serves its tiles by passthrough: no decode, the stored JPEG goes out.
    let Ok(Route::Image(request)) = parse_path(Version::V3, "x/256,0,256,256/256,/0/default.jpg") else {
        panic!("parse")
    };
    let resolved = resolve(&request, geometry.width, geometry.height, &Limits::default()).expect("resolve");
    let tile_plan = plan(&geometry, &resolved).expect("plan");
    let mut source = SourceBytes::new(Some(derivative.len() as u64));
    for range in ranges(&geometry, &tile_plan, derivative.len() as u64) {
        source.insert(range.start, derivative[range.start as usize..range.end as usize].to_vec());
    }
    let tile = render(&geometry, &tile_plan, &resolved, &source, &RenderOptions::default()).expect("render");
    assert!(tile.passthrough, "a 256 tile of a 256-tiled pyramid is passed through");

    // A rerun of the result CSV converts nothing: done rows are ingested, their objects untouched.
    let written =
        std::fs::metadata(b.path("derivatives/ark:/21198/a1.tif")).and_then(|m| m.modified()).expect("mtime");
    let out = b.convert("batch-result.csv", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0 succeeded, 2 ingested, 1 missing, 4 failed"), "{stderr}");
    let again =
        std::fs::metadata(b.path("derivatives/ark:/21198/a1.tif")).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(written, again);
    let rows = result_rows(&b.path("batch-result.csv"));
    assert_eq!(rows[2]["Bucketeer State"], "ingested");
    assert_eq!(rows[2]["IIIF Access URL"], "https://iiif.example.edu/iiif/3/ark:%2F21198%2Fa1");

    // The missing master arrives: --failures-only converts that row and touches no other.
    b.write("masters/sub/gone.tif", &tiff_of("camera.png"));
    let out = b.convert("batch-result.csv", &["--failures-only"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 succeeded, 0 ingested, 0 missing, 4 failed"), "{stderr}");
    let rows = result_rows(&b.path("batch-result.csv"));
    assert_eq!(rows[4]["Bucketeer State"], "succeeded");
    assert_eq!(rows[4]["Bucketeer Message"], "");
    assert_eq!(rows[2]["Bucketeer State"], "ingested", "rows not rerun keep their state");
    let (gray, _) = decode_full(&std::fs::read(b.path("derivatives/ark:/21198/a3.tif")).expect("a3"));
    assert_eq!((gray.width, gray.height), (512, 512));
}

#[test]
fn a_bad_csv_or_destination_is_a_clear_error() {
    let b = Batch::new();
    b.write("no-ark.csv", b"Title,File Name\nx,a.tif\n");
    let out = b.convert("no-ark.csv", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Item ARK"), "{out:?}");
    assert!(!b.path("no-ark-result.csv").exists());

    let out = tessella(&["convert", b.path("absent.csv").to_str().expect("utf-8"), "--dest", "/tmp/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.csv"), "{out:?}");
}

#[test]
fn a_killed_batch_leaves_no_partial_derivative_and_a_rerun_finishes_it() {
    let b = Batch::new();
    // Big enough that a conversion takes a noticeable time: 2048×2048, a fixture repeated 4×4.
    let (_, small) = decode_full(&std::fs::read(fixture("astronaut.png")).expect("fixture"));
    let row = small.data.len() / small.height as usize;
    let mut data = Vec::with_capacity(row * 16 * small.height as usize);
    for y in 0..small.height as usize * 4 {
        let line = &small.data[(y % small.height as usize) * row..][..row];
        for _ in 0..4 {
            data.extend_from_slice(line);
        }
    }
    let big = Image { width: small.width * 4, height: small.height * 4, format: small.format, data };
    let master = encode(&big, Format::Tif, &EncodeOptions::default()).expect("tiff");
    let mut csv = String::from("Item ARK,File Name\n");
    for i in 0..12 {
        b.write(&format!("masters/m{i}.tif"), &master);
        csv.push_str(&format!("ark:/13030/k{i},m{i}.tif\n"));
    }
    b.write("batch.csv", csv.as_bytes());

    let mut child = Command::new(env!("CARGO_BIN_EXE_tessella"))
        .args(["convert", b.path("batch.csv").to_str().expect("utf-8"), "--jobs", "1"])
        .args(["--source", b.path("masters").to_str().expect("utf-8")])
        .args(["--dest", b.path("derivatives").to_str().expect("utf-8")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Killed once the first derivatives are in place, in the middle of the batch.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = b.path("derivatives").exists()
            && files_under(&b.path("derivatives")).iter().filter(|f| f.ends_with(".tif")).count() >= 2;
        if done || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(!b.path("batch-result.csv").exists(), "a killed run writes no result");
    let after_kill = files_under(&b.path("derivatives"));
    let finished: Vec<&String> = after_kill.iter().filter(|f| f.ends_with(".tif")).collect();
    assert!(finished.len() >= 2 && finished.len() < 12, "killed mid-batch: {after_kill:?}");
    // Whatever is under a real key is a whole derivative.
    for name in &finished {
        let data = std::fs::read(b.path("derivatives").join(name)).expect("read");
        let (geometry, _) = decode_full(&data);
        assert_eq!((geometry.width, geometry.height), (2048, 2048), "{name}");
    }

    let out = b.convert("batch.csv", &["--jobs", "2"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let converted = 12 - finished.len();
    assert!(
        stderr.contains(&format!("{converted} succeeded, {} ingested, 0 missing, 0 failed", finished.len())),
        "{stderr}"
    );
    // Twelve derivatives, no staging file left behind, nothing written twice.
    let all = files_under(&b.path("derivatives"));
    assert_eq!(all.len(), 12, "{all:?}");
    assert!(all.iter().all(|f| f.ends_with(".tif")), "{all:?}");
}

/// Whether Debian's `opj_decompress` is here; tests/run.sh installs it and sets `TESSELLA_REQUIRE_TOOLS`,
/// so the suite never skips what it claims to check.
fn opj_decompress() -> bool {
    let found =
        Command::new("opj_decompress").arg("-h").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    assert!(found || std::env::var_os("TESSELLA_REQUIRE_TOOLS").is_none(), "opj_decompress is required");
    found
}

#[test]
fn jp2_derivatives_follow_the_recipe_decode_everywhere_and_lossless_is_exact() {
    let b = Batch::new();
    let astronaut = tiff_of("astronaut.png");
    b.write("masters/astronaut.tif", &astronaut);
    b.write("batch.csv", b"Item ARK,File Name\nark:/21198/j1,astronaut.tif\n");
    let (_, original) = decode_full(&astronaut);

    for (mode, extra) in [("lossy", &["--rate", "8"][..]), ("lossless", &["--lossless"][..])] {
        let dest = b.path(&format!("derivatives-{mode}"));
        let mut args = vec!["--format", "jp2", "--force", "--output"];
        let output = b.path(&format!("{mode}.csv"));
        args.push(output.to_str().expect("utf-8"));
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_tessella"))
            .args(["convert", b.path("batch.csv").to_str().expect("utf-8")])
            .args(["--source", b.path("masters").to_str().expect("utf-8")])
            .args(["--dest", dest.to_str().expect("utf-8")])
            .args(&args)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        // Bucketeer's key: {ARK}.jpx.
        let path = dest.join("ark:/21198/j1.jpx");
        let data = std::fs::read(&path).expect("derivative");
        assert_eq!(&data[4..8], b"jP  ", "a JP2 file");
        // The core (hayro, the edge's decoder) reads it: full size and reduced levels.
        let (geometry, pixels) = decode_full(&data);
        assert_eq!((geometry.width, geometry.height), (512, 512));
        let quality = psnr(&original, &pixels);
        eprintln!("JP2 {mode}: {} bytes, PSNR {quality:.1} dB", data.len());
        if mode == "lossless" {
            assert!(quality.is_infinite(), "lossless is exact, got {quality:.1} dB");
        } else {
            assert!(quality > 30.0 && quality.is_finite(), "lossy at 8:1: {quality:.1} dB");
            assert!(data.len() < original.data.len() / 6, "about 8:1: {} bytes", data.len());
        }
        // And Debian's OpenJPEG command line decodes it.
        if opj_decompress() {
            let png = b.path(&format!("{mode}.png"));
            // opj_decompress goes by the extension, and knows .jp2 rather than .jpx.
            let jp2 = b.path(&format!("{mode}.jp2"));
            std::fs::copy(&path, &jp2).expect("copy");
            let status = Command::new("opj_decompress")
                .arg("-i")
                .arg(&jp2)
                .arg("-o")
                .arg(&png)
                .stdout(Stdio::null())
                .status()
                .expect("opj_decompress");
            assert!(status.success(), "opj_decompress failed on our {mode} JP2");
            let decoded = decode_full(&std::fs::read(&png).expect("png")).1;
            assert_eq!((decoded.width, decoded.height), (512, 512));
            if mode == "lossless" {
                assert_eq!(decoded.data, original.data, "opj_decompress gives back the exact pixels");
            }
        }
    }
}

/// `--format htj2k`: a raw HTJ2K codestream by OpenJPH, `{ark}.jhc`, that OpenJPEG (the origin's decoder)
/// reads back exactly when lossless.
#[cfg(feature = "htj2k")]
#[test]
fn htj2k_derivatives_are_high_throughput_codestreams_that_decode_exactly() {
    let b = Batch::new();
    let astronaut = tiff_of("astronaut.png");
    b.write("masters/astronaut.tif", &astronaut);
    b.write("batch.csv", b"Item ARK,File Name\nark:/21198/h1,astronaut.tif\n");
    let (_, original) = decode_full(&astronaut);
    for (mode, extra) in [("lossy", &["--qstep", "0.012"][..]), ("lossless", &["--lossless"][..])] {
        let output = b.path(&format!("ht-{mode}.csv"));
        let mut args = vec!["--format", "htj2k", "--force", "--output", output.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        let out = b.convert("batch.csv", &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let rows = result_rows(&output);
        assert_eq!(rows[0]["Bucketeer State"], "succeeded", "{:?}", rows[0]);
        let data = std::fs::read(b.path("derivatives/ark:/21198/h1.jhc")).expect("derivative");
        let info = tessella_core::source::jp2::codestream_info(&bytes_of(&data), 0).expect("a codestream");
        assert_ne!(info.rsiz & (1 << 14), 0, "Rsiz says HTJ2K");
        let decoded = tessella_openjpeg::OpenJpeg::new(2)
            .decode(&data, 0, None, &tessella_core::pixels::Budget::default())
            .expect("OpenJPEG decodes it");
        let quality = psnr(&original, &decoded);
        eprintln!("HTJ2K {mode}: {} bytes, PSNR {quality:.1} dB", data.len());
        if mode == "lossless" {
            assert!(quality.is_infinite(), "lossless is exact, got {quality:.1} dB");
        } else {
            assert!(
                quality > 38.0 && data.len() < original.data.len() / 5,
                "{quality:.1} dB, {} bytes",
                data.len()
            );
        }
    }
}

/// Without the `htj2k` feature the format is known but reported on the row, and the batch goes on.
#[cfg(not(feature = "htj2k"))]
#[test]
fn htj2k_without_the_feature_fails_the_row_with_the_reason() {
    let b = Batch::new();
    b.write("masters/astronaut.tif", &tiff_of("astronaut.png"));
    b.write("batch.csv", b"Item ARK,File Name\nark:/21198/h1,astronaut.tif\n");
    let output = b.path("ht.csv");
    let out = b.convert("batch.csv", &["--format", "htj2k", "--output", output.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = result_rows(&output);
    assert_eq!(rows[0]["Bucketeer State"], "failed");
    let all = format!("{:?}", rows[0]);
    assert!(all.contains("--features htj2k"), "{all}");
}

/// A JPEG 2000 of a TIFF in strips is made a band of rows at a time from ranged reads
/// (`convert::stream`), here 16-bit RGB in strips of 8 rows crossing bands of 16; a single-strip TIFF and a
/// JPEG take the whole-image path. Every result is the same file, byte for byte, as encoding the whole
/// decoded image.
#[test]
fn jp2_of_a_tiff_made_band_by_band_is_the_whole_image_encode() {
    use tessella_openjpeg::{Jp2Container, Jp2EncodeOptions, Jp2Mode, encode_jp2};
    let b = Batch::new();
    let astronaut = tiff_of("astronaut.png");
    let deep = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tests/data/rocket-80-rgb16-deflate-be.tif"),
    )
    .expect("16-bit TIFF");
    b.write("masters/astronaut.tif", &astronaut);
    b.write("masters/deep.tif", &deep);
    std::fs::copy(fixture("rocket.jpg"), b.path("masters/rocket.jpg")).expect("copy");
    b.write(
        "batch.csv",
        b"Item ARK,File Name\nark:/21198/s1,astronaut.tif\nark:/21198/s2,deep.tif\nark:/21198/s3,rocket.jpg\n",
    );
    for (mode, extra) in [("lossless", &["--lossless"][..]), ("lossy", &["--rate", "8"][..])] {
        let output = b.path(&format!("bands-{mode}.csv"));
        // 16-pixel tiles: bands of 16 rows, so the 53-row 16-bit image takes 4 bands over its 7 strips.
        let mut args =
            vec!["--format", "jp2", "--tile", "16", "--force", "--output", output.to_str().expect("utf-8")];
        args.extend_from_slice(extra);
        let out = b.convert("batch.csv", &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for (ark, source) in [("s1", &astronaut), ("s2", &deep)] {
            let made =
                std::fs::read(b.path(&format!("derivatives/ark:/21198/{ark}.jpx"))).expect("derivative");
            let (_, image) = decode_full(source);
            let opts = Jp2EncodeOptions {
                tile_size: 16,
                levels: 6,
                mode: if mode == "lossless" { Jp2Mode::Lossless } else { Jp2Mode::Lossy { rate: 8.0 } },
                threads: 1,
                format: Jp2Container::Jp2,
                early_termination: true,
            };
            let whole = encode_jp2(&image, &opts).expect("encode");
            assert!(made == whole, "{ark} {mode}: the banded encode differs from the whole-image one");
        }
        let rows = result_rows(&output);
        assert!(rows.iter().all(|r| r["Bucketeer State"] == "succeeded"), "{rows:?}");
        assert!(b.path("derivatives/ark:/21198/s3.jpx").exists(), "the JPEG source converts whole");
    }
}

/// Rows start in the CSV's order (so a batch listing its largest images first keeps every core busy to
/// the end): with one job at a time they also finish in it, as the progress lines show.
#[test]
fn rows_convert_in_the_order_of_the_csv() {
    let b = Batch::new();
    let tiff = tiff_of("camera.png");
    let mut csv = String::from("Item ARK,File Name\n");
    for i in 0..12 {
        b.write(&format!("masters/p{i}.tif"), &tiff);
        csv.push_str(&format!("ark:/21198/p{i},p{i}.tif\n"));
    }
    b.write("order.csv", csv.as_bytes());
    let out = b.convert("order.csv", &["--jobs", "1", "--tile", "256"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let order: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.split(" ark:/21198/").nth(1))
        .filter_map(|rest| rest.split(':').next())
        .collect();
    let expected: Vec<String> = (0..12).map(|i| format!("p{i}")).collect();
    assert_eq!(order, expected, "{stderr}");
}
