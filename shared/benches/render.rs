//! The pixel pipeline on seed-size sources, native or wasm32 (see `scripts/bench-core.sh`): a 256 tile
//! passed through from a JPEG-tiled pyramidal TIFF, a 512 tile rendered from the same pyramid, a 512 tile
//! that is four stored tiles joined without decoding (and the same decoded and re-encoded), and
//! `/full/1024,` from the ~120 MB stripped TIFF, the pyramid and the tiled JP2. The source bytes each
//! request needs are read before timing (a server holds them from its fetch), so the figures are the
//! core's work alone. Each case first prints its peak heap for one render.
//!
//! Sources: `../shared/fixtures/make-large.sh DIR`, with DIR in `TESSELLA_LARGE` (default
//! `~/.cache/tessella-large`).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use peak_alloc::PeakAlloc;
use tessella_core::iiif::{Limits, ResolvedRequest, Route, Version, parse_path, resolve};
use tessella_core::render::{RenderOptions, ranges, render};
use tessella_core::source::{self, SourceBytes, SourceError};
use tessella_core::{Geometry, TilePlan, plan};

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

struct Case {
    name: &'static str,
    file: &'static str,
    params: &'static str,
    expect_passthrough: bool,
}

const CASES: [Case; 7] = [
    Case {
        name: "256 tile passthrough, pyramidal TIFF",
        file: "large-pyramid.tif",
        params: "2048,1024,256,256/256,/0/default.jpg",
        expect_passthrough: true,
    },
    Case {
        name: "512 tile rendered, pyramidal TIFF",
        file: "large-pyramid.tif",
        params: "2048,1024,1024,1024/512,/0/default.jpg",
        expect_passthrough: false,
    },
    Case {
        name: "512 tile joined (4 stored tiles), pyramidal TIFF",
        file: "large-pyramid.tif",
        params: "2048,1024,512,512/512,/0/default.jpg",
        expect_passthrough: true,
    },
    Case {
        name: "512 tile decoded and encoded (no joining), pyramidal TIFF",
        file: "large-pyramid.tif",
        params: "2048,1024,512,512/512,/0/default.jpg",
        expect_passthrough: false,
    },
    Case {
        name: "full/1024, from 120 MB stripped TIFF",
        file: "large.tif",
        params: "full/1024,/0/default.jpg",
        expect_passthrough: false,
    },
    Case {
        name: "full/1024, from pyramidal TIFF",
        file: "large-pyramid.tif",
        params: "full/1024,/0/default.jpg",
        expect_passthrough: false,
    },
    Case {
        name: "full/1024, from tiled JP2",
        file: "large.jp2",
        params: "full/1024,/0/default.jpg",
        expect_passthrough: false,
    },
];

struct Prepared {
    geometry: Geometry,
    plan: TilePlan,
    request: ResolvedRequest,
    bytes: SourceBytes,
}

fn large_dir() -> PathBuf {
    std::env::var_os("TESSELLA_LARGE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/tessella-large")
    })
}

/// Probes the file by ranged reads and fetches exactly the ranges the render will read (never the whole
/// file: under wasm that would count in the peak memory).
fn prepare(case: &Case) -> Prepared {
    use std::io::{Read, Seek, SeekFrom};
    let path = large_dir().join(case.file);
    let mut file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; build it with ../shared/fixtures/make-large.sh", path.display())
    });
    let len = file.metadata().expect("metadata").len();
    let mut slice = |r: source::ByteRange| {
        let mut buf = vec![0; r.len() as usize];
        file.seek(SeekFrom::Start(r.start)).and_then(|_| file.read_exact(&mut buf)).expect("read range");
        buf
    };
    let mut bytes = SourceBytes::new(Some(len));
    bytes.insert(0, slice(source::ByteRange::new(0, source::FIRST_FETCH.min(len))));
    let geometry = loop {
        match source::probe(&bytes) {
            Ok(g) => break g,
            Err(SourceError::NeedBytes(r)) => bytes.insert(r.start, slice(r)),
            Err(e) => panic!("{}: {e}", case.file),
        }
    };
    drop(bytes);
    let Ok(Route::Image(req)) = parse_path(Version::V3, &format!("x/{}", case.params)) else {
        panic!("{}", case.params)
    };
    let request = resolve(&req, geometry.width, geometry.height, &Limits::default()).expect("resolve");
    let plan = plan(&geometry, &request).expect("plan");
    let mut needed = SourceBytes::new(Some(len));
    for r in ranges(&geometry, &plan, len) {
        needed.insert(r.start, slice(r));
    }
    Prepared { geometry, plan, request, bytes: needed }
}

fn bench(c: &mut Criterion) {
    // Criterion's name filter, applied before preparing: a run for one case must not load the others, or
    // wasm's peak memory (which never shrinks) would be theirs.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for case in CASES.iter().filter(|c| filter.as_deref().is_none_or(|f| c.name.contains(f))) {
        let p = prepare(case);
        // Passthrough (and joining) only where the case expects it: the others either could not pass
        // through anyway or are the decode-and-encode baseline for the same request.
        let opts = RenderOptions { passthrough: case.expect_passthrough, ..RenderOptions::default() };
        PEAK.reset_peak_usage();
        let base = PEAK.current_usage();
        let out = render(&p.geometry, &p.plan, &p.request, &p.bytes, &opts).expect("render");
        let peak = PEAK.peak_usage().saturating_sub(base);
        assert_eq!(out.passthrough, case.expect_passthrough, "{}", case.name);
        eprintln!(
            "peak-heap {:>9} bytes ({:.1} MB) source-held {:>9} bytes  output {}x{} {} bytes  {}",
            peak,
            peak as f64 / 1e6,
            p.bytes.held(),
            out.width,
            out.height,
            out.body.len(),
            case.name
        );
        c.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(render(&p.geometry, &p.plan, &p.request, &p.bytes, &opts).map(|r| r.body.len()))
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
