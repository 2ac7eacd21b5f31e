//! The request flow (see the crate docs): route, cache, budget, ranged reads, render, or the origin.

use futures_util::future::join_all;
use tessella_core::iiif::http::{canonical_link, if_none_match, image_etag, profile_link};
use tessella_core::iiif::{
    CanonicalRequest, IiifError, ImageRequest, ResolvedRequest, Route, Version, encode_identifier,
    parse_path, resolve,
};
use tessella_core::pixels::Budget;
use tessella_core::pixels::encode::{EncodeOptions, supported_formats};
use tessella_core::render::{self, RenderOptions};
use tessella_core::source::{ByteRange, SourceBytes};
use tessella_core::{TilePlan, plan};

use crate::config::EdgeConfig;
use crate::io::{CacheStore, EdgeRequest, EdgeResponse, HttpClient, OutRequest, RangeSource};
use crate::meta::SourceMeta;

/// Ranges closer than this are fetched as one read: a few wasted bytes for fewer round trips (a strip
/// TIFF's neighbouring strips, a pyramid's neighbouring tiles).
const MERGE_GAP: u64 = 64 * 1024;
/// Ranged reads in flight at once (a Worker may hold six connections open).
const CONCURRENT_READS: usize = 6;

/// The response header saying how the edge answered: `hit`, `rendered`, `passthrough`, `origin` (with
/// the reason), or `proxied` (info.json and other origin paths).
pub const EDGE_HEADER: &str = "tessella-edge";
/// `HIT` or `MISS` in the edge cache.
pub const EDGE_CACHE_HEADER: &str = "tessella-edge-cache";

/// How one request was answered, for the platform's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeOutcome {
    Hit,
    Rendered,
    Passthrough,
    Origin(String),
    Proxied,
    Local,
}

impl EdgeOutcome {
    pub fn header_value(&self) -> String {
        match self {
            EdgeOutcome::Hit => "hit".into(),
            EdgeOutcome::Rendered => "rendered".into(),
            EdgeOutcome::Passthrough => "passthrough".into(),
            EdgeOutcome::Origin(reason) => {
                format!("origin; reason=\"{}\"", reason.replace(['"', '\r', '\n'], "'"))
            }
            EdgeOutcome::Proxied => "proxied".into(),
            EdgeOutcome::Local => "local".into(),
        }
    }
}

/// One request's view of the platform: the configuration and the three I/O traits. `source` is `None`
/// where the edge has no way to read sources; then every image goes to the origin.
pub struct Edge<'a, H, S, C> {
    pub config: &'a EdgeConfig,
    pub http: &'a H,
    pub source: Option<&'a S>,
    pub cache: &'a C,
}

