//! Issue 19 (Reliability), the server's share: one test per reproduced failure, named
//! for its item. (A run from the page keeping to the folder lifecycle is checked in
//! `api.rs`, `a_run_started_through_the_api_completes_and_is_summarised`.)

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use entente_core::world::Archive;
use entente_server::{Catalog, Ctx, InitialRun, Limits, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
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

/// A server on a real socket (port 0), serving until dropped or stopped.
struct Live {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

async fn live(limits: Limits) -> Live {
    let (archive, coefficients) = archive_and_coefficients();
    let catalog = Catalog::flagship(&archive).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = ServerConfig {
        store: dir.path().join("runs.sqlite"),
        out_dir: dir.path().join("out"),
        initial_run: InitialRun::Never,
        threads: 1,
        limits,
        ..ServerConfig::default()
    };
    let ctx = Arc::new(Ctx::new(archive, coefficients, catalog, config).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(entente_server::serve_on(listener, ctx, async {
        let _ = stopped.await;
    }));
    Live {
        addr,
        stop: Some(stop),
        done,
        _dir: dir,
    }
}

/// Limits with short timeouts, so a stalled client is answered within the test.
fn quick() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        body_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    }
}

/// One answer read off a socket.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    /// The body as JSON, or a failure that shows what came instead.
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} without a JSON body ({e}): head `{}`, body `{}`",
                self.status,
                self.head,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Read one answer (head, then `Content-Length` bytes), within a few seconds.
