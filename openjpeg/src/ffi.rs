//! The only module that calls OpenJPEG's C API. Everything unsafe lives here, behind [`Session`]: a codec,
//! an in-memory stream over a borrowed `&[u8]` and the decoded image, each freed by an RAII guard, with
//! OpenJPEG's messages routed to `tracing` and its last error kept for the typed error.
//!
//! Rules kept here: every pointer OpenJPEG hands back is checked for null before use; every C resource
//! has exactly one owner that frees it in `Drop`; callbacks called from C never unwind into C (each body
//! runs under `catch_unwind`); the borrowed input and the callback state outlive the codec and the stream
//! that point at them (field order of [`Session`] fixes the drop order).
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::Mutex;

use openjpeg_sys as opj;

use crate::OpjError;

/// Which OpenJPEG reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// A JP2 or JPX file (boxes; the codestream in a `jp2c` box).
    Jp2,
    /// A raw codestream (starts with SOC).
    J2k,
}

/// The colour space OpenJPEG reports after reading the header (and, for JP2, the colour box).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColourSpace {
    Unspecified,
    Srgb,
    Gray,
    Sycc,
    Eycc,
    Cmyk,
    Unknown,
}

/// One component as the main header describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ComponentHeader {
    pub dx: u32,
    pub dy: u32,
    pub precision: u32,
    pub signed: bool,
}

/// What the main header (and JP2 boxes) say, before any decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The image area on the reference grid: `x0..x1` × `y0..y1`.
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub components: Vec<ComponentHeader>,
    pub colour_space: ColourSpace,
    /// Bytes 16..20 of an ICC profile (its data colour space, e.g. `RGB `, `GRAY`), when there is one.
    pub icc_colour: Option<[u8; 4]>,
    /// The tile size on the reference grid.
    pub tile_width: u32,
    pub tile_height: u32,
    /// The fewest resolutions any component has in the default coding style (decomposition levels + 1).
    pub resolutions: u32,
}

/// One decoded component: `width`×`height` samples, the first at (`x0`, `y0`) of the component's
/// full-resolution grid divided by 2^`factor` (rounded up).
pub(crate) struct Decoded<'s> {
    pub width: u32,
    pub height: u32,
    pub x0: u32,
    pub y0: u32,
    pub dx: u32,
    pub dy: u32,
    /// Resolution levels discarded: `x0`, `y0` are full-resolution, the samples are reduced.
    pub factor: u32,
    pub precision: u32,
    pub signed: bool,
    pub samples: &'s [i32],
}

/// State the stream callbacks read: the borrowed input and a position in it.
struct MemSource<'a> {
    data: &'a [u8],
    pos: usize,
}

/// Where OpenJPEG's messages go: tracing, and the first error for the typed error. A mutex, because
/// OpenJPEG's worker threads report code-block errors too.
#[derive(Default)]
struct Messages {
    first_error: Mutex<Option<String>>,
}

struct CodecGuard(*mut opj::opj_codec_t);

impl Drop for CodecGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_create_decompress, is non-null, and is destroyed only here.
            unsafe { opj::opj_destroy_codec(self.0) };
        }
    }
}

struct StreamGuard(*mut opj::opj_stream_t);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_stream_create, is non-null, and is destroyed only here. No
            // free-user-data function was set, so destroying it does not touch the MemSource.
            unsafe { opj::opj_stream_destroy(self.0) };
        }
    }
}

struct ImageGuard(*mut opj::opj_image_t);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_read_header, is non-null, and is destroyed only here.
            unsafe { opj::opj_image_destroy(self.0) };
        }
    }
}

struct CstrInfoGuard(*mut opj::opj_codestream_info_v2_t);

impl Drop for CstrInfoGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_get_cstr_info and is freed once; the function nulls it.
            unsafe { opj::opj_destroy_cstr_info(&mut self.0) };
        }
    }
}

/// One decode: codec, stream and image, freed together. Field order is drop order: the image, the codec
/// and the stream go before the input and the message state they point at.
pub(crate) struct Session<'a> {
    image: ImageGuard,
    codec: CodecGuard,
    stream: StreamGuard,
    _source: Box<MemSource<'a>>,
    messages: Box<Messages>,
    header: Header,
}

