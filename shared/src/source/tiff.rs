//! Probing TIFF and BigTIFF, sans-IO.
//!
//! The probe reads the header and walks image file directories (IFDs) to find the full-resolution image
//! and its pyramid, and records for every level what a decoder needs: the pixel format, the compression,
//! and the byte range of every tile or strip, so a caller can fetch exactly the tiles a request touches.
//!
//! Level 0 is the first IFD. Reduced levels come from the SubIFDs of that IFD (the modern layout, written
//! by `vips tiffsave --subifd`, OME-TIFF and friends) or, when it has none that qualify, from the IFDs
//! that follow it in the main chain (`vips tiffsave --pyramid`, Aperio SVS). A page is a level when its
//! aspect ratio matches level 0 within the rounding that repeated halving causes, and it is either flagged
//! reduced-resolution or at least half the size. The chain walk stops at the first page that is neither a
//! level nor a transparency mask: it starts a different image (another page of a multi-page document).

use alloc::format;
use alloc::vec::Vec;
use core::cmp::Reverse;

use super::{ByteRange, SourceBytes, SourceError};
use crate::geometry::{Geometry, Level, LevelData, SourceFormat, power_of_two_factor};

const FORMAT: &str = "TIFF";

/// At most this many IFDs are read per probe, main chain and SubIFDs together. A pyramid of `u32` images
/// has at most 32 levels, so anything beyond is pages we would not use anyway.
pub const MAX_IFDS: usize = 64;

/// Levels with more tiles (or strips) than this are refused before anything is allocated for them.
pub const MAX_TILES_PER_LEVEL: u64 = 4_000_000;

/// The most entries one IFD may hold: classic TIFF cannot write more, and BigTIFF writers never need to.
const MAX_IFD_ENTRIES: u64 = 65_535;

/// Values of one IFD that lie within this span of each other are fetched in a single round trip.
const PREFETCH_SPAN: u64 = 1 << 20;

mod tag {
    pub const NEW_SUBFILE_TYPE: u16 = 254;
    pub const IMAGE_WIDTH: u16 = 256;
    pub const IMAGE_LENGTH: u16 = 257;
    pub const BITS_PER_SAMPLE: u16 = 258;
    pub const COMPRESSION: u16 = 259;
    pub const PHOTOMETRIC: u16 = 262;
    pub const STRIP_OFFSETS: u16 = 273;
    pub const SAMPLES_PER_PIXEL: u16 = 277;
    pub const ROWS_PER_STRIP: u16 = 278;
    pub const STRIP_BYTE_COUNTS: u16 = 279;
    pub const PLANAR_CONFIGURATION: u16 = 284;
    pub const PREDICTOR: u16 = 317;
    pub const COLOR_MAP: u16 = 320;
    pub const TILE_WIDTH: u16 = 322;
    pub const TILE_LENGTH: u16 = 323;
    pub const TILE_OFFSETS: u16 = 324;
    pub const TILE_BYTE_COUNTS: u16 = 325;
    pub const SUB_IFDS: u16 = 330;
    pub const EXTRA_SAMPLES: u16 = 338;
    pub const SAMPLE_FORMAT: u16 = 339;
    pub const JPEG_TABLES: u16 = 347;
    pub const YCBCR_SUBSAMPLING: u16 = 530;

    /// Every tag the probe looks at; other entries are dropped while parsing.
    pub const USED: [u16; 22] = [
        NEW_SUBFILE_TYPE,
        IMAGE_WIDTH,
        IMAGE_LENGTH,
        BITS_PER_SAMPLE,
        COMPRESSION,
        PHOTOMETRIC,
        STRIP_OFFSETS,
        SAMPLES_PER_PIXEL,
        ROWS_PER_STRIP,
        STRIP_BYTE_COUNTS,
        PLANAR_CONFIGURATION,
        PREDICTOR,
        COLOR_MAP,
        TILE_WIDTH,
        TILE_LENGTH,
        TILE_OFFSETS,
        TILE_BYTE_COUNTS,
        SUB_IFDS,
        EXTRA_SAMPLES,
        SAMPLE_FORMAT,
        JPEG_TABLES,
        YCBCR_SUBSAMPLING,
    ];

    /// Tags whose bytes the probe only records (for the decoder) and never reads.
    pub const RECORDED_ONLY: [u16; 2] = [JPEG_TABLES, COLOR_MAP];

    pub fn name(tag: u16) -> &'static str {
        match tag {
            NEW_SUBFILE_TYPE => "NewSubfileType",
            IMAGE_WIDTH => "ImageWidth",
            IMAGE_LENGTH => "ImageLength",
            BITS_PER_SAMPLE => "BitsPerSample",
            COMPRESSION => "Compression",
            PHOTOMETRIC => "PhotometricInterpretation",
            STRIP_OFFSETS => "StripOffsets",
            SAMPLES_PER_PIXEL => "SamplesPerPixel",
            ROWS_PER_STRIP => "RowsPerStrip",
            STRIP_BYTE_COUNTS => "StripByteCounts",
            PLANAR_CONFIGURATION => "PlanarConfiguration",
            PREDICTOR => "Predictor",
            COLOR_MAP => "ColorMap",
            TILE_WIDTH => "TileWidth",
            TILE_LENGTH => "TileLength",
            TILE_OFFSETS => "TileOffsets",
            TILE_BYTE_COUNTS => "TileByteCounts",
            SUB_IFDS => "SubIFDs",
            EXTRA_SAMPLES => "ExtraSamples",
            SAMPLE_FORMAT => "SampleFormat",
            JPEG_TABLES => "JPEGTables",
            YCBCR_SUBSAMPLING => "YCbCrSubsampling",
            _ => "unknown tag",
        }
    }
}

/// NewSubfileType bits.
const SUBFILE_REDUCED: u32 = 1;
const SUBFILE_MASK: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    LittleEndian,
    BigEndian,
}

