//! Paired comparisons: the baseline against interventions, portfolios, stress
//! profiles or overrides on the same draws.

use super::{Context, DrawSettings, Output, keys, override_list};
use crate::config::Config;
use crate::engine::Sampling;
use crate::error::{Error, Setting};
use crate::explore::compare::{self as cmp, Comparison, Variant};
use crate::results;
use std::path::PathBuf;

/// Draws of a comparison unless told otherwise.
pub const COMPARE_DRAWS: u64 = 200_000;

/// One variant: a name and what it applies to the baseline (stress profiles, then
/// interventions, then overrides).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VariantSpec {
    /// Its name in the table and `compare.csv`.
    pub name: String,
    /// Stress profiles.
    pub stress: Vec<String>,
    /// Interventions (`A+B`: a portfolio).
    pub interventions: Vec<String>,
    /// Overrides `PATH=VALUE`.
    pub set: Vec<String>,
}

impl VariantSpec {
    /// An intervention or portfolio (`a+b`), named after it.
    pub fn intervention(name: &str) -> VariantSpec {
        VariantSpec {
            name: name.to_string(),
            interventions: vec![name.to_string()],
            ..Default::default()
        }
    }

    fn check(&self) -> Result<(), Error> {
        let name = self.name.trim();
        if name.is_empty() || name.contains(',') || name.chars().any(char::is_control) {
            return Err(Error::setting(
                Setting::Variant,
                format!("`{}`", self.name),
                "a variant needs a name (no commas)",
            ));
        }
        if self.stress.is_empty() && self.interventions.is_empty() && self.set.is_empty() {
            return Err(Error::setting(
                Setting::Variant,
                &self.name,
                "it changes nothing: give stress profiles, interventions or overrides",
            ));
        }
        Ok(())
    }
}

/// A comparison of variants with the baseline.
#[derive(Debug, Clone, Default)]
pub struct CompareRequest {
    /// The variants, each with a name of its own.
    pub variants: Vec<VariantSpec>,
    /// Draws (default [`COMPARE_DRAWS`], the same for the baseline and every
    /// variant), seed, threads, sampling and the guard's limit.
    pub draws: DrawSettings,
    /// Year of the table (default: the last; `compare.csv` has every year).
    pub year: Option<u32>,
    /// Where `compare.csv` goes; a run's folder gets its report rebuilt with the
    /// comparison.
    pub out: Output,
}

impl CompareRequest {
    /// The draws the comparison makes.
    pub fn planned_draws(&self) -> u64 {
        self.draws.draws.unwrap_or(COMPARE_DRAWS)
    }
}

/// The configs of `variants` applied to `base`, with their descriptions.
pub fn variants(base: &Config, variants: &[VariantSpec]) -> Result<Vec<Variant>, Error> {
    let mut out: Vec<Variant> = vec![];
    for v in variants {
        v.check()?;
        if out.iter().any(|o| o.name == v.name) {
            return Err(Error::setting(
                Setting::Variant,
                &v.name,
                "named twice: give each variant a name of its own",
            ));
        }
        let list = override_list(base, &v.stress, &v.interventions, &v.set)?;
        let cfg = base.with_overrides(&list)?;
        let mut what: Vec<String> = vec![];
        for n in v.interventions.iter().flat_map(|n| n.split('+')) {
            let d = cfg
                .interventions
                .iter()
                .find(|i| i.name == n.trim())
                .map_or(String::new(), |i| i.description.clone());
            what.push(format!("intervention {n}: {d}"));
        }
        for s in &v.stress {
            let d = cfg
                .stress
                .iter()
                .find(|p| &p.name == s)
                .map_or(String::new(), |p| p.description.clone());
            what.push(format!("stress {s}: {d}"));
        }
        what.extend(v.set.iter().map(|s| format!("set {s}")));
        out.push(Variant {
            name: v.name.clone(),
            description: what.join("; "),
            cfg,
        });
    }
    Ok(out)
}

/// What a comparison found.
pub struct CompareOutcome {
    dims: crate::dims::SharedDims,
    /// The variants compared.
    pub variants: Vec<Variant>,
    /// The estimates.
    pub comparison: Comparison,
    /// `compare.csv`, unless kept in memory.
    pub path: Option<PathBuf>,
    year: usize,
}

impl CompareOutcome {
    /// `compare.csv`'s text.
    pub fn csv(&self) -> String {
        let names: Vec<String> = self.variants.iter().map(|v| v.name.clone()).collect();
        results::compare::write(&self.comparison, &names, &self.dims)
    }

    /// The table of the request's year.
    pub fn table(&self) -> String {
        crate::report::terminal::compare(&self.dims, &self.comparison, &self.variants, self.year)
    }
}

/// Compares the variants of `req` with `base` on the same draws, and writes
/// `compare.csv` into its results folder (new, empty or wfmc's; a folder holding a
/// run of another baseline is refused), rebuilding a run's report with it.
pub fn compare(
    base: &Config,
    req: &CompareRequest,
    ctx: &Context,
) -> Result<CompareOutcome, Error> {
    let year = keys::year(&base.dims, req.year)?;
    let spec = req.draws.spec(COMPARE_DRAWS, Sampling::Rqmc)?;
    if req.variants.is_empty() {
        return Err(Error::setting(
            Setting::Variant,
            "",
            "nothing to compare: give at least one intervention, portfolio or variant",
        ));
    }
    let dir = req.out.folder(base);
    // The folder is checked (and locked) before any work.
    let st = match &dir {
        Some(d) => Some(crate::files::Staging::new(
            d,
            &crate::files::Inputs::none(),
        )?),
        None => None,
    };
    // Its report would show the run beside a comparison of another baseline.
    if let Some(d) = &dir
        && let Ok(m) = results::read_json(d, results::MANIFEST_FILE)
        && let Some(hash) = m["config"]["hash"].as_str()
        && hash != base.hash()
    {
        return Err(Error::setting(
            Setting::Out,
            d.display(),
            format!(
                "holds a run of another config or other overrides (hash {hash}, the baseline's is {}): compare into another folder, or give the run's config, stress profiles and overrides",
                base.hash()
            ),
        ));
    }
    let vs = variants(base, &req.variants)?;
    let comparison = cmp::run(base, &vs, &spec, ctx.control)?;
    let share = comparison.rejected as f64 / spec.draws.max(1) as f64;
    if share > spec.max_rejected {
        return Err(Error::Rejected {
            report: format!(
                "{} of {} draws ({:.2} %) failed the numerical guard under the baseline or a variant",
                comparison.rejected,
                spec.draws,
                100.0 * share
            ),
            max: spec.max_rejected,
        });
    }
    let mut out = CompareOutcome {
        dims: base.dims.clone(),
        variants: vs,
        comparison,
        path: None,
        year,
    };
    if let Some(st) = st {
        let text = out.csv();
        st.keep_existing(|f| f == results::compare::FILE)?;
        st.write(results::compare::FILE, text.as_bytes())?;
        // A run's folder gets its page rebuilt with the comparison, in the same swap.
        if st.path().join(results::bands::FILE).exists() {
            crate::report::html::write(st.path(), false)?;
        }
        ctx.control.check()?;
        out.path = Some(st.commit()?.join(results::compare::FILE));
    }
    Ok(out)
}
