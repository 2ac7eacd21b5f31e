//! JPEG 2000, HTJ2K and pyramidal TIFF derivatives of TIFF sources made a band of rows at a time, so a conversion holds
//! neither the source file nor the whole decoded image: for each band of one tile row (512 rows), the
//! core's plan names the strips or tiles it crosses, only those byte ranges are read from the store, the
//! core decodes them (the same pipeline that serves the image), and the encoder takes the band
//! (OpenJPEG's tiles through [`tessella_openjpeg::Jp2Writer`], or OpenJPH's lines through
//! `tessella_openjph::HtWriter` with the `htj2k` feature). A batch of N images at once holds N bands.
//!
//! Reading and decoding overlap: the async side reads the next band while a blocking thread decodes and
//! encodes the current one, through a channel of one band. Other sources (JPEG, PNG, JPEG 2000: one
//! compressed image that cannot be decoded a band at a time cheaply) keep the whole-image path in
//! [`super::derivative::make`]. The pyramidal TIFF streams too: its writer averages each pair of rows
//! into the next level as they come ([`PyramidWriter`]).

use object_store::ObjectStore;
use object_store::path::Path as ObjectPath;
use tessella_core::geometry::{Geometry, LevelData};
use tessella_core::iiif::Region;
use tessella_core::pixels::Image;
use tessella_core::pixels::encode::{PyramidOptions, PyramidWriter};
use tessella_core::render::{decode_image, full_resolution_plan, ranges};
use tessella_core::source::SourceBytes;
use tessella_openjpeg::{Jp2Container, Jp2EncodeOptions, Jp2Mode, Jp2Writer};

use super::derivative::{DerivativeError, DerivativeFormat, Recipe};
use crate::source::{SourceFailure, probe_object, read_ranges};

/// The JPEG 2000 options of a recipe.
pub fn jp2_options(recipe: &Recipe) -> Jp2EncodeOptions {
    Jp2EncodeOptions {
        tile_size: recipe.tile_size,
        levels: 6,
        mode: if recipe.lossless { Jp2Mode::Lossless } else { Jp2Mode::Lossy { rate: recipe.rate } },
        threads: recipe.threads.max(1),
        format: Jp2Container::Jp2,
        early_termination: recipe.early_termination,
    }
}

/// A derivative made band by band, and what making it read.
#[derive(Debug)]
pub struct Streamed {
    pub body: Vec<u8>,
    pub bands: u32,
    /// The most source bytes read for one band (the header's reads aside).
    pub largest_band_read: u64,
}

/// The derivative made band by band, or `None` when this source or format takes the whole-image path.
pub async fn make(
    store: &dyn ObjectStore,
    key: &ObjectPath,
    size: u64,
    recipe: &Recipe,
) -> Result<Option<Streamed>, DerivativeError> {
    let streams = match recipe.format {
        DerivativeFormat::Jp2 => true,
        DerivativeFormat::Htj2k => cfg!(feature = "htj2k"),
        DerivativeFormat::PyramidTiff => true,
    };
    if !streams {
        return Ok(None);
    }
    let (geometry, _) = probe_object(store, key, size, |_| {}).await.map_err(source_error)?;
    let opts = jp2_options(recipe);
    let tile_row = opts.plan(geometry.width, geometry.height).map_err(encode_error)?.tile_height;
    let Some(level) = geometry.levels.first() else { return Ok(None) };
    // OpenJPEG takes exactly one tile row per band; OpenJPH and the pyramid writer take any number of
    // rows, so their bands are at least one source strip tall.
    let band_rows = match recipe.format {
        DerivativeFormat::Jp2 => tile_row,
        _ => tile_row.max(level.tile_height).min(geometry.height),
    };
    // A band is cheap only when the TIFF's strips or tiles are no taller than it, and there are several:
    // one strip for the whole image (as many writers make) would be read and decoded once per band.
    if !matches!(level.data, LevelData::Tiff(_)) || level.tile_height > band_rows || level.rows() < 2 {
        return Ok(None);
    }
    let (width, height) = (geometry.width, geometry.height);

    let (tx, mut rx) = tokio::sync::mpsc::channel::<(Band, SourceBytes)>(1);
    let (encode_geometry, encode_recipe) = (geometry.clone(), recipe.clone());
    let encoder = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, DerivativeError> {
        let (geometry, recipe) = (encode_geometry, encode_recipe);
        let mut writer: Option<Writer> = None;
        while let Some((band, bytes)) = rx.blocking_recv() {
            let image = decode_image(&geometry, &band.plan, &band.request, &bytes, &recipe.render)
                .map_err(|e| DerivativeError::Decode(e.to_string()))?;
            drop(bytes);
            let w = match writer.as_mut() {
                Some(w) => w,
                None => writer.insert(Writer::start(width, height, image.format, &recipe)?),
            };
            w.write_rows(&image)?;
        }
        writer.ok_or_else(|| DerivativeError::Decode("no rows decoded".into()))?.finish()
    });

    let (mut y, mut bands, mut largest_band_read) = (0, 0, 0);
    while y < height {
        let rows = band_rows.min(height - y);
        let band = Band::plan(&geometry, y, rows)?;
        let mut read = 0;
        let wanted = ranges(&geometry, &band.plan, size);
        let bytes = read_ranges(store, key, size, &wanted, |n| read += n).await.map_err(source_error)?;
        largest_band_read = largest_band_read.max(read);
        bands += 1;
        // The encoder stopped: its error is the one to report.
        if tx.send((band, bytes)).await.is_err() {
            break;
        }
        y += rows;
    }
    drop(tx);
    let body = encoder.await.map_err(|e| DerivativeError::Encode(format!("conversion crashed: {e}")))??;
    Ok(Some(Streamed { body, bands, largest_band_read }))
}

