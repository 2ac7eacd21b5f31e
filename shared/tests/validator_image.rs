//! The official IIIF validator's image through every region, size, rotation and quality family the
//! validator (1.0.5) requests, rendered by the core end to end (probe → resolve → plan → render) and
//! checked the way the validator checks: the dominant colour of each 10×10 square stays within 5 of
//! the validator's own colour table. Where the validator samples 5 random squares, this test checks all
//! 100.

use std::collections::HashMap;

use tessella_core::iiif::{Limits, Route, Version, parse_path, resolve};
use tessella_core::pixels::decode::{jpeg, png};
use tessella_core::pixels::{Budget, Image, PixelFormat};
use tessella_core::render::{RenderOptions, Rendered, ranges, render};
use tessella_core::source::{SourceBytes, probe};
use tessella_core::{Geometry, plan};

const ID: &str = "67352ccc-d1b0-11e1-89ae-279075081939";

/// The validator's `colorInfo[x][y]`: column x, row y.
const COLORS: [[(u8, u8, u8); 10]; 10] = [
    [
        (61, 170, 126),
        (61, 107, 178),
        (82, 85, 234),
        (164, 122, 110),
        (129, 226, 88),
        (91, 37, 121),
        (138, 128, 42),
        (6, 85, 234),
        (121, 109, 204),
        (65, 246, 84),
    ],
    [
        (195, 133, 120),
        (171, 43, 102),
        (118, 45, 130),
        (242, 105, 171),
        (5, 85, 105),
        (113, 58, 41),
        (223, 69, 3),
        (45, 79, 140),
        (35, 117, 248),
        (121, 156, 184),
    ],
    [
        (168, 92, 163),
        (28, 91, 143),
        (86, 41, 173),
        (111, 230, 29),
        (174, 189, 7),
        (18, 139, 88),
        (93, 168, 128),
        (35, 2, 14),
        (204, 105, 137),
        (18, 86, 128),
    ],
    [
        (107, 55, 178),
        (251, 40, 184),
        (47, 36, 139),
        (2, 127, 170),
        (224, 12, 114),
        (133, 67, 108),
        (239, 174, 209),
        (85, 29, 156),
        (8, 55, 188),
        (240, 125, 7),
    ],
    [
        (112, 167, 30),
        (166, 63, 161),
        (232, 227, 23),
        (74, 80, 135),
        (79, 97, 47),
        (145, 160, 80),
        (45, 160, 79),
        (12, 54, 215),
        (203, 83, 70),
        (78, 28, 46),
    ],
    [
        (102, 193, 63),
        (225, 55, 91),
        (107, 194, 147),
        (167, 24, 95),
        (249, 214, 96),
        (167, 34, 136),
        (53, 254, 209),
        (172, 222, 21),
        (153, 77, 51),
        (137, 39, 183),
    ],
    [
        (159, 182, 192),
        (128, 252, 173),
        (148, 162, 90),
        (192, 165, 115),
        (154, 102, 2),
        (107, 237, 62),
        (111, 236, 219),
        (129, 113, 172),
        (239, 204, 166),
        (60, 96, 37),
    ],
    [
        (72, 172, 227),
        (119, 51, 100),
        (209, 85, 165),
        (87, 172, 159),
        (188, 42, 162),
        (99, 3, 54),
        (7, 42, 37),
        (105, 155, 100),
        (38, 220, 240),
        (98, 46, 2),
    ],
    [
        (18, 223, 145),
        (189, 121, 17),
        (88, 3, 210),
        (181, 16, 43),
        (189, 39, 244),
        (123, 147, 116),
        (246, 148, 214),
        (223, 177, 199),
        (77, 18, 136),
        (235, 36, 21),
    ],
    [
        (146, 137, 176),
        (84, 248, 55),
        (61, 144, 79),
        (110, 251, 49),
        (43, 105, 132),
        (165, 131, 55),
        (60, 23, 225),
        (147, 197, 226),
        (80, 67, 104),
        (161, 119, 182),
    ],
];

struct Source {
    bytes: SourceBytes,
    geometry: Geometry,
    len: u64,
}

fn source() -> Source {
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../samples/67352ccc-d1b0-11e1-89ae-279075081939.png"
    ))
    .expect("validator image");
    let len = data.len() as u64;
    let bytes = SourceBytes::from_vec(data);
    let geometry = probe(&bytes).expect("probe");
    Source { bytes, geometry, len }
}

