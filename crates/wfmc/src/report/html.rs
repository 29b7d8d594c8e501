//! `report.html`: one self-contained page (styles and SVGs inline, no network) that
//! a reviewer can read without opening a CSV.
//!
//! Built only from the files of a results folder ([`Results`]), so `wfmc report DIR`
//! rebuilds it without re-running, and the page is the same bytes for the same
//! results whatever the thread count.

use super::charts::{self, Chart, Section};
use super::thousands;
use crate::dims::Dims;
use crate::error::Error;
use crate::published;
use crate::results::Folder as Results;
use std::fmt::Write as _;
use std::path::Path;

/// `s` escaped for HTML text.
pub(super) fn esc_text(s: &str) -> String {
    esc(s)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;max-width:1040px;padding:24px;color:#222;line-height:1.45}\
h1{font-size:28px;margin-bottom:4px}h2{margin-top:40px;border-bottom:2px solid #ddd;padding-bottom:4px}\
table{border-collapse:collapse;margin:12px 0;font-size:14px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}\
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.flag{color:#b30000;font-weight:bold}\
figure{margin:18px 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:13px;color:#555}\
.note{background:#fff6e0;border-left:4px solid #e6a000;padding:8px 12px}code,pre{background:#f6f6f6;padding:2px 4px}\
nav a{margin-right:12px}";

/// Checks, in the browser, that every chart rendered with a non-empty box, and
/// records script errors; a test reads the result from the DOM.
const CHECK_SCRIPT: &str = "<script>\
window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));});\
window.addEventListener('load',function(){var figs=document.querySelectorAll('figure svg');var empty=[];\
for(var i=0;i<figs.length;i++){var b=figs[i].getBBox();if(!(b.width>0&&b.height>0)||figs[i].childElementCount<3){empty.push(figs[i].id);}}\
document.body.setAttribute('data-charts',String(figs.length));document.body.setAttribute('data-empty',empty.join(' '));\
document.body.setAttribute('data-errors',window.__errors.join(' | '));document.body.setAttribute('data-checked','yes');});\
</script>";

fn stat(r: &Results, s: &str, a: &str, m: &str, st: &str) -> f64 {
    r.band(s, a, r.dims.last_year, m, st)
}

/// Each area's key and label, then the total's key and `total` label.
fn places<'a>(d: &'a Dims, total: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    (0..d.n_areas())
        .map(|a| (d.area_key(a), d.area_label(a)))
        .chain([("total", total)])
}

/// The headline tables of the last year (median and P5–P95 of demand, supply and
/// gap, P(shortfall) with its standard error, per area and in total, every scenario), as
/// HTML: the top of `report.html` and of `wfmc serve`'s page. Each P(shortfall)
/// cell carries `data-p="SCENARIO/AREA"` for scripts and tests.
pub fn headline_tables(r: &Results) -> String {
    let mut out = String::new();
    headline(r, &mut out);
    out
}

fn headline(r: &Results, out: &mut String) {
    let d = &r.dims;
    let y = d.last_year;
    for s in 0..d.n_scenarios() {
        let k = d.scenario_key(s);
        let _ = write!(
            out,
            "<h3>{}</h3><table><tr><th>Area</th><th>Demand {y}, median (P5–P95)</th><th>Supply {y}, median (P5–P95)</th>\
<th>Gap {y}, median (P5–P95)</th><th>P(shortfall {y})</th></tr>",
            esc(d.scenario_label(s))
        );
        for (key, label) in places(d, "All areas (net)") {
            let cell = |m: &str| {
                format!(
                    "{} ({} – {})",
                    thousands(stat(r, k, key, m, "p50")),
                    thousands(stat(r, k, key, m, "p5")),
                    thousands(stat(r, k, key, m, "p95"))
                )
            };
            let (p, se) = r.p_short(k, key, y);
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td data-p=\"{k}/{key}\">{p:.3} ± {se:.3}</td></tr>",
                esc(label),
                cell("demand"),
                cell("supply"),
                cell("gap")
            );
        }
        let _ = write!(
            out,
            "<tr><td>Gross shortfall (sum of area shortfalls)</td><td colspan=3>{}</td><td></td></tr></table>",
            {
                let g = |st: &str| thousands(stat(r, k, "total", "gross_shortfall", st));
                format!("{} ({} – {})", g("p50"), g("p5"), g("p95"))
            }
        );
    }
}

/// Two runs side by side, per scenario: P(shortfall) and the median gap in the last
/// year of every area and the total, and the median gross shortfall, under `base` and
/// `this`, and the change. Meant for runs with the same seed and draws (common
/// random numbers), so the change is the assumptions', not sampling noise.
pub fn comparison(base: &Results, this: &Results) -> String {
    let mut out = String::new();
    let d = &this.dims;
    let y = d.last_year;
    for s in 0..d.n_scenarios() {
        let k = d.scenario_key(s);
        let _ = write!(
            out,
            "<h3>{}</h3><table class=compare><tr><th>Area</th><th>P(shortfall), baseline</th><th>this</th><th>change</th>\
<th>Median gap, baseline</th><th>this</th><th>change</th></tr>",
            esc(d.scenario_label(s))
        );
        let rows = (0..d.n_areas())
            .map(|a| (d.area_key(a), d.area_label(a), "gap"))
            .chain([
                ("total", "All areas (net)", "gap"),
                ("total", "Gross shortfall", "gross_shortfall"),
            ]);
        for (key, label, metric) in rows {
            let (b, t) = (
                stat(base, k, key, metric, "p50"),
                stat(this, k, key, metric, "p50"),
            );
            let p = if metric == "gap" {
                let (pb, pt) = (base.p_short(k, key, y).0, this.p_short(k, key, y).0);
                format!(
                    "<td>{pb:.3}</td><td data-p-this=\"{k}/{key}\">{pt:.3}</td><td>{}</td>",
                    signed_fixed(pt - pb, 3)
                )
            } else {
                "<td></td><td></td><td></td>".into()
            };
            let _ = write!(
                out,
                "<tr><td>{}</td>{p}<td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(label),
                thousands(b),
                thousands(t),
                super::signed(t - b)
            );
        }
        out.push_str("</table>");
    }
    out
}

/// The last year's changes of `compare.csv`, per variant and scenario:
/// P(shortfall), expected shortfall and cost, each ± its paired standard error, and
/// the cost per WTE-year of shortfall avoided after the base year.
fn compare_section(r: &Results, out: &mut String) {
    let Some(rows) = &r.compare else { return };
    let d = &r.dims;
    let (y, b) = (d.last_year, d.base_year);
    let _ = write!(
        out,
        "<p>Each variant against the baseline on the same draws (common random numbers), so the change is the variant's, not sampling noise; \
± is the change's Monte Carlo standard error. Cost is the pay of the supply (with on-costs) plus the programme's own cost; the cost per WTE-year avoided \
is the change in cost {}–{y} over the expected WTE-years of shortfall avoided (all areas: of gross shortfall), shown where the shortfall avoided is clearly above zero. \
<span class=flag>Interventions shipped with the default config are ILLUSTRATIVE: our numbers, not the report's.</span></p>",
        b + 1
    );
    let names = crate::results::compare::variants(rows);
    let get = |v: &str, s: &str, a: &str, m: &str| {
        rows.iter().find(|x| {
            x.variant == v && x.scenario == s && x.area == a && x.year == y && x.measure == m
        })
    };
    for v in names {
        for s in 0..d.n_scenarios() {
            let k = d.scenario_key(s);
            let _ = write!(
                out,
                "<h3>{} — {}, {y}</h3><table><tr><th>Area</th><th>P(shortfall), baseline → with</th><th>change</th>\
<th>Expected shortfall, change (WTE)</th><th>Cost, change (£m)</th><th>of which programme (£m)</th><th>£ per WTE-year avoided</th></tr>",
                esc(v),
                esc(d.scenario_label(s))
            );
            for (key, label) in places(d, "All areas (P: net; shortfall: gross)") {
                let short = if key == "total" {
                    "gross_shortfall"
                } else {
                    "expected_shortfall"
                };
                let (Some(p), Some(es), Some(c), Some(prog)) = (
                    get(v, k, key, "p_shortfall"),
                    get(v, k, key, short),
                    get(v, k, key, "cost"),
                    get(v, k, key, "programme_cost"),
                ) else {
                    continue;
                };
                if key != "total" && es.change == 0.0 && c.change == 0.0 {
                    continue;
                }
                let ratio = get(v, k, key, "cost_per_wte_year_avoided")
                    .filter(|x| x.change.is_finite())
                    .map_or("–".to_string(), |x| {
                        format!("{} ± {}", thousands(x.change), thousands(x.se))
                    });
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{:.3} → {:.3}</td><td>{} ± {:.3}</td><td>{} ± {:.1}</td><td>{:+.1} ± {:.1}</td><td>{:.1}</td><td>{ratio}</td></tr>",
                    esc(label),
                    p.base,
                    p.with,
                    signed_fixed(p.change, 3),
                    p.se,
                    super::signed(es.change),
                    es.se,
                    c.change / 1e6,
                    c.se / 1e6,
                    prog.change / 1e6
                );
            }
            out.push_str("</table>");
        }
    }
}

/// `x` with `digits` decimals and a sign (`+0.000` for no change).
fn signed_fixed(x: f64, digits: usize) -> String {
    let t = format!("{:+.*}", digits, x);
    // A change that rounds to zero is no change, whatever its sign.
    if t.trim_start_matches(['+', '-'])
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        format!("{:+.*}", digits, 0.0)
    } else {
        t
    }
}

fn assumptions(r: &Results, out: &mut String) {
    let a = &r.assumptions;
    if let Some(o) = a["overrides"].as_array().filter(|o| !o.is_empty()) {
        let list: Vec<String> = o.iter().filter_map(|x| x.as_str()).map(esc).collect();
        let _ = write!(
            out,
            "<p class=note>Overrides applied: <code>{}</code></p>",
            list.join("</code>, <code>")
        );
    }
    out.push_str(
        "<p>The report gives one value per input. <span class=flag>Flagged</span> rows depart from it: \
a base value other than the report's, or a distribution (our assumption; the report published none).</p>\
<table><tr><th>Input</th><th>Base (point model)</th><th>Report</th><th>Uncertainty</th></tr>",
    );
    for i in a["inputs"].as_array().into_iter().flatten() {
        let s = |k: &str| esc(i[k].as_str().unwrap_or(""));
        let flag = |b: bool, t: String| {
            if b {
                format!("<span class=flag>{t}</span>")
            } else {
                t
            }
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            s("input"),
            flag(i["base_departs"].as_bool().unwrap_or(false), s("base")),
            s("report"),
            flag(i["uncertain"].as_bool().unwrap_or(false), s("uncertainty"))
        );
    }
    out.push_str("</table>");
}

fn accuracy(r: &Results, out: &mut String) {
    let m = &r.manifest;
    let d = &r.dims;
    let (s0, y) = (d.scenario_key(0), d.last_year);
    let se = r.band_se(s0, "total", y, "gap", "mean");
    let se_p5 = r.band_se(s0, "total", y, "gap", "p5");
    let _ = write!(
        out,
        "<ul><li>{} draws entered the statistics; {} were rejected by the numerical guard (non-finite or negative workforce).</li>\
<li>Sampling: {}. Every estimate in bands.csv and shortfall.csv carries its Monte Carlo standard error, from the spread of its {} replicate blocks (e.g. the {y} net gap, {}: mean ± {} WTE, P5 ± {} WTE); probabilities of shortfall carry theirs (± shown above).</li>\
<li>Percentiles: {}.</li>\
<li>Sums are exact and merges associative, so these results are the same bits for any thread count or split into shards.</li></ul>",
        thousands(m["draws_in_statistics"].as_f64().unwrap_or(f64::NAN)),
        m["rejected_draws"].as_u64().unwrap_or(0),
        esc(m["sampling"].as_str().unwrap_or("")),
        m["replicate_blocks"].as_u64().unwrap_or(0),
        esc(short_label(d.scenario_label(0))),
        small(se),
        small(se_p5),
        esc(m["quantile_accuracy"].as_str().unwrap_or(""))
    );
}

/// A scenario's label without a trailing "Future (A)" style qualifier (the report's
/// "Data Driven Future (A)" is "Data Driven" in running text).
fn short_label(l: &str) -> &str {
    l.split(" Future").next().unwrap_or(l)
}

/// The point model's last-year figures per area, for a config of other dimensions
/// than the report's (there are no published figures to set beside them).
fn point_only(r: &Results, out: &mut String) {
    let d = &r.dims;
    let y = d.last_year;
    let _ = write!(
        out,
        "<p>The point model: every input at its base value.</p>\
<table><tr><th>Area</th><th>Scenario</th><th>Demand {y}</th><th>Supply {y}</th><th>Gap {y}</th><th>Cost of demand {y}, £m</th></tr>"
    );
    for s in 0..d.n_scenarios() {
        let sc = &r.summary["scenarios"][d.scenario_key(s)];
        for (key, label) in places(d, "All areas (net)") {
            let p = |m: &str| sc["areas"][key][m]["point"].as_f64().unwrap_or(f64::NAN);
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(label),
                esc(d.scenario_label(s)),
                thousands(p("demand")),
                thousands(p("supply")),
                thousands(p("gap")),
                thousands(p("cost_demand") / 1e6)
            );
        }
    }
    out.push_str("</table>");
}

