//! A run's experiment design: its design points (a Saltelli design, or a Sobol', Latin
//! hypercube or random point set, [`Sampler`]) and their replications. Draw `d` is
//! replication `d % R` of point `d / R`: it takes the point's parameter values and ChaCha
//! stream `d` of the seed for its noise, so replications of a point differ in their noise
//! only, and with one replication draw `d` is point `d`.

use crate::scenario::{Experiment, Sampler};
use crate::sensitivity::{self, points, Design, Run, SensitivityError};

/// The design points of a run and how often each is run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunDesign {
    sampler: Sampler,
    points: Points,
    replications: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Points {
    Saltelli(Design),
    /// `n` points of `k` coordinates, row-major.
    Plain {
        k: usize,
        n: usize,
        unit: Vec<f64>,
    },
}

/// Where a draw sits in its run's design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DesignRow {
    /// The design point whose parameter values the draw takes.
    pub point: usize,
    /// Which of the point's replications the draw is (from 0).
    pub replication: usize,
    /// The point's role in a Saltelli design; `None` for another sampler.
    pub block: Option<Run>,
}

impl RunDesign {
    /// The design of `experiment` for `k` uncertain parameters.
    pub fn new(k: usize, experiment: &Experiment) -> Result<RunDesign, SensitivityError> {
        let n = experiment.base_samples;
        if k == 0 {
            return Err(SensitivityError::NoParameters);
        }
        if n < 2 {
            return Err(SensitivityError::TooFewSamples(n));
        }
        let seed = experiment.seed;
        let points = match experiment.sampler {
            // A scrambled Sobol' sequence: quasi-random points converge faster than
            // independent ones, and the shift makes them depend on the seed.
            Sampler::Saltelli => Points::Saltelli(Design::new(
                k,
                n,
                sensitivity::Sampler::SobolShifted { seed },
            )?),
            Sampler::Sobol => Points::Plain {
                k,
                n,
                unit: points::sobol_points(k, n, seed)?,
            },
            Sampler::Lhs => Points::Plain {
                k,
                n,
                unit: points::latin_hypercube(k, n, seed),
            },
            Sampler::Random => Points::Plain {
                k,
                n,
                unit: points::random_points(k, n, seed),
            },
        };
        Ok(RunDesign {
            sampler: experiment.sampler,
            points,
            replications: experiment.replications.max(1),
        })
    }

    pub fn sampler(&self) -> Sampler {
        self.sampler
    }

    pub fn replications(&self) -> usize {
        self.replications
    }

    /// Number of design points.
    pub fn points(&self) -> usize {
        match &self.points {
            Points::Saltelli(d) => d.runs(),
            Points::Plain { n, .. } => *n,
        }
    }

    /// Number of draws: every point's replications.
    pub fn draws(&self) -> usize {
        self.points() * self.replications
    }

    /// The Saltelli design, when the run has one (only it gives Sobol indices).
    pub fn saltelli(&self) -> Option<&Design> {
        match &self.points {
            Points::Saltelli(d) => Some(d),
            Points::Plain { .. } => None,
        }
    }

    /// Where draw `d` sits.
    pub fn row(&self, d: usize) -> DesignRow {
        let point = d / self.replications;
        DesignRow {
            point,
            replication: d % self.replications,
            block: self.saltelli().and_then(|s| s.run(point)),
        }
    }

    /// Draw `d`'s point in the unit hypercube (empty past the last draw).
    pub fn unit_point(&self, d: usize) -> Vec<f64> {
        let point = d / self.replications;
        match &self.points {
            Points::Saltelli(s) => s.unit_point(point).unwrap_or_default(),
            Points::Plain { k, n, unit } => {
                if point < *n {
                    unit[point * k..(point + 1) * k].to_vec()
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// Per design point, the mean of a draw-indexed output over the point's replications:
    /// the output a sensitivity analysis of the design reads (with one replication, the
    /// output itself).
    pub fn point_means(&self, by_draw: &[f64]) -> Vec<f64> {
        if self.replications == 1 {
            return by_draw.to_vec();
        }
        by_draw
            .chunks(self.replications)
            .map(|c| c.iter().sum::<f64>() / c.len() as f64)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn experiment(sampler: Sampler, n: usize, replications: usize) -> Experiment {
        Experiment {
            base_samples: n,
            seed: 3,
            sampler,
            replications,
        }
    }

    #[test]
    fn draws_are_replications_of_points_in_order() {
        let d = RunDesign::new(3, &experiment(Sampler::Saltelli, 4, 2)).unwrap();
        assert_eq!((d.points(), d.draws()), (20, 40));
        assert_eq!(d.row(0).point, 0);
        assert_eq!(
            d.row(9),
            DesignRow {
                point: 4,
                replication: 1,
                block: Some(Run::B { sample: 0 })
            }
        );
        assert_eq!(d.unit_point(8), d.unit_point(9));
        assert_ne!(d.unit_point(9), d.unit_point(10));
        assert_eq!(d.point_means(&[1.0, 3.0, 5.0, 9.0]), [2.0, 7.0]);
        // One replication: the Saltelli design of today, draw d = row d.
        let one = RunDesign::new(3, &experiment(Sampler::Saltelli, 4, 1)).unwrap();
        let s = Design::new(3, 4, sensitivity::Sampler::SobolShifted { seed: 3 }).unwrap();
        for row in 0..20 {
            assert_eq!(one.unit_point(row), s.unit_point(row).unwrap());
        }
        assert!(one.unit_point(20).is_empty());
    }

    #[test]
    fn other_samplers_give_their_point_sets_and_no_saltelli_blocks() {
        for sampler in [Sampler::Sobol, Sampler::Lhs, Sampler::Random] {
            let d = RunDesign::new(2, &experiment(sampler, 10, 3)).unwrap();
            assert_eq!((d.points(), d.draws()), (10, 30), "{sampler:?}");
            assert!(d.saltelli().is_none() && d.row(5).block.is_none());
            assert_eq!(d.row(29).point, 9);
            assert_eq!(d.unit_point(29).len(), 2);
            assert!(d.unit_point(30).is_empty());
        }
        let lhs = RunDesign::new(2, &experiment(Sampler::Lhs, 10, 1)).unwrap();
        assert_eq!(lhs.unit_point(4), points::latin_hypercube(2, 10, 3)[8..10]);
        assert!(RunDesign::new(2, &experiment(Sampler::Lhs, 1, 1)).is_err());
    }
}
