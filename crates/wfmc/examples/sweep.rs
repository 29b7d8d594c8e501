//! Scripting wfmc from Rust: a small sweep over salary growth with the library API.
//!
//! `cargo run --release --example sweep` prints, for each pay-growth assumption, the
//! 2030 cost of demand (Data Driven scenario, total) with its 90 % band and the
//! probability that health records is short in 2030, then the whole P(shortfall)
//! cube of the last point as an ndarray.

use wfmc::Config;
use wfmc::dims::{Area, Scenario};
use wfmc::engine::{self, Control, RunSpec};
use wfmc::model::Metric;
use wfmc::stats::ShortStat;

fn main() -> Result<(), wfmc::Error> {
    let base = Config::builtin();
    // The same seed at every point: common random numbers, so differences are the model's.
    let spec = RunSpec {
        draws: 50_000,
        threads: 2,
        ..RunSpec::default()
    };
    let dd = Scenario::DataDriven;
    println!("salary growth  cost of demand 2030, £m (P5 – P95)   P(health records short)");
    let mut last = None;
    for g in ["0.01", "0.027", "0.042"] {
        let cfg = base.with_set(&[&format!("salary_growth=fixed({g})")])?;
        let summary = engine::run(&cfg, &spec, &Control::default())?.summary();
        let cost = |q| summary.percentile(dd, None, 2030, Metric::CostDemand, q);
        let mean = summary.mean(dd, None, 2030, Metric::CostDemand);
        let short = summary.shortfall_of(dd, Area::HealthRecords, 2030);
        if let (Some(m), Some(lo), Some(hi), Some(s)) = (mean, cost(0.05), cost(0.95), short) {
            println!(
                "{g:>13}  {:>7.0} ({:.0} – {:.0})              {:.3} ± {:.3}",
                m / 1e6,
                lo / 1e6,
                hi / 1e6,
                s.p,
                s.se
            );
        }
        last = Some(summary);
    }
    if let Some(s) = last {
        // scenario × (nine areas, then the total) × year 2020–2030
        let p = s.shortfall_cube(ShortStat::P);
        println!(
            "P(shortfall 2030), Data Driven, by area then total: {:.3}",
            p.slice(ndarray::s![0, .., 10])
        );
    }
    Ok(())
}
