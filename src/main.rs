//! The `wfmc` command: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use wfmc::dims::{Area, Scenario};
use wfmc::engine::{self, Control, RunSpec};
use wfmc::{Config, Error, explore};

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
        #[command(flatten)]
        config: ConfigArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Monte Carlo run: bands, shortfall probabilities and a summary in a results folder.
    Run {
        #[command(flatten)]
        config: ConfigArgs,
        /// Number of draws.
        #[arg(long, default_value_t = engine::DEFAULT_DRAWS)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
        /// Results folder (default: results/<config name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only shard i of N (e.g. 2/8) and write a partial result for `wfmc merge`.
        #[arg(long)]
        shard: Option<engine::Shard>,
        /// Fail, writing nothing, if the numerical guard rejects more than this share
        /// of the draws (non-finite outputs, negative demand or supply).
        #[arg(long, default_value_t = engine::guard::DEFAULT_MAX_REJECTED)]
        max_rejected: f64,
        /// Also write the charts as PNG (needs a build with `--features png`).
        #[arg(long)]
        png: bool,
        /// Rows of the Sobol design computed with the run (sobol.csv); 0: none.
        #[arg(long, value_name = "ROWS", default_value_t = wfmc::sensitivity::sobol::DEFAULT_N)]
        sobol: usize,
    },
    /// Combine shards' partial results into the full results folder.
    Merge {
        /// Partial results: shard folders or their partial.wfmc files.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// The config and overrides the shards ran.
        #[command(flatten)]
        config: ConfigArgs,
        /// Results folder to write.
        #[arg(long)]
        out: PathBuf,
        /// Fail if the numerical guard rejected more than this share of all draws.
        #[arg(long, default_value_t = engine::guard::DEFAULT_MAX_REJECTED)]
        max_rejected: f64,
        /// Also write the charts as PNG (needs a build with `--features png`).
        #[arg(long)]
        png: bool,
        /// Worker threads for the Sobol indices (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// One-at-a-time sensitivity: each input at its P10 and P90, all others at base.
    Tornado {
        #[command(flatten)]
        config: ConfigArgs,
        /// Folder for tornado.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Inputs shown per output in the terminal.
        #[arg(long, default_value_t = 8)]
        top: usize,
    },
    /// Global sensitivity: first-order and total Sobol indices with bootstrap intervals.
    Sobol {
        #[command(flatten)]
        config: ConfigArgs,
        /// Rows of the Saltelli design; costs n × (groups + 2) model evaluations.
        #[arg(long, default_value_t = wfmc::sensitivity::sobol::DEFAULT_N)]
        n: usize,
        #[command(flatten)]
        streams: Streams,
        /// Folder for sobol.csv (default: results/<config name>/); other files in it are kept.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run the Monte Carlo model at every point of a grid of inputs; streams a tidy CSV.
    Sweep {
        #[command(flatten)]
        config: ConfigArgs,
        /// An input to vary: PATH=LO:HI:STEP or PATH=v1,v2,… (repeatable: full factorial).
        #[arg(long, required = true, value_name = "PATH=VALUES")]
        vary: Vec<explore::sweep::Vary>,
        /// Draws per point.
        #[arg(long, default_value_t = 100_000)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
        /// CSV file to write (default: standard output). Written whole or not at all;
        /// an existing file is replaced only if it is a sweep CSV of wfmc's.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file even if it is not a sweep CSV wfmc wrote.
        #[arg(long, requires = "out")]
        overwrite: bool,
        /// Metrics to keep (repeatable; default gap and p_shortfall).
        #[arg(long)]
        metric: Vec<String>,
        /// Areas to keep, or `total` (repeatable; default all).
        #[arg(long)]
        area: Vec<String>,
        /// Years to keep (repeatable; default 2030).
        #[arg(long)]
        year: Vec<u32>,
        /// Fail if the numerical guard rejects more than this share of a point's draws.
        #[arg(long, default_value_t = engine::guard::DEFAULT_MAX_REJECTED)]
        max_rejected: f64,
    },
    /// The extra annual inflow that brings an area's probability of shortfall to a target.
    Target {
        #[command(flatten)]
        config: ConfigArgs,
        /// Area (e.g. clinical_informatics); or use --all.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        area: Option<String>,
        /// Every area short more often than the target.
        #[arg(long)]
        all: bool,
        /// Scenario: data_driven or data_desert.
        #[arg(long, default_value = "data_driven")]
        scenario: String,
        /// Target probability of shortfall.
        #[arg(long = "p-shortfall", default_value_t = 0.1)]
        p_shortfall: f64,
        /// Year the target applies to.
        #[arg(long, default_value_t = 2030)]
        year: u32,
        /// Draws.
        #[arg(long, default_value_t = 200_000)]
        draws: u64,
        #[command(flatten)]
        streams: Streams,
    },
    /// List the config's stress profiles, or every path --set accepts.
    Stress {
        #[command(flatten)]
        config: ConfigArgs,
        /// List the stress profiles and what each sets.
        #[arg(long)]
        list: bool,
        /// List every path --set and --vary accept.
        #[arg(long)]
        paths: bool,
    },
    /// Rebuild plots/ and report.html of an existing results folder, without re-running.
    Report {
        /// The results folder (written by `wfmc run` or `wfmc merge`).
        dir: PathBuf,
        /// Also write the charts as PNG (needs a build with `--features png`).
        #[arg(long)]
        png: bool,
    },
    /// Validate a config without running anything.
    Check {
        #[command(flatten)]
        config: ConfigArgs,
    },
}

/// Seed and threads, shared by every command that draws.
#[derive(clap::Args, Clone, Copy)]
struct Streams {
    /// Seed of the random streams: the same seed gives the same results.
    #[arg(long, default_value_t = engine::DEFAULT_SEED)]
    seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

/// The config and its overrides, shared by every command that reads one.
#[derive(clap::Args, Clone)]
struct ConfigArgs {
    /// Config file (default: the built-in configs/hee-2021.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Apply a stress profile of the config (repeatable, in order; `wfmc stress --list`).
    #[arg(long = "stress", value_name = "NAME")]
    stress: Vec<String>,
    /// Override an input: PATH=VALUE, VALUE a number or a distribution such as
    /// normal(0.10, 0.02) (repeatable, applied after --stress).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Forecaster returns: how to treat a forecaster who left an area out
    /// (`skip`: average over those who answered). Without it, that is an error.
    #[arg(long = "allow-missing", value_name = "POLICY", value_parser = ["skip", "error"])]
    allow_missing: Option<String>,
}

impl ConfigArgs {
    fn load(&self) -> Result<Config, Error> {
        let cfg = match (&self.config, &self.allow_missing) {
            (Some(path), Some(p)) => {
                Config::load_with(path, &[("forecasters.missing", p.as_str().into())])?
            }
            (None, Some(_)) => {
                return Err(Error::Input(
                    "--allow-missing: the built-in config has no forecaster returns; it applies to a config with [forecasters]".into(),
                ));
            }
            (path, None) => Config::load_or_builtin(path.as_deref())?,
        };
        if self.allow_missing.is_some() && cfg.panel.is_none() {
            return Err(Error::Input(format!(
                "--allow-missing: {} has no [forecasters] section with returns",
                cfg.origin
            )));
        }
        let mut list = cfg.stress_overrides(&self.stress).map_err(Error::Input)?;
        for s in &self.set {
            list.push(wfmc::config::overrides::Override::parse(s).map_err(Error::Input)?);
        }
        Ok(cfg.with_overrides(&list)?)
    }
}

fn default_threads(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(engine::MAX_THREADS)
    })
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
            let cfg = config.load()?;
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
            streams: Streams { seed, threads },
            out: dir,
            shard,
            max_rejected,
            png,
            sobol,
        } => {
            check_png(png)?;
            let cfg = config.load()?;
            let threads = default_threads(threads);
            let spec = RunSpec {
                draws,
                seed,
                threads,
                shard: shard.unwrap_or(engine::Shard::ALL),
                max_rejected,
            };
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let bar = progress_bar(spec.shard_draws(), "draws");
            let watcher = {
                let (control, bar) = (control.clone(), bar.clone());
                std::thread::spawn(move || {
                    while !bar.is_finished() {
                        bar.set_position(control.done.load(Ordering::Relaxed));
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                })
            };
            let opts = wfmc::runner::FolderOptions {
                command: command_line(),
                png,
                sobol_rows: sobol,
            };
            let res = wfmc::runner::run_to_folder(&cfg, &spec, &dir, &control, &opts);
            bar.finish_and_clear();
            let _ = watcher.join();
            let outcome = res?;
            for n in &outcome.notes {
                eprintln!("note: {n}");
            }
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
            if outcome.guard.total() > 0 {
                eprintln!(
                    "warning: {}",
                    outcome
                        .guard
                        .describe(outcome.summary.draws + outcome.guard.total())
                );
            }
            Ok(())
        }
        Command::Merge {
            parts,
            config,
            out: dir,
            max_rejected,
            png,
            threads,
        } => {
            check_png(png)?;
            let cfg = config.load()?;
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let opts = wfmc::runner::FolderOptions {
                command: command_line(),
                png,
                ..Default::default()
            };
            let outcome = wfmc::runner::merge_to_folder(
                &cfg,
                &parts,
                &dir,
                &control,
                max_rejected,
                default_threads(threads),
                &opts,
            )?;
            for n in &outcome.notes {
                eprintln!("note: {n}");
            }
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
            let cfg = config.load()?;
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let rows = wfmc::sensitivity::tornado::run(&cfg);
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let path = wfmc::runner::add_to_folder(
                &dir,
                wfmc::runner::TORNADO_FILE,
                wfmc::sensitivity::tornado::csv(&rows).as_bytes(),
                &control,
            )?;
            finish(out.write_all(wfmc::report::terminal::tornado(&rows, top).as_bytes()))?;
            eprintln!("-> {}", path.display());
            Ok(())
        }
        Command::Sobol {
            config,
            n,
            streams: Streams { seed, threads },
            out: dir,
        } => {
            let cfg = config.load()?;
            let threads = default_threads(threads);
            let dir = dir.unwrap_or_else(|| wfmc::runner::default_out(&cfg));
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let t0 = std::time::Instant::now();
            let (m, r) = wfmc::sensitivity::sobol::run(&cfg, n, seed, threads)?;
            let path = wfmc::runner::add_to_folder(
                &dir,
                wfmc::runner::SOBOL_FILE,
                wfmc::sensitivity::sobol::csv(&m, &r).as_bytes(),
                &control,
            )?;
            finish(out.write_all(wfmc::report::terminal::sobol(&m, &r, 5).as_bytes()))?;
            eprintln!(
                "{} rows × {} groups in {:.2} s -> {}",
                n,
                r.groups.len(),
                t0.elapsed().as_secs_f64(),
                path.display()
            );
            Ok(())
        }
        Command::Sweep {
            config,
            vary,
            draws,
            streams: Streams { seed, threads },
            out: file,
            overwrite,
            metric,
            area,
            year,
            max_rejected,
        } => {
            let cfg = config.load()?;
            let spec = RunSpec {
                draws,
                seed,
                threads: default_threads(threads),
                shard: engine::Shard::ALL,
                max_rejected,
            };
            let d = explore::sweep::Filter::default();
            let filter = explore::sweep::Filter {
                metrics: if metric.is_empty() { d.metrics } else { metric },
                areas: area,
                years: if year.is_empty() { d.years } else { year },
            };
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let points: usize = vary.iter().map(|v| v.values.len()).product();
            let bar = progress_bar(points as u64, "points");
            let progress = |done: usize, _: usize| bar.set_position(done as u64);
            let res = match &file {
                None => {
                    explore::sweep::run(&cfg, &vary, &spec, &filter, &mut out, &control, &progress)
                }
                Some(path) => explore::sweep::run_to_file(
                    &cfg, &vary, &spec, &filter, path, overwrite, &control, &progress,
                ),
            };
            bar.finish_and_clear();
            match res {
                Err(Error::Runtime(m)) if m.contains("Broken pipe") => Ok(()),
                r => r,
            }
        }
        Command::Target {
            config,
            area,
            all: _,
            scenario,
            p_shortfall,
            year,
            draws,
            streams: Streams { seed, threads },
        } => {
            let cfg = config.load()?;
            let scenario = Scenario::from_key(&scenario).ok_or_else(|| {
                Error::Input(format!(
                    "--scenario {scenario}: valid scenarios are {}",
                    Scenario::keys().join(", ")
                ))
            })?;
            let k = wfmc::dims::year_index(year).ok_or_else(|| {
                Error::Input(format!("--year {year}: years run from 2020 to 2030"))
            })?;
            let spec = RunSpec {
                draws,
                seed,
                threads: default_threads(threads),
                ..RunSpec::default()
            };
            let areas = match area {
                Some(a) => vec![Area::from_key(&a).ok_or_else(|| {
                    Error::Input(format!(
                        "--area {a}: valid areas are {}",
                        Area::keys().join(", ")
                    ))
                })?],
                None => explore::target::short_areas(&cfg, scenario, k, p_shortfall, &spec)?,
            };
            let t = explore::target::TargetSpec {
                areas,
                scenario,
                year: k,
                p: p_shortfall,
            };
            if t.areas.is_empty() {
                return finish(writeln!(
                    out,
                    "No area is short in {year} with probability above {p_shortfall} ({}).",
                    scenario.label()
                ));
            }
            let answers = explore::target::solve(&cfg, &t, &spec)?;
            finish(out.write_all(wfmc::report::terminal::target(&t, &answers).as_bytes()))?;
            if let [a] = answers.as_slice() {
                eprintln!(
                    "check: wfmc run --draws {draws} --seed {seed} --set supply.{}.extra_inflow={}",
                    a.area.key(),
                    a.inflow
                );
            }
            Ok(())
        }
        Command::Stress {
            config,
            list,
            paths,
        } => {
            let cfg = config.load()?;
            let mut text = String::new();
            if paths {
                for p in cfg.settable_paths() {
                    text.push_str(&p);
                    text.push('\n');
                }
            }
            if list || !paths {
                if cfg.stress.is_empty() {
                    text.push_str(&format!("{} has no stress profiles\n", cfg.origin));
                }
                for p in &cfg.stress {
                    text.push_str(&format!("{}\n  {}\n", p.name, p.description));
                    for (path, v) in &p.set {
                        text.push_str(&format!("    {path} = {v}\n"));
                    }
                }
            }
            finish(out.write_all(text.as_bytes()))
        }
        Command::Report { dir, png } => {
            check_png(png)?;
            let control = Arc::new(Control::default());
            install_interrupt(&control);
            let n = wfmc::runner::report_folder(&dir, png, &control)?;
            eprintln!("{n} charts and report.html -> {}", dir.display());
            Ok(())
        }
        Command::Check { config } => {
            let cfg = config.load()?;
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

/// `--png` in a build without PNG support fails before any work.
fn check_png(png: bool) -> Result<(), Error> {
    if png && !wfmc::report::charts::PNG_SUPPORTED {
        return Err(Error::Input(
            "--png: this wfmc was built without PNG support; build it with `cargo build --release --features png`".into(),
        ));
    }
    Ok(())
}

/// A closed stdout (e.g. `wfmc point | head`) is not a failure.
fn finish(res: std::io::Result<()>) -> Result<(), Error> {
    match res {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing output", e)),
        Ok(()) => Ok(()),
    }
}

/// The command as a user would type it again: `wfmc` and the arguments, quoted for
/// a POSIX shell where needed (however the binary was started, so that the manifest
/// is the same bytes for `wfmc run` and `cargo run -- run`).
fn command_line() -> String {
    let quote = |a: String| {
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    std::iter::once("wfmc".to_string())
        .chain(std::env::args().skip(1).map(quote))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ctrl-C and SIGTERM ask the engine to stop at the next chunk boundary.
fn install_interrupt(control: &Arc<Control>) {
    let c = control.clone();
    // If a handler is already installed (a second run in one process), keep it.
    let _ = ctrlc::set_handler(move || c.cancel.store(true, Ordering::Relaxed));
}

/// Progress on stderr, hidden when stderr is not a terminal.
fn progress_bar(total: u64, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {unit}  {{per_sec}}  eta {{eta}}"
    )) {
        bar.set_style(style);
    }
    bar
}
