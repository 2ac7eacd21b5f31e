//! Tessella's conversion as an AWS Lambda function: a master uploaded to a bucket triggers an S3
//! `ObjectCreated` event, and each of its records becomes one serving derivative in the destination
//! bucket, made by the same code as `tessella convert` ([`tessella_origin::convert::convert_object`]).
//!
//! This crate is a thin adapter: [`Settings`] reads the function's environment (`TESSELLA_DEST`,
//! `TESSELLA_KEY`, `TESSELLA_FORMAT`, ...) with the command line's defaults, and [`handle`] turns an
//! [`S3Event`] into one [`Job`] per record and reports on every record. It runs without the Lambda runtime
//! (tests call it directly); `src/main.rs` plugs it into `lambda_runtime`.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lambda_events::event::s3::{S3Event, S3EventRecord};
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use serde::Serialize;
use tessella_origin::config::{Config, ConfigError};
use tessella_origin::convert::{DerivativeFormat, Job, Recipe, State, convert_object, location};

/// The command line's defaults (`tessella convert --help`).
pub const DEFAULT_KEY_TEMPLATE: &str = "{ark}.{ext}";
pub const DEFAULT_TILE: u32 = 512;
pub const DEFAULT_QUALITY: u8 = 90;
pub const DEFAULT_MAX_SOURCE_BYTES: u64 = 2 << 30;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("TESSELLA_DEST is not set: it names the destination, s3://bucket/prefix")]
    NoDestination,
    #[error("{name}={value:?}: {reason}")]
    Invalid { name: &'static str, value: String, reason: String },
    #[error("TESSELLA_DEST={0:?}: {1}")]
    Destination(String, String),
    #[error("{0}")]
    Config(#[from] ConfigError),
}

/// Where derivatives go.
#[derive(Clone)]
pub struct Destination {
    pub store: Arc<dyn ObjectStore>,
    /// The bucket, when the destination is S3 (a source object under [`Destination::prefix`] of it is
    /// never converted: its derivative would trigger the function again).
    pub bucket: Option<String>,
    /// The key prefix inside the bucket, without slashes at either end.
    pub prefix: String,
    /// As configured, for logs.
    pub url: String,
}

/// The function's configuration, read once per cold start.
#[derive(Clone)]
pub struct Settings {
    /// S3 client settings (region, credentials, endpoint) without a bucket: each record's bucket is
    /// opened with them, and so is the destination.
    pub s3: AmazonS3Builder,
    pub destination: Destination,
    pub recipe: Recipe,
    /// The destination key: `{ark}` (the source key without its extension, less `strip_prefix`) and
    /// `{ext}` (the derivative's extension) replaced.
    pub key_template: String,
    /// Removed from the start of a source key before it becomes `{ark}` (e.g. `masters/`).
    pub strip_prefix: String,
    /// Sources larger than this are reported as failed rather than read.
    pub max_source_bytes: u64,
    /// Convert even when the destination already has the derivative (a replaced master).
    pub force: bool,
    /// After a conversion, purge the identifier from this origin's caches (its admin API).
    pub purge: Option<Purge>,
}

/// An origin whose cached derivatives of a reconverted identifier are purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purge {
    /// The origin's base URL (`TESSELLA_PURGE_URL`).
    pub base: String,
    /// Its `admin.token` (`TESSELLA_ADMIN_TOKEN`).
    pub token: String,
}

impl Settings {
    /// From the process environment: `TESSELLA_*` as in [`Settings::from_vars`], the S3 client from the
    /// usual `AWS_*` variables (in Lambda: the execution role's credentials and the region), and the
    /// decode budget from the origin's configuration (`TESSELLA_BUDGET__MAX_PIXELS`, `..._MAX_BYTES`).
    pub fn from_env() -> Result<Settings, SettingsError> {
        let config = Config::load(None)?;
        let mut recipe = Recipe::default();
        recipe.render.budget = config.budget.to_budget();
        Settings::from_vars(|name| std::env::var(name).ok(), AmazonS3Builder::from_env(), recipe)
    }

