//! The server's configuration: defaults, then a TOML file, then `TESSELLA_*` environment variables,
//! then command-line flags (each overrides the one before). Every key is documented in
//! `tessella.example.toml` at the repository root.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format as _, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use serde::{Deserialize, Serialize};
use tessella_core::iiif::Limits;
use tessella_core::pixels::Budget;

use crate::store::{S3Location, StoreLocation, normalized_prefix};

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
    /// Answer a request that is exactly one stored JPEG tile, or an unscaled mosaic of them, with the
    /// stored tile or the tiles joined without decoding (no generation loss, a fraction of the CPU; the
    /// body keeps the stored quality, so from a Q90 4:4:4 pyramid it is about 3× larger than a Q85
    /// re-encode). `false` re-encodes every response at `jpeg_quality`. The edge's `PASSTHROUGH` must
    /// match, since both send the same ETag.
    pub passthrough: bool,
    /// Concurrent renders (CPU-bound work on the blocking pool). 0: one per core, plus one.
    pub threads: usize,
    /// Threads a render may decode a pyramid level's stored tiles on while no other render is running,
    /// when the other cores would idle; beside other renders it decodes on its own thread. 0: one per
    /// core. (JPEG 2000 decodes spread the same way by `jp2.threads`.)
    pub decode_threads: usize,
    pub cache: CacheConfig,
    /// `Cache-Control: public, max-age=N` on images and info.json.
    pub cache_control_max_age: u64,
    pub jp2: Jp2Config,
    /// Where IIIF Presentation manifests and collections are stored.
    pub manifests: ManifestStoreConfig,
    pub admin: AdminConfig,
    pub edge_source: EdgeSourceConfig,
    pub convert: ConvertConfig,
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
            passthrough: true,
            threads: 0,
            decode_threads: 2,
            cache: CacheConfig::default(),
            cache_control_max_age: 86_400,
            jp2: Jp2Config::default(),
            manifests: ManifestStoreConfig::default(),
            admin: AdminConfig::default(),
            edge_source: EdgeSourceConfig::default(),
            convert: ConvertConfig::default(),
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

impl SourceConfig {
    pub fn location(&self) -> Result<StoreLocation<'_>, ConfigError> {
        match self.kind {
            SourceKind::Local => Ok(StoreLocation::Local { path: &self.path, create: false }),
            SourceKind::S3 => Ok(StoreLocation::S3(S3Location {
                bucket: self.bucket.as_deref().ok_or_else(|| needs("source", "s3", "bucket"))?,
                prefix: self.prefix.as_deref(),
                endpoint: self.endpoint.as_deref(),
                region: self.region.as_deref(),
                allow_http: self.allow_http,
            })),
        }
    }
}

fn needs(section: &str, kind: &str, key: &str) -> ConfigError {
    ConfigError::Invalid(format!("{section}.kind = \"{kind}\" needs {section}.{key}"))
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
/// (created when missing), or S3 with the same settings as `source`. It may share a bucket with the
/// sources or the cache under its own prefix.
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
    pub fn location(&self) -> Result<StoreLocation<'_>, ConfigError> {
        match self.kind {
            SourceKind::Local => Ok(StoreLocation::Local { path: &self.path, create: true }),
            SourceKind::S3 => Ok(StoreLocation::S3(S3Location {
                bucket: self.bucket.as_deref().ok_or_else(|| needs("manifests", "s3", "bucket"))?,
                prefix: self.prefix.as_deref(),
                endpoint: self.endpoint.as_deref(),
                region: self.region.as_deref(),
                allow_http: self.allow_http,
            })),
        }
    }
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

/// What one render may allocate and read; a request over it is answered 413.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetConfig {
    pub max_pixels: u64,
    pub max_bytes: u64,
    /// Source bytes one request may read: a tile of a tiled source reads kilobytes, but a JPEG, a PNG or
    /// an untiled JPEG 2000 is read whole for every request that is not cached.
    pub max_source_bytes: u64,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        let b = Budget::default();
        BudgetConfig { max_pixels: b.max_pixels, max_bytes: b.max_bytes, max_source_bytes: 1 << 30 }
    }
}

