//! Probing sources, sans-IO. The caller keeps the bytes it has fetched in a [`SourceBytes`] and calls
//! [`probe`]; when the parser needs bytes it has not been given it fails with
//! [`SourceError::NeedBytes`], naming the range to fetch. The caller inserts that range and calls again.
//! Header parsing takes microseconds, so re-running it beats threading a state machine through every
//! format, and the same loop works over a local file, an object store or HTTP Range requests.
//!
//! ```
//! use tessella_core::source::{probe, SourceBytes, SourceError};
//! let file = std::fs::read("../samples/rocket.jpg").unwrap();
//! let mut bytes = SourceBytes::new(Some(file.len() as u64));
//! bytes.insert(0, file[..4096].to_vec());
//! let geometry = loop {
//!     match probe(&bytes) {
//!         Ok(g) => break g,
//!         Err(SourceError::NeedBytes(r)) => {
//!             bytes.insert(r.start, file[r.start as usize..r.end as usize].to_vec())
//!         }
//!         Err(e) => panic!("{e}"),
//!     }
//! };
//! assert_eq!((geometry.width, geometry.height), (640, 427));
//! ```

mod bytes;
pub mod jp2;
pub mod jp2_layout;
pub mod jpeg;
pub mod png;
#[cfg(test)]
mod probe_test_support;
pub mod tiff;

pub use bytes::{ByteRange, SourceBytes};

use alloc::string::String;

use crate::geometry::Geometry;

/// How much a first fetch should read: enough for the header of every format we probe in the common
/// case (JPEG APP segments, a JP2's boxes and main codestream header, a TIFF's first IFD).
pub const FIRST_FETCH: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Not an error: the parser needs this range before it can go on.
    #[error("need bytes {}..{}", .0.start, .0.end)]
    NeedBytes(ByteRange),
    #[error("unrecognised image format")]
    UnknownFormat,
    #[error("unsupported {format}: {reason}")]
    Unsupported { format: &'static str, reason: String },
    #[error("corrupt {format}: {reason}")]
    Corrupt { format: &'static str, reason: String },
    #[error("source exceeds a limit: {0}")]
    TooLarge(String),
}

impl SourceError {
    pub fn corrupt(format: &'static str, reason: impl Into<String>) -> Self {
        SourceError::Corrupt { format, reason: reason.into() }
    }

    pub fn unsupported(format: &'static str, reason: impl Into<String>) -> Self {
        SourceError::Unsupported { format, reason: reason.into() }
    }

    /// The HTTP status an image server should answer with when this error stops a request.
    pub fn status(&self) -> u16 {
        match self {
            // A caller that surfaces NeedBytes has a bug of its own.
            SourceError::NeedBytes(_) => 500,
            SourceError::UnknownFormat | SourceError::Unsupported { .. } => 501,
            SourceError::Corrupt { .. } => 500,
            SourceError::TooLarge(_) => 413,
        }
    }
}

/// Identifies the format from its signature and parses its geometry.
pub fn probe(bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    let magic = bytes.read(0, 12).or_else(|e| match e {
        // Files shorter than 12 bytes are still worth a look (and an honest "unknown").
        SourceError::NeedBytes(_) if bytes.len().is_some_and(|l| l < 12) => {
            bytes.read(0, bytes.len().unwrap_or(0) as usize)
        }
        e => Err(e),
    })?;
    if magic.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg::probe(bytes)
    } else if magic.starts_with(b"\x89PNG\r\n\x1a\n") {
        png::probe(bytes)
    } else if magic.starts_with(b"II*\0")
        || magic.starts_with(b"MM\0*")
        || magic.starts_with(b"II+\0")
        || magic.starts_with(b"MM\0+")
    {
        tiff::probe(bytes)
    } else if magic.starts_with(&[0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A]) {
        jp2::probe(bytes)
    } else if magic.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        jp2::probe_codestream(bytes, 0)
    } else {
        Err(SourceError::UnknownFormat)
    }
}
