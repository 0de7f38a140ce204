//! The routes. JSON in, JSON out; errors are [`ApiError`]s. Ids and names from
//! a request are checked and looked up (in the run store, the job list, the
//! scenario catalog, the embedded assets); none is joined to a path.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use entente_core::scenario::Param;
use entente_core::world::World;
use entente_store::RunId;
use serde_json::{json, Value};

use crate::catalog::{prior_from_json, prior_json, prior_of};
use crate::error::ApiError;
use crate::jobs::{JobState, Snapshot};
use crate::{assets, Ctx};

/// The map the page draws (npm `world-atlas`, embedded by entente-report).
pub const TOPOLOGY: &str = assets::TOPOLOGY;
/// The scenario the start page opens on.
pub const FLAGSHIP_NAME: &str = "nato-ip4";
/// The OpenAPI document of these routes.
pub const OPENAPI: &str = include_str!("../openapi.json");

type Shared = State<Arc<Ctx>>;

/// A path parameter. One that does not decode (`%FF`) is a JSON 400 like every
/// other error, not axum's plain-text answer.
struct Seg(String);

impl<S: Send + Sync> FromRequestParts<S> for Seg {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Seg, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(s)| Seg(s))
            .map_err(|e| ApiError::bad_request("bad_path", e.body_text()))
    }
}
/// Two path parameters (`/runs/{id}/files/{name}`), rejected like [`Seg`].
struct Seg2(String, String);

impl<S: Send + Sync> FromRequestParts<S> for Seg2 {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Seg2, ApiError> {
        Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|Path((a, b))| Seg2(a, b))
            .map_err(|e| ApiError::bad_request("bad_path", e.body_text()))
    }
}
type ApiResult = Result<Response, ApiError>;

/// Every route of the server.
pub fn router(ctx: Arc<Ctx>) -> Router {
    let body_limit = ctx.config.limits.body_bytes;
    let api = Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/scenarios", get(scenarios))
        .route("/scenarios/{name}", get(scenario))
        .route("/runs", get(runs).post(start_run))
        .route("/runs/{id}", get(run))
        .route("/runs/{id}/summary", get(summary))
        .route("/runs/{id}/files", get(run_files))
        .route("/runs/{id}/files/{name}", get(run_file))
        .route("/map", get(map))
        .route("/jobs", get(jobs))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/events", get(job_events))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api", api)
        .route("/", get(index))
        .fallback(static_file)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(crate::error::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            crate::head::guard,
        ))
        .with_state(ctx)
}

fn json_response(status: StatusCode, v: Value) -> Response {
    (status, Json(v)).into_response()
}

fn ok(v: Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, v))
}

async fn health() -> ApiResult {
    ok(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
        .into_response()
}

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::not_found(
        "no_route",
        format!("no API route `{}` (see /api/openapi.json)", uri.path()),
    )
}

async fn method_not_allowed(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "`{}` does not take that method (see /api/openapi.json)",
            uri.path()
        ),
    )
}

async fn index() -> Response {
    assets::response("index.html").unwrap_or_else(|| {
        ApiError::internal("the page is not embedded in this build").into_response()
    })
}

async fn static_file(method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    // The page's files are read-only: GET and HEAD, nothing else (not even on a miss).
    if method != Method::GET && method != Method::HEAD && !path.starts_with("api/") {
        let mut r = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("`/{path}` is a file of the dashboard: only GET and HEAD"),
        )
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // The embedded table has no `..`, absolute or index entries; a miss is a 404.
    if path.is_empty() || path.starts_with("api/") {
        return api_not_found(uri).await.into_response();
    }
    assets::response(path).unwrap_or_else(|| {
        ApiError::not_found("no_file", format!("no file `/{path}` in the dashboard"))
            .into_response()
    })
}

fn scenario_json(entry: &crate::catalog::Entry) -> Value {
    let sc = &entry.scenario;
    let draws = sc.draws();
    let uncertain = sc.uncertain();
    json!({
        "name": sc.name,
        "title": sc.title,
        "source": sc.source,
        "origin": entry.origin,
        // The bundled flagship: what the start page opens on.
        "default": entry.origin == entente_data::scenario::FLAGSHIP_PATH,
        "base_year": sc.base_year,
        "horizon_years": sc.horizon_years,
        "actors": sc.actors.len(),
        "options": sc.options.iter().map(|o| json!({"id": o.id, "description": o.description})).collect::<Vec<_>>(),
        "claims": sc.claims.len(),
        "experiment": {"base_samples": sc.experiment.base_samples, "seed": sc.experiment.seed, "draws": draws},
        "params": Param::ALL.iter().map(|p| json!({
            "name": p.name(),
            "uncertain": uncertain.contains(p),
            "basis": if sc.given(*p).is_some() { "scenario" } else { p.basis().name() },
            "prior": prior_of(sc, *p).map_or(Value::Null, prior_json),
        })).collect::<Vec<_>>(),
    })
}

