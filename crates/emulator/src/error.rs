//! Why an emulator could not start. Request-level failures are answers, not errors: they live
//! with the routes that give them.

use std::net::SocketAddr;
use std::path::PathBuf;

use thiserror::Error;

use crate::version::BadVersion;

/// A seed file that cannot be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {path}: {source}; check the path passed to --seed")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not JSON of the documented shape.
    #[error("seed file {path} does not have the documented shape: {source}")]
    NotJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// Two users, spaces or tokens share a name.
    #[error("seed has the {what} {value} twice; each must be unique")]
    Duplicate { what: &'static str, value: String },
    /// A space key that Confluence would not accept.
    #[error("space key {0:?} must be ASCII letters and digits only")]
    BadSpaceKey(String),
    /// A space grants a permission to someone not in `users`.
    #[error("space {space} lists unknown user {user}")]
    UnknownUser { space: String, user: String },
}

/// Why [`crate::Emulator::start`] failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StartError {
    /// No folder of OpenAPI documents was given and none was found.
    #[error(
        "cannot find Atlassian's OpenAPI documents (tried {tried:?}); pass --specs DIR or set \
         CONFLUENCE_SPECS"
    )]
    SpecsNotFound { tried: Vec<PathBuf> },
    /// An OpenAPI document could not be read.
    #[error("cannot read OpenAPI document {path}: {source}")]
    SpecUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An OpenAPI document is not JSON or has no `paths`.
    #[error("OpenAPI document {path} is not usable: {reason}")]
    SpecInvalid { path: PathBuf, reason: String },
    /// The seed is inconsistent.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// The release number is not `MAJOR.MINOR.PATCH`.
    #[error(transparent)]
    Version(#[from] BadVersion),
    /// Cloud lives under `/wiki`; a context path makes no sense there.
    #[error("a context path is for Data Center only; Cloud always lives under /wiki")]
    ContextPathOnCloud,
    /// The address could not be bound.
    #[error("cannot listen on {address}: {reason}; pick another --port or --host")]
    Bind { address: String, reason: String },
    /// The server bound something that is not an IP socket.
    #[error("the server is not listening on an IP address ({0:?})")]
    NotIp(Option<SocketAddr>),
}
