//! Which keys an override (a setting, a sweep's `vary`, a stress profile) may name.
//! A table's keys are declared once, by its raw struct ([`super::raw`]); this module
//! lists only those of each that are *not* settable (names, comments, the tables
//! that hold others), and [`super::overrides::settable_paths`] lists the rest.

use super::raw::{self, Years};
use serde::de::DeserializeOwned;

/// Top-level keys that are not settable.
pub const TOP_FIXED: &[&str] = &[
    "name",
    "title",
    "dimensions",
    "stress",
    "forecasters",
    "pay_scale",
    "factors",
    "uncertainty",
    "areas",
    "supply",
    "demand",
    "interventions",
];

/// Keys of `[areas.AREA]` that are not settable.
pub const AREA_FIXED: &[&str] = &["family", "typical_trust"];

/// Keys of `[interventions.NAME]` that are not settable.
pub const INTERVENTION_FIXED: &[&str] = &["description", "intake", "retention", "pay", "cost"];

/// Keys of `[forecasters]` that are not settable.
pub const FORECASTERS_FIXED: &[&str] = &["weights", "note"];

/// Comments and descriptions, settable nowhere.
pub const NEVER: &[&str] = &["note", "description"];

/// The families of `[uncertainty]` whose tables are [`raw::Family`].
pub const FAMILIES: &[&str] = &["workforce_{base}", "demand_ratio", "flow_rate"];

/// The lever tables of an intervention, and whether each is given by
/// [`raw::Intake`], [`raw::Retention`], [`raw::PayLever`] or [`raw::ProgrammeCost`].
pub const LEVERS: &[&str] = &["intake", "retention", "pay", "cost"];

/// The settable keys of table `T` (its keys but `fixed` and [`NEVER`]), each under
/// `prefix`.
pub fn settable<T: DeserializeOwned>(prefix: &str, years: Years, fixed: &[&str]) -> Vec<String> {
    raw::keys::<T>(years)
        .into_iter()
        .filter(|k| !fixed.contains(&k.as_str()) && !NEVER.contains(&k.as_str()))
        .map(|k| format!("{prefix}{k}"))
        .collect()
}

/// The settable keys of lever table `lever` of an intervention.
pub fn lever_settable(lever: &str, prefix: &str, years: Years) -> Vec<String> {
    match lever {
        "intake" => settable::<raw::Intake>(prefix, years, &[]),
        "retention" => settable::<raw::Retention>(prefix, years, &[]),
        "pay" => settable::<raw::PayLever>(prefix, years, &[]),
        _ => settable::<raw::ProgrammeCost>(prefix, years, &[]),
    }
}
