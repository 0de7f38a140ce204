//! The world state of one year: every state in the system with its
//! capabilities, spending, economy and location, and the dyadic ties between
//! them.
//!
//! Built by [`World::for_year`] from an [`Archive`] (indexed [`Sources`](crate::sources::Sources)). Every
//! value carries the [`Source`] it came from; a value no data set covers is
//! `None` with [`Source::Missing`], never 0. Where a data set ends before the
//! requested year and the fact is durable (borders, treaties in force, state
//! membership), it is carried forward and the world's [`World::notes`] say so.

use std::collections::{BTreeMap, HashSet};

use crate::ids::IdMap as HashMap;

use crate::capabilities::{self, Components};
use crate::ids::{Ccode, Iso3};
use crate::sources::{Contiguity, CowAlliance, Date, ObligationKind, Obligations, TieMember};

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// COW National Material Capabilities v7.0.
    Nmc,
    /// SIPRI Military Expenditure Database (2025 release).
    Sipri,
    /// SIPRI's series rescaled to NMC's level by the per-country overlap ratio.
    Spliced,
    /// A documented assumption (see `data/handcoded/milex_assumptions.csv`).
    Assumed,
    /// UN World Population Prospects 2024 (median).
    Wpp,
    /// IMF World Economic Outlook, October 2025.
    Imf,
    /// Federation of American Scientists' estimates.
    Fas,
    /// Extended Unified Democracy Scores (Marquez 2016, via isard).
    Uds,
    /// V-Dem v16.
    Vdem,
    /// UN General Assembly ideal points (Bailey, Strezhnev and Voeten, July 2025).
    Unga,
    /// Interpolated between two sourced years.
    Interpolated,
    /// An earlier year's value carried forward (after a data set ends, or over a
    /// year it skips); the world's notes say which.
    Carried,
    /// Recomputed from components, or estimated from carried-forward components.
    Estimated,
    /// No data set covers it.
    Missing,
}

impl Source {
    /// Every source, in the order docs/codebook.md lists them.
    pub const ALL: [Source; 14] = [
        Source::Nmc,
        Source::Sipri,
        Source::Spliced,
        Source::Assumed,
        Source::Wpp,
        Source::Imf,
        Source::Fas,
        Source::Uds,
        Source::Vdem,
        Source::Unga,
        Source::Interpolated,
        Source::Carried,
        Source::Estimated,
        Source::Missing,
    ];

    /// What the flag means, in a sentence (docs/codebook.md).
    pub fn describe(self) -> &'static str {
        match self {
            Source::Nmc => "COW National Material Capabilities v7.0",
            Source::Sipri => "SIPRI Military Expenditure Database (2025 release)",
            Source::Spliced => "SIPRI's series rescaled to NMC's level by the per-country overlap ratio",
            Source::Assumed => "a documented assumption (data/handcoded/milex_assumptions.csv), with its low/high band",
            Source::Wpp => "UN World Population Prospects 2024 (median)",
            Source::Imf => "IMF World Economic Outlook, October 2025",
            Source::Fas => "Federation of American Scientists' estimates",
            Source::Uds => "Extended Unified Democracy Scores (Marquez 2016)",
            Source::Vdem => "V-Dem v16",
            Source::Unga => "UN General Assembly ideal points (Bailey, Strezhnev and Voeten, July 2025)",
            Source::Interpolated => "interpolated between two sourced years",
            Source::Carried => "an earlier year's value carried forward (the world's notes say which)",
            Source::Estimated => "recomputed from components, or estimated from carried-forward components",
            Source::Missing => "no data set covers it: the value is missing (NA), never 0",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Source::Nmc => "nmc",
            Source::Sipri => "sipri",
            Source::Spliced => "spliced",
            Source::Assumed => "assumed",
            Source::Wpp => "wpp",
            Source::Imf => "imf",
            Source::Fas => "fas",
            Source::Uds => "uds",
            Source::Vdem => "vdem",
            Source::Unga => "unga",
            Source::Interpolated => "interpolated",
            Source::Carried => "carried",
            Source::Estimated => "estimated",
            Source::Missing => "NA",
        }
    }
}

/// A value with its provenance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sourced {
    pub value: Option<f64>,
    pub source: Source,
}

impl Sourced {
    pub const MISSING: Sourced = Sourced {
        value: None,
        source: Source::Missing,
    };
    pub fn new(value: f64, source: Source) -> Sourced {
        Sourced {
            value: Some(value),
            source,
        }
    }
    pub(crate) fn from_option(value: Option<f64>, source: Source) -> Sourced {
        match value {
            Some(v) => Sourced::new(v, source),
            None => Sourced::MISSING,
        }
    }
}

