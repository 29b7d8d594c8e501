//! The charts of a results folder, as SVG (plotters, with an embedded font so no
//! system font library is needed): fan charts, tornadoes, the shortfall heat map,
//! job-level composition and costs.
//!
//! Every chart has a title, axis labels with units and a legend; text is at least
//! 13 px at 100 % zoom.

use super::thousands;
use crate::dims::Dims;
use crate::published;
use crate::results::Folder as Results;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

const FONT: &str = "sans-serif";
const W: u32 = 960;
const H: u32 = 560;
const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(230, 120, 20);
const GREEN: RGBColor = RGBColor(44, 150, 44);
const GREY: RGBColor = RGBColor(110, 110, 110);
const LEVEL_COLORS: [RGBColor; 4] = [
    RGBColor(84, 48, 140),
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(230, 160, 40),
];

/// One chart: its file name under `plots/`, title and SVG text.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File name, e.g. `fan-data_driven-total.svg`.
    pub file: String,
    /// The chart's title (also the SVG's `<title>`).
    pub title: String,
    /// Which section of the report it belongs to.
    pub section: Section,
    /// The SVG document.
    pub svg: String,
}

/// Report sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Demand and supply fan charts.
    Fan,
    /// Costs.
    Cost,
    /// Probability of shortfall.
    Shortfall,
    /// Tornadoes.
    Tornado,
    /// Job-level composition.
    Composition,
    /// Comparisons with interventions and other variants (`compare.csv`).
    Compare,
}

/// DejaVu Sans (assets/fonts, free licence beside it): compiled in, so charts need
/// no system fonts.
const FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The font is compiled in; failure would be a build defect caught by tests.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, FONT_BYTES);
    });
}

/// Whether this build can write PNG charts (cargo feature `png`).
pub const PNG_SUPPORTED: bool = cfg!(feature = "png");

/// Renders a chart's SVG to PNG with the embedded font (feature `png`).
#[cfg(feature = "png")]
pub fn to_png(svg: &str) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(FONT_BYTES.to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    let tree = usvg::Tree::from_str(svg, &opt).map_err(e)?;
    let size = tree.size().to_int_size();
    let mut pm = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("empty chart")?;
    resvg::render(&tree, tiny_skia::Transform::identity(), &mut pm.as_mut());
    pm.encode_png().map_err(e)
}

/// Without the `png` feature there is no PNG renderer; say how to get one.
#[cfg(not(feature = "png"))]
pub fn to_png(_svg: &str) -> Result<Vec<u8>, String> {
    Err("this wfmc was built without PNG support (its cargo feature `png`)".into())
}

/// Renders with plotters into an SVG string, adding a `<title>` for accessibility
/// and for tests.
fn svg(
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    register_font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    let esc = title.replace('&', "&amp;").replace('<', "&lt;");
    Ok(match s.find('>') {
        Some(i) => format!("{}<title>{esc}</title>{}", &s[..=i], &s[i + 1..]),
        None => s,
    })
}

fn e<E: std::fmt::Display>(x: E) -> String {
    x.to_string()
}

/// The report's published 2030 (demand, supply) for an area or the total, for a
/// folder of the report's dimensions.
fn published_2030(d: &Dims, s: usize, area: Option<usize>) -> (Option<f64>, Option<f64>) {
    if !d.is_report() {
        return (None, None);
    }
    let key = area.map(|a| d.area_key(a));
    let supply = published::TABLES_3
        .iter()
        .find(|r| r.area == key)
        .map(|r| r.supply_2030);
    let demand = match s {
        0 => published::DEMAND_2030_A
            .iter()
            .find(|r| r.0 == key)
            .map(|r| r.1),
        _ => published::DEMAND_2030_B
            .iter()
            .find(|r| r.area == key)
            .map(|r| r.value),
    };
    (demand, supply)
}

struct Band {
    p5: Vec<f64>,
    p25: Vec<f64>,
    p50: Vec<f64>,
    p75: Vec<f64>,
    p95: Vec<f64>,
}

