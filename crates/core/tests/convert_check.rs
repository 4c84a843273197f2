//! Checks that a converter output is storage format Confluence will take.
//!
//! Shared by the `convert_*` test targets through `#[path]`; compiled alone it has no caller,
//! hence the `dead_code` allowance. [`check_storage`] parses the body with quick-xml inside a
//! root element declaring the `ac` and `ri` namespaces, and rejects:
//!
//! - anything not well-formed: unclosed or crossed elements, unquoted or valueless attributes,
//!   duplicate attributes, undeclared prefixes;
//! - entities other than XML's own (`&nbsp;` fails strict XML tooling), and characters XML 1.0
//!   forbids;
//! - comments, processing instructions and doctypes;
//! - structure Confluence refuses: `ul`/`ol` holding anything but `li`, `ac:task-list` anything
//!   but `ac:task`, tables anything but rows and cells, a macro with an `ac:parameter` after its
//!   body or two bodies, an empty `language` parameter, a heading whose first child is `code`,
//!   and text lying loose in a list, table or macro;
//! - task ids used twice on the page, an `ac:plain-text-link-body` holding anything but CDATA,
//!   and a parameter holding `ri:attachment` together with anything else.
#![allow(dead_code)]

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

const OPEN_ROOT: &str = "<root xmlns:ac=\"http://atlassian.com/content\" \
                         xmlns:ri=\"http://atlassian.com/resource/identifier\">";
const CLOSE_ROOT: &str = "</root>";

/// `Ok` if `storage` is well-formed, entity-clean and structurally sound; else what is wrong
/// and at which byte of `storage`.
pub fn check_storage(storage: &str) -> Result<(), String> {
    let document = [OPEN_ROOT, storage, CLOSE_ROOT].concat();
    let mut reader = NsReader::from_str(&document);
    let mut checker = Structure::default();
    loop {
        let position = reader.buffer_position() as usize;
        let at = position.saturating_sub(OPEN_ROOT.len());
        let event = reader.read_resolved_event();
        let outcome = match event {
            Ok((_, Event::Eof)) => return checker.finish(),
            Ok((resolved, event)) => {
                let unknown_prefix = unknown_prefix(resolved);
                check_event(&reader, unknown_prefix, event, &mut checker)
            }
            Err(error) => Err(error.to_string()),
        };
        outcome.map_err(|problem| format!("at byte {at}: {problem}"))?;
    }
}

/// The prefix of an element name that no namespace declaration binds.
fn unknown_prefix(resolved: ResolveResult<'_>) -> Option<Vec<u8>> {
    match resolved {
        ResolveResult::Unknown(prefix) => Some(prefix),
        ResolveResult::Unbound | ResolveResult::Bound(_) => None,
    }
}

fn check_event(
    reader: &NsReader<&[u8]>,
    unknown_prefix: Option<Vec<u8>>,
    event: Event<'_>,
    checker: &mut Structure,
) -> Result<(), String> {
    match event {
        Event::Start(start) => {
            let name = check_element(reader, unknown_prefix, &start)?;
            checker.open(name, &start)
        }
        Event::Empty(start) => {
            let name = check_element(reader, unknown_prefix, &start)?;
            checker.open(name, &start)?;
            checker.close()
        }
        Event::End(_) => checker.close(),
        Event::Text(text) => {
            // XML 1.0 forbids `]]>` in text; quick-xml lets it through, Confluence does not.
            if text.windows(3).any(|window| window == b"]]>") {
                return Err("]]> outside a CDATA section".to_owned());
            }
            let text = text.unescape().map_err(|error| error.to_string())?;
            check_characters(&text)?;
            checker.text(&text, false)
        }
        Event::CData(data) => {
            let data = String::from_utf8_lossy(&data).into_owned();
            check_characters(&data)?;
            checker.text(&data, true)
        }
        Event::Comment(_) => Err("comment in the output".to_owned()),
        Event::Decl(_) | Event::PI(_) => Err("processing instruction in the output".to_owned()),
        Event::DocType(_) => Err("doctype in the output".to_owned()),
        Event::Eof => Ok(()),
    }
}

/// Checks the element's prefix and attributes; returns its qualified name.
fn check_element(
    reader: &NsReader<&[u8]>,
    unknown_prefix: Option<Vec<u8>>,
    start: &BytesStart<'_>,
) -> Result<String, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    if let Some(prefix) = unknown_prefix {
        let prefix = String::from_utf8_lossy(&prefix);
        return Err(format!("undeclared prefix {prefix:?} on <{name}>"));
    }
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| format!("<{name}>: {error}"))?;
        if let (ResolveResult::Unknown(prefix), _) = reader.resolve_attribute(attribute.key) {
            let prefix = String::from_utf8_lossy(&prefix);
            return Err(format!("undeclared prefix {prefix:?} in <{name}>"));
        }
        if attribute.value.contains(&b'<') {
            return Err(format!("unescaped < in an attribute of <{name}>"));
        }
        let value = attribute
            .unescape_value()
            .map_err(|error| format!("<{name}>: {error}"))?;
        check_characters(&value)?;
    }
    Ok(name)
}

