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

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::jp2::{CodestreamInfo, ProgressionOrder, codestream_info, find_codestream, jp2_info};
use super::{ByteRange, SourceBytes, SourceError};

const FORMAT: &str = "JPEG 2000";
const JP2_SIGNATURE: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
const SOT: u16 = 0xFF90;
const EOC: u16 = 0xFFD9;
const TLM: u16 = 0xFF55;
const SOP: [u8; 4] = [0xFF, 0x91, 0x00, 0x04];
const EPH: [u8; 2] = [0xFF, 0x92];

/// The tiles of a codestream as byte ranges of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jp2Layout {
    pub info: CodestreamInfo,
    /// Where the contiguous codestream box's header starts in a JP2/JPX file; `None` for a raw codestream.
    pub box_offset: Option<u64>,
    /// Each tile's tile-parts, from its first SOT to the end of its last tile-part, in row-major tile order.
    pub tiles: Vec<ByteRange>,
    /// When every tile has one tile-part per resolution level in a resolution-major progression (RPCL or
    /// RLCP; Kakadu's `ORGtparts=R`, as our encoder writes), where each tile's tile-parts end, `levels + 1`
    /// per tile in tile order: a decode that discards `r` levels needs only each tile's first
    /// `levels + 1 - r` tile-parts. Empty otherwise.
    pub resolution_ends: Vec<u64>,
}

/// What indexing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indexed {
    Layout(Box<Jp2Layout>),
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
    tiles: Parts,
}

/// Each tile's tile-parts as they are found: where each ends, in order.
#[derive(Debug, Clone, Default)]
struct Parts {
    start: Vec<Option<u64>>,
    ends: Vec<Vec<u64>>,
}

impl Parts {
    fn new(tiles: usize) -> Parts {
        Parts { start: vec![None; tiles], ends: vec![Vec::new(); tiles] }
    }

    /// Adds a tile-part to its tile; `false` when it does not follow the tile's previous tile-part (or
    /// the tile does not exist).
    fn add(&mut self, tile: usize, part: ByteRange) -> bool {
        let (Some(start), Some(ends)) = (self.start.get_mut(tile), self.ends.get_mut(tile)) else {
            return false;
        };
        match (start, ends.last()) {
            (Some(_), Some(&end)) if end != part.start => return false,
            (start @ None, _) => *start = Some(part.start),
            _ => {}
        }
        ends.push(part.end);
        true
    }
}

