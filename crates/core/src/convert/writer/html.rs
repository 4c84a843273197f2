//! Raw HTML: relaying the known-safe elements (`raw_html.rs`) while keeping the page balanced.
//!
//! Each relayed element is remembered with the event depth it was opened at. Its closing tag
//! is relayed only when it closes the innermost relayed element at that same depth; any other
//! closing tag is shown as text. When the Markdown element around a relayed one ends (a
//! paragraph, an emphasis, a quote), the relayed elements still open inside it are closed
//! first. So relayed HTML never crosses the writer's own markup.
//!
//! In an HTML block, text and inline elements go in a paragraph opened as needed; block
//! elements (`div`, `p`, `details`) are opened at the depth of the block's container, so a
//! `<details>` block, Markdown, then a `</details>` block make one `expand` macro.
//!
//! Each tag costs the same however many elements are open: they are kept in a
//! [`RelayedStack`], which counts the paragraphs among them, and a `<summary>` is read only up
//! to the next `<summary>` (a summary holding another gives no title).

use super::{StorageWriter, HIGHLIGHT_STYLE};
use crate::convert::attachments::AttachmentKind;
use crate::convert::markup;
use crate::convert::raw_html::{self, HtmlTag, Known, Piece};
use crate::convert::target::{self, ImageSource};
use crate::convert::warnings::Warning;

/// A relayed element still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relayed {
    /// The HTML name, which the closing tag must give.
    name: String,
    close: Close,
    depth: usize,
}

/// The relayed elements still open, innermost last.
#[derive(Debug, Default)]
pub struct RelayedStack {
    open: Vec<Relayed>,
    /// How many of them are paragraphs opened for an HTML block's text ([`Close::Paragraph`]).
    paragraphs: usize,
    /// How many of them are HTML `p` elements.
    p_elements: usize,
}

impl RelayedStack {
    fn push(&mut self, relayed: Relayed) {
        if let Some(count) = self.count(relayed.close) {
            *count += 1;
        }
        self.open.push(relayed);
    }

    fn pop(&mut self) -> Option<Relayed> {
        let relayed = self.open.pop()?;
        if let Some(count) = self.count(relayed.close) {
            *count -= 1;
        }
        Some(relayed)
    }

    fn last(&self) -> Option<&Relayed> {
        self.open.last()
    }

    /// The count kept of the elements closed as `close`, if any is.
    fn count(&mut self, close: Close) -> Option<&mut usize> {
        match close {
            Close::Paragraph => Some(&mut self.paragraphs),
            Close::Element("p") => Some(&mut self.p_elements),
            Close::Element(_) | Close::Expand => None,
        }
    }
}

/// How a relayed element is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Close {
    Element(&'static str),
    /// The `expand` macro of a `details` element.
    Expand,
    /// The paragraph an HTML block opened for its text.
    Paragraph,
}

