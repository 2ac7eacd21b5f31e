//! Running a batch: every image row converted in parallel (bounded, so memory is too), each derivative
//! written in one atomic put, rows already at the destination skipped, progress reported as rows finish.

use std::io::IsTerminal as _;
use std::sync::{Arc, PoisonError};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::batch::{Batch, Outcome, State, Task};
use super::derivative::{self, Recipe};

/// Called after each row with (rows done, rows to convert, the row's state).
pub type RowHook = Arc<dyn Fn(u64, u64, State) + Send + Sync>;

/// Everything a batch run needs besides the CSV.
#[derive(Clone)]
pub struct Settings {
    pub source: Arc<dyn ObjectStore>,
    pub destination: Arc<dyn ObjectStore>,
    pub recipe: Recipe,
    /// The destination key of an ARK: `{ark}` replaced, e.g. `{ark}.tif`.
    pub key_template: String,
    /// Images converted at once. Each holds its source bytes, the decoded image and the derivative.
    pub jobs: usize,
    /// Sources larger than this are refused rather than read.
    pub max_source_bytes: u64,
    /// Only rows an earlier run left failed or missing (the input must be a result CSV).
    pub failures_only: bool,
    /// Convert even when the destination already holds the derivative.
    pub force: bool,
    /// `{base}/iiif/3/...` in the result's access URLs.
    pub iiif_base: String,
    /// Progress on stderr: a bar on a terminal, otherwise a line per row. Off for jobs run by the server.
    pub print_progress: bool,
    /// Called after each converted row with (rows done, rows to convert, the row's state).
    pub on_row: Option<RowHook>,
}

/// What a run did, row by row and in total.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub succeeded: usize,
    pub ingested: usize,
    pub missing: usize,
    pub failed: usize,
    pub passed_through: usize,
    /// ARKs written by this run (their cached derivatives at the origin are stale).
    pub converted: Vec<String>,
}

impl Settings {
    /// `source_key` to `destination_key` with these settings' stores, recipe and limit.
    pub fn job<'a>(
        &'a self,
        source_key: &'a ObjectPath,
        destination_key: &'a ObjectPath,
        force: bool,
    ) -> Job<'a> {
        Job {
            source: self.source.as_ref(),
            source_key,
            destination: self.destination.as_ref(),
            destination_key,
            recipe: &self.recipe,
            max_source_bytes: self.max_source_bytes,
            force,
        }
    }

    pub fn key(&self, ark: &str) -> Result<ObjectPath, String> {
        let key = self.key_template.replace("{ark}", ark).replace("{ext}", self.recipe.format.extension());
        ObjectPath::parse(&key).map_err(|e| format!("{key:?} is not a valid object key: {e}"))
    }
}

/// Converts the batch, writing each row's outcome into it.
pub async fn run(batch: &mut Batch, settings: &Settings) -> Summary {
    let work: Vec<(usize, String, String)> = batch
        .rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| match &row.task {
            Task::Convert { ark, file } => Some((i, ark.clone(), file.clone())),
            _ => None,
        })
        .filter(|(i, _, _)| {
            !settings.failures_only || matches!(batch.rows[*i].previous, Some(State::Failed | State::Missing))
        })
        .collect();

    let mut summary = Summary::default();
    let mut invalid = Vec::new();
    for (i, row) in batch.rows.iter().enumerate() {
        match &row.task {
            Task::PassThrough => summary.passed_through += 1,
            Task::Invalid(reason) => {
                tracing::warn!(line = row.line, "failed: {reason}");
                invalid.push((i, reason.clone()));
            }
            Task::Convert { .. } => {}
        }
    }
    for (i, reason) in invalid {
        record(batch, &mut summary, i, Outcome { state: State::Failed, reason }, settings);
    }

    let total = work.len() as u64;
    let progress = if settings.print_progress { progress_bar(total) } else { ProgressBar::hidden() };
    let slots = Arc::new(Semaphore::new(settings.jobs.max(1)));
    let mut tasks = JoinSet::new();
    let started = Instant::now();
    // Rows start in the CSV's order: whichever task gets a slot takes the next row. (Tasks that each
    // owned a row started in whatever order the runtime first polled them, so a batch listing its
    // large images first could still end on one large image converting alone while a core idled.)
    let queue = Arc::new(std::sync::Mutex::new(work.into_iter()));
    for _ in 0..total {
        let settings = settings.clone();
        let slots = slots.clone();
        let queue = queue.clone();
        tasks.spawn(async move {
            // Held for the whole conversion: at most `jobs` images in memory.
            let permit = slots.acquire_owned().await;
            // A poisoned lock still holds the rows: take the next one rather than drop it unreported.
            let (index, ark, file) = queue.lock().unwrap_or_else(PoisonError::into_inner).next()?;
            let outcome = match permit {
                Ok(_permit) => convert_one(&settings, &ark, &file).await,
                Err(e) => Outcome { state: State::Failed, reason: e.to_string() },
            };
            Some((index, ark, outcome))
        });
    }
    let mut done = 0u64;
    while let Some(joined) = tasks.join_next().await {
        let Ok(Some((index, ark, outcome))) = joined else { continue };
        done += 1;
        let line = batch.rows.get(index).map_or(0, |r| r.line);
        match outcome.state {
            State::Failed | State::Missing => {
                tracing::warn!(line, ark, state = outcome.state.as_str(), "{}", outcome.reason);
            }
            _ => tracing::debug!(line, ark, state = outcome.state.as_str()),
        }
        if outcome.state == State::Succeeded {
            summary.converted.push(ark.clone());
        }
        let message = format!("line {line} {ark}: {}", outcome.state.as_str());
        let state = outcome.state;
        record(batch, &mut summary, index, outcome, settings);
        if let Some(on_row) = &settings.on_row {
            on_row(done, total, state);
        }
        progress.inc(1);
        if settings.print_progress && progress.is_hidden() {
            // Not on a terminal (CI, a log file): a plain line per row with the rate so far.
            let elapsed = started.elapsed().as_secs_f64();
            let left = total.saturating_sub(done);
            let eta = if done > 0 { elapsed / done as f64 * left as f64 } else { 0.0 };
            eprintln!("[{done}/{total}] {message} (eta {eta:.0} s)");
        } else {
            progress.set_message(message);
        }
    }
    progress.finish_and_clear();
    summary
}

