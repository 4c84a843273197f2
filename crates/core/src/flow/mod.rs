//! The connection test and the publish as step machines.
//!
//! A flow never sends anything. The caller asks it to `start`, sends the [`Step::Send`]
//! request it gets, and hands the response to `resume`, until a [`Step::Done`] carries the
//! outcome or an [`Error`](crate::error::Error) ends the flow. The same flow drives the plugin
//! (through wasm and `requestUrl`) and the command line (through a blocking HTTP client).

mod check;
mod folder;
mod publish;
mod retry;

pub use check::{ConnectionCheck, ConnectionReport};
pub use folder::{FolderInput, FolderJob, FolderOutcome, FolderProgress, Layout, LinkedNote};
pub use publish::{
    FileInfo, PublishAction, PublishInput, PublishJob, PublishOutcome, PublishProgress,
};
pub use retry::{RetryPolicy, Retrying};

use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};

/// A flow that a front end can drive without knowing which one it is.
pub trait Flow {
    type Outcome;

    /// The first step. Calling it twice is an [`Error::Protocol`].
    fn start(&mut self) -> Result<Step<Self::Outcome>, Error>;

    /// The step after `response`, the answer to the last request.
    fn resume(&mut self, response: &HttpResponse) -> Result<Step<Self::Outcome>, Error>;
}

/// What a flow wants next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step<Outcome> {
    /// Send this request and resume with its response.
    Send(HttpRequest),
    /// The flow is over.
    Done(Outcome),
}
