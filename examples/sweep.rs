//! Scripting wfmc from Rust: a small sweep over salary growth with the library API.
//!
//! `cargo run --release --example sweep` prints, for each pay-growth assumption, the
//! 2030 cost of demand (Data Driven scenario, total) with its 90 % band and the
//! probability that health records is short in 2030.

use wfmc::Config;
use wfmc::config::overrides::Override;
use wfmc::dims::{Area, Scenario};
use wfmc::engine::{self, Control, RunSpec, Shard};
use wfmc::model::{Metric, Series};
use wfmc::stats::shortfall_slot;

fn main() -> Result<(), wfmc::Error> {
    let base = Config::builtin();
    let spec = RunSpec {
        draws: 50_000,
        seed: engine::DEFAULT_SEED, // the same seed at every point: common random numbers
        threads: 2,
        shard: Shard::ALL,
        ..RunSpec::default()
    };
    let cost = Series {
        scenario: Scenario::DataDriven,
        area: None,
        year: 10,
        metric: Metric::CostDemand,
    }
    .index();
    let ci = shortfall_slot(
        Scenario::DataDriven.index(),
        Some(Area::HealthRecords.index()),
        10,
    );
    println!("salary growth  cost of demand 2030, £m (P5 – P95)   P(health records short)");
    for g in ["0.01", "0.027", "0.042"] {
        let set =
            Override::parse(&format!("salary_growth=fixed({g})")).map_err(wfmc::Error::Input)?;
        let cfg = base.with_overrides(&[set])?;
        let summary = engine::run(&cfg, &spec, &Control::default())?.acc.finish();
        let s = &summary.series[cost];
        let p = &summary.shortfall[ci];
        println!(
            "{g:>13}  {:>7.0} ({:.0} – {:.0})              {:.3} ± {:.3}",
            s.mean / 1e6,
            s.percentiles[0] / 1e6,
            s.percentiles[6] / 1e6,
            p.p,
            p.se
        );
    }
    Ok(())
}
