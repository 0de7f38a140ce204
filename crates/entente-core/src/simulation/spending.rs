//! The spending link as the flagship ran it before the fitted spending model:
//! trend growth with noise, a level response to the change in threat
//! (Nordhaus, Oneal and Russett 2012) and a Richardson-type reaction to
//! threatening states' increases. Kept only until the fitted model replaces it.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::ids::Ccode;
use crate::world::{Archive, World, WorldError};

/// Spending baseline of one state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendingBase {
    /// Constant 2023 US$ m in the base year.
    pub level: f64,
    /// Mean annual log growth over the ten years before the base year.
    pub growth: f64,
}

/// Each actor's base-year level and trailing ten-year growth (data up to the
/// base year only).
pub fn bases(
    archive: &Archive,
    actors: &[Ccode],
    base_year: i32,
) -> Result<Vec<Option<SpendingBase>>, WorldError> {
    let mut history: Vec<Vec<Option<f64>>> = vec![Vec::new(); actors.len()];
    let first = (base_year - 10).max(archive.coverage().first_year);
    for y in first..=base_year {
        let w = World::for_year(archive, y)?;
        for (i, c) in actors.iter().enumerate() {
            history[i].push(w.state(*c).and_then(|s| s.milex.const2023_usd_m.value));
        }
    }
    Ok(history
        .iter()
        .map(|h| {
            let level = (*h.last()?)?;
            let known: Vec<(usize, f64)> = h
                .iter()
                .enumerate()
                .filter_map(|(t, v)| v.filter(|x| *x > 0.0).map(|x| (t, x)))
                .collect();
            let growth = match (known.first(), known.last()) {
                (Some(&(t0, x0)), Some(&(t1, x1))) if t1 > t0 => (x1 / x0).ln() / (t1 - t0) as f64,
                _ => 0.0,
            };
            (level > 0.0).then_some(SpendingBase { level, growth })
        })
        .collect())
}

/// What one projection needs.
pub struct Inputs<'a> {
    pub bases: &'a [Option<SpendingBase>],
    /// Per year of the horizon (index 0 = base year) and actor: threat under
    /// the option minus threat in the base world.
    pub threat_delta: &'a [Vec<f64>],
    /// Per year and actor: whom each actor reacts to (row-normalised threat).
    pub reaction_weights: &'a [Vec<Vec<f64>>],
    /// Per year and actor: shift of annual growth (a fraction).
    pub growth_shift: &'a [Vec<f64>],
    pub horizon: usize,
}

/// The parameters of one draw.
pub struct Params {
    pub noise_sd: f64,
    pub reactivity: f64,
    /// Percent change of spending per percentage point of threat.
    pub response: f64,
}

/// Spending paths, base year to horizon; `None` for actors without a base.
/// Every actor's noise is drawn every year, so options share noise.
pub fn project(inp: &Inputs, p: &Params, rng: &mut ChaCha8Rng) -> Vec<Option<Vec<f64>>> {
    let n = inp.bases.len();
    let level_factor = |t: usize, i: usize| (1.0 + p.response * inp.threat_delta[t][i]).max(0.0);
    let mut x: Vec<Option<f64>> = inp
        .bases
        .iter()
        .enumerate()
        .map(|(i, s)| s.map(|s| s.level * level_factor(0, i)))
        .collect();
    let mut paths: Vec<Option<Vec<f64>>> = x.iter().map(|v| v.map(|v| vec![v])).collect();
    let mut prev = x.clone();
    for step in 0..inp.horizon {
        let t = step + 1;
        let weights = &inp.reaction_weights[t];
        let eps: Vec<f64> = (0..n).map(|_| standard_normal(rng)).collect();
        let next: Vec<Option<f64>> = (0..n)
            .map(|i| {
                let v = x[i]?;
                let base = inp.bases[i].map_or(0.0, |s| s.growth) + inp.growth_shift[t][i];
                let reaction: f64 = (0..n)
                    .filter_map(|j| Some(weights[i][j] * (x[j]? - prev[j]?).max(0.0)))
                    .sum();
                let mut v =
                    (v * (base + p.noise_sd * eps[i]).exp() + p.reactivity * reaction).max(0.0);
                // A change of threat mid-horizon (a dated edit) moves the level once.
                let (f0, f1) = (level_factor(t - 1, i), level_factor(t, i));
                if f1 != f0 && f0 > 0.0 {
                    v *= f1 / f0;
                }
                Some(v)
            })
            .collect();
        prev = x;
        x = next;
        for (path, v) in paths.iter_mut().zip(&x) {
            if let (Some(path), Some(v)) = (path.as_mut(), v) {
                path.push(*v);
            }
        }
    }
    paths
}

/// A standard normal variate (Box-Muller; one uniform pair per variate keeps
/// the stream's use fixed).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
