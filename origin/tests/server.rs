//! `tessella serve` end to end: the real server in-process on 127.0.0.1:0 over a temporary folder of
//! sample images, talked to over HTTP.

use std::path::PathBuf;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use tessella_core::pixels::Budget;
use tessella_core::pixels::decode::jpeg::decode_jpeg;
use tessella_origin::config::Config;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path)
}

struct Server {
    base: String,
    client: Client,
    // Held so the folder outlives the server.
    _dir: tempfile::TempDir,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    async fn metrics(&self) -> String {
        self.get("/metrics").await.text().await.expect("metrics text")
    }
}

/// A folder `images/` with the samples, the pyramidal TIFF and an ARK-style nested key, beside a file
/// `secret.png` that must stay unreachable.
fn image_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let images = dir.path().join("images");
    std::fs::create_dir_all(images.join("ark:/1234")).expect("mkdir");
    for name in ["rocket.jpg", "camera.png", "nemo.jp2", "67352ccc-d1b0-11e1-89ae-279075081939.png"] {
        std::fs::copy(repo("samples").join(name), images.join(name)).expect("copy sample");
    }
    std::fs::copy(repo("origin/tests/data/kakadu-like.jpx"), images.join("kakadu-like.jpx"))
        .expect("copy jpx");
    std::fs::copy(repo("origin/tests/data/astronaut-ht.jhc"), images.join("astronaut-ht.jhc"))
        .expect("copy jhc");
    let pyramid = repo("shared/tests/data/rocket-pyramid-jpeg.tif");
    std::fs::copy(&pyramid, images.join("rocket-pyramid-jpeg.tif")).expect("copy pyramid");
    std::fs::copy(repo("samples/camera.png"), images.join("ark:/1234/x.png")).expect("copy ark");
    std::fs::copy(repo("samples/camera.png"), dir.path().join("secret.png")).expect("copy secret");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.png"), images.join("link.png")).expect("symlink");
    dir
}

async fn start_with(adjust: impl FnOnce(&mut Config)) -> Server {
    let dir = image_folder();
    let mut config = Config::default();
    config.source.path = dir.path().join("images");
    config.manifests.path = dir.path().join("manifests");
    config.threads = 2;
    adjust(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        if let Err(e) = tessella_origin::serve(listener, config).await {
            panic!("server failed: {e}");
        }
    });
    // Redirects are part of what is tested, so the client does not follow them.
    let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    Server { base, client, _dir: dir }
}

async fn start() -> Server {
    start_with(|_| {}).await
}

fn header(h: &HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The sum of a metric's samples whose line contains every one of `labels`.
fn metric(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| labels.iter().all(|x| l.contains(x)))
        .filter_map(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()))
        .sum()
}

#[tokio::test]
async fn info_json_v3() {
    let s = start().await;
    let r = s.get("/iiif/3/rocket/info.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(r.headers(), header::CONTENT_TYPE), "application/json");
    assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let info: Value = r.json().await.expect("json");
    assert_eq!(info["id"], format!("{}/iiif/3/rocket", s.base));
    assert_eq!(info["@context"], "http://iiif.io/api/image/3/context.json");
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(640), Some(427)));
    assert!(info["extraFormats"].as_array().is_some_and(|f| f.contains(&Value::from("webp"))), "{info}");

    let r = s
        .client
        .get(s.url("/iiif/3/rocket/info.json"))
        .header(header::ACCEPT, "application/ld+json")
        .send()
        .await
        .expect("request");
    assert_eq!(
        header(r.headers(), header::CONTENT_TYPE),
        "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\""
    );
}

#[tokio::test]
async fn info_json_v2_has_context_link() {
    let s = start().await;
    let r = s.get("/iiif/2/rocket/info.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(r.headers(), header::CONTENT_TYPE), "application/json");
    assert!(header(r.headers(), header::LINK).contains("http://iiif.io/api/image/2/context.json"));
    assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let info: Value = r.json().await.expect("json");
    assert_eq!(info["@id"], format!("{}/iiif/2/rocket", s.base));
    assert_eq!(info["@context"], "http://iiif.io/api/image/2/context.json");

    let r = s
        .client
        .get(s.url("/iiif/2/rocket/info.json"))
        .header(header::ACCEPT, "application/ld+json")
        .send()
        .await
        .expect("request");
    assert_eq!(header(r.headers(), header::CONTENT_TYPE), "application/ld+json");
    assert!(r.headers().get(header::LINK).is_none());
}

#[tokio::test]
async fn info_json_advertises_configured_limits() {
    let s = start_with(|c| c.limits.max_width = Some(400)).await;
    let info: Value = s.get("/iiif/3/rocket/info.json").await.json().await.expect("json");
    assert_eq!(info["maxWidth"], 400);
    let r = s.get("/iiif/3/rocket/full/500,/0/default.jpg").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pyramid_tile_is_a_jpeg_of_the_right_size_and_passes_through_unchanged() {
    let s = start().await;
    let path = "/iiif/3/rocket-pyramid-jpeg/0,0,256,256/256,256/0/default.jpg";
    let first = s.get(&format!("{path}?cache=false")).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(header(first.headers(), header::CONTENT_TYPE), "image/jpeg");
    let link = header(first.headers(), header::LINK).to_string();
    assert!(link.contains("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""), "{link}");
    // A size equal to the region is `max` in 3.0's canonical form.
    let canonical = format!("<{}/iiif/3/rocket-pyramid-jpeg/0,0,256,256/max/0/default.jpg>", s.base);
    assert!(link.contains(&format!("{canonical};rel=\"canonical\"")), "{link}");
    assert!(header(first.headers(), header::CACHE_CONTROL).starts_with("public, max-age="));
    let a = first.bytes().await.expect("body");
    let image = decode_jpeg(&a, &Budget::default()).expect("a JPEG");
    assert_eq!((image.width, image.height), (256, 256));
    let b = s.get(&format!("{path}?cache=false")).await.bytes().await.expect("body");
    assert_eq!(a, b, "a passed-through tile is the same bytes every time");

    // Only the tile's bytes are read, not the file: the third request reads no header and one tile.
    let before = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]);
    assert_eq!(s.get(&format!("{path}?cache=false")).await.status(), StatusCode::OK);
    let read = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]) - before;
    let file_len = std::fs::metadata(repo("shared/tests/data/rocket-pyramid-jpeg.tif")).expect("size").len();
    assert!(read > 0.0 && read * 3.0 < file_len as f64, "read {read} of {file_len} bytes");
}

