//! The HTTP routes: the Image API under `/iiif/3/` and `/iiif/2/`, `/health` and `/metrics`.
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
use tessella_core::iiif::{ImageRequest, Route, Version, encode_identifier, parse_path, resolve};
use tessella_core::pixels::encode::supported_formats;
use tessella_core::render;
use tower_http::cors::{Any, CorsLayer};

use crate::AppState;
use crate::cache::CachedImage;
use crate::responses::{ApiError, CacheOutcome, RouteLabel, etag, header_value, not_modified};

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/iiif/3/{*rest}", get(iiif_v3))
        .route("/iiif/2/{*rest}", get(iiif_v2))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        // Manifests and collections: `/{ARK}/manifest` has slashes before its last segment, so it is
        // matched in the fallback, which answers 404 for anything else.
        .route(
            "/collections",
            post(crate::delivery::post_batch)
                .layer(axum::extract::DefaultBodyLimit::max(crate::delivery::MAX_UPLOAD_BYTES)),
        )
        .fallback(crate::delivery::documents)
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

async fn iiif_v3(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    iiif(&state, Version::V3, &uri, &headers).await.unwrap_or_else(|e| labelled(e.into_response(), "iiif"))
}

async fn iiif_v2(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    iiif(&state, Version::V2, &uri, &headers).await.unwrap_or_else(|e| labelled(e.into_response(), "iiif"))
}

async fn iiif(
    state: &AppState,
    version: Version,
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
            image(state, request, headers, use_cache).await
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
    let id = format!("{}/{}", state.service_base(version), encode_identifier(identifier));
    let body = info_json(version, &id, &entry.geometry, &state.capabilities).to_json();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let media_type = info_media_type(version, accept);
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(media_type));
    h.insert(header::CACHE_CONTROL, header_value(&state.cache_control));
    // 2.1 §5: plain JSON carries its JSON-LD context in a Link header.
    if version == Version::V2 && media_type == "application/json" {
        h.insert(header::LINK, header_value(&context_link(version)));
    }
    Ok(labelled(response, "info"))
}

async fn image(
    state: &AppState,
    request: ImageRequest,
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
    let key = canonical.cache_key();
    let tag = etag(&key, &entry.version);
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

    let (cached, outcome) = if use_cache {
        match state.derivatives.get(&key, &tag) {
            Some(hit) => (hit, CacheOutcome::Hit),
            None => (render_image(state, &entry, &resolved, &tag).await?, CacheOutcome::Miss),
        }
    } else {
        (render_image(state, &entry, &resolved, &tag).await?, CacheOutcome::Bypass)
    };
    match outcome {
        CacheOutcome::Hit => state.metrics.cache("derivative", true),
        CacheOutcome::Miss => {
            state.metrics.cache("derivative", false);
            state.derivatives.put(key, cached.clone());
        }
        CacheOutcome::Bypass => {}
    }

    let mut response = (StatusCode::OK, Body::from(cached.body.clone())).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(cached.format.media_type()));
    h.insert(header::LINK, header_value(&link));
    h.insert(header::ETAG, header_value(&tag));
    h.insert(header::CACHE_CONTROL, header_value(&state.cache_control));
    response.extensions_mut().insert(outcome);
    Ok(labelled(response, "image"))
}

/// Plans, reads exactly the ranges the plan needs, and renders on the blocking pool (bounded by the render
/// slots, so CPU-bound work never starves the async runtime).
async fn render_image(
    state: &AppState,
    entry: &Arc<crate::source::SourceEntry>,
    resolved: &tessella_core::iiif::ResolvedRequest,
    tag: &str,
) -> Result<Arc<CachedImage>, ApiError> {
    let plan = tessella_core::plan(&entry.geometry, resolved)?;
    // Refuse before fetching a byte when the core's own estimate is over budget.
    let max_pixels = state.render_options.budget.max_pixels;
    if plan.estimate.decoded_pixels > max_pixels {
        return Err(ApiError::OverBudget { pixels: plan.estimate.decoded_pixels, max_pixels });
    }
    let ranges = render::ranges(&entry.geometry, &plan, entry.size);
    let bytes = state.sources.read(entry, &ranges).await?;
    let permit =
        state.render_slots.clone().acquire_owned().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let entry = entry.clone();
    let resolved = resolved.clone();
    let options = state.render_options.clone();
    let rendered = tokio::task::spawn_blocking(move || {
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

async fn health(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let deep = uri.query().is_some_and(|q| q.split('&').any(|p| p == "deep=true"));
    if !deep {
        return labelled("ok\n".into_response(), "health");
    }
    let response = match state.sources.list_root().await {
        Ok(names) => format!("ok\nsource root:\n{}\n", names.join("\n")).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("source unreachable: {e}\n")).into_response(),
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

fn labelled(mut response: Response, route: &'static str) -> Response {
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
