//! The plugin's core, free of IO.
//!
//! In scope: the settings and their validation, the choice of authentication, every Confluence
//! REST request as plain data ([`http::HttpRequest`]), the parsing of responses into typed
//! results, typed errors, the Markdown converter ([`convert`]), and the connection-test and
//! publish flows as step machines ([`flow`]): give a flow a response and it returns the next
//! request or its outcome.
//!
//! Out of scope: sending anything, reading files, clocks, randomness and logging. The
//! TypeScript shim (through `crates/wasm`) and the command-line front end (`crates/cli`) do
//! the IO and drive the flows.

pub mod api;
pub mod auth;
pub mod convert;
pub mod error;
pub mod flow;
pub mod http;
pub mod multipart;
pub mod note;
pub mod response;
pub mod settings;