impl BudgetConfig {
    pub fn to_budget(&self) -> Budget {
        Budget { max_pixels: self.max_pixels, max_bytes: self.max_bytes }
    }
}

/// Which JPEG 2000 decoder renders JP2/JPX levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Jp2DecoderKind {
    /// OpenJPEG (C, bundled): true region decoding inside tiles, threads per request.
    #[default]
    Openjpeg,
    /// The core's pure-Rust decoder (hayro), the same code the edge runs.
    Hayro,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Jp2Config {
    pub decoder: Jp2DecoderKind,
    /// Threads one OpenJPEG decode may use when it is the only render running (0: one per core); beside
    /// other renders, when the cores are busy already, a decode uses one.
    pub threads: u32,
}

impl Default for Jp2Config {
    fn default() -> Self {
        Jp2Config { decoder: Jp2DecoderKind::Openjpeg, threads: 2 }
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
    /// info.json bodies kept in memory, in entries.
    pub info_entries: u64,
    /// The second tier: derivatives in a folder or bucket, shared by restarts and by every instance.
    pub store: CacheStoreConfig,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            derivative_bytes: 256 << 20,
            geometry_entries: 10_000,
            geometry_ttl_seconds: 3_600,
            info_entries: 10_000,
            store: CacheStoreConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CacheStoreKind {
    #[default]
    None,
    Local,
    S3,
}

/// Where rendered derivatives are kept between restarts. The folder or prefix must be the cache's own:
/// purging everything deletes every object under it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheStoreConfig {
    pub kind: CacheStoreKind,
    /// The folder for `kind = "local"` (created when missing).
    pub path: Option<PathBuf>,
    /// As for [`SourceConfig`]; credentials from the `AWS_*` environment variables.
    pub bucket: Option<String>,
    pub prefix: Option<String>,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub allow_http: bool,
}

impl CacheStoreConfig {
    /// Where the store is; `None` for no store.
    pub fn location(&self) -> Result<Option<StoreLocation<'_>>, ConfigError> {
        match self.kind {
            CacheStoreKind::None => Ok(None),
            CacheStoreKind::Local => Ok(Some(StoreLocation::Local {
                path: self.path.as_deref().ok_or_else(|| needs("cache.store", "local", "path"))?,
                create: true,
            })),
            CacheStoreKind::S3 => Ok(Some(StoreLocation::S3(S3Location {
                bucket: self.bucket.as_deref().ok_or_else(|| needs("cache.store", "s3", "bucket"))?,
                prefix: self.prefix.as_deref(),
                endpoint: self.endpoint.as_deref(),
                region: self.region.as_deref(),
                allow_http: self.allow_http,
            }))),
        }
    }
}

/// The admin API (`/admin/...`): off unless a token is set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdminConfig {
    /// The bearer token admin requests must carry. Set it by `TESSELLA_ADMIN__TOKEN` rather than in a file.
    #[serde(serialize_with = "redacted")]
    pub token: Option<String>,
}

/// The byte-range source endpoint for the edge (`/edge/source/...`, `crate::edge_source`): off unless a
/// secret is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EdgeSourceConfig {
    /// The shared secret the edge sends as `Authorization: Bearer …`. Set it by
    /// `TESSELLA_EDGE_SOURCE__SECRET` rather than in a file.
    #[serde(serialize_with = "redacted")]
    pub secret: Option<String>,
    /// The source kinds served (`tiff-jpeg`, `tiff`, `jp2`, `j2k`, `jpeg`, `png`): derivatives only, so
    /// masters cannot be rebuilt from what the edge reads.
    pub formats: Vec<String>,
}

impl Default for EdgeSourceConfig {
    fn default() -> Self {
        EdgeSourceConfig { secret: None, formats: vec!["tiff-jpeg".to_string(), "jpeg".to_string()] }
    }
}

