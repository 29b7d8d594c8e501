//! Forecaster returns: the demand distribution built from the panel itself.
//!
//! The report's demand figures are the mean of eight senior digital leads' returns,
//! each a filled-in template (its Figure 5.1) for a typical trust (its Table 5.3). A
//! returns file holds such templates as CSV,
//! `forecaster,scenario,area,level,fte_BASE,fte_MID,fte_LAST` (for the report,
//! `fte_2020,fte_2025,fte_2030`), one row per forecaster, scenario, area and job
//! level (typical-trust WTE; the middle year's figure may be empty). Lines starting
//! with `#` are comments.
//!
//! A forecaster's demand ratio for an area is their last-year (and middle-year)
//! total over the typical trust's base-year total, and national demand is the
//! national base-year workforce times that ratio (the report's "Stage 3: Demand
//! forecasting"; user guide, "The model"). Their level shares are their level rows
//! over their total.

use super::locate;
use crate::dims::Dims;
use std::collections::BTreeMap;
use std::ops::Range;

/// The CSV header a returns file of `dims` must have, the middle year `mid`.
pub fn header(dims: &Dims, mid: u32) -> String {
    format!(
        "forecaster,scenario,area,level,fte_{},fte_{mid},fte_{}",
        dims.base_year, dims.last_year
    )
}

/// How a draw uses the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Uncertainty of the panel's mean: resample the forecasters with replacement
    /// each draw and take the mean (a bootstrap).
    PanelMean,
    /// One forecaster's view: each draw picks one forecaster (optionally weighted),
    /// which shows how far the experts disagree.
    Forecaster,
}

/// What to do with a forecaster who left an area (or a scenario) out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Refuse the file.
    Error,
    /// Leave them out of that area's figures: the area's mean is over those who answered.
    Skip,
}

/// One forecaster's answer for one scenario and area.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Last-year WTE by level (typical trust).
    pub fte_last: Vec<f64>,
    /// Middle-year WTE by level, if given.
    pub fte_mid: Option<Vec<f64>>,
}

/// A panel of forecaster returns, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// How draws use it.
    pub mode: Mode,
    /// Forecaster names, in first-appearance order.
    pub names: Vec<String>,
    /// Weight of each forecaster (for [`Mode::Forecaster`]), summing to 1.
    pub weights: Vec<f64>,
    /// `answers[f][s][a]`; `None` where the forecaster left it out.
    pub answers: Vec<Vec<Vec<Option<Answer>>>>,
    /// The typical trust's base-year total per area (the ratios' denominator).
    pub trust_base: Vec<f64>,
    /// The middle year's index (years after the base).
    pub mid: usize,
    /// The middle year's share of the way from the base year to the last.
    pub mid_share: f64,
    /// Job levels.
    pub levels: usize,
}

/// (base, middle, last) WTE per level of one return, as read.
type LevelCells = Vec<[Option<f64>; 3]>;

/// One problem in a returns file, located by byte range.
#[derive(Debug, Clone)]
pub struct CsvProblem {
    /// Byte range in the file.
    pub span: Option<Range<usize>>,
    /// What is wrong.
    pub headline: String,
    /// What was found and what would be valid.
    pub detail: String,
    /// What to do about it.
    pub hint: Option<crate::wording::Hint>,
}

impl Panel {
    /// Forecaster f's demand ratios for (s, a): (middle year, last year). A
    /// forecaster without middle-year figures is taken to move in a straight line.
    pub fn ratios(&self, f: usize, s: usize, a: usize) -> Option<(f64, f64)> {
        let ans = self.answers[f][s][a].as_ref()?;
        let t = self.trust_base[a];
        let r_last = ans.fte_last.iter().sum::<f64>() / t;
        let w = self.mid_share;
        let r_mid = ans
            .fte_mid
            .as_ref()
            .map_or((1.0 - w) + w * r_last, |v| v.iter().sum::<f64>() / t);
        Some((r_mid, r_last))
    }

    /// Mean (middle-year ratio, last-year ratio, last-year level shares) of
    /// forecasters `fs` (with repeats, as a bootstrap resample has) for (s, a).
    /// Shares are the panel's mean level counts over their total, as the report
    /// averages national level figures. `None` if none of them answered.
    pub fn mean_of(
        &self,
        fs: impl Iterator<Item = usize>,
        s: usize,
        a: usize,
    ) -> Option<(f64, f64, Vec<f64>)> {
        let (mut n, mut r_mid, mut r_last, mut lv) = (0.0, 0.0, 0.0, vec![0.0; self.levels]);
        for f in fs {
            let Some((x_mid, x_last)) = self.ratios(f, s, a) else {
                continue;
            };
            let ans = self.answers[f][s][a]
                .as_ref()
                .expect("ratios imply an answer");
            n += 1.0;
            r_mid += x_mid;
            r_last += x_last;
            for (l, v) in lv.iter_mut().zip(&ans.fte_last) {
                *l += v;
            }
        }
        if n == 0.0 {
            return None;
        }
        let tot: f64 = lv.iter().sum();
        let shares = if tot > 0.0 {
            lv.iter().map(|v| v / tot).collect()
        } else {
            vec![1.0 / self.levels as f64; self.levels]
        };
        Some((r_mid / n, r_last / n, shares))
    }

