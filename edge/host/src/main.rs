//! `tessella-edge-host`: the Spin component under wasmtime, by hand and for `scripts/bench-edge.sh`.
//!
//! ```text
//! tessella-edge-host [--wasm FILE] --origin http://127.0.0.1:PORT [--secret S] [--env NAME=VALUE]...
//!                    [--repeat N] COMMAND ARGS...
//!   get PATH...        one request each into a fresh instance: status, Tessella-Edge, peak wasm memory
//!   time PATH...       the median of N requests each, in wasm (a fresh instance per request, as a
//!                      wasi:http host runs it) and natively (the same flow and the same HTTP I/O), and
//!                      their ratio
//!   largest ID         the largest square region at full resolution the edge renders itself, by
//!                      bisection on its side, and its peak wasm memory
//!   serve [ADDR]       an HTTP/1.1 server on ADDR (default 127.0.0.1:3000) passing each request to a
//!                      fresh instance, like `wasmtime serve` (for a viewer or curl by hand)
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tessella_edge_host::{Call, EdgeHost, Guest, HostError, HostOptions, NativeEdge};

const USAGE: &str = "usage: tessella-edge-host [--wasm FILE] --origin URL [--secret S] [--env NAME=VALUE]... \
                     [--repeat N] [--on-demand | --keep-resident BYTES] \
                     (get PATH... | time PATH... | largest IDENTIFIER | serve [ADDR])";

struct Args {
    wasm: PathBuf,
    origin: String,
    env: Vec<(String, String)>,
    repeat: usize,
    host: HostOptions,
    command: String,
    rest: Vec<String>,
}

fn parse() -> Result<Args, String> {
    let mut wasm = PathBuf::from("edge/target/wasm32-wasip2/release/tessella_edge_spin.wasm");
    let mut origin = None;
    let mut env = Vec::new();
    let mut repeat = 5;
    let mut host = HostOptions::default();
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--wasm" => wasm = PathBuf::from(value("--wasm")?),
            "--origin" => origin = Some(value("--origin")?),
            "--secret" => env.push(("SOURCE_SECRET".to_string(), value("--secret")?)),
            "--env" => {
                let pair = value("--env")?;
                let (k, v) = pair.split_once('=').ok_or_else(|| format!("--env {pair}: not NAME=VALUE"))?;
                env.push((k.to_string(), v.to_string()));
            }
            "--repeat" => {
                repeat = value("--repeat")?.parse().map_err(|_| "--repeat needs a number".to_string())?;
            }
            "--on-demand" => host.pooling = false,
            "--keep-resident" => {
                host.keep_resident = value("--keep-resident")?
                    .parse()
                    .map_err(|_| "--keep-resident needs a number".to_string())?;
            }
            _ => positional.push(arg),
        }
    }
    if !host.pooling && host.keep_resident > 0 {
        return Err("--keep-resident applies to pooled instances, not with --on-demand".into());
    }
    let origin = origin.ok_or("--origin is required")?;
    env.push(("ORIGIN_URL".to_string(), origin.clone()));
    let mut positional = positional.into_iter();
    let command = positional.next().ok_or("no command")?;
    Ok(Args { wasm, origin, env, repeat: repeat.max(1), host, command, rest: positional.collect() })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

