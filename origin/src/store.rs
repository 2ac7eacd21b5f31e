//! Opening an object store (a local folder or an S3 bucket) from configuration: one function for the
//! source store and the derivative cache store, so both accept the same settings the same way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;

/// Where a store lives.
#[derive(Debug, Clone, Copy)]
pub enum StoreLocation<'a> {
    /// A folder; `create` makes it when missing (a cache folder may start empty, a source folder may not).
    Local {
        path: &'a Path,
        create: bool,
    },
    S3(S3Location<'a>),
}

#[derive(Debug, Clone, Copy)]
pub struct S3Location<'a> {
    pub bucket: &'a str,
    pub prefix: Option<&'a str>,
    pub endpoint: Option<&'a str>,
    pub region: Option<&'a str>,
    pub allow_http: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Store(#[from] object_store::Error),
}

/// An opened store, and for a local one its canonical root folder (to refuse symlinks that lead out).
pub struct OpenedStore {
    pub store: Arc<dyn ObjectStore>,
    pub local_root: Option<PathBuf>,
}

pub fn open_store(location: StoreLocation<'_>) -> Result<OpenedStore, StoreError> {
    match location {
        StoreLocation::Local { path, create } => {
            let folder = |source| StoreError::Folder { path: path.to_path_buf(), source };
            if create {
                std::fs::create_dir_all(path).map_err(folder)?;
            }
            let root = std::fs::canonicalize(path).map_err(folder)?;
            let store = LocalFileSystem::new_with_prefix(&root)?;
            Ok(OpenedStore { store: Arc::new(store), local_root: Some(root) })
        }
        StoreLocation::S3(s3) => {
            // Credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN...) from the
            // environment; everything else from the config.
            let mut b =
                AmazonS3Builder::from_env().with_allow_http(s3.allow_http).with_bucket_name(s3.bucket);
            if let Some(region) = s3.region {
                b = b.with_region(region);
            }
            if let Some(endpoint) = s3.endpoint {
                b = b.with_endpoint(endpoint);
            }
            let bucket = b.build()?;
            let store: Arc<dyn ObjectStore> = match normalized_prefix(s3.prefix) {
                Some(prefix) => Arc::new(PrefixStore::new(bucket, prefix)),
                None => Arc::new(bucket),
            };
            Ok(OpenedStore { store, local_root: None })
        }
    }
}

/// A prefix without leading or trailing slashes; none when empty.
pub fn normalized_prefix(prefix: Option<&str>) -> Option<&str> {
    prefix.map(|p| p.trim_matches('/')).filter(|p| !p.is_empty())
}
