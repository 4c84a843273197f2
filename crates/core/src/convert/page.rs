//! What one page gathers while its note, and the notes it embeds, are written.
//!
//! One [`Page`] is shared by the writer of the note and the writers of every note it embeds,
//! so task ids and anchor names stay unique on the page, and attachments, tags and unresolved
//! links are listed once for the whole page.

use std::collections::HashSet;

use super::anchors::Anchors;
use super::attachments::Attachments;
use super::footnotes::Footnotes;
use super::links::{Links, Resolver};
use super::warnings::Warnings;
use super::{Conversion, ConvertOptions, Diagram};

/// How deep notes may embed notes that embed notes.
pub const MAX_EMBED_DEPTH: usize = 4;

/// The state of the page being written.
pub struct Page<'l> {
    pub options: &'l ConvertOptions,
    pub resolver: Resolver<'l>,
    pub warnings: Warnings,
    pub attachments: Attachments,
    pub anchors: Anchors,
    pub footnotes: Footnotes,
    pub diagrams: Vec<Diagram>,
    /// The notes being embedded, outermost first, by lower-cased target.
    pub embedding: Vec<String>,
    unresolved: OnceList,
    tags: OnceList,
    next_task_id: u64,
    next_scope: usize,
}

impl<'l> Page<'l> {
    pub fn new(options: &'l ConvertOptions, links: &'l Links) -> Self {
        Self {
            options,
            resolver: Resolver::new(links),
            warnings: Warnings::default(),
            attachments: Attachments::default(),
            anchors: Anchors::default(),
            footnotes: Footnotes::default(),
            diagrams: Vec::new(),
            embedding: Vec::new(),
            unresolved: OnceList::default(),
            tags: OnceList::default(),
            next_task_id: 0,
            next_scope: 0,
        }
    }

    /// A task id not used before on the page.
    pub fn task_id(&mut self) -> String {
        self.next_task_id += 1;
        self.next_task_id.to_string()
    }

    /// A number telling apart the footnote labels of each embedded note.
    pub fn scope(&mut self) -> usize {
        self.next_scope += 1;
        self.next_scope
    }

    pub fn unresolved(&mut self, target: &str) {
        self.unresolved.add(target);
    }

    pub fn tag(&mut self, tag: &str) {
        self.tags.add(tag);
    }

    /// The conversion result, with `storage` as the page body.
    pub fn finish(self, storage: String) -> Conversion {
        Conversion {
            storage,
            warnings: self.warnings.into_messages(),
            attachments: self.attachments.into_list(),
            unresolved_links: self.unresolved.list,
            tags: self.tags.list,
            diagrams_to_render: self.diagrams,
        }
    }
}

/// Strings in the order first added, each once.
#[derive(Debug, Default)]
struct OnceList {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl OnceList {
    fn add(&mut self, item: &str) {
        if !self.seen.contains(item) {
            self.seen.insert(item.to_owned());
            self.list.push(item.to_owned());
        }
    }
}
