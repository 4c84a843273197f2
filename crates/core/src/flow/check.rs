//! "Test connection": who the credentials belong to, and whether the space can be read.
//!
//! ```text
//!  start ── GET user/current ──▶ AwaitingUser ── known user ──▶ GET space ──▶ AwaitingSpace
//!                                     │                                          │
//!                      401, or 200 as anonymous                    200 ──▶ Done (report)
//!                                     ▼                                          │ 404 / empty
//!                               Error (auth)                          Error (space not found)
//! ```
//!
//! A 200 from `user/current` is not enough: with anonymous access on, a wrong token is answered
//! as the anonymous user, so the check requires a known user.

use serde::Serialize;

use crate::api::Api;
use crate::error::{ApiError, Error};
use crate::flow::{Flow, Step};
use crate::http::HttpResponse;
use crate::response::{check, read_space, read_user, Purpose, User};
use crate::settings::{Connection, Settings};

/// What a successful test found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub auth_method: String,
    pub deployment: String,
    pub user_display_name: String,
    pub user_name: String,
    pub space_key: String,
    pub space_name: String,
    pub summary: String,
}

/// The connection test, one request at a time.
#[derive(Debug)]
pub struct ConnectionCheck {
    connection: Connection,
    state: State,
}

#[derive(Debug)]
enum State {
    Ready,
    AwaitingUser,
    AwaitingSpace { user: User },
    Finished,
}

impl Flow for ConnectionCheck {
    type Outcome = ConnectionReport;

    /// The first request: who am I.
    fn start(&mut self) -> Result<Step<Self::Outcome>, Error> {
        if !matches!(self.state, State::Ready) {
            return Err(Error::Protocol("the connection test was started twice"));
        }
        self.state = State::AwaitingUser;
        Ok(Step::Send(Api::new(&self.connection).current_user()))
    }

    /// Take the response to the last request.
    fn resume(&mut self, response: &HttpResponse) -> Result<Step<Self::Outcome>, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingUser => self.on_user(response),
            State::AwaitingSpace { user } => self.on_space(response, user),
            State::Ready | State::Finished => Err(Error::Protocol(
                "the connection test was resumed when it was not waiting",
            )),
        }
    }
}

impl ConnectionCheck {
    /// Validate the settings; nothing is sent when they cannot work.
    pub fn new(settings: &Settings) -> Result<Self, Error> {
        Ok(Self {
            connection: settings.validate()?,
            state: State::Ready,
        })
    }

    fn on_user(&mut self, response: &HttpResponse) -> Result<Step<ConnectionReport>, Error> {
        let purpose = Purpose {
            action: "use the REST API",
            subject: "The current user",
        };
        let json = self.checked(response, &purpose)?;
        let user = read_user(&json);
        if !user.known {
            let method = self.connection.credentials.method_name();
            return Err(ApiError::AnsweredAsAnonymous { method }.into());
        }
        self.state = State::AwaitingSpace { user };
        Ok(Step::Send(
            Api::new(&self.connection).space(&self.connection.space_key),
        ))
    }

    fn on_space(
        &mut self,
        response: &HttpResponse,
        user: User,
    ) -> Result<Step<ConnectionReport>, Error> {
        let key = self.connection.space_key.clone();
        let space_missing = || ApiError::SpaceNotFound { key: key.clone() };
        if response.status == 404 {
            return Err(space_missing().into());
        }
        let action = format!("read space {key}");
        let json = self.checked(
            response,
            &Purpose {
                action: &action,
                subject: &action,
            },
        )?;
        let deployment = self.connection.site.deployment();
        let space = read_space(&json, deployment).ok_or_else(space_missing)?;
        let auth_method = self.connection.credentials.method_name().to_owned();
        let summary = format!(
            "Connected as {} to space {} ({}), authenticated by {}.",
            user.display_name, space.name, space.key, auth_method
        );
        Ok(Step::Done(ConnectionReport {
            auth_method,
            deployment: deployment.name().to_owned(),
            user_display_name: user.display_name,
            user_name: user.name,
            space_key: space.key,
            space_name: space.name,
            summary,
        }))
    }

    fn checked(
        &self,
        response: &HttpResponse,
        purpose: &Purpose<'_>,
    ) -> Result<serde_json::Value, Error> {
        let connection = &self.connection;
        Ok(check(
            response,
            &connection.credentials,
            &connection.site,
            purpose,
        )?)
    }
}
