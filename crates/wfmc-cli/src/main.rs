//! The `wfmc` command: parses the flags ([`args`]), turns them into the library's
//! requests and prints the outcomes ([`commands`]), and maps errors to exit codes
//! with the command line's wording ([`words`]).

mod args;
mod commands;
mod progress;
#[cfg(feature = "serve")]
mod serve;
mod variant;
mod words;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;
use std::sync::Arc;
use wfmc::jobs::{Control, Error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(&cli.command) {
        Ok(()) | Err(Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", words::message(&e));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn dispatch(command: &Command) -> Result<(), Error> {
    let control = Arc::new(Control::default());
    // The explorer's server stops on its own signals; every other job checks for
    // Ctrl-C and SIGTERM at its next chunk and leaves nothing behind.
    if !matches!(command, Command::Serve(_)) {
        progress::stop_on_signal(&control);
    }
    use commands as c;
    match command {
        Command::Point(a) => c::point(a),
        Command::Run(a) => c::run(&control, a),
        Command::Merge(a) => c::merge(&control, a),
        Command::Tornado(a) => c::tornado(&control, a),
        Command::Sobol(a) => c::sobol(&control, a),
        Command::Sweep(a) => c::sweep(&control, a),
        Command::MergeSweep(a) => c::merge_sweep(a),
        Command::Target(a) => c::target(a),
        Command::Stress(a) => c::stress(a),
        Command::Report(a) => c::report(&control, a),
        Command::Check(a) => c::check(a),
        Command::Compare(a) => c::compare(&control, a),
        Command::Discover(a) => c::discover(&control, a),
        Command::Decide(a) => c::decide(&control, a),
        Command::Serve(a) => serve(a),
    }
}

#[cfg(feature = "serve")]
fn serve(a: &args::ServeArgs) -> Result<(), Error> {
    serve::command(a)
}

#[cfg(not(feature = "serve"))]
fn serve(_: &args::ServeArgs) -> Result<(), Error> {
    Err(Error::Input(
        "this wfmc was built without the `serve` feature: build it with `cargo build --release --features serve`".into(),
    ))
}