impl<'a> Session<'a> {
    /// Creates the codec and stream over `data`, sets the thread count and reads the main header.
    pub(crate) fn open(data: &'a [u8], container: Container, threads: u32) -> Result<Session<'a>, OpjError> {
        let messages = Box::new(Messages::default());
        let format = match container {
            Container::Jp2 => opj::CODEC_FORMAT::OPJ_CODEC_JP2,
            Container::J2k => opj::CODEC_FORMAT::OPJ_CODEC_J2K,
        };
        // SAFETY: plain constructor; a null result is handled below.
        let codec = CodecGuard(unsafe { opj::opj_create_decompress(format) });
        if codec.0.is_null() {
            return Err(OpjError::Internal("opj_create_decompress returned null".into()));
        }
        let client = ptr::from_ref::<Messages>(&messages).cast_mut().cast::<c_void>();
        // SAFETY: the codec is live; the handlers are `extern "C"` functions that never unwind; `client`
        // points at the boxed Messages, which the Session owns and drops after the codec.
        unsafe {
            opj::opj_set_error_handler(codec.0, Some(on_error), client);
            opj::opj_set_warning_handler(codec.0, Some(on_warning), client);
            opj::opj_set_info_handler(codec.0, Some(on_info), client);
        }
        // SAFETY: opj_dparameters_t is a plain C struct (integers and char arrays); all-zero is a valid
        // value, which opj_set_default_decoder_parameters then fills in.
        let mut params: opj::opj_dparameters_t = unsafe { std::mem::zeroed() };
        // SAFETY: `params` is a valid, exclusively borrowed struct.
        unsafe { opj::opj_set_default_decoder_parameters(&mut params) };
        // SAFETY: codec live, params initialised; OpenJPEG copies what it needs.
        if unsafe { opj::opj_setup_decoder(codec.0, &mut params) } == 0 {
            return Err(messages.error("opj_setup_decoder failed"));
        }
        if threads > 1 {
            // SAFETY: the codec is live and set up, before any decoding; a failure (no thread support in
            // this build) only means a single-threaded decode.
            let ok = unsafe {
                opj::opj_has_thread_support() != 0
                    && opj::opj_codec_set_threads(codec.0, i32::try_from(threads).unwrap_or(i32::MAX)) != 0
            };
            if !ok {
                tracing::debug!(threads, "OpenJPEG: threads not available, decoding on one");
            }
        }

        let mut source = Box::new(MemSource { data, pos: 0 });
        // SAFETY: creates an input stream with a 1 MiB read buffer; null is handled below.
        let stream = StreamGuard(unsafe { opj::opj_stream_create(1 << 20, 1) });
        if stream.0.is_null() {
            return Err(OpjError::Internal("opj_stream_create returned null".into()));
        }
        let user = ptr::from_mut::<MemSource<'a>>(&mut source).cast::<c_void>();
        // SAFETY: the stream is live; `user` points at the boxed MemSource, which the Session owns and drops
        // after the stream (and the codec) so the callbacks never see a dangling pointer; no free function
        // is given, so OpenJPEG never frees it.
        unsafe {
            opj::opj_stream_set_read_function(stream.0, Some(read_cb));
            opj::opj_stream_set_skip_function(stream.0, Some(skip_cb));
            opj::opj_stream_set_seek_function(stream.0, Some(seek_cb));
            opj::opj_stream_set_user_data(stream.0, user, None);
            opj::opj_stream_set_user_data_length(stream.0, data.len() as u64);
        }

        let mut image_ptr: *mut opj::opj_image_t = ptr::null_mut();
        // SAFETY: stream and codec are live and set up; OpenJPEG writes an owned image pointer (or leaves
        // null) into `image_ptr`, which the guard then owns.
        let ok = unsafe { opj::opj_read_header(stream.0, codec.0, &mut image_ptr) };
        let image = ImageGuard(image_ptr);
        if ok == 0 || image.0.is_null() {
            return Err(messages.corrupt("cannot read the header"));
        }
        let header = read_header_info(&image, &codec)?;
        Ok(Session { image, codec, stream, _source: source, messages, header })
    }

    pub(crate) fn header(&self) -> &Header {
        &self.header
    }

    /// Discards `reduce` resolution levels.
    pub(crate) fn set_reduce(&mut self, reduce: u32) -> Result<(), OpjError> {
        // SAFETY: the codec is live and has read the header, as the function requires.
        if unsafe { opj::opj_set_decoded_resolution_factor(self.codec.0, reduce) } == 0 {
            return Err(self.messages.unsupported("cannot discard that many resolution levels"));
        }
        Ok(())
    }

    /// Decodes only `x0..x1` × `y0..y1` of the reference grid (full-resolution coordinates).
    pub(crate) fn set_area(&mut self, x0: u32, y0: u32, x1: u32, y1: u32) -> Result<(), OpjError> {
        let c = |v: u32| i32::try_from(v).map_err(|_| OpjError::Unsupported("coordinates over 2^31".into()));
        let (x0, y0, x1, y1) = (c(x0)?, c(y0)?, c(x1)?, c(y1)?);
        // SAFETY: codec and image are live; the image is the one opj_read_header returned.
        if unsafe { opj::opj_set_decode_area(self.codec.0, self.image.0, x0, y0, x1, y1) } == 0 {
            return Err(self.messages.unsupported("cannot set the decode area"));
        }
        Ok(())
    }

    /// Decodes (into the image's components) and reads to the end of the codestream.
    pub(crate) fn decode(&mut self) -> Result<(), OpjError> {
        // SAFETY: codec, stream and image are live and belong together (the image came from this codec's
        // opj_read_header on this stream).
        if unsafe { opj::opj_decode(self.codec.0, self.stream.0, self.image.0) } == 0 {
            return Err(self.messages.corrupt("decoding failed"));
        }
        // SAFETY: as above.
        if unsafe { opj::opj_end_decompress(self.codec.0, self.stream.0) } == 0 {
            return Err(self.messages.corrupt("cannot finish decoding"));
        }
        Ok(())
    }

    /// The decoded components, borrowing the image.
    pub(crate) fn components(&self) -> Result<Vec<Decoded<'_>>, OpjError> {
        // SAFETY: the image pointer is non-null (checked in `open`) and owned by this Session.
        let image = unsafe { &*self.image.0 };
        let comps = comps_of(image)?;
        let mut out = Vec::with_capacity(comps.len());
        for c in comps {
            if c.data.is_null() {
                return Err(OpjError::Corrupt("a component has no decoded data".into()));
            }
            let len = (c.w as usize).checked_mul(c.h as usize).ok_or_else(|| {
                OpjError::Corrupt(format!("component of {}×{} samples overflows", c.w, c.h))
            })?;
            // SAFETY: OpenJPEG allocates `w * h` i32 samples for each decoded component's `data`, which
            // lives until opj_image_destroy; the slice borrows `self`, so it cannot outlive the image.
            let samples = unsafe { std::slice::from_raw_parts(c.data, len) };
            out.push(Decoded {
                width: c.w,
                height: c.h,
                x0: c.x0,
                y0: c.y0,
                dx: c.dx,
                dy: c.dy,
                factor: c.factor,
                precision: c.prec,
                signed: c.sgnd != 0,
                samples,
            });
        }
        Ok(out)
    }
}

