//! The vault around a note, as the command line sees it: the folder, its files, and what a
//! publish needs from them (the [`PublishInput`]).
//!
//! The vault is the nearest folder above the note that holds `.obsidian`, or the one given
//! with `--vault`, or else the note's own folder. Every file in it can be linked or embedded;
//! the core matches link targets to them the way Obsidian does. Embedded files are hashed here
//! so the core can tell which uploads are needed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use publish_core::convert::{to_storage_with, ConvertOptions, Links};
use publish_core::flow::{FileInfo, PublishInput};
use publish_core::note;
use sha2::{Digest, Sha256};

/// A vault folder and the paths of its files, relative, with `/`.
pub struct Vault {
    root: PathBuf,
    files: Vec<String>,
}

impl Vault {
    /// The vault that holds `note`.
    pub fn around(note: &Path, explicit: Option<&Path>) -> Result<Self, String> {
        let note = note
            .canonicalize()
            .map_err(|error| format!("cannot find the note {}: {error}", note.display()))?;
        let root = match explicit {
            Some(root) => root
                .canonicalize()
                .map_err(|e| format!("{}: {e}", root.display()))?,
            None => obsidian_root(&note).unwrap_or_else(|| parent(&note)),
        };
        let mut files = Vec::new();
        list_files(&root, &root, &mut files);
        Ok(Self { root, files })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The note's path in the vault.
    pub fn relative(&self, note: &Path) -> String {
        let absolute = note.canonicalize().unwrap_or_else(|_| note.to_owned());
        let relative = absolute.strip_prefix(&self.root).unwrap_or(&absolute);
        slashed(relative)
    }

    /// Everything the core needs to publish `note`.
    pub fn publish_input(
        &self,
        note_path: &Path,
        markdown: String,
    ) -> Result<PublishInput, String> {
        let path = self.relative(note_path);
        let links = self.links(&path);
        let body = note::parse(&path, &markdown)
            .map_err(|error| error.to_string())?
            .body;
        let attachments = to_storage_with(body, &ConvertOptions::default(), &links).attachments;
        let files = attachments
            .iter()
            .filter_map(|attachment| self.file_info(&attachment.vault_path))
            .collect();
        Ok(PublishInput {
            path,
            markdown,
            links,
            files,
            ..PublishInput::default()
        })
    }

    /// Every file but the note itself, by its vault path; notes to embed by theirs.
    fn links(&self, note: &str) -> Links {
        let mut files = HashMap::new();
        let mut notes = HashMap::new();
        for file in self.files.iter().filter(|file| file.as_str() != note) {
            if file.ends_with(".md") {
                if let Ok(text) = std::fs::read_to_string(self.root.join(file)) {
                    notes.insert(file.clone(), text);
                }
            } else {
                files.insert(file.clone(), file.clone());
            }
        }
        Links {
            files,
            notes,
            ..Links::default()
        }
    }

    fn file_info(&self, vault_path: &str) -> Option<(String, FileInfo)> {
        let bytes = std::fs::read(self.root.join(vault_path)).ok()?;
        let sha256 = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Some((
            vault_path.to_owned(),
            FileInfo {
                sha256,
                size: bytes.len() as u64,
            },
        ))
    }
}

fn obsidian_root(note: &Path) -> Option<PathBuf> {
    note.ancestors()
        .skip(1)
        .find(|dir| dir.join(".obsidian").is_dir())
        .map(Path::to_owned)
}

fn parent(path: &Path) -> PathBuf {
    path.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Every file below `dir`, skipping hidden folders such as `.obsidian` and `.git`.
fn list_files(root: &Path, dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if path.is_dir() && !hidden {
            list_files(root, &path, found);
        } else if path.is_file() && !hidden {
            found.push(slashed(path.strip_prefix(root).unwrap_or(&path)));
        }
    }
}

fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
