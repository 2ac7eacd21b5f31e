//! The only module that calls OpenJPEG's C API. Everything unsafe lives here, behind [`Session`] (decoding:
//! a codec, an in-memory stream over a borrowed `&[u8]` and the decoded image) and [`Encoder`] (encoding:
//! a codec, an image header without pixel planes and an output stream into a growing `Vec<u8>`, fed one
//! tile at a time), each C resource freed by an RAII guard, with OpenJPEG's messages routed to `tracing`
//! and its first error kept for the typed error.
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
            // SAFETY: the pointer came from opj_create_decompress or opj_create_compress, is non-null, and
            // is destroyed only here.
            unsafe { opj::opj_destroy_codec(self.0) };
        }
    }
}

struct StreamGuard(*mut opj::opj_stream_t);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_stream_create, is non-null, and is destroyed only here. No
            // free-user-data function was set, so destroying it does not touch the MemSource or MemSink.
            unsafe { opj::opj_stream_destroy(self.0) };
        }
    }
}

struct ImageGuard(*mut opj::opj_image_t);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from opj_read_header or opj_image_tile_create, is non-null, and is
            // destroyed only here (which also frees any component data OpenJPEG allocated for it).
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

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

/// Everything OpenJPEG's encoder is told, already checked and clamped by the caller (`encode.rs`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EncodeSetup {
    pub width: u32,
    pub height: u32,
    /// 1 to 4; the last is alpha when `alpha`.
    pub components: u32,
    /// 8 or 16 bits, unsigned.
    pub precision: u32,
    pub gray: bool,
    pub alpha: bool,
    pub tile_width: u32,
    pub tile_height: u32,
    /// Decomposition levels + 1.
    pub resolutions: u32,
    /// Precinct sizes (width, height) per resolution, from the highest resolution down; one per
    /// resolution (OpenJPEG halves the last one given for each further level, so all are given).
    pub precincts: Vec<(u32, u32)>,
    pub code_block: u32,
    /// `None`: reversible 5-3, lossless. `Some(ratio)`: irreversible 9-7 at that compression ratio.
    pub rate: Option<f32>,
    pub container: Container,
    pub threads: u32,
    /// Early termination of code-block coding (the vendored OpenJPEG's `EARLY_TERMINATION=YES`): passes
    /// that rate allocation would drop are not coded. Only acts on lossy encodes.
    pub early_termination: bool,
    /// The most bytes the output may grow to (a bound on the allocation, far above any real output).
    pub max_output: usize,
}

/// The output stream's state: the bytes written so far and the position OpenJPEG writes at (it seeks back
/// to patch box lengths in JP2).
struct MemSink {
    data: Vec<u8>,
    pos: usize,
    max: usize,
    /// Set when a write would pass `max` or the allocation failed; the typed error says which.
    overflow: bool,
}

/// An encode in progress: the codec, the image header (no pixel planes: tiles come through
/// [`Encoder::write_tile`]) and the stream into a `Vec<u8>`. Field order is drop order: codec, stream and
/// image go before the sink and the message state they point at.
pub(crate) struct Encoder {
    codec: CodecGuard,
    stream: StreamGuard,
    _image: ImageGuard,
    sink: Box<MemSink>,
    messages: Box<Messages>,
    tiles: u32,
    next_tile: u32,
}

/// COD's Scod bits: user-defined precincts, SOP before each packet, EPH after each packet header.
pub(crate) const CSTY_PRECINCTS: i32 = 0x01;
pub(crate) const CSTY_SOP: i32 = 0x02;
pub(crate) const CSTY_EPH: i32 = 0x04;