impl ByteOrder {
    pub fn is_big_endian(self) -> bool {
        self == ByteOrder::BigEndian
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Lzw,
    /// Codes 8 (Adobe Deflate) and 32946 (the older PKZIP code): both are zlib streams.
    Deflate,
    PackBits,
    /// "New-style" JPEG (code 7): each tile a JPEG stream, sharing the level's `jpeg_tables`.
    Jpeg,
    /// "Old-style" JPEG (code 6). Never appears in a probed level: the probe refuses it.
    OldJpeg,
    /// Any other code (CCITT fax, JPEG 2000, WebP, Zstandard, ...), left for the decoder to accept or refuse.
    Other(u16),
}

impl Compression {
    pub fn from_code(code: u16) -> Self {
        match code {
            1 => Compression::None,
            5 => Compression::Lzw,
            8 | 32946 => Compression::Deflate,
            32773 => Compression::PackBits,
            7 => Compression::Jpeg,
            6 => Compression::OldJpeg,
            other => Compression::Other(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Photometric {
    MinIsWhite,
    MinIsBlack,
    Rgb,
    /// Indexes into the level's `color_map`.
    Palette,
    TransparencyMask,
    /// Usually CMYK.
    Separated,
    YCbCr,
    CieLab,
    Other(u16),
}

impl Photometric {
    pub fn from_code(code: u16) -> Self {
        match code {
            0 => Photometric::MinIsWhite,
            1 => Photometric::MinIsBlack,
            2 => Photometric::Rgb,
            3 => Photometric::Palette,
            4 => Photometric::TransparencyMask,
            5 => Photometric::Separated,
            6 => Photometric::YCbCr,
            8 => Photometric::CieLab,
            other => Photometric::Other(other),
        }
    }
}

/// How sample bits are interpreted. Floating-point and complex samples are refused by the probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    Unsigned,
    Signed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Planar {
    /// Samples of a pixel stored together (RGBRGB...).
    Chunky,
    /// Each sample in its own plane, with its own tiles (RRR...GGG...BBB...).
    Separate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predictor {
    None,
    /// Horizontal differencing, undone after decompression.
    Horizontal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraSample {
    Unspecified,
    /// Premultiplied alpha.
    AssociatedAlpha,
    UnassociatedAlpha,
    Other(u16),
}

impl ExtraSample {
    fn from_code(code: u64) -> Self {
        match code {
            0 => ExtraSample::Unspecified,
            1 => ExtraSample::AssociatedAlpha,
            2 => ExtraSample::UnassociatedAlpha,
            other => ExtraSample::Other(u16::try_from(other).unwrap_or(u16::MAX)),
        }
    }
}

/// What a decoder needs to read one TIFF IFD's tiles or strips.
///
/// The level's [`Level::tiles`] hold one range per tile (or strip), row-major. With
/// [`Planar::Separate`] each sample has its own grid and the tiles are plane by plane: the tile at
/// column `c`, row `r` of plane `p` is `tiles[p * columns * rows + r * columns + c]`. A range may be
/// empty: a sparse tile that was never written, which decodes as zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiffLevel {
    pub ifd_offset: u64,
    pub byte_order: ByteOrder,
    pub compression: Compression,
    pub photometric: Photometric,
    /// Including `extra_samples`.
    pub samples_per_pixel: u16,
    /// 1, 8 or 16, the same for every sample.
    pub bits_per_sample: u16,
    pub sample_format: SampleFormat,
    /// `Chunky` whenever there is only one sample.
    pub planar: Planar,
    pub predictor: Predictor,
    /// What the last `extra_samples.len()` samples of each pixel are.
    pub extra_samples: Vec<ExtraSample>,
    /// Horizontal and vertical chroma subsampling (1, 2 or 4) when `photometric` is `YCbCr`; `(2, 2)` when
    /// the file leaves it out, as the spec says. JPEG-compressed tiles carry their own subsampling.
    pub ycbcr_subsampling: Option<(u8, u8)>,
    /// Where the abbreviated JPEG stream of shared quantisation and Huffman tables is, for JPEG tiles.
    pub jpeg_tables: Option<ByteRange>,
    /// Where the palette is for `Palette` images: `3 << bits_per_sample` 16-bit values, all reds, then
    /// greens, then blues, in `byte_order`.
    pub color_map: Option<ByteRange>,
    pub is_tiled: bool,
    /// Rows per strip for a stripped level (at most the level's height), `None` when tiled.
    pub rows_per_strip: Option<u32>,
}

/// Probes a TIFF or BigTIFF, asking for bytes with [`SourceError::NeedBytes`] as it goes.
pub fn probe(bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    let (reader, first) = Reader::open(bytes)?;
    let mut walk = Walk::default();
    walk.visit(first)?;
    let base_page = reader.page(first)?;
    let base = reader.level(&base_page)?;
    let mut reduced = reader.sub_ifd_levels(&base_page, &mut walk)?;
    if reduced.is_empty() {
        reduced = reader.chain_levels(&base_page, &mut walk)?;
    }
    let levels = reader.pyramid(base, reduced)?;
    let (channels, bits) = match levels.first().map(|l| &l.data) {
        Some(LevelData::Tiff(t)) => (t.samples_per_pixel, t.bits_per_sample),
        _ => return Err(SourceError::corrupt(FORMAT, "no image")),
    };
    Ok(Geometry {
        format: SourceFormat::Tiff,
        width: base_page.width,
        height: base_page.height,
        channels: u8::try_from(channels)
            .map_err(|_| SourceError::unsupported(FORMAT, format!("{channels} samples per pixel")))?,
        bits_per_sample: u8::try_from(bits)
            .map_err(|_| SourceError::unsupported(FORMAT, format!("{bits}-bit samples")))?,
        levels,
    })
}

/// The IFDs visited so far, to bound the walk and catch files whose offsets loop.
#[derive(Default)]
struct Walk {
    seen: Vec<u64>,
}

impl Walk {
    /// Whether the IFD at `offset` may be read: `false` once the budget is spent.
    fn visit(&mut self, offset: u64) -> Result<bool, SourceError> {
        if self.seen.contains(&offset) {
            return Err(SourceError::corrupt(
                FORMAT,
                format!("IFD offset {offset} is reached twice (a loop)"),
            ));
        }
        if self.seen.len() >= MAX_IFDS {
            return Ok(false);
        }
        self.seen.push(offset);
        Ok(true)
    }

    fn remaining(&self) -> usize {
        MAX_IFDS.saturating_sub(self.seen.len())
    }
}

/// One IFD entry we may use. `data` is where its value is: inside the entry when it fits, else where the
/// entry points.
#[derive(Debug, Clone, Copy)]
struct Entry {
    tag: u16,
    field_type: u16,
    count: u64,
    data: ByteRange,
}

struct Ifd {
    offset: u64,
    next: u64,
    entries: Vec<Entry>,
}

impl Ifd {
    fn get(&self, tag: u16) -> Option<&Entry> {
        // The first of duplicate tags wins, as in libtiff.
        self.entries.iter().find(|e| e.tag == tag)
    }
}

/// An IFD with the fields needed to decide whether it is a level, before the rest is validated.
struct Page {
    ifd: Ifd,
    subfile_type: u32,
    width: u32,
    height: u32,
}

impl Page {
    fn is_mask(&self) -> bool {
        self.subfile_type & SUBFILE_MASK != 0
    }
}

/// Unsigned integers of one width in file byte order.
struct Uints<'a> {
    raw: &'a [u8],
    width: usize,
    big_endian: bool,
}

impl Uints<'_> {
    fn len(&self) -> usize {
        self.raw.len() / self.width.max(1)
    }

    fn get(&self, index: usize) -> Option<u64> {
        let start = index.checked_mul(self.width)?;
        let raw = self.raw.get(start..start.checked_add(self.width)?)?;
        Some(decode(raw, self.big_endian))
    }
}

/// A big- or little-endian unsigned integer of up to 8 bytes.
fn decode(raw: &[u8], big_endian: bool) -> u64 {
    let push = |acc: u64, b: &u8| (acc << 8) | u64::from(*b);
    if big_endian { raw.iter().fold(0, push) } else { raw.iter().rev().fold(0, push) }
}

/// Bytes per value of a TIFF field type; `None` for types this reader does not know (skipped, per spec).
fn type_size(field_type: u16) -> Option<u64> {
    match field_type {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 | 16 | 17 | 18 => Some(8),
        _ => None,
    }
}

/// Bytes per value of the unsigned integer types offsets and counts may use: BYTE, SHORT, LONG, IFD,
/// LONG8, IFD8.
fn uint_width(field_type: u16) -> Option<usize> {
    match field_type {
        1 => Some(1),
        3 => Some(2),
        4 | 13 => Some(4),
        16 | 18 => Some(8),
        _ => None,
    }
}

fn to_usize(n: u64) -> Result<usize, SourceError> {
    usize::try_from(n).map_err(|_| SourceError::TooLarge(format!("a {n}-byte TIFF field")))
}

struct Reader<'a> {
    bytes: &'a SourceBytes,
    order: ByteOrder,
    big_tiff: bool,
}

impl<'a> Reader<'a> {
    /// Reads the header; returns the reader and the first IFD's offset.
    fn open(bytes: &'a SourceBytes) -> Result<(Self, u64), SourceError> {
        let order = match bytes.read(0, 2)? {
            b"II" => ByteOrder::LittleEndian,
            b"MM" => ByteOrder::BigEndian,
            _ => return Err(SourceError::corrupt(FORMAT, "no byte-order mark")),
        };
        let big_endian = order.is_big_endian();
        match bytes.u16_at(2, big_endian)? {
            42 => Ok((Reader { bytes, order, big_tiff: false }, u64::from(bytes.u32_at(4, big_endian)?))),
            43 => {
                let offset_size = bytes.u16_at(4, big_endian)?;
                if offset_size != 8 {
                    return Err(SourceError::unsupported(
                        FORMAT,
                        format!("BigTIFF with {offset_size}-byte offsets"),
                    ));
                }
                Ok((Reader { bytes, order, big_tiff: true }, bytes.u64_at(8, big_endian)?))
            }
            version => Err(SourceError::corrupt(FORMAT, format!("version {version} is neither 42 nor 43"))),
        }
    }

    fn big_endian(&self) -> bool {
        self.order.is_big_endian()
    }

    fn header_len(&self) -> u64 {
        if self.big_tiff { 16 } else { 8 }
    }

    /// Reads the IFD at `offset`, keeping only the entries the probe uses.
    fn ifd(&self, offset: u64) -> Result<Ifd, SourceError> {
        if offset < self.header_len() {
            return Err(SourceError::corrupt(FORMAT, format!("IFD offset {offset} points into the header")));
        }
        let (count_len, entry_len, next_len) = if self.big_tiff { (8u64, 20u64, 8u64) } else { (2, 12, 4) };
        let count = if self.big_tiff {
            self.bytes.u64_at(offset, self.big_endian())?
        } else {
            u64::from(self.bytes.u16_at(offset, self.big_endian())?)
        };
        if count > MAX_IFD_ENTRIES {
            return Err(SourceError::corrupt(FORMAT, format!("IFD at {offset} claims {count} entries")));
        }
        let first_entry = offset.checked_add(count_len).ok_or_else(|| overflow("IFD offset"))?;
        // count <= 65535, so neither product overflows.
        let entries_len = count * entry_len;
        let block = self.bytes.read(first_entry, to_usize(entries_len + next_len)?)?;
        let (raw_entries, raw_next) = block
            .split_at_checked(to_usize(entries_len)?)
            .ok_or_else(|| SourceError::corrupt(FORMAT, "short IFD"))?;
        let mut entries = Vec::new();
        for (i, raw) in (0u64..).zip(raw_entries.chunks_exact(to_usize(entry_len)?)) {
            let at = i
                .checked_mul(entry_len)
                .and_then(|o| first_entry.checked_add(o))
                .ok_or_else(|| overflow("IFD entry offset"))?;
            if let Some(entry) = self.entry(raw, at)? {
                entries.push(entry);
            }
        }
        Ok(Ifd { offset, next: decode(raw_next, self.big_endian()), entries })
    }

    /// Parses one raw entry found at file offset `at`; `None` for tags or types the probe ignores.
    fn entry(&self, raw: &[u8], at: u64) -> Result<Option<Entry>, SourceError> {
        let be = self.big_endian();
        let field = |from: usize, len: usize| raw.get(from..from + len).map(|b| decode(b, be));
        let short = |from: usize| field(from, 2).and_then(|v| u16::try_from(v).ok());
        let (Some(tag), Some(field_type)) = (short(0), short(2)) else {
            return Err(SourceError::corrupt(FORMAT, "short IFD entry"));
        };
        let Some(size) = type_size(field_type).filter(|_| tag::USED.contains(&tag)) else {
            return Ok(None);
        };
        let (count, value_at, inline_len) =
            if self.big_tiff { (field(4, 8), 12u64, 8u64) } else { (field(4, 4), 8, 4) };
        let count = count.ok_or_else(|| SourceError::corrupt(FORMAT, "short IFD entry"))?;
        let len = count.checked_mul(size).ok_or_else(|| overflow(tag::name(tag)))?;
        let start = if len <= inline_len {
            at.checked_add(value_at).ok_or_else(|| overflow("IFD entry offset"))?
        } else {
            field(to_usize(value_at)?, to_usize(inline_len)?)
                .ok_or_else(|| SourceError::corrupt(FORMAT, "short IFD entry"))?
        };
        let end = start.checked_add(len).ok_or_else(|| overflow(tag::name(tag)))?;
        Ok(Some(Entry { tag, field_type, count, data: ByteRange::new(start, end) }))
    }

    /// The first `max` values of an integer entry (all of them when there are fewer).
    fn uints(&self, entry: &Entry, max: u64) -> Result<Uints<'a>, SourceError> {
        let width = uint_width(entry.field_type).ok_or_else(|| {
            SourceError::corrupt(
                FORMAT,
                format!("{} has non-integer type {}", tag::name(entry.tag), entry.field_type),
            )
        })?;
        // Parsing the entry already checked count * width; reading only a prefix keeps a lying count from
        // asking for gigabytes.
        let len =
            entry.count.min(max).checked_mul(width as u64).ok_or_else(|| overflow(tag::name(entry.tag)))?;
        let raw = self.bytes.read(entry.data.start, to_usize(len)?)?;
        Ok(Uints { raw, width, big_endian: self.big_endian() })
    }

    fn scalar(&self, ifd: &Ifd, tag: u16) -> Result<Option<u64>, SourceError> {
        match ifd.get(tag) {
            None => Ok(None),
            Some(entry) => self
                .uints(entry, 1)?
                .get(0)
                .map(Some)
                .ok_or_else(|| SourceError::corrupt(FORMAT, format!("{} has no value", tag::name(tag)))),
        }
    }

    fn scalar_u32(&self, ifd: &Ifd, tag: u16) -> Result<Option<u32>, SourceError> {
        self.scalar(ifd, tag)?
            .map(|v| {
                u32::try_from(v).map_err(|_| {
                    SourceError::corrupt(FORMAT, format!("{} {v} is out of range", tag::name(tag)))
                })
            })
            .transpose()
    }

    fn scalar_u16(&self, ifd: &Ifd, tag: u16) -> Result<Option<u16>, SourceError> {
        self.scalar(ifd, tag)?
            .map(|v| {
                u16::try_from(v).map_err(|_| {
                    SourceError::corrupt(FORMAT, format!("{} {v} is out of range", tag::name(tag)))
                })
            })
            .transpose()
    }

    /// A per-sample field (BitsPerSample, SampleFormat) as one value: decoders handle one depth and one
    /// format per image. A single value for several samples is common and taken to apply to all.
    fn per_sample(&self, ifd: &Ifd, tag: u16, samples: u16, default: u16) -> Result<u16, SourceError> {
        let Some(entry) = ifd.get(tag) else { return Ok(default) };
        let values = self.uints(entry, u64::from(samples))?;
        let first = values
            .get(0)
            .ok_or_else(|| SourceError::corrupt(FORMAT, format!("{} has no value", tag::name(tag))))?;
        if (1..values.len()).any(|i| values.get(i) != Some(first)) {
            let all: Vec<_> = (0..values.len()).filter_map(|i| values.get(i)).collect();
            return Err(SourceError::unsupported(
                FORMAT,
                format!("samples with different {} {all:?}", tag::name(tag)),
            ));
        }
        u16::try_from(first)
            .map_err(|_| SourceError::corrupt(FORMAT, format!("{} {first} is out of range", tag::name(tag))))
    }

    /// Where an entry's bytes are, for values handed to the decoder rather than read here.
    fn recorded(&self, ifd: &Ifd, tag: u16) -> Result<Option<ByteRange>, SourceError> {
        let Some(entry) = ifd.get(tag) else { return Ok(None) };
        self.check_in_file(entry.data, tag::name(tag))?;
        Ok(Some(entry.data))
    }

    fn check_in_file(&self, range: ByteRange, what: &str) -> Result<(), SourceError> {
        match self.bytes.len() {
            Some(len) if range.end > len => Err(SourceError::corrupt(
                FORMAT,
                format!("{what} at {}..{} lies past the end ({len} bytes)", range.start, range.end),
            )),
            _ => Ok(()),
        }
    }

    /// Fetches the values of `ifd` this probe will read in one round trip when they sit close together,
    /// rather than one round trip per value.
    fn prefetch(&self, ifd: &Ifd) -> Result<(), SourceError> {
        let mut span: Option<(u64, u64)> = None;
        for entry in ifd.entries.iter().filter(|e| !tag::RECORDED_ONLY.contains(&e.tag)) {
            let data = entry.data;
            if data.len() > PREFETCH_SPAN {
                continue;
            }
            if let Err(SourceError::NeedBytes(_)) = self.bytes.read(data.start, to_usize(data.len())?) {
                span =
                    Some(span.map_or((data.start, data.end), |(s, e)| (s.min(data.start), e.max(data.end))));
            }
        }
        match span {
            Some((start, end)) if end - start <= PREFETCH_SPAN => {
                self.bytes.read(start, to_usize(end - start)?).map(|_| ())
            }
            _ => Ok(()),
        }
    }

    fn page(&self, offset: u64) -> Result<Page, SourceError> {
        let ifd = self.ifd(offset)?;
        let dimension = |tag: u16| match self.scalar_u32(&ifd, tag)? {
            Some(0) | None => Err(SourceError::corrupt(
                FORMAT,
                format!("IFD at {offset} has no {} or a zero one", tag::name(tag)),
            )),
            Some(v) => Ok(v),
        };
        let width = dimension(tag::IMAGE_WIDTH)?;
        let height = dimension(tag::IMAGE_LENGTH)?;
        let subfile_type = self.scalar_u32(&ifd, tag::NEW_SUBFILE_TYPE)?.unwrap_or(0);
        Ok(Page { ifd, subfile_type, width, height })
    }

    /// Candidate levels among the SubIFDs of level 0.
    fn sub_ifd_levels(&self, base: &Page, walk: &mut Walk) -> Result<Vec<Page>, SourceError> {
        let Some(entry) = base.ifd.get(tag::SUB_IFDS) else { return Ok(Vec::new()) };
        let offsets = self.uints(entry, walk.remaining() as u64)?;
        let mut pages = Vec::new();
        for offset in (0..offsets.len()).filter_map(|i| offsets.get(i)) {
            if !walk.visit(offset)? {
                break;
            }
            let page = self.page(offset)?;
            // SubIFDs are siblings, so one that is not a level (a mask, a thumbnail of other proportions)
            // says nothing about the rest.
            if !page.is_mask() && is_reduction(base, &page) {
                pages.push(page);
            }
        }
        Ok(pages)
    }

    /// Candidate levels among the IFDs that follow level 0 in the main chain.
    fn chain_levels(&self, base: &Page, walk: &mut Walk) -> Result<Vec<Page>, SourceError> {
        let mut pages = Vec::new();
        let mut next = base.ifd.next;
        while next != 0 && walk.visit(next)? {
            let page = self.page(next)?;
            next = page.ifd.next;
            if page.is_mask() {
                continue;
            }
            if !is_reduction(base, &page) {
                break;
            }
            pages.push(page);
        }
        Ok(pages)
    }

    /// Orders candidate levels by size and keeps those that decode, match level 0's pixel format and are
    /// strictly smaller than the level before.
    fn pyramid(&self, base: Level, mut pages: Vec<Page>) -> Result<Vec<Level>, SourceError> {
        pages.sort_by_key(|p| Reverse((p.width, p.height)));
        let base_pixels = pixel_format(&base);
        let mut levels = alloc::vec![base];
        for page in &pages {
            let Some(prev) = levels.last() else { break };
            let smaller = page.width <= prev.width
                && page.height <= prev.height
                && (page.width, page.height) != (prev.width, prev.height);
            if !smaller {
                continue;
            }
            match self.level(page) {
                // A reduced level we cannot decode only costs resampling from a larger one.
                Err(SourceError::Unsupported { .. }) => continue,
                Err(e) => return Err(e),
                Ok(level) if pixel_format(&level) == base_pixels => levels.push(level),
                Ok(_) => continue,
            }
        }
        Ok(levels)
    }

    /// Validates an IFD as something a decoder can read and locates its tiles.
    fn level(&self, page: &Page) -> Result<Level, SourceError> {
        let ifd = &page.ifd;
        self.prefetch(ifd)?;
        let samples = match self.scalar_u16(ifd, tag::SAMPLES_PER_PIXEL)?.unwrap_or(1) {
            0 => return Err(SourceError::corrupt(FORMAT, "SamplesPerPixel 0")),
            n => n,
        };
        let bits = self.per_sample(ifd, tag::BITS_PER_SAMPLE, samples, 1)?;
        let sample_format = sample_format(self.per_sample(ifd, tag::SAMPLE_FORMAT, samples, 1)?, bits)?;
        if !matches!(bits, 1 | 8 | 16) {
            return Err(SourceError::unsupported(FORMAT, format!("{bits}-bit samples are not supported")));
        }
        let compression = Compression::from_code(self.scalar_u16(ifd, tag::COMPRESSION)?.unwrap_or(1));
        if compression == Compression::OldJpeg {
            return Err(SourceError::unsupported(FORMAT, "old-style JPEG compression (6) is not supported"));
        }
        let photometric = match self.scalar_u16(ifd, tag::PHOTOMETRIC)? {
            Some(code) => Photometric::from_code(code),
            // Required by the spec, but some writers omit it; libtiff guesses the same way.
            None if samples >= 3 => Photometric::Rgb,
            None => Photometric::MinIsBlack,
        };
        let planar = match self.scalar_u16(ifd, tag::PLANAR_CONFIGURATION)?.unwrap_or(1) {
            1 => Planar::Chunky,
            2 if samples > 1 => Planar::Separate,
            // With one sample the two layouts are the same bytes.
            2 => Planar::Chunky,
            other => return Err(SourceError::corrupt(FORMAT, format!("PlanarConfiguration {other}"))),
        };
        let predictor = match self.scalar_u16(ifd, tag::PREDICTOR)?.unwrap_or(1) {
            1 => Predictor::None,
            2 => Predictor::Horizontal,
            other => {
                return Err(SourceError::unsupported(FORMAT, format!("predictor {other} is not supported")));
            }
        };
        let color_map = self.recorded(ifd, tag::COLOR_MAP)?;
        let tiff = TiffLevel {
            ifd_offset: ifd.offset,
            byte_order: self.order,
            compression,
            photometric,
            samples_per_pixel: samples,
            bits_per_sample: bits,
            sample_format,
            planar,
            predictor,
            extra_samples: self.extra_samples(ifd, samples)?,
            ycbcr_subsampling: self.ycbcr_subsampling(ifd, photometric)?,
            jpeg_tables: self.recorded(ifd, tag::JPEG_TABLES)?,
            color_map,
            is_tiled: false,
            rows_per_strip: None,
        };
        check_colour_model(&tiff, ifd)?;
        self.layout(page, tiff)
    }

    fn extra_samples(&self, ifd: &Ifd, samples: u16) -> Result<Vec<ExtraSample>, SourceError> {
        let Some(entry) = ifd.get(tag::EXTRA_SAMPLES) else { return Ok(Vec::new()) };
        if entry.count > u64::from(samples) {
            return Err(SourceError::corrupt(
                FORMAT,
                format!("{} extra samples in {samples} samples per pixel", entry.count),
            ));
        }
        let values = self.uints(entry, u64::from(samples))?;
        Ok((0..values.len()).filter_map(|i| values.get(i)).map(ExtraSample::from_code).collect())
    }

    fn ycbcr_subsampling(
        &self,
        ifd: &Ifd,
        photometric: Photometric,
    ) -> Result<Option<(u8, u8)>, SourceError> {
        if photometric != Photometric::YCbCr {
            return Ok(None);
        }
        let Some(entry) = ifd.get(tag::YCBCR_SUBSAMPLING) else { return Ok(Some((2, 2))) };
        let values = self.uints(entry, 2)?;
        let factor = |i: usize| match values.get(i) {
            Some(v @ (1 | 2 | 4)) => Ok(v as u8),
            other => Err(SourceError::corrupt(FORMAT, format!("YCbCrSubsampling {other:?}"))),
        };
        Ok(Some((factor(0)?, factor(1)?)))
    }

    /// Fills in the tile grid of `tiff` from the tile tags, or from the strip tags when there are none.
    fn layout(&self, page: &Page, mut tiff: TiffLevel) -> Result<Level, SourceError> {
        let ifd = &page.ifd;
        tiff.is_tiled = ifd.get(tag::TILE_WIDTH).is_some() || ifd.get(tag::TILE_LENGTH).is_some();
        let (tile_width, tile_height, offsets_tag, counts_tag) = if tiff.is_tiled {
            let side = |tag: u16| match self.scalar_u32(ifd, tag)? {
                Some(0) | None => Err(SourceError::corrupt(
                    FORMAT,
                    format!("tiled image with no {} or a zero one", tag::name(tag)),
                )),
                Some(v) => Ok(v),
            };
            (side(tag::TILE_WIDTH)?, side(tag::TILE_LENGTH)?, tag::TILE_OFFSETS, tag::TILE_BYTE_COUNTS)
        } else {
            // The default, 2^32 - 1, means one strip for the whole image.
            let rows = match self.scalar_u32(ifd, tag::ROWS_PER_STRIP)?.unwrap_or(u32::MAX) {
                0 => return Err(SourceError::corrupt(FORMAT, "RowsPerStrip 0")),
                rows => rows.min(page.height),
            };
            tiff.rows_per_strip = Some(rows);
            (page.width, rows, tag::STRIP_OFFSETS, tag::STRIP_BYTE_COUNTS)
        };
        let planes = if tiff.planar == Planar::Separate { u64::from(tiff.samples_per_pixel) } else { 1 };
        let per_plane =
            u64::from(page.width.div_ceil(tile_width)) * u64::from(page.height.div_ceil(tile_height));
        let count = per_plane
            .checked_mul(planes)
            .filter(|&n| n <= MAX_TILES_PER_LEVEL)
            .ok_or_else(|| {
                SourceError::TooLarge(format!(
                    "a {}x{} TIFF level in {tile_width}x{tile_height} tiles has more than {MAX_TILES_PER_LEVEL} tiles",
                    page.width, page.height
                ))
            })?;
        let tiles = self.tile_ranges(ifd, offsets_tag, counts_tag, count)?;
        Ok(Level {
            width: page.width,
            height: page.height,
            tile_width,
            tile_height,
            tiles,
            data: LevelData::Tiff(tiff),
        })
    }

    /// Pairs the offsets and byte counts of `count` tiles into ranges.
    fn tile_ranges(
        &self,
        ifd: &Ifd,
        offsets_tag: u16,
        counts_tag: u16,
        count: u64,
    ) -> Result<Vec<ByteRange>, SourceError> {
        let required = |tag: u16| {
            let entry =
                ifd.get(tag).ok_or_else(|| SourceError::corrupt(FORMAT, format!("no {}", tag::name(tag))))?;
            if entry.count != count {
                return Err(SourceError::corrupt(
                    FORMAT,
                    format!("{} has {} values for a grid of {count}", tag::name(tag), entry.count),
                ));
            }
            self.uints(entry, count)
        };
        let offsets = required(offsets_tag)?;
        let counts = required(counts_tag)?;
        let mut tiles = Vec::with_capacity(to_usize(count)?);
        for i in 0..to_usize(count)? {
            let (Some(start), Some(len)) = (offsets.get(i), counts.get(i)) else {
                return Err(SourceError::corrupt(FORMAT, "short tile offsets"));
            };
            let end = start.checked_add(len).ok_or_else(|| overflow("tile offset"))?;
            let range = ByteRange::new(start, end);
            self.check_in_file(range, "a tile")?;
            tiles.push(range);
        }
        Ok(tiles)
    }
}

fn overflow(what: &str) -> SourceError {
    SourceError::corrupt(FORMAT, format!("{what} overflows"))
}

fn sample_format(code: u16, bits: u16) -> Result<SampleFormat, SourceError> {
    match code {
        1 => Ok(SampleFormat::Unsigned),
        2 => Ok(SampleFormat::Signed),
        // "Undefined" data: readers treat it as unsigned.
        4 => Ok(SampleFormat::Unsigned),
        3 => Err(SourceError::unsupported(
            FORMAT,
            format!("{bits}-bit floating-point samples are not supported"),
        )),
        5 | 6 => {
            Err(SourceError::unsupported(FORMAT, format!("{bits}-bit complex samples are not supported")))
        }
        other => Err(SourceError::corrupt(FORMAT, format!("SampleFormat {other}"))),
    }
}

/// Refuses colour models whose sample count cannot hold them, so a decoder can trust the pair.
fn check_colour_model(tiff: &TiffLevel, ifd: &Ifd) -> Result<(), SourceError> {
    let samples = tiff.samples_per_pixel;
    let needed = match tiff.photometric {
        Photometric::Rgb | Photometric::YCbCr | Photometric::CieLab => 3,
        _ => 1,
    };
    if samples < needed {
        return Err(SourceError::corrupt(
            FORMAT,
            format!("{:?} image with {samples} samples per pixel", tiff.photometric),
        ));
    }
    if tiff.photometric == Photometric::Palette {
        let expected = 3u64 << tiff.bits_per_sample;
        match ifd.get(tag::COLOR_MAP) {
            Some(e) if e.field_type == 3 && e.count == expected => {}
            _ => {
                return Err(SourceError::corrupt(
                    FORMAT,
                    format!("palette image without a ColorMap of {expected} SHORTs"),
                ));
            }
        }
    }
    Ok(())
}

/// What a level decodes to, which must match level 0 for the level to stand in for it.
fn pixel_format(level: &Level) -> Option<(u16, u16, SampleFormat)> {
    match &level.data {
        LevelData::Tiff(t) => Some((t.samples_per_pixel, t.bits_per_sample, t.sample_format)),
        _ => None,
    }
}

/// Whether `page` is a reduced-resolution copy of `base`: smaller, with the same proportions up to the
/// rounding repeated halving causes, and either flagged as reduced or at least half the size (a page a
/// pixel or two smaller and not flagged is more likely another page of a document).
fn is_reduction(base: &Page, page: &Page) -> bool {
    let (bw, bh) = (base.width, base.height);
    let (w, h) = (page.width, page.height);
    if w > bw || h > bh || (w, h) == (bw, bh) {
        return false;
    }
    let factor = power_of_two_factor(bw, w).max(power_of_two_factor(bh, h));
    // Each halving may round a side by a pixel, so a side of the reduction is off from base/factor by at
    // most `halvings` pixels, and the cross-multiplied proportions by that much times each base side.
    let halvings = u64::from(factor.trailing_zeros()).max(1);
    let skew = (u64::from(w) * u64::from(bh)).abs_diff(u64::from(h) * u64::from(bw));
    if skew > halvings * (u64::from(bw) + u64::from(bh)) {
        return false;
    }
    page.subfile_type & SUBFILE_REDUCED != 0 || factor >= 2
}

#[cfg(test)]
// A failed unwrap in a test is a failed test with a backtrace, which is what we want.
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;
    use std::time::{Duration, Instant};

