//! The conversion pipeline (`tessella convert`): a CSV batch of archival TIFFs, with Bucketeer's columns,
//! to serving derivatives at a destination the image server reads, with a result CSV that reports on
//! every row.
//!
//! [`batch`] reads and writes the CSV, [`derivative`] turns one source into one derivative through the
//! core, [`stream`] makes a JPEG 2000 derivative of a TIFF band by band, [`run`] drives a batch in
//! parallel against object stores, [`location`] opens a folder or an `s3://` URL as one.

pub mod batch;
pub mod derivative;
pub mod jobs;
pub mod location;
pub mod purge;
pub mod run;
pub mod stream;

pub use batch::{Batch, BatchError, Outcome, State, Task};
pub use derivative::{DerivativeFormat, Recipe};
pub use run::{Job, Settings, Summary, convert_object, run};
