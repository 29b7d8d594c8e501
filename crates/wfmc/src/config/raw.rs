//! The config's tables as raw structs (serde): each table's keys are declared once,
//! here, by a struct's fields; a key that names a year is written with a
//! placeholder (`workforce_{base}`, `supply_{last}`) that the config's own years
//! fill in. Every leaf is kept as the TOML value given, so a value of the wrong
//! type is a problem the validation pass ([`super::Reader`]) reports with its path,
//! with every other problem of the file, rather than a failure that stops reading.
//!
//! [`fields`] lists a struct's keys; the validation pass checks a table's keys
//! against them (naming the nearest for an unknown one), puts the year-named keys
//! under their placeholders and deserializes the table ([`parse`]).

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Visitor};
use toml::{Table, Value};

/// The top level.
#[derive(Debug, Default, Deserialize)]
pub struct Top {
    /// Short name; results go to `results/<name>/`.
    pub name: Option<Value>,
    /// Human title.
    pub title: Option<Value>,
    /// The dimensions (`[dimensions]`).
    pub dimensions: Option<Value>,
    /// Annual salary growth.
    pub salary_growth: Option<Value>,
    /// Pay awards year by year.
    pub salary_path: Option<Value>,
    /// Employment on-cost rate.
    pub on_cost: Option<Value>,
    /// Stress profiles.
    pub stress: Option<Value>,
    /// Forecaster returns.
    pub forecasters: Option<Value>,
    /// The pay scale.
    pub pay_scale: Option<Value>,
    /// Shared factors.
    pub factors: Option<Value>,
    /// Family defaults of the uncertainty.
    pub uncertainty: Option<Value>,
    /// Per-area inputs.
    pub areas: Option<Value>,
    /// Per-area supply inputs.
    pub supply: Option<Value>,
    /// Per-scenario, per-area demand inputs.
    pub demand: Option<Value>,
    /// Interventions.
    pub interventions: Option<Value>,
    /// Decisions among options (`[decision]`).
    pub decision: Option<Value>,
}

/// `[decision]`.
#[derive(Debug, Default, Deserialize)]
pub struct Decision {
    /// Pounds put on one WTE-year of shortfall avoided.
    pub value_per_wte_year: Option<Value>,
    /// The range of values of the acceptability curve, `[low, high]`.
    pub values: Option<Value>,
    /// Points of the acceptability curve.
    pub points: Option<Value>,
    /// Portfolios among the options (`"a+b"`).
    pub portfolios: Option<Value>,
    /// Named groups of inputs for the value of information.
    pub groups: Option<Value>,
}

