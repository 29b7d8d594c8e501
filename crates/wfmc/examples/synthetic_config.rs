//! Prints a synthetic config of any shape (ILLUSTRATIVE numbers), for measuring how
//! a run's cost grows with its dimensions:
//!
//! `cargo run --release -p wfmc --example synthetic_config -- AREAS YEARS SCENARIOS [LEVELS]`

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

fn main() {
    let n: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("whole numbers: AREAS YEARS SCENARIOS [LEVELS]")
        })
        .collect();
    if n.len() < 3 {
        eprintln!("usage: synthetic_config AREAS YEARS SCENARIOS [LEVELS]");
        std::process::exit(2);
    }
    print!(
        "{}",
        synthetic::config(n[0], n[1], n[2], n.get(3).copied().unwrap_or(4))
    );
}
