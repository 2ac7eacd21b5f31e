//! The built Spin component under wasmtime, against the real origin (`tessella serve`) on loopback.
//!
//! Needs `TESSELLA_BIN` (the `tessella` binary) and the component built in release
//! (`cargo build --manifest-path edge/Cargo.toml -p tessella-edge-spin --target wasm32-wasip2 --release`;
//! another path by `TESSELLA_EDGE_WASM`). `large_pyramid_tile_within_budget` also needs
//! `TESSELLA_EDGE_LARGE_PYRAMID`, the 8000×5000 JPEG-tiled pyramidal TIFF (`loadtest/sources.sh` prints the
//! folder holding it as `ptiff-large.tif`). Each test starts its own origin over a temporary image folder.
#![allow(clippy::unwrap_used)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tessella_core::pixels::Budget;
use tessella_core::pixels::decode::jpeg::decode_jpeg;
use tessella_core::pixels::psnr;
use tessella_edge_host::{Call, EdgeHost, Guest, HostOptions, Reply, http_get};

const SECRET: &str = "edge-test-secret";
const PUBLIC_BASE: &str = "http://edge.test";
const MB: usize = 1024 * 1024;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The compiled component, shared by the tests (compiling it is the slow part).
fn host() -> &'static EdgeHost {
    static HOST: OnceLock<EdgeHost> = OnceLock::new();
    HOST.get_or_init(|| {
        let wasm = component();
        EdgeHost::new(&wasm).unwrap_or_else(|e| panic!("hosting {}: {e}", wasm.display()))
    })
}

fn component() -> PathBuf {
    let wasm = std::env::var_os("TESSELLA_EDGE_WASM").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/wasm32-wasip2/release/tessella_edge_spin.wasm")
    });
    assert!(
        wasm.is_file(),
        "{} not found: build the component first (cargo build --manifest-path edge/Cargo.toml \
         -p tessella-edge-spin --target wasm32-wasip2 --release) or set TESSELLA_EDGE_WASM",
        wasm.display()
    );
    wasm
}

