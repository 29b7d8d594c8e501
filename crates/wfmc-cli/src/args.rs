//! The command line's flags. Each flag is declared once, in one `clap::Args` group
//! that the commands taking it flatten; a flag has no default of its own: what is
//! not given is left to the library's request, whose defaults are stated once
//! (`wfmc::jobs`). [`crate::commands`] turns each command's groups into its request.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use wfmc::jobs;

const EXIT_CODES: &str =
    "Exit codes: 0 success, 1 runtime failure, 2 usage or input error, 130 interrupted.";

#[derive(Parser)]
#[command(name = "wfmc", version, about = "Monte Carlo uncertainty and sensitivity of workforce projections (built in: HEE, Data Driven Healthcare in 2030)", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// The deterministic projection: every input at its base value.
    Point(PointArgs),
    /// Monte Carlo run: bands, shortfall probabilities and a summary in a results folder.
    Run(RunArgs),
    /// Combine shards' partial results into the full results folder.
    Merge(MergeArgs),
    /// One-at-a-time sensitivity: each input at its P10 and P90, all others at base.
    Tornado(TornadoArgs),
    /// Global sensitivity: first-order and total Sobol indices with bootstrap intervals.
    Sobol(SobolArgs),
    /// Run the Monte Carlo model at every point of a grid of inputs; a tidy CSV.
    Sweep(SweepArgs),
    /// Merge the parts of a sharded sweep into the CSV the unsharded sweep writes.
    MergeSweep(MergeSweepArgs),
    /// The extra annual inflow that brings an area's probability of shortfall to a target.
    Target(TargetArgs),
    /// List the config's stress profiles and interventions, or every path --set accepts.
    Stress(StressArgs),
    /// Rebuild plots/ and report.html of an existing results folder, without re-running.
    Report(ReportArgs),
    /// Validate a config without running anything.
    Check(CheckArgs),
    /// Paired comparison: the baseline against interventions, portfolios, stress
    /// profiles or overrides on the same draws; compare.csv and a table. Here each
    /// --intervention NAME is a variant of its own (the baseline goes without);
    /// --stress and --set apply to the baseline and every variant.
    Compare(CompareArgs),
    /// Scenario discovery: under which combinations of assumptions an area (or the
    /// total) falls short; PRIM's peeling trajectory and box, and CART's leaves, in
    /// discovery.csv and as sentences.
    Discover(DiscoverArgs),
    /// A decision among the baseline and options (each --intervention, --portfolio
    /// or --variant; default: every intervention of the config and the portfolios of
    /// its [decision] table) on the same draws: EVPI and EVPPI, acceptability and
    /// robustness; value_of_information.csv, acceptability.csv, robustness.csv.
    Decide(DecideArgs),
    /// The what-if explorer: a local web page that reruns the model as you change
    /// its assumptions, and its JSON API (see the user guide's "Explorer").
    Serve(ServeArgs),
}

/// The arguments of `wfmc point`.
#[derive(clap::Args)]
pub struct PointArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The arguments of `wfmc run`.
#[derive(clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub draws: DrawArgs,
    #[command(flatten)]
    pub until: UntilArg,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub shard: ShardArg,
    #[command(flatten)]
    pub png: PngArg,
    #[command(flatten)]
    pub sobol: SobolRowsArg,
}

/// The arguments of `wfmc merge`.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// Partial results: shard folders or their partial.wfmc files.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// The config and overrides the shards ran.
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub threads: ThreadsArg,
    #[command(flatten)]
    pub guard: GuardArg,
    #[command(flatten)]
    pub png: PngArg,
}

/// The arguments of `wfmc tornado`.
#[derive(clap::Args)]
pub struct TornadoArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub top: TopArg,
}

/// The arguments of `wfmc sobol`.
#[derive(clap::Args)]
pub struct SobolArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub rows: SobolNArg,
    #[command(flatten)]
    pub seed: SeedArg,
    #[command(flatten)]
    pub threads: ThreadsArg,
    #[command(flatten)]
    pub out: OutArg,
}

/// The arguments of `wfmc sweep`.
#[derive(clap::Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub vary: VaryArg,
    #[command(flatten)]
    pub draws: DrawArgs,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub overwrite: OverwriteArg,
    #[command(flatten)]
    pub shard: ShardArg,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The arguments of `wfmc merge-sweep`.
#[derive(clap::Args)]
pub struct MergeSweepArgs {
    /// The parts (`wfmc sweep --shard i/N --out FILE`), in any order.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub overwrite: OverwriteArg,
}

/// The arguments of `wfmc target`.
#[derive(clap::Args)]
pub struct TargetArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub all: AllArg,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub scenario: ScenarioArg,
    #[command(flatten)]
    pub p: PShortfallArg,
    #[command(flatten)]
    pub draws: DrawArgs,
}

/// The arguments of `wfmc stress`.
#[derive(clap::Args)]
pub struct StressArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// List the stress profiles and what each sets.
    #[arg(long)]
    pub list: bool,
    /// List every path --set and --vary accept.
    #[arg(long)]
    pub paths: bool,
}

