//! The four image-request parameters and the format, as the client wrote them (before resolution).

use alloc::format;

use super::number::{decimal, integer};
use super::{IiifError, Segment, Version};

/// The region of the full image to extract (Image API §4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    Full,
    Square,
    Pixels { x: u32, y: u32, w: u32, h: u32 },
    Percent { x: f64, y: f64, w: f64, h: f64 },
}

/// How the extracted region is scaled (Image API §4.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    /// The 3.0 `^` prefix: the client allows the result to be larger than the region.
    pub upscale: bool,
    pub kind: SizeKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeKind {
    /// 3.0 `max`, 2.1 `max`.
    Max,
    /// 2.1 `full` (removed in 3.0).
    Full,
    Width(u32),
    Height(u32),
    Percent(f64),
    Exact {
        w: u32,
        h: u32,
    },
    /// `!w,h`: the largest size that fits in w×h, keeping the aspect ratio.
    BestFit {
        w: u32,
        h: u32,
    },
}

/// Rotation in degrees clockwise, after an optional mirroring about the vertical axis (§4.3).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rotation {
    pub mirror: bool,
    pub degrees: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quality {
    Default,
    Color,
    Gray,
    Bitonal,
}

/// Every format the Image API names. All parse, so a server can answer the ones it cannot produce with
/// 501 rather than 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpg,
    Png,
    Webp,
    Tif,
    Gif,
    Jp2,
    Pdf,
}

impl Region {
    pub fn parse(s: &str) -> Result<Region, IiifError> {
        const SEG: Segment = Segment::Region;
        match s {
            "full" => return Ok(Region::Full),
            "square" => return Ok(Region::Square),
            _ => {}
        }
        if let Some(rest) = s.strip_prefix("pct:") {
            let [x, y, w, h] = four(rest, SEG)?;
            let x = decimal(x, SEG, "pct x")?;
            let y = decimal(y, SEG, "pct y")?;
            let w = decimal(w, SEG, "pct w")?;
            let h = decimal(h, SEG, "pct h")?;
            return Ok(Region::Percent { x, y, w, h });
        }
        if s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            let [x, y, w, h] = four(s, SEG)?;
            return Ok(Region::Pixels {
                x: integer(x, SEG, "x")?,
                y: integer(y, SEG, "y")?,
                w: integer(w, SEG, "w")?,
                h: integer(h, SEG, "h")?,
            });
        }
        Err(IiifError::bad_request(SEG, format!("{s:?} is not full, square, x,y,w,h or pct:x,y,w,h")))
    }
}

fn four(s: &str, segment: Segment) -> Result<[&str; 4], IiifError> {
    let mut it = s.split(',');
    let parts = [it.next(), it.next(), it.next(), it.next()];
    match (parts, it.next()) {
        ([Some(a), Some(b), Some(c), Some(d)], None) => Ok([a, b, c, d]),
        _ => {
            Err(IiifError::bad_request(segment, format!("expected four comma-separated numbers, got {s:?}")))
        }
    }
}

