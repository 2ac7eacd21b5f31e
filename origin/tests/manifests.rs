//! Manifests end to end: a CSV batch POSTed to the real server (in-process on 127.0.0.1:0) becomes
//! documents in the manifest folder, served at `/{ARK}/manifest` and `/collections/{ARK}` with the public
//! host of whichever server serves them; writes need the admin token.

use std::path::{Path, PathBuf};

use reqwest::header::{self, HeaderMap};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tessella_origin::config::Config;

const TOKEN: &str = "s3cret-admin-token";
const WORK: &str = "ark:/21198/z1pc3gp5";
const COLLECTION: &str = "ark:/21198/zz0009gsq9";

fn repo(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path)
}

fn header(h: &HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

struct Server {
    base: String,
    client: Client,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Images for the Sinai batch's pages without media sizes, stored under their ARKs.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("images/ark:/21198/z1pc3gp5");
    std::fs::create_dir_all(&pages).expect("mkdir");
    std::fs::copy(repo("samples/camera.png"), pages.join("p1.png")).expect("copy");
    std::fs::copy(repo("samples/rocket.jpg"), pages.join("p3.jpg")).expect("copy");
    dir
}

async fn start(dir: &Path, public_base: Option<&str>) -> Server {
    let mut config = Config::default();
    config.source.path = dir.join("images");
    config.manifests.path = dir.join("manifests");
    config.admin.token = Some(TOKEN.to_string());
    config.threads = 2;
    config.public_base = public_base.map(str::to_string);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        if let Err(e) = tessella_origin::serve(listener, config).await {
            panic!("server failed: {e}");
        }
    });
    Server { base, client: Client::new() }
}

