//! The help vault corpus and a resolver built from it, as the plugin would build one.
//!
//! Shared by the `convert_*` test targets through `#[path]`; compiled alone it has no caller,
//! hence the `dead_code` allowance. [`vault_links`] publishes every note under its file name,
//! knows every other file as an attachment at its vault path, and supplies every note's
//! Markdown for embeds.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use publish_core::convert::Links;

/// Notes in the vault; a different count means the corpus moved or changed.
pub const NOTE_COUNT: usize = 173;

/// Where the help vault is.
pub fn vault_root() -> PathBuf {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/obsidian-help-en");
    assert!(
        root.is_dir(),
        "the help vault corpus should be at {}",
        root.display()
    );
    root
}

/// The files under `dir`, at any depth, sorted.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).expect("corpus folders should be readable");
        for entry in entries {
            let path = entry.expect("corpus entries should be readable").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The `.md` files under `dir`, at any depth, sorted.
pub fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let is_note = |path: &PathBuf| path.extension().is_some_and(|extension| extension == "md");
    all_files(dir).into_iter().filter(is_note).collect()
}

/// `path` relative to `root`, with `/`.
pub fn vault_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// A resolver knowing every file of the vault.
pub fn vault_links(root: &Path) -> Links {
    let mut links = Links::default();
    for path in all_files(root) {
        let relative = vault_path(root, &path);
        if path.extension().is_some_and(|extension| extension == "md") {
            let title = path.file_stem().unwrap_or_default().to_string_lossy();
            let markdown = std::fs::read_to_string(&path).expect("notes should be readable");
            links.pages.insert(relative.clone(), title.into_owned());
            links.notes.insert(relative, markdown);
        } else {
            links.files.insert(relative.clone(), relative);
        }
    }
    links
}
