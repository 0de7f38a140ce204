//! The scenarios the server can run: the bundled flagship plus the files of a
//! folder named at start. Requests name a scenario; the name is looked up
//! here and never becomes a path.

use std::collections::BTreeMap;
use std::path::Path;

use entente_core::scenario::{Param, Prior, Scenario};
use entente_core::world::Archive;

/// A scenario ready to run: its file text (for the run record) and its resolved form.
#[derive(Debug, Clone)]
pub struct Entry {
    pub text: String,
    /// Where it came from (`scenarios/nato-ip4.toml`, or the file read at start).
    pub origin: String,
    pub scenario: Scenario,
}

/// Scenarios by name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
}

/// A scenario file the catalog could not take.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Scenario(#[from] entente_data::scenario::ScenarioError),
    #[error("{path}: scenario name `{name}` is already taken by {other}")]
    Duplicate {
        path: String,
        name: String,
        other: String,
    },
}

impl Catalog {
    /// The bundled flagship alone.
    pub fn flagship(archive: &Archive) -> Result<Catalog, CatalogError> {
        let mut c = Catalog::default();
        c.add(
            entente_data::scenario::FLAGSHIP.to_string(),
            entente_data::scenario::FLAGSHIP_PATH.to_string(),
            archive,
        )?;
        Ok(c)
    }

    /// Add a scenario from its text; `origin` names it in errors.
    pub fn add(
        &mut self,
        text: String,
        origin: String,
        archive: &Archive,
    ) -> Result<&Entry, CatalogError> {
        let scenario = entente_data::scenario::parse_scenario(&text, &origin, archive)?;
        let name = scenario.name.clone();
        if let Some(other) = self.entries.get(&name) {
            return Err(CatalogError::Duplicate {
                path: origin,
                name,
                other: other.origin.clone(),
            });
        }
        Ok(self.entries.entry(name).or_insert(Entry {
            text,
            origin,
            scenario,
        }))
    }

    /// Add every `*.toml` file of `dir` (sorted by file name), skipping the
    /// bundled flagship's own file when the folder is the repository's `scenarios/`.
    pub fn add_dir(&mut self, dir: &Path, archive: &Archive) -> Result<usize, CatalogError> {
        let read_err = |source| CatalogError::Read {
            path: dir.display().to_string(),
            source,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let mut added = 0;
        for p in files {
            let text = std::fs::read_to_string(&p).map_err(|source| CatalogError::Read {
                path: p.display().to_string(),
                source,
            })?;
            if text == entente_data::scenario::FLAGSHIP {
                continue;
            }
            self.add(text, p.display().to_string(), archive)?;
            added += 1;
        }
        Ok(added)
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }
}

/// The prior a scenario gives a parameter: its own, else `None` for a
/// parameter the engine estimates on the data when it runs, else the default.
pub fn prior_of(sc: &Scenario, p: Param) -> Option<Prior> {
    match (sc.given(p), p.basis()) {
        (Some(g), _) => Some(g),
        (None, entente_core::param::Basis::Estimated) => None,
        (None, _) => Some(p.default_prior()),
    }
}

/// A prior as JSON (`{"dist": "uniform", "lo": .., "hi": ..}`).
pub fn prior_json(p: Prior) -> serde_json::Value {
    use serde_json::json;
    match p {
        Prior::Fixed(value) => json!({"dist": "fixed", "value": value}),
        Prior::Uniform { lo, hi } => json!({"dist": "uniform", "lo": lo, "hi": hi}),
        Prior::Normal { mean, sd, lo, hi } => {
            json!({"dist": "normal", "mean": mean, "sd": sd, "lo": lo, "hi": hi})
        }
        Prior::LogNormal { median, sigma } => {
            json!({"dist": "lognormal", "median": median, "sigma": sigma})
        }
        Prior::Triangular { lo, mode, hi } => {
            json!({"dist": "triangular", "lo": lo, "mode": mode, "hi": hi})
        }
    }
}

/// Read a prior from JSON, naming the field at fault.
pub fn prior_from_json(v: &serde_json::Value, field: &str) -> Result<Prior, String> {
    let num = |k: &str| -> Result<f64, String> {
        v.get(k)
            .and_then(serde_json::Value::as_f64)
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{field}.{k}`: a finite number is required"))
    };
    let dist = v
        .get("dist")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| {
            format!(
                "`{field}.dist`: one of fixed, uniform, normal, lognormal, triangular is required"
            )
        })?;
    let p = match dist {
        "fixed" => Prior::Fixed(num("value")?),
        "uniform" => Prior::Uniform {
            lo: num("lo")?,
            hi: num("hi")?,
        },
        "normal" => Prior::Normal {
            mean: num("mean")?,
            sd: num("sd")?,
            lo: num("lo")?,
            hi: num("hi")?,
        },
        "lognormal" => Prior::LogNormal {
            median: num("median")?,
            sigma: num("sigma")?,
        },
        "triangular" => Prior::Triangular {
            lo: num("lo")?,
            mode: num("mode")?,
            hi: num("hi")?,
        },
        other => {
            return Err(format!(
            "`{field}.dist`: `{other}` is not one of fixed, uniform, normal, lognormal, triangular"
        ))
        }
    };
    match p.validate() {
        Err(problem) => Err(format!("`{field}`: {problem}")),
        Ok(()) => Ok(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priors_round_trip_through_json() {
        for p in Param::ALL {
            let prior = p.default_prior();
            assert_eq!(prior_from_json(&prior_json(prior), "prior"), Ok(prior));
        }
    }

    #[test]
    fn bad_priors_name_the_field() {
        let e = prior_from_json(
            &serde_json::json!({"dist": "uniform", "lo": 2, "hi": 1}),
            "prior",
        )
        .unwrap_err();
        assert!(e.contains("`prior`") && e.contains("lo < hi"), "{e}");
        let e = prior_from_json(&serde_json::json!({"dist": "beta"}), "prior").unwrap_err();
        assert!(e.contains("`prior.dist`"), "{e}");
        let e = prior_from_json(&serde_json::json!({"dist": "uniform", "lo": "a"}), "prior")
            .unwrap_err();
        assert!(e.contains("`prior.lo`"), "{e}");
    }
}
