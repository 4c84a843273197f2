//! The few ways the converter writes XML markup.
//!
//! Element and attribute names are `&'static str`: they come from the converter's own code,
//! never from the note. Attribute values and CDATA contents come from the note and go through
//! [`super::escape`]. Writing markup any other way (a `format!` with note text in it) is how a
//! page gets broken, so the writer uses only these functions.

use super::escape::{self, CdataEnd};

/// One attribute: its name and its unescaped value.
pub type Attribute<'v> = (&'static str, &'v str);

/// Writes `<name a="v">`. (Names are static; values are escaped.)
pub fn open(out: &mut String, name: &'static str, attributes: &[Attribute<'_>]) {
    out.push('<');
    out.push_str(name);
    push_attributes(out, attributes);
    out.push('>');
}

/// Writes `</name>`.
pub fn close(out: &mut String, name: &'static str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Writes the self-closed `<name a="v"/>`.
pub fn empty(out: &mut String, name: &'static str, attributes: &[Attribute<'_>]) {
    out.push('<');
    out.push_str(name);
    push_attributes(out, attributes);
    out.push_str("/>");
}

/// Writes `<name a="v">text</name>` with `text` escaped.
pub fn text_element(
    out: &mut String,
    name: &'static str,
    attributes: &[Attribute<'_>],
    text: &str,
) {
    open(out, name, attributes);
    escape::push_text(out, text);
    close(out, name);
}

/// Writes `<![CDATA[text]]>`, dealing with any `]]>` inside `text` as `end` says.
pub fn cdata(out: &mut String, text: &str, end: CdataEnd) {
    out.push_str("<![CDATA[");
    escape::push_cdata(out, text, end);
    out.push_str("]]>");
}

/// Writes an `anchor` macro named `name`, which same-page links point at.
pub fn anchor(out: &mut String, name: &str) {
    open(out, "ac:structured-macro", &[("ac:name", "anchor")]);
    text_element(out, "ac:parameter", &[("ac:name", "")], name);
    close(out, "ac:structured-macro");
}

/// Writes `<ac:structured-macro ac:name="name">` and its text parameters.
pub fn open_macro(out: &mut String, name: &str, parameters: &[Attribute<'_>]) {
    open(out, "ac:structured-macro", &[("ac:name", name)]);
    for (parameter, value) in parameters {
        text_element(out, "ac:parameter", &[("ac:name", parameter)], value);
    }
}

/// Writes a macro whose only parameter, `parameter`, holds the attachment `file_name`.
pub fn attachment_macro(out: &mut String, name: &str, parameter: &'static str, file_name: &str) {
    open(out, "ac:structured-macro", &[("ac:name", name)]);
    open(out, "ac:parameter", &[("ac:name", parameter)]);
    empty(out, "ri:attachment", &[("ri:filename", file_name)]);
    close(out, "ac:parameter");
    close(out, "ac:structured-macro");
}

/// Writes a macro with `text` as its plain-text body.
pub fn plain_text_macro(out: &mut String, name: &str, text: &str, end: CdataEnd) {
    open(out, "ac:structured-macro", &[("ac:name", name)]);
    open(out, "ac:plain-text-body", &[]);
    cdata(out, text, end);
    close(out, "ac:plain-text-body");
    close(out, "ac:structured-macro");
}

/// Writes `<ac:plain-text-link-body>` holding `text`.
pub fn plain_link_body(out: &mut String, text: &str, end: CdataEnd) {
    open(out, "ac:plain-text-link-body", &[]);
    cdata(out, text, end);
    close(out, "ac:plain-text-link-body");
}

/// Writes a link to the anchor `name` on this page, showing `text`.
pub fn anchor_link(out: &mut String, name: &str, text: &str, end: CdataEnd) {
    open(out, "ac:link", &[("ac:anchor", name)]);
    plain_link_body(out, text, end);
    close(out, "ac:link");
}

fn push_attributes(out: &mut String, attributes: &[Attribute<'_>]) {
    for (name, value) in attributes {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape::push_attr(out, value);
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_quoted_and_escaped() {
        let mut out = String::new();
        open(&mut out, "a", &[("href", "x?a=1&b=\"2\"")]);
        close(&mut out, "a");
        assert_eq!(out, "<a href=\"x?a=1&amp;b=&quot;2&quot;\"></a>");
    }

    #[test]
    fn empty_elements_are_self_closed() {
        let mut out = String::new();
        empty(&mut out, "ri:attachment", &[("ri:filename", "a<b>.png")]);
        assert_eq!(out, "<ri:attachment ri:filename=\"a&lt;b&gt;.png\"/>");
    }

    #[test]
    fn text_element_escapes_its_text() {
        let mut out = String::new();
        text_element(&mut out, "code", &[], "a<b");
        assert_eq!(out, "<code>a&lt;b</code>");
    }

    #[test]
    fn cdata_wraps_and_splits() {
        let mut out = String::new();
        cdata(&mut out, "x]]>y", CdataEnd::Split);
        assert_eq!(out, "<![CDATA[x]]]]><![CDATA[>y]]>");
    }
}
