//! Request heads held to [`Limits`], answered in JSON when they are refused.
//!
//! hyper answers a head it cannot take (malformed, too long, too many headers) with
//! an empty-bodied 400 or 431, and one that stalls it closes without a word. So the
//! first head of every connection is read here before hyper sees it ([`first`]):
//! checked against the limits, refused with the API's JSON error and
//! `Connection: close`, or handed on with the bytes read so far ([`Prefixed`]).
//! Later requests on a kept-alive connection are parsed by hyper (with a larger
//! buffer and header count than the limits) and then held to the same limits by
//! [`guard`].

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::time::{timeout_at, Instant};

use crate::config::Limits;
use crate::error::ApiError;
use crate::Ctx;

/// Longest method token taken (the longest standard one, `OPTIONS`, has 7).
const MAX_METHOD: usize = 32;
/// Bytes read from the socket at a time while reading a head.
const CHUNK: usize = 4096;
/// After a refusal, how long (and how much) the rest of what the client sends is
/// read and dropped, so that closing does not reset the connection before the
/// client has read the answer.
const LINGER: std::time::Duration = std::time::Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

/// What the bytes of a head read so far decide.
#[derive(Debug, PartialEq)]
enum Check {
    /// Not enough yet.
    More,
    /// A whole head within the limits.
    Pass,
    Refuse(ApiError),
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Check {
    Check::Refuse(ApiError::new(
        status,
        crate::error::code_of(status),
        message,
    ))
}

/// RFC 9110 `tchar`: what a method token may hold.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The state of reading one head: the bytes, and how far they have been looked at.
struct HeadReader<'l> {
    limits: &'l Limits,
    buf: Vec<u8>,
    /// Where the request line ends (after its `\n`), once it is whole and checked.
    line_end: Option<usize>,
    /// Offset up to which the lines after the request line have been scanned.
    scanned: usize,
}

impl<'l> HeadReader<'l> {
    fn new(limits: &'l Limits) -> HeadReader<'l> {
        HeadReader {
            limits,
            buf: Vec::with_capacity(CHUNK),
            line_end: None,
            scanned: 0,
        }
    }

    /// Judge the bytes so far. Each call looks again only at what it has not yet
    /// settled, so a client sending a byte at a time costs no rescans of the head.
    fn check(&mut self) -> Check {
        let line_end = match self.line_end {
            Some(e) => e,
            None => match self.request_line() {
                Ok(Some(e)) => {
                    self.line_end = Some(e);
                    self.scanned = e;
                    e
                }
                Ok(None) => return self.too_big().unwrap_or(Check::More),
                Err(refusal) => return refusal,
            },
        };
        // The head ends at the first empty line after the request line.
        let mut end = None;
        let mut at = self.scanned;
        while let Some(i) = self.buf[at..].iter().position(|&b| b == b'\n') {
            let line = &self.buf[at..at + i];
            at += i + 1;
            if line.is_empty() || line == b"\r" {
                end = Some(at);
                break;
            }
        }
        self.scanned = at;
        let Some(end) = end else {
            return self.too_big().unwrap_or(Check::More);
        };
        if end > self.limits.header_bytes {
            return self.head_too_large();
        }
        debug_assert!(end > line_end);
        // A header line takes at least 3 bytes (`a:\n`), so no head within the size
        // limit has more than this many: a large `headers` limit allocates no more.
        let slots = self.limits.headers.min(self.limits.header_bytes / 3 + 1);
        let mut headers = vec![httparse::EMPTY_HEADER; slots];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&self.buf[..end]) {
            Ok(httparse::Status::Complete(_)) => match refused_by_hyper(&req) {
                Some(why) => refuse(StatusCode::BAD_REQUEST, format!("request head: {why}")),
                None => Check::Pass,
            },
            Ok(httparse::Status::Partial) => {
                refuse(StatusCode::BAD_REQUEST, "request head: incomplete header")
            }
            Err(httparse::Error::TooManyHeaders) => refuse(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!("more than {} header lines", self.limits.headers),
            ),
            Err(e) => refuse(StatusCode::BAD_REQUEST, format!("request head: {e}")),
        }
    }

