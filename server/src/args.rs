//! The command line: what each option means, its default, and the usage text `--help` prints.

use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "\
dynaplay-server: a DynamoDB-compatible HTTP endpoint backed by the dynaplay engine

Usage: dynaplay-server [OPTIONS]

Options:
  --host HOST              address to listen on (default 127.0.0.1)
  --port PORT              TCP port; 0 picks a free one (default 8000)
  --region REGION          region named in ARNs and the health check (default us-east-1)
  --ttl-delay-ms MS        how long after its Time to Live expiry an item is deleted
                           (default 5000; DynamoDB itself takes up to a few days)
  --data-dir DIR           keep every table in DIR across restarts: a write is on disk
                           (fsync) before it is answered. DIR is created if missing and
                           only one server may use it at a time. Without this option
                           tables live in memory and vanish when the server stops.
  --exports-dir DIR        where table exports appear as files
                           (DIR/<bucket>/<prefix>/AWSDynamoDB/<export id>/...) and where
                           ImportTable finds files (DIR/<bucket>/<key prefix>...);
                           default DATA_DIR/exports with --data-dir, else none
  --cors ORIGIN            also let web pages from ORIGIN (e.g. https://docs.example.com)
                           call the server; repeatable. '*' allows every origin. Pages on
                           localhost, 127.0.0.1, [::1] and *.localhost (any port) are
                           always allowed; requests from any other page are refused (403).
  --allow-host NAME        also accept requests addressed to NAME (the Host header, e.g.
                           a docker-compose service name or this machine's LAN address);
                           repeatable. '*' accepts any. Accepted always: localhost,
                           *.localhost, 127.0.0.0/8, [::1], and the --host address when it
                           is a specific one. Others get 403 (this stops DNS rebinding).
  --max-connections N      connections open at once (default 1024); past that a new
                           connection is answered 503 ServiceUnavailable and closed
  --header-timeout SECS    how long a client may take to send a request's headers once
                           it has started, and the longest pause inside its body
                           (default 10; fractions allowed)
  --idle-timeout SECS      how long a keep-alive connection may wait between requests
                           before the server closes it (default 120)
  --credentials FILE       check SigV4 signatures: FILE holds one 'ACCESS_KEY_ID
                           SECRET_ACCESS_KEY' pair a line ('#' starts a comment). An
                           unknown key is UnrecognizedClientException, a wrong signature
                           InvalidSignatureException, as DynamoDB answers them.
  -h, --help               print this help

Without --credentials requests are not authenticated: any well-formed SigV4 signature is
accepted without checking it (its date must still be within 15 minutes of this machine's
clock, as DynamoDB requires). Keep such an endpoint on your machine.";

/// Settings from the command line.
#[derive(Debug, PartialEq)]
pub struct Args {
    pub host: String,
    pub port: u16,
    pub region: String,
    pub ttl_delay_ms: u64,
    pub data_dir: Option<PathBuf>,
    /// `--exports-dir DIR`: the object store mirrored as files.
    pub exports_dir: Option<PathBuf>,
    /// Origins allowed beyond the loopback ones; `"*"` allows all.
    pub cors: Vec<String>,
    /// Host names accepted beyond the loopback ones; `"*"` accepts all.
    pub allow_hosts: Vec<String>,
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    /// `--credentials FILE`: verify signatures against these keys.
    pub credentials: Option<PathBuf>,
}

impl Default for Args {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8000,
            region: "us-east-1".into(),
            ttl_delay_ms: dynaplay_engine::DEFAULT_TTL_DELETION_DELAY_MS,
            data_dir: None,
            exports_dir: None,
            cors: Vec::new(),
            allow_hosts: Vec::new(),
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            credentials: None,
        }
    }
}

/// What the command line asked for.
// Made once per run: boxing `Args` would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum Command {
    Serve(Args),
    Help,
}

/// Every option that takes a value.
const VALUED: &[&str] = &[
    "--host",
    "--port",
    "--region",
    "--ttl-delay-ms",
    "--data-dir",
    "--exports-dir",
    "--cors",
    "--allow-host",
    "--max-connections",
    "--header-timeout",
    "--idle-timeout",
    "--credentials",
];

