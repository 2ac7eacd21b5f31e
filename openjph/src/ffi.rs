//! The only module that calls the C++ shim (`src/shim.cpp`, over OpenJPH). The shim catches every C++
//! exception, so nothing unwinds across the boundary. [`Encoder`] owns the shim's encoder (freed by
//! `finish` or, unfinished, by `Drop`); the output buffer is copied into a `Vec` and freed by the shim's
//! own `free`.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int};
use std::ptr::NonNull;

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

/// The shim's encoder state (opaque).
#[repr(C)]
pub(crate) struct RawEncoder {
    _private: [u8; 0],
}

unsafe extern "C" {
    fn tessella_ojph_start(p: *const Params, err: *mut c_char, err_len: usize) -> *mut RawEncoder;
    fn tessella_ojph_push_rows(
        e: *mut RawEncoder,
        pixels: *const u8,
        pixels_len: usize,
        rows: u32,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    fn tessella_ojph_finish(
        e: *mut RawEncoder,
        out: *mut *mut u8,
        out_len: *mut usize,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    fn tessella_ojph_abort(e: *mut RawEncoder);
    fn tessella_ojph_free(p: *mut u8);
}

/// An encode in progress; aborted (its memory freed) when dropped unfinished.
pub(crate) struct Encoder {
    raw: NonNull<RawEncoder>,
}

type ErrBuf = [c_char; 512];

fn message(err: &ErrBuf) -> String {
    let bytes: Vec<u8> = err.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

impl Encoder {
    pub(crate) fn start(params: &Params) -> Result<Encoder, String> {
        let mut err: ErrBuf = [0; 512];
        // SAFETY: `params` is valid for reads during the call (the shim copies it); `err` is valid for
        // writes of its length, which is passed.
        let raw = unsafe { tessella_ojph_start(params, err.as_mut_ptr(), err.len()) };
        NonNull::new(raw).map(|raw| Encoder { raw }).ok_or_else(|| message(&err))
    }

    /// Encodes `rows` rows of interleaved samples held in `pixels`.
    pub(crate) fn push_rows(&mut self, pixels: &[u8], rows: u32) -> Result<(), String> {
        let mut err: ErrBuf = [0; 512];
        // SAFETY: `raw` is a live encoder owned by `self` (only `finish`, which consumes `self`, and
        // `Drop` free it); `pixels` is valid for reads of its length, which the shim checks against
        // `rows`; `err` is valid for writes of its length.
        let status = unsafe {
            tessella_ojph_push_rows(
                self.raw.as_ptr(),
                pixels.as_ptr(),
                pixels.len(),
                rows,
                err.as_mut_ptr(),
                err.len(),
            )
        };
        if status == 0 { Ok(()) } else { Err(message(&err)) }
    }

    /// Ends the codestream; the shim frees the encoder whatever the outcome.
    pub(crate) fn finish(self) -> Result<Vec<u8>, String> {
        let raw = self.raw.as_ptr();
        std::mem::forget(self);
        let mut out: *mut u8 = std::ptr::null_mut();
        let mut out_len = 0usize;
        let mut err: ErrBuf = [0; 512];
        // SAFETY: `raw` is live and no longer owned by an `Encoder` (forgotten above), so the shim's free
        // of it in `finish` is the only one; the out-pointers and `err` are valid for writes.
        let status =
            unsafe { tessella_ojph_finish(raw, &mut out, &mut out_len, err.as_mut_ptr(), err.len()) };
        if status != 0 || out.is_null() {
            if !out.is_null() {
                // SAFETY: a non-null `out` came from the shim's malloc and is freed once, here.
                unsafe { tessella_ojph_free(out) };
            }
            return Err(message(&err));
        }
        // SAFETY: on success `out` is a malloc'd buffer of `out_len` initialised bytes that nothing else
        // references; it is copied, then freed once by the shim's free.
        let data = unsafe { std::slice::from_raw_parts(out, out_len) }.to_vec();
        // SAFETY: as above; `out` is not used after this.
        unsafe { tessella_ojph_free(out) };
        Ok(data)
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: an `Encoder` still owns its live encoder when dropped (`finish` forgets `self`), so
        // this is the one free.
        unsafe { tessella_ojph_abort(self.raw.as_ptr()) };
    }
}
