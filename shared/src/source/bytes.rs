use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::SourceError;

/// A half-open byte range `start..end` of a source object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

impl ByteRange {
    pub fn new(start: u64, end: u64) -> Self {
        ByteRange { start, end: end.max(start) }
    }

    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// The parts of a source object a caller has fetched so far, keyed by offset. Overlapping and adjacent
/// chunks are merged on insert, so any read inside fetched bytes is one contiguous slice.
#[derive(Debug, Clone, Default)]
pub struct SourceBytes {
    chunks: BTreeMap<u64, Vec<u8>>,
    len: Option<u64>,
}

/// Ask for at least this much when a read misses, so a parser walking a header does not cost one round
/// trip per field.
const MIN_FETCH: u64 = 16 * 1024;

impl SourceBytes {
    /// `len` is the object's total size when the caller knows it (a HEAD or a Content-Range told it).
    pub fn new(len: Option<u64>) -> Self {
        SourceBytes { chunks: BTreeMap::new(), len }
    }

    /// A whole object already in memory.
    pub fn from_vec(data: Vec<u8>) -> Self {
        let mut s = SourceBytes::new(Some(data.len() as u64));
        s.insert(0, data);
        s
    }

    pub fn len(&self) -> Option<u64> {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == Some(0)
    }

    /// Total bytes held, for budgeting.
    pub fn held(&self) -> u64 {
        self.chunks.values().map(|c| c.len() as u64).sum()
    }

    pub fn insert(&mut self, offset: u64, data: Vec<u8>) {
        if data.is_empty() {
            return;
        }
        let mut start = offset;
        let mut merged = data;
        // Absorb a chunk that starts before and reaches into (or touches) the new one.
        if let Some((&s, prev)) = self.chunks.range(..=start).next_back() {
            let prev_end = s + prev.len() as u64;
            if prev_end >= start {
                let skip = (prev_end - start) as usize;
                if skip >= merged.len() {
                    // The new data lies inside the old chunk.
                    return;
                }
                // The earlier chunk is moved out and grown, not copied: a run of adjacent inserts (a
                // level's tiles, stored one after another) then costs its length, not its length squared.
                if let Some(mut joined) = self.chunks.remove(&s) {
                    joined.extend_from_slice(&merged[skip..]);
                    start = s;
                    merged = joined;
                }
            }
        }
        // Absorb chunks that start inside (or right after) the new one.
        loop {
            let end = start + merged.len() as u64;
            let next = self.chunks.range(start..=end).next().map(|(&s, _)| s);
            let Some(s) = next else { break };
            let Some(chunk) = self.chunks.remove(&s) else { break };
            let chunk_end = s + chunk.len() as u64;
            if chunk_end > end {
                let skip = (end - s) as usize;
                merged.extend_from_slice(&chunk[skip..]);
            }
        }
        self.chunks.insert(start, merged);
    }

    /// `len` bytes at `offset`, or `NeedBytes` naming what to fetch. Reading past the known end of the
    /// object is corruption (a header pointing nowhere), not a fetch.
    pub fn read(&self, offset: u64, len: usize) -> Result<&[u8], SourceError> {
        let end = offset
            .checked_add(len as u64)
            .ok_or_else(|| SourceError::corrupt("source", "offset overflows"))?;
        if let Some(total) = self.len
            && end > total
        {
            return Err(SourceError::corrupt(
                "source",
                alloc::format!("read of {offset}..{end} past the end ({total} bytes)"),
            ));
        }
        if let Some((&s, chunk)) = self.chunks.range(..=offset).next_back() {
            let chunk_end = s + chunk.len() as u64;
            if end <= chunk_end {
                let from = (offset - s) as usize;
                return Ok(&chunk[from..from + len]);
            }
        }
        let mut want_end = end.max(offset.saturating_add(MIN_FETCH));
        if let Some(total) = self.len {
            want_end = want_end.min(total);
        }
        Err(SourceError::NeedBytes(ByteRange::new(offset, want_end)))
    }

    /// Big-endian and little-endian integer helpers used by every parser.
    pub fn u8_at(&self, offset: u64) -> Result<u8, SourceError> {
        Ok(self.read(offset, 1)?[0])
    }

    pub fn u16_at(&self, offset: u64, big_endian: bool) -> Result<u16, SourceError> {
        let b = self.read(offset, 2)?;
        let a = [b[0], b[1]];
        Ok(if big_endian { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) })
    }

    pub fn u32_at(&self, offset: u64, big_endian: bool) -> Result<u32, SourceError> {
        let b = self.read(offset, 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Ok(if big_endian { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) })
    }

    pub fn u64_at(&self, offset: u64, big_endian: bool) -> Result<u64, SourceError> {
        let b = self.read(offset, 8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(if big_endian { u64::from_be_bytes(a) } else { u64::from_le_bytes(a) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn reads_inside_and_asks_outside() {
        let mut s = SourceBytes::new(Some(100_000));
        s.insert(10, vec![1, 2, 3, 4]);
        assert_eq!(s.read(11, 2), Ok(&[2u8, 3][..]));
        assert_eq!(s.read(12, 4), Err(SourceError::NeedBytes(ByteRange::new(12, 12 + MIN_FETCH))));
        assert!(matches!(s.read(99_999, 2), Err(SourceError::Corrupt { .. })));
    }

    #[test]
    fn merges_overlapping_and_adjacent_chunks() {
        let mut s = SourceBytes::new(None);
        s.insert(4, vec![4, 5, 6]);
        s.insert(0, vec![0, 1, 2, 3]);
        s.insert(6, vec![6, 7, 8]);
        s.insert(20, vec![20]);
        s.insert(5, vec![5]);
        assert_eq!(s.read(0, 9), Ok(&[0u8, 1, 2, 3, 4, 5, 6, 7, 8][..]));
        assert_eq!(s.held(), 10);
        // Inside an existing chunk: nothing changes.
        s.insert(1, vec![9, 9]);
        assert_eq!(s.read(0, 4), Ok(&[0u8, 1, 2, 3][..]));
        // A run of adjacent chunks becomes one, in order.
        let mut run = SourceBytes::new(None);
        for i in 0..100u8 {
            run.insert(u64::from(i) * 2, vec![i, i]);
        }
        let expected: Vec<u8> = (0..100u8).flat_map(|i| [i, i]).collect();
        assert_eq!(run.read(0, 200), Ok(&expected[..]));
        assert_eq!(run.chunks.len(), 1);
    }
}
