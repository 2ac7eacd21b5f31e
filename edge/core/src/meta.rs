//! A source's metadata as the edge keeps it: the object's size and version, and the header bytes the
//! core's probe read. The geometry is not stored: probing the cached header bytes again is microseconds
//! of pure computation, and keeps the cache format independent of the core's types.

use std::sync::Arc;

use tessella_core::Geometry;
use tessella_core::source::jp2_layout::{Indexed, Indexer};
use tessella_core::source::{self, ByteRange, SourceBytes, SourceError};

use crate::io::{RangeSource, SourceReadError};

/// A header walk that needs more round trips than this is broken or hostile (the origin's bound too).
const MAX_PROBE_FETCHES: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct SourceMeta {
    pub size: u64,
    pub version: String,
    /// The header chunks the probe fetched, by offset.
    pub chunks: Vec<(u64, Vec<u8>)>,
    pub geometry: Geometry,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetaError {
    #[error(transparent)]
    Read(#[from] SourceReadError),
    #[error(transparent)]
    Probe(#[from] SourceError),
    #[error("the probe asked for too many byte ranges")]
    TooManyFetches,
    #[error("the source changed while it was probed")]
    Changed,
    #[error("a damaged metadata entry")]
    Damaged,
}

impl SourceMeta {
    /// Probes `identifier` through ranged reads: the core's probe loop, as the origin runs it.
    pub async fn probe(source: &impl RangeSource, identifier: &str) -> Result<SourceMeta, MetaError> {
        let first = source.read(identifier, ByteRange::new(0, source::FIRST_FETCH)).await?;
        let (size, version) = (first.total, first.version);
        let mut chunks = vec![(0, first.data)];
        for _ in 0..MAX_PROBE_FETCHES {
            match Self::geometry_from(size, &chunks) {
                Ok(geometry) => return Ok(SourceMeta { size, version, chunks, geometry }),
                Err(SourceError::NeedBytes(range)) => {
                    let range = ByteRange::new(range.start, range.end.min(size));
                    if range.is_empty() {
                        return Err(
                            SourceError::corrupt("source", "header past the end of the object").into()
                        );
                    }
                    let read = source.read(identifier, range).await?;
                    if read.version != version {
                        return Err(MetaError::Changed);
                    }
                    chunks.push((range.start, read.data));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(MetaError::TooManyFetches)
    }

    /// The geometry, with a JPEG 2000 codestream's tile index when its main header has TLM markers, so a
    /// tile is rendered from a few ranged reads. Without TLM the codestream is read whole (and so usually
    /// sent to the origin): walking the tile-parts would cost a read per tile-part over the network.
    fn geometry_from(size: u64, chunks: &[(u64, Vec<u8>)]) -> Result<Geometry, SourceError> {
        let mut bytes = SourceBytes::new(Some(size));
        for (offset, data) in chunks {
            bytes.insert(*offset, data.clone());
        }
        let geometry = source::probe(&bytes)?;
        if !geometry.format.is_wavelet() {
            return Ok(geometry);
        }
        Ok(match Indexer::new(false).advance(&bytes)? {
            Indexed::Layout(layout) => geometry.with_jp2_layout(Arc::from(layout)),
            Indexed::Whole(_) => geometry,
        })
    }

    /// The first bytes of `range` the probe's chunks hold (possibly none, possibly all of it).
    pub fn held_prefix(&self, range: ByteRange) -> &[u8] {
        let mut prefix: &[u8] = &[];
        for (offset, data) in &self.chunks {
            let end = offset + data.len() as u64;
            if *offset <= range.start && range.start < end {
                let at = (range.start - offset) as usize;
                let len = (range.end.min(end) - range.start) as usize;
                if len > prefix.len() {
                    prefix = &data[at..at + len];
                }
            }
        }
        prefix
    }

    /// The cache form: `TSM1`, size, version, then each chunk as offset, length, bytes (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let held: usize = self.chunks.iter().map(|(_, d)| d.len() + 12).sum();
        let mut out = Vec::with_capacity(20 + self.version.len() + held);
        out.extend_from_slice(b"TSM1");
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&(self.version.len() as u32).to_le_bytes());
        out.extend_from_slice(self.version.as_bytes());
        out.extend_from_slice(&(self.chunks.len() as u32).to_le_bytes());
        for (offset, data) in &self.chunks {
            out.extend_from_slice(&offset.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    /// Reads the cache form back and probes its header bytes again.
    pub fn from_bytes(bytes: &[u8]) -> Result<SourceMeta, MetaError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != b"TSM1" {
            return Err(MetaError::Damaged);
        }
        let size = r.u64()?;
        let version_len = r.u32()? as usize;
        let version = String::from_utf8(r.take(version_len)?.to_vec()).map_err(|_| MetaError::Damaged)?;
        let count = r.u32()? as usize;
        let mut chunks = Vec::with_capacity(count.min(MAX_PROBE_FETCHES + 1));
        for _ in 0..count {
            let offset = r.u64()?;
            let len = r.u32()? as usize;
            chunks.push((offset, r.take(len)?.to_vec()));
        }
        if r.at != bytes.len() {
            return Err(MetaError::Damaged);
        }
        let geometry = Self::geometry_from(size, &chunks)?;
        Ok(SourceMeta { size, version, chunks, geometry })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MetaError> {
        let end = self.at.checked_add(n).ok_or(MetaError::Damaged)?;
        let slice = self.bytes.get(self.at..end).ok_or(MetaError::Damaged)?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, MetaError> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| MetaError::Damaged)?;
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, MetaError> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| MetaError::Damaged)?;
        Ok(u64::from_le_bytes(b))
    }
}
