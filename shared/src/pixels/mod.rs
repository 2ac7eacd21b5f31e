//! The pixel half of the core: from source bytes to encoded output, with every allocation checked
//! against a caller's [`Budget`] first.
//!
//! - [`decode`]: per codec, bytes → [`Image`] (JPEG, PNG, TIFF tiles and strips, JPEG 2000).
//! - [`transform`]: crop and scale, rotation, mirroring, quality (gray, bitonal), bit depth.
//! - [`encode`]: [`Image`] → bytes per output format.
//! - [`psnr`]: how close a result is to its source.

mod budget;
pub mod decode;
pub mod encode;
mod image;
pub mod jpeg_join;
mod quality;
pub mod transform;

pub use budget::{Budget, PixelError};
pub use image::{Image, PixelFormat};
pub use quality::psnr;
