//! JPEG header probing. The marker segments before the frame header (SOF) hold everything a server must
//! know before decoding: the size, the coding process (a progressive JPEG cannot be decoded in one
//! sequential pass), the EXIF orientation and the Adobe colour transform (which says whether four
//! components are CMYK or YCCK). The walk stops at the first SOF, so the entropy-coded data is never
//! fetched.

use alloc::format;

use super::{SourceBytes, SourceError};
use crate::geometry::{Geometry, Level, LevelData, SourceFormat};

const FORMAT: &str = "JPEG";

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DNL: u8 = 0xDC;
const TEM: u8 = 0x01;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP14: u8 = 0xEE;

/// EXIF tag holding the orientation (TIFF/EP), in IFD0.
const TAG_ORIENTATION: u16 = 0x0112;
const TIFF_SHORT: u16 = 3;
const TIFF_LONG: u16 = 4;

/// What a decoder needs to know about a JPEG before it reads the scan data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u16,
    pub height: u16,
    /// Components in the frame: 1 grey, 3 YCbCr or RGB, 4 CMYK or YCCK.
    pub components: u8,
    /// Sample precision in bits (8 for baseline, 12 for some extended and medical images).
    pub precision: u8,
    /// The SOFn marker code (0xC0..=0xCF), which names the coding process.
    pub sof_marker: u8,
    /// Byte offset of the SOF marker.
    pub sof_offset: u64,
    pub progressive: bool,
    /// EXIF orientation, 1..=8; 1 (as stored) when there is no EXIF or its value is out of range.
    pub orientation: u8,
    /// Whether an APP0 JFIF segment is present (which implies YCbCr for three components).
    pub jfif: bool,
    /// The APP14 Adobe segment's transform flag (0 none: RGB or CMYK, 1 YCbCr, 2 YCCK), when present.
    pub adobe_transform: Option<u8>,
}

impl JpegInfo {
    /// Arithmetic coding (SOF9..SOF15), which many decoders were built without.
    pub fn is_arithmetic(&self) -> bool {
        self.sof_marker >= 0xC8
    }

    /// Lossless coding (SOF3, SOF7, SOF11, SOF15).
    pub fn is_lossless(&self) -> bool {
        self.sof_marker & 0x03 == 0x03
    }

    /// Hierarchical (differential) coding (SOF5..SOF7, SOF13..SOF15).
    pub fn is_hierarchical(&self) -> bool {
        self.sof_marker & 0x04 != 0
    }

    /// Four components: CMYK, or YCCK when the Adobe transform says so.
    pub fn is_cmyk(&self) -> bool {
        self.components == 4
    }

    pub fn is_ycck(&self) -> bool {
        self.components == 4 && self.adobe_transform == Some(2)
    }

    /// The stored (not EXIF-rotated) image as one whole level.
    pub fn geometry(&self) -> Geometry {
        let (width, height) = (u32::from(self.width), u32::from(self.height));
        Geometry {
            format: SourceFormat::Jpeg,
            width,
            height,
            channels: self.components,
            bits_per_sample: self.precision,
            levels: alloc::vec![Level::whole(width, height, LevelData::Whole)],
        }
    }
}

pub fn probe(bytes: &SourceBytes) -> Result<Geometry, SourceError> {
    Ok(jpeg_info(bytes)?.geometry())
}

/// Metadata collected from the segments before the frame header.
#[derive(Debug, Default)]
struct Metadata {
    orientation: Option<u8>,
    jfif: bool,
    adobe_transform: Option<u8>,
}

/// Reads the segments from SOI up to the first frame header.
pub fn jpeg_info(bytes: &SourceBytes) -> Result<JpegInfo, SourceError> {
    if bytes.read(0, 2)? != [0xFF, SOI] {
        return Err(SourceError::corrupt(FORMAT, "no SOI marker"));
    }
    let mut meta = Metadata::default();
    let mut pos = 2u64;
    loop {
        let (marker, at) = next_marker(bytes, pos)?;
        let after = add(at, 2)?;
        match marker {
            m if is_sof(m) => return read_frame(bytes, m, at, meta),
            // Standalone markers carry no length.
            TEM | 0xD0..=0xD7 => {
                pos = after;
                continue;
            }
            SOI | EOI | SOS | DNL => {
                return Err(SourceError::corrupt(
                    FORMAT,
                    format!("marker 0xFF{marker:02X} at {at} before the frame header"),
                ));
            }
            _ => {}
        }
        let len = u64::from(bytes.u16_at(after, true)?);
        if len < 2 {
            return Err(SourceError::corrupt(
                FORMAT,
                format!("segment 0xFF{marker:02X} at {at} has length {len}"),
            ));
        }
        note_segment(bytes, &mut meta, marker, add(after, 2)?, len - 2)?;
        pos = add(after, len)?;
    }
}

