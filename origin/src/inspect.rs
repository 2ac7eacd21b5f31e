//! `tessella inspect`: what Tessella makes of a source, as one JSON document per image.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;
use tessella_core::geometry::Geometry;
use tessella_core::iiif::info::{Capabilities, info_json};
use tessella_core::iiif::{Limits, Route, Version, encode_identifier, parse_path, resolve};
use tessella_core::plan;

use crate::source_file::probe_file;

#[derive(clap::Args, Default)]
pub struct Args {
    /// Image files or folders (default: the repository's sample images).
    pub paths: Vec<PathBuf>,
    /// Public base URL of the Image API service, without the version segment.
    #[arg(long, default_value = "http://127.0.0.1:8080/iiif")]
    pub base: String,
    /// Image API version of the info.json and requests: 3 or 2.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(2..=3))]
    pub api: u8,
    /// Extra request paths ({region}/{size}/{rotation}/{quality}.{format}) to canonicalise and plan.
    #[arg(long = "request")]
    pub requests: Vec<String>,
}

pub fn run(args: &Args) -> ExitCode {
    let paths =
        if args.paths.is_empty() { vec![tessella_origin::default_samples_dir()] } else { args.paths.clone() };
    let files = expand(&paths);
    if files.is_empty() {
        eprintln!("tessella inspect: no image files under {}", display_list(&paths));
        return ExitCode::FAILURE;
    }
    let version = if args.api == 2 { Version::V2 } else { Version::V3 };
    let mut failed = 0;
    for file in &files {
        match inspect_file(file, version, args) {
            Ok(doc) => println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default()),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", file.display());
                println!("{}", json!({ "file": file.display().to_string(), "error": e }));
            }
        }
    }
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn inspect_file(file: &Path, version: Version, args: &Args) -> Result<serde_json::Value, String> {
    let probed = probe_file(file).map_err(|e| e.to_string())?;
    let g = &probed.geometry;
    let identifier = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let service = format!(
        "{}/{}/{}",
        args.base.trim_end_matches('/'),
        version.path_segment(),
        encode_identifier(&identifier)
    );
    let caps = Capabilities::default();
    let info = info_json(version, &service, g, &caps).to_value();
    let requests: Vec<serde_json::Value> = sample_requests(g, version)
        .into_iter()
        .chain(args.requests.iter().cloned())
        .map(|params| describe_request(g, version, &identifier, &service, &params, &caps.limits))
        .collect();
    Ok(json!({
        "file": file.display().to_string(),
        "format": g.format.name(),
        "probe": {
            "file_bytes": probed.file_len,
            "bytes_read": probed.fetches.iter().map(|r| r.len()).sum::<u64>(),
            "round_trips": probed.fetches.len(),
        },
        "levels": g.levels.iter().map(|l| json!({
            "width": l.width, "height": l.height, "tile": [l.tile_width, l.tile_height], "tiles": l.columns() * l.rows(),
        })).collect::<Vec<_>>(),
        "info": info,
        "requests": requests,
    }))
}

/// What a viewer would ask first: the whole image, a thumbnail, the top-left tile at the smallest scale
/// factor a pan/zoom viewer starts from, and a square crop.
fn sample_requests(g: &Geometry, version: Version) -> Vec<String> {
    let max = if version == Version::V3 { "max" } else { "full" };
    let tile = g.levels.first().map_or(512, |l| if l.is_tiled() { l.tile_width } else { 512 });
    vec![
        format!("full/{max}/0/default.jpg"),
        "full/!200,200/0/default.jpg".to_string(),
        format!("0,0,{},{}/{},/0/default.jpg", tile * 2, tile * 2, tile),
        "square/256,/90/gray.png".to_string(),
    ]
}

fn describe_request(
    g: &Geometry,
    version: Version,
    identifier: &str,
    service: &str,
    params: &str,
    limits: &Limits,
) -> serde_json::Value {
    let path = format!("{}/{params}", encode_identifier(identifier));
    let resolved = match parse_path(version, &path) {
        Ok(Route::Image(r)) => resolve(&r, g.width, g.height, limits),
        Ok(_) => return json!({ "request": params, "error": "not an image request" }),
        Err(e) => Err(e),
    };
    let r = match resolved {
        Ok(r) => r,
        Err(e) => return json!({ "request": params, "status": e.status, "error": e.to_string() }),
    };
    let canonical = r.canonical();
    let base = service.rsplit_once('/').map_or(service, |(b, _)| b);
    let plan = match plan(g, &r) {
        Ok(p) => json!({
            "level": p.level,
            "level_size": [p.level_width, p.level_height],
            "tiles": p.tiles.iter().map(|t| [t.column, t.row]).collect::<Vec<_>>(),
            "decoded_pixels": p.estimate.decoded_pixels,
            "source_bytes": p.estimate.source_bytes,
            "peak_memory": p.estimate.peak_memory,
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    json!({
        "request": params,
        "canonical": canonical.url(base),
        "output": [r.final_size().0, r.final_size().1],
        "plan": plan,
    })
}

fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.is_file() && is_image_name(p))
                        .collect()
                })
                .unwrap_or_default();
            entries.sort();
            out.extend(entries);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// In a folder, only files named like images are inspected (a README beside them is not a failure);
/// files named on the command line are always probed, whatever their name.
fn is_image_name(path: &Path) -> bool {
    const EXTENSIONS: [&str; 10] = ["jpg", "jpeg", "png", "tif", "tiff", "jp2", "jpx", "j2k", "j2c", "jhc"];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
