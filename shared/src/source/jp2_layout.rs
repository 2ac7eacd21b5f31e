//! Where a JPEG 2000 codestream's tiles lie, so a caller reads only the tiles a request needs: the boxes
//! and main header once, then for each request the tile-parts of the tiles its region touches, never the
//! whole object. This is what IIPImage does with Kakadu's seek index, sans-IO.
//!
//! An [`Indexer`] builds a [`Jp2Layout`] over the caller's ranged reads (the probe's `NeedBytes` loop). It
//! reads the index from the main header's TLM markers when they are there (our encoder writes them, as
//! Kakadu's `ORGgen_tlm` does), checked against the EOC marker they point to; otherwise, when allowed,
//! it walks the SOT marker of every tile-part, keeping its place between fetches. A walk costs one small
//! read per tile-part the previous read did not reach, so the origin walks and the edge, whose reads
//! cross a network, takes TLM only.
//!
//! [`Jp2Layout::cut`] then turns the fetched ranges into a small JP2 (or raw codestream) that both JPEG 2000
//! decoders read as they would the whole file: the same boxes, the main header without the segments that
//! index every tile-part (TLM, PLM), the needed tiles' tile-parts in their original order, and EOC. Tiles
//! are taken whole (every tile-part of a tile), so a tile decodes exactly as it does from the whole file.
//!
//! Not indexable, and so read whole as before: packed packet headers (PPM, in the main header, for every
//! tile), a tile whose tile-parts are interleaved with other tiles' (a tile must be one span), a tile
//! without a tile-part, and anything the walk does not recognise.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::jp2::{CodestreamInfo, codestream_info, find_codestream, jp2_info};
use super::{ByteRange, SourceBytes, SourceError};

const FORMAT: &str = "JPEG 2000";
const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
const SOT: u16 = 0xFF90;
const EOC: u16 = 0xFFD9;
const TLM: u16 = 0xFF55;
const PLM: u16 = 0xFF57;
const PPM: u16 = 0xFF60;

/// The tiles of a codestream as byte ranges of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jp2Layout {
    pub info: CodestreamInfo,
    /// Where the contiguous codestream box's header starts in a JP2/JPX file; `None` for a raw codestream.
    pub box_offset: Option<u64>,
    /// Each tile's tile-parts, from its first SOT to the end of its last tile-part, in row-major tile order.
    pub tiles: Vec<ByteRange>,
    /// Main-header segments a cut leaves out (TLM and PLM: they index every tile-part, and would lie).
    pub dropped: Vec<ByteRange>,
}

/// What indexing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indexed {
    Layout(Jp2Layout),
    /// The codestream cannot be read tile by tile, for this reason; read it whole.
    Whole(String),
}

/// Builds a [`Jp2Layout`] over repeated calls: feed it the bytes it asks for (`NeedBytes`) and call
/// [`Indexer::advance`] again. A walk keeps its place, so the work is linear in the number of tile-parts.
#[derive(Debug, Clone)]
pub struct Indexer {
    walk_sots: bool,
    walk: Option<Walk>,
}

#[derive(Debug, Clone)]
struct Walk {
    header: Header,
    at: u64,
    spans: Vec<Option<ByteRange>>,
}

#[derive(Debug, Clone)]
struct Header {
    info: CodestreamInfo,
    box_offset: Option<u64>,
    /// The end of the codestream: its box's end, or the object's.
    end: u64,
    tlm: Vec<ByteRange>,
    dropped: Vec<ByteRange>,
    has_ppm: bool,
}

impl Indexer {
    /// `walk_sots`: when the main header has no usable TLM, walk the tile-parts' SOT markers (a read per
    /// tile-part, for callers whose reads are cheap); otherwise give up and read whole.
    pub fn new(walk_sots: bool) -> Self {
        Indexer { walk_sots, walk: None }
    }

