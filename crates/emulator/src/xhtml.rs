//! Storage-format bodies checked the way Confluence parses them: as strict XML.
//!
//! Confluence wraps a body in a root element that declares the XHTML default namespace and the
//! `ac:` and `ri:` prefixes, then parses it with a strict XML parser. So a body must be
//! well-formed XML 1.0: every element closed (`<br/>`, never `<br>`), proper nesting, every
//! attribute quoted and valued, no entity besides the five XML ones and numeric references, no
//! character XML 1.0 forbids, no undeclared namespace prefix, no DOCTYPE.
//!
//! Messages follow the parser Confluence uses (Woodstox) where its wording is known, such as
//! `Unexpected close tag </p>; expected </br>.`; positions are 1-based row and column in the
//! body as sent. Out of scope: what Confluence checks after parsing (macro names, parameters,
//! code languages); a body that passes here may still render oddly.

use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;
use thiserror::Error;

/// The root element Confluence wraps a body in before parsing it.
const OPEN_WRAPPER: &str = concat!(
    r#"<ac:confluence xmlns="http://www.w3.org/1999/xhtml" "#,
    r#"xmlns:ac="http://atlassian.com/content" "#,
    r#"xmlns:ri="http://atlassian.com/resource/identifier">"#
);
const CLOSE_WRAPPER: &str = "</ac:confluence>";

/// Why a body is not well-formed storage format, and where (1-based, in the body as sent).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{problem} at [row,col]: [{row},{column}]")]
pub struct XhtmlError {
    /// What is wrong, in the parser's words, such as `Unexpected close tag </p>; expected </br>.`
    pub problem: String,
    /// Line of the problem, from 1.
    pub row: usize,
    /// Column of the problem in characters, from 1.
    pub column: usize,
}

/// A problem at a byte offset in the wrapped document.
type Located = (usize, String);

/// Checks that `body` is storage format Confluence would accept as XML.
///
/// ```
/// use confluence_emulator::check_storage_format;
///
/// assert!(check_storage_format("<p>a<br/>b</p>").is_ok());
/// let error = check_storage_format("<p>a<br></p>").unwrap_err();
/// assert_eq!(error.to_string(), "Unexpected close tag </p>; expected </br>. at [row,col]: [1,9]");
/// ```
pub fn check_storage_format(body: &str) -> Result<(), XhtmlError> {
    if let Some((offset, character)) = first_illegal_character(body) {
        return Err(locate(body, offset, illegal_character(character)));
    }
    let wrapped = format!("{OPEN_WRAPPER}{body}{CLOSE_WRAPPER}");
    let close_offset = wrapped.len() - CLOSE_WRAPPER.len();
    let result = Checker {
        reader: NsReader::from_str(&wrapped),
        open: Vec::new(),
        close_offset,
    }
    .run();
    result.map_err(|(offset, problem)| {
        locate(body, offset.saturating_sub(OPEN_WRAPPER.len()), problem)
    })
}

/// File names a body refers to as attachments of its own page, in order of appearance.
///
/// Covers `<ri:attachment ri:filename="..."/>` wherever it appears (`ac:image`, `ac:link`, a
/// macro parameter such as `view-file`'s); an `ri:attachment` naming another page (an `ri:page`
/// or `ri:blog-post` inside it) is left out. A body that is not well-formed gives what was read
/// before the problem.
pub fn attachment_references(body: &str) -> Vec<String> {
    let wrapped = format!("{OPEN_WRAPPER}{body}{CLOSE_WRAPPER}");
    let mut reader = quick_xml::Reader::from_str(&wrapped);
    let mut found = Vec::new();
    // The file name of an open `ri:attachment`, and whether it names another page's file.
    let mut open: Option<(String, bool)> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) if tag.name().as_ref() == b"ri:attachment" => {
                open = Some((file_name_of(&tag), false));
            }
            Ok(Event::Empty(tag)) if tag.name().as_ref() == b"ri:attachment" => {
                found.push(file_name_of(&tag));
            }
            Ok(Event::Start(tag) | Event::Empty(tag)) if is_other_content(tag.name().as_ref()) => {
                if let Some((_, foreign)) = open.as_mut() {
                    *foreign = true;
                }
            }
            Ok(Event::End(tag)) if tag.name().as_ref() == b"ri:attachment" => {
                if let Some((name, false)) = open.take() {
                    found.push(name);
                }
            }
            Ok(Event::Eof) | Err(_) => return found,
            Ok(_) => {}
        }
    }
}

