//! Which `Host` headers `serve` answers (SPEC §5.1): a web page on another
//! site cannot read the internal site through DNS rebinding, because its
//! requests carry that site's name, not one this server listens under.

use std::net::{IpAddr, SocketAddr};

/// True when `host` (a `Host` header: a name or address, maybe with a port)
/// addresses a server listening on `addr`: `localhost` (and names under
/// `.localhost`), a loopback address when listening on loopback or on every
/// address, the listening address itself, and any address of this machine
/// when listening on every address. Names other than `localhost` never
/// pass: only a name can be rebound.
pub fn allowed(host: &str, addr: SocketAddr) -> bool {
    let name = strip_port(host.trim())
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    let literal = name.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = literal.parse::<IpAddr>() else {
        return false;
    };
    let listening = addr.ip();
    ip == listening || listening.is_unspecified() || (ip.is_loopback() && listening.is_loopback())
}

/// `host` without a trailing `:port` (an IPv6 address keeps its brackets).
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(addr: &str) -> SocketAddr {
        addr.parse().unwrap()
    }

    #[test]
    fn loopback_names_pass_on_loopback() {
        let addr = at("127.0.0.1:1111");
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST",
            "localhost.",
            "[::1]:1111",
            "127.0.0.1",
            "app.localhost:1111",
        ] {
            assert!(allowed(host, addr), "{host}");
        }
    }

    #[test]
    fn other_names_are_refused_whatever_they_resolve_to() {
        let addr = at("127.0.0.1:1111");
        for host in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.5:1111",
            "",
            "localhost.evil.example",
        ] {
            assert!(!allowed(host, addr), "{host}");
        }
    }

    #[test]
    fn another_listening_address_is_accepted() {
        let addr = at("192.168.1.20:1111");
        assert!(allowed("192.168.1.20:1111", addr));
        assert!(allowed("localhost:1111", addr));
        assert!(
            !allowed("127.0.0.1:1111", addr),
            "not listening on loopback"
        );
        assert!(!allowed("files.example:1111", addr));
        let any = at("0.0.0.0:1111");
        assert!(allowed("192.168.1.20:1111", any));
        assert!(allowed("[::1]:1111", any));
        assert!(!allowed("files.example:1111", any));
    }
}
