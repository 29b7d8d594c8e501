//! Classification tree (CART; Breiman, Friedman, Olshen & Stone 1984) for
//! scenario discovery, read as a set of boxes (one per leaf), as the EMA
//! Workbench's `cart` module does with scikit-learn's tree.
//!
//! Splits minimize the weighted Gini impurity of the two children. A split
//! of input j at threshold t sends `x_j <= t` left and `x_j > t` right, with
//! t the midpoint of two consecutive distinct values (scikit-learn's rule).
//! Among equally good splits the first input, then the lowest threshold,
//! wins. A node becomes a leaf when it is pure, has fewer than the minimum
//! split size, sits at the maximum depth, or has no split that lowers the
//! impurity and leaves at least the minimum leaf size on both sides.
//!
//! Each input is sorted once; every tree level then costs O(n d).

use crate::check_columns;

/// Settings of the tree; `Default` matches the workbench's CART (a minimum
/// leaf of 5 % of the points, no depth limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Largest depth (root = 0); `None` for no limit.
    pub max_depth: Option<usize>,
    /// Smallest leaf as a share of all points (0.05); the count is
    /// `max(1, floor(min_leaf * n))`, as the workbench's
    /// `int(mass_min * n)`.
    pub min_leaf: f64,
    /// Smallest node that may be split, as a share of all points (0.0); the
    /// count is at least 2.
    pub min_split: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_depth: None,
            min_leaf: 0.05,
            min_split: 0.0,
        }
    }
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// An internal node: `x[input] <= threshold` goes to `left`, else `right`
    /// (indices into [`Tree::nodes`]).
    Split {
        /// Input split on.
        input: usize,
        /// Split threshold.
        threshold: f64,
        /// Child for `x <= threshold`.
        left: usize,
        /// Child for `x > threshold`.
        right: usize,
    },
    /// A leaf holding `n` points of which `k` are cases of interest.
    Leaf {
        /// Points in the leaf.
        n: usize,
        /// Cases of interest in the leaf.
        k: usize,
    },
}

/// A fitted tree; node 0 is the root.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// All nodes, parents before children.
    pub nodes: Vec<Node>,
    /// The data's `(min, max)` per input, the limits of the root box.
    pub init: Vec<(f64, f64)>,
    /// Number of points fitted.
    pub n: usize,
    /// Number of cases of interest fitted.
    pub k: usize,
}

/// A leaf read as a box.
#[derive(Debug, Clone, PartialEq)]
pub struct LeafBox {
    /// Index of the leaf in [`Tree::nodes`].
    pub node: usize,
    /// `(lower, upper)` per input. A lower limit set by a split is strict
    /// (`x > lower`), an upper one inclusive (`x <= upper`); an input not
    /// split on keeps the data's `(min, max)`, both inclusive.
    pub limits: Vec<(f64, f64)>,
    /// Inputs restricted by the path to the leaf, ascending.
    pub restricted: Vec<usize>,
    /// Depth of the leaf.
    pub depth: usize,
    /// Points in the leaf.
    pub n: usize,
    /// Cases of interest in the leaf.
    pub k: usize,
    /// Share of all cases of interest in the leaf.
    pub coverage: f64,
    /// Share of the leaf's points that are cases of interest.
    pub density: f64,
    /// Share of all points in the leaf.
    pub mass: f64,
}

impl Tree {
    /// Every leaf as a box, in depth-first order (left before right).
    pub fn leaves(&self) -> Vec<LeafBox> {
        let mut out = Vec::new();
        let mut stack = vec![(0usize, self.init.clone(), 0usize)];
        while let Some((i, lim, depth)) = stack.pop() {
            match self.nodes[i] {
                Node::Split {
                    input,
                    threshold,
                    left,
                    right,
                } => {
                    let mut l = lim.clone();
                    l[input].1 = l[input].1.min(threshold);
                    let mut r = lim;
                    r[input].0 = r[input].0.max(threshold);
                    stack.push((right, r, depth + 1));
                    stack.push((left, l, depth + 1));
                }
                Node::Leaf { n, k } => {
                    let restricted = (0..lim.len()).filter(|&j| lim[j] != self.init[j]).collect();
                    out.push(LeafBox {
                        node: i,
                        limits: lim,
                        restricted,
                        depth,
                        n,
                        k,
                        coverage: if self.k > 0 {
                            k as f64 / self.k as f64
                        } else {
                            0.0
                        },
                        density: k as f64 / n as f64,
                        mass: n as f64 / self.n as f64,
                    });
                }
            }
        }
        out
    }

