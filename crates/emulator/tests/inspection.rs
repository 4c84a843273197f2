//! The OpenAPI check, the request log, reset, and the command line.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::json;

#[test]
fn undeclared_query_parameter_is_a_logged_violation() {
    let emulator = data_center();
    let url = format!(
        "{}/rest/api/content?spaceKey=DOCS&titel=Typo",
        emulator.base_url()
    );
    let answer = get(&url, Some(&ada_dc()));
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.message(),
        "Request does not match the OpenAPI document: query parameter `titel` is not declared for \
         getContent (GET /rest/api/content) (in confluence-dc-10.0.3.openapi.json)"
    );
    let log = logged(&emulator);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].operation_id.as_deref(), Some("getContent"));
    assert_eq!(log[0].status, 400);
    assert!(log[0]
        .spec_violation
        .as_deref()
        .is_some_and(|v| v.contains("`titel`")));
    assert_eq!(emulator.violations().len(), 1);
}

#[test]
fn body_and_method_are_checked_against_the_document() {
    let emulator = data_center();
    let base = emulator.base_url();
    let wrong_type = json!({"type": "page", "title": "A", "space": {"key": "DOCS"},
                            "version": {"number": "1"}});
    let answer = post(
        &format!("{base}/rest/api/content"),
        Some(&ada_dc()),
        &wrong_type,
    );
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .message()
            .contains("request body at /version/number: expected integer"),
        "{}",
        answer.message()
    );
    let no_body = send(
        "PUT",
        &format!("{base}/rest/api/content/65537"),
        Some(&ada_dc()),
        None,
    );
    assert!(
        no_body
            .message()
            .contains("the required request body is missing"),
        "{}",
        no_body.message()
    );
    let patch = send(
        "PATCH",
        &format!("{base}/rest/api/content/65537"),
        Some(&ada_dc()),
        None,
    );
    assert!(
        patch.message().contains("PATCH is not declared"),
        "{}",
        patch.message()
    );
    let unknown = get(&format!("{base}/rest/api/nothing-here"), Some(&ada_dc()));
    assert!(
        unknown.message().contains("no path template matches"),
        "{}",
        unknown.message()
    );
    assert_eq!(emulator.violations().len(), 4);
}

#[test]
fn cloud_v2_parameters_are_typed() {
    let emulator = cloud();
    let base = emulator.base_url();
    let answer = get(
        &format!("{base}/api/v2/pages?space-id=DOCS"),
        Some(&ada_cloud()),
    );
    assert_eq!(answer.status, 400);
    assert!(
        answer.v2_title().contains("`DOCS` is not an integer"),
        "{}",
        answer.v2_title()
    );
    let enum_value = get(
        &format!("{base}/api/v2/pages/65537?body-format=html"),
        Some(&ada_cloud()),
    );
    assert!(
        enum_value.v2_title().contains("is not one of"),
        "{}",
        enum_value.v2_title()
    );
    let missing = post(
        &format!("{base}/api/v2/pages"),
        Some(&ada_cloud()),
        &json!({"title": "x"}),
    );
    assert!(missing
        .v2_title()
        .contains("required property `spaceId` is missing"));
}

