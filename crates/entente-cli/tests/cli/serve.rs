//! `entente serve`: starts on the address it prints, answers, refuses a taken port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `entente serve` with `args`; the address it prints on its first line.
fn start(dir: &std::path::Path, args: &[&str]) -> (Server, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("entente"))
        .arg("serve")
        .args(["--store", dir.join("runs.sqlite").to_str().unwrap()])
        .args(["--out", dir.join("out").to_str().unwrap()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start entente serve");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server prints its address within 120 s");
    let url = line
        .trim()
        .strip_prefix("Entente dashboard: ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    (server, url)
}

fn get(url: &str, path: &str) -> String {
    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(hostport).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_listens_on_loopback_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = start(dir.path(), &["--port", "0", "--no-initial-run"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let health = get(&url, "/api/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains(r#""status":"ok""#), "{health}");
    let page = get(&url, "/");
    assert!(
        page.contains("text/html") && page.contains("<html"),
        "{}",
        &page[..page.len().min(300)]
    );
    let runs = get(&url, "/api/runs");
    assert!(runs.contains(r#"{"runs":[]}"#), "an empty store: {runs}");
}

/// `--header-timeout` reaches the server: a half-sent request line gets the JSON 408
/// after about a second, and the connection closes.
#[test]
fn a_stalled_request_gets_a_json_408_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = start(
        dir.path(),
        &["--port", "0", "--no-initial-run", "--header-timeout", "1"],
    );
    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
    let mut s = TcpStream::connect(hostport).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"GET /api/hea").unwrap();
    let started = Instant::now();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 408"), "{out}");
    assert!(out.contains(r#""error":"request_timeout""#), "{out}");
    // Not the 10 s default (and nowhere near the 30 s read timeout above).
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = start(dir.path(), &["--port", "0", "--no-initial-run"]);
    let port = url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let other = tempfile::tempdir().unwrap();
    let t0 = Instant::now();
    let out = Command::new(assert_cmd::cargo::cargo_bin("entente"))
        .args(["serve", "--no-initial-run", "--port", &port])
        .args(["--store", other.path().join("s.sqlite").to_str().unwrap()])
        .args(["--out", other.path().join("out").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot listen on 127.0.0.1:") && err.contains(&port),
        "{err}"
    );
    assert!(t0.elapsed() < Duration::from_secs(120));
}

#[test]
fn a_public_bind_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("entente"))
        .args([
            "serve",
            "--no-initial-run",
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
        ])
        .args(["--store", dir.path().join("s.sqlite").to_str().unwrap()])
        .args(["--out", dir.path().join("out").to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut server = Server(child);
    let mut line = String::new();
    BufReader::new(stderr).read_line(&mut line).unwrap();
    assert!(
        line.contains("warning") && line.contains("no login"),
        "{line}"
    );
    let _ = server.0.kill();
}

/// The server's runs and the CLI's go through the same lifecycle and writers: for the same
/// scenario, base samples and seed, their folders hold the same files, byte for byte, but for
/// the run's id and start time in summary.json and run.json.
#[test]
fn a_run_from_the_server_writes_the_same_files_as_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    // An empty store: the server runs the flagship first, with 2 base samples.
    let (_server, url) = start(dir.path(), &["--port", "0", "--initial-base-samples", "2"]);
    let t0 = Instant::now();
    loop {
        let runs = get(&url, "/api/runs");
        if runs.contains(r#""status":"complete""#) {
            break;
        }
        assert!(
            !runs.contains(r#""status":"failed""#),
            "the server's run failed: {runs}"
        );
        assert!(
            t0.elapsed() < Duration::from_secs(600),
            "no complete run: {runs}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    let folders: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let server = crate::run_files(&folders[0]);

    let cli_out = dir.path().join("cli");
    let store = dir.path().join("cli.sqlite");
    let (ok, _, err) = crate::run(&[
        "run",
        "--base-samples",
        "2",
        "--quiet",
        "--out",
        cli_out.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let cli = crate::run_files(&cli_out);
    crate::assert_same_run(&server, &cli, "the server's run against the CLI's");
    assert!(server.contains_key("claims.csv") && server.contains_key("draws.parquet"));
}
