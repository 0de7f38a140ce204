//! The refit's specification: its regressors, their scaling, and the fitted
//! model with its coefficient covariance (for drawing coefficient uncertainty).

use nalgebra::{SMatrix, SVector};

use super::published::Moments;
use super::Covariates;

/// Number of coefficients.
pub const K: usize = 13;

/// The regressors, in coefficient order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regressor {
    Intercept,
    /// Land or river border (COW contiguity type 1).
    LandContiguity,
    /// Weaker / stronger CINC, scaled `(x - mean) / (2 sd)`.
    CapabilityRatio,
    /// Either state a COW major power.
    MajorPower,
    /// A defence pact between the two (strength 0-1).
    DefencePact,
    /// A consultation pact without a defence pact (strength 0-1).
    ConsultationPact,
    /// Lower extended UDS of the two, scaled.
    WeakLinkDemocracy,
    /// Lower military personnel per head, scaled.
    WeakLinkMilitarisation,
    /// Distance between UN ideal points, scaled (0 where one is missing).
    IdealPointDistance,
    /// 1 where either state has no ideal point (not a UN member).
    IdealPointMissing,
    /// `ln(1 + peace years)`, and its square and cube: a cubic in log peace
    /// years (Carter and Signorino's cubic is in years; see docs/threat.md).
    PeaceYears,
    PeaceYears2,
    PeaceYears3,
}

impl Regressor {
    pub const ALL: [Regressor; K] = [
        Regressor::Intercept,
        Regressor::LandContiguity,
        Regressor::CapabilityRatio,
        Regressor::MajorPower,
        Regressor::DefencePact,
        Regressor::ConsultationPact,
        Regressor::WeakLinkDemocracy,
        Regressor::WeakLinkMilitarisation,
        Regressor::IdealPointDistance,
        Regressor::IdealPointMissing,
        Regressor::PeaceYears,
        Regressor::PeaceYears2,
        Regressor::PeaceYears3,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Regressor::Intercept => "intercept",
            Regressor::LandContiguity => "landcontig",
            Regressor::CapabilityRatio => "cincprop",
            Regressor::MajorPower => "major",
            Regressor::DefencePact => "defence",
            Regressor::ConsultationPact => "consultation",
            Regressor::WeakLinkDemocracy => "min_democracy",
            Regressor::WeakLinkMilitarisation => "min_militarisation",
            Regressor::IdealPointDistance => "ideal_distance",
            Regressor::IdealPointMissing => "ideal_missing",
            Regressor::PeaceYears => "log_peace",
            Regressor::PeaceYears2 => "log_peace2",
            Regressor::PeaceYears3 => "log_peace3",
        }
    }

    /// The matching term of Miller's (2022) Table 2, if there is one.
    pub fn miller_term(self) -> Option<&'static str> {
        Some(match self {
            Regressor::Intercept => "intercept",
            Regressor::LandContiguity => "landcontig",
            Regressor::CapabilityRatio => "cincprop",
            Regressor::MajorPower => "cowmajdyad",
            Regressor::DefencePact => "cow_defense",
            Regressor::WeakLinkDemocracy => "mindemest",
            Regressor::WeakLinkMilitarisation => "minmilit",
            Regressor::PeaceYears => "t",
            Regressor::PeaceYears2 => "t2",
            Regressor::PeaceYears3 => "t3",
            _ => return None,
        })
    }

    pub fn index(self) -> usize {
        Regressor::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// Moments of the continuous regressors over the fit sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefitScaling {
    pub cincprop: Moments,
    pub min_democracy: Moments,
    pub min_militarisation: Moments,
    pub ideal_distance: Moments,
    pub peace_years: Moments,
}

impl Default for RefitScaling {
    fn default() -> Self {
        let m = Moments {
            mean: 0.0,
            sd: 0.0,
            n: 0,
        };
        RefitScaling {
            cincprop: m,
            min_democracy: m,
            min_militarisation: m,
            ideal_distance: m,
            peace_years: m,
        }
    }
}

/// What the model was fitted on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FitInfo {
    pub first_year: i32,
    pub last_year: i32,
    pub dyad_years: u64,
    pub onsets: u64,
    pub log_likelihood: f64,
    pub iterations: u32,
}

/// A fitted dispute-onset logit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    pub coef: [f64; K],
    /// Covariance of the coefficients (inverse observed information).
    pub cov: [[f64; K]; K],
    pub scaling: RefitScaling,
    pub info: FitInfo,
}

