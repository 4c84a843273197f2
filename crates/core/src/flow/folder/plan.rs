//! How a folder of notes becomes a page tree, decided before any request.
//!
//! - Every sub-folder that holds notes (at any depth) gets a page. Its folder note becomes
//!   that page: `index.md`, or a note named like the folder (`Plugins/Plugins.md`). Without
//!   one, a plain page titled like the folder is made, listing its children.
//! - Notes go under their folder's page; the folder published itself goes under the settings'
//!   parent (or the space's top level).
//! - Titles must be unique in a space regardless of case, and vaults repeat file names in
//!   different folders. The first of each clash in path order keeps its title; each other one
//!   gets its folder's name in parentheses (then more of its path), the same on every run.
//! - Order: folder pages by depth (a parent before its children), then the other notes in
//!   path order.
//!
//! A note published with the notes it links to is not a folder: [`Layout::ChildrenOfFirst`]
//! and [`Layout::Flat`] make no folder pages, publish the first note first, and put the others
//! under its page or beside it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Deserialize;

/// What a folder publish will do, note by note.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderPlan {
    /// Sub-folders (relative to the vault, `/`-separated) in the order their pages are made,
    /// each with its title and the note that stands for it, if any (an index into the notes).
    pub folders: Vec<PlannedFolder>,
    /// For each note (same order as given): its unique title and its folder.
    pub notes: Vec<PlannedNote>,
    /// Notes in the order they are published, folder notes excepted (they go with folders).
    pub order: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFolder {
    pub path: String,
    pub title: String,
    /// The folder note, an index into the notes.
    pub note: Option<usize>,
}

/// How the notes become a page tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Layout {
    /// Folders become pages.
    #[default]
    Tree,
    /// The first note's page is the parent of the others.
    ChildrenOfFirst,
    /// Every note goes where the first one goes.
    Flat,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedNote {
    pub title: String,
    /// True when the title differs from the note's own.
    pub retitled: bool,
    /// The folder whose page is this note's parent; `None` for the published folder itself.
    pub parent_folder: Option<String>,
    /// The note whose page is this note's parent (for [`Layout::ChildrenOfFirst`]).
    pub parent_note: Option<usize>,
}

/// A note as the planner sees it: its vault path and the title it asks for.
#[derive(Clone, Debug)]
pub struct NoteTitle<'a> {
    pub path: &'a str,
    pub title: &'a str,
}

