//! The IIIF Image API (being written).
