//! Encoders (being written).
