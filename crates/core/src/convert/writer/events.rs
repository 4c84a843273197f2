//! The parser's events, read as the writer goes.
//!
//! The writer takes events one at a time, straight from the parser. When it looks ahead (see
//! `writer.rs`), the events it looked at wait in a queue and are taken from there first. Looking
//! ahead never goes past the current paragraph or heading, so the queue stays short.

use std::collections::VecDeque;

use pulldown_cmark::{Event, Parser};

/// The events of one note, with those looked ahead at queued.
pub struct Events<'a> {
    parser: Parser<'a>,
    ahead: VecDeque<Event<'a>>,
}

impl<'a> Events<'a> {
    /// The events of `text`.
    pub fn new(text: &'a str) -> Self {
        Self {
            parser: Parser::new_ext(text, crate::convert::parser_options()),
            ahead: VecDeque::new(),
        }
    }

    /// Takes the next event.
    pub fn pop_front(&mut self) -> Option<Event<'a>> {
        self.ahead.pop_front().or_else(|| self.parser.next())
    }

    /// The event `index` places ahead (0 is the next one), without taking it.
    pub fn get(&mut self, index: usize) -> Option<&Event<'a>> {
        self.fill(index + 1);
        self.ahead.get(index)
    }

    /// The event `index` places ahead, to change before it is taken.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Event<'a>> {
        self.fill(index + 1);
        self.ahead.get_mut(index)
    }

    /// Takes the event `index` places ahead, out of turn.
    pub fn remove(&mut self, index: usize) -> Option<Event<'a>> {
        self.fill(index + 1);
        self.ahead.remove(index)
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
        self.ahead.get(index)
    }
}
