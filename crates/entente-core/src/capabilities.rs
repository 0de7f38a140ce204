//! The Correlates of War composite index of national capability (CINC).
//!
//! CINC is each state's share of the system total of six components, averaged
//! over the components that are present for that state (COW's definition).

/// The six NMC components of one state-year, in NMC's units.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Components {
    pub milex_k: Option<f64>,
    pub milper_k: Option<f64>,
    pub irst_kt: Option<f64>,
    pub pec_kt_coal: Option<f64>,
    pub tpop_k: Option<f64>,
    pub upop_k: Option<f64>,
}

impl Components {
    pub fn as_array(&self) -> [Option<f64>; 6] {
        [
            self.milex_k,
            self.milper_k,
            self.irst_kt,
            self.pec_kt_coal,
            self.tpop_k,
            self.upop_k,
        ]
    }
    pub fn all_present(&self) -> bool {
        self.as_array().iter().all(Option::is_some)
    }
}

/// CINC of every state in one system-year. A state with no component present
/// gets `None`; a component whose system total is zero is skipped for all.
pub fn cinc(states: &[Components]) -> Vec<Option<f64>> {
    let mut totals = [0.0f64; 6];
    for s in states {
        for (t, v) in totals.iter_mut().zip(s.as_array()) {
            if let Some(v) = v {
                *t += v;
            }
        }
    }
    states
        .iter()
        .map(|s| {
            let (sum, n) = s
                .as_array()
                .iter()
                .zip(totals)
                .filter_map(|(v, t)| v.filter(|_| t > 0.0).map(|v| v / t))
                .fold((0.0, 0u32), |(a, n), x| (a + x, n + 1));
            (n > 0).then(|| sum / n as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(x: f64) -> Components {
        Components {
            milex_k: Some(x),
            milper_k: Some(x),
            irst_kt: Some(x),
            pec_kt_coal: Some(x),
            tpop_k: Some(x),
            upop_k: Some(x),
        }
    }

    #[test]
    fn shares_sum_to_one_when_complete() {
        let c = cinc(&[full(1.0), full(3.0)]);
        assert_eq!(c, vec![Some(0.25), Some(0.75)]);
    }

    #[test]
    fn missing_components_are_skipped_not_zero() {
        let mut a = full(1.0);
        a.milex_k = None;
        let c = cinc(&[a, full(1.0)]);
        // a's milex is missing, so its CINC averages five shares of 1/2.
        assert!((c[0].unwrap() - 0.5).abs() < 1e-15);
        assert_eq!(cinc(&[Components::default()]), vec![None]);
    }
}
