//! How to start an emulator: flavour, address, seed, and where Atlassian's OpenAPI documents are.
//!
//! The specs are required (strictness is the point); [`find_specs_dir`] looks in the usual places
//! when no folder is given. The release (`server_version`) decides version-dependent behaviour
//! (see `version.rs`): Data Center defaults to 9.2.0.

use std::path::PathBuf;

use crate::seed::Seed;

/// Which kind of Confluence to emulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Server / Data Center: v1 REST under an optional context path, PATs or Basic passwords.
    DataCenter,
    /// Cloud: everything under `/wiki`, Basic `email:api-token`, v2 for pages and spaces.
    Cloud,
}

/// The largest attachment accepted when neither the configuration nor the seed sets one: 100 MiB,
/// Confluence's default.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// Environment variable naming the folder of OpenAPI documents.
pub const SPECS_ENV_VAR: &str = "CONFLUENCE_SPECS";

/// Where [`find_specs_dir`] looks, relative to the current directory, after the variable.
const SPECS_CANDIDATES: [&str; 3] = [
    "../shared/specs",
    "../../shared/specs",
    "../../../shared/specs",
];

/// Everything [`crate::Emulator::start`] needs.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Data Center or Cloud.
    pub flavor: Flavor,
    /// Data Center context path such as `/confluence`; `None` (the default) serves at the root.
    /// Must be `None` for Cloud, which always lives under `/wiki`.
    pub context_path: Option<String>,
    /// Port to listen on; 0 (the default) picks a free one.
    pub port: u16,
    /// Address to listen on; default `127.0.0.1`.
    pub host: String,
    /// Users, spaces and permissions; default [`Seed::default`].
    pub seed: Seed,
    /// Turns anonymous access on even if the seed leaves it off; default `false`.
    pub anonymous_access: bool,
    /// Folder of Atlassian's OpenAPI documents; `None` (the default) asks [`find_specs_dir`].
    pub specs_dir: Option<PathBuf>,
    /// Release to emulate, such as `8.1.0`; `None` (the default) means 9.2.0 on Data Center.
    /// Below 7.9, Bearer tokens are not understood. Ignored on Cloud.
    pub server_version: Option<String>,
    /// Data Center with Basic authentication switched off by an admin: `user:password` gets 401.
    /// Default `false`.
    pub basic_auth_disabled: bool,
    /// Largest attachment accepted, in bytes (413 above); `None` (the default) takes the seed's
    /// `maxAttachmentBytes`, else [`DEFAULT_MAX_ATTACHMENT_BYTES`].
    pub max_attachment_bytes: Option<u64>,
}

impl EmulatorConfig {
    /// A configuration with every default: port 0 on 127.0.0.1, no context path, default seed,
    /// Data Center 9.2.0, Basic authentication on, 100 MiB attachments.
    pub fn new(flavor: Flavor) -> Self {
        Self {
            flavor,
            context_path: None,
            port: 0,
            host: "127.0.0.1".to_owned(),
            seed: Seed::default(),
            anonymous_access: false,
            specs_dir: None,
            server_version: None,
            basic_auth_disabled: false,
            max_attachment_bytes: None,
        }
    }
}

/// The first existing folder among `$CONFLUENCE_SPECS`, `../shared/specs`, `../../shared/specs`
/// and `../../../shared/specs` (relative to the current directory), or the list of places tried.
pub fn find_specs_dir() -> Result<PathBuf, Vec<PathBuf>> {
    let from_env = std::env::var_os(SPECS_ENV_VAR).map(PathBuf::from);
    let candidates: Vec<PathBuf> = from_env
        .into_iter()
        .chain(SPECS_CANDIDATES.iter().map(PathBuf::from))
        .collect();
    match candidates.iter().find(|dir| dir.is_dir()) {
        Some(dir) => Ok(dir.clone()),
        None => Err(candidates),
    }
}

/// `/confluence` from `confluence`, `/confluence/` or `/confluence`; `None` for empty or `/`.
pub(crate) fn normalize_context_path(raw: Option<&str>) -> Option<String> {
    let trimmed = raw?.trim().trim_matches('/');
    if trimmed.is_empty() {
        return None;
    }
    Some(format!("/{trimmed}"))
}

/// The path the deployment lives under: the context path on Data Center, `/wiki` on Cloud.
pub(crate) fn site_prefix(flavor: Flavor, context_path: Option<&str>) -> String {
    match flavor {
        Flavor::DataCenter => context_path.unwrap_or("").to_owned(),
        Flavor::Cloud => "/wiki".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_path_is_normalized() {
        assert_eq!(
            normalize_context_path(Some("confluence/")),
            Some("/confluence".into())
        );
        assert_eq!(normalize_context_path(Some("/")), None);
        assert_eq!(normalize_context_path(None), None);
    }
}
