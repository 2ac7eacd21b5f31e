//! The Lambda handler on a real S3 `ObjectCreated:Put` event (`tests/data/s3-put-event.json`, the shape
//! AWS sends) against an S3-protocol server: moto's server mode. `MOTO_ENDPOINT` names a running one;
//! otherwise each test starts its own on loopback from the venv `tests/s3/moto-venv.sh` installs (and
//! fails, saying why, when it cannot).

use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use aws_lambda_events::event::s3::S3Event;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use serde_json::Value;
use tessella_core::geometry::Geometry;
use tessella_core::iiif::Format;
use tessella_core::pixels::Image;
use tessella_core::pixels::encode::{EncodeOptions, encode};
use tessella_core::render::{self, RenderOptions};
use tessella_core::source::SourceBytes;
use tessella_lambda::{HandlerError, RecordState, Report, Settings, handle, handle_checked};
use tessella_origin::convert::Recipe;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An S3-protocol server for one test: moto started here (stopped on drop), or `MOTO_ENDPOINT`.
struct S3Server {
    endpoint: String,
    child: Option<Child>,
    _log_dir: Option<tempfile::TempDir>,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn s3_server() -> S3Server {
    if let Ok(endpoint) = std::env::var("MOTO_ENDPOINT")
        && !endpoint.is_empty()
    {
        return S3Server { endpoint, child: None, _log_dir: None };
    }
    let script = repo().join("tests/s3/moto-venv.sh");
    let out = Command::new("bash").arg(&script).output().expect("run tests/s3/moto-venv.sh");
    assert!(
        out.status.success(),
        "these tests need moto's S3 server: {} failed ({}):\n{}\nInstall it (python3 -m venv, PyPI) or set \
         MOTO_ENDPOINT to a running S3-protocol server.",
        script.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let venv = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let port = TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let log_dir = tempfile::tempdir().expect("tempdir");
    let log_path = log_dir.path().join("moto.log");
    let log = File::create(&log_path).expect("moto log");
    let mut child = Command::new(venv.join("bin/moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}/bin/moto_server: {e}", venv.display()));
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "moto_server exited ({status}):\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!(
                "moto_server did not listen on {endpoint} within 60 s:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    S3Server { endpoint, child: Some(child), _log_dir: Some(log_dir) }
}

impl S3Server {
    fn client(&self) -> AmazonS3Builder {
        AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id("testing")
            .with_secret_access_key("testing")
    }

    /// A new bucket with a name no other test (nor an earlier run on a shared server) uses.
    async fn bucket(&self, role: &str) -> (String, Arc<dyn ObjectStore>) {
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!("{role}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
        let response = reqwest::Client::new()
            .put(format!("{}/{name}", self.endpoint))
            .send()
            .await
            .expect("create bucket");
        assert!(response.status().is_success(), "creating bucket {name}: {}", response.status());
        let store = self.client().with_bucket_name(&name).build().expect("bucket store");
        (name, Arc::new(store))
    }
}

fn settings(server: &S3Server, vars: &[(&str, &str)]) -> Settings {
    let vars: std::collections::HashMap<String, String> =
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::from_vars(|name| vars.get(name).cloned(), server.client(), Recipe::default()).expect("settings")
}

/// The event file's one record, as JSON.
fn put_record() -> Value {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/s3-put-event.json"))
            .expect("event file");
    let event: Value = serde_json::from_str(&text).expect("event JSON");
    event["Records"][0].clone()
}

/// An event's JSON, of records made from the file's record: (bucket, URL-encoded key, eventName) each.
fn event_json(records: &[(&str, &str, &str)]) -> Value {
    let records: Vec<Value> = records
        .iter()
        .map(|(bucket, key, name)| {
            let mut record = put_record();
            record["eventName"] = Value::from(*name);
            record["s3"]["bucket"]["name"] = Value::from(*bucket);
            record["s3"]["bucket"]["arn"] = Value::from(format!("arn:aws:s3:::{bucket}"));
            record["s3"]["object"]["key"] = Value::from(*key);
            record
        })
        .collect();
    serde_json::json!({ "Records": records })
}

fn event_of(records: &[(&str, &str, &str)]) -> S3Event {
    serde_json::from_value(event_json(records)).expect("an S3 event")
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("../shared/fixtures").join(name)).expect("fixture")
}

/// The whole image at full resolution, decoded by the core, with its geometry.
fn decode_full(data: &[u8]) -> (Geometry, Image) {
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data.to_vec());
    render::decode_full(&bytes, &RenderOptions::default()).expect("decode")
}

/// An uncompressed TIFF master of the astronaut (512×512 RGB), made by the core's TIFF encoder.
fn astronaut_tiff() -> (Image, Vec<u8>) {
    let (_, image) = decode_full(&fixture("astronaut.png"));
    let tiff = encode(&image, Format::Tif, &EncodeOptions::default()).expect("tiff");
    (image, tiff)
}

fn psnr(a: &Image, b: &Image) -> f64 {
    tessella_core::pixels::psnr(a, b).expect("same size and layout")
}

async fn put(store: &Arc<dyn ObjectStore>, key: &str, data: Vec<u8>) {
    store.put(&ObjectPath::parse(key).expect("key"), PutPayload::from(data)).await.expect("put");
}

async fn get(store: &Arc<dyn ObjectStore>, key: &str) -> Option<Vec<u8>> {
    match store.get(&ObjectPath::parse(key).expect("key")).await {
        Ok(r) => Some(r.bytes().await.expect("body").to_vec()),
        Err(object_store::Error::NotFound { .. }) => None,
        Err(e) => panic!("reading {key}: {e}"),
    }
}

/// A derivative the serving core reads as a 512×512 pyramid of 256² tiles close to the master.
fn assert_servable(data: &[u8], master: &Image) {
    let (geometry, image) = decode_full(data);
    assert_eq!((geometry.width, geometry.height), (512, 512));
    assert!(geometry.levels.len() >= 2, "a pyramid: {} levels", geometry.levels.len());
    assert_eq!(geometry.levels[0].tile_width, 256, "256² tiles as TESSELLA_TILE says");
    let db = psnr(&image, master);
    assert!(db > 30.0, "lossy JPEG tiles at quality 90 stay close to the master: {db:.1} dB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_put_event_converts_the_master_into_the_destination_bucket() {
    let server = s3_server();
    let (masters, masters_store) = server.bucket("tessella-masters").await;
    let (derivatives, derivatives_store) = server.bucket("tessella-derivatives").await;
    let (master, tiff) = astronaut_tiff();
    put(&masters_store, "ark:/21198/zz0009gsq9.tif", tiff.clone()).await;
    let dest = format!("s3://{derivatives}/iiif");
    let settings = settings(&server, &[("TESSELLA_DEST", dest.as_str()), ("TESSELLA_TILE", "256")]);

    // The file as AWS sends it: the key is form-encoded, so the handler must decode it.
    let mut event: S3Event = {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/s3-put-event.json"),
        )
        .expect("event file");
        serde_json::from_str(&text).expect("the file is an S3 event")
    };
    assert_eq!(event.records.len(), 1);
    assert_eq!(event.records[0].event_name.as_deref(), Some("ObjectCreated:Put"));
    assert_eq!(event.records[0].s3.object.key.as_deref(), Some("ark%3A/21198/zz0009gsq9.tif"));
    event.records[0].s3.bucket.name = Some(masters.clone());

    let report = handle_checked(&event, &settings).await.expect("the event converts");
    assert_eq!(report.records.len(), 1);
    let record = &report.records[0];
    assert_eq!(record.state, RecordState::Succeeded, "{record:?}");
    assert_eq!(record.key, "ark:/21198/zz0009gsq9.tif");
    assert_eq!(record.bucket, masters);
    assert_eq!(record.destination.as_deref(), Some("ark:/21198/zz0009gsq9.tif"));
    // Under the destination's prefix, keyed {ark}.{ext}.
    let data =
        get(&derivatives_store, "iiif/ark:/21198/zz0009gsq9.tif").await.expect("the derivative exists");
    assert_servable(&data, &master);
    // The report is what the function returns to AWS.
    let json = serde_json::to_value(&report).expect("serializes");
    assert_eq!(json["records"][0]["state"], "succeeded");

    // The same event again (AWS delivers at least once): nothing rewritten.
    let again = handle_checked(&event, &settings).await.expect("a repeat converts");
    assert_eq!(again.records[0].state, RecordState::Ingested);

    // An event whose object is gone: reported missing, not retried.
    let gone = event_of(&[(masters.as_str(), "ark%3A/21198/gone.tif", "ObjectCreated:Put")]);
    let report = handle_checked(&gone, &settings).await.expect("missing is not an error");
    assert_eq!(report.records[0].state, RecordState::Missing, "{report:?}");
    assert!(report.records[0].reason.contains("ark:/21198/gone.tif"), "{report:?}");
    assert_eq!(get(&derivatives_store, "iiif/ark:/21198/gone.tif").await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encoded_keys_and_a_failed_record_among_good_ones() {
    let server = s3_server();
    let (masters, masters_store) = server.bucket("tessella-masters").await;
    let (derivatives, derivatives_store) = server.bucket("tessella-derivatives").await;
    let (master, tiff) = astronaut_tiff();
    // Spaces, parentheses, a plus and a non-ASCII letter: S3 sends `+` for a space and %XX for the rest.
    let spaced = "my masters/astronaut (copy) é+1.tif";
    put(&masters_store, spaced, tiff).await;
    put(&masters_store, "broken.tif", b"II*\0 not really a TIFF".to_vec()).await;
    let settings = settings(
        &server,
        &[
            ("TESSELLA_DEST", &format!("s3://{derivatives}")),
            ("TESSELLA_TILE", "256"),
            ("TESSELLA_KEY", "{ark}/full.{ext}"),
            ("TESSELLA_STRIP_PREFIX", "my masters/"),
        ],
    );
    let event = event_of(&[
        (masters.as_str(), "broken.tif", "ObjectCreated:Put"),
        (
            masters.as_str(),
            "my+masters/astronaut+%28copy%29+%C3%A9%2B1.tif",
            "ObjectCreated:CompleteMultipartUpload",
        ),
        (masters.as_str(), "my+masters/", "ObjectCreated:Put"),
        (masters.as_str(), "old.tif", "ObjectRemoved:Delete"),
        // The function's own output in the destination bucket must not be converted again.
        (derivatives.as_str(), "x/full.tif", "ObjectCreated:Put"),
    ]);

    let report: Report = handle(&event, &settings).await;
    let states: Vec<RecordState> = report.records.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            RecordState::Failed,
            RecordState::Succeeded,
            RecordState::Skipped,
            RecordState::Skipped,
            RecordState::Skipped
        ],
        "{report:#?}"
    );
    assert!(report.records[0].reason.contains("broken.tif"), "{:?}", report.records[0]);
    assert_eq!(report.records[1].key, "my masters/astronaut (copy) é+1.tif");
    assert_eq!(report.records[1].destination.as_deref(), Some("astronaut (copy) é+1/full.tif"));
    let data = get(&derivatives_store, "astronaut (copy) é+1/full.tif").await.expect("the derivative exists");
    assert_servable(&data, &master);
    assert_eq!(get(&derivatives_store, "broken/full.tif").await, None, "no derivative of a broken master");

    // What the runtime sees: an error naming the failed record, so AWS retries; the good record,
    // already converted, is then ingested rather than lost or redone.
    match handle_checked(&event, &settings).await {
        Err(HandlerError::RecordsFailed { failed, total, details }) => {
            assert_eq!((failed, total), (1, 5));
            assert!(details.contains(&format!("s3://{masters}/broken.tif")), "{details}");
        }
        Ok(report) => panic!("a failed record must fail the invocation: {report:?}"),
    }
    let retry = handle(&event, &settings).await;
    assert_eq!(retry.records[1].state, RecordState::Ingested, "{retry:#?}");
}

/// A stand-in for Lambda's runtime API (`AWS_LAMBDA_RUNTIME_API`): hands out `events` to
/// `GET /2018-06-01/runtime/invocation/next` one by one and sends each `POST .../response` or `.../error`
/// (path, body) to the channel. After the last event it closes the connection, which ends the runtime.
fn fake_runtime_api(events: Vec<String>) -> (u16, std::sync::mpsc::Receiver<(String, String)>) {
    use std::io::{BufRead as _, BufReader, Read as _, Write as _};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (sender, receiver) = std::sync::mpsc::channel();
    let events = Arc::new(std::sync::Mutex::new(std::collections::VecDeque::from(events)));
    let served = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let (events, sender, served) = (events.clone(), sender.clone(), served.clone());
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let (method, path) =
                        (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
                    let mut length = 0usize;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        if header.trim().is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            assert!(
                                !name.eq_ignore_ascii_case("transfer-encoding"),
                                "the fake runtime API reads Content-Length bodies only"
                            );
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).expect("body");
                    if method == "GET" && path.ends_with("/runtime/invocation/next") {
                        let Some(event) = events.lock().expect("lock").pop_front() else { return };
                        let served = served.fetch_add(1, Ordering::SeqCst) + 1;
                        let deadline = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .expect("clock")
                            .as_millis()
                            + 600_000;
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                             lambda-runtime-aws-request-id: req-{port}-{served}\r\n\
                             lambda-runtime-deadline-ms: {deadline}\r\n\
                             lambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:tessella\r\n\r\n",
                            event.len()
                        );
                        writer
                            .write_all(head.as_bytes())
                            .and_then(|()| writer.write_all(event.as_bytes()))
                            .expect("write");
                    } else {
                        let _ = sender.send((path, String::from_utf8_lossy(&body).into_owned()));
                        writer
                            .write_all(
                                b"HTTP/1.1 202 Accepted\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}\n",
                            )
                            .expect("write");
                    }
                }
            });
        }
    });
    (port, receiver)
}

