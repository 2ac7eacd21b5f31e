//! The server's configuration: defaults, then a TOML file, then `TESSELLA_*` environment variables,
//! then command-line flags (each overrides the one before). Every key is documented in
//! `tessella.example.toml` at the repository root.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format as _, Toml};
use serde::{Deserialize, Serialize};
use tessella_core::iiif::Limits;
use tessella_core::pixels::Budget;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl From<figment::Error> for ConfigError {
    fn from(e: figment::Error) -> Self {
        ConfigError::Invalid(e.to_string())
    }
}

// Not `deny_unknown_fields` at the top: any `TESSELLA_*` variable in the environment becomes a key here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Socket address to listen on.
    pub listen: String,
    /// The URL clients reach the server at, without `/iiif`; info.json ids and canonical links start with
    /// it. Unset: `http://{listen}` (set it when behind a proxy).
    pub public_base: Option<String>,
    pub source: SourceConfig,
    pub limits: LimitsConfig,
    pub budget: BudgetConfig,
    /// JPEG output quality, 1–100.
    pub jpeg_quality: u8,
    /// Concurrent renders (CPU-bound work on the blocking pool). 0: one per core.
    pub threads: usize,
    pub cache: CacheConfig,
    /// `Cache-Control: public, max-age=N` on images and info.json.
    pub cache_control_max_age: u64,
    /// Where IIIF Presentation manifests and collections are stored.
    pub manifests: ManifestStoreConfig,
    pub admin: AdminConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".to_string(),
            public_base: None,
            source: SourceConfig::default(),
            limits: LimitsConfig::default(),
            budget: BudgetConfig::default(),
            jpeg_quality: 85,
            threads: 0,
            cache: CacheConfig::default(),
            cache_control_max_age: 86_400,
            manifests: ManifestStoreConfig::default(),
            admin: AdminConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    Local,
    S3,
}

/// Where source images live. Identifiers are object keys under this root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceConfig {
    pub kind: SourceKind,
    /// The folder for `kind = "local"`.
    pub path: PathBuf,
    /// S3 (or S3-compatible) settings for `kind = "s3"`. Credentials come from the usual `AWS_*`
    /// environment variables, never from this file.
    pub bucket: Option<String>,
    /// Key prefix inside the bucket (a "folder"), without a trailing slash.
    pub prefix: Option<String>,
    /// Endpoint of an S3-compatible server (MinIO, R2, Garage...); unset for AWS.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Allow `http://` endpoints (local S3-compatible servers).
    pub allow_http: bool,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            kind: SourceKind::Local,
            path: crate::default_samples_dir(),
            bucket: None,
            prefix: None,
            endpoint: None,
            region: None,
            allow_http: false,
        }
    }
}

/// Where manifests (`works/{ARK}.json`) and collections (`collections/{ARK}.json`) are kept: a folder
/// (created when missing), or S3 with the same settings as `source`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ManifestStoreConfig {
    pub kind: SourceKind,
    pub path: PathBuf,
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub allow_http: bool,
}

impl Default for ManifestStoreConfig {
    fn default() -> Self {
        ManifestStoreConfig {
            kind: SourceKind::Local,
            path: PathBuf::from("manifests"),
            bucket: None,
            prefix: None,
            endpoint: None,
            region: None,
            allow_http: false,
        }
    }
}

impl ManifestStoreConfig {
    /// The same settings as a source, for the shared object-store setup.
    pub fn as_store(&self) -> SourceConfig {
        SourceConfig {
            kind: self.kind,
            path: self.path.clone(),
            bucket: self.bucket.clone(),
            prefix: self.prefix.clone(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            allow_http: self.allow_http,
        }
    }
}

/// Administration: writes (manifest PUT/DELETE, CSV batches) need `Authorization: Bearer {token}`.
/// Unset: those routes answer 401.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    pub token: Option<String>,
}

/// The IIIF limits, advertised in info.json and enforced on every request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub max_area: Option<u64>,
    pub upscaling: bool,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig { max_width: None, max_height: None, max_area: None, upscaling: true }
    }
}

impl LimitsConfig {
    pub fn to_limits(&self) -> Limits {
        Limits {
            max_width: self.max_width,
            max_height: self.max_height,
            max_area: self.max_area,
            allow_upscaling: self.upscaling,
        }
    }
}

/// What one render may allocate; a request over it is answered 413.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetConfig {
    pub max_pixels: u64,
    pub max_bytes: u64,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        let b = Budget::default();
        BudgetConfig { max_pixels: b.max_pixels, max_bytes: b.max_bytes }
    }
}

impl BudgetConfig {
    pub fn to_budget(&self) -> Budget {
        Budget { max_pixels: self.max_pixels, max_bytes: self.max_bytes }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Bytes of encoded images kept in memory.
    pub derivative_bytes: u64,
    /// Probed source headers (geometry) kept in memory, in entries.
    pub geometry_entries: u64,
    /// How long a probed geometry is trusted before the source is looked at again.
    pub geometry_ttl_seconds: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig { derivative_bytes: 256 << 20, geometry_entries: 10_000, geometry_ttl_seconds: 3_600 }
    }
}

impl Config {
    /// Defaults, then `file` (when given; it must exist), then `TESSELLA_*` environment variables with
    /// `__` between nested keys (`TESSELLA_LIMITS__MAX_WIDTH=2000`).
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            // Figment silently skips a missing file; a path the user named must not be ignored.
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file.to_path_buf()));
            }
            figment = figment.merge(Toml::file(file));
        }
        // TESSELLA_LOG is the log filter, not a config key.
        let env = Env::prefixed("TESSELLA_").ignore(&["log"]).split("__");
        let config: Config = figment.merge(env).extract()?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=100).contains(&self.jpeg_quality) {
            return Err(ConfigError::Invalid(format!(
                "jpeg_quality must be 1–100, not {}",
                self.jpeg_quality
            )));
        }
        if self.source.kind == SourceKind::S3 && self.source.bucket.is_none() {
            return Err(ConfigError::Invalid("source.kind = \"s3\" needs source.bucket".to_string()));
        }
        if self.manifests.kind == SourceKind::S3 && self.manifests.bucket.is_none() {
            return Err(ConfigError::Invalid("manifests.kind = \"s3\" needs manifests.bucket".to_string()));
        }
        Ok(())
    }

    /// Render slots: the configured count, or one per core.
    pub fn render_threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_base {
            Some(b) => b.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }
}
