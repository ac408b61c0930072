//! Signature Version 4, as DynamoDB applies it to every request: the request's date must be
//! within 15 minutes of the server's clock ("Signature expired" / "Signature not yet current"),
//! and — with `--credentials FILE` only — the access key must be known and the signature must
//! be the one its secret gives. Without that option any well-formed signature is accepted (the
//! endpoint stays easy to point any SDK at).
//!
//! The signature is computed as the AWS SigV4 specification describes it: a canonical request
//! (method, path, sorted query, the signed headers, the body's SHA-256), a string to sign with
//! the credential scope, and a key derived by HMAC-SHA256 from the secret, the date, the region,
//! the service and `aws4_request`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use hmac::{KeyInit, Mac};
use hyper::header::{self, AsHeaderName, HeaderMap};

use crate::http::X_AMZ_DATE;
use sha2::{Digest, Sha256};

/// How far a request's `X-Amz-Date` may be from the server's clock.
pub const MAX_SKEW_SECONDS: u64 = 15 * 60;

/// An error DynamoDB answers with: its coral name and message.
pub type Refusal = (&'static str, String);

/// Access key ids and their secrets, from `--credentials FILE`.
#[derive(Debug, Default)]
pub struct Credentials {
    secrets: HashMap<String, String>,
}

impl Credentials {
    /// Reads a credentials file: one `ACCESS_KEY_ID SECRET_ACCESS_KEY` pair a line (a space,
    /// a tab, `=` or `:` between them); blank lines and lines starting with `#` are skipped.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let mut secrets = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let pair = line
                .split_once(|c: char| c.is_whitespace() || c == '=' || c == ':')
                .map(|(id, secret)| (id.trim(), secret.trim()))
                .filter(|(id, secret)| !id.is_empty() && !secret.is_empty());
            let Some((id, secret)) = pair else {
                return Err(format!("line {}: expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY'", n + 1));
            };
            secrets.insert(id.to_owned(), secret.to_owned());
        }
        if secrets.is_empty() {
            return Err("no credentials in the file".into());
        }
        Ok(Self { secrets })
    }

    /// How many access keys are known.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }
}

/// The parts of a SigV4 signature, from the `Authorization` header or a presigned query:
/// borrowed from the header (every request carries one, so parsing it allocates nothing),
/// owned when percent-decoded from a query.
struct Signed<'a> {
    /// `KEY/YYYYMMDD/REGION/SERVICE/aws4_request` (at least four parts; see [`Signed::scope`]).
    credential: Cow<'a, str>,
    /// `name;name;…` as sent (SigV4 lowercases them).
    signed_headers: Cow<'a, str>,
    signature: Cow<'a, str>,
    /// `X-Amz-Date` (header, or the presigned query's).
    amz_date: Option<Cow<'a, str>>,
    presigned: bool,
}

impl<'a> Signed<'a> {
    /// Part `n` of the credential: 0 the access key, 1 the scope's date, 2 its region, 3 its
    /// service.
    fn scope(&self, n: usize) -> &str {
        nth_part(&self.credential, n).unwrap_or("")
    }

    /// The credential scope's Region, kept as long as the request.
    fn into_region(self) -> Cow<'a, str> {
        match self.credential {
            Cow::Borrowed(credential) => Cow::Borrowed(nth_part(credential, 2).unwrap_or("")),
            Cow::Owned(credential) => Cow::Owned(nth_part(&credential, 2).unwrap_or("").to_owned()),
        }
    }
}

/// A request as the signature covers it.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// The body exactly as it was sent (before any `Content-Encoding` is undone).
    pub body: &'a [u8],
    /// The `Authorization` header's [`header_params`], when the shape check has read them
    /// already (a header of ASCII text); `None` reads the header here.
    pub auth: Option<HeaderParams<'a>>,
}

/// The names [`header_params`] reads, in the order DynamoDB's shape check lists them missing.
pub const AUTH_PARAMS: [&str; 3] = ["Credential", "Signature", "SignedHeaders"];

/// The values of [`AUTH_PARAMS`] in an `Authorization` header.
pub type HeaderParams<'a> = [Option<&'a str>; 3];

