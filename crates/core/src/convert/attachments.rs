//! The files a page needs uploaded, each once, under a name Confluence takes.
//!
//! An attachment's name on the page is its file name with each of `\ / " : ? * | < >` and
//! every control character replaced by `_` (Confluence refuses or mangles them). The same name
//! is used in `ri:filename` and in [`super::Attachment::file_name`]. A file embedded twice is
//! listed once; two different files that would get the same name (`a/x.png`, `b/x.png`) are
//! told apart as `x.png` and `x (2).png`.

use std::collections::HashMap;

use serde::Serialize;

use super::target;

/// One file the page shows or links to, which the publisher uploads before the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// Where the file is in the vault, as the caller's [`super::Links::files`] gave it, or the
    /// path as the note wrote it when the caller did not know the file.
    pub vault_path: String,
    /// The attachment's name on the page, as `ri:filename` uses it.
    pub file_name: String,
    pub kind: AttachmentKind,
}

/// What sort of file an attachment is, which decides how the page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AttachmentKind {
    /// Shown inline with `ac:image`.
    Image,
    /// Shown with the `view-file` macro.
    Pdf,
    /// Played with the `multimedia` macro.
    Audio,
    /// Played with the `multimedia` macro.
    Video,
    /// Linked to.
    Other,
}

impl AttachmentKind {
    /// The kind of a file, by its extension; `None` for a note (no extension, or `.md`).
    pub fn of(path: &str) -> Option<Self> {
        let name = target::file_name(path);
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        let kind = match extension.as_str() {
            "md" => return None,
            "avif" | "bmp" | "gif" | "jpeg" | "jpg" | "png" | "svg" | "webp" => Self::Image,
            "pdf" => Self::Pdf,
            "flac" | "m4a" | "mp3" | "oga" | "ogg" | "opus" | "wav" | "3gp" => Self::Audio,
            "mkv" | "mov" | "mp4" | "ogv" | "webm" => Self::Video,
            // `Note v1.2` is a note named with a dot, not a file of type `2`.
            other if !other.chars().all(|c| c.is_ascii_alphanumeric()) => return None,
            other if other.chars().all(|c| c.is_ascii_digit()) => return None,
            _ => Self::Other,
        };
        Some(kind)
    }
}

/// The attachments of one page, in the order first met.
#[derive(Debug, Default)]
pub struct Attachments {
    list: Vec<Attachment>,
    /// Index in `list` of each vault path.
    by_path: HashMap<String, usize>,
    /// Names given, to tell apart different files with the same name.
    names: HashMap<String, usize>,
}

impl Attachments {
    /// Records the file at `vault_path` and returns its name on the page.
    pub fn add(&mut self, vault_path: &str, kind: AttachmentKind) -> String {
        if let Some(&index) = self.by_path.get(vault_path) {
            return self.list[index].file_name.clone();
        }
        let file_name = self.free_name(&safe_name(target::file_name(vault_path)));
        self.by_path.insert(vault_path.to_owned(), self.list.len());
        self.list.push(Attachment {
            vault_path: vault_path.to_owned(),
            file_name: file_name.clone(),
            kind,
        });
        file_name
    }

    /// Every attachment, once each.
    pub fn into_list(self) -> Vec<Attachment> {
        self.list
    }

    fn free_name(&mut self, name: &str) -> String {
        let key = name.to_lowercase();
        let count = self.names.entry(key).or_insert(0);
        *count += 1;
        if *count == 1 {
            return name.to_owned();
        }
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, extension)) => (stem, [".", extension].concat()),
            None => (name, String::new()),
        };
        let numbered = [stem, " (", &count.to_string(), ")", &extension].concat();
        self.free_name(&numbered)
    }
}

/// `name` with the characters Confluence refuses in attachment names replaced by `_`.
pub fn safe_name(name: &str) -> String {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\\' | '/' | '"' | ':' | '?' | '*');
    let replaced: String = name
        .chars()
        .map(|c| {
            if unsafe_char(c) || matches!(c, '|' | '<' | '>') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = replaced.trim();
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_extension() {
        assert_eq!(AttachmentKind::of("a/B.PNG"), Some(AttachmentKind::Image));
        assert_eq!(AttachmentKind::of("doc.pdf"), Some(AttachmentKind::Pdf));
        assert_eq!(AttachmentKind::of("a.ogg"), Some(AttachmentKind::Audio));
        assert_eq!(AttachmentKind::of("a.mp4"), Some(AttachmentKind::Video));
        assert_eq!(AttachmentKind::of("a.canvas"), Some(AttachmentKind::Other));
        assert_eq!(AttachmentKind::of("Note"), None);
        assert_eq!(AttachmentKind::of("Note.md"), None);
        assert_eq!(AttachmentKind::of("Version 1.2"), None);
        assert_eq!(AttachmentKind::of("What is this? A note"), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("a:b?c*d|e<f>g\"h.png"), "a_b_c_d_e_f_g_h.png");
        assert_eq!(safe_name("  "), "attachment");
    }

    #[test]
    fn each_file_is_listed_once_and_names_stay_distinct() {
        let mut attachments = Attachments::default();
        assert_eq!(attachments.add("a/x.png", AttachmentKind::Image), "x.png");
        assert_eq!(attachments.add("a/x.png", AttachmentKind::Image), "x.png");
        assert_eq!(
            attachments.add("b/X.png", AttachmentKind::Image),
            "X (2).png"
        );
        assert_eq!(attachments.into_list().len(), 2);
    }
}
