//! Where a Markdown image or link points, in Confluence terms.
//!
//! `http:` and `https:` addresses stay web addresses (`ri:url`). Anything without a scheme is a
//! file in the vault, which the publisher uploads as an attachment; its path is
//! percent-decoded (`img/My%20shot.png` → `img/My shot.png`) and looked up by the caller's
//! resolver (`links.rs`); `attachments.rs` names it on the page. Other schemes (`data:`,
//! `file:`, `app:`) have no storage-format equivalent.

/// What an image's destination becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource<'a> {
    /// A web address, kept as written.
    Url(&'a str),
    /// A local file: its path, percent-decoded, without query or fragment.
    Attachment(String),
    /// Nothing Confluence can show.
    Unsupported,
}

/// Classifies an image destination.
pub fn image_source(destination: &str) -> ImageSource<'_> {
    let destination = destination.trim();
    match scheme(destination) {
        Some(scheme)
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            ImageSource::Url(destination)
        }
        Some(_) => ImageSource::Unsupported,
        None => attachment(destination),
    }
}

/// Whether `destination` starts with a URI scheme (`https:`, `mailto:`, `obsidian:`).
pub fn has_scheme(destination: &str) -> bool {
    scheme(destination.trim()).is_some()
}

/// The last segment of a path, `/` or `\\` separated.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The URI scheme of `destination`, if it has one. One letter is a Windows drive, not a scheme.
fn scheme(destination: &str) -> Option<&str> {
    let (scheme, _) = destination.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_is_valid = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (scheme.len() > 1 && starts_with_letter && rest_is_valid).then_some(scheme)
}

fn attachment(path: &str) -> ImageSource<'static> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode(path);
    if file_name(&path).trim().is_empty() {
        ImageSource::Unsupported
    } else {
        ImageSource::Attachment(path)
    }
}

/// Whether `destination` would run code when followed (`javascript:`, `vbscript:`, `data:`),
/// however it is spelt: browsers ignore case, and whitespace and control characters in it.
pub fn runs_script(destination: &str) -> bool {
    let squeezed: String = destination
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is. Byte sequences
/// that are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes.get(i + 1..i + 3).and_then(hex_byte);
        match (bytes[i], escaped) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_byte(digits: &[u8]) -> Option<u8> {
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_stay_urls() {
        assert_eq!(
            image_source("https://x.org/a.png?s=1&t=2"),
            ImageSource::Url("https://x.org/a.png?s=1&t=2")
        );
        assert_eq!(
            image_source("HTTP://x.org/a.png"),
            ImageSource::Url("HTTP://x.org/a.png")
        );
    }

    #[test]
    fn local_paths_are_decoded() {
        let attachment = |path: &str| ImageSource::Attachment(path.to_owned());
        assert_eq!(
            image_source("img/sub/My%20shot.png"),
            attachment("img/sub/My shot.png")
        );
        assert_eq!(image_source("My shot.png"), attachment("My shot.png"));
        assert_eq!(
            image_source("C:/img/My%20shot.png#center"),
            attachment("C:/img/My shot.png")
        );
    }

    #[test]
    fn percent_decoding_handles_utf8_and_stray_percent() {
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
        assert_eq!(percent_decode("100%zz %+1"), "100%zz %+1");
    }

    #[test]
    fn other_schemes_and_empty_names_are_unsupported() {
        assert_eq!(
            image_source("data:image/png;base64,AAAA"),
            ImageSource::Unsupported
        );
        assert_eq!(image_source("file:///tmp/a.png"), ImageSource::Unsupported);
        assert_eq!(image_source(""), ImageSource::Unsupported);
        assert_eq!(image_source("img/"), ImageSource::Unsupported);
    }
}
