//! Task list items as Confluence tasks.
//!
//! A list item starting `[c]` and a space (or nothing) is a task, whatever the single
//! character `c`: Obsidian's default theme shows `[ ]` open and any other state (`[x]`, `[/]`,
//! `[-]`, `[?]`...) checked, so these become `incomplete` and `complete` tasks. States other
//! than `[ ]`, `[x]` and `[X]` lose their meaning, which a warning says.
//!
//! A list holding both tasks and plain items is split into runs: plain items in `<ul>` or
//! `<ol>` (numbering carried on with `start`), tasks in `<ac:task-list>`, whose children are
//! only `<ac:task>` elements with ids unique on the page.
//!
//! Reference: Obsidian Help, "Basic formatting syntax" (Task lists).

/// A task's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Incomplete,
    Complete,
    /// Checked with a character other than `x`, shown as complete.
    Other,
}

impl Status {
    /// The value of `ac:task-status`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Incomplete => "incomplete",
            Self::Complete | Self::Other => "complete",
        }
    }
}

/// The state given by a marker at the start of `text`, and the marker's length with the space
/// after it.
pub fn marker(text: &str) -> Option<(Status, usize)> {
    let rest = text.strip_prefix('[')?;
    let state = rest.chars().next()?;
    let after = rest[state.len_utf8()..].strip_prefix(']')?;
    if state == ']' || state == '\n' || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let status = match state {
        ' ' => Status::Incomplete,
        'x' | 'X' => Status::Complete,
        _ => Status::Other,
    };
    let length = 2 + state.len_utf8() + usize::from(!after.is_empty());
    Some((status, length))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_of_every_state() {
        assert_eq!(marker("[/] doing"), Some((Status::Other, 4)));
        assert_eq!(marker("[x] done"), Some((Status::Complete, 4)));
        assert_eq!(marker("[-]"), Some((Status::Other, 3)));
        assert_eq!(marker("[ ] open"), Some((Status::Incomplete, 4)));
    }

    #[test]
    fn brackets_that_are_no_marker() {
        assert_eq!(marker("[ab] x"), None);
        assert_eq!(marker("[x]y"), None);
        assert_eq!(marker("[]"), None);
        assert_eq!(marker("plain"), None);
    }
}
