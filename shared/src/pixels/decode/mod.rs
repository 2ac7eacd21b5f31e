//! Decoders, one module per codec: bytes in, [`super::Image`] out, the budget checked first.

pub mod jp2;
pub mod jpeg;
pub mod png;
pub mod tiff;
