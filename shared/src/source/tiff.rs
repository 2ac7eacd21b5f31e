//! Probing TIFF (to be written).
use super::{SourceBytes, SourceError};
use crate::geometry::Geometry;

/// What a decoder needs to read one TIFF IFD's tiles or strips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiffLevel {
    pub ifd_offset: u64,
}

pub fn probe(_bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Err(SourceError::unsupported("TIFF", "probe not written yet"))
}
