//! What to cite when using Entente's output: the bundled data sets (each
//! covering files of `data/`, whose versions come from `data/SOURCES.md`) and
//! the published models the engine implements. `entente cite [--bibtex]`
//! prints [`CITATIONS`]; a test checks that every file `data/SOURCES.md`
//! lists is covered by some entry.

/// `data/SOURCES.md`, compiled in: the bundled files with their data set and version.
pub const SOURCES_MD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/SOURCES.md"
));

/// A bundled data file and its data set with version, as `data/SOURCES.md` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundledFile {
    pub file: String,
    pub dataset: String,
}

/// The files table of `data/SOURCES.md` (rows whose first cell is a `path`).
pub fn bundled_files() -> Vec<BundledFile> {
    SOURCES_MD
        .lines()
        .filter_map(|l| {
            let mut cells = l.strip_prefix('|')?.split('|').map(str::trim);
            let file = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
            let dataset = cells.next()?;
            Some(BundledFile {
                file: file.to_string(),
                dataset: dataset.to_string(),
            })
        })
        .collect()
}

/// What a citation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A bundled data set (or a producer of one).
    Data,
    /// A model or method the engine implements.
    Model,
    /// Entente itself.
    Software,
}

/// A BibTeX entry type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Article,
    Book,
    InCollection,
    /// Data sets, databases, software.
    Misc,
}

/// One work to cite.
#[derive(Debug, Clone, Copy)]
pub struct Citation {
    /// BibTeX key.
    pub key: &'static str,
    pub role: Role,
    pub kind: Kind,
    /// "Last, First" each.
    pub authors: &'static [&'static str],
    pub year: &'static str,
    pub title: &'static str,
    /// Journal, book (for a chapter), or publisher / producer.
    pub venue: &'static str,
    pub volume: &'static str,
    pub number: &'static str,
    pub pages: &'static str,
    pub url: &'static str,
    /// What Entente uses it for (and the version).
    pub note: &'static str,
    /// Prefixes of the `data/` files it covers.
    pub files: &'static [&'static str],
}

const fn cite(key: &'static str, role: Role, kind: Kind) -> Citation {
    Citation {
        key,
        role,
        kind,
        authors: &[],
        year: "",
        title: "",
        venue: "",
        volume: "",
        number: "",
        pages: "",
        url: "",
        note: "",
        files: &[],
    }
}

use Kind::{Article, Book, InCollection, Misc};
use Role::{Data, Model, Software};

