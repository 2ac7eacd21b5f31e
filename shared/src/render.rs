//! Rendering: the last step of the one pixel pipeline. Given a source's [`Geometry`], a [`TilePlan`], the
//! resolved request and the source bytes the plan names (fetched by the caller, see [`ranges`]), produce
//! the encoded response: decode the planned tiles into a mosaic, cut and scale the plan's crop, mirror
//! and rotate, apply the quality, encode. A stored JPEG tile that already is the answer is passed
//! through without decoding, and stored JPEG tiles whose mosaic is the answer are joined without decoding
//! ([`crate::pixels::jpeg_join`]).

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::geometry::{Geometry, Level, LevelData, SourceFormat};
use crate::iiif::{
    Format, IiifError, ImageRequest, Limits, Quality, Region, ResolvedRequest, Rotation, Size, SizeKind,
    Version, resolve,
};
use crate::pixels::decode::jp2::{self, Jp2Decoder as _};
use crate::pixels::decode::{jpeg, png, tiff};
use crate::pixels::encode::{EncodeOptions, encode};
use crate::pixels::jpeg_join::{self, PlacedTile};
use crate::pixels::transform::{self, Background};
use crate::pixels::{Budget, Image, PixelError, PixelFormat};
use crate::plan::{PlanError, TilePlan, TileRef};
use crate::source::jp2_layout::Jp2Layout;
use crate::source::tiff::{Compression, Photometric, Planar, TiffLevel};
use crate::source::{ByteRange, SourceBytes, SourceError};

/// What a render may use.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub budget: Budget,
    pub encode: EncodeOptions,
    /// Serve stored JPEG tiles as they are when they already are the answer.
    pub passthrough: bool,
    /// The JPEG 2000 decoder for JP2 levels; `None` is the built-in one ([`jp2::Hayro`]). The origin sets
    /// OpenJPEG here (crate `tessella-openjpeg`); the edge keeps the default.
    pub jp2_decoder: Option<Arc<dyn jp2::Jp2Decoder>>,
    /// Threads to decode a mosaic's stored tiles on; `None` decodes them one after another (the edge,
    /// and the origin while other renders keep its cores busy).
    pub workers: Option<Arc<dyn Workers>>,
}

/// Runs the independent pieces of one render at once. The core has no threads of its own: the origin
/// lends them (scoped threads) when a render runs alone and its other cores would idle.
pub trait Workers: Send + Sync + core::fmt::Debug {
    /// How many pieces are worth cutting a render into.
    fn count(&self) -> usize;
    /// Runs every job and returns when all have finished.
    fn run<'a>(&self, jobs: Vec<alloc::boxed::Box<dyn FnOnce() + Send + 'a>>);
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            budget: Budget::default(),
            encode: EncodeOptions::default(),
            passthrough: true,
            jp2_decoder: None,
            workers: None,
        }
    }
}

impl PartialEq for RenderOptions {
    /// Decoders compare by name.
    fn eq(&self, other: &Self) -> bool {
        self.budget == other.budget
            && self.encode == other.encode
            && self.passthrough == other.passthrough
            && self.jp2_decoder_name() == other.jp2_decoder_name()
            && self.workers.as_ref().map(|w| w.count()) == other.workers.as_ref().map(|w| w.count())
    }
}

impl RenderOptions {
    /// The name of the JPEG 2000 decoder in use.
    pub fn jp2_decoder_name(&self) -> &'static str {
        self.jp2_decoder.as_deref().map_or(jp2::Hayro.name(), |d| d.name())
    }
}

/// An encoded response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub body: Vec<u8>,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The body is a stored tile, or stored tiles joined, with no pixels decoded or re-encoded.
    pub passthrough: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// `NeedBytes` here means the caller did not fetch what [`ranges`] named.
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Pixel(#[from] PixelError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Request(#[from] IiifError),
}