fn band(r: &Results, s: &str, area: &str, metric: &str, scale: f64) -> Band {
    let d = &r.dims;
    let get = |stat: &str| -> Vec<f64> {
        (0..d.n_years())
            .map(|k| r.band(s, area, d.year_of(k), metric, stat) / scale)
            .collect()
    };
    Band {
        p5: get("p5"),
        p25: get("p25"),
        p50: get("p50"),
        p75: get("p75"),
        p95: get("p95"),
    }
}

fn years(d: &Dims) -> impl Iterator<Item = f64> + Clone + '_ {
    (0..d.n_years()).map(|k| f64::from(d.year_of(k)))
}

fn polygon(d: &Dims, lo: &[f64], hi: &[f64]) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = years(d).zip(lo.iter().copied()).collect();
    pts.extend(
        years(d)
            .zip(hi.iter().copied())
            .collect::<Vec<_>>()
            .into_iter()
            .rev(),
    );
    pts
}

fn range_of<'a>(vals: impl Iterator<Item = &'a f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in vals.filter(|v| v.is_finite()) {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.06).max(1.0);
    ((lo - pad).min(0.0_f64.max(lo - pad)), hi + pad)
}

/// Draws banded series (P5–P95, P25–P75, median) on a years × value chart.
fn fan(
    d: &Dims,
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    y_desc: &str,
    series: &[(&str, &Band, RGBColor)],
    marks: &[(String, f64, RGBColor)],
    lines: &[(&str, Vec<f64>, RGBColor)],
) -> Result<(), String> {
    let all = series
        .iter()
        .flat_map(|(_, b, _)| b.p5.iter().chain(&b.p95))
        .chain(marks.iter().map(|m| &m.1))
        .chain(lines.iter().flat_map(|l| l.1.iter()));
    let (y0, y1) = range_of(all);
    let mut chart = ChartBuilder::on(root)
        .caption(title, (FONT, 22))
        .margin(18)
        .x_label_area_size(48)
        .y_label_area_size(88)
        .build_cartesian_2d(
            f64::from(d.base_year) - 0.4..f64::from(d.last_year) + 0.9,
            y0..y1,
        )
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_labels(d.n_years())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| thousands(*y))
        .x_desc("Year")
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(e)?;
    for (name, b, c) in series {
        let c = *c;
        for (lo, hi, alpha, what) in [
            (&b.p5, &b.p95, 0.15, "P5–P95"),
            (&b.p25, &b.p75, 0.35, "P25–P75"),
        ] {
            let fill = c.mix(alpha).filled();
            chart
                .draw_series(std::iter::once(Polygon::new(polygon(d, lo, hi), fill)))
                .map_err(e)?
                .label(format!("{name} {what}"))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill));
        }
        chart
            .draw_series(LineSeries::new(
                years(d).zip(b.p50.iter().copied()),
                c.stroke_width(3),
            ))
            .map_err(e)?
            .label(format!("{name} median"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(3)));
    }
    for (name, v, c) in lines {
        let c = *c;
        chart
            .draw_series(LineSeries::new(
                years(d).zip(v.iter().copied()),
                c.stroke_width(2),
            ))
            .map_err(e)?
            .label(name.to_string())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
    }
    for (name, v, c) in marks {
        let c = *c;
        chart
            .draw_series(std::iter::once(Circle::new(
                (f64::from(d.last_year), *v),
                7,
                c.filled(),
            )))
            .map_err(e)?
            .label(name.clone())
            .legend(move |(x, y)| Circle::new((x + 9, y), 6, c.filled()));
        chart
            .draw_series(std::iter::once(Circle::new(
                (f64::from(d.last_year), *v),
                7,
                BLACK.stroke_width(2),
            )))
            .map_err(e)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .label_font((FONT, 13))
        .draw()
        .map_err(e)?;
    Ok(())
}

