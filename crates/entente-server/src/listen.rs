//! The accept loop: HTTP/1.1 over hyper, with the first head of each connection
//! checked by [`crate::head`] first, hyper's own limits and header-read timeout set,
//! and a graceful shutdown that lets answers in flight finish.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::head::{self, Prefixed};
use crate::{Ctx, Limits};

/// hyper's read buffer (at least; twice [`Limits::header_bytes`] if that is more).
/// Beyond it hyper answers 431 with an empty body, so it is well above the limit and
/// [`head::guard`] answers first.
pub const MAX_BUF: usize = 256 * 1024;
/// Header lines hyper parses (at least; twice [`Limits::headers`] if that is more).
pub const MAX_HEADERS: usize = 1000;
/// How long a shutdown waits for connections to finish their answers. (A job's
/// event stream only ends with its job, so the wait must be bounded.)
pub const GRACE: Duration = Duration::from_secs(5);

/// Serve `ctx`'s routes on `listener` until `shutdown` resolves, then stop
/// accepting, ask each connection to close after its answer in flight, and wait
/// for them (at most [`GRACE`]).
pub async fn serve_on(
    listener: TcpListener,
    ctx: Arc<Ctx>,
    shutdown: impl Future<Output = ()> + Send,
) {
    let limits = ctx.config.limits.clone();
    let app = crate::router(ctx);
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        // Above the limits (even raised ones), so the guard answers in JSON first.
        .max_buf_size(MAX_BUF.max(limits.header_bytes.saturating_mul(2)))
        .max_headers(MAX_HEADERS.max(limits.headers.saturating_mul(2)));
    let (stop_tx, stop_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                // The client gave up before we took it: nothing to do.
                Err(e) if is_connection_error(&e) => continue,
                // Out of file descriptors and the like: wait rather than spin.
                Err(e) => {
                    eprintln!("entente serve: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            app.clone(),
            builder.clone(),
            limits.clone(),
            stop_rx.clone(),
        ));
    }
    drop(listener);
    drop(stop_rx);
    let _ = stop_tx.send(());
    // Every connection holds a receiver; `closed` resolves when the last one is gone.
    let _ = tokio::time::timeout(GRACE, stop_tx.closed()).await;
}

/// One connection: its first head checked, then hyper until it closes or the
/// server stops.
async fn connection(
    mut stream: TcpStream,
    app: axum::Router,
    builder: http1::Builder,
    limits: Limits,
    mut stop: watch::Receiver<()>,
) {
    let prefix = tokio::select! {
        p = head::first(&mut stream, &limits) => match p {
            Some(p) => p,
            None => return,
        },
        _ = stop.changed() => return,
    };
    let io = TokioIo::new(Prefixed::new(prefix, stream));
    let conn = builder.serve_connection(io, TowerToHyperService::new(app));
    tokio::pin!(conn);
    tokio::select! {
        // Errors here are the client's (a reset, a bad later head): hyper has answered
        // what it could and there is no one to tell.
        _ = conn.as_mut() => return,
        _ = stop.changed() => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
