//! The error type every command returns, and the exit code each kind maps to.

use std::fmt;

/// What went wrong, sorted by who can fix it; the CLI maps each kind to an exit code.
#[derive(Debug)]
pub enum Error {
    /// Bad usage or bad input (config, override, arguments): exit code 2.
    Input(String),
    /// The run itself failed (I/O, numerical guard tripped): exit code 1.
    Runtime(String),
    /// Stopped by SIGINT or SIGTERM: exit code 130.
    Interrupted,
    /// The reader of a stream closed it early (`wfmc sweep | head`): not a failure.
    OutputClosed,
}

impl Error {
    /// The process exit code for this error (documented in the README).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Runtime(_) => 1,
            Error::Interrupted => 130,
            Error::OutputClosed => 0,
        }
    }

    /// A runtime error with context.
    pub fn io(what: impl fmt::Display, e: std::io::Error) -> Error {
        Error::Runtime(format!("{what}: {e}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(m) | Error::Runtime(m) => f.write_str(m),
            Error::Interrupted => f.write_str("interrupted"),
            Error::OutputClosed => f.write_str("the output was closed"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::config::ConfigError> for Error {
    fn from(e: crate::config::ConfigError) -> Error {
        Error::Input(e.rendered)
    }
}
