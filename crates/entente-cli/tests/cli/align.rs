//! `entente align`: each actor's places in a year's landscape, and new-tie forecasts.

use crate::run;

fn rows(out: &str) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "state",
            "unit",
            "observed",
            "west",
            "east",
            "unaligned",
            "modal"
        ]
    );
    r.records().map(Result::unwrap).collect()
}

#[test]
fn align_2024_puts_north_korea_east_and_the_shares_sum_to_one() {
    let (ok, out, err) = run(&["align", "--year", "2024", "--draws", "6", "--format", "csv"]);
    assert!(ok, "{err}");
    assert!(err.contains("weights fitted on 1950-2023"), "{err}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 51, "the flagship's actors");
    for r in &rows {
        let s: f64 = (3..6).map(|i| r[i].parse::<f64>().unwrap()).sum();
        assert!((s - 1.0).abs() < 1e-12, "{r:?}");
    }
    let prk = rows.iter().find(|r| &r[0] == "PRK").unwrap();
    assert_eq!((&prk[2], &prk[6]), ("east", "east"));
    let usa = rows.iter().find(|r| &r[0] == "USA").unwrap();
    assert_eq!(&usa[6], "west");
}

#[test]
fn align_ties_prints_a_probability_per_untied_pair() {
    let (ok, out, err) = run(&[
        "align",
        "--year",
        "2016",
        "--ties",
        "--horizon",
        "8",
        "--draws",
        "1",
        "--fit",
        "--format",
        "csv",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("scored on"), "{err}");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["actor_a", "actor_b", "p", "tied_now", "formed"]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(
        recs.len(),
        51 * 50 / 2 - recs.iter().filter(|x| &x[0] == "NA").count()
    );
    for x in &recs {
        if &x[3] == "1" {
            assert_eq!(&x[2], "NA", "{x:?}");
        } else {
            let p: f64 = x[2].parse().unwrap();
            assert!((0.0..=1.0).contains(&p), "{x:?}");
        }
    }
}

#[test]
fn align_refuses_a_year_before_its_history() {
    let (ok, _, err) = run(&["align", "--year", "1900"]);
    assert!(!ok);
    assert!(err.contains("year 1900 is outside 1951-"), "{err}");
}
