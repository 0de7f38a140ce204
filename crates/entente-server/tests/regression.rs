//! Issue 19 (Reliability), the server's share: one test per reproduced failure, named
//! for its item. (A run from the page keeping to the folder lifecycle is checked in
//! `api.rs`, `a_run_started_through_the_api_completes_and_is_summarised`.)

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use entente_core::world::Archive;
use entente_server::{Catalog, Ctx, InitialRun, ServerConfig};
use tower::ServiceExt;

fn archive_and_coefficients() -> (Archive, entente_core::hazard::Coefficients) {
    let l = entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
        .expect("bundled data loads");
    (Archive::new(l.sources).unwrap(), l.hazard_coefficients)
}

/// Item 2: a scenario whose name would put its runs' folders outside the output folder
/// is refused when the catalog takes it, with the file and line, before any job can run.
#[test]
fn item2_a_catalog_scenario_name_cannot_escape_the_output_folder() {
    let (archive, _) = archive_and_coefficients();
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

/// (status, Allow header, body as JSON) of one request through the router.
async fn answer(
    ctx: &Arc<Ctx>,
    method: Method,
    uri: &str,
    body: Vec<u8>,
) -> (StatusCode, Option<String>, serde_json::Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::from(body))
        .unwrap();
    let r = entente_server::router(ctx.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = r.status();
    let allow = r
        .headers()
        .get(header::ALLOW)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    let v = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{uri}: {status} without a JSON body ({e}): `{}`",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, allow, v)
}

/// Item 8: error answers the routes do not make themselves (the HTTP layer's 405 on `/`,
/// methods other than GET/HEAD on the page's files) carry the same JSON body as the rest,
/// and a static file is never served to `DELETE` or `POST`.
#[tokio::test]
async fn item8_every_error_has_a_json_body_and_static_files_take_only_get_and_head() {
    let (archive, coefficients) = archive_and_coefficients();
    let catalog = Catalog::flagship(&archive).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        store: dir.path().join("runs.sqlite"),
        out_dir: dir.path().join("out"),
        initial_run: InitialRun::Never,
        ..ServerConfig::default()
    };
    let ctx = Arc::new(Ctx::new(archive, coefficients, catalog, config).unwrap());
    for (method, uri) in [
        (Method::POST, "/"),
        (Method::DELETE, "/"),
        (Method::DELETE, "/style.css"),
        (Method::PUT, "/js/main.js"),
        (Method::POST, "/no-such-file"),
    ] {
        let (st, allow, v) = answer(&ctx, method.clone(), uri, Vec::new()).await;
        assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}: {v}");
        assert_eq!(v["error"], "method_not_allowed", "{method} {uri}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
        if uri != "/" {
            let allow = allow.unwrap_or_default();
            assert_eq!(allow, "GET, HEAD", "{method} {uri}");
        }
    }
    // GET and HEAD still serve the file.
    for method in [Method::GET, Method::HEAD] {
        let req = Request::builder()
            .method(method.clone())
            .uri("/style.css")
            .body(Body::empty())
            .unwrap();
        let r = entente_server::router(ctx.clone())
            .oneshot(req)
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{method}");
    }
    // A body over the limit on an API route: JSON too.
    let (st, _, v) = answer(&ctx, Method::POST, "/api/runs", vec![b' '; 64 * 1024]).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"], "body_too_large", "{v}");
}