/// The `Credential`, `Signature` and `SignedHeaders` values of an `Authorization` header: of
/// each, the last `name=value` part (a later duplicate wins, as in a map built left to right);
/// a part that is the bare name, without `=`, counts as that name with no value.
pub fn header_params(auth: &str) -> HeaderParams<'_> {
    let mut values = [None; 3];
    for part in auth_params(auth) {
        let (name, value) = split_eq(trim(part)).unwrap_or((part, ""));
        if let Some(i) = AUTH_PARAMS.iter().position(|param| *param == name) {
            values[i] = Some(value);
        }
    }
    values
}

/// The access key id a request is signed with, if it is signed.
pub fn access_key(request: &Request<'_>) -> Option<String> {
    parse(request).map(|signed| signed.scope(0).to_owned())
}

/// Checks a request whose signature has the shape DynamoDB requires: its date against
/// `now` (seconds since the epoch), and with `credentials` its key, scope and signature.
/// Answers the Region of its credential scope: the Region the request is served in (a
/// global table's replicas are told apart by it). With `credentials`, the scope must name the
/// server's `region` or an AWS Region.
///
/// A request signed with the access key of one of the engine's identities (`identity_secret`
/// is its secret) has its signature verified with that secret, whether or not the server has
/// `--credentials`.
pub fn check<'a>(
    request: &Request<'a>,
    now: u64,
    credentials: Option<&Credentials>,
    region: &str,
    identity_secret: Option<&str>,
) -> Result<Option<Cow<'a, str>>, Refusal> {
    let Some(signed) = parse(request) else { return Ok(None) };
    if let Some(secret) = identity_secret {
        if let Some(date) = signed.amz_date.as_deref().and_then(parse_amz_date) {
            check_skew(date, now)?;
        }
        if signature(request, &signed, secret).as_deref() != Some(&*signed.signature) {
            return Err(mismatch());
        }
        return Ok(Some(signed.into_region()));
    }
    if let Some(credentials) = credentials {
        if !credentials.secrets.contains_key(signed.scope(0)) {
            return Err((
                "UnrecognizedClientException",
                "The security token included in the request is invalid".into(),
            ));
        }
    }
    if let Some(date) = signed.amz_date.as_deref().and_then(parse_amz_date) {
        check_skew(date, now)?;
    }
    let Some(credentials) = credentials else { return Ok(Some(signed.into_region())) };
    let scope_region = signed.scope(2);
    if scope_region != region && !dynaplay_engine::GLOBAL_TABLE_REGIONS.contains(&scope_region) {
        return Err((
            "InvalidSignatureException",
            format!("Credential should be scoped to a valid region, not '{scope_region}'. "),
        ));
    }
    let secret = credentials.secrets.get(signed.scope(0)).map_or("", String::as_str);
    if signature(request, &signed, secret).as_deref() != Some(&*signed.signature) {
        return Err(mismatch());
    }
    Ok(Some(signed.into_region()))
}

/// DynamoDB's refusal of a signature its secret does not give.
fn mismatch() -> Refusal {
    (
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.".into(),
    )
}

/// "Signature expired" / "Signature not yet current", with the times in SigV4's basic format.
fn check_skew(date: u64, now: u64) -> Result<(), Refusal> {
    if date + MAX_SKEW_SECONDS < now {
        return Err((
            "InvalidSignatureException",
            format!(
                "Signature expired: {} is now earlier than {} ({} - 15 min.)",
                amz_date(date),
                amz_date(now - MAX_SKEW_SECONDS),
                amz_date(now)
            ),
        ));
    }
    if date > now + MAX_SKEW_SECONDS {
        return Err((
            "InvalidSignatureException",
            format!(
                "Signature not yet current: {} is still later than {} ({} + 15 min.)",
                amz_date(date),
                amz_date(now + MAX_SKEW_SECONDS),
                amz_date(now)
            ),
        ));
    }
    Ok(())
}

