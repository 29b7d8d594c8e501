//! The one list of a results folder's files ([`FILES`]), as hyperfine keeps one
//! exporter per format behind one trait: each entry names its file, writes it for
//! a finished run and reads it back into a [`Folder`]. Writing a run's folder, the
//! Python package's in-memory files and reading a folder back all walk this list,
//! so a new output file is a module of its own and one row here.

use super::{
    Folder, acceptability, bands, compare, correlation, discovery, manifest, partial, robustness,
    shortfall, sobol, summary, tornado, value_of_information,
};
use crate::config::Config;
use crate::engine::{RunSpec, RunState, Shard};
use crate::error::Error;
use crate::stats::Summary;

/// A finished run, as its files need it.
pub struct RunFiles<'a> {
    /// The config, with its overrides.
    pub cfg: &'a Config,
    /// The run as made.
    pub spec: &'a RunSpec,
    /// Its statistics state.
    pub state: &'a RunState,
    /// The state's summary ([`RunState::summary`]).
    pub summary: &'a Summary,
    /// Where the draws came from, for the manifest (`1/1`, `2/4`, `merged from 4`).
    pub label: &'a str,
    /// The command line recorded in the manifest.
    pub command: &'a str,
    /// Rows of the Sobol design computed with the run (0: none).
    pub sobol_rows: usize,
    /// What a run with precision targets records of them.
    pub until: Option<&'a serde_json::Value>,
    /// Seconds the run took, for `machine.json`.
    pub seconds: f64,
}

impl RunFiles<'_> {
    fn whole(&self) -> bool {
        self.spec.shard == Shard::ALL
    }
}

/// Which job writes a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Producer {
    /// Every run (a shard writes only its partial, manifest and machine files).
    Run,
    /// Another job, into a run's folder or a folder of its own (its module's
    /// `write`): the file is read back when the folder has it.
    Job,
}

/// One file of a results folder.
pub trait ResultFile: Sync {
    /// The file's name in the folder.
    fn name(&self) -> &'static str;
    /// Which job writes it.
    fn producer(&self) -> Producer {
        Producer::Run
    }
    /// Whether a folder read back must have it (a run's own files, whole runs).
    fn required(&self) -> bool {
        false
    }
    /// Its bytes for `run`, or `None` where the run has no such file.
    fn write(&self, _run: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }
    /// Reads its bytes (shown as `shown` in messages) into `folder`.
    fn read(&self, _bytes: &[u8], _shown: &str, _folder: &mut Folder) -> Result<(), Error> {
        Ok(())
    }
}

macro_rules! file {
    ($ty:ident, $module:ident) => {
        /// The registry entry of the module's file.
        pub struct $ty;
        impl $ty {
            /// The file's name.
            pub const NAME: &'static str = $module::FILE;
        }
    };
}

file!(BandsFile, bands);
file!(ShortfallFile, shortfall);
file!(SummaryFile, summary);
file!(CorrelationFile, correlation);
file!(TornadoFile, tornado);
file!(SobolFile, sobol);
file!(AssumptionsFile, assumptions);
file!(PartialFile, partial);
file!(ManifestFile, manifest);
file!(CompareFile, compare);
file!(DiscoveryFile, discovery);
file!(VoiFile, value_of_information);
file!(AcceptabilityFile, acceptability);
file!(RobustnessFile, robustness);

/// `machine.json`.
pub struct MachineFile;

use super::assumptions;

fn text(s: String) -> Result<Option<Vec<u8>>, Error> {
    Ok(Some(s.into_bytes()))
}

fn json(bytes: &[u8], shown: &str) -> Result<serde_json::Value, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::Input(format!("{shown}: {e}")))
}

impl ResultFile for BandsFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(bands::write(r.summary, &r.cfg.dims))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.bands = bands::Bands::from_rows(super::parse_csv(b, shown)?);
        Ok(())
    }
}

impl ResultFile for ShortfallFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(shortfall::write(r.summary, &r.cfg.dims))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.shortfall = shortfall::Shortfalls::from_rows(super::parse_csv(b, shown)?);
        Ok(())
    }
}

