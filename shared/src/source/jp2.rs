//! JPEG 2000 probing: the JP2/JPX box structure down to the contiguous codestream box, then the
//! codestream's main header (SIZ, COD, COC) up to the first tile-part. The resolution levels a decoder can
//! produce without resampling follow from the number of wavelet decompositions, which is why a file with
//! few of them (the nemo fixture has one) must not be advertised with more scale factors.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{ByteRange, SourceBytes, SourceError};
use crate::geometry::{Geometry, Level, LevelData, SourceFormat};

const FORMAT: &str = "JPEG 2000";

const SIGNATURE_BOX: [u8; 12] = [0, 0, 0, 12, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A];
/// Brands (or compatibility entries) whose files carry a codestream in a `jp2c` box we can read.
const BRANDS: [&[u8; 4]; 3] = [b"jp2 ", b"jpx ", b"jpxb"];
/// The compatibility list is read this far at most; real files list a handful.
const MAX_COMPATIBILITY: u64 = 64;

const SOC: u16 = 0xFF4F;
const SIZ: u16 = 0xFF51;
const COD: u16 = 0xFF52;
const COC: u16 = 0xFF53;
const TLM: u16 = 0xFF55;
const PLM: u16 = 0xFF57;
const POC: u16 = 0xFF5F;
const PPM: u16 = 0xFF60;
const SOT: u16 = 0xFF90;
const SOD: u16 = 0xFF93;
const EOC: u16 = 0xFFD9;

/// ISO 15444-1 allows 32 decomposition levels, 16384 components and 65535 tiles (tile indices are 16-bit
/// and 65535 is reserved).
const MAX_DECOMPOSITION_LEVELS: u8 = 32;
const MAX_COMPONENTS: u16 = 16384;
const MAX_TILES: u64 = 65535;

/// A box of the JP2 file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxHeader {
    pub box_type: [u8; 4],
    /// Offset of the box's length field.
    pub offset: u64,
    /// Offset of the box's contents, past its header.
    pub content: u64,
    /// Offset just past the box; `None` for a last box of unknown extent in an object of unknown length.
    pub end: Option<u64>,
}

/// The order in which packets are laid out in the codestream (COD's progression order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressionOrder {
    Lrcp,
    Rlcp,
    Rpcl,
    Pcrl,
    Cprl,
}

impl ProgressionOrder {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => ProgressionOrder::Lrcp,
            1 => ProgressionOrder::Rlcp,
            2 => ProgressionOrder::Rpcl,
            3 => ProgressionOrder::Pcrl,
            4 => ProgressionOrder::Cprl,
            _ => return None,
        })
    }
}

/// One image component, from SIZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component {
    /// 1..=38 bits.
    pub bit_depth: u8,
    pub signed: bool,
    /// Subsampling on the reference grid (1 for full resolution).
    pub dx: u8,
    pub dy: u8,
}

/// The default coding style of every tile-component (COD in the main header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingStyle {
    pub progression: ProgressionOrder,
    pub layers: u16,
    /// 0 none, 1 the standard colour transform on components 0..3; Part 2 defines more.
    pub multiple_component_transform: u8,
    /// SOP markers before packets, EPH markers after packet headers.
    pub sop: bool,
    pub eph: bool,
    pub decomposition_levels: u8,
    pub code_block_width: u32,
    pub code_block_height: u32,
    pub code_block_style: u8,
    /// 0 the irreversible 9-7 wavelet, 1 the reversible 5-3; Part 2 defines more.
    pub transformation: u8,
    /// Precinct width and height of each resolution level, lowest resolution first (`decomposition_levels`
    /// + 1 entries); 32768 when the codestream does not partition into precincts.
    pub precincts: Vec<(u32, u32)>,
}

/// What the decoder and the tile planner need from a codestream's main header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodestreamInfo {
    /// Offset of the SOC marker in the source.
    pub offset: u64,
    /// Offset just past the codestream, when known (the end of its box, or of the file).
    pub end: Option<u64>,
    /// Offset of the first SOT marker, where the main header ends and the tile-parts begin.
    pub main_header_end: u64,
    /// Capabilities (profile) from SIZ; bit 15 means Part 2 extensions, bit 14 HTJ2K.
    pub rsiz: u16,
    /// The image area on the reference grid: `x_offset..x_offset + width`, likewise vertically.
    pub width: u32,
    pub height: u32,
    pub x_offset: u32,
    pub y_offset: u32,
    /// The tile grid on the reference grid, anchored at `tile_x_offset`, `tile_y_offset`.
    pub tile_width: u32,
    pub tile_height: u32,
    pub tile_x_offset: u32,
    pub tile_y_offset: u32,
    pub tiles_across: u32,
    pub tiles_down: u32,
    pub components: Vec<Component>,
    pub coding: CodingStyle,
    /// The fewest decomposition levels of any component once COC overrides are applied: a decoder can
    /// discard at most this many resolution levels. Tile-part headers may still lower it; they are not
    /// read here.
    pub min_decomposition_levels: u8,
    /// The main header's segments that index every tile-part (TLM, PLM): where a tile index can be read,
    /// and what a cut of the codestream leaves out. Marker and the segment's bytes, marker included.
    pub index_segments: Vec<(u16, ByteRange)>,
    /// Packed packet headers (PPM), progression order changes (POC) and component coding styles (COC) in
    /// the main header: what decides whether tiles can be cut apart, and cut short by resolution.
    pub has_ppm: bool,
    pub has_poc: bool,
    pub has_coc: bool,
}

impl CodestreamInfo {
    pub fn is_single_tile(&self) -> bool {
        self.tiles_across == 1 && self.tiles_down == 1
    }

    /// Whether the main header has TLM markers, an index of tile-part lengths.
    pub fn has_tlm(&self) -> bool {
        self.index_segments.iter().any(|&(marker, _)| marker == TLM)
    }

