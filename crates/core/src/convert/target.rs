//! Where a Markdown image points, in Confluence terms, and how Obsidian embeds name files.
//!
//! `http:` and `https:` addresses stay web addresses (`ri:url`). Anything without a scheme is a
//! file next to the note, which the publisher uploads as an attachment; Confluence finds it by
//! file name alone (`ri:attachment`), so only the last path segment is kept, percent-decoded
//! (`img/My%20shot.png` → `My shot.png`). Other schemes (`data:`, `file:`, `app:`) have no
//! storage-format equivalent.
//!
//! Resolving a path against the vault, uploading, and de-duplicating attachments are the
//! caller's job.

/// What an image's destination becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource<'a> {
    /// A web address, kept as written.
    Url(&'a str),
    /// A local file: the attachment's file name.
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

/// The last segment of a path, `/` or `\\` separated.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Whether an embedded file (`![[name]]`) is an image Obsidian shows inline.
pub fn is_image_file(name: &str) -> bool {
    const EXTENSIONS: [&str; 8] = ["avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"];
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase());
    extension.is_some_and(|extension| EXTENSIONS.contains(&extension.as_str()))
}

/// The width in an embed's size (`![[a.png|300]]` or `![[a.png|300x200]]`), if `text` is one.
pub fn embed_width(text: &str) -> Option<&str> {
    let (width, height) = text.split_once('x').unwrap_or((text, "0"));
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (is_number(width) && is_number(height)).then_some(width)
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
    let name = percent_decode(file_name(path));
    if name.trim().is_empty() {
        ImageSource::Unsupported
    } else {
        ImageSource::Attachment(name)
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is. Byte sequences
/// that are not UTF-8 become U+FFFD.
fn percent_decode(text: &str) -> String {
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
    fn local_paths_become_decoded_file_names() {
        let expected = ImageSource::Attachment("My shot.png".to_owned());
        assert_eq!(image_source("img/sub/My%20shot.png"), expected);
        assert_eq!(image_source("My shot.png"), expected);
        assert_eq!(image_source("..\\img\\My shot.png"), expected);
        assert_eq!(image_source("C:/img/My%20shot.png#center"), expected);
    }

    #[test]
    fn image_files_are_known_by_extension() {
        assert!(is_image_file("a/b.PNG"));
        assert!(is_image_file("shot.jpeg"));
        assert!(!is_image_file("Note"));
        assert!(!is_image_file("doc.pdf"));
    }

    #[test]
    fn embed_sizes_give_a_width() {
        assert_eq!(embed_width("300"), Some("300"));
        assert_eq!(embed_width("300x200"), Some("300"));
        assert_eq!(embed_width("a diagram"), None);
        assert_eq!(embed_width("x200"), None);
        assert_eq!(embed_width(""), None);
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
