//! `info.json` for Image API 3.0 and 2.1, built from a source's [`Geometry`] and what the server can do.
//!
//! Tiles and scale factors follow what the source can really deliver:
//! - a multi-resolution source (a JPEG 2000's resolution levels, a pyramidal TIFF's levels) advertises
//!   exactly its levels, so a JP2 with 2 resolution levels offers scale factors 1 and 2, not 1..32;
//! - a single-resolution source (JPEG, PNG, flat TIFF) has to be decoded whole for any request, so every
//!   scale factor costs the same; it advertises powers of two down to the one that fits a single tile, so
//!   viewers can zoom out without fetching full-resolution tiles.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::{Format, Limits, Quality, Version};
use crate::geometry::Geometry;

/// What the server produces, beyond the image itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    pub limits: Limits,
    /// Output formats the server encodes (jpg and png at least; level 2 needs both).
    pub formats: Vec<Format>,
    /// Qualities the server produces (default, color and gray at least).
    pub qualities: Vec<Quality>,
    pub mirroring: bool,
    pub rotation_arbitrary: bool,
    pub preferred_formats: Vec<Format>,
    /// A rights or licence URI (3.0 `rights`, 2.1 `license`).
    pub rights: Option<String>,
    /// The tile size offered for sources without a usable tile grid of their own.
    pub default_tile_size: u32,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            limits: Limits::default(),
            formats: alloc::vec![Format::Jpg, Format::Png],
            qualities: alloc::vec![Quality::Default, Quality::Color, Quality::Gray, Quality::Bitonal],
            mirroring: true,
            rotation_arbitrary: true,
            preferred_formats: Vec::new(),
            rights: None,
            default_tile_size: 512,
        }
    }
}

/// A size the server prefers to produce (an entry of `sizes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizeEntry {
    pub width: u32,
    pub height: u32,
}

/// An entry of `tiles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TileEntry {
    pub width: u32,
    pub height: u32,
    pub scale_factors: Vec<u32>,
}

/// The tile grid and sizes a viewer should use for a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileLayout {
    pub tiles: TileEntry,
    pub sizes: Vec<SizeEntry>,
}

/// Tiles larger than this in a source are not offered as-is: viewers fetch them whole.
const MAX_NATIVE_TILE: u32 = 2048;