    pub fn advance(&mut self, bytes: &SourceBytes) -> Result<Indexed, SourceError> {
        if self.walk.is_none() {
            let header = read_header(bytes)?;
            if header.has_ppm {
                return Ok(Indexed::Whole("packed packet headers (PPM) serve every tile".into()));
            }
            if header.info.is_single_tile() {
                return Ok(Indexed::Whole("a single tile".into()));
            }
            if !header.tlm.is_empty() {
                match from_tlm(&header, bytes)? {
                    Some(layout) => return Ok(Indexed::Layout(layout)),
                    None if !self.walk_sots => {
                        return Ok(Indexed::Whole("its TLM index does not match the codestream".into()));
                    }
                    None => {}
                }
            }
            if !self.walk_sots {
                return Ok(Indexed::Whole("no TLM index in the main header".into()));
            }
            let tiles = tile_count(&header.info)?;
            let at = header.info.main_header_end;
            self.walk = Some(Walk { header, at, spans: vec![None; tiles] });
        }
        let Some(walk) = self.walk.as_mut() else { return Ok(Indexed::Whole("no walk".into())) };
        walk.advance(bytes)
    }
}

fn tile_count(info: &CodestreamInfo) -> Result<usize, SourceError> {
    usize::try_from(u64::from(info.tiles_across) * u64::from(info.tiles_down))
        .map_err(|_| SourceError::corrupt(FORMAT, "too many tiles"))
}

fn read_header(bytes: &SourceBytes) -> Result<Header, SourceError> {
    let is_jp2 = bytes.read(0, 4)? == &JP2_SIGNATURE[..4];
    let (info, box_offset) = if is_jp2 {
        let jp2c = find_codestream(bytes)?;
        (jp2_info(bytes)?, Some(jp2c.offset))
    } else {
        (codestream_info(bytes, 0)?, None)
    };
    let end = info
        .end
        .or(bytes.len())
        .ok_or_else(|| SourceError::corrupt(FORMAT, "the codestream's end is unknown"))?;
    let mut tlm = Vec::new();
    let mut dropped = Vec::new();
    let mut has_ppm = false;
    // After SOC: the marker segments up to the first SOT, which the probe has already walked.
    let mut at = info.offset + 2;
    while at < info.main_header_end {
        let marker = bytes.u16_at(at, true)?;
        let len =
            if (0xFF30..=0xFF3F).contains(&marker) { 2 } else { 2 + u64::from(bytes.u16_at(at + 2, true)?) };
        let segment = ByteRange::new(at, at + len);
        match marker {
            TLM => {
                tlm.push(segment);
                dropped.push(segment);
            }
            PLM => dropped.push(segment),
            PPM => has_ppm = true,
            _ => {}
        }
        at = segment.end;
    }
    Ok(Header { info, box_offset, end, tlm, dropped, has_ppm })
}

/// The layout from the TLM markers, or `None` when they do not add up to the codestream: the tile-parts
/// they list must run from the first SOT to an EOC, and the first must be the tile the first SOT names.
fn from_tlm(header: &Header, bytes: &SourceBytes) -> Result<Option<Jp2Layout>, SourceError> {
    let tiles = tile_count(&header.info)?;
    let mut spans: Vec<Option<ByteRange>> = vec![None; tiles];
    let mut at = header.info.main_header_end;
    let mut first_tile = None;
    let mut part = 0usize;
    for segment in &header.tlm {
        // Marker (2), Ltlm (2), Ztlm (1), Stlm (1), then the entries.
        let body = bytes.read(segment.start + 6, (segment.len().saturating_sub(6)) as usize)?;
        let stlm = bytes.u8_at(segment.start + 5)?;
        let tile_bytes = usize::from((stlm >> 4) & 3);
        let length_bytes = if stlm & 0x40 != 0 { 4 } else { 2 };
        if tile_bytes == 3 {
            return Ok(None);
        }
        let entry = tile_bytes + length_bytes;
        if body.len() % entry != 0 {
            return Ok(None);
        }
        for e in body.chunks_exact(entry) {
            let tile = match tile_bytes {
                0 => part,
                1 => usize::from(e[0]),
                _ => usize::from(u16::from_be_bytes([e[0], e[1]])),
            };
            let len = e[tile_bytes..].iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
            let end = at.saturating_add(len);
            if tile >= tiles || len < 14 || end > header.end {
                return Ok(None);
            }
            first_tile.get_or_insert(tile);
            if !extend(&mut spans, tile, ByteRange::new(at, end)) {
                return Ok(None);
            }
            at = end;
            part += 1;
        }
    }
    // The index must end where the codestream does, and start where its first tile-part is.
    let ends_at_eoc = at.checked_add(2).is_some_and(|e| e <= header.end) && bytes.u16_at(at, true)? == EOC;
    let first = header.info.main_header_end;
    let starts_right = bytes.u16_at(first, true)? == SOT
        && first_tile
            .is_some_and(|t| u64::from(bytes.u16_at(first + 4, true).unwrap_or(u16::MAX)) == t as u64);
    if !ends_at_eoc || !starts_right {
        return Ok(None);
    }
    Ok(finish(header, spans).ok())
}