    /// One image for the test builder. Tile (or strip) `i` of it is `5 + i % 7` bytes of `i as u8`.
    #[derive(Clone, Debug)]
    struct Img {
        width: u32,
        height: u32,
        /// `None`: strips.
        tile: Option<(u32, u32)>,
        rows_per_strip: Option<u32>,
        samples: u16,
        bits: u16,
        planar: u16,
        compression: u16,
        photometric: u16,
        subfile_type: u32,
        jpeg_tables: Option<Vec<u8>>,
        sub_ifds: Vec<Img>,
        /// Entries set after the builder's own, replacing any with the same tag: (tag, type, values).
        overrides: Vec<(u16, u16, Vec<u64>)>,
    }

    impl Img {
        fn gray(width: u32, height: u32) -> Img {
            Img {
                width,
                height,
                tile: None,
                rows_per_strip: None,
                samples: 1,
                bits: 8,
                planar: 1,
                compression: 1,
                photometric: 1,
                subfile_type: 0,
                jpeg_tables: None,
                sub_ifds: Vec::new(),
                overrides: Vec::new(),
            }
        }

        fn rgb(width: u32, height: u32) -> Img {
            Img { samples: 3, photometric: 2, ..Img::gray(width, height) }
        }

        fn tiled(self, w: u32, h: u32) -> Img {
            Img { tile: Some((w, h)), ..self }
        }