fn add(a: u64, b: u64) -> Result<u64, SourceError> {
    a.checked_add(b).ok_or_else(|| SourceError::corrupt(FORMAT, "offset overflows"))
}

/// Finds the marker at `pos`, skipping the fill bytes (0xFF) an encoder may put before it. Returns the
/// marker code and the offset of its final 0xFF, so the segment length follows at that offset + 2.
fn next_marker(bytes: &SourceBytes, pos: u64) -> Result<(u8, u64), SourceError> {
    let first = bytes.u8_at(pos)?;
    if first != 0xFF {
        return Err(SourceError::corrupt(FORMAT, format!("expected a marker at {pos}, found 0x{first:02X}")));
    }
    let mut at = pos;
    loop {
        let code = bytes.u8_at(add(at, 1)?)?;
        match code {
            0xFF => at = add(at, 1)?,
            0x00 => {
                return Err(SourceError::corrupt(
                    FORMAT,
                    format!("stuffed zero where a marker was expected at {at}"),
                ));
            }
            code => return Ok((code, at)),
        }
    }
}

/// SOF0..SOF15 except the codes in that range that are not frame headers: DHT (C4), JPG (C8), DAC (CC).
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Records what the decoder needs from an APPn segment whose body is `len` bytes at `body`.
fn note_segment(
    bytes: &SourceBytes,
    meta: &mut Metadata,
    marker: u8,
    body: u64,
    len: u64,
) -> Result<(), SourceError> {
    match marker {
        APP0 if len >= 5 => meta.jfif |= bytes.read(body, 5)? == b"JFIF\0",
        // Only the first EXIF block counts: later APP1s are XMP or copies.
        APP1 if len >= 6 && meta.orientation.is_none() && bytes.read(body, 6)? == b"Exif\0\0" => {
            meta.orientation = Some(exif_orientation(bytes, add(body, 6)?, len - 6)?.unwrap_or(1));
        }
        // "Adobe", version (2), flags0 (2), flags1 (2), transform (1).
        APP14 if len >= 12 && bytes.read(body, 5)? == b"Adobe" => {
            meta.adobe_transform = Some(bytes.u8_at(add(body, 11)?)?);
        }
        _ => {}
    }
    Ok(())
}

/// The orientation tag of IFD0 in the TIFF structure of `len` bytes at `tiff`. Broken EXIF is common and
/// harmless to the image itself, so anything that does not fit inside the segment yields `None` rather
/// than an error; only a need for more bytes goes back to the caller.
fn exif_orientation(bytes: &SourceBytes, tiff: u64, len: u64) -> Result<Option<u8>, SourceError> {
    if len < 8 {
        return Ok(None);
    }
    let big_endian = match bytes.read(tiff, 4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return Ok(None),
    };
    let ifd = u64::from(bytes.u32_at(add(tiff, 4)?, big_endian)?);
    let Some(entries_start) = ifd.checked_add(2).filter(|&e| e <= len) else { return Ok(None) };
    let count = u64::from(bytes.u16_at(add(tiff, ifd)?, big_endian)?);
    // Entries that run past the segment are ignored rather than fetched from whatever follows it.
    let fitting = count.min((len - entries_start) / 12);
    let entries = bytes.read(add(tiff, entries_start)?, (fitting * 12) as usize)?;
    for entry in entries.chunks_exact(12) {
        let Some(value) = orientation_entry(entry, big_endian) else { continue };
        return Ok((1..=8).contains(&value).then_some(value as u8));
    }
    Ok(None)
}

/// The value of a 12-byte IFD entry if it is the orientation tag.
fn orientation_entry(entry: &[u8], big_endian: bool) -> Option<u32> {
    let u16_at = |i: usize| -> Option<u16> {
        let b = entry.get(i..i + 2)?;
        let a = [*b.first()?, *b.get(1)?];
        Some(if big_endian { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) })
    };
    if u16_at(0)? != TAG_ORIENTATION {
        return None;
    }
    match u16_at(2)? {
        TIFF_SHORT => u16_at(8).map(u32::from),
        // Not what the standard says, but some writers use LONG.
        TIFF_LONG => {
            let b: [u8; 4] = entry.get(8..12)?.try_into().ok()?;
            Some(if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
        }
        _ => None,
    }
}