impl RenderError {
    /// The HTTP status a server answers with.
    pub fn status(&self) -> u16 {
        match self {
            RenderError::Source(e) => e.status(),
            RenderError::Pixel(e) => e.status(),
            RenderError::Plan(_) => 500,
            RenderError::Request(e) => e.status,
        }
    }
}

/// The byte ranges [`render`] reads for this plan: the planned tiles (plus a TIFF's shared JPEG tables
/// and colour map), a JPEG 2000 codestream's header and the tiles the region touches when the geometry
/// carries its [`Jp2Layout`], or the whole object for formats that cannot be read in parts.
pub fn ranges(geometry: &Geometry, plan: &TilePlan, object_len: u64) -> Vec<ByteRange> {
    let Some(level) = geometry.levels.get(plan.level) else { return Vec::new() };
    match &level.data {
        LevelData::Tiff(t) => {
            let mut out: Vec<ByteRange> = t.jpeg_tables.into_iter().chain(t.color_map).collect();
            for tile in &plan.tiles {
                out.extend(tiff_tile_ranges(level, t, tile).into_iter().filter(|r| !r.is_empty()));
            }
            out
        }
        LevelData::Jp2 { reduce, layout: Some(layout) } => match jp2_tiles(layout, *reduce, plan) {
            Some(tiles) => layout.ranges(&tiles, *reduce),
            None => alloc::vec![ByteRange::new(0, object_len)],
        },
        LevelData::Whole | LevelData::Jp2 { layout: None, .. } => alloc::vec![ByteRange::new(0, object_len)],
    }
}

/// The codestream tiles the plan's mosaic needs, when reading them (or their lower resolutions) is less
/// than the whole object; else the whole object is read and decoded as it is.
fn jp2_tiles(layout: &Jp2Layout, reduce: u8, plan: &TilePlan) -> Option<Vec<usize>> {
    let (x, y, w, h) = plan.mosaic;
    let grid = jp2::needed_tiles(&layout.info, reduce, jp2::Region { x, y, w, h }).ok()?;
    let tiles = layout.tiles_in(grid);
    (tiles.len() < layout.tile_count() || layout.prunes(reduce)).then_some(tiles)
}

/// What rendering a plan costs its caller, before any byte is fetched: the bytes [`ranges`] names, the
/// pixels the decoders produce, and a bound on the memory held at once (the plan's estimate, with the
/// fetched bytes counted as they will be held: for a whole-file format, the whole object). The edge
/// compares it with its limits to decide between rendering and forwarding to the origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub fetch_bytes: u64,
    pub decoded_pixels: u64,
    pub peak_memory: u64,
}

/// Limits on a [`Cost`]: what one render may fetch, decode and hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostLimits {
    pub max_fetch_bytes: u64,
    pub max_decoded_pixels: u64,
    pub max_peak_memory: u64,
}

/// Which limit a [`Cost`] exceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OverCost {
    #[error("would fetch {0} bytes (limit {1})")]
    FetchBytes(u64, u64),
    #[error("would decode {0} pixels (limit {1})")]
    DecodedPixels(u64, u64),
    #[error("would hold about {0} bytes at once (limit {1})")]
    PeakMemory(u64, u64),
}

impl Cost {
    /// The first limit this cost exceeds, if any.
    pub fn check(&self, limits: &CostLimits) -> Result<(), OverCost> {
        if self.fetch_bytes > limits.max_fetch_bytes {
            return Err(OverCost::FetchBytes(self.fetch_bytes, limits.max_fetch_bytes));
        }
        if self.decoded_pixels > limits.max_decoded_pixels {
            return Err(OverCost::DecodedPixels(self.decoded_pixels, limits.max_decoded_pixels));
        }
        if self.peak_memory > limits.max_peak_memory {
            return Err(OverCost::PeakMemory(self.peak_memory, limits.max_peak_memory));
        }
        Ok(())
    }
}

