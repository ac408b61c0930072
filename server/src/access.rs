//! Who may talk to the server: which `Host` a request may name and which web pages (`Origin`)
//! may call it from a browser.
//!
//! The endpoint is unauthenticated, so on a developer's laptop these two checks are what keep
//! other web pages away from its tables:
//! - **Origin**: a page on any site could otherwise send requests to `127.0.0.1:8000` and read
//!   the answers (CORS). Only loopback origins are allowed unless `--cors` adds more.
//! - **Host**: DNS rebinding points a name the attacker owns (`evil.example`) at 127.0.0.1, so
//!   the browser treats the server as same-origin with the attacker's page and sends no CORS
//!   check at all — but it still names `evil.example` in `Host`. Only loopback names (and the
//!   address the server was told to listen on) are accepted unless `--allow-host` adds more.
//!
//! SDKs and the AWS CLI send `Host: <endpoint host>:<port>`, so an endpoint of
//! `http://127.0.0.1:8000` or `http://localhost:8000` always passes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The access policy, built once from the command line.
#[derive(Debug, Clone)]
pub struct Policy {
    any_origin: bool,
    /// Extra origins, normalised (`scheme://host[:port]`, lower case).
    origins: Vec<String>,
    any_host: bool,
    /// Extra host names, normalised (lower case, no port, no brackets).
    hosts: Vec<String>,
}

/// What to do about a request's `Origin`.
#[derive(Debug, PartialEq)]
pub enum Cors {
    /// No `Origin`: not a browser page's cross-origin request.
    None,
    /// Allowed: send `Access-Control-Allow-Origin` with this value.
    Allow(String),
    /// Refused: answer 403 without running anything.
    Refuse,
}

impl Policy {
    /// `cors` and `allow_hosts` as given on the command line; `listen_host` is `--host`.
    pub fn new(cors: &[String], allow_hosts: &[String], listen_host: &str) -> Self {
        let mut hosts: Vec<String> =
            allow_hosts.iter().filter(|h| *h != "*").map(|h| normalise_host(h)).collect();
        // Bound to one specific non-loopback address (a LAN address, a host name): clients
        // reach it by that name. An unspecified address (0.0.0.0, ::) names no one.
        let listen = normalise_host(listen_host);
        let unspecified = listen.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified());
        if !unspecified && !is_loopback_host(&listen) {
            hosts.push(listen);
        }
        Self {
            any_origin: cors.iter().any(|o| o == "*"),
            origins: cors.iter().filter(|o| *o != "*").map(|o| normalise_origin(o)).collect(),
            any_host: allow_hosts.iter().any(|h| h == "*"),
            hosts,
        }
    }

    /// Whether a request naming `host` (a `Host` header or a URI authority) is accepted. A
    /// request without one is accepted: browsers always send it, so its absence cannot come
    /// from a web page.
    pub fn host_allowed(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return true };
        if self.any_host {
            return true;
        }
        let name = normalise_host(strip_port(host));
        is_loopback_host(&name) || self.hosts.contains(&name)
    }

    /// The CORS decision for a request's `Origin` header.
    pub fn cors(&self, origin: Option<&[u8]>) -> Cors {
        let Some(origin) = origin else { return Cors::None };
        let Ok(origin) = std::str::from_utf8(origin) else { return Cors::Refuse };
        if self.any_origin {
            return Cors::Allow("*".into());
        }
        let normal = normalise_origin(origin);
        let loopback = normal
            .strip_prefix("http://")
            .or_else(|| normal.strip_prefix("https://"))
            .is_some_and(|authority| is_loopback_host(&normalise_host(strip_port(authority))));
        if loopback || self.origins.contains(&normal) {
            Cors::Allow(origin.to_owned())
        } else {
            Cors::Refuse
        }
    }
}

/// `host:port`, `[v6]:port`, `[v6]` or `host` → the host part.
fn strip_port(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match authority.rsplit_once(':') {
        // One colon: a port. More than one without brackets: a bare IPv6 address.
        Some((host, _)) if !host.contains(':') => host,
        _ => authority,
    }
}