/// A standard error: one decimal below 10, else whole with separators.
fn small(x: f64) -> String {
    if x.is_nan() {
        "n/a".into()
    } else if x < 10.0 {
        format!("{x:.1}")
    } else {
        thousands(x)
    }
}

fn point_vs_report(r: &Results, out: &mut String) {
    out.push_str(
        "<p>Our point model (every input at its base value) beside the report's Tables 3.1–3.3 (Data Driven Future).</p>\
<table><tr><th>Area</th><th>Demand 2030</th><th>report</th><th>Supply 2030</th><th>report</th><th>Gap 2030</th><th>report</th><th>Cost of demand 2030, £m</th><th>report</th></tr>",
    );
    let sc = &r.summary["scenarios"]["data_driven"];
    for row in published::TABLES_3.iter() {
        let key = row.area.unwrap_or("total");
        let label = row
            .area
            .and_then(|k| r.dims.area(k))
            .map_or("Total workforce", |a| r.dims.area_label(a));
        let p = |m: &str| sc["areas"][key][m]["point"].as_f64().unwrap_or(f64::NAN);
        let demand = published::DEMAND_2030_A
            .iter()
            .find(|d| d.0 == row.area)
            .map_or(f64::NAN, |d| d.1);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(label),
            thousands(p("demand")),
            thousands(demand),
            thousands(p("supply")),
            thousands(row.supply_2030),
            thousands(p("gap")),
            thousands(row.gap_2030),
            thousands(p("cost_demand") / 1e6),
            thousands(row.cost_2030_m)
        );
    }
    out.push_str("</table>");
    let rows_sum: f64 = published::t33_rows_total_2030_m();
    let _ = write!(
        out,
        "<p class=note><b>Where the report disagrees with itself.</b> Table 3.3 prints a total 2030 cost of £{}m (its total row), \
but its own rows add to £{}m; we show both and compute the total from the rows. Table 3.1 prints a 2020 total of {} WTE (its total row), \
one less than its rows (46,010). Some percentages in the text come from unrounded ratios.</p>",
        thousands(published::T33_TOTAL_2030_PRINTED_M),
        thousands(rows_sum),
        thousands(published::T31_TOTAL_2020_PRINTED)
    );
}