/// The [`Cost`] of rendering `plan` from an object of `object_len` bytes.
pub fn cost(geometry: &Geometry, plan: &TilePlan, object_len: u64) -> Cost {
    let fetch_bytes: u64 = ranges(geometry, plan, object_len).iter().map(ByteRange::len).sum();
    let estimate = plan.estimate;
    let pixels_and_buffers = estimate.peak_memory.saturating_sub(estimate.source_bytes.unwrap_or(0));
    Cost {
        fetch_bytes,
        decoded_pixels: estimate.decoded_pixels,
        peak_memory: pixels_and_buffers.saturating_add(fetch_bytes),
    }
}

/// Renders the request. `source` must hold the ranges [`ranges`] named.
pub fn render(
    geometry: &Geometry,
    plan: &TilePlan,
    req: &ResolvedRequest,
    source: &SourceBytes,
    opts: &RenderOptions,
) -> Result<Rendered, RenderError> {
    let level = geometry.levels.get(plan.level).ok_or(PlanError::NoLevels)?;
    if opts.passthrough
        && let Some(body) = stored_jpeg(level, plan, req, source, &opts.budget)?
    {
        return Ok(Rendered {
            body,
            format: Format::Jpg,
            width: req.width,
            height: req.height,
            passthrough: true,
        });
    }
    let image = decode_image(geometry, plan, req, source, opts)?;
    let body = encode(&image, req.format, &opts.encode)?;
    Ok(Rendered { body, format: req.format, width: image.width, height: image.height, passthrough: false })
}

/// The request's pixels, before encoding: what [`render`] encodes when it does not pass a tile through.
/// For callers that write the pixels into something other than a response, such as a derivative.
pub fn decode_image(
    geometry: &Geometry,
    plan: &TilePlan,
    req: &ResolvedRequest,
    source: &SourceBytes,
    opts: &RenderOptions,
) -> Result<Image, RenderError> {
    let level = geometry.levels.get(plan.level).ok_or(PlanError::NoLevels)?;
    let mosaic = decode_mosaic(geometry, level, plan, source, opts)?;
    let scaled = transform::crop_resize(&mosaic, plan.crop, plan.width, plan.height, &opts.budget)?;
    drop(mosaic);
    Ok(finish(scaled, req, &opts.budget)?)
}

/// The whole source at full resolution: the pixels `full/max/0/default` renders before encoding, for
/// callers that convert a source rather than answer a request (derivatives, quality comparisons).
/// `source` must hold the whole object.
pub fn decode_full(source: &SourceBytes, opts: &RenderOptions) -> Result<(Geometry, Image), RenderError> {
    let geometry = crate::source::probe(source)?;
    let (resolved, plan) = full_resolution_plan(&geometry, Region::Full)?;
    let image = decode_image(&geometry, &plan, &resolved, source, opts)?;
    Ok((geometry, image))
}

/// `region` of the source at full resolution, unrotated, in its own colours, resolved and planned: what a
/// converter decodes the whole image or a band of its rows with ([`ranges`] names the bytes to fetch,
/// [`decode_image`] decodes them).
pub fn full_resolution_plan(
    geometry: &Geometry,
    region: Region,
) -> Result<(ResolvedRequest, TilePlan), RenderError> {
    let request = ImageRequest {
        version: Version::V3,
        identifier: String::new(),
        region,
        size: Size { upscale: false, kind: SizeKind::Max },
        rotation: Rotation { mirror: false, degrees: 0.0 },
        quality: Quality::Default,
        format: Format::Png,
    };
    let resolved = resolve(&request, geometry.width, geometry.height, &Limits::default())?;
    let plan = crate::plan::plan(geometry, &resolved)?;
    Ok((resolved, plan))
}

