//! `tessella manifests BATCH.csv`: a CSV batch → manifests and collections in the manifest store (a
//! folder, or S3 per the config), offline, plus the CSV with an `IIIF Manifest URL` column. Image sizes
//! the CSV lacks are probed from the image source, as the server would.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use tessella_manifest::Presentation;
use tessella_origin::config::{Config, ConfigError, SourceKind};
use tessella_origin::manifests::{
    BatchOptions, ManifestError, ManifestStore, build_batch, image_base_from_host,
};
use tessella_origin::metrics::Metrics;
use tessella_origin::source::Sources;
use tessella_origin::store::{StoreError, open_store};

#[derive(clap::Args)]
pub struct Args {
    /// The CSV batch (Fester/Bucketeer columns: Item ARK, Parent ARK, Object Type, Title, Item Sequence...).
    pub csv: PathBuf,
    /// Write documents under this folder (overrides `manifests` in the config).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Read image sizes from this folder (overrides `source` in the config).
    #[arg(long)]
    pub images: Option<PathBuf>,
    /// Public base URL of the server the documents will be served from (overrides `public_base`); it goes
    /// into the result CSV. The stored documents keep a placeholder host that the server replaces.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Image services on another host (Fester's iiif-host): https://iiif.example.edu gets /iiif/3 or
    /// /iiif/2 for the version; a URL with an /iiif/ path is used as it is.
    #[arg(long)]
    pub iiif_host: Option<String>,
    /// Presentation API version: 3 or 2 (2.1).
    #[arg(long = "iiif-version", default_value = "3")]
    pub version: String,
    /// Where to write the CSV with the `IIIF Manifest URL` column (default: BATCH-manifests.csv beside it).
    #[arg(long)]
    pub result: Option<PathBuf>,
    /// TOML configuration file (the `source` and `manifests` stores, `public_base`).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
enum CommandError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("unknown --iiif-version {0:?} (3 or 2)")]
    Version(String),
    #[error("{path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("cannot start the runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot set up metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("image source: {0}")]
    Source(StoreError),
    #[error("manifest store: {0}")]
    Store(StoreError),
    #[error("{0}")]
    Batch(#[from] ManifestError),
}

pub fn run(args: &Args) -> ExitCode {
    match run_batch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tessella manifests: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_batch(args: &Args) -> Result<ExitCode, CommandError> {
    let mut config = Config::load(args.config.as_deref())?;
    if let Some(out) = &args.out {
        config.manifests.kind = SourceKind::Local;
        config.manifests.path = out.clone();
    }
    if let Some(images) = &args.images {
        config.source.kind = SourceKind::Local;
        config.source.path = images.clone();
    }
    if let Some(base) = &args.base_url {
        config.public_base = Some(base.clone());
    }
    let version =
        Presentation::parse(&args.version).ok_or_else(|| CommandError::Version(args.version.clone()))?;
    let csv =
        std::fs::read(&args.csv).map_err(|source| CommandError::File { path: args.csv.clone(), source })?;
    let result_path = args.result.clone().unwrap_or_else(|| {
        let stem = args.csv.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        args.csv.with_file_name(format!("{stem}-manifests.csv"))
    });
    let options = BatchOptions {
        version,
        public_base: config.public_base(),
        image_base: args.iiif_host.as_deref().map(|h| image_base_from_host(h, version)),
    };

    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CommandError::Runtime)?;
    let started = std::time::Instant::now();
    let report = runtime.block_on(async {
        let metrics = Arc::new(Metrics::new()?);
        let source = open_store(config.source.location()?).map_err(CommandError::Source)?;
        let sources = Sources::new(source, &config.cache, metrics);
        let store = open_store(config.manifests.location()?).map_err(CommandError::Store)?;
        let store = ManifestStore::new(store.store);
        Ok::<_, CommandError>(build_batch(csv.into(), &options, &sources, &store).await?)
    })?;
    std::fs::write(&result_path, &report.result_csv)
        .map_err(|source| CommandError::File { path: result_path.clone(), source })?;
    for problem in &report.problems {
        eprintln!("left out: {problem}");
    }
    eprintln!(
        "{} manifests and {} collections written in {:.2}s; {} rows left out; result CSV: {}",
        report.manifests,
        report.collections,
        started.elapsed().as_secs_f64(),
        report.problems.len(),
        result_path.display()
    );
    Ok(if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
