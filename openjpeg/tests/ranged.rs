//! JPEG 2000 read by tile: the tile index (from TLM, or a walk over the SOT markers), the ranges a request
//! reads, and the cut codestream decoded by OpenJPEG and by hayro, compared with the whole file's render.

mod common;

use std::sync::Arc;

use common::{astronaut, be16, nemo, openjpeg_tool};
use tessella_core::iiif::{Limits, Route, Version, parse_path, resolve};
use tessella_core::pixels::Image;
use tessella_core::render::{RenderOptions, ranges, render};
use tessella_core::source::jp2_layout::{Indexed, Indexer, Jp2Layout};
use tessella_core::source::{ByteRange, FIRST_FETCH, SourceBytes, SourceError, probe};
use tessella_core::{Geometry, plan};
use tessella_openjpeg::{Jp2Container, Jp2EncodeOptions, Jp2Mode, OpenJpeg, encode_jp2};

fn encode(img: &Image, tile_size: u32, mode: Jp2Mode, format: Jp2Container) -> Vec<u8> {
    let opts = Jp2EncodeOptions { tile_size, mode, format, threads: 2, ..Jp2EncodeOptions::default() };
    encode_jp2(img, &opts).expect("encodes")
}

/// A raw codestream with its TLM segments removed, so the index must come from a walk.
fn strip_tlm(cs: &[u8]) -> Vec<u8> {
    assert_eq!(be16(cs, 0), 0xFF4F, "a raw codestream");
    let mut out = cs[..2].to_vec();
    let mut at = 2;
    let mut stripped = 0;
    loop {
        let marker = be16(cs, at);
        if marker == 0xFF90 {
            break;
        }
        let end = at + 2 + usize::from(be16(cs, at + 2));
        if marker == 0xFF55 {
            stripped += 1;
        } else {
            out.extend_from_slice(&cs[at..end]);
        }
        at = end;
    }
    assert!(stripped > 0, "the encoder wrote TLM");
    out.extend_from_slice(&cs[at..]);
    out
}

/// Runs the indexer over ranged reads of `file` as the origin does, counting reads.
fn index(file: &[u8], walk: bool) -> (Indexed, usize) {
    try_index(file, walk).unwrap_or_else(|e| panic!("index: {e}"))
}

/// The same, with the indexer's refusal (corrupt or unsupported headers) as the error.
fn try_index(file: &[u8], walk: bool) -> Result<(Indexed, usize), SourceError> {
    let len = file.len() as u64;
    let mut bytes = SourceBytes::new(Some(len));
    bytes.insert(0, file[..FIRST_FETCH.min(len) as usize].to_vec());
    let mut indexer = Indexer::new(walk);
    for reads in 0..10_000 {
        match indexer.advance(&bytes) {
            Ok(indexed) => return Ok((indexed, reads)),
            Err(SourceError::NeedBytes(r)) => {
                bytes.insert(r.start, file[r.start as usize..r.end as usize].to_vec())
            }
            Err(e) => return Err(e),
        }
    }
    panic!("the indexer does not finish")
}

fn layout(file: &[u8], walk: bool) -> Arc<Jp2Layout> {
    match index(file, walk).0 {
        Indexed::Layout(l) => Arc::from(l),
        Indexed::Whole(reason) => panic!("not indexed: {reason}"),
    }
}

fn geometry(file: &[u8]) -> Geometry {
    probe(&SourceBytes::from_vec(file.to_vec())).expect("probe")
}