/// `ri:` elements that point an attachment reference at another piece of content.
fn is_other_content(name: &[u8]) -> bool {
    matches!(name, b"ri:page" | b"ri:blog-post" | b"ri:content-entity")
}

/// The unescaped `ri:filename` of a tag, or empty.
fn file_name_of(tag: &BytesStart) -> String {
    tag.attributes()
        .flatten()
        .find(|attribute| attribute.key.as_ref() == b"ri:filename")
        .and_then(|attribute| attribute.unescape_value().ok().map(|v| v.into_owned()))
        .unwrap_or_default()
}

/// Walks the events of the wrapped document, keeping the open elements.
struct Checker<'a> {
    reader: NsReader<&'a [u8]>,
    open: Vec<String>,
    /// Where the wrapper's own close tag starts.
    close_offset: usize,
}

impl Checker<'_> {
    fn run(mut self) -> Result<(), Located> {
        let config = self.reader.config_mut();
        config.check_end_names = false;
        config.check_comments = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        loop {
            let start = self.reader.buffer_position() as usize;
            let (unknown_prefix, event) = match self.reader.read_resolved_event() {
                Ok((resolved, event)) => (unknown_prefix(resolved), event),
                Err(error) => return Err((self.reader.error_position() as usize, reader(error))),
            };
            match event {
                Event::Start(tag) => {
                    self.check_start(unknown_prefix, &tag, start)?;
                    self.open.push(qualified_name(&tag));
                }
                Event::Empty(tag) => self.check_start(unknown_prefix, &tag, start)?,
                Event::End(tag) => self.check_end(&text_of(tag.name().as_ref()), start)?,
                Event::Text(text) => check_text(&text_of(&text), start)?,
                Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Decl(_) => return Err((start, xml_declaration())),
                Event::DocType(_) => return Err((start, "DOCTYPE is not allowed here".into())),
                Event::Eof => return Ok(()),
            }
        }
    }

    /// Element name, namespace prefix and attributes of a start or empty tag.
    fn check_start(
        &self,
        unknown_prefix: Option<String>,
        tag: &BytesStart,
        start: usize,
    ) -> Result<(), Located> {
        let name = qualified_name(tag);
        check_name(&name, start)?;
        if let Some(prefix) = unknown_prefix {
            return Err((start, format!("Undeclared namespace prefix \"{prefix}\"")));
        }
        for attribute in tag.attributes() {
            let attribute = attribute.map_err(|error| attribute_error(error, tag, start))?;
            let key = text_of(attribute.key.as_ref());
            check_name(&key, start)?;
            self.check_attribute_prefix(&key, start)?;
            check_attribute_value(&text_of(&attribute.value), start)?;
        }
        Ok(())
    }

    fn check_attribute_prefix(&self, key: &str, start: usize) -> Result<(), Located> {
        if key == "xmlns" || key.starts_with("xmlns:") {
            return Ok(());
        }
        let (resolved, _) = self.reader.resolve_attribute(QName(key.as_bytes()));
        match resolved {
            ResolveResult::Unknown(prefix) => {
                let prefix = text_of(&prefix);
                Err((
                    start,
                    format!("Undeclared namespace prefix \"{prefix}\" (for attribute \"{key}\")"),
                ))
            }
            ResolveResult::Bound(_) | ResolveResult::Unbound => Ok(()),
        }
    }

    /// A close tag must match the innermost open element; only the wrapper may close the root.
    fn check_end(&mut self, name: &str, start: usize) -> Result<(), Located> {
        let is_wrapper_close = start == self.close_offset;
        if is_wrapper_close && self.open.len() > 1 {
            let innermost = self.open.last().cloned().unwrap_or_default();
            let problem =
                format!("Unexpected EOF; was expecting a close tag for element <{innermost}>");
            return Err((start, problem));
        }
        if !is_wrapper_close && self.open.len() <= 1 {
            return Err((
                start,
                format!("Unexpected close tag </{name}>; no element is open."),
            ));
        }
        match self.open.pop() {
            Some(expected) if expected == name => Ok(()),
            Some(expected) => Err((
                start,
                format!("Unexpected close tag </{name}>; expected </{expected}>."),
            )),
            None => Err((
                start,
                format!("Unexpected close tag </{name}>; no element is open."),
            )),
        }
    }
}

