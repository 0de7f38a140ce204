"""Section `server`: hostile raw-socket requests to `entente serve` (port 0, a fresh store
holding one small run, no initial run). A finding: the server crashes or stops answering
/api/health; a request gets no answer within the bound; an error status (>= 400) whose
body is empty or not JSON; a dashboard file answered 2xx to a method other than GET/HEAD;
a canary file outside the run's folder served through a traversal; a 5xx."""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from common import REPO, run_argv, snippet

SMALL = os.path.join(REPO, "tests", "fixtures", "scenarios", "small.toml")
STATIC = ["/", "/index.html", "/style.css", "/js/main.js", "/js/api.js", "/vendor/VERSIONS"]
CANARY = "stress-canary-7f3a9c"


class Server:
    def __init__(self, bin_path, d):
        self.d = d
        self.p = subprocess.Popen(
            [bin_path, "serve", "--port", "0", "--no-initial-run", "--threads", "1",
             "--store", os.path.join(d, "s.sqlite"), "--out", os.path.join(d, "out")],
            cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=open(os.path.join(d, "server.stderr"), "ab"), start_new_session=True)
        got = []
        t = threading.Thread(target=lambda: got.append(self.p.stdout.readline()), daemon=True)
        t.start()
        t.join(120)
        line = got[0].decode() if got else ""
        if "http://" not in line:
            self.stop()
            raise RuntimeError(f"the server printed no address: {line!r}")
        self.port = int(line.strip().rstrip("/").rsplit(":", 1)[1])

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()


def exchange(port, data, bound, trickle=False):
    """Send `data`, read until the server closes, the response is complete, or `bound` s
    pass: (raw response, seconds, closed, timed out)."""
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=bound)
    raw = b""
    closed = timed_out = False
    try:
        try:
            if trickle:
                for i in range(0, len(data), 1):
                    s.sendall(data[i:i + 1])
            else:
                s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while True:
            left = bound - (time.monotonic() - t0)
            if left <= 0:
                timed_out = True
                break
            s.settimeout(left)
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                timed_out = True
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            raw += chunk
            if complete(raw):
                break
    finally:
        s.close()
    return raw, time.monotonic() - t0, closed, timed_out


def safe_exchange(port, data, bound, trickle=False):
    """[`exchange`], a refused or reset connection read as no answer."""
    try:
        return exchange(port, data, bound, trickle)
    except OSError:
        return b"", 0.0, True, False