/// The image's component array as a slice.
fn comps_of(image: &opj::opj_image_t) -> Result<&[opj::opj_image_comp_t], OpjError> {
    if image.numcomps == 0 || image.comps.is_null() {
        return Err(OpjError::Corrupt("no components".into()));
    }
    // SAFETY: OpenJPEG allocates `numcomps` opj_image_comp_t at `comps` for the image's lifetime; the
    // returned slice borrows `image`.
    Ok(unsafe { std::slice::from_raw_parts(image.comps, image.numcomps as usize) })
}

fn read_header_info(image: &ImageGuard, codec: &CodecGuard) -> Result<Header, OpjError> {
    // SAFETY: non-null (checked by the caller) and owned by the guard.
    let img = unsafe { &*image.0 };
    let components = comps_of(img)?
        .iter()
        .map(|c| ComponentHeader { dx: c.dx, dy: c.dy, precision: c.prec, signed: c.sgnd != 0 })
        .collect();
    use opj::COLOR_SPACE as C;
    let colour_space = match img.color_space {
        C::OPJ_CLRSPC_UNSPECIFIED => ColourSpace::Unspecified,
        C::OPJ_CLRSPC_SRGB => ColourSpace::Srgb,
        C::OPJ_CLRSPC_GRAY => ColourSpace::Gray,
        C::OPJ_CLRSPC_SYCC => ColourSpace::Sycc,
        C::OPJ_CLRSPC_EYCC => ColourSpace::Eycc,
        C::OPJ_CLRSPC_CMYK => ColourSpace::Cmyk,
        C::OPJ_CLRSPC_UNKNOWN => ColourSpace::Unknown,
    };
    let icc_colour = if img.icc_profile_buf.is_null() || img.icc_profile_len < 20 {
        None
    } else {
        // SAFETY: the profile buffer holds `icc_profile_len` (≥ 20) bytes for the image's lifetime.
        let profile =
            unsafe { std::slice::from_raw_parts(img.icc_profile_buf, img.icc_profile_len as usize) };
        let mut tag = [0u8; 4];
        tag.copy_from_slice(&profile[16..20]);
        Some(tag)
    };
    // SAFETY: the codec is live and has read the header; the result is owned by the guard.
    let info = CstrInfoGuard(unsafe { opj::opj_get_cstr_info(codec.0) });
    if info.0.is_null() {
        return Err(OpjError::Internal("opj_get_cstr_info returned null".into()));
    }
    // SAFETY: non-null, owned by the guard for this scope.
    let cstr = unsafe { &*info.0 };
    let tccp = cstr.m_default_tile_info.tccp_info;
    let resolutions = if tccp.is_null() || cstr.nbcomps == 0 {
        return Err(OpjError::Corrupt("no coding style for the components".into()));
    } else {
        // SAFETY: OpenJPEG allocates one opj_tccp_info_t per component (`nbcomps`) in the default tile info.
        let per_comp = unsafe { std::slice::from_raw_parts(tccp, cstr.nbcomps as usize) };
        per_comp.iter().map(|t| t.numresolutions).min().unwrap_or(1)
    };
    Ok(Header {
        x0: img.x0,
        y0: img.y0,
        x1: img.x1,
        y1: img.y1,
        components,
        colour_space,
        icc_colour,
        tile_width: cstr.tdx,
        tile_height: cstr.tdy,
        resolutions,
    })
}

