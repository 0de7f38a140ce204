//! What makes pieces of output one run's: the scenario (its name and the sha256 of its file's
//! text, the one scenario hash, the same the run store records), the effective experiment
//! (seed and base samples, after any command-line override), the number of draws, and the
//! versions of the engine and the data. A checkpoint's header ([`crate::checkpoint`]) and a
//! shard's manifest ([`crate::parts`]) each carry one [`RunSpec`], and `--resume` or
//! `entente merge` refuses a piece whose spec differs from the run's, naming the first field
//! that differs.

use entente_core::scenario::{Sampler, Scenario};
use serde_json::{Map, Value};

/// The sha256 of a scenario file's text, lower-case hex: the scenario hash of `run.json`,
/// checkpoints, shard manifests and the run store (`runs.scenario_sha256`).
pub fn scenario_sha256(text: &str) -> String {
    entente_store::runs::sha256_hex(text)
}

/// What every piece of one run shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSpec {
    /// The scenario's name.
    pub scenario: String,
    /// [`scenario_sha256`] of the scenario file's text.
    pub scenario_sha256: String,
    pub seed: u64,
    /// How the design points are drawn.
    pub sampler: Sampler,
    /// Runs of each design point.
    pub replications: u64,
    /// Base samples of a Saltelli design, or the points of another sampler.
    pub base_samples: u64,
    /// Every draw of the run (a shard computes some of them).
    pub total_draws: u64,
    /// The engine that ran it (`entente --version`'s number).
    pub engine_version: String,
    /// The data it read (`entente_data::world_data::DataSource::data_version`).
    pub data_version: String,
}

impl RunSpec {
    /// The spec of a run of `sc` (read from `text`) with `total_draws` draws, by this engine
    /// on data of version `data_version`.
    pub fn new(sc: &Scenario, text: &str, total_draws: usize, data_version: &str) -> RunSpec {
        RunSpec {
            scenario: sc.name.clone(),
            scenario_sha256: scenario_sha256(text),
            seed: sc.experiment.seed,
            sampler: sc.experiment.sampler,
            replications: sc.experiment.replications as u64,
            base_samples: sc.experiment.base_samples as u64,
            total_draws: total_draws as u64,
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
            data_version: data_version.to_string(),
        }
    }

    /// Its fields in a JSON object (beside the header's or manifest's own).
    pub fn write_to(&self, map: &mut Map<String, Value>) {
        let mut put = |k: &str, v: Value| {
            map.insert(k.to_string(), v);
        };
        put("scenario", self.scenario.clone().into());
        put("scenario_sha256", self.scenario_sha256.clone().into());
        put("seed", self.seed.into());
        put("sampler", self.sampler.name().into());
        put("replications", self.replications.into());
        put("base_samples", self.base_samples.into());
        put("total_draws", self.total_draws.into());
        put("version", self.engine_version.clone().into());
        put("data_version", self.data_version.clone().into());
    }

    /// The spec in a JSON object [`write_to`](Self::write_to) wrote, or what is missing
    /// or of the wrong type. An object without `scenario_sha256` was written by an older
    /// entente, and is named as such.
    pub fn read_from(v: &Value) -> Result<RunSpec, String> {
        if v.get("scenario_sha256").is_none() && v.get("scenario_hash").is_some() {
            return Err(
                "was written by an older entente (it has `scenario_hash`, not `scenario_sha256`): run it again"
                    .into(),
            );
        }
        let s = |k: &str| {
            v[k].as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("`{k}` is missing or not a string"))
        };
        let n = |k: &str| {
            v[k].as_u64()
                .ok_or_else(|| format!("`{k}` is missing or not a whole number"))
        };
        let sha = s("scenario_sha256")?;
        let sampler = s("sampler")?;
        let sampler = Sampler::from_name(&sampler)
            .ok_or_else(|| format!("`sampler` `{sampler}` is not a sampler"))?;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("`scenario_sha256` `{sha}` is not 64 hex digits"));
        }
        Ok(RunSpec {
            scenario: s("scenario")?,
            scenario_sha256: sha,
            seed: n("seed")?,
            sampler,
            replications: n("replications")?,
            base_samples: n("base_samples")?,
            total_draws: n("total_draws")?,
            engine_version: s("version")?,
            data_version: s("data_version")?,
        })
    }

    /// The fields two pieces of one run must share, by name. The scenario's hash comes last,
    /// so a piece of another seed or size is named for that, not for its text.
    fn fields(&self) -> [(&'static str, String); 9] {
        [
            ("seed", self.seed.to_string()),
            ("sampler", self.sampler.name().to_string()),
            ("replications", self.replications.to_string()),
            ("base samples", self.base_samples.to_string()),
            ("total_draws", self.total_draws.to_string()),
            ("engine version", self.engine_version.clone()),
            ("data version", self.data_version.clone()),
            ("scenario", self.scenario.clone()),
            ("scenario_sha256", self.scenario_sha256.clone()),
        ]
    }

    /// The first field in which `self` (the piece found) differs from `other` (the run it
    /// should belong to): `(field, theirs, ours)`.
    pub fn first_difference(&self, other: &RunSpec) -> Option<(&'static str, String, String)> {
        self.fields()
            .into_iter()
            .zip(other.fields())
            .find(|((_, a), (_, b))| a != b)
            .map(|((field, a), (_, b))| (field, a, b))
    }
}

