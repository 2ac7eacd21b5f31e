//! `tessella convert BATCH.csv`: the conversion pipeline from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use tessella_core::render::RenderOptions;
use tessella_origin::config::Config;
use tessella_origin::convert::{self, Batch, DerivativeFormat, Recipe, Settings, location};

#[derive(clap::Args)]
pub struct Args {
    /// The batch: a CSV with Bucketeer's columns (`Item ARK`, `File Name`, `Object Type`, `viewingHint`...),
    /// or the result CSV of an earlier run.
    csv: PathBuf,
    /// Where `File Name`s are resolved: a folder or `s3://bucket/prefix`.
    #[arg(long, default_value = ".")]
    source: String,
    /// Where derivatives are written: a folder or `s3://bucket/prefix` (the image server's source).
    #[arg(long)]
    dest: String,
    /// Derivative format: `ptiff` (pyramidal TIFF with JPEG tiles), `jp2` (JPEG 2000 with UCLA's
    /// Kakadu recipe, keys `{ark}.jpx`) or `htj2k` (High-Throughput JPEG 2000 by OpenJPH, keys
    /// `{ark}.jhc`; builds with the `htj2k` feature).
    #[arg(long, default_value = "ptiff")]
    format: DerivativeFormat,
    /// Tile edge in pixels.
    #[arg(long, default_value_t = 512)]
    tile: u32,
    /// JPEG quality of pyramid tiles.
    #[arg(long, default_value_t = 90)]
    quality: u8,
    /// JPEG 2000: reversible 5-3 wavelet, exact pixels.
    #[arg(long)]
    lossless: bool,
    /// JPEG 2000, lossy: compression ratio (8 = Kakadu's `-rate 3` on 24-bit RGB).
    #[arg(long, default_value_t = 8.0)]
    rate: f32,
    /// HTJ2K, lossy: quantisation step (smaller is better and larger; 0.012 is about 8:1).
    #[arg(long, default_value_t = 0.012)]
    qstep: f32,
    /// JPEG 2000, lossy: code every bit-plane pass of every code-block, as opj_compress does, instead of
    /// stopping where rate allocation will cut (slower, PSNR within 0.005 dB).
    #[arg(long)]
    no_early_termination: bool,
    /// Object key of a derivative: `{ark}` and `{ext}` are replaced.
    #[arg(long, default_value = "{ark}.{ext}")]
    key: String,
    /// The result CSV (default: BATCH-result.csv beside the input).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Base URL of the image server, for the `IIIF Access URL` column (default: the config's public base).
    #[arg(long)]
    iiif_base: Option<String>,
    /// Images converted at once (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Sources larger than this many bytes are reported as failed, not read.
    #[arg(long, default_value_t = 2 << 30)]
    max_source_bytes: u64,
    /// Only rows that an earlier run's result CSV marks failed or missing.
    #[arg(long)]
    failures_only: bool,
    /// Convert even where the destination already has the derivative.
    #[arg(long)]
    force: bool,
    /// After the batch, purge the converted identifiers from this origin's caches
    /// (`DELETE {URL}/admin/cache/images/{ARK}`), with the admin token from the configuration
    /// (`TESSELLA_ADMIN__TOKEN`). Needed when derivatives are replaced (`--force`, `--failures-only`).
    #[arg(long, value_name = "URL")]
    purge: Option<String>,
    /// TOML configuration (for the budget, public base); TESSELLA_* variables override it.
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: &Args) -> ExitCode {
    match convert(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tessella convert: {e}");
            ExitCode::FAILURE
        }
    }
}

fn convert(args: &Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let config = Config::load(args.config.as_deref())?;
    let data = std::fs::read(&args.csv).map_err(|e| format!("{}: {e}", args.csv.display()))?;
    let mut batch = Batch::parse(&data)?;
    let token = match (&args.purge, &config.admin.token) {
        (Some(_), None) => {
            return Err("--purge needs the origin's admin token in TESSELLA_ADMIN__TOKEN".into());
        }
        (_, token) => token.clone(),
    };
    let destination = location::open(&args.dest, true)?;
    if let Some(folder) = &destination.folder {
        let removed = location::remove_interrupted_writes(folder);
        if removed > 0 {
            eprintln!(
                "removed {removed} unfinished write(s) an interrupted run left in {}",
                folder.display()
            );
        }
    }
    let jobs = args.jobs.unwrap_or_else(|| config.render_threads()).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let settings = Settings {
        source: location::open(&args.source, false)?.store,
        destination: destination.store,
        recipe: Recipe {
            format: args.format,
            tile_size: args.tile,
            jpeg_quality: args.quality.clamp(1, 100),
            lossless: args.lossless,
            rate: args.rate,
            qstep: args.qstep,
            early_termination: !args.no_early_termination && config.convert.early_termination,
            // Cores left over when there are fewer images at once than cores.
            threads: u32::try_from(cores.div_ceil(jobs)).unwrap_or(1),
            render: RenderOptions { budget: config.budget.to_budget(), ..RenderOptions::default() },
        },
        key_template: args.key.clone(),
        jobs,
        max_source_bytes: args.max_source_bytes,
        failures_only: args.failures_only,
        force: args.force,
        iiif_base: args.iiif_base.clone().unwrap_or_else(|| config.public_base()),
        print_progress: true,
        on_row: None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let summary = runtime.block_on(convert::run(&mut batch, &settings));
    let mut purge_failed = false;
    if let (Some(origin), Some(token)) = (&args.purge, &token) {
        let failures = runtime.block_on(convert::purge::purge(origin, token, &summary.converted));
        for (ark, reason) in &failures {
            eprintln!("purging {ark} at {origin}: {reason}");
        }
        purge_failed = !failures.is_empty();
        eprintln!(
            "purged {} of {} converted identifiers at {origin}",
            summary.converted.len() - failures.len(),
            summary.converted.len()
        );
    }
    let output = args.output.clone().unwrap_or_else(|| result_path(&args.csv));
    // Written beside and renamed, so an interrupted run never leaves half a result.
    let tmp = output.with_extension("csv.partial");
    std::fs::write(&tmp, batch.to_csv()?)?;
    std::fs::rename(&tmp, &output)?;
    eprintln!(
        "{} succeeded, {} ingested, {} missing, {} failed, {} passed through; results in {}",
        summary.succeeded,
        summary.ingested,
        summary.missing,
        summary.failed,
        summary.passed_through,
        output.display()
    );
    Ok(if summary.failed + summary.missing > 0 || purge_failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn result_path(input: &std::path::Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(|| "batch".into(), |s| s.to_string_lossy().into_owned());
    let stem = stem.strip_suffix("-result").unwrap_or(&stem).to_string();
    input.with_file_name(format!("{stem}-result.csv"))
}