/// Renders `{region}/{size}/{rotation}/{quality}.{format}` under `version` and decodes the result.
fn get(src: &Source, version: Version, params: &str) -> Image {
    let Ok(Route::Image(req)) = parse_path(version, &format!("{ID}/{params}")) else {
        panic!("{params} did not parse")
    };
    let resolved = resolve(&req, 1000, 1000, &Limits::default()).unwrap_or_else(|e| panic!("{params}: {e}"));
    let p = plan(&src.geometry, &resolved).expect("plan");
    assert_eq!(ranges(&src.geometry, &p, src.len).len(), 1, "a PNG is read whole");
    let Rendered { body, width, height, .. } =
        render(&src.geometry, &p, &resolved, &src.bytes, &RenderOptions::default())
            .unwrap_or_else(|e| panic!("{params}: {e}"));
    let image = if params.ends_with(".png") {
        png::decode_png(&body, &Budget::default()).expect("our PNG decodes")
    } else {
        jpeg::decode_jpeg(&body, &Budget::default()).expect("our JPEG decodes")
    };
    assert_eq!((image.width, image.height), (width, height), "{params}");
    assert_eq!((width, height), resolved.final_size(), "{params}");
    image
}

fn rgb_at(img: &Image, x: u32, y: u32) -> (u8, u8, u8) {
    let bpp = img.format.bytes_per_pixel();
    let i = (y * img.width + x) as usize * bpp;
    match img.format {
        PixelFormat::L8 | PixelFormat::La8 => (img.data[i], img.data[i], img.data[i]),
        PixelFormat::Rgb8 | PixelFormat::Rgba8 => (img.data[i], img.data[i + 1], img.data[i + 2]),
        other => panic!("unexpected {other:?}"),
    }
}

