//! The report's published outputs, with their source lines, for side-by-side tables
//! and for the tests that pin the point model to them.
//!
//! These are outputs of the report, not inputs: the config holds the inputs. Each
//! figure names its table, or for figures in the running text the line of the text
//! copy of the report the project works from; they apply to configs of the
//! report's dimensions ([`crate::dims::Dims::is_report`]).

/// One published row of Tables 3.1–3.3 (Data Driven Future).
#[derive(Debug, Clone, Copy)]
pub struct TableRow {
    /// Area, or `None` for the "Total workforce" row.
    pub area: Option<&'static str>,
    /// Line of the Table 3.1 row.
    pub line_t31: u32,
    /// Line of the Table 3.2 row.
    pub line_t32: u32,
    /// Line of the Table 3.3 row.
    pub line_t33: u32,
    /// Table 3.1: change 2020→2030, WTE.
    pub change_wte: f64,
    /// Table 3.1: change, per cent (rounded to whole per cent).
    pub change_pct: f64,
    /// Table 3.2: projected supply 2030, WTE.
    pub supply_2030: f64,
    /// Table 3.2: shortfall (−) or excess (+), WTE.
    pub gap_2030: f64,
    /// Table 3.3: salary and on-costs 2020, £m.
    pub cost_2020_m: f64,
    /// Table 3.3: salary and on-costs 2030, £m.
    pub cost_2030_m: f64,
}

macro_rules! row {
    ($a:expr, $l1:expr, $l2:expr, $l3:expr, $cw:expr, $cp:expr, $s:expr, $g:expr, $c0:expr, $c1:expr) => {
        TableRow {
            area: $a,
            line_t31: $l1,
            line_t32: $l2,
            line_t33: $l3,
            change_wte: $cw as f64,
            change_pct: $cp as f64,
            supply_2030: $s as f64,
            gap_2030: $g as f64,
            cost_2020_m: $c0 as f64,
            cost_2030_m: $c1 as f64,
        }
    };
}

/// Tables 3.1, 3.2 and 3.3 as printed (Data Driven Future).
pub const TABLES_3: [TableRow; 10] = [
    row!(
        Some("clinical_coding"),
        327,
        356,
        453,
        -459,
        -13,
        5169,
        2068,
        116,
        132
    ),
    row!(
        Some("health_records"),
        328,
        357,
        454,
        -295,
        -2,
        13199,
        884,
        411,
        524
    ),
    row!(
        Some("information_management"),
        329,
        358,
        455,
        7848,
        97,
        8173,
        -7788,
        335,
        860
    ),
    row!(Some("ict"), 330, 359, 456, 5556, 34, 24701, 2738, 839, 1465),
    row!(
        Some("clinical_informatics"),
        331,
        360,
        457,
        11953,
        672,
        3088,
        -10643,
        124,
        1249
    ),
    row!(
        Some("knowledge_management"),
        332,
        361,
        458,
        1411,
        179,
        545,
        -1654,
        33,
        119
    ),
    row!(
        Some("it_programmes_project_management"),
        333,
        362,
        459,
        3118,
        179,
        4105,
        -754,
        105,
        381
    ),
    row!(
        Some("it_strategy_development"),
        334,
        363,
        460,
        2606,
        325,
        988,
        -2419,
        80,
        442
    ),
    row!(
        Some("it_education_training"),
        335,
        364,
        461,
        175,
        83,
        267,
        -120,
        13,
        30
    ),
    row!(None, 336, 365, 462, 31914, 69, 60235, -17688, 2054, 5220),
];

/// Published 2030 demand, Data Driven Future (Table 3.1), WTE; total last.
pub const DEMAND_2030_A: [(Option<&str>, f64, u32); 10] = [
    (Some("clinical_coding"), 3101.0, 327),
    (Some("health_records"), 12315.0, 328),
    (Some("information_management"), 15961.0, 329),
    (Some("ict"), 21963.0, 330),
    (Some("clinical_informatics"), 13731.0, 331),
    (Some("knowledge_management"), 2199.0, 332),
    (Some("it_programmes_project_management"), 4859.0, 333),
    (Some("it_strategy_development"), 3407.0, 334),
    (Some("it_education_training"), 387.0, 335),
    (None, 77923.0, 336),
];