    fn head_too_large(&self) -> Check {
        refuse(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "request head over {} bytes (request line and headers)",
                self.limits.header_bytes
            ),
        )
    }

    /// A refusal if the head is already longer than allowed.
    fn too_big(&self) -> Option<Check> {
        (self.buf.len() > self.limits.header_bytes).then(|| self.head_too_large())
    }

    /// Check the request line as far as it has arrived: `Ok(Some(end))` when it is
    /// whole and fine, `Ok(None)` when more may make it so.
    fn request_line(&self) -> Result<Option<usize>, Check> {
        let bad = |what: &str| {
            Err(refuse(
                StatusCode::BAD_REQUEST,
                format!("request line: {what}"),
            ))
        };
        // RFC 9112 section 2.2: empty lines before the request line are ignored.
        let Some(start) = self.buf.iter().position(|&b| b != b'\r' && b != b'\n') else {
            return if self.buf.len() > MAX_METHOD {
                bad("only empty lines")
            } else {
                Ok(None)
            };
        };
        let rest = &self.buf[start..];
        let nl = rest.iter().position(|&b| b == b'\n');
        let line = match nl {
            Some(i) => rest[..i].strip_suffix(b"\r").unwrap_or(&rest[..i]),
            None => rest,
        };
        let sp1 = line.iter().position(|&b| b == b' ');
        let method = &line[..sp1.unwrap_or(line.len())];
        if !method.iter().all(|&b| is_tchar(b)) {
            return bad("the method is not a token (is this HTTP/1.1?)");
        }
        if method.len() > MAX_METHOD {
            return bad(&format!("a method of over {MAX_METHOD} bytes"));
        }
        let Some(sp1) = sp1 else {
            return if nl.is_some() {
                bad("no request target")
            } else {
                Ok(None)
            };
        };
        if method.is_empty() {
            return bad("no method");
        }
        let after = &line[sp1 + 1..];
        let sp2 = after.iter().position(|&b| b == b' ');
        let target = &after[..sp2.unwrap_or(after.len())];
        if target.len() > self.limits.uri_bytes {
            return Err(refuse(
                StatusCode::URI_TOO_LONG,
                format!(
                    "request target over {} bytes (at least {})",
                    self.limits.uri_bytes,
                    target.len()
                ),
            ));
        }
        if target.iter().any(|&b| b <= b' ' || b == 0x7f) {
            return bad("a control character or tab in the target");
        }
        let Some(nl) = nl else {
            return Ok(None);
        };
        let Some(sp2) = sp2 else {
            return bad("no HTTP version");
        };
        if target.is_empty() {
            return bad("an empty target");
        }
        let version = &after[sp2 + 1..];
        if version != b"HTTP/1.1" && version != b"HTTP/1.0" {
            return bad(&format!(
                "version `{}`, not HTTP/1.1 or HTTP/1.0",
                String::from_utf8_lossy(&version[..version.len().min(16)])
            ));
        }
        Ok(Some(start + nl + 1))
    }
}

/// What hyper refuses (with an empty 400) in a head httparse took, as hyper 1.x's
/// `Server::parse` does: a target `http::Uri` rejects, a `Content-Length` that is
/// not a number or conflicts with another, and a `Transfer-Encoding` in HTTP/1.0 or
/// whose last coding is not `chunked`. (A `Content-Length` after a
/// `Transfer-Encoding` is ignored, as hyper ignores it.)
fn refused_by_hyper(req: &httparse::Request<'_, '_>) -> Option<String> {
    let target = req.path.unwrap_or_default();
    if let Err(e) = Uri::try_from(target.as_bytes()) {
        return Some(format!("request target: {e}"));
    }
    // Whether the last Transfer-Encoding seen ends in `chunked`.
    let mut chunked = None;
    let mut length = None;
    for h in req.headers.iter() {
        if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if req.version == Some(0) {
                return Some("Transfer-Encoding in an HTTP/1.0 request".into());
            }
            let last = std::str::from_utf8(h.value)
                .ok()
                .filter(|v| v.bytes().all(|b| b == b'\t' || (b' '..0x7f).contains(&b)))
                .and_then(|v| v.rsplit(',').next());
            chunked = Some(last.is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked")));
        } else if h.name.eq_ignore_ascii_case("content-length") && chunked.is_none() {
            // Digits only (no sign, no spaces), below hyper's largest length.
            let n = (!h.value.is_empty() && h.value.iter().all(u8::is_ascii_digit))
                .then(|| std::str::from_utf8(h.value).ok()?.parse::<u64>().ok())
                .flatten()
                .filter(|&n| n <= u64::MAX - 2);
            let Some(n) = n else {
                return Some(format!(
                    "Content-Length `{}` is not a length",
                    String::from_utf8_lossy(&h.value[..h.value.len().min(32)])
                ));
            };
            if length.is_some_and(|l| l != n) {
                return Some("two different Content-Length values".into());
            }
            length = Some(n);
        }
    }
    (chunked == Some(false)).then(|| "Transfer-Encoding does not end in `chunked`".into())
}

