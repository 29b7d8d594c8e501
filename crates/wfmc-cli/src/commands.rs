//! Each command: its flags become the library's request (`From`), the job runs, and
//! its outcome is printed. Nothing here decides a default or a limit; the requests
//! of `wfmc::jobs` do.

use crate::args::*;
use crate::progress;
use std::io::Write;
use std::sync::Arc;
use wfmc::jobs::{self, Context, Control, Error, Output, Setting};

impl From<&ConfigArgs> for jobs::ConfigRequest {
    fn from(a: &ConfigArgs) -> jobs::ConfigRequest {
        jobs::ConfigRequest {
            path: a.config.clone(),
            stress: a.stress.clone(),
            interventions: a.interventions.clone(),
            set: a.set.clone(),
            allow_missing: a.allow_missing.clone(),
        }
    }
}

impl From<&DrawArgs> for jobs::DrawSettings {
    fn from(a: &DrawArgs) -> jobs::DrawSettings {
        jobs::DrawSettings {
            draws: a.draws,
            seed: a.seed.seed,
            threads: a.threads.threads,
            sampling: a.sampling,
            max_rejected: a.guard.max_rejected,
            shortfall: a.shortfall,
        }
    }
}

fn load(c: &ConfigArgs) -> Result<jobs::Config, Error> {
    jobs::ConfigRequest::from(c).load()
}

/// The one value of a flag that may be given once here.
fn one<T: Clone + std::fmt::Display>(v: &[T], s: Setting) -> Result<Option<T>, Error> {
    match v {
        [] => Ok(None),
        [x] => Ok(Some(x.clone())),
        [_, y, ..] => Err(Error::setting(s, y, "give it once here")),
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

/// Prints to standard output; a closed stdout (`wfmc point | head`) is not a failure.
pub fn print(text: &str) -> Result<(), Error> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("writing output", e)),
        Ok(()) => Ok(()),
    }
}

pub fn point(a: &PointArgs) -> Result<(), Error> {
    let f = match a.format.format {
        Format::Table => jobs::PointFormat::Table,
        Format::Csv => jobs::PointFormat::Csv,
        Format::Json => jobs::PointFormat::Json,
    };
    print(&jobs::point(&load(&a.config)?, f)?)
}

impl From<&RunArgs> for jobs::RunRequest {
    fn from(a: &RunArgs) -> jobs::RunRequest {
        jobs::RunRequest {
            draws: (&a.draws).into(),
            until: a.until.until.clone(),
            shard: a.shard.shard,
            sobol_rows: a.sobol.sobol,
            out: Output::from_option(a.out.out.clone()),
            png: a.png.png,
            command: command_line(),
        }
    }
}

pub fn run(control: &Arc<Control>, a: &RunArgs) -> Result<(), Error> {
    let cfg = load(&a.config)?;
    let req = jobs::RunRequest::from(a);
    let on_check = |c: &jobs::UntilCheck| eprintln!("until: {c}");
    let ctx = Context {
        on_check: &on_check,
        ..Context::new(control)
    };
    let bar = progress::bar(req.planned_draws(), "draws", control);
    let res = jobs::run(&cfg, &req, &ctx);
    bar.finish_and_clear();
    let o = res?;
    if let Some(u) = o.until.as_ref().filter(|u| !u.met) {
        eprintln!(
            "warning: --draws {} ran out before every --until target was met (see manifest.json)",
            u.cap
        );
    }
    finish_run(&o, req.shard.is_none())
}

fn finish_run(o: &jobs::RunOutcome, whole: bool) -> Result<(), Error> {
    if whole {
        print(&o.table())?;
    }
    o.notes.iter().for_each(|n| eprintln!("note: {n}"));
    eprintln!(
        "\n{} draws in {:.2} s ({:.0} draws/s, {} threads) -> {}",
        o.summary.draws,
        o.seconds,
        o.rate(),
        o.threads,
        o.dir.display()
    );
    if let Some(r) = &o.rejected {
        eprintln!("warning: {r}");
    }
    Ok(())
}

pub fn merge(control: &Arc<Control>, a: &MergeArgs) -> Result<(), Error> {
    let cfg = load(&a.config)?;
    let req = jobs::MergeRequest {
        parts: a.parts.clone(),
        out: a.out.out.clone(),
        threads: a.threads.threads,
        max_rejected: a.guard.max_rejected,
        png: a.png.png,
        command: command_line(),
    };
    let o = jobs::merge(&cfg, &req, &Context::new(control))?;
    print(&o.table())?;
    o.notes.iter().for_each(|n| eprintln!("note: {n}"));
    eprintln!("merged {} partials -> {}", a.parts.len(), o.dir.display());
    Ok(())
}

