//! Benchmark harness for docs/jp2-decoder.md: decodes a JPEG 2000 file with the openjp2 crate (C API, own
//! in-memory stream), hayro-jpeg2000 directly, or tessella-core's decode_jp2, and prints the time.
//! Usage: jp2-bench opj|hayro|tessella FILE REDUCE [X,Y,W,H|-] [OUT.ppm]
use std::ffi::c_void;
use std::time::Instant;

struct Mem { data: Vec<u8>, pos: usize }

unsafe extern "C" fn rd(buf: *mut c_void, n: usize, user: *mut c_void) -> usize {
    let m = unsafe { &mut *(user as *mut Mem) };
    let left = m.data.len() - m.pos;
    if left == 0 { return usize::MAX; } // (OPJ_SIZE_T)-1 = end of stream
    let k = n.min(left);
    unsafe { std::ptr::copy_nonoverlapping(m.data.as_ptr().add(m.pos), buf as *mut u8, k) };
    m.pos += k;
    k
}
// skip returns the number of bytes skipped (the bug in jpeg2k 0.10.1 returned the new position)
unsafe extern "C" fn sk(n: i64, user: *mut c_void) -> i64 {
    let m = unsafe { &mut *(user as *mut Mem) };
    let target = (m.pos as i64 + n).clamp(0, m.data.len() as i64);
    let skipped = target - m.pos as i64;
    m.pos = target as usize;
    skipped
}
unsafe extern "C" fn sekf(off: i64, user: *mut c_void) -> i32 {
    let m = unsafe { &mut *(user as *mut Mem) };
    if off < 0 || off as usize > m.data.len() { return 0; }
    m.pos = off as usize;
    1
}
unsafe extern "C" fn fr(user: *mut c_void) { drop(unsafe { Box::from_raw(user as *mut Mem) }); }

/// Returns (width, height, channels, interleaved 8-bit samples)
fn opj(data: &[u8], reduce: u32, region: Option<(u32, u32, u32, u32)>) -> (u32, u32, usize, Vec<u8>) {
    use openjp2::openjpeg::*;
    unsafe {
        let jp2 = data.starts_with(&[0, 0, 0, 12]);
        let codec = opj_create_decompress(if jp2 { openjp2::CODEC_FORMAT::OPJ_CODEC_JP2 } else { openjp2::CODEC_FORMAT::OPJ_CODEC_J2K });
        let mut params = opj_dparameters_t::default();
        opj_set_default_decoder_parameters(&mut params);
        params.cp_reduce = reduce;
        assert!(opj_setup_decoder(codec, &mut params) != 0);
        let stream = opj_stream_create(1 << 20, 1);
        let user = Box::into_raw(Box::new(Mem { data: data.to_vec(), pos: 0 }));
        opj_stream_set_user_data(stream, user as *mut c_void, Some(fr));
        opj_stream_set_user_data_length(stream, data.len() as u64);
        opj_stream_set_read_function(stream, Some(rd));
        opj_stream_set_skip_function(stream, Some(sk));
        opj_stream_set_seek_function(stream, Some(sekf));
        let mut image: *mut openjp2::opj_image = std::ptr::null_mut();
        assert!(opj_read_header(stream, codec, &mut image) != 0, "header");
        if let Some((x, y, w, h)) = region {
            // decode area is on the reference grid (full resolution)
            let s = 1i32 << reduce;
            assert!(opj_set_decode_area(codec, image, x as i32 * s, y as i32 * s, ((x + w) as i32) * s, ((y + h) as i32) * s) != 0);
        }
        assert!(opj_decode(codec, stream, image) != 0, "decode");
        assert!(opj_end_decompress(codec, stream) != 0);
        let img = &*image;
        let comps = std::slice::from_raw_parts(img.comps, img.numcomps as usize);
        let (w, h) = (comps[0].w, comps[0].h);
        let n = comps.len();
        let mut out = vec![0u8; (w * h) as usize * n];
        for (c, comp) in comps.iter().enumerate() {
            let d = std::slice::from_raw_parts(comp.data, (w * h) as usize);
            for (i, v) in d.iter().enumerate() { out[i * n + c] = (*v).clamp(0, 255) as u8; }
        }
        opj_stream_destroy(stream);
        opj_destroy_codec(codec);
        (w, h, n, out)
    }
}

fn hayro(data: &[u8], reduce: u32) -> (u32, u32, usize, Vec<u8>) {
    let probe = hayro_jpeg2000::Image::new(data, &Default::default()).unwrap();
    let (w, h) = (probe.width(), probe.height());
    let settings = hayro_jpeg2000::DecodeSettings { target_resolution: Some(((w >> reduce).max(1), (h >> reduce).max(1))), ..Default::default() };
    let img = hayro_jpeg2000::Image::new(data, &settings).unwrap();
    let mut ctx = hayro_jpeg2000::DecoderContext::default();
    let d = img.decode(&mut ctx).unwrap();
    let n = d.components().len();
    let out = d.data_u8();
    (img.width(), img.height(), n, out)
}

fn tessella(data: &[u8], reduce: u32, region: Option<(u32, u32, u32, u32)>) -> (u32, u32, usize, Vec<u8>) {
    use tessella_core::pixels::decode::jp2::{decode_jp2, Region};
    let budget = tessella_core::pixels::Budget { max_pixels: u64::MAX, max_bytes: u64::MAX };
    let r = region.map(|(x, y, w, h)| Region { x, y, w, h });
    let img = decode_jp2(data, reduce as u8, r, &budget).unwrap();
    let n = img.format.channels() as usize;
    (img.width, img.height, n, img.data)
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let which = a[1].as_str();
    let data = std::fs::read(&a[2]).unwrap();
    let reduce: u32 = a[3].parse().unwrap();
    let region = a.get(4).filter(|s| s.as_str() != "-").map(|s| {
        let v: Vec<u32> = s.split(',').map(|x| x.parse().unwrap()).collect();
        (v[0], v[1], v[2], v[3])
    });
    let t = Instant::now();
    let (w, h, n, mut px) = match which {
        "opj" => opj(&data, reduce, region),
        "hayro" => hayro(&data, reduce),
        "tessella" => tessella(&data, reduce, region),
        _ => panic!(),
    };
    // hayro raw has no region support: crop after full decode
    if which == "hayro" { if let Some((x, y, rw, rh)) = region {
        let mut c = Vec::with_capacity((rw * rh) as usize * n);
        for row in y..y + rh { let s = ((row * w + x) as usize) * n; c.extend_from_slice(&px[s..s + rw as usize * n]); }
        px = c; 
        let el = t.elapsed();
        println!("{which} {w}x{h}x{n} -> {rw}x{rh} in {:.1} ms", el.as_secs_f64() * 1e3);
        if let Some(o) = a.get(5) { write_pnm(o, rw, rh, n, &px); }
        return;
    }}
    let el = t.elapsed();
    println!("{which} {w}x{h}x{n} in {:.1} ms", el.as_secs_f64() * 1e3);
    if let Some(o) = a.get(5) { write_pnm(o, w, h, n, &px); }
}

fn write_pnm(path: &str, w: u32, h: u32, n: usize, px: &[u8]) {
    let mut f = format!("{}\n{} {}\n255\n", if n == 1 { "P5" } else { "P6" }, w, h).into_bytes();
    if n == 1 || n == 3 { f.extend_from_slice(px); } else { for p in px.chunks(n) { f.extend_from_slice(&p[..3]); } }
    std::fs::write(path, f).unwrap();
}