async fn read_reply(sock: &mut TcpStream) -> Reply {
    let read = async {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = sock.read(&mut chunk).await.unwrap_or(0);
            assert!(
                n > 0,
                "closed without a whole answer: `{}`",
                String::from_utf8_lossy(&buf)
            );
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in `{head}`"));
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        let mut body = buf[end..].to_vec();
        while body.len() < len {
            let n = sock.read(&mut chunk).await.unwrap_or(0);
            assert!(n > 0, "closed inside a body of {len} bytes");
            body.extend_from_slice(&chunk[..n]);
        }
        Reply { status, head, body }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .expect("an answer within 5 s")
}

/// Whether the server closes the connection within a few seconds (reads nothing more).
async fn closes(sock: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    matches!(
        tokio::time::timeout(Duration::from_secs(5), sock.read_to_end(&mut rest)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

/// Send `bytes` on a new connection; the answer, and whether the server then closed.
async fn exchange(addr: std::net::SocketAddr, bytes: &[u8]) -> (Reply, bool) {
    let mut sock = TcpStream::connect(addr).await.unwrap();
    sock.write_all(bytes).await.unwrap();
    let reply = read_reply(&mut sock).await;
    let closed = closes(&mut sock).await;
    (reply, closed)
}

/// A refusal: the status, the code in the API's JSON shape, `Connection: close`, and closed.
fn assert_refused(r: &Reply, closed: bool, status: u16, code: &str) {
    let v = r.json();
    assert_eq!(r.status, status, "{v}");
    assert_eq!(v["error"], code, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    assert!(
        r.head.to_ascii_lowercase().contains("connection: close"),
        "{}",
        r.head
    );
    assert!(closed, "{status} {code}: the connection stays open");
}

/// A plain request still works afterwards.
async fn assert_healthy(addr: std::net::SocketAddr) {
    let (r, _) = exchange(
        addr,
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.head);
    assert_eq!(r.json()["status"], "ok");
}

/// Item 8: malformed HTTP got hyper's 400 with an empty body; now the API's JSON.
#[tokio::test]
async fn item8_a_malformed_request_gets_a_json_400() {
    let s = live(quick()).await;
    for bad in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"GET / HTTP/1.1\r\nHost localhost\r\n\r\n",
        // Heads httparse takes but hyper then refuses (its target and framing checks).
        b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
        b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST /api/runs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"POST /api/runs HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
    ] {
        let (r, closed) = exchange(s.addr, bad).await;
        assert_refused(&r, closed, 400, "bad_request");
    }
    assert_healthy(s.addr).await;
}

/// Item 8: a 9 KiB request target got an empty 414 (or none); now JSON at 8 KiB.
#[tokio::test]
async fn item8_a_request_target_over_8_kib_gets_a_json_414() {
    let s = live(quick()).await;
    let req = format!(
        "GET /api/health?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(9 * 1024)
    );
    let (r, closed) = exchange(s.addr, req.as_bytes()).await;
    assert_refused(&r, closed, 414, "uri_too_long");
    // Just under the limit is served.
    let ok = format!(
        "GET /api/health?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(8 * 1024 - 20)
    );
    let (r, _) = exchange(s.addr, ok.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.head);
    assert_healthy(s.addr).await;
}

/// Item 8: a 40 KiB header or 150 headers got an empty 431; now JSON.
#[tokio::test]
async fn item8_a_head_over_32_kib_or_100_headers_gets_a_json_431() {
    let s = live(quick()).await;
    let big = format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    let many = format!(
        "GET /api/health HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..150)
            .map(|i| format!("X-H{i}: v\r\n"))
            .collect::<String>()
    );
    for req in [big, many] {
        let (r, closed) = exchange(s.addr, req.as_bytes()).await;
        assert_refused(&r, closed, 431, "headers_too_large");
    }
    assert_healthy(s.addr).await;
}

/// Item 8: a half-sent request line kept the connection open for 40 s and more; now
/// it gets a JSON 408 after the header-read timeout and is closed. A connection that
/// never sends anything is closed without an answer.
#[tokio::test]
async fn item8_a_half_sent_request_line_gets_a_json_408_and_is_closed() {
    let s = live(quick()).await;
    let mut sock = TcpStream::connect(s.addr).await.unwrap();
    sock.write_all(b"GET /api/hea").await.unwrap();
    let r = read_reply(&mut sock).await;
    let closed = closes(&mut sock).await;
    assert_refused(&r, closed, 408, "request_timeout");

    let mut silent = TcpStream::connect(s.addr).await.unwrap();
    assert!(closes(&mut silent).await, "a silent connection stays open");
    assert_healthy(s.addr).await;
}

/// Item 8: on a kept-alive connection the second request is parsed by hyper, not by
/// the first-head check; the guard holds it to the same limits, in JSON.
#[tokio::test]
async fn item8_a_later_request_on_a_kept_alive_connection_is_held_to_the_limits() {
    let s = live(quick()).await;
    let first = b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
    let cases = [
        (
            format!(
                "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
                "a".repeat(40 * 1024)
            ),
            431,
            "headers_too_large",
        ),
        (
            format!(
                "GET /api/health HTTP/1.1\r\nHost: x\r\n{}\r\n",
                (0..150)
                    .map(|i| format!("X-H{i}: v\r\n"))
                    .collect::<String>()
            ),
            431,
            "headers_too_large",
        ),
        (
            format!(
                "GET /api/health?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
                "a".repeat(9 * 1024)
            ),
            414,
            "uri_too_long",
        ),
    ];
    for (second, status, code) in cases {
        let mut sock = TcpStream::connect(s.addr).await.unwrap();
        sock.write_all(first).await.unwrap();
        let r = read_reply(&mut sock).await;
        assert_eq!(r.status, 200, "{}", r.head);
        sock.write_all(second.as_bytes()).await.unwrap();
        let r = read_reply(&mut sock).await;
        let closed = closes(&mut sock).await;
        assert_refused(&r, closed, status, code);
    }
    assert_healthy(s.addr).await;
}

/// Item 8 (request timeouts): a run request whose body stalls gets a JSON 408.
#[tokio::test]
async fn item8_a_run_request_whose_body_stalls_gets_a_json_408() {
    let s = live(quick()).await;
    let mut sock = TcpStream::connect(s.addr).await.unwrap();
    sock.write_all(
        b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"scenar",
    )
    .await
    .unwrap();
    let r = read_reply(&mut sock).await;
    let closed = closes(&mut sock).await;
    assert_refused(&r, closed, 408, "body_timeout");
    assert_healthy(s.addr).await;
}

/// Not a reproduction (main's `axum::serve` did this too): the own accept loop that
/// replaced it still stops on its shutdown signal. Kept-alive connections are closed,
/// new ones refused, and `serve_on` returns.
#[tokio::test]
async fn the_accept_loop_stops_on_shutdown() {
    let mut s = live(Limits::default()).await;
    let mut kept = TcpStream::connect(s.addr).await.unwrap();
    kept.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_reply(&mut kept).await.status, 200);
    s.stop.take().unwrap().send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), &mut s.done)
        .await
        .expect("serve_on returns within 5 s")
        .unwrap();
    assert!(
        closes(&mut kept).await,
        "a kept-alive connection stays open"
    );
    assert!(TcpStream::connect(s.addr).await.is_err(), "still accepting");
}

/// Not a reproduction: the header-read timeout bounds the wait for a head, not an
/// answer. A job's event stream that lasts longer than it is streamed to the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_longer_than_the_header_timeout_is_not_cut() {
    let s = live(quick()).await;
    let body = r#"{"scenario": "nato-ip4", "base_samples": 2}"#;
    let (r, _) = exchange(
        s.addr,
        format!(
            "POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let events = r.json()["events"].as_str().unwrap().to_string();
    let mut sock = TcpStream::connect(s.addr).await.unwrap();
    sock.write_all(format!("GET {events} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = tokio::time::timeout(Duration::from_secs(300), async {
        loop {
            let n = sock.read(&mut chunk).await.unwrap_or(0);
            if n == 0 {
                return false;
            }
            seen.extend_from_slice(&chunk[..n]);
            if seen.windows(15).any(|w| w == b"event: complete") {
                return true;
            }
        }
    })
    .await
    .expect("the run completes within 300 s");
    let text = String::from_utf8_lossy(&seen);
    assert!(end, "the stream was cut: {text}");
    // Else the test proved nothing: the stream must have outlived the timeout.
    assert!(
        started.elapsed() > quick().header_read_timeout,
        "the run ended before the stream could outlive the timeout ({:?})",
        started.elapsed()
    );
}