#[tokio::test]
async fn every_supported_output_format_renders() {
    let s = start().await;
    for (fmt, media) in [("jpg", "image/jpeg"), ("png", "image/png"), ("webp", "image/webp")] {
        let r = s.get(&format!("/iiif/3/nemo/full/200,/0/default.{fmt}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{fmt}");
        assert_eq!(header(r.headers(), header::CONTENT_TYPE), media);
        assert!(!r.bytes().await.expect("body").is_empty());
    }
    let r = s.get("/iiif/2/camera/full/full/90/gray.png").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn base_uri_redirects_to_info_json() {
    let s = start().await;
    let r = s.get("/iiif/3/rocket").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(r.headers(), header::LOCATION), format!("{}/iiif/3/rocket/info.json", s.base));
    assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
}

#[tokio::test]
async fn ark_identifier_with_encoded_slashes_survives() {
    let s = start().await;
    let r = s.get("/iiif/3/ark:%2F1234%2Fx/info.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let info: Value = r.json().await.expect("json");
    assert_eq!(info["id"], format!("{}/iiif/3/ark:%2F1234%2Fx", s.base));
    let r = s.get("/iiif/3/ark:%2F1234%2Fx/full/64,/0/default.png").await;
    assert_eq!(r.status(), StatusCode::OK);
    // An unescaped slash is not part of an identifier: the path names no image (the official
    // validator's id_error_escapedslash expects 404).
    let r = s.get("/iiif/3/ark:/1234/x/full/64,/0/default.png").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn errors_carry_status_reason_and_cors() {
    let s = start().await;
    let too_long_name = format!("/iiif/3/{}/info.json", "n".repeat(300));
    let too_long_key = format!("/iiif/3/{}/info.json", "k".repeat(1100));
    let cases = [
        ("/iiif/3/rocket/full/max/0/default", StatusCode::BAD_REQUEST, "format"),
        ("/iiif/3/rocket/full/huge/0/default.jpg", StatusCode::BAD_REQUEST, "size"),
        ("/iiif/3/no-such-image/info.json", StatusCode::NOT_FOUND, "no-such-image"),
        ("/iiif/3/no-such-image/full/max/0/default.jpg", StatusCode::NOT_FOUND, "no-such-image"),
        ("/iiif/3/rocket/full/max/0/default.pdf", StatusCode::NOT_IMPLEMENTED, "pdf"),
        ("/elsewhere", StatusCode::NOT_FOUND, "not found"),
        // Keys a folder cannot hold are missing images, not server faults: a path through a file, a
        // name too long for the file system, a name object_store's local store refuses.
        ("/iiif/3/nemo.jp2%2Fx/info.json", StatusCode::NOT_FOUND, "no image"),
        ("/iiif/3/rocket.jpg%2Fx/full/max/0/default.jpg", StatusCode::NOT_FOUND, "no image"),
        (too_long_name.as_str(), StatusCode::NOT_FOUND, "no image"),
        ("/iiif/3/a%231/info.json", StatusCode::NOT_FOUND, "no image"),
        (too_long_key.as_str(), StatusCode::BAD_REQUEST, "1000 bytes"),
    ];
    for (path, status, reason) in cases {
        let r = s.get(path).await;
        assert_eq!(r.status(), status, "{path}");
        assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*", "{path}");
        let body = r.text().await.expect("body");
        assert!(body.to_lowercase().contains(reason), "{path}: {body}");
    }
}

#[tokio::test]
async fn over_budget_is_413() {
    let s = start_with(|c| c.budget.max_pixels = 10_000).await;
    let r = s.get("/iiif/3/camera/full/max/0/default.png").await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.expect("body").contains("budget"));
}

/// `budget.max_source_bytes` refuses a request that would read more of its source, before reading it:
/// a JPEG is read whole (112 KB), a tile of a tiled pyramid (47 KB in all) is not.
#[tokio::test]
async fn a_request_reading_too_much_of_its_source_is_413() {
    let s = start_with(|c| c.budget.max_source_bytes = 30_000).await;
    let whole = "/iiif/3/rocket/full/100,/0/default.jpg";
    let r = s.get(whole).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.expect("body").contains("max_source_bytes"));
    let r = s.client.head(s.url(whole)).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE, "HEAD agrees with GET");
    let tile = "/iiif/3/rocket-pyramid-jpeg/0,0,256,256/256,/0/default.jpg";
    assert_eq!(s.get(tile).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn traversal_and_escaping_symlinks_are_refused() {
    let s = start().await;
    for path in ["/iiif/3/..%2Fsecret/info.json", "/iiif/3/ark:%2F..%2F..%2Fsecret/info.json"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let r = s.get("/iiif/3/%2Fetc%2Fpasswd/info.json").await;
    assert!(r.status().is_client_error(), "{}", r.status());
    #[cfg(unix)]
    {
        let r = s.get("/iiif/3/link/info.json").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn etag_and_if_none_match() {
    let s = start().await;
    let path = "/iiif/3/rocket/full/100,/0/default.jpg";
    let r = s.get(path).await;
    let etag = header(r.headers(), header::ETAG).to_string();
    assert!(etag.starts_with('"') && etag.len() > 2, "{etag}");
    let r = s
        .client
        .get(s.url(path))
        .header(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).expect("value"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(r.headers(), header::ETAG), etag);
    assert!(r.bytes().await.expect("body").is_empty());
    // The same image by a non-canonical URL has the same ETag.
    let r = s.get("/iiif/3/rocket/0,0,640,427/100,67/0/default.jpg").await;
    assert_eq!(header(r.headers(), header::ETAG), etag);

    // info.json too, and it varies by `Accept` (its media type follows it), so shared caches keep both.
    let r = s.get("/iiif/3/rocket/info.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let varies =
        |h: &HeaderMap| h.get_all(header::VARY).iter().any(|v| v.to_str().unwrap_or("").contains("accept"));
    assert!(varies(r.headers()), "{:?}", r.headers());
    let info_tag = header(r.headers(), header::ETAG).to_string();
    assert!(info_tag.starts_with('"') && info_tag != etag, "{info_tag}");
    let v2 = s.get("/iiif/2/rocket/info.json").await;
    assert_ne!(header(v2.headers(), header::ETAG), info_tag, "2.1 and 3.0 bodies differ");
    let info_with = |accept: &'static str| {
        s.client
            .get(s.url("/iiif/3/rocket/info.json"))
            .header(header::IF_NONE_MATCH, HeaderValue::from_str(&info_tag).expect("value"))
            .header(header::ACCEPT, accept)
            .send()
    };
    // The JSON-LD representation has a tag of its own, so the JSON one's does not match it.
    let r = info_with("application/ld+json").await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(header(r.headers(), header::CONTENT_TYPE).starts_with("application/ld+json"));
    assert_ne!(header(r.headers(), header::ETAG), info_tag);
    let r = info_with("application/json").await.expect("request");
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(r.headers(), header::ETAG), info_tag);
    assert!(varies(r.headers()), "{:?}", r.headers());
    assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(r.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn head_has_headers_and_no_body() {
    let s = start().await;
    let r = s.client.head(s.url("/iiif/3/rocket/full/100,/0/default.jpg")).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(r.headers(), header::CONTENT_TYPE), "image/jpeg");
    assert!(r.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn options_preflight_allows_any_origin() {
    let s = start().await;
    let r = s
        .client
        .request(Method::OPTIONS, s.url("/iiif/3/rocket/info.json"))
        .header(header::ORIGIN, "https://viewer.example.org")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .send()
        .await
        .expect("request");
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_METHODS).contains("GET"));
}

#[tokio::test]
async fn second_request_reads_no_headers() {
    let s = start().await;
    assert_eq!(s.get("/iiif/3/rocket-pyramid-jpeg/info.json").await.status(), StatusCode::OK);
    let m = s.metrics().await;
    let header_reads = metric(&m, "tessella_source_reads_total", &["kind=\"header\""]);
    let heads = metric(&m, "tessella_source_reads_total", &["kind=\"head\""]);
    assert!(header_reads >= 1.0, "{m}");
    assert_eq!(s.get("/iiif/3/rocket-pyramid-jpeg/info.json").await.status(), StatusCode::OK);
    let r = s.get("/iiif/3/rocket-pyramid-jpeg/full/100,/0/default.jpg").await;
    assert_eq!(r.status(), StatusCode::OK);
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_source_reads_total", &["kind=\"header\""]), header_reads, "{m}");
    assert_eq!(metric(&m, "tessella_source_reads_total", &["kind=\"head\""]), heads, "{m}");
    assert!(metric(&m, "tessella_source_reads_total", &["kind=\"data\""]) >= 1.0, "{m}");
    assert!(metric(&m, "tessella_cache_total", &["cache=\"geometry\"", "result=\"hit\""]) >= 2.0, "{m}");
}

#[tokio::test]
async fn concurrent_first_requests_share_one_probe() {
    let s = start().await;
    let requests = (0..8).map(|i| {
        let url = if i % 2 == 0 {
            s.url("/iiif/3/nemo/info.json")
        } else {
            s.url(&format!("/iiif/3/nemo/0,0,{},{}/max/0/default.jpg", 100 + i, 100 + i))
        };
        let client = s.client.clone();
        tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()) })
    });
    for r in requests.collect::<Vec<_>>() {
        assert_eq!(r.await.expect("task").expect("request"), StatusCode::OK);
    }
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_cache_total", &["cache=\"geometry\"", "result=\"miss\""]), 1.0, "{m}");
}

