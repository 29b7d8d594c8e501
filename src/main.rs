//! The `wfmc` command: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use wfmc::engine::{self, Control, RunSpec};
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
    /// Monte Carlo run: bands, shortfall probabilities and a summary in a results folder.
    Run {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Number of draws.
        #[arg(long, default_value_t = engine::DEFAULT_DRAWS)]
        draws: u64,
        /// Seed of the random streams (same seed, same results).
        #[arg(long, default_value_t = engine::DEFAULT_SEED)]
        seed: u64,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Results folder (default: results/<config name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard i of N (e.g. 2/8) and write a partial result for `wfmc merge`.
        #[arg(long)]
        shard: Option<engine::Shard>,
    },
    /// Combine shards' partial results into the full results folder.
    Merge {
        /// Partial results: shard folders or their partial.wfmc files.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Config the shards ran (default: the built-in one).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Results folder to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// One-at-a-time sensitivity: each input at its P10 and P90, all others at base.
    Tornado {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Folder for tornado.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Inputs shown per output in the terminal.
        #[arg(long, default_value_t = 8)]
        top: usize,
    },
    /// Global sensitivity: first-order and total Sobol indices with bootstrap intervals.
    Sobol {
        /// Config file (default: the built-in configs/hee-2021.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Rows of the Saltelli design; costs n × (groups + 2) model evaluations.
        #[arg(long, default_value_t = wfmc::sensitivity::sobol::DEFAULT_N)]
        n: usize,
        /// Seed of the random streams.
        #[arg(long, default_value_t = engine::DEFAULT_SEED)]
        seed: u64,
        /// Worker threads (default: all cores). Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Folder for sobol.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
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
        Command::Run {
            config,
            draws,
            seed,
            threads,
            out: dir,
            shard,
        } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let spec = RunSpec {
                draws,
                seed,
                threads,
                shard: shard.unwrap_or(engine::Shard::ALL),
            };
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let bar = progress_bar(spec.shard_draws());
            let watcher = {
                let (control, bar) = (control.clone(), bar.clone());
                std::thread::spawn(move || {
                    while !bar.is_finished() {
                        bar.set_position(control.done.load(Ordering::Relaxed));
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                })
            };
            let res = wfmc::runner::run_to_folder(&cfg, &spec, &dir, &control, &command_line());
            bar.finish_and_clear();
            let _ = watcher.join();
            let outcome = res?;
            let rate = outcome.summary.draws as f64 / outcome.seconds.max(1e-9);
            if spec.shard == engine::Shard::ALL {
                finish(
                    out.write_all(wfmc::report::run::terminal_table(&outcome.summary).as_bytes()),
                )?;
            }
            eprintln!(
                "\n{} draws in {:.2} s ({:.0} draws/s, {} threads) -> {}",
                outcome.summary.draws,
                outcome.seconds,
                rate,
                threads,
                outcome.dir.display()
            );
            if outcome.summary.rejected > 0 {
                eprintln!(
                    "warning: {} draws rejected by the numerical guard (non-finite outputs)",
                    outcome.summary.rejected
                );
            }
            Ok(())
        }
        Command::Merge {
            parts,
            config,
            out: dir,
        } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            let outcome = wfmc::runner::merge_to_folder(&cfg, &parts, &dir, &command_line())?;
            finish(out.write_all(wfmc::report::run::terminal_table(&outcome.summary).as_bytes()))?;
            eprintln!(
                "merged {} partials -> {}",
                parts.len(),
                outcome.dir.display()
            );
            Ok(())
        }
        Command::Tornado {
            config,
            out: dir,
            top,
        } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            let rows = wfmc::sensitivity::tornado::run(&cfg);
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let path = wfmc::report::run::write_file_atomic(
                &dir,
                "tornado.csv",
                wfmc::sensitivity::tornado::csv(&rows).as_bytes(),
            )?;
            finish(out.write_all(wfmc::sensitivity::tornado::render(&rows, top).as_bytes()))?;
            eprintln!("-> {}", path.display());
            Ok(())
        }
        Command::Sobol {
            config,
            n,
            seed,
            threads,
            out: dir,
        } => {
            let cfg = Config::load_or_builtin(config.as_deref())?;
            let threads = threads
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let t0 = std::time::Instant::now();
            let (m, r) = wfmc::sensitivity::sobol::run(&cfg, n, seed, threads)?;
            let path = wfmc::report::run::write_file_atomic(
                &dir,
                "sobol.csv",
                wfmc::sensitivity::sobol::csv(&m, &r).as_bytes(),
            )?;
            finish(out.write_all(wfmc::sensitivity::sobol::render(&m, &r, 5).as_bytes()))?;
            eprintln!(
                "{} rows × {} groups in {:.2} s -> {}",
                n,
                r.groups.len(),
                t0.elapsed().as_secs_f64(),
                path.display()
            );
            Ok(())
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

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

/// Ctrl-C and SIGTERM ask the engine to stop at the next chunk boundary.
fn install_interrupt(control: &Arc<Control>) {
    let c = control.clone();
    // If a handler is already installed (a second run in one process), keep it.
    let _ = ctrlc::set_handler(move || c.cancel.store(true, Ordering::Relaxed));
}

/// Progress on stderr, hidden when stderr is not a terminal.
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} draws  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
