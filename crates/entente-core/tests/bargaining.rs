//! Reference runs: every input of `tests/fixtures/bdm` against the expected rounds and actors
//! of the Scholz coding (default) and of the fixed capitulation rule, 10 rounds, within 1e-9.

use entente_core::bargaining::{Actor, Capitulation, Config, Model, Run};
use std::path::{Path, PathBuf};

const TOL: f64 = 1e-9;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bdm")
}

/// Rows of a plain CSV (the fixtures have no quoted fields), keyed by the header.
fn read_csv(path: &Path) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{path:?}: {l}");
            header
                .iter()
                .cloned()
                .zip(cells.iter().map(|c| c.to_string()))
                .collect()
        })
        .collect()
}

fn get<'a>(row: &'a [(String, String)], key: &str) -> &'a str {
    row.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no column {key}"))
}

fn num(row: &[(String, String)], key: &str) -> f64 {
    get(row, key)
        .parse()
        .unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn load(name: &str) -> (Vec<String>, Vec<Actor>) {
    let rows = read_csv(&fixtures().join("inputs").join(format!("{name}.csv")));
    let names = rows.iter().map(|r| get(r, "Actor").to_string()).collect();
    let actors = rows
        .iter()
        .map(|r| Actor {
            capability: num(r, "Capability"),
            position: num(r, "Position"),
            salience: num(r, "Salience"),
        })
        .collect();
    (names, actors)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * (1.0f64).max(b.abs())
}

fn inputs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("inputs"))
        .expect("fixtures")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|f| f.strip_suffix(".csv"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "all ten reference inputs are present");
    names
}

/// Compare one run with one expected set; return the mismatches.
fn compare(name: &str, set: &str, names: &[String], run: &Run) -> Vec<String> {
    let dir = fixtures().join("expected").join(set);
    let mut bad = Vec::new();
    let rounds = read_csv(&dir.join(format!("{name}_rounds.csv")));
    assert_eq!(rounds.len(), 11, "{set}/{name}: round 0 and 10 rounds");
    assert_eq!(run.rounds.len(), 10, "{set}/{name}: stopped {:?}", run.stop);
    for row in &rounds {
        let t: usize = get(row, "round").parse().expect("round");
        let (f, moves) = if t == 0 {
            (run.initial, 0)
        } else {
            let r = &run.rounds[t - 1];
            (r.forecast, r.n_moves())
        };
        for (col, got) in [
            ("median_weighted_lower", f.median),
            ("median_jmckib", f.median),
            ("mean_weighted", f.mean),
            ("min_x", f.min),
            ("max_x", f.max),
        ] {
            let want = num(row, col);
            if !close(got, want) {
                bad.push(format!(
                    "{set}/{name} round {t} {col}: got {got}, want {want}"
                ));
            }
        }
        if moves != get(row, "n_moves").parse::<usize>().expect("n_moves") {
            bad.push(format!("{set}/{name} round {t} n_moves: got {moves}"));
        }
    }
    let actors = read_csv(&dir.join(format!("{name}_actors.csv")));
    assert_eq!(actors.len(), 11 * names.len(), "{set}/{name}: actor rows");
    for (idx, row) in actors.iter().enumerate() {
        let t: usize = get(row, "round").parse().expect("round");
        let i = idx % names.len();
        assert_eq!(get(row, "actor"), names[i], "{set}/{name}: actor order");
        let want_x = num(row, "x_after_round");
        if t == 0 {
            if run.initial_positions[i] != want_x {
                bad.push(format!("{set}/{name} round 0 {}: position", names[i]));
            }
            continue;
        }
        let r = &run.rounds[t - 1];
        let got_x = r.positions[i];
        if !close(got_x, want_x) {
            bad.push(format!(
                "{set}/{name} round {t} {}: position {got_x}, want {want_x}",
                names[i]
            ));
        }
        let want_r = num(row, "r_used_in_round");
        if !close(r.risk[i], want_r) {
            bad.push(format!(
                "{set}/{name} round {t} {}: risk {}, want {want_r}",
                names[i], r.risk[i]
            ));
        }
        let (kind, from) = match r.moves[i] {
            Some(m) => (m.kind.as_str(), names[m.proposer].as_str()),
            None => ("", ""),
        };
        if kind != get(row, "offer_type") || from != get(row, "offer_from") {
            bad.push(format!(
                "{set}/{name} round {t} {}: offer {kind}/{from}, want {}/{}",
                names[i],
                get(row, "offer_type"),
                get(row, "offer_from")
            ));
        }
    }
    bad
}

fn check_set(set: &str, capitulation: Capitulation) {
    let mut bad = Vec::new();
    for name in inputs() {
        let (names, actors) = load(&name);
        let config = Config {
            capitulation,
            ..Config::default()
        };
        let run = Model::new(actors, config).expect("valid input").run();
        bad.extend(compare(&name, set, &names, &run));
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn scholz_reference_runs() {
    check_set("scholz", Capitulation::AsScholzCode);
}

#[test]
fn fixed_capitulation_reference_runs() {
    check_set("scholz_capfix", Capitulation::Fixed);
}

/// The numbers printed in docs/models.md for the EU emissions case.
#[test]
fn eu_emissions_published_numbers() {
    let (names, actors) = load("eu_emissions");
    let run = Model::new(actors, Config::default()).expect("valid").run();
    let medians: Vec<f64> = std::iter::once(run.initial.median)
        .chain(run.rounds.iter().map(|r| r.forecast.median))
        .collect();
    let want = [
        7.0, 8.4159, 9.6109, 9.9620, 9.9620, 9.9620, 7.4720, 8.8246, 9.6711, 9.6711, 7.0,
    ];
    for (got, want) in medians.iter().zip(want) {
        assert!((got - want).abs() < 5e-5, "{got} vs {want}");
    }
    let risk = |who: &str| {
        let i = names.iter().position(|n| n == who).expect("actor");
        run.rounds[0].risk[i]
    };
    assert!((risk("UK") - 1.9649).abs() < 5e-5);
    assert!((risk("Denmark") - 2.0).abs() < 5e-5);
    assert!((risk("Ireland") - 0.5).abs() < 5e-5);
}
