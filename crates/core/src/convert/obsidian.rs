//! Obsidian's inline syntax that CommonMark reads as plain text: `==highlights==`, `#tags`,
//! block ids (`^id`), inline footnotes (`^[text]`) and bare web addresses. Comments are cut
//! before parsing (`source.rs`).
//!
//! All five are recognised within one run of text, as the writer gathers it between two
//! pieces of markup (a soft line break counts as a space of that run).
//!
//! - Highlighted text goes in a `<span>` with a background colour. A pair split by markup,
//!   such as `==**bold**==`, or an opener without its closer stays text as typed. Empty pairs
//!   (`====`) and pairs whose text starts or ends with a space or `=` stay text: `a == b == c`
//!   is prose.
//! - A tag is `#` at the start of the run or after white space, then letters, digits, `_`, `-`
//!   and `/`, not all digits (`#1` is not a tag). Tags stay in the text and are collected.
//! - A block id is `^` and letters, digits and `-` at the very end of a block, after white
//!   space or alone. It is cut from the text; the writer puts an anchor in its place.
//! - An inline footnote is `^[`, text with balanced square brackets, and `]`; the writer makes
//!   it a numbered footnote. One whose text has markup (`^[see *this*]`) stays text as typed.
//! - A bare address is `http://` or `https://` at the start of the run or after white space or
//!   `(`, up to white space or `<`, without trailing punctuation (`.,:;!?'"*_~`) or a `)` it does
//!   not open; Obsidian shows it as a link, and so does the page.
//!
//! Reference: Obsidian Help, "Basic formatting syntax" (Highlights), "Tags", "Internal links"
//! (Link to a block in a note).

use super::scan::pair_start;

/// One piece of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text shown as it is.
    Plain(&'a str),
    /// Text between `==` and `==`.
    Highlight(&'a str),
}

/// The tags in `text`, without `#`.
pub fn tags(text: &str) -> impl Iterator<Item = &str> {
    let hashes = text.bytes().enumerate().filter(|&(_, b)| b == b'#');
    hashes.filter_map(move |(index, _)| {
        let before = text[..index].chars().next_back();
        if !before.map_or(true, char::is_whitespace) {
            return None;
        }
        let rest = &text[index + 1..];
        let is_tag_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '/');
        let end = rest.find(|c: char| !is_tag_char(c)).unwrap_or(rest.len());
        let tag = &rest[..end];
        let is_tag = !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit());
        is_tag.then_some(tag)
    })
}

/// Cuts a block id from the end of `text` and returns it.
pub fn take_block_id(text: &mut String) -> Option<String> {
    let trimmed = text.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = &trimmed[caret + 1..];
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '-';
    let before = &trimmed[..caret];
    if id.is_empty()
        || !id.chars().all(valid)
        || !(before.is_empty() || before.ends_with(char::is_whitespace))
    {
        return None;
    }
    let id = id.to_owned();
    let kept = before.trim_end().len();
    text.truncate(kept);
    Some(id)
}

/// The first bare web address in `text`: the text before it, the address, and the text after.
pub fn bare_url(text: &str) -> Option<(&str, &str, &str)> {
    // Found by their `://`: a one-byte search for `:` is much faster than one for `http`.
    let mut from = 0;
    while let Some(colon) = pair_start(text, from, b':', b'/') {
        from = colon + 1;
        if text.as_bytes().get(colon + 2) != Some(&b'/') {
            continue;
        }
        let head = &text[..colon];
        let Some(start) = head
            .strip_suffix("https")
            .or_else(|| head.strip_suffix("http"))
            .map(str::len)
        else {
            continue;
        };
        let starts_word = text[..start]
            .chars()
            .next_back()
            .map_or(true, |c| c.is_whitespace() || c == '(');
        if !starts_word {
            continue;
        }
        let length = url_length(&text[start..], colon + 3 - start);
        if length > 0 {
            let end = start + length;
            return Some((&text[..start], &text[start..end], &text[end..]));
        }
    }
    None
}

/// How long the address at the start of `text` is, its scheme (`scheme` bytes) included; 0 if
/// nothing follows the scheme.
fn url_length(text: &str, scheme: usize) -> usize {
    let run = text
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(text.len());
    let url = &text[..run];
    let mut unopened = url
        .matches(')')
        .count()
        .saturating_sub(url.matches('(').count());
    let mut end = url.len();
    while let Some(last) = url[..end].chars().next_back() {
        if matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '"' | '*' | '_' | '~'
        ) {
            end -= last.len_utf8();
        } else if last == ')' && unopened > 0 {
            unopened -= 1;
            end -= 1;
        } else {
            break;
        }
    }
    if end > scheme {
        end
    } else {
        0
    }
}

