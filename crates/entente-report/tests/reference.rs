//! Generated reference files are what their generators write: docs/codebook.md (from the
//! schemas, `entente_report::reference`) and the R package's citations table (from
//! `entente_data::citations`). `ENTENTE_BLESS=1` rewrites both.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compare `path` with `expected`, or write it under ENTENTE_BLESS=1.
fn check(rel: &str, expected: &str) {
    let path = root().join(rel);
    if std::env::var_os("ENTENTE_BLESS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == expected,
        "{rel} is out of date with its generator: run `ENTENTE_BLESS=1 cargo test -p entente-report --test reference`"
    );
}

#[test]
fn docs_codebook_is_generated_from_the_schemas() {
    let md = entente_report::reference::codebook_md();
    // Every world column, every source flag and the claims columns are in it.
    for c in entente_report::tables::STATE_COLUMNS {
        assert!(md.contains(&format!("| `{c}` |")), "{c}");
    }
    for f in entente_core::world::Source::ALL {
        assert!(md.contains(&format!("| `{}` |", f.name())), "{}", f.name());
    }
    check("docs/codebook.md", &md);
}

#[test]
fn the_r_package_cites_what_entente_cite_does() {
    use entente_data::citations::{Role, CITATIONS};
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["key", "role", "citation", "bibtex"])
        .unwrap();
    for c in CITATIONS {
        let role = match c.role {
            Role::Data => "data",
            Role::Model => "model",
            Role::Software => "software",
        };
        w.write_record([c.key, role, &c.text(), &c.bibtex()])
            .unwrap();
    }
    let csv = String::from_utf8(w.into_inner().unwrap()).unwrap();
    assert!(csv.lines().count() > CITATIONS.len());
    check("R/inst/extdata/citations.csv", &csv);
}