impl Encoder {
    /// Creates the codec, sets every coding parameter, and writes the main header into the stream.
    pub(crate) fn start(setup: &EncodeSetup) -> Result<Encoder, OpjError> {
        let messages = Box::new(Messages::default());
        let n = setup.components;
        if !(1..=4).contains(&n) || setup.precincts.len() != setup.resolutions as usize {
            return Err(OpjError::Internal("inconsistent encoder setup".into()));
        }
        let to_i32 = |v: u32, what: &str| {
            i32::try_from(v).map_err(|_| OpjError::Unsupported(format!("{what} {v} is over 2^31")))
        };
        let format = match setup.container {
            Container::Jp2 => opj::CODEC_FORMAT::OPJ_CODEC_JP2,
            Container::J2k => opj::CODEC_FORMAT::OPJ_CODEC_J2K,
        };
        // SAFETY: plain constructor; a null result is handled below.
        let codec = CodecGuard(unsafe { opj::opj_create_compress(format) });
        if codec.0.is_null() {
            return Err(OpjError::Internal("opj_create_compress returned null".into()));
        }
        let client = ptr::from_ref::<Messages>(&messages).cast_mut().cast::<c_void>();
        // SAFETY: the codec is live; the handlers are `extern "C"` functions that never unwind; `client`
        // points at the boxed Messages, which the Encoder owns and drops after the codec.
        unsafe {
            opj::opj_set_error_handler(codec.0, Some(on_error), client);
            opj::opj_set_warning_handler(codec.0, Some(on_warning), client);
            opj::opj_set_info_handler(codec.0, Some(on_info), client);
        }

        // SAFETY: opj_cparameters_t is a plain C struct (integers, floats, char arrays and null-able
        // pointers); all-zero is a valid value, which opj_set_default_encoder_parameters then fills in.
        let mut params: opj::opj_cparameters_t = unsafe { std::mem::zeroed() };
        // SAFETY: `params` is a valid, exclusively borrowed struct.
        unsafe { opj::opj_set_default_encoder_parameters(&mut params) };
        params.tile_size_on = 1;
        params.cp_tx0 = 0;
        params.cp_ty0 = 0;
        params.cp_tdx = to_i32(setup.tile_width, "tile width")?;
        params.cp_tdy = to_i32(setup.tile_height, "tile height")?;
        params.numresolution = to_i32(setup.resolutions, "resolutions")?;
        params.cblockw_init = to_i32(setup.code_block, "code-block size")?;
        params.cblockh_init = params.cblockw_init;
        params.prog_order = opj::PROG_ORDER::OPJ_RPCL;
        params.csty = CSTY_PRECINCTS | CSTY_SOP | CSTY_EPH;
        params.res_spec = params.numresolution;
        for (i, &(w, h)) in setup.precincts.iter().enumerate() {
            params.prcw_init[i] = to_i32(w, "precinct width")?;
            params.prch_init[i] = to_i32(h, "precinct height")?;
        }
        // One tile-part per resolution (RPCL: resolution is the outermost loop, so each tile-part holds
        // exactly one resolution's packets).
        params.tp_on = 1;
        params.tp_flag = b'R' as c_char;
        params.tcp_numlayers = 1;
        params.cp_disto_alloc = 1;
        params.tcp_mct = c_char::from(n >= 3);
        match setup.rate {
            Some(ratio) => {
                params.irreversible = 1;
                params.tcp_rates[0] = ratio;
            }
            None => {
                params.irreversible = 0;
                // 0: no rate limit, every bit-plane kept (lossless with the reversible path).
                params.tcp_rates[0] = 0.0;
            }
        }

        let comp = opj::opj_image_cmptparm_t {
            dx: 1,
            dy: 1,
            w: setup.width,
            h: setup.height,
            x0: 0,
            y0: 0,
            prec: setup.precision,
            bpp: setup.precision,
            sgnd: 0,
        };
        let mut comps = vec![comp; n as usize];
        let colour =
            if setup.gray { opj::COLOR_SPACE::OPJ_CLRSPC_GRAY } else { opj::COLOR_SPACE::OPJ_CLRSPC_SRGB };
        // SAFETY: `comps` holds `n` initialised component parameters, read during the call only. The
        // result (an image header whose components have no data) is owned by the guard; null is handled.
        let image = ImageGuard(unsafe { opj::opj_image_tile_create(n, comps.as_mut_ptr(), colour) });
        if image.0.is_null() {
            return Err(OpjError::Internal("opj_image_tile_create returned null".into()));
        }
        {
            // SAFETY: non-null, freshly created and exclusively owned by the guard; no other reference.
            let img = unsafe { &mut *image.0 };
            img.x0 = 0;
            img.y0 = 0;
            img.x1 = setup.width;
            img.y1 = setup.height;
            if setup.alpha {
                if img.comps.is_null() || img.numcomps != n {
                    return Err(OpjError::Internal("the image has no components".into()));
                }
                // SAFETY: OpenJPEG allocated `numcomps` (= n) components at `comps`; exclusive as above.
                let cs = unsafe { std::slice::from_raw_parts_mut(img.comps, n as usize) };
                // 1: opacity. The JP2 writer turns this into a channel definition (cdef) box.
                cs[n as usize - 1].alpha = 1;
            }
        }

        // SAFETY: codec, params and image are live and initialised; OpenJPEG copies what it needs.
        if unsafe { opj::opj_setup_encoder(codec.0, &mut params, image.0) } == 0 {
            return Err(messages.unsupported("opj_setup_encoder refused the parameters"));
        }
        // PLT markers: packet lengths in each tile-part header, for readers that fetch precincts by range.
        // TLM markers: every tile-part's length in the main header, so a reader finds any tile from the
        // header alone (Kakadu's ORGgen_tlm; tessella's origin and edge read tiles by range with it).
        // EARLY_TERMINATION: an option of the vendored OpenJPEG (vendor/openjpeg-sys), see its tcd.c.
        let plt = c"PLT=YES";
        let tlm = c"TLM=YES";
        let early = if setup.early_termination { c"EARLY_TERMINATION=YES" } else { c"EARLY_TERMINATION=NO" };
        let options: [*const c_char; 4] = [plt.as_ptr(), tlm.as_ptr(), early.as_ptr(), ptr::null()];
        // SAFETY: codec live and set up; `options` is a null-terminated array of NUL-terminated strings
        // that outlive the call (OpenJPEG only reads them during it).
        if unsafe { opj::opj_encoder_set_extra_options(codec.0, options.as_ptr()) } == 0 {
            return Err(messages.error("opj_encoder_set_extra_options(PLT, TLM, EARLY_TERMINATION) failed"));
        }
        if setup.threads > 1 {
            // SAFETY: the codec is live, set up, and has not started compressing (the thread pool can only
            // be set before the tile coder exists); failure only means one thread.
            let ok = unsafe {
                opj::opj_has_thread_support() != 0
                    && opj::opj_codec_set_threads(codec.0, i32::try_from(setup.threads).unwrap_or(i32::MAX))
                        != 0
            };
            if !ok {
                tracing::debug!(threads = setup.threads, "OpenJPEG: threads not available, encoding on one");
            }
        }

        let mut sink = Box::new(MemSink { data: Vec::new(), pos: 0, max: setup.max_output, overflow: false });
        // SAFETY: creates an output stream with a 1 MiB write buffer; null is handled below.
        let stream = StreamGuard(unsafe { opj::opj_stream_create(1 << 20, 0) });
        if stream.0.is_null() {
            return Err(OpjError::Internal("opj_stream_create returned null".into()));
        }
        let user = ptr::from_mut::<MemSink>(&mut sink).cast::<c_void>();
        // SAFETY: the stream is live; `user` points at the boxed MemSink, which the Encoder owns and drops
        // after the stream and the codec, so the callbacks never see a dangling pointer; no free function is
        // given, so OpenJPEG never frees it.
        unsafe {
            opj::opj_stream_set_write_function(stream.0, Some(write_cb));
            opj::opj_stream_set_skip_function(stream.0, Some(out_skip_cb));
            opj::opj_stream_set_seek_function(stream.0, Some(out_seek_cb));
            opj::opj_stream_set_user_data(stream.0, user, None);
        }
        // SAFETY: codec, image and stream are live and set up; the image header is copied by OpenJPEG.
        if unsafe { opj::opj_start_compress(codec.0, image.0, stream.0) } == 0 {
            return Err(sink_or(&sink, messages.error("opj_start_compress failed")));
        }
        let tiles = setup.width.div_ceil(setup.tile_width) * setup.height.div_ceil(setup.tile_height);
        Ok(Encoder { codec, stream, _image: image, sink, messages, tiles, next_tile: 0 })
    }

