//! The conversion API: batches and single images converted by the server, like Bucketeer's. It exists
//! when `[convert] destination` and `admin.token` are set, and every route needs the admin token.
//!
//! | route | does |
//! |---|---|
//! | `POST /admin/jobs`, `POST /batch/input/csv` | queue a CSV batch (multipart field `file` or `csv-file`, or a `text/csv` body): 202 and the job |
//! | `GET /admin/jobs` | every job, oldest first |
//! | `GET /admin/jobs/{id}` | a job's status and counts |
//! | `GET /admin/jobs/{id}/result.csv` | the result CSV of a finished job (409 before) |
//! | `DELETE /admin/jobs/{id}` | forget a job that is not running (its derivatives stay) |
//! | `POST /admin/convert` | convert one image now: JSON `{"ark", "file", "force"}` |
//!
//! Converted identifiers are purged from this server's caches as soon as their derivative is written.

use std::sync::{Arc, OnceLock, Weak};

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use object_store::path::Path as ObjectPath;
use serde::Deserialize;
use tessella_core::iiif::encode_identifier;

use crate::AppState;
use crate::admin::{authorized, purge_identifier_caches, unauthorized};
use crate::convert::batch::task;
use crate::convert::jobs::{JobError, Jobs, OnConverted, valid_id};
use crate::convert::{Settings, State as RowState, Task, convert_object};
use crate::responses::header_value;
use crate::routes::labelled;

/// A CSV of 100,000 rows is a few tens of MB.
const MAX_CSV_BYTES: usize = 64 << 20;

/// The conversion side of the server state: settings from `[convert]`, jobs started with the server.
pub struct ConvertService {
    pub settings: Settings,
    pub jobs_dir: std::path::PathBuf,
    jobs: OnceLock<Arc<Jobs>>,
}

impl ConvertService {
    pub fn new(settings: Settings, jobs_dir: std::path::PathBuf) -> ConvertService {
        ConvertService { settings, jobs_dir, jobs: OnceLock::new() }
    }

    /// Opens the job folder and starts the runner; converted identifiers are purged from `state`'s
    /// caches. Needs a tokio runtime.
    pub fn start(&self, state: Weak<AppState>) -> Result<(), JobError> {
        let on_converted: OnConverted = Arc::new(move |arks: Vec<String>| {
            let state = state.clone();
            Box::pin(async move {
                let Some(state) = state.upgrade() else { return };
                for ark in arks {
                    if let Err(e) = purge_identifier_caches(&state, &ark).await {
                        tracing::warn!(ark, "cannot purge the caches of a reconverted image: {e}");
                    }
                }
            })
        });
        let jobs = Jobs::start(&self.jobs_dir, self.settings.clone(), Some(on_converted))?;
        let _ = self.jobs.set(jobs);
        Ok(())
    }

    fn jobs(&self) -> Result<&Arc<Jobs>, Box<Response>> {
        self.jobs
            .get()
            .ok_or_else(|| Box::new(error(StatusCode::SERVICE_UNAVAILABLE, "the job runner has not started")))
    }
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin/jobs", post(submit).get(list))
        .route("/batch/input/csv", post(submit))
        .route("/admin/jobs/{id}", get(status).delete(delete))
        .route("/admin/jobs/{id}/result.csv", get(result))
        .route("/admin/convert", post(convert_one))
        .layer(DefaultBodyLimit::max(MAX_CSV_BYTES))
}

fn error(status: StatusCode, reason: impl std::fmt::Display) -> Response {
    let body = serde_json::json!({ "error": reason.to_string() });
    labelled((status, axum::Json(body)).into_response(), "admin")
}

fn job_error(e: &JobError) -> Response {
    let status = match e {
        JobError::Batch(_) => StatusCode::BAD_REQUEST,
        JobError::NotFound(_) => StatusCode::NOT_FOUND,
        JobError::Running(_) | JobError::NotFinished(_) => StatusCode::CONFLICT,
        JobError::Io(_) | JobError::Json(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error(status, e)
}

/// The service and the job runner, once the token is checked.
fn guard<'a>(state: &'a AppState, headers: &HeaderMap) -> Result<&'a ConvertService, Box<Response>> {
    if !authorized(state, headers) {
        return Err(Box::new(unauthorized()));
    }
    state
        .convert
        .as_ref()
        .ok_or_else(|| Box::new(error(StatusCode::NOT_FOUND, "conversion is not configured")))
}

/// The CSV of a submission: the first file part of a multipart form (`file` or `csv-file`, as
/// Bucketeer's form names it), or the whole body.
async fn read_csv(request: Request) -> Result<(String, Vec<u8>), Response> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = axum::body::to_bytes(request.into_body(), MAX_CSV_BYTES)
            .await
            .map_err(|e| error(StatusCode::PAYLOAD_TOO_LARGE, format!("cannot read the body: {e}")))?;
        return Ok(("batch.csv".to_string(), body.to_vec()));
    }
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("bad multipart form: {e}")))?;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| error(StatusCode::BAD_REQUEST, format!("bad multipart form: {e}")))?
    {
        if matches!(field.name(), Some("file" | "csv-file")) || field.file_name().is_some() {
            let name = field.file_name().unwrap_or("batch.csv").to_string();
            let data = field
                .bytes()
                .await
                .map_err(|e| error(StatusCode::BAD_REQUEST, format!("bad multipart form: {e}")))?;
            return Ok((name, data.to_vec()));
        }
    }
    Err(error(StatusCode::BAD_REQUEST, "the form has no CSV file (field `file` or `csv-file`)"))
}

