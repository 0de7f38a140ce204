//! Lever sweeps: two start years x two obligation types of one option over the same draws,
//! sharded and merged byte for byte, with the claims per lever setting in the report, and
//! every mistake in a lever reported, located.

use std::path::{Path, PathBuf};

use crate::run;
use crate::scenario_fixture as fixture;

fn run_levers(scenario: &str, out: &Path, extra: &[&str]) {
    crate::run_scenario(scenario, out, extra);
}

fn read(p: PathBuf) -> Vec<u8> {
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn a_lever_sweep_runs_shards_and_merges_byte_identically_with_claims_per_setting() {
    let dir = tempfile::tempdir().unwrap();
    let levers = fixture("levers.toml");
    let whole = dir.path().join("whole");
    run_levers(&levers, &whole, &["--csv", "--threads", "2"]);
    let parts: Vec<PathBuf> = (0..3).map(|i| dir.path().join(format!("p{i}"))).collect();
    for (i, p) in parts.iter().enumerate() {
        run_levers(
            &levers,
            p,
            &["--shard", &format!("{i}/3"), "--threads", "1"],
        );
    }
    let merged = dir.path().join("merged");
    let store = dir.path().join("merge.sqlite");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend([
        "--scenario",
        levers.as_str(),
        "--out",
        merged.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--csv",
    ]);
    let (ok, _, err) = run(&args);
    assert!(ok, "{err}");
    for f in [
        "claims.csv",
        "claims_curve.csv",
        "codebook.csv",
        "report.md",
        "report.html",
    ] {
        assert_eq!(read(whole.join(f)), read(merged.join(f)), "{f}");
    }
    for f in ["draws.parquet", "draws.csv"] {
        crate::assert_same_draws_in(&whole, &merged, f);
    }

    // claims.csv: one row per claim and setting, with its base claim and lever values.
    let claims = String::from_utf8(read(whole.join("claims.csv"))).unwrap();
    let header = claims.lines().next().unwrap();
    assert!(
        header.ends_with(",base_claim,lever_start_year,lever_obligation"),
        "{header}"
    );
    for (year, kind) in [
        ("2025", "consultation"),
        ("2025", "defence"),
        ("2027", "consultation"),
        ("2027", "defence"),
    ] {
        let id = format!("china-spends-more@start_year={year}+obligation={kind},");
        let row = claims
            .lines()
            .find(|l| l.starts_with(&id))
            .unwrap_or_else(|| panic!("{id}: {claims}"));
        assert!(
            row.ends_with(&format!(",china-spends-more,{year},{kind}")),
            "{row}"
        );
        assert!(
            row.contains(&format!(
                ",quad-defence@start_year={year}+obligation={kind},status-quo,"
            )),
            "{row}"
        );
    }
    // A claim no lever touches is one row, its lever columns NA.
    assert!(claims.contains("\nnot-modelled,not_modelled,"), "{claims}");
    assert!(claims.contains(",not-modelled,NA,NA\n"), "{claims}");

    // The settings differ: the obligation changes what the pact does.
    let p = |id: &str| -> f64 {
        let row = claims.lines().find(|l| l.starts_with(id)).unwrap();
        row.split(',').nth(2).unwrap().parse().unwrap()
    };
    assert_ne!(
        p("china-spends-more@start_year=2025+obligation=consultation,"),
        p("china-spends-more@start_year=2025+obligation=defence,")
    );

    // draws.csv: the lever columns after the fixed ones, NA on the status quo's rows.
    let draws = String::from_utf8(read(whole.join("draws.csv"))).unwrap();
    let head = draws.lines().next().unwrap();
    assert!(
        head.starts_with("run_id,seed,draw,point,replication,block,option,year,state,metric,value,lever_start_year,lever_obligation,"),
        "{head}"
    );
    let sq = draws.lines().find(|l| l.contains(",status-quo,")).unwrap();
    assert!(
        sq.split(',').nth(11) == Some("NA") && sq.split(',').nth(12) == Some("NA"),
        "{sq}"
    );
    let v = draws
        .lines()
        .find(|l| l.contains(",quad-defence@start_year=2027+obligation=defence,"))
        .unwrap();
    let cells: Vec<&str> = v.split(',').collect();
    assert_eq!((cells[11], cells[12]), ("2027", "defence"), "{v}");
    // Common random numbers: every setting of a draw has the draw's parameters.
    let params_of = |opt: &str| -> Vec<String> {
        draws
            .lines()
            .filter(|l| l.split(',').nth(2) == Some("0") && l.contains(opt))
            .map(|l| l.split(',').skip(13).collect::<Vec<_>>().join(","))
            .take(1)
            .collect()
    };
    assert_eq!(
        params_of(",quad-defence@start_year=2025+obligation=consultation,"),
        params_of(",quad-defence@start_year=2027+obligation=defence,")
    );

    // The report shows the claims per lever setting.
    let md = String::from_utf8(read(whole.join("report.md"))).unwrap();
    assert!(md.contains("## Claims per lever setting"), "{md}");
    assert!(
        md.contains(
            "| start_year | obligation | china-spends-more | japan-safer | pact-moves-bargaining |"
        ),
        "{md}"
    );
    assert!(md.contains("the full grid of 4 settings"), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| 2027 | defence |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.ends_with("| structural |"), "{row}");
    let html = String::from_utf8(read(whole.join("report.html"))).unwrap();
    assert!(html.contains("<table id=\"claims-by-lever\">"), "{html}");
    assert!(html.contains("<tr><td>2025</td><td>defence</td>"), "{html}");
}

/// `levers.toml` with its `[experiment]` lever lines replaced by `levers`.
fn with_levers(dir: &Path, levers: &str) -> String {
    let text = std::fs::read_to_string(fixture("levers.toml")).unwrap();
    let start = text.find("levers = [").unwrap();
    let end = start + text[start..].find("]\n\n").unwrap() + 2;
    let bad = format!("{}{levers}\n{}", &text[..start], &text[end..]);
    let path = dir.join("bad-levers.toml");
    std::fs::write(&path, bad).unwrap();
    path.display().to_string()
}

#[test]
fn every_mistake_in_a_lever_is_reported_located() {
    let dir = tempfile::tempdir().unwrap();
    let bad = with_levers(
        dir.path(),
        r#"levers = [
  { option = "quad-defense", field = "start_year", values = [2025] },
  { option = "quad-defence", field = "start_yaer", values = [2025] },
  { option = "quad-defence", field = "start_year", values = [2025, 2040, 2025] },
  { option = "quad-defence", field = "obligation", values = [] },
  { option = "status-quo", field = "obligation", values = ["defence"] },
  { option = "quad-defence", field = "members", values = [["USA", "JPM"]], name = "who" },
  { option = "quad-defence", field = "obligation", values = ["defense-ish"], name = "Bad Name" },
]"#,
    );
    let out = dir.path().join("never");
    let (ok, _, err) = run(&["run", &bad, "--out", out.to_str().unwrap()]);
    assert!(!ok);
    let text = std::fs::read_to_string(&bad).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (needle, what) in [
        (
            "quad-defense",
            "lever on option `quad-defense`, which is not an option: did you mean `quad-defence`?",
        ),
        (
            "start_yaer",
            "unknown lever field `start_yaer`: did you mean `start_year`?",
        ),
        (
            "2040",
            "start_year 2040 is outside the scenario's years (2024-2028)",
        ),
        ("2040", "lever `start_year` lists the value `2025` twice"),
        ("values = [] }", "lever `obligation` has no values"),
        ("\"status-quo\"", "option `status-quo` adds no pact"),
        ("JPM", "unknown actor `JPM`"),
        ("Bad Name", "lever name `Bad Name` must be lowercase"),
        ("Bad Name", "`defense-ish` is not an obligation"),
    ] {
        let at = format!("bad-levers.toml:{}:", line_of(needle));
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(what)),
            "{at} {what}: {err}"
        );
    }
    assert!(!out.exists(), "nothing is written for an invalid scenario");

    // A grid past the cap is refused unless sampled; a sample must be below the grid.
    let years: Vec<String> = (2024..=2028).map(|y| y.to_string()).collect();
    let big = with_levers(
        dir.path(),
        &format!(
            r#"levers = [
  {{ option = "quad-defence", field = "start_year", values = [{}] }},
  {{ option = "quad-defence", field = "obligation", values = ["defence", "consultation", "offence", "neutrality", "nonaggression", "cooperation"] }},
  {{ option = "quad-defence", field = "members", values = [["USA", "JPN"], ["USA", "KOR"], ["USA", "AUS"]] }},
]"#,
            years.join(", ")
        ),
    );
    let (ok, _, err) = run(&["run", &big, "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("the levers' full grid has 90 settings (5 x 6 x 3), more than 64"),
        "{err}"
    );
    let sampled = std::fs::read_to_string(&big)
        .unwrap()
        .replace("seed = 7\n", "seed = 7\nlever_sample = 90\n");
    let line = sampled
        .lines()
        .position(|l| l.starts_with("lever_sample"))
        .unwrap()
        + 1;
    std::fs::write(&big, sampled).unwrap();
    let (ok, _, err) = run(&["run", &big, "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains(&format!("bad-levers.toml:{line}:"))
            && err.contains("lever_sample must be 1-89 (below the grid's 90 settings"),
        "{err}"
    );
}

#[test]
fn a_sampled_grid_runs_the_settings_it_draws() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("levers.toml"))
        .unwrap()
        .replace("seed = 7\n", "seed = 7\nlever_sample = 3\n")
        .replace("base_samples = 4", "base_samples = 2");
    let path = dir.path().join("sampled.toml");
    std::fs::write(&path, text).unwrap();
    let out = dir.path().join("o");
    run_levers(path.to_str().unwrap(), &out, &[]);
    let md = String::from_utf8(read(out.join("report.md"))).unwrap();
    assert!(
        md.contains("3 settings drawn from the full grid of 4"),
        "{md}"
    );
    let claims = String::from_utf8(read(out.join("claims.csv"))).unwrap();
    assert_eq!(
        claims
            .lines()
            .filter(|l| l.starts_with("japan-safer@"))
            .count(),
        3,
        "{claims}"
    );
}