/// `tessella serve` on a free loopback port over a temporary folder, killed (and the folder removed) on drop.
struct Origin {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Origin {
    /// `images`: (identifier path under the folder, file to link or copy there).
    fn start(images: &[(&str, &Path)]) -> Origin {
        let bin = std::env::var_os("TESSELLA_BIN").map(PathBuf::from).expect(
            "TESSELLA_BIN is not set: the path of the tessella binary (cargo build --bin tessella at the repository root)",
        );
        assert!(bin.is_file(), "TESSELLA_BIN={} is not a file", bin.display());
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "tessella-edge-host-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let images_dir = dir.join("images");
        for (name, file) in images {
            let to = images_dir.join(name);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            if std::fs::hard_link(file, &to).is_err() {
                std::fs::copy(file, &to).unwrap_or_else(|e| panic!("copying {}: {e}", file.display()));
            }
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&bin)
            .args(["serve", "--images"])
            .arg(&images_dir)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .current_dir(&dir)
            .env("TESSELLA_EDGE_SOURCE__SECRET", SECRET)
            .env("TESSELLA_PUBLIC_BASE", PUBLIC_BASE)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        let mut origin = Origin { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = origin.child.try_wait().unwrap() {
                panic!("the origin exited: {status}");
            }
            assert!(Instant::now() < deadline, "the origin did not listen on 127.0.0.1:{port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        origin
    }

    fn rocket() -> Origin {
        let pyramid = repo().join("shared/tests/data/rocket-pyramid-jpeg.tif");
        Origin::start(&[("rocket-pyramid.tif", &pyramid), ("ark:/21198/zz0001.tif", &pyramid)])
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The component's settings: this origin, its secret (unless `secret` is false), and `extra`.
    fn guest(&self, secret: bool, extra: &[(&str, &str)]) -> Guest {
        let mut env = vec![
            ("ORIGIN_URL".to_string(), self.url()),
            ("PUBLIC_BASE".to_string(), PUBLIC_BASE.to_string()),
        ];
        if secret {
            env.push(("SOURCE_SECRET".into(), SECRET.into()));
        }
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Guest { env, allowed_origin: format!("127.0.0.1:{}", self.port), memory_cap: None }
    }

    async fn direct(&self, path: &str) -> Reply {
        http_get(&format!("{}{path}", self.url()), &[]).await.unwrap()
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn edge(guest: &Guest, path: &str) -> Reply {
    let reply = host().handle(guest, &Call::get(path)).await.unwrap_or_else(|e| panic!("{path}: {e}"));
    eprintln!(
        "{path}: {} {:?}, peak wasm memory {:.1} MB, {} outbound, {:?}; guest said: {}",
        reply.status,
        reply.header("tessella-edge"),
        reply.peak_memory as f64 / MB as f64,
        reply.outbound.len(),
        reply.elapsed,
        reply.stderr.trim()
    );
    reply
}

fn jpeg(reply: &Reply) -> tessella_core::pixels::Image {
    assert_eq!(reply.header("content-type"), Some("image/jpeg"), "{reply:?}");
    decode_jpeg(&reply.body, &Budget::default()).expect("a valid JPEG")
}

/// Every outbound request went to the origin, and image data only through its source endpoint.
fn source_reads(reply: &Reply, origin: &Origin) -> usize {
    for uri in &reply.outbound {
        assert!(uri.starts_with(&format!("{}/", origin.url())), "outbound request off the origin: {uri}");
    }
    reply.outbound.iter().filter(|u| u.contains("/edge/source/")).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edge_renders_a_tile_the_origin_would_send() {
    let origin = Origin::rocket();
    let guest = origin.guest(true, &[]);
    // A region off the tile grid (rendered) and one whole tile (rendered or passed through); the origin
    // is sent the same URL directly.
    for (path, how) in [
        ("/iiif/3/rocket-pyramid/100,100,300,200/150,100/0/default.jpg", &["rendered"][..]),
        ("/iiif/3/rocket-pyramid/0,0,256,256/256,256/0/default.jpg", &["rendered", "passthrough"][..]),
    ] {
        let at_edge = edge(&guest, path).await;
        assert_eq!(at_edge.status, 200, "{}", String::from_utf8_lossy(&at_edge.body));
        let outcome = at_edge.header("tessella-edge").unwrap();
        assert!(how.contains(&outcome), "{path}: tessella-edge: {outcome}");
        assert!(source_reads(&at_edge, &origin) > 0, "{path} rendered without reading the source");
        let direct = origin.direct(path).await;
        assert_eq!(direct.status, 200);
        for name in ["etag", "link", "cache-control", "content-type", "access-control-allow-origin"] {
            assert!(direct.header(name).is_some(), "the origin sent no {name}");
            assert_eq!(at_edge.header(name), direct.header(name), "{path}: {name}");
        }
        let (a, b) = (jpeg(&at_edge), jpeg(&direct));
        assert_eq!((a.width, a.height), (b.width, b.height));
        let quality = psnr(&a, &b).unwrap();
        assert!(quality >= 40.0, "{path}: PSNR {quality:.1} dB between the edge's and the origin's");
    }
}

/// The shared host takes instances from wasmtime's pool, reusing a slot's memory after each request; one
/// on wasmtime's on-demand allocator (a fresh mapping per instance) must answer the same bytes, request
/// after request, so nothing one instance left behind reaches the next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pooled_and_on_demand_instances_answer_alike() {
    let origin = Origin::rocket();
    let guest = origin.guest(true, &[]);
    let on_demand = EdgeHost::with_options(&component(), HostOptions { pooling: false, keep_resident: 0 })
        .unwrap_or_else(|e| panic!("hosting on demand: {e}"));
    let kept = EdgeHost::with_options(&component(), HostOptions { pooling: true, keep_resident: 64 * MB })
        .unwrap_or_else(|e| panic!("hosting with memory kept resident: {e}"));
    let paths = [
        "/iiif/3/rocket-pyramid/100,100,300,200/150,100/0/default.jpg",
        "/iiif/3/rocket-pyramid/full/max/90/gray.png",
        "/iiif/3/rocket-pyramid/100,100,300,200/150,100/0/default.jpg",
    ];
    let mut pooled_bodies = Vec::new();
    for path in paths {
        let pooled = edge(&guest, path).await;
        assert_eq!(pooled.status, 200, "{path}: {}", String::from_utf8_lossy(&pooled.body));
        for other in [&on_demand, &kept] {
            let reply =
                other.handle(&guest, &Call::get(path)).await.unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(reply.status, 200, "{path}");
            assert!(reply.body == pooled.body, "{path}: the allocators' instances answered differently");
        }
        pooled_bodies.push(pooled.body);
    }
    assert!(pooled_bodies[2] == pooled_bodies[0], "the same request answered differently by a reused slot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_json_and_an_encoded_identifier_through_both_hops() {
    let origin = Origin::rocket();
    let guest = origin.guest(true, &[]);
    let info = edge(&guest, "/iiif/3/ark:%2F21198%2Fzz0001/info.json").await;
    assert_eq!(info.status, 200, "{}", String::from_utf8_lossy(&info.body));
    assert_eq!(info.header("tessella-edge"), Some("proxied"));
    let body = String::from_utf8(info.body.clone()).unwrap();
    assert!(
        body.contains(&format!("\"{PUBLIC_BASE}/iiif/3/ark:%2F21198%2Fzz0001\"")),
        "info.json id not under PUBLIC_BASE: {body}"
    );
    assert!(body.contains("\"width\": 640") || body.contains("\"width\":640"), "{body}");
    // The identifier's %2F reaches the source endpoint encoded, and the tile renders.
    let tile = edge(&guest, "/iiif/3/ark:%2F21198%2Fzz0001/0,0,320,200/160,100/0/default.jpg").await;
    assert_eq!(tile.status, 200, "{}", String::from_utf8_lossy(&tile.body));
    assert_eq!(tile.header("tessella-edge"), Some("rendered"));
    assert!(
        tile.outbound.iter().any(|u| u.contains("/edge/source/ark:%2F21198%2Fzz0001")),
        "{:?}",
        tile.outbound
    );
    assert_eq!(jpeg(&tile).width, 160);
    assert!(
        tile.header("link").unwrap().contains("/iiif/3/ark:%2F21198%2Fzz0001/"),
        "{:?}",
        tile.header("link")
    );
}

/// More requests at once than the pool has instance slots: the excess waits for a slot instead of
/// failing to instantiate (which `serve` would answer with a 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_concurrent_requests_than_pool_slots_all_answer() {
    let origin = Origin::rocket();
    let guest = std::sync::Arc::new(origin.guest(true, &[]));
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..3 * tessella_edge_host::POOL_INSTANCES {
        let guest = std::sync::Arc::clone(&guest);
        // info.json goes to the origin, so every instance stays alive across that round trip.
        calls.spawn(
            async move { host().handle(&guest, &Call::get("/iiif/3/rocket-pyramid/info.json")).await },
        );
    }
    let mut answered = 0;
    while let Some(joined) = calls.join_next().await {
        let reply = joined.unwrap().unwrap_or_else(|e| panic!("a request beyond the pool failed: {e}"));
        assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
        answered += 1;
    }
    assert_eq!(answered, 3 * tessella_edge_host::POOL_INSTANCES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_budget_goes_to_the_origin_before_any_work() {
    let origin = Origin::rocket();
    // Turned 90° at full size, 640×427 needs the decoded image and its rotated copy: over a 1 MB budget.
    // (Rotated, so not a mosaic of stored tiles the core could send without decoding.)
    let guest = origin.guest(true, &[("MAX_MEMORY_MB", "1")]);
    let baseline = edge(&guest, "/iiif/3/rocket-pyramid/info.json").await;
    let full = edge(&guest, "/iiif/3/rocket-pyramid/full/max/90/default.jpg").await;
    assert_eq!(full.status, 200, "{}", String::from_utf8_lossy(&full.body));
    let outcome = full.header("tessella-edge").unwrap();
    assert!(outcome.starts_with("origin; reason="), "tessella-edge: {outcome}");
    assert_eq!(jpeg(&full).width, 427);
    // The probe's reads, then the origin: no tile data fetched.
    let reads = source_reads(&full, &origin);
    assert!(reads <= 2, "{reads} source reads for a request sent to the origin: {:?}", full.outbound);
    assert!(full.outbound.last().unwrap().contains("/iiif/3/rocket-pyramid/full/max/90/default.jpg"));
    // Nothing decoded: beyond the proxied JPEG (held as the response), the instance grew no more than an
    // info.json request's did, far from the 0.8 MB a decode alone would need.
    let extra = full.peak_memory.saturating_sub(baseline.peak_memory);
    assert!(
        extra <= 3 * full.body.len() + MB / 4,
        "peak {} B vs info.json's {} B: {extra} B more for a {} B proxied body",
        full.peak_memory,
        baseline.peak_memory,
        full.body.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_secret_images_go_to_the_origin() {
    let origin = Origin::rocket();
    let guest = origin.guest(false, &[]);
    let tile = edge(&guest, "/iiif/3/rocket-pyramid/100,100,300,200/150,100/0/default.jpg").await;
    assert_eq!(tile.status, 200);
    assert!(
        tile.header("tessella-edge").unwrap().starts_with("origin; reason="),
        "{:?}",
        tile.header("tessella-edge")
    );
    assert_eq!(source_reads(&tile, &origin), 0);
    assert_eq!(jpeg(&tile).width, 150);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_malformed_is_400_with_reason_and_missing_is_404() {
    let origin = Origin::rocket();
    let guest = origin.guest(true, &[]);
    let bad = edge(&guest, "/iiif/3/rocket-pyramid/full/bogus/0/default.jpg").await;
    assert_eq!(bad.status, 400);
    let reason = String::from_utf8_lossy(&bad.body);
    assert!(reason.contains("size"), "no reason in the 400: {reason}");
    assert!(bad.outbound.is_empty(), "a syntax error went out: {:?}", bad.outbound);
    let direct = origin.direct("/iiif/3/rocket-pyramid/full/bogus/0/default.jpg").await;
    assert_eq!(direct.status, 400);
    let missing = edge(&guest, "/iiif/3/no-such-image/full/max/0/default.jpg").await;
    assert_eq!(missing.status, 404, "{}", String::from_utf8_lossy(&missing.body));
    let missing_info = edge(&guest, "/iiif/3/no-such-image/info.json").await;
    assert_eq!(missing_info.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbound_requests_only_to_the_origin() {
    let origin = Origin::rocket();
    let other = Origin::rocket();
    let path = "/iiif/3/rocket-pyramid/info.json";
    assert_eq!(other.direct(path).await.status, 200, "the other origin answers");
    // The component is told to use another origin, which would answer: the host refuses the request
    // (the component may reach its granted origin only), and the edge says 502.
    let mut guest = origin.guest(true, &[]);
    guest.env.retain(|(k, _)| k != "ORIGIN_URL");
    guest.env.push(("ORIGIN_URL".into(), other.url()));
    let refused = edge(&guest, path).await;
    assert_eq!(refused.outbound, vec![format!("{}{path}", other.url())]);
    assert_eq!(refused.status, 502, "{}", String::from_utf8_lossy(&refused.body));
    let body = String::from_utf8_lossy(&refused.body);
    assert!(body.contains("HttpRequestDenied"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_size_render_stays_within_the_memory_budget() {
    let origin = Origin::rocket();
    let guest = origin.guest(true, &[]);
    // Turned 90°: the whole image decoded and rotated, not a mosaic of stored tiles sent as they are.
    let full = edge(&guest, "/iiif/3/rocket-pyramid/full/max/90/default.jpg").await;
    assert_eq!(full.status, 200);
    assert_eq!(full.header("tessella-edge"), Some("rendered"));
    assert_eq!(jpeg(&full).width, 427);
    assert!(full.peak_memory <= 64 * MB, "peak wasm memory {} B over the 64 MB budget", full.peak_memory);
}

/// The 120 MB-class source: a 512² region at full resolution off the tile grid, a 2048² region of level 0
/// downscaled to 1024², and a 2240² region at full size, about the largest the edge renders itself (the
/// plan's estimate puts 2488² over the 64 MB budget, checked last), all within the 64 MB budget of wasm
/// memory. The regions start off the tile grid, so none is a mosaic of stored tiles the core could join
/// without decoding: each is decoded, the memory bound's hard case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_pyramid_tile_within_budget() {
    let large = std::env::var_os("TESSELLA_EDGE_LARGE_PYRAMID").map(PathBuf::from).expect(
        "TESSELLA_EDGE_LARGE_PYRAMID is not set: the 8000x5000 JPEG-tiled pyramidal TIFF \
         (ptiff-large.tif in the folder loadtest/sources.sh prints)",
    );
    assert!(large.is_file(), "{} not found", large.display());
    let origin = Origin::start(&[("large.tif", &large)]);
    let guest = origin.guest(true, &[]);
    for (path, width) in [
        ("/iiif/3/large/2100,2100,512,512/512,512/0/default.jpg", 512),
        ("/iiif/3/large/2056,1032,2048,2048/1024,1024/0/default.jpg", 1024),
        ("/iiif/3/large/8,8,2240,2240/2240,2240/0/default.jpg", 2240),
    ] {
        let reply = edge(&guest, path).await;
        assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.header("tessella-edge"), Some("rendered"), "{path}");
        assert_eq!(jpeg(&reply).width, width);
        assert!(
            reply.peak_memory <= 64 * MB,
            "{path}: peak wasm memory {} B over the 64 MB budget",
            reply.peak_memory
        );
    }
    let over = edge(&guest, "/iiif/3/large/8,8,2488,2488/2488,2488/0/default.jpg").await;
    assert_eq!(over.status, 200);
    let outcome = over.header("tessella-edge").unwrap();
    assert!(outcome.starts_with("origin; reason=\"over the edge budget"), "tessella-edge: {outcome}");
}
