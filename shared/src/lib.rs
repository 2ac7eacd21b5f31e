//! # tessella-core
//!
//! The one place where Tessella understands the IIIF Image API and its sources. It is `no_std` + `alloc`
//! and sans-IO: it never opens a file, a socket or a clock. Callers (the origin server, the edge functions,
//! the conversion pipeline) hand it strings, numbers and bytes, and it answers with values:
//!
//! - [`iiif`]: the request grammar of Image API 3.0 and 2.1, resolution against an image's size and the
//!   server's limits, canonical form, `info.json`, and the HTTP details the spec names (status codes,
//!   `Link` headers, media types).
//! - [`geometry`]: what a source holds: full size, resolution levels, tile grids, where tile bytes live.
//! - [`source`]: probing a file's header bytes into a [`geometry::Geometry`], asking the caller for more
//!   byte ranges when it needs them.
//! - [`plan`]: which level and which source tiles a resolved request needs, and what to crop and scale.
//! - [`pixels`]: decoding, transforming and encoding, every allocation checked against a pixel budget.
//! - [`render`]: the pipeline end to end: planned tiles in, the encoded response out.
#![no_std]

extern crate alloc;
// The `std` feature only adds encoders that need std::io; tests use std for fixtures and decoders.
#[cfg(any(test, feature = "std"))]
extern crate std;

mod crc;
pub mod geometry;
pub mod iiif;
mod math;
pub mod pixels;
pub mod plan;
pub mod render;
pub mod source;

pub use geometry::{Geometry, Level, LevelData, SourceFormat};
pub use iiif::{
    CanonicalRequest, Format, IiifError, ImageRequest, Limits, Quality, Region, ResolvedRequest, Rotation,
    Route, Size, Version,
};
pub use plan::{TilePlan, plan};
pub use source::{ByteRange, SourceBytes, SourceError, probe};
