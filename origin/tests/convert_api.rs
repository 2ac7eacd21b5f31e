//! The conversion API of `tessella serve` end to end: the binary, configured by `TESSELLA_*` variables,
//! converting into the folder it serves; jobs across a `kill -9` and restart; single images; the token.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tessella_core::iiif::Format;
use tessella_core::pixels::Image;
use tessella_core::pixels::encode::{EncodeOptions, encode};
use tessella_core::render::RenderOptions;
use tessella_core::source::SourceBytes;

const TOKEN: &str = "convert-api-test-token";

fn fixture_image(name: &str) -> Image {
    let data = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures").join(name))
        .expect("fixture");
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data);
    tessella_core::render::decode_full(&bytes, &RenderOptions::default()).expect("decode").1
}

fn tiff(image: &Image) -> Vec<u8> {
    encode(image, Format::Tif, &EncodeOptions::default()).expect("tiff")
}

/// `image` repeated `n`×`n` times: a larger master that takes a while to convert.
fn tiled(image: &Image, n: u32) -> Image {
    let row = image.data.len() / image.height as usize;
    let mut data = Vec::with_capacity(image.data.len() * (n * n) as usize);
    for y in 0..(image.height * n) as usize {
        let line = &image.data[(y % image.height as usize) * row..][..row];
        for _ in 0..n {
            data.extend_from_slice(line);
        }
    }
    Image { width: image.width * n, height: image.height * n, format: image.format, data }
}

