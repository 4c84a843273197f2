//! The answers of injected faults (see `faults.rs` for when they fire), as the real thing sends
//! them:
//!
//! - CAPTCHA (Data Center): 403 with `X-Seraph-LoginReason: AUTHENTICATION_DENIED` and
//!   `X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=<base>/login.jsp`;
//! - an SSO proxy's login page: 200 `text/html`, whatever the client asked for;
//! - rate limits: the status asked for (429) with `Retry-After` as given, and on Cloud
//!   `X-RateLimit-Reset`, the ISO 8601 instant the limit lifts;
//! - 500 and 503: the flavour's error body, 503 with `Retry-After` when one is given.

use crate::escape::{html_attribute, html_text};
use crate::faults::Injection;
use crate::request::Reply;
use crate::time::{format_unix_millis, now_unix_millis, parse_http_date};

use super::rest::error;
use super::{Api, Site};

/// The reply for an injection that replaces the operation.
pub fn reply(site: &Site, api: Api, injection: &Injection) -> Reply {
    match injection {
        Injection::Captcha => captcha(site, api),
        Injection::HtmlLogin => login_page(site),
        Injection::Status {
            kind,
            status,
            retry_after,
        } => status_reply(api, kind, *status, retry_after.as_deref()),
        Injection::DropAfterRun => error(
            api,
            500,
            "The Confluence emulator meant to drop this connection",
        ),
    }
}

fn captcha(site: &Site, api: Api) -> Reply {
    let login = format!("{}/login.jsp", site.base_url());
    let message = format!(
        "Authentication denied: too many failed logins; answer the CAPTCHA by signing in at \
         {login} in a browser"
    );
    error(api, 403, &message)
        .with_header("X-Seraph-LoginReason", "AUTHENTICATION_DENIED")
        .with_header(
            "X-Authentication-Denied-Reason",
            &format!("CAPTCHA_CHALLENGE; login-url={login}"),
        )
}

fn login_page(site: &Site) -> Reply {
    let action = html_attribute(&format!("{}/login.jsp", site.base_url()));
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Log in - Single sign-on</title></head><body><h1>Log in to continue</h1>\
         <p>{}</p><form method=\"post\" action=\"{action}\"><input name=\"username\">\
         <input name=\"password\" type=\"password\"><button>Log in</button></form>\
         </body></html>\n",
        html_text("Your organisation signs you in through its identity provider.")
    );
    Reply::html(200, page)
}

fn status_reply(api: Api, kind: &str, status: u16, retry_after: Option<&str>) -> Reply {
    let message = match status {
        429 => {
            "Rate limit exceeded: too many requests; retry after the time in Retry-After".to_owned()
        }
        503 => "Service Unavailable: Confluence is not ready to serve requests".to_owned(),
        _ => format!("The Confluence emulator injected a failure ({kind})"),
    };
    let mut reply = error(api, status, &message);
    if let Some(retry_after) = retry_after {
        reply = reply.with_header("Retry-After", retry_after);
        if status == 429 && api != Api::DataCenter {
            reply = reply.with_header("X-RateLimit-Reset", &reset_instant(retry_after));
        }
    }
    reply
}

/// When a limit lifts: now plus the seconds of `Retry-After`, or its HTTP date.
fn reset_instant(retry_after: &str) -> String {
    let at = match retry_after.trim().parse::<i64>() {
        Ok(seconds) => now_unix_millis() + seconds * 1000,
        Err(_) => parse_http_date(retry_after).unwrap_or_else(now_unix_millis),
    };
    format_unix_millis(at)
}
