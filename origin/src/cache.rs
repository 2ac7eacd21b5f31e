//! The caches in front of rendering: info.json bodies in memory, and derivatives (encoded images) in two
//! tiers, memory then an object store (a folder or a bucket, shared by restarts and by every origin
//! instance). Lookup goes memory → store → render; a store hit fills memory.
//!
//! A store entry is one object: a small header (the canonical request, the ETag it was rendered under,
//! the body's length and checksum) and then the body. Every read checks all of it, so an entry that is
//! truncated, corrupt, or for another key is never served: it counts as a miss and is deleted. Entries are
//! only written for successful renders, in one `put` (the local store writes a temporary file and renames
//! it; an S3 PUT is atomic), so a crash or a failed render cannot leave a partial entry under a real key.
//!
//! Object keys mirror the request, grouped under the identifier so that purging one image is deleting
//! one prefix: `{identifier}/{3|2}/{region}/{size}/{rotation}/{quality}.{format}`, each segment made safe
//! for every store by [`key_segment`].

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use serde::{Deserialize, Serialize};
use tessella_core::iiif::{CanonicalRequest, Format, Version, encode_identifier};

use crate::metrics::{Metrics, Tier};

/// One cached response body, with the ETag it was served under: the ETag hashes the source's version,
/// so an entry whose ETag no longer matches was rendered from an older source and is not served.
#[derive(Debug, Clone)]
pub struct CachedImage {
    pub body: Bytes,
    pub format: Format,
    pub etag: String,
}

/// Where one derivative lives in both tiers.
#[derive(Debug, Clone)]
pub struct DerivativeKey {
    /// [`CanonicalRequest::cache_key`]: the memory tier's key, also recorded in (and checked against)
    /// store entries.
    canonical: String,
    format: Format,
    location: ObjectPath,
}

impl DerivativeKey {
    pub fn new(request: &CanonicalRequest) -> DerivativeKey {
        let params = request.params();
        let segments = std::iter::once(key_segment(&request.identifier))
            .chain(std::iter::once(request.version.path_segment().to_string()))
            .chain(params.split('/').map(key_segment));
        DerivativeKey {
            canonical: request.cache_key(),
            format: request.format,
            location: ObjectPath::from_iter(segments),
        }
    }

    /// The object key in the cache store.
    pub fn location(&self) -> &ObjectPath {
        &self.location
    }
}

/// The longest key segment written as is; longer ones are cut and end in a hash (file systems limit a
/// name to 255 bytes). The canonical request recorded in the entry tells any collision apart.
const MAX_SEGMENT: usize = 200;

/// A segment of an object key for arbitrary text: ASCII letters, digits, `-`, `_`, `,` and (not first)
/// `.` stay; every other byte becomes `=XX` (hex). Injective, never `.` or `..`, no `/`, and nothing that
/// S3, GCS or a file system treat specially.
pub fn key_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b',') || (b == b'.' && i > 0) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "={b:02X}");
        }
    }
    if out.len() > MAX_SEGMENT {
        let mut cut = MAX_SEGMENT - 20;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        // `=h` cannot come from an escape (h is not a hex digit).
        let _ = write!(out, "=h{:016x}", fnv1a(text.as_bytes()));
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

const MAGIC: &[u8; 8] = b"TSLCACH1";

/// What an entry records about its body.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct EntryHeader {
    key: String,
    etag: String,
    source_version: String,
    body_len: u64,
    body_fnv1a: String,
}

/// `MAGIC`, the header's length (u32, big-endian), the header as JSON, the body.
fn encode_entry(header: &EntryHeader, body: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    let json = serde_json::to_vec(header)?;
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + json.len() + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&u32::try_from(json.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(body);
    Ok(out)
}

/// Why a stored entry was rejected.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BadEntry {
    #[error("not a cache entry (bad magic or truncated header)")]
    Framing,
    #[error("unreadable header: {0}")]
    Header(String),
    #[error("entry for {found:?}, not {expected:?}")]
    OtherKey { expected: String, found: String },
    #[error("body is {found} bytes, the header says {expected}")]
    Length { expected: u64, found: u64 },
    #[error("body checksum mismatch")]
    Checksum,
}