/// Mirroring, rotation and quality, in the order the Image API applies them (§4).
fn finish(mut image: Image, req: &ResolvedRequest, budget: &Budget) -> Result<Image, PixelError> {
    if req.rotation.mirror {
        transform::mirror(&mut image);
    }
    let degrees = req.rotation.degrees % 360.0;
    if degrees != 0.0 {
        // JPEG has no alpha; every other output format keeps the corners transparent.
        let background = if req.format == Format::Jpg { Background::White } else { Background::Transparent };
        image = transform::rotate(&image, degrees, background, budget)?;
    }
    Ok(match req.quality {
        Quality::Gray => transform::to_gray(image),
        Quality::Bitonal => transform::to_bitonal(image),
        Quality::Default | Quality::Color => image,
    })
}

/// Decodes the plan's tiles into one image covering `plan.mosaic`.
fn decode_mosaic(
    geometry: &Geometry,
    level: &Level,
    plan: &TilePlan,
    source: &SourceBytes,
    opts: &RenderOptions,
) -> Result<Image, RenderError> {
    let budget = &opts.budget;
    match &level.data {
        LevelData::Whole => {
            let data = whole(source)?;
            let image = match geometry.format {
                SourceFormat::Jpeg => jpeg::decode_jpeg(data, budget)?,
                SourceFormat::Png => png::decode_png(data, budget)?,
                other => {
                    return Err(PixelError::unsupported(
                        "source",
                        alloc::format!("{} as a whole image", other.name()),
                    )
                    .into());
                }
            };
            Ok(image)
        }
        LevelData::Jp2 { reduce, layout } => {
            let (x, y, w, h) = plan.mosaic;
            let region = jp2::Region { x, y, w, h };
            let cut;
            let data = match layout.as_deref().and_then(|l| Some((l, jp2_tiles(l, *reduce, plan)?))) {
                Some((layout, tiles)) => {
                    cut = layout.cut(source, &tiles, *reduce)?;
                    &cut[..]
                }
                None => whole(source)?,
            };
            Ok(match &opts.jp2_decoder {
                Some(decoder) => decoder.decode(data, *reduce, Some(region), budget)?,
                None => jp2::decode_jp2(data, *reduce, Some(region), budget)?,
            })
        }
        LevelData::Tiff(t) => tiff_mosaic(level, t, plan, source, budget, opts.workers.as_deref()),
    }
}

fn whole(source: &SourceBytes) -> Result<&[u8], SourceError> {
    let len = source.len().ok_or_else(|| SourceError::corrupt("source", "object length unknown"))?;
    let len = usize::try_from(len).map_err(|_| SourceError::TooLarge(alloc::format!("{len} bytes")))?;
    source.read(0, len)
}

