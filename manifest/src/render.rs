//! What the 3.0 and 2.1 renderers share: the URLs of documents and image services, canvas sizes, and the
//! normalised `viewingHint`, `Text direction`, rights and media columns.

use std::collections::HashMap;

use tessella_core::iiif::encode_identifier;

use crate::Problem;
use crate::table::Row;

/// The host stored documents are written with. Served documents have it replaced by the server's public
/// base (see [`resolve_base`]), so moving hosts needs no regeneration.
pub const PLACEHOLDER_BASE: &str = "https://tessella.invalid";

/// Replaces the placeholder host in a stored document with `base` (no trailing slash).
pub fn resolve_base(document: &str, base: &str) -> String {
    document.replace(PLACEHOLDER_BASE, base.trim_end_matches('/'))
}

/// The Presentation API version of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Presentation {
    #[default]
    V3,
    V2,
}

impl Presentation {
    /// `3`, `3.0`, `v3`, `2`, `2.1`, `v2`...
    pub fn parse(s: &str) -> Option<Presentation> {
        match s.trim().trim_start_matches(['v', 'V']) {
            "3" | "3.0" => Some(Presentation::V3),
            "2" | "2.0" | "2.1" | "2.1.1" => Some(Presentation::V2),
            _ => None,
        }
    }

    /// The Image API path segment of the image services a document of this version points to.
    pub fn image_api(self) -> &'static str {
        match self {
            Presentation::V3 => "3",
            Presentation::V2 => "2",
        }
    }

    pub fn context(self) -> &'static str {
        match self {
            Presentation::V3 => "http://iiif.io/api/presentation/3/context.json",
            Presentation::V2 => "http://iiif.io/api/presentation/2/context.json",
        }
    }

    /// The JSON-LD media type with this version's profile.
    pub fn media_type(self) -> String {
        format!("application/ld+json;profile=\"{}\"", self.context())
    }
}

/// Pixel sizes of images, by image identifier (the Item ARK).
pub trait ImageSizes {
    fn size(&self, identifier: &str) -> Option<(u32, u32)>;
}

impl ImageSizes for HashMap<String, (u32, u32)> {
    fn size(&self, identifier: &str) -> Option<(u32, u32)> {
        self.get(identifier).copied()
    }
}

/// Where documents and image services live, and the image sizes the CSV does not give.
pub struct Context<'a> {
    pub version: Presentation,
    /// Base URL of the documents (no trailing slash); [`PLACEHOLDER_BASE`] for stored documents.
    pub base: String,
    /// Base URL of image services, e.g. `{base}/iiif/3`: an image's service is `{image_base}/{ARK}`.
    pub image_base: String,
    pub sizes: &'a dyn ImageSizes,
}

impl<'a> Context<'a> {
    /// Documents under `base`, images from this server's own Image API at `{base}/iiif/{2|3}`.
    pub fn new(version: Presentation, base: &str, sizes: &'a dyn ImageSizes) -> Context<'a> {
        let base = base.trim_end_matches('/').to_string();
        let image_base = format!("{base}/iiif/{}", version.image_api());
        Context { version, base, image_base, sizes }
    }

    /// Image services on another host (Fester's `iiif-host`), e.g. `https://iiif.example.edu/iiif/2`.
    pub fn with_image_base(mut self, image_base: &str) -> Context<'a> {
        self.image_base = image_base.trim_end_matches('/').to_string();
        self
    }

    pub fn manifest_url(&self, ark: &str) -> String {
        manifest_url(&self.base, ark)
    }

    pub fn collection_url(&self, ark: &str) -> String {
        collection_url(&self.base, ark)
    }

    pub fn canvas_url(&self, work: &str, page: &str) -> String {
        format!("{}/{}/canvas/{}", self.base, encode_identifier(work), encode_identifier(page))
    }

    /// The image service of a row: its `IIIF Access URL` when given, else ours for its ARK.
    pub fn image_service(&self, row: &Row) -> String {
        match &row.access_url {
            Some(url) => url.trim_end_matches("/info.json").trim_end_matches('/').to_string(),
            None => format!("{}/{}", self.image_base, encode_identifier(&row.ark)),
        }
    }

