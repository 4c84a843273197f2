//! The vault around a note, as the command line sees it: the folder, its files, and what a
//! publish needs from them (a [`PublishInput`] per note).
//!
//! The vault is the folder given with `--vault`, or the nearest folder above the note (or
//! folder) that holds `.obsidian`, or else the note's own folder. Every file in it can be
//! linked or embedded; the core matches link targets to them the way Obsidian does. Link
//! targets are found with a plain scan of `[[...]]` and `](...)`; a target found in code by
//! mistake costs at most one needless look-up. Embedded files are hashed here so the core can
//! tell which uploads are needed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use publish_core::convert::{to_storage_with, ConvertOptions, LinkIndex, Links};
use publish_core::flow::{FileInfo, FolderInput, PublishInput};
use publish_core::note;
use sha2::{Digest, Sha256};

/// A vault folder, its files and its notes' texts.
pub struct Vault {
    root: PathBuf,
    /// Files other than notes, by vault path (the value is the path too, as `Links` wants).
    files: HashMap<String, String>,
    /// Notes' texts, by vault path.
    notes: BTreeMap<String, String>,
}

impl Vault {
    /// The vault that holds `path` (a note or a folder).
    pub fn around(path: &Path, explicit: Option<&Path>) -> Result<Self, String> {
        let path = absolute(path)?;
        let root = match explicit {
            Some(root) => absolute(root)?,
            None => obsidian_root(&path).unwrap_or_else(|| {
                if path.is_dir() {
                    path.clone()
                } else {
                    parent(&path)
                }
            }),
        };
        let mut found = Vec::new();
        list_files(&root, &root, &mut found);
        let mut vault = Self {
            root,
            files: HashMap::new(),
            notes: BTreeMap::new(),
        };
        for file in found {
            if file.ends_with(".md") {
                let text = std::fs::read_to_string(vault.root.join(&file)).unwrap_or_default();
                vault.notes.insert(file, text);
            } else {
                vault.files.insert(file.clone(), file);
            }
        }
        Ok(vault)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path's place in the vault, with `/`.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        slashed(absolute.strip_prefix(&self.root).unwrap_or(&absolute))
    }

    /// Everything the core needs to publish the note at vault path `path`.
    pub fn publish_input(&self, path: &str, markdown: String) -> Result<PublishInput, String> {
        let targets = link_targets(&markdown);
        let links = self.links(&targets);
        let body = note::parse(path, &markdown)
            .map_err(|error| error.to_string())?
            .body;
        let attachments = to_storage_with(body, &ConvertOptions::default(), &links).attachments;
        let files = attachments
            .iter()
            .filter_map(|attachment| self.file_info(&attachment.vault_path))
            .collect();
        let linked_page_ids = self.linked_page_ids(&targets);
        Ok(PublishInput {
            path: path.to_owned(),
            markdown,
            links,
            linked_page_ids,
            files,
            ..PublishInput::default()
        })
    }

    /// Every note under the vault folder `folder` ("" for all), each ready to publish.
    pub fn folder_input(&self, folder: &str) -> Result<FolderInput, String> {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let notes = self
            .notes
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix))
            .map(|(path, text)| self.publish_input(path, text.clone()))
            .collect::<Result<Vec<_>, String>>()?;
        Ok(FolderInput {
            folder: folder.to_owned(),
            notes,
            ..FolderInput::default()
        })
    }

    /// The notes `path` links to that have no page yet, and the notes those link to, down to
    /// `depth` levels, at most `cap` of them, nearest first.
    pub fn unpublished_links(&self, path: &str, depth: usize, cap: usize) -> Vec<String> {
        let keys: HashMap<String, String> = self
            .notes
            .keys()
            .map(|path| (path.clone(), path.clone()))
            .collect();
        let index = LinkIndex::new(&keys);
        let mut found: Vec<String> = Vec::new();
        let mut level = vec![path.to_owned()];
        for _ in 0..depth {
            let mut next = Vec::new();
            for source in &level {
                for target in link_targets(&self.notes[source]) {
                    let Some(linked) = index.get(&target) else {
                        continue;
                    };
                    let new = linked != path && !found.iter().any(|f| f == linked);
                    if new && found.len() < cap && !self.is_published(linked) {
                        found.push(linked.to_owned());
                        next.push(linked.to_owned());
                    }
                }
            }
            level = next;
        }
        found
    }

    fn is_published(&self, path: &str) -> bool {
        note::parse(path, &self.notes[path]).is_ok_and(|note| note.page_id.is_some())
    }

    /// The vault's files, and the notes among `targets` to embed.
    fn links(&self, targets: &[String]) -> Links {
        let keys: HashMap<String, String> = self
            .notes
            .keys()
            .map(|path| (path.clone(), path.clone()))
            .collect();
        let index = LinkIndex::new(&keys);
        let notes = targets
            .iter()
            .filter_map(|target| index.get(target))
            .map(|path| (path.to_owned(), self.notes[path].clone()))
            .collect();
        Links {
            files: self.files.clone(),
            notes,
            ..Links::default()
        }
    }

    /// Targets that are notes with a `confluence-page-id`, with that id.
    fn linked_page_ids(&self, targets: &[String]) -> BTreeMap<String, String> {
        let ids: HashMap<String, String> = self
            .notes
            .iter()
            .filter_map(|(path, text)| Some((path.clone(), note::parse(path, text).ok()?.page_id?)))
            .collect();
        let index = LinkIndex::new(&ids);
        targets
            .iter()
            .filter_map(|target| Some((target.clone(), index.get(target)?.to_owned())))
            .collect()
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

/// The targets of `[[target|alias]]`, `![[target]]` and `[text](target)`, without the alias
/// and the `#section`, once each.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for piece in markdown.split("[[").skip(1) {
        if let Some(end) = piece.find("]]") {
            targets.push(
                piece[..end]
                    .split(['|', '#'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned(),
            );
        }
    }
    for piece in markdown.split("](").skip(1) {
        if let Some(end) = piece.find(')') {
            let target = piece[..end].trim_matches(['<', '>', ' ']).split('#').next();
            targets.push(target.unwrap_or("").replace("%20", " "));
        }
    }
    targets.retain(|target| !target.is_empty() && !target.contains("://"));
    targets.sort();
    targets.dedup();
    targets
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    path.canonicalize()
        .map_err(|error| format!("cannot find {}: {error}", path.display()))
}

fn obsidian_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|dir| dir.join(".obsidian").is_dir())
        .map(Path::to_owned)
}

fn parent(path: &Path) -> PathBuf {
    path.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// Every file below `dir`, skipping hidden files and folders such as `.obsidian`.
fn list_files(root: &Path, dir: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            list_files(root, &path, found);
        } else if path.is_file() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wiki_and_markdown_link_targets() {
        let text = "See [[Other note#Part|alias]], ![[shot.png|300]], [x](Some%20note.md#h), \
                    [web](https://example.com) and [[Other note]].";
        assert_eq!(
            link_targets(text),
            ["Other note", "Some note.md", "shot.png"]
        );
    }
}
