//! Helpers the crate's test files share: the shared fixtures, the two photographs most tests encode, and
//! Debian's OpenJPEG command-line tools the outputs are checked against.
// Each test file uses some of these.
#![allow(dead_code)]

use std::process::Command;

use tessella_core::pixels::decode::png::decode_png;
use tessella_core::pixels::{Budget, Image};
use tessella_openjpeg::OpenJpeg;

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// nemo.jp2 (a lossless 2592×1456 photo) decoded: a real photograph, 6×3 tiles of 512.
pub fn nemo() -> Image {
    OpenJpeg::new(2).decode(&fixture("nemo.jp2"), 0, None, &Budget::default()).expect("nemo decodes")
}

pub fn astronaut() -> Image {
    decode_png(&fixture("astronaut.png"), &Budget::default()).expect("astronaut decodes")
}

pub fn be16(d: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([d[at], d[at + 1]])
}

pub fn be32(d: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]])
}

/// A command-line tool from Debian's libopenjp2-tools (`opj_compress`, `opj_decompress`), or `None` to
/// skip: only when it is missing and TESSELLA_REQUIRE_TOOLS (set by the test command) is unset.
pub fn openjpeg_tool(name: &'static str) -> Option<&'static str> {
    if Command::new(name).arg("-h").output().is_ok() {
        return Some(name);
    }
    assert!(
        std::env::var_os("TESSELLA_REQUIRE_TOOLS").is_none(),
        "{name} is missing and TESSELLA_REQUIRE_TOOLS is set (apt-get install libopenjp2-tools)"
    );
    eprintln!("skipping: {name} not installed (apt-get install libopenjp2-tools)");
    None
}