/// Every work Entente asks its users to cite.
pub const CITATIONS: &[Citation] = &[
    Citation {
        authors: &["Entente contributors"],
        year: "2026",
        title: "Entente: modelling international security systems on real data",
        venue: "software",
        note: "version in `entente --version`; the hand-coded memberships, ties, name aliases and spending assumptions of data/handcoded/",
        files: &["handcoded/"],
        ..cite("entente", Software, Misc)
    },
    Citation {
        authors: &["Singer, J. David", "Bremer, Stuart", "Stuckey, John"],
        year: "1972",
        title: "Capability Distribution, Uncertainty, and Major Power War, 1820-1965",
        venue: "Peace, War, and Numbers (ed. Bruce Russett), Sage",
        pages: "19-48",
        note: "COW National Material Capabilities v7.0",
        files: &["cow/NMC-70-abridged.csv"],
        ..cite("singer1972nmc", Data, InCollection)
    },
    Citation {
        authors: &["Correlates of War Project"],
        year: "2017",
        title: "State System Membership List, v2016",
        venue: "Correlates of War Project",
        url: "https://correlatesofwar.org",
        note: "states and major powers v2016",
        files: &["cow/states2016", "cow/majors2016"],
        ..cite("cow2017states", Data, Misc)
    },
    Citation {
        authors: &["Gibler, Douglas M."],
        year: "2009",
        title: "International Military Alliances, 1648-2008",
        venue: "CQ Press",
        note: "COW Formal Alliances v4.1",
        files: &["cow/alliance_v4.1"],
        ..cite("gibler2009alliances", Data, Book)
    },
    Citation {
        authors: &["Stinnett, Douglas M.", "Tir, Jaroslav", "Schafer, Philip", "Diehl, Paul F.", "Gochman, Charles"],
        year: "2002",
        title: "The Correlates of War Project Direct Contiguity Data, Version 3",
        venue: "Conflict Management and Peace Science",
        volume: "19",
        number: "2",
        note: "COW Direct Contiguity v3.2",
        files: &["cow/cow_contdir"],
        ..cite("stinnett2002contiguity", Data, Article)
    },
    Citation {
        authors: &["Leeds, Brett Ashley", "Ritter, Jeffrey M.", "Mitchell, Sara McLaughlin", "Long, Andrew G."],
        year: "2002",
        title: "Alliance Treaty Obligations and Provisions, 1815-1944",
        venue: "International Interactions",
        volume: "28",
        pages: "237-260",
        note: "ATOP 5.1",
        files: &["atop/"],
        ..cite("leeds2002atop", Data, Article)
    },
    Citation {
        authors: &["Stockholm International Peace Research Institute"],
        year: "2025",
        title: "SIPRI Military Expenditure Database",
        venue: "SIPRI",
        url: "https://www.sipri.org/databases/milex",
        note: "2025 release; the 51 flagship states, 2000-2024",
        files: &["sipri/"],
        ..cite("sipri2025milex", Data, Misc)
    },
    Citation {
        authors: &["International Monetary Fund"],
        year: "2025",
        title: "World Economic Outlook Database, October 2025",
        venue: "IMF",
        url: "https://www.imf.org/en/Publications/WEO",
        note: "GDP, current US$ and PPP",
        files: &["economy/imf_weo"],
        ..cite("imf2025weo", Data, Misc)
    },
    Citation {
        authors: &["United Nations Population Division"],
        year: "2024",
        title: "World Population Prospects 2024",
        venue: "United Nations",
        url: "https://population.un.org/wpp/",
        note: "total population, median variant",
        files: &["economy/un_wpp2024"],
        ..cite("un2024wpp", Data, Misc)
    },
    Citation {
        authors: &["Kristensen, Hans M.", "Korda, Matt", "Johns, Eliana", "Knight, Mackenzie"],
        year: "2023",
        title: "Status of World Nuclear Forces",
        venue: "Federation of American Scientists",
        url: "https://fas.org/initiative/status-world-nuclear-forces/",
        note: "stockpiles 2023 and inventories 2025, via Our World in Data",
        files: &["nuclear/"],
        ..cite("fas2023nuclear", Data, Misc)
    },
    Citation {
        authors: &["Palmer, Glenn", "McManus, Roseanne W.", "D'Orazio, Vito", "Kenwick, Michael R.", "Karstens, Mikaela", "Bloch, Chase", "Dietrich, Nick", "Kahn, Kayla", "Ritter, Kellan", "Soules, Michael J."],
        year: "2022",
        title: "The MID5 Dataset, 2011-2014: Procedures, coding rules, and description",
        venue: "Conflict Management and Peace Science",
        volume: "39",
        number: "4",
        pages: "470-482",
        note: "COW Militarized Interstate Disputes 5.0",
        files: &["mid/"],
        ..cite("palmer2022mid5", Data, Article)
    },
    Citation {
        authors: &["Bailey, Michael A.", "Strezhnev, Anton", "Voeten, Erik"],
        year: "2017",
        title: "Estimating Dynamic State Preferences from United Nations Voting Data",
        venue: "Journal of Conflict Resolution",
        volume: "61",
        number: "2",
        pages: "430-456",
        note: "UN General Assembly ideal points, July 2025 release",
        files: &["unga/"],
        ..cite("bailey2017idealpoints", Data, Article)
    },
    Citation {
        authors: &["Pemstein, Daniel", "Meserve, Stephen A.", "Melton, James"],
        year: "2010",
        title: "Democratic Compromise: A Latent Variable Analysis of Ten Measures of Regime Type",
        venue: "Political Analysis",
        volume: "18",
        number: "4",
        note: "Unified Democracy Scores (extended by Marquez 2016)",
        files: &["democracy/"],
        ..cite("pemstein2010uds", Data, Article)
    },
    Citation {
        authors: &["Marquez, Xavier"],
        year: "2016",
        title: "A Quick Method for Extending the Unified Democracy Scores",
        venue: "SSRN working paper",
        note: "extended UDS, via isard",
        files: &["democracy/"],
        ..cite("marquez2016euds", Data, Misc)
    },
    Citation {
        authors: &["Varieties of Democracy (V-Dem) Project"],
        year: "2026",
        title: "V-Dem Dataset v16",
        venue: "Varieties of Democracy (V-Dem) Project",
        url: "https://v-dem.net",
        note: "v2x_polyarchy, via isard",
        files: &["democracy/"],
        ..cite("vdem16", Data, Misc)
    },
    Citation {
        authors: &["Schvitz, Guy", "Girardin, Luc", "R\u{fc}egger, Seraina", "Weidmann, Nils B.", "Cederman, Lars-Erik", "Gleditsch, Kristian Skrede"],
        year: "2022",
        title: "Mapping the International System, 1886-2019: The CShapes 2.0 Dataset",
        venue: "Journal of Conflict Resolution",
        volume: "66",
        number: "1",
        note: "minimum distances between states",
        files: &["geo/cow_mindist"],
        ..cite("schvitz2022cshapes", Data, Article)
    },
    Citation {
        authors: &["Miller, Steven V."],
        year: "2022",
        title: "peacesciencer: An R Package for Quantitative Peace Science Research",
        venue: "Conflict Management and Peace Science",
        volume: "39",
        number: "6",
        pages: "755-779",
        note: "capitals, conversions of COW, ATOP, MID and rivalry data; the dispute-onset model's published coefficients (Table 2)",
        files: &["geo/cow_capitals", "reference/mid_onset_logit_miller2022"],
        ..cite("miller2022peacesciencer", Data, Article)
    },
    Citation {
        authors: &["Arel-Bundock, Vincent", "Enevoldsen, Nils", "Yetman, CJ"],
        year: "2018",
        title: "countrycode: An R package to convert country names and country codes",
        venue: "Journal of Open Source Software",
        volume: "3",
        number: "28",
        note: "the COW-ISO3 crosswalk",
        files: &["codes/"],
        ..cite("arelbundock2018countrycode", Data, Article)
    },
    Citation {
        authors: &["Thompson, William R.", "Sakuwa, Kentaro", "Suhas, Prashant Hosur"],
        year: "2022",
        title: "Analyzing Strategic Rivalries in World Politics",
        venue: "Springer",
        note: "strategic rivalries",
        files: &["rivalries/"],
        ..cite("thompson2022rivalries", Data, Book)
    },
    Citation {
        authors: &["Lowy Institute"],
        year: "2024",
        title: "Asia Power Index 2024 Edition",
        venue: "Lowy Institute",
        url: "https://power.lowyinstitute.org",
        note: "comparison only (`entente power`)",
        files: &["reference/lowy"],
        ..cite("lowy2024api", Data, Misc)
    },
    Citation {
        authors: &["Pew Research Center"],
        year: "2024",
        title: "Global Attitudes Survey, spring 2024",
        venue: "Pew Research Center",
        note: "NATO favourability (hand-transcribed toplines)",
        files: &["opinion/"],
        ..cite("pew2024nato", Data, Misc)
    },
    Citation {
        authors: &["U.S. Department of State"],
        year: "2019",
        title: "World Military Expenditures and Arms Transfers 2019",
        venue: "U.S. Department of State",
        note: "North Korea's documented spending assumption",
        files: &["handcoded/milex_assumptions"],
        ..cite("wmeat2019", Data, Misc)
    },
    Citation {
        authors: &["Bueno de Mesquita, Bruce"],
        year: "1981",
        title: "The War Trap",
        venue: "Yale University Press",
        note: "the loss-of-strength gradient (miles_per_day)",
        ..cite("buenodemesquita1981wartrap", Model, Book)
    },
    Citation {
        authors: &["Bueno de Mesquita, Bruce"],
        year: "1985",
        title: "The War Trap Revisited: A Revised Expected Utility Model",
        venue: "American Political Science Review",
        volume: "79",
        number: "1",
        note: "the expected-utility bargaining model (`entente bdm`, the chain's bargaining link)",
        ..cite("buenodemesquita1985revisited", Model, Article)
    },
    Citation {
        authors: &["Scholz, Jason B.", "Calbert, Gregory J.", "Smith, Glen A."],
        year: "2011",
        title: "Unravelling Bueno De Mesquita's group decision model",
        venue: "Journal of Theoretical Politics",
        volume: "23",
        number: "4",
        note: "the coding of the bargaining model Entente follows",
        ..cite("scholz2011unravelling", Model, Article)
    },
    Citation {
        authors: &["KAPSARC"],
        year: "2019",
        title: "KTAB: KAPSARC Toolkit for Behavioral Analysis",
        venue: "King Abdullah Petroleum Studies and Research Center",
        url: "https://github.com/lsyaseen/KTAB",
        note: "the spatial model of politics (`entente smp`)",
        ..cite("ktab", Model, Misc)
    },
    Citation {
        authors: &["Axelrod, Robert", "Bennett, D. Scott"],
        year: "1993",
        title: "A Landscape Theory of Aggregation",
        venue: "British Journal of Political Science",
        volume: "23",
        number: "2",
        pages: "211-233",
        note: "alignment landscapes (`entente landscape`, the chain's alignment link)",
        ..cite("axelrod1993landscape", Model, Article)
    },
    Citation {
        authors: &["Richardson, Lewis F."],
        year: "1960",
        title: "Arms and Insecurity",
        venue: "Boxwood Press",
        note: "Richardson arms dynamics (`entente arms richardson`)",
        ..cite("richardson1960arms", Model, Book)
    },
    Citation {
        authors: &["Nordhaus, William", "Oneal, John R.", "Russett, Bruce"],
        year: "2012",
        title: "The Effects of the International Security Environment on National Military Expenditures: A Multicountry Study",
        venue: "International Organization",
        volume: "66",
        number: "3",
        note: "threat as the probability of a dispute; the prior of the spending response to threat",
        ..cite("nordhaus2012security", Model, Article)
    },
    Citation {
        authors: &["Leeds, Brett Ashley"],
        year: "2003",
        title: "Alliance Reliability in Times of War: Explaining State Decisions to Violate Treaties",
        venue: "International Organization",
        volume: "57",
        number: "4",
        note: "the reliability prior",
        ..cite("leeds2003reliability", Model, Article)
    },
    Citation {
        authors: &["Benson, Brett V."],
        year: "2011",
        title: "Unpacking Alliances: Deterrent and Compellent Alliances and Their Relationship with Conflict, 1816-2000",
        venue: "Journal of Politics",
        volume: "73",
        number: "4",
        note: "the deterrence prior",
        ..cite("benson2011unpacking", Model, Article)
    },
    Citation {
        authors: &["Saltelli, Andrea", "Annoni, Paola", "Azzini, Ivano", "Campolongo, Francesca", "Ratto, Marco", "Tarantola, Stefano"],
        year: "2010",
        title: "Variance based sensitivity analysis of model output. Design and estimator for the total sensitivity index",
        venue: "Computer Physics Communications",
        volume: "181",
        number: "2",
        pages: "259-270",
        note: "the experiment design and first-order Sobol indices",
        ..cite("saltelli2010variance", Model, Article)
    },
    Citation {
        authors: &["Jansen, Michiel J. W."],
        year: "1999",
        title: "Analysis of variance designs for model output",
        venue: "Computer Physics Communications",
        volume: "117",
        number: "1-2",
        pages: "35-43",
        note: "the total Sobol index estimator",
        ..cite("jansen1999anova", Model, Article)
    },
];