/// A refusal as bytes on the wire: the API's JSON error, and the connection closes.
fn wire_answer(e: &ApiError) -> Vec<u8> {
    let body = e.body().to_string();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        e.status.as_u16(),
        e.status.canonical_reason().unwrap_or("Error"),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Read the first request head of a connection (all of it, and whatever came with
/// it). Returns those bytes for hyper to read again, or `None` when the connection
/// is done with: refused (answered here), closed by the client, or silent until
/// the header-read timeout (nothing to answer).
pub async fn first<S>(io: &mut S, limits: &Limits) -> Option<Vec<u8>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let deadline = Instant::now() + limits.header_read_timeout;
    let mut head = HeadReader::new(limits);
    loop {
        head.buf.reserve(CHUNK);
        let n = match timeout_at(deadline, io.read_buf(&mut head.buf)).await {
            // A connection that never said anything (a browser's spare one) just closes.
            Err(_) if head.buf.iter().all(|&b| b == b'\r' || b == b'\n') => return None,
            Err(_) => {
                let e = ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    crate::error::code_of(StatusCode::REQUEST_TIMEOUT),
                    format!(
                        "the request head did not arrive within {} ms",
                        limits.header_read_timeout.as_millis()
                    ),
                );
                answer_and_close(io, &e).await;
                return None;
            }
            Ok(Err(_)) => return None,
            Ok(Ok(n)) => n,
        };
        if n == 0 {
            // Closed before a whole head: there is no one left to answer.
            return None;
        }
        match head.check() {
            Check::More => {}
            Check::Pass => return Some(head.buf),
            Check::Refuse(e) => {
                answer_and_close(io, &e).await;
                return None;
            }
        }
    }
}

/// Write a refusal, close our side, and read what the client still sends for a
/// moment so the answer is not lost to a reset.
async fn answer_and_close<S>(io: &mut S, e: &ApiError)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if io.write_all(&wire_answer(e)).await.is_err() || io.shutdown().await.is_err() {
        return;
    }
    let mut scratch = [0u8; CHUNK];
    let mut drained = 0;
    let deadline = Instant::now() + LINGER;
    while drained < LINGER_BYTES {
        match timeout_at(deadline, io.read(&mut scratch)).await {
            Ok(Ok(n)) if n > 0 => drained += n,
            _ => break,
        }
    }
}

/// An IO that first yields bytes already read from it, then reads on.
pub struct Prefixed<S> {
    prefix: Vec<u8>,
    at: usize,
    inner: S,
}