impl ResultFile for SummaryFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(summary::write(r.cfg, r.summary, &r.state.acc.centre))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.summary = json(b, shown)?;
        Ok(())
    }
}

impl ResultFile for CorrelationFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(correlation::write_run(r.cfg, &r.state.ranks))
    }
}

impl ResultFile for TornadoFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(tornado::write(
            &r.cfg.dims,
            &crate::sensitivity::tornado::run(r.cfg),
        ))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.tornado = super::parse_csv(b, shown)?;
        Ok(())
    }
}

impl ResultFile for SobolFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() || r.sobol_rows == 0 {
            return Ok(None);
        }
        let (m, res) =
            crate::sensitivity::sobol::run(r.cfg, r.sobol_rows, r.spec.seed, r.spec.threads)?;
        text(sobol::write(&m, &res))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.sobol = Some(super::parse_csv(b, shown)?);
        Ok(())
    }
}

impl ResultFile for AssumptionsFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if !r.whole() {
            return Ok(None);
        }
        text(assumptions::json(r.cfg))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.assumptions = json(b, shown)?;
        Ok(())
    }
}

impl ResultFile for PartialFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        if r.whole() {
            return Ok(None);
        }
        let header = partial::PartialHeader::new(r.cfg, r.spec, r.sobol_rows);
        Ok(Some(partial::encode(&header, r.state)))
    }
}

impl ResultFile for ManifestFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn required(&self) -> bool {
        true
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        text(manifest::write(
            r.cfg,
            r.spec,
            r.label,
            r.state,
            r.command,
            r.sobol_rows,
            r.until,
        ))
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.manifest = json(b, shown)?;
        if let Some(d) = f.manifest.get("dimensions") {
            f.dims = serde_json::from_value(d.clone())
                .map_err(|e| Error::Input(format!("{shown}: dimensions: {e}")))?;
        }
        Ok(())
    }
}

impl ResultFile for MachineFile {
    fn name(&self) -> &'static str {
        manifest::MACHINE_FILE
    }
    fn write(&self, r: &RunFiles) -> Result<Option<Vec<u8>>, Error> {
        text(manifest::machine(r.spec.threads, r.seconds))
    }
}

impl ResultFile for CompareFile {
    fn name(&self) -> &'static str {
        Self::NAME
    }
    fn producer(&self) -> Producer {
        Producer::Job
    }
    fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
        f.compare = Some(super::parse_csv::<compare::Row>(b, shown)?);
        Ok(())
    }
}

/// A file another job writes, read back into its field of [`Folder`].
macro_rules! job_file {
    ($ty:ident, $module:ident, $field:ident) => {
        impl ResultFile for $ty {
            fn name(&self) -> &'static str {
                Self::NAME
            }
            fn producer(&self) -> Producer {
                Producer::Job
            }
            fn read(&self, b: &[u8], shown: &str, f: &mut Folder) -> Result<(), Error> {
                f.$field = Some(super::parse_csv::<$module::Row>(b, shown)?);
                Ok(())
            }
        }
    };
}

job_file!(DiscoveryFile, discovery, discovery);
job_file!(VoiFile, value_of_information, value_of_information);
job_file!(AcceptabilityFile, acceptability, acceptability);
job_file!(RobustnessFile, robustness, robustness);

/// Every file of a results folder, in the order a run writes them (`machine.json`,
/// which holds the time, last).
pub const FILES: &[&dyn ResultFile] = &[
    &BandsFile,
    &ShortfallFile,
    &SummaryFile,
    &CorrelationFile,
    &TornadoFile,
    &SobolFile,
    &AssumptionsFile,
    &PartialFile,
    &ManifestFile,
    &CompareFile,
    &DiscoveryFile,
    &VoiFile,
    &AcceptabilityFile,
    &RobustnessFile,
    &MachineFile,
];

/// The entry of the file `name`.
pub fn find(name: &str) -> Option<&'static dyn ResultFile> {
    FILES.iter().copied().find(|f| f.name() == name)
}

/// The names of the files a run writes, for messages.
pub fn run_file_names() -> Vec<&'static str> {
    FILES
        .iter()
        .filter(|f| f.producer() == Producer::Run)
        .map(|f| f.name())
        .collect()
}
