//! `--variant 'NAME: ARGS'`: a named variant of a comparison, its ARGS the
//! command line's own `--stress`, `--intervention` and `--set`.

use wfmc::jobs::VariantSpec;

/// Parses `NAME: ARGS`, ARGS being `--stress NAME`, `--intervention NAME` and
/// `--set PATH=VALUE` as on the command line (quotes group words), e.g.
/// `realised-pay: --stress realised-pay` or `ict+: --set supply.ict.flow_rate=0.05`.
pub fn parse(text: &str) -> Result<VariantSpec, String> {
    let bad = |why: &str| {
        format!(
            "--variant `{text}`: {why}; expected NAME: ARGS, e.g. 'realised-pay: --stress realised-pay' or 'ict: --set supply.ict.flow_rate=0.05'"
        )
    };
    let (name, args) = text.split_once(':').ok_or_else(|| bad("no `:`"))?;
    let words = shell_words(args).map_err(|e| bad(&e))?;
    let mut v = VariantSpec {
        name: name.trim().to_string(),
        ..Default::default()
    };
    let mut it = words.into_iter();
    while let Some(flag) = it.next() {
        let (flag, inline) = match flag.split_once('=') {
            Some((f, rest)) if f.starts_with("--") => (f.to_string(), Some(rest.to_string())),
            _ => (flag, None),
        };
        let value = match inline {
            Some(x) => x,
            None => it
                .next()
                .ok_or_else(|| bad(&format!("{flag} needs a value")))?,
        };
        match flag.as_str() {
            "--stress" => v.stress.push(value),
            "--intervention" | "--portfolio" => v.interventions.push(value),
            "--set" => v.set.push(value),
            other => {
                return Err(bad(&format!(
                    "`{other}`: only --stress, --intervention and --set"
                )));
            }
        }
    }
    Ok(v)
}

/// Words of `s` split on blanks, with '…' and "…" grouping (no escapes).
fn shell_words(s: &str) -> Result<Vec<String>, String> {
    let (mut out, mut cur, mut quote, mut any) = (vec![], String::new(), None, false);
    for ch in s.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if quote.is_some() {
        return Err("an unclosed quote".into());
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_read_like_the_command_line() {
        let v =
            parse("pay: --stress realised-pay --set 'salary_growth=normal(0.03, 0.01)'").unwrap();
        assert_eq!(v.name, "pay");
        assert_eq!(v.stress, ["realised-pay"]);
        assert_eq!(v.set, ["salary_growth=normal(0.03, 0.01)"]);
        let v = parse("both: --intervention=a+b").unwrap();
        assert_eq!(v.interventions, ["a+b"]);
        for bad in ["no colon", "x: --stress", "x: --draws 5", "x: --set 'open"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
