//! A local stand-in for Confluence, strict enough that what passes here works on a real site.
//!
//! The emulator serves the handful of REST endpoints this project needs to publish a note, in
//! either flavour of Confluence:
//!
//! - **Data Center** (`Flavor::DataCenter`): v1 `rest/api/...` under an optional context path such
//!   as `/confluence`; Bearer personal access tokens or Basic `user:password`.
//! - **Cloud** (`Flavor::Cloud`): everything under `/wiki`; Basic `email:api-token`; v1 only for
//!   `rest/api/user/current` (the deprecated v1 content and space endpoints answer 410 Gone), v2
//!   `api/v2/spaces` and `api/v2/pages` for the rest.
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
//! - The authentication traps of `docs/CONFLUENCE.md` section 2, including a bad token answering
//!   200 as the anonymous user when anonymous access is on (CONFSERVER-98199).
//! - A plain HTML view of every page at the link Confluence returns (`_links.base +
//!   _links.webui`), so a person can look at what was published.
//! - Inspection endpoints for tests at the server root: `GET /__emulator/requests` (the log),
//!   `GET /__emulator/pages` (stored pages) and `POST /__emulator/reset` (back to the seed).
//!
//! # Out of scope
//!
//! Attachments, labels, content properties, blog posts, drafts, trash, page history, CAPTCHA
//! after failed logins, rate limits, and rendering of the storage format. The REST operations the
//! OpenAPI documents declare but the emulator does not serve answer 501 Not Implemented.
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
//!   "anonymousAccess": false
//! }
//! ```
//!
//! Editors may also view. `anonymousView` (default `false`) lets the anonymous user view a space,
//! but only while anonymous access is on (`anonymousAccess` in the seed, or
//! [`EmulatorConfig::anonymous_access`]). Each space gets a home page titled after the space
//! name plus `" Home"`.
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
mod ids;
mod log;
mod openapi;
mod request;
mod routes;
mod seed;
mod server;
mod store;
mod time;
mod xhtml;

pub use config::{find_specs_dir, EmulatorConfig, Flavor};
pub use error::{SeedError, StartError};
pub use log::LoggedRequest;
pub use seed::{Seed, SeedSpace, SeedUser};
pub use server::{Emulator, RunningEmulator};
pub use store::PageSnapshot;
pub use xhtml::{check_storage_format, XhtmlError};