async fn run(args: Args) -> Result<(), HostError> {
    let authority = args.origin.trim_start_matches("http://").trim_end_matches('/').to_string();
    let host = EdgeHost::with_options(&args.wasm, args.host)?;
    let guest = Guest { env: args.env.clone(), allowed_origin: authority, memory_cap: None };
    match args.command.as_str() {
        "get" => {
            for path in &args.rest {
                let r = host.handle(&guest, &Call::get(path)).await?;
                println!(
                    "{path}: {} {} — {} body bytes, peak wasm memory {:.1} MB, {} outbound, {:.1} ms",
                    r.status,
                    r.header("tessella-edge").unwrap_or("-"),
                    r.body.len(),
                    mb(r.peak_memory),
                    r.outbound.len(),
                    ms(r.elapsed)
                );
            }
        }
        "time" => {
            let native = NativeEdge::new(&args.env)?;
            for path in &args.rest {
                let call = Call::get(path);
                // One of each first: connections, page faults and the origin's own caches warm.
                let first = host.handle(&guest, &call).await?;
                let _ = native.handle(&call).await;
                let mut wasm = Vec::new();
                let mut peak = first.peak_memory;
                for _ in 0..args.repeat {
                    let r = host.handle(&guest, &call).await?;
                    peak = peak.max(r.peak_memory);
                    wasm.push(r.elapsed);
                }
                let mut nat = Vec::new();
                let mut outcome = String::new();
                for _ in 0..args.repeat {
                    let start = std::time::Instant::now();
                    let r = native.handle(&call).await;
                    nat.push(start.elapsed());
                    outcome = r.header("tessella-edge").unwrap_or("-").to_string();
                }
                let (w, n) = (median(wasm), median(nat));
                println!(
                    "{path}: wasm {:.1} ms, native {:.1} ms, wasm/native {:.2}× (median of {}; wasm {} / native {}; \
                     peak wasm memory {:.1} MB)",
                    ms(w),
                    ms(n),
                    w.as_secs_f64() / n.as_secs_f64().max(1e-9),
                    args.repeat,
                    first.header("tessella-edge").unwrap_or("-"),
                    outcome,
                    mb(peak)
                );
            }
        }
        "largest" => {
            let id =
                args.rest.first().ok_or_else(|| HostError::Request("largest needs an identifier".into()))?;
            let path = |side: u32| format!("/iiif/3/{id}/0,0,{side},{side}/max/0/default.jpg");
            let (mut lo, mut hi) = (256u32, 8192u32);
            let mut best = None;
            while hi - lo > 64 {
                let side = (lo + hi) / 2;
                let r = host.handle(&guest, &Call::get(path(side))).await?;
                let how = r.header("tessella-edge").unwrap_or("-").to_string();
                println!("  {side}²: {} {how}, peak wasm memory {:.1} MB", r.status, mb(r.peak_memory));
                if r.status == 200 && how == "rendered" {
                    lo = side;
                    best = Some((side, r.peak_memory, ms(r.elapsed)));
                } else {
                    hi = side;
                }
            }
            match best {
                Some((side, peak, t)) => println!(
                    "largest rendered at the edge: {} ({side}×{side} px at full resolution): peak wasm memory {:.1} MB, {t:.0} ms",
                    path(side),
                    mb(peak)
                ),
                None => println!("the edge rendered none of the sizes tried"),
            }
        }
        "serve" => serve(host, guest, args.rest.first().map_or("127.0.0.1:3000", String::as_str)).await?,
        other => return Err(HostError::Request(format!("unknown command {other}; {USAGE}"))),
    }
    Ok(())
}

/// Each request goes to a fresh instance, as under `wasmtime serve`.
async fn serve(host: EdgeHost, guest: Guest, addr: &str) -> Result<(), HostError> {
    use bytes::Bytes;
    use http_body_util::Full;

    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| HostError::Request(format!("{addr}: {e}")))?;
    println!("the Spin component on http://{addr}/ (outbound to {} only)", guest.allowed_origin);
    let shared = Arc::new((host, guest));
    loop {
        let (stream, _) = listener.accept().await.map_err(|e| HostError::Request(format!("accept: {e}")))?;
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                let shared = Arc::clone(&shared);
                async move {
                    let call = Call {
                        method: request.method().clone(),
                        path: request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string(),
                        headers: request
                            .headers()
                            .iter()
                            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.to_string(), v.to_string())))
                            .collect(),
                    };
                    let (host, guest) = &*shared;
                    match host.handle(guest, &call).await {
                        Ok(reply) => {
                            let mut builder = http::Response::builder().status(reply.status);
                            for (name, value) in &reply.headers {
                                if name != "content-length" && name != "transfer-encoding" {
                                    builder = builder.header(name.as_str(), value.as_str());
                                }
                            }
                            builder.body(Full::new(Bytes::from(reply.body)))
                        }
                        Err(e) => {
                            eprintln!("tessella-edge-host: {} {}: {e}", call.method, call.path);
                            http::Response::builder().status(500).body(Full::new(Bytes::from(e.to_string())))
                        }
                    }
                }
            });
            let io = wasmtime_wasi_http::io::TokioIo::new(stream);
            if let Err(e) = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await {
                eprintln!("tessella-edge-host: connection: {e}");
            }
        });
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessella-edge-host: {e}");
            ExitCode::FAILURE
        }
    }
}
