//! Atomic file writes: `NAME.tmp` first, then a rename over `NAME`.
//!
//! A run killed mid-write leaves at most `NAME.tmp`; a file named `NAME` is always
//! complete (written, flushed and synced before the rename). A failed write removes its
//! `.tmp` and leaves any earlier `NAME` untouched.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::StoreError;

/// The temporary name a write goes to before its rename: `NAME` + `.tmp`.
pub fn tmp_path(path: &Path) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

/// Writes `path` atomically: `write` fills a buffered `NAME.tmp`, which is synced and renamed
/// to `NAME` only if `write` succeeds. On any error the `.tmp` is removed and `NAME` (new or
/// old) is as it was.
///
/// `write` gets the file and the final path (to name in its own errors).
pub fn write_atomically<F>(path: &Path, write: F) -> Result<(), StoreError>
where
    F: FnOnce(&mut BufWriter<File>, &Path) -> Result<(), StoreError>,
{
    let tmp = tmp_path(path);
    let result = write_then_rename(path, &tmp, write);
    if result.is_err() {
        // Best effort: the error being reported is the one that matters.
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_then_rename<F>(path: &Path, tmp: &Path, write: F) -> Result<(), StoreError>
where
    F: FnOnce(&mut BufWriter<File>, &Path) -> Result<(), StoreError>,
{
    let file = File::create(tmp).map_err(|e| StoreError::io(tmp, "cannot create", e))?;
    let mut out = BufWriter::new(file);
    write(&mut out, path)?;
    let file = out
        .into_inner()
        .map_err(|e| StoreError::io(tmp, "cannot write", e.into_error()))?;
    // Sync before the rename, or a crash could leave a complete-looking but empty NAME.
    file.sync_all()
        .map_err(|e| StoreError::io(tmp, "cannot sync", e))?;
    drop(file);
    fs::rename(tmp, path)
        .map_err(|e| StoreError::io(path, "cannot move the .tmp file into place as", e))?;
    Ok(())
}

/// Flushes a writer, naming `path` on failure (for use inside [`write_atomically`]).
pub(crate) fn flush(out: &mut impl Write, path: &Path) -> Result<(), StoreError> {
    out.flush()
        .map_err(|e| StoreError::io(path, "cannot write", e))
}
