//! Confluence's answers, read into typed results or an [`ApiError`].
//!
//! [`check`] turns a status that is not a success into the error a person can act on, given
//! what the request was for ([`Purpose`]); the `read_*` functions parse the JSON of a success
//! for Data Center (v1) and Cloud (v2) shapes. An HTML page where JSON was expected (a login
//! page or a proxy) is its own error, whatever the status.

use serde_json::Value;

use crate::api::RecordRef;
use crate::auth::Credentials;
use crate::error::{server_message, ApiError};
use crate::http::HttpResponse;
use crate::settings::{Deployment, Site};

/// What a request was for, so that a failure can be told in those terms.
#[derive(Clone, Debug)]
pub struct Purpose<'a> {
    /// For a 403: "create pages in space DOCS".
    pub action: &'a str,
    /// For a 404: "Page 42".
    pub subject: &'a str,
}

/// The user the credentials stand for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// False when Confluence answered as the anonymous user.
    pub known: bool,
    pub display_name: String,
    /// The user name (Data Center) or email (Cloud).
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Space {
    pub id: String,
    pub key: String,
    pub name: String,
}

/// A page as far as publishing needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub id: String,
    pub title: String,
    pub version: u64,
    /// The address for people.
    pub url: String,
}

/// The JSON of a successful response, or the error its status means.
pub fn check(
    response: &HttpResponse,
    credentials: &Credentials,
    site: &Site,
    purpose: &Purpose<'_>,
) -> Result<Value, ApiError> {
    let status = response.status;
    if ran_as_anonymous(response) && !response.is_success() {
        let method = credentials.method_name();
        return Err(ApiError::AnsweredAsAnonymous { method });
    }
    if response.is_success() {
        if response.is_html() {
            return Err(ApiError::HtmlInsteadOfJson { status });
        }
        if response.body.trim().is_empty() {
            // 204 No Content, as a label removal answers.
            return Ok(Value::Null);
        }
        return serde_json::from_str(&response.body).map_err(|_| ApiError::Unexpected {
            status,
            detail: "the answer was not JSON".to_owned(),
        });
    }
    Err(failure(response, credentials, site, purpose))
}

fn failure(
    response: &HttpResponse,
    credentials: &Credentials,
    site: &Site,
    purpose: &Purpose<'_>,
) -> ApiError {
    let status = response.status;
    let detail = || server_message(response);
    match status {
        0 => unreachable(response, site),
        401 => refused(credentials, site.deployment()),
        403 if is_captcha(response) => ApiError::CaptchaRequired {
            base_url: site.base_url(),
        },
        _ if response.is_html() => ApiError::HtmlInsteadOfJson { status },
        403 => ApiError::Forbidden {
            action: purpose.action.to_owned(),
            detail: detail(),
        },
        404 => ApiError::NotFound {
            what: purpose.subject.to_owned(),
            detail: detail(),
        },
        409 => ApiError::VersionConflict { detail: detail() },
        429 => ApiError::RateLimited {
            wait: retry_wait(response),
        },
        500..=599 => ApiError::ServerError {
            status,
            detail: detail(),
        },
        _ => ApiError::Rejected {
            status,
            detail: detail(),
        },
    }
}

/// Data Center names the user a request ran as in `X-AUSERNAME`. The plugin always sends
/// credentials, so a request that ran as `anonymous` means they were not accepted (with
/// anonymous access on, an unknown token is not refused but ignored).
fn ran_as_anonymous(response: &HttpResponse) -> bool {
    response
        .header("x-ausername")
        .is_some_and(|user| user.trim() == "anonymous")
}

/// A 401, told in terms of the method and the kind of Confluence.
pub(crate) fn refused(credentials: &Credentials, deployment: Deployment) -> ApiError {
    match (credentials, deployment) {
        (Credentials::PersonalAccessToken(_), Deployment::Cloud) => {
            ApiError::PersonalAccessTokenOnCloud
        }
        (Credentials::PersonalAccessToken(_), Deployment::DataCenter) => {
            ApiError::PersonalAccessTokenRejected
        }
        (Credentials::ApiToken { .. }, Deployment::DataCenter) => ApiError::BasicRefusedByServer,
        (Credentials::ApiToken { .. }, Deployment::Cloud) => ApiError::ApiTokenRejected,
    }
}

/// The version a Server / Data Center names in its applinks manifest (`GET
/// rest/applinks/1.0/manifest`), if the answer is one.
pub(crate) fn server_version(response: &HttpResponse) -> Option<String> {
    if !response.is_success() {
        return None;
    }
    let body = &response.body;
    let start = body.find("<version>")? + "<version>".len();
    let end = start + body[start..].find("</version>")?;
    Some(body[start..end].trim().to_owned()).filter(|version| !version.is_empty())
}

/// Whether a server at `version` (such as `7.4.17`) is older than 7.9, the first release with
/// personal access tokens.
pub(crate) fn predates_pats(version: &str) -> bool {
    let mut numbers = version
        .split('.')
        .map(|part| part.trim().parse::<u32>().unwrap_or(0));
    let release = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    release < (7, 9)
}