/// A spec for tests: scenario `small`, seed 7, a Saltelli design of 4 base samples, 24 draws.
#[cfg(test)]
pub(crate) fn example() -> RunSpec {
    RunSpec {
        scenario: "small".into(),
        scenario_sha256: scenario_sha256("[scenario]"),
        seed: 7,
        sampler: Sampler::Saltelli,
        replications: 1,
        base_samples: 4,
        total_draws: 24,
        engine_version: "0.1.0".into(),
        data_version: "d1".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RunSpec {
        RunSpec {
            scenario: "quad".into(),
            scenario_sha256: scenario_sha256("[scenario]\n"),
            seed: 7,
            sampler: Sampler::Saltelli,
            replications: 1,
            base_samples: 4,
            total_draws: 56,
            engine_version: "0.1.0".into(),
            data_version: "d1".into(),
        }
    }

    #[test]
    fn the_scenario_hash_is_the_stores_sha256_of_the_text() {
        assert_eq!(
            scenario_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            spec().scenario_sha256,
            entente_store::runs::sha256_hex("[scenario]\n")
        );
    }

    #[test]
    fn a_spec_round_trips_through_json_and_names_what_is_missing() {
        let mut map = Map::new();
        spec().write_to(&mut map);
        let v = Value::Object(map);
        assert_eq!(RunSpec::read_from(&v).unwrap(), spec());
        for field in [
            "scenario",
            "scenario_sha256",
            "seed",
            "sampler",
            "replications",
            "base_samples",
            "total_draws",
            "version",
            "data_version",
        ] {
            let mut w = v.clone();
            w.as_object_mut().unwrap().remove(field);
            let err = RunSpec::read_from(&w).unwrap_err();
            assert!(err.contains(&format!("`{field}`")), "{field}: {err}");
        }
        let mut old = v.clone();
        let o = old.as_object_mut().unwrap();
        o.remove("scenario_sha256");
        o.insert("scenario_hash".into(), "0123456789abcdef".into());
        assert!(RunSpec::read_from(&old)
            .unwrap_err()
            .contains("older entente"));
        let mut short = v;
        short["scenario_sha256"] = "abc".into();
        assert!(RunSpec::read_from(&short)
            .unwrap_err()
            .contains("64 hex digits"));
    }

    #[test]
    fn the_first_difference_is_named_with_both_values_and_the_hash_last() {
        assert_eq!(spec().first_difference(&spec()), None);
        let mut other = spec();
        other.seed = 8;
        other.scenario_sha256 = scenario_sha256("other");
        assert_eq!(
            spec().first_difference(&other),
            Some(("seed", "7".into(), "8".into()))
        );
        let mut other = spec();
        other.scenario_sha256 = scenario_sha256("other");
        assert_eq!(
            spec().first_difference(&other).unwrap().0,
            "scenario_sha256"
        );
        let mut other = spec();
        other.sampler = Sampler::Lhs;
        assert_eq!(
            spec().first_difference(&other),
            Some(("sampler", "saltelli".into(), "lhs".into()))
        );
        let mut other = spec();
        other.data_version = "d2".into();
        assert_eq!(
            spec().first_difference(&other),
            Some(("data version", "d1".into(), "d2".into()))
        );
    }
}