#[derive(Debug, Clone)]
struct Header {
    info: CodestreamInfo,
    box_offset: Option<u64>,
    /// The end of the codestream: its box's end, or the object's.
    end: u64,
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
            if header.info.has_ppm {
                return Ok(Indexed::Whole("packed packet headers (PPM) serve every tile".into()));
            }
            if header.info.is_single_tile() {
                return Ok(Indexed::Whole("a single tile".into()));
            }
            if header.info.has_tlm() {
                match from_tlm(&header, bytes)? {
                    Some(layout) => return Ok(Indexed::Layout(Box::new(layout))),
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
            self.walk = Some(Walk { header, at, tiles: Parts::new(tiles) });
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
    Ok(Header { info, box_offset, end })
}

/// The layout from the TLM markers, or `None` when they do not add up to the codestream: the tile-parts
/// they list must run from the first SOT to an EOC, and the first must be the tile the first SOT names.
fn from_tlm(header: &Header, bytes: &SourceBytes) -> Result<Option<Jp2Layout>, SourceError> {
    let tiles = tile_count(&header.info)?;
    let mut parts = Parts::new(tiles);
    let mut at = header.info.main_header_end;
    let mut first_tile = None;
    let mut part = 0usize;
    for (_, segment) in header.info.index_segments.iter().filter(|&&(m, _)| m == TLM) {
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
            if !parts.add(tile, ByteRange::new(at, end)) {
                return Ok(None);
            }
            at = end;
            part += 1;
        }
    }
    // The index must end where the codestream does, and start where its first tile-part is.
    let ends_at_eoc = at.checked_add(2).is_some_and(|e| e <= header.end) && bytes.u16_at(at, true)? == EOC;
    let first = header.info.main_header_end;
    // SOT, its length, then Isot: the tile the first tile-part belongs to.
    let first_sot_tile = usize::from(bytes.u16_at(first + 4, true)?);
    let starts_right = bytes.u16_at(first, true)? == SOT && first_tile == Some(first_sot_tile);
    if !ends_at_eoc || !starts_right {
        return Ok(None);
    }
    Ok(finish(header, parts).ok())
}

fn finish(header: &Header, parts: Parts) -> Result<Jp2Layout, String> {
    let mut tiles = Vec::with_capacity(parts.start.len());
    for (i, (start, ends)) in parts.start.iter().zip(&parts.ends).enumerate() {
        match (start, ends.last()) {
            (Some(s), Some(&e)) => tiles.push(ByteRange::new(*s, e)),
            _ => return Err(format!("tile {i} has no tile-part")),
        }
    }
    let info = &header.info;
    let per_tile = usize::from(info.coding.decomposition_levels) + 1;
    let by_resolution = matches!(info.coding.progression, ProgressionOrder::Rpcl | ProgressionOrder::Rlcp)
        // POC reorders packets away from resolutions; COC may give components their own precincts.
        && !info.has_poc
        && !info.has_coc
        && info.coding.precincts.len() == per_tile
        && info.components.iter().all(|c| (c.dx, c.dy) == (1, 1))
        && parts.ends.iter().all(|e| e.len() == per_tile);
    let resolution_ends = if by_resolution { parts.ends.concat() } else { Vec::new() };
    Ok(Jp2Layout { info: info.clone(), box_offset: header.box_offset, tiles, resolution_ends })
}

impl Walk {
    fn advance(&mut self, bytes: &SourceBytes) -> Result<Indexed, SourceError> {
        let end = self.header.end;
        loop {
            if self.at == end || self.at + 2 <= end && bytes.u16_at(self.at, true)? == EOC {
                let parts = core::mem::take(&mut self.tiles);
                return Ok(match finish(&self.header, parts) {
                    Ok(layout) => Indexed::Layout(Box::new(layout)),
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
            if !self.tiles.add(tile, ByteRange::new(self.at, part_end)) {
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
    /// Appends tile `tile`'s first tile-parts (`data`, the resolutions `reduce` keeps), padded with an
    /// empty packet for every packet of the resolutions left out, and its last tile-part's length
    /// rewritten to hold them. OpenJPEG parses the headers of the packets it discards, so it needs them
    /// present; an empty packet (a zero bit, with the SOP and EPH markers the coding style requires)
    /// decodes as nothing, which is what a discarded resolution contributes.
    fn cut_short(&self, out: &mut Vec<u8>, data: &[u8], tile: usize, reduce: u8) -> Result<(), SourceError> {
        let per_tile = usize::from(self.info.coding.decomposition_levels) + 1;
        let keep = per_tile.saturating_sub(usize::from(reduce)).max(1);
        let span = self.tiles.get(tile).copied().unwrap_or(ByteRange::new(0, 0));
        // Where the last kept tile-part starts, within `data`.
        let last_start = match keep {
            1 => span.start,
            k => self.resolution_ends.get(tile * per_tile + k - 2).copied().unwrap_or(span.start),
        };
        let last_at = (last_start - span.start) as usize;
        let packets = self.empty_packets(tile, keep)?;
        let coding = &self.info.coding;
        let packet_len = 1 + if coding.sop { 6 } else { 0 } + if coding.eph { 2 } else { 0 };
        let psot_at = last_at + 6;
        let old_psot = data
            .get(psot_at..psot_at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| SourceError::corrupt(FORMAT, "a tile-part shorter than its SOT"))?;
        let psot = u64::from(old_psot) + packets * packet_len;
        let psot =
            u32::try_from(psot).map_err(|_| SourceError::TooLarge(format!("tile-part of {psot} bytes")))?;
        let start = out.len();
        out.extend_from_slice(data);
        out[start + psot_at..start + psot_at + 4].copy_from_slice(&psot.to_be_bytes());
        for n in 0..packets {
            if coding.sop {
                out.extend_from_slice(&SOP);
                out.extend_from_slice(&((n % 65536) as u16).to_be_bytes());
            }
            out.push(0);
            if coding.eph {
                out.extend_from_slice(&EPH);
            }
        }
        Ok(())
    }

    /// How many packets tile `tile` has in the resolutions from `keep` up: for each, components × layers ×
    /// its precincts (ISO 15444-1 B.6), with one precinct grid for every component (no COC).
    fn empty_packets(&self, tile: usize, keep: usize) -> Result<u64, SourceError> {
        let info = &self.info;
        let across = info.tiles_across.max(1) as usize;
        let (p, q) = ((tile % across) as u64, (tile / across) as u64);
        let axis = |origin: u32, size: u32, image0: u32, image_len: u32, i: u64| {
            let start = (u64::from(origin) + i * u64::from(size)).max(u64::from(image0));
            let end =
                (u64::from(origin) + (i + 1) * u64::from(size)).min(u64::from(image0) + u64::from(image_len));
            (start, end)
        };
        let (x0, x1) = axis(info.tile_x_offset, info.tile_width, info.x_offset, info.width, p);
        let (y0, y1) = axis(info.tile_y_offset, info.tile_height, info.y_offset, info.height, q);
        let levels = u32::from(info.coding.decomposition_levels);
        let per_component: u64 = (keep..=levels as usize)
            .map(|r| {
                let shift = levels - r as u32;
                let (rx0, rx1) = (x0.div_ceil(1 << shift), x1.div_ceil(1 << shift));
                let (ry0, ry1) = (y0.div_ceil(1 << shift), y1.div_ceil(1 << shift));
                let (pw, ph) = info.coding.precincts.get(r).copied().unwrap_or((32768, 32768));
                let (pw, ph) = (u64::from(pw.max(1)), u64::from(ph.max(1)));
                let count =
                    |a0: u64, a1: u64, size: u64| if a1 > a0 { a1.div_ceil(size) - a0 / size } else { 0 };
                count(rx0, rx1, pw) * count(ry0, ry1, ph)
            })
            .sum();
        Ok(per_component * info.components.len() as u64 * u64::from(info.coding.layers))
    }

    /// The main-header segments a cut leaves out (TLM and PLM: they index every tile-part, and would lie).
    fn dropped(&self) -> impl Iterator<Item = ByteRange> + '_ {
        self.info.index_segments.iter().map(|&(_, r)| r)
    }

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

    /// Whether a decode that discards `reduce` levels reads less than whole tiles.
    pub fn prunes(&self, reduce: u8) -> bool {
        reduce > 0 && !self.resolution_ends.is_empty()
    }

    /// The byte ranges [`Jp2Layout::cut`] reads: everything up to the first tile-part (the boxes before
    /// the codestream and the main header), then each tile's tile-parts that `reduce` needs.
    pub fn ranges(&self, tiles: &[usize], reduce: u8) -> Vec<ByteRange> {
        let mut out = vec![ByteRange::new(0, self.info.main_header_end)];
        out.extend(self.spans(tiles, reduce).into_iter().map(|(_, s)| s));
        out
    }

    /// The tiles' spans, cut to the resolutions `reduce` keeps, in file order.
    fn spans(&self, tiles: &[usize], reduce: u8) -> Vec<(usize, ByteRange)> {
        let per_tile = usize::from(self.info.coding.decomposition_levels) + 1;
        let keep = per_tile.saturating_sub(usize::from(reduce)).max(1);
        let mut spans: Vec<(usize, ByteRange)> = tiles
            .iter()
            .filter_map(|&t| {
                let span = *self.tiles.get(t)?;
                let end = match self.prunes(reduce) {
                    true => self.resolution_ends.get(t * per_tile + keep - 1).copied().unwrap_or(span.end),
                    false => span.end,
                };
                Some((t, ByteRange::new(span.start, end.min(span.end))))
            })
            .collect();
        spans.sort_by_key(|(_, s)| s.start);
        spans
    }

    /// A JP2 (or raw codestream) holding only `tiles`, from `source` holding [`Jp2Layout::ranges`]: the
    /// boxes before the codestream, a codestream box sized for the cut, SOC and the main header less the
    /// dropped segments, the tiles' tile-parts in file order (with [`Jp2Layout::resolution_ends`], only
    /// those of the resolutions `reduce` keeps: decoders read a tile cut short as a truncated one), EOC. Each tile's first marker is checked to
    /// be its SOT, so an index that does not match the file is an error, not a wrong picture.
    pub fn cut(&self, source: &SourceBytes, tiles: &[usize], reduce: u8) -> Result<Vec<u8>, SourceError> {
        let spans = self.spans(tiles, reduce);
        let header = ByteRange::new(self.info.offset, self.info.main_header_end);
        let kept: u64 = header.len() - self.dropped().map(|r| r.len()).sum::<u64>()
            + spans.iter().map(|(_, s)| s.len()).sum::<u64>()
            + 2;
        let prefix = self.box_offset.unwrap_or(0);
        let box_header: u64 =
            if self.box_offset.is_some() { if kept + 8 > u64::from(u32::MAX) { 16 } else { 8 } } else { 0 };
        let total = usize::try_from(prefix + box_header + kept)
            .map_err(|_| SourceError::TooLarge(format!("{} bytes", prefix + box_header + kept)))?;
        let mut out = Vec::new();
        out.try_reserve(total).map_err(|_| SourceError::TooLarge(format!("{total} bytes")))?;
        out.extend_from_slice(source.read(0, prefix as usize)?);
        // The box length is written once the codestream's length is known (padding may add to it).
        let box_at = out.len();
        if box_header == 8 {
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.extend_from_slice(b"jp2c");
        } else if box_header == 16 {
            out.extend_from_slice(&1u32.to_be_bytes());
            out.extend_from_slice(b"jp2c");
            out.extend_from_slice(&[0; 8]);
        }
        let mut at = header.start;
        for d in self.dropped().filter(|d| d.start >= header.start && d.end <= header.end) {
            out.extend_from_slice(source.read(at, (d.start - at) as usize)?);
            at = d.end;
        }
        out.extend_from_slice(source.read(at, (header.end - at) as usize)?);
        let pruned = self.prunes(reduce);
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
            if pruned {
                self.cut_short(&mut out, data, tile, reduce)?;
            } else {
                out.extend_from_slice(data);
            }
        }
        out.extend_from_slice(&EOC.to_be_bytes());
        let box_len = (out.len() - box_at) as u64;
        if box_header == 8 {
            let len =
                u32::try_from(box_len).map_err(|_| SourceError::TooLarge(format!("{box_len} bytes")))?;
            out[box_at..box_at + 4].copy_from_slice(&len.to_be_bytes());
        } else if box_header == 16 {
            out[box_at + 8..box_at + 16].copy_from_slice(&box_len.to_be_bytes());
        }
        Ok(out)
    }
}
