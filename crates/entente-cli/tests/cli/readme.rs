//! The README's commands as a reader copies them: every file they name exists,
//! and the quick ones run from the repository's root.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `entente ...` lines of the README's `sh` blocks, comments removed, as words.
fn commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        let Some(rest) = line.strip_prefix("entente ").filter(|_| in_sh) else {
            continue;
        };
        let code = rest.split(" #").next().unwrap();
        out.push(
            code.split_whitespace()
                .map(|w| w.trim_matches('"').to_string())
                .collect(),
        );
    }
    out
}

#[test]
fn readme_commands_name_real_files_and_the_quick_ones_run() {
    let cmds = commands();
    assert!(cmds.len() >= 20, "{cmds:?}");
    let mut named = 0;
    for c in &cmds {
        for w in c {
            if w.ends_with(".csv") || w.ends_with(".toml") || w.starts_with("examples/") {
                named += 1;
                assert!(
                    root().join(w).is_file(),
                    "README names `{w}`, which does not exist ({c:?})"
                );
            }
        }
    }
    assert!(named >= 6, "{named} files named");
    // The commands that finish in seconds; the rest (runs, backtests, the
    // server) have their own tests.
    let quick = |c: &[String]| match c[0].as_str() {
        "bdm" | "smp" | "landscape" | "cite" => true,
        "arms" => c[1] == "richardson",
        "world" => !c.iter().any(|w| w == "--data-dir"),
        _ => false,
    };
    let mut ran = 0;
    for c in cmds.iter().filter(|c| quick(c)) {
        let out = crate::entente()
            .args(c)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "entente {}: {}",
            c.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.is_empty(),
            "entente {} printed nothing",
            c.join(" ")
        );
        ran += 1;
    }
    assert!(ran >= 10, "{ran} commands run");
}
