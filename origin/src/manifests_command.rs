//! `tessella manifests BATCH.csv`: a CSV batch → manifests and collections in the manifest store (a
//! folder, or S3 per the config), offline, plus the CSV with an `IIIF Manifest URL` column. Image sizes
//! the CSV lacks are probed from the image source, as the server would.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use tessella_manifest::Presentation;
use tessella_origin::config::{Config, SourceKind};
use tessella_origin::manifests::{BatchOptions, ManifestStore, build_batch};
use tessella_origin::metrics::Metrics;
use tessella_origin::source::Sources;
use tessella_origin::store::open_store;

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
    /// Image services on another host, e.g. https://iiif.example.edu/iiif/2 (Fester's iiif-host).
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

pub fn run(args: &Args) -> ExitCode {
    match run_batch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tessella manifests: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_batch(args: &Args) -> Result<ExitCode, String> {
    let mut config = Config::load(args.config.as_deref()).map_err(|e| e.to_string())?;
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
    let version = Presentation::parse(&args.version)
        .ok_or_else(|| format!("unknown --iiif-version {:?} (3 or 2)", args.version))?;
    let csv = std::fs::read(&args.csv).map_err(|e| format!("{}: {e}", args.csv.display()))?;
    let result_path = args.result.clone().unwrap_or_else(|| {
        let stem = args.csv.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        args.csv.with_file_name(format!("{stem}-manifests.csv"))
    });
    let options = BatchOptions {
        version,
        public_base: config.public_base(),
        image_base: args.iiif_host.as_ref().map(|h| h.trim_end_matches('/').to_string()),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let started = std::time::Instant::now();
    let report = runtime.block_on(async {
        let metrics = Arc::new(Metrics::new().map_err(|e| e.to_string())?);
        let source = open_store(config.source.location().map_err(|e| e.to_string())?)
            .map_err(|e| format!("image source: {e}"))?;
        let sources = Sources::new(source, &config.cache, metrics);
        let store = open_store(config.manifests.location().map_err(|e| e.to_string())?)
            .map_err(|e| format!("manifest store: {e}"))?;
        let store = ManifestStore::new(store.store);
        build_batch(csv.into(), &options, &sources, &store).await.map_err(|e| e.to_string())
    })?;
    std::fs::write(&result_path, &report.result_csv)
        .map_err(|e| format!("{}: {e}", result_path.display()))?;
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
