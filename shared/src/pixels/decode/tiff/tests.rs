//! Round trips through a small TIFF writer: pixels are encoded the way a TIFF writer would (packed,
//! differenced, byte-ordered, compressed), the file is probed, and every tile must decode back to the
//! source pixels exactly. Real files from libvips and libtiff are checked against reference figures.

// A failed unwrap in a test is a failed test with a backtrace, which is what we want.
#![allow(clippy::unwrap_used)]

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::geometry::{Geometry, LevelData};
use crate::pixels::PixelFormat;
use crate::source::SourceBytes;
use crate::source::tiff::{ByteOrder, probe};

const NONE: u16 = 1;
const LZW: u16 = 5;
const DEFLATE: u16 = 8;
const PACKBITS: u16 = 32773;

/// A tile's or strip's place in the image: (x, y, width, rows).
type TileBox = (u32, u32, u32, u32);

/// One test image: what the writer puts in the IFD.
#[derive(Debug, Clone)]
struct Spec {
    width: u32,
    height: u32,
    /// `None`: strips of `rows_per_strip`.
    tile: Option<(u32, u32)>,
    rows_per_strip: u32,
    samples: u16,
    bits: u16,
    photometric: u16,
    compression: u16,
    predictor: u16,
    planar: u16,
    extra: Vec<u16>,
    color_map: Option<Vec<u16>>,
    sample_format: u16,
    big_endian: bool,
}

impl Spec {
    fn new(samples: u16, bits: u16, photometric: u16) -> Spec {
        Spec {
            width: 40,
            height: 27,
            tile: Some((16, 16)),
            rows_per_strip: 5,
            samples,
            bits,
            photometric,
            compression: NONE,
            predictor: 1,
            planar: 1,
            extra: Vec::new(),
            color_map: None,
            sample_format: 1,
            big_endian: false,
        }
    }

    fn gray(bits: u16) -> Spec {
        Spec::new(1, bits, 1)
    }

    fn rgb(bits: u16) -> Spec {
        Spec::new(3, bits, 2)
    }

    fn with_alpha(mut self, kind: u16) -> Spec {
        self.samples += 1;
        self.extra.push(kind);
        self
    }

    fn palette(bits: u16) -> Spec {
        let n = 1usize << bits;
        let entry = |i: usize, k: usize| ((i * k + 40) % 256) as u16 * 257;
        let mut map = Vec::new();
        for k in [37, 91, 13] {
            map.extend((0..n).map(|i| entry(i, k)));
        }
        Spec { color_map: Some(map), ..Spec::new(1, bits, 3) }
    }

    fn strips(self, rows: u32) -> Spec {
        Spec { tile: None, rows_per_strip: rows, ..self }
    }

    fn max(&self) -> u32 {
        (1u32 << self.bits) - 1
    }

    fn planes(&self) -> usize {
        if self.planar == 2 { usize::from(self.samples) } else { 1 }
    }