        fn strips(self, rows: u32) -> Img {
            Img { tile: None, rows_per_strip: Some(rows), ..self }
        }

        fn reduced(self) -> Img {
            Img { subfile_type: SUBFILE_REDUCED, ..self }
        }

        fn with(mut self, tag: u16, field_type: u16, values: Vec<u64>) -> Img {
            self.overrides.push((tag, field_type, values));
            self
        }

        fn tile_count(&self) -> u64 {
            let (tw, th) = self.tile.unwrap_or((self.width, self.rows_per_strip.unwrap_or(self.height)));
            let planes = if self.planar == 2 { u64::from(self.samples) } else { 1 };
            u64::from(self.width.div_ceil(tw)) * u64::from(self.height.div_ceil(th)) * planes
        }
    }

    #[derive(Clone, Copy, Debug)]
    struct Opts {
        big_tiff: bool,
        big_endian: bool,
    }

    const CLASSIC_LE: Opts = Opts { big_tiff: false, big_endian: false };

    struct BuiltIfd {
        offset: u64,
        /// Where the IFD's next-IFD pointer is, to patch in loops.
        next_at: usize,
        tiles: Vec<ByteRange>,
        jpeg_tables: Option<ByteRange>,
    }

    struct Built {
        data: Vec<u8>,
        /// In the order written: SubIFDs before their parent.
        ifds: Vec<BuiltIfd>,
        /// Offsets of the main-chain IFDs, in chain order.
        pages: Vec<u64>,
    }

