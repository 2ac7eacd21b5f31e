//! One JPEG 2000 decode (or one IIIF render) per process, for `scripts/bench-jp2.sh`, which runs it under
//! `/usr/bin/time` for CPU time and peak memory. Prints `WIDTHxHEIGHT MILLISECONDS` (the decode or render
//! alone, after the file is read).
//!
//! `tiles SIZE` decodes every SIZE² tile of the full resolution the way `tessella serve` does, without
//! encoding: the file indexed once, each tile's bytes cut out by the plan's ranges, decoded to pixels.
//! Prints `COUNTtiles MILLISECONDS`. `scripts/bench-iipimage.sh` divides its CPU time by the count: the
//! least a JP2 tile can cost a server that decodes with this decoder.
//!
//! ```sh
//! cargo run --release -p tessella-openjpeg --example jp2-decode -- openjpeg 2 decode 0 3488,2488,1024,1024 FILE
//! cargo run --release -p tessella-openjpeg --example jp2-decode -- hayro 1 render full/1024,/0/default.jpg FILE
//! cargo run --release -p tessella-openjpeg --example jp2-decode -- openjpeg 1 tiles 512 FILE
//! ```

use std::sync::Arc;
use std::time::Instant;

use tessella_core::iiif::{Limits, ResolvedRequest, Route, Version, parse_path, resolve};
use tessella_core::pixels::Budget;
use tessella_core::pixels::decode::jp2::{Hayro, Jp2Decoder, Region};
use tessella_core::render::{RenderOptions, decode_image, ranges, render};
use tessella_core::source::jp2_layout::{Indexed, Indexer};
use tessella_core::source::{self, ByteRange, SourceBytes, SourceError};
use tessella_core::{Geometry, TilePlan};
use tessella_openjpeg::OpenJpeg;

