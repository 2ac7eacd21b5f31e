//! Tessella's native origin: the IIIF Image API server (`tessella serve`), which also stores and serves
//! IIIF Presentation manifests.
//!
//! An adapter around the core: it does the I/O (object store reads), HTTP, caching and configuration,
//! and calls `tessella-core` for everything about IIIF and pixels. [`router`] builds the axum app for a
//! configuration; [`serve`] runs it on a listener until SIGTERM or ctrl-c.

pub mod admin;
pub mod cache;
pub mod config;
pub mod convert;
pub mod convert_api;
pub mod delivery;
pub mod edge_source;
pub mod manifests;
pub mod metrics;
pub mod responses;
pub mod routes;
pub mod source;
pub mod store;
pub mod workers;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tessella_core::iiif::info::Capabilities;
use tessella_core::iiif::{Limits, Version};
use tessella_core::pixels::decode::jp2::Jp2Decoder;
use tessella_core::pixels::encode::{EncodeOptions, supported_formats};
use tessella_core::render::{self, RenderOptions};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::cache::{DerivativeCache, InfoCache};
use crate::config::{Config, ConfigError, Jp2DecoderKind};
use crate::manifests::ManifestStore;
use crate::metrics::Metrics;
use crate::source::Sources;
use crate::store::{StoreError, open_store};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("cannot open the image source: {0}")]
    Source(StoreError),
    #[error("cannot open the cache store: {0}")]
    CacheStore(StoreError),
    #[error("cannot set up metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open the manifest store: {0}")]
    ManifestStore(StoreError),
}

/// Everything a request handler shares.
pub struct AppState {
    pub public_base: String,
    pub sources: Sources,
    pub derivatives: DerivativeCache,
    pub infos: InfoCache,
    /// The admin API's bearer token; `None` turns the admin API off.
    pub admin_token: Option<String>,
    /// The edge's byte-range source endpoint (`crate::edge_source`); off without a secret.
    pub edge_source: crate::config::EdgeSourceConfig,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    pub capabilities: Capabilities,
    pub render_options: RenderOptions,
    /// The same with one OpenJPEG thread per decode: used while other renders are running, when every
    /// core is busy already and a decode's helper threads only add hand-offs.
    pub render_options_busy: RenderOptions,
    pub render_slots: Arc<Semaphore>,
    /// The number of render slots (`render_slots`' permits when none is taken).
    pub render_slot_count: usize,
    /// Source bytes read for renders not yet finished, in MiB units, up to the decode budget's bytes:
    /// requests queued for a render slot cannot each hold a whole source (a JP2 or a stripped TIFF is
    /// read whole) and grow memory without bound under load.
    pub source_mib: Arc<Semaphore>,
    pub source_mib_capacity: u32,
    /// Source bytes one request may read (`budget.max_source_bytes`).
    pub max_source_bytes: u64,
    pub cache_control: String,
    /// The conversion API, when `[convert] destination` and the admin token are set.
    pub convert: Option<convert_api::ConvertService>,
    /// Manifests and collections (`works/{ARK}.json`, `collections/{ARK}.json`).
    pub manifests: ManifestStore,
}

impl AppState {
    pub fn new(config: &Config) -> Result<AppState, StartError> {
        let metrics = Arc::new(Metrics::new()?);
        let limits = config.limits.to_limits();
        let capabilities =
            Capabilities { limits, formats: supported_formats().to_vec(), ..Capabilities::default() };
        let jp2_decoder = |threads| -> Option<Arc<dyn Jp2Decoder>> {
            match config.jp2.decoder {
                Jp2DecoderKind::Openjpeg => Some(Arc::new(tessella_openjpeg::OpenJpeg::new(threads))),
                // The core's default.
                Jp2DecoderKind::Hayro => None,
            }
        };
        let decode_threads = config.decode_threads();
        let render_options = RenderOptions {
            budget: config.budget.to_budget(),
            encode: EncodeOptions { jpeg_quality: config.jpeg_quality, ..EncodeOptions::default() },
            passthrough: config.passthrough,
            jp2_decoder: jp2_decoder(config.jp2.threads),
            workers: (decode_threads > 1)
                .then(|| Arc::new(workers::ScopedThreads::new(decode_threads)) as Arc<dyn render::Workers>),
        };
        tracing::debug!(decoder = render_options.jp2_decoder_name(), "JPEG 2000 decoder");
        let render_options_busy =
            RenderOptions { jp2_decoder: jp2_decoder(1), workers: None, ..render_options.clone() };
        let source = open_store(config.source.location()?).map_err(StartError::Source)?;
        let cache_store = match config.cache.store.location()? {
            Some(location) => Some(open_store(location).map_err(StartError::CacheStore)?.store),
            None => None,
        };
        let manifests = ManifestStore::new(
            open_store(config.manifests.location()?).map_err(StartError::ManifestStore)?.store,
        );
        Ok(AppState {
            public_base: config.public_base(),
            sources: Sources::new(source, &config.cache, metrics.clone()),
            derivatives: DerivativeCache::new(config.cache.derivative_bytes, cache_store, metrics.clone()),
            infos: InfoCache::new(config.cache.info_entries),
            admin_token: config.admin.token.clone(),
            edge_source: config.edge_source.clone(),
            metrics,
            limits,
            capabilities,
            render_options,
            render_options_busy,
            render_slots: Arc::new(Semaphore::new(config.render_slots())),
            render_slot_count: config.render_slots(),
            source_mib: Arc::new(Semaphore::new(source_mib_capacity(config) as usize)),
            source_mib_capacity: source_mib_capacity(config),
            max_source_bytes: config.budget.max_source_bytes,
            cache_control: format!("public, max-age={}", config.cache_control_max_age),
            convert: convert_service(config)?,
            manifests,
        })
    }

