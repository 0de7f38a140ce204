//! Power: capability shares, power at a distance, regional balances.
//!
//! Power at a distance follows Bueno de Mesquita's (1981) loss-of-strength
//! gradient: `C_adj = C ^ log10(miles / miles_per_day + (10 - e))`. The
//! exponent is about 0.862 at home and grows with distance, so a capability
//! share (below 1) shrinks the farther it is projected.

use crate::ids::Ccode;
use crate::world::World;

/// Kilometres per statute mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// How distance between two states is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistanceMeasure {
    /// Great-circle distance between capitals.
    Capital,
    /// CShapes minimum distance between territories (capital distance where missing).
    Minimum,
}

/// Settings of the loss-of-strength gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerConfig {
    /// Miles a state can move its power per day (era-dependent; EUGene's commonly
    /// quoted default is 250).
    pub miles_per_day: f64,
    pub distance: DistanceMeasure,
}

impl Default for PowerConfig {
    fn default() -> Self {
        PowerConfig {
            miles_per_day: 250.0,
            distance: DistanceMeasure::Capital,
        }
    }
}

/// The gradient's exponent at a distance in miles.
pub fn lsg_exponent(miles: f64, miles_per_day: f64) -> f64 {
    (miles.max(0.0) / miles_per_day + (10.0 - std::f64::consts::E)).log10()
}

/// A capability share `c` (0..1) projected over `km`.
pub fn at_distance(c: f64, km: f64, cfg: &PowerConfig) -> f64 {
    c.max(0.0)
        .powf(lsg_exponent(km / KM_PER_MILE, cfg.miles_per_day))
}

/// Distance between two states in km (0 for a state and itself).
pub fn distance_km(world: &World, a: Ccode, b: Ccode, m: DistanceMeasure) -> Option<f64> {
    if a == b {
        return Some(0.0);
    }
    match m {
        DistanceMeasure::Capital => world.capital_distance_km(a, b),
        DistanceMeasure::Minimum => world
            .min_distance_km(a, b)
            .or_else(|| world.capital_distance_km(a, b)),
    }
}

/// The capability measure used: NMC's CINC in its years, the estimate after.
pub fn capability(world: &World, c: Ccode) -> Option<f64> {
    world.state(c).and_then(|s| s.cinc_est.value)
}

/// Power `j` can bring to bear on `target`.
pub fn projected(world: &World, j: Ccode, target: Ccode, cfg: &PowerConfig) -> Option<f64> {
    let c = capability(world, j)?;
    let d = distance_km(world, j, target, cfg.distance)?;
    Some(at_distance(c, d, cfg))
}

/// Mean power `j` can bring to bear on the states of a region.
pub fn projected_into(world: &World, j: Ccode, region: &[Ccode], cfg: &PowerConfig) -> Option<f64> {
    let v: Vec<f64> = region
        .iter()
        .filter_map(|&t| projected(world, j, t, cfg))
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// One state's power in a region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionalPower {
    pub ccode: Ccode,
    /// Share of the system's capabilities (CINC or its estimate).
    pub world_share: Option<f64>,
    /// Mean power projected into the region's states.
    pub projected: Option<f64>,
    /// Share of all states' projected power in the region.
    pub region_share: Option<f64>,
}

/// Every state's power projected into `region`, with shares of the regional total.
pub fn regional(world: &World, region: &[Ccode], cfg: &PowerConfig) -> Vec<RegionalPower> {
    let mut rows: Vec<RegionalPower> = world
        .states
        .iter()
        .map(|s| RegionalPower {
            ccode: s.ccode,
            world_share: s.cinc_est.value,
            projected: projected_into(world, s.ccode, region, cfg),
            region_share: None,
        })
        .collect();
    let total: f64 = rows.iter().filter_map(|r| r.projected).sum();
    if total > 0.0 {
        for r in &mut rows {
            r.region_share = r.projected.map(|p| p / total);
        }
    }
    rows
}

/// A bloc's share of regional power.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocShare {
    pub name: String,
    pub members: Vec<Ccode>,
    pub world_share: f64,
    pub region_share: f64,
}

/// Sum of members' shares for each named bloc (members without data count 0
/// and are left out of `members`).
pub fn blocs(rows: &[RegionalPower], blocs: &[(String, Vec<Ccode>)]) -> Vec<BlocShare> {
    blocs
        .iter()
        .map(|(name, ms)| {
            let present: Vec<&RegionalPower> = rows
                .iter()
                .filter(|r| ms.contains(&r.ccode) && r.region_share.is_some())
                .collect();
            BlocShare {
                name: name.clone(),
                members: present.iter().map(|r| r.ccode).collect(),
                world_share: present.iter().filter_map(|r| r.world_share).sum(),
                region_share: present.iter().filter_map(|r| r.region_share).sum(),
            }
        })
        .collect()
}

/// Ranks (1 = largest) with ties given their mean rank.
pub fn ranks_desc(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[b].total_cmp(&x[a]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation (Pearson on ranks); `None` below three pairs.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    pearson(&ranks_desc(x), &ranks_desc(y))
}

/// Pearson's correlation; `None` when either side has no variance.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exponent_is_about_0_862_at_home() {
        assert!((lsg_exponent(0.0, 250.0) - 0.862).abs() < 0.001);
    }

    #[test]
    fn spearman_of_monotone_series_is_one() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 35.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(ranks_desc(&[5.0, 5.0, 1.0]), vec![1.5, 1.5, 3.0]);
    }

    proptest! {
        #[test]
        fn power_shrinks_with_distance(c in 0.0001f64..0.9, d1 in 0.0f64..20000.0, dd in 1.0f64..5000.0) {
            let cfg = PowerConfig::default();
            prop_assert!(at_distance(c, d1 + dd, &cfg) < at_distance(c, d1, &cfg));
            prop_assert!(at_distance(c, d1, &cfg) <= 1.0);
        }

        #[test]
        fn faster_projection_loses_less(c in 0.0001f64..0.9, d in 100.0f64..20000.0) {
            let slow = PowerConfig { miles_per_day: 100.0, ..Default::default() };
            let fast = PowerConfig { miles_per_day: 500.0, ..Default::default() };
            prop_assert!(at_distance(c, d, &fast) > at_distance(c, d, &slow));
        }
    }
}
