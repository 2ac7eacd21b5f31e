use alloc::string::String;
use core::fmt;

/// Which part of a request an error is about, so a 400 can say where the problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Path,
    Identifier,
    Region,
    Size,
    Rotation,
    Quality,
    Format,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Path => "path",
            Segment::Identifier => "identifier",
            Segment::Region => "region",
            Segment::Size => "size",
            Segment::Rotation => "rotation",
            Segment::Quality => "quality",
            Segment::Format => "format",
        })
    }
}

/// A request the server must refuse, with the HTTP status the Image API names for it and a reason a
/// person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {segment}: {reason}")]
pub struct IiifError {
    pub status: u16,
    pub segment: Segment,
    pub reason: String,
}

impl IiifError {
    /// 400: the request is malformed or asks for something the image cannot give.
    pub fn bad_request(segment: Segment, reason: impl Into<String>) -> Self {
        IiifError { status: 400, segment, reason: reason.into() }
    }

    /// 404: the request names no image.
    pub fn not_found(segment: Segment, reason: impl Into<String>) -> Self {
        IiifError { status: 404, segment, reason: reason.into() }
    }

    /// 501: a valid request for a feature this server does not implement.
    pub fn not_implemented(segment: Segment, reason: impl Into<String>) -> Self {
        IiifError { status: 501, segment, reason: reason.into() }
    }
}
