//! Times one JPEG 2000 encode of a TIFF with [`encode_jp2`] against Debian's `opj_compress` with the same
//! recipe, and reports the PSNR of both against the source (decoded by tessella-openjpeg).
//!
//! ```sh
//! cargo run --release -p tessella-openjpeg --example jp2-encode -- [--lossless] [--rate 8] [--threads 2] \
//!     [--no-early-termination] [--only tessella|opj_compress] ~/.cache/tessella-large/medium.tif [OUTDIR]
//! ```
//!
//! With `--only NAME` it runs that encoder alone and skips the PSNR decode (PSNR printed as `-`), so that
//! `/usr/bin/time` on the whole process gives comparable CPU times: read and decode the TIFF, encode, write.
//!
//! Prints one line per encoder: `NAME WIDTHxHEIGHT MILLISECONDS BYTES RATIO PSNR`. Tessella's time is the
//! encode alone (the TIFF is decoded first, timed separately); `opj_compress`'s is the whole process,
//! which includes reading the uncompressed TIFF (tens of ms). Output files go to OUTDIR (default: the
//! system temporary directory) as `tessella.jp2` and `opj_compress.jp2`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use tessella_core::pixels::decode::tiff::{LevelTables, decode_tile};
use tessella_core::pixels::{Budget, Image};
use tessella_core::source::{self, SourceBytes, SourceError};
use tessella_core::{LevelData, SourceFormat};
use tessella_openjpeg::{Jp2EncodeOptions, Jp2Mode, OpenJpeg, encode_jp2};

fn main() {
    if let Err(e) = run() {
        eprintln!("jp2-encode: {e}");
        std::process::exit(1);
    }
}

struct Args {
    lossless: bool,
    /// Code every pass (`Jp2EncodeOptions::early_termination` off), as `opj_compress` does.
    full_passes: bool,
    rate: f32,
    threads: u32,
    /// Run only this encoder and skip the PSNR decode, for timing one process under `/usr/bin/time`.
    only: Option<String>,
    file: PathBuf,
    out: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        lossless: false,
        full_passes: false,
        rate: 8.0,
        threads: 2,
        only: None,
        file: PathBuf::new(),
        out: std::env::temp_dir(),
    };
    let mut rest = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--lossless" => a.lossless = true,
            "--no-early-termination" => a.full_passes = true,
            "--rate" => a.rate = it.next().ok_or("--rate N")?.parse().map_err(|e| format!("rate: {e}"))?,
            "--threads" => {
                a.threads = it.next().ok_or("--threads N")?.parse().map_err(|e| format!("threads: {e}"))?;
            }
            "--only" => a.only = Some(it.next().ok_or("--only tessella|opj_compress")?),
            _ => rest.push(arg),
        }
    }
    match rest.as_slice() {
        [file] => a.file = file.into(),
        [file, out] => (a.file, a.out) = (file.into(), out.into()),
        _ => {
            return Err(
                "usage: jp2-encode [--lossless] [--rate R] [--threads N] [--only NAME] FILE.tif [OUTDIR]"
                    .into(),
            );
        }
    }
    Ok(a)
}

fn run() -> Result<(), String> {
    let a = args()?;
    let data = std::fs::read(&a.file).map_err(|e| format!("{}: {e}", a.file.display()))?;
    let start = Instant::now();
    let image = read_tiff(&data)?;
    eprintln!(
        "decoded {} ({}×{} {:?}) in {:.0} ms",
        a.file.display(),
        image.width,
        image.height,
        image.format,
        start.elapsed().as_secs_f64() * 1000.0
    );
    if image.format.bytes_per_sample() != 1 {
        return Err(format!("{:?}: this benchmark measures 8-bit PSNR; use an 8-bit TIFF", image.format));
    }
    let mode = if a.lossless { Jp2Mode::Lossless } else { Jp2Mode::Lossy { rate: a.rate } };
    let opts = Jp2EncodeOptions {
        mode,
        threads: a.threads,
        early_termination: !a.full_passes,
        ..Jp2EncodeOptions::default()
    };

    let check = a.only.is_none();
    if a.only.as_deref().is_none_or(|o| o == "tessella") {
        let start = Instant::now();
        let ours = encode_jp2(&image, &opts).map_err(|e| e.to_string())?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let path = a.out.join("tessella.jp2");
        std::fs::write(&path, &ours).map_err(|e| format!("{}: {e}", path.display()))?;
        report("tessella", &image, ms, &ours, check)?;
    }
    if a.only.as_deref().is_some_and(|o| o != "opj_compress") {
        return Ok(());
    }

    // opj_compress with the same recipe: every precinct size given (it halves the last one otherwise).
    let plan = opts.plan(image.width, image.height).map_err(|e| e.to_string())?;
    let precincts: Vec<String> = plan.precincts.iter().map(|(w, h)| format!("[{w},{h}]")).collect();
    let path = a.out.join("opj_compress.jp2");
    let mut cmd = Command::new("opj_compress");
    cmd.arg("-i").arg(&a.file).arg("-o").arg(&path);
    cmd.args(["-t", &format!("{},{}", plan.tile_width, plan.tile_height)]);
    cmd.args(["-n", &(u32::from(plan.levels) + 1).to_string()]);
    cmd.args(["-c", &precincts.join(",")]);
    cmd.args(["-p", "RPCL", "-b", "64,64", "-SOP", "-EPH", "-TP", "R", "-PLT", "-TLM"]);
    cmd.args(["-threads", &a.threads.to_string()]);
    if !a.lossless {
        cmd.args(["-r", &a.rate.to_string(), "-I"]);
    }
    eprintln!("{cmd:?}");
    let start = Instant::now();
    let run = cmd.output().map_err(|e| format!("opj_compress: {e} (apt-get install libopenjp2-tools)"))?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if !run.status.success() {
        return Err(format!("opj_compress failed: {}", String::from_utf8_lossy(&run.stderr)));
    }
    let theirs = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    report("opj_compress", &image, ms, &theirs, check)
}