/// Military expenditure of a state-year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Milex {
    /// US$ million, current prices, on NMC's basis (NMC to its last year, then
    /// SIPRI spliced by the overlap ratio).
    pub current_usd_m: Sourced,
    /// US$ million at constant 2023 prices (SIPRI's basis).
    pub const2023_usd_m: Sourced,
    /// For assumed values: the (low, high) band carried as uncertainty.
    pub assumed_range_usd_m: Option<(f64, f64)>,
    /// NMC / SIPRI ratio used for the splice, if one was computed.
    pub splice_ratio: Option<f64>,
}

/// A capital city.
#[derive(Debug, Clone, PartialEq)]
pub struct Capital {
    pub name: String,
    pub lat_deg: f64,
    pub lon_deg: f64,
}

/// One state in the system in the world's year.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub ccode: Ccode,
    /// COW's three-letter abbreviation (e.g. `ROK`).
    pub abb: String,
    pub iso3: Option<Iso3>,
    /// ISO 3166-1 numeric code, when the crosswalk has one.
    pub iso_numeric: Option<u16>,
    pub name: String,
    pub major_power: bool,
    /// The six NMC components for the year (all `None` outside NMC's years).
    pub nmc: Components,
    /// NMC's own CINC (`None` outside NMC's years).
    pub cinc: Option<f64>,
    /// CINC recomputed from components; after NMC's last year, estimated from
    /// the last NMC components with spending and population updated.
    pub cinc_est: Sourced,
    pub milex: Milex,
    pub gdp_current_usd_bn: Sourced,
    pub gdp_ppp_intl_bn: Sourced,
    pub population_k: Sourced,
    pub nuclear_warheads: Sourced,
    pub capital: Option<Capital>,
    /// Extended Unified Democracy Score (latent scale, mean about 0).
    pub democracy_uds: Sourced,
    /// V-Dem electoral democracy (polyarchy) index, 0-1.
    pub polyarchy: Sourced,
    /// UN General Assembly ideal point (final-passage votes); higher is closer
    /// to the United States' positions.
    pub ideal_point: Sourced,
}

/// The ties and geography of a pair of states.
#[derive(Debug, Clone, PartialEq)]
pub struct Dyad {
    pub a: Ccode,
    pub b: Ccode,
    /// Obligations in either direction (ATOP, carried forward after its last
    /// year, plus hand-coded ties).
    pub obligations: Obligations,
    /// Ids of the hand-coded ties behind some of the obligations.
    pub ties: Vec<String>,
    pub cow_alliance: CowAlliance,
    pub contiguity: Contiguity,
    pub capital_distance_km: Option<f64>,
    pub min_distance_km: Option<f64>,
    /// The strategic rivalry between the two, if any (its name).
    pub rivalry: Option<String>,
    /// Years since their last dispute ([`World::peace_years`]).
    pub peace_years: Option<u32>,
    /// Distance between their UN ideal points.
    pub ideal_point_distance: Option<f64>,
}

/// Why a world state cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    #[error("no data set covers {year}: years {first}-{last} are available")]
    YearOutOfRange { year: i32, first: i32, last: i32 },
    #[error("the sources are empty: no NMC rows")]
    NoData,
}

/// The last year each data set covers, derived from the data themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub first_year: i32,
    pub last_year: i32,
    pub nmc_last: i32,
    pub states_last: i32,
    pub atop_last: Option<i32>,
    pub cow_alliance_last: Option<i32>,
    pub contiguity_last: Option<i32>,
    pub mindist_last: Option<i32>,
    pub rivalries_last: Option<i32>,
    pub sipri_last: Option<i32>,
    pub wpp_first: Option<i32>,
    pub warheads_last: Option<i32>,
    pub disputes_last: Option<i32>,
    pub democracy_last: Option<i32>,
    pub ideal_points_last: Option<i32>,
}

mod archive;
mod edit;
mod history;
mod resolve;

pub use archive::Archive;
pub use history::DyadHistory;
pub use resolve::{edit_distance, ActorError};

