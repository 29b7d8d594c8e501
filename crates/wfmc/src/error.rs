//! The error type every job returns, and the exit code each kind maps to.
//!
//! Errors carry what went wrong as data where a front end words it its own way: a
//! [`Setting`] out of range names the setting, the value and what is valid, and the
//! CLI turns the setting into its flag (`--draws`), the Python package into its
//! keyword. Config problems arrive already located (file, line, column).

/// A setting of a job that a front end exposes (as a flag, a keyword argument…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Draws of a run (per point, for a sweep).
    Draws,
    /// Worker threads.
    Threads,
    /// The numerical guard's largest share of rejected draws.
    MaxRejected,
    /// Rows of the Sobol design computed with a run.
    SobolRows,
    /// Rows of the Sobol design of `sobol`.
    SobolN,
    /// The target probability of shortfall.
    PShortfall,
    /// The year a target applies to.
    TargetYear,
    /// How to treat missing forecaster returns.
    AllowMissing,
    /// A sweep's metric filter.
    Metric,
    /// A sweep's area filter.
    Area,
    /// A sweep's year filter.
    Year,
}

impl Setting {
    /// A plain name, for front ends without flags of their own.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Draws => "draws",
            Setting::Threads => "threads",
            Setting::MaxRejected => "max_rejected",
            Setting::SobolRows => "sobol_rows",
            Setting::SobolN => "n",
            Setting::PShortfall => "p_shortfall",
            Setting::TargetYear => "year",
            Setting::AllowMissing => "allow_missing",
            Setting::Metric => "metric",
            Setting::Area => "area",
            Setting::Year => "year",
        }
    }
}

/// What went wrong, sorted by who can fix it; each kind maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting outside what is valid: exit code 2.
    #[error("{} {value}: {valid}", setting.name())]
    Setting {
        /// Which setting.
        setting: Setting,
        /// The value given.
        value: String,
        /// What would be valid.
        valid: String,
    },
    /// Bad input (a config, an override, a file to read or write): exit code 2.
    #[error("{0}")]
    Input(String),
    /// The run itself failed (I/O, numerical guard tripped): exit code 1.
    #[error("{0}")]
    Runtime(String),
    /// Stopped by SIGINT or SIGTERM: exit code 130.
    #[error("interrupted")]
    Interrupted,
    /// The reader of a stream closed it early (`wfmc sweep | head`): not a failure.
    #[error("the output was closed")]
    OutputClosed,
}

impl Error {
    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Setting { .. } | Error::Input(_) => 2,
            Error::Runtime(_) => 1,
            Error::Interrupted => 130,
            Error::OutputClosed => 0,
        }
    }

    /// A runtime error with context.
    pub fn io(what: impl std::fmt::Display, e: std::io::Error) -> Error {
        Error::Runtime(format!("{what}: {e}"))
    }

    /// A failed write to an output stream: [`Error::OutputClosed`] when its reader
    /// has gone (`wfmc sweep | head`), a runtime error otherwise.
    pub fn writing(what: impl std::fmt::Display, e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::OutputClosed
        } else {
            Error::io(what, e)
        }
    }

    /// A setting out of range.
    pub fn setting(
        setting: Setting,
        value: impl std::fmt::Display,
        valid: impl Into<String>,
    ) -> Error {
        Error::Setting {
            setting,
            value: value.to_string(),
            valid: valid.into(),
        }
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::Input(e.rendered)
    }
}
