//! Tests of the SMP TOML form and the KTAB CSV conversion.

use super::*;

const GOOD: &str = r#"# Japan's role in NATO's Indo-Pacific partnership.
[scenario]
name = "Japan and NATO"
description = "Three issues, 2030"
scale = [0, 100]
dimensions = ["formal role", { name = "forward presence", scale = [0, 5000] }, "industry"]

[options]
vote_rule = "PropBin"
transition = "stochastic"
seed = 7
max_turns = 20

[[actors]]
name = "USA"
description = "United States"
capability = 100
positions = [70, 1250, 80.5]
saliences = [0.5, 0.3, 0.2]

[[actors]]
name = "JPN"
capability = 45.5
positions = [40, 0, 60]
saliences = [0.2, 0.2, 0.6]
"#;

fn errors(text: &str) -> String {
    parse_smp_toml(text, "s.toml").unwrap_err().to_string()
}

#[test]
fn reads_names_scales_and_options() {
    let f = parse_smp_toml(GOOD, "s.toml").unwrap();
    let s = &f.scenario;
    assert_eq!(s.name, "Japan and NATO");
    assert_eq!(
        s.dimensions,
        vec!["formal role", "forward presence", "industry"]
    );
    assert_eq!(f.scales, vec![(0.0, 100.0), (0.0, 5000.0), (0.0, 100.0)]);
    assert_eq!(s.actors[0].position, vec![0.7, 0.25, 0.805]);
    assert_eq!(s.actors[0].salience, vec![0.5, 0.3, 0.2]);
    assert_eq!(s.actors[1].capability, 45.5);
    assert_eq!(s.actors[1].description, "");
    assert_eq!(f.config.vote_rule, VoteRule::PropBin);
    assert_eq!(f.config.transition, Transition::Stochastic { seed: 7 });
    assert_eq!(f.config.stop.max_turns, 20);
    assert_eq!(f.config.victory, VictoryModel::Linear);
    assert!(f.warnings.is_empty());
}

#[test]
fn every_mistake_is_reported_with_line_and_column() {
    let bad = r#"[scenario]
name = "Bad"
salience_scale = [0, 100]
dimensions = ["a", "b"]

[options]
vote_rul = "proportional"
victory = "quadratic"

[[actors]]
name = "A"
capability = 0
positions = [50, 150]
saliences = [60, 50]

[[actors]]
name = "B"
capability = "big"
positions = [50]
saliences = [10, "x"]
colour = "red"

[[actors]]
capability = 3
positions = [1, 2]
saliences = [0, 0]

[[actors]]
name = "A"
capability = 1
positions = [1, 2]
saliences = [1, 2]
"#;
    let keys = "vote_rule, victory, pce, transition, seed, risk_adjust, risk_range, \
                third_party, interpolation, bargain_model, max_turns, min_turns, stop_ratio, \
                min_first_move";
    let want = [
        "s.toml: 11 problems".to_string(),
        format!("  s.toml:7:1: unknown key `vote_rul` in [options]: did you mean `vote_rule`? (keys: {keys})"),
        "  s.toml:8:11: `quadratic` is not a value of `victory`: did you mean `quartic`? (linear, square, quartic, octic, binary)".into(),
        "  s.toml:12:14: capability of `A` is 0, not positive".into(),
        "  s.toml:13:18: position of `A` on `b` is 150, outside 0-100".into(),
        "  s.toml:14:13: saliences of `A` sum to 110, more than 100".into(),
        "  s.toml:18:14: capability of `B` must be a number, found a string".into(),
        "  s.toml:19:13: `B` has 1 positions for 2 dimensions (a, b)".into(),
        "  s.toml:20:18: salience of `B` on `b` must be a number, found a string".into(),
        "  s.toml:21:1: unknown key `colour` in an actor (keys: name, description, capability, positions, saliences)".into(),
        "  s.toml:23:1: an actor needs a `name`".into(),
        "  s.toml:26:13: all saliences of this actor are zero".into(),
    ];
    assert_eq!(errors(bad), want.join("\n"));
}