/// Parses the arguments after the program name. Both `--port 8000` and `--port=8000` work.
pub fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Command, String> {
    let mut args = Args::default();
    while let Some(arg) = argv.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(Command::Help);
        }
        if !VALUED.contains(&flag.as_str()) {
            return Err(format!("unknown argument '{flag}'"));
        }
        let value = match inline.or_else(|| argv.next()) {
            Some(value) if !value.is_empty() => value,
            _ => return Err(format!("{flag} needs a value")),
        };
        let invalid = || format!("invalid {flag} '{value}'");
        match flag.as_str() {
            "--host" => args.host = value,
            "--port" => args.port = value.parse().map_err(|_| format!("invalid port '{value}'"))?,
            "--ttl-delay-ms" => args.ttl_delay_ms = value.parse().map_err(|_| invalid())?,
            "--data-dir" => args.data_dir = Some(PathBuf::from(value)),
            "--exports-dir" => args.exports_dir = Some(PathBuf::from(value)),
            "--cors" => args.cors.push(value),
            "--allow-host" => args.allow_hosts.push(value),
            "--max-connections" => {
                args.max_connections = value.parse().ok().filter(|n| *n > 0).ok_or_else(invalid)?
            }
            "--header-timeout" => args.header_timeout = seconds(&value).ok_or_else(invalid)?,
            "--idle-timeout" => args.idle_timeout = seconds(&value).ok_or_else(invalid)?,
            "--credentials" => args.credentials = Some(PathBuf::from(value)),
            _ => args.region = value,
        }
    }
    Ok(Command::Serve(args))
}

/// A positive number of seconds, fractions allowed, at most a day.
fn seconds(value: &str) -> Option<Duration> {
    let secs: f64 = value.parse().ok()?;
    (secs.is_finite() && secs > 0.0 && secs <= 86_400.0).then(|| Duration::from_secs_f64(secs))
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
                ttl_delay_ms: 5_000,
                data_dir: None,
                exports_dir: None,
                cors: vec![],
                allow_hosts: vec![],
                max_connections: 1024,
                header_timeout: Duration::from_secs(10),
                idle_timeout: Duration::from_secs(120),
                credentials: None,
            }))
        );
    }

    #[test]
    fn both_value_forms_and_repeats() {
        let Ok(Command::Serve(args)) = parse(&[
            "--host",
            "0.0.0.0",
            "--port=0",
            "--region=eu-west-1",
            "--ttl-delay-ms",
            "0",
            "--data-dir",
            "/tmp/d",
            "--cors",
            "https://a.example",
            "--cors=*",
            "--allow-host",
            "db",
            "--max-connections=5",
            "--header-timeout",
            "0.5",
            "--idle-timeout=3",
            "--credentials",
            "/tmp/keys",
        ]) else {
            panic!("did not parse")
        };
        assert_eq!((args.host.as_str(), args.port, args.region.as_str()), ("0.0.0.0", 0, "eu-west-1"));
        assert_eq!(args.ttl_delay_ms, 0);
        assert_eq!(args.data_dir, Some(PathBuf::from("/tmp/d")));
        assert_eq!(args.cors, ["https://a.example", "*"]);
        assert_eq!(args.allow_hosts, ["db"]);
        assert_eq!(args.max_connections, 5);
        assert_eq!(args.header_timeout, Duration::from_millis(500));
        assert_eq!(args.idle_timeout, Duration::from_secs(3));
        assert_eq!(args.credentials, Some(PathBuf::from("/tmp/keys")));
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse(&["--port", "1", "--help"]), Ok(Command::Help));
        assert_eq!(parse(&["-h"]), Ok(Command::Help));
        assert!(parse(&["--port", "99999"]).unwrap_err().contains("invalid port"));
        assert!(parse(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--verbose"]).unwrap_err().contains("unknown argument"));
        for bad in [["--max-connections", "0"], ["--header-timeout", "-1"], ["--idle-timeout", "NaN"]] {
            assert!(parse(&bad).unwrap_err().contains("invalid"), "{bad:?}");
        }
        assert!(parse(&["--idle-timeout", "86401"]).is_err());
    }

    #[test]
    fn usage_names_every_option() {
        for flag in VALUED {
            assert!(USAGE.contains(flag), "{flag} is not in --help");
        }
    }
}
