//! The README's first command, end to end: `tessella inspect` probes real files by ranged reads and prints
//! info.json, canonical URLs and tile plans.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path)
}

fn fixture(name: &str) -> PathBuf {
    repo("../shared/fixtures").join(name)
}

/// Runs `tessella inspect ARGS` and returns its exit status and the JSON documents it printed.
fn inspect(args: &[&str]) -> (bool, Vec<Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_tessella"))
        .arg("inspect")
        .args(args)
        .output()
        .expect("run tessella");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let docs =
        serde_json::Deserializer::from_str(&stdout).into_iter::<Value>().collect::<Result<Vec<_>, _>>();
    (out.status.success(), docs.expect("stdout is a stream of JSON documents"))
}

#[test]
fn default_run_inspects_every_sample() {
    // With no paths, `inspect` reads the sample folder (no arguments at all now means `serve`).
    let out = Command::new(env!("CARGO_BIN_EXE_tessella"))
        .arg("inspect")
        .current_dir(repo(""))
        .output()
        .expect("run tessella");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let docs: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("json");
    assert_eq!(docs.len(), 4, "one document per sample image");
    for d in &docs {
        assert!(d["info"]["width"].as_u64().is_some_and(|w| w > 0), "{d}");
        assert!(
            d["requests"][0]["canonical"].as_str().is_some_and(|c| c.ends_with("/full/max/0/default.jpg")),
            "{d}"
        );
    }
}

#[test]
fn nemo_jp2_advertises_only_its_two_levels() {
    let (ok, docs) = inspect(&[
        repo("samples/nemo.jp2").to_str().expect("path"),
        "--base",
        "https://iiif.example.org/iiif",
    ]);
    assert!(ok);
    let d = &docs[0];
    assert_eq!(d["info"]["id"], "https://iiif.example.org/iiif/3/nemo");
    assert_eq!((d["info"]["width"].as_u64(), d["info"]["height"].as_u64()), (Some(2592), Some(1456)));
    assert_eq!(d["info"]["tiles"][0]["scaleFactors"], serde_json::json!([1, 2]));
    assert_eq!(d["levels"].as_array().map(Vec::len), Some(2));
    // The thumbnail is planned from the half-resolution level, not the full image.
    let thumb = &d["requests"][1];
    assert_eq!(thumb["canonical"], "https://iiif.example.org/iiif/3/nemo/full/200,112/0/default.jpg");
    assert_eq!(thumb["plan"]["level"], 1);
}

#[test]
fn large_progressive_jpeg_is_probed_from_a_few_kilobytes() {
    let (ok, docs) = inspect(&[fixture("Elephants_5640x3172.jpg").to_str().expect("path"), "--api", "2"]);
    assert!(ok);
    let d = &docs[0];
    assert_eq!(d["info"]["@id"], "http://127.0.0.1:8080/iiif/2/Elephants_5640x3172");
    assert_eq!((d["info"]["width"].as_u64(), d["info"]["height"].as_u64()), (Some(5640), Some(3172)));
    let read = d["probe"]["bytes_read"].as_u64().expect("bytes_read");
    let total = d["probe"]["file_bytes"].as_u64().expect("file_bytes");
    assert!(read * 100 < total, "read {read} of {total} bytes");
    assert_eq!(
        d["requests"][0]["canonical"],
        "http://127.0.0.1:8080/iiif/2/Elephants_5640x3172/full/full/0/default.jpg"
    );
}

#[test]
fn extra_requests_are_canonicalised_or_refused_with_a_reason() {
    let png = repo("samples/67352ccc-d1b0-11e1-89ae-279075081939.png");
    let (ok, docs) = inspect(&[
        png.to_str().expect("path"),
        "--request",
        "pct:10,10,20,20/pct:50/!90.0/gray.png",
        "--request",
        "full/2000,/0/default.jpg",
    ]);
    assert!(ok);
    let reqs = docs[0]["requests"].as_array().expect("requests");
    let n = reqs.len();
    assert!(
        reqs[n - 2]["canonical"].as_str().is_some_and(
            |c| c.ends_with("/67352ccc-d1b0-11e1-89ae-279075081939/100,100,200,200/100,100/!90/gray.png")
        ),
        "{}",
        reqs[n - 2]
    );
    assert_eq!(reqs[n - 1]["status"], 400);
    assert!(reqs[n - 1]["error"].as_str().is_some_and(|e| e.contains('^')), "{}", reqs[n - 1]);
}

#[test]
fn float_tiff_is_refused_with_a_clear_error() {
    let (ok, docs) = inspect(&[fixture("multipage_rgb.tif").to_str().expect("path")]);
    assert!(!ok, "an unsupported source makes the command fail");
    let err = docs[0]["error"].as_str().expect("error message");
    assert!(err.contains("floating-point"), "{err}");
}

#[test]
fn pyramidal_tiff_plans_read_only_the_tiles_they_need() {
    let (ok, docs) = inspect(&[repo("shared/tests/data/rocket-pyramid-jpeg.tif").to_str().expect("path")]);
    assert!(ok);
    let d = &docs[0];
    assert_eq!(d["format"], "TIFF");
    assert_eq!(
        d["info"]["tiles"][0],
        serde_json::json!({"width": 256, "height": 256, "scaleFactors": [1, 2, 4]})
    );
    let thumb = &d["requests"][1]["plan"];
    assert_eq!(thumb["level"], 1, "{thumb}");
    let full = &d["requests"][0]["plan"];
    let thumb_bytes = thumb["source_bytes"].as_u64().expect("tile byte ranges are known");
    let full_bytes = full["source_bytes"].as_u64().expect("tile byte ranges are known");
    assert!(thumb_bytes * 2 < full_bytes, "thumbnail reads {thumb_bytes}, full image {full_bytes}");
    // The viewer tile at scale factor 2 uses level 1 even though libvips rounded that level down.
    assert_eq!(d["requests"][2]["plan"]["level"], 1, "{}", d["requests"][2]);
}
