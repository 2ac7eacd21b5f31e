//! The edge flow over a large local file, reading it only by positioned ranged reads, and printing what
//! each request read: evidence that the edge renders tiles of a 120 MB-class source from a few ranges.
//!
//! `cargo run --release --example large_source -- FILE [REQUEST...]` (requests as `region/size/rot/q.fmt`;
//! the defaults are a viewer tile, a thumbnail and a full-size strip). The origin is a stub that answers
//! 200 with an empty body, so an over-budget request shows as `origin; reason=…`.

use std::cell::RefCell;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::time::Instant;

use futures_executor::block_on;
use tessella_core::source::ByteRange;
use tessella_edge::{
    Edge, EdgeConfig, EdgeRequest, EdgeResponse, FetchError, HttpClient, NoCache, OutRequest, RangeRead,
    RangeSource, SourceReadError,
};

struct FileSource {
    file: RefCell<std::fs::File>,
    len: u64,
    reads: RefCell<Vec<ByteRange>>,
}

impl RangeSource for FileSource {
    async fn read(&self, _identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError> {
        let range = ByteRange::new(range.start, range.end.min(self.len));
        let mut data = vec![0; range.len() as usize];
        let mut file = self.file.borrow_mut();
        file.seek(SeekFrom::Start(range.start)).map_err(|e| SourceReadError::Failed(e.to_string()))?;
        file.read_exact(&mut data).map_err(|e| SourceReadError::Failed(e.to_string()))?;
        self.reads.borrow_mut().push(range);
        Ok(RangeRead { data, total: self.len, version: "v1".into() })
    }
}

struct StubOrigin;

impl HttpClient for StubOrigin {
    async fn get(&self, _request: OutRequest) -> Result<EdgeResponse, FetchError> {
        Ok(EdgeResponse::new(200))
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: large_source FILE [REQUEST...]");
        std::process::exit(2);
    };
    let mut requests: Vec<String> = args.collect();
    if requests.is_empty() {
        requests = vec![
            "2048,2048,512,512/512,/0/default.jpg".into(),
            "full/256,/0/default.jpg".into(),
            "0,0,8000,512/max/0/default.jpg".into(),
        ];
    }
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let source = FileSource { file: RefCell::new(file), len, reads: RefCell::new(Vec::new()) };
    let config =
        match EdgeConfig::from_vars(|k| (k == "ORIGIN_URL").then(|| "http://origin.invalid".to_string())) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        };
    let edge = Edge { config: &config, http: &StubOrigin, source: Some(&source), cache: &NoCache };
    println!("source: {path} ({len} bytes)");
    for request in requests {
        source.reads.borrow_mut().clear();
        let start = Instant::now();
        let response = block_on(edge.handle(&EdgeRequest::get(&format!("/iiif/3/large/{request}"))));
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let reads = source.reads.borrow();
        let bytes: u64 = reads.iter().map(ByteRange::len).sum();
        println!(
            "{request}: {} {} — {} ranged reads, {bytes} bytes ({:.2}% of the file), {} body bytes, {ms:.0} ms (probe included)",
            response.status,
            response.header("tessella-edge").unwrap_or("-"),
            reads.len(),
            bytes as f64 * 100.0 / len.max(1) as f64,
            response.body.len(),
        );
    }
}
