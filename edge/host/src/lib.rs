//! # tessella-edge-host
//!
//! Runs the built Spin component (`tessella_edge_spin.wasm`, spin-sdk 7, which exports the WASIp3
//! `wasi:http/handler`) in-process under wasmtime, the way a wasi:http host does: one fresh instance per
//! request, its settings as environment variables, outbound HTTP allowed to one loopback origin only.
//! Instances come from wasmtime's pooling allocator, as `wasmtime serve` and Spin run components
//! ([`HostOptions`]).
//! Each instance's linear memory is metered by a [`ResourceLimiter`], so a test or the benchmark can say
//! how much memory a request really took inside the sandbox.
//!
//! [`NativeEdge`] runs the same flow (`tessella-edge`) natively with the same I/O (plain HTTP to the
//! origin's source endpoint), for the wasm/native comparison in `scripts/bench-edge.sh`.

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use tokio::net::TcpStream;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ResourceLimiter, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p3::Request as WasiRequest;
use wasmtime_wasi_http::p3::bindings::ServicePre;
use wasmtime_wasi_http::{
    Error as HttpError, RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

/// What can go wrong hosting the component (not the component's own answers: those are [`Reply`]s).
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("reading {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("wasmtime: {0}")]
    Wasmtime(String),
    #[error("the component's handler returned an error code: {0}")]
    Handler(String),
    #[error("bad request for the component: {0}")]
    Request(String),
    #[error("origin: {0}")]
    Origin(String),
}

fn wasmtime_error(e: wasmtime::Error) -> HostError {
    HostError::Wasmtime(format!("{e:?}"))
}

/// One request into the component.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: http::Method,
    /// The raw path and query, e.g. `/iiif/3/ark:%2F21198%2Fzz0001/info.json`.
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Call {
        Call { method: http::Method::GET, path: path.into(), headers: Vec::new() }
    }
}

/// The component's answer, with what hosting it took.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The peak of the instance's linear memories (their sum), in bytes: linear memory never shrinks, so
    /// this is what the request needed inside the sandbox, the component's code and data included.
    pub peak_memory: usize,
    /// Every outbound request the component made (URIs, in order), allowed or not.
    pub outbound: Vec<String>,
    /// What the component wrote to stderr (its one log line per request).
    pub stderr: String,
    /// From instantiation to the last byte of the response body.
    pub elapsed: Duration,
}

impl Reply {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Records the peak of an instance's linear memories and refuses growth past an optional cap.
#[derive(Debug, Default)]
pub struct MemoryMeter {
    current: usize,
    peak: usize,
    cap: Option<usize>,
}

impl MemoryMeter {
    pub fn new(cap: Option<usize>) -> MemoryMeter {
        MemoryMeter { current: 0, peak: 0, cap }
    }

    pub fn peak(&self) -> usize {
        self.peak
    }
}

impl ResourceLimiter for MemoryMeter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // Called for each memory's creation (current = 0) and every growth: the sum over memories.
        let total = self.current.saturating_sub(current).saturating_add(desired);
        if self.cap.is_some_and(|cap| total > cap) {
            return Ok(false);
        }
        self.current = total;
        self.peak = self.peak.max(total);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

type IoFuture = Box<dyn Future<Output = Result<(), HttpError>> + Send>;

/// Outbound HTTP: plain `http://` to one authority (the loopback origin); anything else is denied.
struct LoopbackOnly {
    allowed: String,
    outbound: Vec<String>,
}

impl WasiHttpHooks for LoopbackOnly {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        _options: Option<RequestOptions>,
        _fut: IoFuture,
    ) -> Box<dyn Future<Output = Result<(http::Response<WasiBody>, IoFuture), HttpError>> + Send> {
        let uri = request.uri();
        self.outbound.push(uri.to_string());
        let allowed = uri.scheme() == Some(&http::uri::Scheme::HTTP)
            && uri.authority().is_some_and(|a| a.as_str() == self.allowed);
        Box::new(async move {
            if !allowed {
                return Err(HttpError::HttpRequestDenied);
            }
            send_plain(request).await
        })
    }
}

/// One HTTP/1.1 request on a new connection (the component's requests go to loopback only).
async fn send_plain<B>(
    mut request: http::Request<B>,
) -> Result<(http::Response<WasiBody>, IoFuture), HttpError>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let authority = request.uri().authority().ok_or(HttpError::HttpRequestUriInvalid)?.to_string();
    let stream = TcpStream::connect(&authority).await.map_err(HttpError::Connect)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    // On the wire the request line carries the path only.
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    *request.uri_mut() = http::Uri::try_from(path).map_err(|_| HttpError::HttpRequestUriInvalid)?;
    if !request.headers().contains_key(http::header::HOST) {
        let host = http::HeaderValue::try_from(authority).map_err(|_| HttpError::HttpRequestUriInvalid)?;
        request.headers_mut().insert(http::header::HOST, host);
    }
    let conn = tokio::spawn(conn);
    let response = sender.send_request(request).await?;
    let io: IoFuture = Box::new(async move {
        match conn.await {
            Ok(result) => result.map_err(HttpError::from),
            Err(e) => Err(HttpError::InternalError(Some(e.to_string()))),
        }
    });
    Ok((response.map(|body| body.map_err(HttpError::from).boxed_unsync()), io))
}