#[tokio::test]
async fn derivative_cache_hits_and_cache_false_bypasses_it() {
    let s = start().await;
    let data_reads = |m: &str| metric(m, "tessella_source_reads_total", &["kind=\"data\""]);
    let hits = |m: &str| metric(m, "tessella_cache_total", &["cache=\"derivative\"", "result=\"hit\""]);
    let path = "/iiif/3/camera/full/128,/0/default.png";

    // cache=false neither reads nor writes the cache.
    assert_eq!(s.get(&format!("{path}?cache=false")).await.status(), StatusCode::OK);
    let m0 = s.metrics().await;
    assert_eq!(s.get(path).await.status(), StatusCode::OK);
    let m1 = s.metrics().await;
    assert!(data_reads(&m1) > data_reads(&m0), "the cache=false render was not stored");
    assert_eq!(hits(&m1), 0.0);

    // Now cached: a plain request hits, a cache=false request renders again.
    assert_eq!(s.get(path).await.status(), StatusCode::OK);
    let m2 = s.metrics().await;
    assert_eq!(hits(&m2), 1.0, "{m2}");
    assert_eq!(data_reads(&m2), data_reads(&m1));
    assert_eq!(s.get(&format!("{path}?cache=false")).await.status(), StatusCode::OK);
    let m3 = s.metrics().await;
    assert_eq!(hits(&m3), 1.0);
    assert!(data_reads(&m3) > data_reads(&m2));
}