/// Adds a tile-part to its tile's span; `false` when it does not follow the tile's previous tile-part.
fn extend(spans: &mut [Option<ByteRange>], tile: usize, part: ByteRange) -> bool {
    match spans.get_mut(tile) {
        Some(Some(span)) if span.end == part.start => {
            span.end = part.end;
            true
        }
        Some(Some(_)) | None => false,
        Some(slot @ None) => {
            *slot = Some(part);
            true
        }
    }
}

fn finish(header: &Header, spans: Vec<Option<ByteRange>>) -> Result<Jp2Layout, String> {
    let mut tiles = Vec::with_capacity(spans.len());
    for (i, s) in spans.into_iter().enumerate() {
        tiles.push(s.ok_or_else(|| format!("tile {i} has no tile-part"))?);
    }
    Ok(Jp2Layout {
        info: header.info.clone(),
        box_offset: header.box_offset,
        tiles,
        dropped: header.dropped.clone(),
    })
}

impl Walk {
    fn advance(&mut self, bytes: &SourceBytes) -> Result<Indexed, SourceError> {
        let end = self.header.end;
        loop {
            if self.at == end || self.at + 2 <= end && bytes.u16_at(self.at, true)? == EOC {
                let spans = core::mem::take(&mut self.spans);
                return Ok(match finish(&self.header, spans) {
                    Ok(layout) => Indexed::Layout(layout),
                    Err(reason) => Indexed::Whole(reason),
                });
            }
            if self.at + 12 > end {
                return Ok(Indexed::Whole(format!("the codestream ends inside a tile-part at {}", self.at)));
            }
            let sot = bytes.read(self.at, 12)?;
            let field = |i: usize| u16::from_be_bytes([sot[i], sot[i + 1]]);
            if field(0) != SOT || field(2) != 10 {
                return Ok(Indexed::Whole(format!("no tile-part (SOT) at {}", self.at)));
            }
            let tile = usize::from(field(4));
            let psot = u64::from(u32::from_be_bytes([sot[6], sot[7], sot[8], sot[9]]));
            let part_end = if psot == 0 {
                // The last tile-part runs to the end of the codestream, before its EOC.
                if bytes.u16_at(end - 2, true)? == EOC { end - 2 } else { end }
            } else {
                self.at + psot
            };
            if psot != 0 && psot < 14 || part_end > end || part_end <= self.at {
                return Ok(Indexed::Whole(format!("tile-part at {} is {psot} bytes long", self.at)));
            }
            if !extend(&mut self.spans, tile, ByteRange::new(self.at, part_end)) {
                return Ok(Indexed::Whole(format!(
                    "the tile-parts of tile {tile} are not one span (interleaved with other tiles', or tile \
                     {tile} out of range)"
                )));
            }
            self.at = part_end;
        }
    }
}

impl Jp2Layout {
    pub fn tile_count(&self) -> usize {
        self.tiles.len()
    }