    /// The levels a decoder reaches by discarding 0, 1, ... resolution levels. Levels that would be empty
    /// (image offsets can round a dimension to zero) or no smaller than the one before are left out.
    pub fn levels(&self) -> Vec<Level> {
        let mut levels: Vec<Level> = Vec::new();
        for reduce in 0..=self.min_decomposition_levels {
            let Some(level) = self.level(reduce) else { break };
            if levels.last().is_some_and(|prev| (prev.width, prev.height) == (level.width, level.height)) {
                break;
            }
            levels.push(level);
        }
        levels
    }

    /// The level after discarding `reduce` resolution levels: a resolution's extent is the image area's
    /// corners divided by 2^reduce, rounded up (ISO 15444-1 B.5).
    fn level(&self, reduce: u8) -> Option<Level> {
        let x0 = u64::from(self.x_offset);
        let y0 = u64::from(self.y_offset);
        let width = shrink(x0 + u64::from(self.width), reduce)?.checked_sub(shrink(x0, reduce)?)?;
        let height = shrink(y0 + u64::from(self.height), reduce)?.checked_sub(shrink(y0, reduce)?)?;
        let width = u32::try_from(width).ok().filter(|&w| w > 0)?;
        let height = u32::try_from(height).ok().filter(|&h| h > 0)?;
        let (tile_width, tile_height) = if self.is_single_tile() {
            (width, height)
        } else {
            let tw = shrink(u64::from(self.tile_width), reduce)?;
            let th = shrink(u64::from(self.tile_height), reduce)?;
            (u32::try_from(tw).ok()?.min(width), u32::try_from(th).ok()?.min(height))
        };
        Some(Level {
            width,
            height,
            tile_width,
            tile_height,
            tiles: Vec::new(),
            data: LevelData::Jp2 { reduce, layout: None },
        })
    }

    pub fn geometry(&self, format: SourceFormat) -> Result<Geometry, SourceError> {
        let channels = u8::try_from(self.components.len())
            .map_err(|_| SourceError::unsupported(FORMAT, format!("{} components", self.components.len())))?;
        Ok(Geometry {
            format,
            width: self.width,
            height: self.height,
            channels,
            bits_per_sample: self.components.iter().map(|c| c.bit_depth).max().unwrap_or(0),
            levels: self.levels(),
        })
    }
}

/// `value / 2^reduce`, rounded up.
fn shrink(value: u64, reduce: u8) -> Option<u64> {
    Some(value.div_ceil(1u64.checked_shl(u32::from(reduce))?))
}

/// Probes a JP2 or JPX file.
pub fn probe(bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    jp2_info(bytes)?.geometry(SourceFormat::Jp2)
}

/// Probes a raw codestream whose SOC marker is at `offset`.
pub fn probe_codestream(bytes: &SourceBytes, offset: u64) -> Result<Geometry, SourceError> {
    codestream_info(bytes, offset)?.geometry(SourceFormat::J2k)
}

/// The main header of the codestream in a JP2 or JPX file.
pub fn jp2_info(bytes: &SourceBytes) -> Result<CodestreamInfo, SourceError> {
    let jp2c = find_codestream(bytes)?;
    parse_codestream(bytes, jp2c.content, jp2c.end)
}

/// The main header of a raw codestream whose SOC marker is at `offset`.
pub fn codestream_info(bytes: &SourceBytes, offset: u64) -> Result<CodestreamInfo, SourceError> {
    parse_codestream(bytes, offset, bytes.len())
}

/// Walks the top-level boxes of a JP2 or JPX file to its first contiguous codestream box. Everything in
/// between (the JP2 header, JPX reader requirements, XML, UUID, association boxes) is skipped unread.
pub fn find_codestream(bytes: &SourceBytes) -> Result<BoxHeader, SourceError> {
    if bytes.read(0, SIGNATURE_BOX.len())? != SIGNATURE_BOX {
        return Err(corrupt("no JP2 signature box"));
    }
    let ftyp = read_box(bytes, SIGNATURE_BOX.len() as u64)?;
    if &ftyp.box_type != b"ftyp" {
        return Err(corrupt("the file type box does not follow the signature"));
    }
    check_brand(bytes, &ftyp)?;
    let mut fragmented = false;
    let mut next = ftyp.end;
    while let Some(at) = next {
        if bytes.len() == Some(at) {
            break;
        }
        let b = read_box(bytes, at)?;
        match &b.box_type {
            b"jp2c" => return Ok(b),
            b"ftbl" => fragmented = true,
            _ => {}
        }
        next = b.end;
    }
    if fragmented {
        Err(SourceError::unsupported(
            FORMAT,
            "the codestream is stored as fragments (fragment table box), not in a contiguous codestream box",
        ))
    } else {
        Err(corrupt("no contiguous codestream box (jp2c)"))
    }
}

fn read_box(bytes: &SourceBytes, offset: u64) -> Result<BoxHeader, SourceError> {
    let header = bytes.read(offset, 8)?;
    let Some((length, rest)) = header.split_first_chunk::<4>() else {
        return Err(corrupt("short box header"));
    };
    let box_type: [u8; 4] = rest.try_into().map_err(|_| corrupt("short box header"))?;
    let after = |n: u64| offset.checked_add(n).ok_or_else(|| corrupt(format!("box at {offset} overflows")));
    let (content, end) = match u32::from_be_bytes(*length) {
        // The box runs to the end of the file.
        0 => (after(8)?, bytes.len()),
        1 => {
            let extended = bytes.u64_at(after(8)?, true)?;
            if extended < 16 {
                return Err(corrupt(format!("box at {offset} has extended length {extended}")));
            }
            (after(16)?, Some(after(extended)?))
        }
        n @ 2..=7 => return Err(corrupt(format!("box at {offset} has length {n}"))),
        n => (after(8)?, Some(after(u64::from(n))?)),
    };
    // A length past the end of a file of known size would otherwise send the caller fetching bytes that do
    // not exist.
    if let (Some(end), Some(len)) = (end, bytes.len())
        && end > len
    {
        return Err(corrupt(format!(
            "box '{}' at {offset} ends at {end}, past the end of the file ({len} bytes)",
            fourcc(&box_type)
        )));
    }
    Ok(BoxHeader { box_type, offset, content, end })
}

