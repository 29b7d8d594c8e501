//! wfmc: a Monte Carlo uncertainty and sensitivity simulator for workforce
//! projections; its built-in config is Health Education England's projection of the
//! NHS digital workforce, *Data Driven Healthcare in 2030*.
//!
//! This crate is the library and knows no front end: the command line
//! (`crates/wfmc-cli`), its explorer's server and the Python extension (`python/`)
//! are crates of their own that call [`jobs`] alone. The model is described in the
//! user guide (`docs/src/model.md`).
//!
//! Layers, lowest first. A module uses only modules of lower layers, and modules of
//! one layer do not use each other in a cycle (`tests/architecture.rs` reads every
//! `crate::` path, grouped imports and re-exports included, and fails otherwise):
//!
//! 1. [`wording`]: the settings, override sources and hints a message names, which
//!    each front end words its own way;
//! 2. [`dims`]: scenarios, areas, job levels and years;
//! 3. [`published`]: the report's own published figures, for comparison;
//! 4. [`distributions`]: the distribution syntax, sampling and quantiles;
//! 5. [`config`]: reading configs (published inputs and their distributions);
//! 6. [`error`]: the error type and its exit codes;
//! 7. [`files`]: writing results without destroying what wfmc did not write;
//! 8. [`model`]: the projection for one set of inputs, its output layout and the
//!    outputs the analyses report on;
//! 9. [`sampling`]: drawing every uncertain input, chunk by chunk, and the
//!    conditional shortfall estimates of a draw;
//! 10. [`stats`]: streaming moments, quantile sketches, shortfalls and rank sums;
//! 11. [`engine`]: parallel, reproducible runs (chunks, shards, precision targets);
//! 12. [`sensitivity`], [`explore`], [`decide`]: tornado, rank correlation, Sobol
//!     indices; sweep grids, supply targets and paired comparisons; scenario
//!     discovery, value of information and robustness of options;
//! 13. [`results`]: the files wfmc writes, one module each, listed once in
//!     [`results::registry`]; partial results and sweep parts;
//! 14. [`report`]: tables, charts and report.html for people;
//! 15. [`jobs`]: every job as a typed request and outcome, the front ends' one door.
#![warn(missing_docs)]

pub mod config;
pub mod decide;
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
pub mod wording;

pub use config::Config;
pub use error::Error;
