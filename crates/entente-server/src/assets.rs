//! The page and its vendored libraries, embedded in the binary at build time
//! (no CDN, works offline). Lookups go to the embedded table: a request path
//! never reaches the file system.

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "assets/"]
pub struct Assets;

/// The embedded file at `path` (relative, as under `assets/`).
pub fn get(path: &str) -> Option<rust_embed::EmbeddedFile> {
    Assets::get(path)
}

/// Where the page fetches the world map from. The topology itself is
/// `entente_report::atlas::TOPOLOGY_JSON`, shared with the static report.
pub const TOPOLOGY: &str = "vendor/world-atlas/countries-110m.json";

/// The file as an HTTP answer, or `None` when there is none by that name.
pub fn response(path: &str) -> Option<Response> {
    if path == TOPOLOGY {
        return Some(answer(
            Bytes::from_static(entente_report::atlas::TOPOLOGY_JSON.as_bytes()),
            "application/json",
            path,
        ));
    }
    let file = get(path)?;
    let mime = file.metadata.mimetype().to_string();
    Some(answer(Bytes::from(file.data.into_owned()), &mime, path))
}

fn answer(bytes: Bytes, mime: &str, path: &str) -> Response {
    // Vendored files never change within a build; the page itself may.
    let cache = if path.starts_with("vendor/") {
        "public, max-age=86400"
    } else {
        "no-cache"
    };
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(mime) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}
