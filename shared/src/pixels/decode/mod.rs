//! Decoders, one module per codec (being written).

pub mod jp2;