pub fn tornado(control: &Arc<Control>, a: &TornadoArgs) -> Result<(), Error> {
    let cfg = load(&a.config)?;
    let req = jobs::TornadoRequest {
        out: Output::from_option(a.out.out.clone()),
    };
    let t = jobs::tornado(&cfg, &req, &Context::new(control))?;
    print(&t.table(a.top.top))?;
    if let Some(p) = &t.path {
        eprintln!("-> {}", p.display());
    }
    Ok(())
}

pub fn sobol(control: &Arc<Control>, a: &SobolArgs) -> Result<(), Error> {
    let cfg = load(&a.config)?;
    let req = jobs::SobolRequest {
        rows: a.rows.n,
        seed: a.seed.seed,
        threads: a.threads.threads,
        out: Output::from_option(a.out.out.clone()),
    };
    let s = jobs::sobol(&cfg, &req, &Context::new(control))?;
    print(&s.table(5))?;
    eprintln!(
        "{} rows × {} groups in {:.2} s -> {}",
        s.rows(),
        s.groups(),
        s.seconds,
        s.path
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string())
    );
    Ok(())
}

impl From<&SweepArgs> for jobs::SweepRequest {
    fn from(a: &SweepArgs) -> jobs::SweepRequest {
        jobs::SweepRequest {
            vary: a.vary.vary.clone(),
            draws: (&a.draws).into(),
            metrics: a.filter.metric.clone(),
            areas: a.filter.area.clone(),
            years: a.filter.year.clone(),
            shard: a.shard.shard,
        }
    }
}

pub fn sweep(control: &Arc<Control>, a: &SweepArgs) -> Result<(), Error> {
    let cfg = load(&a.config)?;
    let req = jobs::SweepRequest::from(a);
    let bar = progress::bar(req.points() as u64, "points", control);
    let on_points = |done: usize, _: usize| bar.set_position(done as u64);
    let ctx = Context {
        on_points: &on_points,
        ..Context::new(control)
    };
    let mut stdout = std::io::stdout().lock();
    let target = match &a.out.out {
        None => jobs::SweepOut::Stream(&mut stdout),
        Some(path) => jobs::SweepOut::File {
            path,
            overwrite: a.overwrite.overwrite,
        },
    };
    let res = jobs::sweep(&cfg, &req, target, &ctx);
    bar.finish_and_clear();
    res
}

pub fn merge_sweep(a: &MergeSweepArgs) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    let target = match &a.out.out {
        None => jobs::SweepOut::Stream(&mut stdout),
        Some(path) => jobs::SweepOut::File {
            path,
            overwrite: a.overwrite.overwrite,
        },
    };
    let req = jobs::MergeSweepRequest {
        parts: a.parts.clone(),
    };
    jobs::merge_sweep(&req, target)
}

pub fn target(a: &TargetArgs) -> Result<(), Error> {
    let area = one(&a.filter.area, Setting::Area)?;
    if area.is_none() && !a.all.all {
        return Err(Error::setting(
            Setting::Area,
            "",
            "give an area, or --all for every area short more often than the target",
        ));
    }
    let cfg = load(&a.config)?;
    let req = jobs::TargetRequest {
        area,
        scenario: a.scenario.scenario.clone(),
        p_shortfall: a.p.p_shortfall,
        year: one(&a.filter.year, Setting::Year)?,
        draws: (&a.draws).into(),
    };
    let t = jobs::target(&cfg, &req)?;
    print(&t.table())?;
    if let [x] = t.answers.as_slice() {
        eprintln!(
            "check: wfmc run --draws {} --seed {} --sampling {} --shortfall indicator --set {}={}",
            t.draws,
            t.seed,
            t.sampling,
            t.inflow_path(x),
            x.inflow
        );
    }
    Ok(())
}

pub fn stress(a: &StressArgs) -> Result<(), Error> {
    let (list, paths) = (a.list, a.paths);
    let l = jobs::listing(&load(&a.config)?);
    let mut text = String::new();
    if paths {
        for p in &l.paths {
            text.push_str(p);
            text.push('\n');
        }
    }
    if list || !paths {
        if l.profiles.is_empty() {
            text.push_str(&format!("{} has no stress profiles\n", l.origin));
        }
        for (name, description, set) in &l.profiles {
            text.push_str(&format!("{name}\n  {description}\n"));
            for (path, v) in set {
                text.push_str(&format!("    {path} = {v}\n"));
            }
        }
        if !l.interventions.is_empty() {
            text.push_str(
                "\nInterventions (--intervention NAME; wfmc compare --intervention NAME):\n",
            );
        }
        for (name, description, _) in &l.interventions {
            text.push_str(&format!("{name}\n  {description}\n"));
        }
    }
    print(&text)
}

pub fn report(control: &Arc<Control>, a: &ReportArgs) -> Result<(), Error> {
    let n = jobs::report(&a.dir, a.png.png, &Context::new(control))?;
    eprintln!("{n} charts and report.html -> {}", a.dir.display());
    Ok(())
}

