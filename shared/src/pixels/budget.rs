use alloc::string::String;

use super::PixelFormat;

/// How many pixels and bytes one decode or transform may allocate. Every allocation of pixel memory is
/// checked against it first, so a header claiming 100000×100000 is an error in microseconds, not an
/// allocation. Origin and edge set it from their configuration (the edge's from its memory budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max_pixels: u64,
    pub max_bytes: u64,
}

impl Default for Budget {
    /// 100 megapixels and 1 GiB: a 10000×10000 RGB image decodes, a forged header does not.
    fn default() -> Self {
        Budget { max_pixels: 100_000_000, max_bytes: 1 << 30 }
    }
}

impl Budget {
    /// The byte length of a `width`×`height` buffer in `format`, or `OverBudget` if it exceeds either
    /// limit (or overflows).
    pub fn check(&self, width: u32, height: u32, format: PixelFormat) -> Result<usize, PixelError> {
        let pixels = u64::from(width) * u64::from(height);
        let bytes = pixels.checked_mul(format.bytes_per_pixel() as u64);
        match bytes {
            Some(b) if pixels <= self.max_pixels && b <= self.max_bytes => {
                usize::try_from(b).map_err(|_| self.over(width, height, format))
            }
            _ => Err(self.over(width, height, format)),
        }
    }

    fn over(&self, width: u32, height: u32, format: PixelFormat) -> PixelError {
        PixelError::OverBudget {
            width,
            height,
            channels: format.channels(),
            max_pixels: self.max_pixels,
            max_bytes: self.max_bytes,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PixelError {
    #[error("{width}×{height}×{channels} exceeds the pixel budget ({max_pixels} pixels, {max_bytes} bytes)")]
    OverBudget { width: u32, height: u32, channels: u8, max_pixels: u64, max_bytes: u64 },
    #[error("corrupt {codec} data: {reason}")]
    Corrupt { codec: &'static str, reason: String },
    #[error("unsupported {codec}: {reason}")]
    Unsupported { codec: &'static str, reason: String },
    #[error("out of memory allocating {0} bytes")]
    OutOfMemory(usize),
}

impl PixelError {
    pub fn corrupt(codec: &'static str, reason: impl Into<String>) -> Self {
        PixelError::Corrupt { codec, reason: reason.into() }
    }

    pub fn unsupported(codec: &'static str, reason: impl Into<String>) -> Self {
        PixelError::Unsupported { codec, reason: reason.into() }
    }

    /// The HTTP status a server answers with when this error stops a request.
    pub fn status(&self) -> u16 {
        match self {
            PixelError::OverBudget { .. } => 413,
            PixelError::Unsupported { .. } => 501,
            PixelError::Corrupt { .. } => 500,
            PixelError::OutOfMemory(_) => 503,
        }
    }
}
