//! Progress on standard error, and Ctrl-C.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use wfmc::jobs::Control;

/// Asks the running job to stop at its next check on Ctrl-C and SIGTERM, leaving
/// nothing behind.
pub fn stop_on_signal(control: &Arc<Control>) {
    let c = control.clone();
    let _ = ctrlc::set_handler(move || c.cancel.store(true, Ordering::Relaxed));
}

/// A bar on standard error, hidden when it is not a terminal; for `draws`, it
/// follows `control.done` by itself.
pub fn bar(total: u64, unit: &str, control: &Arc<Control>) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{per_sec}}  eta {{eta}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    let (b, c) = (bar.clone(), control.clone());
    if unit == "draws" {
        std::thread::spawn(move || {
            while !b.is_finished() {
                b.set_position(c.done.load(Ordering::Relaxed));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
    }
    bar
}
