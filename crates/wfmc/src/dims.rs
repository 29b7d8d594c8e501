//! The model's dimensions (spec §1): scenarios, areas of work, job levels and years.
//!
//! They are closed enums rather than strings so that every array in the model is
//! indexed by position and a misspelt name is caught once, at the config boundary.

use std::fmt;

/// First year of the projection; the baseline the report's 2020 figures describe.
pub const BASE_YEAR: u32 = 2020;
/// Last year of the projection.
pub const END_YEAR: u32 = 2030;
/// Number of yearly points, 2020 to 2030 inclusive.
pub const N_YEARS: usize = (END_YEAR - BASE_YEAR + 1) as usize;
/// Number of scenarios.
pub const N_SCENARIOS: usize = 2;
/// Number of areas of work.
pub const N_AREAS: usize = 9;
/// Number of job levels.
pub const N_LEVELS: usize = 4;

/// Calendar year of a year index (0 = 2020).
pub fn year_of(index: usize) -> u32 {
    BASE_YEAR + index as u32
}

/// Year index of a calendar year, if it lies within 2020–2030.
pub fn year_index(year: u32) -> Option<usize> {
    (BASE_YEAR..=END_YEAR)
        .contains(&year)
        .then(|| (year - BASE_YEAR) as usize)
}

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* #[doc = $label] $var),+ }

        impl $name {
            /// Every value, in the report's order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The snake_case name used in configs and outputs.
            pub fn key(self) -> &'static str {
                match self { $($name::$var => $key),+ }
            }

            /// The report's own wording, for tables people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label),+ }
            }

            /// Position in [`Self::ALL`]; the index into model arrays.
            pub fn index(self) -> usize {
                self as usize
            }

            /// Looks a value up by its snake_case key.
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == key)
            }

            /// All keys, for error messages that list what would be valid.
            pub fn keys() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.key()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

named_enum!(
    /// The report's two futures.
    Scenario {
        /// Scenario A, the "Data Driven Future".
        DataDriven = ("data_driven", "Data Driven Future (A)"),
        /// Scenario B, the "Data Desert Future".
        DataDesert = ("data_desert", "Data Desert Future (B)"),
    }
);

named_enum!(
    /// The nine areas of work of the NHS digital workforce.
    Area {
        ClinicalCoding = ("clinical_coding", "Clinical coding"),
        HealthRecords = ("health_records", "Health records"),
        InformationManagement = ("information_management", "Information management"),
        Ict = ("ict", "Information and communications technology"),
        ClinicalInformatics = ("clinical_informatics", "Clinical informatics"),
        KnowledgeManagement = ("knowledge_management", "Knowledge management"),
        ItProgrammes = ("it_programmes_project_management", "IT programmes and project management"),
        ItStrategy = ("it_strategy_development", "IT strategy and development"),
        ItEducation = ("it_education_training", "IT education and training"),
    }
);

named_enum!(
    /// The four role families that group the areas.
    Family {
        DataArchitecture = ("data_architecture", "Data architecture"),
        TechnicalInfrastructure = ("technical_infrastructure", "Technical infrastructure"),
        Application = ("application", "Application"),
        OrganisationalTransformation = ("organisational_transformation", "Organisational transformation"),
    }
);

named_enum!(
    /// Job levels of the forecasting template (report Table 5.4).
    Level {
        SeniorLeaders = ("senior_leaders", "Senior leaders"),
        Managers = ("managers", "Managers"),
        Professionals = ("professionals", "Professionals"),
        Support = ("support", "Support staff"),
    }
);

impl Area {
    /// The role family the report places this area in.
    pub fn family(self) -> Family {
        use Area::*;
        match self {
            ClinicalCoding | HealthRecords | InformationManagement => Family::DataArchitecture,
            Ict => Family::TechnicalInfrastructure,
            ClinicalInformatics | KnowledgeManagement => Family::Application,
            ItProgrammes | ItStrategy | ItEducation => Family::OrganisationalTransformation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for a in Area::ALL {
            assert_eq!(Area::from_key(a.key()), Some(*a));
        }
        assert_eq!(Area::ALL.len(), N_AREAS);
        assert_eq!(Level::ALL.len(), N_LEVELS);
        assert_eq!(Scenario::ALL.len(), N_SCENARIOS);
        assert_eq!(year_index(2030), Some(10));
        assert_eq!(year_index(2031), None);
    }
}