impl<H: HttpClient, S: RangeSource, C: CacheStore> Edge<'_, H, S, C> {
    /// Answers one request. Never fails: every error becomes a response (from the origin where it can).
    pub async fn handle(&self, request: &EdgeRequest) -> EdgeResponse {
        let mut response = match request.method.as_str() {
            "OPTIONS" => preflight(),
            "GET" | "HEAD" => self.route(request).await,
            _ => text(405, "only GET, HEAD and OPTIONS"),
        };
        cors(&mut response);
        if request.method == "HEAD" {
            response.body.clear();
        }
        response
    }

    async fn route(&self, request: &EdgeRequest) -> EdgeResponse {
        let (version, raw) = if let Some(raw) = request.path.strip_prefix("/iiif/3/") {
            (Version::V3, raw)
        } else if let Some(raw) = request.path.strip_prefix("/iiif/2/") {
            (Version::V2, raw)
        } else {
            // Manifests and anything else the origin serves.
            return self.proxy(request).await;
        };
        match parse_path(version, raw) {
            Err(e) => iiif_error(&e),
            Ok(Route::Base { identifier }) => {
                let location = format!(
                    "{}/{}/info.json",
                    self.config.service_base(version),
                    encode_identifier(&identifier)
                );
                let mut response = EdgeResponse::new(303);
                response.set_header("location", location);
                response.set_header(EDGE_HEADER, EdgeOutcome::Local.header_value());
                response
            }
            Ok(Route::Info { .. }) => self.proxy(request).await,
            Ok(Route::Image(image)) => self.image(request, image).await,
        }
    }

    /// info.json, manifests and other origin paths: from the edge cache, else from the origin (and
    /// cached when the origin allows). `Accept` is part of the key: info.json's media type follows it.
    async fn proxy(&self, request: &EdgeRequest) -> EdgeResponse {
        let path_and_query = match &request.query {
            Some(q) if !q.is_empty() => format!("{}?{q}", request.path),
            _ => request.path.clone(),
        };
        let accept = request.header("accept").unwrap_or_default();
        let key = format!("proxy{path_and_query}#{}", accept.contains("application/ld+json"));
        if let Some(mut hit) = self.cache.get(&key).await {
            hit.set_header(EDGE_CACHE_HEADER, "HIT");
            return hit;
        }
        let mut headers = Vec::new();
        if !accept.is_empty() {
            headers.push(("accept".to_string(), accept.to_string()));
        }
        let out = OutRequest { url: format!("{}{path_and_query}", self.config.origin_url), headers };
        let mut response = match self.http.get(out).await {
            Ok(r) => origin_response(r),
            Err(e) => return bad_gateway(&e.to_string()),
        };
        response.set_header(EDGE_HEADER, EdgeOutcome::Proxied.header_value());
        if cacheable(&response) {
            self.cache.put(&key, &response).await;
        }
        response.set_header(EDGE_CACHE_HEADER, "MISS");
        response
    }

    async fn image(&self, request: &EdgeRequest, image: ImageRequest) -> EdgeResponse {
        let raw_path = request.path.clone();
        if !supported_formats().contains(&image.format) {
            return self.forward(&raw_path, "a format the edge does not encode").await;
        }
        let Some(source) = self.source else {
            return self.forward(&raw_path, "no range source").await;
        };
        let meta = match self.meta(source, &image.identifier).await {
            Ok(meta) => meta,
            Err(reason) => return self.forward(&raw_path, &reason).await,
        };
        let resolved = match resolve(&image, meta.geometry.width, meta.geometry.height, &self.config.limits) {
            Ok(r) => r,
            Err(e) => return iiif_error(&e),
        };
        let canonical = resolved.canonical();
        let cache_key = canonical.cache_key();
        let tag = image_etag(&cache_key, &meta.version);
        let link = format!(
            "{}, {}",
            profile_link(image.version),
            canonical_link(&canonical.url(&self.config.service_base(image.version)))
        );
        let conditional = request.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("if-none-match"));
        if if_none_match(conditional.map(|(_, v)| v.as_str()), &tag) {
            let mut response = EdgeResponse::new(304);
            self.image_headers(&mut response, None, &link, &tag);
            return response;
        }
        // The tag names the source version too, so a changed source is a different key.
        let key = format!("image/{cache_key}#{}", tag.trim_matches('"'));
        if let Some(mut hit) = self.cache.get(&key).await {
            hit.set_header(EDGE_HEADER, EdgeOutcome::Hit.header_value());
            hit.set_header(EDGE_CACHE_HEADER, "HIT");
            return hit;
        }
        let mut response = match self.render_here(source, &meta, &resolved).await {
            Ok((rendered, outcome)) => {
                let mut response = EdgeResponse { status: 200, headers: Vec::new(), body: rendered.body };
                self.image_headers(&mut response, Some(rendered.format.media_type()), &link, &tag);
                response.set_header(EDGE_HEADER, outcome.header_value());
                response
            }
            Err(reason) => self.forward_canonical(&canonical, &reason).await,
        };
        if response.status == 200 {
            self.cache.put(&key, &response).await;
        }
        response.set_header(EDGE_CACHE_HEADER, "MISS");
        response
    }

    /// Plans, prices and, within the limits, renders: the ranged reads and the core's pipeline. `Err` is
    /// the reason to ask the origin instead.
    async fn render_here(
        &self,
        source: &S,
        meta: &SourceMeta,
        resolved: &ResolvedRequest,
    ) -> Result<(render::Rendered, EdgeOutcome), String> {
        let plan: TilePlan = plan(&meta.geometry, resolved).map_err(|e| e.to_string())?;
        let cost = render::cost(&meta.geometry, &plan, meta.size);
        cost.check(&self.config.cost).map_err(|over| format!("over the edge budget: {over}"))?;
        let ranges = render::ranges(&meta.geometry, &plan, meta.size);
        let bytes = self.read_ranges(source, &resolved.identifier, meta, &ranges).await?;
        let limits = self.config.cost;
        let options = RenderOptions {
            budget: Budget { max_pixels: limits.max_decoded_pixels, max_bytes: limits.max_peak_memory },
            encode: EncodeOptions { jpeg_quality: self.config.jpeg_quality, ..EncodeOptions::default() },
            passthrough: self.config.passthrough,
            ..RenderOptions::default()
        };
        let rendered = render::render(&meta.geometry, &plan, resolved, &bytes, &options).map_err(|e| {
            tracing::warn!(error = %e, "edge render failed");
            format!("edge render failed: {e}")
        })?;
        let outcome = if rendered.passthrough { EdgeOutcome::Passthrough } else { EdgeOutcome::Rendered };
        tracing::debug!(
            fetched = bytes.held(),
            pixels = cost.decoded_pixels,
            peak_estimate = cost.peak_memory,
            "rendered at the edge"
        );
        Ok((rendered, outcome))
    }

    /// Reads exactly `ranges` (neighbours merged), a few at a time, checking the source did not change.
    async fn read_ranges(
        &self,
        source: &S,
        identifier: &str,
        meta: &SourceMeta,
        ranges: &[ByteRange],
    ) -> Result<SourceBytes, String> {
        let mut bytes = SourceBytes::new(Some(meta.size));
        // What the probe already holds (a JPEG 2000 main header, a TIFF's tables) is not read again.
        let mut wanted = Vec::with_capacity(ranges.len());
        for r in ranges {
            let held = meta.held_prefix(*r);
            if !held.is_empty() {
                bytes.insert(r.start, held.to_vec());
            }
            wanted.push(ByteRange::new(r.start + held.len() as u64, r.end));
        }
        let merged = merge_ranges(&wanted, meta.size);
        for batch in merged.chunks(CONCURRENT_READS) {
            let reads = join_all(batch.iter().map(|r| source.read(identifier, *r))).await;
            for (range, read) in batch.iter().zip(reads) {
                let read = read.map_err(|e| e.to_string())?;
                if read.version != meta.version {
                    return Err("the source changed since it was probed".into());
                }
                if read.data.len() as u64 != range.len() {
                    return Err(format!("a short read: {} of {} bytes", read.data.len(), range.len()));
                }
                bytes.insert(range.start, read.data);
            }
        }
        Ok(bytes)
    }

    /// The source's metadata from the cache, else probed (and cached).
    async fn meta(&self, source: &S, identifier: &str) -> Result<SourceMeta, String> {
        let key = format!("meta/{}", encode_identifier(identifier));
        if let Some(hit) = self.cache.get(&key).await {
            match SourceMeta::from_bytes(&hit.body) {
                Ok(meta) => return Ok(meta),
                Err(e) => tracing::warn!(identifier, error = %e, "cached metadata unusable; probing again"),
            }
        }
        let meta = SourceMeta::probe(source, identifier).await.map_err(|e| e.to_string())?;
        let mut entry = EdgeResponse { status: 200, headers: Vec::new(), body: meta.to_bytes() };
        entry.set_header("content-type", "application/octet-stream");
        entry.set_header("cache-control", format!("public, max-age={}", self.config.meta_ttl_seconds));
        self.cache.put(&key, &entry).await;
        Ok(meta)
    }

    /// The request as it came (it could not be canonicalised here), to the origin.
    async fn forward(&self, raw_path: &str, reason: &str) -> EdgeResponse {
        self.ask_origin(format!("{}{raw_path}", self.config.origin_url), reason).await
    }

    /// The canonical request to the origin: the same key there as here.
    async fn forward_canonical(&self, canonical: &CanonicalRequest, reason: &str) -> EdgeResponse {
        let url = format!(
            "{}/iiif/{}/{}",
            self.config.origin_url,
            canonical.version.path_segment(),
            canonical.path()
        );
        self.ask_origin(url, reason).await
    }

    async fn ask_origin(&self, url: String, reason: &str) -> EdgeResponse {
        tracing::debug!(%url, reason, "forwarding to the origin");
        let mut response = match self.http.get(OutRequest { url, headers: Vec::new() }).await {
            Ok(r) => origin_response(r),
            Err(e) => return bad_gateway(&e.to_string()),
        };
        response.set_header(EDGE_HEADER, EdgeOutcome::Origin(reason.to_string()).header_value());
        response
    }

    /// The origin's image headers (`routes::image_headers` there): the same values, computed by the core.
    fn image_headers(&self, response: &mut EdgeResponse, media_type: Option<&str>, link: &str, tag: &str) {
        if let Some(media_type) = media_type {
            response.set_header("content-type", media_type);
        }
        response.set_header("link", link);
        response.set_header("etag", tag);
        response.set_header("cache-control", self.config.cache_control());
    }
}