fn report(name: &str, source: &Image, ms: f64, jp2: &[u8], check: bool) -> Result<(), String> {
    let ratio = source.data.len() as f64 / jp2.len() as f64;
    let (w, h) = (source.width, source.height);
    if !check {
        println!("{name} {w}x{h} {ms:.0} {} {ratio:.2} -", jp2.len());
        return Ok(());
    }
    let budget = Budget { max_pixels: 1 << 31, max_bytes: 16 << 30 };
    let decoded = OpenJpeg::new(2).decode(jp2, 0, None, &budget).map_err(|e| format!("{name}: {e}"))?;
    if (decoded.width, decoded.height, decoded.format) != (source.width, source.height, source.format) {
        return Err(format!("{name}: decoded {decoded:?}, source {source:?}"));
    }
    let mse = source
        .data
        .iter()
        .zip(&decoded.data)
        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
        .sum::<f64>()
        / source.data.len() as f64;
    let psnr = if mse == 0.0 { f64::INFINITY } else { 10.0 * (255.0f64 * 255.0 / mse).log10() };
    println!("{name} {w}x{h} {ms:.0} {} {ratio:.2} {psnr:.2}", jp2.len());
    Ok(())
}

/// The full-resolution image of an (8-bit, chunky) TIFF, strip by strip (or tile by tile) through the
/// core's TIFF decoder.
fn read_tiff(data: &[u8]) -> Result<Image, String> {
    let mut bytes = SourceBytes::new(Some(data.len() as u64));
    bytes.insert(0, data.to_vec());
    let geometry = match source::probe(&bytes) {
        Ok(g) => g,
        Err(SourceError::NeedBytes(r)) => return Err(format!("probe wants bytes {r:?} of a whole file")),
        Err(e) => return Err(e.to_string()),
    };
    if geometry.format != SourceFormat::Tiff {
        return Err(format!("{:?}, not a TIFF", geometry.format));
    }
    let level = geometry.levels.first().ok_or("no levels")?;
    let LevelData::Tiff(tiff) = &level.data else { return Err("not a TIFF level".into()) };
    let budget = Budget { max_pixels: 1 << 31, max_bytes: 16 << 30 };
    let mut out: Option<Image> = None;
    let across = level.width.div_ceil(level.tile_width);
    for (i, range) in level.tiles.iter().enumerate() {
        let chunk = data.get(range.start as usize..range.end as usize).ok_or("tile outside the file")?;
        let tile = decode_tile(level, tiff, i as u32, chunk, LevelTables::default(), &budget)
            .map_err(|e| e.to_string())?;
        let image = match &mut out {
            Some(img) => img,
            None => out.insert(
                Image::new(level.width, level.height, tile.format, &budget).map_err(|e| e.to_string())?,
            ),
        };
        let (x0, y0) = ((i as u32 % across) * level.tile_width, (i as u32 / across) * level.tile_height);
        let bpp = tile.format.bytes_per_pixel();
        let w = tile.width.min(level.width - x0) as usize * bpp;
        let row_bytes = image.row_bytes();
        for y in 0..tile.height.min(level.height - y0) {
            let src = &tile.row(y)[..w];
            let at = (y0 + y) as usize * row_bytes + x0 as usize * bpp;
            image.data[at..at + w].copy_from_slice(src);
        }
    }
    out.ok_or_else(|| "no tiles".into())
}
