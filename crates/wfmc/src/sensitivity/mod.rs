//! Which input drives which result (`docs/src/sensitivity.md`).
//!
//! Three analyses answer three questions:
//!
//! - [`tornado`]: *if I move one assumption to its P10 or P90, how far does the
//!   result move?* One at a time, around the point model; cheap and easy to read,
//!   blind to interactions and correlation.
//! - rank correlation: *in the Monte Carlo run, which sampled inputs go with high
//!   or low results?* Spearman's ρ, streamed from the main run
//!   ([`crate::stats::ranks`]; the file is [`crate::results::correlation`]).
//! - [`sobol`]: *what share of the result's variance does each input group explain,
//!   alone (S1) and with its interactions (ST)?* Global, with bootstrap intervals.

pub mod sobol;
pub mod tornado;
