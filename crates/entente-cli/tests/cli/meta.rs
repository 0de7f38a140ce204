//! `entente --version` with the bundled data versions, and `entente cite`.

use crate::run;

fn sources_md() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/SOURCES.md"),
    )
    .unwrap()
}

#[test]
fn version_lists_every_bundled_data_set_with_its_version() {
    let (ok, out, err) = run(&["--version"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!("entente {}\n", env!("CARGO_PKG_VERSION"))),
        "{out}"
    );
    // Every file row of data/SOURCES.md, with its data set and version.
    let mut rows = 0;
    for line in sources_md().lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(file) = cells
            .get(1)
            .and_then(|c| c.strip_prefix('`')?.strip_suffix('`'))
        else {
            continue;
        };
        rows += 1;
        let listed = out
            .lines()
            .find(|l| l.trim_start().starts_with(file))
            .unwrap_or_else(|| panic!("{file} not in --version:\n{out}"));
        assert!(listed.ends_with(cells[2]), "{listed} vs {}", cells[2]);
    }
    assert!(rows >= 20, "{rows} files");
    for v in [
        "ATOP 5.1",
        "v7.0",
        "SIPRI Military Expenditure Database, 2025 release",
        "October 2025",
    ] {
        assert!(out.contains(v), "{v}: {out}");
    }
    // -V stays one line.
    let (ok, short, _) = run(&["-V"]);
    assert!(ok);
    assert_eq!(short.lines().count(), 1, "{short}");
}

#[test]
fn cite_prints_the_data_and_models_as_text_and_as_bibtex() {
    let (ok, text, err) = run(&["cite"]);
    assert!(ok, "{err}");
    for s in [
        "Bundled data",
        "Models and methods",
        "Leeds, Brett Ashley; Ritter, Jeffrey M.",
        "SIPRI Military Expenditure Database",
        "Axelrod, Robert & Bennett, D. Scott (1993)",
    ] {
        assert!(text.contains(s), "{s}: {text}");
    }
    let (ok, bib, err) = run(&["cite", "--bibtex"]);
    assert!(ok, "{err}");
    let entries = bib.matches("\n@").count() + usize::from(bib.starts_with('@'));
    assert!(entries >= 25, "{entries} entries");
    assert_eq!(
        entries,
        text.lines().filter(|l| l.starts_with("- ")).count(),
        "one BibTeX entry per cited work"
    );
    assert!(bib.contains("@article{leeds2002atop,\n  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},"), "{bib}");
    assert!(bib.contains("  pages = {237--260},"), "{bib}");
    assert_eq!(bib.matches('{').count(), bib.matches('}').count());
}

#[test]
fn citation_cff_is_what_entente_cite_cff_prints() {
    let (ok, cff, err) = run(&["cite", "--cff"]);
    assert!(ok, "{err}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../CITATION.cff");
    let file = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        file, cff,
        "CITATION.cff is stale: regenerate it with `entente cite --cff > CITATION.cff`"
    );
    assert!(cff.contains("cff-version: 1.2.0\n"));
    assert!(cff.contains(&format!("version: \"{}\"\n", env!("CARGO_PKG_VERSION"))));
    assert!(
        cff.contains("      - family-names: \"Leeds\"\n        given-names: \"Brett Ashley\"\n")
    );
    // Every reference has a type, title, authors and year.
    let refs = cff.matches("\n  - type: ").count();
    assert!(refs >= 25, "{refs}");
    assert_eq!(cff.matches("\n    year: ").count(), refs);
}

#[test]
fn completions_and_the_man_page_know_every_subcommand() {
    let subcommands = [
        "run",
        "merge",
        "slurm",
        "status",
        "world",
        "hindcast",
        "cite",
        "completions",
        "man",
    ];
    for (shell, marker) in [
        ("bash", "complete -F _entente"),
        ("zsh", "#compdef entente"),
        ("fish", "complete -c entente"),
    ] {
        let (ok, out, err) = run(&["completions", shell]);
        assert!(ok, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: {marker}");
        for s in subcommands {
            assert!(out.contains(s), "{shell} completes {s}");
        }
    }
    // The option of a subcommand is completed too.
    let (_, bash, _) = run(&["completions", "bash"]);
    assert!(bash.contains("--list-params"));
    let (ok, _, err) = run(&["completions", "tcsh"]);
    assert!(!ok && err.contains("invalid value"), "{err}");

    let (ok, man, err) = run(&["man"]);
    assert!(ok, "{err}");
    assert!(
        man.contains(".TH entente 1"),
        "{}",
        &man[..man.len().min(400)]
    );
    assert!(man.contains(".SH NAME") && man.contains(".SH SUBCOMMANDS"));
    for s in subcommands {
        assert!(man.contains(&format!("entente\\-{s}(1)")), "man lists {s}");
    }
    // --out writes the page of every subcommand it refers to.
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(&["man", "--out", dir.path().to_str().unwrap()]);
    assert!(ok, "{err}");
    for s in subcommands {
        let page = std::fs::read_to_string(dir.path().join(format!("entente-{s}.1")))
            .unwrap_or_else(|e| panic!("entente-{s}.1: {e}"));
        assert!(page.contains(&format!(".TH entente-{s} 1")), "{s}");
    }
    let run_page = std::fs::read_to_string(dir.path().join("entente-run.1")).unwrap();
    assert!(
        run_page.contains("list\\-params"),
        "run's options are on its page"
    );
    assert!(dir.path().join("entente.1").is_file());
}
