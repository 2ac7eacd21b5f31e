//! The HTTP routes: the Image API under `/iiif/3/` and `/iiif/2/`, `/health`, `/metrics`, the admin API
//! (`crate::admin`) when a token is configured, and the Presentation API documents (`crate::delivery`).
//!
//! Image API paths are parsed from the request URI's raw path by the core's `parse_path`, never from a
//! router-decoded parameter, so an identifier's `%2F` stays part of the identifier.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bytes::Bytes;
use tessella_core::iiif::http::{canonical_link, context_link, info_media_type, profile_link};
use tessella_core::iiif::info::info_json;
use tessella_core::iiif::{Format, ImageRequest, Route, Version, encode_identifier, parse_path, resolve};
use tessella_core::pixels::encode::supported_formats;
use tessella_core::render;
use tessella_core::source::ByteRange;
use tower_http::cors::{Any, CorsLayer};

use crate::AppState;
use crate::admin;
use crate::cache::{CachedImage, CachedInfo, DerivativeKey};
use crate::metrics::Tier;
use crate::responses::{ApiError, CacheOutcome, RouteLabel, etag, header_value, not_modified};

pub fn router(state: Arc<AppState>) -> Router {
    let mut app = Router::new()
        .route("/iiif/3/{*rest}", get(iiif_v3))
        .route("/iiif/2/{*rest}", get(iiif_v2))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route(
            "/collections",
            post(crate::delivery::post_batch)
                .layer(axum::extract::DefaultBodyLimit::max(crate::delivery::MAX_UPLOAD_BYTES)),
        );
    // Without a token the admin routes do not exist (404), so an unconfigured server exposes nothing.
    if state.admin_token.is_some() {
        app = app.merge(admin::router());
    }
    // Likewise the edge's source endpoint without its secret.
    if state.edge_source.secret.is_some() {
        app = app.merge(crate::edge_source::router());
    }
    if state.convert.is_some() {
        app = app.merge(crate::convert_api::router());
    }
    // Manifests and collections: `/{ARK}/manifest` has slashes before its last segment, so it is
    // matched in the fallback, which answers 404 for anything else.
    app.fallback(crate::delivery::documents)
        .layer(middleware::from_fn_with_state(state.clone(), log_and_count))
        // Outermost, so every response (errors, 404s, preflights) carries `Access-Control-Allow-Origin: *`:
        // IIIF viewers on other origins read both images and info.json.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::OPTIONS,
                    Method::PUT,
                    Method::DELETE,
                    Method::POST,
                ])
                .allow_headers(Any)
                .expose_headers(Any)
                .max_age(Duration::from_secs(86_400)),
        )
        .with_state(state)
}

async fn iiif_v3(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    iiif(&state, Version::V3, &method, &uri, &headers)
        .await
        .unwrap_or_else(|e| labelled(e.into_response(), "iiif"))
}

async fn iiif_v2(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    iiif(&state, Version::V2, &method, &uri, &headers)
        .await
        .unwrap_or_else(|e| labelled(e.into_response(), "iiif"))
}

async fn iiif(
    state: &AppState,
    version: Version,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let prefix = format!("/iiif/{}/", version.path_segment());
    // The raw path: percent-encoding intact.
    let raw = uri.path().strip_prefix(&prefix).unwrap_or_default();
    match parse_path(version, raw)? {
        Route::Base { identifier } => {
            let location =
                format!("{}/{}/info.json", state.service_base(version), encode_identifier(&identifier));
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, header_value(&location));
            Ok(labelled(response, "base"))
        }
        Route::Info { identifier } => info(state, version, &identifier, headers).await,
        Route::Image(request) => {
            let use_cache = !uri.query().is_some_and(|q| q.split('&').any(|p| p == "cache=false"));
            image(state, request, method == Method::HEAD, headers, use_cache).await
        }
    }
}

async fn info(
    state: &AppState,
    version: Version,
    identifier: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let entry = state.sources.open(identifier).await?;
    let cached = state.infos.get(version, identifier, &entry.version);
    state.metrics.cache("info", Tier::Memory, cached.is_some());
    let cached = match cached {
        Some(cached) => cached,
        None => {
            let id = format!("{}/{}", state.service_base(version), encode_identifier(identifier));
            let body = info_json(version, &id, &entry.geometry, &state.capabilities).to_json();
            let built = Arc::new(CachedInfo::new(entry.version.clone(), body));
            state.infos.put(version, identifier, built.clone());
            built
        }
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let media_type = info_media_type(version, accept);
    // One tag per representation: the JSON and JSON-LD answers share a body but not their headers.
    let tag = etag(&cached.etag, media_type);
    let mut response = if not_modified(headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, header_value(media_type))], cached.body.clone()).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, header_value(&tag));
    h.insert(header::CACHE_CONTROL, header_value(&state.cache_control));
    // The media type follows `Accept`, so a shared cache must keep one copy per `Accept`.
    h.insert(header::VARY, header::HeaderValue::from_static("accept"));
    // 2.1 §5: plain JSON carries its JSON-LD context in a Link header.
    if version == Version::V2 && media_type == "application/json" {
        h.insert(header::LINK, header_value(&context_link(version)));
    }
    Ok(labelled(response, "info"))
}

