//! IIIF Presentation 3.0: Manifest → Canvas → AnnotationPage → painting Annotation → Image (with an
//! `ImageService3`), Sound or Video; Collections listing their Manifests.

use serde_json::{Map, Value, json};

use crate::Problem;
use crate::catalog::{Catalog, Collection, Work};
use crate::render::{self, Context, MediaKind};
use crate::table::Row;

fn label(text: &str) -> Value {
    json!({ "none": [text] })
}

fn entry(name: &str, value: &str) -> Value {
    json!({ "label": { "en": [name] }, "value": { "none": [value] } })
}

/// Descriptive properties shared by manifests and collections.
fn describe(doc: &mut Map<String, Value>, row: &Row) {
    let metadata: Vec<Value> = [
        ("Repository", row.repository.as_deref()),
        ("Rights", row.rights_statement.as_deref()),
        ("Rights contact", row.rights_contact.as_deref()),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| entry(name, v)))
    .collect();
    if !metadata.is_empty() {
        doc.insert("metadata".into(), Value::Array(metadata));
    }
    if let Some(text) = render::attribution(row) {
        doc.insert("requiredStatement".into(), entry("Attribution", &text));
    }
    if let Some(uri) = render::rights_uri(row) {
        doc.insert("rights".into(), json!(uri));
    }
}

fn thumbnail(ctx: &Context, column: Option<&str>, fallback: Option<&Row>) -> Option<Value> {
    let (id, service) = ctx.thumbnail(column, fallback)?;
    let mut image = json!({ "id": id, "type": "Image", "format": "image/jpeg" });
    if !service.is_empty() {
        image["service"] = json!([{ "id": service, "type": "ImageService3", "profile": "level2" }]);
    }
    Some(json!([image]))
}

fn canvas(ctx: &Context, work: &Work, row: &Row) -> Result<Value, Problem> {
    let id = ctx.canvas_url(&work.row.ark, &row.ark);
    let mut canvas = json!({ "id": id, "type": "Canvas", "label": label(&row.title) });
    let kind = render::media_kind(row);
    let body = match kind {
        MediaKind::Image => {
            let (width, height) = ctx.canvas_size(row)?;
            canvas["width"] = json!(width);
            canvas["height"] = json!(height);
            let service = ctx.image_service(row);
            json!({
                "id": format!("{service}/full/max/0/default.jpg"),
                "type": "Image",
                "format": "image/jpeg",
                "width": width,
                "height": height,
                "service": [{ "id": service, "type": "ImageService3", "profile": "level2" }],
            })
        }
        MediaKind::Sound | MediaKind::Video => {
            let problem = |why: &str| Problem::new(row.line, &row.ark, why);
            let duration =
                row.media.duration.ok_or_else(|| problem("audio or video needs media.duration"))?;
            let url = row
                .access_url
                .as_deref()
                .ok_or_else(|| problem("audio or video needs an IIIF Access URL"))?;
            canvas["duration"] = json!(duration);
            let mut body = json!({
                "id": url,
                "type": if kind == MediaKind::Sound { "Sound" } else { "Video" },
                "format": row.media.format,
                "duration": duration,
            });
            if let (MediaKind::Video, Some(w), Some(h)) = (kind, row.media.width, row.media.height) {
                canvas["width"] = json!(w);
                canvas["height"] = json!(h);
                body["width"] = json!(w);
                body["height"] = json!(h);
            }
            body
        }
    };
    if !std::ptr::eq(row, &work.row)
        && let Some(b) = render::behavior(row)?.filter(|b| b != "top")
    {
        canvas["behavior"] = json!([b]);
    }
    canvas["items"] = json!([{
        "id": format!("{id}/page"),
        "type": "AnnotationPage",
        "items": [{
            "id": format!("{id}/page/painting"),
            "type": "Annotation",
            "motivation": "painting",
            "target": id,
            "body": body,
        }],
    }]);
    Ok(canvas)
}

/// The manifest of one work.
pub fn manifest(ctx: &Context, catalog: &Catalog, work: &Work) -> Result<Value, Problem> {
    let row = &work.row;
    let mut doc = Map::new();
    doc.insert("@context".into(), json!(ctx.version.context()));
    doc.insert("id".into(), json!(ctx.manifest_url(&row.ark)));
    doc.insert("type".into(), json!("Manifest"));
    doc.insert("label".into(), label(&row.title));
    describe(&mut doc, row);
    if let Some(b) = render::behavior(row)?.filter(|b| b != "top") {
        doc.insert("behavior".into(), json!([b]));
    }
    if let Some(d) = render::viewing_direction(row)? {
        doc.insert("viewingDirection".into(), json!(d));
    }
    let first_image = work.canvases().iter().find(|r| render::media_kind(r) == MediaKind::Image);
    if let Some(t) = thumbnail(ctx, row.thumbnail.as_deref(), first_image) {
        doc.insert("thumbnail".into(), t);
    }
    if let Some(c) = catalog.collection_of(work) {
        doc.insert(
            "partOf".into(),
            json!([{ "id": ctx.collection_url(&c.row.ark), "type": "Collection", "label": label(&c.row.title) }]),
        );
    }
    let canvases = work.canvases().iter().map(|r| canvas(ctx, work, r)).collect::<Result<Vec<_>, _>>()?;
    doc.insert("items".into(), Value::Array(canvases));
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
    doc.insert("id".into(), json!(ctx.collection_url(&row.ark)));
    doc.insert("type".into(), json!("Collection"));
    doc.insert("label".into(), label(&row.title));
    describe(&mut doc, row);
    if let Some(b) = render::behavior(row)?.filter(|b| b != "top") {
        doc.insert("behavior".into(), json!([b]));
    }
    if let Some(t) = thumbnail(ctx, row.thumbnail.as_deref(), None) {
        doc.insert("thumbnail".into(), t);
    }
    let items: Vec<Value> = collection
        .works
        .iter()
        .filter(|ark| !left_out(ark))
        .filter_map(|ark| catalog.work(ark))
        .map(|w| json!({ "id": ctx.manifest_url(&w.row.ark), "type": "Manifest", "label": label(&w.row.title) }))
        .collect();
    doc.insert("items".into(), Value::Array(items));
    Ok(Value::Object(doc))
}
