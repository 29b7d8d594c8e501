//! How the command line words the library's errors: a setting by its flag, an
//! override by the flag that gave it, a hint by the command to run.

use wfmc::jobs::{Hint, OverrideSource, Setting, Words};

/// The command line's wording.
pub struct Cli;

impl Words for Cli {
    fn setting(&self, s: Setting) -> String {
        use Setting::*;
        let flag = match s {
            Config => "--config",
            Stress => "--stress",
            Intervention => "--intervention",
            Set => "--set",
            AllowMissing => "--allow-missing",
            Draws => "--draws",
            Seed => "--seed",
            Threads => "--threads",
            Sampling => "--sampling",
            MaxRejected => "--max-rejected",
            Until => "--until",
            Shard => "--shard",
            SobolRows => "--sobol",
            SobolN => "--n",
            Out => "--out",
            Overwrite => "--overwrite",
            Png => "--png",
            Vary => "--vary",
            Metric => "--metric",
            Scenario => "--scenario",
            Area => "--area",
            Year => "--year",
            PShortfall => "--p-shortfall",
            Variant => "--variant",
            Outcome => "--outcome",
            Options => "--option",
            Value => "--value",
            Groups => "--group",
        };
        flag.to_string()
    }

    fn source(&self, o: &OverrideSource) -> String {
        match o {
            OverrideSource::Set { path, value } => format!("--set {path}={value}"),
            OverrideSource::Stress {
                profile,
                path,
                value,
            } => format!("stress {profile}: {path} = {value}"),
            OverrideSource::Intervention { name } => format!("--intervention {name}"),
            OverrideSource::Vary { path, value } => format!("--vary {path}={value}"),
        }
    }

    fn hint(&self, h: &Hint) -> String {
        match h {
            Hint::ListPaths => "`wfmc stress --paths` lists them all".into(),
            Hint::ListProfiles => "see `wfmc stress --list`".into(),
            Hint::SkipMissing => "pass --allow-missing skip (or set `missing = \"skip\"` under [forecasters]) to average over those who answered".into(),
            Hint::Overwrite => "wfmc does not replace it unless you pass --overwrite".into(),
            Hint::SweepParts => "make parts with `wfmc sweep --shard i/N --out FILE`".into(),
            Hint::RaiseMaxRejected => "raise --max-rejected to accept the loss".into(),
        }
    }
}

/// An error as the command line words it.
pub fn message(e: &wfmc::jobs::Error) -> String {
    e.message(&Cli)
}
