//! The core, as the TypeScript shim sees it.
//!
//! Exports `convertNote`, and the flows `ConnectionTest` and `PublishJob` as classes with
//! `start()` and `resume(response)`, each returning a step: `{type: "request", request}` or
//! `{type: "done", outcome}`. Values cross the boundary as plain objects with camelCase names
//! (see `ts-shim/src/core/types.ts`). Every failure is thrown as a plain object
//! `{kind, message}`, never a bare string.
//!
//! Nothing here decides anything: it converts values and forwards to `publish-core`.

use publish_core::convert::{to_storage, ConvertOptions};
use publish_core::error::Error;
use publish_core::flow::{self, Flow, RetryPolicy, Retrying, Step};
use publish_core::http::{HttpRequest, HttpResponse};
use publish_core::note;
use publish_core::settings::Settings;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What TypeScript receives when anything fails.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorPayload<'a> {
    kind: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_url: Option<&'a str>,
    /// The note's page, when the publish failed after making it: link the note to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    page_id: Option<&'a str>,
}

/// One step of a flow, as TypeScript sees it.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum StepPayload<'a, Outcome> {
    Request { request: &'a HttpRequest },
    Done { outcome: &'a Outcome },
}

/// Markdown, frontmatter included, to storage format.
#[wasm_bindgen(js_name = convertNote)]
pub fn convert_note(markdown: &str) -> Result<String, JsValue> {
    let note = note::parse("note.md", markdown).map_err(|error| throwable(&error.into()))?;
    Ok(to_storage(note.body, &ConvertOptions::default()).storage)
}

/// A class over a core flow, with the `start` and `resume` every flow has. Each class adds its
/// constructor (and anything else) in an `impl` block of its own.
macro_rules! flow_class {
    ($(#[$doc:meta])* $class:ident wraps $flow:ty) => {
        $(#[$doc])*
        #[wasm_bindgen]
        pub struct $class {
            flow: Retrying<$flow>,
        }

        #[wasm_bindgen]
        impl $class {
            pub fn start(&mut self) -> Result<JsValue, JsValue> {
                step_to_js(self.flow.start())
            }

            pub fn resume(&mut self, response: JsValue) -> Result<JsValue, JsValue> {
                resume_flow(&mut self.flow, response)
            }
        }
    };
}

flow_class!(
    /// "Test connection".
    ConnectionTest wraps flow::ConnectionCheck
);
flow_class!(
    /// "Publish current note".
    PublishJob wraps flow::PublishJob
);
flow_class!(
    /// "Publish folder".
    FolderJob wraps flow::FolderJob
);

#[wasm_bindgen]
impl ConnectionTest {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<ConnectionTest, JsValue> {
        let settings = settings_from(settings)?;
        let flow = flow::ConnectionCheck::new(&settings).map_err(|error| throwable(&error))?;
        Ok(Self {
            flow: retrying(flow),
        })
    }
}

#[wasm_bindgen]
impl PublishJob {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, note: JsValue) -> Result<PublishJob, JsValue> {
        let settings = settings_from(settings)?;
        let input: flow::PublishInput =
            serde_wasm_bindgen::from_value(note).map_err(|error| input_error("note", &error))?;
        let flow = flow::PublishJob::new(&settings, input).map_err(|error| throwable(&error))?;
        Ok(Self {
            flow: retrying(flow),
        })
    }

    /// `{step}`: what the publish is doing now, e.g. "Uploading 2 of 5 files".
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.flow.inner().progress())
    }
}

#[wasm_bindgen]
impl FolderJob {
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue, input: JsValue) -> Result<FolderJob, JsValue> {
        let settings = settings_from(settings)?;
        let input: flow::FolderInput =
            serde_wasm_bindgen::from_value(input).map_err(|error| input_error("folder", &error))?;
        let flow = flow::FolderJob::new(&settings, input).map_err(|error| throwable(&error))?;
        Ok(Self {
            flow: retrying(flow),
        })
    }

    /// `{notesDone, notesTotal, current}`.
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.flow.inner().progress())
    }

    /// `[{path, pageId}]`: notes whose page exists since the last call, to link at once.
    #[wasm_bindgen(js_name = takeLinked)]
    pub fn take_linked(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.flow.inner_mut().take_linked())
    }
}

/// Busy answers are retried with jitter; the seed comes from JavaScript's generator, since the
/// core reads no randomness itself.
fn retrying<F: Flow>(flow: F) -> Retrying<F> {
    let seed = (js_sys::Math::random() * u64::MAX as f64) as u64;
    Retrying::new(flow, RetryPolicy::default(), seed)
}

fn settings_from(value: JsValue) -> Result<Settings, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|error| input_error("settings", &error))
}

/// Hand a response from TypeScript to any flow.
fn resume_flow<F: Flow>(flow: &mut F, response: JsValue) -> Result<JsValue, JsValue>
where
    F::Outcome: Serialize,
{
    let response: HttpResponse = serde_wasm_bindgen::from_value(response)
        .map_err(|error| input_error("response", &error))?;
    step_to_js(flow.resume(&response))
}

fn step_to_js<Outcome: Serialize>(step: Result<Step<Outcome>, Error>) -> Result<JsValue, JsValue> {
    let step = step.map_err(|error| throwable(&error))?;
    let payload = match &step {
        Step::Send(request) => StepPayload::Request { request },
        Step::Done(outcome) => StepPayload::Done { outcome },
    };
    to_js(&payload)
}

/// Plain objects (not `Map`s) so TypeScript reads fields directly.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|error| internal(error.to_string()))
}

fn throwable(error: &Error) -> JsValue {
    payload_to_js(&ErrorPayload {
        kind: error.kind(),
        message: error.to_string(),
        page_url: error.page_url(),
        page_id: error.written_page_id(),
    })
}

/// A value from TypeScript that does not have the expected shape: a bug in the shim. The
/// serde message names the field; it never holds a field's value.
fn input_error(what: &str, error: &serde_wasm_bindgen::Error) -> JsValue {
    internal(format!(
        "internal error: the {what} passed to the core is malformed: {error}"
    ))
}

fn internal(message: String) -> JsValue {
    payload_to_js(&ErrorPayload {
        kind: "internal",
        message,
        page_url: None,
        page_id: None,
    })
}

fn payload_to_js(payload: &ErrorPayload<'_>) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    payload
        .serialize(&serializer)
        .unwrap_or_else(|_| JsValue::from_str(&payload.message))
}
