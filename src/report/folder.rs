//! Reading a results folder back: what `wfmc report DIR` (and `wfmc run`, which
//! uses the same path) draws its charts and report from. Everything the report shows
//! comes from the folder's own files, so a report can be rebuilt without re-running.

use crate::error::Error;
use std::collections::HashMap;
use std::path::Path;

/// One row of `tornado.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// Scenario key.
    pub scenario: String,
    /// Output name, e.g. `gap/total/2030`.
    pub output: String,
    /// Input path.
    pub input: String,
    /// The output with the input low and high.
    pub output_low: f64,
    /// See `output_low`.
    pub output_high: f64,
    /// |high − low|.
    pub swing: f64,
    /// 1 = largest.
    pub rank: usize,
}

/// One row of `sobol.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolRow {
    /// Scenario key.
    pub scenario: String,
    /// Output name.
    pub output: String,
    /// Group name.
    pub group: String,
    /// First-order index and its 95 % interval.
    pub s1: [f64; 3],
    /// Total index and its 95 % interval.
    pub st: [f64; 3],
    /// Rows of the design.
    pub n: u64,
}

/// The files of a results folder, parsed.
#[derive(Debug, Clone)]
pub struct Results {
    /// `bands.csv`: (scenario, area, year, metric, stat) → value.
    pub bands: HashMap<(String, String, u32, String, String), f64>,
    /// `shortfall.csv`: (scenario, area, year) → (p, se).
    pub shortfall: HashMap<(String, String, u32), (f64, f64)>,
    /// `tornado.csv`.
    pub tornado: Vec<TornadoRow>,
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `manifest.json`.
    pub manifest: serde_json::Value,
    /// `assumptions.json`.
    pub assumptions: serde_json::Value,
    /// `sobol.csv`, if `wfmc sobol` has written one into the folder.
    pub sobol: Option<Vec<SobolRow>>,
}

fn read(dir: &Path, name: &str) -> Result<String, Error> {
    let p = dir.join(name);
    std::fs::read_to_string(&p).map_err(|e| {
        Error::Input(format!(
            "{}: {e}; is {} a results folder written by `wfmc run`?",
            p.display(),
            dir.display()
        ))
    })
}

fn csv_rows(dir: &Path, name: &str, header: &str) -> Result<Vec<csv::StringRecord>, Error> {
    let text = read(dir, name)?;
    let bad = |m: String| Error::Input(format!("{}: {m}", dir.join(name).display()));
    if !text.starts_with(header) {
        return Err(bad(format!("expected the header `{header}`")));
    }
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|x| x.map_err(|e| bad(e.to_string())))
        .collect()
}

fn json(dir: &Path, name: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_str(&read(dir, name)?)
        .map_err(|e| Error::Input(format!("{}: {e}", dir.join(name).display())))
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

impl Results {
    /// Reads the folder `dir`.
    pub fn load(dir: &Path) -> Result<Results, Error> {
        let mut bands = HashMap::new();
        for r in csv_rows(dir, "bands.csv", "scenario,area,year,metric,stat,value")? {
            bands.insert(
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    r[2].parse().unwrap_or(0),
                    r[3].to_string(),
                    r[4].to_string(),
                ),
                num(&r[5]),
            );
        }
        let mut shortfall = HashMap::new();
        for r in csv_rows(dir, "shortfall.csv", "scenario,area,year,p_shortfall,se")? {
            shortfall.insert(
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    r[2].parse().unwrap_or(0),
                ),
                (num(&r[3]), num(&r[4])),
            );
        }
        let tornado = csv_rows(
            dir,
            "tornado.csv",
            "scenario,output,input,input_low,input_high,output_low,output_high,swing,rank",
        )?
        .iter()
        .map(|r| TornadoRow {
            scenario: r[0].to_string(),
            output: r[1].to_string(),
            input: r[2].to_string(),
            output_low: num(&r[5]),
            output_high: num(&r[6]),
            swing: num(&r[7]),
            rank: r[8].parse().unwrap_or(0),
        })
        .collect();
        let sobol = if dir.join("sobol.csv").exists() {
            Some(
                csv_rows(
                    dir,
                    "sobol.csv",
                    "scenario,output,group,s1,s1_lo,s1_hi,st,st_lo,st_hi,n",
                )?
                .iter()
                .map(|r| SobolRow {
                    scenario: r[0].to_string(),
                    output: r[1].to_string(),
                    group: r[2].to_string(),
                    s1: [num(&r[3]), num(&r[4]), num(&r[5])],
                    st: [num(&r[6]), num(&r[7]), num(&r[8])],
                    n: r[9].parse().unwrap_or(0),
                })
                .collect(),
            )
        } else {
            None
        };
        Ok(Results {
            sobol,
            bands,
            shortfall,
            tornado,
            summary: json(dir, "summary.json")?,
            manifest: json(dir, "manifest.json")?,
            assumptions: json(dir, "assumptions.json")?,
        })
    }

    /// A band statistic, NaN if absent.
    pub fn band(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        self.bands
            .get(&(
                scenario.into(),
                area.into(),
                year,
                metric.into(),
                stat.into(),
            ))
            .copied()
            .unwrap_or(f64::NAN)
    }

    /// P(shortfall) and its standard error, NaN if absent.
    pub fn p_short(&self, scenario: &str, area: &str, year: u32) -> (f64, f64) {
        self.shortfall
            .get(&(scenario.into(), area.into(), year))
            .copied()
            .unwrap_or((f64::NAN, f64::NAN))
    }
}
