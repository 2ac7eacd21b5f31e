//! The Image API's number grammar, strictly: integers are ASCII digits; decimals are digits with an
//! optional fraction. Signs, exponents, `inf` and `NaN` are not IIIF, so they never reach arithmetic.

use alloc::format;

use super::{IiifError, Segment};

pub fn integer(s: &str, segment: Segment, what: &str) -> Result<u32, IiifError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IiifError::bad_request(segment, format!("{what} must be a whole number, got {s:?}")));
    }
    s.parse::<u32>().map_err(|_| IiifError::bad_request(segment, format!("{what} {s} is too large")))
}

pub fn decimal(s: &str, segment: Segment, what: &str) -> Result<f64, IiifError> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let ok = match frac {
        None => digits(int),
        // "0.5", ".5" and "5." are all read as decimals; "." alone is not.
        Some(f) => (digits(int) && (f.is_empty() || digits(f))) || (int.is_empty() && digits(f)),
    };
    if !ok || s.len() > 32 {
        return Err(IiifError::bad_request(segment, format!("{what} must be a decimal number, got {s:?}")));
    }
    s.parse::<f64>()
        .map_err(|_| IiifError::bad_request(segment, format!("{what} must be a decimal number, got {s:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_grammar() {
        assert_eq!(integer("0042", Segment::Region, "x"), Ok(42));
        for bad in ["", "-1", "+1", "1e3", " 1", "1.0", "4294967296"] {
            assert!(integer(bad, Segment::Region, "x").is_err(), "{bad}");
        }
        assert_eq!(decimal("22.5", Segment::Rotation, "r"), Ok(22.5));
        assert_eq!(decimal(".5", Segment::Rotation, "r"), Ok(0.5));
        for bad in ["", ".", "-1", "1e3", "inf", "NaN", "1.2.3", "0x1"] {
            assert!(decimal(bad, Segment::Rotation, "r").is_err(), "{bad}");
        }
    }
}