impl Citation {
    /// Whether it covers the `data/` file `file`.
    pub fn covers(&self, file: &str) -> bool {
        self.files.iter().any(|p| file.starts_with(p))
    }

    /// One line of text: `Authors (year). Title. Venue vol(num): pages. URL. [note]`.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{} ({}). {}. {}",
            join_authors(self.authors),
            self.year,
            self.title,
            self.venue
        );
        if !self.volume.is_empty() {
            s.push_str(&format!(" {}", self.volume));
            if !self.number.is_empty() {
                s.push_str(&format!("({})", self.number));
            }
        }
        if !self.pages.is_empty() {
            s.push_str(&format!(": {}", self.pages));
        }
        s.push('.');
        if !self.url.is_empty() {
            s.push_str(&format!(" {}.", self.url));
        }
        if !self.note.is_empty() {
            s.push_str(&format!(" [{}]", self.note));
        }
        s
    }

    /// The BibTeX entry.
    pub fn bibtex(&self) -> String {
        let kind = match self.kind {
            Article => "article",
            Book => "book",
            InCollection => "incollection",
            Misc => "misc",
        };
        let venue_field = match self.kind {
            Article => "journal",
            Book => "publisher",
            InCollection => "booktitle",
            Misc => "howpublished",
        };
        let mut fields: Vec<(&str, String)> = vec![
            (
                "author",
                self.authors
                    .iter()
                    .map(|a| brace_corporate(a))
                    .collect::<Vec<_>>()
                    .join(" and "),
            ),
            ("title", format!("{{{}}}", self.title)),
            ("year", self.year.to_string()),
            (venue_field, self.venue.to_string()),
        ];
        for (k, v) in [
            ("volume", self.volume),
            ("number", self.number),
            ("pages", self.pages),
            ("url", self.url),
            ("note", self.note),
        ] {
            if !v.is_empty() {
                let v = if k == "pages" {
                    v.replace('-', "--")
                } else {
                    v.to_string()
                };
                fields.push((k, v));
            }
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                // A URL is taken verbatim (the url package), everything else escaped.
                let v = if *k == "url" {
                    v.clone()
                } else {
                    bib_escape(v)
                };
                format!("  {k} = {{{v}}}")
            })
            .collect();
        format!("@{kind}{{{},\n{}\n}}", self.key, body.join(",\n"))
    }
}