/// A multipart/form-data body, written out so the test needs no client multipart support.
fn multipart(fields: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "tessella-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, filename, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if !filename.is_empty() {
            body.extend_from_slice(format!("; filename=\"{filename}\"\r\nContent-Type: text/csv").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_batch(s: &Server, token: Option<&str>, version: &str) -> reqwest::Response {
    let csv = std::fs::read(repo("manifest/tests/data/sinai.csv")).expect("csv");
    let (content_type, body) =
        multipart(&[("csv-file", "sinai.csv", &csv), ("iiif-version", "", version.as_bytes())]);
    let mut request =
        s.client.post(s.url("/collections")).header(header::CONTENT_TYPE, content_type).body(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    request.send().await.expect("post")
}

#[tokio::test]
async fn a_posted_batch_is_stored_and_served_with_the_public_host() {
    let dir = folder();
    let s = start(dir.path(), None).await;

    let r = post_batch(&s, None, "3").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(!dir.path().join("manifests/works").exists(), "nothing is written without the token");
    let r = post_batch(&s, Some("wrong"), "3").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let r = post_batch(&s, Some(TOKEN), "3").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(header(r.headers(), header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert_eq!(header(r.headers(), "x-manifests-built".try_into().expect("name")), "3");
    let result = r.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(result.as_bytes());
    let url_column = reader.headers().expect("header").iter().position(|h| h == "IIIF Manifest URL");
    let url_column = url_column.expect("an IIIF Manifest URL column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(&rows[0][url_column], format!("{}/collections/ark:%2F21198%2Fzz0009gsq9", s.base));
    assert_eq!(&rows[1][url_column], format!("{}/ark:%2F21198%2Fz1pc3gp5/manifest", s.base));

    // Stored under works/{ARK}.json with the placeholder host.
    let stored =
        std::fs::read_to_string(dir.path().join("manifests/works/ark:/21198/z1pc3gp5.json")).expect("stored");
    assert!(stored.contains(tessella_manifest::PLACEHOLDER_BASE));
    assert!(!stored.contains(&s.base));
    assert!(dir.path().join("manifests/collections/ark:/21198/zz0009gsq9.json").is_file());

    for path in [
        "/ark:/21198/z1pc3gp5/manifest",
        "/ark:%2F21198%2Fz1pc3gp5/manifest",
        "/ark%3A%2F21198%2Fz1pc3gp5/manifest",
    ] {
        let r = s
            .client
            .get(s.url(path))
            .header(header::ORIGIN, "https://viewer.example")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(r.headers(), header::CONTENT_TYPE),
            "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\""
        );
        assert_eq!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
        assert!(header(r.headers(), header::ETAG).starts_with('"'));
        let m: Value = r.json().await.expect("json");
        assert_eq!(m["id"], format!("{}/ark:%2F21198%2Fz1pc3gp5/manifest", s.base));
        // Canvas sizes probed from the images: camera.png is 512×512, rocket.jpg 640×427.
        let canvases = m["items"].as_array().expect("items");
        assert_eq!((canvases[0]["width"].as_u64(), canvases[0]["height"].as_u64()), (Some(512), Some(512)));
        assert_eq!((canvases[2]["width"].as_u64(), canvases[2]["height"].as_u64()), (Some(640), Some(427)));
        let service =
            canvases[0]["items"][0]["items"][0]["body"]["service"][0]["id"].as_str().expect("service");
        assert_eq!(service, format!("{}/iiif/3/ark:%2F21198%2Fz1pc3gp5%2Fp1", s.base));
    }
    // The image service the manifest names answers.
    let info =
        s.client.get(s.url("/iiif/3/ark:%2F21198%2Fz1pc3gp5%2Fp1/info.json")).send().await.expect("info");
    assert_eq!(info.status(), StatusCode::OK);

    let r = s.client.get(s.url("/ark:/21198/z1pc3gp5/manifest")).send().await.expect("get");
    let tag = header(r.headers(), header::ETAG).to_string();
    let r = s
        .client
        .get(s.url("/ark:/21198/z1pc3gp5/manifest"))
        .header(header::IF_NONE_MATCH, &tag)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);

    let r = s.client.get(s.url("/collections/ark:%2F21198%2Fzz0009gsq9")).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let c: Value = r.json().await.expect("json");
    assert_eq!(c["type"], "Collection");
    assert_eq!(c["items"].as_array().map(Vec::len), Some(3));

    assert_eq!(
        s.client.get(s.url("/ark:/21198/nothing/manifest")).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.client.get(s.url("/no/such/route")).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );

    // Another server over the same store, at another public host: no regeneration needed.
    let moved = start(dir.path(), Some("https://images.example.org/")).await;
    let m: Value = moved
        .client
        .get(moved.url("/ark:/21198/z1pc3gp5/manifest"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(m["id"], "https://images.example.org/ark:%2F21198%2Fz1pc3gp5/manifest");
    assert!(!m.to_string().contains(&s.base));
}

#[tokio::test]
async fn presentation_2_1_batches_are_served_with_the_2_profile() {
    let dir = folder();
    let s = start(dir.path(), None).await;
    let r = post_batch(&s, Some(TOKEN), "2.1").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // The audio/video work has no 2.1 form.
    assert_eq!(header(r.headers(), "x-manifests-built".try_into().expect("name")), "2");
    assert_eq!(header(r.headers(), "x-rows-left-out".try_into().expect("name")), "1");
    let r = s.client.get(s.url("/ark:/21198/z1pc3gp5/manifest")).send().await.expect("get");
    assert_eq!(
        header(r.headers(), header::CONTENT_TYPE),
        "application/ld+json;profile=\"http://iiif.io/api/presentation/2/context.json\""
    );
    let m: Value = r.json().await.expect("json");
    assert_eq!(m["@type"], "sc:Manifest");
    let service = &m["sequences"][0]["canvases"][0]["images"][0]["resource"]["service"]["@id"];
    assert_eq!(service, &Value::from(format!("{}/iiif/2/ark:%2F21198%2Fz1pc3gp5%2Fp1", s.base)));
}

#[tokio::test]
async fn put_and_delete_need_the_admin_token() {
    let dir = folder();
    let s = start(dir.path(), None).await;
    let path = format!("/{WORK}/manifest");
    let doc = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": s.url(&format!("/{}/manifest", "ark:%2F21198%2Fz1pc3gp5")),
        "type": "Manifest", "label": { "none": ["Put by hand"] }, "items": [],
    });
    let r = s.client.put(s.url(&path)).json(&doc).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = s.client.put(s.url(&path)).bearer_auth(TOKEN).body("not json").send().await.expect("put");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = s.client.put(s.url(&path)).bearer_auth(TOKEN).json(&doc).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = s.client.put(s.url(&path)).bearer_auth(TOKEN).json(&doc).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Stored with the placeholder host, served with ours.
    let stored =
        std::fs::read_to_string(dir.path().join("manifests/works/ark:/21198/z1pc3gp5.json")).expect("stored");
    assert!(stored.contains(tessella_manifest::PLACEHOLDER_BASE), "{stored}");
    let got: Value = s.client.get(s.url(&path)).send().await.expect("get").json().await.expect("json");
    assert_eq!(got["label"]["none"][0], "Put by hand");
    assert_eq!(got["id"], doc["id"]);

    // A changed document gets a new ETag; the old one no longer answers 304.
    let first = s.client.get(s.url(&path)).send().await.expect("get");
    let old_tag = header(first.headers(), header::ETAG).to_string();
    let mut changed = doc.clone();
    changed["label"] = serde_json::json!({ "none": ["Changed"] });
    let r = s.client.put(s.url(&path)).bearer_auth(TOKEN).json(&changed).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = s.client.get(s.url(&path)).header(header::IF_NONE_MATCH, &old_tag).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_ne!(header(r.headers(), header::ETAG), old_tag);

    let collection = format!("/collections/{COLLECTION}");
    let r = s.client.put(s.url(&collection)).bearer_auth(TOKEN).json(&doc).send().await.expect("put");
    assert_eq!(r.status(), StatusCode::CREATED);

    assert_eq!(
        s.client.delete(s.url(&path)).send().await.expect("delete").status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.client.delete(s.url(&path)).bearer_auth(TOKEN).send().await.expect("delete").status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(s.client.get(s.url(&path)).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    assert_eq!(
        s.client.delete(s.url(&path)).bearer_auth(TOKEN).send().await.expect("delete").status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(s.client.get(s.url(&collection)).send().await.expect("get").status(), StatusCode::OK);

    // A preflight for a cross-origin PUT is allowed.
    let r = s
        .client
        .request(reqwest::Method::OPTIONS, s.url(&path))
        .header(header::ORIGIN, "https://admin.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
        .send()
        .await
        .expect("preflight");
    assert!(header(r.headers(), header::ACCESS_CONTROL_ALLOW_METHODS).contains("PUT"));
}

async fn post_csv(s: &Server, fields: &[(&str, &str, &[u8])]) -> (StatusCode, String) {
    let (content_type, body) = multipart(fields);
    let r = s
        .client
        .post(s.url("/collections"))
        .header(header::CONTENT_TYPE, content_type)
        .bearer_auth(TOKEN)
        .body(body)
        .send()
        .await
        .expect("post");
    (r.status(), r.text().await.expect("body"))
}

#[tokio::test]
async fn bad_batches_and_bad_requests_get_a_4xx_with_the_reason() {
    let dir = folder();
    let s = start(dir.path(), None).await;

    let missing = std::fs::read(repo("manifest/tests/data/missing_columns.csv")).expect("csv");
    let (status, text) = post_csv(&s, &[("csv-file", "m.csv", &missing)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("lacks required columns") && text.contains("Parent ARK"), "{text}");

    let (status, text) = post_csv(&s, &[("iiif-version", "", b"3")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("no csv-file field"), "{text}");

    let sinai = std::fs::read(repo("manifest/tests/data/sinai.csv")).expect("csv");
    let (status, text) = post_csv(&s, &[("csv-file", "s.csv", &sinai), ("iiif-version", "", b"7")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("unknown IIIF version"), "{text}");

    let (status, text) = post_csv(&s, &[("csv-file", "b.csv", b"\xff\xfe not a csv \x00")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");

    let r = s
        .client
        .post(s.url("/collections"))
        .bearer_auth(TOKEN)
        .header(header::CONTENT_TYPE, "text/csv")
        .body(sinai.clone())
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "not multipart");

    // Rows left out: the batch still builds, and the result CSV says which rows and why.
    let bad = std::fs::read(repo("manifest/tests/data/bad_rows.csv")).expect("csv");
    let (status, text) = post_csv(&s, &[("csv-file", "bad.csv", &bad)]).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header_row = reader.headers().expect("header").clone();
    let problem = header_row.iter().position(|h| h == "IIIF Manifest Problem").expect("a problem column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert!(rows[7][problem].contains("is not in the batch"), "{:?}", &rows[7]);
    assert_eq!(&rows[0][problem], "", "the collection built");
    // The consistent work's pages have no media sizes and no images here: reported on the page's line.
    assert!(rows[2][problem].contains("no media.width/media.height"), "{:?}", &rows[2]);
    assert_eq!(
        s.client.get(s.url("/collections/ark:/21198/zz002dvwr2")).send().await.expect("get").status(),
        StatusCode::OK,
        "the collection was built"
    );
    assert_eq!(
        s.client.get(s.url("/ark:/21198/zz002dvwp0/manifest")).send().await.expect("get").status(),
        StatusCode::NOT_FOUND,
        "the work with a repeated sequence was not"
    );

    // ARKs that could leave the store are refused.
    for path in ["/..%2Fsecret/manifest", "/collections/%2Fetc%2Fpasswd"] {
        let r = s.client.put(s.url(path)).bearer_auth(TOKEN).body("{}").send().await.expect("put");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        let r = s.client.get(s.url(path)).send().await.expect("get");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let r = s.client.post(s.url("/ark:/1/x/manifest")).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn iiif_host_points_image_services_elsewhere_and_head_answers_without_a_body() {
    let dir = folder();
    let s = start(dir.path(), None).await;
    let sinai = std::fs::read(repo("manifest/tests/data/sinai.csv")).expect("csv");
    let (status, text) = post_csv(
        &s,
        &[
            ("csv-file", "s.csv", &sinai),
            ("iiif-host", "", b"https://iiif.example.edu/"),
            ("iiif-version", "", b"2"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let m: Value = s
        .client
        .get(s.url(&format!("/{WORK}/manifest")))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let canvas = &m["sequences"][0]["canvases"][0];
    assert_eq!(
        canvas["images"][0]["resource"]["service"]["@id"],
        "https://iiif.example.edu/iiif/2/ark:%2F21198%2Fz1pc3gp5%2Fp1"
    );
    // The size still comes from our own copy of the image.
    assert_eq!((canvas["width"].as_u64(), canvas["height"].as_u64()), (Some(512), Some(512)));
    // The documents themselves are ours.
    assert_eq!(m["@id"], format!("{}/ark:%2F21198%2Fz1pc3gp5/manifest", s.base));

    let r = s.client.head(s.url(&format!("/{WORK}/manifest"))).send().await.expect("head");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(header(r.headers(), header::CONTENT_TYPE).starts_with("application/ld+json"));
    assert!(!header(r.headers(), header::ETAG).is_empty());
    assert!(r.bytes().await.expect("body").is_empty());
}

/// A cache store that holds the manifest store would lose the manifests to a purge: refused at start-up.
#[test]
fn a_cache_store_holding_the_manifests_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |cache_path: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
            .args(["serve", "--print-config"])
            .env("TESSELLA_SOURCE__PATH", repo("samples"))
            .env("TESSELLA_MANIFESTS__PATH", dir.path().join("docs/manifests"))
            .env("TESSELLA_CACHE__STORE__KIND", "local")
            .env("TESSELLA_CACHE__STORE__PATH", cache_path)
            .output()
            .expect("run tessella")
    };
    for bad in [dir.path().join("docs"), dir.path().join("docs/manifests")] {
        let out = run(&bad);
        assert!(!out.status.success(), "{}", bad.display());
        assert!(String::from_utf8_lossy(&out.stderr).contains("the manifests folder"), "{out:?}");
    }
    let out = run(&dir.path().join("cache"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let c: Value = serde_json::from_slice(&out.stdout).expect("json config");
    assert_eq!(c["manifests"]["path"], dir.path().join("docs/manifests").display().to_string());
}

/// `tessella manifests BATCH.csv` offline: documents in the folder store, the result CSV beside the batch,
/// exit 0 when every row built, 2 when rows were left out (named on stderr), 1 when the batch is refused.
#[test]
fn the_manifests_command_builds_a_batch_offline() {
    let dir = folder();
    let batch = dir.path().join("sinai.csv");
    std::fs::copy(repo("manifest/tests/data/sinai.csv"), &batch).expect("copy");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tessella"))
            .arg("manifests")
            .args(args)
            .arg("--images")
            .arg(dir.path().join("images"))
            .arg("--out")
            .arg(dir.path().join("store"))
            .args(["--base-url", "https://iiif.example.edu"])
            .output()
            .expect("run tessella")
    };
    let out = run(&[batch.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stored =
        std::fs::read_to_string(dir.path().join("store/works/ark:/21198/z1pc3gp5.json")).expect("doc");
    let m: Value = serde_json::from_str(&stored).expect("json");
    assert_eq!(m["type"], "Manifest");
    assert_eq!(m["items"][0]["width"], 512, "probed from the image folder");
    assert!(dir.path().join("store/collections/ark:/21198/zz0009gsq9.json").is_file());
    let result = std::fs::read_to_string(dir.path().join("sinai-manifests.csv")).expect("result csv");
    assert!(result.contains("https://iiif.example.edu/ark:%2F21198%2Fz1pc3gp5/manifest"), "{result}");

    let out = run(&[batch.to_str().expect("path"), "--iiif-version", "2"]);
    assert_eq!(out.status.code(), Some(2), "the audio/video work has no 2.1 form");
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 9 (ark:/21198/z1wd4ftb/a1)"));

    let missing = repo("manifest/tests/data/missing_columns.csv");
    let out = run(&[missing.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lacks required columns"));
    let out = run(&[batch.to_str().expect("path"), "--iiif-version", "4"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown --iiif-version"));
}

#[tokio::test]
async fn a_batch_over_the_upload_limit_is_413() {
    let dir = folder();
    let s = start(dir.path(), None).await;
    let mut csv = b"Item ARK,Parent ARK,Object Type,Title\n".to_vec();
    csv.resize(tessella_origin::delivery::MAX_UPLOAD_BYTES + 1024, b'x');
    let (status, text) = post_csv(&s, &[("csv-file", "big.csv", &csv)]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
}
