//! Spearman rank correlation of each sampled input with each analysed output,
//! streamed from the main Monte Carlo run (spec §5, the @RISK / Crystal Ball view).
//! The streaming statistic, and how accurate it is: [`crate::stats::ranks`].

use crate::stats::ranks::RankCorr;

/// `correlation.csv`: Spearman's ρ of each ranked input with each output of its
/// scenario. `inputs` are the ranked inputs' names and scenarios, in state order.
pub fn csv(inputs: &[(String, Option<usize>)], r: &RankCorr) -> String {
    let mut s = String::from("scenario,output,input,spearman\n");
    for (o, out) in crate::model::outputs().iter().enumerate() {
        for (i, (name, sc)) in inputs.iter().enumerate() {
            if sc.is_some_and(|sc| sc != out.scenario) {
                continue;
            }
            s.push_str(&format!(
                "{},{},{},{}\n",
                crate::dims::Scenario::ALL[out.scenario].key(),
                out.name,
                name,
                crate::sensitivity::csv_num(r.spearman(i, o))
            ));
        }
    }
    s
}
