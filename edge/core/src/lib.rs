//! # tessella-edge
//!
//! The edge's request flow, with no platform SDK in it: the Cloudflare Worker (`edge/worker`) and the
//! Spin component (`edge/spin`) are thin adapters that turn their platform's requests into an
//! [`EdgeRequest`], implement the three I/O traits of [`io`] over their platform (an HTTP client, a
//! byte-range source, a cache), and turn the [`EdgeResponse`] back.
//!
//! For an image request ([`Edge::handle`]):
//!
//! 1. parse it with the core (`parse_path`), and find the source's metadata: its size, version and header
//!    bytes, from the edge cache or by probing it through ranged reads (the core's probe loop);
//! 2. resolve and canonicalise it with the core, and look the canonical key up in the edge cache;
//! 3. plan it with the core and price the plan ([`tessella_core::render::cost`]: bytes to fetch, pixels
//!    to decode, peak memory) against the configured [`CostLimits`](tessella_core::render::CostLimits);
//!    over a limit, forward the canonical request to the origin before any work is done;
//! 4. otherwise fetch exactly the byte ranges the core names, render with the core, and answer with the
//!    headers the origin sends (CORS, `Link`, `Cache-Control`, `ETag`: the core computes them all);
//! 5. store the answer (rendered or from the origin) in the edge cache under the canonical key.
//!
//! `info.json` and every other path (manifests) are proxied from the origin and cached.

pub mod config;
mod flow;
pub mod io;
pub mod meta;

pub use config::{ConfigError, EdgeConfig};
pub use flow::{Edge, EdgeOutcome, access_line, config_error};
pub use io::{
    CacheStore, EdgeRequest, EdgeResponse, FetchError, HttpClient, NoCache, OriginRangeSource, OutRequest,
    RangeRead, RangeSource, SourceReadError,
};