    /// Density of the leaf that `point` (one value per input) falls in.
    pub fn predict(&self, point: &[f64]) -> Result<f64, String> {
        if point.len() != self.init.len() {
            return Err(format!(
                "predict: point has {} values but the tree has {} inputs",
                point.len(),
                self.init.len()
            ));
        }
        let mut i = 0;
        loop {
            match self.nodes[i] {
                Node::Split {
                    input,
                    threshold,
                    left,
                    right,
                } => {
                    i = if point[input] <= threshold {
                        left
                    } else {
                        right
                    }
                }
                Node::Leaf { n, k } => return Ok(k as f64 / n as f64),
            }
        }
    }
}

/// Grows a classification tree on inputs `x` (one slice per input) and
/// binary outcome `y`.
pub fn cart<C: AsRef<[f64]>>(x: &[C], y: &[bool], opts: &Options) -> Result<Tree, String> {
    let n = check_columns(x, "cart inputs")?;
    if y.len() != n {
        return Err(format!(
            "cart: y has length {} but inputs have {n} rows",
            y.len()
        ));
    }
    if !(0.0..=0.5).contains(&opts.min_leaf) {
        return Err(format!(
            "cart: min_leaf must be in [0, 0.5], got {}",
            opts.min_leaf
        ));
    }
    if !(0.0..=1.0).contains(&opts.min_split) {
        return Err(format!(
            "cart: min_split must be in [0, 1], got {}",
            opts.min_split
        ));
    }
    let cols: Vec<&[f64]> = x.iter().map(|c| c.as_ref()).collect();
    let d = cols.len();
    let min_leaf = ((opts.min_leaf * n as f64) as usize).max(1);
    let min_split = ((opts.min_split * n as f64).ceil() as usize).max(2);
    let init: Vec<(f64, f64)> = cols
        .iter()
        .map(|c| {
            c.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                })
        })
        .collect();
    let sorted: Vec<Vec<u32>> = cols
        .iter()
        .map(|c| {
            let mut p: Vec<(f64, u32)> =
                c.iter().enumerate().map(|(i, &v)| (v, i as u32)).collect();
            p.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            p.into_iter().map(|p| p.1).collect()
        })
        .collect();
    let k_all = y.iter().filter(|&&b| b).count();
    let mut nodes: Vec<Node> = vec![Node::Leaf { n, k: k_all }];
    let mut go_left = vec![false; n];
    // depth-first: (node index, per-input sorted point lists, depth)
    let mut stack = vec![(0usize, sorted, 0usize)];
    while let Some((id, lists, depth)) = stack.pop() {
        let m = lists[0].len();
        let k = lists[0].iter().filter(|&&i| y[i as usize]).count();
        let stop =
            k == 0 || k == m || m < min_split || opts.max_depth.is_some_and(|md| depth >= md);
        let best = if stop {
            None
        } else {
            best_split(&cols, y, &lists, k, min_leaf)
        };
        let Some((input, threshold)) = best else {
            nodes[id] = Node::Leaf { n: m, k };
            continue;
        };
        for &i in &lists[0] {
            go_left[i as usize] = cols[input][i as usize] <= threshold;
        }
        let (mut left, mut right) = (Vec::with_capacity(d), Vec::with_capacity(d));
        for l in lists {
            let (a, b): (Vec<u32>, Vec<u32>) = l.into_iter().partition(|&i| go_left[i as usize]);
            left.push(a);
            right.push(b);
        }
        let (li, ri) = (nodes.len(), nodes.len() + 1);
        nodes.push(Node::Leaf { n: 0, k: 0 });
        nodes.push(Node::Leaf { n: 0, k: 0 });
        nodes[id] = Node::Split {
            input,
            threshold,
            left: li,
            right: ri,
        };
        stack.push((ri, right, depth + 1));
        stack.push((li, left, depth + 1));
    }
    Ok(Tree {
        nodes,
        init,
        n,
        k: k_all,
    })
}

