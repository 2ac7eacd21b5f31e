//! info.json (placeholder, being written).