    /// Encodes the next tile (raster order). `data` holds the tile's samples component after component,
    /// rows top to bottom: one byte per sample at 8 bits, native-endian `u16` at 16 bits.
    pub(crate) fn write_tile(&mut self, data: &[u8]) -> Result<(), OpjError> {
        if self.next_tile >= self.tiles {
            return Err(OpjError::Internal("more tiles than the image has".into()));
        }
        let len = u32::try_from(data.len())
            .map_err(|_| OpjError::Unsupported("a tile of more than 4 GiB of samples".into()))?;
        // SAFETY: codec and stream are live and compression has started. OpenJPEG takes `*mut` but only
        // reads `len` bytes from `data` (opj_tcd_copy_tile_data copies them into its own buffers, after
        // checking `len` is exactly the tile's size), so a pointer derived from the shared slice is sound.
        let ok = unsafe {
            opj::opj_write_tile(self.codec.0, self.next_tile, data.as_ptr().cast_mut(), len, self.stream.0)
        };
        if ok == 0 {
            let e = self.messages.error(&format!("encoding tile {} failed", self.next_tile));
            return Err(sink_or(&self.sink, e));
        }
        self.next_tile += 1;
        Ok(())
    }

    /// Writes the end of the codestream (and, for JP2, patches the box lengths) and returns the file.
    pub(crate) fn finish(mut self) -> Result<Vec<u8>, OpjError> {
        if self.next_tile != self.tiles {
            return Err(OpjError::Internal(format!("{} of {} tiles written", self.next_tile, self.tiles)));
        }
        // SAFETY: codec and stream are live; every tile has been written.
        if unsafe { opj::opj_end_compress(self.codec.0, self.stream.0) } == 0 {
            return Err(sink_or(&self.sink, self.messages.error("opj_end_compress failed")));
        }
        // Destroy the stream first: it flushes nothing more (opj_end_compress flushed), but it must not
        // outlive the sink it points at once the bytes are taken.
        drop(std::mem::replace(&mut self.stream, StreamGuard(ptr::null_mut())));
        Ok(std::mem::take(&mut self.sink.data))
    }
}