/// Accepts the file if its brand or any entry of its compatibility list is one we read.
fn check_brand(bytes: &SourceBytes, ftyp: &BoxHeader) -> Result<(), SourceError> {
    let size = ftyp.end.and_then(|end| end.checked_sub(ftyp.content)).unwrap_or(0);
    if size < 8 {
        return Err(corrupt("file type box too short"));
    }
    let brand: [u8; 4] =
        bytes.read(ftyp.content, 4)?.try_into().map_err(|_| corrupt("short file type box"))?;
    if BRANDS.contains(&&brand) {
        return Ok(());
    }
    let entries = ((size - 8) / 4).min(MAX_COMPATIBILITY);
    let list = bytes.read(ftyp.content + 8, (entries * 4) as usize)?;
    if list.chunks_exact(4).any(|entry| BRANDS.iter().any(|b| b.as_slice() == entry)) {
        return Ok(());
    }
    Err(SourceError::unsupported(FORMAT, format!("brand '{}' (only JP2 and JPX are read)", fourcc(&brand))))
}

fn fourcc(code: &[u8; 4]) -> String {
    code.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '?' }).collect()
}

/// Big-endian fields read one after another from bytes the caller has made sure are held.
struct Fields<'a> {
    bytes: &'a SourceBytes,
    pos: u64,
}

impl Fields<'_> {
    fn u8(&mut self) -> Result<u8, SourceError> {
        let v = self.bytes.u8_at(self.pos)?;
        self.pos += 1;
        Ok(v)
    }

    fn u16(&mut self) -> Result<u16, SourceError> {
        let v = self.bytes.u16_at(self.pos, true)?;
        self.pos += 2;
        Ok(v)
    }

    fn u32(&mut self) -> Result<u32, SourceError> {
        let v = self.bytes.u32_at(self.pos, true)?;
        self.pos += 4;
        Ok(v)
    }
}

/// A marker segment: where its body starts and how long it is.
struct Segment {
    body: u64,
    len: u64,
    /// Offset of the next marker.
    next: u64,
}

/// The segment whose marker is at `at`, with its whole body fetched so that field reads never stop
/// half-way through it.
fn segment(bytes: &SourceBytes, at: u64, fetch: bool) -> Result<Segment, SourceError> {
    let length_at = add(at, 2)?;
    let length = bytes.u16_at(length_at, true)?;
    if length < 2 {
        return Err(corrupt(format!("marker segment at {at} has length {length}")));
    }
    if fetch {
        bytes.read(length_at, usize::from(length))?;
    }
    Ok(Segment {
        body: add(length_at, 2)?,
        len: u64::from(length - 2),
        next: add(length_at, u64::from(length))?,
    })
}

fn add(a: u64, b: u64) -> Result<u64, SourceError> {
    a.checked_add(b).ok_or_else(|| corrupt("offset overflows"))
}

/// Parses the main header of the codestream at `offset`; `end`, when known, bounds it.
fn parse_codestream(
    bytes: &SourceBytes,
    offset: u64,
    end: Option<u64>,
) -> Result<CodestreamInfo, SourceError> {
    if bytes.u16_at(offset, true)? != SOC {
        return Err(corrupt(format!("no SOC marker at {offset}")));
    }
    let siz_at = add(offset, 2)?;
    if bytes.u16_at(siz_at, true)? != SIZ {
        return Err(corrupt("SIZ does not follow SOC"));
    }
    let siz_segment = segment(bytes, siz_at, true)?;
    let mut info = read_siz(bytes, &siz_segment)?;
    info.offset = offset;
    info.end = end;
    let mut cod = None;
    // Components whose COC overrides the default decomposition level count.
    let mut overrides = BTreeMap::new();
    let mut at = siz_segment.next;
    loop {
        let after_marker = add(at, 2)?;
        if end.is_some_and(|end| after_marker > end) {
            return Err(corrupt("the main header runs past the end of the codestream"));
        }
        let marker = bytes.u16_at(at, true)?;
        match marker {
            SOT => break,
            // Reserved markers without a segment.
            0xFF30..=0xFF3F => {
                at = after_marker;
                continue;
            }
            SOC | SIZ | SOD | EOC => {
                return Err(corrupt(format!("marker {marker:04X} at {at} in the main header")));
            }
            m if m < 0xFF00 => return Err(corrupt(format!("expected a marker at {at}, found {m:04X}"))),
            _ => {}
        }
        let seg = segment(bytes, at, matches!(marker, COD | COC))?;
        match marker {
            // A repeated COD replaces the first, as OpenJPEG does.
            COD => cod = Some(read_cod(bytes, &seg)?),
            COC => {
                let (component, levels) = read_coc(bytes, &seg, info.components.len())?;
                overrides.insert(component, levels);
                info.has_coc = true;
            }
            TLM | PLM => info.index_segments.push((marker, ByteRange::new(at, seg.next))),
            PPM => info.has_ppm = true,
            POC => info.has_poc = true,
            _ => {}
        }
        at = seg.next;
    }
    info.main_header_end = at;
    info.coding = cod.ok_or_else(|| corrupt("the main header has no COD"))?;
    let default_applies = overrides.len() < info.components.len();
    info.min_decomposition_levels = overrides
        .values()
        .copied()
        .chain(default_applies.then_some(info.coding.decomposition_levels))
        .min()
        .unwrap_or(info.coding.decomposition_levels);
    Ok(info)
}

