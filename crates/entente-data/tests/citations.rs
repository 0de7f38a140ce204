//! `entente cite` covers every bundled data file, and its BibTeX is well formed.

use std::collections::BTreeSet;

use entente_data::citations::{bundled_files, Role, CITATIONS};

#[test]
fn every_bundled_file_is_cited_and_every_data_citation_covers_a_file() {
    let files = bundled_files();
    // data/SOURCES.md's table, as the data test reads it, has one row per file.
    assert!(files.len() >= 20, "{files:?}");
    for f in &files {
        assert!(
            !f.dataset.is_empty(),
            "{}: no data set and version in SOURCES.md",
            f.file
        );
        assert!(
            CITATIONS.iter().any(|c| c.covers(&f.file)),
            "{} ({}) has no citation in entente-data's citations table",
            f.file,
            f.dataset
        );
    }
    for c in CITATIONS.iter().filter(|c| c.role == Role::Data) {
        assert!(
            files.iter().any(|f| c.covers(&f.file)),
            "`{}` covers no bundled file ({:?})",
            c.key,
            c.files
        );
    }
}

#[test]
fn bibtex_entries_have_unique_keys_balanced_braces_and_the_fields_of_their_type() {
    let mut keys = BTreeSet::new();
    for c in CITATIONS {
        assert!(keys.insert(c.key), "duplicate key {}", c.key);
        let b = c.bibtex();
        let (open, close) = (b.matches('{').count(), b.matches('}').count());
        assert_eq!(open, close, "{b}");
        assert!(
            b.starts_with('@') && b.contains(&format!("{{{},\n", c.key)),
            "{b}"
        );
        for field in ["author", "title", "year"] {
            assert!(b.contains(&format!("  {field} = {{")), "{field} in {b}");
        }
        assert!(
            !c.year.is_empty() && c.year.chars().all(|ch| ch.is_ascii_digit()),
            "{b}"
        );
        // An organisation stays one author: no bare commas in a braced name.
        assert!(!b.contains("{{United Nations,"), "{b}");
        if b.starts_with("@article") {
            assert!(b.contains("  journal = {"), "{b}");
        }
        assert!(!c.text().is_empty());
    }
}