/// Lower case, without brackets or the trailing dot of a fully qualified name.
fn normalise_host(host: &str) -> String {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

/// Lower case, without a trailing slash.
fn normalise_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// `localhost`, `*.localhost` (RFC 6761 keeps them on this machine), 127.0.0.0/8, ::1 and
/// ::ffff:127.0.0.0/104.
fn is_loopback_host(name: &str) -> bool {
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4: Ipv4Addr| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Whether `--host` names a loopback address, for the start-up line's advice.
pub fn is_loopback_listen(host: &str) -> bool {
    let host = normalise_host(host);
    is_loopback_host(&host) || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(cors: &[&str], hosts: &[&str], listen: &str) -> Policy {
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Policy::new(&own(cors), &own(hosts), listen)
    }

    #[test]
    fn loopback_hosts_pass_others_are_refused() {
        let p = policy(&[], &[], "127.0.0.1");
        for ok in [
            "localhost",
            "localhost:8000",
            "LOCALHOST.:1",
            "app.localhost:3000",
            "127.0.0.1:8000",
            "127.1.2.3",
            "[::1]:8000",
            "[::1]",
            "::1",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(p.host_allowed(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.5:8000",
            "[::2]:80",
            "",
            "0.0.0.0:8000",
        ] {
            assert!(!p.host_allowed(Some(bad)), "{bad}");
        }
        assert!(p.host_allowed(None));
    }

    #[test]
    fn the_listen_address_and_allowed_names_pass() {
        let p = policy(&[], &["DynamoDB", "192.168.1.9"], "10.0.0.5");
        assert!(p.host_allowed(Some("10.0.0.5:8000")));
        assert!(p.host_allowed(Some("dynamodb:8000")));
        assert!(p.host_allowed(Some("192.168.1.9")));
        assert!(!p.host_allowed(Some("10.0.0.6:8000")));
        // Listening everywhere names no address: only loopback and allowed names.
        let p = policy(&[], &[], "0.0.0.0");
        assert!(!p.host_allowed(Some("0.0.0.0:8000")));
        assert!(!p.host_allowed(Some("192.168.1.9:8000")));
        assert!(policy(&[], &["*"], "0.0.0.0").host_allowed(Some("anything:1")));
    }

    #[test]
    fn loopback_origins_are_allowed_and_echoed() {
        let p = policy(&[], &[], "127.0.0.1");
        for ok in
            ["http://localhost:8080", "https://127.0.0.1", "http://[::1]:3000", "http://docs.localhost:1"]
        {
            assert_eq!(p.cors(Some(ok.as_bytes())), Cors::Allow(ok.into()), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "http://localhost.evil.example",
            "null",
            "file://",
            "ftp://localhost",
            "http://192.168.1.2:8080",
        ] {
            assert_eq!(p.cors(Some(bad.as_bytes())), Cors::Refuse, "{bad}");
        }
        assert_eq!(p.cors(Some(b"\xff")), Cors::Refuse);
        assert_eq!(p.cors(None), Cors::None);
    }

    #[test]
    fn cors_adds_origins_or_all() {
        let p = policy(&["https://Docs.Example/"], &[], "127.0.0.1");
        assert_eq!(p.cors(Some(b"https://docs.example")), Cors::Allow("https://docs.example".into()));
        assert_eq!(p.cors(Some(b"http://docs.example")), Cors::Refuse);
        let p = policy(&["*"], &[], "127.0.0.1");
        assert_eq!(p.cors(Some(b"https://any.example")), Cors::Allow("*".into()));
        assert_eq!(p.cors(Some(b"null")), Cors::Allow("*".into()));
    }

    #[test]
    fn loopback_listen_addresses() {
        assert!(
            is_loopback_listen("127.0.0.1") && is_loopback_listen("localhost") && is_loopback_listen("::1")
        );
        assert!(!is_loopback_listen("0.0.0.0") && !is_loopback_listen("192.168.1.2"));
    }
}
