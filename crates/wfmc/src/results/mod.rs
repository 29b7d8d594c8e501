//! The files wfmc writes, one module per format, as hyperfine's `export/` has one
//! exporter per format: each owns its file name, its header and row struct (serde,
//! read and written by the `csv` crate), `write` and `read`. The files of a results
//! folder are listed once, in [`registry::FILES`], which writing a run's folder,
//! reading one back ([`Folder::load`]) and the Python package's in-memory files all
//! walk. Beside them: the partial result of a shard ([`partial`]) and the sweep CSV
//! with its sharded parts ([`sweep`]).
//!
//! Adding an output file: a module here (name, row, `write`, `read`), its row in
//! [`registry::FILES`], and, if the report shows it, a field of [`Folder`].

pub mod acceptability;
pub mod assumptions;
pub mod bands;
pub mod compare;
pub mod correlation;
pub mod discovery;
pub mod manifest;
pub mod partial;
pub mod registry;
pub mod robustness;
pub mod shortfall;
pub mod sobol;
pub mod summary;
pub mod sweep;
pub mod tornado;
pub mod value_of_information;

use crate::error::Error;
use std::path::Path;

/// `manifest.json`: what was run ([`manifest`]).
pub const MANIFEST_FILE: &str = manifest::FILE;
/// `assumptions.json`: every input as the run used it ([`assumptions`]).
pub const ASSUMPTIONS_FILE: &str = assumptions::FILE;
/// `machine.json`: threads and time, which differ between machines ([`manifest`]).
pub const MACHINE_FILE: &str = manifest::MACHINE_FILE;

/// Numbers in CSV cells as wfmc has always written them: Rust's shortest round-trip
/// `Display` form (never an exponent), `NaN` as `NaN` or, for the sensitivity files,
/// as an empty cell. Reading accepts both.
pub mod num {
    use serde::{Deserialize, Deserializer, Serializer};

    /// `{x}`.
    pub fn ser<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(x)
    }

    /// `{x}`, or an empty cell for NaN.
    pub fn ser_blank<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_nan() {
            s.serialize_str("")
        } else {
            s.collect_str(x)
        }
    }

    /// A number, `NaN`, or an empty cell (NaN).
    pub fn de<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let t = <&str>::deserialize(d).or_else(|_| Ok::<_, D::Error>(""))?;
        if t.is_empty() {
            return Ok(f64::NAN);
        }
        t.parse().map_err(serde::de::Error::custom)
    }
}

/// Writes rows as CSV text with a header from the row struct's field names.
pub fn write_csv<R: serde::Serialize>(rows: impl IntoIterator<Item = R>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(vec![]);
    for r in rows {
        w.serialize(r).expect("rows serialise into memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}

/// Reads the bytes of file `name` of folder `dir`.
fn read_bytes(dir: &Path, name: &str) -> Result<Vec<u8>, Error> {
    let p = dir.join(name);
    std::fs::read(&p).map_err(|e| {
        Error::Input(format!(
            "{}: {e}; is {} a results folder wfmc wrote?",
            p.display(),
            dir.display()
        ))
    })
}

/// Parses CSV text (shown as `shown` in messages) into rows, by header names.
pub fn parse_csv<R: serde::de::DeserializeOwned>(
    bytes: &[u8],
    shown: &str,
) -> Result<Vec<R>, Error> {
    let bad = |m: String| Error::Input(format!("{shown}: {m}"));
    csv::Reader::from_reader(bytes)
        .deserialize()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| bad(format!("row {}: {e}", i + 2))))
        .collect()
}

/// Reads the CSV file `name` of folder `dir` into rows, by header names.
pub fn read_csv<R: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<Vec<R>, Error> {
    let bytes = read_bytes(dir, name)?;
    parse_csv(&bytes, &dir.join(name).display().to_string())
}

/// Reads the JSON file `name` of folder `dir`.
pub fn read_json(dir: &Path, name: &str) -> Result<serde_json::Value, Error> {
    let p = dir.join(name);
    let bytes = read_bytes(dir, name)?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Input(format!("{}: {e}", p.display())))
}

/// Pretty JSON with a final newline, as every JSON file of a folder is written.
pub fn json_text(doc: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("json");
    s.push('\n');
    s
}