fn record(batch: &mut Batch, summary: &mut Summary, index: usize, outcome: Outcome, settings: &Settings) {
    match outcome.state {
        State::Succeeded => summary.succeeded += 1,
        State::Ingested => summary.ingested += 1,
        State::Missing => summary.missing += 1,
        State::Failed => summary.failed += 1,
    }
    batch.set_outcome(index, &outcome, &settings.iiif_base);
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return {
            let bar = ProgressBar::hidden();
            bar.set_length(len);
            bar
        };
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

async fn convert_one(settings: &Settings, ark: &str, file: &str) -> Outcome {
    let key = match settings.key(ark) {
        Ok(k) => k,
        Err(e) => return Outcome { state: State::Failed, reason: e },
    };
    let Ok(source_path) = ObjectPath::parse(file) else {
        return Outcome { state: State::Failed, reason: format!("File Name {file:?} is not a valid path") };
    };
    convert_object(&settings.job(&source_path, &key, settings.force)).await
}

/// One object to convert: the unit a batch row, the HTTP API and the Lambda handler share.
pub struct Job<'a> {
    pub source: &'a dyn ObjectStore,
    pub source_key: &'a ObjectPath,
    pub destination: &'a dyn ObjectStore,
    pub destination_key: &'a ObjectPath,
    pub recipe: &'a Recipe,
    pub max_source_bytes: u64,
    /// Convert even when the destination already has the object.
    pub force: bool,
}

/// Converts one object: `missing` when the source is absent, `ingested` when the destination already
/// has it (unless forced), otherwise read, convert off the async threads, and write in one put.
pub async fn convert_object(job: &Job<'_>) -> Outcome {
    let failed = |reason: String| Outcome { state: State::Failed, reason };
    let file = job.source_key.as_ref();
    let meta = match job.source.head(job.source_key).await {
        Ok(m) => m,
        Err(object_store::Error::NotFound { .. }) => {
            return Outcome {
                state: State::Missing,
                reason: format!("no file {file:?} under the source root"),
            };
        }
        Err(e) => return failed(format!("source: {e}")),
    };
    if !job.force {
        match job.destination.head(job.destination_key).await {
            Ok(_) => return Outcome { state: State::Ingested, reason: String::new() },
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return failed(format!("destination: {e}")),
        }
    }
    if meta.size > job.max_source_bytes {
        return failed(format!(
            "{file:?} is {} bytes, over the limit of {}",
            meta.size, job.max_source_bytes
        ));
    }
    // A JPEG 2000 of a TIFF is made band by band from ranged reads; everything else from the whole file.
    let body = match super::stream::make(job.source, job.source_key, meta.size, job.recipe).await {
        Ok(Some(streamed)) => streamed.body,
        Ok(None) => match whole(job, file).await {
            Ok(body) => body,
            Err(outcome) => return outcome,
        },
        Err(e) => return failed(format!("{file:?}: {e}")),
    };
    // One put: a local store writes a staging file and renames it, S3 makes an object visible only when
    // complete. A crash at any point leaves either no object or the whole derivative.
    match job.destination.put(job.destination_key, PutPayload::from(body)).await {
        Ok(_) => Outcome { state: State::Succeeded, reason: String::new() },
        Err(e) => failed(format!("writing {}: {e}", job.destination_key)),
    }
}

/// Reads the whole source and converts it off the async threads.
async fn whole(job: &Job<'_>, file: &str) -> Result<Vec<u8>, Outcome> {
    let failed = |reason: String| Outcome { state: State::Failed, reason };
    let data = match job.source.get(job.source_key).await {
        Ok(r) => match r.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return Err(failed(format!("reading {file:?}: {e}"))),
        },
        Err(e) => return Err(failed(format!("reading {file:?}: {e}"))),
    };
    let recipe = job.recipe.clone();
    let made = tokio::task::spawn_blocking(move || derivative::make(data, &recipe)).await;
    let body = match made {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => return Err(failed(format!("{file:?}: {e}"))),
        Err(e) => return Err(failed(format!("conversion crashed: {e}"))),
    };
    Ok(body)
}