impl Messages {
    fn take(&self) -> Option<String> {
        self.first_error.lock().ok().and_then(|mut e| e.take())
    }

    fn corrupt(&self, what: &str) -> OpjError {
        OpjError::Corrupt(self.with_detail(what))
    }

    fn unsupported(&self, what: &str) -> OpjError {
        OpjError::Unsupported(self.with_detail(what))
    }

    fn error(&self, what: &str) -> OpjError {
        OpjError::Internal(self.with_detail(what))
    }

    fn with_detail(&self, what: &str) -> String {
        match self.take() {
            Some(detail) => format!("{what}: {detail}"),
            None => what.to_string(),
        }
    }
}

fn message(msg: *const c_char) -> String {
    if msg.is_null() {
        return String::new();
    }
    // SAFETY: OpenJPEG passes a NUL-terminated message that lives for the duration of the callback.
    unsafe { CStr::from_ptr(msg) }.to_string_lossy().trim_end().to_string()
}

extern "C" fn on_error(msg: *const c_char, client: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let text = message(msg);
        tracing::debug!(target: "openjpeg", "{text}");
        if !client.is_null() {
            // SAFETY: `client` is the Messages the Session registered and owns; it outlives the codec.
            let messages = unsafe { &*client.cast::<Messages>() };
            if let Ok(mut first) = messages.first_error.lock() {
                // Keep the first error: later ones are usually consequences.
                first.get_or_insert(text);
            }
        }
    }));
}

extern "C" fn on_warning(msg: *const c_char, _client: *mut c_void) {
    let _ = catch_unwind(|| tracing::debug!(target: "openjpeg", "warning: {}", message(msg)));
}

extern "C" fn on_info(msg: *const c_char, _client: *mut c_void) {
    let _ = catch_unwind(|| tracing::trace!(target: "openjpeg", "{}", message(msg)));
}

/// What OpenJPEG's stream functions return for "end of stream" ((OPJ_SIZE_T)-1, (OPJ_OFF_T)-1).
const READ_END: usize = usize::MAX;
const SKIP_END: i64 = -1;

extern "C" fn read_cb(buffer: *mut c_void, n: usize, user: *mut c_void) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() || buffer.is_null() {
            return READ_END;
        }
        // SAFETY: `user` is the Session's MemSource (alive while the stream is); OpenJPEG calls the stream
        // functions from one thread at a time (the decoding thread), so this is the only reference.
        let src = unsafe { &mut *user.cast::<MemSource<'_>>() };
        let rest = src.data.get(src.pos..).unwrap_or(&[]);
        if rest.is_empty() {
            return READ_END;
        }
        let take = rest.len().min(n);
        // SAFETY: OpenJPEG's `buffer` has room for `n` bytes, `take` ≤ `n`, and it does not overlap the
        // borrowed input.
        unsafe { ptr::copy_nonoverlapping(rest.as_ptr(), buffer.cast::<u8>(), take) };
        src.pos += take;
        take
    }))
    .unwrap_or(READ_END)
}

/// Skips `n` bytes (backwards when negative); returns the bytes actually skipped, or -1 at the end (0
/// would make OpenJPEG call again forever).
extern "C" fn skip_cb(n: i64, user: *mut c_void) -> i64 {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() {
            return SKIP_END;
        }
        // SAFETY: as in read_cb.
        let src = unsafe { &mut *user.cast::<MemSource<'_>>() };
        let len = src.data.len();
        if n < 0 {
            let back = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX).min(src.pos);
            src.pos -= back;
            return -(back as i64);
        }
        if src.pos >= len {
            return SKIP_END;
        }
        let forward = usize::try_from(n).unwrap_or(usize::MAX).min(len - src.pos);
        src.pos += forward;
        forward as i64
    }))
    .unwrap_or(SKIP_END)
}

extern "C" fn seek_cb(to: i64, user: *mut c_void) -> i32 {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() {
            return 0;
        }
        // SAFETY: as in read_cb.
        let src = unsafe { &mut *user.cast::<MemSource<'_>>() };
        match usize::try_from(to) {
            Ok(to) if to <= src.data.len() => {
                src.pos = to;
                1
            }
            _ => 0,
        }
    }))
    .unwrap_or(0)
}
