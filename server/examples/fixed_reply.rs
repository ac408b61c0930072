//! The HTTP stack alone: hyper and tokio configured as `dynaplay-server` configures them,
//! answering every request with the same fixed body, no engine behind it. `bench/run.sh`
//! measures it beside nginx's fixed reply to show what the stack itself costs per request.
//!
//! `fixed_reply BODY_FILE [PORT]` listens on loopback (PORT, or a free port when it is 0 or
//! missing) and prints `fixed_reply listening on http://ADDR`, as `dynaplay-server` does.

use std::convert::Infallible;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Reads the request body (as a real server must) and answers the fixed body.
async fn reply(request: Request<Incoming>, body: Bytes) -> Result<Response<Full<Bytes>>, Infallible> {
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(body));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    Ok(response)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or_else(|| std::io::Error::other("usage: fixed_reply BODY_FILE [PORT]"))?;
    let port: u16 = args.next().map_or(Ok(0), |p| p.parse().map_err(std::io::Error::other))?;
    let body = Bytes::from(std::fs::read(path)?);
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        println!("fixed_reply listening on http://{}", listener.local_addr()?);
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            let service = service_fn(move |request| reply(request, body.clone()));
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}
