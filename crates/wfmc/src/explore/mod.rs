//! Studies made of many model runs: parameter sweeps and supply targets.
//!
//! Both rely on common random numbers: every run uses the same seed, so chunk `c`
//! draws the same numbers at every grid point or candidate inflow, and differences
//! between points are differences of the model, not of the noise. (This holds
//! exactly when the points share the same set of uncertain inputs, e.g. a sweep
//! over fixed values or over a distribution's parameters.)

pub mod compare;
pub mod sweep;
pub mod target;
