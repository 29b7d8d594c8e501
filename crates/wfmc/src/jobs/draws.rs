//! Per-draw values of chosen outputs and sampled inputs, for analyses wfmc does not
//! do itself: the draws of a run with the same config, seed and sampling.

use super::{Context, DrawSettings};
use crate::config::Config;
use crate::engine::Sampling;
use crate::engine::draws::{self as table, Column};
use crate::error::{Error, Setting};

/// Which values of which draws.
#[derive(Debug, Clone, Default)]
pub struct DrawsRequest {
    /// Outputs as (metric, scenario, area or `total`, year).
    pub outputs: Vec<(String, String, String, u32)>,
    /// Sampled inputs, by config path ([`inputs`] lists them).
    pub inputs: Vec<String>,
    /// Draws (required), seed, threads and sampling.
    pub draws: DrawSettings,
}

/// The values: one row per draw, one column per output then input.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawsTable {
    /// Row-major values, `rows × labels.len()`.
    pub values: Vec<f64>,
    /// Draws.
    pub rows: usize,
    /// Column labels: `metric/scenario/area/year` for outputs, config paths for inputs.
    pub labels: Vec<String>,
}

/// The named inputs of `cfg` a draws table can carry (config paths).
pub fn inputs(cfg: &Config) -> Vec<String> {
    table::inputs(cfg).into_iter().map(|(_, n)| n).collect()
}

/// The table `req` asks for. A draw the numerical guard rejects (which a run leaves
/// out of its statistics) has NaN in its output columns; its inputs are kept.
pub fn draws(cfg: &Config, req: &DrawsRequest, ctx: &Context) -> Result<DrawsTable, Error> {
    let Some(n) = req.draws.draws else {
        return Err(Error::setting(
            Setting::Draws,
            "",
            "give the number of draws",
        ));
    };
    let mut columns = vec![];
    let mut labels = vec![];
    for (m, s, a, y) in &req.outputs {
        let series = cfg
            .dims
            .series(m, s, a, *y)
            .map_err(|e| Error::setting(Setting::Outcome, "", e))?;
        columns.push(Column::Output(series));
        labels.push(cfg.dims.series_label(&series));
    }
    let named = table::inputs(cfg);
    for i in &req.inputs {
        let Some((g, _)) = named.iter().find(|(_, n)| n == i) else {
            let names: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
            return Err(Error::Input(format!(
                "input `{i}`: the uncertain inputs of {} are {}",
                cfg.origin,
                names.join(", ")
            )));
        };
        columns.push(Column::Input(*g));
        labels.push(i.clone());
    }
    let spec = req.draws.spec(n, Sampling::Rqmc)?;
    let k = columns.len();
    let len = (n as usize)
        .checked_mul(k)
        .filter(|l| *l <= isize::MAX as usize / 8)
        .ok_or_else(|| {
            Error::setting(
                Setting::Draws,
                n,
                format!("{n} draws × {k} columns do not fit in memory"),
            )
        })?;
    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| {
        Error::setting(
            Setting::Draws,
            n,
            format!("{n} draws × {k} columns do not fit in memory"),
        )
    })?;
    values.resize(len, 0.0);
    table::fill(cfg, &spec, &columns, &mut values, ctx.control)?;
    Ok(DrawsTable {
        values,
        rows: n as usize,
        labels,
    })
}
