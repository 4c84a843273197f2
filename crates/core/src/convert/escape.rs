//! Escaping for Confluence storage format, which is XML 1.0 with the `ac:` and `ri:` prefixes.
//!
//! Every piece of note text that reaches the output passes through one of the three functions
//! here, and nothing else in the converter writes `&`, `<`, `>` or `"` from user text:
//!
//! - [`push_text`] for element content: escapes `&`, `<`, `>`.
//! - [`push_attr`] for attribute values (always written between double quotes): escapes `&`, `<`,
//!   `>`, `"`.
//! - [`push_cdata`] for the inside of a CDATA section: `]]>` would end the section early, so it is
//!   either split across two sections or broken with a zero-width space.
//!
//! All three drop the characters XML 1.0 forbids (U+0000 to U+0008, U+000B, U+000C, U+000E to
//! U+001F, U+FFFE, U+FFFF); Confluence answers "Illegal character" to them. The only entities
//! ever written are `&amp;`, `&lt;`, `&gt;` and `&quot;`, which every XML parser knows: named
//! HTML entities such as `&nbsp;` are decoded by the Markdown parser before they get here, and any
//! `&` left in text is escaped, so none can reach the output.

/// How [`push_cdata`] deals with `]]>` inside a CDATA section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdataEnd {
    /// Close the section after `]]` and open a new one for `>`: `]]]]><![CDATA[>`. Exact, but
    /// Confluence Data Center 8.0 to 8.2 reject it (CONFSERVER-82849).
    Split,
    /// Write `]]` U+200B `>`: a zero-width space keeps the section open. Accepted everywhere;
    /// the code then holds one invisible character that was not in the note.
    ZeroWidthSpace,
}

/// Appends `text` as XML element content.
///
/// ```
/// # use publish_core::convert::escape::push_text;
/// let mut out = String::new();
/// push_text(&mut out, "List<String> & \u{1}more");
/// assert_eq!(out, "List&lt;String&gt; &amp; more");
/// ```
pub fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, Context::Text);
}

/// Appends `value` as the inside of a double-quoted XML attribute value.
///
/// ```
/// # use publish_core::convert::escape::push_attr;
/// let mut out = String::new();
/// push_attr(&mut out, r#"a?x=1&y="2""#);
/// assert_eq!(out, "a?x=1&amp;y=&quot;2&quot;");
/// ```
pub fn push_attr(out: &mut String, value: &str) {
    push_escaped(out, value, Context::Attribute);
}

/// Appends `text` as the inside of a CDATA section whose `<![CDATA[` and `]]>` the caller writes.
///
/// ```
/// # use publish_core::convert::escape::{push_cdata, CdataEnd};
/// let mut out = String::new();
/// push_cdata(&mut out, "a]]>b", CdataEnd::Split);
/// assert_eq!(out, "a]]]]><![CDATA[>b");
/// ```
pub fn push_cdata(out: &mut String, text: &str, end: CdataEnd) {
    let replacement = match end {
        CdataEnd::Split => "]]]]><![CDATA[>",
        CdataEnd::ZeroWidthSpace => "]]\u{200B}>",
    };
    // Illegal characters go first: dropping one from `]]\0>` would join a `]]>`.
    let legal: String = text.chars().filter(|&c| is_xml_char(c)).collect();
    let mut pieces = legal.split("]]>");
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for piece in pieces {
        out.push_str(replacement);
        out.push_str(piece);
    }
}

/// Whether XML 1.0 allows `c` in a document.
pub fn is_xml_char(c: char) -> bool {
    let control = matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}');
    !control && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Where escaped text goes: attribute values also need `"` escaped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
}

fn push_escaped(out: &mut String, text: &str, context: Context) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if context == Context::Attribute => out.push_str("&quot;"),
            c if is_xml_char(c) => out.push(c),
            // Not allowed anywhere in an XML 1.0 document: dropped.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, input);
        out
    }

    fn attr(input: &str) -> String {
        let mut out = String::new();
        push_attr(&mut out, input);
        out
    }

    fn cdata(input: &str, end: CdataEnd) -> String {
        let mut out = String::new();
        push_cdata(&mut out, input, end);
        out
    }

    #[test]
    fn text_escapes_markup_characters() {
        assert_eq!(text("a & b < c > d"), "a &amp; b &lt; c &gt; d");
    }

    #[test]
    fn text_keeps_quotes_and_unicode() {
        assert_eq!(
            text("\"q\" 'a' \u{a0}\u{2014}é"),
            "\"q\" 'a' \u{a0}\u{2014}é"
        );
    }

    #[test]
    fn text_escapes_what_looks_like_an_entity() {
        assert_eq!(text("&nbsp; &#160;"), "&amp;nbsp; &amp;#160;");
    }

    #[test]
    fn attr_escapes_quotes_too() {
        assert_eq!(
            attr("say \"hi\" <b> & 'x'"),
            "say &quot;hi&quot; &lt;b&gt; &amp; 'x'"
        );
    }

    #[test]
    fn illegal_characters_are_dropped_everywhere() {
        let input = "a\u{0}\u{8}\u{B}\u{C}\u{E}\u{1F}\u{FFFE}\u{FFFF}b";
        assert_eq!(text(input), "ab");
        assert_eq!(attr(input), "ab");
        assert_eq!(cdata(input, CdataEnd::Split), "ab");
    }

    #[test]
    fn tab_newline_and_carriage_return_are_kept() {
        assert_eq!(text("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(cdata("a\tb\nc\rd", CdataEnd::Split), "a\tb\nc\rd");
    }

    #[test]
    fn cdata_leaves_markup_characters_alone() {
        assert_eq!(
            cdata("if a < b && c > d", CdataEnd::Split),
            "if a < b && c > d"
        );
    }

    #[test]
    fn cdata_splits_every_end_marker() {
        assert_eq!(
            cdata("]]>x]]>", CdataEnd::Split),
            "]]]]><![CDATA[>x]]]]><![CDATA[>"
        );
    }

    #[test]
    fn cdata_breaks_end_marker_with_zero_width_space() {
        assert_eq!(cdata("a]]>b", CdataEnd::ZeroWidthSpace), "a]]\u{200B}>b");
    }

    #[test]
    fn cdata_handles_overlapping_brackets() {
        assert_eq!(cdata("]]]>", CdataEnd::Split), "]]]]]><![CDATA[>");
        assert_eq!(cdata("]] >", CdataEnd::Split), "]] >");
    }
}