    /// Source sample `s` of pixel (x, y): gradients with noise, so runs and differences both occur;
    /// zero outside the image (the padding of edge tiles).
    fn value(&self, x: u32, y: u32, s: usize) -> u32 {
        if x >= self.width || y >= self.height {
            return 0;
        }
        let h = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ (s as u32).wrapping_mul(97)) >> 7;
        let smooth = x * 5 + y * 3 + s as u32 * 60;
        let v = if y.is_multiple_of(4) { smooth } else { smooth + (h & 7) };
        let v = match self.bits {
            1 => (x / 3 + y / 2 + s as u32 + (h & 1)) & 1,
            16 => v.wrapping_mul(331).wrapping_add(h & 0xFF),
            _ => v,
        } & self.max();
        // Premultiplied colour never exceeds its alpha.
        match self.extra.first() {
            Some(1) if s + 1 < usize::from(self.samples) => {
                v.min(self.value(x, y, usize::from(self.samples) - 1))
            }
            _ => v,
        }
    }

    /// The tile (or strip) boxes in `level.tiles` order within one plane: (x0, y0, width, rows).
    fn boxes(&self) -> Vec<TileBox> {
        let (tw, th) = self.tile.unwrap_or((self.width, self.rows_per_strip));
        let mut out = Vec::new();
        for row in 0..self.height.div_ceil(th) {
            for col in 0..self.width.div_ceil(tw) {
                let (x0, y0) = (col * tw, row * th);
                let rows = if self.tile.is_some() { th } else { th.min(self.height - y0) };
                out.push((x0, y0, tw, rows));
            }
        }
        out
    }

    /// The stored bytes of one tile of one plane (`None` for chunky), before compression.
    fn raw_tile(&self, (x0, y0, w, rows): TileBox, plane: Option<usize>) -> Vec<u8> {
        let samples: Vec<usize> = match plane {
            Some(p) => vec![p],
            None => (0..usize::from(self.samples)).collect(),
        };
        let mut out = Vec::new();
        for y in y0..y0 + rows {
            let mut row: Vec<u32> = Vec::new();
            for x in x0..x0 + w {
                row.extend(samples.iter().map(|&s| self.value(x, y, s)));
            }
            if self.predictor == 2 {
                let stride = samples.len();
                for i in (stride..row.len()).rev() {
                    row[i] = row[i].wrapping_sub(row[i - stride]) & self.max();
                }
            }
            match self.bits {
                1 => {
                    for chunk in row.chunks(8) {
                        let byte =
                            chunk.iter().enumerate().fold(0u8, |b, (i, &v)| b | ((v as u8) << (7 - i)));
                        out.push(byte);
                    }
                }
                8 => out.extend(row.iter().map(|&v| v as u8)),
                _ => {
                    for v in row {
                        let v = v as u16;
                        out.extend(if self.big_endian { v.to_be_bytes() } else { v.to_le_bytes() });
                    }
                }
            }
        }
        out
    }

    fn tiles(&self) -> Vec<Vec<u8>> {
        let planes: Vec<Option<usize>> =
            if self.planar == 2 { (0..usize::from(self.samples)).map(Some).collect() } else { vec![None] };
        let mut out = Vec::new();
        for plane in planes {
            for b in self.boxes() {
                out.push(compress(self.compression, &self.raw_tile(b, plane)));
            }
        }
        out
    }

    /// What the decoder must produce for one tile, computed independently of it.
    fn expected(&self, (x0, y0, w, rows): TileBox) -> Image {
        let max = self.max();
        let alpha = self.extra.first().copied().filter(|&k| k == 1 || k == 2);
        let wide = self.bits == 16 && self.photometric != 3;
        let colour_samples = usize::from(self.samples) - self.extra.len();
        let mut data = Vec::new();
        let mut push = |v: u32| {
            if wide {
                data.extend((v as u16).to_ne_bytes());
            } else {
                data.push(v as u8);
            }
        };
        for y in y0..y0 + rows {
            for x in x0..x0 + w {
                let s = |i: usize| self.value(x, y, i);
                let scale = |v: u32| if self.bits == 1 { v * 255 } else { v };
                let a = alpha.map(|_| scale(s(colour_samples)));
                let mut colour: Vec<u32> = match self.photometric {
                    0 => vec![scale(max - s(0))],
                    1 => vec![scale(s(0))],
                    2 => (0..3).map(|i| scale(s(i))).collect(),
                    3 => {
                        let map = self.color_map.as_ref().unwrap();
                        let n = 1usize << self.bits;
                        (0..3).map(|k| u32::from(map[k * n + s(0) as usize] >> 8)).collect()
                    }
                    5 => {
                        let m = scale(max);
                        let k = m - scale(s(3));
                        (0..3).map(|i| (m - scale(s(i))) * k / m).collect()
                    }
                    other => panic!("photometric {other}"),
                };
                if alpha == Some(1) {
                    let a = a.unwrap();
                    let m = if wide { 65535.0 } else { 255.0 };
                    for c in &mut colour {
                        *c = if a == 0 { 0 } else { (f64::from(*c) * m / f64::from(a) + 0.5).min(m) as u32 };
                    }
                }
                colour.into_iter().for_each(&mut push);
                if let Some(a) = a {
                    push(if self.photometric == 3 && self.bits == 16 { a >> 8 } else { a });
                }
            }
        }
        let format = match (self.photometric, alpha.is_some(), wide) {
            (0 | 1, false, false) => PixelFormat::L8,
            (0 | 1, true, false) => PixelFormat::La8,
            (0 | 1, false, true) => PixelFormat::L16,
            (0 | 1, true, true) => PixelFormat::La16,
            (_, false, false) => PixelFormat::Rgb8,
            (_, true, false) => PixelFormat::Rgba8,
            (_, false, true) => PixelFormat::Rgb16,
            (_, true, true) => PixelFormat::Rgba16,
        };
        Image::from_raw(w, rows, format, data).unwrap()
    }

    fn entries(&self) -> Vec<(u16, u16, Vec<u32>)> {
        let n = usize::from(self.samples);
        let mut e = vec![
            (256, 4, vec![self.width]),
            (257, 4, vec![self.height]),
            (258, 3, vec![u32::from(self.bits); n]),
            (259, 3, vec![u32::from(self.compression)]),
            (262, 3, vec![u32::from(self.photometric)]),
            (277, 3, vec![n as u32]),
            (284, 3, vec![u32::from(self.planar)]),
        ];
        if self.predictor != 1 {
            e.push((317, 3, vec![u32::from(self.predictor)]));
        }
        if let Some(map) = &self.color_map {
            e.push((320, 3, map.iter().map(|&v| u32::from(v)).collect()));
        }
        if !self.extra.is_empty() {
            e.push((338, 3, self.extra.iter().map(|&v| u32::from(v)).collect()));
        }
        if self.sample_format != 1 {
            e.push((339, 3, vec![u32::from(self.sample_format); n]));
        }
        match self.tile {
            Some((tw, th)) => {
                e.push((322, 4, vec![tw]));
                e.push((323, 4, vec![th]));
            }
            None => e.push((278, 4, vec![self.rows_per_strip])),
        }
        e
    }

    fn build(&self) -> Vec<u8> {
        write_tiff(self.big_endian, self.entries(), &self.tiles(), self.tile.is_some())
    }
}

