//! Raw HTML found in a note: the known-safe part is relayed as XHTML, the rest shown as text.
//!
//! A Markdown parser reads any `<word>` as HTML: `List<String>` in prose, `<Service Account
//! Name>`, a pasted `<iframe>`. Passing that through breaks the page (storage format is strict
//! XML), so only well-formed tags (quoted or plain attribute values, nothing after the name
//! that is not an attribute) of these elements are relayed:
//!
//! - inline: `br` (as `<br/>`), `sub`, `sup`, `u`, `s`, `code`, `em`, `strong`, `span`, and
//!   their synonyms `ins` (`u`), `del`, `strike` (`s`), `b` (`strong`), `i` (`em`), `kbd`
//!   (`code`), `mark` (a highlighted `span`); `img` becomes an `ac:image`;
//! - in HTML blocks also `div`, `p`, and `details` with its `summary`, which become an `expand`
//!   macro titled with the summary's text.
//!
//! Only `style` is kept, on `span` and `div`; other attributes are dropped. Comments
//! (`<!-- ... -->`) are left out: they are invisible in the note. Any other tag, and text in
//! HTML blocks, is shown as the text the author typed, with HTML entities (`&nbsp;`, `&#8212;`)
//! turned into characters. The writer (`writer/html.rs`) keeps relayed elements balanced.

use std::borrow::Cow;

/// What a relayed tag becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// `<br/>`.
    LineBreak,
    /// An inline element of this name.
    Inline(&'static str),
    /// `mark`: a span with a background colour.
    Mark,
    /// A block element of this name (in HTML blocks only).
    Block(&'static str),
    /// `details`: an `expand` macro.
    Details,
    /// `summary`: the title of the `details` around it.
    Summary,
    /// `img`: an `ac:image`.
    Image,
}

/// One well-formed tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtmlTag {
    /// The element name, lower-cased.
    pub name: String,
    pub closing: bool,
    pub self_closing: bool,
    /// Attribute names (lower-cased) and values as written.
    pub attributes: Vec<(String, String)>,
}

impl HtmlTag {
    /// The value of the attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let found = self.attributes.iter().find(|(key, _)| key == name);
        found.map(|(_, value)| value.as_str())
    }

    /// What this tag becomes, if relayed.
    pub fn known(&self) -> Option<Known> {
        let known = match self.name.as_str() {
            "br" => Known::LineBreak,
            "sub" | "sup" | "u" | "s" | "code" | "em" | "strong" | "span" => {
                Known::Inline(inline_name(&self.name))
            }
            "ins" => Known::Inline("u"),
            "del" | "strike" => Known::Inline("s"),
            "b" => Known::Inline("strong"),
            "i" => Known::Inline("em"),
            "kbd" => Known::Inline("code"),
            "mark" => Known::Mark,
            "div" => Known::Block("div"),
            "p" => Known::Block("p"),
            "details" => Known::Details,
            "summary" => Known::Summary,
            "img" => Known::Image,
            _ => return None,
        };
        Some(known)
    }
}

fn inline_name(name: &str) -> &'static str {
    match name {
        "sub" => "sub",
        "sup" => "sup",
        "u" => "u",
        "s" => "s",
        "code" => "code",
        "em" => "em",
        "strong" => "strong",
        _ => "span",
    }
}

/// One piece of an HTML block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'h> {
    Text(&'h str),
    Comment,
    /// A well-formed tag and its source.
    Tag(HtmlTag, &'h str),
}

/// Splits an HTML block into text, comments and well-formed tags. A `<` that opens no
/// well-formed tag is text.
pub fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some((piece, end)) = piece_at(html, start) else {
            at = start + 1;
            continue;
        };
        if text_start < start {
            pieces.push(Piece::Text(&html[text_start..start]));
        }
        pieces.push(piece);
        text_start = end;
        at = end;
    }
    if text_start < html.len() {
        pieces.push(Piece::Text(&html[text_start..]));
    }
    pieces
}