/// The `bootstrap` executable under the Lambda runtime protocol: a good event answered on `/response`
/// with the report, an event with a broken master on `/error` (so AWS retries), the derivative written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bootstrap_executable_answers_the_runtime_api() {
    let server = s3_server();
    let (masters, masters_store) = server.bucket("tessella-masters").await;
    let (derivatives, derivatives_store) = server.bucket("tessella-derivatives").await;
    let (master, tiff) = astronaut_tiff();
    put(&masters_store, "ark:/21198/zz0009gsq9.tif", tiff).await;
    put(&masters_store, "broken.tif", b"not an image".to_vec()).await;
    let good =
        event_json(&[(masters.as_str(), "ark%3A/21198/zz0009gsq9.tif", "ObjectCreated:Put")]).to_string();
    let bad = event_json(&[
        (masters.as_str(), "broken.tif", "ObjectCreated:Put"),
        (masters.as_str(), "ark%3A/21198/zz0009gsq9.tif", "ObjectCreated:Put"),
    ])
    .to_string();
    let (port, results) = fake_runtime_api(vec![good, bad]);
    let log_dir = tempfile::tempdir().expect("tempdir");
    let log_path = log_dir.path().join("bootstrap.log");
    let log = File::create(&log_path).expect("log");
    let dest = format!("s3://{derivatives}/iiif");
    let bootstrap = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bootstrap"));
        command
            .env_clear()
            .env("AWS_LAMBDA_FUNCTION_NAME", "tessella")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_ENDPOINT", &server.endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("TESSELLA_TILE", "256")
            .stdin(Stdio::null());
        command
    };
    let mut child = bootstrap()
        .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
        .env("TESSELLA_DEST", &dest)
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start bootstrap");
    let log_text = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let mut answers = Vec::new();
    for _ in 0..2 {
        match results.recv_timeout(Duration::from_secs(300)) {
            Ok(answer) => answers.push(answer),
            Err(e) => {
                let _ = child.kill();
                panic!("no answer from bootstrap ({e}); its log:\n{}", log_text());
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();

    let (path, body) = &answers[0];
    assert!(path.ends_with("-1/response"), "{path} {body}\n{}", log_text());
    let report: Value = serde_json::from_str(body).expect("the report is JSON");
    assert_eq!(report["records"][0]["state"], "succeeded", "{body}");
    assert_eq!(report["records"][0]["key"], "ark:/21198/zz0009gsq9.tif", "{body}");
    let data =
        get(&derivatives_store, "iiif/ark:/21198/zz0009gsq9.tif").await.expect("the derivative exists");
    assert_servable(&data, &master);

    let (path, body) = &answers[1];
    assert!(path.ends_with("-2/error"), "{path} {body}");
    let error: Value = serde_json::from_str(body).expect("the error is JSON");
    assert_eq!(error["errorType"], "TessellaRecordsFailed", "{body}");
    let message = error["errorMessage"].as_str().unwrap_or_default();
    assert!(message.contains("1 of 2 records failed"), "{body}");
    assert!(message.contains(&format!("s3://{masters}/broken.tif")), "{body}");
    // One log line per record, with its state.
    let text = log_text();
    assert!(text.contains("state=\"failed\"") && text.contains("state=\"ingested\""), "{text}");

    // A bad configuration fails the cold start, naming the variable.
    let out = bootstrap()
        .env("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9")
        .env("TESSELLA_TILE", "100")
        .env("TESSELLA_DEST", &dest)
        .output()
        .expect("run bootstrap");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("TESSELLA_TILE"), "{text}");
}

/// `tessella serve` in-process over `images`, with an admin token; its base URL.
async fn origin(images: &Path, token: &str) -> String {
    let mut config = tessella_origin::config::Config::default();
    config.source.path = images.to_path_buf();
    config.admin.token = Some(token.to_string());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        if let Err(e) = tessella_origin::serve(listener, config).await {
            panic!("origin: {e}");
        }
    });
    base
}