/// The encoder a band is fed to.
enum Writer {
    Jp2(Jp2Writer),
    Pyramid(PyramidWriter),
    #[cfg(feature = "htj2k")]
    Ht(tessella_openjph::HtWriter),
}

impl Writer {
    fn start(
        width: u32,
        height: u32,
        pixels: tessella_core::pixels::PixelFormat,
        recipe: &Recipe,
    ) -> Result<Writer, DerivativeError> {
        match recipe.format {
            #[cfg(feature = "htj2k")]
            DerivativeFormat::Htj2k => tessella_openjph::HtWriter::start(
                width,
                height,
                pixels,
                &super::derivative::ht_options(recipe),
            )
            .map(Writer::Ht)
            .map_err(|e| DerivativeError::Encode(e.to_string())),
            DerivativeFormat::PyramidTiff => {
                let opts = PyramidOptions { tile_size: recipe.tile_size, jpeg_quality: recipe.jpeg_quality };
                PyramidWriter::start(width, height, pixels, &opts, &recipe.render.budget)
                    .map(Writer::Pyramid)
                    .map_err(|e| DerivativeError::Encode(e.to_string()))
            }
            _ => Jp2Writer::start(width, height, pixels, &jp2_options(recipe))
                .map(Writer::Jp2)
                .map_err(encode_error),
        }
    }

    fn write_rows(&mut self, band: &Image) -> Result<(), DerivativeError> {
        let rows = &band.data;
        match self {
            Writer::Jp2(w) => w.write_rows(rows).map_err(encode_error),
            Writer::Pyramid(w) => w.push(band).map_err(|e| DerivativeError::Encode(e.to_string())),
            #[cfg(feature = "htj2k")]
            Writer::Ht(w) => w.write_rows(rows).map_err(|e| DerivativeError::Encode(e.to_string())),
        }
    }

    fn finish(self) -> Result<Vec<u8>, DerivativeError> {
        match self {
            Writer::Jp2(w) => w.finish().map_err(encode_error),
            Writer::Pyramid(w) => w.finish().map_err(|e| DerivativeError::Encode(e.to_string())),
            #[cfg(feature = "htj2k")]
            Writer::Ht(w) => w.finish().map_err(|e| DerivativeError::Encode(e.to_string())),
        }
    }
}

/// One band's request (`x,y,w,h/max` at full resolution) and the core's plan for it.
struct Band {
    request: tessella_core::iiif::ResolvedRequest,
    plan: tessella_core::TilePlan,
}

impl Band {
    fn plan(geometry: &Geometry, y: u32, rows: u32) -> Result<Band, DerivativeError> {
        let region = Region::Pixels { x: 0, y, w: geometry.width, h: rows };
        let (request, plan) =
            full_resolution_plan(geometry, region).map_err(|e| DerivativeError::Decode(e.to_string()))?;
        Ok(Band { request, plan })
    }
}

fn source_error(e: SourceFailure) -> DerivativeError {
    match e {
        SourceFailure::Probe(e) => DerivativeError::Source(e),
        other => DerivativeError::Decode(other.to_string()),
    }
}

