//! The world map both the report and the dashboard draw: Natural Earth 1:110m
//! countries as a TopoJSON topology (npm `world-atlas` 2.0.2, ISC; the data are
//! public domain), compiled into the binary. [`Atlas::parse`] decodes its
//! quantised, delta-encoded arcs into rings of longitude/latitude; [`join`]
//! says which feature is which state.
//!
//! Features carry an ISO 3166-1 numeric code; a few have none (Kosovo,
//! N. Cyprus, Somaliland) and some states lack one in the COW crosswalk
//! (Serbia, COW 345 "Yugoslavia"): those are matched by name.

use entente_core::ids::Ccode;
use serde_json::Value;

/// The topology, as vendored (`assets/world-atlas/countries-110m.json`).
pub const TOPOLOGY_JSON: &str = include_str!("../assets/world-atlas/countries-110m.json");

/// A ring of (longitude, latitude) in degrees; the last point repeats the first.
pub type Ring = Vec<(f64, f64)>;

/// One country of the topology.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO numeric code as the topology spells it (zero-padded), if any.
    pub id: Option<String>,
    pub name: String,
    /// Polygons, each an outer ring followed by its holes.
    pub polygons: Vec<Vec<Ring>>,
}

impl Country {
    /// The ISO numeric code as a number.
    pub fn iso_numeric(&self) -> Option<u16> {
        self.id.as_deref()?.parse().ok()
    }
}

/// The decoded `countries` object.
#[derive(Debug, Clone, PartialEq)]
pub struct Atlas {
    pub countries: Vec<Country>,
}

/// A topology that is not JSON or does not have the expected shape.
#[derive(Debug, thiserror::Error)]
pub enum AtlasError {
    #[error("world map topology: {0}")]
    Json(#[from] serde_json::Error),
    /// The part of the topology that is missing or malformed.
    #[error("world map topology: {0}")]
    Shape(String),
}

fn bad(what: impl Into<String>) -> AtlasError {
    AtlasError::Shape(what.into())
}

fn pair(v: &Value) -> Option<(f64, f64)> {
    let a = v.as_array()?;
    Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?))
}

impl Atlas {
    /// The bundled map.
    pub fn bundled() -> Result<Atlas, AtlasError> {
        let v: Value = serde_json::from_str(TOPOLOGY_JSON)?;
        Atlas::parse(&v)
    }

