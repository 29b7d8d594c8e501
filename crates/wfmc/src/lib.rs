//! wfmc: a Monte Carlo uncertainty and sensitivity simulator for the NHS digital
//! workforce projection of Health Education England's *Data Driven Healthcare in 2030*.
//!
//! The crate is a library first; the `wfmc` binary only parses arguments and calls it.
//!
//! Layers, lowest first. A module uses only modules of its own layer or below
//! (`tests/architecture.rs` reads every `crate::` path and fails on one that goes up):
//!
//! 1. [`dims`]: scenarios, areas, job levels and years;
//! 2. [`published`]: the report's own published figures, for comparison;
//! 3. [`distributions`]: the distribution syntax, sampling and quantiles;
//! 4. [`config`]: reading configs (published inputs and their distributions);
//! 5. [`error`]: the error type and its exit codes;
//! 6. [`files`]: writing results without destroying what wfmc did not write;
//! 7. [`model`]: the 2020–2030 projection for one set of inputs, its output layout
//!    and the outputs the analyses report on;
//! 8. [`sampling`]: drawing every uncertain input, chunk by chunk;
//! 9. [`stats`]: streaming moments, quantile sketches, shortfalls and rank sums;
//! 10. [`engine`]: parallel, reproducible runs (chunks, shards, partial results);
//! 11. [`sensitivity`], [`explore`]: tornado, rank correlation, Sobol indices;
//!     sweeps and supply targets;
//! 12. [`results`]: the files of a results folder, one module each: name, row
//!     struct, write and read;
//! 13. [`report`]: tables, charts and report.html for people;
//! 14. [`jobs`]: whole jobs: a run into a results folder, merging shards,
//!     adding to and rebuilding results folders.
#![warn(missing_docs)]

pub mod config;
pub mod dims;
pub mod distributions;
pub mod engine;
pub mod error;
pub mod explore;
pub mod files;
pub mod jobs;
pub mod model;
pub mod published;
pub mod report;
pub mod results;
pub mod sampling;
pub mod sensitivity;
pub mod stats;

pub use config::Config;
pub use error::Error;