async fn scenarios(State(ctx): Shared) -> ApiResult {
    ok(json!({"scenarios": ctx.catalog.entries().map(scenario_json).collect::<Vec<_>>()}))
}

fn unknown_scenario(ctx: &Ctx, name: &str) -> ApiError {
    let known: Vec<&str> = ctx.catalog.names().collect();
    ApiError::not_found(
        "unknown_scenario",
        format!(
            "no scenario named `{}` (known: {})",
            name.chars().take(80).collect::<String>(),
            known.join(", ")
        ),
    )
}

async fn scenario(State(ctx): Shared, Seg(name): Seg) -> ApiResult {
    let entry = ctx
        .catalog
        .get(&name)
        .ok_or_else(|| unknown_scenario(&ctx, &name))?;
    ok(scenario_json(entry))
}

/// Run ids are `YYYYMMDDTHHMMSSZ-xxxxxxxx`; anything outside letters, digits,
/// `-` and `_` is refused before the store is asked.
fn checked_run_id(id: &str) -> Result<RunId, ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(RunId::from(id))
    } else {
        Err(ApiError::bad_request(
            "bad_run_id",
            "a run id has only letters, digits, `-` and `_` (at most 64)",
        ))
    }
}

fn run_json(r: &entente_store::RunRecord) -> Value {
    json!({
        "id": r.id.as_str(),
        "scenario": r.meta.scenario,
        "kind": r.meta.kind.as_str(),
        "status": r.status.as_str(),
        "seed": r.meta.seed,
        "draws": r.meta.draws,
        "shard": r.meta.shard.map(|s| s.to_string()),
        "version": r.meta.version,
        "started_at": r.started_at,
        "finished_at": r.finished_at,
        "message": r.message,
        "has_summary": r.meta.out_dir.join(entente_report::SUMMARY_FILE).is_file(),
    })
}

async fn runs(State(ctx): Shared) -> ApiResult {
    let mut list = ctx.store(|s| s.list_runs())?;
    list.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    ok(json!({"runs": list.iter().map(run_json).collect::<Vec<_>>()}))
}

async fn run(State(ctx): Shared, Seg(id): Seg) -> ApiResult {
    let id = checked_run_id(&id)?;
    let (r, claims) = ctx.store(|s| Ok((s.get_run(&id)?, s.claims(&id)?)))?;
    ok(json!({
        "run": run_json(&r),
        "claims": claims.iter().map(|c| json!({
            "claim": c.claim, "probability": c.probability, "lo": c.lo, "hi": c.hi,
            "metric": c.metric, "threshold": c.threshold, "direction": c.direction.as_str(),
            "top_driver": c.top_driver,
        })).collect::<Vec<_>>(),
    }))
}

fn json_bytes(b: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        b,
    )
        .into_response()
}

async fn summary(State(ctx): Shared, Seg(id): Seg) -> ApiResult {
    let id = checked_run_id(&id)?;
    let cached = ctx
        .summaries
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(id.as_str())
        .cloned();
    if let Some(b) = cached {
        return Ok(json_bytes(b));
    }
    let r = ctx.store(|s| s.get_run(&id))?;
    // The path comes from the run record, not from the request.
    let path = r.meta.out_dir.join(entente_report::SUMMARY_FILE);
    let b = match tokio::fs::read(&path).await {
        Ok(b) => Bytes::from(b),
        Err(_) => {
            return Err(ApiError::not_found(
                "no_summary",
                format!(
                    "run `{id}` has no summary ({}; shard parts and runs from before the dashboard have none)",
                    r.status
                ),
            ))
        }
    };
    if r.status == entente_store::Status::Complete {
        let mut cache = ctx.summaries.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= crate::SUMMARY_CACHE {
            cache.clear();
        }
        cache.insert(id.to_string(), b.clone());
    }
    Ok(json_bytes(b))
}