    impl Built {
        fn ifd(&self, offset: u64) -> &BuiltIfd {
            self.ifds.iter().find(|i| i.offset == offset).unwrap()
        }

        /// Points the next-IFD pointer of the IFD at `from` to `to`.
        fn link(&mut self, from: u64, to: u64, opts: Opts) {
            let at = self.ifd(from).next_at;
            let width = if opts.big_tiff { 8 } else { 4 };
            let raw = encode(to, width, opts.big_endian);
            self.data[at..at + width].copy_from_slice(&raw);
        }
    }

    fn encode(v: u64, width: usize, big_endian: bool) -> Vec<u8> {
        let le = v.to_le_bytes();
        let mut out = le[..width].to_vec();
        if big_endian {
            out.reverse();
        }
        out
    }

    struct Writer {
        opts: Opts,
        buf: Vec<u8>,
        ifds: Vec<BuiltIfd>,
    }

    enum Value {
        Ints(u16, Vec<u64>),
        Bytes(Vec<u8>),
    }

    impl Writer {
        fn put(&mut self, v: u64, width: usize) {
            let raw = encode(v, width, self.opts.big_endian);
            self.buf.extend_from_slice(&raw);
        }

        fn align(&mut self) {
            if self.buf.len() % 2 == 1 {
                self.buf.push(0);
            }
        }

        fn image(&mut self, img: &Img) -> u64 {
            let subs: Vec<u64> = img.sub_ifds.iter().map(|s| self.image(s)).collect();
            let mut tiles = Vec::new();
            for i in 0..img.tile_count() {
                let start = self.buf.len() as u64;
                self.buf.extend(core::iter::repeat_n(i as u8, 5 + (i % 7) as usize));
                tiles.push(ByteRange::new(start, self.buf.len() as u64));
            }
            let big = self.opts.big_tiff;
            let offset_type = if big { 16 } else { 4 };
            let mut entries: Vec<(u16, Value)> = vec![
                (tag::IMAGE_WIDTH, Value::Ints(4, vec![u64::from(img.width)])),
                (tag::IMAGE_LENGTH, Value::Ints(3, vec![u64::from(img.height)])),
                (tag::BITS_PER_SAMPLE, Value::Ints(3, vec![u64::from(img.bits); usize::from(img.samples)])),
                (tag::COMPRESSION, Value::Ints(3, vec![u64::from(img.compression)])),
                (tag::PHOTOMETRIC, Value::Ints(3, vec![u64::from(img.photometric)])),
                (tag::SAMPLES_PER_PIXEL, Value::Ints(3, vec![u64::from(img.samples)])),
                (tag::PLANAR_CONFIGURATION, Value::Ints(3, vec![u64::from(img.planar)])),
            ];
            if img.subfile_type != 0 {
                entries.push((tag::NEW_SUBFILE_TYPE, Value::Ints(4, vec![u64::from(img.subfile_type)])));
            }
            let starts = tiles.iter().map(|t| t.start).collect();
            let lens = tiles.iter().map(|t| t.len()).collect();
            match img.tile {
                Some((tw, th)) => {
                    entries.push((tag::TILE_WIDTH, Value::Ints(3, vec![u64::from(tw)])));
                    entries.push((tag::TILE_LENGTH, Value::Ints(4, vec![u64::from(th)])));
                    entries.push((tag::TILE_OFFSETS, Value::Ints(offset_type, starts)));
                    entries.push((tag::TILE_BYTE_COUNTS, Value::Ints(4, lens)));
                }
                None => {
                    if let Some(rows) = img.rows_per_strip {
                        entries.push((tag::ROWS_PER_STRIP, Value::Ints(4, vec![u64::from(rows)])));
                    }
                    entries.push((tag::STRIP_OFFSETS, Value::Ints(offset_type, starts)));
                    // SHORT counts, to exercise the narrow type.
                    entries.push((tag::STRIP_BYTE_COUNTS, Value::Ints(3, lens)));
                }
            }
            if !subs.is_empty() {
                entries.push((tag::SUB_IFDS, Value::Ints(if big { 18 } else { 13 }, subs)));
            }
            if let Some(tables) = &img.jpeg_tables {
                entries.push((tag::JPEG_TABLES, Value::Bytes(tables.clone())));
            }
            for (t, ty, values) in &img.overrides {
                entries.retain(|(e, _)| e != t);
                entries.push((*t, Value::Ints(*ty, values.clone())));
            }
            entries.sort_by_key(|(t, _)| *t);
            self.directory(entries, tiles)
        }