fn header(headers: &HeaderMap, name: impl AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The signature's parts, or `None` for a request without one (the shape check before this
/// one has already answered those).
fn parse<'a>(request: &Request<'a>) -> Option<Signed<'a>> {
    // Every request that gets here has passed DynamoDB's shape check, so each name's last
    // part has a value: a bare name counts as given, empty (see `header_params`), only when
    // that check has refused the request already.
    let params = request.auth.or_else(|| header(request.headers, header::AUTHORIZATION).map(header_params));
    if let Some([credential, signature, signed_headers]) = params {
        return signed(
            credential?.into(),
            signed_headers?.into(),
            signature?.into(),
            header(request.headers, &X_AMZ_DATE).map(Cow::Borrowed),
            false,
        );
    }
    let mut query = query_pairs(request.query?);
    let mut take = |name: &str| {
        let at = query.iter().position(|(k, _)| k == name)?;
        Some(Cow::Owned(std::mem::take(&mut query[at].1)))
    };
    take("X-Amz-Algorithm")?;
    signed(
        take("X-Amz-Credential")?,
        take("X-Amz-SignedHeaders")?,
        take("X-Amz-Signature")?,
        take("X-Amz-Date"),
        true,
    )
}

/// The parts of an `Authorization` header after its algorithm (`Credential=…`,
/// `SignedHeaders=…`, …): what `split([',', ' '])` gives after the first, without the empty
/// ones. Every request carries the header, and splitting it a byte at a time costs a tenth of
/// splitting it by a set of chars.
pub fn auth_params(auth: &str) -> impl Iterator<Item = &str> {
    let bytes = auth.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        let end =
            bytes[start..].iter().position(|b| matches!(b, b',' | b' ')).map_or(bytes.len(), |i| start + i);
        // Both ends are at an ASCII byte or the end, so on char boundaries.
        let part = auth.get(start..end).unwrap_or("");
        start = end + 1;
        Some(part)
    })
    .skip(1)
    .filter(|part| !part.is_empty())
}

/// `text.trim()`, at once for the usual part that starts and ends with a visible ASCII byte.
pub fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `text.split_once('=')`, a byte at a time.
pub fn split_eq(text: &str) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == b'=')?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text.split('/').nth(n)`, a byte at a time: part `n` of a credential.
fn nth_part(text: &str, n: usize) -> Option<&str> {
    let mut start = 0;
    let mut part = 0;
    for (at, byte) in text.bytes().enumerate() {
        if byte == b'/' {
            if part == n {
                return text.get(start..at);
            }
            part += 1;
            start = at + 1;
        }
    }
    (part == n).then(|| text.get(start..)).flatten()
}

/// A signature from its `Credential` (`KEY/DATE/REGION/SERVICE/aws4_request`), signed
/// headers, signature and date; `None` when the credential has fewer than four parts.
fn signed<'a>(
    credential: Cow<'a, str>,
    signed_headers: Cow<'a, str>,
    signature: Cow<'a, str>,
    amz_date: Option<Cow<'a, str>>,
    presigned: bool,
) -> Option<Signed<'a>> {
    nth_part(&credential, 3)?;
    Some(Signed { credential, signed_headers, signature, amz_date, presigned })
}

/// The signature the request should carry, with `secret`.
fn signature(request: &Request<'_>, signed: &Signed<'_>, secret: &str) -> Option<String> {
    let amz_date = signed.amz_date.as_deref()?;
    let canonical = canonical_request(request, signed);
    let (scope_date, region, service) = (signed.scope(1), signed.scope(2), signed.scope(3));
    let scope = format!("{scope_date}/{region}/{service}/aws4_request");
    let to_sign =
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), scope_date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    Some(hex(&hmac(&key, to_sign.as_bytes())))
}

fn canonical_request(request: &Request<'_>, signed: &Signed<'_>) -> String {
    let signed_headers: Vec<String> = signed.signed_headers.split(';').map(str::to_ascii_lowercase).collect();
    let path: Vec<String> = request.path.split('/').map(encode).collect();
    let path = if request.path.is_empty() { "/".to_owned() } else { path.join("/") };
    let mut query: Vec<(String, String)> = query_pairs(request.query.unwrap_or(""))
        .into_iter()
        .filter(|(k, _)| !(signed.presigned && k == "X-Amz-Signature"))
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    query.sort();
    let query: Vec<String> = query.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut headers = String::new();
    for name in &signed_headers {
        let values: Vec<String> = request
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        headers += &format!("{name}:{}\n", values.join(","));
    }
    let payload = header(request.headers, "x-amz-content-sha256")
        .map_or_else(|| hex(&Sha256::digest(request.body)), str::to_owned);
    format!(
        "{}\n{path}\n{}\n{headers}\n{}\n{payload}",
        request.method,
        query.join("&"),
        signed_headers.join(";")
    )
}

/// A query string's pairs, percent-decoded.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hexpair = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hexpair.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SigV4's URI encoding: unreserved characters kept, every other byte `%XX`. A path
/// segment is the request's own text, already encoded once, and is encoded again, as SigV4
/// does for every service but S3; query names and values are decoded first.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDDTHHMMSSZ` → seconds since the epoch.
fn parse_amz_date(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u64>().ok();
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 || y < 1970 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss)
}