async fn run_files(State(ctx): Shared, Seg(id): Seg) -> ApiResult {
    let id = checked_run_id(&id)?;
    let r = ctx.store(|s| s.get_run(&id))?;
    // The folder comes from the run record, the names from the fixed table.
    let files = crate::files::list(&r.meta.out_dir, id.as_str()).await;
    ok(json!({"run_id": id.as_str(), "status": r.status.as_str(), "files": files}))
}

async fn run_file(State(ctx): Shared, Seg2(id, name): Seg2) -> ApiResult {
    let id = checked_run_id(&id)?;
    let file = crate::files::lookup(&name).ok_or_else(|| crate::files::unknown(&name))?;
    let r = ctx.store(|s| s.get_run(&id))?;
    crate::files::download(&r.meta.out_dir, file, id.as_str()).await
}

async fn map(
    State(ctx): Shared,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> ApiResult {
    let year = match q.get("year") {
        None => ctx
            .catalog
            .get(FLAGSHIP_NAME)
            .map_or(ctx.archive.coverage().last_year, |e| e.scenario.base_year),
        Some(y) => y.trim().parse::<i32>().map_err(|_| {
            ApiError::bad_request(
                "bad_year",
                format!(
                    "`year`: `{}` is not a year",
                    y.chars().take(20).collect::<String>()
                ),
            )
        })?,
    };
    let cached = ctx
        .maps
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&year)
        .cloned();
    if let Some(b) = cached {
        return Ok(json_bytes(b));
    }
    let world = World::for_year(&ctx.archive, year)
        .map_err(|e| ApiError::unprocessable("bad_year", format!("`year`: {e}")))?;
    let joined = crate::map::join(&ctx.features, &world);
    let v = json!({
        "topology": format!("/{TOPOLOGY}"),
        "object": "countries",
        "year": year,
        "features": ctx.features.iter().zip(&joined).enumerate().map(|(i, (f, m))| json!({
            "index": i,
            "id": f.id,
            "name": f.name,
            "ccode": m.map(|m| m.0 .0),
            "matched_by": m.map(|m| m.1.as_str()),
        })).collect::<Vec<_>>(),
    });
    let b = Bytes::from(v.to_string());
    // Years are bounded by the data (1816 to the last year), so the cache is too.
    ctx.maps
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(year, b.clone());
    Ok(json_bytes(b))
}