    /// From variables looked up by `var`, on top of `base` (whose decode budget is kept):
    ///
    /// | variable | default | meaning |
    /// |---|---|---|
    /// | `TESSELLA_DEST` | (required) | `s3://bucket/prefix` (or a folder) |
    /// | `TESSELLA_KEY` | `{ark}.{ext}` | destination key template |
    /// | `TESSELLA_FORMAT` | `ptiff` | derivative format |
    /// | `TESSELLA_TILE` | 512 | tile edge |
    /// | `TESSELLA_QUALITY` | 90 | JPEG quality of tiles, 1–100 |
    /// | `TESSELLA_LOSSLESS` | false | JPEG 2000: reversible 5-3 (exact pixels) instead of lossy |
    /// | `TESSELLA_RATE` | 8 | JPEG 2000, lossy: compression ratio (8 is Kakadu's `-rate 3` on 24-bit RGB) |
    /// | `TESSELLA_THREADS` | 1 | OpenJPEG threads per JPEG 2000 encode |
    /// | `TESSELLA_PURGE_URL` | none | an origin whose caches are purged of each converted identifier |
    /// | `TESSELLA_ADMIN_TOKEN` | none | that origin's `admin.token` (required with `TESSELLA_PURGE_URL`) |
    /// | `TESSELLA_STRIP_PREFIX` | empty | removed from source keys before they become `{ark}` |
    /// | `TESSELLA_MAX_SOURCE_BYTES` | 2 GiB | larger sources fail unread |
    /// | `TESSELLA_FORCE` | false | reconvert when the derivative exists |
    pub fn from_vars(
        var: impl Fn(&str) -> Option<String>,
        s3: AmazonS3Builder,
        base: Recipe,
    ) -> Result<Settings, SettingsError> {
        let get = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let dest = get("TESSELLA_DEST").ok_or(SettingsError::NoDestination)?;
        let format = match get("TESSELLA_FORMAT") {
            Some(v) => v.trim().parse::<DerivativeFormat>().map_err(|reason| SettingsError::Invalid {
                name: "TESSELLA_FORMAT",
                value: v.clone(),
                reason,
            })?,
            None => DerivativeFormat::PyramidTiff,
        };
        let tile = number(get("TESSELLA_TILE"), "TESSELLA_TILE", DEFAULT_TILE)?;
        if !(16..=4096).contains(&tile) || !tile.is_multiple_of(16) {
            return Err(SettingsError::Invalid {
                name: "TESSELLA_TILE",
                value: tile.to_string(),
                reason: "a tile edge is a multiple of 16 from 16 to 4096 (what the pyramid encoder writes)"
                    .to_string(),
            });
        }
        let quality = number(get("TESSELLA_QUALITY"), "TESSELLA_QUALITY", DEFAULT_QUALITY)?;
        let flag = |name: &'static str| match get(name).as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("1" | "true" | "yes") => Ok(true),
            Some(other) => Err(SettingsError::Invalid {
                name,
                value: other.to_string(),
                reason: "true or false".to_string(),
            }),
        };
        let force = flag("TESSELLA_FORCE")?;
        let lossless = flag("TESSELLA_LOSSLESS")?;
        let rate: f32 = number(get("TESSELLA_RATE"), "TESSELLA_RATE", base.rate)?;
        if !(rate > 1.0 && rate.is_finite()) {
            return Err(SettingsError::Invalid {
                name: "TESSELLA_RATE",
                value: rate.to_string(),
                reason: "a compression ratio above 1 (8 is 8:1)".to_string(),
            });
        }
        let threads = number(get("TESSELLA_THREADS"), "TESSELLA_THREADS", base.threads)?.max(1);
        let purge = match (get("TESSELLA_PURGE_URL"), get("TESSELLA_ADMIN_TOKEN")) {
            (None, _) => None,
            (Some(base), Some(token)) => Some(Purge { base: base.trim().to_string(), token }),
            (Some(base), None) => {
                return Err(SettingsError::Invalid {
                    name: "TESSELLA_PURGE_URL",
                    value: base,
                    reason: "purging needs the origin's admin token in TESSELLA_ADMIN_TOKEN".to_string(),
                });
            }
        };
        let key_template = get("TESSELLA_KEY").unwrap_or_else(|| DEFAULT_KEY_TEMPLATE.to_string());
        if !key_template.contains("{ark}") {
            return Err(SettingsError::Invalid {
                name: "TESSELLA_KEY",
                value: key_template,
                reason: "the template must contain {ark}, or every derivative gets the same key".to_string(),
            });
        }
        Ok(Settings {
            destination: open_destination(&dest, &s3)?,
            s3,
            recipe: Recipe {
                format,
                tile_size: tile,
                jpeg_quality: quality.clamp(1, 100),
                lossless,
                rate,
                threads,
                ..base
            },
            key_template,
            strip_prefix: get("TESSELLA_STRIP_PREFIX").unwrap_or_default(),
            max_source_bytes: number(
                get("TESSELLA_MAX_SOURCE_BYTES"),
                "TESSELLA_MAX_SOURCE_BYTES",
                DEFAULT_MAX_SOURCE_BYTES,
            )?,
            force,
            purge,
        })
    }

    /// The destination key of a (decoded) source key.
    pub fn destination_key(&self, source_key: &str) -> Result<ObjectPath, String> {
        let key = self
            .key_template
            .replace("{ark}", &ark_of(source_key, &self.strip_prefix))
            .replace("{ext}", self.recipe.format.extension());
        ObjectPath::parse(&key).map_err(|e| format!("{key:?} is not a valid object key: {e}"))
    }

    fn open_bucket(&self, bucket: &str) -> Result<Arc<dyn ObjectStore>, String> {
        self.s3
            .clone()
            .with_bucket_name(bucket)
            .build()
            .map(|s| Arc::new(s) as Arc<dyn ObjectStore>)
            .map_err(|e| format!("cannot open bucket {bucket:?}: {e}"))
    }
}

