//! Building HTTP responses: errors with the status the Image API names and a reason in the body, ETags,
//! conditional requests, and the per-response facts the request log and metrics read back.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tessella_core::iiif::{Format, IiifError};
use tessella_core::plan::PlanError;
use tessella_core::render::RenderError;

use crate::metrics::Tier;
use crate::source::SourceFailure;

/// Why a request failed. Each variant knows its status; the body is the reason as plain text.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Iiif(#[from] IiifError),
    /// Shared: the geometry cache hands one probe's failure to every request that waited on it.
    #[error("{0}")]
    Source(#[from] Arc<SourceFailure>),
    #[error("format {} is not supported by this server (supported: {supported})", .format.extension())]
    UnsupportedFormat { format: Format, supported: String },
    #[error("{0}")]
    Plan(#[from] PlanError),
    #[error("{0}")]
    Render(#[from] RenderError),
    #[error("the request would decode {pixels} pixels; this server's budget is {max_pixels}")]
    OverBudget { pixels: u64, max_pixels: u64 },
    #[error(
        "the request would read {bytes} bytes of the source image; this server reads at most {max_bytes} per \
         request (budget.max_source_bytes): a tiled pyramid of it (tessella convert) is read by the tile"
    )]
    SourceTooLarge { bytes: u64, max_bytes: u64 },
    #[error("not found: {0}")]
    NoRoute(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<SourceFailure> for ApiError {
    fn from(e: SourceFailure) -> Self {
        ApiError::Source(Arc::new(e))
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        let code = match self {
            ApiError::Iiif(e) => e.status,
            ApiError::Source(e) => e.status(),
            ApiError::UnsupportedFormat { .. } => 501,
            ApiError::Plan(_) | ApiError::Internal(_) => 500,
            ApiError::Render(e) => e.status(),
            ApiError::OverBudget { .. } | ApiError::SourceTooLarge { .. } => 413,
            ApiError::NoRoute(_) => 404,
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (status, format!("{self}\n")).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        response
    }
}

/// A strong ETag over the canonical request and the source's version (the core computes it, so the edge
/// sends the same tag for the same image).
pub fn etag(cache_key: &str, source_version: &str) -> String {
    tessella_core::iiif::http::image_etag(cache_key, source_version)
}

/// Whether `If-None-Match` names this ETag (or `*`); weak comparison, as RFC 9110 asks for this header.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let values = headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok());
    tessella_core::iiif::http::if_none_match(values, etag)
}

/// Whether the derivative cache answered, for the request log.
#[derive(Debug, Clone, Copy)]
pub enum CacheOutcome {
    Hit(Tier),
    Miss,
    Bypass,
    /// A `HEAD` answered without rendering.
    Head,
}

impl CacheOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheOutcome::Hit(Tier::Memory) => "hit-memory",
            CacheOutcome::Hit(Tier::Store) => "hit-store",
            CacheOutcome::Miss => "miss",
            CacheOutcome::Bypass => "bypass",
            CacheOutcome::Head => "head",
        }
    }
}

/// Which route answered, as the `route` label of the metrics.
#[derive(Debug, Clone, Copy)]
pub struct RouteLabel(pub &'static str);

/// A header value from text we built; a value that cannot be a header (it never should) becomes empty
/// rather than failing the response.
pub fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_stable_and_depend_on_both_parts() {
        let e = etag("3/a/full/max/0/default.jpg", "v1");
        assert_eq!(e, etag("3/a/full/max/0/default.jpg", "v1"));
        assert_ne!(e, etag("3/a/full/max/0/default.jpg", "v2"));
        assert_ne!(e, etag("3/b/full/max/0/default.jpg", "v1"));
        assert_eq!(e.len(), 34);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(not_modified(&h, "\"abc\""));
        assert!(!not_modified(&h, "\"abd\""));
    }
}