fn fan_chart(r: &Results, s: usize, area: Option<usize>) -> Result<Chart, String> {
    let dm = &r.dims;
    let skey = dm.scenario_key(s);
    let akey = dm.place_key(area);
    let alabel = area.map_or("All areas (net total)", |a| dm.area_label(a));
    let title = format!("{alabel}: demand and supply, {}", dm.scenario_label(s));
    let d = band(r, skey, akey, "demand", 1.0);
    let sp = band(r, skey, akey, "supply", 1.0);
    let (pd, ps) = published_2030(dm, s, area);
    let mut marks = vec![];
    if let Some(v) = pd {
        marks.push(("Report's 2030 demand".to_string(), v, BLUE));
    }
    if let Some(v) = ps {
        marks.push(("Report's 2030 supply".to_string(), v, ORANGE));
    }
    let svg = svg(&title, (W, H), |root| {
        fan(
            dm,
            root,
            &title,
            "Whole-time equivalents (WTE)",
            &[("Demand", &d, BLUE), ("Supply", &sp, ORANGE)],
            &marks,
            &[],
        )
    })?;
    Ok(Chart {
        file: format!("fan-{skey}-{akey}.svg"),
        title,
        section: Section::Fan,
        svg,
    })
}

fn cost_chart(r: &Results, s: usize) -> Result<Chart, String> {
    let dm = &r.dims;
    let skey = dm.scenario_key(s);
    let title = format!("Total salary and on-costs, {}", dm.scenario_label(s));
    let d = band(r, skey, "total", "cost_demand", 1e6);
    let sp = band(r, skey, "total", "cost_supply", 1e6);
    let flat: Vec<f64> = (0..dm.n_years())
        .map(|k| r.band(skey, "total", dm.year_of(k), "cost_flat", "p50") / 1e6)
        .collect();
    let flat_label = format!("Cost of the {} workforce held flat (median)", dm.base_year);
    let mut marks = vec![];
    if s == 0 && dm.is_report() {
        marks.push((
            "Report's 2030 cost of demand (rows; printed total £5,220m)".to_string(),
            published::t33_rows_total_2030_m(),
            BLUE,
        ));
    }
    let svg = svg(&title, (W, H), |root| {
        fan(
            dm,
            root,
            &title,
            "£ million a year",
            &[
                ("Cost of demand", &d, BLUE),
                ("Cost of supply", &sp, ORANGE),
            ],
            &marks,
            &[(flat_label.as_str(), flat, GREEN)],
        )
    })?;
    Ok(Chart {
        file: format!("cost-{skey}.svg"),
        title,
        section: Section::Cost,
        svg,
    })
}

fn heat_chart(r: &Results, s: usize) -> Result<Chart, String> {
    let dm = &r.dims;
    let n_years = dm.n_years();
    let skey = dm.scenario_key(s);
    let title = format!(
        "Probability of shortfall (demand > supply), {}",
        dm.scenario_label(s)
    );
    let rows: Vec<(String, String)> = (0..dm.n_areas())
        .map(|a| (dm.area_key(a).to_string(), dm.area_label(a).to_string()))
        .chain([("total".to_string(), "All areas (net)".to_string())])
        .collect();
    let n = rows.len();
    // 54 px a row, and room for the title, axis and legend (ten rows: 680 px).
    let height = 140 + 54 * n as u32;
    let svg = svg(&title, (W, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 22))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(300)
            .build_cartesian_2d(
                (0..n_years as i32 - 1).into_segmented(),
                (0..n as i32 - 1).into_segmented(),
            )
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n_years)
            .y_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(k) if (0..n_years as i32).contains(k) => {
                    dm.year_of(*k as usize).to_string()
                }
                _ => String::new(),
            })
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => (n as i32 - 1 - *i)
                    .try_into()
                    .ok()
                    .and_then(|j: usize| rows.get(j))
                    .map_or(String::new(), |r| r.1.clone()),
                _ => String::new(),
            })
            .x_desc("Year")
            .y_desc("Area of work")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .draw()
            .map_err(e)?;
        for (row, (key, _)) in rows.iter().enumerate() {
            let y = (n - 1 - row) as i32;
            for k in 0..n_years {
                let (p, _) = r.p_short(skey, key, dm.year_of(k));
                let c = heat_color(p);
                let x = k as i32;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [
                            (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                            (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                        ],
                        c.filled(),
                    )))
                    .map_err(e)?;
                let txt = if p.is_nan() {
                    "–".to_string()
                } else {
                    format!("{p:.2}")
                };
                let style = TextStyle::from((FONT, 13).into_font())
                    .color(if p > 0.6 { &WHITE } else { &BLACK })
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Center,
                    ));
                chart
                    .draw_series(std::iter::once(Text::new(
                        txt,
                        (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                        style,
                    )))
                    .map_err(e)?;
            }
        }
        // Legend: the colour scale, along the bottom.
        let ly = height as i32 - 32;
        for (i, p) in [0.0, 0.25, 0.5, 0.75, 1.0].iter().enumerate() {
            let x0 = 320 + i as i32 * 110;
            root.draw(&Rectangle::new(
                [(x0, ly), (x0 + 22, ly + 16)],
                heat_color(*p).filled(),
            ))
            .map_err(e)?;
            root.draw(&Text::new(
                format!("P = {p:.2}"),
                (x0 + 28, ly + 1),
                (FONT, 13),
            ))
            .map_err(e)?;
        }
        Ok(())
    })?;
    Ok(Chart {
        file: format!("shortfall-heatmap-{skey}.svg"),
        title,
        section: Section::Shortfall,
        svg,
    })
}

