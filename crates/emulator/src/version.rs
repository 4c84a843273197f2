//! The Confluence release being emulated, and what depends on it.
//!
//! - Personal access tokens (`Authorization: Bearer`) exist from Data Center 7.9; on older
//!   servers a Bearer header is ignored, so the request runs with no credentials.
//! - `rest/api/server-information` is served from 9.0 here (Atlassian documents it for 9.1 and
//!   later; whether 8.x has it is unverified, so the emulator takes the stricter view).
//! - `rest/applinks/1.0/manifest` reports the version on every release.
//!
//! Cloud has no release number a client can rely on; it reports `1000.0.0` in the manifest.

use std::fmt;

use thiserror::Error;

/// Data Center release when none is configured.
pub const DEFAULT_DATA_CENTER: &str = "9.2.0";
/// What Cloud reports.
pub const CLOUD: &str = "1000.0.0";

/// A release number such as `8.1.0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServerVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// A version string that is not `MAJOR.MINOR[.PATCH]`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("version {0:?} is not MAJOR.MINOR.PATCH, such as 9.2.0")]
pub struct BadVersion(pub String);

impl ServerVersion {
    /// Parses `8.1.0` or `8.1`.
    pub fn parse(text: &str) -> Result<Self, BadVersion> {
        let bad = || BadVersion(text.to_owned());
        let numbers: Vec<u32> = text
            .trim()
            .split('.')
            .map(|n| n.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match numbers.as_slice() {
            [major, minor] => Ok(Self::new(*major, *minor, 0)),
            [major, minor, patch] => Ok(Self::new(*major, *minor, *patch)),
            _ => Err(bad()),
        }
    }

    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Whether `Authorization: Bearer <PAT>` is understood (Data Center 7.9 and later).
    pub fn has_personal_access_tokens(self) -> bool {
        self >= Self::new(7, 9, 0)
    }

    /// Whether `rest/api/server-information` exists (see the module doc).
    pub fn has_server_information(self) -> bool {
        self >= Self::new(9, 0, 0)
    }

    /// A made-up but stable build number, growing with the version.
    pub fn build_number(self) -> u32 {
        self.major * 1000 + self.minor * 100 + self.patch.min(99)
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_compares() {
        let old = ServerVersion::parse("7.4.0").unwrap();
        assert!(!old.has_personal_access_tokens());
        assert!(ServerVersion::parse("7.9")
            .unwrap()
            .has_personal_access_tokens());
        assert!(!ServerVersion::parse("8.1.0")
            .unwrap()
            .has_server_information());
        assert_eq!(
            ServerVersion::parse("10.0.3").unwrap().to_string(),
            "10.0.3"
        );
        assert_eq!(ServerVersion::parse("nine"), Err(BadVersion("nine".into())));
        assert!(ServerVersion::parse("1.2.3.4").is_err());
    }
}
