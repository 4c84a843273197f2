//! The note text prepared for parsing: front matter cut, Obsidian's comments cut, and spaces in
//! link destinations made parseable.
//!
//! Three things in an Obsidian note are not CommonMark and cannot be handled event by event:
//!
//! - front matter (`---` YAML `---` at the very start) is not page content;
//! - `%%comments%%` may span paragraphs, lists and blocks, so they are cut from the text
//!   before parsing; `%%` inside code (inline, fenced or indented) and math stays, and an
//!   unpaired `%%` stays text;
//! - Obsidian accepts `![alt](path with spaces.png)` and `[text](Other note.md)`, which
//!   CommonMark reads as text: a destination with spaces, no quotes or brackets, ending in a
//!   file extension (optionally followed by `#section`), is wrapped in `<...>`.
//!
//! One scan of the bytes looks for `%%` and spaced destinations. Only a note that has one is
//! parsed an extra time, to find its code, which no scan short of a Markdown parser can tell
//! (indented code depends on the blocks around it, code spans on links and HTML); and only as
//! far as the last of them (see [`code_scope`]). Each step is linear in the size of the note: a
//! destination is looked for only up to the first character that rules it out, and every `](`
//! is such a character for the destinations before it. Front matter is found by parsing only
//! the lines up to its closing line.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::scan::pair_starts;

/// A note body ready for the writer.
#[derive(Debug)]
pub struct Prepared<'m> {
    pub text: Cow<'m, str>,
    /// Whether any `%%comment%%` was cut.
    pub had_comments: bool,
}

/// Prepares `markdown` for parsing with `options`.
pub fn prepare(markdown: &str, options: Options) -> Prepared<'_> {
    let body = without_front_matter(markdown, options);
    let markers = markers(body);
    let Some(last) = last_candidate_end(body, &markers) else {
        return unchanged(body);
    };
    let code = code_ranges(code_scope(body, last), options);
    let edits = edits(body, &markers, &code);
    if edits.is_empty() {
        return unchanged(body);
    }
    let had_comments = edits.iter().any(|edit| matches!(edit, Edit::Cut(_)));
    Prepared {
        text: Cow::Owned(apply(body, &edits)),
        had_comments,
    }
}

fn unchanged(body: &str) -> Prepared<'_> {
    Prepared {
        text: Cow::Borrowed(body),
        had_comments: false,
    }
}

/// `markdown` after a leading YAML front matter block, if it has one.
///
/// pulldown-cmark also takes a `---` rule followed later by another `---` line for a
/// metadata block anywhere in the text, so only a block at the very start is cut, and the rest
/// is parsed with metadata blocks off: a `---` further down stays a rule or a heading underline.
pub fn without_front_matter(markdown: &str, options: Options) -> &str {
    let markdown = markdown.strip_prefix('\u{FEFF}').unwrap_or(markdown);
    if !markdown.starts_with("---") {
        return markdown;
    }
    // The parser looks no further than the first closing line, so neither need we.
    let Some(head_end) = closing_line_end(markdown) else {
        return markdown;
    };
    let options = options | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let head = &markdown[..head_end];
    let first = Parser::new_ext(head, options).into_offset_iter().next();
    if let Some((Event::Start(Tag::MetadataBlock(_)), range)) = first {
        if range.start == 0 {
            return &markdown[range.end..];
        }
    }
    markdown
}

/// The end (after its line break) of the first line after the first that could close a front
/// matter block: `---` or `...`, then only spaces, as pulldown-cmark reads it.
fn closing_line_end(markdown: &str) -> Option<usize> {
    let mut line_start = markdown.find('\n')? + 1;
    while line_start < markdown.len() {
        let rest = &markdown[line_start..];
        let line_end = rest
            .find('\n')
            .map_or(markdown.len(), |end| line_start + end + 1);
        let after = rest
            .strip_prefix("---")
            .or_else(|| rest.strip_prefix("..."));
        let after = after.map(|after| after.trim_start_matches(' '));
        if after.is_some_and(|after| after.is_empty() || after.starts_with(['\n', '\r'])) {
            return Some(line_end);
        }
        line_start = line_end;
    }
    None
}

/// One change to the text.
#[derive(Debug, PartialEq, Eq)]
enum Edit {
    /// Cut this range (a comment).
    Cut(Range<usize>),
    /// Wrap this range (a link destination) in `<` and `>`.
    Wrap(Range<usize>),
}

/// Byte ranges of code and math, in order.
fn code_ranges(text: &str, options: Options) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                ranges.push(block_start.take().unwrap_or(range.start)..range.end);
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// The edits to make, in order, at `markers` (see [`markers`]) outside code.
fn edits(text: &str, markers: &[usize], code: &[Range<usize>]) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut code = code.iter().peekable();
    let mut comment_start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    for &marker in markers {
        if marker < i {
            continue;
        }
        i = marker;
        while code.peek().is_some_and(|range| range.end <= i) {
            code.next();
        }
        if let Some(range) = code.peek().filter(|range| range.start <= i) {
            i = range.end;
            continue;
        }
        let step = match (bytes[i], bytes[i + 1], comment_start) {
            (b'%', b'%', None) => {
                comment_start = Some(i);
                2
            }
            (b'%', b'%', Some(start)) => {
                edits.push(Edit::Cut(start..i + 2));
                comment_start = None;
                2
            }
            (b']', b'(', None) => match spaced_destination(text, i + 2) {
                Some(range) => {
                    let step = range.end - i;
                    edits.push(Edit::Wrap(range));
                    step
                }
                None => 1,
            },
            _ => 1,
        };
        i += step;
    }
    edits
}