/// The conversion API (`/admin/jobs`, `/batch/input/csv`, `/admin/convert`) and the defaults of
/// `tessella convert`. The API is on when `destination` and `admin.token` are both set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConvertConfig {
    /// Where `File Name`s are resolved: a folder or `s3://bucket/prefix`.
    pub source: String,
    /// Where derivatives are written: a folder or `s3://bucket/prefix`, usually what `[source]` serves.
    pub destination: Option<String>,
    /// `ptiff` (pyramidal TIFF, JPEG tiles) or `jp2`.
    pub format: String,
    /// Tile edge of derivatives.
    pub tile: u32,
    /// JPEG quality of pyramidal TIFF tiles.
    pub quality: u8,
    /// JPEG 2000: reversible, exact pixels.
    pub lossless: bool,
    /// JPEG 2000, lossy: compression ratio.
    pub rate: f32,
    /// HTJ2K, lossy: OpenJPH's quantisation step (0.012 is about 8:1).
    pub qstep: f32,
    /// JPEG 2000, lossy: stop coding code-block passes where rate allocation will cut them.
    pub early_termination: bool,
    /// Object key of a derivative; `{ark}` and `{ext}` are replaced.
    pub key: String,
    /// Images converted at once; 0: one per core.
    pub jobs: usize,
    /// Larger sources are reported as failed, never read.
    pub max_source_bytes: u64,
    /// Where the API keeps its jobs (input, state, result), so they survive a restart.
    pub jobs_dir: PathBuf,
}

impl Default for ConvertConfig {
    fn default() -> Self {
        ConvertConfig {
            source: ".".to_string(),
            destination: None,
            format: "ptiff".to_string(),
            tile: 512,
            quality: 90,
            lossless: false,
            rate: 8.0,
            qstep: 0.012,
            early_termination: true,
            key: "{ark}.{ext}".to_string(),
            jobs: 0,
            max_source_bytes: 2 << 30,
            jobs_dir: PathBuf::from("tessella-jobs"),
        }
    }
}

/// `--print-config` shows whether a secret is set, never the secret.
fn redacted<S: serde::Serializer>(secret: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(_) => s.serialize_str("(set)"),
        None => s.serialize_none(),
    }
}

impl Config {
    /// Defaults, then `file` (when given; it must exist), then `TESSELLA_*` environment variables with
    /// `__` between nested keys (`TESSELLA_LIMITS__MAX_WIDTH=2000`).
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_then(file, |_| {})
    }

    /// [`Config::load`], with `adjust` (the command line's flags) applied before the checks, so they are
    /// checked alike and a flag can mend what the file alone would fail.
    pub fn load_then(file: Option<&Path>, adjust: impl FnOnce(&mut Config)) -> Result<Config, ConfigError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            // Figment silently skips a missing file; a path the user named must not be ignored.
            if !file.is_file() {
                return Err(ConfigError::MissingFile(file.to_path_buf()));
            }
            figment = figment.merge(Toml::file(file));
        }
        // TESSELLA_LOG is the log filter, not a config key.
        let env = EnvText(Env::prefixed("TESSELLA_").ignore(&["log"]).split("__"));
        let mut config: Config = figment.merge(env).extract_lossy()?;
        adjust(&mut config);
        config.validate()?;
        Ok(config)
    }

    /// Checks what no single key can: value ranges, and stores that must not overlap. [`Config::load`]
    /// runs it, and so does [`crate::router`] for a configuration built in code.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=100).contains(&self.jpeg_quality) {
            return Err(ConfigError::Invalid(format!(
                "jpeg_quality must be 1–100, not {}",
                self.jpeg_quality
            )));
        }
        let source = self.source.location()?;
        let cache = self.cache.store.location()?;
        if let Some(cache) = cache
            && overlaps(&source, &cache)
        {
            // Purging the cache deletes everything under its root: it must never hold the sources.
            return Err(ConfigError::Invalid(
                "cache.store must not be the source folder or bucket root, nor contain it: give it its own \
                 folder or prefix"
                    .to_string(),
            ));
        }
        if self.edge_source.secret.as_deref().is_some_and(str::is_empty) {
            return Err(ConfigError::Invalid("edge_source.secret is empty".to_string()));
        }
        if let Some(bad) =
            self.edge_source.formats.iter().find(|f| !crate::edge_source::KINDS.contains(&f.as_str()))
        {
            return Err(ConfigError::Invalid(format!(
                "edge_source.formats: unknown kind {bad:?} (known: {})",
                crate::edge_source::KINDS.join(", ")
            )));
        }
        if self.admin.token.as_deref().is_some_and(str::is_empty) {
            return Err(ConfigError::Invalid("admin.token is empty".to_string()));
        }
        let manifests = self.manifests.location()?;
        if let Some(cache) = cache
            && overlaps(&manifests, &cache)
        {
            return Err(ConfigError::Invalid(
                "cache.store must not be the manifests folder or bucket root, nor contain it: a purge would \
                 delete the manifests"
                    .to_string(),
            ));
        }
        Ok(())
    }

    /// Threads a lone render decodes tiles on: the configured count, or one per core.
    pub fn decode_threads(&self) -> usize {
        or_one_per_core(self.decode_threads)
    }

    /// The server's render slots: the configured count, or one per core plus one. With exactly one per
    /// core, 11-18% of the CPU idled under load (between one render's end and the next one's start on
    /// the blocking pool), and a spare slot took it back: JP2, HTJ2K and re-encoded 512² tiles 8-16%
    /// more per second at 16 connections, the same CPU per request (BENCHMARKS.md).
    pub fn render_slots(&self) -> usize {
        if self.threads > 0 { self.threads } else { self.render_threads() + 1 }
    }

    /// Threads for CPU-bound work: the configured count, or one per core (conversion jobs).
    pub fn render_threads(&self) -> usize {
        or_one_per_core(self.threads)
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_base {
            Some(b) => b.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }
}

