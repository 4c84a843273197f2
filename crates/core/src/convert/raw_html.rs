//! Raw HTML found in a note, which this converter does not relay.
//!
//! A Markdown parser reads any `<word>` as HTML: `List<String>` in prose, `<Service Account
//! Name>`, a pasted `<svg>`. Passing that through breaks the page (storage format is strict
//! XML), so it is shown as the text the author typed instead, with two exceptions:
//!
//! - `<br>`, `<br/>` and `<br />` (any case) become `<br/>`;
//! - HTML comments (`<!-- ... -->`) are left out: they are invisible in the note, and a page
//!   should not show what its author hid.
//!
//! Relaying a known-safe subset of real HTML is left for later.

use super::escape;
use super::markup;

/// One inline HTML fragment, as the Markdown parser hands it over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InlineHtml<'a> {
    /// `<br>` in one of its spellings.
    LineBreak,
    /// `<!-- ... -->`.
    Comment,
    /// Anything else, to be shown as text.
    Other(&'a str),
}

/// Classifies an inline HTML fragment (one tag, or one comment).
pub fn classify(html: &str) -> InlineHtml<'_> {
    if html.starts_with("<!--") {
        InlineHtml::Comment
    } else if is_line_break(html) {
        InlineHtml::LineBreak
    } else {
        InlineHtml::Other(html)
    }
}

/// `html` with its comments cut out (an unclosed one runs to the end), and whether it had any.
pub fn without_comments(html: &str) -> (String, bool) {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    let mut had_comment = false;
    while let Some(start) = rest.find("<!--") {
        kept.push_str(&rest[..start]);
        had_comment = true;
        // `<!-->` and `<!--->` are complete comments, so the search starts inside the opener.
        let body = &rest[start + 2..];
        rest = body.find("-->").map_or("", |end| &body[end + 3..]);
    }
    kept.push_str(rest);
    (kept, had_comment)
}

/// Writes `html` as visible text: line breaks and `<br>` tags become `<br/>`, everything else
/// is escaped. Returns whether any markup other than `<br>` was shown as text.
pub fn push_as_text(out: &mut String, html: &str) -> bool {
    let mut showed_markup = false;
    for (index, line) in html.lines().enumerate() {
        if index > 0 {
            markup::empty(out, "br", &[]);
        }
        showed_markup |= push_line(out, line);
    }
    showed_markup
}

fn push_line(out: &mut String, line: &str) -> bool {
    let mut showed_markup = false;
    let mut rest = line;
    while let Some(start) = rest.find('<') {
        escape::push_text(out, &rest[..start]);
        let tail = &rest[start..];
        match tail.find('>') {
            Some(end) if is_line_break(&tail[..=end]) => {
                markup::empty(out, "br", &[]);
                rest = &tail[end + 1..];
            }
            _ => {
                escape::push_text(out, "<");
                showed_markup = true;
                rest = &tail[1..];
            }
        }
    }
    escape::push_text(out, rest);
    showed_markup
}

/// Whether `tag` is `<br>`, `<br/>` or `<br />`, in any case.
fn is_line_break(tag: &str) -> bool {
    let Some(inner) = tag.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim_end();
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    inner.eq_ignore_ascii_case("br")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_text(html: &str) -> (String, bool) {
        let mut out = String::new();
        let showed = push_as_text(&mut out, html);
        (out, showed)
    }

    #[test]
    fn line_breaks_in_every_spelling() {
        for tag in ["<br>", "<br/>", "<br />", "<BR>", "<Br  />"] {
            assert_eq!(classify(tag), InlineHtml::LineBreak, "{tag}");
        }
        assert_eq!(classify("<brx>"), InlineHtml::Other("<brx>"));
        assert_eq!(
            classify("<br class=\"x\">"),
            InlineHtml::Other("<br class=\"x\">")
        );
    }

    #[test]
    fn comments_are_recognised() {
        assert_eq!(classify("<!-- hidden -->"), InlineHtml::Comment);
        assert_eq!(classify("<String>"), InlineHtml::Other("<String>"));
    }

    #[test]
    fn comments_are_cut_out_of_blocks() {
        assert_eq!(
            without_comments("a<!-- x -->b<!---->c"),
            ("abc".to_owned(), true)
        );
        assert_eq!(without_comments("a<!-->b<!--->c"), ("abc".to_owned(), true));
        assert_eq!(without_comments("a<!-- open"), ("a".to_owned(), true));
        assert_eq!(without_comments("<div>"), ("<div>".to_owned(), false));
    }

    #[test]
    fn html_is_shown_as_escaped_text() {
        let (out, showed) = as_text("<div class=\"a\">\nx & y\n</div>");
        assert_eq!(
            out,
            "&lt;div class=\"a\"&gt;<br/>x &amp; y<br/>&lt;/div&gt;"
        );
        assert!(showed);
    }

    #[test]
    fn br_tags_in_blocks_become_line_breaks() {
        assert_eq!(
            as_text("a<br>b<br />c"),
            ("a<br/>b<br/>c".to_owned(), false)
        );
        assert_eq!(as_text("a < b"), ("a &lt; b".to_owned(), true));
    }
}
