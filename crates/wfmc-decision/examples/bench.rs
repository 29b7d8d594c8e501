//! Wall-clock timings of the heavier routines (release build):
//! `cargo run --release --example bench`.

use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wfmc_decision::voi::{self, Method};
use wfmc_decision::{cart, prim};

fn uniform(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..d)
        .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
        .collect()
}

fn time<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    println!("{label:<55} {:>8.3} s", t.elapsed().as_secs_f64());
    out
}

fn main() {
    let (n, d) = (100_000, 60);
    let x = uniform(n, d, 1);
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let y: Vec<bool> = (0..n)
        .map(|i| (x[0][i] > 0.6 && x[1][i] < 0.5) ^ (rng.random::<f64>() < 0.1))
        .collect();
    let t = time("prim: n = 100,000, 60 inputs (noisy box)", || {
        prim::prim(&x, &y, &prim::Options::default()).unwrap()
    });
    println!(
        "  steps {}, restricted in last box {:?}",
        t.steps.len(),
        t.restricted(t.steps.len() - 1).unwrap_or_default()
    );
    let tree = time("cart: n = 100,000, 60 inputs, min leaf 5 %", || {
        cart::cart(&x, &y, &cart::Options::default()).unwrap()
    });
    println!("  leaves {}", tree.leaves().len());

    for n in [10_000, 100_000] {
        let th = uniform(n, 30, 3);
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let inb: Vec<f64> = (0..n)
            .map(|i| {
                (6.0 * th[0][i]).sin() + 2.0 * th[1][i] * th[2][i] - 0.8
                    + th[3][i].powi(2)
                    + 0.5 * (rng.random::<f64>() - 0.5)
            })
            .collect();
        let other: Vec<f64> = (0..n).map(|i| 0.3 * th[4][i] - 0.2).collect();
        let nb = vec![vec![0.0; n], inb, other];
        let e = time(
            &format!("evppi Gam, 1 input, n = {n}, K = 3, 100 bootstraps"),
            || voi::evppi(&nb, &th[..1], Method::Gam, 1).unwrap(),
        );
        println!("  {e:?}");
        let e = time(
            &format!("evppi Gam, 2 inputs, n = {n}, K = 3, 100 bootstraps"),
            || voi::evppi(&nb, &th[1..3], Method::Gam, 1).unwrap(),
        );
        println!("  {e:?}");
        if n <= 20_000 {
            let n2 = 20_000;
            let th = uniform(n2, 30, 5);
            let inb: Vec<f64> = (0..n2)
                .map(|i| {
                    (6.0 * th[0][i]).sin() + 2.0 * th[1][i] * th[2][i] - 0.8 + th[3][i].powi(2)
                })
                .collect();
            let nb = vec![vec![0.0; n2], inb];
            let e = time(
                "evppi Mars, 30 inputs, n = 20,000, K = 2, 100 bootstraps",
                || voi::evppi(&nb, &th, Method::Mars, 1).unwrap(),
            );
            println!("  {e:?} (EVPI {:?})", voi::evpi(&nb).unwrap());
        }
    }
}
