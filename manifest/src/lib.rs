//! IIIF Presentation documents from Fester-style CSV batches, with no I/O.
//!
//! [`read_batch`] reads a CSV (UCLA's Fester/Bucketeer columns: `Item ARK`, `Parent ARK`, `Object Type`,
//! `Title`, `Item Sequence`...) into a [`Catalog`] of collections and works; rows that cannot be used are
//! [`Problem`]s naming their CSV line, and everything else still builds. [`Catalog::documents`] renders
//! each work's manifest and each collection as Presentation 3.0 ([`presentation3`]) or 2.1
//! ([`presentation2`]) JSON, one at a time; [`annotate_csv`] writes the batch back with an
//! `IIIF Manifest URL` column. Image sizes the CSV lacks come from the caller ([`ImageSizes`]): the origin
//! probes them with the same code the image server uses.

pub mod catalog;
pub mod presentation2;
pub mod presentation3;
pub mod render;
pub mod table;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Read, Write};
use std::rc::Rc;

pub use catalog::{Catalog, Collection, Work};
pub use render::{Context, ImageSizes, PLACEHOLDER_BASE, Presentation, resolve_base};
use serde_json::Value;
pub use table::{ObjectType, Row};

/// A problem with the batch as a whole: nothing is built.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("the CSV lacks required columns: {0}")]
    MissingColumns(String),
    #[error("the CSV cannot be read: {0}")]
    Csv(#[source] csv::Error),
}

/// A row left out of the documents, and why. `line` is the CSV line (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub ark: String,
    pub reason: String,
}

impl Problem {
    pub fn new(line: u64, ark: &str, reason: impl Into<String>) -> Problem {
        Problem { line, ark: ark.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ark.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {} ({}): {}", self.line, self.ark, self.reason)
        }
    }
}

impl std::error::Error for Problem {}

/// Reads and organises a CSV batch.
pub fn read_batch<R: Read>(input: R) -> Result<Catalog, BatchError> {
    let (rows, problems) = table::read_rows(input)?;
    Ok(Catalog::build(rows, problems))
}

/// A work's manifest or a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Manifest,
    Collection,
}

impl DocumentKind {
    /// The object-store key: `works/{ARK}.json` or `collections/{ARK}.json`.
    pub fn key(self, ark: &str) -> String {
        match self {
            DocumentKind::Manifest => format!("works/{ark}.json"),
            DocumentKind::Collection => format!("collections/{ark}.json"),
        }
    }

    /// The document's public URL under `base`.
    pub fn url(self, base: &str, ark: &str) -> String {
        match self {
            DocumentKind::Manifest => render::manifest_url(base, ark),
            DocumentKind::Collection => render::collection_url(base, ark),
        }
    }
}

/// One rendered document.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub ark: String,
    pub json: Value,
}

impl Document {
    pub fn key(&self) -> String {
        self.kind.key(&self.ark)
    }
}

impl Catalog {
    /// Renders every work, then every collection, lazily: a caller that writes each document as it comes
    /// holds one at a time. A work that cannot be rendered (an unknown size, audio in 2.1) is a
    /// [`Problem`], the rest still render, and collections leave it out.
    pub fn documents<'a>(
        &'a self,
        ctx: &'a Context<'a>,
    ) -> impl Iterator<Item = Result<Document, Problem>> + 'a {
        let failed: Rc<RefCell<HashSet<String>>> = Rc::default();
        let failed_works = failed.clone();
        let works = self.works.iter().map(move |w| {
            let json = match ctx.version {
                Presentation::V3 => presentation3::manifest(ctx, self, w),
                Presentation::V2 => presentation2::manifest(ctx, self, w),
            }
            .inspect_err(|_| {
                failed_works.borrow_mut().insert(w.row.ark.clone());
            })?;
            Ok(Document { kind: DocumentKind::Manifest, ark: w.row.ark.clone(), json })
        });
        let collections = self.collections.iter().map(move |c| {
            let failed = failed.borrow();
            let left_out = |ark: &str| failed.contains(ark);
            let json = match ctx.version {
                Presentation::V3 => presentation3::collection(ctx, self, c, &left_out)?,
                Presentation::V2 => presentation2::collection(ctx, self, c, &left_out)?,
            };
            Ok(Document { kind: DocumentKind::Collection, ark: c.row.ark.clone(), json })
        });
        works.chain(collections)
    }

    /// The public URL of the document a row is part of (a page's is its work's manifest).
    pub fn url_for_row(&self, base: &str, ark: &str) -> Option<String> {
        let doc = self.document_of.get(ark)?;
        let kind =
            if self.collection(doc).is_some() { DocumentKind::Collection } else { DocumentKind::Manifest };
        Some(kind.url(base, doc))
    }
}

/// Copies a CSV batch, adding (or refilling) an `IIIF Manifest URL` column from `url_of(Item ARK)`. When
/// `problems` is not empty an `IIIF Manifest Problem` column is added too, holding each left-out row's
/// reason (matched by CSV line), so the caller of a batch sees which rows failed and why.
pub fn annotate_csv<R: Read, W: Write>(
    input: R,
    output: W,
    url_of: impl Fn(&str) -> Option<String>,
    problems: &[Problem],
) -> Result<(), BatchError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
    let mut header = reader.headers().map_err(BatchError::Csv)?.clone();
    let ark_column = header
        .iter()
        .position(|h| h.trim() == table::column::ITEM_ARK)
        .ok_or_else(|| BatchError::MissingColumns(table::column::ITEM_ARK.to_string()))?;
    let mut added = |name: &str| match header.iter().position(|h| h.trim() == name) {
        Some(i) => i,
        None => {
            header.push_field(name);
            header.len() - 1
        }
    };
    let url_column = added(table::column::MANIFEST_URL);
    let problem_column = (!problems.is_empty()).then(|| added(table::column::MANIFEST_PROBLEM));
    let mut reasons: HashMap<u64, Vec<&str>> = HashMap::new();
    for p in problems {
        reasons.entry(p.line).or_default().push(&p.reason);
    }
    writer.write_record(&header).map_err(BatchError::Csv)?;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(BatchError::Csv)? {
        let url = record.get(ark_column).map(str::trim).and_then(&url_of).unwrap_or_default();
        let line = record.position().map_or(0, csv::Position::line);
        let reason = reasons.get(&line).map(|r| r.join("; ")).unwrap_or_default();
        let fields: Vec<&str> = (0..header.len().max(record.len()))
            .map(|i| {
                if i == url_column {
                    url.as_str()
                } else if Some(i) == problem_column {
                    reason.as_str()
                } else {
                    record.get(i).unwrap_or("")
                }
            })
            .collect();
        writer.write_record(&fields).map_err(BatchError::Csv)?;
    }
    writer.flush().map_err(|e| BatchError::Csv(e.into()))?;
    Ok(())
}
