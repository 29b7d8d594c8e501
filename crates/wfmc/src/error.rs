//! The error type every job returns, and the exit code each kind maps to.
//!
//! Errors carry what went wrong as data where a front end words it its own way
//! ([`crate::wording`]): a setting out of range names the [`Setting`], the value and
//! what is valid, and the command line turns the setting into its flag (`--draws`),
//! the Python package into its keyword; config problems stay structured, located
//! in their file or blamed on the override that caused them. [`Error::message`]
//! words an error for a front end; `Display` uses [`Plain`] wording.

pub use crate::wording::{Hint, Invalid, OverrideSource, Plain, Setting, Words};

/// What went wrong, sorted by who can fix it; each kind maps to an exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A setting outside what is valid: exit code 2.
    #[error("{0}")]
    Setting(Invalid),
    /// Problems in a config, each located (exit code 2).
    #[error("{}", .0.render(&Plain))]
    Config(crate::config::ConfigError),
    /// Bad input (a file to read or write): exit code 2.
    #[error("{0}")]
    Input(String),
    /// The numerical guard rejected more draws than allowed: exit code 1.
    #[error("{}", self.message(&Plain))]
    Rejected {
        /// The guard's account of the rejected draws.
        report: String,
        /// The largest share allowed.
        max: f64,
    },
    /// The run itself failed (I/O): exit code 1.
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
    /// The process exit code for this error (documented in the user guide).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Setting(_) | Error::Config(_) | Error::Input(_) => 2,
            Error::Runtime(_) | Error::Rejected { .. } => 1,
            Error::Interrupted => 130,
            Error::OutputClosed => 0,
        }
    }

    /// The error as a front end words it.
    pub fn message(&self, w: &dyn Words) -> String {
        match self {
            Error::Setting(i) => i.message(w),
            Error::Config(e) => e.render(w),
            Error::Rejected { report, max } => format!(
                "{report}\nThat is more than {} {max} of the draws, so no results were written: an input's distribution reaches values the model cannot use (see the inputs above); narrow it, or {}.",
                w.setting(Setting::MaxRejected),
                w.hint(&Hint::RaiseMaxRejected)
            ),
            e => e.to_string(),
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
        Error::Setting(Invalid::new(setting, value, valid))
    }

    /// A setting out of range, with a hint on what to do.
    pub fn setting_hint(
        setting: Setting,
        value: impl std::fmt::Display,
        valid: impl Into<String>,
        hint: Hint,
    ) -> Error {
        Error::Setting(Invalid::new(setting, value, valid).hint(hint))
    }
}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::Config(e)
    }
}

impl From<Invalid> for Error {
    fn from(i: Invalid) -> Error {
        Error::Setting(i)
    }
}
