//! Canonical form (Image API 3.0 §4.7, 2.1 §4.7): one spelling per distinct image, used as the cache key
//! and sent in the `Link: rel="canonical"` header.

use alloc::format;
use alloc::string::String;
use core::fmt;

use crate::math::round_u32;

use super::{Format, Quality, ResolvedRequest, Version, encode_identifier};

/// The canonical spelling of a resolved request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CanonicalRequest {
    pub version: Version,
    /// Decoded; encoded again by [`CanonicalRequest::url`].
    pub identifier: String,
    pub region: String,
    pub size: String,
    pub rotation: String,
    pub quality: Quality,
    pub format: Format,
}

impl ResolvedRequest {
    pub fn canonical(&self) -> CanonicalRequest {
        let region = if self.is_full_region() {
            String::from("full")
        } else {
            let r = self.region;
            format!("{},{},{},{}", r.x, r.y, r.w, r.h)
        };
        CanonicalRequest {
            version: self.version,
            identifier: self.identifier.clone(),
            region,
            size: self.canonical_size(),
            rotation: format!("{}{}", if self.rotation.mirror { "!" } else { "" }, self.rotation.degrees),
            quality: self.quality,
            format: self.format,
        }
    }

    fn canonical_size(&self) -> String {
        let (w, h) = (self.width, self.height);
        match self.version {
            // 3.0: "max" if the maximum size is requested, otherwise w,h; ^ whenever the result is larger
            // than the region, or the canonical URL would itself be an invalid request.
            Version::V3 if (w, h) == (self.max_width, self.max_height) => String::from("max"),
            Version::V3 => format!("{}{w},{h}", if self.is_upscaled() { "^" } else { "" }),
            // 2.1: "full" for the unscaled region, "w," when the aspect ratio is kept, else "w,h".
            Version::V2
                if (w, h) == (self.region.w, self.region.h)
                    && (w, h) == (self.max_width, self.max_height) =>
            {
                String::from("full")
            }
            Version::V2 if h == height_for_width(self.region.w, self.region.h, w) => format!("{w},"),
            Version::V2 => format!("{w},{h}"),
        }
    }
}

/// The height `w,` resolves to for a region, by the same rounding as resolution.
fn height_for_width(rw: u32, rh: u32, w: u32) -> u32 {
    round_u32(f64::from(rh) * f64::from(w) / f64::from(rw))
}

impl CanonicalRequest {
    /// `{region}/{size}/{rotation}/{quality}.{format}`.
    pub fn params(&self) -> String {
        format!(
            "{}/{}/{}/{}.{}",
            self.region,
            self.size,
            self.rotation,
            self.quality.as_str(),
            self.format.extension()
        )
    }

    /// `{identifier}/{params}` with the identifier percent-encoded: unique per version, so with the
    /// version it is the cache key.
    pub fn path(&self) -> String {
        format!("{}/{}", encode_identifier(&self.identifier), self.params())
    }

    /// The full URL under a service base such as `https://example.org/iiif/3`.
    pub fn url(&self, base: &str) -> String {
        format!("{}/{}", base.trim_end_matches('/'), self.path())
    }

    /// A key unique across versions, for caches shared by both.
    pub fn cache_key(&self) -> String {
        format!("{}/{}", self.version.path_segment(), self.path())
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iiif::{Limits, Route, parse_path, resolve};

    fn canon(v: Version, path: &str, w: u32, h: u32) -> String {
        let limits = Limits { max_width: Some(2000), ..Limits::default() };
        match parse_path(v, &format!("ark:%2F1%2Fx/{path}")) {
            Ok(Route::Image(r)) => {
                resolve(&r, w, h, &limits).map(|r| r.canonical().path()).unwrap_or_else(|e| format!("{e}"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn v3_examples() {
        let v = Version::V3;
        assert_eq!(canon(v, "full/max/0/default.jpg", 1000, 800), "ark:%2F1%2Fx/full/max/0/default.jpg");
        assert_eq!(
            canon(v, "0,0,1000,800/1000,/360.0/color.png", 1000, 800),
            "ark:%2F1%2Fx/full/max/360/color.png"
        );
        assert_eq!(
            canon(v, "square/pct:50/!22.50/gray.webp", 1000, 800),
            "ark:%2F1%2Fx/100,0,800,800/400,400/!22.5/gray.webp"
        );
        assert_eq!(
            canon(v, "pct:50,50,100,100/^!1000,1000/0/bitonal.tif", 1000, 800),
            "ark:%2F1%2Fx/500,400,500,400/^1000,800/0/bitonal.tif"
        );
        assert_eq!(canon(v, "full/max/0/default.jpg", 4000, 1000), "ark:%2F1%2Fx/full/max/0/default.jpg");
        assert_eq!(
            canon(v, "full/4000,/0/default.jpg", 4000, 1000),
            "invalid size: 4000×1000 exceeds this server's maxWidth of 2000"
        );
        assert_eq!(canon(v, "full/2000,/0/default.jpg", 4000, 1000), "ark:%2F1%2Fx/full/max/0/default.jpg");
        assert_eq!(
            canon(v, "full/!500,500/0.5/default.jpg", 1000, 800),
            "ark:%2F1%2Fx/full/500,400/0.5/default.jpg"
        );
    }

    #[test]
    fn v2_examples() {
        let v = Version::V2;
        assert_eq!(canon(v, "full/full/0/default.jpg", 1000, 800), "ark:%2F1%2Fx/full/full/0/default.jpg");
        assert_eq!(canon(v, "full/max/0/default.jpg", 1000, 800), "ark:%2F1%2Fx/full/full/0/default.jpg");
        assert_eq!(canon(v, "full/,400/90/default.jpg", 1000, 800), "ark:%2F1%2Fx/full/500,/90/default.jpg");
        assert_eq!(
            canon(v, "full/500,500/0/default.jpg", 1000, 800),
            "ark:%2F1%2Fx/full/500,500/0/default.jpg"
        );
        assert_eq!(canon(v, "full/max/0/default.jpg", 4000, 1000), "ark:%2F1%2Fx/full/2000,/0/default.jpg");
        assert_eq!(
            canon(v, "pct:0,0,50,50/pct:200/!0/gray.png", 1000, 800),
            "ark:%2F1%2Fx/0,0,500,400/1000,/!0/gray.png"
        );
    }
}
