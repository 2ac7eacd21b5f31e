//! Reading a Fester-style CSV batch: header → column positions, each record → a [`Row`], with a
//! [`Problem`] naming the CSV line for any row that cannot be read (the other rows still are).

use std::collections::HashMap;
use std::io::Read;

use crate::{BatchError, Problem};

/// Column names as Fester and Bucketeer export them.
pub mod column {
    pub const ITEM_ARK: &str = "Item ARK";
    pub const PARENT_ARK: &str = "Parent ARK";
    pub const IIIF_PARENT_ARK: &str = "IIIF Parent ARK";
    pub const OBJECT_TYPE: &str = "Object Type";
    pub const IIIF_OBJECT_TYPE: &str = "IIIF Object Type";
    pub const TITLE: &str = "Title";
    pub const FILE_NAME: &str = "File Name";
    pub const ITEM_SEQUENCE: &str = "Item Sequence";
    pub const VIEWING_HINT: &str = "viewingHint";
    pub const TEXT_DIRECTION: &str = "Text direction";
    pub const ACCESS_URL: &str = "IIIF Access URL";
    pub const REPOSITORY: &str = "Name.repository";
    pub const RIGHTS_LOCAL: &str = "Rights.statementLocal";
    pub const RIGHTS_CONTACT: &str = "Rights.servicesContact";
    pub const MEDIA_WIDTH: &str = "media.width";
    pub const MEDIA_HEIGHT: &str = "media.height";
    pub const MEDIA_DURATION: &str = "media.duration";
    pub const MEDIA_FORMAT: &str = "media.format";
    pub const THUMBNAIL: &str = "Thumbnail";
    /// The column `tessella manifests` and `POST /collections` add to the CSV they return.
    pub const MANIFEST_URL: &str = "IIIF Manifest URL";
    /// Added beside it when rows were left out: each such row's reason.
    pub const MANIFEST_PROBLEM: &str = "IIIF Manifest Problem";
}

/// What a row describes (`Object Type`, or `IIIF Object Type` when present).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    Collection,
    Work,
    Page,
    /// A blank object type: a work of one image, the row itself.
    SingleImage,
}

/// Audio/video and explicit dimensions from the `media.*` columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Media {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub duration: Option<f64>,
    pub format: Option<String>,
}

/// One CSV record, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line in the CSV file (the header is line 1).
    pub line: u64,
    pub ark: String,
    pub parent: Option<String>,
    pub object_type: ObjectType,
    pub title: String,
    pub file_name: Option<String>,
    pub sequence: Option<u32>,
    pub viewing_hint: Option<String>,
    pub text_direction: Option<String>,
    pub access_url: Option<String>,
    pub repository: Option<String>,
    pub rights_statement: Option<String>,
    pub rights_contact: Option<String>,
    pub media: Media,
    pub thumbnail: Option<String>,
}

