//! What active interventions ([`crate::config::Intervention`]) change in the
//! projection, year by year: supply added by intake cohorts, changes to flow rates,
//! pay multipliers, and the programmes' own cost.

use crate::config::{Config, Input, Intervention};

/// Per area and year (`area × years + k`, k years after the base), what the
/// active interventions change.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Years per area.
    pub years: usize,
    /// WTE added to supply: the intake cohorts still in post.
    pub supply_add: Vec<f64>,
    /// Added to the net flow rate of the growth into year k (retention, and pay's
    /// assumed effect).
    pub flow_add: Vec<f64>,
    /// Multiplier on pay in year k (pay uplifts).
    pub pay_mult: Vec<f64>,
    /// The programmes' own cost in year k, base-year pounds (grow it by the wage
    /// index).
    pub programme: Vec<f64>,
}

/// The active interventions of a config and their numbers, in the order they are
/// drawn: what a sampler needs to make a [`Policy`] per draw.
#[derive(Debug, Clone)]
pub struct Levers {
    base_year: u32,
    areas: usize,
    years: usize,
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
        Levers {
            base_year: cfg.dims.base_year,
            areas: cfg.dims.n_areas(),
            years: cfg.dims.n_years(),
            active,
            numbers,
        }
    }

    /// A policy of this config's size that changes nothing.
    pub fn empty_policy(&self) -> Policy {
        Policy::none(self.areas, self.years)
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
        let mut p = Policy::none(self.areas, self.years);
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
        let (n_y, base_year) = (self.years, self.base_year);
        p.reset(self.areas, n_y);
        let mut next = || v.next().expect("one value per number");
        let mut entrants = vec![0.0; self.areas * n_y];
        for i in &self.active {
            entrants.fill(0.0);
            if let Some(l) = &i.intake {
                // Draws outside a number's range are clamped to it.
                let per_year = next().max(0.0);
                let completion = next().clamp(0.0, 1.0);
                let keep = 1.0 - next().clamp(0.0, 0.999);
                let k0 = (l.start - base_year) as usize;
                for &a in &l.areas {
                    for (j, e) in entrants[a * n_y..(a + 1) * n_y]
                        .iter_mut()
                        .enumerate()
                        .skip(k0)
                    {
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
                        for k in j..n_y {
                            p.supply_add[a * n_y + k] += left;
                            left *= keep;
                        }
                    }
                }
            }
            if let Some(l) = &i.retention {
                let delta = next();
                for &a in &l.areas {
                    for k in (l.start - base_year) as usize..n_y {
                        p.flow_add[a * n_y + k] += delta;
                    }
                }
            }
            if let Some(l) = &i.pay {
                let uplift = next().max(-0.5);
                let effect = next();
                for &a in &l.areas {
                    for k in (l.start - base_year) as usize..n_y {
                        p.pay_mult[a * n_y + k] *= 1.0 + uplift;
                        p.flow_add[a * n_y + k] += effect;
                    }
                }
            }
            let per_entrant = next().max(0.0);
            let per_year = next().max(0.0);
            let areas = i.areas();
            for (j, n) in entrants.iter().enumerate() {
                p.programme[j] += n * per_entrant;
            }
            for k in (i.cost.start - base_year) as usize..n_y {
                for &a in &areas {
                    p.programme[a * n_y + k] += per_year / areas.len() as f64;
                }
            }
        }
    }
}

impl Policy {
    /// A policy that changes nothing, for `areas` areas of `years` years.
    pub fn none(areas: usize, years: usize) -> Policy {
        let n = areas * years;
        Policy {
            years,
            supply_add: vec![0.0; n],
            flow_add: vec![0.0; n],
            pay_mult: vec![1.0; n],
            programme: vec![0.0; n],
        }
    }

    /// Back to a policy that changes nothing (reusing its memory).
    fn reset(&mut self, areas: usize, years: usize) {
        let n = areas * years;
        self.years = years;
        for (v, x) in [
            (&mut self.supply_add, 0.0),
            (&mut self.flow_add, 0.0),
            (&mut self.pay_mult, 1.0),
            (&mut self.programme, 0.0),
        ] {
            v.clear();
            v.resize(n, x);
        }
    }

    /// Areas covered.
    pub fn areas(&self) -> usize {
        self.supply_add.len() / self.years.max(1)
    }
}
