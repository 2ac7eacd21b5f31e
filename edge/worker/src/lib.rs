//! Tessella's edge as a Cloudflare Worker: the platform-neutral flow of `tessella-edge` over the
//! Workers runtime's I/O, and nothing else. `worker::Fetch` is the HTTP client; sources are read from an
//! R2 bucket (binding `SOURCE_BUCKET`) when one is bound, else through the origin's byte-range endpoint
//! (`SOURCE_SECRET`); the edge cache is the Workers Cache API (`caches.default`).
//!
//! Settings are the Worker's `vars` and secrets, read by name through [`EdgeConfig::from_vars`]
//! (`ORIGIN_URL`, `PUBLIC_BASE`, `SOURCE_SECRET`, the limits), plus `SOURCE_KEY_SUFFIX`: what is
//! appended to an identifier to make its R2 object key (e.g. `.tif`). Built with `worker-build`
//! (`edge/worker/build.sh`); `wrangler.toml` at the repository root.

use tessella_core::source::ByteRange;
use tessella_edge::{
    CacheStore, Edge, EdgeConfig, EdgeRequest, EdgeResponse, FetchError, HttpClient, OriginRangeSource,
    OutRequest, RangeRead, RangeSource, SourceReadError,
};
use worker::{
    Bucket, Cache, Context, Env, Fetch, Headers, Method, Range, Request, RequestInit, RequestRedirect,
    Response, console_error, console_log, console_warn, event,
};

/// The R2 binding sources are read from, when bound.
const BUCKET_BINDING: &str = "SOURCE_BUCKET";
/// Appended to an identifier to make its object key in the bucket.
const KEY_SUFFIX_VAR: &str = "SOURCE_KEY_SUFFIX";
/// The Cache API keys requests by URL: each edge cache key becomes a path under this host, which is
/// never fetched.
const CACHE_URL_BASE: &str = "https://tessella-edge.cache/";

/// Outbound `GET` through the runtime's `fetch`. Redirects are answered, not followed: the edge passes
/// the origin's answer on as it is.
struct WorkerHttp;

impl HttpClient for WorkerHttp {
    async fn get(&self, request: OutRequest) -> Result<EdgeResponse, FetchError> {
        let fail = |e: worker::Error| FetchError { url: request.url.clone(), reason: e.to_string() };
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(fail)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Get).with_headers(headers).with_redirect(RequestRedirect::Manual);
        let outgoing = Request::new_with_init(&request.url, &init).map_err(fail)?;
        let mut response = Fetch::Request(outgoing).send().await.map_err(fail)?;
        read_response(&mut response).await.map_err(fail)
    }
}

/// Sources as objects of an R2 bucket: `{identifier}{suffix}`, read with ranged `get`s. The version is
/// the object's HTTP etag (quoted, as R2's S3 API sends it, which is what an origin reading the same
/// bucket through `object_store` takes as its version), so a replaced object gets new ETags.
struct R2Source {
    bucket: Bucket,
    suffix: String,
}

impl RangeSource for R2Source {
    async fn read(&self, identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError> {
        if range.is_empty() {
            return Err(SourceReadError::Failed("an empty range".into()));
        }
        let failed = |e: worker::Error| SourceReadError::Failed(format!("R2: {e}"));
        let key = format!("{identifier}{}", self.suffix);
        let object = self
            .bucket
            .get(key)
            .range(Range::OffsetWithLength { offset: range.start, length: range.len() })
            .execute()
            .await
            .map_err(failed)?
            .ok_or_else(|| SourceReadError::NotFound(identifier.to_string()))?;
        let body =
            object.body().ok_or_else(|| SourceReadError::Failed("R2: an object without a body".into()))?;
        let data = body.bytes().await.map_err(failed)?;
        Ok(RangeRead { data, total: object.size(), version: object.http_etag() })
    }
}

/// Where this Worker reads sources from: one type for the flow, either platform source.
enum WorkerSource<'a> {
    Bucket(R2Source),
    Origin(OriginRangeSource<'a, WorkerHttp>),
}

impl RangeSource for WorkerSource<'_> {
    async fn read(&self, identifier: &str, range: ByteRange) -> Result<RangeRead, SourceReadError> {
        match self {
            WorkerSource::Bucket(bucket) => bucket.read(identifier, range).await,
            WorkerSource::Origin(origin) => origin.read(identifier, range).await,
        }
    }
}

