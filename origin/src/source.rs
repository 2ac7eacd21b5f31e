//! Sources: the object store images are read from, identifier → object key resolution, the probe loop
//! over ranged reads, and the in-memory cache of probed geometry (so a second request for an image reads
//! no headers).

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt as _};
use tessella_core::geometry::Geometry;
use tessella_core::source::jp2_layout::{Indexed, Indexer};
use tessella_core::source::{self, ByteRange, SourceBytes, SourceError};

use crate::config::CacheConfig;
use crate::metrics::{Metrics, SourceRead, Tier};
use crate::store::OpenedStore;

/// Extensions tried, in order, when the identifier is not itself a key.
const EXTENSIONS: [&str; 10] = ["tif", "tiff", "jp2", "jpx", "jhc", "j2c", "j2k", "jpg", "jpeg", "png"];

/// Every identifier that can name the same object as `identifier`: itself, its stem without an image
/// extension, and the stem with each extension [`Sources::open`] tries.
pub fn spellings(identifier: &str) -> Vec<String> {
    let stem = EXTENSIONS
        .iter()
        .find_map(|e| identifier.strip_suffix(e).and_then(|s| s.strip_suffix('.')))
        .filter(|stem| !stem.is_empty())
        .unwrap_or(identifier);
    let others = std::iter::once(stem.to_string()).chain(EXTENSIONS.iter().map(|e| format!("{stem}.{e}")));
    std::iter::once(identifier.to_string()).chain(others.filter(|s| s != identifier)).collect()
}

/// A header walk that needs more round trips than this is broken or hostile.
const MAX_PROBE_FETCHES: usize = 64;

/// Reads a JPEG 2000 tile index may take (a walk reads once per tile-part the last read did not reach);
/// past it, the source is read whole per request.
const MAX_INDEX_FETCHES: usize = 4096;