fn reproduce(r: &Results) -> String {
    let m = &r.manifest;
    let set: Vec<String> = m["overrides"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(String::from))
        .collect();
    super::run_command(
        m["config"]["origin"].as_str().unwrap_or(""),
        m["draws"].as_u64().unwrap_or(0),
        m["seed"].as_u64().unwrap_or(0),
        m["sobol_rows"].as_u64(),
        &[],
        &set,
    )
}

fn sobol(r: &Results, out: &mut String) {
    let Some(rows) = &r.sobol else {
        let _ = write!(
            out,
            "<p>Variance shares (Sobol indices) are not in this folder: {}.</p>",
            super::command::ADD_SOBOL
        );
        return;
    };
    let n = rows.first().map_or(0, |x| x.n);
    let _ = write!(
        out,
        "<h3>Variance shares (Sobol indices)</h3><p>Share of each output's variance carried by an input group: alone (S1) and with its interactions (ST), with 95 % bootstrap intervals; {} rows of the Saltelli design. Groups are independent by construction: a demand ratio's group is its own deviation, what it shares with the other ratios of its scenario belongs to <code>factors.forecasters</code>. The five groups with the largest ST per output:</p>",
        thousands(n as f64)
    );
    let d = &r.dims;
    for s in 0..d.n_scenarios() {
        for o in crate::model::outputs(d).iter().filter(|o| o.scenario == s) {
            let mut these: Vec<_> = rows
                .iter()
                .filter(|x| x.scenario == d.scenario_key(s) && x.output == o.name)
                .collect();
            if these.is_empty() {
                continue;
            }
            these.sort_by(|a, b| b.st.total_cmp(&a.st));
            let _ = write!(
                out,
                "<table><tr><th>{} — {}</th><th>S1</th><th>95 % interval</th><th>ST</th><th>95 % interval</th></tr>",
                esc(&charts::describe_output(d, &o.name)),
                esc(d.scenario_label(s))
            );
            for x in these.iter().take(5) {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{:.3}</td><td>{:.3} – {:.3}</td><td>{:.3}</td><td>{:.3} – {:.3}</td></tr>",
                    esc(&x.group),
                    x.s1,
                    x.s1_lo,
                    x.s1_hi,
                    x.st,
                    x.st_lo,
                    x.st_hi
                );
            }
            out.push_str("</table>");
        }
    }
}