    /// The whole panel's mean for (s, a).
    pub fn mean(&self, s: usize, a: usize) -> Option<(f64, f64, Vec<f64>)> {
        self.mean_of(0..self.names.len(), s, a)
    }

    /// Mean and standard deviation over forecasters of the last year's ratio for (s, a)
    /// (the report's "mean ± SD"), and how many answered.
    pub fn mean_sd(&self, s: usize, a: usize) -> (f64, f64, usize) {
        let r: Vec<f64> = (0..self.names.len())
            .filter_map(|f| self.ratios(f, s, a).map(|x| x.1))
            .collect();
        let n = r.len() as f64;
        let m = r.iter().sum::<f64>() / n;
        let sd = if r.len() > 1 {
            (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        (m, sd, r.len())
    }

    /// Reads a returns file for a config of `dims` whose returns have the middle
    /// year `mid`. `trust` is the typical trust's base-year WTE by area and level
    /// (the report's Table 5.3), which every return's base-year figure must repeat.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        text: &str,
        dims: &Dims,
        mid: u32,
        trust: &[Vec<f64>],
        mode: Mode,
        missing: Missing,
        weights: &BTreeMap<String, f64>,
    ) -> Result<Panel, Vec<CsvProblem>> {
        let (n_s, n_a, n_l) = (dims.n_scenarios(), dims.n_areas(), dims.n_levels());
        let header = header(dims, mid);
        let cols: Vec<String> = header.split(',').map(str::to_string).collect();
        let mut problems = vec![];
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .trim(csv::Trim::All)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut names: Vec<String> = vec![];
        let mut levels: BTreeMap<(usize, usize, usize), LevelCells> = BTreeMap::new();
        let mut spans: BTreeMap<(usize, usize, usize), Range<usize>> = BTreeMap::new();
        let mut first = true;
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let span = e
                        .position()
                        .map(|p| p.byte() as usize..p.byte() as usize + 1);
                    problems.push(CsvProblem {
                        span,
                        headline: "unreadable CSV".into(),
                        detail: e.to_string(),
                        hint: None,
                    });
                    break;
                }
            };
            let start = rec.position().map_or(0, |p| p.byte() as usize);
            // The record's own byte ranges skip delimiters, so find field i in the
            // raw line (returns are plain CSV: no quoted commas).
            let line = text[start..].lines().next().unwrap_or("");
            let field_span = |i: usize| {
                let mut at = start;
                for (j, f) in line.split(',').enumerate() {
                    if j == i {
                        let lead = f.len() - f.trim_start().len();
                        let len = f.trim().len().max(1);
                        return at + lead..at + lead + len;
                    }
                    at += f.len() + 1;
                }
                start..start + line.len().max(1)
            };
            if first {
                first = false;
                let got: Vec<&str> = rec.iter().collect();
                if got.join(",") != header {
                    problems.push(CsvProblem {
                        span: Some(field_span(0)),
                        headline: "wrong header".into(),
                        detail: format!("found `{}`, expected `{header}`", got.join(",")),
                        hint: None,
                    });
                    return Err(problems);
                }
                continue;
            }
            if rec.iter().all(str::is_empty) {
                continue;
            }
            if rec.len() != 7 {
                problems.push(CsvProblem {
                    span: Some(field_span(0)),
                    headline: "wrong number of fields".into(),
                    detail: format!("found {}, expected 7: {header}", rec.len()),
                    hint: None,
                });
                continue;
            }
            let mut bad = |i: usize, headline: &str, detail: String| {
                problems.push(CsvProblem {
                    span: Some(field_span(i)),
                    headline: headline.into(),
                    detail,
                    hint: None,
                })
            };
            let name = rec[0].to_string();
            if name.is_empty() {
                bad(
                    0,
                    "empty forecaster",
                    "every row names its forecaster".into(),
                );
                continue;
            }
            let lookup = |i: usize, keys: Vec<&str>, what: &str| {
                let v = &rec[i];
                keys.iter().position(|k| *k == v).ok_or_else(|| {
                    let hint = locate::nearest(v, keys.iter().copied())
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    (
                        i,
                        format!("unknown {what} `{v}`"),
                        format!("{hint}valid: {}", keys.join(", ")),
                    )
                })
            };
            let keyed = (
                lookup(1, dims.scenario_keys(), "scenario"),
                lookup(2, dims.area_keys(), "area"),
                lookup(3, dims.level_keys(), "level"),
            );
            let (s, a, l) = match keyed {
                (Ok(s), Ok(a), Ok(l)) => (s, a, l),
                (s, a, l) => {
                    for e in [s.err(), a.err(), l.err()].into_iter().flatten() {
                        bad(e.0, &e.1, e.2);
                    }
                    continue;
                }
            };
            let mut vals = [None; 3];
            let mut ok = true;
            for (j, col) in [4, 5, 6].into_iter().enumerate() {
                let v = &rec[col];
                if v.is_empty() && col == 5 {
                    continue;
                }
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => vals[j] = Some(x),
                    _ => {
                        let col_name = cols[col].as_str();
                        bad(
                            col,
                            &format!("bad {col_name}"),
                            format!(
                                "found `{v}`, expected a WTE count ≥ 0{}",
                                if col == 5 { " or empty" } else { "" }
                            ),
                        );
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let f = match names.iter().position(|n| *n == name) {
                Some(f) => f,
                None => {
                    names.push(name.clone());
                    names.len() - 1
                }
            };
            if let Some(t) = vals[0]
                && (t - trust[a][l]).abs() > 1e-6
            {
                bad(
                    4,
                    &format!("{} is not the typical trust's", cols[4]),
                    format!(
                        "found {t}; the config's typical_trust has {} for {} {}: every return starts from the same trust",
                        trust[a][l],
                        dims.area_key(a),
                        dims.level_key(l)
                    ),
                );
                continue;
            }
            let entry = levels.entry((f, s, a)).or_insert(vec![[None; 3]; n_l]);
            if entry[l][2].is_some() {
                bad(
                    0,
                    "duplicate row",
                    format!(
                        "{name} already gave {} {} {}",
                        dims.scenario_key(s),
                        dims.area_key(a),
                        dims.level_key(l)
                    ),
                );
                continue;
            }
            entry[l] = vals;
            spans.entry((f, s, a)).or_insert(field_span(0));
        }
        if names.is_empty() && problems.is_empty() {
            problems.push(CsvProblem {
                span: None,
                headline: "no returns".into(),
                detail: format!("the file has a header but no rows; expected rows of {header}"),
                hint: None,
            });
        }
        let mut answers = vec![vec![vec![None; n_a]; n_s]; names.len()];
        for (&(f, s, a), lv) in &levels {
            let span = spans.get(&(f, s, a)).cloned();
            let missing_levels: Vec<&str> = (0..n_l)
                .filter(|&l| lv[l][2].is_none())
                .map(|l| dims.level_key(l))
                .collect();
            if !missing_levels.is_empty() {
                problems.push(CsvProblem {
                    span,
                    headline: "incomplete return".into(),
                    detail: format!(
                        "{} gave {} {} without the level(s) {}; give every level (0 where none)",
                        names[f],
                        dims.scenario_key(s),
                        dims.area_key(a),
                        missing_levels.join(", ")
                    ),
                    hint: None,
                });
                continue;
            }
            let with_mid = lv.iter().filter(|v| v[1].is_some()).count();
            if with_mid != 0 && with_mid != n_l {
                problems.push(CsvProblem {
                    span,
                    headline: format!("partial {mid} figures"),
                    detail: format!(
                        "{} gave {mid} for {with_mid} of {n_l} levels of {} {}; give all or none",
                        names[f],
                        dims.scenario_key(s),
                        dims.area_key(a)
                    ),
                    hint: None,
                });
                continue;
            }
            let fte_last = (0..n_l).map(|l| lv[l][2].unwrap_or(0.0)).collect();
            let fte_mid =
                (with_mid == n_l).then(|| (0..n_l).map(|l| lv[l][1].unwrap_or(0.0)).collect());
            answers[f][s][a] = Some(Answer { fte_last, fte_mid });
        }
        for s in 0..n_s {
            for a in 0..n_a {
                let gaps: Vec<&str> = names
                    .iter()
                    .zip(&answers)
                    .filter(|(_, ans)| ans[s][a].is_none())
                    .map(|(n, _)| n.as_str())
                    .collect();
                let nobody = gaps.len() == names.len() && !names.is_empty();
                if (!gaps.is_empty() && missing == Missing::Error) || nobody {
                    problems.push(CsvProblem {
                        span: None,
                        headline: format!(
                            "missing returns for {} {}",
                            dims.scenario_key(s),
                            dims.area_key(a)
                        ),
                        detail: if nobody {
                            "no forecaster answered it; every scenario and area needs at least one return".into()
                        } else {
                            format!("{} left it out", gaps.join(", "))
                        },
                        hint: (!nobody).then_some(crate::wording::Hint::SkipMissing),
                    });
                }
            }
        }
        let mut w: Vec<f64> = names
            .iter()
            .map(|n| weights.get(n).copied().unwrap_or(1.0))
            .collect();
        for n in weights.keys() {
            if !names.contains(n) {
                problems.push(CsvProblem {
                    span: None,
                    headline: format!("weight for unknown forecaster `{n}`"),
                    detail: format!("forecasters in the file: {}", names.join(", ")),
                    hint: None,
                });
            }
        }
        let total: f64 = w.iter().sum();
        if w.iter().any(|x| !(x.is_finite() && *x >= 0.0)) || total <= 0.0 {
            problems.push(CsvProblem {
                span: None,
                headline: "bad forecaster weights".into(),
                detail: "weights must be finite, ≥ 0 and not all 0".into(),
                hint: None,
            });
        } else {
            for x in &mut w {
                *x /= total;
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let horizon = dims.last_year - dims.base_year;
        Ok(Panel {
            mode,
            names,
            weights: w,
            answers,
            trust_base: trust.iter().map(|t| t.iter().sum()).collect(),
            mid: (mid - dims.base_year) as usize,
            mid_share: f64::from(mid - dims.base_year) / f64::from(horizon),
            levels: n_l,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims() -> Dims {
        Dims::report()
    }

    /// Parses with a trust of 1 WTE per level, the bootstrap mode and no weights.
    fn parse(text: &str, missing: Missing) -> Result<Panel, Vec<CsvProblem>> {
        let d = dims();
        let trust = vec![vec![1.0; 4]; d.n_areas()];
        Panel::parse(
            text,
            &d,
            2025,
            &trust,
            Mode::PanelMean,
            missing,
            &BTreeMap::new(),
        )
    }

    fn file(rows: &[(&str, &str, &str, [f64; 4])]) -> String {
        let mut s = format!("{}\n", header(&dims(), 2025));
        for (f, sc, a, v) in rows {
            for (l, x) in dims().level_keys().iter().zip(v) {
                s.push_str(&format!("{f},{sc},{a},{l},1,,{x}\n"));
            }
        }
        s
    }

    #[test]
    fn ratios_and_shares_are_the_reports() {
        let mut rows = vec![];
        let d = dims();
        for sc in d.scenario_keys() {
            for a in d.area_keys() {
                rows.push(("x", sc, a, [1.0, 1.0, 2.0, 4.0]));
                rows.push(("y", sc, a, [1.0, 3.0, 2.0, 2.0]));
            }
        }
        let p = parse(&file(&rows), Missing::Error).unwrap();
        // Each total is 8 over a trust of 4: ratio 2; the 2025 ratio is halfway.
        assert_eq!(p.ratios(0, 0, 0), Some((1.5, 2.0)));
        let (_, r30, q) = p.mean(1, 3).unwrap();
        assert_eq!(r30, 2.0);
        assert_eq!(q, vec![2.0 / 16.0, 4.0 / 16.0, 4.0 / 16.0, 6.0 / 16.0]);
        assert_eq!(p.mean_sd(0, 0), (2.0, 0.0, 2));
    }

    #[test]
    fn problems_are_located_and_all_reported() {
        let text = format!(
            "{}\nx,data_drivn,ict,managers,1,,2\nx,data_driven,ict,managers,1,,-3\nx,data_driven,ict,bosses,1,,3\n",
            header(&dims(), 2025)
        );
        let e = parse(&text, Missing::Error).unwrap_err();
        let heads: Vec<&str> = e.iter().map(|p| p.headline.as_str()).collect();
        assert!(
            heads.contains(&"unknown scenario `data_drivn`"),
            "{heads:?}"
        );
        assert!(heads.contains(&"bad fte_2030"), "{heads:?}");
        assert!(heads.contains(&"unknown level `bosses`"), "{heads:?}");
        assert!(
            e.iter()
                .any(|p| p.detail.contains("did you mean `data_driven`"))
        );
        let span = e[0].span.clone().unwrap();
        assert_eq!(&text[span], "data_drivn");
    }

    #[test]
    fn missing_areas_are_an_error_unless_skipped() {
        let mut rows = vec![];
        let d = dims();
        for sc in d.scenario_keys() {
            for a in d.area_keys() {
                rows.push(("x", sc, a, [1.0, 1.0, 1.0, 1.0]));
            }
        }
        rows.push(("partial", "data_driven", "ict", [2.0, 2.0, 2.0, 2.0]));
        let text = file(&rows);
        let e = parse(&text, Missing::Error).unwrap_err();
        assert!(e[0].detail.contains("partial left it out"), "{:?}", e[0]);
        let p = parse(&text, Missing::Skip).unwrap();
        assert_eq!(p.mean(0, 3).unwrap().1, 1.5);
        assert_eq!(p.mean(0, 0).unwrap().1, 1.0);
    }
}