#[tokio::test]
async fn health_and_metrics() {
    let s = start().await;
    let r = s.get("/health").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.expect("body").trim(), "ok");
    let deep = s.get("/health?deep=true").await.text().await.expect("body");
    assert!(deep.starts_with("ok") && deep.contains("source root: ok"), "{deep}");
    assert!(!deep.contains("rocket.jpg"), "names only for the admin: {deep}");
    s.get("/iiif/3/rocket/info.json").await;
    let m = s.metrics().await;
    assert!(metric(&m, "tessella_requests_total", &["route=\"info\"", "status=\"200\""]) >= 1.0, "{m}");
    assert!(m.contains("tessella_request_duration_seconds_bucket"), "{m}");
    assert!(m.contains("tessella_source_bytes_read_total"), "{m}");
}

#[test]
fn config_from_toml_with_env_override() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("tessella.toml");
    std::fs::write(
        &file,
        "listen = \"0.0.0.0:9000\"\njpeg_quality = 70\n[limits]\nmax_width = 500\nupscaling = false\n\
         [cache]\nderivative_bytes = 1000\n",
    )
    .expect("write config");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
        .args(["serve", "--print-config", "--config"])
        .arg(&file)
        .env("TESSELLA_LIMITS__MAX_WIDTH", "777")
        .env("TESSELLA_PUBLIC_BASE", "https://images.example.org")
        // Text that reads as a number stays text where the key is a string; booleans and lists still parse.
        .env("TESSELLA_SOURCE__PREFIX", "2024")
        .env("TESSELLA_ADMIN__TOKEN", "123456")
        .env("TESSELLA_PASSTHROUGH", "false")
        .env("TESSELLA_EDGE_SOURCE__FORMATS", "[jp2, tiff]")
        .env("TESSELLA_MANIFESTS__PREFIX", "\"0042\"")
        .output()
        .expect("run tessella");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let c: Value = serde_json::from_slice(&out.stdout).expect("json config");
    assert_eq!(c["source"]["prefix"], "2024");
    assert_eq!(c["admin"]["token"], "(set)");
    assert_eq!(c["passthrough"], false);
    assert_eq!(c["edge_source"]["formats"], serde_json::json!(["jp2", "tiff"]));
    assert_eq!(c["manifests"]["prefix"], "0042", "a quoted value is the text inside the quotes");
    assert_eq!(c["listen"], "0.0.0.0:9000");
    assert_eq!(c["jpeg_quality"], 70);
    assert_eq!(c["limits"]["max_width"], 777, "the environment overrides the file");
    assert_eq!(c["limits"]["upscaling"], false);
    assert_eq!(c["cache"]["derivative_bytes"], 1000);
    assert_eq!(c["public_base"], "https://images.example.org");
    // The repository's example config is valid.
    let example = repo("tessella.example.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
        .args(["serve", "--print-config", "--config"])
        .arg(&example)
        .output()
        .expect("run tessella");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The README's first command: `tessella` with no arguments serves the samples, and SIGTERM stops it
/// cleanly. The port comes from the environment (0: any free one), read back from the start-up log line.
#[cfg(unix)]
#[tokio::test]
async fn no_arguments_serves_the_samples_until_sigterm() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
        .current_dir(repo(""))
        .env("TESSELLA_LISTEN", "127.0.0.1:0")
        .env("TESSELLA_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run tessella");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).expect("read log") > 0, "tessella exited before serving");
        if let Some((_, rest)) = line.split_once("http://127.0.0.1:") {
            let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
            break format!("http://127.0.0.1:{port}");
        }
    };
    let r = reqwest::get(format!("{base}/iiif/3/67352ccc-d1b0-11e1-89ae-279075081939/info.json"))
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "{exit}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("read log");
    assert!(rest.contains("shutting down"), "{rest}");
}

// The object-store derivative cache (a local folder here; tests/s3/run.sh runs the same against S3) and the
// admin API.

const ADMIN_TOKEN: &str = "test-admin-token";

/// A server whose derivative cache store is the folder `store`, with the admin API on.
async fn start_with_store(store: &std::path::Path) -> Server {
    start_sharing(store, None).await
}