async fn image(
    state: &AppState,
    request: ImageRequest,
    head: bool,
    headers: &HeaderMap,
    use_cache: bool,
) -> Result<Response, ApiError> {
    // A format we cannot write is 501 before any I/O.
    if !supported_formats().contains(&request.format) {
        let supported = supported_formats().iter().map(|f| f.extension()).collect::<Vec<_>>().join(", ");
        return Err(ApiError::UnsupportedFormat { format: request.format, supported });
    }
    let entry = state.sources.open(&request.identifier).await?;
    let resolved = resolve(&request, entry.geometry.width, entry.geometry.height, &state.limits)?;
    let canonical = resolved.canonical();
    let tag = etag(&canonical.cache_key(), &entry.version);
    let canonical_url = canonical.url(&state.service_base(request.version));
    let link = format!("{}, {}", profile_link(request.version), canonical_link(&canonical_url));

    if not_modified(headers, &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        let h = response.headers_mut();
        h.insert(header::ETAG, header_value(&tag));
        h.insert(header::CACHE_CONTROL, header_value(&state.cache_control));
        h.insert(header::LINK, header_value(&link));
        return Ok(labelled(response, "image"));
    }

    let key = DerivativeKey::new(&canonical);
    if head {
        return head_image(state, &entry, &resolved, request.format, &key, &tag, link).await;
    }
    let (cached, outcome) = if use_cache {
        match state.derivatives.get(&key, &tag).await {
            Some((hit, tier)) => (hit, CacheOutcome::Hit(tier)),
            None => {
                let rendered = render_image(state, &entry, &resolved, &tag).await?;
                state.derivatives.put(&key, rendered.clone(), &entry.version);
                (rendered, CacheOutcome::Miss)
            }
        }
    } else {
        (render_image(state, &entry, &resolved, &tag).await?, CacheOutcome::Bypass)
    };
    let mut response = (StatusCode::OK, Body::from(cached.body.clone())).into_response();
    image_headers(&mut response, state, cached.format, &link, &tag);
    response.extensions_mut().insert(outcome);
    Ok(labelled(response, "image"))
}

fn image_headers(response: &mut Response, state: &AppState, format: Format, link: &str, tag: &str) {
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(format.media_type()));
    h.insert(header::LINK, header_value(link));
    h.insert(header::ETAG, header_value(tag));
    h.insert(header::CACHE_CONTROL, header_value(&state.cache_control));
}

/// `HEAD` never renders: from the memory tier it is exactly `GET`'s headers (with `Content-Length`);
/// otherwise it runs every check `GET` would make before reading pixels (identifier, syntax, limits,
/// plan, budget) and answers their verdict with the same headers but no `Content-Length`, which only a
/// render could tell. The store tier is not read: that would cost as much as the `GET` it stands in for.
async fn head_image(
    state: &AppState,
    entry: &Arc<crate::source::SourceEntry>,
    resolved: &tessella_core::iiif::ResolvedRequest,
    format: Format,
    key: &DerivativeKey,
    tag: &str,
    link: String,
) -> Result<Response, ApiError> {
    if let Some(hit) = state.derivatives.get_memory(key, tag) {
        let mut response = (StatusCode::OK, Body::from(hit.body.clone())).into_response();
        image_headers(&mut response, state, hit.format, &link, tag);
        response.extensions_mut().insert(CacheOutcome::Hit(Tier::Memory));
        return Ok(labelled(response, "image"));
    }
    check_plan(state, entry, resolved)?;
    // A body of unknown length: hyper would announce `Content-Length: 0` for an empty one.
    let unknown_length = Body::from_stream(futures_util::stream::empty::<Result<Bytes, std::io::Error>>());
    let mut response = (StatusCode::OK, unknown_length).into_response();
    image_headers(&mut response, state, format, &link, tag);
    response.extensions_mut().insert(CacheOutcome::Head);
    Ok(labelled(response, "image"))
}

