//! The byte-range source endpoint the edge reads sources through when it has no bucket of its own:
//! `GET /edge/source/{identifier}` with `Range: bytes=a-b` and `Authorization: Bearer {secret}`,
//! answered 206 with `Content-Range` and the source's version in `Tessella-Source-Version` (the edge
//! computes the same ETags as this server from it).
//!
//! Source masters are never public: the endpoint exists only when `edge_source.secret` is set (otherwise
//! 404), every request must carry the secret (compared in constant time; otherwise 401), and it serves
//! only the source kinds the operator lists in `edge_source.formats` (otherwise 403), such as the lossy
//! JPEG-tiled pyramids derived from the masters.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tessella_core::geometry::{Geometry, LevelData, SourceFormat};
use tessella_core::iiif::decode_identifier;
use tessella_core::source::ByteRange;
use tessella_core::source::tiff::Compression;

use crate::AppState;
use crate::admin::bearer_matches;
use crate::responses::{ApiError, header_value};
use crate::routes::labelled;

const PREFIX: &str = "/edge/source/";

/// The source kinds `edge_source.formats` may name.
pub const KINDS: [&str; 6] = ["tiff-jpeg", "tiff", "jp2", "jpeg", "png", "j2k"];

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/edge/source/{*identifier}", get(source_range))
}

/// A source's kind as `edge_source.formats` names it: a TIFF whose every level is JPEG-compressed is
/// `tiff-jpeg` (a lossy derivative), any other TIFF `tiff`.
pub fn kind(geometry: &Geometry) -> &'static str {
    match geometry.format {
        SourceFormat::Tiff => {
            let all_jpeg = geometry
                .levels
                .iter()
                .all(|l| matches!(&l.data, LevelData::Tiff(t) if t.compression == Compression::Jpeg));
            if all_jpeg { "tiff-jpeg" } else { "tiff" }
        }
        SourceFormat::Jp2 => "jp2",
        SourceFormat::J2k => "j2k",
        SourceFormat::Jpeg => "jpeg",
        SourceFormat::Png => "png",
    }
}

fn plain(status: StatusCode, text: &str) -> Response {
    labelled((status, format!("{text}\n")).into_response(), "edge-source")
}

/// `bytes=a-b` or `bytes=a-` (one range; the edge never asks for more), as a half-open range clipped to
/// the object. `None` when it is not one satisfiable range.
fn parse_range(value: &str, size: u64) -> Option<ByteRange> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => size,
        e => e.parse::<u64>().ok()?.saturating_add(1).min(size),
    };
    (start < end).then(|| ByteRange::new(start, end))
}

async fn source_range(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    let Some(secret) = state.edge_source.secret.as_deref() else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    if !bearer_matches(secret, &headers) {
        let mut response =
            plain(StatusCode::UNAUTHORIZED, "the edge source needs Authorization: Bearer <secret>");
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header_value("Bearer realm=\"tessella edge\""));
        return response;
    }
    let raw = uri.path().strip_prefix(PREFIX).unwrap_or_default();
    if raw.contains('/') {
        return plain(StatusCode::BAD_REQUEST, "an identifier's slashes are sent as %2F");
    }
    let identifier = match decode_identifier(raw) {
        Ok(identifier) => identifier,
        Err(e) => return labelled(ApiError::from(e).into_response(), "edge-source"),
    };
    let entry = match state.sources.open(&identifier).await {
        Ok(entry) => entry,
        Err(e) => return labelled(ApiError::from(e).into_response(), "edge-source"),
    };
    let kind = kind(&entry.geometry);
    if !state.edge_source.formats.iter().any(|f| f == kind) {
        tracing::info!(identifier, kind, "edge source refused: not an allowed format");
        return plain(StatusCode::FORBIDDEN, &format!("{kind} sources are not served to the edge"));
    }
    let Some(range) =
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(|v| parse_range(v, entry.size))
    else {
        let mut response =
            plain(StatusCode::RANGE_NOT_SATISFIABLE, "one satisfiable Range: bytes=a-b is required");
        response
            .headers_mut()
            .insert(header::CONTENT_RANGE, header_value(&format!("bytes */{}", entry.size)));
        return response;
    };
    let bytes = match state.sources.read(&entry, &[range]).await {
        Ok(bytes) => bytes,
        Err(e) => return labelled(ApiError::from(e).into_response(), "edge-source"),
    };
    let Ok(len) = usize::try_from(range.len()) else {
        return plain(StatusCode::RANGE_NOT_SATISFIABLE, "range too large");
    };
    let body = match bytes.read(range.start, len) {
        Ok(data) => data.to_vec(),
        Err(e) => return labelled(ApiError::Internal(e.to_string()).into_response(), "edge-source"),
    };
    let mut response = (StatusCode::PARTIAL_CONTENT, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value("application/octet-stream"));
    h.insert(
        header::CONTENT_RANGE,
        header_value(&format!("bytes {}-{}/{}", range.start, range.end - 1, entry.size)),
    );
    h.insert("tessella-source-version", header_value(&entry.version));
    h.insert(header::CACHE_CONTROL, header_value("private, no-store"));
    labelled(response, "edge-source")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some(ByteRange::new(0, 10)));
        assert_eq!(parse_range("bytes=90-", 100), Some(ByteRange::new(90, 100)));
        assert_eq!(parse_range("bytes=90-1000", 100), Some(ByteRange::new(90, 100)));
        assert_eq!(parse_range("bytes=100-200", 100), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }

    #[test]
    fn the_secret_is_required_exactly() {
        let mut h = HeaderMap::new();
        assert!(!bearer_matches("s3cret", &h));
        h.insert(header::AUTHORIZATION, header_value("Bearer s3cre"));
        assert!(!bearer_matches("s3cret", &h));
        h.insert(header::AUTHORIZATION, header_value("Bearer s3cret"));
        assert!(bearer_matches("s3cret", &h));
    }
}
