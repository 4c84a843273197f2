//! `multipart/form-data` bodies for attachment uploads, without the file's bytes.
//!
//! Confluence takes an attachment as a form with a `file` part (its name in
//! `Content-Disposition`), a `comment` and `minorEdit` (which Cloud's API requires). The core
//! writes the text before and after the file; the caller sends that text with the file's bytes
//! between ([`Body::Multipart`]). The boundary comes from the file's SHA-256, which the caller
//! computed: a file does not contain a boundary derived from its own hash.

use crate::http::Body;

/// One file to upload.
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    /// The file in the vault, read by the caller.
    pub vault_path: &'a str,
    /// The name it gets on the page.
    pub file_name: &'a str,
    pub media_type: &'a str,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: &'a str,
    /// Stored as the attachment's comment.
    pub comment: &'a str,
}

/// The `content-type` header value and the body of an upload.
pub fn form(upload: &Upload<'_>) -> (String, Body) {
    let boundary = format!(
        "confluence-publish-{}",
        &upload.sha256[..upload.sha256.len().min(40)]
    );
    let mut before = String::new();
    push_field(&mut before, &boundary, "comment", upload.comment);
    push_field(&mut before, &boundary, "minorEdit", "true");
    before.push_str(&format!("--{boundary}\r\n"));
    before.push_str(&format!(
        "Content-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n",
        quoted(upload.file_name)
    ));
    before.push_str(&format!("Content-Type: {}\r\n\r\n", upload.media_type));
    let after = format!("\r\n--{boundary}--\r\n");
    let body = Body::Multipart {
        before,
        file_path: upload.vault_path.to_owned(),
        after,
    };
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn push_field(text: &mut String, boundary: &str, name: &str, value: &str) {
    text.push_str(&format!("--{boundary}\r\n"));
    text.push_str(&format!(
        "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
    ));
    text.push_str(value);
    text.push_str("\r\n");
}

/// A file name inside a quoted header parameter: quotes and backslashes escaped, line breaks
/// (which would end the header) replaced by spaces.
fn quoted(name: &str) -> String {
    name.chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            '\r' | '\n' => vec![' '],
            other => vec![other],
        })
        .collect()
}

/// The media type for a file name, by its extension; `application/octet-stream` otherwise.
pub fn media_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        Some("bmp") => "image/bmp",
        Some("avif") => "image/avif",
        Some("pdf") => "application/pdf",
        Some("mp3") => "audio/mpeg",
        Some("wav") => "audio/wav",
        Some("ogg") => "audio/ogg",
        Some("m4a") => "audio/mp4",
        Some("flac") => "audio/flac",
        Some("mp4" | "m4v") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mov") => "video/quicktime",
        Some("mkv") => "video/x-matroska",
        Some("txt" | "md") => "text/plain",
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn writes_comment_minor_edit_and_the_file_part() {
        let upload = Upload {
            vault_path: "Attachments/Engelbart \"demo\".png",
            file_name: "Engelbart \"demo\".png",
            media_type: "image/png",
            sha256: HASH,
            comment: "sha256:9f86",
        };
        let (content_type, body) = form(&upload);
        let boundary = "confluence-publish-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let Body::Multipart {
            before,
            file_path,
            after,
        } = body
        else {
            panic!("an upload is a multipart body")
        };
        assert_eq!(file_path, "Attachments/Engelbart \"demo\".png");
        assert_eq!(
            before,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n\
                 sha256:9f86\r\n--{boundary}\r\nContent-Disposition: form-data; \
                 name=\"minorEdit\"\r\n\r\ntrue\r\n--{boundary}\r\nContent-Disposition: \
                 form-data; name=\"file\"; filename=\"Engelbart \\\"demo\\\".png\"\r\n\
                 Content-Type: image/png\r\n\r\n"
            )
        );
        assert_eq!(after, format!("\r\n--{boundary}--\r\n"));
    }

    #[test]
    fn media_types_follow_the_extension() {
        assert_eq!(media_type("Clip.MP4"), "video/mp4");
        assert_eq!(media_type("report.pdf"), "application/pdf");
        assert_eq!(media_type("no-extension"), "application/octet-stream");
    }
}
