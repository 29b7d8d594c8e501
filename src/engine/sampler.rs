//! Drawing one realisation of every input from the config's distributions (spec §4).

use crate::config::{Config, Input};
use crate::dims::{N_AREAS, N_LEVELS, N_SCENARIOS};
use crate::distributions::SharesDist;
use crate::model::{Inputs, wage_index};
use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

/// Draws [`Inputs`]; built once per run from a config.
///
/// Random numbers are consumed in a fixed order (factors, salary growth, on-cost, then
/// per area workforce, flow and band, then per scenario and area the demand ratio and
/// skill mix). Inputs that are fixed consume none. Within a draw both scenarios share
/// the supply, salary and band draws, so scenario differences are paired.
#[derive(Debug, Clone)]
pub struct Sampler {
    base: Inputs,
    /// For each factor, its normal-score slot per scenario.
    factor_slots: Vec<[usize; N_SCENARIOS]>,
    n_slots: usize,
    salary_growth: Input,
    on_cost: Input,
    workforce: Vec<Input>,
    flow: Vec<Input>,
    ratio: Vec<Vec<Input>>,
    bands: Vec<Option<(Vec<f64>, Vec<f64>)>>,
    shares: Vec<Vec<SharesDist>>,
}

impl Sampler {
    /// Prepares sampling for `cfg`.
    pub fn new(cfg: &Config) -> Sampler {
        let mut n_slots = 0;
        let factor_slots = cfg
            .factors
            .iter()
            .map(|f| {
                let first = n_slots;
                n_slots += if f.per_scenario { N_SCENARIOS } else { 1 };
                if f.per_scenario {
                    [first, first + 1]
                } else {
                    [first, first]
                }
            })
            .collect();
        let bands = cfg
            .areas
            .iter()
            .map(|a| {
                a.band.is_uncertain().then(|| {
                    let pay = a.band.choices.iter().map(|&i| cfg.pay_top(i)).collect();
                    let mut acc = 0.0;
                    let cum = a.band.p.iter().map(|p| {
                        acc += p;
                        acc
                    });
                    (pay, cum.collect())
                })
            })
            .collect();
        Sampler {
            base: Inputs::base(cfg),
            factor_slots,
            n_slots,
            salary_growth: cfg.salary_growth.clone(),
            on_cost: cfg.on_cost.clone(),
            workforce: cfg.areas.iter().map(|a| a.workforce.clone()).collect(),
            flow: cfg.areas.iter().map(|a| a.flow.clone()).collect(),
            ratio: cfg
                .demand
                .iter()
                .map(|r| r.iter().map(|d| d.ratio.clone()).collect())
                .collect(),
            bands,
            shares: cfg
                .demand
                .iter()
                .map(|r| r.iter().map(|d| d.shares.clone()).collect())
                .collect(),
        }
    }

    /// The base inputs (the point model's).
    pub fn base(&self) -> &Inputs {
        &self.base
    }

    #[inline]
    fn scalar<R: Rng + ?Sized>(
        &self,
        input: &Input,
        rng: &mut R,
        z: &[f64],
        scenario: usize,
    ) -> f64 {
        // Callers skip fixed inputs, so fixed inputs consume no random numbers.
        match input.factor {
            Some(link) => {
                let own: f64 = rng.sample(StandardNormal);
                let zf = z[self.factor_slots[link.factor][scenario]];
                input.at_score(link.rho.sqrt() * zf + (1.0 - link.rho).sqrt() * own)
            }
            None => input.combine(input.dist.sample(rng)),
        }
    }

    /// Draws every input into `x` (which must start as a copy of [`Self::base`]).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R, x: &mut Inputs) {
        let mut z = [0.0f64; 16];
        let mut zv;
        let z: &mut [f64] = if self.n_slots <= z.len() {
            &mut z[..self.n_slots]
        } else {
            zv = vec![0.0; self.n_slots];
            &mut zv
        };
        for v in z.iter_mut() {
            *v = rng.sample(StandardNormal);
        }
        if self.salary_growth.is_uncertain() {
            x.wage_index = wage_index(self.scalar(&self.salary_growth, rng, z, 0));
        }
        if self.on_cost.is_uncertain() {
            x.on_cost = self.scalar(&self.on_cost, rng, z, 0);
        }
        for a in 0..N_AREAS {
            if self.workforce[a].is_uncertain() {
                x.workforce[a] = self.scalar(&self.workforce[a], rng, z, 0);
            }
            if self.flow[a].is_uncertain() {
                x.flow[a] = self.scalar(&self.flow[a], rng, z, 0);
            }
            if let Some((pay, cum)) = &self.bands[a] {
                let u: f64 = rng.random();
                let i = cum.iter().position(|c| u < *c).unwrap_or(pay.len() - 1);
                x.pay[a] = pay[i];
            }
        }
        for s in 0..N_SCENARIOS {
            for a in 0..N_AREAS {
                if self.ratio[s][a].is_uncertain() {
                    x.ratio[s][a] = self.scalar(&self.ratio[s][a], rng, z, s);
                }
                if let SharesDist::Dirichlet { .. } = self.shares[s][a] {
                    let mut q = [0.0; N_LEVELS];
                    self.shares[s][a].sample_into(rng, &mut q);
                    x.shares_2030[s][a] = q;
                }
            }
        }
    }
}
