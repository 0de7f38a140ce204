//! Plain records of the real-world data sets, as the loaders hand them over.
//!
//! Each record keeps the source's own units (named in the field) and its own
//! notion of missing (`None`). Nothing here is derived: [`crate::world`] does the
//! splicing, carrying forward and flagging.

use crate::ids::{Ccode, Iso3};

/// A calendar date (proleptic Gregorian), ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }
    pub const fn first_of(year: i32) -> Date {
        Date::new(year, 1, 1)
    }
    pub const fn last_of(year: i32) -> Date {
        Date::new(year, 12, 31)
    }
    /// Does the closed interval `[start, end]` overlap calendar year `year`?
    pub fn spell_overlaps(start: Date, end: Option<Date>, year: i32) -> bool {
        start <= Date::last_of(year) && end.is_none_or(|e| e >= Date::first_of(year))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A spell of membership in the COW state system (COW State System Membership).
#[derive(Debug, Clone, PartialEq)]
pub struct StateSpell {
    pub ccode: Ccode,
    pub abb: String,
    pub name: String,
    pub start: Date,
    pub end: Date,
}

/// A spell of major-power status (COW).
#[derive(Debug, Clone, PartialEq)]
pub struct MajorPowerSpell {
    pub ccode: Ccode,
    pub start: Date,
    pub end: Date,
}

/// One state-year of COW National Material Capabilities (v7.0).
///
/// Units as in NMC: milex in thousands of current US$ (GBP before 1914),
/// milper in thousands, iron and steel in thousand tons, primary energy in
/// thousand tons of coal equivalent, population in thousands.
#[derive(Debug, Clone, PartialEq)]
pub struct NmcRow {
    pub ccode: Ccode,
    pub abb: String,
    pub year: i32,
    pub milex_k: Option<f64>,
    pub milper_k: Option<f64>,
    pub irst_kt: Option<f64>,
    pub pec_kt_coal: Option<f64>,
    pub tpop_k: Option<f64>,
    pub upop_k: Option<f64>,
    pub cinc: Option<f64>,
}

/// One state-year of the SIPRI Military Expenditure Database (scenario subset).
#[derive(Debug, Clone, PartialEq)]
pub struct SipriRow {
    pub ccode: Ccode,
    pub year: i32,
    /// US$ million at constant 2023 prices and exchange rates.
    pub milex_const2023_usd_m: Option<f64>,
    /// Military expenditure as a fraction of GDP (0.034 = 3.4%).
    pub share_of_gdp: Option<f64>,
    /// SIPRI's status note (`estimate`, `uncertain`, empty...).
    pub status: String,
}

/// One country-year of IMF WEO GDP.
#[derive(Debug, Clone, PartialEq)]
pub struct GdpRow {
    pub ccode: Ccode,
    pub year: i32,
    pub current_usd_bn: Option<f64>,
    pub ppp_intl_bn: Option<f64>,
    pub projection: bool,
}

/// One country-year of UN WPP 2024 total population (median variant).
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationRow {
    pub ccode: Ccode,
    pub year: i32,
    pub thousands: f64,
}

/// Nuclear warheads held by a state in a year (FAS estimates).
#[derive(Debug, Clone, PartialEq)]
pub struct WarheadRow {
    pub ccode: Ccode,
    pub year: i32,
    pub stockpile: f64,
}

/// A capital city with its coordinates, for a spell.
#[derive(Debug, Clone, PartialEq)]
pub struct CapitalSpell {
    pub ccode: Ccode,
    pub capital: String,
    pub start: Date,
    pub end: Date,
    pub lat_deg: f64,
    pub lon_deg: f64,
}

/// One directed dyad-year of ATOP 5.1 obligations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtopRow {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub year: i32,
    pub obligations: Obligations,
}

/// Alliance obligations between two states (ATOP's five, plus Entente's
/// `cooperation` for access and partnership agreements that carry none of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Obligations {
    pub defence: bool,
    pub offence: bool,
    pub neutrality: bool,
    pub nonaggression: bool,
    pub consultation: bool,
    pub cooperation: bool,
}

