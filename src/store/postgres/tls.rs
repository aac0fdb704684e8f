//! Encryption: libpq's `sslmode` and `sslrootcert`, on the operating system's own TLS library and
//! trust store (SChannel on Windows, Security.framework on macOS, OpenSSL and the system's CA
//! bundle on Linux), where an organisation's own certificate authority is already installed.
//!
//! | sslmode | encrypted | certificate chain checked | host name checked |
//! |---|---|---|---|
//! | `disable` | no | | |
//! | `require` | yes | only when `sslrootcert` names a file or `system` (as libpq) | no |
//! | `verify-ca` | yes | yes | no |
//! | `verify-full` | yes | yes | yes |
//!
//! `prefer` and `allow` are refused: each falls back to plain text without saying so.
//! The client never falls back: a server that does not offer TLS is an error in every mode but
//! `disable`.

use super::SpecError;
use native_tls::{Certificate, Protocol, TlsConnector};
use postgres_native_tls::MakeTlsConnector;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// Parses a libpq sslmode; `from` says where it was given (`from the URL`,
    /// `from PGSSLMODE`) for the error.
    pub(super) fn parse(value: &str, from: &str) -> Result<SslMode, SpecError> {
        match value {
            "disable" => Ok(SslMode::Disable),
            "require" => Ok(SslMode::Require),
            "verify-ca" => Ok(SslMode::VerifyCa),
            "verify-full" => Ok(SslMode::VerifyFull),
            "allow" | "prefer" => Err(SpecError::new(format!(
                "sslmode={value} ({from}) can fall back to an unencrypted connection without \
                 saying so, which releaseday never does; use sslmode=verify-full (or require, or \
                 verify-ca), or sslmode=disable on this machine or a network you trust"
            ))),
            other => Err(SpecError::new(format!(
                "sslmode={other} ({from}) is not a sslmode; use disable, require, verify-ca or \
                 verify-full"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which certificate authorities are trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// The operating system's store only (`sslrootcert=system`).
    System,
    /// The operating system's store and the authorities in this PEM file (`sslrootcert=FILE`,
    /// or `~/.postgresql/root.crt` when it exists and none was named).
    File(PathBuf),
}

/// The TLS settings of one connection attempt: `None` for `disable`.
pub(super) fn connector(
    mode: SslMode,
    root: Option<&RootCert>,
) -> Result<Option<MakeTlsConnector>, SpecError> {
    let (check_chain, check_name) = match (mode, root) {
        (SslMode::Disable, _) => return Ok(None),
        (SslMode::Require, None) => (false, false),
        (SslMode::Require, Some(_)) | (SslMode::VerifyCa, _) => (true, false),
        (SslMode::VerifyFull, _) => (true, true),
    };
    let mut builder = TlsConnector::builder();
    // PostgreSQL 12 and later refuse anything older by default.
    builder.min_protocol_version(Some(Protocol::Tlsv12));
    builder.danger_accept_invalid_certs(!check_chain);
    builder.danger_accept_invalid_hostnames(!check_name);
    if let Some(RootCert::File(path)) = root {
        for cert in read_certificates(path)? {
            builder.add_root_certificate(cert);
        }
    }
    let tls = builder.build().map_err(|e| {
        SpecError::new(format!("could not set up encryption (sslmode={mode}): {e}"))
    })?;
    Ok(Some(MakeTlsConnector::new(tls)))
}

/// Every certificate in a PEM file (a bundle may hold several).
fn read_certificates(path: &Path) -> Result<Vec<Certificate>, SpecError> {
    let named = |what: String| {
        SpecError::new(format!(
            "the certificate authority file {} (sslrootcert) {what}",
            path.display()
        ))
    };
    let pem = std::fs::read(path).map_err(|e| named(format!("could not be read: {e}")))?;
    let certs = Certificate::stack_from_pem(&pem)
        .map_err(|e| named(format!("is not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(named(
            "holds no certificate (it should hold -----BEGIN CERTIFICATE----- blocks)".into(),
        ));
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_modes_parse_and_the_fall_back_ones_are_refused() {
        for m in ["disable", "require", "verify-ca", "verify-full"] {
            assert_eq!(SslMode::parse(m, "from the URL").unwrap().as_str(), m);
        }
        let e = SslMode::parse("prefer", "from PGSSLMODE")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sslmode=prefer (from PGSSLMODE)"), "{e}");
        assert!(e.contains("unencrypted"), "{e}");
        assert!(SslMode::parse("allow", "from the URL").is_err());
        let e = SslMode::parse("verify_full", "from the URL")
            .unwrap_err()
            .to_string();
        assert!(e.contains("verify-full"), "{e}");
    }

    #[test]
    fn disable_needs_no_tls_and_a_missing_ca_file_is_named() {
        assert!(connector(SslMode::Disable, None).unwrap().is_none());
        assert!(connector(SslMode::VerifyFull, None).unwrap().is_some());
        let missing = RootCert::File(PathBuf::from("/nonexistent/ca.pem"));
        let e = connector(SslMode::VerifyFull, Some(&missing))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("/nonexistent/ca.pem (sslrootcert) could not be read"),
            "{e}"
        );
        // `disable` never opens the file.
        assert!(connector(SslMode::Disable, Some(&missing))
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_file_without_certificates_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let e = connector(SslMode::VerifyCa, Some(&RootCert::File(path)))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("holds no certificate") || e.contains("not a PEM"),
            "{e}"
        );
    }
}
