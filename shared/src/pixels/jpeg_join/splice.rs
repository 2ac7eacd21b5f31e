//! Joining by copying bits: when every tile codes with the same Huffman tables and no restart interval
//! (a TIFF's tiles do, their tables shared in JPEGTables), the joined scan is each tile's MCU rows copied
//! bit for bit, and only one code per component and row changes: the DC difference of its first block,
//! whose prediction now comes from the tile to its left rather than from the row above. Each scan is
//! still walked once, since only its Huffman codes say where its rows start, but nothing is held per
//! symbol and nothing is written per symbol.

use alloc::vec::Vec;

use super::huffman::{BitReader, BitWriter, DecodeTable, EncodeTable, Spec, category, unstuff};
use super::{Corrupt, Grid, JoinError, Layout, Stream, assemble};

/// The frame has one or three components ([`super::parse_frame`]).
const MAX_COMPONENTS: usize = 3;

/// One MCU row of one tile, as far as it is kept, in bits of its unstuffed scan.
#[derive(Debug, Clone, Copy, Default)]
struct RowSpan {
    /// Per component, where its first block's DC code starts and where its AC codes start.
    dc_start: [u64; MAX_COMPONENTS],
    ac_start: [u64; MAX_COMPONENTS],
    /// Per component, its first block's DC value, and the last kept block's (the next prediction).
    first_dc: [i32; MAX_COMPONENTS],
    last_dc: [i32; MAX_COMPONENTS],
    /// Where the last kept MCU ends.
    end: u64,
}

/// The joined JPEG by copying bits, or `None` when the tiles' tables or restart intervals do not allow
/// it (the caller re-codes their symbols instead).
pub(super) fn splice(
    streams: &[Stream<'_>],
    layout: &Layout,
    grid: &Grid<'_>,
) -> Result<Option<Vec<u8>>, JoinError> {
    let Some(first) = streams.first() else { return Ok(None) };
    let same_tables = streams.iter().all(|s| {
        s.restart_interval == 0
            && s.tables == first.tables
            && first.tables.iter().all(|&(td, ta)| {
                let (td, ta) = (usize::from(td), usize::from(ta));
                s.dc[td] == first.dc[td] && s.ac[ta] == first.ac[ta]
            })
    });
    if !same_tables || first.tables.len() > MAX_COMPONENTS {
        return Ok(None);
    }
    // One set of tables serves every tile's walk.
    let decoders = first.decoders()?;
    let mcus_wide = grid.width.div_ceil(layout.mcu_width);
    let mcus_high = grid.height.div_ceil(layout.mcu_height);
    let columns = grid.columns;
    let rows = grid.place.len() as u32 / columns.max(1);

    // Per tile (in input order): its unstuffed bits and its kept rows.
    let mut walked: Vec<Option<(Vec<u8>, Vec<RowSpan>)>> = (0..streams.len()).map(|_| None).collect();
    for row in 0..rows {
        for column in 0..columns {
            let index = grid.place[(row * columns + column) as usize];
            let stream = &streams[index];
            let keep_wide = layout.mcus_wide.min(mcus_wide.saturating_sub(column * layout.mcus_wide));
            let keep_high = layout.mcus_high.min(mcus_high.saturating_sub(row * layout.mcus_high));
            if keep_wide == 0 || keep_high == 0 {
                return Ok(None);
            }
            let bits = unstuff(stream.scan);
            let Some(spans) = walk(&bits, layout, &decoders, keep_wide, keep_high)? else { return Ok(None) };
            walked[index] = Some((bits, spans));
        }
    }

    let mut encoders = Vec::with_capacity(first.tables.len());
    for &(td, _) in &first.tables {
        let spec =
            first.dc[usize::from(td)].as_ref().ok_or(Corrupt("a scan names a missing Huffman table"))?;
        encoders.push(EncodeTable::new(spec));
    }
    let total: usize = streams.iter().map(|s| s.scan.len()).sum();
    let mut writer = BitWriter::with_capacity(total);
    let mut prediction = [0i32; MAX_COMPONENTS];
    for y in 0..mcus_high {
        let (row, local) = (y / layout.mcus_high, (y % layout.mcus_high) as usize);
        for column in 0..columns {
            let index = grid.place[(row * columns + column) as usize];
            let Some((bits, spans)) = &walked[index] else { return Ok(None) };
            let span = spans.get(local).ok_or(Corrupt("a tile row was not walked"))?;
            for (ci, encoder) in encoders.iter().enumerate() {
                let diff = span.first_dc[ci] - prediction[ci];
                let size = category(diff);
                // Tables made for the tiles alone may lack the size of a difference across a seam.
                if !encoder.codes(size) {
                    return Ok(None);
                }
                writer.coded(encoder, size, diff)?;
                let until = if ci + 1 < encoders.len() { span.dc_start[ci + 1] } else { span.end };
                writer.copy(bits, span.ac_start[ci], until);
            }
            prediction = span.last_dc;
        }
    }
    let scan = writer.finish();

    let frame = &first.frame;
    let mut huffman: Vec<(u8, u8, &Spec)> = Vec::new();
    for &(td, ta) in &first.tables {
        for (class, id, specs) in [(0u8, td, &first.dc), (1u8, ta, &first.ac)] {
            if let Some(spec) = &specs[usize::from(id)]
                && !huffman.iter().any(|&(c, i, _)| (c, i) == (class, id))
            {
                huffman.push((class, id, spec));
            }
        }
    }
    Ok(Some(assemble(frame, &first.quant, (grid.width, grid.height), &huffman, &first.tables, &scan)?))
}

/// Walks a tile's first `keep_high` MCU rows and says where each starts and where its first `keep_wide`
/// MCUs end. `None` when the walk runs past the scan's end (a truncated tile, left to the re-coding path,
/// which treats it as the decoder does).
fn walk(
    bits: &[u8],
    layout: &Layout,
    tables: &[(DecodeTable, DecodeTable)],
    keep_wide: u32,
    keep_high: u32,
) -> Result<Option<Vec<RowSpan>>, Corrupt> {
    let mut reader = BitReader::plain(bits);
    let mut prediction = [0i32; MAX_COMPONENTS];
    let mut spans = Vec::with_capacity(keep_high as usize);
    for _ in 0..keep_high {
        let mut span = RowSpan::default();
        for mx in 0..layout.mcus_wide {
            if mx == keep_wide {
                span.end = reader.position();
                span.last_dc = prediction;
            }
            for (ci, (c, (dc, ac))) in layout.components.iter().zip(tables).enumerate() {
                for b in 0..c.h * c.v {
                    let first = mx == 0 && b == 0;
                    if first {
                        span.dc_start[ci] = reader.position();
                    }
                    let size = reader.decode(dc)?;
                    if size > 11 {
                        return Err(Corrupt("a DC difference too large for 8-bit samples"));
                    }
                    prediction[ci] += reader.receive_extend(size);
                    if first {
                        span.ac_start[ci] = reader.position();
                        span.first_dc[ci] = prediction[ci];
                    }
                    reader.skip_ac(ac)?;
                }
            }
        }
        if keep_wide == layout.mcus_wide {
            span.end = reader.position();
            span.last_dc = prediction;
        }
        spans.push(span);
    }
    if reader.position() > bits.len() as u64 * 8 {
        return Ok(None);
    }
    Ok(Some(spans))
}