fn heat_color(p: f64) -> RGBColor {
    if p.is_nan() {
        return RGBColor(240, 240, 240);
    }
    let t = p.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(lerp(255.0, 165.0), lerp(245.0, 15.0), lerp(235.0, 21.0))
}

fn tornado_chart(r: &Results, s: usize, output: &str) -> Result<Option<Chart>, String> {
    let dm = &r.dims;
    let skey = dm.scenario_key(s);
    let mut rows: Vec<_> = r
        .tornado
        .iter()
        .filter(|t| t.scenario == skey && t.output == output && t.swing > 0.0)
        .collect();
    rows.sort_by_key(|t| t.rank);
    rows.truncate(12);
    if rows.is_empty() {
        return Ok(None);
    }
    let cost = output.starts_with("cost");
    let scale = if cost { 1e6 } else { 1.0 };
    let unit = if cost { "£ million a year" } else { "WTE" };
    let base = {
        // The base is the point model: every row shares it; read it off the summary.
        let (m, a, _) = split_output(output);
        r.summary["scenarios"][skey]
            .get(if a == "total" && m == "gross_shortfall" {
                "gross_shortfall"
            } else {
                ""
            })
            .and_then(|g| g["point"].as_f64())
            .or_else(|| r.summary["scenarios"][skey]["areas"][a][m]["point"].as_f64())
            .unwrap_or_else(|| rows[0].output_low.min(rows[0].output_high))
            / scale
    };
    let title = format!(
        "What moves {} ({}): top {} inputs",
        describe_output(dm, output),
        dm.scenario_label(s),
        rows.len()
    );
    let n = rows.len();
    let lo = rows
        .iter()
        .map(|t| t.output_low.min(t.output_high) / scale)
        .fold(base, f64::min);
    let hi = rows
        .iter()
        .map(|t| t.output_low.max(t.output_high) / scale)
        .fold(base, f64::max);
    let pad = ((hi - lo) * 0.05).max(1e-9);
    let svg = svg(&title, (W, 120 + 38 * n as u32 + 60), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 20))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(380)
            // n + 1 segments: the top one stays empty for the legend.
            .build_cartesian_2d((lo - pad)..(hi + pad), (0..n as i32).into_segmented())
            .map_err(e)?;
        chart
            .configure_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => (n as i32 - 1 - *i)
                    .try_into()
                    .ok()
                    .and_then(|j: usize| rows.get(j))
                    .map_or(String::new(), |t| t.input.clone()),
                _ => String::new(),
            })
            .x_label_formatter(&|x| thousands(*x))
            .x_desc(format!(
                "{} ({unit}); line = base case (point model)",
                describe_output(dm, output)
            ))
            .y_desc("Input (config path)")
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(e)?;
        for (i, t) in rows.iter().enumerate() {
            let y = (n - 1 - i) as i32;
            for (v, c) in [
                (t.output_low / scale, BLUE),
                (t.output_high / scale, ORANGE),
            ] {
                let (a, b) = if v < base { (v, base) } else { (base, v) };
                let mut rect = Rectangle::new(
                    [(a, SegmentValue::Exact(y)), (b, SegmentValue::Exact(y + 1))],
                    c.mix(0.8).filled(),
                );
                rect.set_margin(6, 6, 0, 0);
                chart.draw_series(std::iter::once(rect)).map_err(e)?;
            }
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (base, SegmentValue::Exact(0)),
                    (base, SegmentValue::Exact(n as i32)),
                ],
                BLACK.stroke_width(2),
            )))
            .map_err(e)?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [
                    (lo - pad, SegmentValue::Exact(0)),
                    (lo - pad, SegmentValue::Exact(0)),
                ],
                BLUE.filled(),
            )))
            .map_err(e)?
            .label("input at its P10 (lowest band)")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], BLUE.mix(0.8).filled()));
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [
                    (lo - pad, SegmentValue::Exact(0)),
                    (lo - pad, SegmentValue::Exact(0)),
                ],
                ORANGE.filled(),
            )))
            .map_err(e)?
            .label("input at its P90 (highest band)")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 18, y + 6)], ORANGE.mix(0.8).filled())
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .label_font((FONT, 13))
            .draw()
            .map_err(e)?;
        Ok(())
    })?;
    Ok(Some(Chart {
        file: format!("tornado-{skey}-{}.svg", output.replace('/', "-")),
        title,
        section: Section::Tornado,
        svg,
    }))
}