/// Positions of the columns we read; `None` for an optional column the file lacks.
struct Columns {
    ark: usize,
    parent: Option<usize>,
    iiif_parent: Option<usize>,
    object_type: Option<usize>,
    iiif_object_type: Option<usize>,
    title: usize,
    file_name: Option<usize>,
    sequence: Option<usize>,
    viewing_hint: Option<usize>,
    text_direction: Option<usize>,
    access_url: Option<usize>,
    repository: Option<usize>,
    rights_statement: Option<usize>,
    rights_contact: Option<usize>,
    media_width: Option<usize>,
    media_height: Option<usize>,
    media_duration: Option<usize>,
    media_format: Option<usize>,
    thumbnail: Option<usize>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Columns, BatchError> {
        // The first of repeated names wins.
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            index.entry(name.trim()).or_insert(i);
        }
        let find = |name: &str| index.get(name).copied();
        let mut missing = Vec::new();
        let mut required = |name: &'static str| {
            let found = find(name);
            if found.is_none() {
                missing.push(name);
            }
            found.unwrap_or(0)
        };
        let ark = required(column::ITEM_ARK);
        let title = required(column::TITLE);
        let (parent, iiif_parent) = (find(column::PARENT_ARK), find(column::IIIF_PARENT_ARK));
        if parent.is_none() && iiif_parent.is_none() {
            missing.push("Parent ARK (or IIIF Parent ARK)");
        }
        let (object_type, iiif_object_type) = (find(column::OBJECT_TYPE), find(column::IIIF_OBJECT_TYPE));
        if object_type.is_none() && iiif_object_type.is_none() {
            missing.push("Object Type (or IIIF Object Type)");
        }
        if !missing.is_empty() {
            return Err(BatchError::MissingColumns(missing.join(", ")));
        }
        Ok(Columns {
            ark,
            parent,
            iiif_parent,
            object_type,
            iiif_object_type,
            title,
            file_name: find(column::FILE_NAME),
            sequence: find(column::ITEM_SEQUENCE),
            viewing_hint: find(column::VIEWING_HINT),
            text_direction: find(column::TEXT_DIRECTION),
            access_url: find(column::ACCESS_URL),
            repository: find(column::REPOSITORY),
            rights_statement: find(column::RIGHTS_LOCAL),
            rights_contact: find(column::RIGHTS_CONTACT),
            media_width: find(column::MEDIA_WIDTH),
            media_height: find(column::MEDIA_HEIGHT),
            media_duration: find(column::MEDIA_DURATION),
            media_format: find(column::MEDIA_FORMAT),
            thumbnail: find(column::THUMBNAIL),
        })
    }

    fn row(&self, record: &csv::StringRecord, line: u64) -> Result<Row, Problem> {
        let text = |i: Option<usize>| {
            i.and_then(|i| record.get(i)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
        };
        let ark = text(Some(self.ark)).ok_or_else(|| Problem::new(line, "", "the Item ARK is empty"))?;
        let problem = |reason: String| Problem::new(line, &ark, reason);
        // The IIIF-specific columns win over the descriptive ones when both have a value.
        let parent = text(self.iiif_parent).or_else(|| text(self.parent));
        let object_type = match text(self.iiif_object_type).or_else(|| text(self.object_type)) {
            None => ObjectType::SingleImage,
            Some(t) => match t.to_ascii_lowercase().as_str() {
                "collection" => ObjectType::Collection,
                "work" => ObjectType::Work,
                "page" => ObjectType::Page,
                _ => {
                    return Err(problem(format!(
                        "unknown Object Type {t:?} (Collection, Work, Page or blank)"
                    )));
                }
            },
        };
        let number = |name: &str, i: Option<usize>| -> Result<Option<u32>, Problem> {
            text(i)
                .map(|s| {
                    s.parse::<u32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| problem(format!("{name} {s:?} is not a positive whole number")))
                })
                .transpose()
        };
        let sequence = number(column::ITEM_SEQUENCE, self.sequence)?;
        let duration = text(self.media_duration)
            .map(|s| {
                s.parse::<f64>().ok().filter(|d| d.is_finite() && *d > 0.0).ok_or_else(|| {
                    problem(format!("media.duration {s:?} is not a positive number of seconds"))
                })
            })
            .transpose()?;
        let media = Media {
            width: number(column::MEDIA_WIDTH, self.media_width)?,
            height: number(column::MEDIA_HEIGHT, self.media_height)?,
            duration,
            format: text(self.media_format),
        };
        Ok(Row {
            line,
            title: text(Some(self.title)).unwrap_or_else(|| ark.clone()),
            parent,
            object_type,
            file_name: text(self.file_name),
            sequence,
            viewing_hint: text(self.viewing_hint),
            text_direction: text(self.text_direction),
            access_url: text(self.access_url),
            repository: text(self.repository),
            rights_statement: text(self.rights_statement),
            rights_contact: text(self.rights_contact),
            media,
            thumbnail: text(self.thumbnail),
            ark,
        })
    }
}

/// Reads every record of a CSV batch. A missing required column or a malformed file is an error for the
/// whole batch; a row that cannot be read is a [`Problem`] and the others are kept.
pub fn read_rows<R: Read>(input: R) -> Result<(Vec<Row>, Vec<Problem>), BatchError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = reader.headers().map_err(BatchError::Csv)?.clone();
    let columns = Columns::from_header(&header)?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                // A blank line in a spreadsheet export is not a row.
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                match columns.row(&record, line) {
                    Ok(row) => rows.push(row),
                    Err(p) => problems.push(p),
                }
            }
            Err(e) => return Err(BatchError::Csv(e)),
        }
    }
    Ok((rows, problems))
}