/// Bytes the reader took from a `&str` at markup boundaries, so always valid UTF-8.
fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn qualified_name(tag: &BytesStart) -> String {
    text_of(tag.name().as_ref())
}

/// Text between tags: references must be defined, and `]]>` may not appear.
fn check_text(raw: &str, start: usize) -> Result<(), Located> {
    check_references(raw).map_err(|(offset, problem)| (start + offset, problem))?;
    match raw.find("]]>") {
        Some(offset) => Err((
            start + offset,
            "Illegal sequence ']]>' in text content".into(),
        )),
        None => Ok(()),
    }
}

/// An attribute value may not hold `<`, and its references must be defined.
fn check_attribute_value(raw: &str, start: usize) -> Result<(), Located> {
    if raw.contains('<') {
        return Err((start, "Unexpected '<' character in attribute value".into()));
    }
    check_references(raw).map_err(|(_, problem)| (start, problem))
}

/// Every `&` must start `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` or `&#xH;`.
fn check_references(raw: &str) -> Result<(), Located> {
    for (offset, _) in raw.match_indices('&') {
        let rest = &raw[offset + 1..];
        let name_length = rest
            .find(|c: char| !(c.is_alphanumeric() || "#_-.".contains(c)))
            .unwrap_or(rest.len());
        let name = &rest[..name_length];
        let after = rest[name_length..].chars().next();
        if name.is_empty() {
            return Err((
                offset,
                format!("Unexpected character {} after '&'", describe(after)),
            ));
        }
        if after != Some(';') {
            let problem = format!(
                "Unexpected character {}; expected a semi-colon after the reference for entity \
                 '{name}'",
                describe(after)
            );
            return Err((offset, problem));
        }
        check_reference_name(name).map_err(|problem| (offset, problem))?;
    }
    Ok(())
}

fn check_reference_name(name: &str) -> Result<(), String> {
    let code = match name {
        "amp" | "lt" | "gt" | "quot" | "apos" => return Ok(()),
        _ if name.starts_with("#x") => u32::from_str_radix(&name[2..], 16).ok(),
        _ if name.starts_with('#') => name[1..].parse::<u32>().ok(),
        _ => return Err(format!("Undeclared general entity \"{name}\"")),
    };
    match code.map(|code| (code, char::from_u32(code))) {
        Some((_, Some(c))) if is_legal_xml_char(c) => Ok(()),
        Some((code, _)) => Err(format!(
            "Illegal character entity: expansion character (code 0x{code:x})"
        )),
        None => Err(format!("Invalid character reference \"&{name};\"")),
    }
}

/// XML names start with a letter, `_` or `:`; then letters, digits, `-`, `.`, `_`, `:`.
fn check_name(name: &str, start: usize) -> Result<(), Located> {
    let mut chars = name.chars();
    let first = chars.next();
    let starts_well = first.is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    if starts_well && chars.all(|c| c.is_alphanumeric() || "-._:".contains(c)) {
        return Ok(());
    }
    let problem = format!(
        "Unexpected character {} in name \"{name}\" (malformed start element?)",
        describe(first)
    );
    Err((start, problem))
}

/// XML 1.0 `Char`: tab, line feed, carriage return, and U+0020 and up except U+FFFE and U+FFFF.
fn is_legal_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn first_illegal_character(body: &str) -> Option<(usize, char)> {
    body.char_indices().find(|&(_, c)| !is_legal_xml_char(c))
}

fn illegal_character(c: char) -> String {
    let code = u32::from(c);
    if code < 0x20 {
        format!("Illegal character ((CTRL-CHAR, code {code}))")
    } else {
        format!("Illegal character (code 0x{code:x})")
    }
}

fn xml_declaration() -> String {
    "Illegal processing instruction target (\"xml\"); 'xml' (case insensitive) is reserved by \
     the specs."
        .into()
}

