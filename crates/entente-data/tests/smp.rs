//! The TOML example in docs/smp.md reads, and the problems the docs show for its
//! broken copy are the ones reported.

use std::path::PathBuf;

use entente_data::smp::parse_smp_toml;

fn docs() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/smp.md");
    std::fs::read_to_string(p).unwrap()
}

/// The first ```toml block after the TOML section's heading.
fn example(docs: &str) -> String {
    let from = docs.find("### Entente's scenario form (TOML)").unwrap();
    let rest = &docs[from..];
    let start = rest.find("```toml\n").unwrap() + "```toml\n".len();
    let end = rest[start..].find("```").unwrap();
    rest[start..start + end].to_string()
}

#[test]
fn documented_example_reads() {
    let f = parse_smp_toml(&example(&docs()), "example.toml").unwrap();
    assert_eq!(f.scenario.actors.len(), 4);
    assert_eq!(
        f.scenario.dimensions,
        ["formal role", "forward presence", "industrial cooperation"]
    );
    assert_eq!(f.scales[1], (0.0, 5000.0));
    assert_eq!(f.scenario.actors[0].position, vec![0.7, 0.6, 0.8]);
    assert_eq!(f.config.stop.max_turns, 50);
    assert!(f.warnings.is_empty());
}

#[test]
fn documented_problems_are_reported() {
    let d = docs();
    let bad = example(&d)
        .replace("capability = 30", "capability = 0")
        .replace("positions = [40, 500, 75]", "positions = [40, 500]")
        .replace(
            "vote_rule = \"proportional\"",
            "vote_rule = \"proportionate\"",
        );
    let e = parse_smp_toml(&bad, "bad.toml").unwrap_err().to_string();
    let from = d.find("error: bad.toml: 3 problems\n").unwrap() + "error: ".len();
    let shown = &d[from..from + d[from..].find("```").unwrap()];
    assert_eq!(format!("{e}\n"), shown);
}
