//! The `wfmc` command: parses arguments ([`args`]), calls the library's jobs
//! ([`wfmc::jobs`]) and prints what they return.

mod args;
#[cfg(feature = "serve")]
mod serve;

use args::{Cli, Command, Format, Streams, command_line, parse_area, spec};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use wfmc::dims::Scenario;
use wfmc::engine::{self, Control};
use wfmc::jobs::{self, FolderOptions};
use wfmc::{Error, report};

/// The most a `run --until` draws unless `--draws` says otherwise.
const UNTIL_DRAWS: u64 = 100_000_000;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(cli.command) {
        Ok(()) | Err(Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", args::message(&e));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn dispatch(command: Command) -> Result<(), Error> {
    let control = Arc::new(Control::default());
    // Ctrl-C and SIGTERM ask the jobs that check for it to stop at their next check,
    // leaving nothing behind; the others end at once, as without a handler.
    let checks = matches!(
        command,
        Command::Run { .. }
            | Command::Merge { .. }
            | Command::Tornado { .. }
            | Command::Sobol { .. }
            | Command::Sweep { .. }
            | Command::Report { .. }
            | Command::Compare { .. }
    );
    if checks {
        let c = control.clone();
        let _ = ctrlc::set_handler(move || c.cancel.store(true, Ordering::Relaxed));
    }
    match command {
        Command::Point { config, format } => {
            let cfg = config.load()?;
            let v = wfmc::model::point(&cfg);
            let mut out = std::io::stdout().lock();
            finish(match format {
                Format::Table => out.write_all(report::point::render_tables(&cfg, &v).as_bytes()),
                Format::Csv => report::point::write_csv(&v, &mut out),
                Format::Json => report::point::write_json(&cfg, &v, &mut out),
            })
        }
        Command::Run {
            config,
            draws,
            until,
            streams,
            sampling,
            out,
            shard,
            guard,
            charts,
            sobol,
        } => {
            let png = charts.check()?;
            let cfg = config.load()?;
            let cap = if until.is_empty() {
                engine::DEFAULT_DRAWS
            } else {
                UNTIL_DRAWS
            };
            let spec = spec(
                draws.unwrap_or(cap),
                streams,
                guard.max_rejected,
                shard,
                sampling,
            );
            let dir = out.unwrap_or_else(|| jobs::default_out(&cfg));
            let opts = FolderOptions {
                command: command_line(),
                png,
                sobol_rows: sobol,
            };
            let o = if until.is_empty() {
                let bar = progress_bar(spec.shard_draws(), "draws", &control);
                let res = jobs::run_to_folder(&cfg, &spec, &dir, &control, &opts);
                bar.finish_and_clear();
                res?
            } else {
                let progress = |c: &engine::until::Check| eprintln!("until: {c}");
                let u = jobs::run_until_to_folder(
                    &cfg, &spec, &until, &dir, &control, &opts, &progress,
                )?;
                if !u.met {
                    eprintln!(
                        "warning: --draws {} ran out before every --until target was met (see manifest.json)",
                        spec.draws
                    );
                }
                u.run
            };
            if spec.shard == engine::Shard::ALL {
                print(&report::run::terminal_table(&o.summary))?;
            }
            o.notes.iter().for_each(|n| eprintln!("note: {n}"));
            let rate = o.summary.draws as f64 / o.seconds.max(1e-9);
            eprintln!(
                "\n{} draws in {:.2} s ({rate:.0} draws/s, {} threads) -> {}",
                o.summary.draws,
                o.seconds,
                spec.threads,
                o.dir.display()
            );
            if o.guard.total() > 0 {
                eprintln!(
                    "warning: {}",
                    o.guard.describe(o.summary.draws + o.guard.total())
                );
            }
            Ok(())
        }
        Command::Merge {
            parts,
            config,
            out,
            guard,
            charts,
            threads,
        } => {
            let png = charts.check()?;
            let cfg = config.load()?;
            let opts = FolderOptions {
                command: command_line(),
                png,
                ..Default::default()
            };
            let threads = Streams { seed: 0, threads }.threads();
            let o = jobs::merge_to_folder(
                &cfg,
                &parts,
                &out,
                &control,
                guard.max_rejected,
                threads,
                &opts,
            )?;
            print(&report::run::terminal_table(&o.summary))?;
            o.notes.iter().for_each(|n| eprintln!("note: {n}"));
            eprintln!("merged {} partials -> {}", parts.len(), o.dir.display());
            Ok(())
        }
        Command::Tornado { config, out, top } => {
            let cfg = config.load()?;
            let dir = out.unwrap_or_else(|| jobs::default_out(&cfg));
            let (rows, path) = jobs::tornado_to_folder(&cfg, &dir, &control)?;
            print(&report::terminal::tornado(&rows, top))?;
            eprintln!("-> {}", path.display());
            Ok(())
        }
        Command::Sobol {
            config,
            n,
            streams,
            out,
        } => {
            let cfg = config.load()?;
            let dir = out.unwrap_or_else(|| jobs::default_out(&cfg));
            let o =
                jobs::sobol_to_folder(&cfg, n, streams.seed, streams.threads(), &dir, &control)?;
            print(&report::terminal::sobol(&o.model, &o.result, 5))?;
            eprintln!(
                "{n} rows × {} groups in {:.2} s -> {}",
                o.result.groups.len(),
                o.seconds,
                o.path.display()
            );
            Ok(())
        }
        Command::Sweep {
            config,
            vary,
            draws,
            streams,
            sampling,
            out,
            overwrite,
            shard,
            metric,
            area,
            year,
            guard,
        } => {
            let cfg = config.load()?;
            let spec = spec(draws, streams, guard.max_rejected, shard, sampling);
            let d = wfmc::explore::sweep::Filter::default();
            let filter = wfmc::explore::sweep::Filter {
                metrics: if metric.is_empty() { d.metrics } else { metric },
                areas: area,
                years: if year.is_empty() { d.years } else { year },
            };
            let points: usize = vary.iter().map(|v| v.values.len()).product();
            let bar = progress_bar(points as u64, "points", &control);
            let progress = |done: usize, _: usize| bar.set_position(done as u64);
            let mut stdout = std::io::stdout().lock();
            let target = match &out {
                None => jobs::SweepOut::Stream(&mut stdout),
                Some(path) => jobs::SweepOut::File { path, overwrite },
            };
            let res = jobs::sweep(&cfg, &vary, &spec, &filter, target, &control, &progress);
            bar.finish_and_clear();
            res
        }
        Command::MergeSweep {
            parts,
            out,
            overwrite,
        } => {
            let mut stdout = std::io::stdout().lock();
            let target = match &out {
                None => jobs::SweepOut::Stream(&mut stdout),
                Some(path) => jobs::SweepOut::File { path, overwrite },
            };
            jobs::merge_sweep(&parts, target)
        }
        Command::Target {
            config,
            area,
            all: _,
            scenario,
            p_shortfall,
            year,
            draws,
            streams,
            sampling,
        } => {
            let cfg = config.load()?;
            let req = jobs::TargetRequest {
                area: area.map(|a| parse_area(&a)).transpose()?,
                scenario: Scenario::from_key(&scenario).ok_or_else(|| {
                    Error::Input(format!(
                        "--scenario {scenario}: valid scenarios are {}",
                        Scenario::keys().join(", ")
                    ))
                })?,
                year: wfmc::dims::year_index(year).ok_or_else(|| {
                    Error::Input(format!("--year {year}: years run from 2020 to 2030"))
                })?,
                p: p_shortfall,
            };
            let (t, answers) = jobs::targets(
                &cfg,
                &req,
                &spec(
                    draws,
                    streams,
                    engine::guard::DEFAULT_MAX_REJECTED,
                    None,
                    args::SamplingArg { sampling },
                ),
            )?;
            if answers.is_empty() {
                return print(&format!(
                    "No area is short in {year} with probability above {p_shortfall} ({}).\n",
                    req.scenario.label()
                ));
            }
            print(&report::terminal::target(&t, &answers))?;
            if let [a] = answers.as_slice() {
                eprintln!(
                    "check: wfmc run --draws {draws} --seed {} --sampling {sampling} --set supply.{}.extra_inflow={}",
                    streams.seed,
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
        } => print(&report::terminal::stress(&config.load()?, list, paths)),
        Command::Report { dir, charts } => {
            let n = jobs::report_folder(&dir, charts.check()?, &control)?;
            eprintln!("{n} charts and report.html -> {}", dir.display());
            Ok(())
        }
        Command::Compare {
            config,
            stress,
            set,
            interventions,
            portfolios,
            variants,
            draws,
            streams,
            sampling,
            guard,
            year,
            out,
        } => {
            let cfg = jobs::ConfigRequest {
                path: config,
                stress,
                set,
                ..Default::default()
            }
            .load()?;
            let year_k = wfmc::dims::year_index(year).ok_or_else(|| {
                Error::Input(format!("--year {year}: years run from 2020 to 2030"))
            })?;
            let mut list: Vec<jobs::VariantSpec> = interventions
                .iter()
                .chain(&portfolios)
                .map(|n| jobs::VariantSpec::intervention(n))
                .collect();
            for v in &variants {
                list.push(jobs::VariantSpec::parse(v)?);
            }
            let spec = spec(draws, streams, guard.max_rejected, None, sampling);
            let dir = out.unwrap_or_else(|| jobs::default_out(&cfg));
            let bar = progress_bar(spec.draws, "draws", &control);
            let res = jobs::compare_to_folder(&cfg, &list, &spec, &dir, &control);
            bar.finish_and_clear();
            let o = res?;
            print(&report::terminal::compare(
                &o.comparison,
                &o.variants,
                year_k,
            ))?;
            eprintln!("-> {}", o.path.display());
            Ok(())
        }
        Command::Serve {
            config,
            port,
            bind,
            open,
            threads,
            max_draws,
        } => serve_command(config, port, bind, open, threads, max_draws),
        Command::Check { config } => {
            let cfg = config.load()?;
            let (a, s) = (cfg.areas.len(), cfg.demand.len());
            print(&format!("{}: ok ({a} areas, {s} scenarios)\n", cfg.origin))
        }
    }
}

#[cfg(feature = "serve")]
fn serve_command(
    config: Option<std::path::PathBuf>,
    port: u16,
    bind: std::net::IpAddr,
    open: bool,
    threads: Option<usize>,
    max_draws: u64,
) -> Result<(), Error> {
    let cfg = jobs::ConfigRequest {
        path: config,
        ..Default::default()
    }
    .load()?;
    let threads = threads.unwrap_or_else(engine::default_threads);
    let spec = engine::RunSpec {
        draws: max_draws,
        threads,
        ..Default::default()
    };
    spec.validate()?;
    serve::serve(
        cfg,
        serve::Options {
            bind,
            port,
            open,
            threads,
            max_draws,
        },
    )
}

#[cfg(not(feature = "serve"))]
fn serve_command(
    _: Option<std::path::PathBuf>,
    _: u16,
    _: std::net::IpAddr,
    _: bool,
    _: Option<usize>,
    _: u64,
) -> Result<(), Error> {
    Err(Error::Input(
        "this wfmc was built without the `serve` feature: build it with `cargo build --release --features serve`".into(),
    ))
}

/// Prints to standard output; a closed stdout (`wfmc point | head`) is not a failure.
fn print(text: &str) -> Result<(), Error> {
    finish(std::io::stdout().lock().write_all(text.as_bytes()))
}

/// A closed stdout ends nothing here: the command goes on to its messages on stderr.
fn finish(res: std::io::Result<()>) -> Result<(), Error> {
    match res {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing output", e)),
        Ok(()) => Ok(()),
    }
}

/// Progress on stderr, hidden when stderr is not a terminal; follows `control.done`.
fn progress_bar(total: u64, unit: &str, control: &Arc<Control>) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{per_sec}}  eta {{eta}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    let (b, c) = (bar.clone(), control.clone());
    if unit == "draws" {
        std::thread::spawn(move || {
            while !b.is_finished() {
                b.set_position(c.done.load(Ordering::Relaxed));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
    }
    bar
}