/// The least a read for the tile index fetches.
const INDEX_FETCH: u64 = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SourceFailure {
    #[error("invalid identifier: {0}")]
    BadIdentifier(&'static str),
    #[error("no image with identifier {0:?}")]
    NotFound(String),
    #[error("{0}")]
    Probe(#[from] SourceError),
    #[error("the probe of {0} asked for too many byte ranges")]
    TooManyFetches(String),
    #[error("source store: {0}")]
    Store(#[from] object_store::Error),
    #[error("source store: {0}")]
    Io(#[from] std::io::Error),
}

impl SourceFailure {
    pub fn status(&self) -> u16 {
        match self {
            SourceFailure::BadIdentifier(_) => 400,
            SourceFailure::NotFound(_) => 404,
            SourceFailure::Probe(e) => e.status(),
            SourceFailure::TooManyFetches(_) | SourceFailure::Store(_) | SourceFailure::Io(_) => 500,
        }
    }
}

/// What we know about one source object: where it is, its version, and its probed geometry.
#[derive(Debug)]
pub struct SourceEntry {
    pub location: ObjectPath,
    pub size: u64,
    /// The store's ETag, or else its last-modified time: changes when the object does.
    pub version: String,
    pub geometry: Geometry,
}

pub struct Sources {
    store: Arc<dyn ObjectStore>,
    /// The canonical root folder of a local store, to refuse symlinks that lead outside it.
    local_root: Option<PathBuf>,
    geometry: moka::future::Cache<String, Arc<SourceEntry>>,
    metrics: Arc<Metrics>,
}

impl Sources {
    /// Sources read from `opened`, with the geometry cache sized by `config`.
    pub fn new(opened: OpenedStore, config: &CacheConfig, metrics: Arc<Metrics>) -> Sources {
        let geometry = moka::future::Cache::builder()
            .max_capacity(config.geometry_entries)
            .time_to_live(Duration::from_secs(config.geometry_ttl_seconds.max(1)))
            .build();
        Sources { store: opened.store, local_root: opened.local_root, geometry, metrics }
    }

    /// Forgets the probed geometry of one identifier (the next request looks at the source again).
    pub async fn forget(&self, identifier: &str) {
        self.geometry.invalidate(identifier).await;
    }

    /// Forgets every probed geometry.
    pub fn forget_all(&self) {
        self.geometry.invalidate_all();
    }

    /// The source for an identifier, probed once and then served from the geometry cache. Concurrent first
    /// requests for one image (a viewer asks for info.json and a screenful of tiles at once) share one
    /// probe: the cache coalesces their loads.
    pub async fn open(&self, identifier: &str) -> Result<Arc<SourceEntry>, Arc<SourceFailure>> {
        let entry = self.geometry.entry_by_ref(identifier).or_try_insert_with(self.load(identifier)).await?;
        // Fresh: this call probed the source; otherwise the geometry was cached (or another call probed).
        self.metrics.cache("geometry", Tier::Memory, !entry.is_fresh());
        Ok(entry.into_value())
    }

    async fn load(&self, identifier: &str) -> Result<Arc<SourceEntry>, SourceFailure> {
        let key = check_identifier(identifier)?;
        let meta = self.find(key).await?;
        let geometry = self.probe(&meta.location, meta.size).await?;
        let version = meta.e_tag.clone().unwrap_or_else(|| meta.last_modified.to_rfc3339());
        Ok(Arc::new(SourceEntry { location: meta.location, size: meta.size, version, geometry }))
    }

    /// The exact key, then the key with each image extension.
    async fn find(&self, key: &str) -> Result<object_store::ObjectMeta, SourceFailure> {
        let candidates =
            std::iter::once(key.to_string()).chain(EXTENSIONS.iter().map(|e| format!("{key}.{e}")));
        for candidate in candidates {
            let Ok(path) = ObjectPath::parse(&candidate) else {
                return Err(SourceFailure::BadIdentifier("not a valid object key"));
            };
            if self.local_root.is_some() && !local_store_can_hold(&candidate) {
                continue;
            }
            match self.store.head(&path).await {
                Ok(meta) => {
                    self.metrics.source_read(SourceRead::Head, 0);
                    self.check_inside_root(&candidate)?;
                    return Ok(meta);
                }
                Err(e) if means_absent(&e) => self.metrics.source_read(SourceRead::Head, 0),
                Err(e) => return Err(e.into()),
            }
        }
        Err(SourceFailure::NotFound(key.to_string()))
    }

    /// A local store follows symlinks; one that resolves outside the images folder is treated as absent,
    /// so a link cannot expose the rest of the file system.
    fn check_inside_root(&self, key: &str) -> Result<(), SourceFailure> {
        let Some(root) = &self.local_root else { return Ok(()) };
        let resolved = std::fs::canonicalize(root.join(key))?;
        if resolved.starts_with(root) { Ok(()) } else { Err(SourceFailure::NotFound(key.to_string())) }
    }

    /// Probes the object and, for JPEG 2000, indexes its tiles.
    async fn probe(&self, location: &ObjectPath, size: u64) -> Result<Geometry, SourceFailure> {
        let header = |n| self.metrics.source_read(SourceRead::Header, n);
        let (geometry, bytes) = probe_object(self.store.as_ref(), location, size, header).await?;
        if geometry.format.is_wavelet() {
            return self.index_jp2(location, geometry, bytes).await;
        }
        Ok(geometry)
    }

    /// Attaches the JPEG 2000 tile index (from TLM markers, else a walk over the tile-parts), so requests
    /// read only the tiles they need. A codestream that cannot be indexed is still served, read whole.
    async fn index_jp2(
        &self,
        location: &ObjectPath,
        geometry: Geometry,
        mut bytes: SourceBytes,
    ) -> Result<Geometry, SourceFailure> {
        let size = bytes.len().unwrap_or(0);
        let mut indexer = Indexer::new(true);
        for fetches in 0..=MAX_INDEX_FETCHES {
            match indexer.advance(&bytes) {
                Ok(Indexed::Layout(layout)) => {
                    tracing::debug!(%location, tiles = layout.tile_count(), fetches, "JPEG 2000 tiles indexed");
                    return Ok(geometry.with_jp2_layout(Arc::from(layout)));
                }
                Ok(Indexed::Whole(reason)) => {
                    tracing::debug!(%location, %reason, "JPEG 2000 read whole per request");
                    return Ok(geometry);
                }
                Err(SourceError::NeedBytes(range)) if fetches < MAX_INDEX_FETCHES => {
                    // Walk steps are small; a larger read covers the next few tile-part headers too.
                    let end = range.end.max(range.start.saturating_add(INDEX_FETCH)).min(size);
                    let data = self.store.get_range(location, range.start..end).await?;
                    self.metrics.source_read(SourceRead::Header, data.len() as u64);
                    bytes.insert(range.start, owned(data));
                }
                Err(e) => {
                    tracing::warn!(%location, error = %e, "JPEG 2000 tile index failed; read whole per request");
                    return Ok(geometry);
                }
            }
        }
        tracing::warn!(%location, "JPEG 2000 tile index needs too many reads; read whole per request");
        Ok(geometry)
    }

    /// Reads exactly `ranges` (what `render::ranges` named for a plan) into the bytes the core renders from.
    pub async fn read(
        &self,
        entry: &SourceEntry,
        ranges: &[ByteRange],
    ) -> Result<SourceBytes, SourceFailure> {
        let data = |n| self.metrics.source_read(SourceRead::Data, n);
        read_ranges(self.store.as_ref(), &entry.location, entry.size, ranges, data).await
    }

    /// The first 100 entries at the root and how many there are, for `/health?deep=true`: proves the store
    /// is reachable.
    pub async fn list_root(&self) -> Result<(Vec<String>, usize), SourceFailure> {
        let listing = self.store.list_with_delimiter(None).await?;
        let mut names: Vec<String> = listing
            .common_prefixes
            .iter()
            .map(|p| format!("{p}/"))
            .chain(listing.objects.iter().map(|o| o.location.to_string()))
            .collect();
        names.sort();
        let count = names.len();
        names.truncate(100);
        Ok((names, count))
    }
}

/// The core's probe loop over ranged reads of one object: fetch what the parser asks for until it has the
/// geometry. `counted` is told each read's size. Returns the header bytes read, for a tile index to go on.
pub async fn probe_object(
    store: &dyn ObjectStore,
    location: &ObjectPath,
    size: u64,
    mut counted: impl FnMut(u64),
) -> Result<(Geometry, SourceBytes), SourceFailure> {
    let mut bytes = SourceBytes::new(Some(size));
    let mut next = ByteRange::new(0, source::FIRST_FETCH.min(size));
    for _ in 0..MAX_PROBE_FETCHES {
        if !next.is_empty() {
            let data = store.get_range(location, next.start..next.end).await?;
            counted(data.len() as u64);
            bytes.insert(next.start, owned(data));
        }
        match source::probe(&bytes) {
            Ok(geometry) => return Ok((geometry, bytes)),
            Err(SourceError::NeedBytes(range)) if range != next => next = range,
            Err(e) => return Err(e.into()),
        }
    }
    Err(SourceFailure::TooManyFetches(location.to_string()))
}

/// Reads exactly `ranges` of an object of `size` bytes into the bytes the core renders from; `counted` is
/// told each read's size.
pub async fn read_ranges(
    store: &dyn ObjectStore,
    location: &ObjectPath,
    size: u64,
    ranges: &[ByteRange],
    mut counted: impl FnMut(u64),
) -> Result<SourceBytes, SourceFailure> {
    let mut bytes = SourceBytes::new(Some(size));
    let wanted = touching_runs(ranges, size);
    if wanted.is_empty() {
        return Ok(bytes);
    }
    // A local store reads exactly these ranges; S3 merges ranges less than 1 MiB apart into one GET
    // (object_store's trade of a few extra bytes for fewer round trips).
    let data = store.get_ranges(location, &wanted).await?;
    for (range, chunk) in wanted.iter().zip(data) {
        counted(chunk.len() as u64);
        bytes.insert(range.start, owned(chunk));
    }
    Ok(bytes)
}

/// `ranges` (cut at `size`, empty ones dropped) with those that touch or overlap joined, in file order. A
/// level's tiles are often stored one after another: read as one range, they arrive as one buffer that
/// is handed over whole, where separate ranges would come back as slices of a buffer the store merged
/// anyway, each copied.
fn touching_runs(ranges: &[ByteRange], size: u64) -> Vec<Range<u64>> {
    let mut sorted: Vec<Range<u64>> =
        ranges.iter().map(|r| r.start..r.end.min(size)).filter(|r| r.start < r.end).collect();
    sorted.sort_by_key(|r| r.start);
    let mut runs: Vec<Range<u64>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match runs.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => runs.push(r),
        }
    }
    runs
}

/// The bytes of a read as the `Vec` the core's `SourceBytes` holds, without copying when the store handed
/// over a buffer it no longer shares (a local store's reads: `object_store` reads each range into a `Vec`
/// of its own). A whole JPEG 2000 source was read for every request (before it was read by tile), and a
/// copy here cost as much CPU as the read itself (about 6% of a JP2 tile's render, `scripts/bench-iipimage.sh`). Slices of a merged S3 read
/// are shared and still copied.
fn owned(chunk: bytes::Bytes) -> Vec<u8> {
    Vec::from(chunk)
}

/// Whether a store's answer to a `HEAD` of a key made from a request's identifier means there is no such
/// image. A local store names some of those cases errors of its own: a key through a file
/// (`nemo.jp2/x`: not a directory), a segment longer than the file system allows. They are the client's
/// mistake, not the server's fault, so they are a 404 like any missing image.
fn means_absent(e: &object_store::Error) -> bool {
    if matches!(e, object_store::Error::NotFound { .. }) {
        return true;
    }
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind;
            return matches!(
                io.kind(),
                ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::InvalidFilename
            );
        }
        cause = c.source();
    }
    false
}