/// The prefix of an element name no `xmlns:` declaration binds, if any.
fn unknown_prefix(resolved: ResolveResult) -> Option<String> {
    match resolved {
        ResolveResult::Unknown(prefix) => Some(text_of(&prefix)),
        ResolveResult::Bound(_) | ResolveResult::Unbound => None,
    }
}

/// `'x' (code 120)`, or `EOF`.
fn describe(c: Option<char>) -> String {
    match c {
        Some(c) => format!("'{c}' (code {})", u32::from(c)),
        None => "EOF".to_owned(),
    }
}

fn attribute_error(error: AttrError, tag: &BytesStart, start: usize) -> Located {
    let tag_name = qualified_name(tag);
    let problem = match error {
        AttrError::ExpectedEq(_) => {
            format!(
                "Unexpected character in start tag <{tag_name}>; expected '=' after an \
                 attribute name"
            )
        }
        AttrError::ExpectedValue(_) | AttrError::UnquotedValue(_) => {
            format!(
                "Unexpected character in start tag <{tag_name}>; expected a quote character \
                 enclosing an attribute value"
            )
        }
        AttrError::ExpectedQuote(_, quote) => {
            format!(
                "Unexpected EOF in attribute value of <{tag_name}>; expected {}",
                char::from(quote)
            )
        }
        AttrError::Duplicated(_, _) => format!("Duplicate attribute in start tag <{tag_name}>"),
    };
    (start, problem)
}

/// The reader's own errors in Confluence-like words.
fn reader(error: quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    use quick_xml::Error;
    match error {
        Error::Syntax(SyntaxError::UnclosedTag) => "Unexpected EOF in start tag".into(),
        Error::Syntax(SyntaxError::UnclosedCData) => "Unexpected EOF in CDATA section".into(),
        Error::Syntax(SyntaxError::UnclosedComment) => "Unexpected EOF in comment".into(),
        Error::Syntax(SyntaxError::UnclosedDoctype) => "Unexpected EOF in DOCTYPE".into(),
        Error::Syntax(SyntaxError::UnclosedPIOrXmlDecl) => {
            "Unexpected EOF in processing instruction".into()
        }
        Error::Syntax(SyntaxError::InvalidBangMarkup) => {
            "Unexpected character after '<!' (expected a comment or CDATA)".into()
        }
        Error::IllFormed(IllFormedError::DoubleHyphenInComment) => {
            "String '--' not allowed in comment (missing '>'?)".into()
        }
        Error::IllFormed(other) => format!("Malformed XML: {other}"),
        Error::InvalidAttr(other) => format!("Malformed attribute: {other}"),
        Error::Namespace(other) => format!("Namespace error: {other}"),
        Error::Escape(other) => format!("Malformed reference: {other}"),
        Error::Encoding(other) => format!("Encoding error: {other}"),
        Error::Io(other) => format!("Read error: {other}"),
    }
}