/// Seconds since the epoch → `YYYYMMDDTHHMMSSZ`.
pub fn amz_date(secs: u64) -> String {
    let (y, m, d) = civil_from_days(secs / 86_400);
    let s = secs % 86_400;
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", s / 3_600, s % 3_600 / 60, s % 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (years ≥ 1970): whole 400-year eras,
/// then years from March so the leap day falls last.
fn days_from_civil(y: u64, m: u64, d: u64) -> u64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).saturating_sub(719_468)
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn dates_round_trip_in_sigv4s_basic_format() {
        for (text, secs) in [
            ("19700101T000000Z", 0),
            ("20260101T000000Z", 1_767_225_600),
            ("20240229T235959Z", 1_709_251_199),
            ("20261203T121500Z", 1_796_300_100),
        ] {
            assert_eq!(parse_amz_date(text), Some(secs), "{text}");
            assert_eq!(amz_date(secs), text);
        }
        for bad in ["", "20260101", "20261301T000000Z", "20260101T250000Z", "2026010xT000000Z"] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn skew_beyond_15_minutes_is_refused_with_dynamodbs_words() {
        let now = 1_767_225_600 + 3_600; // 2026-01-01T01:00:00Z
        assert!(check_skew(now - 900, now).is_ok());
        assert!(check_skew(now + 900, now).is_ok());
        assert_eq!(
            check_skew(now - 901, now).unwrap_err().1,
            "Signature expired: 20260101T004459Z is now earlier than 20260101T004500Z (20260101T010000Z - 15 min.)"
        );
        assert_eq!(
            check_skew(now + 901, now).unwrap_err().1,
            "Signature not yet current: 20260101T011501Z is still later than 20260101T011500Z (20260101T010000Z + 15 min.)"
        );
    }

    /// The example of the AWS General Reference's "Signature Version 4 signing process" for
    /// a GET of IAM's ListUsers: the published signature is reproduced.
    #[test]
    fn the_published_example_signature_is_reproduced() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("iam.amazonaws.com"));
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"),
        );
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        let request = Request {
            method: "GET",
            path: "/",
            query: Some("Action=ListUsers&Version=2010-05-08"),
            headers: &headers,
            body: b"",
            auth: None,
        };
        let signed = signed(
            "AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request".into(),
            "content-type;host;x-amz-date".into(),
            "".into(),
            Some("20150830T123600Z".into()),
            false,
        )
        .unwrap();
        assert_eq!(
            signature(&request, &signed, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").as_deref(),
            Some("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
        );
    }

    #[test]
    fn auth_params_split_as_str_split_does() {
        for auth in [
            "",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host;x-amz-date, Signature=0",
            "AWS4- ,, Credential=x,Signature=y ,",
            " lead,  é=ü, Credential=ß/1/2/3 ",
        ] {
            let expected: Vec<&str> = auth.split([',', ' ']).skip(1).filter(|s| !s.is_empty()).collect();
            assert_eq!(auth_params(auth).collect::<Vec<_>>(), expected, "{auth}");
        }
    }

    #[test]
    fn byte_helpers_match_str_methods() {
        for text in [
            "",
            "/",
            "a",
            "a/b",
            "a/b/c/d/e",
            "/x//y/",
            "é/ü=ß/=",
            " \tCredential=a=b ",
            "\u{a0}x\u{a0}",
            "x=\u{3000}",
        ] {
            for n in 0..6 {
                assert_eq!(nth_part(text, n), text.split('/').nth(n), "{text:?} {n}");
            }
            assert_eq!(split_eq(text), text.split_once('='), "{text:?}");
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn credentials_files_are_read_strictly() {
        let c = Credentials::parse("# keys\nAKID1 secret1\nAKID2=secret2\n\nAKID3:se cret3\n").unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.secrets["AKID3"], "se cret3");
        assert!(Credentials::parse("AKIDONLY\n").unwrap_err().contains("line 1"));
        assert!(Credentials::parse("# nothing\n").is_err());
    }
}