impl Obligations {
    pub fn union(self, o: Obligations) -> Obligations {
        Obligations {
            defence: self.defence || o.defence,
            offence: self.offence || o.offence,
            neutrality: self.neutrality || o.neutrality,
            nonaggression: self.nonaggression || o.nonaggression,
            consultation: self.consultation || o.consultation,
            cooperation: self.cooperation || o.cooperation,
        }
    }
    pub fn any(self) -> bool {
        self != Obligations::default()
    }
    /// Whether the obligation of `kind` is among these.
    pub fn has(self, kind: ObligationKind) -> bool {
        match kind {
            ObligationKind::Defence => self.defence,
            ObligationKind::Offence => self.offence,
            ObligationKind::Neutrality => self.neutrality,
            ObligationKind::Nonaggression => self.nonaggression,
            ObligationKind::Consultation => self.consultation,
            ObligationKind::Cooperation => self.cooperation,
        }
    }
    pub fn of_kind(kind: ObligationKind) -> Obligations {
        let mut o = Obligations::default();
        match kind {
            ObligationKind::Defence => o.defence = true,
            ObligationKind::Offence => o.offence = true,
            ObligationKind::Neutrality => o.neutrality = true,
            ObligationKind::Nonaggression => o.nonaggression = true,
            ObligationKind::Consultation => o.consultation = true,
            ObligationKind::Cooperation => o.cooperation = true,
        }
        o
    }
}

/// One kind of obligation, as named in hand-coded ties and scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObligationKind {
    Defence,
    Offence,
    Neutrality,
    Nonaggression,
    Consultation,
    Cooperation,
}

impl ObligationKind {
    pub const ALL: [ObligationKind; 6] = [
        ObligationKind::Defence,
        ObligationKind::Offence,
        ObligationKind::Neutrality,
        ObligationKind::Nonaggression,
        ObligationKind::Consultation,
        ObligationKind::Cooperation,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ObligationKind::Defence => "defence",
            ObligationKind::Offence => "offence",
            ObligationKind::Neutrality => "neutrality",
            ObligationKind::Nonaggression => "nonaggression",
            ObligationKind::Consultation => "consultation",
            ObligationKind::Cooperation => "cooperation",
        }
    }
    /// Parse a name; accepts the US spellings and hyphenated forms too.
    pub fn parse(s: &str) -> Option<ObligationKind> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_', ' '], "")
            .as_str()
        {
            "defence" | "defense" => Some(ObligationKind::Defence),
            "offence" | "offense" => Some(ObligationKind::Offence),
            "neutrality" | "neutral" => Some(ObligationKind::Neutrality),
            "nonaggression" | "nonagg" => Some(ObligationKind::Nonaggression),
            "consultation" | "consul" => Some(ObligationKind::Consultation),
            "cooperation" | "partnership" => Some(ObligationKind::Cooperation),
            _ => None,
        }
    }
}

/// A spell of a COW Formal Alliances (v4.1) dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct CowAllianceSpell {
    pub alliance_id: u32,
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub start: Date,
    /// `None`: still in force when the data end (2012).
    pub end: Option<Date>,
    pub kind: CowAlliance,
}

/// COW alliance types of a dyad (a dyad can hold several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CowAlliance {
    pub defense: bool,
    pub neutrality: bool,
    pub nonaggression: bool,
    pub entente: bool,
}

impl CowAlliance {
    pub fn union(self, o: CowAlliance) -> CowAlliance {
        CowAlliance {
            defense: self.defense || o.defense,
            neutrality: self.neutrality || o.neutrality,
            nonaggression: self.nonaggression || o.nonaggression,
            entente: self.entente || o.entente,
        }
    }
}

/// A spell of COW direct contiguity (v3.2) for a directed dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct ContiguitySpell {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub kind: Contiguity,
    pub start: Date,
    pub end: Date,
}

/// COW direct contiguity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Contiguity {
    /// 1: land or river border.
    Land,
    /// 2: separated by 12 miles of water or less.
    Sea12,
    /// 3: by 24 miles or less.
    Sea24,
    /// 4: by 150 miles or less.
    Sea150,
    /// 5: by 400 miles or less.
    Sea400,
    /// Not directly contiguous.
    None,
}

impl Contiguity {
    pub fn from_cow(code: u8) -> Option<Contiguity> {
        match code {
            0 => Some(Contiguity::None),
            1 => Some(Contiguity::Land),
            2 => Some(Contiguity::Sea12),
            3 => Some(Contiguity::Sea24),
            4 => Some(Contiguity::Sea150),
            5 => Some(Contiguity::Sea400),
            _ => None,
        }
    }
    /// COW's code (0 for none).
    pub fn code(self) -> u8 {
        match self {
            Contiguity::Land => 1,
            Contiguity::Sea12 => 2,
            Contiguity::Sea24 => 3,
            Contiguity::Sea150 => 4,
            Contiguity::Sea400 => 5,
            Contiguity::None => 0,
        }
    }
}