async fn info_width(base: &str, identifier: &str) -> u64 {
    let url = format!("{base}/iiif/3/{identifier}/info.json");
    let body = reqwest::get(&url).await.expect("info.json").bytes().await.expect("body");
    let info: Value = serde_json::from_slice(&body).expect("JSON");
    info["width"].as_u64().unwrap_or_else(|| panic!("{url}: {info}"))
}

/// JPEG 2000 settings reach the encoder (lossless is exact), and a reconverted identifier is purged from
/// a running origin's caches, which then serves the new image; a purge refused by the origin is
/// reported on the record without undoing the conversion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lossless_jp2_and_a_purge_of_the_origin() {
    const TOKEN: &str = "purge-token";
    let server = s3_server();
    let (masters, masters_store) = server.bucket("tessella-masters").await;
    let dest = tempfile::tempdir().expect("temp dir");
    let base = origin(dest.path(), TOKEN).await;
    let (master, tiff) = astronaut_tiff();
    put(&masters_store, "ark:/21198/p.tif", tiff).await;
    let dest_url = dest.path().to_string_lossy().to_string();
    let vars = |force: &'static str, token: &'static str| {
        settings(
            &server,
            &[
                ("TESSELLA_DEST", dest_url.as_str()),
                ("TESSELLA_FORMAT", "jp2"),
                ("TESSELLA_LOSSLESS", "true"),
                ("TESSELLA_FORCE", force),
                ("TESSELLA_PURGE_URL", base.as_str()),
                ("TESSELLA_ADMIN_TOKEN", token),
            ],
        )
    };
    let event = event_of(&[(masters.as_str(), "ark%3A/21198/p.tif", "ObjectCreated:Put")]);

    let report = handle_checked(&event, &vars("false", TOKEN)).await.expect("converts");
    let record = &report.records[0];
    assert_eq!(record.state, RecordState::Succeeded, "{record:?}");
    assert!(record.reason.contains("purged ark:/21198/p"), "{record:?}");
    let jpx = std::fs::read(dest.path().join("ark:/21198/p.jpx")).expect("the JP2 derivative");
    let (_, decoded) = decode_full(&jpx);
    assert_eq!(decoded, master, "TESSELLA_LOSSLESS: reversible, the master's exact pixels");
    assert_eq!(info_width(&base, "ark:%2F21198%2Fp").await, 512);

    // A new master under the same key, reconverted: the origin forgets the old geometry.
    let (_, camera) = decode_full(&fixture("camera.png"));
    // Two by two copies of it: 1024×1024.
    let row = camera.data.len() / camera.height as usize;
    let mut data = Vec::with_capacity(camera.data.len() * 4);
    for y in 0..(camera.height * 2) as usize {
        let line = &camera.data[(y % camera.height as usize) * row..][..row];
        data.extend_from_slice(line);
        data.extend_from_slice(line);
    }
    let bigger = Image { width: camera.width * 2, height: camera.height * 2, format: camera.format, data };
    let tiff = encode(&bigger, Format::Tif, &EncodeOptions::default()).expect("tiff");
    put(&masters_store, "ark:/21198/p.tif", tiff).await;
    let report = handle_checked(&event, &vars("true", TOKEN)).await.expect("reconverts");
    assert!(report.records[0].reason.contains("purged"), "{report:?}");
    assert_eq!(info_width(&base, "ark:%2F21198%2Fp").await, 1024);

    // A wrong token: the derivative is written, the refused purge is on the record.
    let report = handle_checked(&event, &vars("true", "wrong")).await.expect("the conversion stands");
    let record = &report.records[0];
    assert_eq!(record.state, RecordState::Succeeded, "{record:?}");
    assert!(record.reason.contains("failed") && record.reason.contains("401"), "{record:?}");
}
