//! The dashboard's API through its router (no sockets), and a load test on loopback.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use entente_core::world::Archive;
use entente_server::{Catalog, Ctx, InitialRun, Limits, ServerConfig};
use serde_json::Value;
use tower::ServiceExt;

fn sources() -> &'static (
    entente_core::sources::Sources,
    entente_core::hazard::Coefficients,
) {
    static LOADED: OnceLock<(
        entente_core::sources::Sources,
        entente_core::hazard::Coefficients,
    )> = OnceLock::new();
    LOADED.get_or_init(|| {
        let l = entente_data::world_data::load(&entente_data::world_data::DataSource::bundled())
            .expect("bundled data loads");
        (l.sources, l.hazard_coefficients)
    })
}

struct Server {
    ctx: Arc<Ctx>,
    _dir: tempfile::TempDir,
}

/// A server over a fresh store in a temporary folder.
fn server_with(limits: Limits, initial_run: InitialRun) -> Server {
    let (src, coef) = sources();
    let archive = Archive::new(src.clone()).unwrap();
    let catalog = Catalog::flagship(&archive).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        store: dir.path().join("runs.sqlite"),
        out_dir: dir.path().join("out"),
        threads: 2,
        limits,
        initial_run,
        ..ServerConfig::default()
    };
    Server {
        ctx: Arc::new(Ctx::new(archive, *coef, catalog, config).unwrap()),
        _dir: dir,
    }
}

fn server(limits: Limits) -> Server {
    server_with(limits, InitialRun::Never)
}

async fn call(
    s: &Server,
    method: Method,
    uri: &str,
    body: Option<Vec<u8>>,
) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, Body::from))
        .unwrap();
    let r = entente_server::router(s.ctx.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), 64 << 20).await.unwrap();
    (status, bytes.to_vec())
}

async fn get_json(s: &Server, uri: &str) -> (StatusCode, Value) {
    let (st, b) = call(s, Method::GET, uri, None).await;
    (
        st,
        serde_json::from_slice(&b)
            .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&b))),
    )
}

async fn post_json(s: &Server, body: &str) -> (StatusCode, Value) {
    let (st, b) = call(s, Method::POST, "/api/runs", Some(body.as_bytes().to_vec())).await;
    (
        st,
        serde_json::from_slice(&b)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&b))),
    )
}

/// An error answer: the status, and a JSON body with a code and a message.
fn assert_error(st: StatusCode, v: &Value, want: StatusCode, code: &str) -> String {
    assert_eq!(st, want, "{v}");
    assert_eq!(v["error"], code, "{v}");
    let m = v["message"].as_str().expect("a message").to_string();
    assert!(!m.is_empty());
    m
}

