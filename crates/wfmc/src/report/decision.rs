//! Decisions under uncertainty for people: a scenario discovery's box as plain
//! sentences, the terminal table of the value of information and robustness, and
//! the report's section (the coverage–density trade-off, the acceptability curves)
//! drawn from `discovery.csv`, `value_of_information.csv`, `acceptability.csv` and
//! `robustness.csv`.

use super::thousands;
use crate::results::Folder;
use crate::results::{discovery, robustness, value_of_information};
use std::fmt::Write as _;

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn num(x: f64) -> String {
    if x.abs() >= 100.0 {
        thousands(x)
    } else {
        format!("{x:.4}")
    }
}

fn qp(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else if x < 1e-300 {
        "quasi-p < 1e-300".to_string()
    } else if x < 1e-3 {
        format!("quasi-p {x:.1e}")
    } else {
        format!("quasi-p {x:.3}")
    }
}

/// The chosen PRIM box of `rows` (of one outcome) as sentences.
pub fn box_sentences(rows: &[discovery::Row], area: &str, scenario: &str, year: u32) -> String {
    let chosen: Vec<&discovery::Row> = rows
        .iter()
        .filter(|r| r.method == "prim" && r.chosen)
        .collect();
    let Some(first) = chosen.first() else {
        return String::new();
    };
    let all = rows.iter().find(|r| r.method == "prim" && r.step == 0);
    let mut s = String::new();
    if let Some(a) = all {
        let _ = write!(
            s,
            "{area} falls short in {year} ({scenario}) in {} of {} draws ({}). ",
            thousands(a.k as f64),
            thousands(a.n as f64),
            pct(a.density)
        );
    }
    let _ = write!(
        s,
        "PRIM's box (step {}) holds {} of those draws (coverage), {} of the draws in it fall short (density), and it covers {} of all draws (mass)",
        first.step,
        pct(first.coverage),
        pct(first.density),
        pct(first.mass)
    );
    let parts: Vec<String> = chosen
        .iter()
        .filter(|r| !r.input.is_empty())
        .map(|r| {
            let lower = !r.qp_lower.is_nan();
            let upper = !r.qp_upper.is_nan();
            let limit = match (lower, upper) {
                (true, true) => format!("between {} and {}", num(r.lower), num(r.upper)),
                (true, false) => format!("at least {}", num(r.lower)),
                _ => format!("at most {}", num(r.upper)),
            };
            let q = [qp(r.qp_lower), qp(r.qp_upper)]
                .into_iter()
                .filter(|q| !q.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let rep = if r.reproducibility.is_nan() {
                String::new()
            } else {
                format!("; in {} of resampled boxes", pct(r.reproducibility))
            };
            format!("{} is {limit} ({q}{rep})", r.input)
        })
        .collect();
    if parts.is_empty() {
        s.push_str(": it restricts no input.\n");
    } else {
        let _ = writeln!(s, ", where {}.", parts.join(", and "));
    }
    s
}

/// The terminal table of a decision analysis.
pub fn decide_table(
    voi: &[value_of_information::Row],
    rob: &[robustness::Row],
    scenario: &str,
    year: u32,
    draws: usize,
) -> String {
    let mut s = String::new();
    let lambda = voi.first().map_or(f64::NAN, |r| r.value_per_wte_year);
    let _ = writeln!(
        s,
        "Options on the same {} draws, {scenario}, shortfall counted to {year}; £{} per WTE-year of shortfall.\n",
        thousands(draws as f64),
        thousands(lambda)
    );
    let _ = writeln!(
        s,
        "{:<34} {:>16} {:>16} {:>10} {:>16} {:>16}",
        "option", "WTE-years short", "net benefit £", "P(none)", "mean regret £", "P90 regret £"
    );
    let mut options: Vec<&str> = vec![];
    for r in rob {
        if !options.contains(&r.option.as_str()) {
            options.push(&r.option);
        }
    }
    for o in options {
        let get = |m: &str| {
            rob.iter()
                .find(|r| r.option == o && r.measure == m)
                .map_or((f64::NAN, f64::NAN), |r| (r.value, r.se))
        };
        let (w, wse) = get("wte_years_short");
        let (nb, nbse) = get("net_benefit");
        let (p, _) = get("p_no_area_short");
        let (rm, rse) = get("regret_mean");
        let (r90, _) = get("regret_p90");
        let _ = writeln!(
            s,
            "{:<34} {:>16} {:>16} {:>10} {:>16} {:>16}",
            o,
            format!("{} ±{}", thousands(w), thousands(wse)),
            format!("{} ±{}", thousands(nb), thousands(nbse)),
            format!("{:.3}", p),
            format!("{} ±{}", thousands(rm), thousands(rse)),
            thousands(r90)
        );
    }
    let _ = writeln!(s, "\nValue of information (£, ± bootstrap SE):");
    let mut rows: Vec<&value_of_information::Row> = voi.iter().collect();
    rows.sort_by(|a, b| {
        let rank = |r: &value_of_information::Row| match r.kind.as_str() {
            "evpi" => 0,
            "group" => 1,
            _ => 2,
        };
        rank(a).cmp(&rank(b)).then(b.value.total_cmp(&a.value))
    });
    for r in rows.iter().take(16) {
        let _ = writeln!(
            s,
            "  {:<6} {:<58} {:>14} ±{:<10} {:>6}",
            r.kind,
            r.name,
            thousands(r.value),
            thousands(r.se),
            if r.share_of_evpi.is_nan() {
                String::new()
            } else {
                pct(r.share_of_evpi)
            }
        );
    }
    s
}

const COLORS: [&str; 8] = [
    "#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#555555",
];

/// A line chart of `series` (name, points) as inline SVG.
fn line_svg(
    title: &str,
    xlabel: &str,
    ylabel: &str,
    series: &[(String, Vec<(f64, f64)>)],
) -> String {
    let (w, h, l, r, t, b) = (640.0, 320.0, 70.0, 180.0, 30.0, 45.0);
    let pts = series.iter().flat_map(|(_, p)| p.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64, 1.0f64);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) {
        x1 = x0 + 1.0;
    }
    let sx = |x: f64| l + (x - x0) / (x1 - x0) * (w - l - r);
    let sy = |y: f64| h - b - (y - y0) / (y1 - y0) * (h - t - b);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}' font-family='sans-serif' font-size='11'>\
<text x='{l}' y='18' font-size='13'>{title}</text>\
<line x1='{l}' y1='{}' x2='{}' y2='{}' stroke='#333'/><line x1='{l}' y1='{t}' x2='{l}' y2='{}' stroke='#333'/>\
<text x='{}' y='{}' text-anchor='middle'>{xlabel}</text><text x='14' y='{}' transform='rotate(-90 14 {})' text-anchor='middle'>{ylabel}</text>",
        h - b,
        w - r,
        h - b,
        h - b,
        (l + w - r) / 2.0,
        h - 8.0,
        (t + h - b) / 2.0,
        (t + h - b) / 2.0
    );
    for i in 0..=4 {
        let fx = x0 + (x1 - x0) * f64::from(i) / 4.0;
        let fy = y0 + (y1 - y0) * f64::from(i) / 4.0;
        let _ = write!(
            s,
            "<text x='{:.1}' y='{}' text-anchor='middle'>{}</text><text x='{}' y='{:.1}' text-anchor='end'>{}</text>",
            sx(fx),
            h - b + 14.0,
            if x1 - x0 > 10.0 {
                thousands(fx)
            } else {
                format!("{fx:.2}")
            },
            l - 4.0,
            sy(fy) + 4.0,
            if y1 - y0 > 10.0 {
                thousands(fy)
            } else {
                format!("{fy:.2}")
            }
        );
    }
    for (k, (name, p)) in series.iter().enumerate() {
        let c = COLORS[k % COLORS.len()];
        let path: Vec<String> = p
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = write!(
            s,
            "<polyline fill='none' stroke='{c}' stroke-width='2' points='{}'/>",
            path.join(" ")
        );
        if p.len() < 120 {
            for &(x, y) in p {
                let _ = write!(
                    s,
                    "<circle cx='{:.1}' cy='{:.1}' r='2.5' fill='{c}'/>",
                    sx(x),
                    sy(y)
                );
            }
        }
        let _ = write!(
            s,
            "<rect x='{}' y='{}' width='10' height='10' fill='{c}'/><text x='{}' y='{}'>{}</text>",
            w - r + 10.0,
            t + 16.0 * k as f64,
            w - r + 24.0,
            t + 9.0 + 16.0 * k as f64,
            super::html::esc_text(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// One outcome's discovery (its rows of `discovery.csv`) as HTML: a heading, the
/// chosen box in sentences and the coverage–density trade-off of PRIM's trajectory.
pub fn outcome_html(rows: &[discovery::Row], outcome: &str) -> String {
    let mut pts: Vec<(f64, f64)> = vec![];
    for r in rows.iter().filter(|r| r.method == "prim") {
        if pts.last() != Some(&(r.coverage, r.density)) {
            pts.push((r.coverage, r.density));
        }
    }
    let parts: Vec<&str> = outcome.split('/').collect();
    let (area, scenario, year) = match parts[..] {
        [_, s, a, y] => (a, s, y.split(' ').next().unwrap_or("").parse().unwrap_or(0)),
        _ => ("", "", 0),
    };
    format!(
        "<h3>{}</h3><p>{}</p><figure>{}</figure>",
        super::html::esc_text(outcome),
        super::html::esc_text(&box_sentences(rows, area, scenario, year)),
        line_svg(
            "Peeling trajectory: coverage against density",
            "coverage",
            "density",
            &[("PRIM".to_string(), pts)]
        )
    )
}

/// The report's section on decisions, if the folder has any of their files.
pub fn section(f: &Folder) -> String {
    let mut s = String::new();
    if let Some(rows) = &f.discovery {
        s.push_str("<h2 id=discovery>When does it fall short? (scenario discovery)</h2>");
        s.push_str("<p>PRIM (Friedman and Fisher 1999) peels the sampled inputs towards the draws in which the outcome happens; each step trades coverage (the share of those draws kept) for density (the share of the box's draws in which it happens). The chosen box is described below; quasi-p values are one-sided binomial tests of each limit, and the resampled share is how often PRIM on half the draws restricts the same input.</p>");
        let mut outcomes: Vec<&str> = vec![];
        for r in rows {
            if !outcomes.contains(&r.outcome.as_str()) {
                outcomes.push(&r.outcome);
            }
        }
        for o in outcomes {
            let these: Vec<discovery::Row> =
                rows.iter().filter(|r| r.outcome == o).cloned().collect();
            s.push_str(&outcome_html(&these, o));
        }
    }
    if let Some(rows) = &f.value_of_information {
        s.push_str("<h2 id=voi>What is it worth to know more? (value of information)</h2>");
        s.push_str("<p>Net benefit of an option in a draw: −(programme cost + the value per WTE-year × WTE-years of shortfall). The EVPI is what resolving every uncertainty before choosing would be worth on average; the EVPPI of an input or group, what resolving only that would be worth (Strong, Oakley and Brennan 2014: regression on the same draws, penalised splines for one or two inputs, MARS for larger groups; ± bootstrap standard errors).</p><table><tr><th>kind</th><th>name</th><th>£</th><th>± SE</th><th>share of EVPI</th></tr>");
        let mut sorted: Vec<&value_of_information::Row> = rows.iter().collect();
        sorted.sort_by(|a, b| {
            (a.kind != "evpi")
                .cmp(&(b.kind != "evpi"))
                .then(b.value.total_cmp(&a.value))
        });
        for r in sorted.iter().take(20) {
            let _ = write!(
                s,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                r.kind,
                super::html::esc_text(&r.name),
                thousands(r.value),
                thousands(r.se),
                if r.share_of_evpi.is_nan() {
                    String::new()
                } else {
                    pct(r.share_of_evpi)
                }
            );
        }
        s.push_str("</table>");
    }
    if let Some(rows) = &f.acceptability {
        s.push_str("<h2 id=acceptability>Which option is best? (acceptability)</h2><p>The probability that each option has the highest net benefit, by the value put on one WTE-year of shortfall avoided.</p>");
        let mut series: Vec<(String, Vec<(f64, f64)>)> = vec![];
        for r in rows {
            match series.iter_mut().find(|(n, _)| *n == r.option) {
                Some((_, p)) => p.push((r.value_per_wte_year, r.p_best)),
                None => series.push((r.option.clone(), vec![(r.value_per_wte_year, r.p_best)])),
            }
        }
        let _ = write!(
            s,
            "<figure>{}</figure>",
            line_svg(
                "P(option is best)",
                "£ per WTE-year of shortfall avoided",
                "probability",
                &series
            )
        );
    }
    if let Some(rows) = &f.robustness {
        s.push_str("<h2 id=robustness>Which option holds up? (robustness)</h2><table><tr><th>option</th><th>WTE-years short</th><th>net benefit £</th><th>P(no area short)</th><th>mean regret £</th><th>P90 regret £</th></tr>");
        let mut options: Vec<&str> = vec![];
        for r in rows {
            if !options.contains(&r.option.as_str()) {
                options.push(&r.option);
            }
        }
        for o in options {
            let get = |m: &str| {
                rows.iter()
                    .find(|r| r.option == o && r.measure == m)
                    .map_or(f64::NAN, |r| r.value)
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{}</td></tr>",
                super::html::esc_text(o),
                thousands(get("wte_years_short")),
                thousands(get("net_benefit")),
                get("p_no_area_short"),
                thousands(get("regret_mean")),
                thousands(get("regret_p90"))
            );
        }
        s.push_str("</table>");
    }
    s
}
