//! The edge flow natively, with in-memory fakes for the three I/O traits: a range source over real
//! image files (counting what it reads), an origin that records what it was asked, and a memory cache.
//! The real peers (the origin binary, wasmtime, workerd) are in the end-to-end tests.

use std::cell::RefCell;
use std::collections::HashMap;

use futures_executor::block_on;
use tessella_core::iiif::http::image_etag;
use tessella_core::pixels::Budget;
use tessella_core::pixels::decode::jpeg::decode_jpeg;
use tessella_core::source::ByteRange;
use tessella_edge::io::{SOURCE_ENDPOINT, parse_content_range};
use tessella_edge::{
    CacheStore, Edge, EdgeConfig, EdgeRequest, EdgeResponse, FetchError, HttpClient, OriginRangeSource,
    OutRequest, RangeRead, RangeSource, SourceReadError,
};

const PYRAMID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/tests/data/rocket-pyramid-jpeg.tif");
const TILED_JP2: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/tests/data/astronaut-tiled.jp2");
const NEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/nemo.jp2");
const ROCKET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/rocket.jpg");
const ELEPHANTS: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/Elephants_5640x3172.jpg");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Sources by identifier, every read counted.
#[derive(Default)]
struct FakeSource {
    files: HashMap<String, Vec<u8>>,
    version: RefCell<String>,
    reads: RefCell<Vec<ByteRange>>,
}

impl FakeSource {
    fn with(files: &[(&str, &str)]) -> FakeSource {
        let source = FakeSource { version: RefCell::new("v1".into()), ..FakeSource::default() };
        let files = files.iter().map(|(id, path)| (id.to_string(), read(path))).collect();
        FakeSource { files, ..source }
    }

    fn bytes_read(&self) -> u64 {
        self.reads.borrow().iter().map(ByteRange::len).sum()
    }
}

impl RangeSource for FakeSource {
    async fn read(&self, identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError> {
        let file = self.files.get(identifier).ok_or_else(|| SourceReadError::NotFound(identifier.into()))?;
        let end = range.end.min(file.len() as u64);
        let range = ByteRange::new(range.start, end);
        self.reads.borrow_mut().push(range);
        Ok(RangeRead {
            data: file[range.start as usize..range.end as usize].to_vec(),
            total: file.len() as u64,
            version: self.version.borrow().clone(),
        })
    }
}

/// An origin that answers every image with a marker body and origin-like headers, and records URLs.
#[derive(Default)]
struct FakeOrigin {
    asked: RefCell<Vec<OutRequest>>,
}

impl HttpClient for FakeOrigin {
    async fn get(&self, request: OutRequest) -> Result<EdgeResponse, FetchError> {
        self.asked.borrow_mut().push(request.clone());
        let mut response =
            EdgeResponse { status: 200, headers: Vec::new(), body: b"from the origin".to_vec() };
        let info = request.url.ends_with("info.json");
        response.set_header("content-type", if info { "application/json" } else { "image/jpeg" });
        response.set_header("cache-control", "public, max-age=86400");
        response.set_header("connection", "keep-alive");
        Ok(response)
    }
}

#[derive(Default)]
struct MemoryCache {
    entries: RefCell<HashMap<String, EdgeResponse>>,
}

impl CacheStore for MemoryCache {
    async fn get(&self, key: &str) -> Option<EdgeResponse> {
        self.entries.borrow().get(key).cloned()
    }

