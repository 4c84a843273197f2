//! "Test connection": is there a Confluence at the address, do the credentials belong to a
//! user, and can that user read the space.
//!
//! ```text
//!  start ─ Server/DC: GET applinks manifest (anonymous) ─▶ AwaitingServer ─┐
//!        └ Cloud ─────────────────────────────────────────────────────────┤
//!                                                                          ▼
//!         GET user/current ─▶ AwaitingUser ── known user ──▶ GET space ──▶ AwaitingSpace ──▶ Done
//! ```
//!
//! Each step that fails ends the test with the cause and the fix: no answer (network, TLS); no
//! Confluence at the address (a missing context path, or `/wiki`); a login page in front; a
//! server older than 7.9 with the personal access token toggle on; a token Confluence refused,
//! or a personal access token sent to Cloud, or username and password refused by a server; a
//! CAPTCHA after failed logins; the anonymous user (with anonymous access on, an unknown token
//! is answered as anonymous, so a 200 is not enough: the user must be known); no such space.
//! A successful test reports every step.

use serde::Serialize;

use crate::api::Api;
use crate::auth::Credentials;
use crate::error::{ApiError, Error};
use crate::flow::{Flow, Step};
use crate::http::HttpResponse;
use crate::response::{check, is_captcha, no_confluence, read_space, read_user, refused};
use crate::response::{predates_pats, server_version, Purpose, User};
use crate::settings::{Connection, Deployment, Settings};

/// What a successful test found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionReport {
    pub auth_method: String,
    pub deployment: String,
    /// The server's version, when it tells (Server and Data Center do).
    pub server_version: Option<String>,
    pub user_display_name: String,
    pub user_name: String,
    pub space_key: String,
    pub space_name: String,
    /// One line per step, in order, e.g. "Server: Confluence Data Center 9.2.0".
    pub steps: Vec<String>,
    pub summary: String,
}

/// The connection test, one request at a time.
#[derive(Debug)]
pub struct ConnectionCheck {
    connection: Connection,
    server_version: Option<String>,
    state: State,
}

#[derive(Debug)]
enum State {
    Ready,
    AwaitingServer,
    AwaitingUser,
    AwaitingSpace { user: User },
    Finished,
}

impl Flow for ConnectionCheck {
    type Outcome = ConnectionReport;

    fn start(&mut self) -> Result<Step<Self::Outcome>, Error> {
        if !matches!(self.state, State::Ready) {
            return Err(Error::Protocol("the connection test was started twice"));
        }
        let api = Api::new(&self.connection);
        let (state, request) = match self.connection.site.deployment() {
            Deployment::DataCenter => (State::AwaitingServer, api.manifest()),
            Deployment::Cloud => (State::AwaitingUser, api.current_user()),
        };
        self.state = state;
        Ok(Step::Send(request))
    }

    fn resume(&mut self, response: &HttpResponse) -> Result<Step<Self::Outcome>, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingServer => self.on_server(response),
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
            server_version: None,
            state: State::Ready,
        })
    }

    /// The manifest says this is a Confluence, and which version.
    fn on_server(&mut self, response: &HttpResponse) -> Result<Step<ConnectionReport>, Error> {
        let site = &self.connection.site;
        if response.status == 0 {
            let purpose = Purpose {
                action: "reach the server",
                subject: "The server",
            };
            return Err(
                check(response, &self.connection.credentials, site, &purpose)
                    .unwrap_err()
                    .into(),
            );
        }
        if is_captcha(response) {
            return Err(ApiError::CaptchaRequired {
                base_url: site.base_url(),
            }
            .into());
        }
        let Some(version) = server_version(response) else {
            return Err(no_confluence(response, site.base_url()).into());
        };
        if version.starts_with("1000.") {
            return Err(ApiError::CloudNotDataCenter {
                url: site.base_url(),
            }
            .into());
        }
        let pat = matches!(
            self.connection.credentials,
            Credentials::PersonalAccessToken(_)
        );
        if pat && predates_pats(&version) {
            return Err(ApiError::PersonalAccessTokenTooNew { version }.into());
        }
        self.server_version = Some(version);
        self.state = State::AwaitingUser;
        Ok(Step::Send(Api::new(&self.connection).current_user()))
    }

    fn on_user(&mut self, response: &HttpResponse) -> Result<Step<ConnectionReport>, Error> {
        if response.status == 401 {
            let deployment = self.connection.site.deployment();
            return Err(refused(&self.connection.credentials, deployment).into());
        }
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
        Ok(Step::Done(self.report(user, space.key, space.name)))
    }

    fn report(&self, user: User, space_key: String, space_name: String) -> ConnectionReport {
        let deployment = self.connection.site.deployment();
        let auth_method = self.connection.credentials.method_name().to_owned();
        let server = match (deployment, &self.server_version) {
            (Deployment::Cloud, _) => "Confluence Cloud".to_owned(),
            (Deployment::DataCenter, Some(version)) => format!("Confluence {version}"),
            (Deployment::DataCenter, None) => "Confluence Server / Data Center".to_owned(),
        };
        let steps = vec![
            format!("Server: {server} at {}", self.connection.site.base_url()),
            format!(
                "Signed in as {} ({}) by {auth_method}",
                user.display_name, user.name
            ),
            format!("Space: {space_name} ({space_key}) can be read"),
        ];
        let summary = format!(
            "Connected as {} to space {space_name} ({space_key}), authenticated by {auth_method}.",
            user.display_name
        );
        ConnectionReport {
            auth_method,
            deployment: deployment.name().to_owned(),
            server_version: self.server_version.clone(),
            user_display_name: user.display_name,
            user_name: user.name,
            space_key,
            space_name,
            steps,
            summary,
        }
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
