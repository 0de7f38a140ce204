//! The bundled data: checksums, CINC recomputation, the world state's facts,
//! and no panic on corrupted copies.

use std::path::{Path, PathBuf};

use entente_core::ids::Ccode;
use entente_core::world::{Archive, Source, World, WorldError};
use entente_data::world_data::{load, DataSource, BUNDLED};
use sha2::{Digest, Sha256};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn archive() -> Archive {
    let loaded = load(&DataSource::bundled()).expect("bundled data load");
    Archive::new(loaded.sources).expect("archive")
}

const CHN: Ccode = Ccode(710);
const USA: Ccode = Ccode(2);
const RUS: Ccode = Ccode(365);
const PRK: Ccode = Ccode(731);
const FIN: Ccode = Ccode(375);
const SWE: Ccode = Ccode(380);
const DEU: Ccode = Ccode(255);
const AUT: Ccode = Ccode(305);
const ISL: Ccode = Ccode(395);

#[test]
fn every_data_file_matches_its_checksum_in_sources_md() {
    let dir = data_dir();
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let mut listed = 0;
    for line in sources.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let file = cells[1].trim_matches('`');
        let want = cells[cells.len() - 2].trim_matches('`');
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = format!("{:x}", Sha256::digest(&bytes));
        assert_eq!(
            got, want,
            "{file} changed: update its row in data/SOURCES.md (and its provenance)"
        );
        listed += 1;
    }
    // Every bundled file is listed.
    for (rel, _) in BUNDLED {
        assert!(
            sources.contains(&format!("`{rel}`")),
            "{rel} is not in SOURCES.md"
        );
    }
    assert!(listed >= BUNDLED.len());
}

