//! The panel a fit needs, from the world of each year: SIPRI spending and the
//! threat model's view of who threatened whom.

use super::{Panel, ThreatHistory};
use crate::arms::ArmsError;
use crate::ids::Ccode;
use crate::threat::{self, ThreatConfig};
use crate::world::{Archive, Source, World};

/// Spending of `actors` in every year `first_year..=last_year` from
/// [`World::for_year`]: SIPRI constant 2023 US$ m only (assumed values, such as
/// North Korea's, are missing here), and, given a threat configuration, the
/// threat each felt ([`threat::threat`] over the same actors) with the
/// row-normalised `q` as reaction weights. Names are ISO3 codes where there is
/// one. Nothing after `last_year` is read.
pub fn panel_from_archive(
    archive: &Archive,
    actors: &[Ccode],
    first_year: i32,
    last_year: i32,
    threat_cfg: Option<&ThreatConfig>,
) -> Result<Panel, ArmsError> {
    if last_year < first_year {
        return Err(ArmsError::Config(format!(
            "the panel's last year {last_year} comes before its first {first_year}"
        )));
    }
    let n_years = (last_year - first_year + 1) as usize;
    let mut levels = vec![Vec::with_capacity(n_years); actors.len()];
    let (mut theta, mut weights) = (Vec::new(), Vec::new());
    let mut names: Vec<String> = actors.iter().map(|c| c.to_string()).collect();
    for year in first_year..=last_year {
        let world = World::for_year(archive, year)?;
        for (i, &c) in actors.iter().enumerate() {
            let m = world.state(c).map(|s| s.milex.const2023_usd_m);
            levels[i].push(
                m.filter(|m| m.source == Source::Sipri)
                    .and_then(|m| m.value),
            );
            if year == last_year {
                if let Some(iso) = world.state(c).and_then(|s| s.iso3) {
                    names[i] = iso.to_string();
                }
            }
        }
        if let Some(cfg) = threat_cfg {
            let t = threat::threat(archive, &world, actors, cfg);
            theta.push(t.theta);
            weights.push(t.q);
        }
    }
    let panel = Panel::new(names, first_year, levels)?;
    match threat_cfg {
        Some(_) => panel.with_threat(ThreatHistory::new(theta, weights)?),
        None => Ok(panel),
    }
}