/// Renders `params` from `file`: with `layout`, from only the ranges the core names (a read of anything
/// else fails the render with NeedBytes); without, from the whole file. Returns the body and bytes read.
fn render_with(
    file: &[u8],
    layout: Option<Arc<Jp2Layout>>,
    params: &str,
    decoder: Option<OpenJpeg>,
) -> Result<(Vec<u8>, u64), String> {
    let mut g = geometry(file);
    if let Some(l) = layout {
        g = g.with_jp2_layout(l);
    }
    let Ok(Route::Image(req)) = parse_path(Version::V3, &format!("x/{params}")) else { panic!("{params}") };
    let resolved = resolve(&req, g.width, g.height, &Limits::default()).map_err(|e| e.to_string())?;
    let p = plan(&g, &resolved).map_err(|e| e.to_string())?;
    let len = file.len() as u64;
    let mut bytes = SourceBytes::new(Some(len));
    for r in ranges(&g, &p, len) {
        bytes.insert(r.start, file[r.start as usize..r.end as usize].to_vec());
    }
    let opts = RenderOptions {
        jp2_decoder: decoder.map(|d| Arc::new(d) as Arc<dyn tessella_core::pixels::decode::jp2::Jp2Decoder>),
        ..RenderOptions::default()
    };
    let out = render(&g, &p, &resolved, &bytes, &opts).map_err(|e| e.to_string())?;
    Ok((out.body, bytes.held()))
}

/// Requests over tile seams, at full resolution and reduced, edge tiles, a thumbnail, mirrored and
/// rotated: every kind of window the two decoders are given.
const REQUESTS: [&str; 9] = [
    "0,0,512,512/max/0/default.png",
    "400,300,300,400/max/0/default.png",
    "1000,500,700,300/350,/0/default.png",
    "2300,1200,292,256/max/0/default.png",
    "1024,0,1024,1024/256,/0/default.png",
    "500,500,1500,900/max/0/gray.png",
    "full/324,/0/default.png",
    "1,1,3,3/max/0/default.png",
    "2000,1000,591,455/100,/90/default.png",
];

#[test]
fn tiles_read_by_range_render_exactly_as_the_whole_file() {
    let img = nemo();
    for (mode, container) in
        [(Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::Jp2), (Jp2Mode::Lossless, Jp2Container::J2k)]
    {
        let file = encode(&img, 512, mode, container);
        let (indexed, reads) = index(&file, false);
        let Indexed::Layout(l) = indexed else { panic!("{indexed:?}") };
        // TLM is in the first read; the one read of its own checks the EOC the index ends at.
        assert!(reads <= 1, "{reads} reads for a TLM index ({mode:?})");
        assert_eq!(l.tile_count(), 18);
        // One tile-part per resolution (RPCL): a reduced decode reads each tile's first few.
        assert_eq!(l.resolution_ends.len(), 18 * 7);
        assert!(l.prunes(1) && !l.prunes(0));
        let l: Arc<Jp2Layout> = Arc::from(l);
        for params in REQUESTS {
            for decoder in [None, Some(OpenJpeg::new(1))] {
                let name = if decoder.is_some() { "openjpeg" } else { "hayro" };
                let (whole, whole_read) = render_with(&file, None, params, decoder).expect("whole renders");
                let (cut, cut_read) = render_with(&file, Some(l.clone()), params, decoder)
                    .unwrap_or_else(|e| panic!("{params} {name} {mode:?}: {e}"));
                assert_eq!(whole_read, file.len() as u64);
                assert!(cut == whole, "{params} {name} {mode:?}: the cut renders other pixels");
                if params.starts_with("0,0,512,512") {
                    // One tile of 18, and the header.
                    assert!(cut_read < whole_read / 10, "{params}: read {cut_read} of {whole_read}");
                } else if params.starts_with("full") {
                    // Every tile, but at 1/8 scale only their 4 lowest of 7 resolutions.
                    assert!(cut_read < whole_read / 8, "{params}: read {cut_read} of {whole_read}");
                } else {
                    assert!(cut_read < whole_read, "{params}: read {cut_read} of {whole_read}");
                }
            }
        }
    }
}