        /// Writes the out-of-line values, then the IFD; returns the IFD's offset.
        fn directory(&mut self, entries: Vec<(u16, Value)>, tiles: Vec<ByteRange>) -> u64 {
            let inline = if self.opts.big_tiff { 8 } else { 4 };
            let mut placed = Vec::new();
            let mut jpeg_tables = None;
            for (t, value) in &entries {
                let (field_type, raw) = match value {
                    Value::Ints(ty, vs) => {
                        let w = uint_width(*ty).unwrap();
                        (*ty, vs.iter().flat_map(|v| encode(*v, w, self.opts.big_endian)).collect::<Vec<_>>())
                    }
                    Value::Bytes(b) => (7, b.clone()),
                };
                let count = match value {
                    Value::Ints(_, vs) => vs.len() as u64,
                    Value::Bytes(b) => b.len() as u64,
                };
                let location = if raw.len() > inline {
                    self.align();
                    let at = self.buf.len() as u64;
                    self.buf.extend_from_slice(&raw);
                    Some(at)
                } else {
                    None
                };
                if *t == tag::JPEG_TABLES {
                    let start = location.unwrap();
                    jpeg_tables = Some(ByteRange::new(start, start + raw.len() as u64));
                }
                placed.push((*t, field_type, count, raw, location));
            }
            self.align();
            let offset = self.buf.len() as u64;
            let (count_w, entry_count_w) = if self.opts.big_tiff { (8, 8) } else { (2, 4) };
            self.put(placed.len() as u64, count_w);
            for (t, field_type, count, raw, location) in placed {
                self.put(u64::from(t), 2);
                self.put(u64::from(field_type), 2);
                self.put(count, entry_count_w);
                match location {
                    Some(at) => self.put(at, inline),
                    None => {
                        self.buf.extend_from_slice(&raw);
                        self.buf.extend(core::iter::repeat_n(0, inline - raw.len()));
                    }
                }
            }
            let next_at = self.buf.len();
            self.put(0, inline);
            self.ifds.push(BuiltIfd { offset, next_at, tiles, jpeg_tables });
            offset
        }
    }

    /// Writes `pages` as the main IFD chain.
    fn build(opts: Opts, pages: &[Img]) -> Built {
        let mut w = Writer { opts, buf: Vec::new(), ifds: Vec::new() };
        w.buf.extend_from_slice(if opts.big_endian { b"MM" } else { b"II" });
        if opts.big_tiff {
            w.put(43, 2);
            w.put(8, 2);
            w.put(0, 2);
            w.put(0, 8);
        } else {
            w.put(42, 2);
            w.put(0, 4);
        }
        let offsets: Vec<u64> = pages.iter().map(|p| w.image(p)).collect();
        let mut built = Built { data: w.buf, ifds: w.ifds, pages: offsets.clone() };
        let first_width = if opts.big_tiff { 8 } else { 4 };
        let first_at = if opts.big_tiff { 8 } else { 4 };
        let raw = encode(offsets[0], first_width, opts.big_endian);
        built.data[first_at..first_at + first_width].copy_from_slice(&raw);
        for pair in offsets.windows(2) {
            built.link(pair[0], pair[1], opts);
        }
        built
    }

    fn probe_all(data: &[u8]) -> Result<Geometry, SourceError> {
        probe(&SourceBytes::from_vec(data.to_vec()))
    }

    /// Runs the caller's fetch loop from the first `first` bytes; returns the result and the round trips.
    fn fetch_loop(file: &[u8], first: usize) -> (Result<Geometry, SourceError>, usize) {
        let mut bytes = SourceBytes::new(Some(file.len() as u64));
        bytes.insert(0, file[..first.min(file.len())].to_vec());
        let mut trips = 0;
        loop {
            match crate::source::probe(&bytes) {
                Err(SourceError::NeedBytes(r)) => {
                    trips += 1;
                    assert!(trips < 1000, "the fetch loop does not converge");
                    assert!(r.start < r.end && r.end <= file.len() as u64, "bad range {r:?}");
                    bytes.insert(r.start, file[r.start as usize..r.end as usize].to_vec());
                }
                other => return (other, trips),
            }
        }
    }

    fn tiff(level: &Level) -> &TiffLevel {
        match &level.data {
            LevelData::Tiff(t) => t,
            other => panic!("not a TIFF level: {other:?}"),
        }
    }

    fn sizes(g: &Geometry) -> Vec<(u32, u32)> {
        g.levels.iter().map(|l| (l.width, l.height)).collect()
    }

    fn is_corrupt(r: &Result<Geometry, SourceError>) -> bool {
        matches!(r, Err(SourceError::Corrupt { .. }))
    }

    /// Full, half and quarter of 1000x600 in 256 tiles, vips-style rounding down.
    fn chain_pyramid() -> Vec<Img> {
        vec![
            Img::rgb(1000, 600).tiled(256, 256),
            Img::rgb(500, 300).tiled(256, 256).reduced(),
            Img::rgb(250, 150).tiled(256, 256).reduced(),
        ]
    }

    fn sub_ifd_pyramid() -> Img {
        let mut full = Img::rgb(1000, 600).tiled(256, 256);
        full.sub_ifds =
            vec![Img::rgb(500, 300).tiled(256, 256).reduced(), Img::rgb(250, 150).tiled(256, 256)];
        full
    }

    const ALL_OPTS: [Opts; 4] = [
        Opts { big_tiff: false, big_endian: false },
        Opts { big_tiff: false, big_endian: true },
        Opts { big_tiff: true, big_endian: false },
        Opts { big_tiff: true, big_endian: true },
    ];

    #[test]
    fn classic_bigtiff_and_both_byte_orders_agree() {
        let geometries: Vec<Geometry> =
            ALL_OPTS.iter().map(|&o| probe_all(&build(o, &chain_pyramid()).data).unwrap()).collect();
        for (g, opts) in geometries.iter().zip(ALL_OPTS) {
            assert_eq!(
                (g.format, g.width, g.height, g.channels, g.bits_per_sample),
                (SourceFormat::Tiff, 1000, 600, 3, 8)
            );
            assert_eq!(sizes(g), sizes(&geometries[0]), "{opts:?}");
            let t = tiff(&g.levels[0]);
            let order = if opts.big_endian { ByteOrder::BigEndian } else { ByteOrder::LittleEndian };
            assert_eq!(t.byte_order, order);
            assert_eq!(g.levels[0].tiles.len(), 4 * 3);
        }
    }

    #[test]
    fn chain_pyramid_levels_and_tiles() {
        for opts in ALL_OPTS {
            let built = build(opts, &chain_pyramid());
            let g = probe_all(&built.data).unwrap();
            assert_eq!(sizes(&g), vec![(1000, 600), (500, 300), (250, 150)], "{opts:?}");
            assert_eq!(g.scale_factors(), vec![1, 2, 4]);
            for (level, &page) in g.levels.iter().zip(&built.pages) {
                let t = tiff(level);
                assert_eq!(t.ifd_offset, page);
                assert!(t.is_tiled && t.rows_per_strip.is_none());
                assert_eq!((level.tile_width, level.tile_height), (256, 256));
                assert_eq!(level.tiles, built.ifd(page).tiles);
                assert_eq!(level.tiles.len() as u32, level.columns() * level.rows());
            }
            let t = tiff(&g.levels[0]);
            assert_eq!(t.compression, Compression::None);
            assert_eq!(t.photometric, Photometric::Rgb);
            assert_eq!((t.samples_per_pixel, t.bits_per_sample), (3, 8));
            assert_eq!(
                (t.sample_format, t.planar, t.predictor),
                (SampleFormat::Unsigned, Planar::Chunky, Predictor::None)
            );
        }
    }

