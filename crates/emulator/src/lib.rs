//! A local stand-in for Confluence, strict enough that what passes here works on a real site.
//!
//! The emulator serves the handful of REST endpoints this project needs to publish a note, in
//! either flavour of Confluence:
//!
//! - **Data Center** (`Flavor::DataCenter`): v1 `rest/api/...` under an optional context path such
//!   as `/confluence`; Bearer personal access tokens or Basic `user:password`.
//! - **Cloud** (`Flavor::Cloud`): everything under `/wiki` (without it: an HTML 404, as Cloud);
//!   Basic `email:api-token`; v1 for `rest/api/user/current`, `settings/systemInfo`, attachment
//!   upload and labels (the other deprecated v1 endpoints, content properties included, answer
//!   410 Gone), v2 `api/v2/spaces`, `api/v2/pages` and a page's attachments, labels and
//!   properties for the rest.
//!
//! It is a test oracle, so it shares no code with the project's core crate, and it is strict:
//! every REST request is checked against Atlassian's own OpenAPI document for that API (path,
//! method, query parameters, JSON request body); every storage-format body is parsed as XHTML the
//! way Confluence does. A request that breaks either rule gets the answer Confluence would give
//! (400), and a spec mismatch is also recorded as a violation in the request log, so a test that
//! sent it can fail on it.
//!
//! # In scope
//!
//! - Who am I (`user/current`), a space by key, find pages by title, get, create and update a
//!   page, with Confluence's permission answers (404 when the user may not view, 403 when the
//!   user may view but not edit), title rules, version rules and error body shapes.
//! - Attachments (multipart upload with the XSRF header, new versions, lists, downloads, a size
//!   limit), labels and content properties, v1 and v2.
//! - The authentication traps of `docs/CONFLUENCE.md` section 2, including a bad token answering
//!   200 as the anonymous user when anonymous access is on (CONFSERVER-98199), Bearer tokens
//!   unknown before Data Center 7.9, and Basic authentication switched off by an admin.
//! - Telling flavours and releases apart: `rest/applinks/1.0/manifest`,
//!   `rest/api/server-information` (Data Center), `rest/api/settings/systemInfo` (Cloud).
//! - Faults a test switches on at run time ([`Fault`], `POST /__emulator/faults`): rate limits,
//!   503s, a create whose connection drops, a concurrent edit, a CAPTCHA, an SSO login page, and
//!   seeded random failures.
//! - A plain HTML view of every page at the link Confluence returns (`_links.base +
//!   _links.webui`), so a person can look at what was published.
//! - Inspection endpoints for tests at the server root: `GET /__emulator/requests` (the log),
//!   `GET /__emulator/pages` (stored pages with attachments, labels, properties),
//!   `GET /__emulator/stats` (counters), `GET|POST|DELETE /__emulator/faults` and
//!   `POST /__emulator/reset` (back to the seed).
//!
//! # Out of scope
//!
//! Blog posts, drafts, trash, page history, attachment deletion and properties, labels on
//! anything but pages, CAPTCHA triggered by real failed logins (it is a fault here), and rendering
//! of the storage format. The REST operations the OpenAPI documents declare but the emulator
//! does not serve answer 501 Not Implemented.
//!
//! # Seed
//!
//! The users and spaces come from a small JSON seed (see `seed.example.json` next to this crate's
//! manifest); without one, [`Seed::default`] is used:
//!
//! ```json
//! {
//!   "users": [
//!     {"username": "ada", "displayName": "Ada Lovelace", "email": "ada@example.com",
//!      "password": "ada-password", "personalAccessTokens": ["pat-ada-0001"],
//!      "apiTokens": ["api-ada-0001"]}
//!   ],
//!   "spaces": [
//!     {"key": "DOCS", "name": "Documentation", "viewers": ["ada"], "editors": ["ada"],
//!      "anonymousView": true}
//!   ],
//!   "anonymousAccess": false,
//!   "maxAttachmentBytes": 104857600
//! }
//! ```
//!
//! Editors may also view. `anonymousView` (default `false`) lets the anonymous user view a space,
//! but only while anonymous access is on (`anonymousAccess` in the seed, or
//! [`EmulatorConfig::anonymous_access`]). Each space gets a home page titled after the space
//! name plus `" Home"`. `maxAttachmentBytes` (optional, default 100 MiB) is the largest upload
//! accepted; [`EmulatorConfig::max_attachment_bytes`] overrides it.
//!
//! # Example
//!
//! ```no_run
//! use confluence_emulator::{Emulator, EmulatorConfig, Flavor};
//!
//! let emulator = Emulator::start(EmulatorConfig::new(Flavor::DataCenter)).unwrap();
//! println!("Confluence at {}", emulator.base_url());
//! // ... send requests ...
//! assert!(emulator.violations().is_empty());
//! emulator.stop();
//! ```

mod auth;
mod config;
mod error;
mod escape;
mod faults;
mod http;
mod ids;
mod log;
mod multipart;
mod openapi;
mod request;
mod routes;
mod seed;
mod server;
mod sha256;
mod stats;
mod store;
mod time;
mod version;
mod xhtml;

pub use config::{find_specs_dir, EmulatorConfig, Flavor, DEFAULT_MAX_ATTACHMENT_BYTES};
pub use error::{SeedError, StartError};
pub use faults::{Fault, FaultError};
pub use log::{LoggedPart, LoggedRequest};
pub use seed::{Seed, SeedSpace, SeedUser};
pub use server::{Emulator, RunningEmulator};
pub use stats::Stats;
pub use store::{AttachmentSnapshot, PageSnapshot};
pub use version::BadVersion;
pub use xhtml::{check_storage_format, XhtmlError};
