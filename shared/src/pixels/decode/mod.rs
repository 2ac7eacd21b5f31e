//! Decoders, one module per codec (being written).