pub fn tile_layout(geometry: &Geometry, caps: &Capabilities) -> TileLayout {
    let (w, h) = (geometry.width, geometry.height);
    let tile = caps.default_tile_size.max(1);
    let (tw, th) = match geometry.levels.first() {
        Some(l) if l.is_tiled() && l.tile_width <= MAX_NATIVE_TILE && l.tile_height <= MAX_NATIVE_TILE => {
            (l.tile_width, l.tile_height)
        }
        _ => (tile, tile),
    };
    let mut factors: Vec<u32> = if geometry.levels.len() > 1 {
        geometry.scale_factors()
    } else {
        let mut f = alloc::vec![1u32];
        let mut sf = 1u32;
        while (w.div_ceil(sf) > tw || h.div_ceil(sf) > th) && sf < (1 << 20) {
            sf *= 2;
            f.push(sf);
        }
        f
    };
    factors.sort_unstable();
    factors.dedup();
    let mut sizes: Vec<SizeEntry> = if geometry.levels.len() > 1 {
        geometry.levels.iter().map(|l| SizeEntry { width: l.width, height: l.height }).collect()
    } else {
        factors.iter().map(|&sf| SizeEntry { width: w.div_ceil(sf), height: h.div_ceil(sf) }).collect()
    };
    let l = &caps.limits;
    sizes.retain(|s| {
        l.max_width.is_none_or(|m| s.width <= m)
            && l.max_height.is_none_or(|m| s.height <= m)
            && l.max_area.is_none_or(|m| u64::from(s.width) * u64::from(s.height) <= m)
    });
    sizes.sort_by_key(|s| (s.width, s.height));
    sizes.dedup();
    TileLayout { tiles: TileEntry { width: tw, height: th, scale_factors: factors }, sizes }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InfoV3<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    protocol: &'static str,
    profile: &'static str,
    width: u32,
    height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_area: Option<u64>,
    sizes: Vec<SizeEntry>,
    tiles: [TileEntry; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    preferred_formats: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rights: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extra_qualities: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extra_formats: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extra_features: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct InfoV2<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: &'a str,
    protocol: &'static str,
    width: u32,
    height: u32,
    sizes: Vec<SizeEntry>,
    tiles: [TileEntry; 1],
    profile: (&'static str, ProfileV2),
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileV2 {
    formats: Vec<&'static str>,
    qualities: Vec<&'static str>,
    supports: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_area: Option<u64>,
}

const PROTOCOL: &str = "http://iiif.io/api/image";

/// An `info.json` document, serialised in the order the spec lists its properties.
#[derive(Serialize)]
#[serde(untagged)]
pub enum InfoDocument<'a> {
    V3(InfoV3<'a>),
    V2(InfoV2<'a>),
}

impl InfoDocument<'_> {
    /// The JSON text servers send.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// The `info.json` document. `id` is the image's service URL without a trailing slash:
/// `{public base}/iiif/{version}/{encoded identifier}`.
pub fn info_json<'a>(
    version: Version,
    id: &'a str,
    geometry: &Geometry,
    caps: &'a Capabilities,
) -> InfoDocument<'a> {
    let layout = tile_layout(geometry, caps);
    let l = &caps.limits;
    match version {
        Version::V3 => InfoDocument::V3(InfoV3 {
            context: version.context(),
            id,
            kind: "ImageService3",
            protocol: PROTOCOL,
            profile: "level2",
            width: geometry.width,
            height: geometry.height,
            // The 3.0 spec requires maxWidth whenever maxHeight is given.
            max_width: l.max_width.or(l.max_height.map(|_| u32::MAX)),
            max_height: l.max_height,
            max_area: l.max_area,
            sizes: layout.sizes,
            tiles: [layout.tiles],
            preferred_formats: caps.preferred_formats.iter().map(|f| f.extension()).collect(),
            rights: caps.rights.as_deref(),
            extra_qualities: caps
                .qualities
                .iter()
                .filter(|q| **q == Quality::Bitonal)
                .map(|q| q.as_str())
                .collect(),
            extra_formats: extra_formats(caps),
            extra_features: extra_features_v3(caps),
        }),
        Version::V2 => InfoDocument::V2(InfoV2 {
            context: version.context(),
            id,
            protocol: PROTOCOL,
            width: geometry.width,
            height: geometry.height,
            sizes: layout.sizes,
            tiles: [layout.tiles],
            profile: (
                "http://iiif.io/api/image/2/level2.json",
                ProfileV2 {
                    formats: extra_formats(caps),
                    qualities: caps.qualities.iter().map(|q| q.as_str()).collect(),
                    supports: supports_v2(caps),
                    max_width: l.max_width,
                    max_height: l.max_height,
                    max_area: l.max_area,
                },
            ),
            license: caps.rights.as_deref(),
        }),
    }
}

fn extra_formats(caps: &Capabilities) -> Vec<&'static str> {
    caps.formats.iter().filter(|f| !matches!(f, Format::Jpg | Format::Png)).map(|f| f.extension()).collect()
}

fn extra_features_v3(caps: &Capabilities) -> Vec<&'static str> {
    let mut f = Vec::new();
    if caps.mirroring {
        f.push("mirroring");
    }
    if caps.rotation_arbitrary {
        f.push("rotationArbitrary");
    }
    if caps.limits.allow_upscaling {
        f.push("sizeUpscaling");
    }
    f.extend(["canonicalLinkHeader", "profileLinkHeader"]);
    f
}