pub fn check(a: &CheckArgs) -> Result<(), Error> {
    print(&jobs::check(&load(&a.config)?).to_string())
}

pub fn compare(control: &Arc<Control>, a: &CompareArgs) -> Result<(), Error> {
    // Here each --intervention is a variant, so the baseline goes without them.
    let base = jobs::ConfigRequest {
        interventions: vec![],
        ..(&a.config).into()
    }
    .load()?;
    let list = variant_list(&a.config.interventions, &a.variants)?;
    let req = jobs::CompareRequest {
        variants: list,
        draws: (&a.draws).into(),
        year: one(&a.filter.year, Setting::Year)?,
        out: Output::from_option(a.out.out.clone()),
    };
    let bar = progress::bar(req.planned_draws(), "draws", control);
    let res = jobs::compare(&base, &req, &Context::new(control));
    bar.finish_and_clear();
    let o = res?;
    print(&o.table())?;
    if let Some(p) = &o.path {
        eprintln!("-> {}", p.display());
    }
    Ok(())
}

/// Each `--intervention` and `--portfolio` as a variant, then each `--variant`.
fn variant_list(
    interventions: &[String],
    v: &VariantArgs,
) -> Result<Vec<jobs::VariantSpec>, Error> {
    let mut list: Vec<jobs::VariantSpec> = interventions
        .iter()
        .chain(&v.portfolios)
        .map(|n| jobs::VariantSpec::intervention(n))
        .collect();
    for s in &v.variants {
        list.push(crate::variant::parse(s).map_err(Error::Input)?);
    }
    Ok(list)
}

/// The baseline (without the `--intervention`s, which are options here) and the
/// settings of `wfmc discover` and `wfmc decide`.
fn decision(
    c: &ConfigArgs,
    a: &DecisionArgs,
) -> Result<(jobs::Config, jobs::DecisionSettings), Error> {
    let base = jobs::ConfigRequest {
        interventions: vec![],
        ..c.into()
    }
    .load()?;
    let options = variant_list(&c.interventions, &a.variants)?;
    let settings = jobs::DecisionSettings {
        options,
        draws: jobs::DrawSettings {
            draws: a.draws,
            seed: a.seed.seed,
            threads: a.threads.threads,
            sampling: None,
            max_rejected: a.guard.max_rejected,
            shortfall: None,
        },
        scenario: a.scenario.scenario.clone(),
        year: a.year,
        out: Output::from_option(a.out.out.clone()),
    };
    Ok((base, settings))
}

/// The draws a decision job counts: its draws twice (outputs, then inputs).
fn planned(a: &DecisionArgs) -> u64 {
    2 * a.draws.unwrap_or(jobs::DEFAULT_DECISION_DRAWS)
}

pub fn discover(control: &Arc<Control>, a: &DiscoverArgs) -> Result<(), Error> {
    let (base, settings) = decision(&a.config, &a.decision)?;
    let (area, threshold) = match a.outcome.split_once('>') {
        None => (a.outcome.trim().to_string(), None),
        Some((area, t)) => {
            let t: f64 = t.trim().parse().map_err(|_| {
                Error::setting(
                    Setting::Outcome,
                    &a.outcome,
                    "AREA or AREA>WTE, WTE a number",
                )
            })?;
            (area.trim().to_string(), Some(t))
        }
    };
    let req = jobs::DiscoverRequest {
        settings,
        area,
        option: a.option.clone(),
        threshold,
        step: a.step,
    };
    let bar = progress::bar(planned(&a.decision), "draws", control);
    let res = jobs::discover(&base, &req, &Context::new(control));
    bar.finish_and_clear();
    let o = res?;
    print(&o.sentences())?;
    if let Some(p) = &o.path {
        eprintln!("-> {}", p.display());
    }
    Ok(())
}

pub fn decide(control: &Arc<Control>, a: &DecideArgs) -> Result<(), Error> {
    let (base, settings) = decision(&a.config, &a.decision)?;
    let mut groups = vec![];
    for g in &a.groups {
        let (name, list) = g.split_once('=').ok_or_else(|| {
            Error::setting(
                Setting::Groups,
                g,
                "NAME=PATH,PATH, e.g. flows=supply.ict.flow_rate,supply.data.flow_rate",
            )
        })?;
        let members = list
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        groups.push((name.trim().to_string(), members));
    }
    let req = jobs::DecideRequest {
        settings,
        value: a.value,
        groups,
    };
    let bar = progress::bar(planned(&a.decision), "draws", control);
    let res = jobs::decide(&base, &req, &Context::new(control));
    bar.finish_and_clear();
    let o = res?;
    print(&o.table())?;
    for p in &o.paths {
        eprintln!("-> {}", p.display());
    }
    Ok(())
}
