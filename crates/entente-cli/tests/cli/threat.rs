use crate::run;

#[test]
fn a_nato_ip4_defence_pact_changes_the_counter_bloc_threat_and_decomposes() {
    let (ok, out, err) = run(&[
        "threat",
        "--year",
        "2024",
        "--add-pact",
        "NATO+IP4:defence",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let states = v["states"].as_array().unwrap();
    let get = |iso: &str| states.iter().find(|s| s["iso3"] == iso).unwrap();
    for iso in ["CHN", "RUS", "PRK"] {
        let s = get(iso);
        let delta = s["delta"].as_f64().unwrap();
        assert!(delta != 0.0, "{iso} unchanged");
        let sum: f64 = s["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["delta"].as_f64().unwrap())
            .sum();
        assert!((sum - delta).abs() < 1e-12, "{iso}: {sum} vs {delta}");
        let theta = s["theta"].as_f64().unwrap();
        assert!((0.0..1.0).contains(&theta));
    }
    // Defended states gain protection: Japan's threat falls.
    assert!(get("JPN")["delta"].as_f64().unwrap() < 0.0);
}

#[test]
fn a_nato_ip4_consultation_pact_splits_by_channel() {
    let (ok, out, err) = run(&[
        "threat",
        "--year",
        "2024",
        "--add-pact",
        "NATO+IP4:consultation",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["hazard"].as_str().unwrap().contains("1946-2014"));
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), 51);
    let get = |iso: &str| states.iter().find(|s| s["iso3"] == iso).unwrap();
    for s in states {
        let f = |k: &str| s[k].as_f64().unwrap();
        let sum = f("partners") + f("non_partners") + f("entrapment");
        assert!(
            (sum - f("delta")).abs() < 1e-12,
            "{}: {sum} vs {}",
            s["iso3"],
            f("delta")
        );
    }
    // Outsiders gain no partners: their change is deterrence or alarm only.
    for iso in ["CHN", "RUS", "PRK"] {
        let s = get(iso);
        assert_eq!(s["partners"].as_f64(), Some(0.0), "{iso}");
        assert_eq!(s["entrapment"].as_f64(), Some(0.0), "{iso}");
        assert!(s["non_partners"].as_f64().unwrap() > 0.0, "{iso}: alarm");
    }
    // Members are deterred against: Japan's threat from non-partners falls.
    assert!(get("JPN")["non_partners"].as_f64().unwrap() < 0.0);
    // And New Zealand can be drawn into its new partners' disputes.
    assert!(get("NZL")["entrapment"].as_f64().unwrap() > 0.0);

    let (ok, out, err) = run(&[
        "threat",
        "--year",
        "2024",
        "--add-pact",
        "NATO+IP4:consultation",
    ]);
    assert!(ok, "{err}");
    let header = out.lines().next().unwrap();
    for col in ["partners", "non_partners", "entrapment", "top_sources"] {
        assert!(header.contains(col), "{header}");
    }
}

#[test]
fn the_threat_table_lists_the_largest_sources() {
    let (ok, out, err) = run(&[
        "threat",
        "--year",
        "2024",
        "--actors",
        "CHN,JPN,USA,KOR,PRK",
        "--add-pact",
        "USA+KOR+JPN:defence",
    ]);
    assert!(ok, "{err}");
    assert!(out.lines().next().unwrap().contains("top_sources"));
    assert_eq!(out.lines().count(), 6);
}

#[test]
fn bad_pacts_are_clear_errors() {
    let (ok, _, err) = run(&["threat", "--year", "2024", "--add-pact", "NATO+XYZ:defence"]);
    assert!(!ok);
    assert!(err.contains("unknown actor `XYZ`"), "{err}");
    let (ok, _, err) = run(&["threat", "--year", "2024", "--add-pact", "JPN:defence"]);
    assert!(!ok);
    assert!(err.contains("at least two sides"), "{err}");
    let (ok, _, err) = run(&[
        "threat",
        "--year",
        "2024",
        "--add-pact",
        "JPN+AUS:friendship",
    ]);
    assert!(!ok);
    assert!(err.contains("not an obligation"), "{err}");
    let (ok, _, err) = run(&["threat", "--year", "2024", "--add-pact", "JPN+AUS"]);
    assert!(!ok);
    assert!(err.contains("SIDES:KIND"), "{err}");
}

#[test]
fn power_in_the_indo_pacific_with_the_lowy_comparison() {
    let (ok, out, err) = run(&[
        "power",
        "--year",
        "2024",
        "--region",
        "indo-pacific",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rho = v["lowy"]["spearman_rho"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&rho));
    assert!(v["lowy"]["n"].as_u64().unwrap() >= 12);
    let blocs = v["blocs"].as_array().unwrap();
    let share = |name: &str| {
        blocs.iter().find(|b| b["bloc"] == name).unwrap()["region_share"]
            .as_f64()
            .unwrap()
    };
    // Distance discounts Europe's capabilities in Asia below its world share.
    let europe = blocs.iter().find(|b| b["bloc"] == "NATO-Europe").unwrap();
    assert!(share("NATO-Europe") < europe["world_share"].as_f64().unwrap());
    assert!(share("CHN") > share("NATO-Europe"));
    let states = v["states"].as_array().unwrap();
    let total: f64 = states
        .iter()
        .filter_map(|s| s["region_share"].as_f64())
        .sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
}