fn number<T: std::str::FromStr>(
    value: Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, SettingsError>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| SettingsError::Invalid {
            name,
            value: v.clone(),
            reason: e.to_string(),
        }),
    }
}

/// `s3://bucket/prefix` through `s3` (so the destination shares the sources' endpoint and credentials),
/// anything else as a folder, as `tessella convert --dest` does.
fn open_destination(url: &str, s3: &AmazonS3Builder) -> Result<Destination, SettingsError> {
    let location = location::open_with(url, true, s3)
        .map_err(|e| SettingsError::Destination(url.to_string(), e.to_string()))?;
    Ok(Destination {
        store: location.store,
        bucket: location.bucket,
        prefix: location.prefix,
        url: url.to_string(),
    })
}

/// An object key as S3 event notifications carry it: form-encoded, `+` for a space and `%XX` for other
/// bytes (`my master+%281%29.tif` is `my master (1).tif`).
pub fn decode_key(encoded: &str) -> Result<String, String> {
    let spaced = encoded.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|k| k.into_owned())
        .map_err(|_| format!("the key {encoded:?} does not decode to UTF-8"))
}

/// The identifier of a source key: `strip_prefix` removed from its start, then its extension (`.tif`, the
/// last dot of the last segment) removed.
pub fn ark_of(key: &str, strip_prefix: &str) -> String {
    let key = key.strip_prefix(strip_prefix).unwrap_or(key);
    let name_start = key.rfind('/').map_or(0, |i| i + 1);
    match key[name_start..].rfind('.') {
        Some(dot) if dot > 0 => key[..name_start + dot].to_string(),
        _ => key.to_string(),
    }
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordState {
    /// The derivative was written.
    Succeeded,
    /// The destination already had it.
    Ingested,
    /// The source object is not there (deleted since the event).
    Missing,
    /// Not converted, with the reason; the invocation errors so AWS retries it.
    Failed,
    /// Not an upload of a master (another event type, a folder marker, the function's own output).
    Skipped,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Succeeded => "succeeded",
            RecordState::Ingested => "ingested",
            RecordState::Missing => "missing",
            RecordState::Failed => "failed",
            RecordState::Skipped => "skipped",
        }
    }
}

