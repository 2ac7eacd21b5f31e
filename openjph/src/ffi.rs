//! The only module that calls the C++ shim (`src/shim.cpp`, over OpenJPH). The shim catches every C++
//! exception, so nothing unwinds across the boundary; its output buffer is copied into a `Vec` and freed
//! here, by the shim's own `free`.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int};

#[repr(C)]
pub(crate) struct Params {
    pub width: u32,
    pub height: u32,
    pub channels: u32,
    pub bytes_per_sample: u32,
    pub bit_depth: u32,
    pub tile_width: u32,
    pub tile_height: u32,
    pub levels: u32,
    pub block: u32,
    pub reversible: c_int,
    pub qstep: f32,
}

unsafe extern "C" {
    fn tessella_ojph_encode(
        p: *const Params,
        pixels: *const u8,
        pixels_len: usize,
        out: *mut *mut u8,
        out_len: *mut usize,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    fn tessella_ojph_free(p: *mut u8);
}

/// Encodes `pixels` (interleaved, `params.channels` samples per pixel, native-endian when 16-bit) as an
/// HTJ2K codestream, or the shim's reason for failing.
pub(crate) fn encode(params: &Params, pixels: &[u8]) -> Result<Vec<u8>, String> {
    let mut out: *mut u8 = std::ptr::null_mut();
    let mut out_len = 0usize;
    let mut err = [0 as c_char; 512];
    // SAFETY: `params` and `pixels` are valid for reads for the duration of the call (the shim checks
    // `pixels_len` against the image size before reading); `out`, `out_len` and `err` are valid for
    // writes, and `err`'s length is passed so the shim writes a NUL-terminated string inside it.
    let status = unsafe {
        tessella_ojph_encode(
            params,
            pixels.as_ptr(),
            pixels.len(),
            &mut out,
            &mut out_len,
            err.as_mut_ptr(),
            err.len(),
        )
    };
    if status != 0 || out.is_null() {
        let bytes: Vec<u8> = err.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
        if !out.is_null() {
            // SAFETY: a non-null `out` came from the shim's malloc and is freed once, here.
            unsafe { tessella_ojph_free(out) };
        }
        return Err(String::from_utf8_lossy(&bytes).into_owned());
    }
    // SAFETY: on success the shim set `out` to a malloc'd buffer of `out_len` initialised bytes, which
    // nothing else references; it is copied, then freed once by the shim's free.
    let data = unsafe { std::slice::from_raw_parts(out, out_len) }.to_vec();
    // SAFETY: as above; `out` is not used after this.
    unsafe { tessella_ojph_free(out) };
    Ok(data)
}