#[test]
fn recomputed_cinc_matches_the_file_where_all_six_components_are_present() {
    let a = archive();
    let cov = a.coverage();
    let mut checked = 0;
    for year in cov.first_year..=cov.nmc_last {
        for (c, file, ours) in a.recomputed_cinc(year) {
            let complete = a.nmc_components(c, year).is_some_and(|k| k.all_present());
            if let (true, Some(f), Some(o)) = (complete, file, ours) {
                // The file prints eight significant digits.
                assert!(
                    (f - o).abs() <= 2e-7 * f.max(1e-6),
                    "{c} {year}: file {f}, recomputed {o}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 14_000, "only {checked} complete state-years");
}

#[test]
fn world_2022_has_the_known_capability_shares() {
    let w = World::for_year(&archive(), 2022).unwrap();
    let cinc = |c| w.state(c).unwrap().cinc.unwrap();
    assert_eq!(format!("{:.3}", cinc(CHN)), "0.234");
    assert_eq!(format!("{:.3}", cinc(USA)), "0.124");
    assert_eq!(
        w.state(CHN).unwrap().milex.current_usd_m.source,
        Source::Nmc
    );
}

#[test]
fn spending_after_nmc_is_spliced_from_sipri_and_north_korea_is_assumed() {
    let a = archive();
    let w = World::for_year(&a, 2024).unwrap();
    for c in [CHN, RUS] {
        let m = w.state(c).unwrap().milex;
        assert_eq!(m.current_usd_m.source, Source::Spliced, "{c}");
        assert_eq!(m.const2023_usd_m.source, Source::Sipri, "{c}");
        // NMC runs below SIPRI for both: the ratio says so.
        let r = m.splice_ratio.unwrap();
        assert!((0.5..0.9).contains(&r), "{c}: ratio {r}");
    }
    let prk = w.state(PRK).unwrap().milex;
    assert_eq!(prk.current_usd_m.source, Source::Assumed);
    let (lo, hi) = prk.assumed_range_usd_m.unwrap();
    assert!(lo < prk.current_usd_m.value.unwrap() && prk.current_usd_m.value.unwrap() < hi);
    // The splice keeps continuity: China's 2023 value is near its 2022 NMC value.
    let w22 = World::for_year(&a, 2022).unwrap();
    let w23 = World::for_year(&a, 2023).unwrap();
    let v22 = w22.state(CHN).unwrap().milex.current_usd_m.value.unwrap();
    let v23 = w23.state(CHN).unwrap().milex.current_usd_m.value.unwrap();
    assert!((v23 / v22 - 1.0).abs() < 0.15, "{v22} -> {v23}");
}

#[test]
fn every_flagship_state_but_north_korea_has_sipri_spending_after_nmc() {
    let a = archive();
    for year in [2023, 2024] {
        let w = World::for_year(&a, year).unwrap();
        // NATO-Europe is in the SIPRI subset now: Sweden and Germany are projected.
        for c in [SWE, DEU, FIN] {
            let m = w.state(c).unwrap().milex;
            assert_eq!(m.const2023_usd_m.source, Source::Sipri, "{c} {year}");
            assert!(m.const2023_usd_m.value.unwrap() > 1000.0, "{c} {year}");
            assert_eq!(m.current_usd_m.source, Source::Spliced, "{c} {year}");
        }
        let mut flagship: Vec<Ccode> = Vec::new();
        for g in ["NATO", "IP4", "ASEAN"] {
            flagship.extend_from_slice(w.group(g));
        }
        flagship.extend([CHN, RUS, Ccode(750), Ccode(713)]);
        let mut without: Vec<Ccode> = flagship
            .iter()
            .copied()
            .filter(|&c| w.state(c).unwrap().milex.const2023_usd_m.value.is_none())
            .collect();
        without.sort_unstable();
        // Laos and Viet Nam: SIPRI has no values after 2013 and 2018 (North
        // Korea's spending is the documented assumption).
        assert_eq!(without, vec![Ccode(812), Ccode(816)], "{year}");
    }
    // Iceland has no armed forces: a real zero, not a missing value.
    let w = World::for_year(&a, 2024).unwrap();
    assert_eq!(w.state(ISL).unwrap().milex.const2023_usd_m.value, Some(0.0));
}

#[test]
fn missing_is_missing_not_zero() {
    let a = archive();
    let w = World::for_year(&a, 2024).unwrap();
    // Austria is outside the SIPRI subset (not a flagship state) and NMC ends in 2022.
    let aut = w.state(AUT).unwrap();
    assert_eq!(aut.milex.current_usd_m.value, None);
    assert_eq!(aut.milex.const2023_usd_m.value, None);
    assert_eq!(aut.milex.const2023_usd_m.source, Source::Missing);
    assert_eq!(aut.nmc.irst_kt, None);
    assert_eq!(aut.cinc, None);
    // IMF starts in 1980.
    let w70 = World::for_year(&a, 1970).unwrap();
    assert_eq!(w70.state(USA).unwrap().gdp_current_usd_bn.value, None);
    assert_eq!(
        w70.state(USA).unwrap().gdp_current_usd_bn.source,
        Source::Missing
    );
}

#[test]
fn ties_and_memberships_follow_their_dates() {
    let a = archive();
    let w22 = World::for_year(&a, 2022).unwrap();
    let w23 = World::for_year(&a, 2023).unwrap();
    let w24 = World::for_year(&a, 2024).unwrap();
    assert!(!w22.group("NATO").contains(&FIN));
    assert!(w23.group("NATO").contains(&FIN));
    assert!(!w23.group("NATO").contains(&SWE));
    assert!(w24.group("NATO").contains(&SWE));
    assert_eq!(w24.group("NATO").len(), 32);
    assert!(!w23.dyad(RUS, PRK).obligations.defence);
    let d = w24.dyad(RUS, PRK);
    assert!(d.obligations.defence);
    assert!(d.ties.iter().any(|t| t == "rus-prk-csp"));
    assert!(w23.dyad(USA, FIN).obligations.defence);
    assert!(!w22.dyad(USA, FIN).obligations.defence);
    // ATOP's own years: the US-Japan treaty.
    assert!(
        World::for_year(&a, 2000)
            .unwrap()
            .dyad(USA, Ccode(740))
            .obligations
            .defence
    );
}

#[test]
fn historical_years_work_and_years_outside_the_data_are_errors() {
    let a = archive();
    let w = World::for_year(&a, 1936).unwrap();
    let ger = w.state(Ccode(255)).unwrap();
    assert_eq!(ger.abb, "GMY");
    assert!(ger.major_power);
    assert_eq!(ger.nuclear_warheads.value, Some(0.0));
    assert!(w.dyad(Ccode(255), Ccode(220)).contiguity == entente_core::sources::Contiguity::Land);
    assert!(matches!(
        World::for_year(&a, 1700),
        Err(WorldError::YearOutOfRange { .. })
    ));
    assert!(World::for_year(&a, 2031).is_err());
}

/// Corrupt one line of `text`: replace the field under `column` on data line
/// `line` (1-based file line) with `abc`.
fn corrupt_field(text: &str, column: &str, line: usize) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let idx = header.iter().position(|h| *h == column).unwrap();
    // Split respecting simple quotes.
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in lines[line - 1].chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                cur.push(ch)
            }
            ',' if !quoted => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    fields.push(cur);
    fields[idx] = "abc".into();
    lines[line - 1] = fields.join(",");
    lines.join("\n")
}

/// A numeric column each loader parses, and a line where it does.
fn parsed_column(rel: &str) -> (&'static str, usize) {
    match rel {
        "cow/NMC-70-abridged.csv" => ("milex", 2),
        "cow/states2016_from_peacesciencer.csv" => ("ccode", 2),
        "cow/majors2016_from_peacesciencer.csv" => ("styear", 2),
        "cow/alliance_v4.1_by_dyad.csv" => ("defense", 2),
        "cow/cow_contdir_v3.2_directed_from_peacesciencer.csv" => ("conttype", 2),
        "atop/atop5_1_ddyr_obligations.csv" => ("year", 2),
        "sipri/sipri_milex_flagship_subset_2000_2024.csv" => ("year", 2),
        "geo/cow_capitals_latlng_from_peacesciencer.csv" => ("lat", 2),
        "geo/cow_mindist_cshapes2_spells.csv" => ("mindist_km", 2),
        "economy/imf_weo_oct2025_gdp_current_usd_bn_long.csv" => ("year", 2),
        "economy/imf_weo_oct2025_gdp_ppp_current_intl_bn_long.csv" => ("year", 2),
        "economy/un_wpp2024_poptot_median_2024_2100.csv" => ("year", 2),
        "nuclear/fas2023_nuclear_weapons_stockpiles.csv" => ("year", 2),
        "nuclear/owid_grapher_nuclear_warhead_inventories_2025.csv" => ("Year", 2),
        "codes/cow_iso3_crosswalk.csv" => ("cown", 2),
        "handcoded/name_aliases.csv" => ("iso3", 2),
        "handcoded/ties.csv" => ("signed", 2),
        "handcoded/memberships.csv" => ("ccode", 2),
        "handcoded/milex_assumptions.csv" => ("from_year", 2),
        "rivalries/tss_rivalries_from_peacesciencer.csv" => ("start", 2),
        "reference/mid_onset_logit_miller2022.csv" => ("coef", 2),
        "reference/lowy_asia_power_index_2024.csv" => ("value", 2),
        "mid/cow_mid5_dispute_years_ndy.csv" => ("hostlev", 2),
        "democracy/isard_democracy_euds_vdem_1816_2025.csv" => ("euds", 2),
        "unga/voeten_idealpoints_fp_1946_2024.csv" => ("idealpointfp", 2),
        other => panic!("no corruption recipe for {other}: add one"),
    }
}

fn load_with(rel: &str, text: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    match load(&DataSource::with_dir(dir.path())) {
        Ok(_) => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn corrupted_copies_of_every_bundled_file_give_located_errors() {
    for (rel, text) in BUNDLED {
        let name = rel.rsplit('/').next().unwrap();
        // A non-numeric cell where a number is parsed: file, line and field.
        let (col, line) = parsed_column(rel);
        let err = load_with(rel, corrupt_field(text, col, line).as_bytes())
            .expect_err(&format!("{rel}: bad `{col}` accepted"));
        assert!(
            err.contains(name) && err.contains(&format!(":{line}:")) && err.contains(col),
            "{rel}: {err}"
        );
        // Empty file.
        let err = load_with(rel, b"").expect_err(rel);
        assert!(err.contains(name) && err.contains("empty"), "{rel}: {err}");
        // A required column renamed away.
        let renamed = text.replacen(col, "zzz", 1);
        let err = load_with(rel, renamed.as_bytes()).expect_err(rel);
        assert!(
            err.contains(name) && err.contains("missing column"),
            "{rel}: {err}"
        );
        // A ragged line.
        let mut lines: Vec<&str> = text.lines().collect();
        let ragged = format!("{},extra", lines[1]);
        lines[1] = &ragged;
        let err = load_with(rel, lines.join("\n").as_bytes()).expect_err(rel);
        assert!(err.contains(name) && err.contains(":2:"), "{rel}: {err}");
        // Bytes that are not UTF-8.
        let mut bytes = text.as_bytes().to_vec();
        let at = text.find('\n').unwrap() + 3;
        bytes[at] = 0xff;
        let err = load_with(rel, &bytes).expect_err(rel);
        assert!(err.contains(name), "{rel}: {err}");
        // Truncated mid-line: an error or a clean load, never a panic.
        let cut = &text.as_bytes()[..text.len() * 2 / 3];
        let _ = load_with(rel, cut);
    }
}

#[test]
fn disputes_give_the_published_peace_years_and_carry_after_2014() {
    let a = archive();
    let h = a.history();
    assert_eq!(h.dispute_years(), Some((1816, 2014)));
    // Canada-Russia 1918-19 falls before Canada's entry in 1920.
    assert_eq!(h.outside_system(), 2);
    let (can, jpn) = (Ccode(20), Ccode(740));
    // The shared frame's rows: US-Canada 1979 (59), US-North Korea 1950 (2),
    // China-Japan 2010 (an onset after the 2008 dispute), 2014 ongoing.
    assert_eq!(h.peace_years(USA, can, 1979), Some(59));
    assert_eq!(h.peace_years(USA, PRK, 1950), Some(2));
    assert!(h.ongoing(CHN, jpn, 2014));
    let w = World::for_year(&a, 2024).unwrap();
    // Held at the 2015 value: a dispute ongoing in 2014 gives 0.
    assert_eq!(w.peace_years(CHN, jpn), Some(0));
    assert!(w.notes.iter().any(|n| n.contains("peace years are held")));
    let w14 = World::for_year(&a, 2014).unwrap();
    assert!(w14.notes.iter().all(|n| !n.contains("peace years")));
    assert_eq!(w14.peace_years(USA, can), h.peace_years(USA, can, 2014));
    // A malformed request is not a count.
    assert_eq!(w.peace_years(USA, USA), None);
}

#[test]
fn ideal_points_and_democracy_per_state_year() {
    let a = archive();
    let w = World::for_year(&a, 2024).unwrap();
    let ip = |c| w.state(c).unwrap().ideal_point;
    // The shared MANIFEST's cross-check values.
    assert_eq!(ip(USA).value, Some(2.206202));
    assert_eq!(ip(RUS).value, Some(-0.5984852));
    assert_eq!(ip(USA).source, Source::Unga);
    // Taiwan has had no UN seat since 1971.
    assert_eq!(ip(Ccode(713)).value, None);
    let d = w.ideal_point_distance(USA, RUS).unwrap();
    assert!((d - 2.8046872).abs() < 1e-9, "{d}");
    assert_eq!(w.dyad(USA, RUS).ideal_point_distance, Some(d));
    // 1964 has no recorded votes: 1963's positions, flagged.
    let w64 = World::for_year(&a, 1964).unwrap();
    let us64 = w64.state(USA).unwrap().ideal_point;
    assert_eq!(us64.source, Source::Carried);
    assert_eq!(
        us64.value,
        World::for_year(&a, 1963)
            .unwrap()
            .state(USA)
            .unwrap()
            .ideal_point
            .value
    );
    assert!(w64.notes.iter().any(|n| n.contains("1964")));
    // Democracy: V-Dem's South Korea 2024 (martial-law year) and China.
    let kor = w.state(Ccode(732)).unwrap();
    assert_eq!(kor.polyarchy.value, Some(0.724));
    assert_eq!(kor.polyarchy.source, Source::Vdem);
    assert!(kor.democracy_uds.value.unwrap() > w.state(CHN).unwrap().democracy_uds.value.unwrap());
    // Before the UN there are no ideal points.
    let w36 = World::for_year(&a, 1936).unwrap();
    assert_eq!(
        w36.state(USA).unwrap().ideal_point,
        entente_core::world::Sourced::MISSING
    );
}

#[test]
fn hazard_scaling_sample_is_close_to_millers() {
    let a = archive();
    let s = entente_core::hazard::Scaling::from_archive(&a, 1816, 2010);
    // Miller (2022) fits 106,937 politically relevant dyad-years after listwise
    // deletion; the full PRD population is somewhat larger.
    assert!(
        (106_937..120_000).contains(&s.dyad_years),
        "{} dyad-years",
        s.dyad_years
    );
    assert!((0.0..1.0).contains(&s.cincprop.mean) && s.cincprop.sd > 0.0);
    assert!(s.minmilit.mean > 0.0 && s.minmilit.mean < 0.05);
}

#[test]
fn the_data_version_changes_with_any_file_and_only_then() {
    let bundled = DataSource::bundled().data_version().unwrap();
    assert_eq!(bundled.len(), 16);
    // An override directory holding a bundled file's exact copy reads the same data.
    let dir = tempfile::tempdir().unwrap();
    let (rel, text) = BUNDLED[0];
    let p = dir.path().join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    let same = DataSource::with_dir(dir.path()).data_version().unwrap();
    assert_eq!(same, bundled);
    // One changed byte is another version.
    std::fs::write(&p, format!("{text}\n")).unwrap();
    let other = DataSource::with_dir(dir.path()).data_version().unwrap();
    assert_ne!(other, bundled);
}