fn compress(compression: u16, raw: &[u8]) -> Vec<u8> {
    match compression {
        NONE => raw.to_vec(),
        PACKBITS => packbits::tests::encode(raw),
        LZW => weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(raw).unwrap(),
        DEFLATE => miniz_oxide::deflate::compress_to_vec_zlib(raw, 6),
        other => panic!("compression {other}"),
    }
}

/// Writes a classic TIFF: the tiles, then the out-of-line values, then the one IFD. `entries` are (tag,
/// type, values) with type 3 (SHORT) or 4 (LONG); the tile offsets and byte counts are added here.
fn write_tiff(
    big_endian: bool,
    mut entries: Vec<(u16, u16, Vec<u32>)>,
    tiles: &[Vec<u8>],
    tiled: bool,
) -> Vec<u8> {
    let u16b = |v: u16| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
    let u32b = |v: u32| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut buf: Vec<u8> = Vec::new();
    buf.extend_from_slice(if big_endian { b"MM" } else { b"II" });
    buf.extend(u16b(42));
    buf.extend(u32b(0));
    let (mut offsets, mut counts) = (Vec::new(), Vec::new());
    for t in tiles {
        offsets.push(buf.len() as u32);
        counts.push(t.len() as u32);
        buf.extend_from_slice(t);
    }
    let (offsets_tag, counts_tag) = if tiled { (324, 325) } else { (273, 279) };
    entries.push((offsets_tag, 4, offsets));
    entries.push((counts_tag, 4, counts));
    entries.sort_by_key(|e| e.0);
    let mut values = Vec::new();
    for (_, ty, vs) in &entries {
        let raw: Vec<u8> = vs
            .iter()
            .flat_map(|&v| if *ty == 3 { u16b(v as u16).to_vec() } else { u32b(v).to_vec() })
            .collect();
        if raw.len() > 4 {
            if buf.len() % 2 == 1 {
                buf.push(0);
            }
            values.push((Some(buf.len() as u32), raw.clone()));
            buf.extend_from_slice(&raw);
        } else {
            values.push((None, raw));
        }
    }
    if buf.len() % 2 == 1 {
        buf.push(0);
    }
    let ifd = buf.len() as u32;
    buf[4..8].copy_from_slice(&u32b(ifd));
    buf.extend(u16b(entries.len() as u16));
    for ((tag, ty, vs), (at, raw)) in entries.iter().zip(values) {
        buf.extend(u16b(*tag));
        buf.extend(u16b(*ty));
        buf.extend(u32b(vs.len() as u32));
        match at {
            Some(at) => buf.extend(u32b(at)),
            None => {
                buf.extend_from_slice(&raw);
                buf.extend(core::iter::repeat_n(0, 4 - raw.len()));
            }
        }
    }
    buf.extend(u32b(0));
    buf
}

fn probe_level(file: &[u8]) -> (Level, TiffLevel) {
    let g: Geometry = probe(&SourceBytes::from_vec(file.to_vec())).unwrap();
    let level = g.levels[0].clone();
    let LevelData::Tiff(t) = &level.data else { panic!("not a TIFF level") };
    let t = t.clone();
    (level, t)
}

fn bytes_of<'a>(file: &'a [u8], level: &Level, i: usize) -> &'a [u8] {
    let r = level.tiles[i];
    &file[r.start as usize..r.end as usize]
}