impl From<State> for RecordState {
    fn from(state: State) -> Self {
        match state {
            State::Succeeded => RecordState::Succeeded,
            State::Ingested => RecordState::Ingested,
            State::Missing => RecordState::Missing,
            State::Failed => RecordState::Failed,
        }
    }
}

/// One record's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordResult {
    pub bucket: String,
    /// The source key, decoded.
    pub key: String,
    /// The derivative's key under the destination, when one was named.
    pub destination: Option<String>,
    pub state: RecordState,
    /// Why, when failed, missing or skipped.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The function's answer: every record, in the event's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub records: Vec<RecordResult>,
}

impl Report {
    pub fn count(&self, state: RecordState) -> usize {
        self.records.iter().filter(|r| r.state == state).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Some records failed (the others were converted and stay so): AWS retries the invocation, and the
    /// records already done are then `ingested`.
    #[error("{failed} of {total} records failed: {details}")]
    RecordsFailed { failed: usize, total: usize, details: String },
}

/// Converts every record of `event`, one after the other (an invocation holds one image at a time), and
/// reports on each. Never fails as a whole: a record that cannot be converted is a `failed` result.
pub async fn handle(event: &S3Event, settings: &Settings) -> Report {
    let mut buckets: HashMap<String, Arc<dyn ObjectStore>> = HashMap::new();
    let mut report = Report::default();
    for record in &event.records {
        let result = handle_record(record, settings, &mut buckets).await;
        match result.state {
            RecordState::Failed => tracing::warn!(
                bucket = result.bucket,
                key = result.key,
                destination = result.destination,
                state = result.state.as_str(),
                "{}",
                result.reason
            ),
            _ => tracing::info!(
                bucket = result.bucket,
                key = result.key,
                destination = result.destination,
                state = result.state.as_str(),
                "{}",
                result.reason
            ),
        }
        report.records.push(result);
    }
    report
}

/// [`handle`], then an error when any record failed (what the Lambda runtime returns to AWS). The
/// report is in the error's message, so the function's log and the async invocation's failure
/// destination name each failed record.
pub async fn handle_checked(event: &S3Event, settings: &Settings) -> Result<Report, HandlerError> {
    let report = handle(event, settings).await;
    let failed: Vec<String> = report
        .records
        .iter()
        .filter(|r| r.state == RecordState::Failed)
        .map(|r| format!("s3://{}/{}: {}", r.bucket, r.key, r.reason))
        .collect();
    if failed.is_empty() {
        Ok(report)
    } else {
        Err(HandlerError::RecordsFailed {
            failed: failed.len(),
            total: report.records.len(),
            details: failed.join("; "),
        })
    }
}

async fn handle_record(
    record: &S3EventRecord,
    settings: &Settings,
    buckets: &mut HashMap<String, Arc<dyn ObjectStore>>,
) -> RecordResult {
    let bucket = record.s3.bucket.name.clone().unwrap_or_default();
    let encoded = record.s3.object.key.clone().unwrap_or_default();
    let mut result = RecordResult {
        bucket: bucket.clone(),
        key: encoded.clone(),
        destination: None,
        state: RecordState::Failed,
        reason: String::new(),
    };
    let done = |mut result: RecordResult, state, reason: String| {
        result.state = state;
        result.reason = reason;
        result
    };
    if let Some(name) = record.event_name.as_deref()
        && !name.starts_with("ObjectCreated:")
    {
        return done(result, RecordState::Skipped, format!("a {name} event, not an upload"));
    }
    if bucket.is_empty() || encoded.is_empty() {
        return done(result, RecordState::Failed, "the record names no bucket or no key".to_string());
    }
    let key = match decode_key(&encoded) {
        Ok(k) => k,
        Err(e) => return done(result, RecordState::Failed, e),
    };
    result.key = key.clone();
    if key.ends_with('/') {
        return done(result, RecordState::Skipped, "a folder marker, not an image".to_string());
    }
    let destination = &settings.destination;
    if destination.bucket.as_deref() == Some(bucket.as_str())
        && (destination.prefix.is_empty() || key.starts_with(&format!("{}/", destination.prefix)))
    {
        return done(
            result,
            RecordState::Skipped,
            format!("under the destination {}: a derivative, not a master", destination.url),
        );
    }
    let destination_key = match settings.destination_key(&key) {
        Ok(k) => k,
        Err(e) => return done(result, RecordState::Failed, e),
    };
    result.destination = Some(destination_key.to_string());
    let source_key = match ObjectPath::parse(&key) {
        Ok(k) => k,
        Err(e) => {
            return done(result, RecordState::Failed, format!("{key:?} is not a valid object key: {e}"));
        }
    };
    let source = match buckets.get(&bucket) {
        Some(store) => store.clone(),
        None => match settings.open_bucket(&bucket) {
            Ok(store) => {
                buckets.insert(bucket.clone(), store.clone());
                store
            }
            Err(e) => return done(result, RecordState::Failed, e),
        },
    };
    let job = Job {
        source: source.as_ref(),
        source_key: &source_key,
        destination: destination.store.as_ref(),
        destination_key: &destination_key,
        recipe: &settings.recipe,
        max_source_bytes: settings.max_source_bytes,
        force: settings.force,
    };
    let outcome = convert_object(&job).await;
    let mut reason = outcome.reason;
    if outcome.state == State::Succeeded
        && let Some(purge) = &settings.purge
    {
        // The derivative is written either way: a failed purge is reported, not retried (a retry would
        // find the record ingested). The origin's caches then expire on their own.
        let ark = ark_of(&key, &settings.strip_prefix);
        let failed =
            tessella_origin::convert::purge::purge(&purge.base, &purge.token, std::slice::from_ref(&ark))
                .await;
        let note = match failed.first() {
            None => format!("purged {ark} at {}", purge.base),
            Some((_, why)) => format!("purging {ark} at {} failed: {why}", purge.base),
        };
        reason = if reason.is_empty() { note } else { format!("{reason}; {note}") };
    }
    done(result, outcome.state.into(), reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_decode_as_s3_encodes_them() {
        assert_eq!(decode_key("ark%3A/21198/zz0009gsq9.tif").as_deref(), Ok("ark:/21198/zz0009gsq9.tif"));
        assert_eq!(decode_key("my+masters/a+%281%29.tif").as_deref(), Ok("my masters/a (1).tif"));
        // A literal plus is sent as %2B and must not become a space.
        assert_eq!(decode_key("a%2Bb.tif").as_deref(), Ok("a+b.tif"));
        assert_eq!(decode_key("caf%C3%A9.tif").as_deref(), Ok("café.tif"));
        assert!(decode_key("bad%FF.tif").is_err());
    }

    #[test]
    fn arks_drop_the_extension_and_the_prefix() {
        assert_eq!(ark_of("ark:/21198/zz0009gsq9.tif", ""), "ark:/21198/zz0009gsq9");
        assert_eq!(ark_of("masters/ark:/1/x.y.tiff", "masters/"), "ark:/1/x.y");
        assert_eq!(ark_of("a.dir/noext", ""), "a.dir/noext");
        assert_eq!(ark_of(".hidden", ""), ".hidden");
        assert_eq!(ark_of("other/x.tif", "masters/"), "other/x");
    }

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let s3 = AmazonS3Builder::new()
            .with_region("us-east-1")
            .with_access_key_id("test")
            .with_secret_access_key("test");
        Settings::from_vars(|name| vars.get(name).cloned(), s3, Recipe::default())
    }

    #[test]
    fn settings_default_as_the_command_line_does() {
        let s = settings(&[("TESSELLA_DEST", "s3://derivatives/iiif/")]).expect("settings");
        assert_eq!(s.recipe.format, DerivativeFormat::PyramidTiff);
        assert_eq!((s.recipe.tile_size, s.recipe.jpeg_quality), (DEFAULT_TILE, DEFAULT_QUALITY));
        assert_eq!(s.key_template, "{ark}.{ext}");
        assert_eq!(s.max_source_bytes, DEFAULT_MAX_SOURCE_BYTES);
        assert!(!s.force);
        assert!(!s.recipe.lossless && s.purge.is_none());
        assert_eq!(s.destination.bucket.as_deref(), Some("derivatives"));
        assert_eq!(s.destination.prefix, "iiif");
        assert_eq!(s.destination_key("ark:/1/x.tif").map(|k| k.to_string()), Ok("ark:/1/x.tif".to_string()));
    }

    #[test]
    fn settings_read_every_variable() {
        let s = settings(&[
            ("TESSELLA_DEST", "s3://d"),
            ("TESSELLA_KEY", "out/{ark}/image.{ext}"),
            ("TESSELLA_FORMAT", "tiff"),
            ("TESSELLA_TILE", "256"),
            ("TESSELLA_QUALITY", "150"),
            ("TESSELLA_STRIP_PREFIX", "masters/"),
            ("TESSELLA_MAX_SOURCE_BYTES", "1000"),
            ("TESSELLA_FORCE", "true"),
            ("TESSELLA_LOSSLESS", "yes"),
            ("TESSELLA_RATE", "20"),
            ("TESSELLA_THREADS", "4"),
            ("TESSELLA_PURGE_URL", "https://iiif.example.org"),
            ("TESSELLA_ADMIN_TOKEN", "t0ken"),
        ])
        .expect("settings");
        assert_eq!((s.recipe.tile_size, s.recipe.jpeg_quality), (256, 100));
        assert!(s.recipe.lossless);
        assert_eq!((s.recipe.rate, s.recipe.threads), (20.0, 4));
        assert_eq!(s.purge, Some(Purge { base: "https://iiif.example.org".into(), token: "t0ken".into() }));
        assert_eq!(s.max_source_bytes, 1000);
        assert!(s.force);
        assert_eq!(s.destination.prefix, "");
        assert_eq!(
            s.destination_key("masters/b 1.tif").map(|k| k.to_string()),
            Ok("out/b 1/image.tif".to_string())
        );
    }

    #[test]
    fn bad_settings_name_the_variable() {
        let err = |vars: &[(&str, &str)]| settings(vars).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(&[]).contains("TESSELLA_DEST is not set"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_FORMAT", "bmp")]).contains("TESSELLA_FORMAT"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_TILE", "100")]).contains("TESSELLA_TILE"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_TILE", "x")]).contains("TESSELLA_TILE"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_KEY", "x.tif")]).contains("{ark}"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_FORCE", "maybe")]).contains("TESSELLA_FORCE"));
        assert!(err(&[("TESSELLA_DEST", "s3:///x")]).contains("no bucket"));
        assert!(err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_RATE", "0.5")]).contains("TESSELLA_RATE"));
        assert!(
            err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_LOSSLESS", "2")]).contains("TESSELLA_LOSSLESS")
        );
        assert!(
            err(&[("TESSELLA_DEST", "s3://d"), ("TESSELLA_PURGE_URL", "http://o")]).contains("ADMIN_TOKEN")
        );
    }
}