/// Plan the publish of `notes` laid out as `layout`.
pub fn plan(root: &str, notes: &[NoteTitle<'_>], layout: Layout) -> FolderPlan {
    match layout {
        Layout::Tree => tree(root, notes),
        Layout::ChildrenOfFirst | Layout::Flat => linked(notes, layout),
    }
}

/// The first note, then the others under it or beside it.
fn linked(notes: &[NoteTitle<'_>], layout: Layout) -> FolderPlan {
    let wanted: Vec<(String, &str)> = notes
        .iter()
        .map(|note| (note.title.trim().to_owned(), note.path))
        .collect();
    let titles = unique_titles(&wanted);
    let planned = notes
        .iter()
        .zip(titles)
        .enumerate()
        .map(|(index, (note, title))| {
            let under_first = layout == Layout::ChildrenOfFirst && index > 0;
            PlannedNote {
                retitled: title != note.title.trim(),
                title,
                parent_folder: None,
                parent_note: under_first.then_some(0),
            }
        });
    FolderPlan {
        folders: Vec::new(),
        notes: planned.collect(),
        order: (0..notes.len()).collect(),
    }
}

/// Plan the publish of `notes`, which all lie under `root` (a vault folder, "" for the vault).
fn tree(root: &str, notes: &[NoteTitle<'_>]) -> FolderPlan {
    let root = root.trim_matches('/');
    let folders = folders_with_notes(root, notes);
    let folder_notes: BTreeMap<&str, usize> = folders
        .iter()
        .filter_map(|folder| Some((folder.as_str(), folder_note(folder, notes)?)))
        .collect();
    let wanted: Vec<(String, &str)> = titles_wanted(&folders, &folder_notes, notes);
    let unique = unique_titles(&wanted);
    let (folder_titles, note_titles) = unique.split_at(folders.len());
    let planned_folders = folders
        .iter()
        .zip(folder_titles)
        .map(|(path, title)| PlannedFolder {
            path: path.clone(),
            title: title.clone(),
            note: folder_notes.get(path.as_str()).copied(),
        })
        .collect();
    let planned_notes = notes
        .iter()
        .zip(note_titles)
        .enumerate()
        .map(|(index, (note, title))| PlannedNote {
            title: title.clone(),
            retitled: title != note.title.trim(),
            parent_folder: parent_folder(root, note.path, &folder_notes, index),
            parent_note: None,
        })
        .collect();
    let in_folders: HashSet<usize> = folder_notes.values().copied().collect();
    let mut order: Vec<usize> = (0..notes.len())
        .filter(|i| !in_folders.contains(i))
        .collect();
    order.sort_by(|a, b| notes[*a].path.cmp(notes[*b].path));
    FolderPlan {
        folders: planned_folders,
        notes: planned_notes,
        order,
    }
}

/// Every folder strictly below `root` that holds a note at some depth, parents first.
fn folders_with_notes(root: &str, notes: &[NoteTitle<'_>]) -> Vec<String> {
    let mut found = BTreeSet::new();
    for note in notes {
        let mut folder = parent(note.path);
        while folder.len() > root.len() && folder.starts_with(root) {
            found.insert(folder.to_owned());
            folder = parent(folder);
        }
    }
    let mut folders: Vec<String> = found.into_iter().collect();
    folders.sort_by(|a, b| depth(a).cmp(&depth(b)).then_with(|| a.cmp(b)));
    folders
}

/// The note that stands for `folder`: `folder/index.md` or `folder/<name>.md`.
fn folder_note(folder: &str, notes: &[NoteTitle<'_>]) -> Option<usize> {
    let name = folder.rsplit('/').next().unwrap_or(folder);
    let candidates = [format!("{folder}/index.md"), format!("{folder}/{name}.md")];
    candidates
        .iter()
        .find_map(|path| notes.iter().position(|note| note.path == path))
}

/// The title each folder page and each note asks for, folders first; with the path used to
/// make it unique.
fn titles_wanted<'a>(
    folders: &'a [String],
    folder_notes: &BTreeMap<&str, usize>,
    notes: &'a [NoteTitle<'a>],
) -> Vec<(String, &'a str)> {
    let folder_titles = folders.iter().map(|folder| {
        let title = match folder_notes.get(folder.as_str()) {
            Some(&index) => notes[index].title.trim().to_owned(),
            None => folder.rsplit('/').next().unwrap_or(folder).to_owned(),
        };
        (title, folder.as_str())
    });
    let note_titles = notes
        .iter()
        .map(|note| (note.title.trim().to_owned(), note.path));
    folder_titles.chain(note_titles).collect()
}

/// Titles made unique regardless of case. The first of each clash in path order keeps its
/// title; the others get more and more of their folder path in parentheses, then a number.
fn unique_titles(wanted: &[(String, &str)]) -> Vec<String> {
    let mut by_path: Vec<usize> = (0..wanted.len()).collect();
    by_path.sort_by(|a, b| wanted[*a].1.cmp(wanted[*b].1).then(a.cmp(b)));
    let mut taken: HashSet<String> = HashSet::new();
    let mut titles = vec![String::new(); wanted.len()];
    for index in by_path {
        let (title, path) = &wanted[index];
        let chosen = candidates(title, path)
            .find(|candidate| !taken.contains(&candidate.to_lowercase()))
            .expect("numbered candidates never run out");
        taken.insert(chosen.to_lowercase());
        titles[index] = chosen;
    }
    titles
}

/// `title`, then `title (folder)`, `title (parent/folder)`, …, then `title (…) 2`, `3`, ….
fn candidates<'a>(title: &'a str, path: &'a str) -> impl Iterator<Item = String> + 'a {
    let folders: Vec<&str> = parent(path).split('/').filter(|s| !s.is_empty()).collect();
    let suffixes: Vec<String> = (1..=folders.len())
        .map(|n| folders[folders.len() - n..].join("/"))
        .collect();
    let last = suffixes
        .last()
        .map_or(title.to_owned(), |s| format!("{title} ({s})"));
    std::iter::once(title.to_owned())
        .chain(
            suffixes
                .into_iter()
                .map(move |suffix| format!("{title} ({suffix})")),
        )
        .chain((2..).map(move |n| format!("{last} {n}")))
}

fn parent_folder(
    root: &str,
    path: &str,
    folder_notes: &BTreeMap<&str, usize>,
    index: usize,
) -> Option<String> {
    let mut folder = parent(path);
    // A folder note's page is its folder's page: its parent is the folder above.
    if folder_notes.get(folder) == Some(&index) {
        folder = parent(folder);
    }
    (folder.len() > root.len() && folder.starts_with(root)).then(|| folder.to_owned())
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(parent, _)| parent)
}

fn depth(path: &str) -> usize {
    path.matches('/').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note<'a>(path: &'a str, title: &'a str) -> NoteTitle<'a> {
        NoteTitle { path, title }
    }

    #[test]
    fn folders_become_pages_and_folder_notes_stand_for_them() {
        let notes = [
            note("Help/Home.md", "Home"),
            note("Help/Plugins/Plugins.md", "Plugins"),
            note("Help/Plugins/Core/Backlinks.md", "Backlinks"),
            note("Help/Sync/Set up.md", "Set up"),
        ];
        let plan = plan("Help", &notes, Layout::Tree);
        let folders: Vec<(&str, &str, Option<usize>)> = plan
            .folders
            .iter()
            .map(|f| (f.path.as_str(), f.title.as_str(), f.note))
            .collect();
        assert_eq!(
            folders,
            [
                ("Help/Plugins", "Plugins", Some(1)),
                ("Help/Sync", "Sync", None),
                ("Help/Plugins/Core", "Core", None),
            ]
        );
        assert_eq!(plan.order, [0, 2, 3]);
        assert_eq!(plan.notes[0].parent_folder, None);
        assert_eq!(plan.notes[1].parent_folder, None);
        assert_eq!(
            plan.notes[2].parent_folder.as_deref(),
            Some("Help/Plugins/Core")
        );
    }

    #[test]
    fn repeated_titles_get_their_folder_the_same_way_every_time() {
        let notes = [
            note("Plugins/Templates.md", "Templates"),
            note("Guides/Templates.md", "templates"),
            note("Security and privacy.md", "Security and privacy"),
            note("Sync/Security and privacy.md", "Security and privacy"),
        ];
        let plan = plan("", &notes, Layout::Tree);
        let titles: Vec<&str> = plan.notes.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Templates (Plugins)",
                "templates",
                "Security and privacy",
                "Security and privacy (Sync)"
            ]
        );
        assert!(plan.notes[0].retitled && !plan.notes[1].retitled);
        // Folder pages take part: "Plugins" and "Guides" and "Sync" are folder titles.
        assert_eq!(plan.folders.len(), 3);
    }

    #[test]
    fn linked_notes_go_under_the_first_or_beside_it() {
        let notes = [note("b/Main.md", "Main"), note("a/Linked.md", "Linked")];
        let plan = plan("", &notes, Layout::ChildrenOfFirst);
        assert!(plan.folders.is_empty());
        assert_eq!(plan.order, [0, 1]);
        assert_eq!(plan.notes[1].parent_note, Some(0));
        let plan = super::plan("", &notes, Layout::Flat);
        assert_eq!(plan.notes[1].parent_note, None);
    }

    #[test]
    fn a_note_named_like_a_plain_folder_page_is_made_unique() {
        let notes = [note("Sync.md", "Sync"), note("Sync/Set up.md", "Set up")];
        let plan = plan("", &notes, Layout::Tree);
        assert_eq!(plan.folders[0].title, "Sync");
        assert_eq!(plan.notes[0].title, "Sync 2");
    }
}