/// The image and tile geometry and the components, from SIZ. The coding fields are placeholders until the
/// COD is read.
fn read_siz(bytes: &SourceBytes, seg: &Segment) -> Result<CodestreamInfo, SourceError> {
    // The fixed fields and at least one component, before reading any of them past a short segment.
    if seg.len < 36 + 3 {
        return Err(corrupt(format!("SIZ length {}", seg.len + 2)));
    }
    let mut f = Fields { bytes, pos: seg.body };
    let rsiz = f.u16()?;
    let [x1, y1, x0, y0, tile_width, tile_height, tile_x0, tile_y0] =
        [f.u32()?, f.u32()?, f.u32()?, f.u32()?, f.u32()?, f.u32()?, f.u32()?, f.u32()?];
    let count = f.u16()?;
    if count == 0 || count > MAX_COMPONENTS {
        return Err(corrupt(format!("{count} components")));
    }
    if seg.len != 36 + 3 * u64::from(count) {
        return Err(corrupt(format!("SIZ length {} does not fit {count} components", seg.len + 2)));
    }
    if x1 <= x0 || y1 <= y0 {
        return Err(corrupt(format!("empty image area {x0}..{x1} × {y0}..{y1}")));
    }
    if tile_width == 0 || tile_height == 0 {
        return Err(corrupt(format!("tile size {tile_width}×{tile_height}")));
    }
    // The first tile must start at or before the image and reach into it (ISO 15444-1 A.5.1).
    let reaches = |t0: u32, t: u32, i0: u32| t0 <= i0 && u64::from(t0) + u64::from(t) > u64::from(i0);
    if !reaches(tile_x0, tile_width, x0) || !reaches(tile_y0, tile_height, y0) {
        return Err(corrupt("the tile grid does not cover the image origin"));
    }
    let across = u64::from(x1 - tile_x0).div_ceil(u64::from(tile_width));
    let down = u64::from(y1 - tile_y0).div_ceil(u64::from(tile_height));
    if across * down > MAX_TILES {
        return Err(corrupt(format!("{across}×{down} tiles")));
    }
    let mut components = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        components.push(read_component(&mut f)?);
    }
    Ok(CodestreamInfo {
        offset: 0,
        end: None,
        main_header_end: 0,
        rsiz,
        width: x1 - x0,
        height: y1 - y0,
        x_offset: x0,
        y_offset: y0,
        tile_width,
        tile_height,
        tile_x_offset: tile_x0,
        tile_y_offset: tile_y0,
        // Both are at most MAX_TILES.
        tiles_across: across as u32,
        tiles_down: down as u32,
        components,
        coding: CodingStyle {
            progression: ProgressionOrder::Lrcp,
            layers: 0,
            multiple_component_transform: 0,
            sop: false,
            eph: false,
            decomposition_levels: 0,
            code_block_width: 0,
            code_block_height: 0,
            code_block_style: 0,
            transformation: 0,
            precincts: Vec::new(),
        },
        min_decomposition_levels: 0,
        index_segments: Vec::new(),
        has_ppm: false,
        has_poc: false,
        has_coc: false,
    })
}

fn read_component(f: &mut Fields) -> Result<Component, SourceError> {
    let ssiz = f.u8()?;
    let (dx, dy) = (f.u8()?, f.u8()?);
    let bit_depth = (ssiz & 0x7F) + 1;
    if bit_depth > 38 {
        return Err(corrupt(format!("component bit depth {bit_depth}")));
    }
    if dx == 0 || dy == 0 {
        return Err(corrupt(format!("component subsampling {dx}×{dy}")));
    }
    Ok(Component { bit_depth, signed: ssiz & 0x80 != 0, dx, dy })
}

/// The default coding style. Scod bit 0 says precinct sizes follow; bits 1 and 2 announce SOP and EPH.
fn read_cod(bytes: &SourceBytes, seg: &Segment) -> Result<CodingStyle, SourceError> {
    if seg.len < 5 {
        return Err(corrupt(format!("COD length {}", seg.len + 2)));
    }
    let mut f = Fields { bytes, pos: seg.body };
    let scod = f.u8()?;
    let order = f.u8()?;
    let progression =
        ProgressionOrder::from_code(order).ok_or_else(|| corrupt(format!("progression order {order}")))?;
    let layers = f.u16()?;
    if layers == 0 {
        return Err(corrupt("zero quality layers"));
    }
    let multiple_component_transform = f.u8()?;
    let s = read_spcod(&mut f, seg.len - 5, scod & 1 != 0)?;
    Ok(CodingStyle {
        progression,
        layers,
        multiple_component_transform,
        sop: scod & 2 != 0,
        eph: scod & 4 != 0,
        decomposition_levels: s.decomposition_levels,
        code_block_width: s.code_block_width,
        code_block_height: s.code_block_height,
        code_block_style: s.code_block_style,
        transformation: s.transformation,
        precincts: s.precincts,
    })
}

/// A component coding style override; returns the component and its decomposition level count.
fn read_coc(bytes: &SourceBytes, seg: &Segment, components: usize) -> Result<(u16, u8), SourceError> {
    // The component index takes two bytes only when there are more than 256 components.
    let wide = components > 256;
    let index_len = if wide { 2 } else { 1 };
    if seg.len < index_len + 1 {
        return Err(corrupt(format!("COC length {}", seg.len + 2)));
    }
    let mut f = Fields { bytes, pos: seg.body };
    let component = if wide { f.u16()? } else { u16::from(f.u8()?) };
    if usize::from(component) >= components {
        return Err(corrupt(format!("COC for component {component} of {components}")));
    }
    let scoc = f.u8()?;
    let s = read_spcod(&mut f, seg.len - index_len - 1, scoc & 1 != 0)?;
    Ok((component, s.decomposition_levels))
}

/// The per-component part of COD and COC.
struct Spcod {
    decomposition_levels: u8,
    code_block_width: u32,
    code_block_height: u32,
    code_block_style: u8,
    transformation: u8,
    precincts: Vec<(u32, u32)>,
}

