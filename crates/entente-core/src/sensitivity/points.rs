//! Point sets in the unit hypercube for experiments that are not Saltelli designs: the
//! Sobol' sequence (quasi-Monte Carlo, digitally shifted by the seed), a Latin hypercube
//! (McKay, Beckman & Conover 1979) and independent uniform points. Each is `n` points of `k`
//! coordinates, row-major, every coordinate strictly inside `(0, 1)`.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{sobol, SensitivityError, TWO_POW_32};

/// The ChaCha stream the point sets draw from: far from the streams of the draws (stream d
/// of the seed for draw d), so a design never shares words with a draw's noise.
const DESIGN_STREAM: u64 = u64::MAX;

fn rng(seed: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(DESIGN_STREAM);
    r
}

/// A uniform in `(0, 1)`: 53 random bits, centred in their cell.
fn open_unit(r: &mut ChaCha8Rng) -> f64 {
    ((r.next_u64() >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0
}

/// The first `n` points of the Sobol' sequence in `k` dimensions, each dimension XORed with
/// a 32-bit word drawn from the seed (a random digital shift).
pub fn sobol_points(k: usize, n: usize, seed: u64) -> Result<Vec<f64>, SensitivityError> {
    let seq = sobol::SobolSequence::new(k).ok_or(SensitivityError::TooManyParameters {
        parameters: k,
        max: 2 * sobol::MAX_DIMENSIONS,
    })?;
    if n > 0 && u32::try_from(n - 1).is_err() {
        return Err(SensitivityError::TooManySamples(n));
    }
    let mut r = rng(seed);
    let shifts: Vec<u32> = (0..k).map(|_| r.next_u32()).collect();
    let mut out = Vec::with_capacity(n * k);
    for j in 0..n {
        // Checked above: n - 1 fits in u32.
        let idx = j as u32;
        for (d, shift) in shifts.iter().enumerate() {
            out.push((f64::from(seq.coordinate(idx, d) ^ shift) + 0.5) / TWO_POW_32);
        }
    }
    Ok(out)
}

/// A Latin hypercube of `n` points in `k` dimensions: in each dimension the `n` strata
/// `[i/n, (i+1)/n)` hold one point each (a random permutation of the strata per
/// dimension, a uniform position inside each stratum).
pub fn latin_hypercube(k: usize, n: usize, seed: u64) -> Vec<f64> {
    let mut r = rng(seed);
    let mut out = vec![0.0; n * k];
    let mut strata: Vec<usize> = (0..n).collect();
    for d in 0..k {
        // Fisher-Yates with the seeded stream.
        for i in (1..n).rev() {
            let j = r.random_range(0..=i);
            strata.swap(i, j);
        }
        for (j, &s) in strata.iter().enumerate() {
            out[j * k + d] = in_stratum(s, jitter(&mut r), n);
        }
    }
    out
}

/// A position inside a stratum: 26 random bits, centred in their cell, so `s + jitter` is
/// exact for any stratum `s` below 2^26 (far more points than a run can have) and the point cannot round onto the next stratum's
/// edge (or onto 1, where a prior's inverse CDF is infinite).
fn jitter(r: &mut ChaCha8Rng) -> f64 {
    (f64::from(r.next_u32() >> 6) + 0.5) / 67_108_864.0
}

/// The point at `jitter` (in (0, 1)) inside stratum `s` of `n`.
fn in_stratum(s: usize, jitter: f64, n: usize) -> f64 {
    (s as f64 + jitter) / n as f64
}

/// `n` independent uniform points in `k` dimensions.
pub fn random_points(k: usize, n: usize, seed: u64) -> Vec<f64> {
    let mut r = rng(seed);
    (0..n * k).map(|_| open_unit(&mut r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_has_one_point_per_stratum_in_every_dimension() {
        let (k, n) = (5, 37);
        let p = latin_hypercube(k, n, 9);
        for d in 0..k {
            let mut strata: Vec<usize> =
                (0..n).map(|j| (p[j * k + d] * n as f64) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>(), "dimension {d}");
        }
        assert!(p.iter().all(|&u| u > 0.0 && u < 1.0));
        assert_eq!(p, latin_hypercube(k, n, 9));
        assert_ne!(p, latin_hypercube(k, n, 10));
    }

    #[test]
    fn the_largest_jitter_stays_inside_the_last_stratum_below_one() {
        let top = (f64::from(u32::MAX >> 6) + 0.5) / 67_108_864.0;
        for n in [2usize, 3, 1000, 1 << 20, 1 << 26] {
            let x = in_stratum(n - 1, top, n);
            assert!(x < 1.0 && (x * n as f64) < n as f64, "n = {n}: {x}");
            assert!(
                in_stratum(n / 2, top, n) < (n / 2 + 1) as f64 / n as f64,
                "n = {n}"
            );
        }
    }

    #[test]
    fn sobol_points_are_the_shifted_sequence_and_random_points_are_seeded() {
        let p = sobol_points(3, 8, 4).unwrap();
        let seq = sobol::SobolSequence::new(3).unwrap();
        let mut r = rng(4);
        let shifts: Vec<u32> = (0..3).map(|_| r.next_u32()).collect();
        for j in 0..8 {
            for d in 0..3 {
                let x = seq.coordinate(j as u32, d) ^ shifts[d];
                assert_eq!(p[j * 3 + d], (f64::from(x) + 0.5) / TWO_POW_32);
            }
        }
        // A shifted (0, m)-net still puts one point in each of 8 equal slices per dimension.
        for d in 0..3 {
            let mut s: Vec<usize> = (0..8).map(|j| (p[j * 3 + d] * 8.0) as usize).collect();
            s.sort_unstable();
            assert_eq!(s, (0..8).collect::<Vec<_>>());
        }
        let u = random_points(4, 100, 1);
        assert!(u.iter().all(|&x| x > 0.0 && x < 1.0));
        assert_eq!(u, random_points(4, 100, 1));
        assert_ne!(u, random_points(4, 100, 2));
        let mean = u.iter().sum::<f64>() / u.len() as f64;
        assert!((mean - 0.5).abs() < 0.05, "{mean}");
    }
}
