//! Helpers shared by the integration tests.

/// The built-in config's text without any uncertainty: the `[uncertainty]` families
/// dropped and salary growth fixed at the report's 2.7 %.
#[allow(dead_code)]
pub fn plain_config_text() -> String {
    let mut text = String::new();
    let mut skip = false;
    for line in wfmc::config::BUILTIN_TOML.lines() {
        if line.starts_with('[') {
            skip = line.starts_with("[uncertainty");
        }
        if !skip {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.replace(
        "salary_growth = { base = 0.027, dist = \"triangular(0.010, 0.027, 0.050)\" }",
        "salary_growth = 0.027",
    )
}