fn supports_v2(caps: &Capabilities) -> Vec<&'static str> {
    let mut f = alloc::vec![
        "baseUriRedirect",
        "canonicalLinkHeader",
        "cors",
        "jsonldMediaType",
        "profileLinkHeader",
        "regionByPct",
        "regionByPx",
        "regionSquare",
        "rotationBy90s",
        "sizeByConfinedWh",
        "sizeByDistortedWh",
        "sizeByH",
        "sizeByPct",
        "sizeByW",
        "sizeByWh",
    ];
    if caps.mirroring {
        f.push("mirroring");
    }
    if caps.rotation_arbitrary {
        f.push("rotationArbitrary");
    }
    if caps.limits.allow_upscaling {
        f.push("sizeAboveFull");
    }
    f.sort_unstable();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Level, LevelData, SourceFormat};
    use alloc::vec;

    fn flat(w: u32, h: u32) -> Geometry {
        Geometry {
            format: SourceFormat::Jpeg,
            width: w,
            height: h,
            channels: 3,
            bits_per_sample: 8,
            levels: vec![Level::whole(w, h, LevelData::Whole)],
        }
    }

    fn jp2(w: u32, h: u32, tile: Option<u32>, levels: u8) -> Geometry {
        let levels = (0..levels)
            .map(|r| {
                let (lw, lh) = (w.div_ceil(1 << r), h.div_ceil(1 << r));
                let t = tile.map_or((lw, lh), |t| (t.div_ceil(1 << r).min(lw), t.div_ceil(1 << r).min(lh)));
                Level {
                    width: lw,
                    height: lh,
                    tile_width: t.0,
                    tile_height: t.1,
                    tiles: vec![],
                    data: LevelData::Jp2 { reduce: r, layout: None },
                }
            })
            .collect();
        Geometry { format: SourceFormat::Jp2, width: w, height: h, channels: 3, bits_per_sample: 8, levels }
    }

    #[test]
    fn two_level_jp2_offers_two_scale_factors() {
        // nemo.jp2: 2592×1456, one tile, one decomposition level.
        let l = tile_layout(&jp2(2592, 1456, None, 2), &Capabilities::default());
        assert_eq!(l.tiles, TileEntry { width: 512, height: 512, scale_factors: vec![1, 2] });
        assert_eq!(
            l.sizes,
            vec![SizeEntry { width: 1296, height: 728 }, SizeEntry { width: 2592, height: 1456 }]
        );
    }

    #[test]
    fn tiled_jp2_offers_its_tiles_and_levels() {
        let l = tile_layout(&jp2(8000, 5000, Some(1024), 7), &Capabilities::default());
        assert_eq!(
            l.tiles,
            TileEntry { width: 1024, height: 1024, scale_factors: vec![1, 2, 4, 8, 16, 32, 64] }
        );
        assert_eq!(l.sizes.first(), Some(&SizeEntry { width: 125, height: 79 }));
    }

    #[test]
    fn flat_image_offers_factors_down_to_one_tile() {
        let l = tile_layout(&flat(5640, 3172), &Capabilities::default());
        assert_eq!(l.tiles.scale_factors, vec![1, 2, 4, 8, 16]);
        assert_eq!(l.sizes.first(), Some(&SizeEntry { width: 353, height: 199 }));
        let l = tile_layout(&flat(300, 200), &Capabilities::default());
        assert_eq!(l.tiles.scale_factors, vec![1]);
    }

    #[test]
    fn sizes_respect_limits() {
        let caps = Capabilities {
            limits: Limits { max_width: Some(1000), ..Limits::default() },
            ..Capabilities::default()
        };
        let l = tile_layout(&flat(5640, 3172), &caps);
        assert!(l.sizes.iter().all(|s| s.width <= 1000));
        assert_eq!(
            l.sizes,
            vec![SizeEntry { width: 353, height: 199 }, SizeEntry { width: 705, height: 397 }]
        );
    }

    #[test]
    fn v3_document() {
        let caps = Capabilities {
            formats: vec![Format::Jpg, Format::Png, Format::Webp],
            rights: Some("http://rightsstatements.org/vocab/NoC-US/1.0/".into()),
            limits: Limits { max_width: Some(4000), ..Limits::default() },
            ..Capabilities::default()
        };
        let v = info_json(
            Version::V3,
            "https://example.org/iiif/3/ark:%2F1%2Fx",
            &jp2(2592, 1456, None, 2),
            &caps,
        )
        .to_value();
        assert_eq!(v["@context"], "http://iiif.io/api/image/3/context.json");
        assert_eq!(v["id"], "https://example.org/iiif/3/ark:%2F1%2Fx");
        assert_eq!(v["type"], "ImageService3");
        assert_eq!(v["profile"], "level2");
        assert_eq!((v["width"].as_u64(), v["height"].as_u64()), (Some(2592), Some(1456)));
        assert_eq!(v["maxWidth"], 4000);
        assert!(v.get("maxHeight").is_none());
        assert_eq!(v["tiles"][0]["scaleFactors"], serde_json::json!([1, 2]));
        assert_eq!(v["extraFormats"], serde_json::json!(["webp"]));
        assert_eq!(v["extraQualities"], serde_json::json!(["bitonal"]));
        assert!(v["extraFeatures"].as_array().is_some_and(|a| a.contains(&"mirroring".into())));
        assert_eq!(v["rights"], "http://rightsstatements.org/vocab/NoC-US/1.0/");
    }

    #[test]
    fn v2_document() {
        let caps = Capabilities::default();
        let v = info_json(Version::V2, "https://example.org/iiif/2/x", &flat(1000, 1000), &caps).to_value();
        assert_eq!(v["@context"], "http://iiif.io/api/image/2/context.json");
        assert_eq!(v["@id"], "https://example.org/iiif/2/x");
        assert_eq!(v["protocol"], "http://iiif.io/api/image");
        assert_eq!(v["profile"][0], "http://iiif.io/api/image/2/level2.json");
        assert_eq!(v["profile"][1]["qualities"], serde_json::json!(["default", "color", "gray", "bitonal"]));
        assert!(v["profile"][1]["supports"].as_array().is_some_and(|a| a.contains(&"sizeAboveFull".into())));
        assert_eq!(v["tiles"][0], serde_json::json!({"width": 512, "height": 512, "scaleFactors": [1, 2]}));
        assert!(v.get("id").is_none());
    }

    #[test]
    fn text_keeps_the_spec_order() {
        let caps = Capabilities::default();
        let text = info_json(Version::V3, "https://example.org/iiif/3/x", &flat(10, 10), &caps).to_json();
        assert!(text.starts_with(r#"{"@context":"http://iiif.io/api/image/3/context.json","id":"https://example.org/iiif/3/x","type":"ImageService3","protocol""#), "{text}");
    }
}
