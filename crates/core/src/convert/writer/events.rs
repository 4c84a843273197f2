//! The parser's events, read as the writer goes.
//!
//! The writer takes events one at a time, straight from the parser. When it looks ahead (see
//! `writer.rs`), the events it looked at wait in a queue and are taken from there first. Looking
//! ahead never goes past the current paragraph or heading, so the queue stays short. The
//! source text of the event taken last is at hand, for the few checks that need it.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{Event, OffsetIter, Parser};

/// The events of one note, with those looked ahead at queued.
pub struct Events<'a> {
    text: &'a str,
    parser: OffsetIter<'a>,
    ahead: VecDeque<(Event<'a>, Range<usize>)>,
    /// Where in the text the event taken last came from.
    last: Range<usize>,
}

impl<'a> Events<'a> {
    /// The events of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            parser: Parser::new_ext(text, crate::convert::parser_options()).into_offset_iter(),
            ahead: VecDeque::new(),
            last: 0..0,
        }
    }

    /// Takes the next event.
    pub fn pop_front(&mut self) -> Option<Event<'a>> {
        let (event, range) = self.ahead.pop_front().or_else(|| self.parser.next())?;
        self.last = range;
        Some(event)
    }

    /// Where in the text the event taken last came from (for an end, its whole element).
    pub fn last_range(&self) -> Range<usize> {
        self.last.clone()
    }

    /// The text the events come from.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The event `index` places ahead (0 is the next one), without taking it.
    pub fn get(&mut self, index: usize) -> Option<&Event<'a>> {
        self.fill(index + 1);
        self.ahead.get(index).map(|(event, _)| event)
    }

    /// The event `index` places ahead, to change before it is taken.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Event<'a>> {
        self.fill(index + 1);
        self.ahead.get_mut(index).map(|(event, _)| event)
    }

    /// Takes the event `index` places ahead, out of turn.
    pub fn remove(&mut self, index: usize) -> Option<Event<'a>> {
        self.fill(index + 1);
        self.ahead.remove(index).map(|(event, _)| event)
    }

    /// Queues events until `count` are ahead, or the note ends; [`Self::peek`] then sees them.
    pub fn fill(&mut self, count: usize) {
        while self.ahead.len() < count {
            match self.parser.next() {
                Some(event) => self.ahead.push_back(event),
                None => break,
            }
        }
    }

    /// The event `index` places ahead if it is queued already (see [`Self::fill`]).
    pub fn peek(&self, index: usize) -> Option<&Event<'a>> {
        self.ahead.get(index).map(|(event, _)| event)
    }
}