/// The arguments of `wfmc report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// The results folder (written by `wfmc run` or `wfmc merge`).
    pub dir: PathBuf,
    #[command(flatten)]
    pub png: PngArg,
}

/// The arguments of `wfmc check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The arguments of `wfmc compare`.
#[derive(clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub variants: VariantArgs,
    #[command(flatten)]
    pub draws: DrawArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub out: OutArg,
}

/// The arguments of `wfmc discover`.
#[derive(clap::Args)]
pub struct DiscoverArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// What to explain: an area or `total`, short in the year; AREA>WTE counts only
    /// shortfalls of more than WTE (e.g. clinical_informatics>100).
    #[arg(long, value_name = "AREA[>WTE]")]
    pub outcome: String,
    /// The option under which the outcome is explained [baseline].
    #[arg(long)]
    pub option: Option<String>,
    /// The trajectory step of the box to describe [the largest coverage × density].
    #[arg(long = "box", value_name = "STEP")]
    pub step: Option<usize>,
    #[command(flatten)]
    pub decision: DecisionArgs,
}

/// The arguments of `wfmc decide`.
#[derive(clap::Args)]
pub struct DecideArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Pounds put on one WTE-year of shortfall avoided [the config's
    /// decision.value_per_wte_year].
    #[arg(long)]
    pub value: Option<f64>,
    /// A named group of inputs for the value of information: NAME=PATH,PATH
    /// (repeatable; besides the config's decision.groups).
    #[arg(long = "group", value_name = "NAME=PATH,PATH")]
    pub groups: Vec<String>,
    #[command(flatten)]
    pub decision: DecisionArgs,
}

/// What `wfmc discover` and `wfmc decide` share.
#[derive(clap::Args)]
pub struct DecisionArgs {
    #[command(flatten)]
    pub variants: VariantArgs,
    /// Draws, all kept in memory [20,000; at most 200,000].
    #[arg(long)]
    pub draws: Option<u64>,
    #[command(flatten)]
    pub seed: SeedArg,
    #[command(flatten)]
    pub threads: ThreadsArg,
    #[command(flatten)]
    pub guard: GuardArg,
    #[command(flatten)]
    pub scenario: ScenarioArg,
    /// Year: shortfall in it, WTE-years counted up to it [the last].
    #[arg(long)]
    pub year: Option<u32>,
    #[command(flatten)]
    pub out: OutArg,
}

/// The arguments of `wfmc serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8421)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (anyone who can reach it
    /// can run the model).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// The most draws one request may ask for.
    #[arg(long, default_value_t = 2_000_000)]
    pub max_draws: u64,
}

/// The config and its overrides, for every command that reads one.
#[derive(clap::Args, Clone)]
pub struct ConfigArgs {
    /// Config file (default: the built-in configs/hee-2021.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Apply a stress profile of the config (repeatable, in order; `wfmc stress --list`).
    #[arg(long = "stress", value_name = "NAME")]
    pub stress: Vec<String>,
    /// Apply an intervention of the config (repeatable; A+B applies both; after
    /// --stress, before --set; `wfmc stress --list` lists them).
    #[arg(long = "intervention", value_name = "NAME")]
    pub interventions: Vec<String>,
    /// Override an input: PATH=VALUE, VALUE a number or a distribution such as
    /// normal(0.10, 0.02) (repeatable, applied after --stress).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Forecaster returns: how to treat a forecaster who left an area out
    /// (`skip`: average over those who answered). Without it, that is an error.
    #[arg(long = "allow-missing", value_name = "POLICY", value_parser = ["skip", "error"])]
    pub allow_missing: Option<String>,
}

/// How a command draws.
#[derive(clap::Args, Clone)]
pub struct DrawArgs {
    /// Draws [run: 1,000,000, with --until the most it may draw: 100,000,000;
    /// sweep: 100,000 per point; target and compare: 200,000].
    #[arg(long)]
    pub draws: Option<u64>,
    #[command(flatten)]
    pub seed: SeedArg,
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// rqmc: randomised quasi-Monte Carlo (scrambled Sobol' replicates; the same
    /// precision from fewer draws); mc: plain Monte Carlo [target: mc, whose
    /// interval is that of independent draws; elsewhere rqmc].
    #[arg(long)]
    pub sampling: Option<jobs::Sampling>,
    /// conditional: each shortfall probability and expected shortfall averages its
    /// closed form given the other inputs (conditional Monte Carlo; the indicator
    /// where a config leaves no input to integrate, as the manifest says);
    /// indicator: the share of draws short [conditional].
    #[arg(long)]
    pub shortfall: Option<jobs::Shortfall>,
    #[command(flatten)]
    pub guard: GuardArg,
}

