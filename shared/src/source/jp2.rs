//! Probing for this format (to be written).
use super::{SourceBytes, SourceError};
use crate::geometry::Geometry;

pub fn probe(_bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Err(SourceError::unsupported("jp2", "probe not written yet"))
}

pub fn probe_codestream(_bytes: &SourceBytes, _offset: u64) -> Result<Geometry, SourceError> {
    Err(SourceError::unsupported("jp2", "probe not written yet"))
}
