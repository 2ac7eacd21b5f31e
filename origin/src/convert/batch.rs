//! A conversion batch: the CSV export of a collection with Bucketeer's columns, what each row asks for,
//! and the result CSV (the input, every column kept in order, plus `Bucketeer State`, `IIIF Access URL`
//! and `Bucketeer Message`, the reason a row failed or is missing).

use std::collections::HashMap;

use tessella_core::iiif::encode_identifier;

pub const ITEM_ARK: &str = "Item ARK";
pub const FILE_NAME: &str = "File Name";
pub const OBJECT_TYPE: &str = "Object Type";
pub const VIEWING_HINT: &str = "viewingHint";
pub const STATE: &str = "Bucketeer State";
pub const ACCESS_URL: &str = "IIIF Access URL";
pub const MESSAGE: &str = "Bucketeer Message";

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("the CSV has no {0:?} column")]
    MissingColumn(&'static str),
    #[error("line {line}: {source}")]
    Csv { line: u64, source: csv::Error },
    #[error("cannot read the CSV: {0}")]
    Read(#[from] csv::Error),
    #[error("the CSV is empty")]
    Empty,
}

/// What happened to a row, as Bucketeer reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Converted by this run.
    Succeeded,
    /// Already at the destination from an earlier run; nothing written.
    Ingested,
    /// The source file does not exist.
    Missing,
    /// Anything else: a bad row, an unreadable or unsupported source, a failed write.
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Succeeded => "succeeded",
            State::Ingested => "ingested",
            State::Missing => "missing",
            State::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        match s.trim() {
            "succeeded" => Some(State::Succeeded),
            "ingested" => Some(State::Ingested),
            "missing" => Some(State::Missing),
            "failed" => Some(State::Failed),
            _ => None,
        }
    }
}

/// What a row asks the converter to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Convert `file` (a key under the source root) into the derivative for `ark`.
    Convert { ark: String, file: String },
    /// A Collection, or a Work whose pages carry the images: nothing to convert, copied as it is.
    PassThrough,
    /// A row that cannot be converted; reported as failed with the reason.
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line in the CSV (the header is line 1), for reports.
    pub line: u64,
    pub fields: Vec<String>,
    pub task: Task,
    /// The state an earlier run wrote into this row, if the input is a result CSV.
    pub previous: Option<State>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    /// The input's columns, with `Bucketeer State` and `IIIF Access URL` appended when absent.
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    state_col: usize,
    url_col: usize,
    message_col: usize,
}

/// The outcome of one row, written back into the result CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: State,
    /// Why a row failed or is missing; empty otherwise.
    pub reason: String,
}

impl Batch {
    /// Reads a batch. A malformed line (unbalanced quotes, wrong field count) makes the whole file
    /// unreadable only when the header itself is bad; rows are otherwise judged one by one.
    pub fn parse(data: &[u8]) -> Result<Batch, BatchError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
        let mut headers: Vec<String> =
            reader.headers()?.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
        if headers.iter().all(String::is_empty) {
            return Err(BatchError::Empty);
        }
        let col = |headers: &[String], name: &str| headers.iter().position(|h| h == name);
        let ark_col = col(&headers, ITEM_ARK).ok_or(BatchError::MissingColumn(ITEM_ARK))?;
        let file_col = col(&headers, FILE_NAME).ok_or(BatchError::MissingColumn(FILE_NAME))?;
        let type_col = col(&headers, OBJECT_TYPE);
        let hint_col = col(&headers, VIEWING_HINT);
        let had_state = col(&headers, STATE);
        let state_col = had_state.unwrap_or_else(|| {
            headers.push(STATE.to_string());
            headers.len() - 1
        });
        let url_col = col(&headers, ACCESS_URL).unwrap_or_else(|| {
            headers.push(ACCESS_URL.to_string());
            headers.len() - 1
        });
        let message_col = col(&headers, MESSAGE).unwrap_or_else(|| {
            headers.push(MESSAGE.to_string());
            headers.len() - 1
        });

        let mut rows = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for record in reader.records() {
            let record = record
                .map_err(|e| BatchError::Csv { line: e.position().map_or(0, |p| p.line()), source: e })?;
            let line = record.position().map_or(0, |p| p.line());
            let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            fields.resize(headers.len(), String::new());
            let get = |c: Option<usize>| c.and_then(|c| fields.get(c)).map_or("", |s| s.trim());
            let previous = had_state.and_then(|c| State::parse(&fields[c]));
            let task = task(get(Some(ark_col)), get(Some(file_col)), get(type_col), get(hint_col));
            let task = match task {
                Task::Convert { ark, file } => match seen.get(&ark) {
                    Some(first) => {
                        Task::Invalid(format!("duplicate Item ARK {ark:?} (first on line {first})"))
                    }
                    None => {
                        seen.insert(ark.clone(), line);
                        Task::Convert { ark, file }
                    }
                },
                other => other,
            };
            rows.push(Row { line, fields, task, previous });
        }
        Ok(Batch { headers, rows, state_col, url_col, message_col })
    }

    /// Records a row's outcome; a converted row gets its access URL under `iiif_base`
    /// (`{base}/iiif/3/{percent-encoded ARK}`).
    pub fn set_outcome(&mut self, index: usize, outcome: &Outcome, iiif_base: &str) {
        let (state_col, url_col, message_col) = (self.state_col, self.url_col, self.message_col);
        let Some(row) = self.rows.get_mut(index) else { return };
        row.fields[state_col] = outcome.state.as_str().to_string();
        row.fields[message_col].clone_from(&outcome.reason);
        if let (Task::Convert { ark, .. }, State::Succeeded | State::Ingested) = (&row.task, outcome.state) {
            row.fields[url_col] =
                format!("{}/iiif/3/{}", iiif_base.trim_end_matches('/'), encode_identifier(ark));
        }
    }

    /// The result CSV.
    pub fn to_csv(&self) -> Result<Vec<u8>, BatchError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.headers)?;
        for row in &self.rows {
            writer.write_record(&row.fields)?;
        }
        writer.into_inner().map_err(|e| BatchError::Read(e.into_error().into()))
    }
}

