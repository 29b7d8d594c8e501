//! Scripting wfmc from Rust: a small sweep over salary growth through the jobs API,
//! the same door the command line and the Python package use.
//!
//! `cargo run --release -p wfmc --example sweep` prints, for each pay-growth
//! assumption, the last year's cost of demand (first scenario, total) with its 90 %
//! band and the probability that health records is short, then the whole
//! P(shortfall) cube of the last point as an ndarray.

use wfmc::jobs::{self, Context, Control, DrawSettings, Output, RunRequest};

fn main() -> Result<(), jobs::Error> {
    let base = jobs::Config::builtin();
    let (scenario, year) = ("data_driven", base.dims.last_year);
    // The same seed at every point: common random numbers, so differences are the model's.
    let req = RunRequest {
        draws: DrawSettings {
            draws: Some(50_000),
            threads: Some(2),
            ..Default::default()
        },
        sobol_rows: Some(0),
        out: Output::Memory,
        ..Default::default()
    };
    let control = Control::default();
    println!("salary growth  cost of demand {year}, £m (P5 – P95)   P(health records short)");
    let mut last = None;
    for g in ["0.01", "0.027", "0.042"] {
        let cfg = jobs::apply(&base, &[], &[], &[format!("salary_growth=fixed({g})")])?;
        let run = jobs::run_in_memory(&cfg, &req, &Context::new(&control))?;
        let cost = |stat| run.stat("cost_demand", scenario, "total", year, stat);
        let (m, lo, hi) = (cost("mean")?.0, cost("p5")?.0, cost("p95")?.0);
        let (p, se) = run.p_shortfall(scenario, "health_records", year)?;
        println!(
            "{g:>13}  {:>7.0} ({:.0} – {:.0})              {p:.3} ± {se:.3}",
            m / 1e6,
            lo / 1e6,
            hi / 1e6,
        );
        last = Some(run);
    }
    if let Some(run) = last {
        // scenario × (areas, then the total) × year
        let p = run.cube("p_shortfall", "")?;
        let k = p.shape()[2] - 1;
        println!(
            "P(shortfall {year}), {scenario}, by area then total: {:.3}",
            p.slice(ndarray::s![0, .., k])
        );
    }
    Ok(())
}
