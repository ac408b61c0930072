//! `dynaplay-server`: dynaplay's engine behind a DynamoDB-compatible HTTP endpoint.
//!
//! This file owns the process: command-line arguments, the listening socket, the accept loop
//! and graceful shutdown. Everything about the DynamoDB wire protocol lives in [`http`].

mod http;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

/// How long shutdown waits for in-flight requests before giving up on them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

const USAGE: &str = "\
dynaplay-server: a DynamoDB-compatible HTTP endpoint backed by the dynaplay engine

Usage: dynaplay-server [--host HOST] [--port PORT] [--region REGION] [--ttl-delay-ms MS]

Options:
  --host HOST         address to listen on (default 127.0.0.1)
  --port PORT         TCP port; 0 picks a free one (default 8000)
  --region REGION     region named in ARNs and the health check (default us-east-1)
  --ttl-delay-ms MS   how long after its Time to Live expiry an item is deleted
                      (default 5000; DynamoDB itself takes up to a few days)
  -h, --help          print this help

Requests are not authenticated: any well-formed SigV4 Authorization header is accepted
without checking its signature. Tables live in memory and vanish when the server stops.";

/// Settings from the command line.
#[derive(Debug, PartialEq)]
struct Args {
    host: String,
    port: u16,
    region: String,
    ttl_delay_ms: u64,
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
enum Command {
    Serve(Args),
    Help,
}

/// Parses the arguments after the program name. Both `--port 8000` and `--port=8000` work.
fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut args = Args {
        host: "127.0.0.1".into(),
        port: 8000,
        region: "us-east-1".into(),
        ttl_delay_ms: dynaplay_engine::DEFAULT_TTL_DELETION_DELAY_MS,
    };
    while let Some(arg) = argv.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        if !matches!(flag.as_str(), "--host" | "--port" | "--region" | "--ttl-delay-ms") {
            return Err(format!("unknown argument '{flag}'"));
        }
        let value = match inline.or_else(|| argv.next()) {
            Some(value) if !value.is_empty() => value,
            _ => return Err(format!("{flag} needs a value")),
        };
        match flag.as_str() {
            "--host" => args.host = value,
            "--port" => args.port = value.parse().map_err(|_| format!("invalid port '{value}'"))?,
            "--ttl-delay-ms" => {
                args.ttl_delay_ms = value.parse().map_err(|_| format!("invalid --ttl-delay-ms '{value}'"))?
            }
            _ => args.region = value,
        }
    }
    Ok(Command::Serve(args))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("dynaplay-server: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("dynaplay-server: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dynaplay-server: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Binds, announces the address, and serves until SIGINT or SIGTERM.
async fn serve(args: Args) -> Result<(), String> {
    let listener = TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|err| format!("cannot listen on {}:{}: {err}", args.host, args.port))?;
    let addr: SocketAddr = listener.local_addr().map_err(|err| err.to_string())?;
    let config = dynaplay_engine::EngineConfig {
        region: args.region.clone(),
        ttl_deletion_delay_ms: args.ttl_delay_ms,
        ..Default::default()
    };
    let state = Arc::new(http::State::new(config));
    let shutdown = shutdown_signal();

    // Tests and scripts wait for exactly this line, so it must be flushed before we block.
    {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "dynaplay-server listening on http://{addr}");
        let _ = stdout.flush();
    }

    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    Err(err) => {
                        // Usually EMFILE: back off briefly instead of spinning on the error.
                        eprintln!("dynaplay-server: accept failed: {err}");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                };
                // Requests and responses are small; Nagle would only add latency.
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let service = service_fn(move |request| http::respond(Arc::clone(&state), request));
                let connection = http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client that hangs up mid-request is not the server's error to report.
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }

    // Stop accepting first, then let in-flight requests finish; idle keep-alive connections
    // are closed at once by the graceful watcher.
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => Ok(()),
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            eprintln!("dynaplay-server: gave up waiting for open connections after {DRAIN_TIMEOUT:?}");
            Ok(())
        }
    }
}

/// Installs the SIGINT and SIGTERM handlers *now* and returns a future that resolves on the
/// first of them. Installing before the ready line is printed matters: a signal sent right
/// after a caller sees that line must reach the handler, not kill the process.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&[]),
            Ok(Command::Serve(Args {
                host: "127.0.0.1".into(),
                port: 8000,
                region: "us-east-1".into(),
                ttl_delay_ms: 5_000
            }))
        );
    }

    #[test]
    fn both_value_forms() {
        assert_eq!(
            parse(&["--host", "0.0.0.0", "--port=0", "--region=eu-west-1", "--ttl-delay-ms", "0"]),
            Ok(Command::Serve(Args {
                host: "0.0.0.0".into(),
                port: 0,
                region: "eu-west-1".into(),
                ttl_delay_ms: 0
            }))
        );
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse(&["--port", "1", "--help"]), Ok(Command::Help));
        assert_eq!(parse(&["-h"]), Ok(Command::Help));
        assert!(parse(&["--port", "99999"]).unwrap_err().contains("invalid port"));
        assert!(parse(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--verbose"]).unwrap_err().contains("unknown argument"));
    }
}
