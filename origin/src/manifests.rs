//! Manifests and collections: the object store they live in (`works/{ARK}.json`,
//! `collections/{ARK}.json`), and building them from a CSV batch with `tessella-manifest`, image sizes
//! probed through the same [`Sources`] the image server reads.
//!
//! Stored documents carry [`PLACEHOLDER_BASE`] as their host; [`resolve_base`] puts the public base in at
//! serve time, so moving hosts needs no regeneration.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt as _;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt as _, PutPayload};
use tessella_manifest::{
    BatchError, Context, DocumentKind, PLACEHOLDER_BASE, Presentation, Problem, annotate_csv, read_batch,
};

use crate::source::{SourceFailure, Sources, check_identifier};

pub use tessella_manifest::resolve_base;

/// Documents rendered but not yet written: the renderer waits when the store falls this far behind.
const PENDING_DOCUMENTS: usize = 64;

/// Image sizes probed at once for canvases the CSV gives no size.
const PROBES: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("invalid ARK: {0}")]
    BadArk(&'static str),
    #[error("{0}")]
    Batch(#[from] BatchError),
    #[error("manifest store: {0}")]
    Store(#[from] object_store::Error),
    #[error("manifest store: {0}")]
    Source(#[from] SourceFailure),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the document renderer stopped: {0}")]
    Renderer(String),
}

impl ManifestError {
    pub fn status(&self) -> u16 {
        match self {
            ManifestError::BadArk(_) | ManifestError::Batch(_) => 400,
            _ => 500,
        }
    }
}

/// A stored document's bytes and the store's version of it.
pub struct Stored {
    pub body: Bytes,
    pub version: String,
}

/// The object store of manifests and collections.
pub struct ManifestStore {
    store: Arc<dyn ObjectStore>,
}

impl ManifestStore {
    /// Documents in `store` (opened from `manifests` in the config by [`crate::store::open_store`]).
    pub fn new(store: Arc<dyn ObjectStore>) -> ManifestStore {
        ManifestStore { store }
    }

    fn path(kind: DocumentKind, ark: &str) -> Result<ObjectPath, ManifestError> {
        check_identifier(ark).map_err(|_| ManifestError::BadArk("not a safe object key"))?;
        ObjectPath::parse(kind.key(ark)).map_err(|_| ManifestError::BadArk("not a valid object key"))
    }

    pub async fn get(&self, kind: DocumentKind, ark: &str) -> Result<Option<Stored>, ManifestError> {
        let path = Self::path(kind, ark)?;
        match self.store.get(&path).await {
            Ok(result) => {
                let version =
                    result.meta.e_tag.clone().unwrap_or_else(|| result.meta.last_modified.to_rfc3339());
                Ok(Some(Stored { body: result.bytes().await?, version }))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn put(&self, kind: DocumentKind, ark: &str, body: Bytes) -> Result<(), ManifestError> {
        let path = Self::path(kind, ark)?;
        self.store.put(&path, PutPayload::from_bytes(body)).await?;
        Ok(())
    }

    /// Whether there was a document to delete.
    pub async fn delete(&self, kind: DocumentKind, ark: &str) -> Result<bool, ManifestError> {
        let path = Self::path(kind, ark)?;
        match self.store.head(&path).await {
            Ok(_) => {
                self.store.delete(&path).await?;
                Ok(true)
            }
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

/// A batch's options.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub version: Presentation,
    /// The base of the manifest URLs in the result CSV (the public base).
    pub public_base: String,
    /// Image services on another host (Fester's `iiif-host`, e.g. `https://iiif.example.edu/iiif/2`);
    /// unset: this server's Image API under the placeholder host.
    pub image_base: Option<String>,
}

/// Fester's `iiif-host` as the base of image services: a bare host (`https://iiif.example.edu`) gets
/// `/iiif/{3|2}` for the version; a base that already names an `/iiif/` path is kept.
pub fn image_base_from_host(host: &str, version: Presentation) -> String {
    let host = host.trim().trim_end_matches('/');
    if host.contains("/iiif/") { host.to_string() } else { format!("{host}/iiif/{}", version.image_api()) }
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct BatchReport {
    pub manifests: usize,
    pub collections: usize,
    pub problems: Vec<Problem>,
    /// The input CSV with an `IIIF Manifest URL` column.
    pub result_csv: Vec<u8>,
}

/// Reads a CSV batch, probes the sizes of images it does not give, renders every document on the blocking
/// pool and writes each to the store as it comes (at most [`PENDING_DOCUMENTS`] held at once).
pub async fn build_batch(
    csv: Bytes,
    options: &BatchOptions,
    sources: &Sources,
    store: &ManifestStore,
) -> Result<BatchReport, ManifestError> {
    let parse_input = csv.clone();
    let catalog = tokio::task::spawn_blocking(move || read_batch(&parse_input[..]))
        .await
        .map_err(|e| ManifestError::Renderer(e.to_string()))??;
    let catalog = Arc::new(catalog);

    // Probes run PROBES at a time: each is a few ranged reads, so a store's latency, not the CPU, bounds them.
    let unsized_images: Vec<String> = catalog.images_needing_size().map(|row| row.ark.clone()).collect();
    let sizes: HashMap<String, (u32, u32)> = futures_util::stream::iter(unsized_images)
        .map(|ark| async move {
            match sources.open(&ark).await {
                Ok(entry) => Some((ark, (entry.geometry.width, entry.geometry.height))),
                // The renderer reports the row; the log says why the image could not be read.
                Err(e) => {
                    tracing::debug!(%ark, error = %e, "no image size for a canvas");
                    None
                }
            }
        })
        .buffer_unordered(PROBES)
        .filter_map(std::future::ready)
        .collect()
        .await;

    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<Result<(DocumentKind, String, Vec<u8>), Problem>>(PENDING_DOCUMENTS);
    let render_catalog = catalog.clone();
    let version = options.version;
    let image_base = options.image_base.clone();
    let renderer = tokio::task::spawn_blocking(move || {
        let mut ctx = Context::new(version, PLACEHOLDER_BASE, &sizes);
        if let Some(base) = &image_base {
            ctx = ctx.with_image_base(base);
        }
        for doc in render_catalog.documents(&ctx) {
            let item = doc.map(|d| {
                let body = serde_json::to_vec(&d.json).unwrap_or_default();
                (d.kind, d.ark, body)
            });
            if tx.blocking_send(item).is_err() {
                break;
            }
        }
    });

    let mut report = BatchReport { problems: catalog.problems.clone(), ..BatchReport::default() };
    let mut built: HashMap<String, DocumentKind> = HashMap::new();
    while let Some(item) = rx.recv().await {
        match item {
            Ok((kind, ark, body)) => {
                store.put(kind, &ark, Bytes::from(body)).await?;
                match kind {
                    DocumentKind::Manifest => report.manifests += 1,
                    DocumentKind::Collection => report.collections += 1,
                }
                built.insert(ark, kind);
            }
            Err(problem) => report.problems.push(problem),
        }
    }
    renderer.await.map_err(|e| ManifestError::Renderer(e.to_string()))?;
    report.problems.sort_by_key(|p| p.line);

    let base = options.public_base.trim_end_matches('/').to_string();
    let mut result = Vec::with_capacity(csv.len() + csv.len() / 4);
    annotate_csv(
        &csv[..],
        &mut result,
        |ark| {
            let doc = catalog.document_of.get(ark)?;
            built.get(doc).map(|kind| kind.url(&base, doc))
        },
        &report.problems,
    )?;
    report.result_csv = result;
    for problem in &report.problems {
        tracing::warn!(%problem, "batch row left out");
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iiif_host_gains_the_image_api_path_for_the_version() {
        assert_eq!(
            image_base_from_host("https://iiif.example.edu/", Presentation::V3),
            "https://iiif.example.edu/iiif/3"
        );
        assert_eq!(
            image_base_from_host("https://iiif.example.edu", Presentation::V2),
            "https://iiif.example.edu/iiif/2"
        );
        assert_eq!(
            image_base_from_host("https://iiif.example.edu/iiif/2/", Presentation::V3),
            "https://iiif.example.edu/iiif/2"
        );
    }
}