#[test]
fn a_walk_over_the_tile_parts_finds_what_tlm_says() {
    let img = nemo();
    let with_tlm = encode(&img, 512, Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::J2k);
    let walked_file = strip_tlm(&with_tlm);
    assert!(matches!(index(&walked_file, false).0, Indexed::Whole(_)), "no TLM and no walk: read whole");
    let (indexed, reads) = index(&walked_file, true);
    let Indexed::Layout(walked) = indexed else { panic!("{indexed:?}") };
    assert!(reads > 0, "a walk reads past the first fetch");
    let from_tlm = layout(&with_tlm, false);
    // Same tiles, same lengths; the walked file is shorter by the TLM segments.
    let shift = (with_tlm.len() - walked_file.len()) as u64;
    let moved: Vec<ByteRange> =
        from_tlm.tiles.iter().map(|t| ByteRange::new(t.start - shift, t.end - shift)).collect();
    assert_eq!(walked.tiles, moved);
    assert!(walked.info.index_segments.is_empty());
    // Seven tile-parts per tile (one per resolution), contiguous: one span each, back to back.
    for pair in walked.tiles.windows(2) {
        assert_eq!(pair[0].end, pair[1].start);
    }
    let walked: Arc<Jp2Layout> = Arc::from(walked);
    for params in REQUESTS {
        let (whole, _) = render_with(&walked_file, None, params, Some(OpenJpeg::new(1))).expect("whole");
        let (cut, _) =
            render_with(&walked_file, Some(walked.clone()), params, Some(OpenJpeg::new(1))).expect("cut");
        assert!(cut == whole, "{params}");
    }
}

/// Swaps the first tile-part of tile 1 with the whole of tile 0's first tile-part, so tile 0's tile-parts
/// are no longer one span.
fn interleave(cs: &[u8]) -> Vec<u8> {
    let mut at = 2;
    while be16(cs, at) != 0xFF90 {
        at += 2 + usize::from(be16(cs, at + 2));
    }
    let mut parts = Vec::new();
    while be16(cs, at) == 0xFF90 {
        let psot = u32::from_be_bytes([cs[at + 6], cs[at + 7], cs[at + 8], cs[at + 9]]) as usize;
        parts.push((be16(cs, at + 4), at, at + psot));
        at += psot;
    }
    let t0 = parts.iter().position(|p| p.0 == 0).expect("tile 0");
    let t1 = parts.iter().position(|p| p.0 == 1).expect("tile 1");
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.remove(t1);
    order.insert(t0 + 1, t1);
    let mut out = cs[..parts[0].1].to_vec();
    for i in order {
        out.extend_from_slice(&cs[parts[i].1..parts[i].2]);
    }
    out.extend_from_slice(&cs[at..]);
    out
}