/// The world state of one year.
#[derive(Debug, Clone)]
pub struct World {
    pub year: i32,
    /// Every state in the system, ordered by COW code.
    pub states: Vec<State>,
    index: HashMap<Ccode, usize>,
    obligations: HashMap<(Ccode, Ccode), (Obligations, Vec<String>)>,
    cow_alliances: HashMap<(Ccode, Ccode), CowAlliance>,
    contiguity: HashMap<(Ccode, Ccode), Contiguity>,
    mindist_km: HashMap<(Ccode, Ccode), f64>,
    rivalries: HashMap<(Ccode, Ccode), String>,
    /// Members of each named group (NATO, ASEAN, IP4...) in the year.
    pub groups: BTreeMap<String, Vec<Ccode>>,
    history: std::sync::Arc<DyadHistory>,
    /// The year whose peace years apply (the world's, or the year after the
    /// dispute data end); `None` without dispute data.
    peace_as_of: Option<i32>,
    /// What was carried forward or assumed to build this year.
    pub notes: Vec<String>,
}

fn key(a: Ccode, b: Ccode) -> (Ccode, Ccode) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn great_circle_km(a: &Capital, b: &Capital) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (p1, p2) = (a.lat_deg.to_radians(), b.lat_deg.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon_deg - a.lon_deg).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

