//! Presentation API delivery: `/{ARK}/manifest` and `/collections/{ARK}` (GET and HEAD for everyone; PUT
//! and DELETE with `Authorization: Bearer {admin.token}`), and `POST /collections`, which builds a CSV
//! batch (multipart fields `csv-file`, `iiif-host`, `iiif-version`) and answers the CSV with an
//! `IIIF Manifest URL` column.
//!
//! ARKs contain `/`, so these paths are matched on the raw URI path, percent-encoded (`ark:%2F21198%2Fx`)
//! or not (`ark:/21198/x`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Multipart, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use tessella_manifest::{DocumentKind, Presentation};

use crate::AppState;
use crate::admin::{authorized, unauthorized};
use crate::manifests::{BatchOptions, ManifestError, build_batch, image_base_from_host, resolve_base};
use crate::responses::{ApiError, RouteLabel, etag, header_value, not_modified};

/// The largest document PUT and CSV POSTed.
pub const MAX_UPLOAD_BYTES: usize = 64 << 20;

/// `/{ARK}/manifest` or `/collections/{ARK}`, from the raw path.
fn document_path(raw: &str) -> Option<(DocumentKind, String)> {
    let (kind, encoded) = if let Some(rest) = raw.strip_prefix("/collections/") {
        (DocumentKind::Collection, rest)
    } else {
        (DocumentKind::Manifest, raw.strip_prefix('/')?.strip_suffix("/manifest")?)
    };
    let ark = percent_decode_str(encoded).decode_utf8().ok()?.into_owned();
    (!ark.is_empty() && !ark.chars().any(char::is_control)).then_some((kind, ark))
}

/// The router's fallback: manifest and collection paths, else 404.
pub async fn documents(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let Some((kind, ark)) = document_path(request.uri().path()) else {
        return ApiError::NoRoute(request.uri().path().to_string()).into_response();
    };
    let (parts, body) = request.into_parts();
    let response = match parts.method {
        Method::GET | Method::HEAD => get(&state, kind, &ark, &parts.headers).await,
        Method::PUT => match authorized(&state, &parts.headers) {
            false => Ok(unauthorized()),
            true => match axum::body::to_bytes(body, MAX_UPLOAD_BYTES).await {
                Ok(bytes) => put(&state, kind, &ark, bytes).await,
                Err(e) => Ok(text(StatusCode::PAYLOAD_TOO_LARGE, &format!("cannot read the body: {e}"))),
            },
        },
        Method::DELETE => match authorized(&state, &parts.headers) {
            false => Ok(unauthorized()),
            true => delete(&state, kind, &ark).await,
        },
        _ => Ok(text(StatusCode::METHOD_NOT_ALLOWED, "use GET, PUT or DELETE")),
    };
    let mut response = response.unwrap_or_else(error_response);
    response.extensions_mut().insert(RouteLabel("manifest"));
    response
}

fn text(status: StatusCode, message: &str) -> Response {
    let mut response = (status, format!("{message}\n")).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, header_value("text/plain; charset=utf-8"));
    response
}

fn error_response(e: ManifestError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        tracing::error!(error = %e, "manifest request failed");
    }
    text(status, &e.to_string())
}

fn media_type(document: &str) -> String {
    if document.contains(Presentation::V2.context()) {
        Presentation::V2.media_type()
    } else {
        Presentation::V3.media_type()
    }
}

async fn get(
    state: &AppState,
    kind: DocumentKind,
    ark: &str,
    headers: &HeaderMap,
) -> Result<Response, ManifestError> {
    let Some(stored) = state.manifests.get(kind, ark).await? else {
        return Ok(text(StatusCode::NOT_FOUND, &format!("no document for {ark}")));
    };
    let document = String::from_utf8_lossy(&stored.body);
    let served = resolve_base(&document, &state.public_base);
    let tag = etag(&served, &stored.version);
    if not_modified(headers, &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, header_value(&tag));
        return Ok(response);
    }
    let content_type = media_type(&served);
    let mut response = (StatusCode::OK, served).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value(&content_type));
    h.insert(header::ETAG, header_value(&tag));
    h.insert(header::CACHE_CONTROL, header_value("public, max-age=300"));
    Ok(response)
}

