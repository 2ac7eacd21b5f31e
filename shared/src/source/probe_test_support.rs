//! Test support shared by the format probes' tests: fixture files and a simulated caller of the
//! `NeedBytes` protocol.

use std::string::String;
use std::vec::Vec;

use super::{SourceBytes, SourceError};

/// A test image from the workspace's shared fixtures (`/work/shared/fixtures`).
pub fn fixture(name: &str) -> Vec<u8> {
    let path = String::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/")) + name;
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A test image from the repository's `samples/`.
pub fn sample(name: &str) -> Vec<u8> {
    let path = String::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/")) + name;
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// How a simulated caller answers `NeedBytes`.
#[derive(Debug, Clone, Copy)]
pub struct Feeder {
    /// Whether the caller knows the object's length (it did a HEAD first).
    pub known_len: bool,
    /// Bytes the caller holds before the first call.
    pub initial: usize,
    /// The most bytes one round trip returns (a server capping its range responses); `None` returns the
    /// whole requested range.
    pub chunk: Option<usize>,
}

impl Feeder {
    pub const EXACT: Feeder = Feeder { known_len: true, initial: 0, chunk: None };
    pub const STINGY: Feeder = Feeder { known_len: true, initial: 0, chunk: Some(16) };

    /// Runs the caller's side of the probe protocol over `file` until `parse` stops asking for bytes or the
    /// file cannot satisfy it. Returns the final result and the number of round trips.
    pub fn run<T>(
        self,
        file: &[u8],
        parse: impl Fn(&SourceBytes) -> Result<T, SourceError>,
    ) -> (Result<T, SourceError>, usize) {
        let mut bytes = SourceBytes::new(self.known_len.then_some(file.len() as u64));
        bytes.insert(0, file[..self.initial.min(file.len())].to_vec());
        let mut trips = 0;
        loop {
            let range = match parse(&bytes) {
                Err(SourceError::NeedBytes(range)) => range,
                done => return (done, trips),
            };
            assert!(trips < 100_000, "probe does not converge (last asked for {range:?})");
            // A stingy server only sends the first `chunk` bytes, so resume at the first byte not yet held
            // or the same request would repeat forever.
            let mut start = range.start;
            if self.chunk.is_some() {
                while start < range.end && bytes.read(start, 1).is_ok() {
                    start += 1;
                }
            }
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            let mut end = usize::try_from(range.end).unwrap_or(usize::MAX).min(file.len());
            if let Some(chunk) = self.chunk {
                end = end.min(start.saturating_add(chunk));
            }
            if start >= end {
                // The caller cannot fetch past its object: the parser's request is the final answer.
                return (Err(SourceError::NeedBytes(range)), trips);
            }
            bytes.insert(start as u64, file[start..end].to_vec());
            trips += 1;
        }
    }
}
