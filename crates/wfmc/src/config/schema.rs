//! The config's schema: for each kind of table, its keys and which of them `--set`
//! (and `--vary`, and stress profiles) may name. The reader checks every table's
//! keys against this, and [`super::overrides::settable_paths`] lists the settable
//! paths from it, so a key is declared once.

/// One key of a table.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key.
    pub name: &'static str,
    /// Whether an override may name it.
    pub settable: bool,
}

const fn set(name: &'static str) -> Key {
    Key {
        name,
        settable: true,
    }
}

const fn fixed(name: &'static str) -> Key {
    Key {
        name,
        settable: false,
    }
}

/// The top level.
pub const TOP: &[Key] = &[
    fixed("name"),
    fixed("title"),
    set("salary_growth"),
    set("salary_path"),
    set("on_cost"),
    fixed("stress"),
    fixed("forecasters"),
    fixed("pay_scale"),
    fixed("factors"),
    fixed("uncertainty"),
    fixed("areas"),
    fixed("supply"),
    fixed("demand"),
    fixed("interventions"),
];

/// An input written as a table (`{ base = …, dist = "…" }`).
pub const INPUT: &[Key] = &[
    fixed("base"),
    fixed("dist"),
    fixed("apply"),
    fixed("factor"),
    fixed("rho"),
    fixed("note"),
];

/// `[uncertainty]`.
pub const UNCERTAINTY: &[Key] = &[
    fixed("workforce_2020"),
    fixed("demand_ratio"),
    fixed("flow_rate"),
    fixed("skill_mix"),
    fixed("band"),
];

/// The families of `[uncertainty]` whose tables are [`FAMILY`].
pub const FAMILIES: &[&str] = &["workforce_2020", "demand_ratio", "flow_rate"];

/// `[uncertainty.workforce_2020]`, `[uncertainty.demand_ratio]`,
/// `[uncertainty.flow_rate]`.
pub const FAMILY: &[Key] = &[
    set("dist"),
    set("apply"),
    set("factor"),
    set("rho"),
    fixed("note"),
];

/// `[uncertainty.skill_mix]`.
pub const SKILL_MIX: &[Key] = &[set("concentration"), fixed("note")];

/// `[uncertainty.band]`.
pub const BAND_UNCERTAINTY: &[Key] = &[set("steps"), set("p"), fixed("note")];

/// `[factors.NAME]`.
pub const FACTOR: &[Key] = &[set("per_scenario"), fixed("description")];

/// `[pay_scale.BAND]`.
pub const PAY_BAND: &[Key] = &[set("top"), set("min")];

/// `[areas.AREA]`.
pub const AREA: &[Key] = &[
    fixed("family"),
    set("workforce_2020"),
    set("band"),
    set("levels_2020"),
    fixed("typical_trust"),
];

/// `[supply.AREA]`.
pub const SUPPLY: &[Key] = &[set("supply_2030"), set("flow_rate"), set("extra_inflow")];

/// `[demand.SCENARIO.AREA]`.
pub const DEMAND: &[Key] = &[
    set("demand_2030"),
    set("ratio"),
    set("levels_2030"),
    set("concentration"),
];

/// `[forecasters]`.
pub const FORECASTERS: &[Key] = &[
    set("returns"),
    set("mode"),
    set("missing"),
    fixed("weights"),
    fixed("note"),
];

/// `[interventions.NAME]`.
pub const INTERVENTION: &[Key] = &[
    fixed("description"),
    set("active"),
    fixed("intake"),
    fixed("retention"),
    fixed("pay"),
    fixed("cost"),
];

/// `[interventions.NAME.intake]`.
pub const INTAKE: &[Key] = &[
    set("areas"),
    set("per_year"),
    set("start"),
    set("ramp"),
    set("completion"),
    set("attrition"),
];

/// `[interventions.NAME.retention]`.
pub const RETENTION: &[Key] = &[set("areas"), set("delta"), set("start")];

/// `[interventions.NAME.pay]`.
pub const PAY_LEVER: &[Key] = &[
    set("areas"),
    set("uplift"),
    set("start"),
    set("flow_effect"),
    fixed("note"),
];

/// `[interventions.NAME.cost]`.
pub const PROGRAMME_COST: &[Key] = &[set("per_entrant"), set("per_year"), set("start")];

/// The lever tables of an intervention and their keys.
pub const LEVERS: &[(&str, &[Key])] = &[
    ("intake", INTAKE),
    ("retention", RETENTION),
    ("pay", PAY_LEVER),
    ("cost", PROGRAMME_COST),
];

/// The names of `keys`, for the reader's check.
pub fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

/// The settable keys of `keys`, each under `prefix`.
pub fn settable(prefix: &str, keys: &[Key]) -> impl Iterator<Item = String> {
    keys.iter()
        .filter(|k| k.settable)
        .map(move |k| format!("{prefix}{}", k.name))
}