/// The Workers Cache API (`caches.default`) as the edge cache. Entries expire by their own
/// `Cache-Control` (the flow sets it on every entry it stores).
struct WorkerCache(Cache);

impl CacheStore for WorkerCache {
    async fn get(&self, key: &str) -> Option<EdgeResponse> {
        let mut response = match self.0.get(cache_url(key), false).await {
            Ok(Some(response)) => response,
            Ok(None) => return None,
            Err(e) => {
                console_warn!("tessella-edge: cache get failed: {e}");
                return None;
            }
        };
        // A cached Response's headers are immutable: copy them out, less the ones the cache adds.
        let mut entry = match read_response(&mut response).await {
            Ok(entry) => entry,
            Err(e) => {
                console_warn!("tessella-edge: cache read failed: {e}");
                return None;
            }
        };
        for name in ["content-length", "cf-cache-status", "age"] {
            entry.remove_header(name);
        }
        Some(entry)
    }

    async fn put(&self, key: &str, response: &EdgeResponse) {
        let stored = match into_response(response.clone()) {
            Ok(stored) => stored,
            Err(e) => {
                console_warn!("tessella-edge: cache entry not built: {e}");
                return;
            }
        };
        if let Err(e) = self.0.put(cache_url(key), stored).await {
            console_warn!("tessella-edge: cache put failed: {e}");
        }
    }
}

/// A synthetic URL for a cache key: every byte outside the unreserved set and `/` percent-encoded, so
/// `#`, `?` and `%` in keys stay part of the path.
fn cache_url(key: &str) -> String {
    let mut url = String::with_capacity(CACHE_URL_BASE.len() + key.len() * 3);
    url.push_str(CACHE_URL_BASE);
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

async fn read_response(response: &mut Response) -> worker::Result<EdgeResponse> {
    let status = response.status_code();
    let headers = response.headers().entries().collect();
    let body = response.bytes().await?;
    Ok(EdgeResponse { status, headers, body })
}

fn into_response(r: EdgeResponse) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in &r.headers {
        headers.append(name, value)?;
    }
    let builder = Response::builder().with_status(r.status).with_headers(headers);
    // 204 and 304 may not carry a body, not even an empty one.
    Ok(if r.body.is_empty() { builder.empty() } else { builder.fixed(r.body) })
}

fn edge_request(request: &Request) -> worker::Result<EdgeRequest> {
    Ok(EdgeRequest {
        method: request.method().to_string(),
        // The raw path: an identifier's %2F stays encoded.
        path: request.path(),
        query: request.url()?.query().map(str::to_string),
        headers: request.headers().entries().collect(),
    })
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string())
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let config = match EdgeConfig::from_vars(|name| var(&env, name)) {
        Ok(config) => config,
        Err(e) => {
            console_error!("tessella-edge: configuration: {e}");
            return into_response(tessella_edge::config_error(&e));
        }
    };
    let http = WorkerHttp;
    let source = match env.bucket(BUCKET_BINDING) {
        Ok(bucket) => Some(WorkerSource::Bucket(R2Source {
            bucket,
            suffix: var(&env, KEY_SUFFIX_VAR).unwrap_or_default(),
        })),
        Err(_) => config.source_secret.as_deref().map(|secret| {
            WorkerSource::Origin(OriginRangeSource { client: &http, origin_url: &config.origin_url, secret })
        }),
    };
    let cache = WorkerCache(Cache::default());
    let incoming = edge_request(&request)?;
    let response =
        Edge { config: &config, http: &http, source: source.as_ref(), cache: &cache }.handle(&incoming).await;
    console_log!("{}", tessella_edge::access_line(&incoming, &response));
    into_response(response)
}
