//! IIIF Presentation 2.1: `sc:Manifest` → `sc:Sequence` → `sc:Canvas` → `oa:Annotation` images with an
//! Image API 2 service; `sc:Collection` listing its manifests. Audio and video need 3.0.

use serde_json::{Map, Value, json};

use crate::Problem;
use crate::catalog::{Catalog, Collection, Work};
use crate::render::{self, Context, MediaKind};
use crate::table::Row;

const IMAGE_CONTEXT: &str = "http://iiif.io/api/image/2/context.json";
const LEVEL2: &str = "http://iiif.io/api/image/2/level2.json";

fn describe(doc: &mut Map<String, Value>, row: &Row) {
    let metadata: Vec<Value> = [
        ("Repository", row.repository.as_deref()),
        ("Rights", row.rights_statement.as_deref()),
        ("Rights contact", row.rights_contact.as_deref()),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| json!({ "label": name, "value": v })))
    .collect();
    if !metadata.is_empty() {
        doc.insert("metadata".into(), Value::Array(metadata));
    }
    if let Some(text) = render::attribution(row) {
        doc.insert("attribution".into(), json!(text));
    }
    if let Some(uri) = render::rights_uri(row) {
        doc.insert("license".into(), json!(uri));
    }
}

fn service(id: &str) -> Value {
    json!({ "@context": IMAGE_CONTEXT, "@id": id, "profile": LEVEL2 })
}

fn canvas(ctx: &Context, work: &Work, row: &Row) -> Result<Value, Problem> {
    if render::media_kind(row) != MediaKind::Image {
        return Err(Problem::new(row.line, &row.ark, "audio and video need Presentation 3.0"));
    }
    let id = ctx.canvas_url(&work.row.ark, &row.ark);
    let (width, height) = ctx.canvas_size(row)?;
    let image_service = ctx.image_service(row);
    let mut canvas = json!({
        "@id": id,
        "@type": "sc:Canvas",
        "label": row.title,
        "width": width,
        "height": height,
        "images": [{
            "@id": format!("{id}/annotation/painting"),
            "@type": "oa:Annotation",
            "motivation": "sc:painting",
            "on": id,
            "resource": {
                "@id": format!("{image_service}/full/full/0/default.jpg"),
                "@type": "dctypes:Image",
                "format": "image/jpeg",
                "width": width,
                "height": height,
                "service": service(&image_service),
            },
        }],
    });
    if !std::ptr::eq(row, &work.row)
        && let Some(hint) = render::behavior(row)?
    {
        canvas["viewingHint"] = json!(hint);
    }
    Ok(canvas)
}

fn thumbnail(ctx: &Context, column: Option<&str>, fallback: Option<&Row>) -> Option<Value> {
    let (id, image_service) = ctx.thumbnail(column, fallback)?;
    if image_service.is_empty() {
        return Some(json!({ "@id": id }));
    }
    Some(json!({ "@id": id, "service": service(&image_service) }))
}

/// The manifest of one work.
pub fn manifest(ctx: &Context, catalog: &Catalog, work: &Work) -> Result<Value, Problem> {
    let row = &work.row;
    let id = ctx.manifest_url(&row.ark);
    let mut doc = Map::new();
    doc.insert("@context".into(), json!(ctx.version.context()));
    doc.insert("@id".into(), json!(id));
    doc.insert("@type".into(), json!("sc:Manifest"));
    doc.insert("label".into(), json!(row.title));
    describe(&mut doc, row);
    if let Some(hint) = render::behavior(row)? {
        doc.insert("viewingHint".into(), json!(hint));
    }
    if let Some(d) = render::viewing_direction(row)? {
        doc.insert("viewingDirection".into(), json!(d));
    }
    if let Some(t) = thumbnail(ctx, row.thumbnail.as_deref(), work.canvases().first()) {
        doc.insert("thumbnail".into(), t);
    }
    if let Some(c) = catalog.collection_of(work) {
        doc.insert("within".into(), json!(ctx.collection_url(&c.row.ark)));
    }
    let canvases = work.canvases().iter().map(|r| canvas(ctx, work, r)).collect::<Result<Vec<_>, _>>()?;
    let sequence_id = id.trim_end_matches("/manifest").to_string() + "/sequence/normal";
    doc.insert(
        "sequences".into(),
        json!([{ "@id": sequence_id, "@type": "sc:Sequence", "canvases": canvases }]),
    );
    Ok(Value::Object(doc))
}

/// A collection listing the manifests of its works in this batch.
///
/// `left_out` names works that failed to render, which the collection does not list.
pub fn collection(
    ctx: &Context,
    catalog: &Catalog,
    collection: &Collection,
    left_out: &dyn Fn(&str) -> bool,
) -> Result<Value, Problem> {
    let row = &collection.row;
    let mut doc = Map::new();
    doc.insert("@context".into(), json!(ctx.version.context()));
    doc.insert("@id".into(), json!(ctx.collection_url(&row.ark)));
    doc.insert("@type".into(), json!("sc:Collection"));
    doc.insert("label".into(), json!(row.title));
    describe(&mut doc, row);
    let manifests: Vec<Value> = collection
        .works
        .iter()
        .filter(|ark| !left_out(ark))
        .filter_map(|ark| catalog.work(ark))
        .map(|w| json!({ "@id": ctx.manifest_url(&w.row.ark), "@type": "sc:Manifest", "label": w.row.title }))
        .collect();
    doc.insert("manifests".into(), Value::Array(manifests));
    Ok(Value::Object(doc))
}
