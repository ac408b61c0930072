//! `dynaplay-server`: dynaplay's engine behind a DynamoDB-compatible HTTP endpoint.
//!
//! This file owns the process: the listening socket, the accept loop, the connection cap
//! and graceful shutdown. The command line is [`args`], who may call is [`access`], one
//! connection's timeouts are [`connection`], and the DynamoDB wire protocol is [`http`].

mod access;
mod args;
mod connection;
mod exports;
mod http;
mod sigv4;
mod store;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use args::{parse_args, Args, Command, USAGE};
use connection::{Activity, Throttled, Timeouts, Watched};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long shutdown waits for in-flight requests before giving up on them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request head (and read buffer) a connection may use: DynamoDB requests carry a
/// few hundred bytes of headers, and this bounds what a garbage-sending client can make the
/// server hold. A larger head gets `431`.
const MAX_HEAD_BYTES: usize = 64 * 1024;

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
    // One thread serves every connection, as one nginx worker does. The engine runs one
    // request at a time behind its lock anyway, and a multi-threaded runtime moved each
    // connection's task between threads (a futex wake-up and cold caches per request): on
    // 2 cores it cost 2–4 µs more CPU per request and answered single clients at half speed
    // (bench/run.sh; the commit that made this change has the figures). Durable writes wait
    // on their own writer thread (store::commit), so a slow disk does not block this one.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
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
    let access = access::Policy::new(&args.cors, &args.allow_hosts, &args.host);
    let (engine, store) = match &args.data_dir {
        None => (dynaplay_engine::Engine::with_config(config), None),
        Some(dir) => {
            let (store, engine, report) = store::Store::open(dir, config)?;
            // Warnings first: the summary line closes what opening has to say.
            for warning in &report.warnings {
                eprintln!("dynaplay-server: WARNING: {warning}");
            }
            let dir = dir.display();
            if report.created {
                eprintln!("dynaplay-server: keeping tables in {dir} (new)");
            } else {
                eprintln!(
                    "dynaplay-server: keeping tables in {dir}: loaded {} tables, replayed {} journaled requests",
                    report.tables, report.replayed
                );
            }
            (engine, Some(store))
        }
    };
    let credentials = match &args.credentials {
        Some(path) => {
            let credentials = sigv4::Credentials::load(path)?;
            eprintln!(
                "dynaplay-server: checking SigV4 signatures against {} access key(s) from {}",
                credentials.len(),
                path.display()
            );
            Some(credentials)
        }
        None => None,
    };
    let exports_dir = args.exports_dir.clone().or_else(|| args.data_dir.as_ref().map(|d| d.join("exports")));
    if let Some(dir) = &exports_dir {
        eprintln!(
            "dynaplay-server: table exports appear in {} (ImportTable reads files there)",
            dir.display()
        );
    }
    let state = Arc::new(
        http::State::new(engine, store, &args.region, access, args.header_timeout)
            .with_credentials(credentials)
            .with_exports_dir(exports_dir.map(exports::ExportsDir::new)),
    );
    if args.data_dir.is_some() {
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(store::CHECKPOINT_INTERVAL);
            loop {
                tick.tick().await;
                state.checkpoint_tick();
            }
        });
    }
    let max_connections = raise_file_limit(args.max_connections);
    let timeouts = Timeouts { header: args.header_timeout, idle: args.idle_timeout };
    let shutdown = shutdown_signal();

    if !access::is_loopback_listen(&args.host) {
        eprintln!(
            "dynaplay-server: listening on {addr}, beyond this machine.{}",
            if args.credentials.is_some() {
                ""
            } else {
                " Requests are not authenticated (see --credentials): \
                 anyone who can reach this address can read and change every table."
            }
        );
    }
    // Tests and scripts wait for exactly this line, so it must be flushed before we block.
    {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "dynaplay-server listening on http://{addr}");
        let _ = stdout.flush();
    }

    let slots = Arc::new(Semaphore::new(max_connections));
    let refusals = Arc::new(Semaphore::new(connection::MAX_REFUSALS));
    let refusal_log = Throttled::new();
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
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    if refusal_log.ready(Duration::from_secs(10)) {
                        eprintln!(
                            "dynaplay-server: {max_connections} connections are open (--max-connections); \
                             answering new ones 503 until some close"
                        );
                    }
                    // Past the cap: a clean 503, or (when even those pile up) a plain close.
                    if let Ok(refusal) = Arc::clone(&refusals).try_acquire_owned() {
                        tokio::spawn(async move {
                            connection::refuse(stream, max_connections).await;
                            drop(refusal);
                        });
                    }
                    continue;
                };
                // Requests and responses are small; Nagle would only add latency.
                let _ = stream.set_nodelay(true);
                let activity = Activity::new();
                let state = Arc::clone(&state);
                let service_activity = Arc::clone(&activity);
                let service = service_fn(move |request| {
                    let state = Arc::clone(&state);
                    let activity = Arc::clone(&service_activity);
                    async move {
                        activity.request_started();
                        let response = http::respond(state, request).await;
                        activity.request_finished();
                        response
                    }
                });
                let connection = http1::Builder::new()
                    .keep_alive(true)
                    // A client may send its request and then close its sending side; it
                    // still gets the answer.
                    .half_close(true)
                    .max_buf_size(MAX_HEAD_BYTES)
                    .serve_connection(TokioIo::new(Watched::new(stream, Arc::clone(&activity))), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client that hangs up mid-request is not the server's error to report;
                    // one that idles or dribbles past its timeout is closed by dropping it.
                    tokio::select! {
                        _ = connection => {}
                        () = activity.expired(timeouts) => {}
                    }
                    drop(slot);
                });
            }
            () = &mut shutdown => break,
        }
    }

    // Stop accepting first, then let in-flight requests finish; idle keep-alive connections
    // are closed at once by the graceful watcher.
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN_TIMEOUT) => {
            eprintln!("dynaplay-server: gave up waiting for open connections after {DRAIN_TIMEOUT:?}");
        }
    }
    // Everything acknowledged is on disk already; this saves the engine's own changes too.
    let closing = Arc::clone(&state);
    let _ = tokio::task::spawn_blocking(move || closing.close()).await;
    Ok(())
}

/// Files the process needs besides its connections (listener, data files, stdio).
const SPARE_FILES: u64 = 64;

/// Raises the open-file limit so `max_connections` sockets fit (the soft limit is often 1,024
/// on Linux and 256 on macOS, where accept would fail with EMFILE long before the cap and
/// connections would queue unanswered). Returns the cap to use: lower, with a warning, when
/// the hard limit does not allow it.
fn raise_file_limit(max_connections: usize) -> usize {
    let wanted = max_connections as u64 + SPARE_FILES;
    match rlimit::increase_nofile_limit(wanted) {
        Ok(limit) if limit < wanted => {
            let cap = limit.saturating_sub(SPARE_FILES).max(1) as usize;
            eprintln!(
                "dynaplay-server: the open-file limit is {limit}, so at most {cap} connections \
                 (not {max_connections}) can be open at once"
            );
            cap
        }
        _ => max_connections,
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
