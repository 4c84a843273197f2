//! Obsidian embeds (`![[...]]`): what the text after `|` means for an image, and which part of
//! another note `![[Note#Heading]]` or `![[Note#^block]]` takes.
//!
//! - `![[shot.png|300]]` and `![[shot.png|300x200]]` give the width (and height);
//!   `![[shot.png|A caption|300]]` also gives the alt text; any other text is the alt text.
//! - A heading section runs from the heading to the next heading of the same or a higher
//!   level. Headings match by their anchor name (`anchors.rs`), so punctuation and case do not
//!   matter; in `A#B`, the last heading counts.
//! - A block is the innermost list item, else the paragraph, heading or table holding `^id`
//!   at its end; an id on a line of its own names the block before it.
//!
//! Reference: Obsidian Help, "Embed files".

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::anchors::anchor_name;

/// What the text after `|` of an image embed says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageLabel<'t> {
    pub alt: Option<&'t str>,
    pub width: Option<&'t str>,
    pub height: Option<&'t str>,
}

impl<'t> ImageLabel<'t> {
    /// Reads `label`, the text after the first `|`.
    pub fn parse(label: &'t str) -> Self {
        let (alt, size) = match label.rsplit_once('|') {
            Some((alt, size)) => (Some(alt.trim()), size.trim()),
            None => (None, label.trim()),
        };
        let (width, height) = size.split_once('x').unwrap_or((size, ""));
        let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if number(width) && (height.is_empty() || number(height)) {
            let height = (!height.is_empty()).then_some(height);
            let alt = alt.filter(|alt| !alt.is_empty());
            return Self {
                alt,
                width: Some(width),
                height,
            };
        }
        let alt = Some(label.trim()).filter(|alt| !alt.is_empty());
        Self {
            alt,
            width: None,
            height: None,
        }
    }
}

/// The byte range of `section` (a heading, or `^block`) in `text`, if found.
pub fn section(text: &str, section: &str, options: Options) -> Option<Range<usize>> {
    match section.strip_prefix('^') {
        Some(block) => block_range(text, block.trim(), options),
        None => heading_range(text, &anchor_name(section), options),
    }
}

fn heading_range(text: &str, wanted: &str, options: Options) -> Option<Range<usize>> {
    let mut found: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    let mut current: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((start, found_level)) = found {
                    if level <= found_level {
                        return Some(start..range.start);
                    }
                }
                current = Some((range.start, level, String::new()));
            }
            Event::Text(piece) | Event::Code(piece) => {
                if let Some((_, _, heading)) = &mut current {
                    heading.push_str(&piece);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((start, level, heading)) = current.take() else {
                    continue;
                };
                if found.is_none() && anchor_name(&heading) == wanted {
                    found = Some((start, level));
                }
            }
            _ => {}
        }
    }
    found.map(|(start, _)| start..text.len())
}

fn block_range(text: &str, id: &str, options: Options) -> Option<Range<usize>> {
    let at = block_id_position(text, id)?;
    let mut item: Option<Range<usize>> = None;
    let mut block: Option<Range<usize>> = None;
    let mut previous_top: Option<Range<usize>> = None;
    let mut top: Option<Range<usize>> = None;
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let Event::Start(tag) = &event else {
            if matches!(event, Event::End(_)) {
                depth = depth.saturating_sub(1);
            }
            continue;
        };
        depth += 1;
        if depth == 1 && range.start <= at {
            previous_top = top.replace(range.clone());
        }
        if !range.contains(&at) {
            continue;
        }
        match tag {
            Tag::Item => item = Some(range),
            Tag::Paragraph | Tag::Heading { .. } | Tag::Table(_) => block = Some(range),
            _ => {}
        }
    }
    let chosen = item.or(block)?;
    if text[chosen.clone()].trim() == ["^", id].concat() {
        return previous_top;
    }
    Some(chosen)
}

/// Where `^id` stands at the end of a line, preceded by a space or alone.
fn block_id_position(text: &str, id: &str) -> Option<usize> {
    let marker = ["^", id].concat();
    let mut from = 0;
    while let Some(found) = text[from..].find(&marker) {
        let at = from + found;
        let end = at + marker.len();
        let before_ok = at == 0 || text[..at].ends_with([' ', '\t', '\n']);
        let after_ok = text[end..].starts_with(['\n', '\r', ' ', '\t']) || end == text.len();
        if before_ok && after_ok {
            return Some(at);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut<'t>(text: &'t str, wanted: &str) -> Option<&'t str> {
        section(text, wanted, Options::ENABLE_TABLES).map(|range| &text[range])
    }

    #[test]
    fn image_labels_give_size_and_alt() {
        let label = ImageLabel::parse("300x200");
        assert_eq!(
            (label.width, label.height, label.alt),
            (Some("300"), Some("200"), None)
        );
        let label = ImageLabel::parse("A cat|300");
        assert_eq!((label.width, label.alt), (Some("300"), Some("A cat")));
        let label = ImageLabel::parse("a diagram");
        assert_eq!((label.width, label.alt), (None, Some("a diagram")));
    }

    #[test]
    fn heading_sections_end_at_the_next_peer() {
        let text = "# A\n\na\n\n## B & c\n\nb\n\n### C\n\nc\n\n## D\n\nd\n";
        assert_eq!(cut(text, "B c"), Some("## B & c\n\nb\n\n### C\n\nc\n\n"));
        assert_eq!(cut(text, "D"), Some("## D\n\nd\n"));
        assert_eq!(cut(text, "Missing"), None);
    }

    #[test]
    fn blocks_are_found_by_id() {
        let text = "Intro.\n\nThe one ^abc\n\n- a\n- b ^item\n\n| t |\n|---|\n| 1 |\n\n^tbl\n";
        assert_eq!(cut(text, "^abc"), Some("The one ^abc\n"));
        assert_eq!(cut(text, "^item"), Some("- b ^item\n\n"));
        assert_eq!(cut(text, "^tbl"), Some("| t |\n|---|\n| 1 |\n"));
        assert_eq!(cut(text, "^none"), None);
    }
}
