//! Probing for this format (to be written).
use super::{SourceBytes, SourceError};
use crate::geometry::Geometry;

pub fn probe(_bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Err(SourceError::unsupported("png", "probe not written yet"))
}
