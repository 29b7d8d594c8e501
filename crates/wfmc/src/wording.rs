//! What a message may name that a front end words its own way: a [`Setting`] (a
//! flag of the command line, a keyword of the Python package, a field of the
//! explorer's JSON), where an override came from ([`OverrideSource`]) and a [`Hint`]
//! on what to do next. The library never spells a flag: its errors carry these as
//! data, and each front end implements [`Words`]. [`Plain`] is the wording of the
//! errors' `Display`, for callers of the library itself.

use std::fmt;

/// A setting of a job that a front end exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// The config file.
    Config,
    /// Stress profiles to apply.
    Stress,
    /// Interventions to apply.
    Intervention,
    /// Overrides `PATH=VALUE`.
    Set,
    /// How to treat missing forecaster returns.
    AllowMissing,
    /// Draws of a run (per point, for a sweep).
    Draws,
    /// Seed of the random streams.
    Seed,
    /// Worker threads.
    Threads,
    /// How the inputs are drawn (`rqmc`, `mc`).
    Sampling,
    /// The numerical guard's largest share of rejected draws.
    MaxRejected,
    /// Precision targets of a run that stops when they are met.
    Until,
    /// The share of a run one process makes.
    Shard,
    /// Rows of the Sobol design computed with a run.
    SobolRows,
    /// Rows of the Sobol design of the Sobol job.
    SobolN,
    /// The output folder or file.
    Out,
    /// Replacing an output file wfmc did not write.
    Overwrite,
    /// PNG charts.
    Png,
    /// The inputs a sweep varies.
    Vary,
    /// A metric to keep.
    Metric,
    /// A scenario.
    Scenario,
    /// An area (or `total`).
    Area,
    /// A year.
    Year,
    /// The target probability of shortfall.
    PShortfall,
    /// The variants of a comparison (interventions, portfolios, named variants).
    Variant,
    /// The outcome a scenario discovery explains.
    Outcome,
    /// The options of a decision.
    Options,
    /// Values put on one WTE-year of shortfall avoided.
    Value,
    /// Input groups of a value-of-information analysis.
    Groups,
}

impl Setting {
    /// A plain name (snake_case), for [`Plain`] and front ends without names of
    /// their own.
    pub fn name(self) -> &'static str {
        use Setting::*;
        match self {
            Config => "config",
            Stress => "stress",
            Intervention => "intervention",
            Set => "set",
            AllowMissing => "allow_missing",
            Draws => "draws",
            Seed => "seed",
            Threads => "threads",
            Sampling => "sampling",
            MaxRejected => "max_rejected",
            Until => "until",
            Shard => "shard",
            SobolRows => "sobol_rows",
            SobolN => "n",
            Out => "out",
            Overwrite => "overwrite",
            Png => "png",
            Vary => "vary",
            Metric => "metric",
            Scenario => "scenario",
            Area => "area",
            Year => "year",
            PShortfall => "p_shortfall",
            Variant => "variant",
            Outcome => "outcome",
            Options => "options",
            Value => "value",
            Groups => "groups",
        }
    }
}

/// Where an override of the config came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OverrideSource {
    /// An override given directly (`PATH=VALUE`).
    Set {
        /// The config path.
        path: String,
        /// The value, as given.
        value: String,
    },
    /// One line of a stress profile of the config.
    Stress {
        /// The profile.
        profile: String,
        /// The config path.
        path: String,
        /// The value, as TOML.
        value: String,
    },
    /// An intervention of the config switched on.
    Intervention {
        /// Its name.
        name: String,
    },
    /// One value of a sweep's grid.
    Vary {
        /// The config path.
        path: String,
        /// The value at this point.
        value: String,
    },
}

/// What to do next, worded by the front end (a flag to pass, a listing to look at).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Hint {
    /// Every path an override may name can be listed.
    ListPaths,
    /// The config's stress profiles and interventions can be listed.
    ListProfiles,
    /// Missing forecaster returns can be skipped.
    SkipMissing,
    /// An output file wfmc did not write is replaced only when told to.
    Overwrite,
    /// How the parts of a sharded sweep are made.
    SweepParts,
    /// The rejected share can be raised.
    RaiseMaxRejected,
}

/// How a front end names settings, override sources and hints.
pub trait Words {
    /// A setting, as its user sets it (`--draws`, `draws=`).
    fn setting(&self, s: Setting) -> String;
    /// Where an override came from (`--set salary_growth=0.04`).
    fn source(&self, o: &OverrideSource) -> String;
    /// A hint, as a clause to append to a message.
    fn hint(&self, h: &Hint) -> String;
}

/// Plain wording: settings by their snake_case names, overrides as `PATH=VALUE`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Words for Plain {
    fn setting(&self, s: Setting) -> String {
        s.name().to_string()
    }

    fn source(&self, o: &OverrideSource) -> String {
        match o {
            OverrideSource::Set { path, value } => format!("set {path}={value}"),
            OverrideSource::Stress {
                profile,
                path,
                value,
            } => format!("stress {profile}: {path} = {value}"),
            OverrideSource::Intervention { name } => format!("intervention {name}"),
            OverrideSource::Vary { path, value } => format!("vary {path}={value}"),
        }
    }

    fn hint(&self, h: &Hint) -> String {
        match h {
            Hint::ListPaths => "the config's settable paths list them all".into(),
            Hint::ListProfiles => "the config's stress profiles and interventions list them".into(),
            Hint::SkipMissing => {
                "skip missing returns (or set `missing = \"skip\"` under [forecasters]) to average over those who answered".into()
            }
            Hint::Overwrite => "wfmc does not replace it unless told to overwrite".into(),
            Hint::SweepParts => "make parts with a sharded sweep".into(),
            Hint::RaiseMaxRejected => "raise max_rejected to accept the loss".into(),
        }
    }
}

impl fmt::Display for OverrideSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Plain.source(self))
    }
}

/// A setting given a value that is not valid: what [`crate::Error::Setting`] holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    /// Which setting.
    pub setting: Setting,
    /// The value given, as shown in the message (may be empty when it is missing).
    pub value: String,
    /// What would be valid.
    pub valid: String,
    /// What to do about it.
    pub hint: Option<Hint>,
}

impl Invalid {
    /// `value` of `setting` is not valid: `valid` says what would be.
    pub fn new(setting: Setting, value: impl fmt::Display, valid: impl Into<String>) -> Invalid {
        Invalid {
            setting,
            value: value.to_string(),
            valid: valid.into(),
            hint: None,
        }
    }

    /// The same with a hint.
    pub fn hint(mut self, h: Hint) -> Invalid {
        self.hint = Some(h);
        self
    }

    /// The message as `w` words it: `SETTING VALUE: VALID (HINT)`.
    pub fn message(&self, w: &dyn Words) -> String {
        let mut s = if self.value.is_empty() {
            format!("{}: {}", w.setting(self.setting), self.valid)
        } else {
            format!("{} {}: {}", w.setting(self.setting), self.value, self.valid)
        };
        if let Some(h) = &self.hint {
            s.push_str(&format!(" ({})", w.hint(h)));
        }
        s
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&Plain))
    }
}