async fn submit(State(state): State<Arc<AppState>>, headers: HeaderMap, request: Request) -> Response {
    let service = match guard(&state, &headers) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let jobs = match service.jobs() {
        Ok(j) => j,
        Err(r) => return *r,
    };
    let (name, csv) = match read_csv(request).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match jobs.submit(&name, &csv) {
        Ok(info) => {
            tracing::info!(job = info.id, name, rows = info.total, "job queued");
            let mut response = (StatusCode::ACCEPTED, axum::Json(&info)).into_response();
            response
                .headers_mut()
                .insert(header::LOCATION, header_value(&format!("/admin/jobs/{}", info.id)));
            labelled(response, "admin")
        }
        Err(e) => job_error(&e),
    }
}

async fn list(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match guard(&state, &headers).and_then(ConvertService::jobs) {
        Ok(jobs) => labelled(axum::Json(jobs.list()).into_response(), "admin"),
        Err(r) => *r,
    }
}

async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let jobs = match guard(&state, &headers).and_then(ConvertService::jobs) {
        Ok(j) => j,
        Err(r) => return *r,
    };
    if !valid_id(&id) {
        return job_error(&JobError::NotFound(id));
    }
    match jobs.get(&id) {
        Ok(info) => labelled(axum::Json(info).into_response(), "admin"),
        Err(e) => job_error(&e),
    }
}

async fn result(State(state): State<Arc<AppState>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let jobs = match guard(&state, &headers).and_then(ConvertService::jobs) {
        Ok(j) => j,
        Err(r) => return *r,
    };
    if !valid_id(&id) {
        return job_error(&JobError::NotFound(id));
    }
    match jobs.result(&id) {
        Ok(csv) => {
            let mut response = csv.into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, header_value("text/csv; charset=utf-8"));
            labelled(response, "admin")
        }
        Err(e) => job_error(&e),
    }
}

async fn delete(State(state): State<Arc<AppState>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let jobs = match guard(&state, &headers).and_then(ConvertService::jobs) {
        Ok(j) => j,
        Err(r) => return *r,
    };
    if !valid_id(&id) {
        return job_error(&JobError::NotFound(id));
    }
    match jobs.delete(&id) {
        Ok(()) => labelled(StatusCode::NO_CONTENT.into_response(), "admin"),
        Err(e) => job_error(&e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneImage {
    ark: String,
    file: String,
    #[serde(default)]
    force: bool,
}

async fn convert_one(State(state): State<Arc<AppState>>, headers: HeaderMap, request: Request) -> Response {
    let service = match guard(&state, &headers) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let axum::Json(one) = match axum::Json::<OneImage>::from_request(request, &()).await {
        Ok(j) => j,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("expected JSON {{\"ark\", \"file\", \"force\"}}: {e}"),
            );
        }
    };
    let settings = &service.settings;
    // The same checks as a batch row.
    let (ark, file) = match task(&one.ark, &one.file, "", "") {
        Task::Convert { ark, file } => (ark, file),
        Task::Invalid(reason) => return error(StatusCode::BAD_REQUEST, reason),
        Task::PassThrough => return error(StatusCode::BAD_REQUEST, "nothing to convert"),
    };
    let key = match settings.key(&ark) {
        Ok(k) => k,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let Ok(source_key) = ObjectPath::parse(&file) else {
        return error(StatusCode::BAD_REQUEST, format!("{file:?} is not a valid path"));
    };
    let outcome = convert_object(&settings.job(&source_key, &key, one.force)).await;
    if outcome.state == RowState::Succeeded
        && let Err(e) = purge_identifier_caches(&state, &ark).await
    {
        tracing::warn!(ark, "cannot purge the caches of a reconverted image: {e}");
    }
    let status = match outcome.state {
        RowState::Succeeded => StatusCode::CREATED,
        RowState::Ingested => StatusCode::OK,
        RowState::Missing => StatusCode::NOT_FOUND,
        RowState::Failed => StatusCode::UNPROCESSABLE_ENTITY,
    };
    tracing::info!(ark, state = outcome.state.as_str(), "single conversion");
    let access_url = matches!(outcome.state, RowState::Succeeded | RowState::Ingested)
        .then(|| format!("{}/iiif/3/{}", settings.iiif_base.trim_end_matches('/'), encode_identifier(&ark)));
    let body = serde_json::json!({
        "ark": ark,
        "state": outcome.state.as_str(),
        "reason": outcome.reason,
        "key": key.as_ref(),
        "access_url": access_url,
    });
    labelled((status, axum::Json(body)).into_response(), "admin")
}
