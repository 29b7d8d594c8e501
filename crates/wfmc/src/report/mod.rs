//! What people read: [`point`] renders the point model's tables, CSV and JSON;
//! [`run`] the table a run prints; [`terminal`] the tornado, Sobol and target
//! tables and stress listings; [`charts`] draws a results folder's SVGs and [`html`]
//! its `report.html`, both from the folder's files ([`crate::results::Folder`]);
//! [`command`] the command line that reproduces a run.

pub mod charts;
pub mod command;
pub mod decision;
pub mod html;
pub mod point;
pub mod run;
pub mod terminal;

pub use command::{discover_command, run_command, with_until};

/// Formats a number with thousands separators and no decimals, like the report.
pub fn thousands(x: f64) -> String {
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out.chars().any(|c| c != '0' && c != ',') {
        format!("-{out}")
    } else {
        out
    }
}

/// A signed figure: "+1,234" or "-1,234".
pub fn signed(x: f64) -> String {
    let s = thousands(x);
    if s.starts_with('-') || s == "0" {
        s
    } else {
        format!("+{s}")
    }
}

/// `s` in single quotes for a POSIX shell (a `'` inside becomes `'\''`).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A text table with right-aligned columns after the first.
#[derive(Default)]
pub struct TextTable {
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// Adds a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Drops the columns whose first row (the header) is `header`.
    pub fn drop_columns(&mut self, header: &str) {
        let Some(head) = self.rows.first() else {
            return;
        };
        let keep: Vec<bool> = head.iter().map(|h| h != header).collect();
        for r in &mut self.rows {
            let mut i = 0;
            r.retain(|_| {
                i += 1;
                keep.get(i - 1).copied().unwrap_or(true)
            });
        }
    }

    /// Renders with a rule under the first row.
    pub fn render(&self) -> String {
        let n = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut w = vec![0; n];
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        for (ri, r) in self.rows.iter().enumerate() {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate() {
                let pad = w[i] - c.chars().count();
                if i == 0 {
                    line.push_str(c);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str("  ");
                    line.push_str(&" ".repeat(pad));
                    line.push_str(c);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if ri == 0 {
                out.push_str(&"-".repeat(w.iter().sum::<usize>() + 2 * n.saturating_sub(1)));
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_report() {
        assert_eq!(thousands(77923.4), "77,923");
        assert_eq!(thousands(-17688.0), "-17,688");
        assert_eq!(signed(175.0), "+175");
        assert_eq!(thousands(-0.2), "0");
    }
}
