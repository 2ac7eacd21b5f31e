//! Prometheus metrics, one registry per server (so servers started side by side in tests do not share
//! counters), served as text at `/metrics`.

use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    cache: IntCounterVec,
    cache_store_errors: IntCounterVec,
    source_reads: IntCounterVec,
    source_bytes: IntCounter,
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("tessella_requests_total", "HTTP requests by route and status"),
            &["route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("tessella_request_duration_seconds", "Request latency by route")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
            &["route"],
        )?;
        let cache = IntCounterVec::new(
            Opts::new(
                "tessella_cache_total",
                "Cache lookups by cache (geometry, info, derivative), tier (memory, store) and result (hit, miss)",
            ),
            &["cache", "tier", "result"],
        )?;
        let cache_store_errors = IntCounterVec::new(
            Opts::new(
                "tessella_cache_store_errors_total",
                "Derivative cache store faults by kind: corrupt (an entry failed validation and was deleted), \
                 read, write, delete",
            ),
            &["kind"],
        )?;
        let source_reads = IntCounterVec::new(
            Opts::new(
                "tessella_source_reads_total",
                "Reads from the source store: head (object size), header (probe), data (render)",
            ),
            &["kind"],
        )?;
        let source_bytes =
            IntCounter::new("tessella_source_bytes_read_total", "Bytes read from the source store")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(cache.clone()))?;
        registry.register(Box::new(cache_store_errors.clone()))?;
        registry.register(Box::new(source_reads.clone()))?;
        registry.register(Box::new(source_bytes.clone()))?;
        Ok(Metrics { registry, requests, latency, cache, cache_store_errors, source_reads, source_bytes })
    }

    pub fn request(&self, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        self.requests.with_label_values(&[route, status.as_str()]).inc();
        self.latency.with_label_values(&[route]).observe(seconds);
    }

    pub fn cache(&self, cache: &str, tier: Tier, hit: bool) {
        self.cache.with_label_values(&[cache, tier.label(), if hit { "hit" } else { "miss" }]).inc();
    }

    /// `kind`: corrupt, read, write or delete.
    pub fn cache_store_error(&self, kind: &str) {
        self.cache_store_errors.with_label_values(&[kind]).inc();
    }

    pub fn source_read(&self, kind: SourceRead, bytes: u64) {
        self.source_reads.with_label_values(&[kind.label()]).inc();
        self.source_bytes.inc_by(bytes);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> Result<String, prometheus::Error> {
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        String::from_utf8(out).map_err(|e| prometheus::Error::Msg(e.to_string()))
    }
}

#[derive(Debug, Clone, Copy)]
pub enum SourceRead {
    Head,
    Header,
    Data,
}

impl SourceRead {
    fn label(self) -> &'static str {
        match self {
            SourceRead::Head => "head",
            SourceRead::Header => "header",
            SourceRead::Data => "data",
        }
    }
}

/// A cache's tier: this process's memory, or the shared object store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Memory,
    Store,
}

impl Tier {
    pub fn label(self) -> &'static str {
        match self {
            Tier::Memory => "memory",
            Tier::Store => "store",
        }
    }
}