#[tokio::test]
async fn health_scenarios_and_openapi() {
    let s = server(Limits::default());
    let (st, v) = get_json(&s, "/api/health").await;
    assert_eq!((st, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (st, v) = get_json(&s, "/api/scenarios").await;
    assert_eq!(st, StatusCode::OK);
    let sc = &v["scenarios"][0];
    assert_eq!(sc["name"], "nato-ip4");
    assert_eq!(sc["options"].as_array().unwrap().len(), 4);
    // A Saltelli design of N = 32 base samples over k uncertain parameters: N (k + 2) draws.
    let k = sc["params"]
        .as_array()
        .expect("the parameters")
        .iter()
        .filter(|p| p["uncertain"] == true)
        .count() as u64;
    assert!(k >= 5, "{k} parameters");
    assert_eq!(sc["experiment"]["draws"].as_u64(), Some(32 * (k + 2)));
    let rel = sc["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "reliability")
        .unwrap();
    assert_eq!(rel["prior"]["dist"], "uniform");
    let (st, one) = get_json(&s, "/api/scenarios/nato-ip4").await;
    assert_eq!((st, &one), (StatusCode::OK, sc));
    let (st, doc) = get_json(&s, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
}

#[tokio::test]
async fn every_documented_path_is_routed() {
    let s = server(Limits::default());
    let (_, doc) = get_json(&s, "/api/openapi.json").await;
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 11, "{paths:?}");
    for (path, ops) in paths {
        let uri = path
            .replace("{name}", "nato-ip4")
            .replace("{id}", "does-not-exist");
        for (method, _) in ops.as_object().unwrap() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (m == Method::POST).then(|| b"{}".to_vec());
            let (st, b) = call(&s, m.clone(), &uri, body).await;
            let v: Value = serde_json::from_slice(&b).unwrap_or(Value::Null);
            assert_ne!(
                v["error"], "no_route",
                "{method} {path} is documented but not routed"
            );
            assert_ne!(st, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn malformed_requests_get_json_4xx() {
    let s = server(Limits::default());
    let (st, v) = post_json(&s, "{\"scenario\": \"nato-ip4\",").await;
    let m = assert_error(st, &v, StatusCode::BAD_REQUEST, "bad_json");
    assert!(m.contains("line 1"), "{m}");
    let (st, v) = post_json(&s, "[1, 2]").await;
    assert_error(st, &v, StatusCode::BAD_REQUEST, "bad_request");
    let (st, v) = post_json(&s, r#"{"scenario": "nato-ip5"}"#).await;
    let m = assert_error(st, &v, StatusCode::NOT_FOUND, "unknown_scenario");
    assert!(m.contains("nato-ip4"), "the known names are listed: {m}");
    let (st, v) = post_json(&s, r#"{"scenario": "../scenarios/nato-ip4.toml"}"#).await;
    assert_error(st, &v, StatusCode::NOT_FOUND, "unknown_scenario");
    let (st, v) = post_json(&s, r#"{"scenario": "nato-ip4", "draws": 3}"#).await;
    let m = assert_error(st, &v, StatusCode::BAD_REQUEST, "unknown_field");
    assert!(m.contains("`draws`"), "{m}");
    let (st, v) = post_json(&s, r#"{"scenario": "nato-ip4", "base_samples": 100000}"#).await;
    let m = assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "too_many_draws");
    assert!(m.contains("base_samples") && m.contains("64"), "{m}");
    let (st, v) = post_json(&s, r#"{"scenario": "nato-ip4", "base_samples": -2}"#).await;
    assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_base_samples");
    let (st, v) = post_json(&s, r#"{"scenario": "nato-ip4", "seed": "x"}"#).await;
    assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_seed");
    let (st, v) = post_json(
        &s,
        r#"{"scenario": "nato-ip4", "prior": {"param": "reliability", "dist": "uniform", "lo": 0.9, "hi": 0.1}}"#,
    )
    .await;
    let m = assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_prior");
    assert!(m.contains("lo < hi"), "{m}");
    let (st, v) = post_json(
        &s,
        r#"{"scenario": "nato-ip4", "prior": {"param": "courage", "dist": "fixed", "value": 1}}"#,
    )
    .await;
    assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_prior");
    // Finite parameters whose draws overflow (the run_request fuzz target's property).
    let (st, v) = post_json(
        &s,
        r#"{"scenario": "nato-ip4", "prior": {"param": "reliability", "dist": "lognormal", "median": 1, "sigma": 1000}}"#,
    )
    .await;
    let m = assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_prior");
    assert!(m.contains("overflow"), "{m}");
    // Oversized body: refused before it is parsed.
    let big = format!(
        r#"{{"scenario": "nato-ip4", "pad": "{}"}}"#,
        "x".repeat(20_000)
    );
    let (st, v) = post_json(&s, &big).await;
    let m = assert_error(st, &v, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    assert!(m.contains("16384"), "{m}");
    // Unknown routes and methods answer JSON too.
    let (st, v) = get_json(&s, "/api/nothing").await;
    assert_error(st, &v, StatusCode::NOT_FOUND, "no_route");
    let (st, b) = call(&s, Method::DELETE, "/api/runs", None).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_error(st, &v, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    let (st, v) = get_json(&s, "/api/runs/nope-123").await;
    assert_error(st, &v, StatusCode::NOT_FOUND, "unknown_run");
    let (st, v) = get_json(&s, "/api/jobs/job-999").await;
    assert_error(st, &v, StatusCode::NOT_FOUND, "unknown_job");
    let (st, v) = get_json(&s, "/api/map?year=1700").await;
    assert_error(st, &v, StatusCode::UNPROCESSABLE_ENTITY, "bad_year");
    let (st, v) = get_json(&s, "/api/map?year=abc").await;
    assert_error(st, &v, StatusCode::BAD_REQUEST, "bad_year");
}

#[tokio::test]
async fn path_traversal_never_reaches_the_file_system() {
    let s = server(Limits::default());
    for uri in [
        "/../Cargo.toml",
        "/..%2FCargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/vendor/../../Cargo.toml",
        "/vendor/..%2f..%2fsrc%2flib.rs",
        "//etc/passwd",
        "/etc/passwd",
        "/api/runs/..%2F..%2Fetc%2Fpasswd",
        "/api/runs/..%2F..%2Fetc%2Fpasswd/summary",
        "/api/scenarios/..%2Fscenarios%2Fnato-ip4.toml",
        "/api/jobs/..%2F..%2Fetc",
        "/api/scenarios/%FF",
        "/api/runs/%C3%28/summary",
        "/api/jobs/%FF/events",
    ] {
        let (st, b) = call(&s, Method::GET, uri, None).await;
        let text = String::from_utf8_lossy(&b);
        assert!(st.is_client_error(), "{uri}: {st}");
        assert!(
            !text.contains("[package]") && !text.contains("root:") && !text.contains("pub mod"),
            "{uri} leaked a file: {text}"
        );
        let v: Value =
            serde_json::from_slice(&b).unwrap_or_else(|_| panic!("{uri}: not JSON: {text}"));
        assert!(v["message"].is_string(), "{uri}: {v}");
    }
    // The page and its libraries are served.
    for (uri, kind) in [
        ("/", "text/html"),
        ("/vendor/d3/d3.min.js", "javascript"),
        ("/vendor/world-atlas/countries-110m.json", "json"),
    ] {
        let r = entente_server::router(s.ctx.clone())
            .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{uri}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.contains(kind), "{uri}: {ct}");
    }
}

#[tokio::test]
async fn the_map_joins_features_by_code_and_by_name() {
    let s = server(Limits::default());
    let (st, v) = get_json(&s, "/api/map?year=2024").await;
    assert_eq!(st, StatusCode::OK);
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 177);
    let by_name = |n: &str| f.iter().find(|x| x["name"] == n).unwrap().clone();
    let japan = by_name("Japan");
    assert_eq!(
        (japan["ccode"].as_i64(), japan["matched_by"].as_str()),
        (Some(740), Some("iso_numeric"))
    );
    // Kosovo has no id in the map; Serbia has one, but COW 345 has no ISO code.
    let kosovo = by_name("Kosovo");
    assert!(kosovo["id"].is_null());
    assert_eq!(
        (kosovo["ccode"].as_i64(), kosovo["matched_by"].as_str()),
        (Some(347), Some("name"))
    );
    let serbia = by_name("Serbia");
    assert_eq!(
        (serbia["ccode"].as_i64(), serbia["matched_by"].as_str()),
        (Some(345), Some("name"))
    );
    // Territories and unrecognised states stay unmatched rather than guessed.
    for n in ["Greenland", "W. Sahara", "Somaliland", "N. Cyprus"] {
        assert!(by_name(n)["ccode"].is_null(), "{n}");
    }
    // Every state is matched at most once.
    let mut codes: Vec<i64> = f.iter().filter_map(|x| x["ccode"].as_i64()).collect();
    let n = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), n);
    assert!(n >= 160, "{n}");
    // In 2005 Serbia and Montenegro was one state: Montenegro's feature has no match.
    let (_, v) = get_json(&s, "/api/map?year=2005").await;
    let mne = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "Montenegro")
        .unwrap()
        .clone();
    assert!(mne["ccode"].is_null(), "{mne}");
}

async fn wait_for_job(s: &Server, id: &str) -> Value {
    for _ in 0..1200 {
        let (_, j) = get_json(s, &format!("/api/jobs/{id}")).await;
        if j["state"] == "complete" || j["state"] == "failed" {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("job {id} did not finish in 5 minutes");
}

/// A run from the API end to end, the queue's bound, progress events, and the
/// summary the page draws.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_started_through_the_api_completes_and_is_summarised() {
    let s = server(Limits {
        concurrent_runs: 1,
        queued_runs: 0,
        ..Limits::default()
    });
    let (st, job) = post_json(
        &s,
        r#"{"scenario": "nato-ip4", "base_samples": 2, "seed": 5, "prior": {"param": "reliability", "dist": "uniform", "lo": 0.5, "hi": 0.6}}"#,
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{job}");
    // Two base samples of the flagship's design: 2 (k + 2) draws.
    let (_, scenarios) = get_json(&s, "/api/scenarios").await;
    let k = scenarios["scenarios"][0]["params"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["uncertain"] == true)
        .count() as u64;
    assert_eq!(job["total"].as_u64(), Some(2 * (k + 2)));
    let id = job["id"].as_str().unwrap().to_string();
    // The one slot is taken: the next request is refused at once, with a hint when to retry.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/runs")
        .body(Body::from(r#"{"scenario": "nato-ip4", "base_samples": 2}"#))
        .unwrap();
    let r = entente_server::router(s.ctx.clone())
        .oneshot(req)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));

    let done = wait_for_job(&s, &id).await;
    assert_eq!(done["state"], "complete", "{done}");
    assert_eq!(done["done"], job["total"]);
    let run_id = done["run_id"].as_str().unwrap().to_string();
    // Issue 19, items 3 and 4: the run's own new folder, named by its id, inside the
    // server's output folder, its RUNNING marker removed once the store says complete.
    let rec = s
        .ctx
        .store(|st| st.get_run(&run_id.as_str().into()))
        .unwrap();
    let out = s._dir.path().join("out").canonicalize().unwrap();
    assert_eq!(rec.meta.out_dir, out.join(format!("nato-ip4-{run_id}")));
    assert!(rec.meta.out_dir.join("summary.json").exists());
    assert!(!rec.meta.out_dir.join("RUNNING").exists());

    // Late subscribers get the final event at once, and the stream ends.
    let (st, b) = call(&s, Method::GET, &format!("/api/jobs/{id}/events"), None).await;
    assert_eq!(st, StatusCode::OK);
    let text = String::from_utf8(b).unwrap();
    assert!(
        text.contains("event: complete") && text.contains(&run_id),
        "{text}"
    );

    let (st, runs) = get_json(&s, "/api/runs").await;
    assert_eq!(st, StatusCode::OK);
    let r = &runs["runs"][0];
    assert_eq!(
        (
            r["id"].as_str(),
            r["status"].as_str(),
            r["has_summary"].as_bool()
        ),
        (Some(run_id.as_str()), Some("complete"), Some(true))
    );
    assert_eq!(r["seed"], 5);
    let (st, rec) = get_json(&s, &format!("/api/runs/{run_id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!rec["claims"].as_array().unwrap().is_empty());

    let (st, sum) = get_json(&s, &format!("/api/runs/{run_id}/summary")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(sum["schema"], "entente.run-summary/1");
    assert_eq!(sum["run_id"], run_id.as_str());
    assert_eq!(sum["experiment"]["draws"], job["total"]);
    assert_eq!(sum["years"].as_array().unwrap().len(), 11);
    let states = sum["states"].as_array().unwrap();
    let options = sum["by_option"].as_array().unwrap();
    assert_eq!(options.len(), 4);
    for o in options {
        assert_eq!(
            o["milex_const2023_usd_m"].as_array().unwrap().len(),
            states.len()
        );
        assert_eq!(
            o["with_east"].as_array().unwrap().len(),
            sum["units"].as_array().unwrap().len()
        );
    }
    // The formal options add edges between NATO and the IP4; the status quo adds none.
    let added = |o: &Value| {
        o["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["added"] == true)
            .count()
    };
    assert_eq!(added(&options[0]), 0);
    assert!(added(&options[1]) > 0 && added(&options[2]) > 0);
    // China's spending fan: ordered quantiles, constant 2023 US$ m.
    let cn = states.iter().position(|x| x["ccode"] == 710).unwrap();
    let fan = &options[0]["milex_const2023_usd_m"][cn];
    for t in 0..11 {
        let q: Vec<f64> = ["q05", "q25", "q50", "q75", "q95"]
            .iter()
            .map(|k| fan[k][t].as_f64().unwrap())
            .collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    }
    // Its files are offered for download, the report among them.
    let (st, files) = get_json(&s, &format!("/api/runs/{run_id}/files")).await;
    assert_eq!(st, StatusCode::OK, "{files}");
    let names: Vec<&str> = files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for want in [
        "report.html",
        "report.md",
        "claims.csv",
        "draws.parquet",
        "summary.json",
        "run.json",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    let (st, b) = call(
        &s,
        Method::GET,
        &format!("/api/runs/{run_id}/files/run.json"),
        None,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let record: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(record["run_id"], run_id.as_str());
    // The claims the store holds are the summary's.
    for c in rec["claims"].as_array().unwrap() {
        let sc = sum["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == c["claim"])
            .unwrap();
        assert_eq!(sc["probability"], c["probability"]);
    }
}

/// A run recorded in the store whose folder holds `files` (name, contents).
fn recorded_run(s: &Server, folder: &std::path::Path) -> String {
    let meta = entente_store::RunMeta::new("nato-ip4", "# test", 1, 24, folder);
    let id = s.ctx.store(|st| st.start_run(&meta)).unwrap();
    s.ctx
        .store(|st| st.finish_run(&id, entente_store::Status::Complete, None))
        .unwrap();
    id.to_string()
}

async fn get_raw(s: &Server, uri: &str) -> axum::response::Response {
    entente_server::router(s.ctx.clone())
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap()
}

/// Run files come by run id from the folder the store recorded, by a fixed list
/// of names: nothing else in the folder, nor outside it, can be asked for.
#[tokio::test]
async fn run_files_are_served_from_a_fixed_list_and_nothing_else() {
    let s = server(Limits::default());
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("run");
    std::fs::create_dir_all(dir.join("draws.csv")).unwrap(); // a folder by a listed name
    std::fs::write(dir.join("claims.csv"), "claim,probability\na,0.5\n").unwrap();
    std::fs::write(dir.join("report.html"), "<!doctype html><p>report</p>").unwrap();
    std::fs::write(dir.join("run.json"), r#"{"run_id": "x"}"#).unwrap();
    std::fs::write(dir.join("secret.txt"), "SECRET-IN-FOLDER").unwrap();
    std::fs::write(dir.join("RUNNING"), "SECRET-MARKER").unwrap();
    std::fs::write(root.path().join("outside.txt"), "SECRET-OUTSIDE").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.path().join("outside.txt"), dir.join("summary.json")).unwrap();
    let id = recorded_run(&s, &dir);

    let (st, v) = get_json(&s, &format!("/api/runs/{id}/files")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["run_id"], id.as_str());
    assert_eq!(v["status"], "complete");
    let names: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    // Not the folder named draws.csv, not the link named summary.json, not the others.
    assert_eq!(names, ["report.html", "claims.csv", "run.json"], "{v}");
    let claims = &v["files"][1];
    assert_eq!(claims["bytes"], 24);
    assert_eq!(
        claims["url"].as_str().unwrap(),
        format!("/api/runs/{id}/files/claims.csv")
    );

    let r = get_raw(&s, &format!("/api/runs/{id}/files/claims.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/csv; charset=utf-8");
    assert_eq!(h["content-length"], "24");
    assert_eq!(
        h["content-disposition"].to_str().unwrap(),
        format!("attachment; filename=\"{id}-claims.csv\"")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    assert_eq!(&body[..], b"claim,probability\na,0.5\n");
    let r = get_raw(&s, &format!("/api/runs/{id}/files/report.html")).await;
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");

    for (name, code) in [
        ("secret.txt", "unknown_file"),
        ("RUNNING", "unknown_file"),
        ("CLAIMS.CSV", "unknown_file"),
        ("..%2Fsecret.txt", "unknown_file"),
        ("%2e%2e%2f%2e%2e%2foutside.txt", "unknown_file"),
        ("..%2F..%2Foutside.txt", "unknown_file"),
        ("%2Fetc%2Fpasswd", "unknown_file"),
        ("claims.csv%00", "unknown_file"),
        ("claims.csv%2F", "unknown_file"),
        (".%2Fclaims.csv", "unknown_file"),
        ("claims.csv%2F..%2Fsecret.txt", "unknown_file"),
        ("%FF", "bad_path"),
        ("draws.csv", "no_file"),
        ("draws.parquet", "no_file"),
        ("summary.json", "no_file"),
    ] {
        let uri = format!("/api/runs/{id}/files/{name}");
        let (st, b) = call(&s, Method::GET, &uri, None).await;
        let text = String::from_utf8_lossy(&b);
        assert!(st.is_client_error(), "{uri}: {st}");
        assert!(!text.contains("SECRET"), "{uri} leaked a file: {text}");
        let v: Value =
            serde_json::from_slice(&b).unwrap_or_else(|_| panic!("{uri}: not JSON: {text}"));
        assert_eq!(v["error"], code, "{uri}: {v}");
    }
    // Segments that leave the route, and run ids that are not ids.
    for uri in [
        format!("/api/runs/{id}/files/../secret.txt"),
        format!("/api/runs/{id}/files/sub/claims.csv"),
        "/api/runs/..%2F..%2Fetc/files/claims.csv".to_string(),
        "/api/runs/..%2F..%2Fetc/files".to_string(),
        "/api/runs/does-not-exist/files".to_string(),
        "/api/runs/does-not-exist/files/claims.csv".to_string(),
    ] {
        let (st, b) = call(&s, Method::GET, &uri, None).await;
        let text = String::from_utf8_lossy(&b);
        assert!(st.is_client_error(), "{uri}: {st}");
        assert!(!text.contains("SECRET"), "{uri} leaked a file: {text}");
        let v: Value =
            serde_json::from_slice(&b).unwrap_or_else(|_| panic!("{uri}: not JSON: {text}"));
        assert!(v["message"].is_string(), "{uri}: {v}");
    }
    let (st, v) = get_json(&s, "/api/runs/does-not-exist/files/claims.csv").await;
    assert_error(st, &v, StatusCode::NOT_FOUND, "unknown_run");
}

/// The page is native ES modules: every module is embedded, served as
/// JavaScript, and every module one imports is embedded too.
#[tokio::test]
async fn every_page_module_is_embedded_and_served_as_javascript() {
    let s = server(Limits::default());
    let modules: Vec<String> = entente_server::assets::Assets::iter()
        .filter(|p| p.starts_with("js/") && p.ends_with(".js"))
        .map(|p| p.to_string())
        .collect();
    assert!(modules.len() >= 8, "{modules:?}");
    let index = entente_server::assets::get("index.html").unwrap();
    let index = String::from_utf8_lossy(&index.data).to_string();
    assert!(index.contains(r#"<script type="module" src="/js/main.js">"#));
    for m in &modules {
        let r = get_raw(&s, &format!("/{m}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{m}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.contains("javascript"), "{m}: {ct}");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        for imp in text.split("from './").skip(1) {
            let target = &imp[..imp.find('\'').unwrap()];
            assert!(
                modules.contains(&format!("js/{target}")),
                "{m} imports ./{target}, which is not embedded"
            );
        }
    }
}

/// 200 concurrent reads over real sockets on loopback, bounded in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_reads_all_succeed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = server(Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The server's own accept loop (first-head checks, hyper limits), as `entente serve` runs it.
    tokio::spawn(entente_server::serve_on(
        listener,
        s.ctx.clone(),
        std::future::pending(),
    ));
    let paths = [
        "/api/health",
        "/api/scenarios",
        "/api/runs",
        "/api/map?year=2024",
        "/",
        "/vendor/d3/d3.min.js",
        "/api/jobs",
        "/api/openapi.json",
    ];
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let path = paths[i % paths.len()];
            tokio::spawn(async move {
                let mut sock = tokio::net::TcpStream::connect(addr)
                    .await
                    .map_err(|e| e.to_string())?;
                let req =
                    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                sock.write_all(req.as_bytes())
                    .await
                    .map_err(|e| e.to_string())?;
                let mut buf = Vec::new();
                sock.read_to_end(&mut buf)
                    .await
                    .map_err(|e| e.to_string())?;
                let head = String::from_utf8_lossy(&buf[..buf.len().min(64)]).to_string();
                if head.starts_with("HTTP/1.1 200") && buf.len() > 100.min(buf.len()) {
                    Ok(buf.len())
                } else {
                    Err(format!("{path}: {head}"))
                }
            })
        })
        .collect();
    let all = tokio::time::timeout(
        Duration::from_secs(120),
        futures_util::future::join_all(tasks),
    )
    .await
    .expect("200 reads finish within 120 s");
    let errors: Vec<String> = all
        .into_iter()
        .filter_map(|r| match r {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e),
            Err(e) => Some(e.to_string()),
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} of 200 failed: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    eprintln!(
        "200 concurrent reads in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}

/// With an empty store the server runs the flagship first, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flagship_runs_at_start_when_the_store_has_none() {
    let s = server_with(
        Limits::default(),
        InitialRun::IfNoneStored {
            base_samples: Some(2),
        },
    );
    let job = s.ctx.initial_run().unwrap().expect("a first run is queued");
    assert_eq!(job.scenario, "nato-ip4");
    let (_, jobs) = get_json(&s, "/api/jobs").await;
    assert_eq!(jobs["jobs"][0]["id"], job.id.as_str());
    let done = wait_for_job(&s, &job.id).await;
    assert_eq!(done["state"], "complete", "{done}");
    assert!(s.ctx.has_complete_run("nato-ip4").unwrap());
    assert!(s.ctx.initial_run().unwrap().is_none(), "not twice");
}
