//! Issue 19 (Reliability), the server's share: one test per reproduced failure, named
//! for its item. (A run from the page keeping to the folder lifecycle is checked in
//! `api.rs`, `a_run_started_through_the_api_completes_and_is_summarised`.)

use entente_core::world::Archive;
use entente_server::Catalog;

/// Item 2: a scenario whose name would put its runs' folders outside the output folder
/// is refused when the catalog takes it, with the file and line, before any job can run.
#[test]
fn item2_a_catalog_scenario_name_cannot_escape_the_output_folder() {
    let l = entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
        .expect("bundled data loads");
    let archive = Archive::new(l.sources).unwrap();
    let flagship = entente_data::scenario::FLAGSHIP;
    assert!(flagship.contains("name = \"nato-ip4\""));
    for name in ["../../escaped", "/abs/path"] {
        let text = flagship.replace("name = \"nato-ip4\"", &format!("name = \"{name}\""));
        let mut c = Catalog::default();
        let e = c
            .add(text, "bad.toml".into(), &archive)
            .err()
            .unwrap_or_else(|| panic!("`{name}` must be refused"))
            .to_string();
        let line = flagship
            .lines()
            .position(|l| l.starts_with("name = "))
            .unwrap()
            + 1;
        assert!(e.contains(&format!("bad.toml:{line}:")), "{e}");
        assert!(e.contains(&format!("scenario name `{name}`")), "{e}");
        assert_eq!(c.names().count(), 0);
    }
}