    /// Decode a TopoJSON topology's `countries` object (quantised or not).
    pub fn parse(topology: &Value) -> Result<Atlas, AtlasError> {
        let (scale, translate) = match topology.get("transform") {
            Some(t) => (
                t.get("scale")
                    .and_then(pair)
                    .ok_or_else(|| bad("transform.scale"))?,
                t.get("translate")
                    .and_then(pair)
                    .ok_or_else(|| bad("transform.translate"))?,
            ),
            None => ((1.0, 1.0), (0.0, 0.0)),
        };
        let quantised = topology.get("transform").is_some();
        let arcs: Vec<Vec<(f64, f64)>> = topology
            .get("arcs")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no arcs"))?
            .iter()
            .enumerate()
            .map(|(i, arc)| {
                let pts = arc.as_array().ok_or_else(|| bad(format!("arc {i}")))?;
                let (mut x, mut y) = (0.0, 0.0);
                pts.iter()
                    .map(|p| {
                        let (dx, dy) = pair(p).ok_or_else(|| bad(format!("arc {i}: a point")))?;
                        if quantised {
                            (x, y) = (x + dx, y + dy);
                            Ok((x * scale.0 + translate.0, y * scale.1 + translate.1))
                        } else {
                            Ok((dx, dy))
                        }
                    })
                    .collect()
            })
            .collect::<Result<_, AtlasError>>()?;
        let geometries = topology
            .pointer("/objects/countries/geometries")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no objects.countries.geometries"))?;
        let ring = |v: &Value| -> Result<Ring, AtlasError> {
            let mut out: Ring = Vec::new();
            for ix in v.as_array().ok_or_else(|| bad("a ring"))? {
                let ix = ix.as_i64().ok_or_else(|| bad("an arc index"))?;
                // A negative index ~i is arc i reversed.
                let (k, rev) = if ix < 0 { (!ix, true) } else { (ix, false) };
                let arc = usize::try_from(k)
                    .ok()
                    .and_then(|k| arcs.get(k))
                    .ok_or_else(|| bad(format!("arc index {ix} out of range")))?;
                let pts: Box<dyn Iterator<Item = &(f64, f64)>> = if rev {
                    Box::new(arc.iter().rev())
                } else {
                    Box::new(arc.iter())
                };
                // Consecutive arcs share their end point.
                let skip = usize::from(!out.is_empty());
                out.extend(pts.skip(skip));
            }
            Ok(out)
        };
        let polygon = |v: &Value| -> Result<Vec<Ring>, AtlasError> {
            v.as_array()
                .ok_or_else(|| bad("a polygon"))?
                .iter()
                .map(ring)
                .collect()
        };
        let countries = geometries
            .iter()
            .map(|g| {
                let arcs = g.get("arcs");
                let polygons = match g.get("type").and_then(Value::as_str) {
                    Some("Polygon") => vec![polygon(arcs.ok_or_else(|| bad("polygon arcs"))?)?],
                    Some("MultiPolygon") => arcs
                        .and_then(Value::as_array)
                        .ok_or_else(|| bad("multipolygon arcs"))?
                        .iter()
                        .map(polygon)
                        .collect::<Result<_, _>>()?,
                    _ => Vec::new(),
                };
                Ok(Country {
                    id: g.get("id").and_then(Value::as_str).map(str::to_string),
                    name: g
                        .pointer("/properties/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    polygons,
                })
            })
            .collect::<Result<_, AtlasError>>()?;
        Ok(Atlas { countries })
    }
}

/// Map names that differ from COW's, for states the ISO code cannot match:
/// COW 345 is "Yugoslavia" with no ISO code; the map calls it Serbia.
pub const NAME_ALIASES: &[(&str, Ccode)] = &[("serbia", Ccode(345))];

/// A name reduced for comparison: lower case, letters and digits only, `&` as `and`.
pub fn normalise_name(s: &str) -> String {
    s.replace('&', "and")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
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

/// A state as the join sees it.
#[derive(Debug, Clone, Copy)]
pub struct StateKey<'a> {
    pub ccode: Ccode,
    pub iso_numeric: Option<u16>,
    pub name: &'a str,
}

/// Match every feature (given by its id and name) to one of `states`: by ISO
/// numeric code, then, for states no feature took by code, by name.
pub fn join<'a>(
    features: impl Iterator<Item = (Option<&'a str>, &'a str)> + Clone,
    states: &[StateKey],
) -> Vec<Option<(Ccode, MatchedBy)>> {
    let by_iso = |id: &str| -> Option<Ccode> {
        let n: u16 = id.parse().ok()?;
        states
            .iter()
            .find(|s| s.iso_numeric == Some(n))
            .map(|s| s.ccode)
    };
    let mut out: Vec<Option<(Ccode, MatchedBy)>> = features
        .clone()
        .map(|(id, _)| id.and_then(by_iso).map(|c| (c, MatchedBy::IsoNumeric)))
        .collect();
    // Names only for states no feature took by code, so a name never steals a coded match.
    let taken: Vec<Ccode> = out.iter().flatten().map(|m| m.0).collect();
    for ((_, name), slot) in features.zip(out.iter_mut()) {
        if slot.is_some() {
            continue;
        }
        let name = normalise_name(name);
        let alias = NAME_ALIASES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c);
        *slot = states
            .iter()
            .filter(|s| !taken.contains(&s.ccode))
            .find(|s| Some(s.ccode) == alias || normalise_name(s.name) == name)
            .map(|s| (s.ccode, MatchedBy::Name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_map_decodes() {
        let a = Atlas::bundled().unwrap();
        assert_eq!(a.countries.len(), 177);
        let fr = a.countries.iter().find(|c| c.name == "France").unwrap();
        assert_eq!(fr.iso_numeric(), Some(250));
        // Metropolitan France and French Guiana (and Corsica).
        assert!(fr.polygons.len() >= 2);
        for c in &a.countries {
            for p in &c.polygons {
                for r in p {
                    assert!(r.len() >= 4, "{}: a ring of {} points", c.name, r.len());
                    assert_eq!(r.first(), r.last(), "{}: an open ring", c.name);
                    for &(lon, lat) in r {
                        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
                    }
                }
            }
        }
        // Paris lies inside France's bounding box, Canberra inside Australia's.
        let inside = |name: &str, (lon, lat): (f64, f64)| {
            let c = a.countries.iter().find(|c| c.name == name).unwrap();
            let pts = c.polygons.iter().flatten().flatten();
            let (x0, x1) = pts
                .clone()
                .fold((180.0f64, -180.0f64), |(a, b), p| (a.min(p.0), b.max(p.0)));
            let (y0, y1) = pts.fold((90.0f64, -90.0f64), |(a, b), p| (a.min(p.1), b.max(p.1)));
            (x0..=x1).contains(&lon) && (y0..=y1).contains(&lat)
        };
        assert!(inside("France", (2.35, 48.86)));
        assert!(inside("Australia", (149.13, -35.28)));
    }

    #[test]
    fn features_join_by_code_then_by_name() {
        let states = [
            StateKey {
                ccode: Ccode(220),
                iso_numeric: Some(250),
                name: "France",
            },
            StateKey {
                ccode: Ccode(345),
                iso_numeric: None,
                name: "Yugoslavia",
            },
            StateKey {
                ccode: Ccode(347),
                iso_numeric: None,
                name: "Kosovo",
            },
        ];
        let feats = [
            (Some("250"), "France"),
            (Some("688"), "Serbia"),
            (None, "Kosovo"),
            (Some("036"), "Australia"),
        ];
        let j = join(feats.iter().map(|(a, b)| (*a, *b)), &states);
        assert_eq!(j[0], Some((Ccode(220), MatchedBy::IsoNumeric)));
        assert_eq!(j[1], Some((Ccode(345), MatchedBy::Name)));
        assert_eq!(j[2], Some((Ccode(347), MatchedBy::Name)));
        assert_eq!(j[3], None);
        assert_eq!(normalise_name("Bosnia & Herz."), "bosniaandherz");
    }

    #[test]
    fn a_malformed_topology_is_an_error_not_a_panic() {
        for bad in [
            serde_json::json!({}),
            serde_json::json!({"arcs": [[[0, 0]]], "objects": {}}),
            serde_json::json!({"arcs": [[[0, 0], [1, 1]]], "objects": {"countries": {"geometries": [{"type": "Polygon", "arcs": [[7]]}]}}}),
            serde_json::json!({"arcs": [[["a", 0]]], "objects": {"countries": {"geometries": []}}}),
        ] {
            assert!(Atlas::parse(&bad).is_err(), "{bad}");
        }
    }
}
