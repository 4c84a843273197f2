//! A small HTTP/1.1 server over `std::net`: just enough of RFC 9112 for the clients this
//! project tests with (ureq, Node's fetch and `http`, Obsidian's `requestUrl`, curl).
//!
//! It exists so the emulator controls the connection itself: a fault can close it without
//! sending any response, which a ready-made server library does not allow.
//!
//! - One thread accepts; each connection gets a thread that answers its requests in order
//!   (keep-alive and pipelining for free), until the client closes, sends `Connection: close`,
//!   speaks HTTP/1.0 without keep-alive, or sends something unreadable (400, then close).
//! - Bodies: `Content-Length` or `Transfer-Encoding: chunked`; `Expect: 100-continue` is honoured.
//! - Responses always carry `Content-Length` (none for 204), so no chunked encoding is sent.
//!
//! Out of scope: TLS, HTTP/2, upgrades, trailers (read and dropped), request timeouts beyond an
//! idle limit.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use thiserror::Error;

use crate::request::reason_phrase;

/// The longest request line or header line accepted.
const MAX_LINE_BYTES: usize = 16 * 1024;
/// The most header lines accepted in one request.
const MAX_HEADERS: usize = 200;
/// The largest body accepted; larger ones are refused with 413 before being read.
const MAX_BODY_BYTES: u64 = 1024 * 1024 * 1024;
/// How long a connection may sit idle between requests before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// One request, read in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// Method as sent, such as `GET`.
    pub method: String,
    /// The request target in origin form (`/path?query`); an absolute URL is cut to that.
    pub target: String,
    /// Headers in order, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
    /// Whether the client wants the connection kept open after this request.
    pub keep_alive: bool,
}

/// One response to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`, which the server adds.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What to do with a request.
pub enum Outcome {
    Respond(RawResponse),
    /// Close the connection without sending a byte (a lost connection, as the client sees it).
    CloseWithoutResponse,
}

/// Answers requests; called from many connection threads at once.
pub type Handler = dyn Fn(RawRequest) -> Outcome + Send + Sync + 'static;

/// Why a request could not be read; each is answered 400 (or 413) and the connection closed.
#[derive(Debug, Error)]
enum ReadError {
    #[error("the connection failed: {0}")]
    Io(#[from] io::Error),
    #[error("malformed request line")]
    RequestLine,
    #[error("malformed header line")]
    Header,
    #[error("a request or header line is too long")]
    LineTooLong,
    #[error("too many header lines")]
    TooManyHeaders,
    #[error("malformed Content-Length")]
    ContentLength,
    #[error("malformed chunked body")]
    Chunked,
    #[error("the body is larger than the server accepts")]
    BodyTooLarge,
}

/// A listening server; [`HttpServer::stop`] (or drop) closes it and every open connection.
pub struct HttpServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    connections: Arc<Connections>,
    acceptor: Option<JoinHandle<()>>,
}

/// Open connections, so stopping can shut them down.
#[derive(Default)]
struct Connections {
    open: Mutex<Vec<(u64, TcpStream)>>,
    next_id: AtomicU64,
}

impl HttpServer {
    /// Starts accepting on a bound listener.
    pub fn start(listener: TcpListener, handler: Arc<Handler>) -> io::Result<Self> {
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Connections::default());
        let acceptor = {
            let (stopping, connections) = (stopping.clone(), connections.clone());
            std::thread::spawn(move || accept(&listener, &handler, &stopping, &connections))
        };
        Ok(Self {
            address,
            stopping,
            connections,
            acceptor: Some(acceptor),
        })
    }

    /// Stops accepting, closes open connections and waits for the acceptor.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own; failure means it is gone.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        let _ = acceptor.join();
        for (_, stream) in self.connections.lock().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, Vec<(u64, TcpStream)>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn add(&self, stream: &TcpStream) -> Option<u64> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock().push((id, stream.try_clone().ok()?));
        Some(id)
    }

    fn remove(&self, id: u64) {
        self.lock().retain(|(open, _)| *open != id);
    }
}

