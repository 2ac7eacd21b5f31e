//! What a source image holds, independent of its format: the full size, the resolution levels a decoder
//! can produce without resampling, each level's tile grid, and (when the format stores them separately)
//! where each tile's bytes are, so a caller can fetch only those.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::source::ByteRange;
use crate::source::jp2_layout::Jp2Layout;
use crate::source::tiff::TiffLevel;

/// The container a source was probed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Jpeg,
    Png,
    Tiff,
    /// JPEG 2000 in a JP2 (or JPX) box structure.
    Jp2,
    /// A raw JPEG 2000 codestream (`.j2k`, `.j2c`).
    J2k,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Jpeg => "JPEG",
            SourceFormat::Png => "PNG",
            SourceFormat::Tiff => "TIFF",
            SourceFormat::Jp2 => "JPEG 2000 (JP2)",
            SourceFormat::J2k => "JPEG 2000 codestream",
        }
    }

    /// Whether the format decodes any resolution level natively (wavelet reduction), as opposed to holding
    /// a fixed set of stored images.
    pub fn is_wavelet(self) -> bool {
        matches!(self, SourceFormat::Jp2 | SourceFormat::J2k)
    }
}

/// A probed source.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    pub format: SourceFormat,
    /// Full-resolution width and height, in pixels.
    pub width: u32,
    pub height: u32,
    /// Samples per pixel (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA or CMYK).
    pub channels: u8,
    pub bits_per_sample: u8,
    /// Resolution levels, `levels[0]` at full resolution, each smaller than the one before. A flat JPEG or
    /// PNG has exactly one.
    pub levels: Vec<Level>,
}

/// One resolution a source can decode without resampling.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub width: u32,
    pub height: u32,
    /// Size of one tile at this level. An untiled level is one tile of its whole size; a stripped TIFF has
    /// tiles as wide as the image and one strip high.
    pub tile_width: u32,
    pub tile_height: u32,
    /// Byte range of each tile in row-major order, when the format stores tiles separately (TIFF). Empty
    /// when unknown or not separable (a whole JPEG or PNG, JPEG 2000 tile-parts not yet indexed).
    pub tiles: Vec<ByteRange>,
    pub data: LevelData,
}

/// How a decoder reaches a level.
#[derive(Debug, Clone, PartialEq)]
pub enum LevelData {
    /// The whole file is the image (JPEG, PNG).
    Whole,
    /// A JPEG 2000 codestream decoded with `reduce` discarded resolution levels. With a `layout` (shared
    /// by all levels), a request reads only the tiles it needs; without, the whole object.
    Jp2 { reduce: u8, layout: Option<Arc<Jp2Layout>> },
    /// One IFD of a TIFF (a page or SubIFD of a pyramid).
    Tiff(TiffLevel),
}

impl Level {
    /// A level of `width`×`height` stored as a single tile.
    pub fn whole(width: u32, height: u32, data: LevelData) -> Self {
        Level { width, height, tile_width: width, tile_height: height, tiles: Vec::new(), data }
    }

    pub fn columns(&self) -> u32 {
        self.width.div_ceil(self.tile_width.max(1))
    }

    pub fn rows(&self) -> u32 {
        self.height.div_ceil(self.tile_height.max(1))
    }

    pub fn is_tiled(&self) -> bool {
        self.tile_width < self.width || self.tile_height < self.height
    }
}

impl Geometry {
    /// The geometry with the codestream's tile index attached to every JPEG 2000 level.
    pub fn with_jp2_layout(mut self, layout: Arc<Jp2Layout>) -> Self {
        for level in &mut self.levels {
            if let LevelData::Jp2 { layout: l, .. } = &mut level.data {
                *l = Some(layout.clone());
            }
        }
        self
    }

    /// The tile index the JPEG 2000 levels carry, if any.
    pub fn jp2_layout(&self) -> Option<&Arc<Jp2Layout>> {
        self.levels.iter().find_map(|l| match &l.data {
            LevelData::Jp2 { layout, .. } => layout.as_ref(),
            _ => None,
        })
    }

    /// The downsampling factor of each level relative to full resolution, rounded to the nearest power of
    /// two (pyramid levels are made by halving; odd sizes round up, so a ratio is never exact).
    pub fn scale_factors(&self) -> Vec<u32> {
        self.levels.iter().map(|l| power_of_two_factor(self.width, l.width)).collect()
    }
}

/// The power of two nearest to `full / level`.
pub fn power_of_two_factor(full: u32, level: u32) -> u32 {
    let level = level.max(1);
    let mut f = 1u32;
    // Compare full/level against f*sqrt(2) without floats: full^2 > 2 f^2 level^2 means the next power is
    // closer. In u128: a corrupt header can give a full width near 2^32, and f * level squared then
    // overflows u64.
    let full_squared = u128::from(full) * u128::from(full);
    while f < (1 << 30) && full_squared > 2 * (u128::from(f) * u128::from(level)).pow(2) {
        f *= 2;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_round_to_nearest_power_of_two() {
        assert_eq!(power_of_two_factor(1000, 1000), 1);
        assert_eq!(power_of_two_factor(1001, 501), 2);
        assert_eq!(power_of_two_factor(8000, 1000), 8);
        assert_eq!(power_of_two_factor(8000, 125), 64);
        assert_eq!(power_of_two_factor(5, 1), 4);
    }

    /// Widths from a corrupt header: no overflow, and the factor stays within its cap.
    #[test]
    fn extreme_widths_do_not_overflow() {
        assert_eq!(power_of_two_factor(u32::MAX, 1), 1 << 30);
        assert_eq!(power_of_two_factor(u32::MAX, 3), 1 << 30);
        assert_eq!(power_of_two_factor(u32::MAX, u32::MAX), 1);
        assert_eq!(power_of_two_factor(1, u32::MAX), 1);
    }
}
