//! Probing for this format (to be written).
use super::{SourceBytes, SourceError};
use crate::geometry::Geometry;

pub fn probe(_bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Err(SourceError::unsupported("jpeg", "probe not written yet"))
}