struct HostState {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: LoopbackOnly,
    meter: MemoryMeter,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.hooks }
    }
}

/// How instances are allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostOptions {
    /// Instances, memories and stacks from a pool reserved up front and reused, as `wasmtime serve` and
    /// Spin do; `false`: wasmtime's on-demand allocator (a fresh mapping per instance).
    pub pooling: bool,
    /// With pooling: bytes of each linear memory kept mapped when its slot is freed (zeroed with `memset`
    /// rather than returned to the kernel), so the next instance does not fault those pages in again.
    pub keep_resident: usize,
}

impl Default for HostOptions {
    fn default() -> Self {
        HostOptions { pooling: true, keep_resident: 0 }
    }
}

/// At most this many instances live at once (each request has its own): the pool's reservation is
/// sized from it, about 4 GiB of address space per memory. With pooling, a request beyond it waits for
/// a slot, as `wasmtime serve` queues, instead of failing to instantiate.
pub const POOL_INSTANCES: u32 = 64;

/// The compiled component, linked once, instantiated per request.
pub struct EdgeHost {
    pre: ServicePre<HostState>,
    /// With pooling, one permit per pool slot.
    slots: Option<tokio::sync::Semaphore>,
}

/// What one instance is given.
#[derive(Debug, Clone, Default)]
pub struct Guest {
    /// The component's environment (`ORIGIN_URL`, `SOURCE_SECRET`, …).
    pub env: Vec<(String, String)>,
    /// The one authority outbound requests may go to, e.g. `127.0.0.1:8080`.
    pub allowed_origin: String,
    /// Refuse linear memory growth past this many bytes (none: unlimited, only metered).
    pub memory_cap: Option<usize>,
}

impl EdgeHost {
    /// Compiles the component at `wasm` and links WASI (0.2 for std's CLI imports, 0.3) and
    /// `wasi:http@0.3`.
    pub fn new(wasm: &Path) -> Result<EdgeHost, HostError> {
        EdgeHost::with_options(wasm, HostOptions::default())
    }

    /// [`EdgeHost::new`] with a choice of instance allocator.
    pub fn with_options(wasm: &Path, options: HostOptions) -> Result<EdgeHost, HostError> {
        let bytes = std::fs::read(wasm)
            .map_err(|e| HostError::Read { path: wasm.display().to_string(), reason: e.to_string() })?;
        let mut config = Config::new();
        config.wasm_component_model_async(true);
        if options.pooling {
            let mut pool = PoolingAllocationConfig::default();
            // A component holds several core instances (its own and the WASI adapters').
            pool.total_component_instances(POOL_INSTANCES)
                .total_core_instances(POOL_INSTANCES * 8)
                .total_memories(POOL_INSTANCES * 2)
                .total_tables(POOL_INSTANCES * 8)
                .total_stacks(POOL_INSTANCES)
                .linear_memory_keep_resident(options.keep_resident);
            config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        }
        let engine = Engine::new(&config).map_err(wasmtime_error)?;
        let component = Component::new(&engine, &bytes).map_err(wasmtime_error)?;
        let mut linker = Linker::<HostState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(wasmtime_error)?;
        wasmtime_wasi::p3::add_to_linker(&mut linker).map_err(wasmtime_error)?;
        wasmtime_wasi_http::p3::add_to_linker(&mut linker).map_err(wasmtime_error)?;
        let pre = linker.instantiate_pre(&component).map_err(wasmtime_error)?;
        let pre = ServicePre::new(pre).map_err(wasmtime_error)?;
        let slots = options.pooling.then(|| tokio::sync::Semaphore::new(POOL_INSTANCES as usize));
        Ok(EdgeHost { pre, slots })
    }