def split(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ")[1])
    except (IndexError, ValueError):
        status = None
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return status, headers, body


def dechunk(b):
    out = b""
    while b:
        size, _, rest = b.partition(b"\r\n")
        try:
            n = int(size.split(b";")[0], 16)
        except ValueError:
            break
        if n == 0:
            break
        out += rest[:n]
        b = rest[n + 2:]
    return out


def complete(raw):
    if b"\r\n\r\n" not in raw:
        return False
    status, headers, body = split(raw)
    if "content-length" in headers:
        try:
            return len(body) >= int(headers["content-length"])
        except ValueError:
            return False
    if headers.get("transfer-encoding") == "chunked":
        return raw.endswith(b"0\r\n\r\n")
    return status in (204, 304)


def req(method, path, headers=None, body=b"", host="127.0.0.1", version="HTTP/1.1"):
    h = {"Host": host, "Connection": "close"}
    h.update(headers or {})
    if body and "Content-Length" not in h:
        h["Content-Length"] = str(len(body))
    lines = [f"{method} {path} {version}"] + [f"{k}: {v}" for k, v in h.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + body


def requests(rng, run_id):
    """(description, bytes, method, path, trickle) of every request, in a fixed order."""
    R = []
    add = lambda d, b, m="", p="", t=False: R.append((d, b, m, p, t))
    for line in [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"GET / HTTP/1.1 extra\r\n\r\n", b"get / HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET  /  HTTP/1.1\r\n\r\n", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET\t/\tHTTP/1.1\r\n\r\n", b"GET /\r\n\r\n", b"GET / HTTP/1.1\nHost: x\n\n",
                 b"\xff\xfe\xfd\x00\x01 / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nHost\r\n\r\n",
                 b"GET / HTTP/1.1\r\n: empty-name\r\n\r\n", b"GET / HTTP/1.1\r\n folded\r\n\r\n",
                 b"GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n", b"CONNECT x:1 HTTP/1.1\r\n\r\n",
                 b"GET * HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                 b"GET / HTTP/1.1\r\nContent-Length: -1\r\nHost: x\r\n\r\n",
                 b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\nHost: x\r\n\r\nab",
                 b"POST /api/runs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                 b"POST /api/runs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n"
                 b"Content-Length: 3\r\n\r\n0\r\n\r\n"]:
        add(f"malformed {line[:40]!r}", line)
    for n in [2000, 9000, 70000, 1 << 20]:
        add(f"URL of {n} bytes", req("GET", "/" + "a" * n), "GET", "/aaa")
        add(f"API URL of {n} bytes", req("GET", "/api/runs/" + "b" * n), "GET", "/api/runs/bbb")
        add(f"query of {n} bytes", req("GET", "/api/map?year=" + "9" * n), "GET", "/api/map")
    for p in STATIC:
        add(f"GET {p}", req("GET", p), "GET", p)
        add(f"HEAD {p}", req("HEAD", p), "HEAD", p)
    for n in [9000, 70000, 1 << 20]:
        add(f"one header of {n} bytes", req("GET", "/api/health", {"X-Big": "h" * n}))
    for n in [100, 1000, 10000]:
        hs = "".join(f"X-H{i}: {i}\r\n" for i in range(n))
        add(f"{n} headers", f"GET /api/health HTTP/1.1\r\nHost: x\r\n{hs}\r\n".encode())
    for m in ["DELETE", "POST", "PUT", "PATCH", "OPTIONS", "TRACE", "FOO"]:
        for p in STATIC:
            add(f"{m} {p}", req(m, p, body=b"x" if m in ("POST", "PUT") else b""), m, p)
    for m in ["DELETE", "PUT", "PATCH"]:
        for p in ["/api/runs", "/api/health", f"/api/runs/{run_id}"]:
            add(f"{m} {p}", req(m, p), m, p)
    bodies = [b"", b"{", b"[]", b"null", b"1", b'"x"', b"{}", b'{"scenario": 1}',
              b'{"scenario": "nope"}', b'{"scenario": "../../x"}', b'{"scenario": "/etc/passwd"}',
              b'{"scenario": "small", "extra": 1}', b'{"scenario": "nato-ip4", "base_samples": -1}',
              b'{"scenario": "nato-ip4", "base_samples": 1e20}',
              b'{"scenario": "nato-ip4", "base_samples": "2"}',
              b'{"scenario": "nato-ip4", "base_samples": 1000000000}',
              b'{"scenario": "nato-ip4", "seed": -1}', b'{"scenario": "nato-ip4", "seed": 1.5}',
              b'{"scenario": "nato-ip4", "prior": "x"}',
              b'{"scenario": "nato-ip4", "prior": {"bogus": {"dist": "fixed", "value": 1}}}',
              b'{"scenario": "nato-ip4", "prior": {"reactivity": {"dist": "uniform", "lo": 1, "hi": 0}}}',
              b"[" * 100000, b'{"a":' * 5000, b"\xff\xfe", b'{"scenario": "\\ud800"}',
              b'{"scenario": "' + b"s" * 100000 + b'"}', b" " * 2000000]
    for b in bodies:
        for ctype in ["application/json", "text/plain"]:
            add(f"POST /api/runs {ctype} {b[:40]!r}",
                req("POST", "/api/runs", {"Content-Type": ctype}, b), "POST", "/api/runs")
    trav = ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
            "/vendor/../../../Cargo.toml", "/js/..%2f..%2f..%2fCargo.toml", "/..\\..\\etc\\passwd",
            "/%252e%252e/etc/passwd", "/js/%2e%2e/%2e%2e/canary.txt", "/canary.txt",
            "/api/scenarios/..%2f..%2fetc%2fpasswd", "/api/scenarios/%2e%2e",
            "/api/runs/..%2f..%2f/files/summary.json", "/api/runs/%2e%2e/files/x",
            f"/api/runs/{run_id}/files/..%2fcanary.txt", f"/api/runs/{run_id}/files/../canary.txt",
            f"/api/runs/{run_id}/files/%2e%2e%2f%2e%2e%2fcanary.txt",
            f"/api/runs/{run_id}/files/..%2f..%2fs.sqlite", f"/api/runs/{run_id}/files/%00",
            f"/api/runs/{run_id}/files/run.json%00.txt", f"/api/runs/{run_id}/files/.",
            f"/api/runs/{run_id}/files/RUNNING", f"/api/runs/{run_id}/files//etc/passwd",
            f"/api/runs/{run_id}%2f..%2f..%2fcanary.txt/files/x",
            "/api/runs/" + "%2e%2e%2f" * 20 + "etc%2fpasswd", "/api/jobs/..%2f..",
            "/api/jobs/%00/events", "/api/map?year=-99999999999", "/api/map?year=nan",
            "/api/map?year=2024&year=1816", "/api/runs?limit=-1"]
    for p in trav:
        add(f"traversal GET {p[:80]}", req("GET", p), "GET", p)
    # Half-sent requests (a line, headers or a body short of what it announced; only empty
    # lines): each must be answered or closed within the bound.
    add("half-sent: a body of 2 of its 10 bytes", req(
        "POST", "/api/runs", {"Content-Length": "10", "Content-Type": "application/json"}, b"{}"),
        "POST", "/api/runs", "half")
    add("half-sent: a body of 2 of its 10^12 bytes", req(
        "POST", "/api/runs", {"Content-Length": "1000000000000"}, b"{}"), "POST", "/api/runs",
        "half")
    add("half-sent: empty lines only", b"\r\n\r\n", "", "", "half")
    for part in [b"GET /api/health HT", b"GET /api/health HTTP/1.1\r\nHost: x\r\n",
                 b"POST /api/runs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
                 b"G"]:
        add(f"half-sent {part[:40]!r}", part, "", "", "half")
    # A request sent one byte at a time, whole: it must still be answered.
    add("whole request trickled a byte at a time", req("GET", "/api/health"), "GET",
        "/api/health", True)
    rng.shuffle(R)
    return R


def judge(desc, method, path, raw, secs, closed, timed_out, half, bound):
    """Findings and notes about one exchange."""
    found, notes = [], []
    if half and not raw:
        # A half-sent request may be closed unanswered, but within the bound.
        if timed_out:
            found.append(("hang", f"{desc}: still open after {secs:.0f} s"))
        else:
            notes.append(f"{desc}: closed unanswered after {secs:.1f} s")
        return found, notes
    if timed_out and not raw:
        found.append(("hang", f"{desc}: no answer within {secs:.0f} s"))
        return found, notes
    if not raw:
        notes.append(f"{desc}: connection closed without an answer")
        return found, notes
    status, headers, body = split(raw)
    if status is None:
        found.append(("bad-response", f"{desc}: unparseable answer {raw[:60]!r}"))
        return found, notes
    if CANARY.encode() in body or b"root:x:0:0" in body or b"[workspace]" in body:
        found.append(("traversal", f"{desc}: {status} served a file outside the run folder"))
    if method not in ("", "GET", "HEAD") and path.split("?")[0] in STATIC and 200 <= status < 300:
        found.append(("static-method", f"{desc}: {status} with {len(body)} bytes"))
    if status >= 500:
        found.append(("5xx", f"{desc}: {status} {snippet(body.decode('utf-8', 'replace'), 120)}"))
    if status >= 400 and method != "HEAD":
        try:
            json.loads(body)
        except ValueError:
            what = "an empty body" if not body.strip() else f"a non-JSON body {body[:60]!r}"
            found.append(("non-json-error", f"{desc}: {status} with {what}"))
    return found, notes


def run(ctx, sec, rng, n=200):
    d = os.path.join(ctx.out, "server")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "out"))
    for p in [os.path.join(d, "canary.txt"), os.path.join(d, "out", "canary.txt")]:
        with open(p, "w") as f:
            f.write(CANARY + "\n")
    # One finished run in the store, so the file routes have a real run to aim past.
    res = run_argv(ctx.bin, ["run", SMALL, "--draws", "2", "--threads", "1", "--quiet",
                             "--shard", "0/999", "--out", os.path.join(d, "out", "r1"),
                             "--store", os.path.join(d, "s.sqlite")], d, 120)
    import sqlite3

    rows = sqlite3.connect(os.path.join(d, "s.sqlite")).execute("SELECT id FROM runs").fetchall() \
        if res.rc == 0 else []
    run_id = rows[0][0] if rows else "20260101T000000Z-00000000"
    srv = Server(ctx.bin, d)
    all_reqs = requests(rng, run_id)[:n]
    bound = ctx.slow_bound
    halves = [i for i, r in enumerate(all_reqs) if r[4] == "half"]
    rest = [i for i, r in enumerate(all_reqs) if r[4] != "half"]
    results = {}
    pool = ThreadPoolExecutor(max_workers=max(1, len(halves)))
    futs = {i: pool.submit(safe_exchange, srv.port, all_reqs[i][1], bound) for i in halves}
    crashed_at = None
    for k, i in enumerate(rest):
        desc, data, method, path, trickle = all_reqs[i]
        if ctx.left() < bound + 5:
            sec.skipped += len(rest) - k
            break
        try:
            results[i] = exchange(srv.port, data, min(bound, 10.0), trickle is True)
        except OSError as e:
            results[i] = (b"", 0.0, True, False)
            if not srv.alive():
                crashed_at = desc
                break
            sec.note(desc, f"socket error {e}")
        if not srv.alive():
            crashed_at = desc
            break
    for i in halves:
        results[i] = futs[i].result()
    pool.shutdown()
    for i, (desc, data, method, path, trickle) in enumerate(all_reqs):
        if i not in results:
            continue
        sec.cases += 1
        found, notes = judge(desc, method, path, *results[i], trickle == "half", bound)
        for kind, m in found:
            sec.finding("server", kind, m, d)
            with open(os.path.join(d, "requests.txt"), "ab") as f:
                f.write(f"--- {kind}: {desc}\n".encode() + data[:4000] + b"\n")
        for m in notes:
            sec.note("server", m)
    if crashed_at:
        sec.finding("server", "crash", f"the server died after: {crashed_at}", d)
    else:
        try:
            raw, *_ = exchange(srv.port, req("GET", "/api/health"), 10.0)
            if b'"status":"ok"' not in raw:
                sec.finding("server", "health", f"/api/health after the section: {raw[:80]!r}", d)
        except OSError as e:
            sec.finding("server", "health", f"/api/health after the section: {e}", d)
    srv.stop()
    if not sec.findings:
        shutil.rmtree(d, ignore_errors=True)