fn encode_error(e: tessella_openjpeg::EncodeError) -> DerivativeError {
    DerivativeError::Encode(e.to_string())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use object_store::local::LocalFileSystem;
    use tessella_core::iiif::Format;
    use tessella_core::pixels::encode::{EncodeOptions, encode};
    use tessella_core::render::{RenderOptions, decode_full};

    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn test_data(name: &str) -> Vec<u8> {
        let path = format!("{}/../shared/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[tokio::test]
    async fn a_tiff_is_read_a_band_at_a_time_and_other_sources_are_left_to_the_whole_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn ObjectStore> =
            Arc::new(LocalFileSystem::new_with_prefix(dir.path()).expect("store"));
        let write = |name: &str, data: &[u8]| {
            std::fs::write(dir.path().join(name), data).expect("write");
            (ObjectPath::from(name), data.len() as u64)
        };
        let jp2 = |tile_size| Recipe {
            format: DerivativeFormat::Jp2,
            tile_size,
            lossless: true,
            ..Recipe::default()
        };
        // 160×107 in 64² LZW tiles: two bands of one tile row each (the top row holds most of the detail).
        // 80×53 16-bit in Deflate strips of 8 rows: bands of 16 rows read two strips each.
        for (name, tile, bands, share) in [
            ("rocket-160-lzw-predictor.tif", 64, 2, (2, 3)),
            ("rocket-80-rgb16-deflate-be.tif", 16, 4, (1, 3)),
        ] {
            let data = test_data(name);
            let (key, size) = write(name, &data);
            let made = make(store.as_ref(), &key, size, &jp2(tile)).await.expect("made").expect("banded");
            assert_eq!(made.bands, bands, "{name}");
            let (num, den) = share;
            assert!(
                made.largest_band_read * den <= size * num,
                "{name}: {} of {size}",
                made.largest_band_read
            );
            let (_, image) =
                decode_full(&SourceBytes::from_vec(data), &RenderOptions::default()).expect("decode");
            let back = tessella_openjpeg::OpenJpeg::new(1)
                .decode(&made.body, 0, None, &tessella_core::pixels::Budget::default())
                .expect("decodes");
            assert!(back.data == image.data, "{name}: lossless");
        }
        // HTJ2K (with the feature): the same bands to OpenJPH, the same codestream as the whole image's.
        #[cfg(feature = "htj2k")]
        {
            let data = test_data("rocket-80-rgb16-deflate-be.tif");
            let (key, size) = write("ht.tif", &data);
            let recipe = Recipe { format: DerivativeFormat::Htj2k, ..jp2(16) };
            let made = make(store.as_ref(), &key, size, &recipe).await.expect("made").expect("banded");
            assert_eq!(made.bands, 4);
            let (_, image) =
                decode_full(&SourceBytes::from_vec(data), &RenderOptions::default()).expect("decode");
            let whole =
                tessella_openjph::encode_htj2k(&image, &super::super::derivative::ht_options(&recipe))
                    .expect("encode");
            assert!(made.body == whole, "the banded HTJ2K differs from the whole-image one");
        }
        // One strip for the whole image, or a JPEG: the whole-image path.
        let png = fixture("astronaut.png");
        let (_, image) = decode_full(&SourceBytes::from_vec(png), &RenderOptions::default()).expect("decode");
        let (one_strip, size) =
            write("a.tif", &encode(&image, Format::Tif, &EncodeOptions::default()).expect("tiff"));
        assert!(make(store.as_ref(), &one_strip, size, &jp2(128)).await.expect("probe").is_none());
        let (jpeg, size) = write("r.jpg", &fixture("rocket.jpg"));
        assert!(make(store.as_ref(), &jpeg, size, &jp2(128)).await.expect("probe").is_none());
        // A pyramidal TIFF: the same bands to the pyramid writer, the same file as the whole image's.
        let data = test_data("rocket-160-lzw-predictor.tif");
        let (tiled, size) = write("t.tif", &data);
        let ptiff = Recipe { format: DerivativeFormat::PyramidTiff, tile_size: 32, ..jp2(64) };
        let made = make(store.as_ref(), &tiled, size, &ptiff).await.expect("made").expect("banded");
        assert_eq!(made.bands, 2, "bands of one 64-row source tile row");
        let (_, image) =
            decode_full(&SourceBytes::from_vec(data), &RenderOptions::default()).expect("decode");
        let opts = PyramidOptions { tile_size: 32, jpeg_quality: ptiff.jpeg_quality };
        let whole = tessella_core::pixels::encode::encode_pyramid_tiff(&image, &opts, &ptiff.render.budget)
            .expect("encode");
        assert!(made.body == whole, "the banded pyramid differs from the whole-image one");
    }
}