fn check_characters(text: &str) -> Result<(), String> {
    let control = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}');
    let illegal = |c: char| control(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    match text.chars().find(|&c| illegal(c)) {
        Some(c) => Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            c as u32
        )),
        None => Ok(()),
    }
}

/// The open elements, innermost last, and the task ids seen.
#[derive(Default)]
struct Structure {
    open: Vec<Frame>,
    task_ids: std::collections::HashSet<String>,
}

/// One open element and what it has held so far.
struct Frame {
    name: String,
    /// The `ac:name` of an `ac:parameter`.
    parameter: Option<String>,
    children: usize,
    has_text: bool,
    /// Whether a macro has had its body.
    has_body: bool,
    /// Whether an `ri:attachment` is among the children.
    has_attachment: bool,
    text: String,
}

impl Structure {
    fn open(&mut self, name: String, start: &BytesStart<'_>) -> Result<(), String> {
        if let Some(parent) = self.open.last_mut() {
            check_child(parent, &name)?;
            parent.children += 1;
            parent.has_attachment |= name == "ri:attachment";
        }
        let parameter = (name == "ac:parameter").then(|| attribute(start, "ac:name"));
        self.open.push(Frame {
            name,
            parameter,
            children: 0,
            has_text: false,
            has_body: false,
            has_attachment: false,
            text: String::new(),
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), String> {
        let frame = self.open.pop().ok_or("end tag without start tag")?;
        let is_language = frame.parameter.as_deref() == Some("language");
        if is_language && frame.text.trim().is_empty() {
            return Err("empty code language parameter".to_owned());
        }
        let attachment_with_more = frame.children > 1 || frame.has_text;
        if frame.name == "ac:parameter" && frame.has_attachment && attachment_with_more {
            return Err("a parameter holds ri:attachment and something else".to_owned());
        }
        if frame.name == "ac:task-id" && !self.task_ids.insert(frame.text.trim().to_owned()) {
            return Err(format!("task id {:?} used twice", frame.text.trim()));
        }
        Ok(())
    }

    fn text(&mut self, text: &str, cdata: bool) -> Result<(), String> {
        let Some(frame) = self.open.last_mut() else {
            return Ok(());
        };
        frame.text.push_str(text);
        if text.trim().is_empty() {
            return Ok(());
        }
        if frame.name == "ac:plain-text-link-body" && !cdata {
            return Err("text outside CDATA in ac:plain-text-link-body".to_owned());
        }
        frame.has_text = true;
        let holds_no_text = [
            "ul",
            "ol",
            "table",
            "tbody",
            "thead",
            "tr",
            "ac:task-list",
            "ac:structured-macro",
        ];
        if holds_no_text.contains(&frame.name.as_str()) {
            return Err(format!(
                "text {:?} directly in <{}>",
                text.trim(),
                frame.name
            ));
        }
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        // The root element is closed by the wrapper's own end tag.
        match self.open.last() {
            Some(frame) => Err(format!("<{}> is never closed", frame.name)),
            None => Ok(()),
        }
    }
}

/// Whether `parent` may hold a `child` element next.
fn check_child(parent: &mut Frame, child: &str) -> Result<(), String> {
    let allowed: &[&str] = match parent.name.as_str() {
        "ul" | "ol" => &["li"],
        "ac:task-list" => &["ac:task"],
        "ac:plain-text-link-body" | "ac:plain-text-body" => &[],
        "table" => &["tbody", "thead", "colgroup"],
        "tbody" | "thead" => &["tr"],
        "tr" => &["th", "td"],
        "ac:structured-macro" => return check_macro_child(parent, child),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let first = parent.children == 0 && !parent.has_text;
            return match (first, child) {
                (true, "code") => Err(format!("<{}> starts with <code>", parent.name)),
                _ => Ok(()),
            };
        }
        _ => return Ok(()),
    };
    if allowed.contains(&child) {
        Ok(())
    } else {
        Err(format!("<{child}> inside <{}>", parent.name))
    }
}

/// Macro children: `ac:parameter`s first, then at most one body.
fn check_macro_child(parent: &mut Frame, child: &str) -> Result<(), String> {
    match (child, parent.has_body) {
        ("ac:parameter", false) => Ok(()),
        ("ac:plain-text-body" | "ac:rich-text-body", false) => {
            parent.has_body = true;
            Ok(())
        }
        ("ac:parameter", true) => Err("macro parameter after the macro body".to_owned()),
        (other, _) => Err(format!(
            "<{other}> inside a macro after its body or unknown"
        )),
    }
}

fn attribute(start: &BytesStart<'_>, name: &str) -> String {
    let value = start.try_get_attribute(name).ok().flatten();
    value
        .map(|attribute| String::from_utf8_lossy(&attribute.value).into_owned())
        .unwrap_or_default()
}