    /// The row-major indices of the tiles in columns `p0..=p1`, rows `q0..=q1`.
    pub fn tiles_in(&self, (p0, p1, q0, q1): (u32, u32, u32, u32)) -> Vec<usize> {
        let across = self.info.tiles_across as usize;
        let mut out = Vec::new();
        for q in q0..=q1.min(self.info.tiles_down.saturating_sub(1)) {
            for p in p0..=p1.min(self.info.tiles_across.saturating_sub(1)) {
                out.push(q as usize * across + p as usize);
            }
        }
        out
    }

    /// The byte ranges [`Jp2Layout::cut`] reads: everything up to the first tile-part (the boxes before
    /// the codestream and the main header), then each tile's span.
    pub fn ranges(&self, tiles: &[usize]) -> Vec<ByteRange> {
        let mut out = vec![ByteRange::new(0, self.info.main_header_end)];
        out.extend(self.spans(tiles).into_iter().map(|(_, s)| s));
        out
    }

    /// The tiles' spans, in file order.
    fn spans(&self, tiles: &[usize]) -> Vec<(usize, ByteRange)> {
        let mut spans: Vec<(usize, ByteRange)> =
            tiles.iter().filter_map(|&t| self.tiles.get(t).map(|&s| (t, s))).collect();
        spans.sort_by_key(|(_, s)| s.start);
        spans
    }

    /// A JP2 (or raw codestream) holding only `tiles`, from `source` holding [`Jp2Layout::ranges`]: the
    /// boxes before the codestream, a codestream box sized for the cut, SOC and the main header less the
    /// dropped segments, the tiles' tile-parts in file order, EOC. Each tile's first marker is checked to
    /// be its SOT, so an index that does not match the file is an error, not a wrong picture.
    pub fn cut(&self, source: &SourceBytes, tiles: &[usize]) -> Result<Vec<u8>, SourceError> {
        let spans = self.spans(tiles);
        let header = ByteRange::new(self.info.offset, self.info.main_header_end);
        let kept: u64 = header.len() - self.dropped.iter().map(ByteRange::len).sum::<u64>()
            + spans.iter().map(|(_, s)| s.len()).sum::<u64>()
            + 2;
        let prefix = self.box_offset.unwrap_or(0);
        let box_header: u64 =
            if self.box_offset.is_some() { if kept + 8 > u64::from(u32::MAX) { 16 } else { 8 } } else { 0 };
        let total = usize::try_from(prefix + box_header + kept)
            .map_err(|_| SourceError::TooLarge(format!("{} bytes", prefix + box_header + kept)))?;
        let mut out = Vec::new();
        out.try_reserve_exact(total).map_err(|_| SourceError::TooLarge(format!("{total} bytes")))?;
        out.extend_from_slice(source.read(0, prefix as usize)?);
        if box_header == 8 {
            out.extend_from_slice(&((kept + 8) as u32).to_be_bytes());
            out.extend_from_slice(b"jp2c");
        } else if box_header == 16 {
            out.extend_from_slice(&1u32.to_be_bytes());
            out.extend_from_slice(b"jp2c");
            out.extend_from_slice(&(kept + 16).to_be_bytes());
        }
        let mut at = header.start;
        for d in self.dropped.iter().filter(|d| d.start >= header.start && d.end <= header.end) {
            out.extend_from_slice(source.read(at, (d.start - at) as usize)?);
            at = d.end;
        }
        out.extend_from_slice(source.read(at, (header.end - at) as usize)?);
        for &(tile, span) in &spans {
            let data = source.read(span.start, span.len() as usize)?;
            let starts_with_sot = data.len() >= 6
                && u16::from_be_bytes([data[0], data[1]]) == SOT
                && usize::from(u16::from_be_bytes([data[4], data[5]])) == tile;
            if !starts_with_sot {
                return Err(SourceError::corrupt(
                    FORMAT,
                    format!("the index puts tile {tile} at {}, where its tile-part is not", span.start),
                ));
            }
            out.extend_from_slice(data);
        }
        out.extend_from_slice(&EOC.to_be_bytes());
        Ok(out)
    }
}