/// The comment or tag starting at `start`, and where it ends.
fn piece_at(html: &str, start: usize) -> Option<(Piece<'_>, usize)> {
    let rest = &html[start..];
    if rest.starts_with("<!--") {
        // `<!-->` and `<!--->` are complete comments; an unclosed one runs to the end.
        let end = rest[2..]
            .find("-->")
            .map_or(html.len(), |end| start + 2 + end + 3);
        return Some((Piece::Comment, end));
    }
    let end = start + rest.find('>')? + 1;
    let source = &html[start..end];
    parse_tag(source).map(|tag| (Piece::Tag(tag, source), end))
}

/// Parses exactly one tag (`<name a="v">`, `</name>`, `<name/>`); `None` if malformed.
pub fn parse_tag(source: &str) -> Option<HtmlTag> {
    let inner = source.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.strip_suffix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let rest = &inner[name_end..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let attributes = attributes(rest)?;
    if closing && (self_closing || !attributes.is_empty()) {
        return None;
    }
    Some(HtmlTag {
        name: name.to_ascii_lowercase(),
        closing,
        self_closing,
        attributes,
    })
}

fn attributes(mut rest: &str) -> Option<Vec<(String, String)>> {
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(found);
        }
        let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':');
        let name_end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        if name_end == 0 {
            return None;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        let after = rest[name_end..].trim_start();
        let Some(value_part) = after.strip_prefix('=') else {
            found.push((name, String::new()));
            rest = after;
            continue;
        };
        let (value, remaining) = attribute_value(value_part.trim_start())?;
        found.push((name, decode_entities(value).into_owned()));
        rest = remaining;
    }
}

fn attribute_value(text: &str) -> Option<(&str, &str)> {
    match text.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = text[1..].find(quote)? + 1;
            Some((&text[1..end], &text[end + 1..]))
        }
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            let value = &text[..end];
            let bad = |c: char| matches!(c, '"' | '\'' | '=' | '<' | '>' | '`');
            (!value.contains(bad)).then_some((value, &text[end..]))
        }
    }
}

/// `text` with HTML character references decoded: numeric ones, and the common named ones. An
/// unknown name stays as written (and is escaped on output).
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let candidate = &rest[at + 1..];
        let decoded = candidate
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| entity(&candidate[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &candidate[end + 1..];
            }
            None => {
                out.push('&');
                rest = candidate;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "shy" => '\u{AD}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "para" => '¶',
        "sect" => '§',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "check" => '✓',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags_parse() {
        let tag = parse_tag("<SPAN style=\"color: red\" class='a b' hidden>").unwrap();
        assert_eq!(tag.name, "span");
        assert_eq!(tag.attribute("style"), Some("color: red"));
        assert_eq!(tag.attribute("hidden"), Some(""));
        assert_eq!(tag.known(), Some(Known::Inline("span")));
        assert!(parse_tag("</b>").unwrap().closing);
        assert!(parse_tag("<br />").unwrap().self_closing);
        assert_eq!(
            parse_tag("<img src=a.png width=300>").unwrap().known(),
            Some(Known::Image)
        );
    }

    #[test]
    fn malformed_tags_are_refused() {
        for tag in [
            "<String>x",
            "<Service Account Name=>",
            "<--",
            "<a b=\"x>",
            "</b x>",
            "<1>",
        ] {
            assert_eq!(parse_tag(tag), None, "{tag}");
        }
        assert_eq!(parse_tag("<String>").unwrap().known(), None);
    }

    #[test]
    fn blocks_split_into_pieces() {
        let found = pieces("<div>\na < b <!-- c --> </div>");
        assert_eq!(found.len(), 5);
        assert_eq!(found[1], Piece::Text("\na < b "));
        assert_eq!(found[2], Piece::Comment);
        assert_eq!(pieces("x <!-- open"), [Piece::Text("x "), Piece::Comment]);
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("a&nbsp;b &mdash; &#169; &#x1F600; &bogus; &"),
            "a\u{a0}b — © 😀 &bogus; &"
        );
    }
}