/// An author that is an organisation (no comma) in braces, so BibTeX keeps it whole.
fn brace_corporate(a: &str) -> String {
    if a.contains(',') {
        a.to_string()
    } else {
        format!("{{{a}}}")
    }
}

/// BibTeX's special characters outside braces (`&`, `%`, `#`, `_`).
fn bib_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' | '%' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn join_authors(a: &[&str]) -> String {
    match a {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} & {}", init.join("; "), last),
    }
}

/// A YAML double-quoted string.
fn yaml(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `CITATION.cff` (Citation File Format 1.2.0) for Entente `version`: the
/// software, with every other entry of [`CITATIONS`] as a reference. The
/// repository's file is this output (`entente cite --cff`; a test compares).
pub fn cff(version: &str) -> String {
    let me = CITATIONS
        .iter()
        .find(|c| c.role == Role::Software)
        .expect("the table cites Entente itself");
    let mut s = String::from(
        "# Generated by `entente cite --cff` from crates/entente-data/src/citations.rs.\n",
    );
    s.push_str("cff-version: 1.2.0\n");
    s.push_str("message: \"If you use Entente, please cite it and the data sets and models it uses (entente cite prints them; data/SOURCES.md has versions and licences).\"\n");
    s.push_str(&format!(
        "title: {}\ntype: software\nversion: {}\nlicense: MIT\n",
        yaml(me.title),
        yaml(version)
    ));
    s.push_str("authors:\n");
    for a in me.authors {
        s.push_str(&format!("  - name: {}\n", yaml(a)));
    }
    s.push_str("references:\n");
    for c in CITATIONS.iter().filter(|c| c.role != Role::Software) {
        let kind = match (c.kind, c.role) {
            (Article, _) => "article",
            (Book, _) => "book",
            (InCollection, _) => "generic",
            (Misc, Role::Data) => "database",
            (Misc, _) => "software",
        };
        s.push_str(&format!(
            "  - type: {kind}\n    title: {}\n    authors:\n",
            yaml(c.title)
        ));
        for a in c.authors {
            match a.split_once(", ") {
                Some((family, given)) => s.push_str(&format!(
                    "      - family-names: {}\n        given-names: {}\n",
                    yaml(family),
                    yaml(given)
                )),
                None => s.push_str(&format!("      - name: {}\n", yaml(a))),
            }
        }
        s.push_str(&format!("    year: {}\n", c.year));
        match c.kind {
            Article => s.push_str(&format!("    journal: {}\n", yaml(c.venue))),
            Book => s.push_str(&format!("    publisher:\n      name: {}\n", yaml(c.venue))),
            InCollection => s.push_str(&format!("    collection-title: {}\n", yaml(c.venue))),
            Misc => s.push_str(&format!("    publisher:\n      name: {}\n", yaml(c.venue))),
        }
        if !c.volume.is_empty() {
            s.push_str(&format!("    volume: {}\n", c.volume));
        }
        if !c.number.is_empty() {
            s.push_str(&format!("    issue: {}\n", yaml(c.number)));
        }
        if let Some((start, end)) = c.pages.split_once('-') {
            s.push_str(&format!(
                "    start: {}\n    end: {}\n",
                yaml(start),
                yaml(end)
            ));
        }
        if !c.url.is_empty() {
            s.push_str(&format!("    url: {}\n", yaml(c.url)));
        }
        if !c.note.is_empty() {
            s.push_str(&format!("    notes: {}\n", yaml(c.note)));
        }
    }
    s
}
