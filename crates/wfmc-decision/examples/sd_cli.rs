//! Runs PRIM or CART on a CSV file so the results can be compared with the
//! EMA Workbench and scikit-learn (see `python/compare_prim.py` and
//! `python/compare_cart.py`).
//!
//! `sd_cli prim IN.csv OUT.csv` reads columns `x0..x{d-1}` and a 0/1 column
//! `y`, runs [`wfmc_decision::prim::prim`] with default options and writes one
//! row per step: phase, coverage, density, mass, mean, res_dim, n, k, then the
//! lower and upper limit of every input, then the quasi-p values
//! (`-1` for a free side, as the workbench writes them).
//!
//! `sd_cli cart IN.csv OUT.csv` grows a tree with default options (minimum
//! leaf 5 % of the points) and writes one row per leaf: n, k, then the lower
//! and upper limit of every input.
//!
//! `sd_cli planted OUT.csv` writes the planted-box data set used by the
//! crate's unit test (6 uniform inputs, y = x1 > 0.7 and x2 < 0.4, 5,000
//! points, ChaCha8 seed 42).

use std::fmt::Write as _;
use std::fs;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wfmc_decision::cart;
use wfmc_decision::prim::{self, Options, Phase};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("prim") if args.len() == 4 => run(&args[2], &args[3]),
        Some("cart") if args.len() == 4 => run_cart(&args[2], &args[3]),
        Some("planted") if args.len() == 3 => planted(&args[2]),
        _ => Err("usage: sd_cli prim|cart IN.csv OUT.csv | sd_cli planted OUT.csv".into()),
    }
}

fn planted(path: &str) -> Result<(), String> {
    let (x, y) = planted_data(5000, 42);
    let mut s = String::new();
    for j in 0..x.len() {
        write!(s, "x{j},").unwrap();
    }
    s.push_str("y\n");
    for i in 0..y.len() {
        for c in &x {
            write!(s, "{},", c[i]).unwrap();
        }
        writeln!(s, "{}", y[i] as u8).unwrap();
    }
    fs::write(path, s).map_err(|e| e.to_string())
}

/// Same generator as the unit test in `src/prim.rs`.
fn planted_data(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = vec![vec![0.0; n]; 6];
    for i in 0..n {
        for c in x.iter_mut() {
            c[i] = rng.random::<f64>();
        }
    }
    let y = (0..n).map(|i| x[0][i] > 0.7 && x[1][i] < 0.4).collect();
    (x, y)
}

fn run_cart(input: &str, output: &str) -> Result<(), String> {
    let (x, y) = read(input)?;
    let tree = cart::cart(&x, &y, &cart::Options::default())?;
    let mut s = String::from("n,k");
    for j in 0..x.len() {
        write!(s, ",lo{j},hi{j}").unwrap();
    }
    s.push('\n');
    for leaf in tree.leaves() {
        write!(s, "{},{}", leaf.n, leaf.k).unwrap();
        for l in &leaf.limits {
            write!(s, ",{},{}", l.0, l.1).unwrap();
        }
        s.push('\n');
    }
    fs::write(output, s).map_err(|e| e.to_string())
}

type Data = (Vec<Vec<f64>>, Vec<bool>);

fn read(input: &str) -> Result<Data, String> {
    let text = fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let d = header.len() - 1;
    let mut x = vec![Vec::new(); d];
    let mut y = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != d + 1 {
            return Err(format!("bad row: {line}"));
        }
        for j in 0..d {
            x[j].push(f[j].trim().parse::<f64>().map_err(|e| e.to_string())?);
        }
        y.push(f[d].trim() == "1");
    }
    Ok((x, y))
}

fn run(input: &str, output: &str) -> Result<(), String> {
    let (x, y) = read(input)?;
    let d = x.len();
    let traj = prim::prim(&x, &y, &Options::default())?;
    let mut s = String::from("phase,coverage,density,mass,mean,res_dim,n,k");
    for j in 0..d {
        write!(s, ",lo{j},hi{j}").unwrap();
    }
    for j in 0..d {
        write!(s, ",qplo{j},qphi{j}").unwrap();
    }
    writeln!(s, ",meets_threshold").unwrap();
    for (i, st) in traj.steps.iter().enumerate() {
        let phase = match st.phase {
            Phase::Initial => "initial",
            Phase::Peel => "peel",
            Phase::Paste => "paste",
        };
        write!(
            s,
            "{phase},{},{},{},{},{},{},{}",
            st.coverage, st.density, st.mass, st.mean, st.n_restricted, st.n, st.k
        )
        .unwrap();
        for l in &st.limits {
            write!(s, ",{},{}", l.0, l.1).unwrap();
        }
        for q in prim::quasi_p(&x, &y, &traj, i)? {
            write!(
                s,
                ",{},{}",
                q.lower.unwrap_or(-1.0),
                q.upper.unwrap_or(-1.0)
            )
            .unwrap();
        }
        writeln!(s, ",{}", traj.meets_threshold as u8).unwrap();
    }
    fs::write(output, s).map_err(|e| e.to_string())
}