/// Decodes tile `i` (in plane 0) of a probed file, fetching the colour map as a caller would.
fn decode_at(
    file: &[u8],
    level: &Level,
    t: &TiffLevel,
    i: usize,
    budget: &Budget,
) -> Result<Image, PixelError> {
    let map = t.color_map.map(|r| color_map_from(&file[r.start as usize..r.end as usize], t).unwrap());
    let tables = LevelTables { color_map: map.as_ref(), jpeg_tables: None };
    if t.planar == Planar::Separate {
        let per_plane = level.tiles.len() / usize::from(t.samples_per_pixel);
        let planes: Vec<&[u8]> =
            (0..usize::from(t.samples_per_pixel)).map(|p| bytes_of(file, level, p * per_plane + i)).collect();
        decode_tile_planes(level, t, i as u32, &planes, tables, budget)
    } else {
        decode_tile(level, t, i as u32, bytes_of(file, level, i), tables, budget)
    }
}

fn first_difference(a: &Image, b: &Image) -> String {
    let at = a.data.iter().zip(&b.data).position(|(x, y)| x != y);
    alloc::format!("{a:?} vs {b:?}, first differing byte {at:?}")
}

/// Builds the file, probes it, decodes every tile and compares with the source pixels.
fn check(spec: &Spec) {
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let boxes = spec.boxes();
    assert_eq!(level.tiles.len(), boxes.len() * spec.planes(), "{spec:?}");
    for (i, b) in boxes.iter().enumerate() {
        let got = decode_at(&file, &level, &t, i, &Budget::default())
            .unwrap_or_else(|e| panic!("{spec:?} tile {i}: {e}"));
        let want = spec.expected(*b);
        assert!(got == want, "{spec:?} tile {i}: {}", first_difference(&got, &want));
    }
}