    async fn put(&self, key: &str, response: &EdgeResponse) {
        self.entries.borrow_mut().insert(key.to_string(), response.clone());
    }
}

fn config(extra: &[(&str, &str)]) -> EdgeConfig {
    let mut vars: HashMap<String, String> =
        [("ORIGIN_URL", "http://origin.test"), ("PUBLIC_BASE", "https://edge.test")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    EdgeConfig::from_vars(|k| vars.get(k).cloned()).expect("config")
}

struct World {
    config: EdgeConfig,
    origin: FakeOrigin,
    source: FakeSource,
    cache: MemoryCache,
}

impl World {
    fn new(extra: &[(&str, &str)]) -> World {
        World {
            config: config(extra),
            origin: FakeOrigin::default(),
            source: FakeSource::with(&[
                ("pyramid", PYRAMID),
                ("ark:/1234/rocket", ROCKET),
                ("elephants", ELEPHANTS),
                ("astronaut", TILED_JP2),
                ("nemo", NEMO),
            ]),
            cache: MemoryCache::default(),
        }
    }

    fn get(&self, path: &str) -> EdgeResponse {
        self.send(EdgeRequest::get(path))
    }

    fn send(&self, request: EdgeRequest) -> EdgeResponse {
        let edge =
            Edge { config: &self.config, http: &self.origin, source: Some(&self.source), cache: &self.cache };
        block_on(edge.handle(&request))
    }

    fn origin_urls(&self) -> Vec<String> {
        self.origin.asked.borrow().iter().map(|r| r.url.clone()).collect()
    }
}

#[test]
fn a_pyramid_tile_is_rendered_at_the_edge_from_its_ranges_with_the_origins_headers() {
    let w = World::new(&[]);
    let r = w.get("/iiif/3/pyramid/0,0,512,427/256,/0/default.jpg");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("tessella-edge"), Some("rendered"));
    assert_eq!(r.header("tessella-edge-cache"), Some("MISS"));
    assert_eq!(r.header("content-type"), Some("image/jpeg"));
    assert_eq!(r.header("cache-control"), Some("public, max-age=86400"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("link"),
        Some(
            "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\", \
             <https://edge.test/iiif/3/pyramid/0,0,512,427/256,214/0/default.jpg>;rel=\"canonical\""
        )
    );
    let tag = image_etag("3/pyramid/0,0,512,427/256,214/0/default.jpg", "v1");
    assert_eq!(r.header("etag"), Some(tag.as_str()));
    let image = decode_jpeg(&r.body, &Budget::default()).expect("a JPEG");
    assert_eq!((image.width, image.height), (256, 214));
    assert!(w.origin_urls().is_empty(), "{:?}", w.origin_urls());
    // The probe's first read (64 KiB) holds this small file, tiles included: nothing is read again.
    let reads = w.source.reads.borrow();
    assert_eq!(reads.as_slice(), [ByteRange::new(0, read(PYRAMID).len() as u64)]);
}

#[test]
fn the_second_request_is_a_cache_hit_that_reads_nothing() {
    let w = World::new(&[]);
    let first = w.get("/iiif/3/pyramid/full/160,/0/default.jpg");
    assert_eq!(first.header("tessella-edge-cache"), Some("MISS"));
    let reads = w.source.reads.borrow().len();
    // Another spelling of the same canonical request.
    let second = w.get("/iiif/3/pyramid/0,0,640,427/160,/0/default.jpg");
    assert_eq!(second.status, 200);
    assert_eq!(second.header("tessella-edge-cache"), Some("HIT"));
    assert_eq!(second.header("tessella-edge"), Some("hit"));
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), first.header("etag"));
    assert_eq!(w.source.reads.borrow().len(), reads, "a hit reads no source bytes");
}

#[test]
fn metadata_is_cached_so_a_second_image_reads_no_header() {
    let w = World::new(&[]);
    // The last two of astronaut-tiled.jp2's 16 tiles lie past the probe's first 64 KiB read.
    assert_eq!(w.get("/iiif/3/astronaut/384,384,128,128/max/0/default.jpg").status, 200);
    let after_first = w.source.reads.borrow().len();
    assert_eq!(w.get("/iiif/3/astronaut/256,384,128,128/max/0/default.jpg").status, 200);
    let reads = w.source.reads.borrow();
    // Only the tile: no header read (the header bytes come from the cached metadata).
    assert_eq!(reads.len() - after_first, 1, "{:?}", &reads[after_first..]);
    assert!(reads[after_first].start >= 64 * 1024, "{:?}", &reads[after_first..]);
    assert!(w.origin_urls().is_empty());
}

#[test]
fn a_changed_source_is_a_new_etag_and_a_new_cache_key() {
    let w = World::new(&[("META_TTL_SECONDS", "0")]);
    let a = w.get("/iiif/3/pyramid/full/160,/0/default.jpg");
    *w.source.version.borrow_mut() = "v2".into();
    // The cached metadata still says v1: the ranged read notices the change and the origin answers.
    w.cache.entries.borrow_mut().retain(|k, _| !k.starts_with("meta/"));
    let b = w.get("/iiif/3/pyramid/full/160,/0/default.jpg");
    assert_eq!(b.header("tessella-edge-cache"), Some("MISS"));
    assert_ne!(a.header("etag"), b.header("etag"));
}

#[test]
fn a_jpeg_2000_tile_is_rendered_at_the_edge_from_the_header_and_its_tile() {
    use tessella_core::pixels::decode::png::decode_png;
    let w = World::new(&[]);
    // The last tile: past the probe's first 64 KiB read.
    let path = "/iiif/3/astronaut/384,384,128,128/max/0/default.png";
    let r = w.get(path);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(w.origin_urls().is_empty(), "{:?}", w.origin_urls());
    // The header and the TLM index are in the probe's first read; after it, the EOC the index ends at
    // and one tile of 16, not the rest of the 98 KB file.
    let file_len = read(TILED_JP2).len() as u64;
    let reads = w.source.reads.borrow().clone();
    assert_eq!(reads.len(), 3, "{reads:?}");
    assert_eq!(reads[1], ByteRange::new(file_len - 2, file_len), "the EOC");
    assert!(reads[2].len() < file_len / 8, "{reads:?}");
    // The same pixels as the core's render of the whole file.
    let file = read(TILED_JP2);
    let whole = tessella_core::render::decode_full(
        &tessella_core::source::SourceBytes::from_vec(file),
        &tessella_core::render::RenderOptions::default(),
    )
    .expect("whole decode")
    .1;
    let tile = decode_png(&r.body, &Budget::default()).expect("a PNG");
    assert_eq!((tile.width, tile.height), (128, 128));
    for y in 0..128usize {
        let from = ((384 + y) * 512 + 384) * 3;
        assert_eq!(tile.row(y as u32), &whole.data[from..from + 128 * 3], "row {y}");
    }
}