/// The design row of a dyad-year.
pub fn design(x: &Covariates, s: &RefitScaling) -> [f64; K] {
    let scaled = |v: Option<f64>, m: &Moments| v.map_or(0.0, |v| m.scale(v));
    let flag = |v: bool| if v { 1.0 } else { 0.0 };
    let t = x.peace_years.unwrap_or(s.peace_years.mean).max(0.0).ln_1p();
    [
        1.0,
        flag(x.landcontig),
        scaled(x.cincprop, &s.cincprop),
        flag(x.major),
        x.defence,
        x.consultation,
        scaled(x.min_democracy, &s.min_democracy),
        scaled(x.min_militarisation, &s.min_militarisation),
        scaled(x.ideal_distance, &s.ideal_distance),
        flag(x.ideal_distance.is_none()),
        t,
        t * t,
        t * t * t,
    ]
}

/// Regressors of `x` that are missing and so held at the sample mean.
pub fn held_at_mean(x: &Covariates) -> Vec<&'static str> {
    let mut v = Vec::new();
    if x.cincprop.is_none() {
        v.push("cincprop");
    }
    if x.min_democracy.is_none() {
        v.push("min_democracy");
    }
    if x.min_militarisation.is_none() {
        v.push("min_militarisation");
    }
    if x.peace_years.is_none() {
        v.push("peace_years");
    }
    v
}

impl Model {
    /// A model with the given coefficients, no covariance and no scaling
    /// (continuous regressors at 0): for examples and tests.
    pub fn from_coefficients(coef: [f64; K]) -> Model {
        Model {
            coef,
            cov: [[0.0; K]; K],
            scaling: RefitScaling::default(),
            info: FitInfo::default(),
        }
    }

    pub fn coefficient(&self, r: Regressor) -> f64 {
        self.coef[r.index()]
    }

    /// Standard error of a coefficient.
    pub fn se(&self, r: Regressor) -> f64 {
        self.cov[r.index()][r.index()].max(0.0).sqrt()
    }

    pub fn log_odds(&self, x: &Covariates) -> f64 {
        let row = design(x, &self.scaling);
        // A fixed order of summation: the same inputs give the same bits.
        let mut z = 0.0;
        for (b, v) in self.coef.iter().zip(row) {
            z += b * v;
        }
        z
    }

    pub fn probability(&self, x: &Covariates) -> f64 {
        1.0 / (1.0 + (-self.log_odds(x)).exp())
    }

    /// The model with coefficients `coef + L z`, `L` the Cholesky factor of
    /// the covariance: with `z` standard normal, a draw from the coefficients'
    /// approximate sampling distribution. `None` if the covariance is not
    /// positive definite.
    pub fn draw(&self, z: &[f64; K]) -> Option<Model> {
        let cov = SMatrix::<f64, K, K>::from_fn(|i, j| self.cov[i][j]);
        let l = cov.cholesky()?.l();
        let shift = l * SVector::<f64, K>::from_column_slice(z);
        let mut m = *self;
        for (c, s) in m.coef.iter_mut().zip(shift.iter()) {
            *c += s;
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let mut coef = [0.0; K];
        coef[0] = -3.0;
        coef[Regressor::DefencePact.index()] = -0.5;
        coef[Regressor::PeaceYears.index()] = -1.0;
        let mut m = Model::from_coefficients(coef);
        for (i, row) in m.cov.iter_mut().enumerate() {
            row[i] = 0.01;
        }
        m
    }

    #[test]
    fn commitments_are_graded_and_peace_years_lower_the_hazard() {
        let m = model();
        let x = Covariates {
            peace_years: Some(10.0),
            ..Covariates::default()
        };
        let half = m.log_odds(&Covariates { defence: 0.5, ..x });
        assert!((half - (m.log_odds(&x) - 0.25)).abs() < 1e-12);
        assert!(
            m.log_odds(&Covariates {
                peace_years: Some(20.0),
                ..x
            }) < m.log_odds(&x)
        );
        // Without an ideal point the missing indicator is on.
        assert_eq!(
            design(&x, &m.scaling)[Regressor::IdealPointMissing.index()],
            1.0
        );
        assert_eq!(
            held_at_mean(&x),
            vec!["cincprop", "min_democracy", "min_militarisation"]
        );
    }

    #[test]
    fn draws_move_coefficients_by_their_standard_errors() {
        let m = model();
        let mut z = [0.0; K];
        assert_eq!(m.draw(&z).unwrap().coef, m.coef);
        z[0] = 2.0;
        let d = m.draw(&z).unwrap();
        assert!((d.coef[0] - (m.coef[0] + 0.2)).abs() < 1e-12);
        assert_eq!(Model::from_coefficients(m.coef).draw(&z), None);
    }
}