fn read_spcod(f: &mut Fields, available: u64, explicit_precincts: bool) -> Result<Spcod, SourceError> {
    if available < 5 {
        return Err(corrupt("coding style segment too short"));
    }
    let levels = f.u8()?;
    if levels > MAX_DECOMPOSITION_LEVELS {
        return Err(corrupt(format!("{levels} decomposition levels")));
    }
    let (xcb, ycb) = (f.u8()?, f.u8()?);
    // Exponents offset by 2; each at most 10 and together at most 12 (64×64 or 1024×4, say).
    if xcb > 8 || ycb > 8 || xcb + ycb > 8 {
        return Err(corrupt(format!("code-block size exponents {xcb}, {ycb}")));
    }
    let code_block_style = f.u8()?;
    let transformation = f.u8()?;
    let resolutions = u64::from(levels) + 1;
    let precincts = if explicit_precincts {
        if available < 5 + resolutions {
            return Err(corrupt("coding style segment too short for its precinct sizes"));
        }
        let mut sizes = Vec::new();
        for _ in 0..resolutions {
            let p = f.u8()?;
            sizes.push((1u32 << (p & 0x0F), 1u32 << (p >> 4)));
        }
        sizes
    } else {
        alloc::vec![(1 << 15, 1 << 15); usize::from(levels) + 1]
    };
    Ok(Spcod {
        decomposition_levels: levels,
        code_block_width: 1 << (xcb + 2),
        code_block_height: 1 << (ycb + 2),
        code_block_style,
        transformation,
        precincts,
    })
}