impl Size {
    pub fn parse(s: &str, version: Version) -> Result<Size, IiifError> {
        const SEG: Segment = Segment::Size;
        let (upscale, body) = match s.strip_prefix('^') {
            Some(rest) if version == Version::V3 => (true, rest),
            Some(_) => {
                return Err(IiifError::bad_request(
                    SEG,
                    "the ^ prefix is Image API 3.0 syntax; 2.1 has no ^",
                ));
            }
            None => (false, s),
        };
        let kind = match body {
            "max" => SizeKind::Max,
            "full" if version == Version::V2 => SizeKind::Full,
            "full" => return Err(IiifError::bad_request(SEG, "\"full\" is not a 3.0 size; use \"max\"")),
            _ => {
                if let Some(n) = body.strip_prefix("pct:") {
                    let n = decimal(n, SEG, "pct:n")?;
                    if n <= 0.0 {
                        return Err(IiifError::bad_request(SEG, "pct:n must be greater than 0"));
                    }
                    SizeKind::Percent(n)
                } else if let Some(wh) = body.strip_prefix('!') {
                    let (w, h) = wh.split_once(',').ok_or_else(|| bad_wh(s))?;
                    if w.is_empty() || h.is_empty() {
                        return Err(bad_wh(s));
                    }
                    SizeKind::BestFit { w: integer(w, SEG, "w")?, h: integer(h, SEG, "h")? }
                } else {
                    match body.split_once(',') {
                        Some(("", "")) | None => return Err(bad_wh(s)),
                        Some((w, "")) => SizeKind::Width(integer(w, SEG, "w")?),
                        Some(("", h)) => SizeKind::Height(integer(h, SEG, "h")?),
                        Some((w, h)) => {
                            SizeKind::Exact { w: integer(w, SEG, "w")?, h: integer(h, SEG, "h")? }
                        }
                    }
                }
            }
        };
        let zero = match kind {
            SizeKind::Width(w) => w == 0,
            SizeKind::Height(h) => h == 0,
            SizeKind::Exact { w, h } | SizeKind::BestFit { w, h } => w == 0 || h == 0,
            _ => false,
        };
        if zero {
            return Err(IiifError::bad_request(SEG, format!("{s:?} asks for an image with no pixels")));
        }
        Ok(Size { upscale, kind })
    }
}

fn bad_wh(s: &str) -> IiifError {
    IiifError::bad_request(
        Segment::Size,
        format!("{s:?} is not one of max, w, ,h, pct:n, w,h, !w,h (3.0 also allows a ^ prefix)"),
    )
}

impl Rotation {
    pub fn parse(s: &str) -> Result<Rotation, IiifError> {
        let (mirror, n) = match s.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let degrees = decimal(n, Segment::Rotation, "rotation")?;
        if degrees > 360.0 {
            return Err(IiifError::bad_request(Segment::Rotation, "rotation must be between 0 and 360"));
        }
        Ok(Rotation { mirror, degrees })
    }

    pub fn is_identity(&self) -> bool {
        !self.mirror && (self.degrees == 0.0 || self.degrees == 360.0)
    }

    /// Whether the rotation is a multiple of 90°, which needs no resampling.
    pub fn is_right_angle(&self) -> bool {
        self.degrees % 90.0 == 0.0
    }
}

