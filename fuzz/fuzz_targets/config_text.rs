//! Fuzz target: any config text is either a located error or a model that
//! evaluates; nothing panics. Seeded from the default config (fuzz/seeds/).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match wfmc::Config::from_str(&text, "fuzz.toml") {
        Ok(cfg) => {
            let p = wfmc::model::point(&cfg);
            assert_eq!(p.len(), wfmc::model::Layout::LEN);
            let s = wfmc::sampling::Sampler::new(&cfg);
            let mut rng = wfmc::sampling::chunk_rng(1, 0);
            let mut raw = vec![0.0; s.raw_len()];
            let mut x = s.base().clone();
            let mut out = vec![0.0; wfmc::model::Layout::LEN];
            for _ in 0..4 {
                s.sample(&mut rng, &mut raw, &mut x);
                wfmc::model::evaluate(&x, &mut out);
            }
        }
        Err(e) => assert!(e.rendered.contains("fuzz.toml")),
    }
});