impl World {
    /// Build the world state of `year` from the archive.
    pub fn for_year(archive: &Archive, year: i32) -> Result<World, WorldError> {
        let cov = archive.coverage;
        if year < cov.first_year || year > cov.last_year {
            return Err(WorldError::YearOutOfRange {
                year,
                first: cov.first_year,
                last: cov.last_year,
            });
        }
        let src = &archive.src;
        let mut notes = Vec::new();

        // States: COW system membership; the list ends in `states_last`, and
        // states in the system then are carried forward.
        let carry_states = year > cov.states_last;
        if carry_states {
            notes.push(format!(
                "state list: COW v2016 ends {}; states in the system then are assumed still in it",
                cov.states_last
            ));
        }
        let mut members: BTreeMap<Ccode, (&str, &str)> = BTreeMap::new();
        for s in &src.states {
            let alive = if carry_states {
                s.end.year == cov.states_last && s.end.month == 12 && s.end.day == 31
            } else {
                Date::spell_overlaps(s.start, Some(s.end), year)
            };
            if alive {
                members.insert(s.ccode, (&s.abb, &s.name));
            }
        }
        let carry_majors = year > cov.states_last;
        let majors: HashSet<Ccode> = src
            .majors
            .iter()
            .filter(|m| {
                if carry_majors {
                    m.end.year == cov.states_last
                } else {
                    Date::spell_overlaps(m.start, Some(m.end), year)
                }
            })
            .map(|m| m.ccode)
            .collect();

        // CINC: NMC's own, and an estimate for later years from the last NMC
        // components with spending and population brought up to date.
        let est_components: Vec<Components> = members
            .keys()
            .map(|&c| {
                if year <= cov.nmc_last {
                    archive.nmc_components(c, year).unwrap_or_default()
                } else {
                    let mut k = archive.nmc_components(c, cov.nmc_last).unwrap_or_default();
                    k.milex_k = archive
                        .milex(c, year)
                        .current_usd_m
                        .value
                        .map(|m| m * 1000.0);
                    k.tpop_k = archive.population(c, year).value;
                    k
                }
            })
            .collect();
        let cinc_est = capabilities::cinc(&est_components);
        if year > cov.nmc_last {
            notes.push(format!(
                "capabilities: NMC v7.0 ends {}; cinc_est uses its last components with spending and population of {year}",
                cov.nmc_last
            ));
        }

        let mut states = Vec::with_capacity(members.len());
        for ((&c, &(abb, name)), est) in members.iter().zip(cinc_est) {
            let nmc_row = archive.nmc.get(&(c, year)).map(|&i| &src.nmc[i]);
            let (uds, polyarchy) = archive.democracy(c, year);
            let gdp = archive.gdp.get(&(c, year)).map(|&i| &src.gdp[i]);
            let mid = Date::new(year, 7, 1);
            let capital = archive
                .capitals_of
                .get(&c)
                .into_iter()
                .flatten()
                .map(|&i| &src.capitals[i])
                .filter(|k| Date::spell_overlaps(k.start, Some(k.end), year))
                .max_by_key(|k| (k.start <= mid && k.end >= mid, k.start))
                .map(|k| Capital {
                    name: k.capital.clone(),
                    lat_deg: k.lat_deg,
                    lon_deg: k.lon_deg,
                });
            states.push(State {
                ccode: c,
                abb: abb.to_string(),
                iso3: archive.iso3.get(&c).copied(),
                iso_numeric: archive.iso_numeric.get(&c).copied(),
                name: name.to_string(),
                major_power: majors.contains(&c),
                nmc: archive.nmc_components(c, year).unwrap_or_default(),
                cinc: nmc_row.and_then(|r| r.cinc),
                cinc_est: Sourced::from_option(
                    est,
                    if year <= cov.nmc_last {
                        Source::Nmc
                    } else {
                        Source::Estimated
                    },
                ),
                milex: archive.milex(c, year),
                gdp_current_usd_bn: Sourced::from_option(
                    gdp.and_then(|g| g.current_usd_bn),
                    Source::Imf,
                ),
                gdp_ppp_intl_bn: Sourced::from_option(gdp.and_then(|g| g.ppp_intl_bn), Source::Imf),
                population_k: archive.population(c, year),
                nuclear_warheads: archive.warheads(c, year),
                capital,
                democracy_uds: uds,
                polyarchy,
                ideal_point: archive.ideal_point(c, year),
            });
        }
        let index = states
            .iter()
            .enumerate()
            .map(|(i, s)| (s.ccode, i))
            .collect();

        // Groups by year.
        let mut groups: BTreeMap<String, Vec<Ccode>> = BTreeMap::new();
        for m in &src.memberships {
            let joined = m.joined.unwrap_or(Date::new(i32::MIN, 1, 1));
            if Date::spell_overlaps(joined, m.left, year) && members.contains_key(&m.ccode) {
                groups.entry(m.group.clone()).or_default().push(m.ccode);
            }
        }
        for v in groups.values_mut() {
            v.sort_unstable();
            v.dedup();
        }

        // Obligations: ATOP for its years, its last year carried forward after,
        // plus hand-coded ties.
        let mut obligations: HashMap<(Ccode, Ccode), (Obligations, Vec<String>)> =
            HashMap::default();
        if let Some(atop_last) = cov.atop_last {
            let atop_year = year.min(atop_last);
            if year > atop_last {
                notes.push(format!(
                    "alliances: ATOP 5.1 ends {atop_last}; obligations in force then are carried forward, with hand-coded ties after"
                ));
            }
            for &i in archive.atop_by_year.get(&atop_year).into_iter().flatten() {
                let r = &src.atop[i];
                if members.contains_key(&r.ccode1) && members.contains_key(&r.ccode2) {
                    let e = obligations.entry(key(r.ccode1, r.ccode2)).or_default();
                    e.0 = e.0.union(r.obligations);
                }
            }
        }
        for t in &src.ties {
            if !Date::spell_overlaps(t.signed, t.ended, year) {
                continue;
            }
            // Expand members; pairs drawn from the same group token are left to
            // that group's own ties.
            let expanded: Vec<(usize, Ccode)> = t
                .members
                .iter()
                .enumerate()
                .flat_map(|(k, m)| match m {
                    TieMember::State(c) => vec![(k, *c)],
                    TieMember::Group(g) => groups
                        .get(g)
                        .map(|v| v.iter().map(|c| (k, *c)).collect())
                        .unwrap_or_default(),
                })
                .filter(|(_, c)| members.contains_key(c))
                .collect();
            for (x, &(ka, a)) in expanded.iter().enumerate() {
                for &(kb, b) in &expanded[x + 1..] {
                    if a == b || ka == kb {
                        continue;
                    }
                    let e = obligations.entry(key(a, b)).or_default();
                    e.0 = e.0.union(Obligations::of_kind(t.obligation));
                    if !e.1.contains(&t.id) {
                        e.1.push(t.id.clone());
                    }
                }
            }
        }

        // COW alliances (Gibler v4.1), in-force spells carried after 2012.
        let mut cow_alliances: HashMap<(Ccode, Ccode), CowAlliance> = HashMap::default();
        let carry_cow = cov.cow_alliance_last.is_some_and(|l| year > l);
        for s in &src.cow_alliances {
            let live = if carry_cow {
                s.end.is_none()
            } else {
                Date::spell_overlaps(s.start, s.end, year)
            };
            if live && members.contains_key(&s.ccode1) && members.contains_key(&s.ccode2) {
                let e = cow_alliances.entry(key(s.ccode1, s.ccode2)).or_default();
                *e = e.union(s.kind);
            }
        }
        if carry_cow {
            notes.push(format!(
                "alliances: COW v4.1 ends {}; alliances in force then are carried forward",
                cov.cow_alliance_last.unwrap_or_default()
            ));
        }

        // Contiguity (v3.2), carried after its last year.
        let mut contiguity = HashMap::default();
        if let Some(last) = cov.contiguity_last {
            let carry = year > last;
            if carry {
                notes.push(format!(
                    "contiguity: COW v3.2 ends {last}; borders then are carried forward"
                ));
            }
            for s in &src.contiguity {
                let live = if carry {
                    s.end.year == last
                } else {
                    Date::spell_overlaps(s.start, Some(s.end), year)
                };
                if live {
                    let e = contiguity.entry(key(s.ccode1, s.ccode2)).or_insert(s.kind);
                    *e = (*e).min(s.kind);
                }
            }
        }

        // Minimum distances (CShapes 2.0), carried after their last year.
        let mut mindist_km = HashMap::default();
        if let Some(last) = cov.mindist_last {
            let carry = year > last;
            if carry {
                notes.push(format!(
                    "distances: CShapes 2.0 ends {last}; minimum distances then are carried forward"
                ));
            }
            for s in &src.mindist {
                let live = if carry {
                    s.end_year == last
                } else {
                    (s.start_year..=s.end_year).contains(&year)
                };
                if live {
                    mindist_km.insert(key(s.ccode1, s.ccode2), s.km);
                }
            }
        }

        // Strategic rivalries; those ongoing at the data's end are carried.
        let mut rivalries = HashMap::default();
        if let Some(last) = cov.rivalries_last {
            let carry = year > last;
            if carry {
                notes.push(format!(
                    "rivalries: Thompson-Sakuwa-Suhas ends {last}; rivalries ongoing then are carried forward"
                ));
            }
            for r in &src.rivalries {
                let live = if carry {
                    r.end_year == last
                } else {
                    (r.start_year..=r.end_year).contains(&year)
                };
                if live {
                    rivalries.insert(key(r.ccode1, r.ccode2), r.name.clone());
                }
            }
        }

        // Peace years: from the dispute data; after they end, each dyad's peace
        // years of the year after their last are held there.
        let peace_as_of = archive.history.dispute_years().map(|(_, last)| {
            if year > last + 1 {
                notes.push(format!(
                    "disputes: COW MID 5.0 ends {last}; peace years are held at their {} values",
                    last + 1
                ));
            }
            year.min(last + 1)
        });
        if let Some(last) = cov.democracy_last.filter(|&l| year > l) {
            notes.push(format!(
                "democracy: UDS and V-Dem end {last}; their {last} scores are carried forward"
            ));
        }
        match cov.ideal_points_last {
            Some(last) if year > last => notes.push(format!(
                "UN ideal points: the data end {last}; {last} positions are carried forward"
            )),
            Some(_) if !archive.ideal_point_years.contains(&year) && year >= 1946 => {
                notes.push(format!(
                    "UN ideal points: no recorded votes in {year}; the previous year's positions are used"
                ))
            }
            _ => {}
        }

        Ok(World {
            year,
            states,
            index,
            obligations,
            cow_alliances,
            contiguity,
            mindist_km,
            rivalries,
            groups,
            history: archive.history.clone(),
            peace_as_of,
            notes,
        })
    }