/// A server over `store` and, when given, the images of an earlier server (the same source versions).
async fn start_sharing(store: &std::path::Path, images_of: Option<&Server>) -> Server {
    let store = store.to_path_buf();
    let images = images_of.map(|s| s._dir.path().join("images"));
    start_with(move |c| {
        c.cache.store.kind = tessella_origin::config::CacheStoreKind::Local;
        c.cache.store.path = Some(store);
        c.admin.token = Some(ADMIN_TOKEN.to_string());
        if let Some(images) = images {
            c.source.path = images;
        }
    })
    .await
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Waits (up to 10 s) for the background write of a cache entry.
async fn wait_for_file(path: &std::path::Path) -> Vec<u8> {
    for _ in 0..200 {
        if let Ok(data) = std::fs::read(path) {
            return data;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{} was never written", path.display());
}

impl Server {
    async fn admin_delete(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.delete(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }
}

#[tokio::test]
async fn store_entry_is_written_after_render_and_served_after_restart() {
    let store = tempfile::tempdir().expect("temp dir");
    let path = "/iiif/3/rocket/full/100,/0/default.jpg";
    // Keyed by the canonical request (100, is 100,67 for this image), under the identifier.
    let entry = store.path().join("rocket/3/full/100,67/0/default.jpg");
    let first = start_with_store(store.path()).await;
    let r = first.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let etag = header(r.headers(), header::ETAG).to_string();
    let body = r.bytes().await.expect("body");
    let stored = wait_for_file(&entry).await;
    assert!(stored.starts_with(b"TSLCACH1"), "entry framing");
    assert!(stored.ends_with(&body), "the entry holds the body served");

    // A new server (empty memory) over the same store and sources: a store hit, no source data read, the
    // same bytes.
    let second = start_sharing(store.path(), Some(&first)).await;
    let r = second.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.expect("body"), body);
    let m = second.metrics().await;
    let count = |tier: &str, result: &str| {
        metric(&m, "tessella_cache_total", &["cache=\"derivative\"", &format!("tier=\"{tier}\""), result])
    };
    assert_eq!(count("memory", "result=\"miss\""), 1.0, "{m}");
    assert_eq!(count("store", "result=\"hit\""), 1.0, "{m}");
    assert_eq!(metric(&m, "tessella_source_reads_total", &["kind=\"data\""]), 0.0, "{m}");
    // The store hit filled memory.
    assert_eq!(second.get(path).await.status(), StatusCode::OK);
    let m = second.metrics().await;
    let memory_hits =
        metric(&m, "tessella_cache_total", &["cache=\"derivative\"", "tier=\"memory\"", "result=\"hit\""]);
    assert_eq!(memory_hits, 1.0, "{m}");

    // The source changes (a new modification time is a new version): the entry is stale, not served.
    let source = first._dir.path().join("images/rocket.jpg");
    let file = std::fs::File::options().write(true).open(&source).expect("open source");
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600)).expect("touch");
    drop(file);
    let third = start_sharing(store.path(), Some(&first)).await;
    let r = third.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_ne!(header(r.headers(), header::ETAG), etag, "a new source version is a new ETag");
    let m = third.metrics().await;
    let store_hits =
        metric(&m, "tessella_cache_total", &["cache=\"derivative\"", "tier=\"store\"", "result=\"hit\""]);
    assert_eq!(store_hits, 0.0, "{m}");
    assert!(metric(&m, "tessella_source_reads_total", &["kind=\"data\""]) >= 1.0, "{m}");
}

#[tokio::test]
async fn corrupt_store_entry_is_detected_deleted_and_rendered_again() {
    let store = tempfile::tempdir().expect("temp dir");
    let path = "/iiif/3/camera/full/64,/0/default.png";
    let entry = store.path().join("camera/3/full/64,64/0/default.png");
    let first = start_with_store(store.path()).await;
    let good = first.get(path).await.bytes().await.expect("body");
    let mut stored = wait_for_file(&entry).await;
    // One flipped bit in the body: the length still matches, only the checksum can tell.
    let last = stored.len() - 10;
    stored[last] ^= 0x01;
    std::fs::write(&entry, &stored).expect("corrupt the entry");

    let second = start_sharing(store.path(), Some(&first)).await;
    let r = second.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.expect("body"), good, "rendered again, not served corrupt");
    let m = second.metrics().await;
    assert_eq!(metric(&m, "tessella_cache_store_errors_total", &["kind=\"corrupt\""]), 1.0, "{m}");
    assert_eq!(
        metric(&m, "tessella_cache_total", &["cache=\"derivative\"", "tier=\"store\"", "result=\"miss\""]),
        1.0
    );
    assert!(metric(&m, "tessella_source_reads_total", &["kind=\"data\""]) >= 1.0, "{m}");
    // The bad entry was replaced by a good one.
    for _ in 0..200 {
        if std::fs::read(&entry).is_ok_and(|now| now != stored && now.ends_with(&good)) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the corrupt entry was not rewritten");
}

#[tokio::test]
async fn cache_false_and_failed_renders_write_nothing_to_the_store() {
    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    assert_eq!(s.get("/iiif/3/rocket/full/90,/0/default.jpg?cache=false").await.status(), StatusCode::OK);
    assert_eq!(s.get("/iiif/3/no-such-image/full/90,/0/default.jpg").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.get("/iiif/3/rocket/full/90,/0/default.pdf").await.status(), StatusCode::NOT_IMPLEMENTED);
    // A cached request afterwards is written: so the wait below is long enough for a write to land.
    assert_eq!(s.get("/iiif/3/camera/full/32,/0/default.png").await.status(), StatusCode::OK);
    wait_for_file(&store.path().join("camera/3/full/32,32/0/default.png")).await;
    assert_eq!(files_under(store.path()), vec!["camera/3/full/32,32/0/default.png".to_string()]);
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_cache_total", &["cache=\"derivative\"", "result=\"hit\""]), 0.0, "{m}");
}