/// The plan and the source ranges it reads, refused before a byte is fetched when the core's estimate
/// of the pixels, or the bytes to read, are over budget.
fn check_plan(
    state: &AppState,
    entry: &crate::source::SourceEntry,
    resolved: &tessella_core::iiif::ResolvedRequest,
) -> Result<(tessella_core::TilePlan, Vec<ByteRange>, u64), ApiError> {
    let plan = tessella_core::plan(&entry.geometry, resolved)?;
    let max_pixels = state.render_options.budget.max_pixels;
    if plan.estimate.decoded_pixels > max_pixels {
        return Err(ApiError::OverBudget { pixels: plan.estimate.decoded_pixels, max_pixels });
    }
    let ranges = render::ranges(&entry.geometry, &plan, entry.size);
    let bytes: u64 = ranges.iter().map(|r| r.end.saturating_sub(r.start)).sum();
    if bytes > state.max_source_bytes {
        return Err(ApiError::SourceTooLarge { bytes, max_bytes: state.max_source_bytes });
    }
    Ok((plan, ranges, bytes))
}

/// Plans, reads exactly the ranges the plan needs, and renders on the blocking pool (bounded by the render
/// slots, so CPU-bound work never starves the async runtime).
async fn render_image(
    state: &AppState,
    entry: &Arc<crate::source::SourceEntry>,
    resolved: &tessella_core::iiif::ResolvedRequest,
    tag: &str,
) -> Result<Arc<CachedImage>, ApiError> {
    let (plan, ranges, wanted) = check_plan(state, entry, resolved)?;
    // Held from the read until the render ends; a source larger than the whole allowance takes all of it.
    let units =
        u32::try_from(wanted.div_ceil(1 << 20)).unwrap_or(u32::MAX).clamp(1, state.source_mib_capacity);
    let held = state
        .source_mib
        .clone()
        .acquire_many_owned(units)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let bytes = state.sources.read(entry, &ranges).await?;
    let permit =
        state.render_slots.clone().acquire_owned().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let entry = entry.clone();
    let resolved = resolved.clone();
    // Alone, a JPEG 2000 decode may spread over `jp2.threads`; beside other renders it takes one.
    let alone = state.render_slots.available_permits() + 1 >= state.render_slot_count;
    let options = if alone { state.render_options.clone() } else { state.render_options_busy.clone() };
    let rendered = tokio::task::spawn_blocking(move || {
        let _held = held;
        let _permit = permit;
        render::render(&entry.geometry, &plan, &resolved, &bytes, &options)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("render task failed: {e}")))??;
    Ok(Arc::new(CachedImage {
        body: Bytes::from(rendered.body),
        format: rendered.format,
        etag: tag.to_string(),
    }))
}

async fn health(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    let deep = uri.query().is_some_and(|q| q.split('&').any(|p| p == "deep=true"));
    if !deep {
        return labelled("ok\n".into_response(), "health");
    }
    let source = state.sources.list_root().await;
    let store = state.derivatives.check_store().await;
    let mut text = String::new();
    let mut healthy = true;
    match &store {
        None => {}
        Some(Ok(())) => text.push_str("cache store: ok (wrote, read back and deleted a probe object)\n"),
        Some(Err(e)) => {
            healthy = false;
            text.push_str(&format!("cache store unreachable: {e}\n"));
        }
    }
    match source {
        // The names only with the admin token: a public health check must not enumerate the collection.
        Ok((names, _)) if admin::authorized(&state, &headers) => {
            text.push_str(&format!("source root:\n{}\n", names.join("\n")));
        }
        Ok((_, count)) => text.push_str(&format!("source root: ok ({count} entries)\n")),
        Err(e) => {
            healthy = false;
            text.push_str(&format!("source unreachable: {e}\n"));
        }
    }
    let response = if healthy {
        format!("ok\n{text}").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, text).into_response()
    };
    labelled(response, "health")
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let response = match state.metrics.render() {
        Ok(text) => {
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
        }
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    };
    labelled(response, "metrics")
}

pub(crate) fn labelled(mut response: Response, route: &'static str) -> Response {
    response.extensions_mut().insert(RouteLabel(route));
    response
}

/// One log line and the metrics for every request.
async fn log_and_count(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method: Method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    let route = response.extensions().get::<RouteLabel>().map_or("other", |r| r.0);
    let cache = response.extensions().get::<CacheOutcome>().map_or("-", |c| c.as_str());
    state.metrics.request(route, status, elapsed.as_secs_f64());
    tracing::info!(
        method = %method,
        path = %path,
        status,
        ms = (elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
        cache,
        "request"
    );
    response
}