/// Every compression (and the predictor where it applies), tiled and stripped, both byte orders.
fn variants(base: Spec) -> Vec<Spec> {
    let mut out = Vec::new();
    for (compression, predictor) in [(NONE, 1), (PACKBITS, 1), (LZW, 1), (LZW, 2), (DEFLATE, 1), (DEFLATE, 2)]
    {
        if predictor == 2 && base.bits == 1 {
            continue;
        }
        for strips in [false, true] {
            for big_endian in [false, true] {
                let mut s = Spec { compression, predictor, big_endian, ..base.clone() };
                if strips {
                    s = s.strips(5);
                }
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn gray() {
    for bits in [1, 8, 16] {
        variants(Spec::gray(bits)).iter().for_each(check);
        variants(Spec::new(1, bits, 0)).iter().for_each(check);
    }
}

#[test]
fn gray_alpha() {
    for bits in [8, 16] {
        variants(Spec::gray(bits).with_alpha(2)).iter().for_each(check);
    }
}

#[test]
fn rgb_and_rgba() {
    for bits in [8, 16] {
        variants(Spec::rgb(bits)).iter().for_each(check);
        variants(Spec::rgb(bits).with_alpha(2)).iter().for_each(check);
        variants(Spec::rgb(bits).with_alpha(1)).iter().for_each(check);
    }
}

#[test]
fn extra_samples_that_are_not_alpha_are_dropped() {
    // RGB plus an unspecified sample, and RGB plus one more sample no ExtraSamples tag accounts for.
    check(&Spec::rgb(8).with_alpha(0));
    let spec = Spec { samples: 4, ..Spec::rgb(8) };
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let img = decode_at(&file, &level, &t, 0, &Budget::default()).unwrap();
    assert_eq!(img.format, PixelFormat::Rgb8);
    assert_eq!(
        img.data[..3],
        [spec.value(0, 0, 0) as u8, spec.value(0, 0, 1) as u8, spec.value(0, 0, 2) as u8]
    );
}

#[test]
fn palette() {
    for bits in [1, 8] {
        variants(Spec::palette(bits)).iter().for_each(check);
    }
    // A 16-bit palette decodes to 8-bit RGB.
    check(&Spec { compression: DEFLATE, predictor: 2, ..Spec::palette(16) });
}

#[test]
fn palette_with_8_bit_values_is_taken_as_is() {
    let mut spec = Spec::palette(8);
    let map: Vec<u16> = (0..768).map(|i| (i % 256) as u16).collect();
    spec.color_map = Some(map);
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let img = decode_at(&file, &level, &t, 0, &Budget::default()).unwrap();
    let v = spec.value(0, 0, 0) as u8;
    assert_eq!(img.data[..3], [v, v, v]);
}

#[test]
fn cmyk() {
    variants(Spec::new(4, 8, 5)).iter().for_each(check);
    check(&Spec { compression: LZW, predictor: 2, ..Spec::new(4, 16, 5) });
}

#[test]
fn planar() {
    let planar = |s: Spec| Spec { planar: 2, ..s };
    variants(planar(Spec::rgb(8))).iter().for_each(check);
    variants(planar(Spec::rgb(16).with_alpha(2))).iter().for_each(check);
    variants(planar(Spec::gray(8).with_alpha(1))).iter().for_each(check);
    variants(planar(Spec::rgb(1))).iter().for_each(check);
    variants(planar(Spec::new(4, 8, 5))).iter().for_each(check);
}

#[test]
fn odd_sizes() {
    for (w, h, tile) in [(1, 1, None), (17, 3, Some((16, 16))), (33, 70, Some((32, 16))), (9, 9, None)] {
        for bits in [1, 8, 16] {
            let base = Spec { width: w, height: h, tile, rows_per_strip: 4, ..Spec::gray(bits) };
            variants(base).iter().for_each(check);
        }
        let base = Spec { width: w, height: h, tile, rows_per_strip: 4, ..Spec::rgb(8) };
        variants(base).iter().for_each(check);
    }
}

#[test]
fn a_strip_of_the_whole_image() {
    check(&Spec::rgb(8).strips(1000));
    check(&Spec { compression: LZW, ..Spec::gray(8).strips(27) });
}

/// A YCbCr file written block by block: `h`×`v` luma samples then Cb and Cr, from `luma` per pixel and
/// `cb`, `cr` per block (in block coordinates over the whole image). Returns the file and tile boxes.
fn ycbcr_file(
    width: u32,
    height: u32,
    tile: Option<(u32, u32)>,
    (h, v): (u32, u32),
    compression: u16,
    planes: [fn(u32, u32) -> u8; 3],
) -> (Vec<u8>, Vec<TileBox>) {
    let [luma, cb, cr] = planes;
    let spec = Spec { width, height, tile, rows_per_strip: 4, compression, ..Spec::new(3, 8, 6) };
    let boxes = spec.boxes();
    let mut tiles = Vec::new();
    for &(x0, y0, w, rows) in &boxes {
        let mut raw = Vec::new();
        for by in 0..rows.div_ceil(v) {
            for bx in 0..w.div_ceil(h) {
                for dy in 0..v {
                    for dx in 0..h {
                        raw.push(luma(x0 + bx * h + dx, y0 + by * v + dy));
                    }
                }
                raw.push(cb(x0 / h + bx, y0 / v + by));
                raw.push(cr(x0 / h + bx, y0 / v + by));
            }
        }
        tiles.push(compress(compression, &raw));
    }
    let mut entries = spec.entries();
    entries.push((530, 3, vec![h, v]));
    (write_tiff(false, entries, &tiles, tile.is_some()), boxes)
}

#[test]
fn ycbcr_subsampled() {
    fn luma(x: u32, y: u32) -> u8 {
        ((x * 9 + y * 5) % 256) as u8
    }
    fn cb(bx: u32, by: u32) -> u8 {
        ((bx * 40 + by * 7 + 20) % 256) as u8
    }
    fn cr(bx: u32, by: u32) -> u8 {
        (255 - (bx * 23 + by * 11) % 256) as u8
    }
    for sub in [(1, 1), (2, 1), (2, 2), (4, 2), (4, 4)] {
        for tile in [Some((16, 16)), None] {
            for compression in [NONE, LZW] {
                let (file, boxes) = ycbcr_file(20, 18, tile, sub, compression, [luma, cb, cr]);
                let (level, t) = probe_level(&file);
                assert_eq!(t.ycbcr_subsampling, Some((sub.0 as u8, sub.1 as u8)));
                for (i, &(x0, y0, w, rows)) in boxes.iter().enumerate() {
                    let img = decode_at(&file, &level, &t, i, &Budget::default()).unwrap();
                    assert_eq!((img.width, img.height, img.format), (w, rows, PixelFormat::Rgb8));
                    for y in 0..rows {
                        for x in 0..w {
                            let (gx, gy) = (x0 + x, y0 + y);
                            // Luma and chroma as written: chroma per block of the tile.
                            let (bx, by) = (x0 / sub.0 + x / sub.0, y0 / sub.1 + y / sub.1);
                            let yy = f64::from(luma(gx, gy));
                            let b = f64::from(cb(bx, by)) - 128.0;
                            let r = f64::from(cr(bx, by)) - 128.0;
                            let want = [yy + 1.402 * r, yy - 0.344136 * b - 0.714136 * r, yy + 1.772 * b];
                            let at = ((y * w + x) * 3) as usize;
                            for (k, c) in want.iter().enumerate() {
                                let got = f64::from(img.data[at + k]);
                                assert!(
                                    (got - c.clamp(0.0, 255.0)).abs() <= 1.0,
                                    "{sub:?} {tile:?} tile {i} ({x},{y}) channel {k}: {got} vs {c}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn sparse_tiles_are_zeros() {
    for (spec, fill) in [(Spec::gray(8), 0u8), (Spec::new(1, 8, 0), 255), (Spec::rgb(16), 0)] {
        let file = spec.build();
        let (level, t) = probe_level(&file);
        let img = decode_tile(&level, &t, 1, &[], LevelTables::default(), &Budget::default()).unwrap();
        assert_eq!((img.width, img.height), (16, 16));
        assert!(img.data.iter().all(|&b| b == fill), "{spec:?}");
    }
}

#[test]
fn over_budget_before_allocating() {
    let spec = Spec { compression: DEFLATE, ..Spec::rgb(8) };
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let small = Budget { max_pixels: 100, max_bytes: 1 << 20 };
    let r = decode_at(&file, &level, &t, 0, &small);
    assert!(matches!(r, Err(PixelError::OverBudget { width: 16, height: 16, .. })), "{r:?}");
    let r = decode_at(&file, &level, &t, 0, &Budget { max_pixels: 1 << 20, max_bytes: 700 });
    assert!(matches!(r, Err(PixelError::OverBudget { .. })), "{r:?}");
    // A level claiming 65535-pixel-wide strips of many samples fails on the budget, not on allocation.
    let mut big = level.clone();
    big.width = 65_535;
    big.tile_width = 65_535;
    big.tile_height = 65_535;
    big.height = 65_535;
    let r = decode_tile(&big, &t, 0, &[1, 2, 3], LevelTables::default(), &Budget::default());
    assert!(matches!(r, Err(PixelError::OverBudget { .. })), "{r:?}");
}

#[test]
fn many_samples_are_held_to_the_byte_limit() {
    // Gray output of one byte a pixel from 200 samples a pixel: the intermediate buffer is the large one.
    let mut spec = Spec::gray(8);
    spec.samples = 200;
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let budget = Budget { max_pixels: 1 << 20, max_bytes: 16 * 16 * 100 };
    let r = decode_at(&file, &level, &t, 0, &budget);
    assert!(matches!(r, Err(PixelError::OverBudget { channels: 200, .. })), "{r:?}");
    assert_eq!(decode_at(&file, &level, &t, 0, &Budget::default()).unwrap().format, PixelFormat::L8);
}

fn unsupported_reason(r: Result<Image, PixelError>) -> String {
    match r {
        Err(PixelError::Unsupported { codec: "TIFF", reason }) => reason,
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

#[test]
fn unsupported_says_why() {
    let decode0 = |spec: &Spec| {
        let file = spec.build();
        let (level, t) = probe_level(&file);
        decode_at(&file, &level, &t, 0, &Budget::default())
    };
    let signed = Spec { sample_format: 2, ..Spec::gray(8) };
    assert!(unsupported_reason(decode0(&signed)).contains("signed"));
    let lab = Spec::new(3, 8, 8);
    assert!(unsupported_reason(decode0(&lab)).contains("CieLab"));
    let one_ink = Spec::new(1, 8, 5);
    assert!(unsupported_reason(decode0(&one_ink)).contains("only CMYK"));

    let file = Spec::gray(8).build();
    let (level, mut t) = probe_level(&file);
    t.compression = Compression::Other(50000);
    let r = decode_tile(&level, &t, 0, &[0; 8], LevelTables::default(), &Budget::default());
    assert_eq!(unsupported_reason(r), "compression 50000 is not supported");
    t.compression = Compression::Jpeg;
    let tables = [0xFF, 0xD8, 0xFF, 0xD9];
    let r = decode_tile(
        &level,
        &t,
        0,
        &[0xFF, 0xD8],
        LevelTables { color_map: None, jpeg_tables: Some(&tables) },
        &Budget::default(),
    );
    // JPEG tiles go to the JPEG decoder, which refuses a stream that stops after its SOI.
    assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    // A sparse JPEG tile needs no JPEG decoder.
    let img = decode_tile(&level, &t, 0, &[], LevelTables::default(), &Budget::default()).unwrap();
    assert_eq!(img.format, PixelFormat::L8);

    let file = Spec::palette(1).build();
    let (level, mut t) = probe_level(&file);
    t.predictor = Predictor::Horizontal;
    let r = decode_tile(&level, &t, 0, &[0; 32], LevelTables::default(), &Budget::default());
    assert!(unsupported_reason(r).contains("1-bit"));
}

#[test]
fn caller_mistakes_are_errors() {
    let spec = Spec { planar: 2, ..Spec::rgb(8) };
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let tile = bytes_of(&file, &level, 0);
    let r = decode_tile(&level, &t, 0, tile, LevelTables::default(), &Budget::default());
    assert!(unsupported_reason(r).contains("decode_tile_planes"));
    let r = decode_tile_planes(&level, &t, 0, &[tile, tile], LevelTables::default(), &Budget::default());
    assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    let r =
        decode_tile_planes(&level, &t, 6, &[tile, tile, tile], LevelTables::default(), &Budget::default());
    assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");

    // Chunky levels accept one plane through decode_tile_planes.
    let spec = Spec::rgb(8);
    let file = spec.build();
    let (level, t) = probe_level(&file);
    let tile = bytes_of(&file, &level, 0);
    let r = decode_tile_planes(&level, &t, 0, &[tile], LevelTables::default(), &Budget::default()).unwrap();
    assert!(r == spec.expected(spec.boxes()[0]));

    // A palette tile without its colour map, or with the wrong one.
    let file = Spec::palette(8).build();
    let (level, t) = probe_level(&file);
    let tile = bytes_of(&file, &level, 0);
    let r = decode_tile(&level, &t, 0, tile, LevelTables::default(), &Budget::default());
    assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    let mut one_bit = t.clone();
    one_bit.bits_per_sample = 1;
    let small = color_map_from(&[0; 12], &one_bit).unwrap();
    let tables = LevelTables { color_map: Some(&small), jpeg_tables: None };
    let r = decode_tile(&level, &t, 0, tile, tables, &Budget::default());
    assert!(matches!(r, Err(PixelError::Corrupt { .. })), "{r:?}");
    assert!(matches!(color_map_from(&[0; 11], &one_bit), Err(PixelError::Corrupt { .. })));
}

#[test]
fn color_maps_in_both_byte_orders() {
    let file = Spec::palette(1).build();
    let (_, mut t) = probe_level(&file);
    let values: [u16; 6] = [0, 0xFFFF, 0x1234, 0x8000, 0xFF00, 0x0100];
    for order in [ByteOrder::LittleEndian, ByteOrder::BigEndian] {
        t.byte_order = order;
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|v| if order.is_big_endian() { v.to_be_bytes() } else { v.to_le_bytes() })
            .collect();
        let map = color_map_from(&bytes, &t).unwrap();
        assert_eq!(map.get(0), Some([0, 0x12, 0xFF]));
        assert_eq!(map.get(1), Some([0xFF, 0x80, 0x01]));
        assert_eq!(map.get(2), None);
    }
}

#[test]
fn multipage_fixture_matches_pillow() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/multipage.tif");
    let file = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (level, t) = probe_level(&file);
    let img = decode_at(&file, &level, &t, 0, &Budget::default()).unwrap();
    assert_eq!((img.width, img.height, img.format), (10, 15, PixelFormat::L8));
    // Pillow's `list(Image.open(path).getdata())`: a ramp from 0 to 255 over the 150 pixels, sum 19125.
    assert_eq!(img.data[..10], [0, 2, 3, 5, 7, 9, 10, 12, 14, 15]);
    assert_eq!(img.data[140..], [240, 241, 243, 245, 246, 248, 250, 252, 253, 255]);
    assert_eq!(img.data.iter().map(|&v| u32::from(v)).sum::<u32>(), 19125);
    for (i, &v) in img.data.iter().enumerate() {
        assert_eq!(u32::from(v), (i as u32 * 255 + 74) / 149, "pixel {i}");
    }
}

/// Decodes every tile of a file's first level and crops them into one image, as a caller would.
fn decode_whole(file: &[u8]) -> Image {
    let (level, t) = probe_level(file);
    let (w, h) = (level.width as usize, level.height as usize);
    let planes = if t.planar == Planar::Separate { usize::from(t.samples_per_pixel) } else { 1 };
    let mut whole: Option<Image> = None;
    for i in 0..level.tiles.len() / planes {
        let tile = decode_at(file, &level, &t, i, &Budget::default()).unwrap();
        let out = whole.get_or_insert_with(|| {
            Image::new(level.width, level.height, tile.format, &Budget::default()).unwrap()
        });
        let bpp = tile.format.bytes_per_pixel();
        let columns = level.columns() as usize;
        let x0 = i % columns * level.tile_width as usize;
        let y0 = i / columns * level.tile_height as usize;
        let n = (tile.width as usize).min(w - x0) * bpp;
        for y in 0..(tile.height as usize).min(h - y0) {
            let at = ((y0 + y) * w + x0) * bpp;
            out.data[at..at + n].copy_from_slice(&tile.row(y as u32)[..n]);
        }
    }
    whole.unwrap()
}

/// Per-channel sums and the FNV-1a hash of the samples as little-endian bytes, so the figures hold on
/// any host.
fn statistics(img: &Image) -> (Vec<u64>, u64) {
    let channels = usize::from(img.format.channels());
    let wide = img.format.bytes_per_sample() == 2;
    let samples: Vec<u16> = if wide {
        img.data.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect()
    } else {
        img.data.iter().map(|&b| u16::from(b)).collect()
    };
    let mut sums = vec![0u64; channels];
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for (i, &s) in samples.iter().enumerate() {
        sums[i % channels] += u64::from(s);
        let bytes = if wide { s.to_le_bytes().to_vec() } else { vec![s as u8] };
        for b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    (sums, hash)
}

fn test_data(name: &str) -> Vec<u8> {
    let path = std::format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The reference figures were computed from `vips rawsave` of the same file (libvips 8.14.1 reading it
/// with libtiff 4.5.0); Pillow 13 decodes the 8-bit file to the same pixels.
#[test]
fn vips_lzw_predictor_tiles() {
    let file = test_data("rocket-160-lzw-predictor.tif");
    let (level, t) = probe_level(&file);
    assert_eq!((level.tile_width, level.tile_height, level.tiles.len()), (64, 64, 6));
    assert_eq!((t.compression, t.predictor), (Compression::Lzw, Predictor::Horizontal));
    let img = decode_whole(&file);
    assert_eq!((img.width, img.height, img.format), (160, 107, PixelFormat::Rgb8));
    assert_eq!(statistics(&img), (vec![898_295, 1_052_286, 1_410_770], 0x6896_63c5_17bc_c626));
    let px = |x: usize, y: usize| img.data[(y * 160 + x) * 3..][..3].to_vec();
    assert_eq!((px(0, 0), px(159, 106), px(70, 50)), (vec![17, 33, 59], vec![86, 61, 43], vec![52, 70, 106]));
}

#[test]
fn libtiff_big_endian_16_bit_deflate_strips() {
    let file = test_data("rocket-80-rgb16-deflate-be.tif");
    let (level, t) = probe_level(&file);
    assert_eq!(
        (t.byte_order, t.compression, t.predictor),
        (ByteOrder::BigEndian, Compression::Deflate, Predictor::Horizontal)
    );
    // 53 rows in strips of 8: the last strip has 5.
    assert_eq!((level.tile_height, level.tiles.len()), (8, 7));
    let img = decode_whole(&file);
    assert_eq!((img.width, img.height, img.format), (80, 53, PixelFormat::Rgb16));
    assert_eq!(statistics(&img), (vec![57_468_893, 67_387_824, 90_331_573], 0x9525_c5f8_8912_2bcd));
    let px = |x: usize, y: usize| {
        let at = (y * 80 + x) * 6;
        img.data[at..at + 6].chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect::<Vec<_>>()
    };
    assert_eq!(px(0, 0), [4608, 8704, 15360]);
    assert_eq!(px(79, 52), [7680, 7168, 8704]);
    assert_eq!(px(70, 50), [5120, 6144, 9727]);
}

fn corruptible() -> Vec<Spec> {
    vec![
        Spec { compression: LZW, predictor: 2, ..Spec::rgb(8) },
        Spec { compression: DEFLATE, predictor: 2, big_endian: true, ..Spec::gray(16) },
        Spec { compression: PACKBITS, ..Spec::rgb(8).with_alpha(1).strips(5) },
        Spec { compression: NONE, ..Spec::gray(1) },
        Spec { compression: LZW, ..Spec::palette(8) },
        Spec { compression: DEFLATE, planar: 2, ..Spec::rgb(8) },
    ]
}

proptest! {
    #[test]
    fn corrupt_tiles_are_errors_not_panics(
        which in 0..6usize,
        tile in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let spec = &corruptible()[which];
        let mut file = spec.build();
        let (level, t) = probe_level(&file);
        let per_plane = spec.boxes().len();
        let i = tile.index(per_plane);
        let range = level.tiles[i];
        let (start, end) = (range.start as usize, range.end as usize);
        for (at, byte) in &flips {
            file[start + at.index(end - start)] ^= byte | 1;
        }
        let mut level = level;
        if truncate {
            // Cut to at least a byte: an empty range is a sparse tile, which decodes as zeros.
            level.tiles[i].end = range.start + 1 + cut.index(end - start - 1) as u64;
        }
        let r = decode_at(&file, &level, &t, i, &Budget::default());
        match r {
            Ok(img) => {
                let want = spec.expected(spec.boxes()[i]);
                prop_assert_eq!((img.width, img.height, img.format), (want.width, want.height, want.format));
                // A cut tile that still decodes lost nothing but padding or an end code.
                if truncate && flips.is_empty() {
                    prop_assert!(img == want);
                }
            }
            Err(PixelError::Corrupt { .. }) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