    pub fn state(&self, c: Ccode) -> Option<&State> {
        self.index.get(&c).map(|&i| &self.states[i])
    }

    pub fn by_iso3(&self, iso3: Iso3) -> Option<&State> {
        self.states.iter().find(|s| s.iso3 == Some(iso3))
    }

    /// The ties and geography of `a` and `b` (in that order).
    pub fn dyad(&self, a: Ccode, b: Ccode) -> Dyad {
        let k = key(a, b);
        let (obligations, ties) = self.obligations.get(&k).cloned().unwrap_or_default();
        let capital_distance_km = match (
            self.state(a).and_then(|s| s.capital.as_ref()),
            self.state(b).and_then(|s| s.capital.as_ref()),
        ) {
            (Some(x), Some(y)) => Some(great_circle_km(x, y)),
            _ => None,
        };
        Dyad {
            a,
            b,
            obligations,
            ties,
            cow_alliance: self.cow_alliances.get(&k).copied().unwrap_or_default(),
            contiguity: self.contiguity.get(&k).copied().unwrap_or(Contiguity::None),
            capital_distance_km,
            min_distance_km: if a == b {
                Some(0.0)
            } else {
                self.mindist_km.get(&k).copied()
            },
            rivalry: self.rivalries.get(&k).cloned(),
            peace_years: self.peace_years(a, b),
            ideal_point_distance: self.ideal_point_distance(a, b),
        }
    }

