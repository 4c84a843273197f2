//! `multipart/form-data` bodies (RFC 7578), read as strictly as Confluence's servlet stack does.
//!
//! The body is split on `--boundary` delimiters, which must end in CRLF; each part needs a
//! `Content-Disposition: form-data; name="..."` header, may name a file (`filename="..."`, or
//! RFC 5987 `filename*=UTF-8''...`, which wins) and may carry a `Content-Type`. Part bodies are
//! bytes, kept as sent. Out of scope: nested `multipart/mixed`, `Content-Transfer-Encoding`.

use thiserror::Error;

use crate::escape::percent_decode;

/// One part of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The form field name (`file`, `comment`, `minorEdit`...).
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, lower case, without parameters.
    pub content_type: Option<String>,
    /// The part's body.
    pub data: Vec<u8>,
}

/// Why a body is not a readable form.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MultipartError {
    #[error("the Content-Type has no boundary parameter")]
    NoBoundary,
    #[error("the body does not start with the boundary delimiter --{0}")]
    NoFirstDelimiter(String),
    #[error("the body does not end with the closing delimiter --{0}--")]
    Unterminated(String),
    #[error("a boundary delimiter is not followed by CRLF")]
    BadDelimiterLine,
    #[error("part {0} has no blank line after its headers")]
    NoHeaderEnd(usize),
    #[error("part {0} has a header line that is not `Name: value`")]
    BadHeader(usize),
    #[error("part {0} has no Content-Disposition: form-data header with a name")]
    NoName(usize),
}

impl Part {
    /// The body as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// The boundary of a `multipart/form-data; boundary=...` content type.
pub fn boundary(content_type: &str) -> Result<String, MultipartError> {
    let parameters = content_type.split(';').skip(1);
    let found = parameters
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| unquote(value.trim()));
    found
        .filter(|boundary| !boundary.is_empty())
        .ok_or(MultipartError::NoBoundary)
}

/// The parts of `body`, in order.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, MultipartError> {
    let delimiter = format!("--{boundary}");
    let first = find(body, delimiter.as_bytes(), 0)
        .filter(|&at| at == 0 || body[..at].ends_with(b"\r\n"))
        .ok_or_else(|| MultipartError::NoFirstDelimiter(boundary.to_owned()))?;
    let separator = format!("\r\n--{boundary}");
    let mut parts = Vec::new();
    let mut cursor = first + delimiter.len();
    loop {
        // After a delimiter: `--` closes the form, CRLF opens a part.
        let rest = &body[cursor..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let Some(after) = rest.strip_prefix(b"\r\n") else {
            return Err(MultipartError::BadDelimiterLine);
        };
        let start = body.len() - after.len();
        let end = find(body, separator.as_bytes(), start)
            .ok_or_else(|| MultipartError::Unterminated(boundary.to_owned()))?;
        parts.push(parse_part(&body[start..end], parts.len() + 1)?);
        cursor = end + separator.len();
    }
}

fn parse_part(raw: &[u8], number: usize) -> Result<Part, MultipartError> {
    let split = find(raw, b"\r\n\r\n", 0)
        .map(|at| (&raw[..at], &raw[at + 4..]))
        .or_else(|| raw.strip_prefix(b"\r\n").map(|data| (&b""[..], data)))
        .ok_or(MultipartError::NoHeaderEnd(number))?;
    let (head, data) = split;
    let head = String::from_utf8_lossy(head);
    let mut part = Part {
        name: String::new(),
        file_name: None,
        content_type: None,
        data: data.to_vec(),
    };
    for line in head.split("\r\n").filter(|line| !line.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or(MultipartError::BadHeader(number))?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => read_disposition(value, &mut part),
            "content-type" => {
                let media_type = value.split(';').next().unwrap_or_default().trim();
                part.content_type = Some(media_type.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    match part.name.is_empty() {
        true => Err(MultipartError::NoName(number)),
        false => Ok(part),
    }
}

/// `form-data; name="file"; filename="a.png"; filename*=UTF-8''a%20b.png`.
fn read_disposition(value: &str, part: &mut Part) {
    let mut pieces = split_parameters(value).into_iter();
    let kind = pieces.next().unwrap_or_default();
    if !kind.trim().eq_ignore_ascii_case("form-data") {
        return;
    }
    let mut extended = None;
    for piece in pieces {
        let Some((name, value)) = piece.split_once('=') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "name" => part.name = unquote(value.trim()),
            "filename" => part.file_name = Some(unquote(value.trim())),
            "filename*" => extended = decode_extended(value.trim()),
            _ => {}
        }
    }
    if extended.is_some() {
        part.file_name = extended;
    }
}

/// Splits on `;` outside double quotes.
fn split_parameters(value: &str) -> Vec<String> {
    let (mut pieces, mut current, mut quoted, mut escaped) =
        (Vec::new(), String::new(), false, false);
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                pieces.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    pieces.push(current);
    pieces
}

/// `"a \"b\""` as `a "b"`; unquoted values as they are.
fn unquote(value: &str) -> String {
    let Some(inner) = value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            other => out.push(other),
        }
    }
    out
}

/// RFC 5987 `UTF-8''a%20b.png` (the language part is ignored).
fn decode_extended(value: &str) -> Option<String> {
    let mut pieces = value.splitn(3, '\'');
    let charset = pieces.next()?;
    let _language = pieces.next()?;
    let encoded = pieces.next()?;
    match charset.eq_ignore_ascii_case("utf-8") {
        true => percent_decode(encoded),
        false => None,
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&at| haystack[at..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"preamble\r\n--XyZ\r\n\
        Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\n\
        Content-Type: image/png\r\n\r\n\x89PNG\r\n\x00\x01--Xy\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nfirst upload\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"minorEdit\"\r\n\r\ntrue\r\n\
        --XyZ--\r\n";

    #[test]
    fn reads_file_and_text_parts() {
        let parts = parse(BODY, "XyZ").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].file_name.as_deref(), Some("a \"b\".png"));
        assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[0].data, b"\x89PNG\r\n\x00\x01--Xy");
        assert_eq!(parts[1].text(), Some("first upload"));
        assert_eq!(parts[2].name, "minorEdit");
    }

    #[test]
    fn finds_the_boundary_quoted_or_not() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").unwrap(),
            "abc"
        );
        assert_eq!(
            boundary("multipart/form-data;Boundary=\"a b\"").unwrap(),
            "a b"
        );
        assert_eq!(
            boundary("multipart/form-data"),
            Err(MultipartError::NoBoundary)
        );
    }

    #[test]
    fn extended_file_names_win() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"; \
                     filename*=UTF-8''caf%C3%A9.png\r\n\r\nx\r\n--b--";
        let parts = parse(body, "b").unwrap();
        assert_eq!(parts[0].file_name.as_deref(), Some("café.png"));
    }

    #[test]
    fn refuses_broken_forms() {
        assert_eq!(
            parse(b"nothing here", "b"),
            Err(MultipartError::NoFirstDelimiter("b".into()))
        );
        let unterminated = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx";
        assert_eq!(
            parse(unterminated, "b"),
            Err(MultipartError::Unterminated("b".into()))
        );
        let bare_lf = b"--b\nContent-Disposition: form-data; name=\"a\"\n\nx\n--b--";
        assert_eq!(parse(bare_lf, "b"), Err(MultipartError::BadDelimiterLine));
        let nameless = b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--";
        assert_eq!(parse(nameless, "b"), Err(MultipartError::NoName(1)));
        let empty = b"--b--\r\n";
        assert_eq!(parse(empty, "b"), Ok(vec![]));
    }
}