/// `problem` at a byte offset of `body`, as 1-based row and column.
fn locate(body: &str, offset: usize, problem: String) -> XhtmlError {
    let mut offset = offset.min(body.len());
    while !body.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &body[..offset];
    let row = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    XhtmlError {
        problem,
        row,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(body: &str) -> String {
        check_storage_format(body)
            .expect_err("body should be rejected")
            .to_string()
    }

    #[test]
    fn accepts_the_shapes_of_the_storage_format() {
        let body = concat!(
            "<h2>Heading</h2><p>a<br/>b &amp; c &#160; &#xA0;</p><hr/>",
            "<ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">python",
            "</ac:parameter><ac:plain-text-body><![CDATA[if a < b: print(\"&\")]]>",
            "</ac:plain-text-body></ac:structured-macro>",
            "<ac:link ac:anchor=\"Setup\"><ri:page ri:content-title=\"Other &quot;page&quot;\" ",
            "ri:space-key=\"DOC\"/><ac:plain-text-link-body><![CDATA[see]]>",
            "</ac:plain-text-link-body></ac:link><!-- a comment -->",
            "<ac:image><ri:url ri:value=\"https://example.com/x.png?a=1&amp;b=2\"/></ac:image>"
        );
        check_storage_format(body).expect("well-formed storage format should pass");
        check_storage_format("").expect("an empty body should pass");
        check_storage_format("plain text").expect("text without markup should pass");
    }

    #[test]
    fn accepts_what_the_converter_emits_for_attachments() {
        let body = concat!(
            "<p><ac:image ac:alt=\"diagram\" ac:width=\"300\"><ri:attachment ",
            "ri:filename=\"diagram &amp; notes.png\"/></ac:image></p>",
            "<p><ac:link><ri:attachment ri:filename=\"report.pdf\"/><ac:plain-text-link-body>",
            "<![CDATA[report]]></ac:plain-text-link-body></ac:link></p>",
            "<ac:structured-macro ac:name=\"view-file\"><ac:parameter ac:name=\"name\">",
            "<ri:attachment ri:filename=\"a.pdf\"/></ac:parameter></ac:structured-macro>",
            "<ac:image><ri:attachment ri:filename=\"theirs.png\"><ri:page ",
            "ri:content-title=\"Other\"/></ri:attachment></ac:image>"
        );
        check_storage_format(body).expect("attachment references should pass");
        assert_eq!(
            attachment_references(body),
            ["diagram & notes.png", "report.pdf", "a.pdf"]
        );
    }

    #[test]
    fn unclosed_void_element_is_a_mismatched_close_tag() {
        assert_eq!(
            problem("<p>a\n<br></p>"),
            "Unexpected close tag </p>; expected </br>. at [row,col]: [2,5]"
        );
    }

    #[test]
    fn unclosed_element_at_the_end() {
        assert_eq!(
            problem("<p>text"),
            "Unexpected EOF; was expecting a close tag for element <p> at [row,col]: [1,8]"
        );
    }

    #[test]
    fn stray_close_tag() {
        assert_eq!(
            problem("<p>a</p></div>"),
            "Unexpected close tag </div>; no element is open. at [row,col]: [1,9]"
        );
        assert!(problem("</ac:confluence><p>x</p>").starts_with("Unexpected close tag"));
    }

    #[test]
    fn entities_must_be_xml_ones() {
        assert!(problem("<p>a&nbsp;b</p>").starts_with("Undeclared general entity \"nbsp\""));
        assert!(problem("<p>Q&A</p>").contains("expected a semi-colon"));
        assert!(problem("<p>a & b</p>").starts_with("Unexpected character ' ' (code 32)"));
        assert!(problem("<p>&#0;</p>").starts_with("Illegal character entity"));
        assert!(problem("<a href=\"?a=1&b=2\">x</a>").contains("semi-colon"));
    }

    #[test]
    fn attributes_must_be_quoted_and_valued() {
        assert!(problem("<details open><p>x</p></details>").contains("expected '='"));
        assert!(problem("<a href=x>y</a>").contains("expected a quote"));
        assert!(problem("<a b=\"1\" b=\"2\">y</a>").starts_with("Duplicate attribute"));
        assert!(problem("<a title=\"a<b\">y</a>").contains("'<' character in attribute value"));
    }

    #[test]
    fn prefixes_must_be_declared() {
        assert!(problem("<foo:bar/>").starts_with("Undeclared namespace prefix \"foo\""));
        assert!(problem("<p x:y=\"1\">a</p>").starts_with("Undeclared namespace prefix \"x\""));
        check_storage_format("<foo:bar xmlns:foo=\"urn:x\"/>").expect("declared prefix is fine");
    }

    #[test]
    fn illegal_characters_are_rejected() {
        assert_eq!(
            problem("<p>a\u{8}b</p>"),
            "Illegal character ((CTRL-CHAR, code 8)) at [row,col]: [1,5]"
        );
        assert!(problem("<p>\u{FFFF}</p>").starts_with("Illegal character (code 0xffff)"));
    }

    #[test]
    fn markup_that_is_not_xml() {
        assert!(problem("<p>List<String></p>").starts_with("Unexpected close tag </p>"));
        assert!(problem("<p>a < b</p>").contains("malformed start element"));
        assert!(problem("<!DOCTYPE html><p/>").starts_with("DOCTYPE"));
        assert!(problem("<p>a ]]> b</p>").starts_with("Illegal sequence"));
        assert!(problem("<!-- a -- b -->").starts_with("String '--' not allowed"));
        assert!(problem("<p>a<![CDATA[b</p>").starts_with("Unexpected EOF in CDATA"));
    }
}