fn corrupt(reason: impl Into<String>) -> SourceError {
    SourceError::corrupt(FORMAT, reason)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that unwraps fails loudly, which is what it is for.
mod tests {
    use super::super::probe_test_support::{Feeder, fixture, sample};
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    /// Where nemo.jp2's codestream starts and its main header ends (from the fixture's boxes).
    const NEMO_SOC: u64 = 85;
    const NEMO_SOT: u64 = 198;

    fn bx(box_type: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut b = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(box_type);
        b.extend_from_slice(content);
        b
    }

    fn ftyp(brand: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let mut content = brand.to_vec();
        content.extend_from_slice(&[0; 4]);
        for c in compatible {
            content.extend_from_slice(*c);
        }
        bx(b"ftyp", &content)
    }

    fn file(boxes: &[Vec<u8>]) -> Vec<u8> {
        let mut f = SIGNATURE_BOX.to_vec();
        for b in boxes {
            f.extend_from_slice(b);
        }
        f
    }

    fn nemo_codestream() -> Vec<u8> {
        fixture("nemo.jp2")[NEMO_SOC as usize..].to_vec()
    }

    fn marker(code: u16, body: &[u8]) -> Vec<u8> {
        let mut m = code.to_be_bytes().to_vec();
        m.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    /// A synthetic codestream: SOC, SIZ, COD, `extra` segments, one empty tile-part, EOC.
    #[derive(Clone)]
    struct Cs {
        size: [u32; 8],
        components: Vec<[u8; 3]>,
        scod: u8,
        progression: u8,
        layers: u16,
        levels: u8,
        code_block: [u8; 2],
        precincts: Vec<u8>,
        extra: Vec<Vec<u8>>,
    }

    impl Cs {
        fn new(width: u32, height: u32, tile: u32, levels: u8) -> Self {
            Cs {
                size: [width, height, 0, 0, tile, tile, 0, 0],
                components: vec![[7, 1, 1]; 3],
                scod: 0,
                progression: 2,
                layers: 1,
                levels,
                code_block: [4, 4],
                precincts: Vec::new(),
                extra: Vec::new(),
            }
        }

        fn bytes(&self) -> Vec<u8> {
            let mut siz = vec![0, 0];
            for v in self.size {
                siz.extend_from_slice(&v.to_be_bytes());
            }
            siz.extend_from_slice(&(self.components.len() as u16).to_be_bytes());
            for c in &self.components {
                siz.extend_from_slice(c);
            }
            let mut cod = vec![self.scod, self.progression];
            cod.extend_from_slice(&self.layers.to_be_bytes());
            cod.extend_from_slice(&[1, self.levels, self.code_block[0], self.code_block[1], 0, 1]);
            cod.extend_from_slice(&self.precincts);
            let mut cs = SOC.to_be_bytes().to_vec();
            cs.extend(marker(SIZ, &siz));
            cs.extend(marker(COD, &cod));
            cs.extend(marker(0xFF5C, &[0x40, 0x40, 0x48, 0x48, 0x50]));
            for e in &self.extra {
                cs.extend_from_slice(e);
            }
            cs.extend(marker(SOT, &[0, 0, 0, 0, 0, 14, 0, 1]));
            cs.extend_from_slice(&SOD.to_be_bytes());
            cs.extend_from_slice(&EOC.to_be_bytes());
            cs
        }

        fn info(&self) -> Result<CodestreamInfo, SourceError> {
            codestream_info(&SourceBytes::from_vec(self.bytes()), 0)
        }
    }

    fn sizes(levels: &[Level]) -> Vec<(u32, u32, u32, u32)> {
        levels.iter().map(|l| (l.width, l.height, l.tile_width, l.tile_height)).collect()
    }

    fn assert_corrupt<T: core::fmt::Debug>(r: Result<T, SourceError>) {
        assert!(matches!(r, Err(SourceError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn nemo_has_exactly_two_levels() {
        for file in [fixture("nemo.jp2"), sample("nemo.jp2")] {
            let g = super::super::probe(&SourceBytes::from_vec(file)).unwrap();
            assert_eq!(g.format, SourceFormat::Jp2);
            assert_eq!((g.width, g.height, g.channels, g.bits_per_sample), (2592, 1456, 3, 8));
            assert_eq!(
                g.levels,
                vec![
                    Level::whole(2592, 1456, LevelData::Jp2 { reduce: 0, layout: None }),
                    Level::whole(1296, 728, LevelData::Jp2 { reduce: 1, layout: None }),
                ]
            );
            assert_eq!(g.scale_factors(), vec![1, 2]);
        }
    }

    #[test]
    fn nemo_main_header() {
        let info = jp2_info(&SourceBytes::from_vec(fixture("nemo.jp2"))).unwrap();
        assert_eq!((info.offset, info.end, info.main_header_end), (NEMO_SOC, Some(1_132_373), NEMO_SOT));
        assert_eq!((info.rsiz, info.x_offset, info.y_offset), (0, 0, 0));
        assert_eq!(
            (info.tile_width, info.tile_height, info.tiles_across, info.tiles_down),
            (2592, 1456, 1, 1)
        );
        assert_eq!(info.components, vec![Component { bit_depth: 8, signed: false, dx: 1, dy: 1 }; 3]);
        assert_eq!(
            info.coding,
            CodingStyle {
                progression: ProgressionOrder::Lrcp,
                layers: 2,
                multiple_component_transform: 1,
                sop: false,
                eph: false,
                decomposition_levels: 1,
                code_block_width: 64,
                code_block_height: 64,
                code_block_style: 0,
                transformation: 1,
                precincts: vec![(32768, 32768); 2],
            }
        );
        assert_eq!(info.min_decomposition_levels, 1);
        assert!(!info.has_tlm() && info.is_single_tile());
    }

    #[test]
    fn raw_codestream_probes_as_j2k() {
        let g = super::super::probe(&SourceBytes::from_vec(nemo_codestream())).unwrap();
        assert_eq!(g.format, SourceFormat::J2k);
        assert_eq!(sizes(&g.levels), vec![(2592, 1456, 2592, 1456), (1296, 728, 1296, 728)]);
        // And in place, inside the JP2.
        let in_place = probe_codestream(&SourceBytes::from_vec(fixture("nemo.jp2")), NEMO_SOC).unwrap();
        assert_eq!(in_place, g);
    }

    #[test]
    fn converges_in_few_round_trips() {
        let file = fixture("nemo.jp2");
        let whole = jp2_info(&SourceBytes::from_vec(file.clone())).unwrap();
        for feeder in [Feeder::EXACT, Feeder { initial: 16, ..Feeder::EXACT }] {
            let (got, trips) = feeder.run(&file, jp2_info);
            assert_eq!((got.as_ref(), trips), (Ok(&whole), 1), "{feeder:?}");
        }
        // The codestream box states its length, so its end is known even when the file's is not.
        let (got, trips) = Feeder { known_len: false, ..Feeder::EXACT }.run(&file, jp2_info);
        assert_eq!((got.as_ref(), trips), (Ok(&whole), 1));
        let (got, trips) = Feeder::STINGY.run(&file, jp2_info);
        assert_eq!(got, Ok(whole));
        assert!(trips <= 16, "{trips} round trips");
    }

    /// The box layout Kakadu writes for JPX: reader requirements, the JP2 header, labelled XML metadata in
    /// an association, a UUID box, then the codestream, here with an extended (XLBox) length.
    fn kakadu_style_jpx(codestream: &[u8]) -> Vec<u8> {
        let jp2h = [
            bx(b"ihdr", &[0, 0, 5, 0xB0, 0, 0, 0x0A, 0x20, 0, 3, 7, 7, 0, 0]),
            bx(b"colr", &[1, 0, 0, 0, 0, 0, 16]),
        ]
        .concat();
        let asoc = [bx(b"lbl ", b"metadata"), bx(b"xml ", b"<x/>")].concat();
        let mut jp2c = 1u32.to_be_bytes().to_vec();
        jp2c.extend_from_slice(b"jp2c");
        jp2c.extend_from_slice(&(codestream.len() as u64 + 16).to_be_bytes());
        jp2c.extend_from_slice(codestream);
        file(&[
            ftyp(b"jpx ", &[b"jpx ", b"jp2 ", b"jpxb"]),
            bx(b"rreq", &[1, 0xFF, 0, 2, 0, 5, 0x80, 0, 0x2D, 0x40, 0, 0]),
            bx(b"jp2h", &jp2h),
            bx(b"asoc", &asoc),
            bx(b"uuid", &[0xAB; 40]),
            jp2c,
        ])
    }

    #[test]
    fn kakadu_style_jpx_probes() {
        let g = probe(&SourceBytes::from_vec(kakadu_style_jpx(&nemo_codestream()))).unwrap();
        assert_eq!(g.format, SourceFormat::Jp2);
        assert_eq!(sizes(&g.levels), vec![(2592, 1456, 2592, 1456), (1296, 728, 1296, 728)]);
        let (got, trips) = Feeder::EXACT.run(&kakadu_style_jpx(&nemo_codestream()), probe);
        assert_eq!((got, trips), (Ok(g), 1));
    }

    #[test]
    fn codestream_box_to_end_of_file() {
        let cs = nemo_codestream();
        let mut jp2c = vec![0, 0, 0, 0];
        jp2c.extend_from_slice(b"jp2c");
        jp2c.extend_from_slice(&cs);
        let f = file(&[ftyp(b"jp2 ", &[b"jp2 "]), jp2c]);
        let info = jp2_info(&SourceBytes::from_vec(f.clone())).unwrap();
        assert_eq!((info.offset, info.end), (40, Some(f.len() as u64)));
    }

    #[test]
    fn brands() {
        let cs = bx(b"jp2c", &nemo_codestream());
        // An unknown brand that lists JP2 compatibility is fine.
        assert!(
            probe(&SourceBytes::from_vec(file(&[ftyp(b"abcd", &[b"efgh", b"jp2 "]), cs.clone()]))).is_ok()
        );
        assert!(probe(&SourceBytes::from_vec(file(&[ftyp(b"jpxb", &[]), cs.clone()]))).is_ok());
        let jpm = probe(&SourceBytes::from_vec(file(&[ftyp(b"jpm ", &[b"jpm "]), cs.clone()])));
        assert!(matches!(jpm, Err(SourceError::Unsupported { .. })), "{jpm:?}");
        // No file type box after the signature.
        assert_corrupt(probe(&SourceBytes::from_vec(file(core::slice::from_ref(&cs)))));
        assert_corrupt(probe(&SourceBytes::from_vec(file(&[bx(b"ftyp", b"jp2"), cs]))));
    }

    #[test]
    fn fragment_table_is_unsupported() {
        let ftbl = bx(b"ftbl", &bx(b"flst", &[0, 1, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 50, 0, 0]));
        let f = file(&[ftyp(b"jpx ", &[b"jpx "]), bx(b"jp2h", &[]), ftbl]);
        let got = probe(&SourceBytes::from_vec(f));
        assert!(
            matches!(&got, Err(SourceError::Unsupported { reason, .. }) if reason.contains("fragment")),
            "{got:?}"
        );
        // Nothing at all is plain corruption.
        assert_corrupt(probe(&SourceBytes::from_vec(file(&[ftyp(b"jp2 ", &[]), bx(b"jp2h", &[])]))));
    }

    #[test]
    fn box_lengths_past_the_end_are_corrupt_not_fetches() {
        let mut f =
            file(&[ftyp(b"jp2 ", &[b"jp2 "]), bx(b"jp2h", &[0; 16]), bx(b"jp2c", &nemo_codestream())]);
        // Claim the header box is 4 GB.
        f[32..36].copy_from_slice(&u32::MAX.to_be_bytes());
        let len = f.len() as u64;
        assert_corrupt(probe(&SourceBytes::from_vec(f.clone())));
        // Even holding only the first bytes, a known length settles it without asking for more.
        let mut partial = SourceBytes::new(Some(len));
        partial.insert(0, f[..64].to_vec());
        assert_corrupt(probe(&partial));
        let (got, trips) = Feeder::EXACT.run(&f, probe);
        assert!(matches!(got, Err(SourceError::Corrupt { .. })) && trips == 1, "{got:?} after {trips}");
        // Extended lengths too, and lengths that cannot hold their own header.
        let mut xl = f.clone();
        xl[32..36].copy_from_slice(&1u32.to_be_bytes());
        xl[40..48].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_corrupt(probe(&SourceBytes::from_vec(xl.clone())));
        xl[40..48].copy_from_slice(&8u64.to_be_bytes());
        assert_corrupt(probe(&SourceBytes::from_vec(xl)));
        f[32..36].copy_from_slice(&5u32.to_be_bytes());
        assert_corrupt(probe(&SourceBytes::from_vec(f)));
    }

    #[test]
    fn tiled_pyramid_levels() {
        let info = Cs::new(10_000, 7_000, 1024, 5).info().unwrap();
        assert_eq!(
            (info.tiles_across, info.tiles_down, info.coding.progression),
            (10, 7, ProgressionOrder::Rpcl)
        );
        let g = info.geometry(SourceFormat::J2k).unwrap();
        assert_eq!(
            sizes(&g.levels),
            vec![
                (10_000, 7_000, 1024, 1024),
                (5_000, 3_500, 512, 512),
                (2_500, 1_750, 256, 256),
                (1_250, 875, 128, 128),
                (625, 438, 64, 64),
                (313, 219, 32, 32),
            ]
        );
        assert_eq!(g.levels.iter().map(|l| l.columns()).collect::<Vec<_>>(), vec![10, 10, 10, 10, 10, 10]);
        assert_eq!(g.scale_factors(), vec![1, 2, 4, 8, 16, 32]);
    }

    #[test]
    fn image_offsets_round_level_corners() {
        // Image area 3..10 × 1..6 on the reference grid.
        let mut cs = Cs::new(10, 6, 16, 3);
        cs.size[2..4].copy_from_slice(&[3, 1]);
        let g = cs.info().unwrap().geometry(SourceFormat::J2k).unwrap();
        // Widths ceil(10/2^r) - ceil(3/2^r) = 7, 3, 2, 1; heights ceil(6/2^r) - ceil(1/2^r) = 5, 2, 1, 0.
        assert_eq!(sizes(&g.levels), vec![(7, 5, 7, 5), (3, 2, 3, 2), (2, 1, 2, 1)]);
    }

    #[test]
    fn levels_stop_once_nothing_shrinks() {
        let g = Cs::new(3, 3, 3, 5).info().unwrap().geometry(SourceFormat::J2k).unwrap();
        assert_eq!(sizes(&g.levels), vec![(3, 3, 3, 3), (2, 2, 2, 2), (1, 1, 1, 1)]);
        let g = Cs::new(100_000, 1, 1024, 32).info().unwrap().geometry(SourceFormat::J2k).unwrap();
        assert_eq!(g.levels.len(), 18);
    }

    #[test]
    fn coc_overrides_decomposition_levels() {
        let coc = |component: u8, levels: u8| marker(COC, &[component, 0, levels, 4, 4, 0, 1]);
        let mut fewer = Cs::new(4096, 4096, 4096, 5);
        fewer.extra = vec![coc(1, 2)];
        let info = fewer.info().unwrap();
        assert_eq!((info.coding.decomposition_levels, info.min_decomposition_levels), (5, 2));
        assert_eq!(info.levels().len(), 3);
        // When every component overrides the default, the default no longer counts.
        let mut more = Cs::new(4096, 4096, 4096, 1);
        more.extra = vec![coc(0, 4), coc(1, 3), coc(2, 4)];
        assert_eq!(more.info().unwrap().levels().len(), 4);
        let mut bad = Cs::new(64, 64, 64, 1);
        bad.extra = vec![coc(3, 1)];
        assert_corrupt(bad.info());
        bad.extra = vec![coc(0, 33)];
        assert_corrupt(bad.info());
    }

    #[test]
    fn explicit_precincts_sop_eph_and_tlm() {
        let mut cs = Cs::new(1000, 1000, 1000, 2);
        cs.scod = 1 | 2 | 4;
        cs.precincts = vec![0x77, 0x88, 0x8F];
        cs.extra = vec![marker(TLM, &[0, 0x50, 0, 0, 0, 0, 0, 9]), vec![0xFF, 0x30]];
        let info = cs.info().unwrap();
        assert_eq!(info.coding.precincts, vec![(128, 128), (256, 256), (32768, 256)]);
        assert!(info.coding.sop && info.coding.eph && info.has_tlm());
        cs.precincts.pop();
        assert_corrupt(cs.info());
    }

    #[test]
    fn many_components_are_unsupported_by_geometry_only() {
        let mut cs = Cs::new(8, 8, 8, 1);
        cs.components = vec![[15, 1, 1]; 300];
        let info = cs.info().unwrap();
        assert_eq!(info.components.len(), 300);
        assert!(matches!(info.geometry(SourceFormat::J2k), Err(SourceError::Unsupported { .. })));
        // With over 256 components a COC names its component in two bytes.
        cs.extra = vec![marker(COC, &[1, 0x20, 0, 0, 4, 4, 0, 1])];
        assert_eq!(cs.info().unwrap().min_decomposition_levels, 0);
    }

    #[test]
    fn bad_main_headers_are_corrupt() {
        let good = Cs::new(640, 480, 256, 3);
        assert!(good.info().is_ok());
        let mut cases: Vec<Cs> = Vec::new();
        let mut case = |edit: fn(&mut Cs)| {
            let mut cs = good.clone();
            edit(&mut cs);
            cases.push(cs);
        };
        case(|cs| cs.components.clear());
        case(|cs| cs.size[0] = 0);
        case(|cs| cs.size[1] = 0);
        case(|cs| cs.size[2] = 640);
        case(|cs| cs.size[4] = 0);
        case(|cs| cs.size[5] = 0);
        case(|cs| cs.size[6] = 1);
        case(|cs| {
            cs.size[2..4].copy_from_slice(&[300, 300]);
            cs.size[6..8].copy_from_slice(&[10, 10]);
            cs.size[4] = 100;
        });
        case(|cs| cs.size = [u32::MAX, u32::MAX, 0, 0, 1, 1, 0, 0]);
        case(|cs| cs.components[1] = [38, 1, 1]);
        case(|cs| cs.components[1] = [7, 0, 1]);
        case(|cs| cs.levels = 33);
        case(|cs| cs.progression = 5);
        case(|cs| cs.layers = 0);
        case(|cs| cs.code_block = [9, 0]);
        case(|cs| cs.code_block = [5, 4]);
        case(|cs| cs.scod = 1);
        case(|cs| cs.extra = vec![vec![0x12, 0x34]]);
        case(|cs| cs.extra = vec![marker(SIZ, &[])]);
        case(|cs| cs.extra = vec![vec![0xFF, 0x64, 0, 1]]);
        for (i, cs) in cases.iter().enumerate() {
            let got = cs.info();
            assert!(matches!(got, Err(SourceError::Corrupt { .. })), "case {i}: {got:?}");
        }
        // No COD at all.
        let mut no_cod = SOC.to_be_bytes().to_vec();
        let siz = &good.bytes()[2..2 + 2 + 38 + 9];
        no_cod.extend_from_slice(siz);
        no_cod.extend(marker(SOT, &[0, 0, 0, 0, 0, 14, 0, 1]));
        assert_corrupt(codestream_info(&SourceBytes::from_vec(no_cod), 0));
        // A COD before SIZ, and offsets that overflow.
        let mut swapped = good.bytes();
        swapped[3] = 0x52;
        assert_corrupt(codestream_info(&SourceBytes::from_vec(swapped), 0));
        assert_corrupt(codestream_info(&SourceBytes::from_vec(good.bytes()), u64::MAX - 1));
    }

    #[test]
    fn main_header_must_end_inside_its_box() {
        let cs = nemo_codestream();
        // The box ends just before the first SOT.
        let cut = (NEMO_SOT - NEMO_SOC) as usize;
        let f = file(&[ftyp(b"jp2 ", &[]), bx(b"jp2c", &cs[..cut]), bx(b"free", &cs[cut..cut + 64])]);
        assert_corrupt(probe(&SourceBytes::from_vec(f)));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let file = fixture("nemo.jp2");
        let raw = nemo_codestream();
        for cut in 0..NEMO_SOT as usize + 2 {
            let known = SourceBytes::from_vec(file[..cut].to_vec());
            assert!(!matches!(jp2_info(&known), Ok(_) | Err(SourceError::NeedBytes(_))), "cut at {cut}");
            let mut unknown = SourceBytes::new(None);
            unknown.insert(0, file[..cut].to_vec());
            assert!(matches!(jp2_info(&unknown), Err(SourceError::NeedBytes(_))), "cut at {cut}");
            let raw_cut = cut.min(raw.len());
            let known = SourceBytes::from_vec(raw[..raw_cut].to_vec());
            if raw_cut < (NEMO_SOT - NEMO_SOC) as usize + 2 {
                assert!(!matches!(codestream_info(&known, 0), Ok(_) | Err(SourceError::NeedBytes(_))));
            }
        }
    }

    /// The first bytes of a few JPEG 2000 files, through the first tile-part header.
    fn headers() -> Vec<Vec<u8>> {
        let mut tiled = Cs::new(10_000, 7_000, 1024, 5);
        tiled.extra = vec![marker(COC, &[1, 1, 2, 4, 4, 0, 1, 0x77, 0x88, 0x88])];
        tiled.scod = 1;
        tiled.precincts = vec![0x77; 6];
        vec![
            fixture("nemo.jp2")[..NEMO_SOT as usize + 16].to_vec(),
            kakadu_style_jpx(&nemo_codestream()[..200]),
            tiled.bytes(),
        ]
    }

    proptest! {
        #[test]
        fn mutated_headers_never_panic(
            which in 0usize..3,
            cut in 0usize..400,
            edits in proptest::collection::vec((0usize..400, any::<u8>()), 0..8),
            known_len in any::<bool>(),
            offset in 0u64..300,
        ) {
            let mut file = headers().swap_remove(which);
            let len = file.len();
            for (at, byte) in edits {
                file[at % len] = byte;
            }
            file.truncate(cut);
            let mut bytes = SourceBytes::new(known_len.then_some(file.len() as u64));
            bytes.insert(0, file);
            let _ = probe(&bytes);
            let _ = probe_codestream(&bytes, 0);
            let _ = probe_codestream(&bytes, offset);
            let _ = super::super::probe(&bytes);
        }

        #[test]
        fn arbitrary_size_fields_never_panic(size in any::<[u32; 8]>(), levels in 0u8..40, count in 1usize..4) {
            let mut cs = Cs::new(1, 1, 1, levels);
            cs.size = size;
            cs.components.truncate(count);
            if let Ok(info) = cs.info() {
                let g = info.geometry(SourceFormat::J2k).unwrap();
                prop_assert!(!g.levels.is_empty());
                prop_assert!(g.levels.windows(2).all(|w| w[1].width <= w[0].width && w[1].height <= w[0].height));
            }
        }
    }
}
