//! Rows → the structure the documents describe: collections, and works with their pages in
//! `Item Sequence` order. Inconsistent rows become [`Problem`]s; the works they do not touch still build.

use std::collections::{HashMap, HashSet};

use crate::Problem;
use crate::table::{ObjectType, Row};

/// A work: one manifest. Its canvases are its pages, in sequence order, or the work's own row when it has
/// no pages (a single-image work).
#[derive(Debug, Clone)]
pub struct Work {
    pub row: Row,
    pub pages: Vec<Row>,
}

impl Work {
    /// The rows that become canvases.
    pub fn canvases(&self) -> &[Row] {
        if self.pages.is_empty() { std::slice::from_ref(&self.row) } else { &self.pages }
    }
}

/// A collection and the ARKs of the works in this batch that belong to it, in CSV order.
#[derive(Debug, Clone)]
pub struct Collection {
    pub row: Row,
    pub works: Vec<String>,
}

/// A batch, organised.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub collections: Vec<Collection>,
    pub works: Vec<Work>,
    /// Rows that were left out, and why.
    pub problems: Vec<Problem>,
    /// Item ARK → the ARK of the document that row is part of (its own for works and collections, its
    /// work's for pages), for the result CSV's manifest URLs.
    pub document_of: HashMap<String, String>,
    work_index: HashMap<String, usize>,
    collection_index: HashMap<String, usize>,
}

impl Catalog {
    pub fn build(rows: Vec<Row>, mut problems: Vec<Problem>) -> Catalog {
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut collections = Vec::new();
        let mut works = Vec::new();
        let mut pages = Vec::new();
        for row in rows {
            if let Some(first) = seen.get(&row.ark) {
                problems.push(Problem::new(
                    row.line,
                    &row.ark,
                    format!("the Item ARK repeats the one on line {first}"),
                ));
                continue;
            }
            seen.insert(row.ark.clone(), row.line);
            if let Err(p) = crate::render::behavior(&row).and_then(|_| crate::render::viewing_direction(&row))
            {
                problems.push(p);
                continue;
            }
            match row.object_type {
                ObjectType::Collection => collections.push(Collection { row, works: Vec::new() }),
                ObjectType::Work | ObjectType::SingleImage => works.push(Work { row, pages: Vec::new() }),
                ObjectType::Page => pages.push(row),
            }
        }

        let mut broken: HashSet<usize> = HashSet::new();
        let work_index: HashMap<String, usize> =
            works.iter().enumerate().map(|(i, w)| (w.row.ark.clone(), i)).collect();
        for page in pages {
            let Some(parent) = page.parent.clone() else {
                problems.push(Problem::new(page.line, &page.ark, "a Page needs a Parent ARK (its Work)"));
                continue;
            };
            let Some(&w) = work_index.get(&parent) else {
                problems.push(Problem::new(
                    page.line,
                    &page.ark,
                    format!("its Work {parent} is not in the batch"),
                ));
                continue;
            };
            if page.sequence.is_none() {
                problems.push(Problem::new(
                    page.line,
                    &page.ark,
                    format!("a Page needs an Item Sequence; its Work {parent} is not built"),
                ));
                broken.insert(w);
                continue;
            }
            works[w].pages.push(page);
        }

        // Pages in sequence order; a repeated number leaves the order undefined, so that work is not built.
        for (i, work) in works.iter_mut().enumerate() {
            work.pages.sort_by_key(|p| (p.sequence, p.line));
            for pair in work.pages.windows(2) {
                if pair[0].sequence == pair[1].sequence {
                    problems.push(Problem::new(
                        pair[1].line,
                        &pair[1].ark,
                        format!(
                            "Item Sequence {} repeats line {}'s in Work {}; the Work is not built",
                            pair[1].sequence.unwrap_or_default(),
                            pair[0].line,
                            work.row.ark
                        ),
                    ));
                    broken.insert(i);
                }
            }
        }
        let works: Vec<Work> =
            works.into_iter().enumerate().filter(|(i, _)| !broken.contains(i)).map(|(_, w)| w).collect();

        let collection_index: HashMap<String, usize> =
            collections.iter().enumerate().map(|(i, c)| (c.row.ark.clone(), i)).collect();
        let mut document_of = HashMap::new();
        for work in &works {
            if let Some(c) = work.row.parent.as_ref().and_then(|p| collection_index.get(p)) {
                collections[*c].works.push(work.row.ark.clone());
            }
            document_of.insert(work.row.ark.clone(), work.row.ark.clone());
            for page in &work.pages {
                document_of.insert(page.ark.clone(), work.row.ark.clone());
            }
        }
        for c in &collections {
            document_of.insert(c.row.ark.clone(), c.row.ark.clone());
        }
        problems.sort_by_key(|p| p.line);
        let work_index = works.iter().enumerate().map(|(i, w)| (w.row.ark.clone(), i)).collect();
        Catalog { collections, works, problems, document_of, work_index, collection_index }
    }

    /// The collection a work belongs to, when that collection is in the batch.
    pub fn collection_of(&self, work: &Work) -> Option<&Collection> {
        self.collection(work.row.parent.as_ref()?)
    }

    pub fn collection(&self, ark: &str) -> Option<&Collection> {
        self.collection_index.get(ark).map(|&i| &self.collections[i])
    }

    pub fn work(&self, ark: &str) -> Option<&Work> {
        self.work_index.get(ark).map(|&i| &self.works[i])
    }

    /// Canvas images whose size the CSV does not give: the caller probes these (the origin reads their
    /// geometry) and hands the sizes to the renderers.
    pub fn images_needing_size(&self) -> impl Iterator<Item = &Row> {
        self.works.iter().flat_map(Work::canvases).filter(|r| {
            crate::render::media_kind(r) == crate::render::MediaKind::Image
                && (r.media.width.is_none() || r.media.height.is_none())
        })
    }
}
