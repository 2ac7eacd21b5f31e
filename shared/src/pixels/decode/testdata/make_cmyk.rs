// Not part of the build: the main.rs of a scratch Cargo project depending on `jpeg-encoder` 0.7, which
// writes ycck.jpg and cmyk_plain.jpg (Pillow can write neither). `cargo run -- /tmp/gen`, then generate.py.

use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

/// Six 16×16 patches of CMYK ink (0 = no ink), 48×32.
fn patches() -> Vec<u8> {
    let inks: [[u8; 4]; 6] = [
        [0, 255, 255, 0],
        [255, 0, 255, 0],
        [255, 255, 0, 0],
        [0, 0, 0, 128],
        [64, 128, 0, 32],
        [0, 0, 0, 0],
    ];
    let mut out = Vec::new();
    for y in 0..32 {
        for x in 0..48 {
            out.extend_from_slice(&inks[(y / 16) * 3 + x / 16]);
        }
    }
    out
}

fn main() {
    let ink = patches();
    let dir = std::env::args().nth(1).unwrap();
    // jpeg-encoder stores 255 - ink for Cmyk (the Adobe convention) and converts to YCCK the same way.
    let mut e = Encoder::new_file(format!("{dir}/ycck.jpg"), 95).unwrap();
    e.set_sampling_factor(SamplingFactor::F_1_1);
    e.encode(&ink, 48, 32, ColorType::CmykAsYcck).unwrap();
    // Stored values equal to the ink: what JPEG-in-TIFF (no Adobe marker) holds. APP14 is stripped later.
    let inverted: Vec<u8> = ink.iter().map(|v| 255 - v).collect();
    let mut e = Encoder::new_file(format!("{dir}/cmyk_plain.jpg"), 95).unwrap();
    e.set_sampling_factor(SamplingFactor::F_1_1);
    e.encode(&inverted, 48, 32, ColorType::Cmyk).unwrap();
}