async fn put(
    state: &AppState,
    kind: DocumentKind,
    ark: &str,
    body: Bytes,
) -> Result<Response, ManifestError> {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return Ok(text(StatusCode::BAD_REQUEST, "the body is not JSON"));
    };
    if !json.is_object() {
        return Ok(text(StatusCode::BAD_REQUEST, "the body is not a JSON object"));
    }
    // A document PUT with the public host is stored with the placeholder, like a generated one.
    let stored =
        String::from_utf8_lossy(&body).replace(&state.public_base, tessella_manifest::PLACEHOLDER_BASE);
    let existed = state.manifests.get(kind, ark).await?.is_some();
    state.manifests.put(kind, ark, Bytes::from(stored)).await?;
    let status = if existed { StatusCode::NO_CONTENT } else { StatusCode::CREATED };
    let mut response = status.into_response();
    response.headers_mut().insert(header::LOCATION, header_value(&kind.url(&state.public_base, ark)));
    Ok(response)
}

async fn delete(state: &AppState, kind: DocumentKind, ark: &str) -> Result<Response, ManifestError> {
    Ok(if state.manifests.delete(kind, ark).await? {
        StatusCode::NO_CONTENT.into_response()
    } else {
        text(StatusCode::NOT_FOUND, &format!("no document for {ark}"))
    })
}

/// `POST /collections`: a CSV batch in the multipart field `csv-file`; optional `iiif-host` (image
/// services elsewhere) and `iiif-version` (`3`, the default, or `2`). Answers the CSV with the URLs.
pub async fn post_batch(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let mut response = if authorized(&state, &headers) {
        batch(&state, multipart).await.unwrap_or_else(|r| *r)
    } else {
        unauthorized()
    };
    response.extensions_mut().insert(RouteLabel("batch"));
    response
}

async fn batch(state: &AppState, mut multipart: Multipart) -> Result<Response, Box<Response>> {
    let bad = |m: String| Box::new(text(StatusCode::BAD_REQUEST, &m));
    // Malformed bodies are 400, bodies over MAX_UPLOAD_BYTES 413: the status the error carries.
    let unreadable = |e: axum::extract::multipart::MultipartError, what: &str| {
        Box::new(text(e.status(), &format!("{what}: {}", e.body_text())))
    };
    let mut csv = None;
    let mut options = BatchOptions { public_base: state.public_base.clone(), ..BatchOptions::default() };
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(e, "bad multipart body"))? {
        let name = field.name().unwrap_or_default().to_string();
        let value = field.bytes().await.map_err(|e| unreadable(e, &format!("cannot read field {name}")))?;
        let as_text = || String::from_utf8_lossy(&value).trim().to_string();
        match name.as_str() {
            "csv-file" => csv = Some(value.clone()),
            "iiif-host" => {
                let host = as_text().trim_end_matches('/').to_string();
                // Our own host stays the placeholder, so moving hosts needs no regeneration.
                if !host.is_empty() && host != state.public_base {
                    options.image_base = Some(host);
                }
            }
            "iiif-version" | "version" => {
                options.version = Presentation::parse(&as_text())
                    .ok_or_else(|| bad(format!("unknown IIIF version {:?} (3 or 2)", as_text())))?;
            }
            _ => {}
        }
    }
    let csv = csv.ok_or_else(|| bad("no csv-file field".to_string()))?;
    options.image_base = options.image_base.map(|host| image_base_from_host(&host, options.version));
    let report = build_batch(csv, &options, &state.sources, &state.manifests)
        .await
        .map_err(|e| Box::new(error_response(e)))?;
    let mut response = (StatusCode::CREATED, report.result_csv).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, header_value("text/csv; charset=utf-8"));
    h.insert("x-manifests-built", header_value(&report.manifests.to_string()));
    h.insert("x-collections-built", header_value(&report.collections.to_string()));
    h.insert("x-rows-left-out", header_value(&report.problems.len().to_string()));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_paths_match_arks_encoded_or_not() {
        let ark = "ark:/21198/zz0009gsq9".to_string();
        assert_eq!(
            document_path("/ark:/21198/zz0009gsq9/manifest"),
            Some((DocumentKind::Manifest, ark.clone()))
        );
        assert_eq!(
            document_path("/ark:%2F21198%2Fzz0009gsq9/manifest"),
            Some((DocumentKind::Manifest, ark.clone()))
        );
        assert_eq!(
            document_path("/ark%3A%2F21198%2Fzz0009gsq9/manifest"),
            Some((DocumentKind::Manifest, ark.clone()))
        );
        assert_eq!(
            document_path("/collections/ark:/21198/zz0009gsq9"),
            Some((DocumentKind::Collection, ark.clone()))
        );
        assert_eq!(
            document_path("/collections/ark:%2F21198%2Fzz0009gsq9"),
            Some((DocumentKind::Collection, ark))
        );
        assert_eq!(document_path("/manifest"), None);
        assert_eq!(document_path("/collections/"), None);
        assert_eq!(document_path("/nothing/here"), None);
    }
}