struct Server {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `tessella serve` over `root/derivatives`, converting from `root/masters`, jobs in `root/jobs`.
fn serve(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessella"))
        .arg("serve")
        .env("TESSELLA_LISTEN", "127.0.0.1:0")
        .env("TESSELLA_LOG", "info")
        .env("TESSELLA_SOURCE__PATH", root.join("derivatives"))
        .env("TESSELLA_CONVERT__SOURCE", root.join("masters"))
        .env("TESSELLA_CONVERT__DESTINATION", root.join("derivatives"))
        .env("TESSELLA_CONVERT__JOBS_DIR", root.join("jobs"))
        .env("TESSELLA_CONVERT__JOBS", "1")
        .env("TESSELLA_ADMIN__TOKEN", TOKEN)
        .stderr(Stdio::piped())
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
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stderr.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
    Server { child, base, client: reqwest::Client::new() }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    async fn submit(&self, path: &str, csv: &str) -> reqwest::Response {
        let part = reqwest::multipart::Part::text(csv.to_string())
            .file_name("batch.csv")
            .mime_str("text/csv")
            .expect("mime");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.client.post(self.url(path)).bearer_auth(TOKEN).multipart(form).send().await.expect("submit")
    }
    /// The width the server's info.json gives for an identifier (public, no token).
    async fn width(&self, identifier: &str) -> Value {
        let r =
            self.client.get(self.url(&format!("/iiif/3/{identifier}/info.json"))).send().await.expect("info");
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.expect("json")["width"].clone()
    }
    async fn delete(&self, path: &str) -> reqwest::Response {
        self.client.delete(self.url(path)).bearer_auth(TOKEN).send().await.expect("delete")
    }
    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(TOKEN).send().await.expect("get")
    }
    async fn job(&self, id: &str) -> Value {
        let r = self.get(&format!("/admin/jobs/{id}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.expect("json")
    }
    /// Polls a job until `done(job)` holds (60 s at most).
    async fn wait_for(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let job = self.job(id).await;
            if done(&job) {
                return job;
            }
            assert!(Instant::now() < deadline, "job never got there: {job}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("masters")).expect("mkdir");
    std::fs::create_dir_all(root.join("derivatives")).expect("mkdir");
    (dir, root)
}

#[tokio::test]
async fn a_posted_batch_runs_in_the_background_and_its_derivatives_are_served() {
    let (_dir, root) = setup();
    std::fs::write(root.join("masters/astronaut.tif"), tiff(&fixture_image("astronaut.png"))).expect("write");
    std::fs::write(root.join("masters/camera.tif"), tiff(&fixture_image("camera.png"))).expect("write");
    let server = serve(&root);

    // Without the token: 401, nothing queued.
    let r = server
        .client
        .post(server.url("/admin/jobs"))
        .body("Item ARK,File Name\n")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = server.client.get(server.url("/admin/jobs")).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A CSV without the required columns is refused with the reason.
    let r = server.submit("/admin/jobs", "Title,Path\nx,y\n").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.expect("body").contains("Item ARK"));

    let csv = "Item ARK,File Name,Title\nark:/21198/t1,astronaut.tif,A\nark:/21198/t2,camera.tif,C\n\
               ark:/21198/t3,absent.tif,M\nark:/21198/t4,bad name.tif,B\n";
    // Bucketeer's route.
    let r = server.submit("/batch/input/csv", csv).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_string();
    let job: Value = r.json().await.expect("json");
    let id = job["id"].as_str().expect("id").to_string();
    assert_eq!(location, format!("/admin/jobs/{id}"));
    assert_eq!(job["total"], 3);

    let job = server.wait_for(&id, |j| j["status"] == "done").await;
    assert_eq!(
        (job["succeeded"].as_u64(), job["missing"].as_u64(), job["failed"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let list: Value = server.get("/admin/jobs").await.json().await.expect("json");
    assert!(list.as_array().expect("array").iter().any(|j| j["id"] == id.as_str()));

    let r = server.get(&format!("/admin/jobs/{id}/result.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let result = r.text().await.expect("csv");
    let mut lines = result.lines();
    assert_eq!(
        lines.next(),
        Some("Item ARK,File Name,Title,Bucketeer State,IIIF Access URL,Bucketeer Message")
    );
    let t1 = lines.next().expect("t1");
    assert!(
        t1.starts_with(&format!(
            "ark:/21198/t1,astronaut.tif,A,succeeded,{}/iiif/3/ark:%2F21198%2Ft1,",
            server.base
        )),
        "{t1}"
    );
    assert!(result.contains("ark:/21198/t3,absent.tif,M,missing,"), "{result}");

    // The server serves what it converted, under the ARK.
    let r = server.client.get(server.url("/iiif/3/ark:%2F21198%2Ft1/info.json")).send().await.expect("info");
    assert_eq!(r.status(), StatusCode::OK);
    let info: Value = r.json().await.expect("json");
    assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(512), Some(512)));
    let r = server
        .client
        .get(server.url("/iiif/3/ark:%2F21198%2Ft2/0,0,256,256/256,/0/default.jpg"))
        .send()
        .await
        .expect("tile");
    assert_eq!(r.status(), StatusCode::OK);

    // A finished job can be deleted; then it is gone.
    let r = server.delete(&format!("/admin/jobs/{id}")).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.get(&format!("/admin/jobs/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.get("/admin/jobs/..%2F..%2Fetc").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_job_survives_a_killed_server_and_finishes_after_the_restart() {
    let (_dir, root) = setup();
    let master = tiff(&tiled(&fixture_image("astronaut.png"), 4));
    let mut csv = String::from("Item ARK,File Name\n");
    for i in 0..8 {
        std::fs::write(root.join(format!("masters/m{i}.tif")), &master).expect("write");
        csv.push_str(&format!("ark:/13030/r{i},m{i}.tif\n"));
    }
    let server = serve(&root);
    let r = server.submit("/admin/jobs", &csv).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let id = r.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_string();
    let job = server.wait_for(&id, |j| j["status"] == "running").await;
    assert_eq!(job["runs"], 1);
    // Running: no result yet, and it cannot be deleted.
    assert_eq!(server.get(&format!("/admin/jobs/{id}/result.csv")).await.status(), StatusCode::CONFLICT);
    let r = server.delete(&format!("/admin/jobs/{id}")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    server.wait_for(&id, |j| j["done"].as_u64().is_some_and(|d| d >= 2)).await;
    drop(server); // kill -9

    let server = serve(&root);
    let job = server.wait_for(&id, |j| j["status"] == "done").await;
    assert_eq!(job["runs"], 2, "{job}");
    let (succeeded, ingested) = (job["succeeded"].as_u64().expect("n"), job["ingested"].as_u64().expect("n"));
    assert_eq!(succeeded + ingested, 8, "{job}");
    assert!(ingested >= 2, "rows done before the kill are not converted again: {job}");
    assert_eq!(job["failed"], 0);
    let mut written: Vec<String> = std::fs::read_dir(root.join("derivatives/ark:/13030"))
        .expect("derivatives")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, (0..8).map(|i| format!("r{i}.tif")).collect::<Vec<_>>());
}

#[tokio::test]
async fn one_image_converts_on_request_and_a_reconversion_is_served_at_once() {
    let (_dir, root) = setup();
    std::fs::write(root.join("masters/one.tif"), tiff(&fixture_image("astronaut.png"))).expect("write");
    let server = serve(&root);
    let convert =
        |body: Value| server.client.post(server.url("/admin/convert")).bearer_auth(TOKEN).json(&body).send();
    let r = convert(serde_json::json!({"ark": "ark:/21198/one", "file": "one.tif"})).await.expect("convert");
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["state"], "succeeded");
    assert_eq!(body["access_url"], format!("{}/iiif/3/ark:%2F21198%2Fone", server.base));
    assert_eq!(server.width("ark:%2F21198%2Fone").await, 512);

    // Done already: 200, nothing written.
    let r = convert(serde_json::json!({"ark": "ark:/21198/one", "file": "one.tif"})).await.expect("convert");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.expect("json")["state"], "ingested");

    // A new master, reconverted with force: the server answers with the new image, not a cached one.
    std::fs::write(root.join("masters/one.tif"), tiff(&tiled(&fixture_image("camera.png"), 2)))
        .expect("write");
    let r = convert(serde_json::json!({"ark": "ark:/21198/one", "file": "one.tif", "force": true}))
        .await
        .expect("convert");
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(server.width("ark:%2F21198%2Fone").await, 1024);

    // Missing, invalid and malformed requests.
    let r = convert(serde_json::json!({"ark": "ark:/21198/two", "file": "two.tif"})).await.expect("convert");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r =
        convert(serde_json::json!({"ark": "ark:/21198/two", "file": "../one.tif"})).await.expect("convert");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = convert(serde_json::json!({"ark": "ark:/21198/two"})).await.expect("convert");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_command_line_purges_what_it_reconverted_from_a_running_origin() {
    let (_dir, root) = setup();
    std::fs::write(root.join("masters/p.tif"), tiff(&fixture_image("astronaut.png"))).expect("write");
    std::fs::write(root.join("batch.csv"), "Item ARK,File Name\nark:/21198/p,p.tif\n").expect("write");
    let server = serve(&root);
    let convert = |extra: &[&str], token: &str| {
        Command::new(env!("CARGO_BIN_EXE_tessella"))
            .arg("convert")
            .arg(root.join("batch.csv"))
            .arg("--source")
            .arg(root.join("masters"))
            .arg("--dest")
            .arg(root.join("derivatives"))
            .args(["--purge", &server.base])
            .args(extra)
            .env("TESSELLA_ADMIN__TOKEN", token)
            .output()
            .expect("convert")
    };
    let out = convert(&[], TOKEN);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.width("ark:%2F21198%2Fp").await, 512);

    // A new master, reconverted: the origin forgets what it cached and serves the new image.
    std::fs::write(root.join("masters/p.tif"), tiff(&tiled(&fixture_image("camera.png"), 2))).expect("write");
    let out = convert(&["--force"], TOKEN);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("purged 1 of 1 converted identifiers"), "{stderr}");
    assert_eq!(server.width("ark:%2F21198%2Fp").await, 1024);

    // A wrong token: the conversion stands, the purge failure is reported and the exit status says so.
    let out = convert(&["--force"], "wrong");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("401"), "{stderr}");
}