/// The first inline footnote in `text`: the text before it, its own text, and the text after.
pub fn inline_footnote(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    while let Some(found) = pair_start(text, from, b'^', b'[') {
        let body_start = found + 2;
        let close = closing_bracket(&text.as_bytes()[body_start..])?;
        let body = &text[body_start..body_start + close];
        if !body.trim().is_empty() {
            let after = &text[body_start + close + 1..];
            return Some((&text[..found], body, after));
        }
        from = body_start + close + 1;
    }
    None
}

/// Where the `]` closing a bracket opened just before `bytes` is, if anywhere. On `None` the
/// caller stops looking (an opener inside the unclosed one stays text), so that a run of
/// openers costs one scan, not one each.
fn closing_bracket(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in bytes.iter().enumerate() {
        match byte {
            b'[' => depth += 1,
            b']' if depth > 0 => depth -= 1,
            b']' => return Some(offset),
            _ => {}
        }
    }
    None
}

/// Splits `text` into plain and highlighted pieces.
pub fn highlights(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut plain_start = 0;
    let mut search_from = 0;
    while let Some(open) = pair_start(text, search_from, b'=', b'=') {
        let inner_start = open + 2;
        let Some(close) = pair_start(text, inner_start, b'=', b'=') else {
            break;
        };
        let inner = &text[inner_start..close];
        if is_highlighted_text(inner) {
            push_plain(&mut pieces, &text[plain_start..open]);
            pieces.push(Piece::Highlight(inner));
            plain_start = close + 2;
            search_from = plain_start;
        } else {
            // `===x==` may still open one `=` further on.
            search_from = open + 1;
        }
    }
    push_plain(&mut pieces, &text[plain_start..]);
    pieces
}

fn is_highlighted_text(inner: &str) -> bool {
    let edges_ok = |c: char| !c.is_whitespace() && c != '=';
    inner.starts_with(edges_ok) && inner.ends_with(edges_ok)
}

fn push_plain<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        pieces.push(Piece::Plain(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Piece::{Highlight, Plain};

    #[test]
    fn bare_urls_end_before_trailing_punctuation() {
        assert_eq!(
            bare_url("See https://e.com/a?b=1&c=2. Then"),
            Some(("See ", "https://e.com/a?b=1&c=2", ". Then"))
        );
        assert_eq!(
            bare_url("(at http://e.com/wiki/A_(b)) x"),
            Some(("(at ", "http://e.com/wiki/A_(b)", ") x"))
        );
        assert_eq!(bare_url("https:// alone, xhttps://e.com, httpx"), None);
        assert_eq!(
            bare_url("a https://e.com<b"),
            Some(("a ", "https://e.com", "<b"))
        );
    }

    #[test]
    fn inline_footnotes_need_balanced_brackets_and_text() {
        assert_eq!(
            inline_footnote("Text^[a [b] c] more ^[d]"),
            Some(("Text", "a [b] c", " more ^[d]"))
        );
        assert_eq!(inline_footnote("^[] and ^[x]"), Some(("^[] and ", "x", "")));
        assert_eq!(inline_footnote("x^[unclosed [y]"), None);
        assert_eq!(inline_footnote("[^label] and x^y"), None);
    }

    #[test]
    fn tags_are_found_after_white_space() {
        let found: Vec<&str> = tags("#start a #b/c-d, x#no #1 #2x (#paren)").collect();
        assert_eq!(found, ["start", "b/c-d", "2x"]);
    }

    #[test]
    fn block_ids_are_cut_from_the_end() {
        let mut text = "Some text ^abc-1 ".to_owned();
        assert_eq!(take_block_id(&mut text).as_deref(), Some("abc-1"));
        assert_eq!(text, "Some text");
        let mut alone = "^id".to_owned();
        assert_eq!(take_block_id(&mut alone).as_deref(), Some("id"));
        assert_eq!(alone, "");
        for kept in ["x^2", "a ^b c", "2^10^", "a ^"] {
            let mut text = kept.to_owned();
            assert_eq!(take_block_id(&mut text), None, "{kept}");
        }
    }

    #[test]
    fn highlights_are_split_out() {
        assert_eq!(
            highlights("This is ==marked== text, ==twice=="),
            [
                Plain("This is "),
                Highlight("marked"),
                Plain(" text, "),
                Highlight("twice")
            ]
        );
    }

    #[test]
    fn prose_with_equal_signs_stays_plain() {
        assert_eq!(highlights("a == b == c"), [Plain("a == b == c")]);
        assert_eq!(highlights("x ==== y"), [Plain("x ==== y")]);
        assert_eq!(highlights("only ==open"), [Plain("only ==open")]);
        assert_eq!(highlights(""), []);
    }

    #[test]
    fn extra_equal_signs_stay_outside() {
        assert_eq!(highlights("===x=="), [Plain("="), Highlight("x")]);
    }
}