impl StorageWriter<'_, '_, '_> {
    pub(super) fn html(&mut self, html: &str) {
        match &mut self.html_block {
            Some(block) => block.push_str(html),
            None => self.inline_html(html),
        }
    }

    pub(super) fn inline_html(&mut self, html: &str) {
        if html.starts_with("<!--") {
            self.page.warnings.add(Warning::CommentsLeftOut);
            return;
        }
        match raw_html::parse_tag(html) {
            Some(tag) if self.relay_inline(&tag) => {}
            Some(_) | None => self.html_as_text(html),
        }
    }

    /// Relays `tag` if it is a known inline tag at a place it may stand; `false` if not.
    fn relay_inline(&mut self, tag: &HtmlTag) -> bool {
        let depth = self.depth;
        match (tag.known(), tag.closing) {
            (Some(Known::LineBreak), _) => markup::empty(self.out(), "br", &[]),
            (Some(Known::Image), false) => self.html_image(tag),
            (Some(Known::Inline(_) | Known::Mark), true) => return self.close_tag(tag, depth),
            (Some(Known::Inline(name)), false) if !tag.self_closing => {
                let name = self.not_code_first_in_heading(name);
                let style = if name == "span" {
                    tag.attribute("style")
                } else {
                    None
                };
                let attributes: Vec<markup::Attribute<'_>> =
                    style.map(|style| ("style", style)).into_iter().collect();
                markup::open(self.out(), name, &attributes);
                self.push_relayed(tag, Close::Element(name), depth);
            }
            (Some(Known::Mark), false) if !tag.self_closing => {
                markup::open(self.out(), "span", &[("style", HIGHLIGHT_STYLE)]);
                self.push_relayed(tag, Close::Element("span"), depth);
            }
            _ => return false,
        }
        true
    }

    fn push_relayed(&mut self, tag: &HtmlTag, close: Close, depth: usize) {
        let name = tag.name.clone();
        self.relayed.push(Relayed { name, close, depth });
    }

    /// Closes the innermost relayed element if `tag` closes it at `depth`.
    fn close_tag(&mut self, tag: &HtmlTag, depth: usize) -> bool {
        let matches = self
            .relayed
            .last()
            .is_some_and(|open| open.name == tag.name && open.depth == depth);
        if matches {
            let open = self.relayed.pop().expect("checked just above");
            self.write_close(open.close);
        }
        matches
    }

    /// Closes every relayed element opened at `depth` or deeper.
    pub(super) fn close_relayed(&mut self, depth: usize) {
        while self.relayed.last().is_some_and(|open| open.depth >= depth) {
            let open = self.relayed.pop().expect("checked just above");
            self.write_close(open.close);
        }
    }

    fn write_close(&mut self, close: Close) {
        let out = self.out();
        match close {
            Close::Element(name) => markup::close(out, name),
            Close::Expand => {
                markup::close(out, "ac:rich-text-body");
                markup::close(out, "ac:structured-macro");
                out.push('\n');
            }
            Close::Paragraph => {
                markup::close(out, "p");
                out.push('\n');
            }
        }
    }

    fn html_as_text(&mut self, html: &str) {
        self.page.warnings.add(Warning::RawHtmlShownAsText);
        self.plain_text(&raw_html::decode_entities(html));
    }

    /// `<img src alt width height>` as an `ac:image`.
    fn html_image(&mut self, tag: &HtmlTag) {
        let source = target::image_source(tag.attribute("src").unwrap_or_default());
        let alt = tag.attribute("alt").filter(|alt| !alt.is_empty());
        let mut attributes = Vec::with_capacity(3);
        if let Some(alt) = alt {
            attributes.push(("ac:alt", alt));
        }
        for (name, key) in [("ac:width", "width"), ("ac:height", "height")] {
            let value = tag
                .attribute(key)
                .filter(|v| v.bytes().all(|b| b.is_ascii_digit()));
            if let Some(value) = value.filter(|value| !value.is_empty()) {
                attributes.push((name, value));
            }
        }
        match source {
            ImageSource::Url(url) => {
                let out = self.out();
                markup::open(out, "ac:image", &attributes);
                markup::empty(out, "ri:url", &[("ri:value", url)]);
                markup::close(out, "ac:image");
            }
            ImageSource::Attachment(path) => {
                let vault_path = self.page.resolver.files.get(&path).unwrap_or(&path);
                let name = self.page.attachments.add(vault_path, AttachmentKind::Image);
                let out = self.out();
                markup::open(out, "ac:image", &attributes);
                markup::empty(out, "ri:attachment", &[("ri:filename", &name)]);
                markup::close(out, "ac:image");
            }
            ImageSource::Unsupported => {
                self.page.warnings.add(Warning::UnsupportedImage);
                self.plain_text(alt.unwrap_or_default());
            }
        }
    }

    // HTML blocks.

    /// Runs after the block's end event: `self.depth` is the depth of its container.
    pub(super) fn end_html_block(&mut self) {
        let block = self.html_block.take().unwrap_or_default();
        let pieces = raw_html::pieces(&block);
        let mut index = 0;
        while index < pieces.len() {
            index = self.html_piece(&pieces, index);
        }
        self.close_html_paragraph();
    }

    /// Writes the piece at `index`; returns the index of the next piece to write.
    fn html_piece(&mut self, pieces: &[Piece<'_>], index: usize) -> usize {
        match &pieces[index] {
            Piece::Comment => self.page.warnings.add(Warning::CommentsLeftOut),
            Piece::Text(text) => self.html_text(text),
            Piece::Tag(tag, source) => match tag.known() {
                Some(Known::Details) if !tag.closing => return self.open_details(pieces, index),
                Some(Known::Block(_) | Known::Details) => self.html_block_tag(tag, source),
                Some(_) | None => {
                    self.open_html_paragraph();
                    if !self.relay_inline(tag) {
                        self.html_as_text(source);
                    }
                }
            },
        }
        index + 1
    }

    /// Text of an HTML block: shown as typed, its line breaks kept.
    fn html_text(&mut self, text: &str) {
        let text = text.trim_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return;
        }
        self.open_html_paragraph();
        for (index, line) in text.lines().enumerate() {
            if index > 0 {
                markup::empty(self.out(), "br", &[]);
            }
            self.plain_text(&raw_html::decode_entities(line));
        }
    }

    /// Opens a paragraph for text and inline elements, unless one (or an HTML `p`) is open.
    fn open_html_paragraph(&mut self) {
        let open = self.relayed.paragraphs + self.relayed.p_elements > 0;
        if !open {
            self.fresh_line();
            markup::open(self.out(), "p", &[]);
            let depth = self.depth + 1;
            let name = String::new();
            self.relayed.push(Relayed {
                name,
                close: Close::Paragraph,
                depth,
            });
        }
    }

    fn close_html_paragraph(&mut self) {
        if self.relayed.paragraphs > 0 {
            self.close_relayed(self.depth + 1);
        }
    }

    /// `div`, `p` and `</details>`, opened and closed at the depth of the block's container.
    fn html_block_tag(&mut self, tag: &HtmlTag, source: &str) {
        self.close_html_paragraph();
        let depth = self.depth;
        if tag.closing {
            if !self.close_tag(tag, depth) {
                self.open_html_paragraph();
                self.html_as_text(source);
            }
            return;
        }
        let Some(Known::Block(name)) = tag.known() else {
            return self.html_as_text(source);
        };
        let style = tag.attribute("style").filter(|_| name == "div");
        let attributes: Vec<markup::Attribute<'_>> =
            style.map(|style| ("style", style)).into_iter().collect();
        self.fresh_line();
        markup::open(self.out(), name, &attributes);
        self.push_relayed(tag, Close::Element(name), depth);
        if tag.self_closing {
            self.close_relayed(depth);
        }
    }

    /// `<details>` and an optional `<summary>...</summary>` right after it: an `expand` macro.
    fn open_details(&mut self, pieces: &[Piece<'_>], index: usize) -> usize {
        self.close_html_paragraph();
        let (title, next) = summary(pieces, index + 1);
        self.fresh_line();
        let out = self.out();
        match &title {
            Some(title) => markup::open_macro(out, "expand", &[("title", title)]),
            None => markup::open_macro(out, "expand", &[]),
        }
        markup::open(out, "ac:rich-text-body", &[]);
        out.push('\n');
        let depth = self.depth;
        let name = "details".to_owned();
        self.relayed.push(Relayed {
            name,
            close: Close::Expand,
            depth,
        });
        next
    }
}

