//! The IIIF Image API, versions 3.0 and 2.1 side by side.
//!
//! The flow for one request: [`parse_path`] turns the part of a URL after the version prefix
//! (`/iiif/3/`) into a [`Route`]; an image [`ImageRequest`] is [`resolve`]d against the image's size and
//! the server's [`Limits`] into a [`ResolvedRequest`] (pixel region, output size, or the error the spec
//! names); the resolved request has a [`CanonicalRequest`] form used as cache key and `Link` header.
//! [`info`] builds `info.json`; [`http`] holds the media types and `Link` header values.

mod canonical;
mod error;
pub mod http;
mod identifier;
pub mod info;
mod number;
mod params;
mod request;
mod resolve;

pub use canonical::CanonicalRequest;
pub use error::{IiifError, Segment};
pub use identifier::{decode_identifier, encode_identifier};
pub use params::{Format, Quality, Region, Rotation, Size, SizeKind};
pub use request::{ImageRequest, Route, parse_image_request, parse_path};
pub use resolve::{Limits, PixelRect, ResolvedRequest, resolve};

/// The Image API version a request was made under. The two differ in grammar (`full` vs `max`, the `^`
/// prefix), canonical form, defaults and `info.json` shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    V2,
    V3,
}

impl Version {
    /// The path segment servers mount the version under: `/iiif/{segment}/`.
    pub fn path_segment(self) -> &'static str {
        match self {
            Version::V2 => "2",
            Version::V3 => "3",
        }
    }

    pub fn context(self) -> &'static str {
        match self {
            Version::V2 => "http://iiif.io/api/image/2/context.json",
            Version::V3 => "http://iiif.io/api/image/3/context.json",
        }
    }
}