/// (metric, area, year) of an output name like `gap/ict/2030`.
fn split_output(o: &str) -> (&str, &str, &str) {
    let mut p = o.split('/');
    (
        p.next().unwrap_or(""),
        p.next().unwrap_or(""),
        p.next().unwrap_or(""),
    )
}

/// Plain words for an output name.
pub fn describe_output(d: &Dims, o: &str) -> String {
    let (m, a, y) = split_output(o);
    let area = d
        .area(a)
        .map_or("all areas".to_string(), |a| d.area_label(a).to_string());
    match m {
        "gap" if a == "total" => format!("{y} net gap, all areas"),
        "gap" => format!("{y} gap, {area}"),
        "gross_shortfall" => format!("{y} gross shortfall"),
        "cost_demand" => format!("{y} cost of demand, {area}"),
        _ => o.to_string(),
    }
}

fn composition_chart(r: &Results, s: usize, a: usize) -> Result<Chart, String> {
    let dm = &r.dims;
    let (skey, akey) = (dm.scenario_key(s), dm.area_key(a));
    let title = format!(
        "{}: demand by job level, {}",
        dm.area_label(a),
        dm.scenario_label(s)
    );
    let yrs = [
        dm.base_year,
        dm.base_year + (dm.last_year - dm.base_year) / 2,
        dm.last_year,
    ];
    let n_l = dm.n_levels();
    let val = |l: usize, y: u32, stat: &str| {
        r.band(skey, akey, y, &format!("demand_{}", dm.level_key(l)), stat)
    };
    let top = yrs
        .iter()
        .flat_map(|&y| (0..n_l).map(move |l| (l, y)))
        .map(|(l, y)| val(l, y, "p95"))
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max)
        * 1.08;
    let svg = svg(&title, (W, H), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (FONT, 22))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(88)
            .build_cartesian_2d((0..2i32).into_segmented(), 0f64..top)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(3)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => yrs
                    .get(*i as usize)
                    .map_or(String::new(), |y| y.to_string()),
                _ => String::new(),
            })
            .y_label_formatter(&|y| thousands(*y))
            .x_desc("Year")
            .y_desc("Demand, WTE (bars: mean; whiskers: P5–P95)")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(e)?;
        // A bar per level and year, placed in pixels inside the year's segment and
        // drawn on the root area (whose coordinates are the backend's pixels).
        let (step, width) = (0.76 / n_l as f64, 0.68 / n_l as f64);
        let plot = chart.plotting_area();
        let px = |seg: i32, v: f64| plot.map_coordinate(&(SegmentValue::Exact(seg), v));
        for (gi, &y) in yrs.iter().enumerate() {
            let (x0, yb) = px(gi as i32, 0.0);
            let (x1, _) = px(gi as i32 + 1, 0.0);
            let w = f64::from(x1 - x0);
            for li in 0..n_l {
                let c = LEVEL_COLORS[li % LEVEL_COLORS.len()];
                let (m, p5, p95) = (val(li, y, "mean"), val(li, y, "p5"), val(li, y, "p95"));
                let bx0 = x0 + (w * (0.12 + step * li as f64)) as i32;
                let bx1 = bx0 + (w * width) as i32;
                let bxm = (bx0 + bx1) / 2;
                let (_, ym) = px(0, m.max(0.0));
                root.draw(&Rectangle::new([(bx0, ym), (bx1, yb)], c.filled()))
                    .map_err(e)?;
                if p5.is_finite() && p95.is_finite() {
                    let (_, y5) = px(0, p5.max(0.0));
                    let (_, y95) = px(0, p95.max(0.0));
                    for seg in [
                        vec![(bxm, y5), (bxm, y95)],
                        vec![(bxm - 5, y5), (bxm + 5, y5)],
                        vec![(bxm - 5, y95), (bxm + 5, y95)],
                    ] {
                        root.draw(&PathElement::new(seg, BLACK.stroke_width(2)))
                            .map_err(e)?;
                    }
                }
            }
        }
        for li in 0..n_l {
            let c = LEVEL_COLORS[li % LEVEL_COLORS.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(SegmentValue::Exact(0), 0.0), (SegmentValue::Exact(0), 0.0)],
                    c.filled(),
                )))
                .map_err(e)?
                .label(dm.level_label(li))
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(GREY)
            .label_font((FONT, 13))
            .draw()
            .map_err(e)?;
        Ok(())
    })?;
    Ok(Chart {
        file: format!("composition-{skey}-{akey}.svg"),
        title,
        section: Section::Composition,
        svg,
    })
}