/// Sorted, clipped to the object, and merged where they overlap or lie within [`MERGE_GAP`].
fn merge_ranges(ranges: &[ByteRange], size: u64) -> Vec<ByteRange> {
    let mut sorted: Vec<ByteRange> = ranges
        .iter()
        .map(|r| ByteRange::new(r.start.min(size), r.end.min(size)))
        .filter(|r| !r.is_empty())
        .collect();
    sorted.sort();
    let mut merged: Vec<ByteRange> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match merged.last_mut() {
            Some(last) if r.start <= last.end.saturating_add(MERGE_GAP) => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The answer when the platform's settings are wrong: a 500 naming the setting (the adapter logs it too).
pub fn config_error(e: &crate::ConfigError) -> EdgeResponse {
    text(500, &format!("edge configuration: {e}"))
}

/// One line per request for the platform's log: method, path, status and how the edge answered.
pub fn access_line(request: &EdgeRequest, response: &EdgeResponse) -> String {
    format!(
        "tessella-edge: {} {} {} {}",
        request.method,
        request.path,
        response.status,
        response.header(EDGE_HEADER).unwrap_or("-")
    )
}

/// The origin's answer, less what belongs to one hop (the platform sets its own framing).
fn origin_response(mut response: EdgeResponse) -> EdgeResponse {
    for name in [
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "content-encoding",
        "date",
        "vary",
    ] {
        response.remove_header(name);
    }
    response
}

fn cacheable(response: &EdgeResponse) -> bool {
    let control = response.header("cache-control").unwrap_or_default();
    response.status == 200 && !control.contains("no-store") && !control.contains("private")
}

/// Every answer is readable by viewers on other origins, as the origin's are.
fn cors(response: &mut EdgeResponse) {
    response.set_header("access-control-allow-origin", "*");
    response.set_header("access-control-expose-headers", "*");
}

fn preflight() -> EdgeResponse {
    let mut response = EdgeResponse::new(204);
    response.set_header("access-control-allow-methods", "GET,HEAD,OPTIONS");
    response.set_header("access-control-allow-headers", "*");
    response.set_header("access-control-max-age", "86400");
    response
}

fn text(status: u16, body: &str) -> EdgeResponse {
    let mut response = EdgeResponse { status, headers: Vec::new(), body: format!("{body}\n").into_bytes() };
    response.set_header("content-type", "text/plain; charset=utf-8");
    response
}

/// The origin's error answer: the status the spec names and the reason as text.
fn iiif_error(e: &IiifError) -> EdgeResponse {
    let mut response = text(e.status, &e.to_string());
    response.set_header(EDGE_HEADER, EdgeOutcome::Local.header_value());
    response
}

fn bad_gateway(reason: &str) -> EdgeResponse {
    tracing::error!(reason, "the origin is unreachable");
    text(502, &format!("the origin is unreachable: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_setting_is_a_500_naming_it_and_the_log_line_says_how_it_was_answered() {
        let e = crate::ConfigError::Missing("ORIGIN_URL");
        let response = config_error(&e);
        assert_eq!(response.status, 500);
        assert!(String::from_utf8_lossy(&response.body).contains("ORIGIN_URL is not set"));
        let mut answered = EdgeResponse::new(200);
        answered.set_header(EDGE_HEADER, EdgeOutcome::Rendered.header_value());
        let line = access_line(&EdgeRequest::get("/iiif/3/x/full/max/0/default.jpg"), &answered);
        assert_eq!(line, "tessella-edge: GET /iiif/3/x/full/max/0/default.jpg 200 rendered");
        assert!(access_line(&EdgeRequest::get("/"), &EdgeResponse::new(404)).ends_with(" 404 -"));
    }

    #[test]
    fn ranges_merge_when_close_and_stay_apart_when_far() {
        let r = |a, b| ByteRange::new(a, b);
        let merged = merge_ranges(&[r(300_000, 300_100), r(0, 10), r(20, 30), r(5, 15), r(999, 2000)], 1500);
        assert_eq!(merged, vec![r(0, 1500)]);
        let merged = merge_ranges(&[r(200_000, 200_100), r(0, 10), r(20, 30)], 1_000_000);
        assert_eq!(merged, vec![r(0, 30), r(200_000, 200_100)]);
    }
}
