//! Forecaster returns: the demand distribution built from the panel itself.
//!
//! The report's demand figures are the mean of eight senior digital leads' returns,
//! each a filled-in template (Figure 5.1) for a typical trust (Table 5.3). A returns
//! file holds such templates as CSV,
//! `forecaster,scenario,area,level,fte_2020,fte_2025,fte_2030`, one row per forecaster,
//! scenario, area and job level (typical-trust WTE; `fte_2025` may be empty). Lines
//! starting with `#` are comments.
//!
//! A forecaster's demand ratio for an area is their 2030 (and 2025) total over the
//! typical trust's 2020 total, and national demand is the national 2020 workforce
//! times that ratio (spec §3, the report's Stage 3). Their level shares are their
//! level rows over their total.

use super::locate;
use crate::dims::{Area, Level, N_AREAS, N_LEVELS, N_SCENARIOS, Scenario};
use std::collections::BTreeMap;
use std::ops::Range;

/// The CSV header a returns file must have.
pub const HEADER: &str = "forecaster,scenario,area,level,fte_2020,fte_2025,fte_2030";

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    /// 2030 WTE by level (typical trust).
    pub fte_2030: [f64; N_LEVELS],
    /// 2025 WTE by level, if given.
    pub fte_2025: Option<[f64; N_LEVELS]>,
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
    pub answers: Vec<[[Option<Answer>; N_AREAS]; N_SCENARIOS]>,
    /// The typical trust's 2020 total per area (the ratios' denominator).
    pub trust_2020: [f64; N_AREAS],
}

