//! A synthetic config of any shape, for measuring how cost grows with areas, years
//! and scenarios. ILLUSTRATIVE numbers: every area is a small variation on one
//! made-up area; only the sizes matter.

/// The TOML text of a config with `areas` areas, `years` yearly points (base year
/// 2025), `scenarios` scenarios and `levels` job levels, each input uncertain the
/// way the report's config makes its inputs uncertain.
pub fn config(areas: usize, years: usize, scenarios: usize, levels: usize) -> String {
    use std::fmt::Write;
    let last = 2025 + years as u32 - 1;
    let mut t = String::new();
    let _ = writeln!(t, "name = \"synthetic-{areas}x{years}x{scenarios}\"");
    let _ = writeln!(
        t,
        "title = \"ILLUSTRATIVE: synthetic, {areas} areas, {years} years, {scenarios} scenarios\""
    );
    t.push_str("salary_growth = { base = 0.03, dist = \"triangular(0.015, 0.03, 0.05)\" }\non_cost = 0.36\n\n");
    let _ = writeln!(t, "[dimensions]\nbase_year = 2025\nlast_year = {last}");
    let list = |prefix: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("{{ key = \"{prefix}{i}\", label = \"{prefix} {i}\" }}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(t, "scenarios = [{}]", list("s", scenarios));
    let _ = writeln!(t, "areas = [{}]", list("a", areas));
    let _ = writeln!(t, "levels = [{}]\n", list("l", levels));
    t.push_str("[pay_scale]\n\"4\" = { min = 27485, top = 30162 }\n\"5\" = { min = 31049, top = 37796 }\n\"6\" = { min = 38682, top = 46580 }\n\n");
    t.push_str("[factors]\nforecasters = { per_scenario = true }\nlabour_market = {}\n\n");
    t.push_str("[uncertainty.demand_ratio]\ndist = \"lognormal(mean=1, sigma=0.25)\"\napply = \"multiply\"\nfactor = \"forecasters\"\nrho = 0.5\n\n");
    t.push_str("[uncertainty.flow_rate]\ndist = \"normal(0, 0.015)\"\napply = \"add\"\nfactor = \"labour_market\"\nrho = 0.3\n\n");
    t.push_str("[uncertainty.skill_mix]\nconcentration = 50\n\n[uncertainty.band]\nsteps = [-1, 0, 1]\np = [0.2, 0.6, 0.2]\n\n");
    let counts = |seed: usize| -> String {
        (0..levels)
            .map(|l| ((seed * 7 + l * 13) % 40 + 5).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for a in 0..areas {
        let w = 100 + (a * 37) % 400;
        let _ = writeln!(
            t,
            "[areas.a{a}]\nworkforce_2025 = {w}\nband = \"5\"\nlevels_2025 = [{}]\n\n[supply.a{a}]\nsupply_{last} = {}\n",
            counts(a),
            w + (a * 11) % 60
        );
        for s in 0..scenarios {
            let _ = writeln!(
                t,
                "[demand.s{s}.a{a}]\ndemand_{last} = {}\nlevels_{last} = [{}]\n",
                w + 20 + (a * 5 + s * 17) % 90,
                counts(a + s + 1)
            );
        }
    }
    t
}
