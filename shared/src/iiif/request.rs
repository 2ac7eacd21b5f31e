use alloc::format;
use alloc::string::String;

use super::{Format, IiifError, Quality, Region, Rotation, Segment, Size, Version, decode_identifier};

/// An image request as the client wrote it: parsed, not yet checked against an image.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRequest {
    pub version: Version,
    /// Percent-decoded.
    pub identifier: String,
    pub region: Region,
    pub size: Size,
    pub rotation: Rotation,
    pub quality: Quality,
    pub format: Format,
}

/// What a path under `/iiif/{version}/` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// `{id}`: the spec's base URI, answered with a 303 to its `info.json`.
    Base {
        identifier: String,
    },
    /// `{id}/info.json`.
    Info {
        identifier: String,
    },
    Image(ImageRequest),
}

/// Parses the raw (still percent-encoded) path after the version prefix, without a leading `/` and
/// without the query string.
pub fn parse_path(version: Version, raw: &str) -> Result<Route, IiifError> {
    let mut parts = raw.split('/');
    let first = parts.next().unwrap_or("");
    let rest: [Option<&str>; 5] = [parts.next(), parts.next(), parts.next(), parts.next(), parts.next()];
    match rest {
        [None, ..] | [Some(""), None, ..] => Ok(Route::Base { identifier: decode_identifier(first)? }),
        [Some("info.json"), None, ..] => Ok(Route::Info { identifier: decode_identifier(first)? }),
        [Some(region), Some(size), Some(rotation), Some(last), None] => {
            parse_image_request(version, first, region, size, rotation, last).map(Route::Image)
        }
        [Some(_), None, ..] => Err(IiifError::bad_request(
            Segment::Path,
            "expected {identifier}/info.json or {identifier}/{region}/{size}/{rotation}/{quality}.{format}",
        )),
        // More segments than any request has (or a longer path to info.json): the identifier holds an
        // unescaped '/', so it names no image. 404, as the official validator expects.
        _ if rest[4].is_some() || raw.ends_with("/info.json") => Err(IiifError::not_found(
            Segment::Identifier,
            format!(
                "no image has an identifier containing an unescaped '/' ({} path segments); \
                 percent-encode '/' in identifiers as %2F",
                raw.split('/').count()
            ),
        )),
        _ => Err(IiifError::bad_request(
            Segment::Path,
            "expected {identifier}/{region}/{size}/{rotation}/{quality}.{format}",
        )),
    }
}

/// Parses the five segments of an image request. `last` is `{quality}.{format}`.
pub fn parse_image_request(
    version: Version,
    identifier: &str,
    region: &str,
    size: &str,
    rotation: &str,
    last: &str,
) -> Result<ImageRequest, IiifError> {
    let (quality, format) = last.rsplit_once('.').ok_or_else(|| {
        IiifError::bad_request(
            Segment::Format,
            format!("{last:?} has no .format: expected {{quality}}.{{format}}"),
        )
    })?;
    Ok(ImageRequest {
        version,
        identifier: decode_identifier(identifier)?,
        region: Region::parse(region)?,
        size: Size::parse(size, version)?,
        rotation: Rotation::parse(rotation)?,
        quality: Quality::parse(quality, version)?,
        format: Format::parse(format)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iiif::SizeKind;

    #[test]
    fn routes() {
        let v = Version::V3;
        assert_eq!(parse_path(v, "abc"), Ok(Route::Base { identifier: "abc".into() }));
        assert_eq!(parse_path(v, "abc/"), Ok(Route::Base { identifier: "abc".into() }));
        assert_eq!(
            parse_path(v, "ark:%2F21198%2Fzz0009gsq9/info.json"),
            Ok(Route::Info { identifier: "ark:/21198/zz0009gsq9".into() })
        );
        let Ok(Route::Image(r)) = parse_path(v, "ark:%2F21198%2Fzz0009gsq9/full/^max/!90/gray.png") else {
            panic!("not an image route")
        };
        assert_eq!(r.identifier, "ark:/21198/zz0009gsq9");
        assert_eq!(r.size, Size { upscale: true, kind: SizeKind::Max });
        assert_eq!(r.rotation, Rotation { mirror: true, degrees: 90.0 });
        assert_eq!((r.quality, r.format), (Quality::Gray, Format::Png));
    }

    #[test]
    fn unescaped_slash_is_not_an_identifier() {
        let e = parse_path(Version::V3, "ark:/21198/zz0009gsq9/full/max/0/default.jpg").unwrap_err();
        assert_eq!((e.status, e.segment), (404, Segment::Identifier));
        assert!(e.reason.contains("%2F"), "{}", e.reason);
        assert_eq!(parse_path(Version::V3, "ark:/21198/info.json").map_err(|e| e.status), Err(404));
        assert_eq!(parse_path(Version::V3, "a/b/full/max/0/default.jpg").map_err(|e| e.status), Err(404));
    }

    #[test]
    fn each_error_names_its_segment() {
        let v = Version::V2;
        let seg = |p: &str| parse_path(v, p).map(|_| ()).map_err(|e| e.segment);
        assert_eq!(seg("/full/full/0/default.jpg"), Err(Segment::Identifier));
        assert_eq!(seg("id/nope/full/0/default.jpg"), Err(Segment::Region));
        assert_eq!(seg("id/full/nope/0/default.jpg"), Err(Segment::Size));
        assert_eq!(seg("id/full/full/x/default.jpg"), Err(Segment::Rotation));
        assert_eq!(seg("id/full/full/0/grey.jpg"), Err(Segment::Quality));
        assert_eq!(seg("id/full/full/0/default.bmp"), Err(Segment::Format));
        assert_eq!(seg("id/full/full/0/default"), Err(Segment::Format));
        assert_eq!(seg("id/full/full/0"), Err(Segment::Path));
    }
}
