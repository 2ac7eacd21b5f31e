//! What happens to pixels between decode and encode, in the order an Image API request applies it:
//! region and size ([`crop_resize`]), mirroring then rotation ([`mirror`], [`rotate`]), then quality
//! and depth ([`to_gray`], [`to_bitonal`], [`to_8bit`], [`flatten_alpha`]).
//!
//! Functions that produce a new or larger buffer take the caller's [`Budget`](super::Budget) and check
//! it before allocating. Those that only shrink pixels (quality, depth, alpha) rewrite the buffer in
//! place, so they allocate nothing and cannot fail.

// fast_image_resize does not compile for x86-64 without SSE; see `resize::scale`.
#[cfg(not(all(target_arch = "x86_64", not(target_feature = "sse2"))))]
mod convolve;
mod quality;
mod resize;
mod rotate;
mod samples;

pub use quality::{flatten_alpha, to_8bit, to_bitonal, to_gray};
pub use resize::crop_resize;
pub use rotate::{Background, mirror, rotate, rotated_size};

pub(crate) use samples::{try_clone, validate};
