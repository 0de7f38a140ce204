//! Resolving user tokens (ISO3, COW codes and abbreviations, names, groups)
//! into states, with suggestions for near misses.

use super::*;
use crate::ids::Ccode;

/// Why an actor name does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActorError {
    #[error("unknown actor `{token}` in {year}{}", suggest(.suggestions))]
    Unknown {
        token: String,
        year: i32,
        suggestions: Vec<String>,
    },
    #[error("`{token}` ({name}) is not in the state system in {year}")]
    NotInSystem {
        token: String,
        name: String,
        year: i32,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(": did you mean {}?", s.join(", "))
    }
}

/// Levenshtein distance, for suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl World {
    /// Resolve an actor token: an ISO3 code (`JPN`), a COW abbreviation (`ROK`),
    /// a COW code (`740`), a state's name, or a group (`NATO`, `ASEAN`, `IP4`).
    /// Unknown tokens get the nearest names as suggestions.
    pub fn resolve(&self, token: &str, archive: &Archive) -> Result<Vec<Ccode>, ActorError> {
        let t = token.trim();
        let up = t.to_ascii_uppercase();
        if let Some((_, v)) = self.groups.iter().find(|(g, _)| g.eq_ignore_ascii_case(t)) {
            return Ok(v.clone());
        }
        // ISO3 first: COW abbreviations collide with other states' ISO3 codes
        // (`AUS` is Austria's COW abbreviation and Australia's ISO3 code).
        let found = self
            .states
            .iter()
            .find(|s| s.iso3.is_some_and(|i| i.as_str() == up))
            .or_else(|| {
                self.states.iter().find(|s| {
                    s.abb.eq_ignore_ascii_case(t)
                        || s.name.eq_ignore_ascii_case(t)
                        || t.parse::<u16>().is_ok_and(|n| n == s.ccode.0)
                })
            })
            .map(|s| s.ccode);
        if let Some(c) = found {
            return Ok(vec![c]);
        }
        // Known elsewhere in time?
        if let Ok(iso) = up.parse::<Iso3>() {
            if let Some(c) = archive.ccode_of(iso) {
                let name = archive
                    .sources()
                    .codes
                    .iter()
                    .find(|r| r.ccode == c)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                return Err(ActorError::NotInSystem {
                    token: t.to_string(),
                    name,
                    year: self.year,
                });
            }
        }
        let mut candidates: Vec<(usize, String)> = self
            .states
            .iter()
            .flat_map(|s| {
                let label = format!(
                    "{} ({})",
                    s.iso3
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| s.abb.clone()),
                    s.name
                );
                let mut keys = vec![s.abb.to_ascii_uppercase(), s.name.to_ascii_uppercase()];
                if let Some(i) = s.iso3 {
                    keys.push(i.to_string());
                }
                keys.into_iter()
                    .map(|k| (edit_distance(&up, &k), label.clone()))
                    .collect::<Vec<_>>()
            })
            .chain(
                self.groups
                    .keys()
                    .map(|g| (edit_distance(&up, &g.to_ascii_uppercase()), g.clone())),
            )
            .collect();
        candidates.sort();
        let best = candidates.first().map_or(usize::MAX, |c| c.0);
        let mut suggestions: Vec<String> = Vec::new();
        for (d, l) in candidates {
            if d <= best.max(1) && d <= 3 && !suggestions.contains(&l) && suggestions.len() < 3 {
                suggestions.push(l);
            }
        }
        Err(ActorError::Unknown {
            token: t.to_string(),
            year: self.year,
            suggestions,
        })
    }
}