/// Best Gini split of a node: minimizes `sum_children k_c (n_c - k_c) / n_c`
/// (proportional to the weighted Gini impurity), which must be below the
/// parent's value.
fn best_split(
    cols: &[&[f64]],
    y: &[bool],
    lists: &[Vec<u32>],
    k: usize,
    min_leaf: usize,
) -> Option<(usize, f64)> {
    let m = lists[0].len();
    let imp = |n: usize, k: usize| -> f64 { (k * (n - k)) as f64 / n as f64 };
    let parent = imp(m, k);
    let mut best: Option<(f64, usize, f64)> = None;
    for (j, l) in lists.iter().enumerate() {
        let c = cols[j];
        let mut kl = 0;
        for r in 0..m - 1 {
            kl += y[l[r] as usize] as usize;
            let nl = r + 1;
            let (a, b) = (c[l[r] as usize], c[l[r + 1] as usize]);
            if a == b || nl < min_leaf || m - nl < min_leaf {
                continue;
            }
            let score = imp(nl, kl) + imp(m - nl, k - kl);
            if score < parent && best.is_none_or(|bb| score < bb.0) {
                let mut t = (a + b) / 2.0;
                if t >= b {
                    t = a;
                }
                best = Some((score, j, t));
            }
        }
    }
    best.map(|b| (b.1, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn hand_computed_best_split() {
        // x = 1..10, y = 0 0 0 1 0 1 1 1 1 1. With k cases of interest among
        // n, score each cut by sum k(n-k)/n over both sides (parent 2.4):
        //   cut after 1: 0 + 6*3/9 = 2.0     after 2: 0 + 6*2/8 = 1.5
        //   after 3: 0 + 6*1/7 = 0.857       after 4: 3/4 + 5/6 = 1.583
        //   after 5: 4/5 + 0 = 0.8 (best)    after 6: 8/6 = 1.333
        //   after 7: 12/7 = 1.714  after 8: 16/8 = 2.0  after 9: 20/9 = 2.22
        // so the root splits at (5 + 6) / 2 = 5.5. A second input that is
        // pure noise must not be chosen.
        let x0: Vec<f64> = (1..=10).map(|v| v as f64).collect();
        let x1 = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0];
        let y = [
            false, false, false, true, false, true, true, true, true, true,
        ];
        let opts = Options {
            max_depth: Some(1),
            min_leaf: 0.1,
            min_split: 0.0,
        };
        let t = cart(&[x0, x1], &y, &opts).unwrap();
        assert_eq!(
            t.nodes[0],
            Node::Split {
                input: 0,
                threshold: 5.5,
                left: 1,
                right: 2
            }
        );
        let leaves = t.leaves();
        assert_eq!((leaves[0].n, leaves[0].k), (5, 1));
        assert_eq!((leaves[1].n, leaves[1].k), (5, 5));
        assert_eq!(leaves[1].limits[0], (5.5, 10.0));
        assert_eq!(leaves[1].coverage, 5.0 / 6.0);
        // the Gini decrease in scikit-learn's units: 0.48 - 0.5 * 0.32 = 0.32
        let gini = |n: f64, k: f64| 2.0 * (k / n) * (1.0 - k / n);
        assert!((gini(10.0, 6.0) - 0.5 * gini(5.0, 1.0) - 0.32).abs() < 1e-12);
    }

    #[test]
    fn planted_box_is_a_leaf() {
        let n = 5000;
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let mut x = vec![vec![0.0; n]; 6];
        for i in 0..n {
            for c in x.iter_mut() {
                c[i] = rng.random::<f64>();
            }
        }
        let y: Vec<bool> = (0..n).map(|i| x[0][i] > 0.7 && x[1][i] < 0.4).collect();
        let t = cart(&x, &y, &Options::default()).unwrap();
        let leaves = t.leaves();
        let hits: Vec<&LeafBox> = leaves.iter().filter(|l| l.density > 0.5).collect();
        assert_eq!(hits.len(), 1, "{leaves:?}");
        let b = hits[0];
        assert_eq!(b.restricted, vec![0, 1]);
        assert!((b.limits[0].0 - 0.7).abs() <= 0.05 && (b.limits[1].1 - 0.4).abs() <= 0.05);
        assert_eq!((b.coverage, b.density), (1.0, 1.0));
        // leaves partition the data
        assert_eq!(leaves.iter().map(|l| l.n).sum::<usize>(), n);
        let p = (0..n)
            .filter(|&i| t.predict(&[x[0][i], x[1][i], 0., 0., 0., 0.]).unwrap() > 0.5)
            .count();
        assert_eq!(p, y.iter().filter(|&&b| b).count());
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(cart(&[vec![1.0, 2.0]], &[true], &Options::default()).is_err());
        assert!(cart(&[vec![1.0, f64::NAN]], &[true, false], &Options::default()).is_err());
        let bad = Options {
            min_leaf: 0.7,
            ..Options::default()
        };
        assert!(cart(&[vec![1.0, 2.0]], &[true, false], &bad).is_err());
    }
}
