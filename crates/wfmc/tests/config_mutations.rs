//! Property: whatever a hand edit does to the default config, wfmc either reports
//! located problems or evaluates the model; it never panics.

use proptest::prelude::*;
use rand::SeedableRng;
use wfmc::Config;
use wfmc::config::BUILTIN_TOML;

/// Cases tried per run (the note of the bad-input issue reports the count).
const CASES: u32 = 3000;

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Replace the n-th number in the text.
    Number(usize, String),
    /// Replace one byte with a character often found in TOML.
    Char(usize, char),
    Truncate(usize),
    Insert(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let number = prop_oneof![
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("1e308".to_string()),
        Just("1e-320".to_string()),
        Just("\"x\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        (-5i64..100_000).prop_map(|x| x.to_string()),
    ];
    let junk = prop_oneof![
        Just("[areas.nowhere]".to_string()),
        Just("x = 1".to_string()),
        Just("ratio = \"normal(1, 0)\"".to_string()),
        Just("flow_rate = \"empirical([])\"".to_string()),
        Just("band = { base = \"8a\", dist = \"categorical(8a=2)\" }".to_string()),
        Just("salary_path = [9, 9, 9]".to_string()),
        Just("extends = \"/nonexistent.toml\"".to_string()),
        Just("[forecasters]\nreturns = \"/nonexistent.csv\"".to_string()),
        "[a-z_\\.=\\[\\]\"0-9 ]{0,30}",
    ];
    prop_oneof![
        (0usize..400).prop_map(Edit::DeleteLine),
        (0usize..400).prop_map(Edit::DuplicateLine),
        (0usize..400, 0usize..400).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (0usize..600, number).prop_map(|(i, n)| Edit::Number(i, n)),
        (
            0usize..20_000,
            prop::sample::select(vec![
                '[', ']', '=', '"', '.', '\n', '#', '-', ',', '{', '}', 'x', '0'
            ])
        )
            .prop_map(|(i, c)| Edit::Char(i, c)),
        (0usize..20_000).prop_map(Edit::Truncate),
        (0usize..400, junk).prop_map(|(i, j)| Edit::Insert(i, j)),
    ]
}

fn apply(text: &str, e: &Edit) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    if lines.is_empty() {
        lines.push(String::new());
    }
    match e {
        Edit::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Edit::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Edit::SwapLines(a, b) => lines.swap(a % n, b % n),
        Edit::Insert(i, j) => lines.insert(i % n, j.clone()),
        Edit::Number(k, v) => {
            // The k-th run of digits (modulo how many there are).
            let text = lines.join("\n");
            let spans: Vec<(usize, usize)> = {
                let b = text.as_bytes();
                let mut v = vec![];
                let mut i = 0;
                while i < b.len() {
                    if b[i].is_ascii_digit() {
                        let s = i;
                        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                            i += 1;
                        }
                        v.push((s, i));
                    } else {
                        i += 1;
                    }
                }
                v
            };
            let Some(&(s, t)) = spans.get(k % spans.len().max(1)) else {
                return text;
            };
            return format!("{}{}{}", &text[..s], v, &text[t..]);
        }
        Edit::Char(i, c) => {
            let text = lines.join("\n");
            let mut chars: Vec<char> = text.chars().collect();
            let at = i % chars.len();
            chars[at] = *c;
            return chars.into_iter().collect();
        }
        Edit::Truncate(i) => {
            let text = lines.join("\n");
            let at = text
                .char_indices()
                .nth(i % text.chars().count())
                .map_or(0, |(b, _)| b);
            return text[..at].to_string();
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_config_is_a_located_error_or_a_model(edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = BUILTIN_TOML.to_string();
        for e in &edits {
            text = apply(&text, e);
        }
        match Config::from_str(&text, "mutated.toml") {
            Ok(cfg) => {
                // The point model and a few draws run (values may be odd; no panic).
                let p = wfmc::model::point(&cfg);
                let len = wfmc::model::Layout::of(&cfg.dims).len();
                prop_assert_eq!(p.len(), len);
                let s = wfmc::sampling::Sampler::new(&cfg);
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
                let mut raw = vec![0.0; s.raw_len()];
                let mut x = s.base().clone();
                let mut out = vec![0.0; len];
                for _ in 0..8 {
                    s.sample(&mut rng, &mut raw, &mut x);
                    wfmc::model::evaluate(&x, &mut out);
                }
                let _ = wfmc::sensitivity::tornado::run(&cfg);
            }
            Err(e) => {
                prop_assert!(e.problems().next().is_some() || e.to_string().contains("problem"));
                prop_assert!(e.to_string().contains("mutated.toml"), "{}", e);
            }
        }
    }
}
