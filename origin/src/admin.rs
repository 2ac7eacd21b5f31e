//! The admin API: purging the caches. It exists only when `admin.token` is configured (otherwise its
//! routes are 404), and every request must carry `Authorization: Bearer {token}` (otherwise 401).
//!
//! | route | purges |
//! |---|---|
//! | `DELETE /admin/cache/images/{identifier}` | one image: its derivatives (memory and store), info.json and probed geometry |
//! | `DELETE /admin/cache/infos` | every info.json and probed geometry (sources are looked at again) |
//! | `DELETE /admin/cache` | everything: every derivative in memory and in the store, infos, geometry |
//!
//! All answer 204, with the number of store objects deleted in `Tessella-Purged-Objects`.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::delete;
use subtle::ConstantTimeEq as _;
use tessella_core::iiif::decode_identifier;

use crate::AppState;
use crate::responses::{ApiError, header_value};
use crate::routes::labelled;

const IMAGES: &str = "/admin/cache/images/";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/cache", delete(purge_all))
        .route("/admin/cache/infos", delete(purge_infos))
        .route("/admin/cache/images/{*identifier}", delete(purge_identifier))
}

/// Whether the request carries the configured token. The comparison takes the same time wherever the
/// first differing byte is, so response times do not reveal the token byte by byte.
pub fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    state.admin_token.as_deref().is_some_and(|token| bearer_matches(token, headers))
}

/// Whether `headers` carry `Authorization: Bearer {secret}`, compared in constant time.
pub fn bearer_matches(secret: &str, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    bool::from(given.as_bytes().ct_eq(secret.as_bytes()))
}

pub fn unauthorized() -> Response {
    let mut response =
        (StatusCode::UNAUTHORIZED, "this needs Authorization: Bearer <admin.token>\n").into_response();
    response.headers_mut().insert(header::WWW_AUTHENTICATE, header_value("Bearer realm=\"tessella admin\""));
    labelled(response, "admin")
}

fn purged(objects: usize) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert("tessella-purged-objects", header_value(&objects.to_string()));
    labelled(response, "admin")
}

fn failed(e: object_store::Error) -> Response {
    labelled(ApiError::Internal(format!("cache store purge failed: {e}")).into_response(), "admin")
}

async fn purge_identifier(State(state): State<Arc<AppState>>, uri: Uri, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    // The raw path, as for the Image API: `%2F` belongs to the identifier, a bare `/` is refused.
    let raw = uri.path().strip_prefix(IMAGES).unwrap_or_default();
    if raw.contains('/') {
        let reason = "an identifier's slashes are sent as %2F";
        return labelled((StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response(), "admin");
    }
    let identifier = match decode_identifier(raw) {
        Ok(identifier) => identifier,
        Err(e) => return labelled(ApiError::from(e).into_response(), "admin"),
    };
    match purge_identifier_caches(&state, &identifier).await {
        Ok(objects) => {
            tracing::info!(identifier, objects, "purged one identifier");
            purged(objects)
        }
        Err(e) => failed(e),
    }
}

/// Forgets everything cached about one image: info.json, geometry, derivatives in memory and in the
/// store, under every spelling of its identifier (with and without an image extension: `rocket` and
/// `rocket.jpg` name one source but are cached apart). Returns the number of store objects deleted.
pub async fn purge_identifier_caches(
    state: &AppState,
    identifier: &str,
) -> Result<usize, object_store::Error> {
    let spellings = crate::source::spellings(identifier);
    for spelling in &spellings {
        state.infos.purge_identifier(spelling);
        state.sources.forget(spelling).await;
    }
    state.derivatives.purge_identifiers(&spellings).await
}

async fn purge_infos(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    state.infos.purge_all();
    state.sources.forget_all();
    tracing::info!("purged every info.json and geometry");
    purged(0)
}

async fn purge_all(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return unauthorized();
    }
    state.infos.purge_all();
    state.sources.forget_all();
    match state.derivatives.purge_all().await {
        Ok(objects) => {
            tracing::info!(objects, "purged every cache");
            purged(objects)
        }
        Err(e) => failed(e),
    }
}