/// Where each `%%` and `](` in `text` starts, in order, code or not (`%%%` holds two).
fn markers(text: &str) -> Vec<usize> {
    let mut percents = pair_starts(text, b'%', b'%').peekable();
    let mut brackets = pair_starts(text, b']', b'(').peekable();
    let mut markers = Vec::new();
    loop {
        let next = match (percents.peek(), brackets.peek()) {
            (Some(percent), Some(bracket)) if percent < bracket => percents.next(),
            (_, Some(_)) => brackets.next(),
            (Some(_), None) => percents.next(),
            (None, None) => return markers,
        };
        markers.extend(next);
    }
}

/// Where the `%%` or destination with spaces that ends last in `text` ends, code or not.
fn last_candidate_end(text: &str, markers: &[usize]) -> Option<usize> {
    let ends = markers.iter().filter_map(|&marker| {
        if text.as_bytes()[marker] == b'%' {
            Some(marker + 2)
        } else {
            spaced_destination(text, marker + 2).map(|destination| destination.end + 1)
        }
    });
    ends.max()
}

/// The part of `text` whose code decides the edits, the last of which ends at `last`: up to the
/// first blank line after it, or all of `text`.
///
/// A blank line ends any paragraph, so code spans and math before it are the same in that part
/// as in the whole; a code block going on past it holds the same `%%` before it. Only
/// definitions reach back: a later `[label]: ...` or `[^label]: ...` decides whether a label
/// (`[text][label]`, `[^label]`) is one, whose backticks are then no code span. So if such a
/// label holds a backtick or `$`, and a `]:` follows the blank line, all of `text` is parsed.
fn code_scope(text: &str, last: usize) -> &str {
    let Some(end) = blank_line_after(text, last) else {
        return text;
    };
    let (head, tail) = text.split_at(end);
    if tail.contains("]:") && has_label_with_code(head) {
        text
    } else {
        head
    }
}

/// The end of the first blank line (spaces and tabs only) after the line holding `at`.
fn blank_line_after(text: &str, at: usize) -> Option<usize> {
    let mut line_start = at + text[at..].find('\n')? + 1;
    loop {
        let line_end = line_start + text[line_start..].find('\n')?;
        let line = &text[line_start..line_end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.bytes().all(|b| b == b' ' || b == b'\t') {
            return Some(line_end + 1);
        }
        line_start = line_end + 1;
    }
}

/// Whether `text` may have a reference or footnote label with a backtick or `$` in it.
///
/// A label opens at `][` or `[^` and closes at a `]` without a backslash before it; with
/// escapes counted loosely, which finds a label more often, never less.
fn has_label_with_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find('[') {
        let open = from + found;
        from = open + 1;
        let after_link = open > 0 && bytes[open - 1] == b']';
        if !after_link && bytes.get(open + 1) != Some(&b'^') {
            continue;
        }
        let close = label_end(bytes, open + 1);
        if bytes[open + 1..close]
            .iter()
            .any(|&b| b == b'`' || b == b'$')
        {
            return true;
        }
        from = close;
    }
    false
}

/// Where a label whose text starts at `from` ends: at its first `]` without a backslash before
/// it, or at the end of `bytes`.
fn label_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b']') {
        let close = at + found;
        if bytes[close - 1] != b'\\' {
            return close;
        }
        at = close + 1;
    }
    bytes.len()
}