fn figures(charts: &[Chart], section: Section, out: &mut String) {
    for c in charts.iter().filter(|c| c.section == section) {
        let id = c.file.trim_end_matches(".svg");
        // The SVG's root element gets an id for the in-page check.
        let svg = c.svg.replacen("<svg ", &format!("<svg id=\"{id}\" "), 1);
        let _ = write!(
            out,
            "<figure>{svg}<figcaption>{} — <code>plots/{}</code></figcaption></figure>",
            esc(&c.title),
            esc(&c.file)
        );
    }
}

/// The page.
pub fn page(r: &Results, charts: &[Chart]) -> String {
    let m = &r.manifest;
    let name = m["config"]["name"].as_str().unwrap_or("");
    let mut out = format!(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>wfmc: {}</title><style>{STYLE}</style>{CHECK_SCRIPT}</head><body>",
        esc(name)
    );
    let d = &r.dims;
    let (b, y) = (d.base_year, d.last_year);
    let report = d.is_report();
    let intro = if report {
        "<h1>NHS digital workforce 2020–2030: the projection with its uncertainty</h1>\
<p>Health Education England's <i>Data Driven Healthcare in 2030</i> (2021) projects demand and supply of the digital and informatics \
workforce in nine areas of work under two scenarios and gives one number per area. This report treats the forecasters' estimates, \
staff flow rates, salary growth and pay bands as distributions and shows what follows".to_string()
    } else {
        let title = m["title"].as_str().unwrap_or(name);
        format!(
            "<h1>{}, {b}–{y}: the projection with its uncertainty</h1>\
<p>The projection of demand and supply in {} areas of work under {} scenario{} from {b} to {y}, its demand estimates, \
staff flow rates, salary growth and pay bands as distributions",
            esc(title),
            d.n_areas(),
            d.n_scenarios(),
            if d.n_scenarios() == 1 { "" } else { "s" }
        )
    };
    let _ = write!(
        out,
        "{intro}: config <code>{}</code>, {} draws, seed {}.</p>\
<nav><a href=#headline>Headline</a><a href=#fans>Demand and supply</a><a href=#cost>Costs</a><a href=#shortfall>Shortfall</a>\
<a href=#tornado>Sensitivity</a>{}<a href=#composition>Job levels</a><a href=#assumptions>Assumptions</a><a href=#accuracy>Accuracy</a>\
<a href=#point>Point model</a><a href=#reproduce>Reproduce</a></nav>",
        esc(name),
        thousands(m["draws"].as_f64().unwrap_or(0.0)),
        m["seed"],
        if r.compare.is_some() {
            "<a href=#compare>Interventions</a>"
        } else {
            ""
        }
    );
    let _ = write!(
        out,
        "<h2 id=headline>Headline, {y}</h2><p>Gap = supply − demand: negative is a shortfall. The net total lets one area's surplus cancel another's shortfall; the gross shortfall does not.</p>"
    );
    headline(r, &mut out);
    let _ = write!(
        out,
        "<h2 id=fans>Demand and supply, {b}–{y}</h2><p>Shaded: P5–P95 and P25–P75 of the draws; line: median{}.</p>",
        if report {
            "; circles: the report's published 2030 figures"
        } else {
            ""
        }
    );
    figures(charts, Section::Fan, &mut out);
    out.push_str("<h2 id=cost>Costs</h2>");
    figures(charts, Section::Cost, &mut out);
    out.push_str("<h2 id=shortfall>Probability of shortfall</h2><p>Share of draws in which demand exceeds supply, by area and year.</p>");
    figures(charts, Section::Shortfall, &mut out);
    let _ = write!(
        out,
        "<h2 id=tornado>Which assumption moves each result</h2><p>One input at a time at its P10 and P90 (bands: lowest and highest option), all others at {}. \
For variance shares that count correlation and interactions, run <code>wfmc sobol</code>; for rank correlations, see <code>correlation.csv</code>.</p>",
        if report {
            "the report's values"
        } else {
            "their base values"
        }
    );
    figures(charts, Section::Tornado, &mut out);
    sobol(r, &mut out);
    if r.compare.is_some() {
        out.push_str("<h2 id=compare>Interventions and comparisons</h2>");
        compare_section(r, &mut out);
        figures(charts, Section::Compare, &mut out);
    }
    out.push_str(&super::decision::section(r));
    out.push_str("<h2 id=composition>Demand by job level</h2>");
    figures(charts, Section::Composition, &mut out);
    out.push_str("<h2 id=assumptions>Assumptions</h2>");
    assumptions(r, &mut out);
    out.push_str("<h2 id=accuracy>Monte Carlo accuracy</h2>");
    accuracy(r, &mut out);
    if report {
        out.push_str("<h2 id=point>Our point model beside the report</h2>");
        point_vs_report(r, &mut out);
    } else {
        out.push_str("<h2 id=point>The point model</h2>");
        point_only(r, &mut out);
    }
    let _ = writeln!(
        out,
        "<h2 id=reproduce>Reproduce</h2><pre>{}</pre><p>wfmc {} · config hash {} · the same command gives the same numbers, on any number of threads.</p></body></html>",
        esc(&reproduce(r)),
        esc(m["wfmc_version"].as_str().unwrap_or("")),
        esc(m["config"]["hash"].as_str().unwrap_or(""))
    );
    out
}

/// Writes `plots/*.svg` (and `plots/*.png` with `png`) and `report.html` into the
/// folder `dir` (whose CSV and JSON files must be there): a results folder being
/// written ([`crate::files::Staging`]), which reaches the user's disk all or nothing.
pub fn write(dir: &Path, png: bool) -> Result<usize, Error> {
    let r = Results::load(dir)?;
    let charts = charts::all_checked(&r)?;
    let io = |what: &Path, e: std::io::Error| Error::io(format!("writing {}", what.display()), e);
    let plots = dir.join("plots");
    std::fs::create_dir_all(&plots).map_err(|e| io(&plots, e))?;
    for c in &charts {
        let p = plots.join(&c.file);
        std::fs::write(&p, &c.svg).map_err(|e| io(&p, e))?;
        if png {
            let bytes = charts::to_png(&c.svg).map_err(Error::Runtime)?;
            let p = p.with_extension("png");
            std::fs::write(&p, bytes).map_err(|e| io(&p, e))?;
        }
    }
    let html = dir.join("report.html");
    std::fs::write(&html, page(&r, &charts)).map_err(|e| io(&html, e))?;
    Ok(charts.len())
}
