//! Decoders, one module per codec (being written).

pub mod jpeg;
pub mod png;
