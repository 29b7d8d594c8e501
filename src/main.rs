//! The `wfmc` command: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use wfmc::{Config, Error};

const EXIT_CODES: &str =
    "Exit codes: 0 success, 1 runtime failure, 2 usage or input error, 130 interrupted.";

#[derive(Parser)]
#[command(name = "wfmc", version, about = "Monte Carlo uncertainty for the NHS digital workforce projection (HEE 2021)", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The report's deterministic projection: every input at its base value.
    Point {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validate a config without running anything.
    Check {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Point { config, format } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            let values = wfmc::model::point(&cfg);
            let res = match format {
                Format::Table => {
                    out.write_all(wfmc::report::point::render_tables(&cfg, &values).as_bytes())
                }
                Format::Csv => wfmc::report::point::write_csv(&values, &mut out),
                Format::Json => wfmc::report::point::write_json(&cfg, &values, &mut out),
            };
            finish(res)
        }
        Command::Check { config } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            finish(writeln!(
                out,
                "{}: ok ({} areas, {} scenarios)",
                cfg.origin,
                cfg.areas.len(),
                cfg.demand.len()
            ))
        }
    }
}

/// A closed stdout (e.g. `wfmc point | head`) is not a failure.
fn finish(res: std::io::Result<()>) -> Result<(), Error> {
    match res {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing output", e)),
        Ok(()) => Ok(()),
    }
}