/// A 404 that is an HTML page: no Confluence REST API answers at this address.
pub(crate) fn no_confluence(response: &HttpResponse, url: String) -> ApiError {
    if response.is_success() && response.is_html() {
        return ApiError::HtmlInsteadOfJson {
            status: response.status,
        };
    }
    let hint = if url.contains(".atlassian.net") {
        "Cloud addresses end in /wiki, like https://your-site.atlassian.net/wiki."
    } else {
        "if Confluence opens at an address with a path, such as https://host/confluence, \
         include that path; a Cloud site on its own domain needs the kind of Confluence set to \
         Cloud."
    };
    ApiError::NoConfluenceAt {
        url,
        status: response.status,
        hint,
    }
}

/// Status 0: the front end got no answer; the body says why.
fn unreachable(response: &HttpResponse, site: &Site) -> ApiError {
    let reason = response.body.trim().trim_end_matches('.');
    let reason = if reason.is_empty() {
        "no answer"
    } else {
        reason
    };
    let lower = reason.to_ascii_lowercase();
    let tls = ["certificate", "tls", "ssl", "handshake"]
        .iter()
        .any(|word| lower.contains(word));
    let hint = if tls {
        "The secure connection failed: if your company uses its own certificate authority, \
         trust its certificate in the operating system."
    } else {
        "Check the base URL and your network (a VPN or proxy may be needed)."
    };
    ApiError::Unreachable {
        host: site.host(),
        reason: reason.to_owned(),
        hint,
    }
}

pub(crate) fn is_captcha(response: &HttpResponse) -> bool {
    response
        .header("x-authentication-denied-reason")
        .is_some_and(|reason| reason.contains("CAPTCHA"))
}

fn retry_wait(response: &HttpResponse) -> String {
    match response.header("retry-after").map(str::trim) {
        Some(seconds) if seconds.chars().all(|c| c.is_ascii_digit()) && !seconds.is_empty() => {
            let unit = if seconds == "1" { "second" } else { "seconds" };
            format!("{seconds} {unit}")
        }
        Some(date) if !date.is_empty() => format!("until {date}"),
        _ => "a minute".to_owned(),
    }
}

/// `rest/api/user/current` on either kind.
pub fn read_user(json: &Value) -> User {
    let known = json["type"].as_str() != Some("anonymous");
    let display_name = text(&json["displayName"]);
    let name = [
        &json["username"],
        &json["email"],
        &json["publicName"],
        &json["accountId"],
    ]
    .into_iter()
    .map(text)
    .find(|value| !value.is_empty())
    .unwrap_or_default();
    User {
        known,
        display_name,
        name,
    }
}

/// A space: Data Center's `rest/api/space/{key}` object, or the first of Cloud's
/// `api/v2/spaces` results (`None` when the list is empty: no such space, or not visible).
pub fn read_space(json: &Value, deployment: Deployment) -> Option<Space> {
    let space = match deployment {
        Deployment::DataCenter => json,
        Deployment::Cloud => json["results"].as_array()?.first()?,
    };
    Some(Space {
        id: text(&space["id"]),
        key: text(&space["key"]),
        name: text(&space["name"]),
    })
}

/// The first page of a search by title, if any.
pub fn read_first_page(json: &Value, site: &Site) -> Option<Page> {
    let first = json["results"].as_array()?.first()?;
    Some(read_page(first, json, site))
}

/// A page object; `envelope` is the whole answer, which may carry `_links.base`.
pub fn read_page(page: &Value, envelope: &Value, site: &Site) -> Page {
    let webui = text(&page["_links"]["webui"]);
    let base = [&page["_links"]["base"], &envelope["_links"]["base"]]
        .into_iter()
        .map(text)
        .find(|base| !base.is_empty());
    let url = match base {
        Some(base) => format!("{base}{webui}"),
        None => site.page_link(&webui),
    };
    Page {
        id: text(&page["id"]),
        title: text(&page["title"]),
        version: page["version"]["number"].as_u64().unwrap_or(0),
        url,
    }
}

/// An attachment as a page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedAttachment {
    pub id: String,
    pub file_name: String,
    /// What the uploader wrote; the plugin writes `sha256:<hex>`.
    pub comment: String,
}

/// The attachments of a page: v1 `child/attachment` (comment in `extensions`) or v2
/// `attachments` (comment at the top).
pub fn read_attachments(json: &Value) -> Vec<ListedAttachment> {
    results(json)
        .map(|item| ListedAttachment {
            id: text(&item["id"]),
            file_name: text(&item["title"]),
            comment: [&item["extensions"]["comment"], &item["comment"]]
                .into_iter()
                .map(text)
                .find(|comment| !comment.is_empty())
                .unwrap_or_default(),
        })
        .collect()
}

/// The names of a page's labels (v1 or v2 listing).
pub fn read_labels(json: &Value) -> Vec<String> {
    results(json).map(|label| text(&label["name"])).collect()
}

