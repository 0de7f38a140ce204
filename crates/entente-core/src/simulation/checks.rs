//! Checks on a run's results that catch a scenario saying less than it seems
//! to: an option whose results equal another option's in every draw changes
//! nothing the models compute (its edits are already in force, or touch no
//! actor), and any claim comparing the two is vacuous.

use super::{DrawResult, OptionResult};

/// An option whose results are bit-identical to an earlier option's in every draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdenticalOption {
    pub option: String,
    /// The first option it equals.
    pub same_as: String,
    /// Draws compared.
    pub draws: usize,
}

impl std::fmt::Display for IdenticalOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "option `{}` gives results bit-identical to `{}` in all {} draws (spending, threat, alignment, bargaining and every claim metric): its edits change nothing the models compute, so claims comparing the two say nothing",
            self.option, self.same_as, self.draws
        )
    }
}

/// Bitwise equality of two floats (NaN equals NaN: both are "missing").
fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Whether two options' results agree in every value.
fn same_result(a: &OptionResult, b: &OptionResult) -> bool {
    a.milex.len() == b.milex.len()
        && a.milex.iter().zip(&b.milex).all(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        })
        && same(&a.theta, &b.theta)
        && a.coalition == b.coalition
        && same(&a.region_share, &b.region_share)
        && a.bargaining_median.to_bits() == b.bargaining_median.to_bits()
        && same(&a.claim_values, &b.claim_values)
}

/// Each option identical to an earlier one in every draw (none when there are no draws).
pub fn identical_options(results: &[DrawResult]) -> Vec<IdenticalOption> {
    let Some(first) = results.first() else {
        return Vec::new();
    };
    let n = first.options.len();
    let mut out = Vec::new();
    for j in 1..n {
        let twin = (0..j).find(|&i| {
            results
                .iter()
                .all(|r| same_result(&r.options[i], &r.options[j]))
        });
        if let Some(i) = twin {
            out.push(IdenticalOption {
                option: first.options[j].option.clone(),
                same_as: first.options[i].option.clone(),
                draws: results.len(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(name: &str, theta: f64) -> OptionResult {
        OptionResult {
            option: name.into(),
            milex: vec![Some(vec![1.0, 2.0]), None],
            theta: vec![theta, f64::NAN],
            coalition: vec![0, 1],
            region_share: vec![0.5, 0.5],
            bargaining_median: 50.0,
            claim_values: vec![f64::NAN],
        }
    }

    fn draw(d: usize, opts: Vec<OptionResult>) -> DrawResult {
        DrawResult {
            draw: d,
            params: vec![0.0],
            options: opts,
        }
    }

    #[test]
    fn an_option_equal_in_every_draw_is_found_and_one_differing_draw_clears_it() {
        let same = vec![
            draw(0, vec![opt("a", 0.1), opt("b", 0.2), opt("c", 0.1)]),
            draw(1, vec![opt("a", 0.3), opt("b", 0.2), opt("c", 0.3)]),
        ];
        let found = identical_options(&same);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].option.as_str(), found[0].same_as.as_str()),
            ("c", "a")
        );
        assert!(found[0].to_string().contains("all 2 draws"));
        let mut differ = same.clone();
        differ[1].options[2].theta[0] = 0.3 + 1e-15;
        assert!(identical_options(&differ).is_empty());
        // A missing spending path in one option only is a difference.
        let mut gap = same;
        gap[0].options[2].milex[0] = None;
        assert!(identical_options(&gap).is_empty());
        assert!(identical_options(&[]).is_empty());
    }
}