/// The most frequent colour in a box, as PIL's `getcolors` + sort does in the validator.
fn dominant(img: &Image, x0: u32, y0: u32, x1: u32, y1: u32) -> (u8, u8, u8) {
    let mut counts: HashMap<(u8, u8, u8), u32> = HashMap::new();
    for y in y0..y1.min(img.height) {
        for x in x0..x1.min(img.width) {
            *counts.entry(rgb_at(img, x, y)).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(c, n)| (*n, *c)).map(|(c, _)| c).expect("non-empty box")
}

fn assert_square(img: &Image, bx: (u32, u32, u32, u32), x: usize, y: usize, what: &str) {
    let got = dominant(img, bx.0, bx.1, bx.2, bx.3);
    let want = COLORS[x][y];
    let close = |a: u8, b: u8| a.abs_diff(b) < 6;
    assert!(
        close(got.0, want.0) && close(got.1, want.1) && close(got.2, want.2),
        "{what}: square {x},{y} in box {bx:?} is {got:?}, want {want:?}"
    );
}

#[test]
fn regions_by_percent_and_pixels_keep_every_square() {
    let src = source();
    for version in [Version::V3, Version::V2] {
        for x in 0..10 {
            for y in 0..10 {
                let max = if version == Version::V3 { "max" } else { "full" };
                let img =
                    get(&src, version, &format!("pct:{},{},9,9/{max}/0/default.jpg", x * 10 + 1, y * 10 + 1));
                assert_square(&img, (0, 0, img.width, img.height), x, y, "region_percent");
                let img = get(
                    &src,
                    version,
                    &format!("{},{},74,74/{max}/0/default.jpg", x * 100 + 13, y * 100 + 13),
                );
                assert_square(&img, (0, 0, 74, 74), x, y, "region_pixels");
            }
        }
    }
}

/// The validator's size tests crop `(x*sq+13, y*sq+13, (x+1)*sq, (y+1)*sq)` with `sq = int(side/10)`.
fn assert_scaled_squares(img: &Image, what: &str) {
    let (sw, sh) = (img.width / 10, img.height / 10);
    for x in 0..10u32 {
        for y in 0..10u32 {
            let bx = (x * sw + 13, y * sh + 13, (x + 1) * sw, (y + 1) * sh);
            assert_square(img, bx, x as usize, y as usize, what);
        }
    }
}

#[test]
fn sizes_keep_every_square() {
    let src = source();
    for (w, h) in [(350, 750), (512, 400), (749, 351), (600, 600)] {
        let img = get(&src, Version::V3, &format!("full/{w},{h}/0/default.jpg"));
        assert_eq!((img.width, img.height), (w, h));
        assert_scaled_squares(&img, &format!("size_wh {w},{h}"));
    }
    for s in [450, 613, 750] {
        assert_scaled_squares(&get(&src, Version::V3, &format!("full/{s},/0/default.jpg")), "size_wc");
        assert_scaled_squares(&get(&src, Version::V2, &format!("full/,{s}/0/default.jpg")), "size_ch");
    }
    for pct in [45, 62, 75] {
        let img = get(&src, Version::V3, &format!("full/pct:{pct}/0/default.jpg"));
        assert_eq!(img.width, pct * 10);
        assert_scaled_squares(&img, "size_percent");
    }
    for s in [1100, 2000] {
        let img = get(&src, Version::V3, &format!("full/^{s},/0/default.jpg"));
        assert_eq!((img.width, img.height), (s, s));
        assert_scaled_squares(&img, "size_up");
        let img = get(&src, Version::V2, &format!("full/,{s}/0/default.png"));
        assert_scaled_squares(&img, "size_up 2.1");
    }
    for (size, want) in [("^max", 1000), ("^pct:200", 2000), ("^!2000,500", 500), ("^!2000,3000", 2000)] {
        let img = get(&src, Version::V3, &format!("full/{size}/0/default.jpg"));
        assert_eq!((img.width, img.height), (want, want), "{size}");
    }
}

#[test]
fn region_and_size_together_keep_the_square() {
    let src = source();
    for (x, y, s) in [(0, 0, 35), (3, 7, 60), (9, 9, 90), (5, 2, 47)] {
        let img = get(&src, Version::V3, &format!("{},{},100,100/{s},{s}/0/default.jpg", x * 100, y * 100));
        assert_eq!((img.width, img.height), (s, s));
        assert_square(&img, (0, 0, s, s), x, y, "size_region");
    }
}

#[test]
fn right_angle_rotations_and_mirroring_move_the_squares() {
    let src = source();
    let corners = |params: &str, top_left: (usize, usize), bottom_right: (usize, usize)| {
        let img = get(&src, Version::V3, params);
        assert_eq!((img.width, img.height), (1000, 1000), "{params}");
        assert_square(&img, (12, 12, 76, 76), top_left.0, top_left.1, params);
        assert_square(&img, (912, 912, 976, 976), bottom_right.0, bottom_right.1, params);
    };
    corners("full/max/180/default.jpg", (9, 9), (0, 0));
    corners("full/max/90/default.jpg", (0, 9), (9, 0));
    corners("full/max/270/default.jpg", (9, 0), (0, 9));
    corners("full/max/!0/default.jpg", (9, 0), (0, 9));
    corners("full/max/!180/default.jpg", (0, 9), (9, 0));
}

#[test]
fn arbitrary_rotations_fill_their_bounding_box() {
    let src = source();
    for (deg, x, y) in [(17.5, 2, 3), (45.0, 0, 0), (133.0, 9, 9), (301.0, 4, 6)] {
        let params = format!("{},{},100,100/max/{deg}/default.png", x * 100, y * 100);
        let img = get(&src, Version::V3, &params);
        let c = (img.width / 2, img.height / 2);
        assert_square(&img, (c.0 - 10, c.1 - 10, c.0 + 10, c.1 + 10), x, y, &params);
        // PNG corners are transparent, not black.
        assert!(img.format.has_alpha(), "{params}: {:?}", img.format);
        let alpha = img.data[img.format.bytes_per_pixel() - 1];
        assert_eq!(alpha, 0, "{params}: top-left corner is transparent");
    }
    let img = get(&src, Version::V3, "full/500,/45/default.jpg");
    let corner = rgb_at(&img, 0, 0);
    assert!(corner.0 > 245 && corner.1 > 245 && corner.2 > 245, "JPEG corners are white: {corner:?}");
}

#[test]
fn gray_and_bitonal_qualities() {
    let src = source();
    let img = get(&src, Version::V3, "full/max/0/gray.jpg");
    assert!(img.format.is_gray(), "gray JPEG decodes as one channel: {:?}", img.format);
    for (x, y) in [(0, 0), (4, 7), (9, 2)] {
        let (r, g, b) = COLORS[x][y];
        let luma = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
        let luma601 = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
        let got = f64::from(
            dominant(
                &img,
                x as u32 * 100 + 20,
                y as u32 * 100 + 20,
                x as u32 * 100 + 80,
                y as u32 * 100 + 80,
            )
            .0,
        );
        assert!(
            (got - luma).abs() < 6.0 || (got - luma601).abs() < 6.0,
            "square {x},{y}: {got} vs luma {luma:.0}/{luma601:.0}"
        );
    }
    let img = get(&src, Version::V2, "full/full/0/bitonal.png");
    assert!(img.data.iter().all(|&v| v == 0 || v == 255), "bitonal PNG has only black and white");
    let img = get(&src, Version::V3, "full/max/0/bitonal.jpg");
    let near = img.data.iter().filter(|&&v| !(16..=239).contains(&v)).count();
    assert!(
        near * 100 > img.data.len() * 65,
        "bitonal JPEG: {near} of {} pixels near black or white",
        img.data.len()
    );
}
