//! Batches submitted to the server: kept in a folder (one per job: the input CSV, `job.json`, and the
//! result CSV once done) and run one at a time in the background, each with every core. A job that a
//! stop or a crash interrupted is queued again at start-up; since conversion skips what the destination
//! already holds, it continues where it stopped (those rows then read `ingested`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::batch::{Batch, BatchError, State};
use super::run::{Settings, run};

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Batch(#[from] BatchError),
    #[error("no job {0:?}")]
    NotFound(String),
    #[error("job {0} is running; it can be deleted when it has finished")]
    Running(String),
    #[error("job {0} has not finished yet")]
    NotFinished(String),
    #[error("job storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("job storage: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    /// Every row has an outcome (some may have failed); the result CSV is ready.
    Done,
    /// The batch could not run at all (its input became unreadable).
    Failed,
}

/// A job as the API shows it and `job.json` keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobInfo {
    pub id: String,
    /// The uploaded file's name.
    pub name: String,
    pub status: JobStatus,
    /// Seconds since the Unix epoch.
    pub created: u64,
    pub finished: Option<u64>,
    /// Image rows to convert, and how many have an outcome so far.
    pub total: u64,
    pub done: u64,
    pub succeeded: u64,
    pub ingested: u64,
    pub missing: u64,
    pub failed: u64,
    /// Why the job failed, when `status` is `failed`.
    pub error: Option<String>,
    /// Times the job was started (more than one after a restart interrupted it).
    pub runs: u32,
}

/// Called with the identifiers a job converted, so their cached derivatives can be purged.
pub type OnConverted = Arc<dyn Fn(Vec<String>) -> BoxFuture<'static, ()> + Send + Sync>;

pub struct Jobs {
    dir: PathBuf,
    jobs: Mutex<BTreeMap<String, JobInfo>>,
    queue: mpsc::UnboundedSender<String>,
}