/// The entry's header and body, after checking its framing, key, length and checksum.
fn decode_entry(data: &Bytes, expected_key: &str) -> Result<(EntryHeader, Bytes), BadEntry> {
    let rest = data.strip_prefix(MAGIC.as_slice()).ok_or(BadEntry::Framing)?;
    let (len, rest) = rest.split_first_chunk::<4>().ok_or(BadEntry::Framing)?;
    let len = u32::from_be_bytes(*len) as usize;
    let json = rest.get(..len).ok_or(BadEntry::Framing)?;
    let header: EntryHeader = serde_json::from_slice(json).map_err(|e| BadEntry::Header(e.to_string()))?;
    if header.key != expected_key {
        return Err(BadEntry::OtherKey { expected: expected_key.to_string(), found: header.key });
    }
    let body = data.slice(MAGIC.len() + 4 + len..);
    if body.len() as u64 != header.body_len {
        return Err(BadEntry::Length { expected: header.body_len, found: body.len() as u64 });
    }
    if header.body_fnv1a != format!("{:016x}", fnv1a(&body)) {
        return Err(BadEntry::Checksum);
    }
    Ok((header, body))
}

pub struct DerivativeCache {
    memory: moka::sync::Cache<String, Arc<CachedImage>>,
    store: Option<Arc<dyn ObjectStore>>,
    metrics: Arc<Metrics>,
    /// Background writes hold it shared, a purge exclusively: a purge waits for the writes already under
    /// way (and then deletes what they wrote) ...
    writes: Arc<tokio::sync::RwLock<()>>,
    /// ... and bumps this, so a write queued before the purge but not yet started is dropped instead of
    /// bringing a purged entry back.
    purges: Arc<AtomicU64>,
}

