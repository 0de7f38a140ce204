//! A run's folder and the order its life is written in, the same for `entente run`,
//! `entente merge` and runs started from the dashboard:
//!
//! 1. [`create_run_folder`]: `<root>/<scenario>-<run id>`, new (never shared with another
//!    run), always inside `root` (the scenario name is checked to be one plain component);
//! 2. [`Marker::write`]: `RUNNING`, before anything else is written or recorded;
//! 3. the store records the run `running`, the outputs are written, the store records its
//!    claims and then `complete`;
//! 4. [`Marker::remove`], last. A folder without `RUNNING` therefore always has a complete
//!    store record; a run that fails or is killed at any step leaves the marker.

use std::io::Write;
use std::path::{Path, PathBuf};

use entente_store::RunId;

use crate::ReportError;

/// The folder a run writes to: `out` as the user gave it (created if need be and made
/// absolute, so the store's record lets readers elsewhere, the dashboard, find it), or a new
/// folder `<root>/<name>-<id>` ([`create_run_folder`]).
pub fn run_folder(
    out: Option<&Path>,
    root: &Path,
    name: &str,
    id: &RunId,
) -> Result<PathBuf, ReportError> {
    match out {
        Some(out) => {
            std::fs::create_dir_all(out).map_err(|e| ReportError::io(out, "cannot create", e))?;
            Ok(out.canonicalize().unwrap_or_else(|_| out.to_path_buf()))
        }
        None => create_run_folder(root, name, id),
    }
}

/// The file that says a folder's run has not finished.
pub const MARKER: &str = "RUNNING";

/// The folder name of run `id` of scenario `name`, refused unless it is one plain path
/// component (see [`entente_core::scenario::check_name`]).
pub fn run_folder_name(name: &str, id: &RunId) -> Result<String, ReportError> {
    let bad = |message: String| ReportError::FolderName {
        name: name.to_string(),
        message,
    };
    entente_core::scenario::check_name(name).map_err(bad)?;
    let folder = format!("{name}-{id}");
    // Ids from `RunId::generate` are safe; one parsed from elsewhere is checked too.
    if !folder
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(bad(format!("run id `{id}` cannot name a folder")));
    }
    Ok(folder)
}

/// Create `root` if needed and, inside it, the new folder of run `id` of scenario `name`;
/// its absolute path (the store records it, so readers elsewhere find it). An existing
/// folder of that name is an error, never reused.
pub fn create_run_folder(root: &Path, name: &str, id: &RunId) -> Result<PathBuf, ReportError> {
    let folder = run_folder_name(name, id)?;
    std::fs::create_dir_all(root).map_err(|e| ReportError::io(root, "cannot create", e))?;
    let root = root
        .canonicalize()
        .map_err(|e| ReportError::io(root, "cannot resolve", e))?;
    let dir = root.join(folder);
    debug_assert_eq!(dir.parent(), Some(root.as_path()));
    // `create_dir`, not `create_dir_all`: two runs can never share a folder.
    std::fs::create_dir(&dir).map_err(|e| ReportError::io(&dir, "cannot create", e))?;
    Ok(dir)
}

/// The `RUNNING` marker of a folder whose run has not finished.
#[derive(Debug)]
#[must_use = "remove the marker once the store records the run complete"]
pub struct Marker {
    path: PathBuf,
}

impl Marker {
    /// Write `folder/RUNNING` (synced, so a crash right after cannot lose it).
    pub fn write(folder: &Path, text: &str) -> Result<Marker, ReportError> {
        let path = folder.join(MARKER);
        let mut f =
            std::fs::File::create(&path).map_err(|e| ReportError::io(&path, "cannot write", e))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| ReportError::io(&path, "cannot write", e))?;
        Ok(Marker { path })
    }

    /// Remove the marker: call only after the store records the run complete.
    pub fn remove(self) -> Result<(), ReportError> {
        std::fs::remove_file(&self.path)
            .map_err(|e| ReportError::io(&self.path, "cannot remove", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_name_never_leaves_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("a").join("out");
        let id = RunId::generate(1);
        for bad in ["../../escaped", "/abs/path", "..", "a/b", ".hidden"] {
            let e = create_run_folder(&root, bad, &id).unwrap_err();
            assert!(e.to_string().contains("scenario name"), "{bad}: {e}");
        }
        assert!(!dir.path().join("escaped").exists());
        assert!(!Path::new("/abs").exists());
        let ok = create_run_folder(&root, "small", &id).unwrap();
        assert_eq!(ok.parent(), Some(root.canonicalize().unwrap().as_path()));
        assert!(ok.ends_with(format!("small-{id}")));
    }

    #[test]
    fn a_run_folder_is_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let id = RunId::generate(1);
        let first = create_run_folder(dir.path(), "small", &id).unwrap();
        assert!(create_run_folder(dir.path(), "small", &id).is_err());
        // Another run of the same scenario and seed in the same second: its own folder.
        let other = create_run_folder(dir.path(), "small", &RunId::generate(1)).unwrap();
        assert_ne!(first, other);
    }

    #[test]
    fn the_marker_stays_until_removed() {
        let dir = tempfile::tempdir().unwrap();
        let m = Marker::write(dir.path(), "started\n").unwrap();
        assert!(dir.path().join(MARKER).exists());
        m.remove().unwrap();
        assert!(!dir.path().join(MARKER).exists());
    }
}
