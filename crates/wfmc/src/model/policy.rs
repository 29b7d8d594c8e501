//! What active interventions ([`crate::config::Intervention`]) change in the
//! projection, year by year: supply added by intake cohorts, changes to flow rates,
//! pay multipliers, and the programmes' own cost.

use crate::config::{Config, Input, Intervention};
use crate::dims::{BASE_YEAR, N_AREAS, N_YEARS};

/// Per area and year (index k = year − 2020), what the active interventions change.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// WTE added to supply: the intake cohorts still in post.
    pub supply_add: [[f64; N_YEARS]; N_AREAS],
    /// Added to the net flow rate of the growth into year k (retention, and pay's
    /// assumed effect).
    pub flow_add: [[f64; N_YEARS]; N_AREAS],
    /// Multiplier on pay in year k (pay uplifts).
    pub pay_mult: [[f64; N_YEARS]; N_AREAS],
    /// The programmes' own cost in year k, 2020 pounds (grow it by the wage index).
    pub programme: [[f64; N_YEARS]; N_AREAS],
}

/// The active interventions of a config and their numbers, in the order they are
/// drawn: what a sampler needs to make a [`Policy`] per draw.
#[derive(Debug, Clone)]
pub struct Levers {
    active: Vec<Intervention>,
    /// Every number of every active intervention, in [`Intervention::numbers`] order.
    numbers: Vec<Input>,
}

impl Levers {
    /// The active interventions of `cfg` (none: [`Levers::is_empty`]).
    pub fn new(cfg: &Config) -> Levers {
        let active: Vec<Intervention> = cfg
            .interventions
            .iter()
            .filter(|i| i.active)
            .cloned()
            .collect();
        let numbers = active
            .iter()
            .flat_map(|i| i.numbers().into_iter().cloned())
            .collect();
        Levers { active, numbers }
    }

    /// No active intervention.
    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// Whether any number is uncertain (else one policy serves every draw).
    pub fn is_uncertain(&self) -> bool {
        self.numbers.iter().any(Input::is_uncertain)
    }

    /// The policy with every number at its base value.
    pub fn base(&self) -> Policy {
        let mut p = Policy::none();
        self.fill(self.numbers.iter().map(|i| i.base), &mut p);
        p
    }

    /// The policy with the numbers at the quantiles `u`, one taken per number in
    /// order (fixed numbers ignore theirs).
    pub fn fill_at(&self, u: impl Iterator<Item = f64>, p: &mut Policy) {
        let values = self.numbers.iter().zip(u).map(|(i, u)| {
            if i.is_uncertain() {
                i.quantile(u)
            } else {
                i.base
            }
        });
        self.fill(values, p);
    }

    /// The policy with the numbers `v` (in order, one per number).
    pub fn fill(&self, mut v: impl Iterator<Item = f64>, p: &mut Policy) {
        *p = Policy::none();
        let mut next = || v.next().expect("one value per number");
        for i in &self.active {
            let mut entrants = [[0.0; N_YEARS]; N_AREAS];
            if let Some(l) = &i.intake {
                // Draws outside a number's range are clamped to it.
                let per_year = next().max(0.0);
                let completion = next().clamp(0.0, 1.0);
                let keep = 1.0 - next().clamp(0.0, 0.999);
                let k0 = (l.start - BASE_YEAR) as usize;
                for &a in &l.areas {
                    for (j, e) in entrants[a].iter_mut().enumerate().skip(k0) {
                        let ramp = if l.ramp <= 1 {
                            1.0
                        } else {
                            (((j - k0 + 1) as f64) / l.ramp as f64).min(1.0)
                        };
                        let n = per_year * ramp;
                        *e += n;
                        // The cohort of year j, in post from year j, leaving at
                        // the attrition rate afterwards.
                        let mut left = n * completion;
                        for k in j..N_YEARS {
                            p.supply_add[a][k] += left;
                            left *= keep;
                        }
                    }
                }
            }
            if let Some(l) = &i.retention {
                let delta = next();
                for &a in &l.areas {
                    for k in (l.start - BASE_YEAR) as usize..N_YEARS {
                        p.flow_add[a][k] += delta;
                    }
                }
            }
            if let Some(l) = &i.pay {
                let uplift = next().max(-0.5);
                let effect = next();
                for &a in &l.areas {
                    for k in (l.start - BASE_YEAR) as usize..N_YEARS {
                        p.pay_mult[a][k] *= 1.0 + uplift;
                        p.flow_add[a][k] += effect;
                    }
                }
            }
            let per_entrant = next().max(0.0);
            let per_year = next().max(0.0);
            let areas = i.areas();
            for (a, row) in entrants.iter().enumerate() {
                for (k, n) in row.iter().enumerate() {
                    p.programme[a][k] += n * per_entrant;
                }
            }
            for k in (i.cost.start - BASE_YEAR) as usize..N_YEARS {
                for &a in &areas {
                    p.programme[a][k] += per_year / areas.len() as f64;
                }
            }
        }
    }
}

impl Policy {
    /// A policy that changes nothing.
    pub fn none() -> Policy {
        Policy {
            supply_add: [[0.0; N_YEARS]; N_AREAS],
            flow_add: [[0.0; N_YEARS]; N_AREAS],
            pay_mult: [[1.0; N_YEARS]; N_AREAS],
            programme: [[0.0; N_YEARS]; N_AREAS],
        }
    }
}