    #[test]
    fn sub_ifd_pyramid_levels_and_tiles() {
        for opts in ALL_OPTS {
            // A second page of the same size after the pyramid must not matter.
            let built = build(opts, &[sub_ifd_pyramid(), Img::rgb(1000, 600).tiled(256, 256)]);
            let g = probe_all(&built.data).unwrap();
            assert_eq!(sizes(&g), vec![(1000, 600), (500, 300), (250, 150)], "{opts:?}");
            for level in &g.levels {
                assert_eq!(level.tiles, built.ifd(tiff(level).ifd_offset).tiles);
            }
            assert_eq!(tiff(&g.levels[0]).ifd_offset, built.pages[0]);
        }
    }

    #[test]
    fn levels_are_sorted_and_strictly_decreasing() {
        let pages = [
            Img::gray(1024, 1024).tiled(64, 64),
            Img::gray(256, 256).tiled(64, 64).reduced(),
            Img::gray(512, 512).tiled(64, 64).reduced(),
            Img::gray(512, 512).tiled(64, 64).reduced(),
        ];
        let g = probe_all(&build(CLASSIC_LE, &pages).data).unwrap();
        assert_eq!(sizes(&g), vec![(1024, 1024), (512, 512), (256, 256)]);
    }

    #[test]
    fn stripped_image_strips() {
        for opts in ALL_OPTS {
            let built = build(opts, &[Img::gray(30, 20).strips(8)]);
            let g = probe_all(&built.data).unwrap();
            assert_eq!(sizes(&g), vec![(30, 20)]);
            let level = &g.levels[0];
            assert_eq!((level.tile_width, level.tile_height), (30, 8));
            assert_eq!(level.tiles.len(), 3);
            assert_eq!(level.tiles, built.ifd(built.pages[0]).tiles);
            let t = tiff(level);
            assert!(!t.is_tiled);
            assert_eq!(t.rows_per_strip, Some(8));
        }
    }

    #[test]
    fn rows_per_strip_defaults_and_clamps_to_the_height() {
        for rows in [None, Some(1000)] {
            let img = Img { rows_per_strip: rows, ..Img::gray(30, 20) };
            let g = probe_all(&build(CLASSIC_LE, &[img]).data).unwrap();
            assert_eq!((g.levels[0].tile_width, g.levels[0].tile_height), (30, 20));
            assert_eq!(tiff(&g.levels[0]).rows_per_strip, Some(20));
            assert_eq!(g.levels[0].tiles.len(), 1);
        }
    }

    #[test]
    fn planar_tiles_are_plane_by_plane() {
        let img = Img { planar: 2, ..Img::rgb(40, 20).tiled(32, 16) };
        let built = build(CLASSIC_LE, &[img]);
        let g = probe_all(&built.data).unwrap();
        let level = &g.levels[0];
        assert_eq!(tiff(level).planar, Planar::Separate);
        assert_eq!(level.tiles.len(), 3 * 2 * 2);
        assert_eq!(level.tiles, built.ifd(built.pages[0]).tiles);
    }

    #[test]
    fn jpeg_tables_and_ycbcr_are_recorded() {
        let tables = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0, 1, 2, 3, 0xFF, 0xD9];
        let mut img = Img { compression: 7, photometric: 6, ..Img::rgb(64, 64).tiled(32, 32) };
        img.jpeg_tables = Some(tables.clone());
        for opts in ALL_OPTS {
            let built = build(opts, &[img.clone()]);
            let g = probe_all(&built.data).unwrap();
            let t = tiff(&g.levels[0]);
            assert_eq!(t.compression, Compression::Jpeg);
            assert_eq!(t.photometric, Photometric::YCbCr);
            assert_eq!(t.ycbcr_subsampling, Some((2, 2)));
            let range = t.jpeg_tables.unwrap();
            assert_eq!(Some(range), built.ifd(built.pages[0]).jpeg_tables);
            assert_eq!(&built.data[range.start as usize..range.end as usize], &tables[..]);
        }
        let img = img.with(tag::YCBCR_SUBSAMPLING, 3, vec![2, 1]);
        let g = probe_all(&build(CLASSIC_LE, &[img]).data).unwrap();
        assert_eq!(tiff(&g.levels[0]).ycbcr_subsampling, Some((2, 1)));
    }

    #[test]
    fn pixel_format_fields() {
        let img = Img::rgb(16, 16)
            .tiled(16, 16)
            .with(tag::SAMPLES_PER_PIXEL, 3, vec![4])
            .with(tag::BITS_PER_SAMPLE, 3, vec![16; 4])
            .with(tag::EXTRA_SAMPLES, 3, vec![2])
            .with(tag::PREDICTOR, 3, vec![2])
            .with(tag::COMPRESSION, 3, vec![8])
            .with(tag::SAMPLE_FORMAT, 3, vec![2]);
        let g = probe_all(&build(CLASSIC_LE, &[img]).data).unwrap();
        assert_eq!((g.channels, g.bits_per_sample), (4, 16));
        let t = tiff(&g.levels[0]);
        assert_eq!(t.extra_samples, vec![ExtraSample::UnassociatedAlpha]);
        assert_eq!(t.predictor, Predictor::Horizontal);
        assert_eq!(t.compression, Compression::Deflate);
        assert_eq!(t.sample_format, SampleFormat::Signed);
    }

    #[test]
    fn palette_needs_a_colour_map() {
        let img = Img { photometric: 3, ..Img::gray(16, 16) };
        assert!(is_corrupt(&probe_all(&build(CLASSIC_LE, core::slice::from_ref(&img)).data)));
        let img = img.with(tag::COLOR_MAP, 3, vec![0; 3 * 256]);
        let built = build(CLASSIC_LE, &[img]);
        let g = probe_all(&built.data).unwrap();
        assert_eq!(tiff(&g.levels[0]).color_map.map(|r| r.len()), Some(3 * 256 * 2));
    }

    #[test]
    fn other_pages_masks_and_odd_proportions_are_not_levels() {
        let mask = Img { subfile_type: SUBFILE_MASK, bits: 1, ..Img::gray(1000, 600) };
        let cases: Vec<(Vec<Img>, usize)> = vec![
            // A multi-page document.
            (vec![Img::gray(1000, 600), Img::gray(1000, 600)], 1),
            // A page a pixel smaller and not flagged reduced: another page.
            (vec![Img::gray(1000, 600), Img::gray(999, 599)], 1),
            // A mask between levels is skipped.
            (vec![Img::gray(1000, 600), mask, Img::gray(500, 300)], 2),
            // A label of other proportions ends the pyramid.
            (vec![Img::gray(1000, 600), Img::gray(300, 300).reduced(), Img::gray(250, 150)], 1),
            // A level of another pixel format is skipped.
            (vec![Img::gray(1000, 600), Img::rgb(500, 300), Img::gray(250, 150)], 2),
            // So is one the probe cannot decode.
            (
                vec![
                    Img::gray(1000, 600),
                    Img { compression: 6, ..Img::gray(500, 300) },
                    Img::gray(250, 150),
                ],
                2,
            ),
            // Rounding up or down at each halving is accepted.
            (vec![Img::gray(1001, 601), Img::gray(501, 301), Img::gray(250, 150), Img::gray(126, 76)], 4),
        ];
        for (pages, levels) in cases {
            let g = probe_all(&build(CLASSIC_LE, &pages).data).unwrap();
            assert_eq!(g.levels.len(), levels, "{:?}", sizes(&g));
        }
    }

    #[test]
    fn loops_are_corrupt() {
        let mut built = build(CLASSIC_LE, &chain_pyramid());
        let (first, last) = (built.pages[0], built.pages[2]);
        built.link(last, first, CLASSIC_LE);
        assert!(is_corrupt(&probe_all(&built.data)));

        let mut built = build(CLASSIC_LE, &[Img::gray(10, 10)]);
        built.link(built.pages[0], built.pages[0], CLASSIC_LE);
        assert!(is_corrupt(&probe_all(&built.data)));
    }

    #[test]
    fn the_walk_is_bounded() {
        let mask = Img { subfile_type: SUBFILE_MASK, ..Img::gray(100, 100) };
        let mut pages = vec![Img::gray(100, 100)];
        pages.extend(core::iter::repeat_n(mask, 200));
        pages.push(Img::gray(50, 50));
        let built = build(CLASSIC_LE, &pages);
        let g = probe_all(&built.data).unwrap();
        assert_eq!(sizes(&g), vec![(100, 100)]);
    }