#[test]
fn the_log_records_every_request_without_tokens() {
    let emulator = data_center();
    let base = emulator.base_url();
    get(&format!("{base}/rest/api/user/current"), Some(&ada_dc()));
    get(
        &format!("{base}/rest/api/user/current"),
        Some(&basic("ada", "ada-password")),
    );
    get(&format!("{base}/rest/api/user/current"), None);
    let body = json!({"type": "page", "title": "Logged", "space": {"key": "DOCS"}});
    post(&format!("{base}/rest/api/content"), Some(&ada_dc()), &body);
    get(&format!("{base}/pages/viewpage.action?pageId=65537"), None);

    let raw = get(&format!("{}/__emulator/requests", emulator.origin()), None).text;
    assert!(
        !raw.contains("pat-ada-0001") && !raw.contains("ada-password"),
        "no secrets in the log"
    );
    let log = logged(&emulator);
    let summary: Vec<_> = log
        .iter()
        .map(|e| {
            (
                e.method.as_str(),
                e.auth_scheme.as_deref(),
                e.user.as_deref(),
                e.status,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("GET", Some("Bearer"), Some("ada"), 200),
            ("GET", Some("Basic"), Some("ada"), 200),
            ("GET", None, None, 401),
            ("POST", Some("Bearer"), Some("ada"), 200),
            ("GET", None, None, 200),
        ]
    );
    assert_eq!(log[3].operation_id.as_deref(), Some("createContent"));
    assert_eq!(log[3].body, Some(body));
    assert_eq!(log[4].path, "/pages/viewpage.action");
    assert_eq!(
        log[4].query.get("pageId").map(String::as_str),
        Some("65537")
    );
}

#[test]
fn reset_goes_back_to_the_seed() {
    let emulator = data_center();
    let body = json!({"type": "page", "title": "Temporary", "space": {"key": "DOCS"}});
    post(
        &format!("{}/rest/api/content", emulator.base_url()),
        Some(&ada_dc()),
        &body,
    );
    let pages = get(&format!("{}/__emulator/pages", emulator.origin()), None).json();
    assert_eq!(
        pages.as_array().map(Vec::len),
        Some(3),
        "two home pages and the new one"
    );
    assert_eq!(pages[2]["title"], "Temporary");
    assert_eq!(pages[2]["spaceKey"], "DOCS");
    assert_eq!(pages[2]["version"], 1);
    let reset = send(
        "POST",
        &format!("{}/__emulator/reset", emulator.origin()),
        None,
        None,
    );
    assert_eq!(reset.status, 200);
    assert_eq!(emulator.pages().len(), 2);
    assert!(emulator.requests().is_empty(), "reset should empty the log");
}

#[test]
fn command_line_prints_the_base_url() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_confluence-emulator"))
        .args([
            "--flavor",
            "dc",
            "--context-path",
            "/confluence",
            "--port",
            "0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary should start");
    let stdout = child.stdout.take().expect("stdout should be piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the binary should print a line");
    let base = line
        .trim()
        .strip_prefix("confluence-emulator listening on ")
        .map(str::to_owned);
    let answer = base
        .as_deref()
        .map(|base| get(&format!("{base}/rest/api/user/current"), Some(&ada_dc())));
    child.kill().expect("the emulator should stop when killed");
    let _ = child.wait();
    let base = base.unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/confluence"),
        "{base}"
    );
    assert_eq!(answer.map(|a| a.status), Some(200));
}

#[test]
fn command_line_requires_the_specs() {
    let output = Command::new(env!("CARGO_BIN_EXE_confluence-emulator"))
        .args(["--flavor", "cloud", "--specs", "/nonexistent/specs"])
        .output()
        .expect("the binary should run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot find Atlassian's OpenAPI documents"),
        "{stderr}"
    );
}

#[test]
fn one_connection_carries_pipelined_requests() {
    use std::io::{Read, Write};

    let emulator = data_center();
    let address = emulator.origin().trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).expect("the emulator should listen");
    let request = |path: &str, last: bool| {
        let connection = if last { "close" } else { "keep-alive" };
        format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: {connection}\r\n\r\n")
    };
    let both = request("/rest/applinks/1.0/manifest", false) + &request("/nothing", true);
    stream.write_all(both.as_bytes()).unwrap();
    let mut answers = String::new();
    stream
        .read_to_string(&mut answers)
        .expect("the emulator should answer both, then close");
    assert!(answers.starts_with("HTTP/1.1 200 OK\r\n"), "{answers}");
    assert!(answers.contains("</manifest>HTTP/1.1 404 Not Found\r\n"));
    assert!(answers.contains("Connection: close\r\n"));

    let mut garbage = std::net::TcpStream::connect(&address).unwrap();
    garbage.write_all(b"NOT HTTP\r\n\r\n").unwrap();
    let mut refused = String::new();
    garbage.read_to_string(&mut refused).unwrap();
    assert!(
        refused.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{refused}"
    );
}