fn main() {
    if let Err(e) = run() {
        eprintln!("jp2-decode: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [decoder, threads, mode, what, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: jp2-decode openjpeg|hayro THREADS decode REDUCE[ x,y,w,h] FILE | render IIIF-PARAMS FILE \
             | tiles SIZE FILE"
                .into(),
        );
    };
    let threads: u32 = threads.parse().map_err(|e| format!("threads: {e}"))?;
    let decoder: Arc<dyn Jp2Decoder> = match decoder.as_str() {
        "openjpeg" => Arc::new(OpenJpeg::new(threads)),
        "hayro" => Arc::new(Hayro),
        other => return Err(format!("unknown decoder {other}")),
    };
    let (region, file) = match rest {
        [file] => (None, file),
        [region, file] => (Some(region.as_str()), file),
        _ => return Err("expected [REGION] FILE".into()),
    };
    let data = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let budget = Budget { max_pixels: 1 << 31, max_bytes: 8 << 30 };
    let start = Instant::now();
    let (w, h) = match mode.as_str() {
        "decode" => {
            let reduce: u8 = what.parse().map_err(|e| format!("reduce: {e}"))?;
            let region = region.map(parse_region).transpose()?;
            let image = decoder.decode(&data, reduce, region, &budget).map_err(|e| e.to_string())?;
            (image.width, image.height)
        }
        "render" => {
            let opts = RenderOptions { budget, jp2_decoder: Some(decoder), ..RenderOptions::default() };
            let rendered = render_once(&data, what, &opts)?;
            (rendered.0, rendered.1)
        }
        "tiles" => {
            let size: u32 = what.parse().map_err(|e| format!("tile size: {e}"))?;
            let opts = RenderOptions { budget, jp2_decoder: Some(decoder), ..RenderOptions::default() };
            let count = decode_tiles(&data, size, &opts)?;
            println!("{count}tiles {:.1}", start.elapsed().as_secs_f64() * 1000.0);
            return Ok(());
        }
        other => return Err(format!("unknown mode {other}")),
    };
    println!("{w}x{h} {:.1}", start.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

/// Decodes every `size`² tile of the full resolution as the server does for `x,y,w,h/max/0/default.jpg`,
/// up to the encode: indexed like `tessella serve` indexes a source, each tile decoded from only the bytes
/// its plan names. Returns the number of tiles.
fn decode_tiles(data: &[u8], size: u32, opts: &RenderOptions) -> Result<usize, String> {
    let len = data.len() as u64;
    let mut whole = SourceBytes::new(Some(len));
    whole.insert(0, data.to_vec());
    let geometry = source::probe(&whole).map_err(|e| e.to_string())?;
    let layout = match Indexer::new(true).advance(&whole).map_err(|e| e.to_string())? {
        Indexed::Layout(layout) => layout,
        Indexed::Whole(reason) => return Err(format!("not read by the tile: {reason}")),
    };
    let geometry = geometry.with_jp2_layout(Arc::from(layout));
    let (width, height) = (geometry.width, geometry.height);
    let mut count = 0;
    for y in (0..height).step_by(size as usize) {
        for x in (0..width).step_by(size as usize) {
            let (w, h) = (size.min(width - x), size.min(height - y));
            let (resolved, plan, needed) =
                planned(data, &geometry, &format!("{x},{y},{w},{h}/max/0/default.jpg"))?;
            let image =
                decode_image(&geometry, &plan, &resolved, &needed, opts).map_err(|e| e.to_string())?;
            if (image.width, image.height) != (w, h) {
                return Err(format!("tile {x},{y}: decoded {}x{}, not {w}x{h}", image.width, image.height));
            }
            count += 1;
        }
    }
    Ok(count)
}

fn parse_region(s: &str) -> Result<Region, String> {
    let v: Vec<u32> =
        s.split(',').map(|p| p.parse().map_err(|e| format!("region {s}: {e}"))).collect::<Result<_, _>>()?;
    let [x, y, w, h] = v.as_slice() else { return Err(format!("region {s}: want x,y,w,h")) };
    Ok(Region { x: *x, y: *y, w: *w, h: *h })
}

/// Probe, plan and render one IIIF request (`region/size/rotation/quality.format`) over the whole file.
fn render_once(data: &[u8], params: &str, opts: &RenderOptions) -> Result<(u32, u32), String> {
    let len = data.len() as u64;
    let slice = |r: ByteRange| data[r.start as usize..(r.end.min(len)) as usize].to_vec();
    let mut bytes = SourceBytes::new(Some(len));
    bytes.insert(0, slice(ByteRange::new(0, source::FIRST_FETCH.min(len))));
    let geometry = loop {
        match source::probe(&bytes) {
            Ok(g) => break g,
            Err(SourceError::NeedBytes(r)) => bytes.insert(r.start, slice(r)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let (resolved, plan, needed) = planned(data, &geometry, params)?;
    let out = render(&geometry, &plan, &resolved, &needed, opts).map_err(|e| e.to_string())?;
    Ok((out.width, out.height))
}

/// One IIIF request (`region/size/rotation/quality.format`) resolved and planned over `geometry`, with
/// only the bytes of `data` its plan names.
fn planned(
    data: &[u8],
    geometry: &Geometry,
    params: &str,
) -> Result<(ResolvedRequest, TilePlan, SourceBytes), String> {
    let Route::Image(request) = parse_path(Version::V3, &format!("x/{params}")).map_err(|e| e.to_string())?
    else {
        return Err(format!("{params} is not an image request"));
    };
    let resolved =
        resolve(&request, geometry.width, geometry.height, &Limits::default()).map_err(|e| e.to_string())?;
    let plan = tessella_core::plan(geometry, &resolved).map_err(|e| e.to_string())?;
    let len = data.len() as u64;
    let mut needed = SourceBytes::new(Some(len));
    for r in ranges(geometry, &plan, len) {
        needed.insert(r.start, data[r.start as usize..r.end.min(len) as usize].to_vec());
    }
    Ok((resolved, plan, needed))
}
