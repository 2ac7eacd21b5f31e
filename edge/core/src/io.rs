//! The edge's I/O, behind three small traits that each platform implements: an HTTP client (to the
//! origin), a byte-range source (the origin's source endpoint, or a bucket), and a cache. Native tests
//! implement them in memory.
//!
//! The traits' futures are not `Send`: WebAssembly platforms run one request on one thread.
#![allow(async_fn_in_trait)]

use tessella_core::iiif::encode_identifier;
use tessella_core::source::ByteRange;

/// A request as the platform received it: the method, the raw path (percent-encoding intact, so an
/// identifier's `%2F` stays part of it), the query and the headers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EdgeRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl EdgeRequest {
    pub fn get(path: &str) -> EdgeRequest {
        EdgeRequest { method: "GET".into(), path: path.into(), ..EdgeRequest::default() }
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// A response: what the edge answers, what the origin answered, and what the cache holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EdgeResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl EdgeResponse {
    pub fn new(status: u16) -> EdgeResponse {
        EdgeResponse { status, ..EdgeResponse::default() }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Sets a header, replacing any of the same name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.into()));
    }

    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// An outgoing `GET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fetch of {url} failed: {reason}")]
pub struct FetchError {
    pub url: String,
    pub reason: String,
}

/// `GET` over HTTP: the platform's `fetch`.
pub trait HttpClient {
    async fn get(&self, request: OutRequest) -> Result<EdgeResponse, FetchError>;
}

/// One ranged read: the bytes, the object's total size, and its version (which changes when the object
/// does; the origin computes ETags from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeRead {
    pub data: Vec<u8>,
    pub total: u64,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceReadError {
    #[error("no source {0:?}")]
    NotFound(String),
    /// The source exists but may not be read at the edge (no secret, or a format the operator keeps
    /// at the origin).
    #[error("the source may not be read at the edge: {0}")]
    Refused(String),
    #[error("source read failed: {0}")]
    Failed(String),
}

/// Byte ranges of a source object, by IIIF identifier.
pub trait RangeSource {
    async fn read(&self, identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError>;
}

/// The edge cache: whole responses by key. A miss and a failing cache look the same (`None`); a failed
/// `put` is logged and forgotten, never a failed request.
pub trait CacheStore {
    async fn get(&self, key: &str) -> Option<EdgeResponse>;
    async fn put(&self, key: &str, response: &EdgeResponse);
}

/// No cache at all (a platform without one: Spin without its key-value feature).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCache;

impl CacheStore for NoCache {
    async fn get(&self, _key: &str) -> Option<EdgeResponse> {
        None
    }

    async fn put(&self, _key: &str, _response: &EdgeResponse) {}
}

/// The path of the origin's byte-range endpoint (`tessella serve` with `edge_source.secret` set).
pub const SOURCE_ENDPOINT: &str = "/edge/source/";
/// The header carrying a source's version on the endpoint's answers.
pub const SOURCE_VERSION_HEADER: &str = "tessella-source-version";

/// Ranged reads from the origin's source endpoint, `GET {origin}/edge/source/{identifier}` with
/// `Range: bytes=a-b` and `Authorization: Bearer {secret}`: the origin answers 206 with `Content-Range`
/// and the source's version.
pub struct OriginRangeSource<'a, C> {
    pub client: &'a C,
    pub origin_url: &'a str,
    pub secret: &'a str,
}

impl<C: HttpClient> RangeSource for OriginRangeSource<'_, C> {
    async fn read(&self, identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError> {
        if range.is_empty() {
            return Err(SourceReadError::Failed("an empty range".into()));
        }
        let url = format!("{}{SOURCE_ENDPOINT}{}", self.origin_url, encode_identifier(identifier));
        let request = OutRequest {
            url,
            headers: vec![
                ("authorization".into(), format!("Bearer {}", self.secret)),
                ("range".into(), format!("bytes={}-{}", range.start, range.end - 1)),
            ],
        };
        let response = self.client.get(request).await.map_err(|e| SourceReadError::Failed(e.to_string()))?;
        match response.status {
            206 => {}
            404 => return Err(SourceReadError::NotFound(identifier.to_string())),
            401 | 403 => {
                let reason = String::from_utf8_lossy(&response.body).trim().to_string();
                return Err(SourceReadError::Refused(format!("{}: {reason}", response.status)));
            }
            other => return Err(SourceReadError::Failed(format!("the origin answered {other}"))),
        }
        let (start, total) = response
            .header("content-range")
            .and_then(parse_content_range)
            .ok_or_else(|| SourceReadError::Failed("a 206 without a valid Content-Range".into()))?;
        if start != range.start {
            return Err(SourceReadError::Failed(format!("asked for {} and got {start}", range.start)));
        }
        let version = response
            .header(SOURCE_VERSION_HEADER)
            .ok_or_else(|| SourceReadError::Failed("no source version".into()))?
            .to_string();
        Ok(RangeRead { data: response.body, total, version })
    }
}

/// `bytes a-b/total` → (a, total).
pub fn parse_content_range(value: &str) -> Option<(u64, u64)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (start, _end) = span.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range() {
        assert_eq!(parse_content_range("bytes 0-65535/120008040"), Some((0, 120_008_040)));
        assert_eq!(parse_content_range("bytes */100"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
    }

    #[test]
    fn headers_are_case_insensitive_and_replaced() {
        let mut r = EdgeResponse::new(200);
        r.set_header("ETag", "\"a\"");
        r.set_header("etag", "\"b\"");
        assert_eq!(r.header("ETAG"), Some("\"b\""));
        assert_eq!(r.headers.len(), 1);
    }
}
