//! Tessella's native origin: the IIIF Image API server (`tessella serve`).
//!
//! An adapter around the core: it does the I/O (object store reads), HTTP, caching and configuration,
//! and calls `tessella-core` for everything about IIIF and pixels. [`router`] builds the axum app for a
//! configuration; [`serve`] runs it on a listener until SIGTERM or ctrl-c.

pub mod cache;
pub mod config;
pub mod delivery;
pub mod manifests;
pub mod metrics;
pub mod responses;
pub mod routes;
pub mod source;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tessella_core::iiif::info::Capabilities;
use tessella_core::iiif::{Limits, Version};
use tessella_core::pixels::encode::{EncodeOptions, supported_formats};
use tessella_core::render::RenderOptions;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::cache::DerivativeCache;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::source::{SourceFailure, Sources};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the image source: {0}")]
    Source(#[from] SourceFailure),
    #[error("cannot set up metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cannot open the manifest store: {0}")]
    Manifests(#[from] crate::manifests::ManifestError),
}

/// Everything a request handler shares.
pub struct AppState {
    pub public_base: String,
    pub sources: Sources,
    pub derivatives: DerivativeCache,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    pub capabilities: Capabilities,
    pub render_options: RenderOptions,
    pub render_slots: Arc<Semaphore>,
    pub cache_control: String,
    /// Manifests and collections, and who may write them.
    pub delivery: crate::delivery::Delivery,
}

impl AppState {
    pub fn new(config: &Config) -> Result<AppState, StartError> {
        let metrics = Arc::new(Metrics::new()?);
        let limits = config.limits.to_limits();
        let capabilities =
            Capabilities { limits, formats: supported_formats().to_vec(), ..Capabilities::default() };
        let render_options = RenderOptions {
            budget: config.budget.to_budget(),
            encode: EncodeOptions { jpeg_quality: config.jpeg_quality, ..EncodeOptions::default() },
            ..RenderOptions::default()
        };
        Ok(AppState {
            public_base: config.public_base(),
            sources: Sources::from_config(config, metrics.clone())?,
            derivatives: DerivativeCache::new(config.cache.derivative_bytes),
            metrics,
            limits,
            capabilities,
            render_options,
            render_slots: Arc::new(Semaphore::new(config.render_threads())),
            cache_control: format!("public, max-age={}", config.cache_control_max_age),
            delivery: crate::delivery::Delivery {
                store: crate::manifests::ManifestStore::from_config(&config.manifests)?,
                admin_token: config.admin.token.clone().filter(|t| !t.is_empty()),
            },
        })
    }

    /// `{public base}/iiif/{version}`: info.json ids and canonical links live under it.
    pub fn service_base(&self, version: Version) -> String {
        format!("{}/iiif/{}", self.public_base, version.path_segment())
    }
}

/// The axum app for a configuration.
pub fn router(config: &Config) -> Result<Router, StartError> {
    Ok(routes::router(Arc::new(AppState::new(config)?)))
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
