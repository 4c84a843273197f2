//! Footnotes: numbered references linked to definitions gathered at the end of the page, and
//! back.
//!
//! A reference becomes `<sup>` holding a link to the anchor `fn-N`, numbered in order of first
//! reference; the first reference to each footnote also carries the anchor `fnref-N`. Each
//! definition is rendered where the parser meets it, set aside, and written at the end of the
//! page after a rule, as one `<ol>` whose item N starts with the anchor `fn-N` and a `↩` link
//! back to `fnref-N`. Definitions never referenced follow, in the order they appear, so no text
//! is lost; having no reference to go back to, they have no `↩` link. Labels match
//! case-insensitively, as in CommonMark, within one note: the notes a page embeds each have
//! their own labels (their scope).

use std::collections::HashMap;

use super::escape::CdataEnd;
use super::markup;

/// The footnotes of one page.
#[derive(Debug, Default)]
pub struct Footnotes {
    /// Number of each referenced label, keyed by scope and normalized label.
    numbers: HashMap<(usize, String), usize>,
    /// Rendered definitions, keyed by scope and normalized label, in the order they were met.
    definitions: Vec<((usize, String), String)>,
}

impl Footnotes {
    /// Returns the number of the footnote `label` of `scope`, giving it the next one on first
    /// use, and whether this is its first reference.
    pub fn reference(&mut self, scope: usize, label: &str) -> (usize, bool) {
        let next = self.numbers.len() + 1;
        let number = *self
            .numbers
            .entry((scope, normalize(label)))
            .or_insert(next);
        (number, number == next)
    }

    /// Keeps the rendered storage format of the definition of `label`.
    pub fn define(&mut self, scope: usize, label: &str, body: String) {
        self.definitions.push(((scope, normalize(label)), body));
    }

    /// Writes the footnote section, if the page has any footnote.
    pub fn push_section(mut self, out: &mut String, end: CdataEnd) {
        let referenced = self.numbers.len();
        let bodies = self.bodies_by_number();
        if bodies.is_empty() {
            return;
        }
        markup::empty(out, "hr", &[]);
        out.push('\n');
        markup::open(out, "ol", &[]);
        out.push('\n');
        for (index, body) in bodies.iter().enumerate() {
            markup::open(out, "li", &[]);
            let back_link = index < referenced;
            push_definition(out, index + 1, body, back_link, end);
            markup::close(out, "li");
            out.push('\n');
        }
        markup::close(out, "ol");
        out.push('\n');
    }

    /// Definition bodies in footnote order; a label defined twice keeps both bodies, one after
    /// the other, and a number without definition gets an empty item.
    fn bodies_by_number(&mut self) -> Vec<String> {
        for (key, _) in &self.definitions {
            let next = self.numbers.len() + 1;
            self.numbers.entry(key.clone()).or_insert(next);
        }
        let mut bodies = vec![String::new(); self.numbers.len()];
        for (key, body) in self.definitions.drain(..) {
            let number = self.numbers[&key];
            bodies[number - 1].push_str(&body);
        }
        bodies
    }
}

/// The anchor of footnote `number`'s definition.
pub fn definition_anchor(number: usize) -> String {
    ["fn-", &number.to_string()].concat()
}

/// The anchor of footnote `number`'s first reference.
pub fn reference_anchor(number: usize) -> String {
    ["fnref-", &number.to_string()].concat()
}

/// The anchor and, if asked, the back link, inside the body's first paragraph when it starts
/// with one.
fn push_definition(out: &mut String, number: usize, body: &str, back_link: bool, end: CdataEnd) {
    let (opening, rest) = match body.strip_prefix("<p>") {
        Some(rest) => ("<p>", rest),
        None => ("", body),
    };
    out.push_str(opening);
    markup::anchor(out, &definition_anchor(number));
    if back_link {
        markup::anchor_link(out, &reference_anchor(number), "↩", end);
        out.push(' ');
    }
    out.push_str(rest);
}

fn normalize(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(footnotes: Footnotes) -> String {
        let mut out = String::new();
        footnotes.push_section(&mut out, CdataEnd::Split);
        out
    }

    #[test]
    fn numbers_follow_first_reference() {
        let mut footnotes = Footnotes::default();
        assert_eq!(footnotes.reference(0, "b"), (1, true));
        assert_eq!(footnotes.reference(0, "a"), (2, true));
        assert_eq!(footnotes.reference(0, "B"), (1, false));
        assert_eq!(footnotes.reference(1, "b"), (3, true));
    }

    #[test]
    fn definitions_are_written_in_number_order() {
        let mut footnotes = Footnotes::default();
        footnotes.define(0, "a", "<p>A</p>".to_owned());
        footnotes.define(0, "unused", "<p>U</p>".to_owned());
        footnotes.reference(0, "b");
        footnotes.reference(0, "a");
        footnotes.define(0, "b", "<p>B</p>".to_owned());
        let out = section(footnotes);
        let b = out.find(" B</p>").unwrap();
        let a = out.find(" A</p>").unwrap();
        let u = out.find("</ac:structured-macro>U</p>").unwrap();
        assert!(b < a && a < u, "{out}");
        assert!(out.contains("<ac:parameter ac:name=\"\">fn-3</ac:parameter>"));
        assert!(out.contains("fnref-2") && !out.contains("fnref-3"), "{out}");
    }

    #[test]
    fn no_footnotes_no_section() {
        assert_eq!(section(Footnotes::default()), "");
    }
}
