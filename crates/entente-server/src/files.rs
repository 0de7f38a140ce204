//! A run's files for download. The name in a request is looked up in a fixed
//! table ([`RUN_FILES`]); the path opened is the folder the run store recorded
//! for the run, joined with the table's own name. Nothing from the request is
//! joined to a path, and symbolic links are refused.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use tokio::io::AsyncReadExt;

use crate::error::ApiError;

/// A file a run folder may hold, and how it is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunFile {
    pub name: &'static str,
    pub media_type: &'static str,
}

/// Every file the server offers, in the order the page lists them.
pub const RUN_FILES: &[RunFile] = &[
    RunFile {
        name: "report.html",
        media_type: "text/html; charset=utf-8",
    },
    RunFile {
        name: "report.md",
        media_type: "text/markdown; charset=utf-8",
    },
    RunFile {
        name: "claims.csv",
        media_type: "text/csv; charset=utf-8",
    },
    RunFile {
        name: "draws.parquet",
        media_type: "application/vnd.apache.parquet",
    },
    RunFile {
        name: "draws.csv",
        media_type: "text/csv; charset=utf-8",
    },
    RunFile {
        name: "codebook.csv",
        media_type: "text/csv; charset=utf-8",
    },
    RunFile {
        name: "summary.json",
        media_type: "application/json",
    },
    RunFile {
        name: "run.json",
        media_type: "application/json",
    },
    // A hindcast's folder (`entente hindcast`).
    RunFile {
        name: "hindcast.html",
        media_type: "text/html; charset=utf-8",
    },
    RunFile {
        name: "hindcast.json",
        media_type: "application/json",
    },
    RunFile {
        name: "forecast.csv",
        media_type: "text/csv; charset=utf-8",
    },
];

/// The table's entry for `name` (exact match).
pub fn lookup(name: &str) -> Option<&'static RunFile> {
    RUN_FILES.iter().find(|f| f.name == name)
}

/// The size of `dir/file` when it is a regular file (not a link, not a folder).
async fn regular_file_len(dir: &Path, file: &RunFile) -> Option<u64> {
    let meta = tokio::fs::symlink_metadata(dir.join(file.name))
        .await
        .ok()?;
    meta.file_type().is_file().then_some(meta.len())
}

/// The files of the table present in `dir`, as the API lists them.
pub async fn list(dir: &Path, run_id: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for f in RUN_FILES {
        if let Some(bytes) = regular_file_len(dir, f).await {
            out.push(json!({
                "name": f.name,
                "bytes": bytes,
                "media_type": f.media_type,
                "url": format!("/api/runs/{run_id}/files/{}", f.name),
            }));
        }
    }
    out
}

/// Read size of the download stream.
const CHUNK: usize = 64 * 1024;

/// `dir/file` as a download (streamed, so a large draws.csv is never held in memory).
pub async fn download(
    dir: &Path,
    file: &'static RunFile,
    run_id: &str,
) -> Result<Response, ApiError> {
    let missing = || {
        ApiError::not_found(
            "no_file",
            format!("run `{run_id}` has no `{}` in its folder", file.name),
        )
    };
    let len = regular_file_len(dir, file).await.ok_or_else(missing)?;
    let path: PathBuf = dir.join(file.name);
    let f = tokio::fs::File::open(&path).await.map_err(|_| missing())?;
    let stream = futures_util::stream::unfold(Some(f), |f| async move {
        let mut f = f?;
        let mut buf = vec![0u8; CHUNK];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut r = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.media_type),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    // The run id is letters, digits, `-` and `_` (checked), the name from the table.
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"{run_id}-{}\"", file.name))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(r)
}

/// The answer to a name outside the table.
pub fn unknown(name: &str) -> ApiError {
    ApiError::not_found(
        "unknown_file",
        format!(
            "`{}` is not a run file (one of {})",
            name.chars().take(60).collect::<String>(),
            RUN_FILES
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_in_the_table() {
        for f in RUN_FILES {
            assert!(
                f.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                    && !f.name.starts_with('.'),
                "{}",
                f.name
            );
        }
        assert!(lookup("claims.csv").is_some());
        for bad in ["../claims.csv", "CLAIMS.CSV", "claims.csv/", "", "RUNNING"] {
            assert!(lookup(bad).is_none(), "{bad}");
        }
    }
}