fn accept(
    listener: &TcpListener,
    handler: &Arc<Handler>,
    stopping: &Arc<AtomicBool>,
    connections: &Arc<Connections>,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let Some(id) = connections.add(&stream) else {
            continue;
        };
        let (handler, connections) = (handler.clone(), connections.clone());
        std::thread::spawn(move || {
            serve_connection(stream, handler.as_ref());
            connections.remove(id);
        });
    }
}

/// Answers requests on one connection until it should close.
fn serve_connection(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(Some(request)) => request,
            Ok(None) | Err(ReadError::Io(_)) => break,
            Err(error) => {
                let _ = write_response(&mut writer, &refusal(&error), false, true);
                break;
            }
        };
        let keep_alive = request.keep_alive;
        let is_head = request.method.eq_ignore_ascii_case("HEAD");
        match handler(request) {
            Outcome::Respond(response) => {
                let sent = write_response(&mut writer, &response, is_head, !keep_alive);
                if sent.is_err() || !keep_alive {
                    break;
                }
            }
            Outcome::CloseWithoutResponse => break,
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
}

fn refusal(error: &ReadError) -> RawResponse {
    let status = match error {
        ReadError::BodyTooLarge => 413,
        _ => 400,
    };
    RawResponse {
        status,
        headers: vec![("Content-Type".into(), "text/plain;charset=UTF-8".into())],
        body: format!("Bad request: {error}").into_bytes(),
    }
}

/// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`.
fn wants_keep_alive(headers: &[(String, String)], version: &str) -> bool {
    let connection = header(headers, "connection").map(str::to_ascii_lowercase);
    match connection {
        Some(value) if value.contains("close") => false,
        Some(value) if value.contains("keep-alive") => true,
        Some(_) | None => version != "HTTP/1.0",
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The next request, or `None` when the client closed the connection between requests.
fn read_request<R: BufRead>(
    reader: &mut R,
    writer: &mut impl Write,
) -> Result<Option<RawRequest>, ReadError> {
    // Request line; empty lines before it are allowed.
    let line = loop {
        match read_line(reader)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let (method, target, version) = parse_request_line(&line)?;

    // Headers, then the body.
    let headers = read_headers(reader)?;
    if header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let body = read_body(reader, &headers)?;
    let keep_alive = wants_keep_alive(&headers, &version);
    Ok(Some(RawRequest {
        method,
        target,
        headers,
        body,
        keep_alive,
    }))
}

/// `GET /path HTTP/1.1` as method, origin-form target and version.
fn parse_request_line(line: &str) -> Result<(String, String, String), ReadError> {
    let mut words = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err(ReadError::RequestLine);
    };
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if method.is_empty() || !method.chars().all(token) || !version.starts_with("HTTP/1.") {
        return Err(ReadError::RequestLine);
    }
    Ok((method.to_owned(), origin_form(target)?, version.to_owned()))
}

/// `/path?q` from `/path?q` or `http://host/path?q`.
fn origin_form(target: &str) -> Result<String, ReadError> {
    if target.starts_with('/') {
        return Ok(target.to_owned());
    }
    let after_scheme = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
        .ok_or(ReadError::RequestLine)?;
    match after_scheme.find(['/', '?']) {
        Some(index) if after_scheme[index..].starts_with('/') => Ok(after_scheme[index..].into()),
        Some(index) => Ok(format!("/{}", &after_scheme[index..])),
        None => Ok("/".to_owned()),
    }
}

fn read_headers<R: BufRead>(reader: &mut R) -> Result<Vec<(String, String)>, ReadError> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or(ReadError::Header)?;
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::TooManyHeaders);
        }
        let (name, value) = line.split_once(':').ok_or(ReadError::Header)?;
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(ReadError::Header);
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
}

fn read_body<R: BufRead>(
    reader: &mut R,
    headers: &[(String, String)],
) -> Result<Vec<u8>, ReadError> {
    let chunked = header(headers, "transfer-encoding")
        .is_some_and(|value| value.to_ascii_lowercase().contains("chunked"));
    if chunked {
        return read_chunked(reader);
    }
    let Some(length) = header(headers, "content-length") else {
        return Ok(Vec::new());
    };
    let length: u64 = length.parse().map_err(|_| ReadError::ContentLength)?;
    if length > MAX_BODY_BYTES {
        return Err(ReadError::BodyTooLarge);
    }
    let mut body = Vec::with_capacity(length.min(1 << 20) as usize);
    (&mut *reader).take(length).read_to_end(&mut body)?;
    match body.len() as u64 == length {
        true => Ok(body),
        false => Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into())),
    }
}

fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or(ReadError::Chunked)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size, 16).map_err(|_| ReadError::Chunked)?;
        if body.len() as u64 + size > MAX_BODY_BYTES {
            return Err(ReadError::BodyTooLarge);
        }
        if size == 0 {
            // Trailers, if any, end with an empty line.
            while !read_line(reader)?.ok_or(ReadError::Chunked)?.is_empty() {}
            return Ok(body);
        }
        let before = body.len();
        (&mut *reader).take(size).read_to_end(&mut body)?;
        if (body.len() - before) as u64 != size || read_line(reader)? != Some(String::new()) {
            return Err(ReadError::Chunked);
        }
    }
}

/// One line without its CRLF (a bare LF is tolerated), or `None` at end of stream.
fn read_line<R: BufRead>(reader: &mut R) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let read = (&mut *reader)
        .take(MAX_LINE_BYTES as u64 + 2)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return match line.len() > MAX_LINE_BYTES {
            true => Err(ReadError::LineTooLong),
            false => Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into())),
        };
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| ReadError::Header)
}

fn write_response(
    writer: &mut impl Write,
    response: &RawResponse,
    is_head: bool,
    close: bool,
) -> io::Result<()> {
    let status = response.status;
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_body = !matches!(status, 204 | 304) && !(100..200).contains(&status);
    if has_body {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    writer.write_all(head.as_bytes())?;
    if has_body && !is_head {
        writer.write_all(&response.body)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Result<Option<RawRequest>, ReadError> {
        read_request(&mut BufReader::new(raw), &mut Vec::new())
    }

    #[test]
    fn reads_a_request_with_a_content_length_body() {
        let raw = b"POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET";
        let request = parse(raw).unwrap().unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/a?b=1");
        assert_eq!(request.body, b"hello");
        assert_eq!(header(&request.headers, "host"), Some("x"));
    }

    #[test]
    fn reads_chunked_bodies_and_answers_expect_continue() {
        let raw = b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n\
                    3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n";
        let mut written = Vec::new();
        let request = read_request(&mut BufReader::new(&raw[..]), &mut written)
            .unwrap()
            .unwrap();
        assert_eq!(request.body, b"abcde");
        assert_eq!(written, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn refuses_what_is_not_http() {
        assert!(matches!(
            parse(b"hello\r\n\r\n"),
            Err(ReadError::RequestLine)
        ));
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nno colon\r\n\r\n"),
            Err(ReadError::Header)
        ));
        assert!(matches!(
            parse(b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            Err(ReadError::ContentLength)
        ));
        assert!(matches!(parse(b""), Ok(None)));
    }

    #[test]
    fn absolute_targets_become_origin_form() {
        assert_eq!(origin_form("http://h:1/a/b?c").unwrap(), "/a/b?c");
        assert_eq!(origin_form("http://h:1?c").unwrap(), "/?c");
        assert_eq!(origin_form("http://h:1").unwrap(), "/");
    }

    #[test]
    fn http10_closes_unless_kept_alive() {
        let keep = |raw: &[u8]| parse(raw).unwrap().unwrap().keep_alive;
        assert!(!keep(b"GET / HTTP/1.0\r\n\r\n"));
        assert!(keep(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assert!(keep(b"GET / HTTP/1.1\r\n\r\n"));
        assert!(!keep(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    }

    #[test]
    fn responses_carry_their_length() {
        let mut out = Vec::new();
        let response = RawResponse {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"ok".to_vec(),
        };
        write_response(&mut out, &response, false, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\
             Connection: close\r\n\r\nok"
        );
        let mut out = Vec::new();
        let empty = RawResponse {
            status: 204,
            headers: vec![],
            body: vec![],
        };
        write_response(&mut out, &empty, false, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 204 No Content\r\n\r\n"
        );
    }
}