/// `object_store`'s local store refuses a file name that ends in `#` and digits (its own name for parts
/// of an upload), so such an identifier can only be absent from a folder.
fn local_store_can_hold(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    match name.split_once('#') {
        Some((_, digits)) if !digits.is_empty() => !digits.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    }
}

/// The longest identifier served. S3 limits a key to 1024 bytes, prefix and the extension tried
/// included, and a request for a longer one is an error, not a miss; any file system's limit is far
/// shorter per segment, and those are misses.
const MAX_IDENTIFIER_BYTES: usize = 1000;

/// Refuses identifiers that could name something outside the source root. The object key is the
/// identifier itself.
pub(crate) fn check_identifier(identifier: &str) -> Result<&str, SourceFailure> {
    if identifier.len() > MAX_IDENTIFIER_BYTES {
        return Err(SourceFailure::BadIdentifier("an identifier may be at most 1000 bytes long"));
    }
    if identifier.starts_with('/') {
        return Err(SourceFailure::BadIdentifier("an identifier may not be an absolute path"));
    }
    if identifier.contains('\\') {
        return Err(SourceFailure::BadIdentifier("an identifier may not contain a backslash"));
    }
    if identifier.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(SourceFailure::BadIdentifier("an identifier may not contain '.' or '..' segments"));
    }
    if identifier.split('/').any(str::is_empty) {
        return Err(SourceFailure::BadIdentifier("an identifier may not contain empty path segments"));
    }
    Ok(identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_that_leave_the_root_are_refused() {
        for bad in ["../etc/passwd", "a/../../b", "/etc/passwd", "a\\b", "a//b", "./a"] {
            assert!(matches!(check_identifier(bad), Err(SourceFailure::BadIdentifier(_))), "{bad}");
        }
        for good in ["rocket", "ark:/1234/x", "a..b", "folder/image.tif"] {
            assert!(check_identifier(good).is_ok(), "{good}");
        }
        assert!(check_identifier(&"a".repeat(1000)).is_ok());
        assert!(matches!(check_identifier(&"a".repeat(1001)), Err(SourceFailure::BadIdentifier(_))));
    }

    #[test]
    fn touching_ranges_are_read_as_one() {
        let r = |a, b| ByteRange::new(a, b);
        let ranges = [r(30, 40), r(0, 10), r(10, 20), r(50, 60), r(55, 70), r(90, 120), r(200, 300), r(5, 5)];
        assert_eq!(touching_runs(&ranges, 100), vec![0..20, 30..40, 50..70, 90..100]);
        assert_eq!(touching_runs(&[], 100), Vec::<Range<u64>>::new());
    }

    #[test]
    fn spellings_of_one_image() {
        let of_stem = spellings("folder/rocket");
        assert_eq!(of_stem.len(), 1 + EXTENSIONS.len());
        assert_eq!(of_stem[0], "folder/rocket");
        assert!(of_stem.contains(&"folder/rocket.jpg".to_string()));
        let mut with_ext = spellings("folder/rocket.jpg");
        assert_eq!(with_ext[0], "folder/rocket.jpg");
        with_ext.sort();
        let mut sorted = of_stem.clone();
        sorted.sort();
        assert_eq!(with_ext, sorted, "both spellings purge the same set");
        assert_eq!(spellings(".jpg")[0], ".jpg");
        assert!(spellings("a.b").contains(&"a.b.tif".to_string()));
    }

    #[test]
    fn names_a_local_store_cannot_hold() {
        for bad in ["x#1", "a/b#0123"] {
            assert!(!local_store_can_hold(bad), "{bad}");
        }
        for good in ["x", "x#", "x#a1", "a#1/b", "ark:/1#2x"] {
            assert!(local_store_can_hold(good), "{good}");
        }
    }

    /// A local store's ranged reads reach `SourceBytes` without a copy, and with the right bytes.
    #[tokio::test]
    async fn local_reads_are_handed_over_without_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("a.bin"), &data).unwrap();
        let opened =
            crate::store::open_store(crate::store::StoreLocation::Local { path: dir.path(), create: false })
                .unwrap();
        let path = ObjectPath::parse("a.bin").unwrap();
        // Separate ranges (a whole JP2, a TIFF's tiles) are read one by one into buffers of their own.
        let chunks = opened.store.get_ranges(&path, &[0..100_000, 200_000..300_000]).await.unwrap();
        for (chunk, range) in chunks.into_iter().zip([0..100_000usize, 200_000..300_000]) {
            let before = chunk.as_ptr();
            let vec = owned(chunk);
            assert_eq!(vec.as_ptr(), before, "the read for {range:?} was copied");
            assert_eq!(vec, data[range]);
        }
        // Overlapping ranges are read once and sliced: shared, so copied, and still right.
        let chunks = opened.store.get_ranges(&path, &[0..300_000, 1000..2000]).await.unwrap();
        for (chunk, range) in chunks.into_iter().zip([0..300_000usize, 1000..2000]) {
            assert_eq!(owned(chunk), data[range]);
        }
        // Through read_ranges: touching tiles in any order, read as runs, every byte where it belongs.
        let tiles = [ByteRange::new(1000, 2000), ByteRange::new(0, 1000), ByteRange::new(250_000, 250_010)];
        let mut reads = 0;
        let bytes = read_ranges(opened.store.as_ref(), &path, 300_000, &tiles, |_| reads += 1).await.unwrap();
        assert_eq!(reads, 2, "two runs");
        assert_eq!(bytes.read(0, 2000).unwrap(), &data[..2000]);
        assert_eq!(bytes.read(250_000, 10).unwrap(), &data[250_000..250_010]);
    }
}