/// A results folder read back: what the report's charts and page are drawn from.
#[derive(Debug, Clone, Default)]
pub struct Folder {
    /// The dimensions of the run's config (its manifest's, else the report's).
    pub dims: crate::dims::Dims,
    /// `bands.csv`.
    pub bands: bands::Bands,
    /// `shortfall.csv`.
    pub shortfall: shortfall::Shortfalls,
    /// `tornado.csv`.
    pub tornado: Vec<tornado::Row>,
    /// `summary.json`.
    pub summary: serde_json::Value,
    /// `manifest.json`.
    pub manifest: serde_json::Value,
    /// `assumptions.json`.
    pub assumptions: serde_json::Value,
    /// `sobol.csv`, when the folder has one.
    pub sobol: Option<Vec<sobol::Row>>,
    /// `compare.csv`, when the folder has one.
    pub compare: Option<Vec<compare::Row>>,
    /// `discovery.csv`, when the folder has one.
    pub discovery: Option<Vec<discovery::Row>>,
    /// `value_of_information.csv`, when the folder has one.
    pub value_of_information: Option<Vec<value_of_information::Row>>,
    /// `acceptability.csv`, when the folder has one.
    pub acceptability: Option<Vec<acceptability::Row>>,
    /// `robustness.csv`, when the folder has one.
    pub robustness: Option<Vec<robustness::Row>>,
}

impl Folder {
    /// Reads the folder `dir`: every file of [`registry::FILES`] it has (and must).
    pub fn load(dir: &Path) -> Result<Folder, Error> {
        let mut f = Folder::default();
        for file in registry::FILES {
            let path = dir.join(file.name());
            if !file.required() && !path.exists() {
                continue;
            }
            let bytes = read_bytes(dir, file.name())?;
            file.read(&bytes, &path.display().to_string(), &mut f)?;
        }
        Ok(f)
    }

    /// The folder a run of `spec` on `cfg` would write, kept in memory (no Sobol
    /// indices): what `wfmc serve` draws its page from. `summary` is the state's
    /// ([`crate::engine::RunState::summary`]); `command` goes into the manifest.
    pub fn from_run(
        cfg: &crate::config::Config,
        spec: &crate::engine::RunSpec,
        state: &crate::engine::RunState,
        summary: &crate::stats::Summary,
        command: &str,
    ) -> Folder {
        let json = |text: String| serde_json::from_str(&text).expect("wfmc's own JSON");
        Folder {
            dims: (*cfg.dims).clone(),
            bands: bands::Bands::from_rows(bands::rows(summary, &cfg.dims)),
            shortfall: shortfall::Shortfalls::from_rows(shortfall::rows(summary, &cfg.dims)),
            tornado: tornado::rows(&cfg.dims, &crate::sensitivity::tornado::run(cfg)),
            summary: json(summary::write(cfg, summary, &state.acc.centre)),
            manifest: json(manifest::write(
                cfg,
                spec,
                &spec.shard.to_string(),
                state,
                command,
                0,
                None,
            )),
            assumptions: json(assumptions::json(cfg)),
            sobol: None,
            compare: None,
            discovery: None,
            value_of_information: None,
            acceptability: None,
            robustness: None,
        }
    }

    /// A band statistic, NaN if absent.
    pub fn band(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        self.bands.get(scenario, area, year, metric, stat)
    }

    /// A statistic's standard error from `bands.csv`, NaN if absent.
    pub fn band_se(&self, scenario: &str, area: &str, year: u32, metric: &str, stat: &str) -> f64 {
        self.bands.se(scenario, area, year, metric, stat)
    }

    /// P(shortfall) and its standard error, NaN if absent.
    pub fn p_short(&self, scenario: &str, area: &str, year: u32) -> (f64, f64) {
        self.shortfall.p(scenario, area, year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_reads_back_what_was_written() {
        let d = tempfile::tempdir().unwrap();
        let t = vec![tornado::Row {
            scenario: "data_driven".into(),
            output: "gap/total/2030".into(),
            input: "salary_growth".into(),
            input_low: 0.0000001,
            input_high: f64::NAN,
            output_low: -17688.5,
            output_high: 3.0,
            swing: 1e21,
            rank: 1,
        }];
        let text = write_csv(t.clone());
        // No exponents, NaN as an empty cell: the format wfmc has always written.
        assert_eq!(
            text,
            "scenario,output,input,input_low,input_high,output_low,output_high,swing,rank\n\
             data_driven,gap/total/2030,salary_growth,0.0000001,,-17688.5,3,1000000000000000000000,1\n"
        );
        std::fs::write(d.path().join(tornado::FILE), &text).unwrap();
        let back = tornado::read(d.path()).unwrap();
        assert!(back[0].input_high.is_nan());
        assert_eq!(
            (back[0].input_low, back[0].output_low, back[0].swing),
            (1e-7, -17688.5, 1e21)
        );
        let b = vec![bands::Row {
            scenario: "data_desert".into(),
            area: "total".into(),
            year: 2030,
            metric: "gap".into(),
            stat: "p5".into(),
            value: f64::NAN,
            se: f64::NAN,
        }];
        let text = write_csv(b);
        assert!(
            text.ends_with("data_desert,total,2030,gap,p5,NaN,\n"),
            "{text}"
        );
        std::fs::write(d.path().join(bands::FILE), &text).unwrap();
        assert!(
            bands::read(d.path())
                .unwrap()
                .get("data_desert", "total", 2030, "gap", "p5")
                .is_nan()
        );
    }
}