    /// Obligations between two states (cheap: no allocation).
    pub fn obligations_between(&self, a: Ccode, b: Ccode) -> Obligations {
        self.obligations
            .get(&key(a, b))
            .map(|e| e.0)
            .unwrap_or_default()
    }

    /// Whether two states share a defence pact in COW's, ATOP's or hand-coded data.
    pub fn defence_between(&self, a: Ccode, b: Ccode) -> bool {
        a != b
            && (self.obligations_between(a, b).defence
                || self
                    .cow_alliances
                    .get(&key(a, b))
                    .is_some_and(|c| c.defense))
    }

    /// Every pair of states in this world with a direct contiguity (land or
    /// up to 400 miles of water), each once as `(a, b)` with `a < b`, sorted.
    pub fn contiguous_pairs(&self) -> Vec<(Ccode, Ccode)> {
        let mut v: Vec<(Ccode, Ccode)> = self
            .contiguity
            .iter()
            .filter(|(k, c)| {
                **c != Contiguity::None
                    && k.0 != k.1
                    && self.index.contains_key(&k.0)
                    && self.index.contains_key(&k.1)
            })
            .map(|(k, _)| *k)
            .collect();
        v.sort_unstable();
        v
    }

    /// COW direct contiguity between two states.
    pub fn contiguity_between(&self, a: Ccode, b: Ccode) -> Contiguity {
        self.contiguity
            .get(&key(a, b))
            .copied()
            .unwrap_or(Contiguity::None)
    }

    /// Years since the dyad's last militarized dispute (COW MID 5.0, counted as
    /// in [`DyadHistory::peace_years`]); after the data end, the count of the
    /// year after their last is held (the notes say so). `None` for a state not
    /// in this world or without dispute data.
    pub fn peace_years(&self, a: Ccode, b: Ccode) -> Option<u32> {
        if a == b || self.state(a).is_none() || self.state(b).is_none() {
            return None;
        }
        self.history.peace_years(a, b, self.peace_as_of?)
    }

    /// Whether a dispute between the two was ongoing in this world's year
    /// (`false` after the dispute data end).
    pub fn dispute_ongoing(&self, a: Ccode, b: Ccode) -> bool {
        self.history.ongoing(a, b, self.year)
    }

    /// Distance between the two states' UN ideal points, if both have one.
    pub fn ideal_point_distance(&self, a: Ccode, b: Ccode) -> Option<f64> {
        let ip = |c| self.state(c).and_then(|s| s.ideal_point.value);
        Some((ip(a)? - ip(b)?).abs())
    }

    /// Whether two states are strategic rivals.
    pub fn rivalry_between(&self, a: Ccode, b: Ccode) -> bool {
        self.rivalries.contains_key(&key(a, b))
    }

    /// Great-circle distance between capitals, km.
    pub fn capital_distance_km(&self, a: Ccode, b: Ccode) -> Option<f64> {
        if a == b {
            return Some(0.0);
        }
        match (
            self.state(a).and_then(|s| s.capital.as_ref()),
            self.state(b).and_then(|s| s.capital.as_ref()),
        ) {
            (Some(x), Some(y)) => Some(great_circle_km(x, y)),
            _ => None,
        }
    }

    /// CShapes minimum distance, km.
    pub fn min_distance_km(&self, a: Ccode, b: Ccode) -> Option<f64> {
        if a == b {
            return Some(0.0);
        }
        self.mindist_km.get(&key(a, b)).copied()
    }

    /// A short label for a state: its ISO3 code, or COW abbreviation for states
    /// without one, or the COW code for states not in this year's system.
    pub fn label(&self, c: Ccode) -> String {
        self.state(c)
            .map(|s| {
                s.iso3
                    .map(|i| i.to_string())
                    .unwrap_or_else(|| s.abb.clone())
            })
            .unwrap_or_else(|| c.to_string())
    }

    /// The members of a group in this year (empty if unknown).
    pub fn group(&self, name: &str) -> &[Ccode] {
        self.groups.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_matches_known_distance() {
        // Washington to Beijing is about 11,150 km.
        let w = Capital {
            name: "Washington".into(),
            lat_deg: 38.895,
            lon_deg: -77.0366,
        };
        let b = Capital {
            name: "Beijing".into(),
            lat_deg: 39.9042,
            lon_deg: 116.4074,
        };
        let d = great_circle_km(&w, &b);
        assert!((d - 11_150.0).abs() < 50.0, "{d}");
        assert_eq!(great_circle_km(&w, &w), 0.0);
    }
}
