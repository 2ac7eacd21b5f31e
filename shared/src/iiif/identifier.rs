use alloc::borrow::ToOwned;
use alloc::string::String;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::{IiifError, Segment};

/// Characters an identifier must have escaped inside a URL path segment (RFC 3986 gen-delims and the
/// characters unsafe in paths). `:` stays, so an ARK reads `ark:%2F21198%2Fzz0009gsq9` as the ARK
/// community writes it.
const IDENTIFIER: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Decodes one raw path segment into an identifier. The caller has already split the path on unescaped
/// `/`, so `%2F` here becomes a slash inside the identifier.
pub fn decode_identifier(raw: &str) -> Result<String, IiifError> {
    if raw.is_empty() {
        return Err(IiifError::bad_request(Segment::Identifier, "the identifier is empty"));
    }
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| {
        IiifError::bad_request(Segment::Identifier, "the identifier is not valid UTF-8 once decoded")
    })?;
    if decoded.is_empty() {
        return Err(IiifError::bad_request(Segment::Identifier, "the identifier is empty"));
    }
    if decoded.chars().any(char::is_control) {
        return Err(IiifError::bad_request(
            Segment::Identifier,
            "the identifier contains a control character",
        ));
    }
    Ok(decoded.as_ref().to_owned())
}

/// Encodes an identifier for use as one path segment of an IIIF URL.
pub fn encode_identifier(identifier: &str) -> String {
    utf8_percent_encode(identifier, IDENTIFIER).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ark_keeps_its_slashes() {
        assert_eq!(decode_identifier("ark:%2F21198%2Fzz0009gsq9").as_deref(), Ok("ark:/21198/zz0009gsq9"));
        assert_eq!(encode_identifier("ark:/21198/zz0009gsq9"), "ark:%2F21198%2Fzz0009gsq9");
    }

    #[test]
    fn rejects_empty_control_and_bad_utf8() {
        assert_eq!(decode_identifier("").map_err(|e| e.status), Err(400));
        assert_eq!(decode_identifier("a%0Ab").map_err(|e| e.segment), Err(Segment::Identifier));
        assert!(decode_identifier("%FF%FE").is_err());
    }

    #[test]
    fn round_trips_awkward_characters() {
        for id in ["a b", "100%", "x?y#z", "é/ü", "[1]@{2}", "plain-id_1.tif"] {
            assert_eq!(decode_identifier(&encode_identifier(id)).as_deref(), Ok(id));
            assert!(!encode_identifier(id).contains('/'));
        }
    }
}
