//! Footnotes: numbered superscript references, definitions gathered at the end of the page.
//!
//! A reference becomes `<sup>N</sup>`, numbered in order of first reference. Each definition is
//! rendered where the parser meets it, set aside, and written at the end of the page after a
//! rule, as one `<ol>` whose item N holds footnote N. Definitions never referenced follow, in
//! the order they appear, so no text is lost. Labels match case-insensitively, as in
//! CommonMark. Links between references and definitions are left for later.

use std::collections::HashMap;

use super::markup;

/// The footnotes of one page.
#[derive(Debug, Default)]
pub struct Footnotes {
    /// Number of each referenced label, keyed by normalized label.
    numbers: HashMap<String, usize>,
    /// Rendered definitions, keyed by normalized label, in the order they were met.
    definitions: Vec<(String, String)>,
}

impl Footnotes {
    /// Returns the number of the footnote `label`, giving it the next one on first use.
    pub fn reference(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(normalize(label)).or_insert(next)
    }

    /// Keeps the rendered storage format of the definition of `label`.
    pub fn define(&mut self, label: &str, body: String) {
        self.definitions.push((normalize(label), body));
    }

    /// Writes the footnote section, if the page has any footnote.
    pub fn push_section(mut self, out: &mut String) {
        let bodies = self.bodies_by_number();
        if bodies.is_empty() {
            return;
        }
        markup::empty(out, "hr", &[]);
        out.push('\n');
        markup::open(out, "ol", &[]);
        out.push('\n');
        for body in bodies {
            markup::open(out, "li", &[]);
            out.push_str(&body);
            markup::close(out, "li");
            out.push('\n');
        }
        markup::close(out, "ol");
        out.push('\n');
    }

    /// Definition bodies in footnote order; a label defined twice keeps both bodies, one after
    /// the other, and a number without definition gets an empty item.
    fn bodies_by_number(&mut self) -> Vec<String> {
        for (label, _) in &self.definitions {
            let next = self.numbers.len() + 1;
            self.numbers.entry(label.clone()).or_insert(next);
        }
        let mut bodies = vec![String::new(); self.numbers.len()];
        for (label, body) in self.definitions.drain(..) {
            let number = self.numbers[&label];
            bodies[number - 1].push_str(&body);
        }
        bodies
    }
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
        footnotes.push_section(&mut out);
        out
    }

    #[test]
    fn numbers_follow_first_reference() {
        let mut footnotes = Footnotes::default();
        assert_eq!(footnotes.reference("b"), 1);
        assert_eq!(footnotes.reference("a"), 2);
        assert_eq!(footnotes.reference("B"), 1);
    }

    #[test]
    fn definitions_are_written_in_number_order() {
        let mut footnotes = Footnotes::default();
        footnotes.define("a", "<p>A</p>".to_owned());
        footnotes.define("unused", "<p>U</p>".to_owned());
        footnotes.reference("b");
        footnotes.reference("a");
        footnotes.define("b", "<p>B</p>".to_owned());
        assert_eq!(
            section(footnotes),
            "<hr/>\n<ol>\n<li><p>B</p></li>\n<li><p>A</p></li>\n<li><p>U</p></li>\n</ol>\n"
        );
    }

    #[test]
    fn no_footnotes_no_section() {
        assert_eq!(section(Footnotes::default()), "");
    }
}