#[test]
fn interleaved_tiles_single_tiles_and_bad_indexes_are_read_whole_or_refused() {
    let astro = astronaut();
    let cs = strip_tlm(&encode(&astro, 128, Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::J2k));
    let mixed = interleave(&cs);
    // OpenJPEG reads the interleaved file; the index refuses it, so requests read it whole.
    let (whole, _) =
        render_with(&mixed, None, "0,0,128,128/max/0/default.png", Some(OpenJpeg::new(1))).expect("whole");
    assert!(!whole.is_empty());
    match index(&mixed, true).0 {
        Indexed::Whole(reason) => assert!(reason.contains("not one span"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // One tile: nothing to cut.
    let single = encode(&astro, 0, Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::Jp2);
    assert!(matches!(index(&single, true).0, Indexed::Whole(_)));

    // An index that points at the wrong bytes fails the render; it never draws another tile.
    let file = encode(&astro, 128, Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::Jp2);
    let good = layout(&file, false);
    let mut bad = (*good).clone();
    bad.tiles.swap(0, 1);
    let err =
        render_with(&file, Some(Arc::new(bad)), "0,0,100,100/max/0/default.png", Some(OpenJpeg::new(1)))
            .expect_err("a swapped index is caught");
    assert!(err.contains("tile-part is not"), "{err}");
}

/// TLM as other encoders write it: implicit tile numbers (ST=0, one tile-part per tile) with 16-bit
/// lengths, or 8-bit tile numbers. Rebuilt from a walk of a one-tile-part-per-tile codestream.
#[test]
fn tlm_variants_other_encoders_write_are_read() {
    let astro = astronaut();
    let opts = Jp2EncodeOptions {
        tile_size: 128,
        levels: 3,
        threads: 1,
        format: Jp2Container::J2k,
        ..Jp2EncodeOptions::default()
    };
    let cs = strip_tlm(&encode_jp2(&astro, &opts).expect("encodes"));
    let walked = layout(&cs, true);
    // The encoder writes one tile-part per resolution; merge each tile into one tile-part for ST=0.
    let main_end = walked.info.main_header_end as usize;
    let mut merged = Vec::new();
    for (tile, span) in walked.tiles.iter().enumerate() {
        let body = merge_tile_parts(&cs[span.start as usize..span.end as usize], tile as u16);
        merged.push(body);
    }
    for (st, sp) in [(0u8, 0u8), (1, 0), (2, 1)] {
        let mut entries = Vec::new();
        for (tile, part) in merged.iter().enumerate() {
            match st {
                1 => entries.push(tile as u8),
                2 => entries.extend_from_slice(&(tile as u16).to_be_bytes()),
                _ => {}
            }
            if sp == 1 {
                entries.extend_from_slice(&(part.len() as u32).to_be_bytes());
            } else {
                entries.extend_from_slice(&(part.len() as u16).to_be_bytes());
            }
        }
        let mut file = cs[..main_end].to_vec();
        file.extend_from_slice(&[0xFF, 0x55]);
        file.extend_from_slice(&((entries.len() + 4) as u16).to_be_bytes());
        file.extend_from_slice(&[0, (st << 4) | (sp << 6)]);
        file.extend_from_slice(&entries);
        let new_main_end = file.len() as u64;
        for part in &merged {
            file.extend_from_slice(part);
        }
        file.extend_from_slice(&[0xFF, 0xD9]);
        let (indexed, reads) = index(&file, false);
        let Indexed::Layout(l) = indexed else { panic!("ST={st} SP={sp}: {indexed:?}") };
        assert!(reads <= 1, "{reads}");
        assert_eq!(l.tiles[0].start, new_main_end, "ST={st} SP={sp}");
        assert_eq!(l.info.index_segments.len(), 1);
        let l: Arc<Jp2Layout> = Arc::from(l);
        for params in ["130,130,100,100/max/0/default.png", "0,200,512,60/256,/0/default.png"] {
            let (whole, _) = render_with(&file, None, params, Some(OpenJpeg::new(1))).expect("whole");
            let (cut, read) =
                render_with(&file, Some(l.clone()), params, Some(OpenJpeg::new(1))).expect("cut");
            assert!(cut == whole, "ST={st} SP={sp} {params}");
            assert!(read < file.len() as u64);
        }
        // A TLM whose lengths do not reach the EOC is not trusted.
        let mut lying = file.clone();
        let first_len_at = main_end + 6 + usize::from(st);
        lying[first_len_at + usize::from(sp) * 2 + 1] ^= 0x01;
        assert!(matches!(index(&lying, false).0, Indexed::Whole(_)), "ST={st} SP={sp}");
    }
}

/// One tile-part holding all of a tile's tile-parts: an SOT (Psot and TNsot rewritten), SOD, then every
/// tile-part's packet data in order (tile-part header markers such as PLT are dropped: they would describe
/// only their own tile-part).
fn merge_tile_parts(span: &[u8], tile: u16) -> Vec<u8> {
    let mut out = span[..12].to_vec();
    out.extend_from_slice(&[0xFF, 0x93]);
    let mut at = 0;
    while at < span.len() {
        let psot = u32::from_be_bytes([span[at + 6], span[at + 7], span[at + 8], span[at + 9]]) as usize;
        let part = &span[at..at + psot];
        let mut i = 12;
        while be16(part, i) != 0xFF93 {
            i += 2 + usize::from(be16(part, i + 2));
        }
        out.extend_from_slice(&part[i + 2..]);
        at += psot;
    }
    let len = out.len() as u32;
    out[4..6].copy_from_slice(&tile.to_be_bytes());
    out[6..10].copy_from_slice(&len.to_be_bytes());
    out[10] = 0;
    out[11] = 1;
    out
}

#[test]
fn corrupt_files_never_panic_the_indexer_or_the_cut() {
    let astro = astronaut();
    let file = encode(&astro, 128, Jp2Mode::Lossy { rate: 8.0 }, Jp2Container::Jp2);
    let clean = layout(&file, false);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // Mutations in the header and tile-part headers, where the index comes from.
    let hot = clean.tiles.iter().take(4).map(|t| t.start as usize).collect::<Vec<_>>();
    for _ in 0..300 {
        let mut bad = file.clone();
        for _ in 0..1 + next() % 4 {
            let at = if next() % 2 == 0 {
                (next() % clean.info.main_header_end) as usize
            } else {
                hot[(next() % hot.len() as u64) as usize] + (next() % 14) as usize
            };
            bad[at] = next() as u8;
        }
        for walk in [false, true] {
            match try_index(&bad, walk) {
                Ok((Indexed::Layout(l), _)) => {
                    // Whatever the index says, a render from it errs or succeeds; it does not panic.
                    let l: Arc<Jp2Layout> = Arc::from(l);
                    for params in ["130,130,100,100/max/0/default.png", "full/64,/0/default.png"] {
                        for decoder in [Some(OpenJpeg::new(1)), None] {
                            let _ = render_with(&bad, Some(l.clone()), params, decoder);
                        }
                    }
                }
                Ok((Indexed::Whole(_), _))
                | Err(SourceError::Corrupt { .. } | SourceError::Unsupported { .. }) => {}
                Err(e) => panic!("{e}"),
            }
        }
    }
}

/// Codestreams other encoders write, read by tile and cut short to the resolutions a request needs:
/// several quality layers without SOP/EPH markers, RLCP, image and tile offsets, TLM or a walk. Every
/// render from the cut must equal the whole file's, through both decoders.
#[test]
fn other_encoders_codestreams_cut_short_render_exactly_as_the_whole_file() {
    let Some(tool) = openjpeg_tool("opj_compress") else { return };
    let img = astronaut();
    let dir = tempfile_dir();
    let ppm = dir.join("in.ppm");
    let mut data = format!("P6\n{} {}\n255\n", img.width, img.height).into_bytes();
    data.extend_from_slice(&img.data);
    std::fs::write(&ppm, data).expect("write ppm");
    let variants: [(&str, &[&str]); 4] = [
        ("3 layers, no SOP/EPH", &["-t", "128,128", "-n", "5", "-p", "RPCL", "-TP", "R", "-r", "40,20,10"]),
        (
            "RLCP, precincts, SOP/EPH",
            &[
                "-t",
                "128,128",
                "-n",
                "4",
                "-p",
                "RLCP",
                "-TP",
                "R",
                "-SOP",
                "-EPH",
                "-c",
                "[64,64],[32,32]",
                "-r",
                "10",
            ],
        ),
        (
            "offsets, TLM",
            &[
                "-t", "100,100", "-n", "4", "-p", "RPCL", "-TP", "R", "-d", "3,5", "-T", "1,2", "-TLM", "-r",
                "10",
            ],
        ),
        ("LRCP: not cut short", &["-t", "128,128", "-n", "4", "-p", "LRCP", "-TP", "R", "-r", "10"]),
    ];
    for (name, args) in variants {
        let out = dir.join("out.j2k");
        let status = std::process::Command::new(tool)
            .arg("-i")
            .arg(&ppm)
            .arg("-o")
            .arg(&out)
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("opj_compress runs");
        assert!(status.success(), "{name}: opj_compress {args:?}");
        let file = std::fs::read(&out).expect("read output");
        let l = layout(&file, true);
        assert_eq!(!l.resolution_ends.is_empty(), !name.starts_with("LRCP"), "{name}");
        for params in [
            "full/128,/0/default.png",
            "100,100,300,200/150,/0/default.png",
            "0,0,256,256/64,/0/gray.png",
            "300,300,212,212/106,/0/default.png",
            "200,0,100,100/max/0/default.png",
        ] {
            for decoder in [Some(OpenJpeg::new(1)), None] {
                let (whole, whole_read) = render_with(&file, None, params, decoder).expect("whole renders");
                let (cut, cut_read) = render_with(&file, Some(l.clone()), params, decoder)
                    .unwrap_or_else(|e| panic!("{name} {params} {decoder:?}: {e}"));
                assert!(cut == whole, "{name} {params} {decoder:?}: the cut renders other pixels");
                // Every tile of a codestream that cannot be cut short is the whole file.
                let everything = name.starts_with("LRCP") && params.starts_with("full");
                assert!(
                    cut_read < whole_read || everything,
                    "{name} {params}: read {cut_read} of {whole_read}"
                );
            }
        }
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tessella-ranged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
