//! CSV batches modelled on UCLA's Fester exports → documents: every 3.0 manifest and collection validates
//! against the IIIF Presentation 3.0 JSON Schema (`../shared/validators/iiif_3_0.json`), and the
//! structure, ordering, problems and result CSV are what the batch says.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;
use tessella_manifest::{
    BatchError, Catalog, Context, DocumentKind, PLACEHOLDER_BASE, Presentation, annotate_csv, read_batch,
    resolve_base,
};

fn data(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(name)
}

fn batch(name: &str) -> Catalog {
    let file = std::fs::File::open(data(name)).expect("open test CSV");
    read_batch(file).expect("read batch")
}

fn validator() -> jsonschema::Validator {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/validators/iiif_3_0.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("compile schema")
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{} is not valid 3.0:\n{}", doc["id"], errors.join("\n"));
}

/// Sizes the origin would probe, for the pages whose media columns give none.
fn sizes() -> HashMap<String, (u32, u32)> {
    [
        ("ark:/21198/z1pc3gp5/p1", (2000, 3000)),
        ("ark:/21198/z1pc3gp5/p3", (2100, 3100)),
        ("ark:/21198/zz002dvwq1/1", (640, 480)),
        ("ark:/21198/zz002dvwq1/2", (480, 640)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn render(catalog: &Catalog, version: Presentation) -> (HashMap<String, Value>, Vec<String>) {
    let sizes = sizes();
    let ctx = Context::new(version, "https://iiif.example.edu", &sizes);
    let mut docs = HashMap::new();
    let mut problems = Vec::new();
    for doc in catalog.documents(&ctx) {
        match doc {
            Ok(d) => {
                docs.insert(d.key(), d.json);
            }
            Err(p) => problems.push(p.to_string()),
        }
    }
    (docs, problems)
}

#[test]
fn every_3_0_document_validates_against_the_schema() {
    let validator = validator();
    // The schema must be able to fail: a manifest without items and with a bare-string label.
    let broken = serde_json::json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": "https://iiif.example.edu/x/manifest", "type": "Manifest", "label": "plain string",
    });
    assert!(!validator.is_valid(&broken), "the schema accepted an invalid manifest");

    for name in ["sinai.csv", "bad_rows.csv"] {
        let (docs, _) = render(&batch(name), Presentation::V3);
        assert!(!docs.is_empty(), "{name} built nothing");
        for doc in docs.values() {
            assert_valid(&validator, doc);
        }
    }
}

#[test]
fn a_work_becomes_a_3_0_manifest_with_ordered_canvases_and_image_services() {
    let (docs, problems) = render(&batch("sinai.csv"), Presentation::V3);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(docs.len(), 4, "{:?}", docs.keys().collect::<Vec<_>>());
    let m = &docs["works/ark:/21198/z1pc3gp5.json"];
    assert_eq!(m["id"], "https://iiif.example.edu/ark:%2F21198%2Fz1pc3gp5/manifest");
    assert_eq!(m["type"], "Manifest");
    assert_eq!(m["label"]["none"][0], "Sinai Arabic 352. Homilies");
    assert_eq!(m["behavior"], serde_json::json!(["paged"]));
    assert_eq!(m["viewingDirection"], "right-to-left");
    assert_eq!(m["rights"], "http://rightsstatements.org/vocab/InC/1.0/");
    assert_eq!(m["requiredStatement"]["value"]["none"][0], "UCLA Library Special Collections");
    assert_eq!(m["partOf"][0]["id"], "https://iiif.example.edu/collections/ark:%2F21198%2Fzz0009gsq9");
    let canvases = m["items"].as_array().expect("items");
    let labels: Vec<&str> = canvases.iter().map(|c| c["label"]["none"][0].as_str().unwrap_or("")).collect();
    assert_eq!(labels, ["Front cover", "f. 1v", "f. 2r"], "canvases follow Item Sequence, not CSV order");
    // Sizes: probed for p1, from the media columns for p2.
    assert_eq!((canvases[0]["width"].as_u64(), canvases[0]["height"].as_u64()), (Some(2000), Some(3000)));
    assert_eq!((canvases[1]["width"].as_u64(), canvases[1]["height"].as_u64()), (Some(5000), Some(7000)));
    assert_eq!(canvases[0]["behavior"], serde_json::json!(["non-paged"]));
    let annotation = &canvases[0]["items"][0]["items"][0];
    assert_eq!(canvases[0]["items"][0]["type"], "AnnotationPage");
    assert_eq!(annotation["motivation"], "painting");
    assert_eq!(annotation["target"], canvases[0]["id"]);
    let service = &annotation["body"]["service"][0];
    assert_eq!(service["type"], "ImageService3");
    assert_eq!(service["id"], "https://iiif.example.edu/iiif/3/ark:%2F21198%2Fz1pc3gp5%2Fp1");
    assert_eq!(
        annotation["body"]["id"],
        format!("{}/full/max/0/default.jpg", service["id"].as_str().unwrap_or(""))
    );
    assert!(m["thumbnail"][0]["id"].as_str().unwrap_or("").ends_with("p1/full/!200,200/0/default.jpg"));
}

#[test]
fn single_image_works_audio_video_and_collections() {
    let (docs, _) = render(&batch("sinai.csv"), Presentation::V3);
    let single = &docs["works/ark:/21198/z15m7k8c.json"];
    assert_eq!(single["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(single["items"][0]["width"], 3000);
    assert_eq!(
        single["requiredStatement"]["value"]["none"][0],
        "Images are in the public domain, courtesy of the UCLA Library."
    );
    assert!(single.get("rights").is_none(), "free text is not a rights URI");

    let av = &docs["works/ark:/21198/z1wd4ftb.json"];
    assert_eq!(av["rights"], "http://creativecommons.org/licenses/by/4.0/", "in the form 3.0 requires");
    let sound = &av["items"][0];
    assert_eq!(sound["duration"], 1834.5);
    assert!(sound.get("width").is_none());
    assert_eq!(sound["items"][0]["items"][0]["body"]["type"], "Sound");
    assert_eq!(sound["items"][0]["items"][0]["body"]["format"], "audio/mpeg");
    let video = &av["items"][1];
    assert_eq!((video["width"].as_u64(), video["duration"].as_f64()), (Some(1920), Some(62.0)));
    assert_eq!(video["items"][0]["items"][0]["body"]["type"], "Video");

    let c = &docs["collections/ark:/21198/zz0009gsq9.json"];
    assert_eq!(c["type"], "Collection");
    let items: Vec<&str> =
        c["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().unwrap_or("")).collect();
    assert_eq!(
        items,
        [
            "https://iiif.example.edu/ark:%2F21198%2Fz1pc3gp5/manifest",
            "https://iiif.example.edu/ark:%2F21198%2Fz15m7k8c/manifest",
            "https://iiif.example.edu/ark:%2F21198%2Fz1wd4ftb/manifest",
        ]
    );
}

#[test]
fn presentation_2_1_manifests_and_collections() {
    let (docs, problems) = render(&batch("sinai.csv"), Presentation::V2);
    // Audio and video have no 2.1 form: that work alone is left out, and the collection does not list it.
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("ark:/21198/z1wd4ftb/a1") && problems[0].contains("Presentation 3.0"));
    let m = &docs["works/ark:/21198/z1pc3gp5.json"];
    assert_eq!(m["@context"], "http://iiif.io/api/presentation/2/context.json");
    assert_eq!(m["@type"], "sc:Manifest");
    assert_eq!(m["viewingHint"], "paged");
    assert_eq!(m["license"], "http://rightsstatements.org/vocab/InC/1.0/");
    assert_eq!(m["within"], "https://iiif.example.edu/collections/ark:%2F21198%2Fzz0009gsq9");
    let canvases = m["sequences"][0]["canvases"].as_array().expect("canvases");
    assert_eq!(m["sequences"][0]["@type"], "sc:Sequence");
    assert_eq!(canvases.len(), 3);
    assert_eq!(canvases[2]["label"], "f. 2r");
    let image = &canvases[0]["images"][0];
    assert_eq!(image["@type"], "oa:Annotation");
    assert_eq!(image["motivation"], "sc:painting");
    assert_eq!(image["on"], canvases[0]["@id"]);
    assert_eq!(
        image["resource"]["service"]["@id"],
        "https://iiif.example.edu/iiif/2/ark:%2F21198%2Fz1pc3gp5%2Fp1"
    );
    assert_eq!(image["resource"]["service"]["profile"], "http://iiif.io/api/image/2/level2.json");
    let c = &docs["collections/ark:/21198/zz0009gsq9.json"];
    assert_eq!(c["@type"], "sc:Collection");
    assert_eq!(c["manifests"].as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_rows_are_reported_by_line_and_the_other_works_still_build() {
    let catalog = batch("bad_rows.csv");
    let (docs, render_problems) = render(&catalog, Presentation::V3);
    let reported: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    let expect = [
        (8, "Item Sequence 1 repeats line 7's in Work ark:/21198/zz002dvwp0"),
        (9, "its Work ark:/21198/zz002dvwn9 is not in the batch"),
        (11, "a Page needs an Item Sequence"),
        (12, "Item Sequence \"two\" is not a positive whole number"),
        (13, "the Item ARK is empty"),
        (14, "unknown Object Type \"Folder\""),
        (15, "the Item ARK repeats the one on line 3"),
        (16, "unknown viewingHint \"sideways\""),
    ];
    assert_eq!(catalog.problems.len(), expect.len(), "{reported:#?}");
    for ((line, text), problem) in expect.iter().zip(&catalog.problems) {
        assert_eq!(problem.line, *line, "{problem}");
        assert!(problem.reason.contains(text), "line {line}: {problem}");
    }
    assert!(render_problems.is_empty(), "{render_problems:?}");
    // The one consistent work, and its collection listing only it. `IIIF Parent ARK` won over `Parent ARK`.
    let mut keys: Vec<&String> = docs.keys().collect();
    keys.sort();
    assert_eq!(keys, ["collections/ark:/21198/zz002dvwr2.json", "works/ark:/21198/zz002dvwq1.json"]);
    let c = &docs["collections/ark:/21198/zz002dvwr2.json"];
    assert_eq!(c["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(docs["works/ark:/21198/zz002dvwq1.json"]["items"].as_array().map(Vec::len), Some(2));
}

#[test]
fn an_image_of_unknown_size_leaves_out_its_work_only() {
    let catalog = batch("sinai.csv");
    let needing: Vec<&str> = catalog.images_needing_size().map(|r| r.ark.as_str()).collect();
    assert_eq!(needing, ["ark:/21198/z1pc3gp5/p1", "ark:/21198/z1pc3gp5/p3"]);
    let sizes: HashMap<String, (u32, u32)> = HashMap::new();
    let ctx = Context::new(Presentation::V3, PLACEHOLDER_BASE, &sizes);
    let results: Vec<_> = catalog.documents(&ctx).collect();
    let failed: Vec<String> =
        results.iter().filter_map(|r| r.as_ref().err()).map(ToString::to_string).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].starts_with("line 5 (ark:/21198/z1pc3gp5/p1)"), "{}", failed[0]);
    let collection = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .find(|d| d.kind == DocumentKind::Collection)
        .expect("collection");
    assert_eq!(collection.json["items"].as_array().map(Vec::len), Some(2));
}

#[test]
fn missing_columns_are_named() {
    let file = std::fs::File::open(data("missing_columns.csv")).expect("open");
    match read_batch(file) {
        Err(BatchError::MissingColumns(names)) => {
            assert!(names.contains("Parent ARK") && names.contains("Object Type"), "{names}");
            assert!(!names.contains("Title"), "{names}");
        }
        other => panic!("expected missing columns, got {other:?}"),
    }
}

#[test]
fn stored_documents_take_the_public_host_at_serve_time() {
    let catalog = batch("sinai.csv");
    let sizes = sizes();
    let ctx = Context::new(Presentation::V3, PLACEHOLDER_BASE, &sizes);
    let doc = catalog.documents(&ctx).filter_map(Result::ok).next().expect("a document");
    let stored = serde_json::to_string(&doc.json).expect("json");
    assert!(stored.contains(PLACEHOLDER_BASE));
    let served = resolve_base(&stored, "https://images.example.org/");
    assert!(!served.contains(PLACEHOLDER_BASE));
    let served: Value = serde_json::from_str(&served).expect("json");
    assert_eq!(served["id"], "https://images.example.org/ark:%2F21198%2Fz1pc3gp5/manifest");
}

#[test]
fn the_result_csv_gains_a_manifest_url_column() {
    let catalog = batch("bad_rows.csv");
    let input = std::fs::read(data("bad_rows.csv")).expect("read");
    let mut out = Vec::new();
    annotate_csv(
        &input[..],
        &mut out,
        |ark| catalog.url_for_row("https://iiif.example.edu", ark),
        &catalog.problems,
    )
    .expect("annotate");
    let mut reader = csv::Reader::from_reader(&out[..]);
    let header = reader.headers().expect("header").clone();
    assert_eq!(header.get(9), Some("IIIF Manifest URL"));
    assert_eq!(header.get(10), Some("IIIF Manifest Problem"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 15);
    assert_eq!(&rows[0][9], "https://iiif.example.edu/collections/ark:%2F21198%2Fzz002dvwr2");
    assert_eq!(&rows[1][9], "https://iiif.example.edu/ark:%2F21198%2Fzz002dvwq1/manifest");
    assert_eq!(
        &rows[2][9], "https://iiif.example.edu/ark:%2F21198%2Fzz002dvwq1/manifest",
        "a page gets its work's"
    );
    assert_eq!(&rows[4][9], "", "a work that was not built has no URL");
    assert_eq!(&rows[1][10], "", "a row that built has no problem");
    // Line 8 (the second page with sequence 1) names the repeated sequence; line 9 its missing work.
    assert!(rows[6][10].contains("Item Sequence 1 repeats line 7"), "{:?}", &rows[6][10]);
    assert!(rows[7][10].contains("its Work ark:/21198/zz002dvwn9 is not in the batch"), "{:?}", &rows[7][10]);
    assert!(rows[11][10].contains("the Item ARK is empty"), "{:?}", &rows[11][10]);

    // A batch with no problems gets no problem column.
    let clean = b"Item ARK,Parent ARK,Object Type,Title,media.width,media.height\nark:/1/a,,,A,10,10\n";
    let mut out = Vec::new();
    annotate_csv(&clean[..], &mut out, |_| None, &[]).expect("annotate");
    assert!(!String::from_utf8_lossy(&out).contains("IIIF Manifest Problem"));
    assert_eq!(&rows[1][0], "ark:/21198/zz002dvwq1", "other columns are kept");
}

/// Any prefix of a batch, and any one byte changed, reads and renders without a panic: a batch is either
/// refused as a whole or built with its problems reported.
#[test]
fn truncated_and_corrupted_batches_never_panic() {
    let input = std::fs::read(data("sinai.csv")).expect("read");
    let sizes = sizes();
    let ctx = Context::new(Presentation::V3, "https://iiif.example.edu", &sizes);
    let ctx2 = Context::new(Presentation::V2, "https://iiif.example.edu", &sizes);
    let mut variants: Vec<Vec<u8>> = (0..input.len()).map(|n| input[..n].to_vec()).collect();
    for (i, byte) in [(10, b'"'), (40, b','), (200, b'\n'), (300, 0xff), (500, b'"'), (700, b'\r')] {
        let mut v = input.clone();
        if i < v.len() {
            v[i] = byte;
        }
        variants.push(v);
    }
    let mut built = 0;
    for v in &variants {
        let Ok(catalog) = read_batch(&v[..]) else { continue };
        for doc in catalog.documents(&ctx).chain(catalog.documents(&ctx2)) {
            built += usize::from(doc.is_ok());
        }
        let mut out = Vec::new();
        let _ = annotate_csv(&v[..], &mut out, |_| None, &catalog.problems);
    }
    assert!(built > 0, "some prefixes build documents");
}
