//! Tessella's edge as a Spin component: the platform-neutral flow of `tessella-edge`, with
//! `spin_sdk::http` as its HTTP client and nothing else of Spin's, so the component also runs on any
//! wasi:http host with WASIp3 (`wasmtime serve -Scli -Sp3 -W component-model-async=y`; `edge/host` hosts it
//! in-process under wasmtime for the tests). spin-sdk 7 exports the WASIp3 `wasi:http/handler`.
//!
//! Configuration comes from environment variables (`environment` in `spin.toml`, `--env` for wasmtime):
//! `ORIGIN_URL`, `SOURCE_SECRET`, `PUBLIC_BASE` and the limits `tessella-edge` documents. Sources are
//! read through the origin's byte-range endpoint. The edge cache is Spin's key-value store with the `kv`
//! feature, and none without (each request runs in a fresh instance, so memory holds nothing).

use spin_sdk::http::body::IncomingBodyExt as _;
use spin_sdk::http::{EmptyBody, FullBody, IntoResponse, Request, Response};
use spin_sdk::http_service;
use tessella_edge::{
    Edge, EdgeConfig, EdgeRequest, EdgeResponse, FetchError, HttpClient, OriginRangeSource, OutRequest,
};

/// Outbound HTTP through `spin_sdk::http::send` (wasi:http).
struct SpinHttp;

impl HttpClient for SpinHttp {
    async fn get(&self, request: OutRequest) -> Result<EdgeResponse, FetchError> {
        let fail = |reason: String| FetchError { url: request.url.clone(), reason };
        let mut builder = spin_sdk::http::Request::<()>::builder().method("GET").uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let outgoing = builder.body(EmptyBody::new()).map_err(|e| fail(e.to_string()))?;
        let response: Response = spin_sdk::http::send(outgoing).await.map_err(|e| fail(e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
            .collect();
        let body = response.into_body().bytes().await.map_err(|e| fail(e.to_string()))?;
        Ok(EdgeResponse { status, headers, body: body.to_vec() })
    }
}

#[cfg(feature = "kv")]
mod kv {
    use tessella_edge::{CacheStore, EdgeResponse};

    /// Spin's default key-value store as the edge cache: status, headers and body in one value.
    pub struct KvCache(pub spin_sdk::key_value::Store);

    impl CacheStore for KvCache {
        async fn get(&self, key: &str) -> Option<EdgeResponse> {
            let value = self.0.get(key).await.ok()??;
            decode(&value)
        }

        async fn put(&self, key: &str, response: &EdgeResponse) {
            if let Err(e) = self.0.set(key, encode(response)).await {
                eprintln!("tessella-edge: key-value put failed: {e}");
            }
        }
    }

    fn encode(r: &EdgeResponse) -> Vec<u8> {
        let mut head = format!("{}\n", r.status);
        for (k, v) in &r.headers {
            head.push_str(&format!("{k}: {v}\n"));
        }
        head.push('\n');
        let mut out = head.into_bytes();
        out.extend_from_slice(&r.body);
        out
    }

    fn decode(value: &[u8]) -> Option<EdgeResponse> {
        let split = value.windows(2).position(|w| w == b"\n\n")?;
        let head = std::str::from_utf8(value.get(..split)?).ok()?;
        let mut lines = head.lines();
        let status = lines.next()?.parse().ok()?;
        let headers =
            lines.filter_map(|l| l.split_once(": ").map(|(k, v)| (k.to_string(), v.to_string()))).collect();
        Some(EdgeResponse { status, headers, body: value.get(split + 2..)?.to_vec() })
    }
}

fn edge_request(request: &Request) -> EdgeRequest {
    EdgeRequest {
        method: request.method().as_str().to_string(),
        // The raw path: an identifier's %2F stays encoded.
        path: request.uri().path().to_string(),
        query: request.uri().query().map(str::to_string),
        headers: request
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
            .collect(),
    }
}

fn into_response(r: EdgeResponse) -> impl IntoResponse {
    let mut builder = spin_sdk::http::Response::<()>::builder().status(r.status);
    for (name, value) in &r.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(FullBody::new(bytes::Bytes::from(r.body)))
}

#[http_service]
async fn handle(request: Request) -> impl IntoResponse {
    let config = match EdgeConfig::from_vars(|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("tessella-edge: configuration: {e}");
            return into_response(tessella_edge::config_error(&e));
        }
    };
    let http = SpinHttp;
    let source = config.source_secret.as_deref().map(|secret| OriginRangeSource {
        client: &http,
        origin_url: &config.origin_url,
        secret,
    });
    let incoming = edge_request(&request);
    #[cfg(feature = "kv")]
    let store = spin_sdk::key_value::Store::open_default().await.ok().map(kv::KvCache);
    #[cfg(feature = "kv")]
    let response = match &store {
        Some(cache) => {
            Edge { config: &config, http: &http, source: source.as_ref(), cache }.handle(&incoming).await
        }
        None => {
            Edge { config: &config, http: &http, source: source.as_ref(), cache: &tessella_edge::NoCache }
                .handle(&incoming)
                .await
        }
    };
    #[cfg(not(feature = "kv"))]
    let response =
        Edge { config: &config, http: &http, source: source.as_ref(), cache: &tessella_edge::NoCache }
            .handle(&incoming)
            .await;
    eprintln!("{}", tessella_edge::access_line(&incoming, &response));
    into_response(response)
}