/// Parses the frame header whose marker's final 0xFF is at `at`.
fn read_frame(bytes: &SourceBytes, marker: u8, at: u64, meta: Metadata) -> Result<JpegInfo, SourceError> {
    let seg = add(at, 2)?;
    let len = bytes.u16_at(seg, true)?;
    if len < 8 {
        return Err(SourceError::corrupt(FORMAT, format!("frame header at {at} has length {len}")));
    }
    // The whole segment, component specifications included: a frame header cut short is a broken file
    // even when the fields we keep survived.
    bytes.read(seg, usize::from(len))?;
    let precision = bytes.u8_at(seg + 2)?;
    let height = bytes.u16_at(seg + 3, true)?;
    let width = bytes.u16_at(seg + 5, true)?;
    let components = bytes.u8_at(seg + 7)?;
    let corrupt = |reason| Err(SourceError::corrupt(FORMAT, reason));
    if components == 0 {
        return corrupt(format!("frame header at {at} has no components"));
    }
    if u32::from(len) != 8 + 3 * u32::from(components) {
        return corrupt(format!("frame header length {len} does not fit {components} components"));
    }
    if !(2..=16).contains(&precision) {
        return corrupt(format!("sample precision {precision}"));
    }
    if width == 0 {
        return corrupt(format!("frame width 0 at {at}"));
    }
    if height == 0 {
        // Height 0 defers it to a DNL marker after the first scan, which we do not read.
        return corrupt(format!("frame height 0 at {at} (height defined by DNL is not supported)"));
    }
    Ok(JpegInfo {
        width,
        height,
        components,
        precision,
        sof_marker: marker,
        sof_offset: at,
        progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
        orientation: meta.orientation.unwrap_or(1),
        jfif: meta.jfif,
        adobe_transform: meta.adobe_transform,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that unwraps fails loudly, which is what it is for.
mod tests {
    use super::super::probe_test_support::{Feeder, fixture, sample};
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn info(file: &[u8]) -> Result<JpegInfo, SourceError> {
        jpeg_info(&SourceBytes::from_vec(file.to_vec()))
    }

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    }

    fn sof(marker: u8, width: u16, height: u16, components: u8) -> Vec<u8> {
        let mut body = vec![8];
        body.extend_from_slice(&height.to_be_bytes());
        body.extend_from_slice(&width.to_be_bytes());
        body.push(components);
        for c in 0..components {
            body.extend_from_slice(&[c + 1, 0x11, 0]);
        }
        segment(marker, &body)
    }

    fn jpeg(segments: &[Vec<u8>]) -> Vec<u8> {
        let mut file = vec![0xFF, SOI];
        for s in segments {
            file.extend_from_slice(s);
        }
        // Stand-in for the scan, which the probe must never need.
        file.extend_from_slice(&[0xFF, SOS, 0, 2, 0xFF, EOI]);
        file
    }

    /// An APP1 EXIF segment whose IFD0 holds a resolution tag, then the orientation tag.
    fn exif(big_endian: bool, orientation: u16) -> Vec<u8> {
        let u16b = |v: u16| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let u32b = |v: u32| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut body = b"Exif\0\0".to_vec();
        body.extend_from_slice(if big_endian { b"MM\0*" } else { b"II*\0" });
        body.extend_from_slice(&u32b(8));
        body.extend_from_slice(&u16b(2));
        for (tag, value) in [(0x011A, 72u16), (TAG_ORIENTATION, orientation)] {
            body.extend_from_slice(&u16b(tag));
            body.extend_from_slice(&u16b(TIFF_SHORT));
            body.extend_from_slice(&u32b(1));
            body.extend_from_slice(&u16b(value));
            body.extend_from_slice(&[0, 0]);
        }
        body.extend_from_slice(&u32b(0));
        segment(APP1, &body)
    }

    fn adobe(transform: u8) -> Vec<u8> {
        segment(APP14, &[b'A', b'd', b'o', b'b', b'e', 0, 100, 0, 0, 0, 0, transform])
    }

    fn assert_corrupt<T: core::fmt::Debug>(r: Result<T, SourceError>) {
        assert!(matches!(r, Err(SourceError::Corrupt { .. })), "{r:?}");
    }

    #[test]
    fn fixtures_probe_to_their_sizes() {
        let cases = [
            (fixture("rocket.jpg"), 640, 427),
            (sample("rocket.jpg"), 640, 427),
            (fixture("hubble_deep_field.jpg"), 1000, 872),
            (fixture("Elephants_5640x3172.jpg"), 5640, 3172),
        ];
        for (file, width, height) in cases {
            let bytes = SourceBytes::from_vec(file);
            let g = probe(&bytes).unwrap();
            assert_eq!(
                super::super::probe(&bytes).as_ref(),
                Ok(&g),
                "the format-sniffing entry point agrees"
            );
            assert_eq!(g.format, SourceFormat::Jpeg);
            assert_eq!((g.width, g.height, g.channels, g.bits_per_sample), (width, height, 3, 8));
            assert_eq!(g.levels, vec![Level::whole(width, height, LevelData::Whole)]);
        }
    }

    #[test]
    fn fixture_details() {
        let hubble = info(&fixture("hubble_deep_field.jpg")).unwrap();
        assert!(!hubble.progressive && !hubble.jfif);
        assert_eq!((hubble.orientation, hubble.adobe_transform), (1, Some(1)));
        let elephants = info(&fixture("Elephants_5640x3172.jpg")).unwrap();
        assert!(elephants.progressive && elephants.jfif);
        assert_eq!((elephants.sof_marker, elephants.orientation, elephants.adobe_transform), (0xC2, 1, None));
        let rocket = info(&fixture("rocket.jpg")).unwrap();
        assert!(!rocket.progressive && rocket.jfif && !rocket.is_arithmetic());
    }

    #[test]
    fn converges_in_few_round_trips() {
        for name in ["rocket.jpg", "hubble_deep_field.jpg", "Elephants_5640x3172.jpg"] {
            let file = fixture(name);
            let whole = info(&file).unwrap();
            // Elephants has a 41 kB EXIF block, so its frame header lies past the first fetch.
            for (feeder, most) in [
                (Feeder::EXACT, 3),
                (Feeder { initial: 16, ..Feeder::EXACT }, 3),
                (Feeder { known_len: false, ..Feeder::EXACT }, 3),
            ] {
                let (got, trips) = feeder.run(&file, jpeg_info);
                assert_eq!(got.as_ref(), Ok(&whole), "{name} {feeder:?}");
                assert!(trips <= most, "{name}: {trips} round trips with {feeder:?}");
            }
            // Sixteen bytes per round trip still gets there, one short read at a time.
            let (got, trips) = Feeder::STINGY.run(&file, jpeg_info);
            assert_eq!(got, Ok(whole), "{name}");
            assert!(trips < 64, "{name}: {trips}");
        }
    }

    #[test]
    fn exif_orientation_both_byte_orders() {
        for big_endian in [false, true] {
            for orientation in 1..=8 {
                let file = jpeg(&[exif(big_endian, orientation), sof(0xC0, 10, 20, 3)]);
                assert_eq!(info(&file).unwrap().orientation, orientation as u8);
            }
            // Out of range is treated as absent.
            let file = jpeg(&[exif(big_endian, 9), sof(0xC0, 10, 20, 3)]);
            assert_eq!(info(&file).unwrap().orientation, 1);
        }
    }

    #[test]
    fn broken_exif_is_ignored() {
        let mut app1 = exif(false, 6);
        // IFD0 offset pointing far outside the segment.
        app1[14..18].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
        let file = jpeg(&[app1, sof(0xC0, 10, 20, 3)]);
        assert_eq!(info(&file).unwrap().orientation, 1);
        // An entry count larger than the segment holds: the entries that fit are still read.
        let mut app1 = exif(true, 6);
        app1[18..20].copy_from_slice(&500u16.to_be_bytes());
        let file = jpeg(&[app1, sof(0xC0, 10, 20, 3)]);
        assert_eq!(info(&file).unwrap().orientation, 6);
    }

    #[test]
    fn adobe_transform_and_cmyk() {
        let ycck = info(&jpeg(&[adobe(2), sof(0xC0, 10, 20, 4)])).unwrap();
        assert!(ycck.is_cmyk() && ycck.is_ycck());
        assert_eq!(ycck.geometry().channels, 4);
        let cmyk = info(&jpeg(&[adobe(0), sof(0xC0, 10, 20, 4)])).unwrap();
        assert!(cmyk.is_cmyk() && !cmyk.is_ycck());
        assert_eq!(cmyk.adobe_transform, Some(0));
    }

    #[test]
    fn huge_claimed_size_is_just_numbers() {
        let g = probe(&SourceBytes::from_vec(jpeg(&[sof(0xC0, 65535, 65535, 3)]))).unwrap();
        assert_eq!((g.width, g.height), (65535, 65535));
    }

    #[test]
    fn every_frame_marker_and_no_false_ones() {
        for m in [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF] {
            let i = info(&jpeg(&[sof(m, 7, 5, 1)])).unwrap();
            assert_eq!((i.sof_marker, i.width, i.height), (m, 7, 5));
            assert_eq!(i.progressive, matches!(m, 0xC2 | 0xC6 | 0xCA | 0xCE), "{m:X}");
        }
        // DHT, JPG and DAC share the range but are skipped as ordinary segments.
        for m in [0xC4, 0xC8, 0xCC] {
            let file = jpeg(&[segment(m, &[1, 2, 3]), sof(0xC1, 7, 5, 1)]);
            assert_eq!(info(&file).unwrap().sof_marker, 0xC1);
        }
        let lossless = info(&jpeg(&[sof(0xCF, 7, 5, 1)])).unwrap();
        assert!(lossless.is_lossless() && lossless.is_hierarchical() && lossless.is_arithmetic());
    }

    #[test]
    fn fill_bytes_and_standalone_markers_are_skipped() {
        let mut file = vec![0xFF, SOI, 0xFF, 0xFF, 0xFF];
        file.extend_from_slice(&segment(APP0, b"JFIF\0\x01\x01"));
        file.extend_from_slice(&[0xFF, TEM, 0xFF, 0xD3]);
        file.extend_from_slice(&[0xFF, 0xFF]);
        file.extend_from_slice(&sof(0xC0, 3, 4, 3));
        let i = info(&file).unwrap();
        assert_eq!((i.width, i.height, i.sof_offset, i.jfif), (3, 4, 22, true));
    }

    #[test]
    fn bad_frame_headers_are_corrupt() {
        assert_corrupt(info(&jpeg(&[sof(0xC0, 10, 10, 0)])));
        assert_corrupt(info(&jpeg(&[sof(0xC0, 0, 10, 3)])));
        assert_corrupt(info(&jpeg(&[sof(0xC0, 10, 0, 3)])));
        let mut short = sof(0xC0, 10, 10, 3);
        short[3] -= 3;
        assert_corrupt(info(&jpeg(&[short])));
        let mut precision = sof(0xC0, 10, 10, 3);
        precision[4] = 0;
        assert_corrupt(info(&jpeg(&[precision])));
    }

    #[test]
    fn bad_marker_structure_is_corrupt() {
        assert_corrupt(info(b"\xFF\xD9"));
        // Scan before frame, EOI before frame, garbage where a marker belongs, a stuffed zero, short length.
        assert_corrupt(info(&jpeg(&[])));
        assert_corrupt(info(&[0xFF, SOI, 0xFF, EOI]));
        assert_corrupt(info(&[0xFF, SOI, 0x12, 0x34, 0, 0]));
        assert_corrupt(info(&[0xFF, SOI, 0xFF, 0x00, 0, 0]));
        assert_corrupt(info(&[0xFF, SOI, 0xFF, 0xE0, 0, 1, 0, 0]));
        // A segment length pointing past the end of the file.
        assert_corrupt(info(&[0xFF, SOI, 0xFF, 0xE0, 0xFF, 0xF0, 0, 0]));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let file = fixture("rocket.jpg");
        let end = info(&file).unwrap().sof_offset as usize + 19;
        for cut in 0..end {
            let known = SourceBytes::from_vec(file[..cut].to_vec());
            assert!(!matches!(jpeg_info(&known), Ok(_) | Err(SourceError::NeedBytes(_))), "cut at {cut}");
            // With no known length a truncated file is just one that needs more bytes.
            let mut unknown = SourceBytes::new(None);
            unknown.insert(0, file[..cut].to_vec());
            assert!(matches!(jpeg_info(&unknown), Err(SourceError::NeedBytes(_))), "cut at {cut}");
        }
    }

    /// The first bytes of each fixture up to and including its frame header.
    fn headers() -> Vec<Vec<u8>> {
        ["rocket.jpg", "hubble_deep_field.jpg"]
            .iter()
            .map(|name| {
                let file = fixture(name);
                let end = info(&file).unwrap().sof_offset as usize + 19;
                file[..end + 64].to_vec()
            })
            .chain([jpeg(&[exif(true, 6), adobe(2), sof(0xC2, 10, 20, 4)])])
            .collect()
    }

    proptest! {
        #[test]
        fn mutated_headers_never_panic(
            which in 0usize..3,
            cut in 0usize..20_000,
            edits in proptest::collection::vec((0usize..20_000, any::<u8>()), 0..8),
            known_len in any::<bool>(),
        ) {
            let mut file = headers().swap_remove(which);
            for (at, byte) in edits {
                let len = file.len();
                file[at % len] = byte;
            }
            file.truncate(cut);
            let mut bytes = SourceBytes::new(known_len.then_some(file.len() as u64));
            bytes.insert(0, file);
            let _ = jpeg_info(&bytes);
            let _ = super::super::probe(&bytes);
        }
    }
}
