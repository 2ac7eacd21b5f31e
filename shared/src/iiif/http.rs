//! HTTP details (placeholder, being written).