/// A spell of the CShapes 2.0 minimum distance between two states, in km.
#[derive(Debug, Clone, PartialEq)]
pub struct MinDistSpell {
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub start_year: i32,
    pub end_year: i32,
    pub km: f64,
}

/// A strategic rivalry (Thompson, Sakuwa and Suhas 2022), years inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct RivalrySpell {
    pub name: String,
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub start_year: i32,
    /// Ongoing rivalries are coded to the data's last year (2020).
    pub end_year: i32,
    pub positional: bool,
    pub spatial: bool,
    pub ideological: bool,
    pub interventionary: bool,
}

/// A member of a hand-coded tie: one state, or a group expanded by year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TieMember {
    State(Ccode),
    Group(String),
}

/// A tie the alliance data sets do not cover yet, hand-coded with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    pub id: String,
    pub name: String,
    pub members: Vec<TieMember>,
    pub obligation: ObligationKind,
    pub signed: Date,
    pub in_force: Option<Date>,
    pub ended: Option<Date>,
    pub source: String,
}

/// Membership of a state in a named group (NATO, ASEAN, IP4...).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub group: String,
    pub ccode: Ccode,
    /// `None`: a label group with no accession date.
    pub joined: Option<Date>,
    pub left: Option<Date>,
}

/// A row of the COW-ISO3 crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRow {
    pub ccode: Ccode,
    pub iso3: Option<Iso3>,
    /// ISO 3166-1 numeric code (the ids of most world maps).
    pub iso_numeric: Option<u16>,
    pub name: String,
    pub region: String,
}

/// A documented assumption standing in for missing military spending.
#[derive(Debug, Clone, PartialEq)]
pub struct MilexAssumption {
    pub ccode: Ccode,
    pub from_year: i32,
    pub to_year: i32,
    pub current_usd_m: f64,
    pub low_usd_m: f64,
    pub high_usd_m: f64,
    pub source: String,
}

/// A non-directed dyad-year with an ongoing militarized interstate dispute
/// (COW MID 5.0, one dispute per dyad-year as peacesciencer whittles them).
/// Dyad-years without a row had no dispute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DisputeYear {
    /// `ccode1 < ccode2`.
    pub ccode1: Ccode,
    pub ccode2: Ccode,
    pub year: i32,
    /// A dispute began this year (otherwise one continued into it).
    pub onset: bool,
    /// Highest hostility: 1 none, 2 threat, 3 display, 4 use of force, 5 war.
    pub hostlev: u8,
    /// Fatality level 0 (none) to 6 (more than 999); `None` where unknown (-9).
    pub fatality: Option<u8>,
    pub dispnum: u32,
}

/// Democracy scores of a state-year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemocracyRow {
    pub ccode: Ccode,
    pub year: i32,
    /// Extended Unified Democracy Score (Marquez 2016, re-estimated by isard):
    /// a latent scale, mean about 0.
    pub uds: Option<f64>,
    /// V-Dem electoral democracy index `v2x_polyarchy`, 0-1.
    pub polyarchy: Option<f64>,
}

/// A state's UN General Assembly ideal point in a calendar year (Bailey,
/// Strezhnev and Voeten; final-passage votes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdealPointRow {
    pub ccode: Ccode,
    pub year: i32,
    pub ideal_point: f64,
}

/// Everything the world state is built from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub states: Vec<StateSpell>,
    pub majors: Vec<MajorPowerSpell>,
    pub nmc: Vec<NmcRow>,
    pub sipri: Vec<SipriRow>,
    pub gdp: Vec<GdpRow>,
    pub population: Vec<PopulationRow>,
    pub warheads: Vec<WarheadRow>,
    pub capitals: Vec<CapitalSpell>,
    pub atop: Vec<AtopRow>,
    pub cow_alliances: Vec<CowAllianceSpell>,
    pub contiguity: Vec<ContiguitySpell>,
    pub mindist: Vec<MinDistSpell>,
    pub rivalries: Vec<RivalrySpell>,
    pub ties: Vec<Tie>,
    pub memberships: Vec<Membership>,
    pub codes: Vec<CodeRow>,
    pub milex_assumptions: Vec<MilexAssumption>,
    pub disputes: Vec<DisputeYear>,
    pub democracy: Vec<DemocracyRow>,
    pub ideal_points: Vec<IdealPointRow>,
}
