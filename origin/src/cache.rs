//! The in-memory derivative cache: encoded images by canonical request.
//!
//! This is the first tier. The object-store tier (derivatives written beside the sources, shared by
//! every origin instance) and the admin purge API come later; they slot in behind [`DerivativeCache`]'s
//! `get`/`put`, which is all the request path knows about.

use std::sync::Arc;

use bytes::Bytes;
use tessella_core::iiif::Format;

/// One cached response body, with the ETag it was served under: the ETag hashes the source's version,
/// so an entry whose ETag no longer matches was rendered from an older source and is not served.
#[derive(Debug, Clone)]
pub struct CachedImage {
    pub body: Bytes,
    pub format: Format,
    pub etag: String,
}

pub struct DerivativeCache {
    memory: moka::sync::Cache<String, Arc<CachedImage>>,
}

impl DerivativeCache {
    /// A cache holding at most `max_bytes` of bodies (and keys).
    pub fn new(max_bytes: u64) -> DerivativeCache {
        let memory = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, value: &Arc<CachedImage>| {
                u32::try_from(key.len() + value.body.len()).unwrap_or(u32::MAX)
            })
            .build();
        DerivativeCache { memory }
    }

    /// The cached image for `key` if it was rendered from the source version `etag` names.
    pub fn get(&self, key: &str, etag: &str) -> Option<Arc<CachedImage>> {
        self.memory.get(key).filter(|c| c.etag == etag)
    }

    pub fn put(&self, key: String, image: Arc<CachedImage>) {
        self.memory.insert(key, image);
    }
}