impl<S> Prefixed<S> {
    pub fn new(prefix: Vec<u8>, inner: S) -> Prefixed<S> {
        Prefixed {
            prefix,
            at: 0,
            inner,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.at < this.prefix.len() {
            let n = buf.remaining().min(this.prefix.len() - this.at);
            buf.put_slice(&this.prefix[this.at..this.at + n]);
            this.at += n;
            if this.at == this.prefix.len() {
                this.prefix = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Why a parsed request's head is over the limits, if it is. The head's size is
/// counted as it was on the wire (`name: value\r\n` per header).
pub fn over_limits(
    uri: &Uri,
    method_len: usize,
    headers: &HeaderMap,
    limits: &Limits,
) -> Option<ApiError> {
    let target = uri.path_and_query().map_or(0, |p| p.as_str().len())
        + uri.scheme_str().map_or(0, |s| s.len() + 3)
        + uri.authority().map_or(0, |a| a.as_str().len());
    if target > limits.uri_bytes {
        return Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            crate::error::code_of(StatusCode::URI_TOO_LONG),
            format!("request target over {} bytes ({target})", limits.uri_bytes),
        ));
    }
    let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    if headers.len() > limits.headers {
        return Some(ApiError::new(
            status,
            crate::error::code_of(status),
            format!(
                "more than {} header lines ({})",
                limits.headers,
                headers.len()
            ),
        ));
    }
    // "METHOD target HTTP/1.1\r\n", each header line, and the final "\r\n".
    let bytes = method_len
        + 1
        + target
        + 11
        + headers
            .iter()
            .map(|(n, v)| n.as_str().len() + 2 + v.len() + 2)
            .sum::<usize>()
        + 2;
    (bytes > limits.header_bytes).then(|| {
        ApiError::new(
            status,
            crate::error::code_of(status),
            format!(
                "request head over {} bytes (request line and headers)",
                limits.header_bytes
            ),
        )
    })
}

/// Middleware: a request whose head is over the limits gets the JSON refusal and
/// the connection closes. (The first head of a connection never gets this far; see
/// [`first`]. This catches the later ones hyper parsed with its larger buffer.)
pub async fn guard(State(ctx): State<Arc<Ctx>>, req: Request, next: Next) -> Response {
    match over_limits(
        req.uri(),
        req.method().as_str().len(),
        req.headers(),
        &ctx.config.limits,
    ) {
        Some(e) => {
            let mut r = e.into_response();
            r.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            r
        }
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(bytes: &[u8]) -> Check {
        let limits = Limits::default();
        let mut h = HeadReader::new(&limits);
        // Byte by byte, as the slowest client would send it: the same verdict as at once.
        for &b in bytes {
            h.buf.push(b);
            let c = h.check();
            if c != Check::More {
                return c;
            }
        }
        Check::More
    }

    fn status(c: Check) -> Option<StatusCode> {
        match c {
            Check::Refuse(e) => Some(e.status),
            _ => None,
        }
    }

    #[test]
    fn heads_are_judged_as_they_arrive() {
        assert_eq!(verdict(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Check::Pass);
        assert_eq!(verdict(b"\r\nGET /a?b=c HTTP/1.0\n\n"), Check::Pass);
        assert_eq!(verdict(b"GET / HTTP/1.1\r\nHost: x\r\n"), Check::More);
        assert_eq!(verdict(b"GET /api/hea"), Check::More);
        let bad = StatusCode::BAD_REQUEST;
        for line in [
            &b"\x16\x03\x01\x02\x00"[..],
            b"GET\r\n",
            b"GET /\r\n",
            b"GET /a b HTTP/1.1\r\n",
            b"GET / HTTP/2.0\r\n",
            b" / HTTP/1.1\r\n",
            b"GET / HTTP/1.1\r\nHost localhost\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            b"POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        ] {
            assert_eq!(status(verdict(line)), Some(bad), "{line:?}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
        assert_eq!(
            status(verdict(long.as_bytes())),
            Some(StatusCode::URI_TOO_LONG)
        );
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(40_000));
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(101));
        for head in [big, many] {
            let s = status(verdict(head.as_bytes()));
            assert_eq!(s, Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE));
        }
        // Framing hyper takes.
        for ok in [
            &b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n"[..],
            b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n",
        ] {
            assert_eq!(verdict(ok), Check::Pass, "{ok:?}");
        }
        // 100 headers are fine.
        let hundred = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(100));
        assert_eq!(verdict(hundred.as_bytes()), Check::Pass);
    }

    #[test]
    fn a_refusal_on_the_wire_is_json_and_closes() {
        let e = ApiError::new(StatusCode::URI_TOO_LONG, "uri_too_long", "too long");
        let text = String::from_utf8(wire_answer(&e)).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains("connection: close"), "{head}");
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"], "uri_too_long");
        assert_eq!(v["message"], "too long");
    }
}