impl DerivativeCache {
    /// A memory tier holding at most `max_bytes` of bodies (and keys), in front of `store` when given.
    pub fn new(
        max_bytes: u64,
        store: Option<Arc<dyn ObjectStore>>,
        metrics: Arc<Metrics>,
    ) -> DerivativeCache {
        let memory = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, value: &Arc<CachedImage>| {
                u32::try_from(key.len() + value.body.len()).unwrap_or(u32::MAX)
            })
            .support_invalidation_closures()
            .build();
        DerivativeCache {
            memory,
            store,
            metrics,
            writes: Arc::new(tokio::sync::RwLock::new(())),
            purges: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// Memory only: what `HEAD` may answer from without reading the store.
    pub fn get_memory(&self, key: &DerivativeKey, etag: &str) -> Option<Arc<CachedImage>> {
        self.memory.get(&key.canonical).filter(|c| c.etag == etag)
    }

    /// The cached image for `key` rendered from the source version `etag` names, and the tier that had it.
    pub async fn get(&self, key: &DerivativeKey, etag: &str) -> Option<(Arc<CachedImage>, Tier)> {
        let hit = self.get_memory(key, etag);
        self.metrics.cache("derivative", Tier::Memory, hit.is_some());
        if let Some(hit) = hit {
            return Some((hit, Tier::Memory));
        }
        let store = self.store.as_ref()?;
        let found = self.read_store(store, key, etag).await;
        self.metrics.cache("derivative", Tier::Store, found.is_some());
        let image = found?;
        self.memory.insert(key.canonical.clone(), image.clone());
        Some((image, Tier::Store))
    }

    async fn read_store(
        &self,
        store: &Arc<dyn ObjectStore>,
        key: &DerivativeKey,
        etag: &str,
    ) -> Option<Arc<CachedImage>> {
        let data = match store.get(&key.location).await {
            Ok(result) => result.bytes().await,
            Err(e) => Err(e),
        };
        let data = match data {
            Ok(data) => data,
            Err(object_store::Error::NotFound { .. }) => return None,
            Err(e) => {
                // A store that fails a read is a miss, not a failed request: the image can still be rendered.
                tracing::warn!(key = %key.location, error = %e, "cache store read failed");
                self.metrics.cache_store_error("read");
                return None;
            }
        };
        match decode_entry(&data, &key.canonical) {
            Ok((header, body)) if header.etag == etag => {
                Some(Arc::new(CachedImage { body, format: key.format, etag: header.etag }))
            }
            // Rendered from an older version of the source: the render that follows overwrites it.
            Ok(_) => None,
            Err(bad) => {
                tracing::warn!(key = %key.location, reason = %bad, "deleting a corrupt cache entry");
                self.metrics.cache_store_error("corrupt");
                if let Err(e) = store.delete(&key.location).await
                    && !matches!(e, object_store::Error::NotFound { .. })
                {
                    tracing::warn!(key = %key.location, error = %e, "cannot delete a corrupt cache entry");
                    self.metrics.cache_store_error("delete");
                }
                None
            }
        }
    }

    /// Keeps a freshly rendered image: in memory now, and in the store in the background, so the response
    /// does not wait for the write. Call only with a successful render.
    pub fn put(&self, key: &DerivativeKey, image: Arc<CachedImage>, source_version: &str) {
        self.memory.insert(key.canonical.clone(), image.clone());
        let Some(store) = self.store.clone() else { return };
        let header = EntryHeader {
            key: key.canonical.clone(),
            etag: image.etag.clone(),
            source_version: source_version.to_string(),
            body_len: image.body.len() as u64,
            body_fnv1a: format!("{:016x}", fnv1a(&image.body)),
        };
        let location = key.location.clone();
        let metrics = self.metrics.clone();
        let (writes, purges) = (self.writes.clone(), self.purges.clone());
        let generation = purges.load(Ordering::SeqCst);
        tokio::spawn(async move {
            let _writing = writes.read().await;
            if purges.load(Ordering::SeqCst) != generation {
                tracing::debug!(key = %location, "a purge came first: not writing");
                return;
            }
            let result = match encode_entry(&header, &image.body) {
                Ok(entry) => {
                    store.put(&location, PutPayload::from(entry)).await.map(|_| ()).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            match result {
                Ok(()) => tracing::debug!(key = %location, "derivative written to the cache store"),
                Err(e) => {
                    tracing::warn!(key = %location, error = %e, "cache store write failed");
                    metrics.cache_store_error("write");
                }
            }
        });
    }

    /// Drops every derivative of these identifiers (the spellings of one image) from both tiers, in one
    /// pass over memory; the number of store objects deleted.
    pub async fn purge_identifiers(&self, identifiers: &[String]) -> Result<usize, object_store::Error> {
        let prefixes: Vec<String> = identifiers
            .iter()
            .flat_map(|id| {
                let encoded = encode_identifier(id);
                [Version::V3, Version::V2].map(|v| format!("{}/{encoded}/", v.path_segment()))
            })
            .collect();
        let _purging = self.writes.write().await;
        self.purges.fetch_add(1, Ordering::SeqCst);
        // Cannot fail: the cache was built with invalidation closures.
        let _ = self.memory.invalidate_entries_if(move |k, _| prefixes.iter().any(|p| k.starts_with(p)));
        let Some(store) = &self.store else { return Ok(0) };
        let mut deleted = 0;
        for id in identifiers {
            deleted += delete_prefix(store, Some(&ObjectPath::from_iter([key_segment(id)]))).await?;
        }
        Ok(deleted)
    }

    /// Drops every derivative from both tiers: everything under the store's root.
    pub async fn purge_all(&self) -> Result<usize, object_store::Error> {
        let _purging = self.writes.write().await;
        self.purges.fetch_add(1, Ordering::SeqCst);
        self.memory.invalidate_all();
        match &self.store {
            Some(store) => delete_prefix(store, None).await,
            None => Ok(0),
        }
    }

    /// Writes, reads back and deletes a probe object, for `/health?deep=true`. `None` without a store.
    pub async fn check_store(&self) -> Option<Result<(), String>> {
        let store = self.store.as_ref()?;
        // A leading `.` never starts a key_segment, so the probe cannot collide with an entry.
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let location = ObjectPath::from_iter([".health".to_string(), format!("probe-{nanos}")]);
        let payload = Bytes::from(format!("tessella health probe {nanos}"));
        let check = async {
            store.put(&location, PutPayload::from(payload.clone())).await?;
            let read = store.get(&location).await?.bytes().await?;
            store.delete(&location).await?;
            Ok::<_, object_store::Error>(read)
        };
        Some(match check.await {
            Ok(read) if read == payload => Ok(()),
            Ok(_) => Err("the probe object read back differs from what was written".to_string()),
            Err(e) => Err(e.to_string()),
        })
    }
}

/// Deletes every object under `prefix` (everything when `None`); the number deleted.
async fn delete_prefix(
    store: &Arc<dyn ObjectStore>,
    prefix: Option<&ObjectPath>,
) -> Result<usize, object_store::Error> {
    let locations = store.list(prefix).map_ok(|meta| meta.location).boxed();
    let mut results = store.delete_stream(locations);
    let mut deleted = 0;
    while let Some(result) = results.next().await {
        match result {
            Ok(_) => deleted += 1,
            // Gone between the listing and the delete (another instance purged it too).
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(deleted)
}

/// info.json bodies by version and identifier, with the source version they were built from.
pub struct InfoCache {
    memory: moka::sync::Cache<String, Arc<CachedInfo>>,
}

#[derive(Debug)]
pub struct CachedInfo {
    pub source_version: String,
    pub body: String,
    /// A hash of the whole body, so it changes with anything the body shows (the source, the public base,
    /// the advertised features), not only with the source; each response's ETag adds its media type.
    pub etag: String,
}

impl CachedInfo {
    pub fn new(source_version: String, body: String) -> CachedInfo {
        let etag = crate::responses::etag("info.json", &body);
        CachedInfo { source_version, body, etag }
    }
}

impl InfoCache {
    pub fn new(max_entries: u64) -> InfoCache {
        InfoCache { memory: moka::sync::Cache::new(max_entries) }
    }

    fn key(version: Version, identifier: &str) -> String {
        format!("{}/{}", version.path_segment(), encode_identifier(identifier))
    }

    /// The cached body if it was built from `source_version`.
    pub fn get(&self, version: Version, identifier: &str, source_version: &str) -> Option<Arc<CachedInfo>> {
        self.memory.get(&Self::key(version, identifier)).filter(|c| c.source_version == source_version)
    }

    pub fn put(&self, version: Version, identifier: &str, info: Arc<CachedInfo>) {
        self.memory.insert(Self::key(version, identifier), info);
    }

    pub fn purge_identifier(&self, identifier: &str) {
        for version in [Version::V3, Version::V2] {
            self.memory.invalidate(&Self::key(version, identifier));
        }
    }

    pub fn purge_all(&self) {
        self.memory.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_segments_are_safe_and_distinct() {
        assert_eq!(key_segment("rocket"), "rocket");
        assert_eq!(key_segment("Elephants_5640x3172"), "Elephants_5640x3172");
        assert_eq!(key_segment("ark:/1234/x"), "ark=3A=2F1234=2Fx");
        assert_eq!(key_segment(".."), "=2E.");
        assert_eq!(key_segment("a=b"), "a=3Db");
        assert_ne!(key_segment("a=3Db"), key_segment("a=b"));
        assert_eq!(key_segment("^256,"), "=5E256,");
        assert_eq!(key_segment("a b%20"), "a=20b=2520");
        let long = key_segment(&"é".repeat(300));
        assert!(long.len() <= MAX_SEGMENT && long.contains("=h"), "{long}");
        assert_ne!(long, key_segment(&"é".repeat(301)));
    }

    #[test]
    fn entries_round_trip_and_damage_is_detected() {
        let body = Bytes::from_static(b"\xff\xd8 pretend jpeg \xff\xd9");
        let header = EntryHeader {
            key: "3/rocket/full/max/0/default.jpg".into(),
            etag: "\"e\"".into(),
            source_version: "v1".into(),
            body_len: body.len() as u64,
            body_fnv1a: format!("{:016x}", fnv1a(&body)),
        };
        let entry = Bytes::from(encode_entry(&header, &body).expect("encode"));
        let (h, b) = decode_entry(&entry, &header.key).expect("valid");
        assert_eq!((h, b), (header, body.clone()));

        let truncated = entry.slice(..entry.len() - 1);
        assert!(matches!(
            decode_entry(&truncated, "3/rocket/full/max/0/default.jpg"),
            Err(BadEntry::Length { .. })
        ));
        let mut flipped = entry.to_vec();
        let last = flipped.len() - 3;
        flipped[last] ^= 1;
        assert_eq!(
            decode_entry(&Bytes::from(flipped), "3/rocket/full/max/0/default.jpg"),
            Err(BadEntry::Checksum)
        );
        assert!(matches!(
            decode_entry(&entry, "3/other/full/max/0/default.jpg"),
            Err(BadEntry::OtherKey { .. })
        ));
        assert_eq!(decode_entry(&Bytes::from_static(b"TSLC"), "k"), Err(BadEntry::Framing));
        assert_eq!(decode_entry(&entry.slice(..20), "k"), Err(BadEntry::Framing));
    }

    fn key(identifier: &str) -> DerivativeKey {
        DerivativeKey::new(&CanonicalRequest {
            version: Version::V3,
            identifier: identifier.to_string(),
            region: "full".into(),
            size: "max".into(),
            rotation: "0".into(),
            quality: tessella_core::iiif::Quality::Default,
            format: Format::Jpg,
        })
    }

    fn image() -> Arc<CachedImage> {
        Arc::new(CachedImage { body: Bytes::from_static(b"body"), format: Format::Jpg, etag: "\"e\"".into() })
    }

    fn files(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).into_iter().flatten().flatten().count()
    }

    // On the current-thread runtime a spawned write cannot start before the test awaits, so the purge
    // below deterministically comes between `put` and its write.
    #[tokio::test]
    async fn a_write_queued_before_a_purge_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir.path()).expect("store");
        let metrics = Arc::new(Metrics::new().expect("metrics"));
        let cache = DerivativeCache::new(1 << 20, Some(Arc::new(store)), metrics);

        cache.put(&key("a"), image(), "v1");
        assert_eq!(cache.purge_all().await.expect("purge"), 0);
        cache.put(&key("b"), image(), "v1");
        assert_eq!(cache.purge_identifiers(&["b".to_string()]).await.expect("purge"), 0);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(files(dir.path()), 0, "a purged entry came back");

        // Without a purge the same write lands.
        cache.put(&key("c"), image(), "v1");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(dir.path().join("c/3/full/max/0/default.jpg").is_file());
        assert_eq!(cache.purge_identifiers(&["c".to_string()]).await.expect("purge"), 1);
    }
}
