//! wfmc: a Monte Carlo uncertainty and sensitivity simulator for the NHS digital
//! workforce projection of Health Education England's *Data Driven Healthcare in 2030*.
//!
//! The crate is a library first; the `wfmc` binary only parses arguments and calls it.
//! Each concept lives in one module:
//!
//! - [`dims`]: scenarios, areas, job levels and years;
//! - [`config`]: reading configs (published inputs and their distributions);
//! - [`distributions`]: the distribution syntax, sampling and quantiles;
//! - [`model`]: the 2020–2030 projection for one set of inputs;
//! - [`published`]: the report's own published figures, for comparison;
//! - [`engine`]: parallel, reproducible draws (sampling, chunks, shards);
//! - [`stats`]: streaming moments, quantile sketches and shortfall probabilities;
//! - [`report`]: tables, CSV, JSON, charts and report.html for people and programs;
//! - [`sensitivity`]: tornado, rank correlation and Sobol indices;
//! - [`explore`]: parameter sweeps and supply targets (many runs, common random numbers);
//! - [`files`]: writing results without destroying what wfmc did not write;
//! - [`runner`]: whole jobs: a run into a results folder, merging shards.
#![warn(missing_docs)]

pub mod config;
pub mod dims;
pub mod distributions;
pub mod engine;
pub mod error;
pub mod explore;
pub mod files;
pub mod model;
pub mod published;
pub mod report;
pub mod runner;
pub mod sensitivity;
pub mod stats;

pub use config::Config;
pub use error::Error;