/// Read `POST /api/runs`'s body into a scenario ready to run.
fn run_request(
    ctx: &Ctx,
    body: &[u8],
) -> Result<(entente_core::scenario::Scenario, String), ApiError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(
            "bad_json",
            format!(
                "request body: not JSON ({e}, at line {} column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let obj = v.as_object().ok_or_else(|| {
        ApiError::bad_request("bad_request", "request body: a JSON object is required")
    })?;
    const FIELDS: [&str; 4] = ["scenario", "base_samples", "seed", "prior"];
    if let Some(k) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(ApiError::bad_request(
            "unknown_field",
            format!(
                "`{}`: unknown field (expected one of {})",
                k.chars().take(40).collect::<String>(),
                FIELDS.join(", ")
            ),
        ));
    }
    let name = obj.get("scenario").and_then(Value::as_str).ok_or_else(|| {
        ApiError::bad_request(
            "bad_request",
            "`scenario`: a scenario name (string) is required",
        )
    })?;
    let entry = ctx
        .catalog
        .get(name)
        .ok_or_else(|| unknown_scenario(ctx, name))?;
    let mut sc = entry.scenario.clone();
    let limits = &ctx.config.limits;
    if let Some(b) = obj.get("base_samples") {
        let n = b.as_u64().ok_or_else(|| {
            ApiError::unprocessable(
                "bad_base_samples",
                "`base_samples`: a whole number is required",
            )
        })?;
        if n < 2 || n > limits.max_base_samples as u64 {
            return Err(ApiError::unprocessable(
                "too_many_draws",
                format!(
                    "`base_samples`: {n} is outside 2..={} (this server's limit)",
                    limits.max_base_samples
                ),
            ));
        }
        sc.experiment.base_samples = n as usize;
    }
    if let Some(s) = obj.get("seed") {
        sc.experiment.seed = s.as_u64().ok_or_else(|| {
            ApiError::unprocessable(
                "bad_seed",
                "`seed`: a whole number from 0 to 2^64 - 1 is required",
            )
        })?;
    }
    if let Some(p) = obj.get("prior").filter(|p| !p.is_null()) {
        let param = p.get("param").and_then(Value::as_str).ok_or_else(|| {
            ApiError::unprocessable("bad_prior", "`prior.param`: a parameter name is required")
        })?;
        let param = Param::parse(param).ok_or_else(|| {
            ApiError::unprocessable(
                "bad_prior",
                format!(
                    "`prior.param`: `{}` is not a parameter (one of {})",
                    param.chars().take(40).collect::<String>(),
                    Param::ALL
                        .iter()
                        .map(|p| p.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let prior =
            prior_from_json(p, "prior").map_err(|m| ApiError::unprocessable("bad_prior", m))?;
        sc.priors.retain(|(q, _)| *q != param);
        sc.priors.push((param, prior));
    }
    if sc.actors.len() > limits.max_actors {
        return Err(ApiError::unprocessable(
            "too_many_actors",
            format!(
                "the scenario has {} actors; this server runs at most {}",
                sc.actors.len(),
                limits.max_actors
            ),
        ));
    }
    let draws = sc.draws();
    if draws > limits.max_draws {
        return Err(ApiError::unprocessable(
            "too_many_draws",
            format!(
                "{draws} draws asked for; this server runs at most {}",
                limits.max_draws
            ),
        ));
    }
    // The run record keeps the text the run used: the file plus what the request changed.
    let mut text = entry.text.clone();
    if let Some(p) = obj.get("prior").filter(|p| !p.is_null()) {
        text.push_str(&format!("\n# dashboard: prior replaced: {p}\n"));
    }
    Ok((sc, text))
}

async fn start_run(State(ctx): Shared, req: axum::extract::Request) -> ApiResult {
    let limits = &ctx.config.limits;
    // A body trickling in would hold the connection (and this task) indefinitely.
    let read = Bytes::from_request(req, &());
    let Ok(body) = tokio::time::timeout(limits.body_read_timeout, read).await else {
        let mut r = ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            format!(
                "request body: not all there within {} ms",
                limits.body_read_timeout.as_millis()
            ),
        )
        .into_response();
        // The rest of the body may still come: this connection is done.
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return Ok(r);
    };
    let body = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "bad_body"
        };
        ApiError::new(
            status,
            code,
            format!(
                "request body: {} (limit {} bytes)",
                e.body_text(),
                ctx.config.limits.body_bytes
            ),
        )
    })?;
    let (sc, text) = run_request(&ctx, &body)?;
    let job = ctx.jobs.submit(ctx.clone(), sc, text)?;
    let mut r = json_response(StatusCode::ACCEPTED, job.json());
    if let Ok(v) = HeaderValue::from_str(&format!("/api/jobs/{}", job.id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

async fn jobs(State(ctx): Shared) -> ApiResult {
    ok(json!({"jobs": ctx.jobs.all().iter().map(|j| j.json()).collect::<Vec<_>>()}))
}

fn find_job(ctx: &Ctx, id: &str) -> Result<Arc<crate::jobs::Job>, ApiError> {
    ctx.jobs.get(id).ok_or_else(|| {
        ApiError::not_found(
            "unknown_job",
            format!(
                "no job `{}` on this server",
                id.chars().take(40).collect::<String>()
            ),
        )
    })
}

async fn job(State(ctx): Shared, Seg(id): Seg) -> ApiResult {
    ok(find_job(&ctx, &id)?.json())
}

fn event_of(s: &Snapshot) -> Event {
    let (name, data) = match s.state {
        JobState::Complete => (
            "complete",
            json!({"run_id": s.run_id, "done": s.done, "total": s.total}),
        ),
        JobState::Failed => ("failed", json!({"message": s.message})),
        JobState::Queued | JobState::Running => (
            "progress",
            json!({"state": s.state.as_str(), "done": s.done, "total": s.total}),
        ),
    };
    Event::default().event(name).data(data.to_string())
}

async fn job_events(State(ctx): Shared, Seg(id): Seg) -> Result<Response, ApiError> {
    let rx = find_job(&ctx, &id)?.subscribe();
    // Emit the state now, then at each change, and end after the final state.
    let stream =
        futures_util::stream::unfold((rx, true, false), |(mut rx, first, ended)| async move {
            if ended {
                return None;
            }
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let s = rx.borrow_and_update().clone();
            let fin = s.state.is_final();
            Some((Ok::<_, Infallible>(event_of(&s)), (rx, false, fin)))
        });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