/// `[dimensions]`.
#[derive(Debug, Default, Deserialize)]
pub struct Dimensions {
    /// The base year.
    pub base_year: Option<Value>,
    /// The last year.
    pub last_year: Option<Value>,
    /// `[{ key, label }]`.
    pub scenarios: Option<Value>,
    /// `[{ key, label, family }]`.
    pub areas: Option<Value>,
    /// `[{ key, label, bands }]`.
    pub levels: Option<Value>,
    /// `[{ key, label }]`.
    pub families: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// One entry of a dimension's list.
#[derive(Debug, Default, Deserialize)]
pub struct Entry {
    /// Its key.
    pub key: Option<Value>,
    /// Its label (default: the key).
    pub label: Option<Value>,
    /// An area's role family.
    pub family: Option<Value>,
    /// A level's pay bands.
    pub bands: Option<Value>,
}

/// An input written as a table (`{ base = …, dist = "…" }`).
#[derive(Debug, Default, Deserialize)]
pub struct Input {
    /// The point model's value.
    pub base: Option<Value>,
    /// The distribution.
    pub dist: Option<Value>,
    /// How a draw combines with the base.
    pub apply: Option<Value>,
    /// A shared factor.
    pub factor: Option<Value>,
    /// The factor's share of the variance.
    pub rho: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// A band written as a table (`{ base = "8a", dist = "categorical(…)" }`).
#[derive(Debug, Default, Deserialize)]
pub struct BandTable {
    /// The published band.
    pub base: Option<Value>,
    /// The categorical distribution.
    pub dist: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[uncertainty]`.
#[derive(Debug, Default, Deserialize)]
pub struct Uncertainty {
    /// The base-year workforce family.
    #[serde(rename = "workforce_{base}")]
    pub workforce: Option<Value>,
    /// The demand-ratio family.
    pub demand_ratio: Option<Value>,
    /// The flow-rate family.
    pub flow_rate: Option<Value>,
    /// The skill mix.
    pub skill_mix: Option<Value>,
    /// The pay-band steps.
    pub band: Option<Value>,
}

/// `[uncertainty.workforce_{base}]`, `[uncertainty.demand_ratio]`,
/// `[uncertainty.flow_rate]`.
#[derive(Debug, Default, Deserialize)]
pub struct Family {
    /// The distribution.
    pub dist: Option<Value>,
    /// How a draw combines with an input's base.
    pub apply: Option<Value>,
    /// A shared factor.
    pub factor: Option<Value>,
    /// The factor's share of the variance.
    pub rho: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[uncertainty.skill_mix]`.
#[derive(Debug, Default, Deserialize)]
pub struct SkillMix {
    /// The Dirichlet concentration.
    pub concentration: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[uncertainty.band]`.
#[derive(Debug, Default, Deserialize)]
pub struct BandSteps {
    /// Steps from the published band.
    pub steps: Option<Value>,
    /// Their probabilities.
    pub p: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[factors.NAME]`.
#[derive(Debug, Default, Deserialize)]
pub struct Factor {
    /// One value per scenario.
    pub per_scenario: Option<Value>,
    /// What it stands for.
    pub description: Option<Value>,
}

/// `[pay_scale.BAND]`.
#[derive(Debug, Default, Deserialize)]
pub struct PayBand {
    /// Top pay point.
    pub top: Option<Value>,
    /// Bottom pay point.
    pub min: Option<Value>,
}

/// `[areas.AREA]`.
#[derive(Debug, Default, Deserialize)]
pub struct Area {
    /// Its role family.
    pub family: Option<Value>,
    /// The base-year workforce.
    #[serde(rename = "workforce_{base}")]
    pub workforce: Option<Value>,
    /// The pay band.
    pub band: Option<Value>,
    /// Base-year level counts.
    #[serde(rename = "levels_{base}")]
    pub levels: Option<Value>,
    /// The typical trust's base-year WTE by level.
    pub typical_trust: Option<Value>,
}

/// `[supply.AREA]`.
#[derive(Debug, Default, Deserialize)]
pub struct Supply {
    /// Supply in the last year.
    #[serde(rename = "supply_{last}")]
    pub supply: Option<Value>,
    /// The net annual flow rate.
    pub flow_rate: Option<Value>,
    /// Extra inflow, WTE a year.
    pub extra_inflow: Option<Value>,
}

/// `[demand.SCENARIO.AREA]`.
#[derive(Debug, Default, Deserialize)]
pub struct Demand {
    /// Demand in the last year.
    #[serde(rename = "demand_{last}")]
    pub demand: Option<Value>,
    /// The demand ratio.
    pub ratio: Option<Value>,
    /// Level counts in the last year.
    #[serde(rename = "levels_{last}")]
    pub levels: Option<Value>,
    /// The skill mix's concentration here.
    pub concentration: Option<Value>,
}

/// `[forecasters]`.
#[derive(Debug, Default, Deserialize)]
pub struct Forecasters {
    /// The returns file.
    pub returns: Option<Value>,
    /// `panel-mean` or `forecaster`.
    pub mode: Option<Value>,
    /// `error` or `skip`.
    pub missing: Option<Value>,
    /// The returns' middle year.
    pub mid_year: Option<Value>,
    /// Forecaster weights.
    pub weights: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[interventions.NAME]`.
#[derive(Debug, Default, Deserialize)]
pub struct Intervention {
    /// What it stands for.
    pub description: Option<Value>,
    /// Switched on.
    pub active: Option<Value>,
    /// Extra entrants.
    pub intake: Option<Value>,
    /// A change to the flow rate.
    pub retention: Option<Value>,
    /// A pay uplift.
    pub pay: Option<Value>,
    /// The programme's cost.
    pub cost: Option<Value>,
}

/// `[interventions.NAME.intake]`.
#[derive(Debug, Default, Deserialize)]
pub struct Intake {
    /// Areas.
    pub areas: Option<Value>,
    /// Entrants a year per area.
    pub per_year: Option<Value>,
    /// First year.
    pub start: Option<Value>,
    /// Years to full size.
    pub ramp: Option<Value>,
    /// Share who join.
    pub completion: Option<Value>,
    /// Attrition of those who joined.
    pub attrition: Option<Value>,
}

/// `[interventions.NAME.retention]`.
#[derive(Debug, Default, Deserialize)]
pub struct Retention {
    /// Areas.
    pub areas: Option<Value>,
    /// Change to the net flow rate.
    pub delta: Option<Value>,
    /// First year.
    pub start: Option<Value>,
}

/// `[interventions.NAME.pay]`.
#[derive(Debug, Default, Deserialize)]
pub struct PayLever {
    /// Areas.
    pub areas: Option<Value>,
    /// Pay uplift.
    pub uplift: Option<Value>,
    /// First year.
    pub start: Option<Value>,
    /// Assumed change to the flow rate.
    pub flow_effect: Option<Value>,
    /// A comment.
    pub note: Option<Value>,
}

/// `[interventions.NAME.cost]`.
#[derive(Debug, Default, Deserialize)]
pub struct ProgrammeCost {
    /// Pounds per entrant.
    pub per_entrant: Option<Value>,
    /// Pounds a year.
    pub per_year: Option<Value>,
    /// First year of the per-year cost.
    pub start: Option<Value>,
}

/// `[stress.NAME]`.
#[derive(Debug, Default, Deserialize)]
pub struct Stress {
    /// What it stands for.
    pub description: Option<Value>,
    /// Path = value overrides.
    pub set: Option<Value>,
}

/// The years the placeholders of key names stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// `{base}`.
    pub base: u32,
    /// `{last}`.
    pub last: u32,
}

impl Years {
    /// `key` with its placeholders filled in.
    pub fn fill(&self, key: &str) -> String {
        key.replace("{base}", &self.base.to_string())
            .replace("{last}", &self.last.to_string())
    }
}

/// The keys of raw struct `T` as a file writes them, in declaration order.
pub fn keys<T: DeserializeOwned>(years: Years) -> Vec<String> {
    fields::<T>().iter().map(|f| years.fill(f)).collect()
}

/// The field names serde derived for struct `T` (placeholders unfilled).
pub fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut found: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut found));
    found
}

/// Deserializes `table` into `T`: the year-named keys moved under their
/// placeholders first. Keys `T` does not have are ignored (the caller has
/// reported them); every field is a raw value, so this cannot fail for a table.
pub fn parse<T: DeserializeOwned + Default>(table: &Table, years: Years) -> T {
    let mut t = table.clone();
    for f in fields::<T>().iter().filter(|f| f.contains('{')) {
        if let Some(v) = t.remove(&years.fill(f)) {
            t.insert(f.to_string(), v);
        }
    }
    Value::Table(t).try_into().unwrap_or_default()
}

/// A deserializer that only records the fields a derived struct asks for.
struct Introspect<'a>(&'a mut &'static [&'static str]);

impl<'de> de::Deserializer<'de> for Introspect<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("introspection only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("introspection only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_declarations_and_years() {
        let y = Years {
            base: 2025,
            last: 2037,
        };
        assert_eq!(
            keys::<Area>(y),
            [
                "family",
                "workforce_2025",
                "band",
                "levels_2025",
                "typical_trust"
            ]
        );
        let t: Table = "workforce_2025 = 5\nband = \"5\"".parse().unwrap();
        let a: Area = parse(&t, y);
        assert_eq!(a.workforce, Some(Value::Integer(5)));
        assert_eq!(a.band, Some(Value::String("5".into())));
    }
}