/// What a row with these values asks for (duplicates aside, which need the whole batch).
pub fn task(ark: &str, file: &str, object_type: &str, hint: &str) -> Task {
    let kind = object_type.to_ascii_lowercase();
    // Collections and multi-page Works are described by their rows; their images are on the Page rows.
    if kind == "collection" || (kind == "work" && !hint.is_empty()) {
        return Task::PassThrough;
    }
    if ark.is_empty() {
        return Task::Invalid("no Item ARK".to_string());
    }
    if file.is_empty() {
        return Task::Invalid("no File Name".to_string());
    }
    // Bucketeer's rule: a path with spaces is a sign of a hand-edited or mis-exported row.
    if file.contains(char::is_whitespace) {
        return Task::Invalid(format!("File Name {file:?} contains spaces"));
    }
    let key = file.trim_start_matches('/');
    if key.split('/').any(|s| s == ".." || s == "." || s.is_empty()) {
        return Task::Invalid(format!("File Name {file:?} is not a plain path under the source root"));
    }
    Task::Convert { ark: ark.to_string(), file: key.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "\
Title,Item ARK,Parent ARK,Object Type,File Name,viewingHint,Rights
Coll,ark:/21198/c1,,Collection,,,pd
Book,ark:/21198/w1,ark:/21198/c1,Work,,paged,pd
p1,ark:/21198/p1,ark:/21198/w1,Page,/masters/p1.tif,,pd
p2,ark:/21198/p2,ark:/21198/w1,Page,masters/p 2.tif,,pd
p3,ark:/21198/p1,ark:/21198/w1,Page,masters/p3.tif,,pd
single,ark:/21198/s1,ark:/21198/c1,Work,masters/../etc/passwd,,pd
no file,ark:/21198/s2,ark:/21198/c1,,,,pd
";

    #[test]
    fn rows_are_judged_one_by_one() {
        let batch = Batch::parse(CSV.as_bytes()).unwrap();
        let tasks: Vec<_> = batch.rows.iter().map(|r| (r.line, r.task.clone())).collect();
        assert_eq!(tasks[0], (2, Task::PassThrough));
        assert_eq!(tasks[1], (3, Task::PassThrough));
        assert_eq!(
            tasks[2],
            (4, Task::Convert { ark: "ark:/21198/p1".into(), file: "masters/p1.tif".into() })
        );
        assert!(matches!(&tasks[3].1, Task::Invalid(r) if r.contains("spaces")));
        assert!(matches!(&tasks[4].1, Task::Invalid(r) if r.contains("duplicate") && r.contains("line 4")));
        assert!(matches!(&tasks[5].1, Task::Invalid(r) if r.contains("plain path")));
        assert!(matches!(&tasks[6].1, Task::Invalid(r) if r == "no File Name"));
    }

    #[test]
    fn result_keeps_every_column_in_order_and_appends_state_and_url() {
        let mut batch = Batch::parse(CSV.as_bytes()).unwrap();
        batch.set_outcome(
            2,
            &Outcome { state: State::Succeeded, reason: String::new() },
            "https://iiif.example/",
        );
        batch.set_outcome(
            3,
            &Outcome { state: State::Failed, reason: "spaces".into() },
            "https://iiif.example/",
        );
        let out = String::from_utf8(batch.to_csv().unwrap()).unwrap();
        let mut lines = out.lines();
        assert_eq!(
            lines.next().unwrap(),
            "Title,Item ARK,Parent ARK,Object Type,File Name,viewingHint,Rights,Bucketeer State,IIIF Access URL,Bucketeer Message"
        );
        assert_eq!(lines.next().unwrap(), "Coll,ark:/21198/c1,,Collection,,,pd,,,");
        lines.next();
        assert_eq!(
            lines.next().unwrap(),
            "p1,ark:/21198/p1,ark:/21198/w1,Page,/masters/p1.tif,,pd,succeeded,https://iiif.example/iiif/3/ark:%2F21198%2Fp1,"
        );
        assert_eq!(
            lines.next().unwrap(),
            "p2,ark:/21198/p2,ark:/21198/w1,Page,masters/p 2.tif,,pd,failed,,spaces"
        );

        // A result CSV read back keeps its state columns in place and knows each row's previous state.
        let again = Batch::parse(out.as_bytes()).unwrap();
        assert_eq!(again.headers.len(), 10);
        assert_eq!(again.rows[2].previous, Some(State::Succeeded));
        assert_eq!(again.rows[3].previous, Some(State::Failed));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let err = Batch::parse(b"Title,File Name\nx,y.tif\n").unwrap_err();
        assert!(err.to_string().contains("Item ARK"), "{err}");
        let err = Batch::parse(b"Item ARK,Title\nx,y\n").unwrap_err();
        assert!(err.to_string().contains("File Name"), "{err}");
    }
}