#[test]
fn a_jpeg_2000_without_a_tile_index_is_read_whole_within_the_budget_or_sent_to_the_origin() {
    // nemo.jp2 is one 2592×1456 tile: no index, so a region costs the whole 1.1 MB file and its whole
    // decode, which a 4 MB memory limit refuses before reading it.
    let w = World::new(&[("MAX_MEMORY_MB", "4")]);
    let r = w.get("/iiif/3/nemo/0,0,256,256/max/0/default.jpg");
    assert_eq!(r.body, b"from the origin");
    assert!(w.source.bytes_read() <= 64 * 1024, "read {}", w.source.bytes_read());
}

#[test]
fn an_over_budget_request_goes_to_the_origin_canonicalised_before_any_pixel_is_fetched() {
    let w = World::new(&[]);
    // 5640×3172 = 17.9 MP decoded: over the 16 MP default.
    let r = w.get("/iiif/3/elephants/full/pct:50/0/default.jpg");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"from the origin");
    let reason = r.header("tessella-edge").expect("edge header");
    assert!(reason.starts_with("origin; reason=\"over the edge budget: would decode"), "{reason}");
    assert_eq!(w.origin_urls(), vec!["http://origin.test/iiif/3/elephants/full/2820,1586/0/default.jpg"]);
    // Only the header was read (one 64 KiB probe read), never the image data.
    assert!(w.source.bytes_read() <= 64 * 1024, "read {}", w.source.bytes_read());
    assert_eq!(r.header("connection"), None, "hop-by-hop headers are dropped");
    let again = w.get("/iiif/3/elephants/full/2820,/0/default.jpg");
    assert_eq!(again.header("tessella-edge-cache"), Some("HIT"));
    assert_eq!(w.origin_urls().len(), 1);
}

#[test]
fn the_memory_limit_alone_sends_a_request_to_the_origin() {
    let w = World::new(&[("MAX_MEMORY_MB", "1")]);
    let r = w.get("/iiif/3/ark:%2F1234%2Frocket/full/max/0/default.jpg");
    let reason = r.header("tessella-edge").expect("edge header");
    assert!(reason.contains("would hold about"), "{reason}");
    // The ARK's slashes stay %2F on the way to the origin.
    assert_eq!(
        w.origin_urls(),
        vec!["http://origin.test/iiif/3/ark:%2F1234%2Frocket/full/max/0/default.jpg"]
    );
}

#[test]
fn an_ark_identifier_renders_at_the_edge_and_links_with_its_slashes_escaped() {
    let w = World::new(&[]);
    let r = w.get("/iiif/2/ark:%2F1234%2Frocket/full/200,/0/default.png");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert!(r.header("link").is_some_and(|l| {
        l.contains("https://edge.test/iiif/2/ark:%2F1234%2Frocket/full/200,/0/default.png")
    }));
}

#[test]
fn if_none_match_is_answered_304_without_reading_pixels() {
    let w = World::new(&[]);
    let first = w.get("/iiif/3/pyramid/full/160,/0/default.jpg");
    let tag = first.header("etag").expect("etag").to_string();
    let reads = w.source.reads.borrow().len();
    let mut request = EdgeRequest::get("/iiif/3/pyramid/full/160,/0/default.jpg");
    request.headers.push(("If-None-Match".into(), tag.clone()));
    let r = w.send(request);
    assert_eq!(r.status, 304);
    assert_eq!(r.header("etag"), Some(tag.as_str()));
    assert!(r.body.is_empty());
    assert_eq!(w.source.reads.borrow().len(), reads);
}

#[test]
fn info_json_is_proxied_and_cached_by_accept() {
    let w = World::new(&[]);
    let r = w.get("/iiif/3/pyramid/info.json");
    assert_eq!((r.status, r.header("tessella-edge-cache")), (200, Some("MISS")));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = w.get("/iiif/3/pyramid/info.json");
    assert_eq!(r.header("tessella-edge-cache"), Some("HIT"));
    let mut ld = EdgeRequest::get("/iiif/3/pyramid/info.json");
    ld.headers.push(("accept".into(), "application/ld+json".into()));
    assert_eq!(w.send(ld).header("tessella-edge-cache"), Some("MISS"));
    let asked = w.origin.asked.borrow();
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[1].headers, vec![("accept".to_string(), "application/ld+json".to_string())]);
}

