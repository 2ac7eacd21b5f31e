//! Float-to-pixel conversions shared by resolution, canonical form and the tile plan, so every place
//! that turns a scaled coordinate into pixels rounds the same way.

/// Saturating conversion: values past `u32` are refused later by limits checks, not by wrapping; NaN and
/// negatives become 0.
pub(crate) fn saturate_u32(v: f64) -> u32 {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        v as u32
    }
}

/// Nearest pixel, halves away from zero (the rounding the Image API's examples use).
pub(crate) fn round_u32(v: f64) -> u32 {
    saturate_u32(libm::round(v))
}

/// Products of floats land a hair off whole numbers; within this they count as whole.
const EPSILON: f64 = 1e-9;

pub(crate) fn floor_u32(v: f64) -> u32 {
    saturate_u32(libm::floor(v + EPSILON))
}

pub(crate) fn ceil_u32(v: f64) -> u32 {
    saturate_u32(libm::ceil(v - EPSILON))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(round_u32(2.5), 3);
        assert_eq!(round_u32(-3.0), 0);
        assert_eq!(round_u32(f64::NAN), 0);
        assert_eq!(round_u32(1e12), u32::MAX);
        assert_eq!(floor_u32(6.999_999_999_99), 7);
        assert_eq!(ceil_u32(7.000_000_000_01), 7);
        assert_eq!(ceil_u32(7.1), 8);
    }
}