#[test]
fn duplicate_names_are_warnings_and_stay_apart() {
    let text = GOOD
        .replace("name = \"JPN\"", "name = \"USA\"")
        .replace("\"industry\"]", "\"formal role\"]");
    let f = parse_smp_toml(&text, "s.toml").unwrap();
    assert_eq!(f.scenario.actors.len(), 2);
    assert_eq!(f.scenario.actors[1].capability, 45.5);
    assert_eq!(f.scenario.dimensions.len(), 3);
    let w: Vec<String> = f
        .warnings
        .iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect();
    assert_eq!(
        w,
        [
            "6:80: dimension `formal role` is also named at line 6; the two stay separate",
            "22:8: actor `USA` is also named at line 15; the two stay separate actors",
        ]
    );
}

#[test]
fn scales_and_options_are_checked() {
    let text = GOOD
        .replace(
            "scale = [0, 100]",
            "scale = [100, 0]\nsalience_scale = [1, 2]",
        )
        .replace("seed = 7\n", "")
        .replace(
            "max_turns = 20",
            "max_turns = 0\nstop_ratio = -1\nvoting = 3",
        );
    let e = errors(&text);
    for want in [
        "s.toml:5:9: scale must be [low, high] with low < high",
        "s.toml:6:18: salience_scale must start at 0, e.g. [0, 100]",
        "s.toml:11:14: a stochastic transition needs a `seed` (an integer)",
        "s.toml:12:13: max_turns must be at least 1",
        "s.toml:13:14: stop_ratio must be positive, got -1",
        "s.toml:14:1: unknown key `voting` in [options]",
    ] {
        assert!(e.contains(want), "{want}\nnot in\n{e}");
    }
    // Positions on the bad scale are not checked against it; the wide one still is.
    assert!(!e.contains("outside"), "{e}");
}

#[test]
fn structural_problems() {
    assert_eq!(
        errors("[scenario]\nname = \"x\"\ndimensions = []\n[[actors]]\nname = \"A\"\n"),
        "s.toml: 5 problems\n  \
         s.toml:3:14: at least 1 dimension is needed\n  \
         s.toml:4:3: at least 2 actors are needed, found 1\n  \
         s.toml:5:8: `A` needs a `capability`\n  \
         s.toml:5:8: `A` needs `positions`, one per dimension\n  \
         s.toml:5:8: `A` needs `saliences`, one per dimension"
    );
}

#[test]
fn syntax_errors_are_located() {
    let e = errors("[scenario]\nname = \"x\nfoo\n");
    assert!(
        e.starts_with("s.toml: 2 problems\n  s.toml:2:10: invalid basic string"),
        "{e}"
    );
    let e = errors("[scenario]\nname = 1\n[scenario]\n");
    assert!(e.contains("s.toml:3:"), "{e}");
}

#[test]
fn truncated_or_edited_files_never_panic() {
    for cut in 0..GOOD.len() {
        if GOOD.is_char_boundary(cut) {
            let _ = parse_smp_toml(&GOOD[..cut], "s.toml");
        }
    }
    for (from, to) in [
        ("100", "-1e400"),
        ("[", "{"),
        ("=", "= ="),
        ("0.", "nan + "),
    ] {
        let _ = parse_smp_toml(&GOOD.replace(from, to), "s.toml");
    }
}

#[test]
fn converted_ktab_csv_reads_to_the_same_scenario() {
    let csv = "Scen,\"A \"\"quoted\"\" description\",3,2,\n\
        Actor,Description,Power,P1,S1,P2,S2,\n\
        A,first,100,30,24,20,48,\n\
        B,second,60.2,45.17,44.7,65,41.3\n\
        C,,1e-3,0.3,28.9,15,65.1,\n";
    let toml = ktab_csv_to_toml(csv, "dir/t.csv").unwrap();
    assert!(toml.contains("positions = [45.17, 65]"), "{toml}");
    assert!(toml.contains("capability = 0.001"), "{toml}");
    let f = parse_smp_toml(&toml, "t.toml").unwrap();
    let want = crate::ktab::parse_ktab_smp(csv, "t.csv").unwrap();
    assert_eq!(f.scenario, want);
    assert_eq!(f.config, SmpConfig::default());
    assert_eq!(f.scales, vec![(0.0, 100.0); 2]);
}