#[test]
fn manifests_and_other_paths_are_proxied_and_cached() {
    let w = World::new(&[]);
    assert_eq!(w.get("/manifests/book.json").header("tessella-edge-cache"), Some("MISS"));
    assert_eq!(w.get("/manifests/book.json").header("tessella-edge-cache"), Some("HIT"));
    assert_eq!(w.origin_urls(), vec!["http://origin.test/manifests/book.json"]);
}

#[test]
fn bad_requests_are_answered_at_the_edge_and_unknown_images_by_the_origin() {
    let w = World::new(&[]);
    let r = w.get("/iiif/3/pyramid/full/max/0/default.bmp");
    assert_eq!(r.status, 400);
    let r = w.get("/iiif/3/pyramid/full/max/0/native.jpg");
    assert_eq!(r.status, 400);
    assert!(w.origin_urls().is_empty());
    let r = w.get("/iiif/3/missing/full/max/0/default.jpg");
    assert!(r.header("tessella-edge").is_some_and(|h| h.starts_with("origin")));
    assert_eq!(w.origin_urls(), vec!["http://origin.test/iiif/3/missing/full/max/0/default.jpg"]);
}

#[test]
fn formats_the_edge_does_not_encode_go_to_the_origin() {
    let w = World::new(&[]);
    w.get("/iiif/3/pyramid/full/160,/0/default.webp");
    assert_eq!(w.origin_urls(), vec!["http://origin.test/iiif/3/pyramid/full/160,/0/default.webp"]);
}

#[test]
fn head_has_the_headers_and_no_body() {
    let w = World::new(&[]);
    let mut request = EdgeRequest::get("/iiif/3/pyramid/full/160,/0/default.jpg");
    request.method = "HEAD".into();
    let r = w.send(request);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(r.header("etag").is_some());
}

#[test]
fn the_base_uri_redirects_to_info_json_under_the_public_base() {
    let w = World::new(&[]);
    let r = w.get("/iiif/3/ark:%2F1234%2Frocket");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("https://edge.test/iiif/3/ark:%2F1234%2Frocket/info.json"));
}

/// The origin's source endpoint as the edge reads it: a fake HTTP origin that checks the secret and
/// answers Range requests.
struct RangeOrigin {
    file: Vec<u8>,
    asked: RefCell<Vec<OutRequest>>,
}

impl HttpClient for RangeOrigin {
    async fn get(&self, request: OutRequest) -> Result<EdgeResponse, FetchError> {
        self.asked.borrow_mut().push(request.clone());
        let header = |n: &str| request.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        if header("authorization").as_deref() != Some("Bearer s3cret") {
            return Ok(EdgeResponse { status: 401, headers: Vec::new(), body: b"no".to_vec() });
        }
        let range = header("range").unwrap_or_default();
        let (a, b) = range.strip_prefix("bytes=").and_then(|r| r.split_once('-')).expect("a range");
        let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
        let b = b.min(self.file.len() - 1);
        let mut response = EdgeResponse { status: 206, headers: Vec::new(), body: self.file[a..=b].to_vec() };
        response.set_header("content-range", format!("bytes {a}-{b}/{}", self.file.len()));
        response.set_header("tessella-source-version", "\"abc\"");
        Ok(response)
    }
}

#[test]
fn the_origin_range_source_sends_the_secret_and_a_range_and_reads_content_range() {
    let origin = RangeOrigin { file: read(ROCKET), asked: RefCell::new(Vec::new()) };
    let source = OriginRangeSource { client: &origin, origin_url: "http://o", secret: "s3cret" };
    let got = block_on(source.read("ark:/1/x", ByteRange::new(10, 20))).expect("read");
    assert_eq!(got.data, read(ROCKET)[10..20]);
    assert_eq!((got.total, got.version.as_str()), (read(ROCKET).len() as u64, "\"abc\""));
    let asked = origin.asked.borrow();
    assert_eq!(asked[0].url, format!("http://o{SOURCE_ENDPOINT}ark:%2F1%2Fx"));
    assert!(asked[0].headers.contains(&("range".into(), "bytes=10-19".into())));
    drop(asked);
    let wrong = OriginRangeSource { client: &origin, origin_url: "http://o", secret: "guess" };
    assert!(matches!(block_on(wrong.read("x", ByteRange::new(0, 1))), Err(SourceReadError::Refused(_))));
    assert_eq!(parse_content_range("bytes 10-19/112525"), Some((10, 112_525)));
}
