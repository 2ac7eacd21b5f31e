//! Where sources are read from and derivatives written to: a local folder, or `s3://bucket/prefix` (any
//! S3-compatible server; endpoint and credentials from the usual `AWS_*` environment variables, such as
//! `AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, `AWS_ACCESS_KEY_ID`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;

#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    #[error("{0}: {1}")]
    Folder(String, std::io::Error),
    #[error("{0}: {1}")]
    Store(String, object_store::Error),
    #[error("{0}: no bucket name")]
    NoBucket(String),
}

/// An opened folder or bucket.
#[derive(Clone)]
pub struct Location {
    pub store: Arc<dyn ObjectStore>,
    /// The folder, when the location is local.
    pub folder: Option<PathBuf>,
    /// The bucket, when the location is S3.
    pub bucket: Option<String>,
    /// The key prefix inside the bucket, without slashes at either end.
    pub prefix: String,
}

/// Opens `location`, S3 through the `AWS_*` environment. A folder that does not exist is created when
/// `create` is set (a destination), and is an error otherwise (a source). Local writes are fsynced, so a
/// derivative reported as written survives a power cut.
pub fn open(location: &str, create: bool) -> Result<Location, LocationError> {
    open_with(location, create, &AmazonS3Builder::from_env())
}

/// [`open`], with `s3`'s client settings (endpoint, region, credentials) for an `s3://` location.
pub fn open_with(location: &str, create: bool, s3: &AmazonS3Builder) -> Result<Location, LocationError> {
    if let Some(rest) = location.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(LocationError::NoBucket(location.to_string()));
        }
        let client = s3
            .clone()
            .with_bucket_name(bucket)
            .build()
            .map_err(|e| LocationError::Store(location.to_string(), e))?;
        let prefix = prefix.trim_matches('/').to_string();
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(client)
        } else {
            Arc::new(PrefixStore::new(client, prefix.as_str()))
        };
        return Ok(Location { store, folder: None, bucket: Some(bucket.to_string()), prefix });
    }
    let path = Path::new(location);
    if create {
        std::fs::create_dir_all(path).map_err(|e| LocationError::Folder(location.to_string(), e))?;
    }
    let root = std::fs::canonicalize(path).map_err(|e| LocationError::Folder(location.to_string(), e))?;
    let store = LocalFileSystem::new_with_prefix(&root)
        .map_err(|e| LocationError::Store(location.to_string(), e))?
        .with_fsync(create);
    Ok(Location { store: Arc::new(store), folder: Some(root), bucket: None, prefix: String::new() })
}

/// Deletes the staging files (`KEY#N`) that a killed run left in a local destination: object_store
/// writes each object to one and renames it into place, so a `kill -9` mid-write leaves one behind, never
/// a partial object under a real key. Returns how many were removed.
pub fn remove_interrupted_writes(folder: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && is_staging_name(&entry.file_name().to_string_lossy()) {
                match std::fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(e) => {
                        tracing::warn!(path = %path.display(), "cannot remove an interrupted write: {e}")
                    }
                }
            }
        }
    }
    removed
}

/// `name#123`: object_store's staging name (a real key never has `#` followed only by digits, since
/// such keys are refused at parse time by the batch).
fn is_staging_name(name: &str) -> bool {
    name.rsplit_once('#')
        .is_some_and(|(stem, n)| !stem.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_names() {
        assert!(is_staging_name("ark:/1/x.tif#0"));
        assert!(is_staging_name("a.jpx#12"));
        assert!(!is_staging_name("a.jpx"));
        assert!(!is_staging_name("a#b.jpx"));
        assert!(!is_staging_name("#1"));
        assert!(!is_staging_name("a.jpx#"));
    }

    #[test]
    fn removes_only_staging_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("ark:/1")).expect("mkdir");
        for name in ["a.tif", "a.tif#3", "ark:/1/b.tif", "ark:/1/b.tif#0"] {
            std::fs::write(dir.path().join(name), b"x").expect("write");
        }
        assert_eq!(remove_interrupted_writes(dir.path()), 2);
        assert!(dir.path().join("a.tif").exists());
        assert!(dir.path().join("ark:/1/b.tif").exists());
        assert!(!dir.path().join("a.tif#3").exists());
    }
}
