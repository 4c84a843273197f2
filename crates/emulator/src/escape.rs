//! Escaping for the HTML views: the only place markup text is made safe.

/// `text` safe between HTML tags.
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

/// `text` safe inside a double-quoted HTML attribute.
pub fn html_attribute(text: &str) -> String {
    html_text(text).replace('"', "&quot;")
}

/// `text` safe as one URL path segment: unreserved characters kept, the rest percent-encoded.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Percent-decodes a URL path segment (`+` stays `+`); `None` if the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok());
        match (
            bytes[index],
            hex.and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(html_text("a < b & c > d"), "a &lt; b &amp; c &gt; d");
        assert_eq!(html_attribute("say \"hi\""), "say &quot;hi&quot;");
    }

    #[test]
    fn round_trips_path_segments() {
        assert_eq!(path_segment("A & B/C"), "A%20%26%20B%2FC");
        assert_eq!(
            percent_decode("A%20%26%20B%2FC").as_deref(),
            Some("A & B/C")
        );
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
    }
}
