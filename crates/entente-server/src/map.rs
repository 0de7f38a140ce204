//! Which feature of the world map is which state. The map (npm `world-atlas`,
//! Natural Earth 1:110m) identifies countries by ISO 3166-1 numeric code, and
//! a few features have none (Kosovo, N. Cyprus, Somaliland); some states lack
//! an ISO code in the COW crosswalk (Serbia, COW 345 "Yugoslavia"). Those are
//! matched by name.

use entente_core::ids::Ccode;
use entente_core::world::World;

/// One feature of the topology's `countries` object.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's id: an ISO numeric code as a zero-padded string, or none.
    pub id: Option<String>,
    pub name: String,
}

/// How a feature was matched to a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    IsoNumeric,
    Name,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::IsoNumeric => "iso_numeric",
            MatchedBy::Name => "name",
        }
    }
}

/// Map names that differ from COW's names, for states the ISO code cannot
/// match: COW 345 is "Yugoslavia" with no ISO code; the map calls it Serbia.
const NAME_ALIASES: &[(&str, Ccode)] = &[("serbia", Ccode(345))];

/// A name reduced for comparison: lower case, letters and digits only, `&` as `and`.
pub fn normalise_name(s: &str) -> String {
    s.replace('&', "and")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The features of a world-atlas topology, in `objects.countries.geometries` order.
pub fn features(topology: &serde_json::Value) -> Result<Vec<Feature>, String> {
    let geometries = topology
        .pointer("/objects/countries/geometries")
        .and_then(serde_json::Value::as_array)
        .ok_or("the topology has no objects.countries.geometries")?;
    Ok(geometries
        .iter()
        .map(|g| Feature {
            id: g
                .get("id")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
            name: g
                .pointer("/properties/name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
        .collect())
}

/// Match every feature to a state of `world`: by ISO numeric code, then by name.
pub fn join(features: &[Feature], world: &World) -> Vec<Option<(Ccode, MatchedBy)>> {
    let by_iso = |id: &str| -> Option<Ccode> {
        let n: u16 = id.parse().ok()?;
        world
            .states
            .iter()
            .find(|s| s.iso_numeric == Some(n))
            .map(|s| s.ccode)
    };
    let mut out: Vec<Option<(Ccode, MatchedBy)>> = features
        .iter()
        .map(|f| {
            f.id.as_deref()
                .and_then(by_iso)
                .map(|c| (c, MatchedBy::IsoNumeric))
        })
        .collect();
    // Names only for states no feature took by code, so a name never steals a coded match.
    let taken: Vec<Ccode> = out.iter().flatten().map(|m| m.0).collect();
    for (f, slot) in features.iter().zip(out.iter_mut()) {
        if slot.is_some() {
            continue;
        }
        let name = normalise_name(&f.name);
        let alias = NAME_ALIASES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c);
        let found = world
            .states
            .iter()
            .filter(|s| !taken.contains(&s.ccode))
            .find(|s| Some(s.ccode) == alias || normalise_name(&s.name) == name)
            .map(|s| s.ccode);
        *slot = found.map(|c| (c, MatchedBy::Name));
    }
    out
}