/// Decodes TIFF tiles into the mosaic, so memory is the mosaic plus a tile per worker. The first tile
/// tells the mosaic's pixel format; with `workers`, the rest are decoded at once by bands of tile rows,
/// each worker writing only its own rows of the mosaic.
fn tiff_mosaic(
    level: &Level,
    t: &TiffLevel,
    plan: &TilePlan,
    source: &SourceBytes,
    budget: &Budget,
    workers: Option<&dyn Workers>,
) -> Result<Image, RenderError> {
    let (mx, my, mw, mh) = plan.mosaic;
    let jpeg_tables = match t.jpeg_tables {
        Some(r) => Some(source.read(r.start, range_len(r)?)?),
        None => None,
    };
    let color_map = match t.color_map {
        Some(r) => Some(tiff::color_map_from(source.read(r.start, range_len(r)?)?, t)?),
        None => None,
    };
    let tables = tiff::LevelTables { color_map: color_map.as_ref(), jpeg_tables };
    let (first, rest) =
        plan.tiles.split_first().ok_or_else(|| PixelError::corrupt("TIFF", "the plan has no tiles"))?;
    let decoded = decode_tiff_tile(level, t, first, tables, source, budget)?;
    let mut mosaic = Image::new(mw, mh, decoded.format, budget)?;
    Band::whole(&mut mosaic).paste(&decoded, first.x - mx, first.y - my, first.width, first.height)?;
    drop(decoded);
    // Tile rows are disjoint bands of the mosaic. They are grouped into as many jobs as there are workers
    // (one without), each with about its share of the tiles, so the edge and the origin run the same code.
    let parts = workers.map_or(1, |w| w.count()).max(1);
    let share = rest.len().div_ceil(parts);
    let (format, row_bytes) = (mosaic.format, mosaic.row_bytes());
    let mut rows: Vec<(u32, u32, Vec<&TileRef>)> = Vec::new();
    for tile in rest {
        let top = tile.y - my;
        match rows.last_mut() {
            Some((y, _, tiles)) if *y == top => tiles.push(tile),
            _ => rows.push((top, (top + tile.height).min(mh), alloc::vec![tile])),
        }
    }
    let mut unsplit = &mut mosaic.data[..];
    let mut consumed = 0usize;
    let mut jobs: Vec<Vec<(Band<'_>, Vec<&TileRef>)>> = alloc::vec![Vec::new()];
    let mut in_job = 0;
    for (top, bottom, tiles) in rows {
        let (start, end) = (top as usize * row_bytes, bottom as usize * row_bytes);
        let (_, from_top) = core::mem::take(&mut unsplit).split_at_mut(start - consumed);
        let (band, after) = from_top.split_at_mut(end - start);
        unsplit = after;
        consumed = end;
        if in_job > 0 && in_job + tiles.len() > share && jobs.len() < parts {
            jobs.push(Vec::new());
            in_job = 0;
        }
        in_job += tiles.len();
        if let Some(job) = jobs.last_mut() {
            job.push((Band { data: band, top, row_bytes, format }, tiles));
        }
    }
    let run = |bands: Vec<(Band<'_>, Vec<&TileRef>)>| -> Result<(), RenderError> {
        for (mut band, tiles) in bands {
            for tile in tiles {
                let decoded = decode_tiff_tile(level, t, tile, tables, source, budget)?;
                band.paste(&decoded, tile.x - mx, tile.y - my, tile.width, tile.height)?;
            }
        }
        Ok(())
    };
    match workers {
        Some(workers) if jobs.len() > 1 => {
            let mut results: Vec<Result<(), RenderError>> = jobs.iter().map(|_| Ok(())).collect();
            let run = &run;
            let boxed: Vec<alloc::boxed::Box<dyn FnOnce() + Send + '_>> = jobs
                .into_iter()
                .zip(results.iter_mut())
                .map(|(bands, result)| -> alloc::boxed::Box<dyn FnOnce() + Send + '_> {
                    alloc::boxed::Box::new(move || *result = run(bands))
                })
                .collect();
            workers.run(boxed);
            results.into_iter().collect::<Result<(), _>>()?;
        }
        _ => jobs.into_iter().try_for_each(run)?,
    }
    Ok(mosaic)
}

/// Rows `top..` of a mosaic, for pasting tiles into them.
struct Band<'a> {
    data: &'a mut [u8],
    top: u32,
    row_bytes: usize,
    format: PixelFormat,
}