/// `n`, or one per core when it is 0.
fn or_one_per_core(n: usize) -> usize {
    if n > 0 { n } else { std::thread::available_parallelism().map_or(2, |n| n.get()) }
}

/// `TESSELLA_*` variables as figment's `Env` reads them, except that a value that reads as a number or a
/// boolean stays text: `Env` alone would make `TESSELLA_ADMIN__TOKEN=123456` or a digits-only S3 prefix an
/// integer that no string key accepts. `extract_lossy` turns such text back into a number or a boolean
/// where the key wants one. Arrays and tables (`[jp2, tiff]`) and quoted strings are parsed as before.
struct EnvText(Env);

impl Provider for EnvText {
    fn metadata(&self) -> Metadata {
        self.0.metadata()
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut dict = Dict::new();
        for (key, text) in self.0.iter() {
            // A quoted value ("123") is the string inside the quotes, as with `Env`.
            let value = match text.parse::<Value>() {
                Ok(v @ (Value::Array(..) | Value::Dict(..) | Value::String(..))) => v,
                _ => Value::from(text),
            };
            if let Some(nested) = figment::util::nest(key.as_str(), value).into_dict() {
                merge_dicts(&mut dict, nested);
            }
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Merges `other` into `into`, table by table; a later value replaces an earlier one.
fn merge_dicts(into: &mut Dict, other: Dict) {
    for (key, value) in other {
        match (into.get_mut(&key), value) {
            (Some(Value::Dict(_, existing)), Value::Dict(_, nested)) => merge_dicts(existing, nested),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// Whether the cache store's root holds (or is) the source root. Local paths are compared as written and
/// canonicalized where they exist; S3 by bucket, endpoint and prefix.
fn overlaps(source: &StoreLocation<'_>, cache: &StoreLocation<'_>) -> bool {
    match (source, cache) {
        (StoreLocation::Local { path: s, .. }, StoreLocation::Local { path: c, .. }) => {
            let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            canon(s).starts_with(canon(c))
        }
        (StoreLocation::S3(s), StoreLocation::S3(c)) => {
            if s.bucket != c.bucket || s.endpoint != c.endpoint {
                return false;
            }
            match (normalized_prefix(s.prefix), normalized_prefix(c.prefix)) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(sp), Some(cp)) => sp == cp || sp.starts_with(&format!("{cp}/")),
            }
        }
        _ => false,
    }
}
