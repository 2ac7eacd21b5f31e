//! Tile plans (being written).