impl<'a> Band<'a> {
    fn whole(image: &'a mut Image) -> Band<'a> {
        let (row_bytes, format) = (image.row_bytes(), image.format);
        Band { data: &mut image.data[..], top: 0, row_bytes, format }
    }

    /// Copies the top-left `w`×`h` of `tile` to mosaic position (`x`, `y`), which lies in this band.
    /// Stored edge tiles are padded to the full tile size; the padding is not image.
    fn paste(&mut self, tile: &Image, x: u32, y: u32, w: u32, h: u32) -> Result<(), PixelError> {
        if tile.format != self.format {
            return Err(PixelError::corrupt("TIFF", "tiles of one level decode to different pixel formats"));
        }
        let bpp = self.format.bytes_per_pixel();
        let width = (self.row_bytes / bpp) as u32;
        let rows = (self.data.len() / self.row_bytes.max(1)) as u32;
        let y =
            y.checked_sub(self.top).ok_or_else(|| PixelError::corrupt("TIFF", "tile outside its band"))?;
        let w = w.min(tile.width).min(width.saturating_sub(x)) as usize;
        let h = h.min(tile.height).min(rows.saturating_sub(y));
        let row_len = w * bpp;
        for row in 0..h {
            let src =
                tile.row(row).get(..row_len).ok_or_else(|| PixelError::corrupt("TIFF", "short tile row"))?;
            let start = (y + row) as usize * self.row_bytes + x as usize * bpp;
            let dst = self
                .data
                .get_mut(start..start + row_len)
                .ok_or_else(|| PixelError::corrupt("TIFF", "tile outside its mosaic"))?;
            dst.copy_from_slice(src);
        }
        Ok(())
    }
}

fn decode_tiff_tile(
    level: &Level,
    t: &TiffLevel,
    tile: &TileRef,
    tables: tiff::LevelTables<'_>,
    source: &SourceBytes,
    budget: &Budget,
) -> Result<Image, RenderError> {
    let ranges = tiff_tile_ranges(level, t, tile);
    let mut planes = Vec::with_capacity(ranges.len());
    for r in &ranges {
        planes.push(if r.is_empty() { &[][..] } else { source.read(r.start, range_len(*r)?)? });
    }
    let image = if t.planar == Planar::Separate {
        tiff::decode_tile_planes(level, t, tile.index, &planes, tables, budget)?
    } else {
        // A sparse tile (never written) has an empty range and decodes as zeros.
        tiff::decode_tile(level, t, tile.index, planes.first().copied().unwrap_or(&[]), tables, budget)?
    };
    Ok(image)
}

/// The ranges holding one tile: one range, or one per sample plane when planes are stored apart.
fn tiff_tile_ranges(level: &Level, t: &TiffLevel, tile: &TileRef) -> Vec<ByteRange> {
    let per_plane = level.columns() as usize * level.rows() as usize;
    let planes = if t.planar == Planar::Separate { usize::from(t.samples_per_pixel) } else { 1 };
    (0..planes).filter_map(|p| level.tiles.get(p * per_plane + tile.index as usize).copied()).collect()
}

fn range_len(r: ByteRange) -> Result<usize, SourceError> {
    usize::try_from(r.len()).map_err(|_| SourceError::TooLarge(alloc::format!("{} bytes", r.len())))
}

/// A stored JPEG tile is the answer when the request is exactly that tile at its stored size, unrotated,
/// in colour, as JPEG, and the tile is whole (an edge tile's padding must not be served).
fn passthrough(
    level: &Level,
    plan: &TilePlan,
    req: &ResolvedRequest,
    source: &SourceBytes,
) -> Result<Option<Vec<u8>>, RenderError> {
    let LevelData::Tiff(t) = &level.data else { return Ok(None) };
    let [tile] = plan.tiles.as_slice() else { return Ok(None) };
    let eligible = t.compression == Compression::Jpeg
        && matches!(t.photometric, Photometric::YCbCr | Photometric::Rgb | Photometric::MinIsBlack)
        && t.planar == Planar::Chunky
        && plan.is_single_tile_unscaled()
        && (tile.width, tile.height) == (level.tile_width, level.tile_height)
        && req.format == Format::Jpg
        && matches!(req.quality, Quality::Default | Quality::Color)
        && req.rotation.is_identity();
    if !eligible {
        return Ok(None);
    }
    let Some(range) = tile.bytes else { return Ok(None) };
    let data = source.read(range.start, range_len(range)?)?;
    let mut body = match t.jpeg_tables {
        Some(r) => jpeg::splice_tables(source.read(r.start, range_len(r)?)?, data)?,
        None => data.to_vec(),
    };
    if t.photometric == Photometric::Rgb {
        mark_rgb(&mut body)?;
    }
    Ok(Some(body))
}

/// The answer from stored JPEG tiles without decoding: one stored tile as it is, else a mosaic of them
/// joined.
fn stored_jpeg(
    level: &Level,
    plan: &TilePlan,
    req: &ResolvedRequest,
    source: &SourceBytes,
    budget: &Budget,
) -> Result<Option<Vec<u8>>, RenderError> {
    match passthrough(level, plan, req, source)? {
        Some(body) => Ok(Some(body)),
        None => join_stored_tiles(level, plan, req, source, budget),
    }
}

/// Several stored JPEG tiles (or one partial tile) are the answer when the request is exactly their mosaic
/// at its stored size, unrotated, in colour, as JPEG: their coefficients are joined into one JPEG without
/// decoding pixels ([`jpeg_join`]). `None` when the tiles cannot be joined that way; the caller decodes.
fn join_stored_tiles(
    level: &Level,
    plan: &TilePlan,
    req: &ResolvedRequest,
    source: &SourceBytes,
    budget: &Budget,
) -> Result<Option<Vec<u8>>, RenderError> {
    let LevelData::Tiff(t) = &level.data else { return Ok(None) };
    let eligible = t.compression == Compression::Jpeg
        && matches!(t.photometric, Photometric::YCbCr | Photometric::Rgb | Photometric::MinIsBlack)
        && t.planar == Planar::Chunky
        && plan.is_unscaled_mosaic()
        && req.format == Format::Jpg
        && matches!(req.quality, Quality::Default | Quality::Color)
        && req.rotation.is_identity();
    let Some(first) = plan.tiles.first() else { return Ok(None) };
    if !eligible {
        return Ok(None);
    }
    let tables = match t.jpeg_tables {
        Some(r) => Some(source.read(r.start, range_len(r)?)?),
        None => None,
    };
    let mut streams = Vec::with_capacity(plan.tiles.len());
    for tile in &plan.tiles {
        let Some(range) = tile.bytes else { return Ok(None) };
        let data = source.read(range.start, range_len(range)?)?;
        let stream = match tables {
            Some(tables) => jpeg::splice_tables(tables, data)?,
            None => data.to_vec(),
        };
        streams.push((tile.column - first.column, tile.row - first.row, stream));
    }
    let placed: Vec<PlacedTile<'_>> =
        streams.iter().map(|(column, row, jpeg)| PlacedTile { column: *column, row: *row, jpeg }).collect();
    // Any reason not to join (including a damaged tile) leaves the request to the decoder, which
    // reports damage in its own terms.
    let Ok(mut body) =
        jpeg_join::join(&placed, (level.tile_width, level.tile_height), req.width, req.height, budget)
    else {
        return Ok(None);
    };
    if t.photometric == Photometric::Rgb {
        mark_rgb(&mut body)?;
    }
    Ok(Some(body))
}

/// An Adobe APP14 segment with transform 0: "components are RGB, no colour transform". TIFF writes
/// RGB-coded JPEG tiles (libvips does at quality 90 and above) without JFIF or Adobe markers; libjpeg-turbo
/// infers RGB from the component ids 'R','G','B' that libtiff writes, but decoders that do not would read
/// YCbCr. The marker says it explicitly (checked against Pillow: identical pixels with and without it).
const ADOBE_RGB: [u8; 16] = [0xFF, 0xEE, 0x00, 0x0E, b'A', b'd', b'o', b'b', b'e', 0x00, 0x64, 0, 0, 0, 0, 0];

fn mark_rgb(jpeg: &mut Vec<u8>) -> Result<(), PixelError> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(PixelError::corrupt("JPEG", "a TIFF JPEG tile without SOI"));
    }
    jpeg.splice(2..2, ADOBE_RGB);
    Ok(())
}
