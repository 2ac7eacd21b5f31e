//! Reading a local file through the core's probe protocol: only the byte ranges the parser asks for.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use tessella_core::geometry::Geometry;
use tessella_core::source::{self, ByteRange, SourceBytes, SourceError};

#[derive(Debug, thiserror::Error)]
pub enum ProbeFileError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}")]
    Source(#[from] SourceError),
    #[error("the probe asked for more than {0} ranges; giving up")]
    TooManyFetches(usize),
}

/// The probed geometry and the ranges that were read to get it.
pub struct Probed {
    pub geometry: Geometry,
    pub fetches: Vec<ByteRange>,
    pub file_len: u64,
}

/// A header walk that needs more round trips than this is broken or hostile.
const MAX_FETCHES: usize = 256;

pub fn probe_file(path: &Path) -> Result<Probed, ProbeFileError> {
    let io = |source| ProbeFileError::Io { path: path.display().to_string(), source };
    let mut file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let mut bytes = SourceBytes::new(Some(file_len));
    let mut fetches = Vec::new();
    let mut next = ByteRange::new(0, source::FIRST_FETCH.min(file_len));
    loop {
        if fetches.len() >= MAX_FETCHES {
            return Err(ProbeFileError::TooManyFetches(MAX_FETCHES));
        }
        let data = read_range(&mut file, next).map_err(io)?;
        bytes.insert(next.start, data);
        fetches.push(next);
        match source::probe(&bytes) {
            Ok(geometry) => return Ok(Probed { geometry, fetches, file_len }),
            Err(SourceError::NeedBytes(range)) => next = range,
            Err(e) => return Err(e.into()),
        }
    }
}

fn read_range(file: &mut File, range: ByteRange) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(range.start))?;
    let mut buf = Vec::with_capacity(range.len() as usize);
    file.take(range.len()).read_to_end(&mut buf)?;
    Ok(buf)
}
