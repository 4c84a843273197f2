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
//!
//! Text is copied in runs between the characters written differently. These are ASCII, except
//! U+FFFE and U+FFFF, whose UTF-8 forms start with the byte `0xEF`; so the scan looks at bytes,
//! eight at a time where none of them can start such a character.

use std::borrow::Cow;

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
    let legal = match next_special(text, Context::Cdata) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let mut legal = String::with_capacity(text.len());
            push_escaped(&mut legal, text, Context::Cdata);
            Cow::Owned(legal)
        }
    };
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

/// Whether `text` holds a character XML 1.0 forbids other than NUL, which the Markdown parser
/// replaces with U+FFFD before anything is written.
pub(crate) fn has_illegal_chars(text: &str) -> bool {
    let mut rest = text;
    while let Some((at, length, _)) = next_special(rest, Context::Cdata) {
        if rest.as_bytes()[at] != 0 {
            return true;
        }
        rest = &rest[at + length..];
    }
    false
}

/// Where escaped text goes: attribute values also need `"` escaped; CDATA sections need only
/// the illegal characters dropped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Text,
    Attribute,
    Cdata,
}

fn push_escaped(out: &mut String, text: &str, context: Context) {
    let mut rest = text;
    while let Some((at, length, replacement)) = next_special(rest, context) {
        out.push_str(&rest[..at]);
        out.push_str(replacement);
        rest = &rest[at + length..];
    }
    out.push_str(rest);
}

/// The first character of `text` not written as it is in `context`: its byte offset, its
/// length and what is written instead (nothing for a character XML forbids).
fn next_special(text: &str, context: Context) -> Option<(usize, usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    loop {
        let at = next_maybe_special(bytes, from)?;
        let replacement = match (bytes[at], context) {
            (b'&', Context::Text | Context::Attribute) => "&amp;",
            (b'<', Context::Text | Context::Attribute) => "&lt;",
            (b'>', Context::Text | Context::Attribute) => "&gt;",
            (b'"', Context::Attribute) => "&quot;",
            // U+FFFE and U+FFFF; other characters starting with `0xEF` are kept.
            (0xEF, _) if matches!(bytes[at + 1..], [0xBF, 0xBE | 0xBF, ..]) => {
                return Some((at, 3, ""))
            }
            // Not allowed anywhere in an XML 1.0 document: dropped.
            (byte, _) if byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r') => "",
            _ => {
                from = at + 1;
                continue;
            }
        };
        return Some((at, 1, replacement));
    }
}

/// Where the first byte from `from` on is that may start a character not written as it is.
fn next_maybe_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("the chunk has eight bytes"));
        if may_hold_special(word) {
            break;
        }
        at += 8;
    }
    let found = bytes[at..]
        .iter()
        .position(|&b| MAY_BE_SPECIAL[usize::from(b)])?;
    Some(at + found)
}

/// Whether any of the eight bytes of `word` may be one [`MAY_BE_SPECIAL`] marks (false alarms
/// allowed, misses not).
fn may_hold_special(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte of `word` is below `limit` (at most 0x80) if the subtraction borrows into its top bit
    // while that bit was clear.
    let has_below = |word: u64, limit: u8| {
        word.wrapping_sub(ONES * u64::from(limit)) & !word & (ONES << 7) != 0
    };
    let has = |byte: u8| has_below(word ^ (ONES * u64::from(byte)), 1);
    has_below(word, 0x20) || has(b'&') || has(b'<') || has(b'>') || has(b'"') || has(0xEF)
}

/// Whether each byte may start a character that is not written as it is, in some context.
static MAY_BE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[0xEF] = true;
    table
};

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
    fn runs_match_escaping_character_by_character() {
        let reference = |input: &str, context: Context| -> String {
            let mut out = String::new();
            for c in input.chars() {
                match c {
                    '&' if context != Context::Cdata => out.push_str("&amp;"),
                    '<' if context != Context::Cdata => out.push_str("&lt;"),
                    '>' if context != Context::Cdata => out.push_str("&gt;"),
                    '"' if context == Context::Attribute => out.push_str("&quot;"),
                    c if is_xml_char(c) => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let mut input: String = (0..0x80u8).map(char::from).collect();
        input.push_str("\u{EFFF}\u{FFFD}\u{FFFE}\u{FFFF}\u{FEFF}\u{10FFFF}é—😀 & \"tail\"");
        // Every character of interest at every place in an eight-byte chunk, among plain text.
        let mut chunks = String::new();
        for c in input.chars() {
            for offset in 0..8 {
                chunks.extend(["plain text ", &"x".repeat(offset)]);
                chunks.push(c);
            }
        }
        for input in [input.as_str(), chunks.as_str()] {
            for context in [Context::Text, Context::Attribute, Context::Cdata] {
                let mut out = String::new();
                push_escaped(&mut out, input, context);
                assert_eq!(out, reference(input, context));
            }
        }
        assert!(has_illegal_chars("a\u{FFFF}") && has_illegal_chars("\0\u{1}"));
        assert!(!has_illegal_chars("\0 \t\r\n\u{FFFD}\u{EFBF}"));
    }

    #[test]
    fn cdata_handles_overlapping_brackets() {
        assert_eq!(cdata("]]]>", CdataEnd::Split), "]]]]]><![CDATA[>");
        assert_eq!(cdata("]] >", CdataEnd::Split), "]] >");
    }
}