    /// Sends `call` into a fresh instance and collects the whole answer.
    pub async fn handle(&self, guest: &Guest, call: &Call) -> Result<Reply, HostError> {
        let start = Instant::now();
        // Declared before the store, so the slot is freed only after the instance is dropped.
        let _slot = match &self.slots {
            Some(slots) => {
                Some(slots.acquire().await.map_err(|e| HostError::Handler(format!("instance slot: {e}")))?)
            }
            None => None,
        };
        let stderr = MemoryOutputPipe::new(64 * 1024);
        let mut wasi = WasiCtx::builder();
        wasi.envs(&guest.env).stderr(stderr.clone());
        let state = HostState {
            table: ResourceTable::new(),
            wasi: wasi.build(),
            http: WasiHttpCtx::new(),
            hooks: LoopbackOnly { allowed: guest.allowed_origin.clone(), outbound: Vec::new() },
            meter: MemoryMeter::new(guest.memory_cap),
        };
        let mut store = Store::new(self.pre.engine(), state);
        store.limiter(|state| &mut state.meter);
        let service = self.pre.instantiate_async(&mut store).await.map_err(wasmtime_error)?;

        let mut builder = http::Request::builder()
            .method(call.method.clone())
            .uri(format!("http://edge.test{}", call.path));
        for (name, value) in &call.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let request = builder.body(Empty::<Bytes>::new()).map_err(|e| HostError::Request(e.to_string()))?;
        let (request, request_io) = WasiRequest::from_http(&mut store.data_mut().hooks, request);
        let answer = store
            .run_concurrent(async |store| -> Result<http::Response<Bytes>, HostError> {
                let response = match service.handle(store, request).await.map_err(wasmtime_error)? {
                    Ok(response) => response,
                    Err(code) => return Err(HostError::Handler(format!("{code:?}"))),
                };
                let response = store
                    .with(|store| response.into_http(store, async { Ok(()) }))
                    .map_err(wasmtime_error)?;
                let (parts, body) = response.into_parts();
                let body =
                    body.collect().await.map_err(|e| HostError::Handler(format!("response body: {e:?}")))?;
                request_io.await.map_err(|e| HostError::Handler(format!("request body: {e:?}")))?;
                Ok(http::Response::from_parts(parts, body.to_bytes()))
            })
            .await
            .map_err(wasmtime_error)??;
        let elapsed = start.elapsed();
        let (parts, body) = answer.into_parts();
        let state = store.into_data();
        Ok(Reply {
            status: parts.status.as_u16(),
            headers: header_pairs(&parts.headers),
            body: body.to_vec(),
            peak_memory: state.meter.peak(),
            outbound: state.hooks.outbound,
            stderr: String::from_utf8_lossy(&stderr.contents()).into_owned(),
            elapsed,
        })
    }
}

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
        .collect()
}

/// A plain HTTP GET (a fresh connection), for tests and the native side of the benchmark.
pub async fn http_get(url: &str, headers: &[(String, String)]) -> Result<Reply, HostError> {
    let start = Instant::now();
    let mut builder = http::Request::builder().method(http::Method::GET).uri(url);
    for (name, value) in headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = builder.body(Empty::<Bytes>::new()).map_err(|e| HostError::Request(e.to_string()))?;
    let (response, io) = send_plain(request).await.map_err(|e| HostError::Origin(format!("{url}: {e}")))?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.map_err(|e| HostError::Origin(format!("{url}: body: {e}")))?.to_bytes();
    Box::into_pin(io).await.map_err(|e| HostError::Origin(format!("{url}: connection: {e}")))?;
    Ok(Reply {
        status: parts.status.as_u16(),
        headers: header_pairs(&parts.headers),
        body: body.to_vec(),
        peak_memory: 0,
        outbound: Vec::new(),
        stderr: String::new(),
        elapsed: start.elapsed(),
    })
}

/// The `tessella-edge` flow natively, with the component's I/O: plain HTTP to the origin and its
/// source endpoint, no cache. What the wasm build is compared with.
pub struct NativeEdge {
    pub config: tessella_edge::EdgeConfig,
}

struct NativeHttp;

impl tessella_edge::HttpClient for NativeHttp {
    async fn get(
        &self,
        request: tessella_edge::OutRequest,
    ) -> Result<tessella_edge::EdgeResponse, tessella_edge::FetchError> {
        let reply = http_get(&request.url, &request.headers)
            .await
            .map_err(|e| tessella_edge::FetchError { url: request.url.clone(), reason: e.to_string() })?;
        Ok(tessella_edge::EdgeResponse { status: reply.status, headers: reply.headers, body: reply.body })
    }
}

impl NativeEdge {
    pub fn new(env: &[(String, String)]) -> Result<NativeEdge, HostError> {
        let config = tessella_edge::EdgeConfig::from_vars(|name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .map_err(|e| HostError::Request(e.to_string()))?;
        Ok(NativeEdge { config })
    }

    pub async fn handle(&self, call: &Call) -> tessella_edge::EdgeResponse {
        let http = NativeHttp;
        let source = self.config.source_secret.as_deref().map(|secret| tessella_edge::OriginRangeSource {
            client: &http,
            origin_url: &self.config.origin_url,
            secret,
        });
        let (path, query) = match call.path.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (call.path.clone(), None),
        };
        let request = tessella_edge::EdgeRequest {
            method: call.method.to_string(),
            path,
            query,
            headers: call.headers.clone(),
        };
        tessella_edge::Edge {
            config: &self.config,
            http: &http,
            source: source.as_ref(),
            cache: &tessella_edge::NoCache,
        }
        .handle(&request)
        .await
    }
}