/// The destination starting at `start` if it has spaces and names a file.
///
/// Reads up to the `)` ending it or the first character that rules it out (a line break,
/// quote, angle bracket, parenthesis or square bracket).
fn spaced_destination(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = &text[start..];
    let stop = |b: u8| {
        matches!(
            b,
            b')' | b'\n' | b'"' | b'\'' | b'<' | b'>' | b'(' | b'[' | b']'
        )
    };
    let end = rest.bytes().position(stop)?;
    let destination = &rest[..end];
    if rest.as_bytes()[end] != b')' || !destination.contains(' ') || destination.starts_with(' ') {
        return None;
    }
    let path = destination.split('#').next().unwrap_or_default();
    let (_, extension) = path.rsplit_once('.')?;
    let is_extension =
        (1..=5).contains(&extension.len()) && extension.chars().all(|c| c.is_ascii_alphanumeric());
    is_extension.then_some(start..start + end)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 2 * edits.len());
    let mut copied = 0;
    for edit in edits {
        match edit {
            Edit::Cut(range) => {
                out.push_str(&text[copied..range.start]);
                copied = range.end;
            }
            Edit::Wrap(range) => {
                out.push_str(&text[copied..range.start]);
                out.push('<');
                out.push_str(&text[range.clone()]);
                out.push('>');
                copied = range.end;
            }
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str) -> (String, bool) {
        let prepared = prepare(text, Options::empty());
        (prepared.text.into_owned(), prepared.had_comments)
    }

    #[test]
    fn comments_are_cut_across_blocks() {
        assert_eq!(prepared("a %%x%% b"), ("a  b".to_owned(), true));
        assert_eq!(
            prepared("a\n\n%%\nhidden\n\n- x\n%%\nb"),
            ("a\n\n\nb".to_owned(), true)
        );
    }

    #[test]
    fn comments_in_code_and_unpaired_stay() {
        let text = "`%%` and\n\n```\n%% x %%\n```\n50%% off";
        assert_eq!(prepared(text), (text.to_owned(), false));
    }

    #[test]
    fn spaced_destinations_are_wrapped() {
        assert_eq!(
            prepared("![a](my shot.png) [b](Other note.md#Part two)").0,
            "![a](<my shot.png>) [b](<Other note.md#Part two>)"
        );
        let prose = "[a](x \"title\") [b](not a file) [c](https://x.org/a b)";
        assert_eq!(prepared(prose).0, prose);
    }

    #[test]
    fn front_matter_is_cut() {
        assert_eq!(prepared("---\ntitle: x\n---\nBody").0, "\nBody");
        assert_eq!(prepared("---\n\nText").0, "---\n\nText");
    }

    /// The front matter as found by parsing the whole note.
    fn front_matter_by_whole_parse(markdown: &str) -> &str {
        let options = crate::convert::parser_options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let first = Parser::new_ext(markdown, options).into_offset_iter().next();
        match first {
            Some((Event::Start(Tag::MetadataBlock(_)), range)) if range.start == 0 => {
                &markdown[range.end..]
            }
            _ => markdown,
        }
    }

    #[test]
    fn front_matter_ends_where_the_whole_parse_ends_it() {
        let notes = [
            "---\na: 1\n---\nBody\n---\nx",
            "---\na: 1\n...\nBody",
            "---\na: 1\n----\nb: 2\n---  \nBody",
            "---\na: 1\n--- x\n---\r\nBody",
            "---\na: 1\n---\t\nb\n---",
            "---\n---\nBody",
            "---  \na: 1\n---",
            "--- x\na: 1\n---\n",
            "---\na: 1\n",
            "---\n> a\n---\nb",
            "---\na\n\n---\nb",
        ];
        let options = crate::convert::parser_options();
        for note in notes {
            let expected = front_matter_by_whole_parse(note);
            assert_eq!(without_front_matter(note, options), expected, "{note:?}");
        }
    }

    /// `text` prepared with the code of the whole text, parsed in full.
    fn prepared_by_whole_parse(text: &str) -> String {
        let code = code_ranges(text, crate::convert::parser_options());
        apply(text, &edits(text, &markers(text), &code))
    }

    #[test]
    fn code_is_found_as_in_the_whole_text() {
        let notes = [
            "[a][`x %%`] y %%\n\ntext\n\n[`x %%`]: /u\n",
            "[^`x %%`] y %%\n\ntext\n\n[^`x %%`]: note\n",
            "[a][`x %%`] y %%\n\ntext\n",
            "[a][`x] %% y` %%\n\ntext\n\n[`x]: /u\n",
            "[^`x] %% y` %%\n\ntext\n\n[^`x]: note\n",
            "```\n%% in fence\n\n%% still\n```\nafter %% a %%\n",
            "    %% indented\n\n    %% more\n\nx",
            "> quote `a %%\n>\n> b` %%\n\nrest `%%`",
            "- item `x %%\n\n  y` %%\n\n- z",
            "<pre>\n%% a\n\n%% b\n</pre>\n\nc",
            "a %%\n\n```\nb %%\n\nc\n```\n",
            "| a | `b %%` |\n|---|---|\n| %% | x |\n\nrest %%",
            "text [x](my file.png) %% `%%` %%\n\n[x]: /y\n",
            "$x %% y$ %% z %%\n\n$$a\n\n%%$$",
            "a `b\n%%\nc` %%\r\n \t\r\n`%%`",
        ];
        for note in notes {
            let prepared = prepare(note, crate::convert::parser_options()).text;
            assert_eq!(prepared, prepared_by_whole_parse(note), "{note:?}");
        }
    }

    #[test]
    fn code_scope_stops_at_a_blank_line_unless_a_label_could_change() {
        assert_eq!(code_scope("a %%\nb\n \nc", 3), "a %%\nb\n \n");
        assert_eq!(code_scope("a %%\nb", 3), "a %%\nb");
        let label = "[a][`%%`]\n\n[`%%`]: /u";
        assert_eq!(code_scope(label, 8), label);
        assert_eq!(code_scope("[a][`%%`]\n\nb", 8), "[a][`%%`]\n\n");
        assert!(has_label_with_code("[^x\\]`y`]") && !has_label_with_code("[a] `b` [c]"));
    }
}