    #[test]
    fn a_huge_tile_grid_is_too_large_quickly() {
        let img = Img::gray(32, 32).tiled(16, 16).with(tag::IMAGE_WIDTH, 4, vec![4_000_000_000]).with(
            tag::IMAGE_LENGTH,
            4,
            vec![4_000_000_000],
        );
        let started = Instant::now();
        let r = probe_all(&build(CLASSIC_LE, core::slice::from_ref(&img)).data);
        assert!(matches!(r, Err(SourceError::TooLarge(_))), "{r:?}");
        // Even planar with 65535 samples: the product would overflow u64 if unchecked.
        let img = Img { planar: 2, ..img }.with(tag::SAMPLES_PER_PIXEL, 3, vec![65535]).with(
            tag::BITS_PER_SAMPLE,
            3,
            vec![8],
        );
        let r = probe_all(&build(CLASSIC_LE, &[img]).data);
        assert!(matches!(r, Err(SourceError::TooLarge(_))), "{r:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn limits_and_inconsistencies() {
        let cases: Vec<(Img, &str)> = vec![
            (Img::gray(32, 32).tiled(16, 16).with(tag::IMAGE_WIDTH, 4, vec![0]), "zero width"),
            (Img::gray(32, 32).tiled(16, 16).with(tag::TILE_WIDTH, 3, vec![0]), "zero tile width"),
            (Img::gray(32, 32).strips(8).with(tag::ROWS_PER_STRIP, 4, vec![0]), "zero rows per strip"),
            (Img::gray(32, 32).tiled(16, 16).with(tag::IMAGE_WIDTH, 4, vec![48]), "too few tiles"),
            (Img::gray(32, 32).tiled(16, 16).with(tag::IMAGE_WIDTH, 4, vec![16]), "too many tiles"),
            (
                Img::gray(32, 32).tiled(16, 16).with(tag::TILE_OFFSETS, 4, vec![1 << 31; 4]),
                "tiles past the end",
            ),
            (
                Img::gray(32, 32).tiled(16, 16).with(tag::TILE_OFFSETS, 16, vec![u64::MAX; 4]),
                "offset overflow",
            ),
            (Img::gray(32, 32).with(tag::SAMPLES_PER_PIXEL, 3, vec![0]), "zero samples"),
            (Img::rgb(32, 32).with(tag::SAMPLES_PER_PIXEL, 3, vec![1]), "RGB in one sample"),
        ];
        for (img, what) in cases {
            let r = probe_all(&build(CLASSIC_LE, &[img]).data);
            assert!(is_corrupt(&r), "{what}: {r:?}");
        }
        // Tiles that are not multiples of 16 break the spec, not the probe.
        let g = probe_all(&build(CLASSIC_LE, &[Img::gray(30, 30).tiled(10, 10)]).data).unwrap();
        assert_eq!(g.levels[0].tiles.len(), 9);
    }

    #[test]
    fn unsupported_formats_say_why() {
        let cases: Vec<(Img, &str)> = vec![
            (
                Img { bits: 64, ..Img::gray(8, 8) }.with(tag::SAMPLE_FORMAT, 3, vec![3]),
                "64-bit floating-point samples are not supported",
            ),
            (Img { bits: 4, ..Img::gray(8, 8) }, "4-bit samples are not supported"),
            (Img { compression: 6, ..Img::gray(8, 8) }, "old-style JPEG"),
            (Img::gray(8, 8).with(tag::PREDICTOR, 3, vec![3]), "predictor 3"),
            (Img::rgb(8, 8).with(tag::BITS_PER_SAMPLE, 3, vec![8, 8, 16]), "different BitsPerSample"),
        ];
        for (img, reason) in cases {
            match probe_all(&build(CLASSIC_LE, &[img]).data) {
                Err(SourceError::Unsupported { format: "TIFF", reason: r }) => {
                    assert!(r.contains(reason), "{r}")
                }
                other => panic!("{reason}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_truncation_errors() {
        for opts in ALL_OPTS {
            let data = build(opts, &[sub_ifd_pyramid()]).data;
            for len in 0..data.len() {
                let r = probe_all(&data[..len]);
                assert!(matches!(r, Err(SourceError::Corrupt { .. })), "{opts:?} at {len}: {r:?}");
            }
        }
    }

    #[test]
    fn fetch_loop_converges() {
        for opts in ALL_OPTS {
            let built = build(opts, &chain_pyramid());
            let whole = probe_all(&built.data).unwrap();
            for first in [8, 64 * 1024] {
                let (r, trips) = fetch_loop(&built.data, first);
                assert_eq!(r.unwrap(), whole);
                assert!(trips <= if first == 8 { 2 } else { 0 }, "{opts:?} from {first}: {trips} trips");
            }
        }
    }

    #[test]
    fn fetch_loop_over_a_spread_out_file() {
        // Tiny tiles make level 0's data and tile arrays ~150 KB, so each IFD and its arrays lie outside
        // any earlier fetch (and the arrays outside the 16 KiB a missed read asks for).
        let mut pages = chain_pyramid();
        for p in &mut pages {
            p.tile = Some((8, 8));
        }
        let built = build(CLASSIC_LE, &pages);
        let whole = probe_all(&built.data).unwrap();
        assert_eq!(whole.levels.len(), 3);
        for first in [8, 64 * 1024] {
            let (r, trips) = fetch_loop(&built.data, first);
            assert_eq!(r.unwrap(), whole);
            // Each IFD costs at most one trip for its block and one for its values.
            assert!(trips <= 1 + 2 * 3, "from {first}: {trips} trips");
            std::println!(
                "spread-out file ({} bytes) from {first} bytes: {trips} round trips",
                built.data.len()
            );
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn multipage_fixture_is_one_level() {
        let data = fixture("multipage.tif");
        let (g, _) = fetch_loop(&data, 8);
        let g = g.unwrap();
        assert_eq!((g.width, g.height, g.channels, g.bits_per_sample), (10, 15, 1, 8));
        assert_eq!(sizes(&g), vec![(10, 15)]);
        assert_eq!(g.levels[0].tiles, vec![ByteRange::new(8, 158)]);
        assert_eq!(tiff(&g.levels[0]).rows_per_strip, Some(15));
    }

    #[test]
    fn float_planar_fixture_is_unsupported() {
        let data = fixture("multipage_rgb.tif");
        match fetch_loop(&data, 8).0 {
            Err(e @ SourceError::Unsupported { .. }) => {
                assert_eq!(
                    std::format!("{e}"),
                    "unsupported TIFF: 64-bit floating-point samples are not supported"
                );
                assert_eq!(e.status(), 501);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn vips_jpeg_pyramid() {
        let path = std::format!("{}/tests/data/rocket-pyramid-jpeg.tif", env!("CARGO_MANIFEST_DIR"));
        let data = std::fs::read(&path).unwrap();
        let (g, trips) = fetch_loop(&data, 8);
        let g = g.unwrap();
        assert!(trips <= 3, "{trips} round trips");
        assert_eq!((g.width, g.height, g.channels, g.bits_per_sample), (640, 427, 3, 8));
        // vips rounds down when halving.
        assert_eq!(sizes(&g), vec![(640, 427), (320, 213), (160, 106)]);
        assert_eq!(g.levels.iter().map(|l| l.tiles.len()).collect::<Vec<_>>(), vec![6, 2, 1]);
        let first = g.levels[0].tiles[0];
        assert_eq!(first, ByteRange::new(8, 5228));
        for level in &g.levels {
            let t = tiff(level);
            assert_eq!((level.tile_width, level.tile_height), (256, 256));
            assert_eq!((t.compression, t.photometric), (Compression::Jpeg, Photometric::YCbCr));
            let tables = t.jpeg_tables.unwrap();
            assert_eq!(&data[tables.start as usize..][..2], &[0xFF, 0xD8]);
            assert_eq!(&data[..tables.end as usize][tables.end as usize - 2..], &[0xFF, 0xD9]);
            for tile in &level.tiles {
                assert_eq!(&data[tile.start as usize..][..2], &[0xFF, 0xD8], "a tile is a JPEG stream");
            }
        }
    }

    fn opts_strategy() -> impl Strategy<Value = Opts> {
        (any::<bool>(), any::<bool>()).prop_map(|(big_tiff, big_endian)| Opts { big_tiff, big_endian })
    }

    fn pages_strategy() -> impl Strategy<Value = Vec<Img>> {
        prop_oneof![
            Just(chain_pyramid()),
            Just(vec![sub_ifd_pyramid()]),
            Just(vec![Img::gray(30, 20).strips(8), Img::gray(30, 20)]),
            Just(vec![Img { planar: 2, ..Img::rgb(40, 20).tiled(32, 16) }]),
        ]
    }

    proptest! {
        #[test]
        fn corrupted_files_never_panic(
            opts in opts_strategy(),
            pages in pages_strategy(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<prop::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut data = build(opts, &pages).data;
            for (at, byte) in flips {
                let i = at.index(data.len());
                data[i] = byte;
            }
            if truncate {
                data.truncate(cut.index(data.len()));
            }
            let whole = probe_all(&data);
            prop_assert!(!matches!(whole, Err(SourceError::NeedBytes(_))));
            let (fetched, _) = fetch_loop(&data, 8);
            // The fetch loop must reach the same answer as having everything, up to the format the
            // dispatcher recognises.
            if data.len() >= 12 && !matches!(fetched, Err(SourceError::UnknownFormat)) {
                prop_assert_eq!(fetched, whole);
            }
        }
    }
}