    /// `{public base}/iiif/{version}`: info.json ids and canonical links live under it.
    pub fn service_base(&self, version: Version) -> String {
        format!("{}/iiif/{}", self.public_base, version.path_segment())
    }
}

/// The budget's bytes in MiB, at least 1.
fn source_mib_capacity(config: &Config) -> u32 {
    u32::try_from(config.budget.to_budget().max_bytes >> 20).unwrap_or(u32::MAX).max(1)
}

/// The conversion API's service, when configured.
fn convert_service(config: &Config) -> Result<Option<convert_api::ConvertService>, StartError> {
    let c = &config.convert;
    let (Some(destination), Some(_)) = (&c.destination, &config.admin.token) else { return Ok(None) };
    let invalid = |e: String| StartError::Config(ConfigError::Invalid(format!("[convert] {e}")));
    let format = c.format.parse().map_err(invalid)?;
    let settings = convert::Settings {
        source: convert::location::open(&c.source, false).map_err(|e| invalid(e.to_string()))?.store,
        destination: convert::location::open(destination, true).map_err(|e| invalid(e.to_string()))?.store,
        recipe: convert::Recipe {
            format,
            tile_size: c.tile,
            jpeg_quality: c.quality.clamp(1, 100),
            lossless: c.lossless,
            rate: c.rate,
            qstep: c.qstep,
            early_termination: c.early_termination,
            threads: 1,
            render: RenderOptions { budget: config.budget.to_budget(), ..RenderOptions::default() },
        },
        key_template: c.key.clone(),
        jobs: if c.jobs > 0 { c.jobs } else { config.render_threads() },
        max_source_bytes: c.max_source_bytes,
        failures_only: false,
        force: false,
        iiif_base: config.public_base(),
        print_progress: false,
        on_row: None,
    };
    Ok(Some(convert_api::ConvertService::new(settings, c.jobs_dir.clone())))
}

/// The axum app for a configuration. Starts the conversion jobs' runner when the API is configured, so
/// it needs a tokio runtime.
pub fn router(config: &Config) -> Result<Router, StartError> {
    config.validate()?;
    let state = Arc::new(AppState::new(config)?);
    if let Some(service) = &state.convert {
        service
            .start(Arc::downgrade(&state))
            .map_err(|e| StartError::Config(ConfigError::Invalid(format!("[convert] jobs_dir: {e}"))))?;
    }
    Ok(routes::router(state))
}

/// Serves on `listener` until SIGTERM or ctrl-c, letting requests in flight finish. Without a configured
/// public base, URLs are built from the listener's real address (so port 0 works).
pub async fn serve(listener: TcpListener, mut config: Config) -> Result<(), StartError> {
    let addr = listener.local_addr()?;
    if config.public_base.is_none() {
        config.public_base = Some(format!("http://{addr}"));
    }
    let app = router(&config)?;
    tracing::info!(%addr, public_base = %config.public_base(), "serving the IIIF Image API");
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// The sample images shipped with the repository: `./samples` when run from the repository root,
/// otherwise the folder beside this crate.
pub fn default_samples_dir() -> PathBuf {
    let local = PathBuf::from("samples");
    if local.is_dir() { local } else { PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples")) }
}
