//! Lists, and list items that are tasks (see `tasks.rs`).
//!
//! A Markdown list is written as runs: consecutive plain items in one `<ul>` or `<ol>`,
//! consecutive tasks in one `<ac:task-list>`. A task's paragraphs are written without `<p>`
//! (a task body holds inline content), separated by line breaks.

use pulldown_cmark::{Event, Tag};

use super::{Block, StorageWriter};
use crate::convert::markup;
use crate::convert::tasks::{self, Status};
use crate::convert::warnings::Warning;

/// The list being written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRun {
    /// The first number of an ordered list.
    start: Option<u64>,
    /// Items written so far.
    items: u64,
    /// The run open now.
    open: Option<RunKind>,
}

/// What a run of items is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunKind {
    Plain,
    Tasks,
}

impl StorageWriter<'_, '_, '_> {
    pub(super) fn start_list(&mut self, start: Option<u64>) {
        let run = ListRun {
            start,
            items: 0,
            open: None,
        };
        self.blocks.push(Block::List(run));
    }

    pub(super) fn end_list(&mut self) {
        if let Some(Block::List(run)) = self.blocks.pop() {
            self.close_run(run.open, run.start.is_some());
        }
    }

    pub(super) fn start_item(&mut self) {
        let task = self.task_marker();
        let kind = match task {
            Some(_) => RunKind::Tasks,
            None => RunKind::Plain,
        };
        self.switch_run(kind);
        match task {
            Some(status) => self.open_task(status),
            None => {
                self.open_block("li", &[]);
                self.blocks.push(Block::Item);
            }
        }
    }

    pub(super) fn end_item(&mut self) {
        match self.blocks.pop() {
            Some(Block::Task { .. }) => {
                self.inline_depth = self.inline_depth.saturating_sub(1);
                let out = self.out();
                markup::close(out, "ac:task-body");
                markup::close(out, "ac:task");
                out.push('\n');
            }
            _ => self.close_block("li"),
        }
    }

    /// The state of the task the item about to be written is, taking its marker from the
    /// queue; `None` for a plain item.
    fn task_marker(&mut self) -> Option<Status> {
        let index = usize::from(matches!(
            self.events.get(0),
            Some(Event::Start(Tag::Paragraph))
        ));
        match self.events.get(index) {
            Some(Event::TaskListMarker(done)) => {
                let status = if *done {
                    Status::Complete
                } else {
                    Status::Incomplete
                };
                self.events.remove(index);
                Some(status)
            }
            Some(Event::Text(_)) => {
                let (status, length) = tasks::marker(&self.leading_text(index, 16))?;
                self.consume_text(index, length);
                if status == Status::Other {
                    self.page.warnings.add(Warning::TaskStates);
                }
                Some(status)
            }
            _ => None,
        }
    }

    /// Makes sure a run of `kind` is open, closing the run of the other kind.
    fn switch_run(&mut self, kind: RunKind) {
        let Some(Block::List(run)) = self.blocks.last_mut() else {
            return;
        };
        run.items += 1;
        if run.open == Some(kind) {
            return;
        }
        let previous = run.open.replace(kind);
        let number = run.start.map(|start| start + run.items - 1);
        let ordered = run.start.is_some();
        self.close_run(previous, ordered);
        match (kind, number) {
            (RunKind::Tasks, _) => self.open_container("ac:task-list", &[]),
            (RunKind::Plain, None) => self.open_container("ul", &[]),
            (RunKind::Plain, Some(1)) => self.open_container("ol", &[]),
            (RunKind::Plain, Some(number)) => {
                self.open_container("ol", &[("start", &number.to_string())]);
            }
        }
    }

    fn close_run(&mut self, kind: Option<RunKind>, ordered: bool) {
        let name = match (kind, ordered) {
            (None, _) => return,
            (Some(RunKind::Tasks), _) => "ac:task-list",
            (Some(RunKind::Plain), true) => "ol",
            (Some(RunKind::Plain), false) => "ul",
        };
        self.close_block(name);
    }

    fn open_task(&mut self, status: Status) {
        let id = self.page.task_id();
        self.fresh_line();
        let out = self.out();
        markup::open(out, "ac:task", &[]);
        markup::text_element(out, "ac:task-id", &[], &id);
        markup::text_element(out, "ac:task-status", &[], status.name());
        markup::open(out, "ac:task-body", &[]);
        self.inline_depth += 1;
        self.blocks.push(Block::Task { paragraphs: 0 });
    }
}