const LINE_COLORS: [RGBColor; 5] = [
    RGBColor(40, 40, 40),
    BLUE,
    ORANGE,
    GREEN,
    RGBColor(148, 52, 140),
];

/// P(shortfall) by year of the total and of up to four areas a variant moves most
/// (by the change in expected shortfall in 2030), with the variant (solid) and
/// without (dashed), on the same draws.
fn compare_chart(
    dm: &Dims,
    rows: &[crate::results::compare::Row],
    variant: &str,
    s: usize,
) -> Result<Chart, String> {
    let skey = dm.scenario_key(s);
    let title = format!(
        "P(shortfall) with and without {variant}, {}",
        dm.scenario_label(s)
    );
    let of = |area: &str, measure: &str| -> Vec<&crate::results::compare::Row> {
        let mut v: Vec<_> = rows
            .iter()
            .filter(|r| {
                r.variant == variant && r.scenario == skey && r.area == area && r.measure == measure
            })
            .collect();
        v.sort_by_key(|r| r.year);
        v
    };
    let mut moved: Vec<(f64, usize)> = (0..dm.n_areas())
        .filter_map(|a| {
            let es = of(dm.area_key(a), "expected_shortfall");
            let d = es.last().map_or(0.0, |r| r.change.abs());
            (d > 0.5).then_some((d, a))
        })
        .collect();
    moved.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut lines: Vec<(String, String)> = vec![("total".into(), "All areas (net)".into())];
    lines.extend(
        moved
            .iter()
            .take(4)
            .map(|&(_, a)| (dm.area_key(a).to_string(), dm.area_label(a).to_string())),
    );
    let svg = svg(&title, (W, H), |root| {
        // The legend has its own column: lines can run anywhere in the plot.
        let (plot, side) = root.split_horizontally(W - 250);
        let mut chart = ChartBuilder::on(&plot)
            .caption(&title, (FONT, 19))
            .margin(18)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(f64::from(dm.base_year)..f64::from(dm.last_year), 0.0..1.0)
            .map_err(e)?;
        chart
            .configure_mesh()
            .x_labels(dm.n_years())
            .x_label_formatter(&|y| format!("{y:.0}"))
            .y_label_formatter(&|p| format!("{p:.1}"))
            .x_desc("Year")
            .y_desc("P(shortfall)")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .draw()
            .map_err(e)?;
        let text = (FONT, 13).into_font().color(&BLACK);
        let mut y = 70;
        for (i, (key, label)) in lines.iter().enumerate() {
            let c = LINE_COLORS[i % LINE_COLORS.len()];
            let p = of(key, "p_shortfall");
            let pts = |f: fn(&crate::results::compare::Row) -> f64| -> Vec<(f64, f64)> {
                p.iter().map(|r| (r.year as f64, f(r))).collect()
            };
            chart
                .draw_series(LineSeries::new(pts(|r| r.with), c.stroke_width(3)))
                .map_err(e)?;
            chart
                .draw_series(DashedLineSeries::new(
                    pts(|r| r.base),
                    6,
                    5,
                    c.stroke_width(2),
                ))
                .map_err(e)?;
            side.draw(&PathElement::new(
                [(4, y + 7), (30, y + 7)],
                c.stroke_width(3),
            ))
            .map_err(e)?;
            for (j, part) in wrap(label, 26).iter().enumerate() {
                side.draw(&Text::new(
                    part.clone(),
                    (38, y + 16 * j as i32),
                    text.clone(),
                ))
                .map_err(e)?;
            }
            y += 16 * wrap(label, 26).len() as i32 + 10;
        }
        y += 8;
        side.draw(&Text::new("solid: with the variant", (4, y), text.clone()))
            .map_err(e)?;
        side.draw(&Text::new(
            "dashed: baseline (same draws)",
            (4, y + 18),
            text,
        ))
        .map_err(e)?;
        Ok(())
    })?;
    let safe: String = variant
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(Chart {
        file: format!("compare-{safe}-{skey}.svg"),
        title,
        section: Section::Compare,
        svg,
    })
}