#[tokio::test]
async fn admin_api_is_off_without_a_token_and_needs_the_bearer_token() {
    let off = start().await;
    let r = off.admin_delete("/admin/cache", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    for token in [None, Some("wrong"), Some("test-admin-toke"), Some("test-admin-token2")] {
        for path in ["/admin/cache", "/admin/cache/infos", "/admin/cache/images/rocket"] {
            let r = s.admin_delete(path, token).await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{path} {token:?}");
            assert!(header(r.headers(), header::WWW_AUTHENTICATE).starts_with("Bearer"), "{path}");
        }
    }
    for path in ["/admin/cache", "/admin/cache/infos", "/admin/cache/images/rocket"] {
        let r = s.admin_delete(path, Some(ADMIN_TOKEN)).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{path}");
    }
    // Only DELETE.
    let r = s.client.get(s.url("/admin/cache")).bearer_auth(ADMIN_TOKEN).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    // A bare slash is not part of an identifier.
    let r = s.admin_delete("/admin/cache/images/ark:/1234/x", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn purging_one_identifier_leaves_the_others() {
    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    let rocket = "/iiif/3/rocket/full/80,/0/default.jpg";
    let ark = "/iiif/3/ark:%2F1234%2Fx/full/40,/0/default.png";
    let camera = "/iiif/2/camera/full/48,/0/default.png";
    // rocket also by its file name: the same source, cached under that spelling.
    let rocket_jpg = "/iiif/3/rocket.jpg/full/80,/0/default.jpg";
    for path in [rocket, rocket_jpg, ark, camera, "/iiif/3/rocket/info.json"] {
        assert_eq!(s.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let rocket_entry = store.path().join("rocket/3/full/80,53/0/default.jpg");
    let rocket_jpg_entry = store.path().join("rocket.jpg/3/full/80,53/0/default.jpg");
    let ark_entry = store.path().join("ark=3A=2F1234=2Fx/3/full/40,40/0/default.png");
    let camera_entry = store.path().join("camera/2/full/48,/0/default.png");
    for entry in [&rocket_entry, &rocket_jpg_entry, &ark_entry, &camera_entry] {
        wait_for_file(entry).await;
    }

    // Purging one spelling purges both.
    let r = s.admin_delete("/admin/cache/images/rocket", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(r.headers(), header::HeaderName::from_static("tessella-purged-objects")), "2");
    assert!(!rocket_entry.exists() && !rocket_jpg_entry.exists());
    assert!(ark_entry.exists() && camera_entry.exists());
    let r = s.admin_delete("/admin/cache/images/ark:%2F1234%2Fx", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(!ark_entry.exists() && camera_entry.exists());

    // rocket renders again (a miss in both tiers, and a new probe); camera is still a memory hit.
    let before = s.metrics().await;
    assert_eq!(s.get(rocket).await.status(), StatusCode::OK);
    assert_eq!(s.get(camera).await.status(), StatusCode::OK);
    assert_eq!(s.get("/iiif/3/rocket/info.json").await.status(), StatusCode::OK);
    let after = s.metrics().await;
    let delta = |labels: &[&str]| {
        metric(&after, "tessella_cache_total", labels) - metric(&before, "tessella_cache_total", labels)
    };
    assert_eq!(delta(&["cache=\"derivative\"", "tier=\"store\"", "result=\"miss\""]), 1.0, "{after}");
    assert_eq!(delta(&["cache=\"derivative\"", "tier=\"memory\"", "result=\"hit\""]), 1.0, "{after}");
    assert_eq!(delta(&["cache=\"geometry\"", "result=\"miss\""]), 1.0, "{after}");
    assert_eq!(delta(&["cache=\"info\"", "result=\"miss\""]), 1.0, "{after}");

    // Everything: the store is empty afterwards.
    wait_for_file(&rocket_entry).await;
    let r = s.admin_delete("/admin/cache", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(r.headers(), header::HeaderName::from_static("tessella-purged-objects")), "2");
    assert_eq!(files_under(store.path()), Vec::<String>::new());
}

#[tokio::test]
async fn info_json_is_cached_and_purging_infos_probes_again() {
    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    let first = s.get("/iiif/3/nemo/info.json").await.text().await.expect("body");
    let second = s.get("/iiif/3/nemo/info.json").await.text().await.expect("body");
    assert_eq!(first, second);
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_cache_total", &["cache=\"info\"", "result=\"hit\""]), 1.0, "{m}");
    let headers_read = metric(&m, "tessella_source_reads_total", &["kind=\"header\""]);
    let r = s.admin_delete("/admin/cache/infos", Some(ADMIN_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(s.get("/iiif/3/nemo/info.json").await.text().await.expect("body"), first);
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_cache_total", &["cache=\"info\"", "result=\"miss\""]), 2.0, "{m}");
    assert!(metric(&m, "tessella_source_reads_total", &["kind=\"header\""]) > headers_read, "{m}");
}

#[tokio::test]
async fn head_does_not_render_and_agrees_with_get_on_errors() {
    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    let path = "/iiif/3/rocket/full/120,/0/default.jpg";
    let head = s.client.head(s.url(path)).send().await.expect("request");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(header(head.headers(), header::CONTENT_TYPE), "image/jpeg");
    let etag = header(head.headers(), header::ETAG).to_string();
    assert!(head.headers().get(header::CONTENT_LENGTH).is_none(), "{:?}", head.headers());
    let m = s.metrics().await;
    assert_eq!(metric(&m, "tessella_source_reads_total", &["kind=\"data\""]), 0.0, "HEAD rendered: {m}");
    for (bad, status) in [
        ("/iiif/3/no-such-image/full/120,/0/default.jpg", StatusCode::NOT_FOUND),
        ("/iiif/3/rocket/full/9999,/0/default.jpg", StatusCode::BAD_REQUEST),
    ] {
        let r = s.client.head(s.url(bad)).send().await.expect("request");
        assert_eq!(r.status(), status, "{bad}");
    }

    // Once GET has rendered it, HEAD answers from memory with the length too.
    let body = s.get(path).await.bytes().await.expect("body");
    let head = s.client.head(s.url(path)).send().await.expect("request");
    assert_eq!(header(head.headers(), header::ETAG), etag);
    assert_eq!(header(head.headers(), header::CONTENT_LENGTH), body.len().to_string());
}

#[tokio::test]
async fn deep_health_checks_the_cache_store() {
    let store = tempfile::tempdir().expect("temp dir");
    let s = start_with_store(store.path()).await;
    let r = s.get("/health?deep=true").await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("body");
    assert!(text.starts_with("ok") && text.contains("cache store: ok"), "{text}");
    assert!(!text.contains("rocket.jpg"), "{text}");
    assert_eq!(files_under(store.path()), Vec::<String>::new(), "the probe object is deleted");
    // With the admin token the source root's names are listed.
    let r = s.client.get(s.url("/health?deep=true")).bearer_auth(ADMIN_TOKEN).send().await.expect("request");
    let text = r.text().await.expect("body");
    assert!(text.contains("source root:\n") && text.contains("rocket.jpg"), "{text}");
    // A store that cannot be written makes the server unhealthy: its folder replaced by a file (which
    // fails for root too, unlike a read-only folder).
    std::fs::remove_dir_all(store.path()).expect("remove the store folder");
    std::fs::write(store.path(), b"not a folder").expect("write a file in its place");
    let r = s.get("/health?deep=true").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.expect("body").contains("cache store unreachable"));
    std::fs::remove_file(store.path()).expect("remove the file");
    std::fs::create_dir(store.path()).expect("restore the folder for the temp dir's cleanup");
}

#[test]
fn a_cache_store_holding_the_sources_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |cache_path: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
            .args(["serve", "--print-config"])
            .env("TESSELLA_SOURCE__PATH", dir.path().join("images"))
            .env("TESSELLA_CACHE__STORE__KIND", "local")
            .env("TESSELLA_CACHE__STORE__PATH", cache_path)
            .env("TESSELLA_ADMIN__TOKEN", "secret-value")
            .output()
            .expect("run tessella")
    };
    for bad in [dir.path().to_path_buf(), dir.path().join("images")] {
        let out = run(&bad);
        assert!(!out.status.success(), "{}", bad.display());
        assert!(String::from_utf8_lossy(&out.stderr).contains("cache.store"), "{out:?}");
    }
    // `--images` replaces the configured source after the configuration is loaded, and is checked too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
        .args(["serve", "--print-config", "--images"])
        .arg(dir.path().join("images"))
        .env("TESSELLA_CACHE__STORE__KIND", "local")
        .env("TESSELLA_CACHE__STORE__PATH", dir.path())
        .output()
        .expect("run tessella");
    assert!(!out.status.success(), "--images inside the cache store was accepted");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cache.store"), "{out:?}");
    let out = run(&dir.path().join("cache"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("secret-value"), "--print-config shows the admin token: {text}");
    let c: Value = serde_json::from_slice(&out.stdout).expect("json config");
    assert_eq!(c["admin"]["token"], "(set)");
    assert_eq!(c["cache"]["store"]["kind"], "local");
}