/// The seed of the random streams.
#[derive(clap::Args, Clone, Copy)]
pub struct SeedArg {
    /// Seed of the random streams: the same seed gives the same results [20210301].
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Worker threads.
#[derive(clap::Args, Clone, Copy)]
pub struct ThreadsArg {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The numerical guard's limit.
#[derive(clap::Args, Clone, Copy)]
pub struct GuardArg {
    /// Fail, writing nothing, if the numerical guard rejects more than this share
    /// of the draws (non-finite outputs, negative demand or supply) [0.001].
    #[arg(long)]
    pub max_rejected: Option<f64>,
}

/// Precision targets of a run.
#[derive(clap::Args, Clone)]
pub struct UntilArg {
    /// Draw until every named estimate of the last year has at most this standard
    /// error (repeatable): p_shortfall_se=SE (P(shortfall) of every area and the
    /// total), percentile_se=SE (P5 and P95 of the total gap, WTE), mean_se=SE (the
    /// mean total gap, WTE); every scenario. Checked at whole replicate blocks, so
    /// the result is the same on any number of threads.
    #[arg(long, value_name = "NAME=SE")]
    pub until: Vec<String>,
}

/// Where the results go.
#[derive(clap::Args, Clone)]
pub struct OutArg {
    /// Results folder (default: results/<config name>/; a command that adds one file
    /// keeps the folder's others). For sweep and merge-sweep, a CSV file (default:
    /// standard output); merge needs it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Replacing a file wfmc did not write.
#[derive(clap::Args, Clone, Copy)]
pub struct OverwriteArg {
    /// Replace the --out file even if it is not a sweep CSV wfmc wrote.
    #[arg(long, requires = "out")]
    pub overwrite: bool,
}

/// A share of the work.
#[derive(clap::Args, Clone, Copy)]
pub struct ShardArg {
    /// Run only shard i of N (e.g. 2/8): of a run's draws (a partial result for
    /// `wfmc merge`), or of a sweep's grid points (a part for `wfmc merge-sweep`).
    #[arg(long)]
    pub shard: Option<jobs::Shard>,
}

/// PNG charts.
#[derive(clap::Args, Clone, Copy)]
pub struct PngArg {
    /// Also write the charts as PNG (needs a build with `--features png`).
    #[arg(long)]
    pub png: bool,
}

/// Sobol rows computed with a run.
#[derive(clap::Args, Clone, Copy)]
pub struct SobolRowsArg {
    /// Rows of the Sobol design computed with the run (sobol.csv); 0: none [16384].
    #[arg(long, value_name = "ROWS")]
    pub sobol: Option<usize>,
}

/// Rows of the Sobol job's design.
#[derive(clap::Args, Clone, Copy)]
pub struct SobolNArg {
    /// Rows of the Saltelli design; costs n × (groups + 2) model evaluations [16384].
    #[arg(long)]
    pub n: Option<usize>,
}

/// Inputs shown per output.
#[derive(clap::Args, Clone, Copy)]
pub struct TopArg {
    /// Inputs shown per output in the terminal.
    #[arg(long, default_value_t = 8)]
    pub top: usize,
}

/// The inputs a sweep varies.
#[derive(clap::Args, Clone)]
pub struct VaryArg {
    /// An input to vary: PATH=LO:HI:STEP or PATH=v1,v2,… (repeatable: full factorial).
    #[arg(long, required = true, value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
}

/// Which results to keep or show.
#[derive(clap::Args, Clone)]
pub struct FilterArgs {
    /// Metrics to keep (repeatable; default gap and p_shortfall).
    #[arg(long)]
    pub metric: Vec<String>,
    /// An area, or `total` (sweep: repeatable, default all; target: the area to
    /// solve for).
    #[arg(long)]
    pub area: Vec<String>,
    /// A year (sweep: repeatable; default the last year).
    #[arg(long)]
    pub year: Vec<u32>,
}

/// Every area, for a target.
#[derive(clap::Args, Clone, Copy)]
pub struct AllArg {
    /// Every area short more often than the target (instead of --area).
    #[arg(long, conflicts_with = "area")]
    pub all: bool,
}

/// A scenario.
#[derive(clap::Args, Clone)]
pub struct ScenarioArg {
    /// Scenario (default: the config's first).
    #[arg(long)]
    pub scenario: Option<String>,
}

/// A target probability of shortfall.
#[derive(clap::Args, Clone, Copy)]
pub struct PShortfallArg {
    /// Target probability of shortfall [0.1].
    #[arg(long = "p-shortfall")]
    pub p_shortfall: Option<f64>,
}

/// The variants of a comparison (and, through the config's `--intervention`, each
/// intervention named there).
#[derive(clap::Args, Clone)]
pub struct VariantArgs {
    /// A variant: several interventions together, A+B (repeatable).
    #[arg(long = "portfolio", value_name = "A+B")]
    pub portfolios: Vec<String>,
    /// A variant of stress profiles, interventions and overrides:
    /// 'NAME: --stress P --intervention I --set PATH=VALUE' (repeatable).
    #[arg(long = "variant", value_name = "'NAME: ARGS'")]
    pub variants: Vec<String>,
}

/// The point model's format.
#[derive(clap::Args, Clone, Copy)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Output format of `wfmc point`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The report's tables beside its published figures.
    Table,
    /// One row per series.
    Csv,
    /// The point model as JSON.
    Json,
}