/// A figure stated in the running text, with the rounding the text uses.
#[derive(Debug, Clone, Copy)]
pub struct TextFigure {
    /// Area, or `None` for the whole workforce.
    pub area: Option<&'static str>,
    /// The number as printed.
    pub value: f64,
    /// The text rounds to the nearest multiple of this.
    pub rounding: f64,
    /// Source line.
    pub line: u32,
}

macro_rules! tf {
    ($a:expr, $v:expr, $r:expr, $l:expr) => {
        TextFigure {
            area: $a,
            value: $v as f64,
            rounding: $r as f64,
            line: $l,
        }
    };
}

/// Data Desert 2030 demand stated in each area section ("to the forecasted required
/// size of …"), WTE.
pub const DEMAND_2030_B: [TextFigure; 10] = [
    tf!(Some("clinical_coding"), 3225, 25, 980),
    tf!(Some("health_records"), 9400, 25, 1129),
    tf!(Some("information_management"), 7150, 25, 1284),
    tf!(Some("ict"), 8675, 25, 1438),
    tf!(Some("clinical_informatics"), 3825, 25, 1594),
    tf!(Some("knowledge_management"), 1125, 25, 1777),
    tf!(Some("it_programmes_project_management"), 1125, 25, 1920),
    tf!(Some("it_strategy_development"), 250, 25, 2131),
    tf!(Some("it_education_training"), 100, 25, 2287),
    tf!(None, 34850, 50, 373),
];

/// Data Desert 2030 gap stated in each area section (surplus +, shortfall −), WTE.
/// The text rounds to 25 mostly, but "around 1,000", "around 3,000" and "around 16,000" are coarser.
pub const GAP_2030_B: [TextFigure; 9] = [
    tf!(Some("clinical_coding"), 1950, 25, 994),
    tf!(Some("health_records"), 3800, 25, 1146),
    tf!(Some("information_management"), 1000, 50, 1290),
    tf!(Some("ict"), 16000, 100, 1454),
    tf!(Some("clinical_informatics"), -725, 25, 1609),
    tf!(Some("knowledge_management"), -575, 25, 1787),
    tf!(Some("it_programmes_project_management"), 3000, 50, 1935),
    tf!(Some("it_strategy_development"), 750, 25, 2148),
    tf!(Some("it_education_training"), 170, 10, 2303),
];

/// Cost of a workforce held at its 2020 size, 2030, stated per section ("baseline
/// costs"), £m.
pub const FLAT_COST_2030_M: [TextFigure; 10] = [
    tf!(Some("clinical_coding"), 151, 1, 1074),
    tf!(Some("health_records"), 536, 1, 1207),
    tf!(Some("information_management"), 437, 1, 1369),
    tf!(Some("ict"), 1100, 100, 1528),
    tf!(Some("clinical_informatics"), 162, 1, 1708),
    tf!(Some("knowledge_management"), 42, 1, 1869),
    tf!(Some("it_programmes_project_management"), 136, 1, 2069),
    tf!(Some("it_strategy_development"), 104, 1, 2209),
    tf!(Some("it_education_training"), 17, 1, 2366),
    tf!(None, 2700, 100, 439),
];

/// Table 3.3's printed total 2030 cost (£5,220m, its total row) disagrees with the sum of its
/// own rows (£5,202m). Both are shown wherever the total appears.
pub const T33_TOTAL_2030_PRINTED_M: f64 = 5220.0;

/// What Table 3.3's rows add to for 2030, £m (the printed total says otherwise).
pub fn t33_rows_total_2030_m() -> f64 {
    TABLES_3
        .iter()
        .filter(|r| r.area.is_some())
        .map(|r| r.cost_2030_m)
        .sum()
}

/// Table 3.1's printed 2020 total (46,009 WTE, its total row) is one less than the sum of its
/// rows (46,010); its printed change (+31,914) is one more than 77,923 − 46,010.
pub const T31_TOTAL_2020_PRINTED: f64 = 46009.0;

/// True when `ours` rounds to `published` at the given rounding step, allowing the
/// half-step either way that rounding to that step implies.
pub fn agrees(ours: f64, published: f64, rounding: f64) -> bool {
    (ours - published).abs() <= rounding / 2.0 + 1e-9
}