/// `s` in lines of at most about `width` characters, broken at spaces.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for w in s.split(' ') {
        match out.last_mut() {
            Some(l) if l.len() + 1 + w.len() <= width => {
                l.push(' ');
                l.push_str(w);
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// [`all`], with a panic in the drawing code (third-party) turned into an error
/// so it never reaches the user.
pub fn all_checked(r: &Results) -> Result<Vec<Chart>, crate::error::Error> {
    use crate::error::Error;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| all(r)))
        .map_err(|_| Error::Runtime("drawing the charts failed (a bug: please report it)".into()))?
        .map_err(|e| Error::Runtime(format!("drawing the charts: {e}")))
}

/// Every chart of a results folder, in report order.
pub fn all(r: &Results) -> Result<Vec<Chart>, String> {
    let d = &r.dims;
    let scenarios = 0..d.n_scenarios();
    let mut out = vec![];
    for s in scenarios.clone() {
        out.push(fan_chart(r, s, None)?);
        for a in 0..d.n_areas() {
            out.push(fan_chart(r, s, Some(a))?);
        }
    }
    for s in scenarios.clone() {
        out.push(cost_chart(r, s)?);
    }
    for s in scenarios.clone() {
        out.push(heat_chart(r, s)?);
    }
    for s in scenarios.clone() {
        for o in crate::model::outputs(d).iter().filter(|o| o.scenario == s) {
            if let Some(c) = tornado_chart(r, s, &o.name)? {
                out.push(c);
            }
        }
    }
    for s in scenarios.clone() {
        for a in 0..d.n_areas() {
            out.push(composition_chart(r, s, a)?);
        }
    }
    if let Some(rows) = &r.compare {
        let names = crate::results::compare::variants(rows);
        for v in names {
            for s in scenarios.clone() {
                out.push(compare_chart(d, rows, v, s)?);
            }
        }
    }
    out.sort_by_key(|c| c.section);
    Ok(out)
}