impl Jobs {
    /// Opens the job folder (created if absent), re-queues unfinished jobs and starts the runner on the
    /// current tokio runtime.
    pub fn start(
        dir: &Path,
        settings: Settings,
        on_converted: Option<OnConverted>,
    ) -> Result<Arc<Jobs>, JobError> {
        std::fs::create_dir_all(dir)?;
        let mut jobs = BTreeMap::new();
        let mut unfinished = Vec::new();
        for entry in std::fs::read_dir(dir)?.flatten() {
            let file = entry.path().join("job.json");
            let Ok(data) = std::fs::read(&file) else { continue };
            match serde_json::from_slice::<JobInfo>(&data) {
                Ok(mut info) => {
                    if matches!(info.status, JobStatus::Queued | JobStatus::Running) {
                        info.status = JobStatus::Queued;
                        unfinished.push((info.created, info.id.clone()));
                    }
                    jobs.insert(info.id.clone(), info);
                }
                Err(e) => tracing::warn!(file = %file.display(), "ignoring an unreadable job: {e}"),
            }
        }
        let (queue, mut next) = mpsc::unbounded_channel();
        let this = Arc::new(Jobs { dir: dir.to_path_buf(), jobs: Mutex::new(jobs), queue });
        unfinished.sort();
        for (_, id) in unfinished {
            tracing::info!(job = id, "resuming a job a restart interrupted");
            let _ = this.queue.send(id);
        }
        let runner = this.clone();
        tokio::spawn(async move {
            while let Some(id) = next.recv().await {
                runner.run_job(&id, &settings, on_converted.as_ref()).await;
            }
        });
        Ok(this)
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, JobInfo>> {
        // A panic while holding the lock leaves the map itself consistent (every update is one insert).
        self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn job_dir(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// Stores and queues a batch. The CSV is parsed first, so a file without the required columns is
    /// refused here rather than failing later.
    pub fn submit(&self, name: &str, csv: &[u8]) -> Result<JobInfo, JobError> {
        let batch = Batch::parse(csv)?;
        let total =
            batch.rows.iter().filter(|r| matches!(r.task, super::batch::Task::Convert { .. })).count() as u64;
        let created = now();
        let id = new_id();
        let info = JobInfo {
            id: id.clone(),
            name: name.to_string(),
            status: JobStatus::Queued,
            created,
            finished: None,
            total,
            done: 0,
            succeeded: 0,
            ingested: 0,
            missing: 0,
            failed: 0,
            error: None,
            runs: 0,
        };
        let dir = self.job_dir(&id);
        std::fs::create_dir_all(&dir)?;
        write_atomic(&dir.join("input.csv"), csv)?;
        write_atomic(&dir.join("job.json"), &serde_json::to_vec_pretty(&info)?)?;
        self.lock().insert(id.clone(), info.clone());
        let _ = self.queue.send(id);
        Ok(info)
    }

    pub fn get(&self, id: &str) -> Result<JobInfo, JobError> {
        self.lock().get(id).cloned().ok_or_else(|| JobError::NotFound(id.to_string()))
    }

    /// Every job, oldest first.
    pub fn list(&self) -> Vec<JobInfo> {
        let mut all: Vec<JobInfo> = self.lock().values().cloned().collect();
        all.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        all
    }

    /// The result CSV of a finished job.
    pub fn result(&self, id: &str) -> Result<Vec<u8>, JobError> {
        let info = self.get(id)?;
        if info.status != JobStatus::Done {
            return Err(JobError::NotFinished(id.to_string()));
        }
        Ok(std::fs::read(self.job_dir(id).join("result.csv"))?)
    }

    /// Forgets a job that is not running (its derivatives stay where they were written).
    pub fn delete(&self, id: &str) -> Result<(), JobError> {
        let mut jobs = self.lock();
        match jobs.get(id) {
            None => return Err(JobError::NotFound(id.to_string())),
            Some(info) if info.status == JobStatus::Running => return Err(JobError::Running(id.to_string())),
            Some(_) => {}
        }
        // A queued job is dropped by the runner when it finds no entry.
        jobs.remove(id);
        drop(jobs);
        std::fs::remove_dir_all(self.job_dir(id))?;
        Ok(())
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut JobInfo)) -> Option<JobInfo> {
        let mut jobs = self.lock();
        let info = jobs.get_mut(id)?;
        change(info);
        Some(info.clone())
    }

    fn save(&self, info: &JobInfo) {
        let path = self.job_dir(&info.id).join("job.json");
        let saved = serde_json::to_vec_pretty(info).map_err(JobError::from).and_then(|data| {
            write_atomic(&path, &data)?;
            Ok(())
        });
        if let Err(e) = saved {
            tracing::warn!(job = info.id, "cannot save the job's state: {e}");
        }
    }

    async fn run_job(self: &Arc<Self>, id: &str, settings: &Settings, on_converted: Option<&OnConverted>) {
        let Some(info) = self.update(id, |i| {
            i.status = JobStatus::Running;
            i.runs += 1;
            i.done = 0;
        }) else {
            return; // deleted while queued
        };
        self.save(&info);
        tracing::info!(job = id, name = info.name, rows = info.total, "job started");
        let dir = self.job_dir(id);
        let batch = std::fs::read(dir.join("input.csv"))
            .map_err(JobError::from)
            .and_then(|data| Ok(Batch::parse(&data)?));
        let mut batch = match batch {
            Ok(b) => b,
            Err(e) => {
                if let Some(info) = self.update(id, |i| {
                    i.status = JobStatus::Failed;
                    i.error = Some(e.to_string());
                    i.finished = Some(now());
                }) {
                    self.save(&info);
                }
                return;
            }
        };
        let mut settings = settings.clone();
        let progress = self.clone();
        let job = id.to_string();
        settings.print_progress = false;
        settings.on_row = Some(Arc::new(move |done, _total, state| {
            progress.update(&job, |i| {
                i.done = done;
                match state {
                    State::Succeeded => i.succeeded += 1,
                    State::Ingested => i.ingested += 1,
                    State::Missing => i.missing += 1,
                    State::Failed => i.failed += 1,
                }
            });
        }));
        // Counted afresh on every run, rows that were invalid from the start included.
        self.update(id, |i| (i.succeeded, i.ingested, i.missing, i.failed) = (0, 0, 0, 0));
        let summary = run(&mut batch, &settings).await;
        let written = batch
            .to_csv()
            .map_err(JobError::from)
            .and_then(|csv| Ok(write_atomic(&dir.join("result.csv"), &csv)?));
        let info = self.update(id, |i| {
            i.succeeded = summary.succeeded as u64;
            i.ingested = summary.ingested as u64;
            i.missing = summary.missing as u64;
            i.failed = summary.failed as u64;
            i.finished = Some(now());
            match &written {
                Ok(()) => i.status = JobStatus::Done,
                Err(e) => {
                    i.status = JobStatus::Failed;
                    i.error = Some(format!("cannot write the result: {e}"));
                }
            }
        });
        if let Some(info) = info {
            self.save(&info);
            tracing::info!(
                job = id,
                succeeded = info.succeeded,
                failed = info.failed,
                missing = info.missing,
                "job finished"
            );
        }
        if let Some(purge) = on_converted
            && !summary.converted.is_empty()
        {
            purge(summary.converted).await;
        }
    }
}

/// Written beside and renamed into place, so a crash never leaves half a file.
fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, path)
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Sortable by creation and unique within a process: the time in microseconds and a counter.
fn new_id() -> String {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let micros = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros());
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{micros:x}-{n:x}")
}

/// A job id as the routes accept it: what [`new_id`] makes, nothing that could name another folder.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 40 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}