/// The overflow error when the sink gave up, else `other`.
fn sink_or(sink: &MemSink, other: OpjError) -> OpjError {
    if sink.overflow {
        OpjError::Internal(format!("the output passed its {} byte bound or could not be allocated", sink.max))
    } else {
        other
    }
}

/// What OpenJPEG's write function returns for a failed write ((OPJ_SIZE_T)-1).
const WRITE_FAILED: usize = usize::MAX;

extern "C" fn write_cb(buffer: *mut c_void, n: usize, user: *mut c_void) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() || (buffer.is_null() && n > 0) {
            return WRITE_FAILED;
        }
        // SAFETY: `user` is the Encoder's MemSink (alive while the stream is); OpenJPEG calls the stream
        // functions from one thread at a time (the encoding thread), so this is the only reference.
        let sink = unsafe { &mut *user.cast::<MemSink>() };
        let Some(end) = sink.pos.checked_add(n).filter(|&end| end <= sink.max) else {
            sink.overflow = true;
            return WRITE_FAILED;
        };
        if end > sink.data.len() {
            if sink.data.try_reserve(end - sink.data.len()).is_err() {
                sink.overflow = true;
                return WRITE_FAILED;
            }
            sink.data.resize(end, 0);
        }
        if n > 0 {
            // SAFETY: OpenJPEG's `buffer` holds `n` readable bytes for the call; the destination range
            // `pos..pos + n` is inside `data` (resized above) and does not overlap OpenJPEG's buffer.
            let src = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), n) };
            sink.data[sink.pos..end].copy_from_slice(src);
        }
        sink.pos = end;
        n
    }))
    .unwrap_or(WRITE_FAILED)
}

/// Moves the write position by `n` (forward: the gap is zero-filled when written past); returns `n`, or
/// -1 when it would leave the bounds.
extern "C" fn out_skip_cb(n: i64, user: *mut c_void) -> i64 {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() {
            return SKIP_END;
        }
        // SAFETY: as in write_cb.
        let sink = unsafe { &mut *user.cast::<MemSink>() };
        let to = i64::try_from(sink.pos).ok().and_then(|p| p.checked_add(n));
        match to.and_then(|t| usize::try_from(t).ok()) {
            Some(to) if to <= sink.max => {
                if to > sink.data.len() {
                    if sink.data.try_reserve(to - sink.data.len()).is_err() {
                        sink.overflow = true;
                        return SKIP_END;
                    }
                    sink.data.resize(to, 0);
                }
                sink.pos = to;
                n
            }
            _ => SKIP_END,
        }
    }))
    .unwrap_or(SKIP_END)
}

extern "C" fn out_seek_cb(to: i64, user: *mut c_void) -> i32 {
    catch_unwind(AssertUnwindSafe(|| {
        if user.is_null() {
            return 0;
        }
        // SAFETY: as in write_cb.
        let sink = unsafe { &mut *user.cast::<MemSink>() };
        match usize::try_from(to) {
            Ok(to) if to <= sink.data.len() => {
                sink.pos = to;
                1
            }
            _ => 0,
        }
    }))
    .unwrap_or(0)
}
