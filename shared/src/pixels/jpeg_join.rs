//! Joining stored JPEG tiles into one JPEG without decoding pixels, as `jpegtran` crops and joins: the
//! tiles' quantised DCT coefficients are read out of their scans and written again as one scan, with
//! Huffman tables built for the joined image. No IDCT, colour conversion, resampling or quantisation
//! happens, so the result has exactly the stored tiles' pixels at a fraction of a decode and encode's
//! work. A block's AC run-length symbols do not change when tiles are joined (only the DC differences
//! across seams and the Huffman codes do), so they are kept as read and written again as they are.
//!
//! This is what a viewer asking for 512² tiles from a pyramid stored in 256² tiles needs: each of its
//! requests is four whole stored tiles at their stored size. It applies to baseline JPEG tiles that share
//! their frame (components, sampling, quantisation tables) and whose size is a whole number of MCUs; the
//! right and bottom tiles may be partial, since the joined frame's size cuts their padding off. Anything
//! else is [`JoinError::NotJoinable`], and the caller decodes pixels instead.

mod huffman;
mod splice;

use alloc::vec;
use alloc::vec::Vec;

use huffman::{BitReader, BitWriter, DecodeTable, EncodeTable, Frequencies, Spec, category};

use super::{Budget, PixelError};

const CODEC: &str = "JPEG";

/// A reason a stream is damaged (the caller falls back to its decoder, which reports it properly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt(pub &'static str);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// The tiles are valid but cannot be joined in the coefficient domain.
    #[error("the tiles cannot be joined without decoding: {0}")]
    NotJoinable(&'static str),
    #[error(transparent)]
    Pixel(#[from] PixelError),
}

impl From<Corrupt> for JoinError {
    fn from(c: Corrupt) -> Self {
        JoinError::Pixel(PixelError::corrupt(CODEC, c.0))
    }
}

/// One stored tile: its place in the grid of tiles being joined, and its complete JPEG stream (tables
/// spliced in where the container keeps them apart).
#[derive(Debug, Clone, Copy)]
pub struct PlacedTile<'a> {
    pub column: u32,
    pub row: u32,
    pub jpeg: &'a [u8],
}