#[tokio::test]
async fn jp2_renders_alike_through_openjpeg_and_hayro() {
    use tessella_origin::config::Jp2DecoderKind;
    // A region inside nemo's single tile at full resolution, a reduced level, and a scaled region.
    let paths = [
        "/iiif/3/nemo/1024,512,512,512/max/0/default.png",
        "/iiif/3/nemo/full/648,/0/default.png",
        "/iiif/2/nemo/0,0,1024,1024/256,/0/default.png",
    ];
    let mut bodies: Vec<Vec<bytes::Bytes>> = Vec::new();
    for kind in [Jp2DecoderKind::Openjpeg, Jp2DecoderKind::Hayro] {
        let s = start_with(|c| {
            c.jp2.decoder = kind;
            c.jp2.threads = 2;
        })
        .await;
        let mut got = Vec::new();
        for path in paths {
            let r = s.get(path).await;
            assert_eq!(r.status(), StatusCode::OK, "{kind:?} {path}");
            assert_eq!(header(r.headers(), header::CONTENT_TYPE), "image/png");
            got.push(r.bytes().await.expect("body"));
        }
        bodies.push(got);
    }
    // nemo.jp2 is lossless: both decoders give the same pixels, so the same PNG.
    for (i, path) in paths.iter().enumerate() {
        assert_eq!(bodies[0][i], bodies[1][i], "{path}");
    }
}

#[tokio::test]
async fn kakadu_like_jpx_serves_info_and_tiles_through_both_decoders() {
    use tessella_core::pixels::decode::png::decode_png;
    use tessella_origin::config::Jp2DecoderKind;
    let tiles = [
        "/iiif/3/kakadu-like/0,0,512,512/512,512/0/default.png",
        "/iiif/3/kakadu-like/512,512,512,512/512,512/0/default.png",
        "/iiif/3/kakadu-like/1024,1024,276,76/276,76/0/default.png",
        "/iiif/3/kakadu-like/0,0,1024,1024/256,256/0/default.png",
        "/iiif/3/kakadu-like/full/82,69/0/default.png",
        "/iiif/2/kakadu-like/300,200,600,500/300,/0/gray.png",
    ];
    let mut images = Vec::new();
    for kind in [Jp2DecoderKind::Openjpeg, Jp2DecoderKind::Hayro] {
        let s = start_with(|c| c.jp2.decoder = kind).await;
        let r = s.get("/iiif/3/kakadu-like/info.json").await;
        assert_eq!(r.status(), StatusCode::OK);
        let info: Value = r.json().await.expect("info.json");
        assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(1300), Some(1100)));
        assert_eq!(info["tiles"][0]["width"], 512);
        let factors: Vec<u64> = info["tiles"][0]["scaleFactors"]
            .as_array()
            .expect("scaleFactors")
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        assert_eq!(factors, [1, 2, 4, 8, 16, 32, 64]);
        let mut got = Vec::new();
        for path in tiles {
            let r = s.get(path).await;
            assert_eq!(r.status(), StatusCode::OK, "{kind:?} {path}");
            let body = r.bytes().await.expect("body");
            got.push(decode_png(&body, &Budget::default()).expect("a PNG"));
        }
        images.push(got);
    }
    for (i, path) in tiles.iter().enumerate() {
        let (a, b) = (&images[0][i], &images[1][i]);
        assert_eq!((a.width, a.height, a.format), (b.width, b.height, b.format), "{path}");
        // Lossy 9-7: the decoders round differently by ±1, which resizing may carry a little further.
        let diff = a.data.iter().zip(&b.data).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0);
        assert!(diff <= 3, "{path}: max difference {diff}");
    }
}

#[tokio::test]
async fn a_jpeg_2000_tile_reads_its_tile_not_the_file() {
    use tessella_origin::config::Jp2DecoderKind;
    let file_len = std::fs::metadata(repo("origin/tests/data/kakadu-like.jpx")).expect("size").len() as f64;
    for kind in [Jp2DecoderKind::Openjpeg, Jp2DecoderKind::Hayro] {
        let s = start_with(|c| c.jp2.decoder = kind).await;
        // The first request probes and indexes the tiles; later ones read the header and their tiles only.
        let first = s.get("/iiif/3/kakadu-like/512,512,512,512/max/0/default.png?cache=false").await;
        assert_eq!(first.status(), StatusCode::OK, "{kind:?}");
        let before = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]);
        let r = s.get("/iiif/3/kakadu-like/0,0,512,512/max/0/default.png?cache=false").await;
        assert_eq!(r.status(), StatusCode::OK, "{kind:?}");
        let read = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]) - before;
        // One of 3×3 tiles, plus the boxes and main header.
        assert!(read > 0.0 && read * 3.0 < file_len, "{kind:?}: read {read} of {file_len} bytes");
    }
}

