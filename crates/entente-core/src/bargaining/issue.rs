//! One bargaining issue under uncertainty: each stakeholder's position and
//! salience are known only as ranges, drawn once per Monte Carlo draw, and the
//! forecast is the model's outcome for that draw.

use rand::Rng;

use super::{Actor, Config, Model};

/// A stakeholder: its capability (a stated measure of influence on the
/// decision) and the ranges its position and salience are drawn from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StakeholderDraw {
    pub capability: f64,
    /// (low, high) on the issue's scale.
    pub position: (f64, f64),
    /// (low, high) in [0, 1].
    pub salience: (f64, f64),
}

/// The forecast of one draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IssueForecast {
    /// The weighted median after the model's rounds (the mean over the cycle
    /// when the rounds cycle); NaN when there is nothing to bargain over
    /// (fewer than two stakeholders, or every position drawn equal).
    pub median: f64,
}

/// Draw every stakeholder's position and salience uniformly within its
/// ranges (two uniforms each, in order, whatever the outcome) and run the
/// model with `config`.
pub fn forecast<R: Rng>(
    stakeholders: &[StakeholderDraw],
    config: Config,
    rng: &mut R,
) -> IssueForecast {
    if stakeholders.len() < 2 {
        return IssueForecast { median: f64::NAN };
    }
    let actors: Vec<Actor> = stakeholders
        .iter()
        .map(|s| {
            let u1: f64 = rng.random();
            let u2: f64 = rng.random();
            Actor {
                capability: s.capability.max(1e-6),
                position: s.position.0 + u1 * (s.position.1 - s.position.0),
                salience: s.salience.0 + u2 * (s.salience.1 - s.salience.0),
            }
        })
        .collect();
    let Ok(model) = Model::new(actors, config) else {
        return IssueForecast { median: f64::NAN };
    };
    let run = model.run();
    // Runs cycle: the forecast is the median over the cycle where there is one.
    let median = match &run.cycle {
        Some(c) => c.median_mean,
        None => run
            .rounds
            .last()
            .map_or(run.initial.median, |r| r.forecast.median),
    };
    IssueForecast { median }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn draws_stay_in_their_ranges_and_repeat_for_a_seed() {
        let st = [
            StakeholderDraw {
                capability: 1.0,
                position: (0.0, 10.0),
                salience: (0.5, 0.6),
            },
            StakeholderDraw {
                capability: 2.0,
                position: (60.0, 70.0),
                salience: (0.2, 0.9),
            },
            StakeholderDraw {
                capability: 0.5,
                position: (30.0, 30.0),
                salience: (1.0, 1.0),
            },
        ];
        let f = |seed| forecast(&st, Config::default(), &mut ChaCha8Rng::seed_from_u64(seed));
        let a = f(1);
        assert_eq!(a, f(1));
        assert!((0.0..=70.0).contains(&a.median), "{a:?}");
        assert!(forecast(
            &st[..1],
            Config::default(),
            &mut ChaCha8Rng::seed_from_u64(1)
        )
        .median
        .is_nan());
    }
}
