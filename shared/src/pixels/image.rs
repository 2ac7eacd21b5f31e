use alloc::vec::Vec;

use super::{Budget, PixelError};

/// The layout of an [`Image`]'s samples: interleaved channels, 8 or 16 bits. 16-bit samples are stored
/// native-endian, two bytes each, so they can be viewed as `u16` without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    L8,
    La8,
    Rgb8,
    Rgba8,
    L16,
    La16,
    Rgb16,
    Rgba16,
}

impl PixelFormat {
    /// The layout of `channels` samples per pixel (2 and 4 end in alpha), 16-bit when `wide`; `None`
    /// outside 1 to 4.
    pub fn from_channels(channels: usize, wide: bool) -> Option<PixelFormat> {
        Some(match (channels, wide) {
            (1, false) => PixelFormat::L8,
            (1, true) => PixelFormat::L16,
            (2, false) => PixelFormat::La8,
            (2, true) => PixelFormat::La16,
            (3, false) => PixelFormat::Rgb8,
            (3, true) => PixelFormat::Rgb16,
            (4, false) => PixelFormat::Rgba8,
            (4, true) => PixelFormat::Rgba16,
            _ => return None,
        })
    }

    pub fn channels(self) -> u8 {
        match self {
            PixelFormat::L8 | PixelFormat::L16 => 1,
            PixelFormat::La8 | PixelFormat::La16 => 2,
            PixelFormat::Rgb8 | PixelFormat::Rgb16 => 3,
            PixelFormat::Rgba8 | PixelFormat::Rgba16 => 4,
        }
    }

    pub fn bytes_per_sample(self) -> usize {
        match self {
            PixelFormat::L8 | PixelFormat::La8 | PixelFormat::Rgb8 | PixelFormat::Rgba8 => 1,
            _ => 2,
        }
    }

    pub fn bytes_per_pixel(self) -> usize {
        usize::from(self.channels()) * self.bytes_per_sample()
    }

    pub fn has_alpha(self) -> bool {
        matches!(self, PixelFormat::La8 | PixelFormat::Rgba8 | PixelFormat::La16 | PixelFormat::Rgba16)
    }

    pub fn is_gray(self) -> bool {
        matches!(self, PixelFormat::L8 | PixelFormat::La8 | PixelFormat::L16 | PixelFormat::La16)
    }
}

/// A decoded image: `width`×`height` pixels, rows top to bottom, no padding between rows.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub format: PixelFormat,
    pub data: Vec<u8>,
}

impl core::fmt::Debug for Image {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Image({}×{} {:?}, {} bytes)", self.width, self.height, self.format, self.data.len())
    }
}

impl Image {
    /// A zeroed image, after checking the budget; allocation failure is an error, not an abort.
    pub fn new(width: u32, height: u32, format: PixelFormat, budget: &Budget) -> Result<Image, PixelError> {
        let len = budget.check(width, height, format)?;
        let mut data = Vec::new();
        data.try_reserve_exact(len).map_err(|_| PixelError::OutOfMemory(len))?;
        data.resize(len, 0);
        Ok(Image { width, height, format, data })
    }

    /// Wraps decoded samples, checking the length matches the size and format.
    pub fn from_raw(
        width: u32,
        height: u32,
        format: PixelFormat,
        data: Vec<u8>,
    ) -> Result<Image, PixelError> {
        let expected = (width as usize)
            .checked_mul(height as usize)
            .and_then(|p| p.checked_mul(format.bytes_per_pixel()));
        if expected != Some(data.len()) {
            return Err(PixelError::corrupt(
                "image",
                alloc::format!("{} bytes for {width}×{height} {format:?}", data.len()),
            ));
        }
        Ok(Image { width, height, format, data })
    }

    pub fn row_bytes(&self) -> usize {
        self.width as usize * self.format.bytes_per_pixel()
    }

    /// The bytes of row `y` (empty past the last row).
    pub fn row(&self, y: u32) -> &[u8] {
        let n = self.row_bytes();
        let start = y as usize * n;
        self.data.get(start..start + n).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_refuses_before_allocating() {
        let b = Budget::default();
        let e = Image::new(100_000, 100_000, PixelFormat::Rgb8, &b).unwrap_err();
        assert!(matches!(e, PixelError::OverBudget { width: 100_000, .. }));
        assert_eq!(e.status(), 413);
        let small = Budget { max_pixels: 1000, max_bytes: 2000 };
        assert!(Image::new(30, 30, PixelFormat::L8, &small).is_ok());
        assert!(Image::new(30, 30, PixelFormat::Rgb8, &small).is_err(), "bytes limit");
        assert!(
            Image::new(
                u32::MAX,
                u32::MAX,
                PixelFormat::Rgba16,
                &Budget { max_pixels: u64::MAX, max_bytes: u64::MAX }
            )
            .is_err()
        );
    }

    #[test]
    fn from_raw_checks_length() {
        assert!(Image::from_raw(2, 2, PixelFormat::Rgb8, alloc::vec![0; 12]).is_ok());
        assert!(Image::from_raw(2, 2, PixelFormat::Rgb8, alloc::vec![0; 11]).is_err());
        let img = Image::from_raw(2, 2, PixelFormat::L16, (0..8).collect()).unwrap();
        assert_eq!(img.row(1), &[4, 5, 6, 7]);
        assert_eq!(img.row(2), &[] as &[u8]);
    }
}