/// (fte_2020, fte_2025, fte_2030) per level of one return, as read.
type LevelCells = [[Option<f64>; 3]; N_LEVELS];

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
    /// Forecaster f's demand ratios for (s, a): (2025, 2030). A forecaster without
    /// 2025 figures is taken to move in a straight line (2025 ratio halfway).
    pub fn ratios(&self, f: usize, s: usize, a: usize) -> Option<(f64, f64)> {
        let ans = self.answers[f][s][a]?;
        let t = self.trust_2020[a];
        let r30 = ans.fte_2030.iter().sum::<f64>() / t;
        let r25 = ans
            .fte_2025
            .map_or(0.5 * (1.0 + r30), |v| v.iter().sum::<f64>() / t);
        Some((r25, r30))
    }

    /// Mean (2025 ratio, 2030 ratio, 2030 level shares) of forecasters `fs` (with
    /// repeats, as a bootstrap resample has) for (s, a). Shares are the panel's mean
    /// level counts over their total, as the report averages national level figures.
    /// `None` if none of them answered.
    pub fn mean_of(
        &self,
        fs: impl Iterator<Item = usize>,
        s: usize,
        a: usize,
    ) -> Option<(f64, f64, [f64; N_LEVELS])> {
        let (mut n, mut r25, mut r30, mut lv) = (0.0, 0.0, 0.0, [0.0; N_LEVELS]);
        for f in fs {
            let Some((x25, x30)) = self.ratios(f, s, a) else {
                continue;
            };
            let ans = self.answers[f][s][a].expect("ratios imply an answer");
            n += 1.0;
            r25 += x25;
            r30 += x30;
            for (l, v) in lv.iter_mut().zip(ans.fte_2030) {
                *l += v;
            }
        }
        if n == 0.0 {
            return None;
        }
        let tot: f64 = lv.iter().sum();
        let shares = if tot > 0.0 {
            lv.map(|v| v / tot)
        } else {
            [1.0 / N_LEVELS as f64; N_LEVELS]
        };
        Some((r25 / n, r30 / n, shares))
    }

    /// The whole panel's mean for (s, a).
    pub fn mean(&self, s: usize, a: usize) -> Option<(f64, f64, [f64; N_LEVELS])> {
        self.mean_of(0..self.names.len(), s, a)
    }

    /// Mean and standard deviation over forecasters of the 2030 ratio for (s, a)
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

    /// Reads a returns file. `trust_2020` is the typical trust's 2020 WTE by area
    /// and level (Table 5.3), which every return's `fte_2020` must repeat.
    pub fn parse(
        text: &str,
        trust: &[[f64; N_LEVELS]; N_AREAS],
        mode: Mode,
        missing: Missing,
        weights: &BTreeMap<String, f64>,
    ) -> Result<Panel, Vec<CsvProblem>> {
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
                if got.join(",") != HEADER {
                    problems.push(CsvProblem {
                        span: Some(field_span(0)),
                        headline: "wrong header".into(),
                        detail: format!("found `{}`, expected `{HEADER}`", got.join(",")),
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
                    detail: format!("found {}, expected 7: {HEADER}", rec.len()),
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
            let lookup = |i: usize, keys: Vec<&'static str>, what: &str| {
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
                lookup(1, Scenario::keys(), "scenario"),
                lookup(2, Area::keys(), "area"),
                lookup(3, Level::keys(), "level"),
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
                        let col_name = HEADER.split(',').nth(col).unwrap_or("");
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
                    "fte_2020 is not the typical trust's",
                    format!(
                        "found {t}; Table 5.3 (the config's typical_trust) has {} for {} {}: every return starts from the same trust",
                        trust[a][l],
                        Area::ALL[a].key(),
                        Level::ALL[l].key()
                    ),
                );
                continue;
            }
            let entry = levels.entry((f, s, a)).or_insert([[None; 3]; N_LEVELS]);
            if entry[l][2].is_some() {
                bad(
                    0,
                    "duplicate row",
                    format!(
                        "{name} already gave {} {} {}",
                        Scenario::ALL[s].key(),
                        Area::ALL[a].key(),
                        Level::ALL[l].key()
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
                detail: format!("the file has a header but no rows; expected rows of {HEADER}"),
                hint: None,
            });
        }
        let mut answers = vec![[[None; N_AREAS]; N_SCENARIOS]; names.len()];
        for (&(f, s, a), lv) in &levels {
            let span = spans.get(&(f, s, a)).cloned();
            let missing_levels: Vec<&str> = (0..N_LEVELS)
                .filter(|&l| lv[l][2].is_none())
                .map(|l| Level::ALL[l].key())
                .collect();
            if !missing_levels.is_empty() {
                problems.push(CsvProblem {
                    span,
                    headline: "incomplete return".into(),
                    detail: format!(
                        "{} gave {} {} without the level(s) {}; give all four levels (0 where none)",
                        names[f],
                        Scenario::ALL[s].key(),
                        Area::ALL[a].key(),
                        missing_levels.join(", ")
                    ),
                    hint: None,
                });
                continue;
            }
            let with_2025 = lv.iter().filter(|v| v[1].is_some()).count();
            if with_2025 != 0 && with_2025 != N_LEVELS {
                problems.push(CsvProblem {
                    span,
                    headline: "partial 2025 figures".into(),
                    detail: format!(
                        "{} gave 2025 for {with_2025} of 4 levels of {} {}; give all or none",
                        names[f],
                        Scenario::ALL[s].key(),
                        Area::ALL[a].key()
                    ),
                    hint: None,
                });
                continue;
            }
            let fte_2030 = [0, 1, 2, 3].map(|l| lv[l][2].unwrap_or(0.0));
            let fte_2025 =
                (with_2025 == N_LEVELS).then(|| [0, 1, 2, 3].map(|l| lv[l][1].unwrap_or(0.0)));
            answers[f][s][a] = Some(Answer { fte_2030, fte_2025 });
        }
        for s in 0..N_SCENARIOS {
            for a in 0..N_AREAS {
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
                            Scenario::ALL[s].key(),
                            Area::ALL[a].key()
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
        let mut trust_2020 = [0.0; N_AREAS];
        for a in 0..N_AREAS {
            trust_2020[a] = trust[a].iter().sum();
        }
        Ok(Panel {
            mode,
            names,
            weights: w,
            answers,
            trust_2020,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust() -> [[f64; N_LEVELS]; N_AREAS] {
        [[1.0, 1.0, 1.0, 1.0]; N_AREAS]
    }

    /// Parses with a trust of 1 WTE per level, the bootstrap mode and no weights.
    fn parse(text: &str, missing: Missing) -> Result<Panel, Vec<CsvProblem>> {
        Panel::parse(text, &trust(), Mode::PanelMean, missing, &BTreeMap::new())
    }

    fn file(rows: &[(&str, &str, &str, [f64; 4])]) -> String {
        let mut s = format!("{HEADER}\n");
        for (f, sc, a, v) in rows {
            for (l, x) in Level::keys().iter().zip(v) {
                s.push_str(&format!("{f},{sc},{a},{l},1,,{x}\n"));
            }
        }
        s
    }

    #[test]
    fn ratios_and_shares_are_the_reports() {
        let mut rows = vec![];
        for sc in Scenario::keys() {
            for a in Area::keys() {
                rows.push(("x", sc, a, [1.0, 1.0, 2.0, 4.0]));
                rows.push(("y", sc, a, [1.0, 3.0, 2.0, 2.0]));
            }
        }
        let p = parse(&file(&rows), Missing::Error).unwrap();
        // Each total is 8 over a trust of 4: ratio 2; the 2025 ratio is halfway.
        assert_eq!(p.ratios(0, 0, 0), Some((1.5, 2.0)));
        let (_, r30, q) = p.mean(1, 3).unwrap();
        assert_eq!(r30, 2.0);
        assert_eq!(q, [2.0 / 16.0, 4.0 / 16.0, 4.0 / 16.0, 6.0 / 16.0]);
        assert_eq!(p.mean_sd(0, 0), (2.0, 0.0, 2));
    }

    #[test]
    fn problems_are_located_and_all_reported() {
        let text = format!(
            "{HEADER}\nx,data_drivn,ict,managers,1,,2\nx,data_driven,ict,managers,1,,-3\nx,data_driven,ict,bosses,1,,3\n"
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
        for sc in Scenario::keys() {
            for a in Area::keys() {
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