    /// A canvas's size: the media columns, else the probed image.
    pub fn canvas_size(&self, row: &Row) -> Result<(u32, u32), Problem> {
        if let (Some(w), Some(h)) = (row.media.width, row.media.height) {
            return Ok((w, h));
        }
        self.sizes.size(&row.ark).ok_or_else(|| {
            Problem::new(
                row.line,
                &row.ark,
                "no media.width/media.height and no image with this ARK to read the size from",
            )
        })
    }

    /// A thumbnail URL: the `Thumbnail` column as a URL, or as an image identifier; else `fallback`'s image.
    pub fn thumbnail(&self, column: Option<&str>, fallback: Option<&Row>) -> Option<(String, String)> {
        let service = match column {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                if url.contains("/full/") {
                    return Some((url.to_string(), String::new()));
                }
                url.trim_end_matches("/info.json").trim_end_matches('/').to_string()
            }
            Some(id) => format!("{}/{}", self.image_base, encode_identifier(id)),
            None => self.image_service(fallback?),
        };
        Some((format!("{service}/full/!200,200/0/default.jpg"), service))
    }
}

pub fn manifest_url(base: &str, ark: &str) -> String {
    format!("{}/{}/manifest", base.trim_end_matches('/'), encode_identifier(ark))
}

pub fn collection_url(base: &str, ark: &str) -> String {
    format!("{}/collections/{}", base.trim_end_matches('/'), encode_identifier(ark))
}

/// What a canvas paints, from `media.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Sound,
    Video,
}

pub fn media_kind(row: &Row) -> MediaKind {
    match row.media.format.as_deref().map(str::to_ascii_lowercase) {
        Some(f) if f.starts_with("audio/") => MediaKind::Sound,
        Some(f) if f.starts_with("video/") => MediaKind::Video,
        _ => MediaKind::Image,
    }
}

/// `viewingHint` as a 3.0 `behavior` (the 2.1 hints keep their names, bar `top`, which 3.0 dropped).
pub fn behavior(row: &Row) -> Result<Option<String>, Problem> {
    const KNOWN: [&str; 7] =
        ["individuals", "paged", "continuous", "multi-part", "non-paged", "facing-pages", "top"];
    let Some(hint) = &row.viewing_hint else { return Ok(None) };
    let hint = hint.to_ascii_lowercase();
    if KNOWN.contains(&hint.as_str()) {
        Ok(Some(hint))
    } else {
        Err(Problem::new(row.line, &row.ark, format!("unknown viewingHint {hint:?}")))
    }
}

/// `Text direction` as a `viewingDirection`.
pub fn viewing_direction(row: &Row) -> Result<Option<&'static str>, Problem> {
    let Some(d) = &row.text_direction else { return Ok(None) };
    let normalised = d.to_ascii_lowercase().replace([' ', '_'], "-");
    let direction = match normalised.as_str() {
        "left-to-right" | "ltr" => "left-to-right",
        "right-to-left" | "rtl" => "right-to-left",
        "top-to-bottom" | "ttb" => "top-to-bottom",
        "bottom-to-top" | "btt" => "bottom-to-top",
        _ => return Err(Problem::new(row.line, &row.ark, format!("unknown Text direction {d:?}"))),
    };
    Ok(Some(direction))
}

/// A rights statement that is a Creative Commons or RightsStatements.org URI goes in `rights` (in the
/// `http://` form the specification requires); any other text is shown in `requiredStatement`.
pub fn rights_uri(row: &Row) -> Option<String> {
    let s = row.rights_statement.as_deref()?;
    if s.contains(char::is_whitespace) {
        return None;
    }
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    let known =
        ["creativecommons.org/licenses/", "creativecommons.org/publicdomain/", "rightsstatements.org/vocab/"];
    known.iter().any(|p| rest.starts_with(p)).then(|| format!("http://{rest}"))
}

/// The text of `requiredStatement` (2.1 `attribution`): a rights statement that is not a URI, and the
/// rights contact; else the repository.
pub fn attribution(row: &Row) -> Option<String> {
    let statement = row.rights_statement.as_deref().filter(|_| rights_uri(row).is_none());
    let parts: Vec<&str> = statement.into_iter().chain(row.rights_contact.as_deref()).collect();
    if parts.is_empty() { row.repository.clone() } else { Some(parts.join(" ")) }
}