/// A content property: v1 answers with the property, v2 with a list of matches.
pub fn read_record(json: &Value) -> Option<(RecordRef, Value)> {
    let property = match json["results"].as_array() {
        Some(list) => list.first()?,
        None => json,
    };
    let reference = RecordRef {
        id: text(&property["id"]),
        version: property["version"]["number"].as_u64().unwrap_or(1),
    };
    Some((reference, property["value"].clone()))
}

fn results(json: &Value) -> impl Iterator<Item = &Value> {
    json["results"].as_array().into_iter().flatten()
}

/// A JSON string or number as text; empty for anything else.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Secret;
    use crate::settings::DeploymentChoice;

    fn site() -> Site {
        Site::parse("https://c.example.com", DeploymentChoice::Datacenter).unwrap()
    }

    const PURPOSE: Purpose<'static> = Purpose {
        action: "create pages in space DOCS",
        subject: "Page 7",
    };

    fn pat() -> Credentials {
        Credentials::PersonalAccessToken(Secret::new("p"))
    }

    #[test]
    fn reads_the_server_version_from_the_manifest() {
        let xml = "<manifest><id>x</id><version>8.5.4</version><buildNumber>1</buildNumber>";
        let version = server_version(&HttpResponse::new(200, xml));
        assert_eq!(version.as_deref(), Some("8.5.4"));
        assert_eq!(server_version(&HttpResponse::new(404, xml)), None);
        assert_eq!(
            server_version(&HttpResponse::new(200, "<html></html>")),
            None
        );
        assert!(predates_pats("7.4.17") && predates_pats("6.15.0"));
        assert!(!predates_pats("7.9.0") && !predates_pats("7.13.2") && !predates_pats("10.0.1"));
    }

    #[test]
    fn statuses_become_actionable_errors() {
        let error = |status: u16, body: &str| {
            check(&HttpResponse::new(status, body), &pat(), &site(), &PURPOSE).unwrap_err()
        };
        assert_eq!(error(401, ""), ApiError::PersonalAccessTokenRejected);
        assert_eq!(
            error(403, r#"{"message":"Not permitted"}"#),
            ApiError::Forbidden {
                action: "create pages in space DOCS".to_owned(),
                detail: "Not permitted".to_owned()
            }
        );
        assert_eq!(
            error(
                409,
                r#"{"message":"Version must be incremented on update. Current version is: 4"}"#
            ),
            ApiError::VersionConflict {
                detail: "Version must be incremented on update. Current version is: 4".to_owned()
            }
        );
        assert!(matches!(
            error(502, "oops"),
            ApiError::ServerError { status: 502, .. }
        ));
    }

    #[test]
    fn an_html_page_is_not_json() {
        let mut response = HttpResponse::new(200, "<html><body>Log in</body></html>");
        response
            .headers
            .insert("content-type".to_owned(), "text/html".to_owned());
        let error = check(&response, &pat(), &site(), &PURPOSE).unwrap_err();
        assert_eq!(error, ApiError::HtmlInsteadOfJson { status: 200 });
    }

    #[test]
    fn captcha_and_retry_after_are_recognised() {
        let mut response = HttpResponse::new(403, "");
        response.headers.insert(
            "X-Authentication-Denied-Reason".to_owned(),
            "CAPTCHA_CHALLENGE; login-url=https://c.example.com/login.jsp".to_owned(),
        );
        let error = check(&response, &pat(), &site(), &PURPOSE).unwrap_err();
        assert!(matches!(error, ApiError::CaptchaRequired { .. }));
        let mut response = HttpResponse::new(429, "");
        response
            .headers
            .insert("Retry-After".to_owned(), "30".to_owned());
        let error = check(&response, &pat(), &site(), &PURPOSE).unwrap_err();
        assert_eq!(
            error,
            ApiError::RateLimited {
                wait: "30 seconds".to_owned()
            }
        );
    }

    #[test]
    fn a_refusal_as_the_anonymous_user_blames_the_token() {
        let mut response =
            HttpResponse::new(403, r#"{"message":"User anonymous is not permitted"}"#);
        response
            .headers
            .insert("X-AUSERNAME".to_owned(), "anonymous".to_owned());
        let error = check(&response, &pat(), &site(), &PURPOSE).unwrap_err();
        assert_eq!(
            error,
            ApiError::AnsweredAsAnonymous {
                method: "personal access token"
            }
        );
    }

    #[test]
    fn reads_anonymous_users() {
        let user = read_user(&serde_json::json!({"type": "anonymous", "displayName": "Anonymous"}));
        assert!(!user.known);
    }

    #[test]
    fn page_links_join_base_and_webui() {
        let json = serde_json::json!({
            "results": [{"id": "9", "title": "T", "version": {"number": 2},
                         "_links": {"webui": "/pages/viewpage.action?pageId=9"}}],
            "_links": {"base": "https://c.example.com"}
        });
        let page = read_first_page(&json, &site()).unwrap();
        assert_eq!(
            page.url,
            "https://c.example.com/pages/viewpage.action?pageId=9"
        );
        assert_eq!(page.version, 2);
    }
}
