//! Which feature of the world map is which state. The map (npm `world-atlas`,
//! Natural Earth 1:110m, embedded by `entente_report::atlas`) identifies
//! countries by ISO 3166-1 numeric code, and a few features have none (Kosovo,
//! N. Cyprus, Somaliland); some states lack an ISO code in the COW crosswalk
//! (Serbia, COW 345 "Yugoslavia"). Those are matched by name.

use entente_core::ids::Ccode;
use entente_core::world::World;

/// One feature of the topology's `countries` object.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's id: an ISO numeric code as a zero-padded string, or none.
    pub id: Option<String>,
    pub name: String,
}

use entente_report::atlas::AtlasError;
pub use entente_report::atlas::{normalise_name, MatchedBy};

/// The features of a world-atlas topology, in `objects.countries.geometries` order.
pub fn features(topology: &serde_json::Value) -> Result<Vec<Feature>, AtlasError> {
    let geometries = topology
        .pointer("/objects/countries/geometries")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| AtlasError::Shape("no objects.countries.geometries".into()))?;
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

/// Match every feature to a state of `world`: by ISO numeric code, then by name
/// (the report's map uses the same join).
pub fn join(features: &[Feature], world: &World) -> Vec<Option<(Ccode, MatchedBy)>> {
    let states: Vec<entente_report::atlas::StateKey> = world
        .states
        .iter()
        .map(|s| entente_report::atlas::StateKey {
            ccode: s.ccode,
            iso_numeric: s.iso_numeric,
            name: &s.name,
        })
        .collect();
    entente_report::atlas::join(
        features.iter().map(|f| (f.id.as_deref(), f.name.as_str())),
        &states,
    )
}