/// Joins `tiles` (a full grid of columns × rows, each place once, each a `tile_size` frame: the grid's
/// stride, as the container lays the tiles out) into one baseline JPEG of `width`×`height`, the grid's
/// size less the padding of its right and bottom tiles.
pub fn join(
    tiles: &[PlacedTile<'_>],
    tile_size: (u32, u32),
    width: u32,
    height: u32,
    budget: &Budget,
) -> Result<Vec<u8>, JoinError> {
    join_by(tiles, tile_size, (width, height), budget, Method::Any)
}

/// How [`join_by`] may join: copying each tile's coded bits ([`splice`]), which needs tiles that share
/// their Huffman tables, or re-coding their symbols with tables built for the joined image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
enum Method {
    Any,
    Splice,
    Recode,
}

fn join_by(
    tiles: &[PlacedTile<'_>],
    tile_size: (u32, u32),
    (width, height): (u32, u32),
    budget: &Budget,
    method: Method,
) -> Result<Vec<u8>, JoinError> {
    let columns = tiles.iter().map(|t| t.column).max().unwrap_or(0) + 1;
    let rows = tiles.iter().map(|t| t.row).max().unwrap_or(0) + 1;
    if u64::from(columns) * u64::from(rows) != tiles.len() as u64 {
        return Err(JoinError::NotJoinable("the tiles do not fill their grid"));
    }
    let streams = tiles.iter().map(|t| Stream::parse(t.jpeg)).collect::<Result<Vec<_>, _>>()?;
    let frame = &streams.first().ok_or(JoinError::NotJoinable("no tiles"))?.frame;
    // A frame of another size than the container's tiles (a writer that encodes edge tiles smaller)
    // would put the blocks at the wrong places.
    if (u32::from(frame.width), u32::from(frame.height)) != tile_size {
        return Err(JoinError::NotJoinable("a tile's frame is not the container's tile size"));
    }
    for s in &streams {
        if s.frame != *frame {
            return Err(JoinError::NotJoinable("the tiles' frames differ"));
        }
        for c in &frame.components {
            if s.quant[usize::from(c.tq)] != streams[0].quant[usize::from(c.tq)] {
                return Err(JoinError::NotJoinable("the tiles' quantisation tables differ"));
            }
        }
    }
    let layout = Layout::of(frame);
    let (tw, th) = (u32::from(frame.width), u32::from(frame.height));
    if (columns > 1 && tw % layout.mcu_width != 0) || (rows > 1 && th % layout.mcu_height != 0) {
        return Err(JoinError::NotJoinable("the tiles are not a whole number of MCUs"));
    }
    let grid_width = u64::from(columns) * u64::from(tw);
    let grid_height = u64::from(rows) * u64::from(th);
    let fits =
        |size: u32, grid: u64, tile: u32| u64::from(size) <= grid && u64::from(size) > grid - u64::from(tile);
    if !fits(width, grid_width, tw) || !fits(height, grid_height, th) || width > 65535 || height > 65535 {
        return Err(JoinError::NotJoinable("the size does not match the tile grid"));
    }
    // Every tile's symbols are held at once: per block its DC value and where its AC symbols are, and
    // per AC symbol four bytes. A block has at most 63 AC symbols and a symbol takes at least one bit.
    let blocks_per_tile: u64 =
        layout.components.iter().map(|c| u64::from(c.blocks_wide * c.blocks_high)).sum();
    let held = streams.iter().fold(0u64, |sum, s| {
        let symbols = (blocks_per_tile * 63).min(s.scan.len() as u64 * 8);
        sum.saturating_add(blocks_per_tile * 10 + symbols * 4)
    });
    let pixels = u64::from(width) * u64::from(height);
    if held > budget.max_bytes || pixels > budget.max_pixels {
        return Err(PixelError::OverBudget {
            width,
            height,
            channels: frame.components.len() as u8,
            max_pixels: budget.max_pixels,
            max_bytes: budget.max_bytes,
        }
        .into());
    }
    let place: Vec<usize> = {
        let mut place = vec![usize::MAX; tiles.len()];
        for (i, t) in tiles.iter().enumerate() {
            let at = (t.row * columns + t.column) as usize;
            if place[at] != usize::MAX {
                return Err(JoinError::NotJoinable("two tiles in one place"));
            }
            place[at] = i;
        }
        place
    };
    let grid = Grid { place: &place, columns, width, height };
    if method != Method::Recode
        && let Some(joined) = splice::splice(&streams, &layout, &grid)?
    {
        return Ok(joined);
    }
    if method == Method::Splice {
        return Err(JoinError::NotJoinable("the tiles' Huffman tables or restart intervals differ"));
    }
    let mut coefficients = Vec::with_capacity(tiles.len());
    for s in &streams {
        coefficients.push(s.symbols(&layout)?);
    }
    let joined = Joined { layout: &layout, coefficients: &coefficients, grid };
    Ok(joined.encode(frame, &streams[0].quant)?)
}

/// Where the tiles go in the joined image.
struct Grid<'a> {
    /// Grid place (row-major) → input index.
    place: &'a [usize],
    columns: u32,
    /// The joined image's size.
    width: u32,
    height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Component {
    id: u8,
    h: u8,
    v: u8,
    tq: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Frame {
    /// SOF0 or SOF1.
    marker: u8,
    width: u16,
    height: u16,
    components: Vec<Component>,
}

/// A DQT table as stored: its precision byte and its 64 values (zigzag order).
type Quant = Option<(u8, [u16; 64])>;

/// One parsed tile stream, up to the start of its single scan.
struct Stream<'a> {
    frame: Frame,
    quant: [Quant; 4],
    /// Huffman tables by id as DHT carried them: compared between tiles and written again as they are,
    /// and made into decode tables ([`Stream::decoders`]) only for a scan that is walked.
    dc: [Option<Spec>; 4],
    ac: [Option<Spec>; 4],
    restart_interval: u16,
    /// Per frame component: its scan's DC and AC tables.
    tables: Vec<(u8, u8)>,
    scan: &'a [u8],
}

fn be16(data: &[u8], at: usize) -> Result<u16, Corrupt> {
    data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or(Corrupt("a truncated segment"))
}

impl<'a> Stream<'a> {
    fn parse(data: &'a [u8]) -> Result<Stream<'a>, JoinError> {
        if !data.starts_with(&[0xFF, 0xD8]) {
            return Err(Corrupt("no SOI").into());
        }
        let mut at = 2;
        let mut frame: Option<Frame> = None;
        let mut quant: [Quant; 4] = [None; 4];
        let (mut dc, mut ac): ([Option<Spec>; 4], [Option<Spec>; 4]) = Default::default();
        let mut restart_interval = 0;
        loop {
            while data.get(at) == Some(&0xFF) && data.get(at + 1) == Some(&0xFF) {
                at += 1;
            }
            if data.get(at) != Some(&0xFF) {
                return Err(Corrupt("a marker was expected").into());
            }
            let marker = *data.get(at + 1).ok_or(Corrupt("a truncated stream"))?;
            let len = usize::from(be16(data, at + 2)?);
            let body = data.get(at + 4..at + 2 + len).ok_or(Corrupt("a truncated segment"))?;
            if len < 2 {
                return Err(Corrupt("a segment shorter than its length field").into());
            }
            match marker {
                0xC0 | 0xC1 => frame = Some(parse_frame(marker, body)?),
                0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                    return Err(JoinError::NotJoinable("not a baseline JPEG"));
                }
                0xC4 => parse_huffman(body, [&mut dc, &mut ac])?,
                0xDB => parse_quant(body, &mut quant)?,
                0xDD => restart_interval = be16(body, 0)?,
                0xDA => {
                    let frame = frame.ok_or(Corrupt("a scan before the frame"))?;
                    let tables = parse_scan(body, &frame)?;
                    let scan = data.get(at + 2 + len..).ok_or(Corrupt("a truncated scan"))?;
                    return Ok(Stream { frame, quant, dc, ac, restart_interval, tables, scan });
                }
                0xE0..=0xEF | 0xFE => {}
                0xD9 => return Err(Corrupt("no scan").into()),
                _ => return Err(JoinError::NotJoinable("an unexpected marker")),
            }
            at += 2 + len;
        }
    }

    /// Per frame component, decode tables for its scan's DC and AC tables; components that name the same
    /// pair share one build.
    fn decoders(&self) -> Result<Vec<(DecodeTable, DecodeTable)>, Corrupt> {
        let mut out: Vec<(DecodeTable, DecodeTable)> = Vec::with_capacity(self.tables.len());
        for (i, &(td, ta)) in self.tables.iter().enumerate() {
            if let Some(same) = self.tables[..i].iter().position(|&t| t == (td, ta)) {
                let built = out[same].clone();
                out.push(built);
                continue;
            }
            let dc = self.dc[usize::from(td)].as_ref().ok_or(Corrupt("a scan names a missing DC table"))?;
            let ac = self.ac[usize::from(ta)].as_ref().ok_or(Corrupt("a scan names a missing AC table"))?;
            out.push((DecodeTable::new(dc)?, DecodeTable::new(ac)?));
        }
        Ok(out)
    }

    /// Every block's DC value and AC symbols, per component in raster order of its block grid.
    fn symbols(&self, layout: &Layout) -> Result<Vec<Blocks>, JoinError> {
        let mut out: Vec<Blocks> = layout
            .components
            .iter()
            .map(|c| {
                let n = (c.blocks_wide * c.blocks_high) as usize;
                Blocks {
                    dc: vec![0; n],
                    spans: vec![(0, 0); n],
                    ac: Vec::with_capacity((self.scan.len() * 2 / layout.components.len()).min(n * 63)),
                }
            })
            .collect();
        let tables = self.decoders()?;
        let mut reader = BitReader::new(self.scan);
        let mut buffer = [(0u8, 0i16); 64];
        let mut predictions = vec![0i32; layout.components.len()];
        let restart = u32::from(self.restart_interval);
        for mcu in 0..layout.mcus_wide * layout.mcus_high {
            if restart > 0 && mcu > 0 && mcu % restart == 0 {
                reader.restart()?;
                predictions.fill(0);
            }
            let (mx, my) = (mcu % layout.mcus_wide, mcu / layout.mcus_wide);
            for (ci, c) in layout.components.iter().enumerate() {
                let (dc, ac) = &tables[ci];
                for v in 0..c.v {
                    for h in 0..c.h {
                        let index = ((my * c.v + v) * c.blocks_wide + mx * c.h + h) as usize;
                        let (value, n) =
                            decode_block(&mut reader, dc, ac, &mut predictions[ci], &mut buffer)?;
                        let blocks = &mut out[ci];
                        let start = blocks.ac.len() as u32;
                        blocks.ac.extend_from_slice(&buffer[..n]);
                        blocks.dc[index] = value;
                        blocks.spans[index] = (start, blocks.ac.len() as u32);
                    }
                }
            }
        }
        Ok(out)
    }
}

fn parse_frame(marker: u8, body: &[u8]) -> Result<Frame, JoinError> {
    let precision = *body.first().ok_or(Corrupt("a truncated frame"))?;
    if precision != 8 {
        return Err(JoinError::NotJoinable("not 8-bit samples"));
    }
    let height = be16(body, 1)?;
    let width = be16(body, 3)?;
    let count = usize::from(*body.get(5).ok_or(Corrupt("a truncated frame"))?);
    if height == 0 || width == 0 || !(count == 1 || count == 3) {
        return Err(JoinError::NotJoinable("not a 1- or 3-component image with a known size"));
    }
    let mut components = Vec::with_capacity(count);
    for i in 0..count {
        let c = body.get(6 + 3 * i..9 + 3 * i).ok_or(Corrupt("a truncated frame"))?;
        let (h, v, tq) = (c[1] >> 4, c[1] & 15, c[2]);
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || tq > 3 {
            return Err(Corrupt("bad sampling factors or table").into());
        }
        components.push(Component { id: c[0], h, v, tq });
    }
    if count == 1 {
        // A lone component is coded block by block whatever its sampling factors say (A.2.2).
        components[0].h = 1;
        components[0].v = 1;
    }
    Ok(Frame { marker, width, height, components })
}

/// DHT tables into `specs`, `[DC, AC]` by table id.
fn parse_huffman(mut body: &[u8], specs: [&mut [Option<Spec>; 4]; 2]) -> Result<(), JoinError> {
    while let Some(&class_id) = body.first() {
        let counts: [u8; 16] =
            body.get(1..17).and_then(|c| c.try_into().ok()).ok_or(Corrupt("a truncated Huffman table"))?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let symbols = body.get(17..17 + total).ok_or(Corrupt("a truncated Huffman table"))?.to_vec();
        let spec = Spec { counts, symbols };
        let (class, id) = (usize::from(class_id >> 4), usize::from(class_id & 15));
        if class > 1 || id > 3 {
            return Err(Corrupt("a bad Huffman table class or id").into());
        }
        specs[class][id] = Some(spec);
        body = &body[17 + total..];
    }
    Ok(())
}

fn parse_quant(mut body: &[u8], quant: &mut [Quant; 4]) -> Result<(), JoinError> {
    while let Some(&pq_tq) = body.first() {
        let (pq, tq) = (pq_tq >> 4, usize::from(pq_tq & 15));
        let size = if pq == 0 { 1 } else { 2 };
        let values = body.get(1..1 + 64 * size).ok_or(Corrupt("a truncated quantisation table"))?;
        let mut table = [0u16; 64];
        for (i, t) in table.iter_mut().enumerate() {
            *t = if size == 1 {
                u16::from(values[i])
            } else {
                u16::from_be_bytes([values[2 * i], values[2 * i + 1]])
            };
        }
        *quant.get_mut(tq).ok_or(Corrupt("a bad quantisation table id"))? = Some((pq, table));
        body = &body[1 + 64 * size..];
    }
    Ok(())
}

/// The scan's table choices per frame component; the scan must hold every component, in frame order,
/// with the whole spectrum (a baseline single-scan image).
fn parse_scan(body: &[u8], frame: &Frame) -> Result<Vec<(u8, u8)>, JoinError> {
    let count = usize::from(*body.first().ok_or(Corrupt("a truncated scan header"))?);
    if count != frame.components.len() {
        return Err(JoinError::NotJoinable("a scan without every component"));
    }
    let mut tables = Vec::with_capacity(count);
    for (i, c) in frame.components.iter().enumerate() {
        let s = body.get(1 + 2 * i..3 + 2 * i).ok_or(Corrupt("a truncated scan header"))?;
        if s[0] != c.id {
            return Err(JoinError::NotJoinable("a scan in another component order"));
        }
        let (td, ta) = (s[1] >> 4, s[1] & 15);
        if td > 3 || ta > 3 {
            return Err(Corrupt("a bad Huffman table id").into());
        }
        tables.push((td, ta));
    }
    let spectral = body.get(1 + 2 * count..4 + 2 * count).ok_or(Corrupt("a truncated scan header"))?;
    if spectral != [0, 63, 0] {
        return Err(JoinError::NotJoinable("not a sequential scan"));
    }
    Ok(tables)
}

/// Reads one block: its DC value, and its AC symbols, `(run << 4 | size, value)` as coded, into
/// `symbols` (at most 64: each symbol but EOB moves at least one place through the block), with their
/// count.
#[inline]
fn decode_block(
    reader: &mut BitReader<'_>,
    dc: &DecodeTable,
    ac: &DecodeTable,
    prediction: &mut i32,
    symbols: &mut [(u8, i16); 64],
) -> Result<(i16, usize), Corrupt> {
    let size = reader.decode(dc)?;
    if size > 11 {
        return Err(Corrupt("a DC difference too large for 8-bit samples"));
    }
    *prediction += reader.receive_extend(size);
    let value = i16::try_from(*prediction).map_err(|_| Corrupt("a DC value out of range"))?;
    let mut k = 1;
    let mut n = 0;
    while k < 64 {
        let (rs, value) = reader.decode_ac(ac)?;
        let (run, size) = (usize::from(rs >> 4), rs & 15);
        let slot = symbols.get_mut(n).ok_or(Corrupt("too many symbols in a block"))?;
        n += 1;
        if size == 0 {
            *slot = (rs, 0);
            if run == 15 {
                k += 16;
                continue;
            }
            if run != 0 {
                return Err(Corrupt("an undefined AC symbol"));
            }
            break;
        }
        k += run;
        if k > 63 || size > 10 {
            return Err(Corrupt("an AC coefficient past the block"));
        }
        *slot = (rs, value as i16);
        k += 1;
    }
    Ok((value, n))
}

/// One component's blocks in one tile, by place in its block grid: DC values, and where each block's AC
/// symbols are in `ac` (in decoding order, which is not the grid's when components are subsampled).
struct Blocks {
    dc: Vec<i16>,
    spans: Vec<(u32, u32)>,
    ac: Vec<(u8, i16)>,
}

impl Blocks {
    fn ac(&self, b: usize) -> &[(u8, i16)] {
        let (start, end) = self.spans[b];
        &self.ac[start as usize..end as usize]
    }
}

/// A component's place in the MCU and its block grid in one tile.
struct ComponentLayout {
    h: u32,
    v: u32,
    blocks_wide: u32,
    blocks_high: u32,
}

struct Layout {
    mcu_width: u32,
    mcu_height: u32,
    mcus_wide: u32,
    mcus_high: u32,
    components: Vec<ComponentLayout>,
}

impl Layout {
    fn of(frame: &Frame) -> Layout {
        let hmax = frame.components.iter().map(|c| u32::from(c.h)).max().unwrap_or(1);
        let vmax = frame.components.iter().map(|c| u32::from(c.v)).max().unwrap_or(1);
        let (mcu_width, mcu_height) = (8 * hmax, 8 * vmax);
        let mcus_wide = u32::from(frame.width).div_ceil(mcu_width);
        let mcus_high = u32::from(frame.height).div_ceil(mcu_height);
        let components = frame
            .components
            .iter()
            .map(|c| {
                let (h, v) = (u32::from(c.h), u32::from(c.v));
                ComponentLayout { h, v, blocks_wide: mcus_wide * h, blocks_high: mcus_high * v }
            })
            .collect();
        Layout { mcu_width, mcu_height, mcus_wide, mcus_high, components }
    }
}

/// The tiles' coefficients seen as one image.
struct Joined<'a> {
    layout: &'a Layout,
    /// Per tile (in input order), per component, its blocks.
    coefficients: &'a [Vec<Blocks>],
    grid: Grid<'a>,
}

impl Joined<'_> {
    /// The block at (`bx`, `by`) of component `ci`'s joined block grid.
    fn block(&self, ci: usize, bx: u32, by: u32) -> (i16, &[(u8, i16)]) {
        let c = &self.layout.components[ci];
        let (column, row) = (bx / c.blocks_wide, by / c.blocks_high);
        let tile = self.grid.place[(row * self.grid.columns + column) as usize];
        let index = ((by % c.blocks_high) * c.blocks_wide + bx % c.blocks_wide) as usize;
        let blocks = &self.coefficients[tile][ci];
        (blocks.dc[index], blocks.ac(index))
    }

    /// Visits every block in scan order, with its component.
    fn for_each_block(
        &self,
        mut f: impl FnMut(usize, i16, &[(u8, i16)]) -> Result<(), Corrupt>,
    ) -> Result<(), Corrupt> {
        let mcus_wide = self.grid.width.div_ceil(self.layout.mcu_width);
        let mcus_high = self.grid.height.div_ceil(self.layout.mcu_height);
        for my in 0..mcus_high {
            for mx in 0..mcus_wide {
                for (ci, c) in self.layout.components.iter().enumerate() {
                    for v in 0..c.v {
                        for h in 0..c.h {
                            let (dc, ac) = self.block(ci, mx * c.h + h, my * c.v + v);
                            f(ci, dc, ac)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn encode(&self, frame: &Frame, quant: &[Quant; 4]) -> Result<Vec<u8>, Corrupt> {
        // Luma (or the only component) codes with tables 0, the others share tables 1.
        let table_of = |ci: usize| usize::from(ci > 0);
        let mut dc = [Frequencies::default(), Frequencies::default()];
        let mut ac = [Frequencies::default(), Frequencies::default()];
        let mut predictions = vec![0i32; frame.components.len()];
        self.for_each_block(|ci, dc_value, symbols| {
            let t = table_of(ci);
            let diff = i32::from(dc_value) - predictions[ci];
            predictions[ci] = i32::from(dc_value);
            dc[t].0[usize::from(category(diff))] += 1;
            for &(rs, _) in symbols {
                ac[t].0[usize::from(rs)] += 1;
            }
            Ok(())
        })?;
        let tables = frame.components.len().min(2);
        let specs: Vec<(Spec, Spec)> = (0..tables).map(|t| (dc[t].optimal(), ac[t].optimal())).collect();
        let encoders: Vec<(EncodeTable, EncodeTable)> =
            specs.iter().map(|(d, a)| (EncodeTable::new(d), EncodeTable::new(a))).collect();

        let mut writer =
            BitWriter::with_capacity(self.coefficients.iter().flatten().map(|b| b.ac.len()).sum());
        predictions.fill(0);
        self.for_each_block(|ci, dc_value, symbols| {
            let (dc_table, ac_table) = &encoders[table_of(ci)];
            let diff = i32::from(dc_value) - predictions[ci];
            predictions[ci] = i32::from(dc_value);
            writer.coded(dc_table, category(diff), diff)?;
            for &(rs, value) in symbols {
                writer.coded(ac_table, rs, i32::from(value))?;
            }
            Ok(())
        })?;
        let scan = writer.finish();
        let mut huffman = Vec::new();
        let mut scan_tables = Vec::new();
        for (t, (d, a)) in specs.iter().enumerate() {
            huffman.push((0, t as u8, d));
            huffman.push((1, t as u8, a));
        }
        for ci in 0..frame.components.len() {
            let t = table_of(ci) as u8;
            scan_tables.push((t, t));
        }
        assemble(frame, quant, (self.grid.width, self.grid.height), &huffman, &scan_tables, &scan)
    }
}

/// A baseline JPEG of `frame`'s components at `size`: its quantisation tables, the Huffman tables
/// `huffman` (class, id, table), one scan coding each component with `scan_tables` (DC id, AC id), and
/// the scan's entropy-coded bytes.
fn assemble(
    frame: &Frame,
    quant: &[Quant; 4],
    size: (u32, u32),
    huffman: &[(u8, u8, &Spec)],
    scan_tables: &[(u8, u8)],
    scan: &[u8],
) -> Result<Vec<u8>, Corrupt> {
    let (width, height) = size;
    let mut out = Vec::with_capacity(scan.len() + 1024);
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut used: Vec<u8> = frame.components.iter().map(|c| c.tq).collect();
    used.sort_unstable();
    used.dedup();
    for tq in used {
        let (pq, values) =
            quant[usize::from(tq)].ok_or(Corrupt("a component names a missing quantisation table"))?;
        segment(&mut out, 0xDB, |s| {
            s.push(pq << 4 | tq);
            for v in values {
                if pq == 0 {
                    s.push(v as u8);
                } else {
                    s.extend_from_slice(&v.to_be_bytes());
                }
            }
        });
    }
    segment(&mut out, frame.marker, |s| {
        s.push(8);
        s.extend_from_slice(&(height as u16).to_be_bytes());
        s.extend_from_slice(&(width as u16).to_be_bytes());
        s.push(frame.components.len() as u8);
        for c in &frame.components {
            s.extend_from_slice(&[c.id, c.h << 4 | c.v, c.tq]);
        }
    });
    segment(&mut out, 0xC4, |s| {
        for &(class, id, spec) in huffman {
            s.push(class << 4 | id);
            s.extend_from_slice(&spec.counts);
            s.extend_from_slice(&spec.symbols);
        }
    });
    segment(&mut out, 0xDA, |s| {
        s.push(frame.components.len() as u8);
        for (c, &(td, ta)) in frame.components.iter().zip(scan_tables) {
            s.extend_from_slice(&[c.id, td << 4 | ta]);
        }
        s.extend_from_slice(&[0, 63, 0]);
    });
    out.extend_from_slice(scan);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok(out)
}

fn segment(out: &mut Vec<u8>, marker: u8, body: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.extend_from_slice(&[0xFF, marker, 0, 0]);
    body(out);
    let len = (out.len() - start - 2) as u16;
    out[start + 2..start + 4].copy_from_slice(&len.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

    use super::*;
    use crate::pixels::decode::jpeg::decode_jpeg;
    use crate::pixels::{Image, PixelFormat, psnr};

    /// A picture with edges and gradients in every channel, so that every block has AC energy.
    fn picture(width: u32, height: u32, channels: u32) -> Vec<u8> {
        let mut data = Vec::with_capacity((width * height * channels) as usize);
        for y in 0..height {
            for x in 0..width {
                for c in 0..channels {
                    let v = x * (2 + c) + y * (3 - c) + 50 * c;
                    let v = if (x / 13 + y / 17) % 3 == 0 { 255 - v % 256 } else { v % 256 };
                    data.push(v as u8);
                }
            }
        }
        data
    }

    fn crop(data: &[u8], width: u32, channels: u32, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for row in y..y + h {
            let start = ((row * width + x) * channels) as usize;
            out.extend_from_slice(&data[start..start + (w * channels) as usize]);
        }
        out
    }

    struct Case {
        channels: u32,
        sampling: SamplingFactor,
        restart: u16,
        /// Huffman tables built for each tile's own symbols (so they differ between tiles).
        own_tables: bool,
    }

    impl Case {
        const fn new(channels: u32, sampling: SamplingFactor, restart: u16) -> Case {
            Case { channels, sampling, restart, own_tables: false }
        }
    }

    /// `columns`×`rows` tiles of `tile`² cut from one picture and encoded alike; the last column and row
    /// are `edge` wide and high, padded to the tile size as TIFF pads its edge tiles.
    fn tiles(
        case: &Case,
        tile: u32,
        columns: u32,
        rows: u32,
        edge: u32,
    ) -> (Vec<(u32, u32, Vec<u8>)>, Image) {
        let (width, height) = ((columns - 1) * tile + edge, (rows - 1) * tile + edge);
        let padded = picture(columns * tile, rows * tile, case.channels);
        let mut out = Vec::new();
        for row in 0..rows {
            for column in 0..columns {
                let pixels =
                    crop(&padded, columns * tile, case.channels, column * tile, row * tile, tile, tile);
                let mut jpeg = Vec::new();
                let mut encoder = Encoder::new(&mut jpeg, 80);
                encoder.set_sampling_factor(case.sampling);
                if case.restart > 0 {
                    encoder.set_restart_interval(case.restart);
                }
                let color = if case.channels == 1 { ColorType::Luma } else { ColorType::Rgb };
                encoder.encode(&pixels, tile as u16, tile as u16, color).expect("encodes");
                if case.own_tables {
                    // Re-coded alone: the same coefficients with tables built for this tile's symbols.
                    let alone = [PlacedTile { column: 0, row: 0, jpeg: &jpeg }];
                    jpeg = join_by(&alone, (tile, tile), (tile, tile), &Budget::default(), Method::Recode)
                        .expect("re-codes");
                }
                out.push((column, row, jpeg));
            }
        }
        let format = if case.channels == 1 { PixelFormat::L8 } else { PixelFormat::Rgb8 };
        let expected = crop(&padded, columns * tile, case.channels, 0, 0, width, height);
        (out, Image::from_raw(width, height, format, expected).expect("an image"))
    }

    fn placed(tiles: &[(u32, u32, Vec<u8>)]) -> Vec<PlacedTile<'_>> {
        tiles.iter().map(|(column, row, jpeg)| PlacedTile { column: *column, row: *row, jpeg }).collect()
    }

    /// The tiles decoded one by one and stitched, cut to `width`×`height`: what the joined JPEG must show.
    fn stitched(tiles: &[(u32, u32, Vec<u8>)], tile: u32, width: u32, height: u32) -> Image {
        let first = decode_jpeg(&tiles[0].2, &Budget::default()).expect("decodes");
        let channels = first.format.channels() as u32;
        let columns = tiles.iter().map(|t| t.0).max().unwrap_or(0) + 1;
        let rows = tiles.iter().map(|t| t.1).max().unwrap_or(0) + 1;
        let full_width = columns * tile;
        let mut data = vec![0u8; (full_width * rows * tile * channels) as usize];
        for (column, row, jpeg) in tiles {
            let img = decode_jpeg(jpeg, &Budget::default()).expect("decodes");
            for y in 0..tile {
                let src = (y * tile * channels) as usize;
                let dst = (((row * tile + y) * full_width + column * tile) * channels) as usize;
                let len = (tile * channels) as usize;
                data[dst..dst + len].copy_from_slice(&img.data[src..src + len]);
            }
        }
        let data = crop(&data, full_width, channels, 0, 0, width, height);
        Image::from_raw(width, height, first.format, data).expect("an image")
    }

    fn join_by_method(tiles: &[(u32, u32, Vec<u8>)], width: u32, height: u32, method: Method) -> Image {
        let joined = join_by(&placed(tiles), (64, 64), (width, height), &Budget::default(), method)
            .unwrap_or_else(|e| panic!("joins by {method:?}: {e}"));
        decode_jpeg(&joined, &Budget::default()).expect("the joined JPEG decodes")
    }

    #[test]
    fn joined_tiles_show_exactly_the_stored_pixels() {
        for case in [
            Case::new(3, SamplingFactor::F_1_1, 0),
            Case::new(1, SamplingFactor::F_1_1, 0),
            Case::new(3, SamplingFactor::F_1_1, 3),
            Case { own_tables: true, ..Case::new(3, SamplingFactor::F_1_1, 0) },
        ] {
            for (columns, rows, edge) in [(2, 2, 64), (3, 2, 40), (1, 1, 30), (2, 1, 64)] {
                let (tiles, original) = tiles(&case, 64, columns, rows, edge);
                let (width, height) = (original.width, original.height);
                let joined =
                    join(&placed(&tiles), (64, 64), width, height, &Budget::default()).expect("joins");
                let decoded = decode_jpeg(&joined, &Budget::default()).expect("the joined JPEG decodes");
                assert_eq!((decoded.width, decoded.height), (width, height));
                // The same coefficients through the same IDCT: identical pixels, block for block.
                assert_eq!(
                    decoded,
                    stitched(&tiles, 64, width, height),
                    "{columns}×{rows}, {}",
                    case.channels
                );
                let db = psnr(&decoded, &original).expect("same layout");
                assert!(db > 28.0, "against the picture: {db:.1} dB");
                // Both ways of joining give the same picture; copying bits needs one set of Huffman
                // tables and no restart markers.
                assert_eq!(join_by_method(&tiles, width, height, Method::Recode), decoded);
                let splice =
                    join_by(&placed(&tiles), (64, 64), (width, height), &Budget::default(), Method::Splice);
                // Tables built for one tile alone may lack the code for a DC difference that cropping
                // its right edge creates: that tile is re-coded instead.
                let must_splice = case.restart == 0 && !case.own_tables;
                let may_splice = must_splice || (case.own_tables && columns * rows == 1);
                match splice {
                    Ok(spliced) => {
                        assert!(may_splice, "{columns}×{rows} joined by copying bits");
                        assert_eq!(decode_jpeg(&spliced, &Budget::default()).expect("decodes"), decoded);
                        // The tiles' own tables, not ones built for the joined image.
                        let dht = |jpeg: &[u8]| {
                            let at = jpeg.windows(2).position(|w| w == [0xFF, 0xC4]).expect("a DHT");
                            jpeg[at + 4..at + 4 + 17].to_vec()
                        };
                        assert_eq!(dht(&spliced), dht(&tiles[0].2));
                    }
                    Err(JoinError::NotJoinable(_)) => assert!(!must_splice, "{columns}×{rows}: not spliced"),
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }

    #[test]
    fn subsampled_tiles_join_with_chroma_smoothed_across_seams() {
        let case = Case::new(3, SamplingFactor::F_2_2, 0);
        let (tiles, original) = tiles(&case, 64, 2, 2, 48);
        let joined = join(&placed(&tiles), (64, 64), original.width, original.height, &Budget::default())
            .expect("joins");
        let decoded = decode_jpeg(&joined, &Budget::default()).expect("decodes");
        assert_eq!(join_by_method(&tiles, original.width, original.height, Method::Splice), decoded);
        assert_eq!(join_by_method(&tiles, original.width, original.height, Method::Recode), decoded);
        // Chroma upsampling now sees the neighbouring tile at the seams, so pixels there differ slightly
        // from the tiles decoded apart.
        let db = psnr(&decoded, &stitched(&tiles, 64, original.width, original.height)).expect("same layout");
        assert!(db > 40.0, "{db:.1} dB");
    }

    #[test]
    fn tiles_that_cannot_be_joined_say_so() {
        let case = Case::new(3, SamplingFactor::F_1_1, 0);
        let (mut tiles, _) = tiles(&case, 64, 2, 1, 64);
        // Another quality: other quantisation tables.
        let mut other = Vec::new();
        Encoder::new(&mut other, 50).encode(&picture(64, 64, 3), 64, 64, ColorType::Rgb).expect("encodes");
        let mixed = [tiles[0].clone(), (1, 0, other)];
        assert!(matches!(
            join(&placed(&mixed), (64, 64), 128, 64, &Budget::default()),
            Err(JoinError::NotJoinable(_))
        ));
        // Progressive.
        let mut progressive = Vec::new();
        let mut encoder = Encoder::new(&mut progressive, 80);
        encoder.set_progressive(true);
        encoder.encode(&picture(64, 64, 3), 64, 64, ColorType::Rgb).expect("encodes");
        let mixed = [tiles[0].clone(), (1, 0, progressive)];
        assert!(matches!(
            join(&placed(&mixed), (64, 64), 128, 64, &Budget::default()),
            Err(JoinError::NotJoinable(_))
        ));
        // A size the grid cannot have, a hole in the grid.
        assert!(join(&placed(&tiles), (64, 64), 64, 64, &Budget::default()).is_err());
        // Tiles laid out at another stride than their frames.
        assert!(matches!(
            join(&placed(&tiles), (48, 64), 96, 64, &Budget::default()),
            Err(JoinError::NotJoinable(_))
        ));
        tiles[1].0 = 2;
        assert!(join(&placed(&tiles), (64, 64), 192, 64, &Budget::default()).is_err());
    }

    #[test]
    fn the_budget_bounds_the_coefficients_held() {
        let case = Case::new(3, SamplingFactor::F_1_1, 0);
        let (tiles, _) = tiles(&case, 64, 2, 2, 64);
        let tight = Budget { max_pixels: 1 << 20, max_bytes: 50_000 };
        let e = join(&placed(&tiles), (64, 64), 128, 128, &tight);
        assert!(matches!(e, Err(JoinError::Pixel(PixelError::OverBudget { .. }))), "{e:?}");
    }

    #[test]
    fn damaged_tiles_are_errors_not_panics() {
        // With restart markers (re-coded) and without (bits copied).
        let (restarting, _) = tiles(&Case::new(3, SamplingFactor::F_2_2, 2), 32, 2, 1, 32);
        let (plain, _) = tiles(&Case::new(3, SamplingFactor::F_2_2, 0), 32, 2, 1, 32);
        let mut seed = 0x9E37_79B9u32;
        for i in 0..800 {
            let mut damaged = if i % 4 < 2 { restarting.clone() } else { plain.clone() };
            let jpeg = &mut damaged[i % 2].2;
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let at = (seed as usize >> 8) % jpeg.len();
            if i % 5 == 0 {
                jpeg.truncate(at);
            } else {
                jpeg[at] ^= (seed >> 24) as u8 | 1;
            }
            let _ = join(&placed(&damaged), (32, 32), 64, 32, &Budget::default());
        }
    }
}