/// The text of a `<summary>` element starting at `index` (after white space), and the index
/// after it; `None` and `index` if there is none, or if another `<summary>` opens before it
/// closes (so that no piece is read for more than one title).
fn summary(pieces: &[Piece<'_>], index: usize) -> (Option<String>, usize) {
    let mut at = index;
    while matches!(pieces.get(at), Some(Piece::Text(text)) if text.trim().is_empty()) {
        at += 1;
    }
    let opens = matches!(pieces.get(at), Some(Piece::Tag(tag, _))
        if tag.known() == Some(Known::Summary) && !tag.closing);
    if !opens {
        return (None, index);
    }
    let mut title = String::new();
    for (offset, piece) in pieces[at + 1..].iter().enumerate() {
        match piece {
            Piece::Tag(tag, _) if tag.known() == Some(Known::Summary) && tag.closing => {
                let title = raw_html::decode_entities(title.trim()).into_owned();
                return (Some(title), at + 2 + offset);
            }
            Piece::Tag(tag, _) if tag.known() == Some(Known::Summary) => break,
            Piece::Text(text) => title.push_str(text),
            Piece::Tag(..) | Piece::Comment => {}
        }
    }
    (None, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_give_titles() {
        let pieces = raw_html::pieces("<details>\n<summary>More &amp; <b>less</b></summary>x");
        assert_eq!(summary(&pieces, 1), (Some("More & less".to_owned()), 8));
        let pieces = raw_html::pieces("<details>x");
        assert_eq!(summary(&pieces, 1), (None, 1));
        let pieces = raw_html::pieces("<details><summary>a<details><summary>b</summary>");
        assert_eq!(summary(&pieces, 1), (None, 1));
        let pieces = raw_html::pieces("<details><summary>a<details>b</summary>");
        assert_eq!(summary(&pieces, 1), (Some("ab".to_owned()), 6));
    }
}
