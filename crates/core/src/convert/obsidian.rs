//! Obsidian's inline syntax that CommonMark reads as plain text: `%%comments%%` and
//! `==highlights==`.
//!
//! Both are recognised within one run of text, as the writer gathers it between two pieces of
//! markup (a soft line break counts as a space of that run). A pair split by markup, such as
//! `==**bold**==`, a comment spanning paragraphs, or an opener without its closer stays text
//! as typed. Comments are cut out; highlighted text goes in a `<span>` with a background
//! colour. Empty pairs (`====`) and pairs whose text starts or ends with a space or `=` stay
//! text: `a == b == c` is prose.
//!
//! Reference: Obsidian Help, "Basic formatting syntax" (Highlights, Comments).

/// One piece of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text shown as it is.
    Plain(&'a str),
    /// Text between `==` and `==`.
    Highlight(&'a str),
}

/// `text` without its `%%...%%` comments, and whether it had any. An unclosed `%%` stays.
pub fn without_comments(text: &str) -> (String, bool) {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    let mut had_comment = false;
    while let Some((before, after)) = rest.split_once("%%") {
        let Some((_, after_comment)) = after.split_once("%%") else {
            break;
        };
        kept.push_str(before);
        had_comment = true;
        rest = after_comment;
    }
    kept.push_str(rest);
    (kept, had_comment)
}

/// Splits `text` into plain and highlighted pieces.
pub fn highlights(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut plain_start = 0;
    let mut search_from = 0;
    while let Some(open) = find_from(text, search_from, "==") {
        let inner_start = open + 2;
        let Some(close) = find_from(text, inner_start, "==") else {
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

fn find_from(text: &str, from: usize, pattern: &str) -> Option<usize> {
    text[from..].find(pattern).map(|index| from + index)
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
    fn comments_are_cut_out() {
        assert_eq!(
            without_comments("a %%x%% b %%y%%"),
            ("a  b ".to_owned(), true)
        );
        assert_eq!(without_comments("%%%%"), (String::new(), true));
    }

    #[test]
    fn unclosed_comment_stays() {
        assert_eq!(without_comments("50%% off"), ("50%% off".to_owned(), false));
        assert_eq!(
            without_comments("a %%x%% b %%y"),
            ("a  b %%y".to_owned(), true)
        );
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