impl Quality {
    pub fn parse(s: &str, version: Version) -> Result<Quality, IiifError> {
        match s {
            "default" => Ok(Quality::Default),
            "color" => Ok(Quality::Color),
            "gray" => Ok(Quality::Gray),
            "bitonal" => Ok(Quality::Bitonal),
            // 1.x spellings: a 2.1 or 3.0 client that sends them has the wrong API version.
            "native" | "grey" | "colour" => Err(IiifError::bad_request(
                Segment::Quality,
                format!(
                    "{s:?} is Image API 1.x spelling; Image API {} uses default, color, gray or bitonal",
                    version_name(version)
                ),
            )),
            _ => Err(IiifError::bad_request(
                Segment::Quality,
                format!("{s:?} is not a quality; use default, color, gray or bitonal"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Default => "default",
            Quality::Color => "color",
            Quality::Gray => "gray",
            Quality::Bitonal => "bitonal",
        }
    }
}

fn version_name(v: Version) -> &'static str {
    match v {
        Version::V2 => "2.1",
        Version::V3 => "3.0",
    }
}

impl Format {
    pub const ALL: [Format; 7] =
        [Format::Jpg, Format::Png, Format::Webp, Format::Tif, Format::Gif, Format::Jp2, Format::Pdf];

    pub fn parse(s: &str) -> Result<Format, IiifError> {
        Format::ALL.into_iter().find(|f| f.extension() == s).ok_or_else(|| {
            IiifError::bad_request(
                Segment::Format,
                format!("{s:?} is not an image format; use jpg, png, webp, tif, gif, jp2 or pdf"),
            )
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Tif => "tif",
            Format::Gif => "gif",
            Format::Jp2 => "jp2",
            Format::Pdf => "pdf",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Tif => "image/tiff",
            Format::Gif => "image/gif",
            Format::Jp2 => "image/jp2",
            Format::Pdf => "application/pdf",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(Region::parse("full"), Ok(Region::Full));
        assert_eq!(Region::parse("square"), Ok(Region::Square));
        assert_eq!(Region::parse("10,20,30,40"), Ok(Region::Pixels { x: 10, y: 20, w: 30, h: 40 }));
        assert_eq!(
            Region::parse("pct:10.5,0,50,50"),
            Ok(Region::Percent { x: 10.5, y: 0.0, w: 50.0, h: 50.0 })
        );
        for bad in ["", "FULL", "1,2,3", "1,2,3,4,5", "pct:1,2,3", "-1,0,1,1", "1.5,0,1,1", "pct:a,0,1,1"] {
            let e = Region::parse(bad).unwrap_err();
            assert_eq!((e.status, e.segment), (400, Segment::Region), "{bad}");
        }
    }

    #[test]
    fn sizes_v3() {
        let p = |s| Size::parse(s, Version::V3);
        assert_eq!(p("max"), Ok(Size { upscale: false, kind: SizeKind::Max }));
        assert_eq!(p("^max"), Ok(Size { upscale: true, kind: SizeKind::Max }));
        assert_eq!(p("^200,"), Ok(Size { upscale: true, kind: SizeKind::Width(200) }));
        assert_eq!(p(",150").map(|s| s.kind), Ok(SizeKind::Height(150)));
        assert_eq!(p("^pct:150.5").map(|s| s.kind), Ok(SizeKind::Percent(150.5)));
        assert_eq!(p("^!100,200"), Ok(Size { upscale: true, kind: SizeKind::BestFit { w: 100, h: 200 } }));
        assert_eq!(p("100,200").map(|s| s.kind), Ok(SizeKind::Exact { w: 100, h: 200 }));
        for bad in
            ["full", ",", "0,", ",0", "pct:0", "!100,", "!,100", "^^max", "100", "1,2,3", "pct:-1", "max^"]
        {
            assert_eq!(p(bad).map_err(|e| e.segment), Err(Segment::Size), "{bad}");
        }
    }

    #[test]
    fn sizes_v2() {
        let p = |s| Size::parse(s, Version::V2);
        assert_eq!(p("full").map(|s| s.kind), Ok(SizeKind::Full));
        assert_eq!(p("max").map(|s| s.kind), Ok(SizeKind::Max));
        assert_eq!(p("!10,10").map(|s| s.kind), Ok(SizeKind::BestFit { w: 10, h: 10 }));
        assert!(p("^max").is_err());
        assert!(p("^100,").is_err());
    }

    #[test]
    fn rotations() {
        assert_eq!(Rotation::parse("!22.5"), Ok(Rotation { mirror: true, degrees: 22.5 }));
        assert_eq!(Rotation::parse("360"), Ok(Rotation { mirror: false, degrees: 360.0 }));
        for bad in ["", "!", "361", "-90", "90!", "!!90", "1e2"] {
            assert_eq!(Rotation::parse(bad).map_err(|e| e.segment), Err(Segment::Rotation), "{bad}");
        }
    }

    #[test]
    fn qualities_and_formats() {
        assert_eq!(Quality::parse("gray", Version::V2), Ok(Quality::Gray));
        let grey = Quality::parse("grey", Version::V2).unwrap_err();
        assert!(grey.reason.contains("1.x"), "{}", grey.reason);
        assert!(Quality::parse("native", Version::V3).is_err());
        for f in Format::ALL {
            assert_eq!(Format::parse(f.extension()), Ok(f));
        }
        assert_eq!(Format::parse("jpeg").map_err(|e| e.status), Err(400));
    }
}