#[tokio::test]
async fn an_htj2k_codestream_is_served_by_tile_through_openjpeg_and_refused_by_hayro() {
    use tessella_core::pixels::decode::png::decode_png;
    use tessella_origin::config::Jp2DecoderKind;
    let file_len = std::fs::metadata(repo("origin/tests/data/astronaut-ht.jhc")).expect("size").len() as f64;
    let s = start_with(|c| c.jp2.decoder = Jp2DecoderKind::Openjpeg).await;
    // Found by its extension, as `tessella convert --format htj2k` names it.
    let info: Value = s.get("/iiif/3/astronaut-ht/info.json").await.json().await.expect("info.json");
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(512), Some(512)));
    let whole = s.get("/iiif/3/astronaut-ht/full/max/0/default.png?cache=false").await;
    assert_eq!(whole.status(), StatusCode::OK);
    let whole = decode_png(&whole.bytes().await.expect("body"), &Budget::default()).expect("a PNG");
    let before = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]);
    let tile = s.get("/iiif/3/astronaut-ht/128,256,128,128/max/0/default.png?cache=false").await;
    assert_eq!(tile.status(), StatusCode::OK);
    let read = metric(&s.metrics().await, "tessella_source_bytes_read_total", &[]) - before;
    assert!(read > 0.0 && read * 4.0 < file_len, "read {read} of {file_len} bytes for one tile of 16");
    let tile = decode_png(&tile.bytes().await.expect("body"), &Budget::default()).expect("a PNG");
    for y in 0..128u32 {
        let from = ((256 + y as usize) * 512 + 128) * 3;
        assert_eq!(tile.row(y), &whole.data[from..from + 128 * 3], "row {y}: the tile is the whole image's");
    }
    // hayro has no HT block decoder: a 501 with the reason, not a 500 or a wrong picture.
    let s = start_with(|c| c.jp2.decoder = Jp2DecoderKind::Hayro).await;
    let r = s.get("/iiif/3/astronaut-ht/0,0,128,128/max/0/default.png").await;
    assert_eq!(r.status(), StatusCode::NOT_IMPLEMENTED);
    let reason = r.text().await.expect("text");
    assert!(reason.contains("JPEG 2000"), "{reason}");
}

// The edge's byte-range source endpoint (`edge_source`).

const EDGE_SECRET: &str = "edge-shared-secret";

async fn edge_source_get(
    s: &Server,
    path: &str,
    secret: Option<&str>,
    range: Option<&str>,
) -> reqwest::Response {
    let mut request = s.client.get(s.url(path));
    if let Some(secret) = secret {
        request = request.bearer_auth(secret);
    }
    if let Some(range) = range {
        request = request.header(header::RANGE, range);
    }
    request.send().await.expect("request")
}

#[tokio::test]
async fn edge_source_is_off_without_a_secret_and_refuses_requests_without_it() {
    let off = start().await;
    let r = edge_source_get(&off, "/edge/source/rocket", Some(EDGE_SECRET), Some("bytes=0-9")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let s = start_with(|c| c.edge_source.secret = Some(EDGE_SECRET.to_string())).await;
    for secret in [None, Some("wrong"), Some("edge-shared-secre"), Some("edge-shared-secret2")] {
        let r = edge_source_get(&s, "/edge/source/rocket", secret, Some("bytes=0-9")).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{secret:?}");
        assert!(r.headers().get(header::WWW_AUTHENTICATE).is_some());
        assert!(
            !r.bytes().await.expect("body").starts_with(&[0xFF, 0xD8]),
            "no source bytes without the secret"
        );
    }
}

#[tokio::test]
async fn edge_source_serves_ranges_of_allowed_derivatives_only() {
    let s = start_with(|c| c.edge_source.secret = Some(EDGE_SECRET.to_string())).await;
    let file = std::fs::read(repo("shared/tests/data/rocket-pyramid-jpeg.tif")).expect("pyramid");
    let r =
        edge_source_get(&s, "/edge/source/rocket-pyramid-jpeg", Some(EDGE_SECRET), Some("bytes=100-1099"))
            .await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(r.headers(), header::CONTENT_RANGE), format!("bytes 100-1099/{}", file.len()));
    assert!(r.headers().get("tessella-source-version").is_some());
    assert_eq!(r.bytes().await.expect("body").as_ref(), &file[100..1100]);
    // An open-ended range reaching past the end is clipped to it.
    let r = edge_source_get(&s, "/edge/source/rocket", Some(EDGE_SECRET), Some("bytes=112000-")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.expect("body").len(), 112_525 - 112_000);
    // PNG and JPEG 2000 are not in the default formats (tiff-jpeg, jpeg).
    for id in ["ark:%2F1234%2Fx", "nemo", "camera"] {
        let r =
            edge_source_get(&s, &format!("/edge/source/{id}"), Some(EDGE_SECRET), Some("bytes=0-9")).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{id}");
    }
    let r = edge_source_get(&s, "/edge/source/rocket", Some(EDGE_SECRET), None).await;
    assert_eq!(r.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let r = edge_source_get(&s, "/edge/source/missing", Some(EDGE_SECRET), Some("bytes=0-9")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = edge_source_get(&s, "/edge/source/..%2Fsecret.png", Some(EDGE_SECRET), Some("bytes=0-9")).await;
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[tokio::test]
async fn edge_source_formats_are_the_operators_choice() {
    let s = start_with(|c| {
        c.edge_source.secret = Some(EDGE_SECRET.to_string());
        c.edge_source.formats = vec!["png".to_string()];
    })
    .await;
    let r = edge_source_get(&s, "/edge/source/ark:%2F1234%2Fx", Some(EDGE_SECRET), Some("bytes=0-7")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.expect("body").as_ref(), b"\x89PNG\r\n\x1a\n");
    let r = edge_source_get(&s, "/edge/source/rocket", Some(EDGE_SECRET), Some("bytes=0-7")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
