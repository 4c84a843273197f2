//! The storage-format writer: one pass over pulldown-cmark's events.
//!
//! Every [`Event`], [`Tag`] and [`TagEnd`] variant has its own arm, with no catch-all, so a
//! variant added upstream fails the build instead of vanishing from pages. The parser balances
//! start and end events, and each start writes exactly what its end closes (the open blocks
//! are kept in a stack, `blocks`), so the output is well-formed whatever the input. A newline
//! follows each block element, for readable output; Confluence ignores it.
//!
//! The writer reads the events as the parser makes them, and looks ahead where it must: at a
//! block quote for a callout marker, at a list item for a task marker, at a heading for its
//! text (its anchor name), at a paragraph for an embed standing alone. Looking ahead never goes
//! past the current paragraph or heading, so the pass stays linear.
//!
//! Submodules: `events.rs` (reading events, looking ahead), `lists.rs` (lists and tasks),
//! `links.rs` (links, images and embeds), `html.rs` (raw HTML).

mod events;
mod html;
mod links;
mod lists;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use self::events::Events;
use self::html::RelayedStack;
use self::links::LinkFrame;
use self::lists::ListRun;
use super::callout::{Look, Marker};
use super::code;
use super::escape::{self, CdataEnd};
use super::markup;
use super::obsidian::{self, Piece};
use super::page::Page;
use super::scan;
use super::warnings::Warning;
use super::MathOutput;

/// The look of `==highlighted==` text: a light yellow background, as in Obsidian.
const HIGHLIGHT_STYLE: &str = "background-color: rgb(255,240,179)";

/// Writes the storage format for the events of one note.
pub struct StorageWriter<'a, 'p, 'l> {
    events: Events<'a>,
    page: &'p mut Page<'l>,
    /// Tells this note's footnote labels apart from those of the notes it embeds.
    scope: usize,
    /// Whether inline tags count for the page (not in embedded notes).
    collect_tags: bool,
    /// Where output goes: the page at the bottom, above it one buffer per footnote definition
    /// or Confluence link being rendered.
    sinks: Vec<String>,
    /// Labels of the footnote definitions being rendered.
    footnote_labels: Vec<CowStr<'a>>,
    /// The blocks open, innermost last.
    blocks: Vec<Block>,
    /// The links open (at most one, as links do not nest, but images in links do).
    links: Vec<LinkFrame>,
    /// Relayed HTML elements open, innermost last.
    relayed: RelayedStack,
    table: Table,
    /// The code block being collected.
    code: Option<CodeBlock>,
    /// The HTML block being collected.
    html_block: Option<String>,
    /// Text gathered since the last markup, written out by `flush_text`.
    pending_text: String,
    /// How many start events are open.
    depth: usize,
    /// How many elements holding only inline content (paragraphs, headings, cells, task
    /// bodies) are open: block content such as an embedded note needs none.
    inline_depth: usize,
    in_metadata: bool,
    /// Whether the previous event opened a heading.
    heading_just_opened: bool,
    /// Inline footnotes (`^[text]`) met so far.
    inline_footnotes: usize,
}

/// An open block and how to close it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    Quote,
    Callout(Look),
    List(ListRun),
    Item,
    Task { paragraphs: usize },
    Paragraph(Paragraph),
}

/// How a paragraph was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paragraph {
    /// As `<p>`.
    Written,
    /// Without markup, as it holds only block content (an embedded note, display math).
    Omitted,
    /// Without markup, inside a task body, which holds no paragraphs.
    InTask,
}

/// The table being written.
#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
    /// Where in the text the row's last cell so far ends.
    cells_end: usize,
}

/// A code block being collected: the macro needs the whole text at once.
struct CodeBlock {
    info: String,
    text: String,
}

impl<'a, 'p, 'l> StorageWriter<'a, 'p, 'l> {
    /// A writer for the note `text`; `root` for the page's own note, else an embedded one.
    pub fn new(text: &'a str, page: &'p mut Page<'l>, root: bool) -> Self {
        let events = Events::new(text);
        let scope = if root { 0 } else { page.scope() };
        Self {
            events,
            page,
            scope,
            collect_tags: root,
            // Storage format runs 1.5 to 3 times the Markdown's size; reserving it at once saves
            // copying the page as it grows.
            sinks: vec![String::with_capacity(text.len() * 3)],
            footnote_labels: Vec::new(),
            blocks: Vec::new(),
            links: Vec::new(),
            relayed: RelayedStack::default(),
            table: Table::default(),
            code: None,
            html_block: None,
            pending_text: String::new(),
            depth: 0,
            inline_depth: 0,
            in_metadata: false,
            heading_just_opened: false,
            inline_footnotes: 0,
        }
    }

    /// Writes every event; returns the storage format of the note.
    pub fn run(mut self) -> String {
        while let Some(event) = self.events.pop_front() {
            let opens_heading = matches!(event, Event::Start(Tag::Heading { .. }));
            if !matches!(event, Event::Text(_) | Event::SoftBreak) {
                self.flush_text(Some(&event));
            }
            self.note_link_markup(&event);
            self.event(event);
            self.heading_just_opened = opens_heading;
        }
        self.flush_text(None);
        self.close_relayed(0);
        self.sinks.swap_remove(0)
    }

    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline_code(&code),
            Event::InlineMath(math) => self.inline_math(&math),
            Event::DisplayMath(math) => self.display_math(&math),
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::SoftBreak => self.pending_text.push(' '),
            Event::HardBreak => markup::empty(self.out(), "br", &[]),
            Event::Rule => self.rule(),
            // `start_item` took the marker already; a marker elsewhere has no meaning.
            Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        self.depth += 1;
        match tag {
            Tag::Paragraph => self.start_paragraph(),
            Tag::Heading { level, .. } => self.start_heading(level),
            Tag::BlockQuote(_) => self.start_quote(),
            Tag::CodeBlock(kind) => self.start_code_block(kind),
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::List(start) => self.start_list(start),
            Tag::Item => self.start_item(),
            Tag::FootnoteDefinition(label) => self.start_footnote(label),
            // Definition lists are not parsed (the option is off); were they, they would come
            // out as a term paragraph and an indented definition.
            Tag::DefinitionList => {}
            Tag::DefinitionListTitle => self.open_block("p", &[]),
            Tag::DefinitionListDefinition => self.open_container("blockquote", &[]),
            Tag::Table(alignments) => self.start_table(alignments),
            Tag::TableHead => self.start_row(true),
            Tag::TableRow => self.start_row(false),
            Tag::TableCell => self.start_cell(),
            Tag::Emphasis => markup::open(self.out(), "em", &[]),
            Tag::Strong => markup::open(self.out(), "strong", &[]),
            Tag::Strikethrough => markup::open(self.out(), "s", &[]),
            Tag::Superscript => markup::open(self.out(), "sup", &[]),
            Tag::Subscript => markup::open(self.out(), "sub", &[]),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.start_link(link_type, &dest_url),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_image(link_type, &dest_url, &title),
            Tag::MetadataBlock(_) => self.in_metadata = true,
        }
    }

    fn end(&mut self, tag: TagEnd) {
        self.close_relayed(self.depth);
        self.depth = self.depth.saturating_sub(1);
        match tag {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(level) => self.end_heading(level),
            TagEnd::BlockQuote(_) => self.end_quote(),
            TagEnd::CodeBlock => self.end_code_block(),
            TagEnd::HtmlBlock => self.end_html_block(),
            TagEnd::List(_) => self.end_list(),
            TagEnd::Item => self.end_item(),
            TagEnd::FootnoteDefinition => self.end_footnote(),
            TagEnd::DefinitionList => {}
            TagEnd::DefinitionListTitle => self.close_block("p"),
            TagEnd::DefinitionListDefinition => self.close_block("blockquote"),
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead | TagEnd::TableRow => self.end_row(),
            TagEnd::TableCell => self.end_cell(),
            TagEnd::Emphasis => markup::close(self.out(), "em"),
            TagEnd::Strong => markup::close(self.out(), "strong"),
            TagEnd::Strikethrough => markup::close(self.out(), "s"),
            TagEnd::Superscript => markup::close(self.out(), "sup"),
            TagEnd::Subscript => markup::close(self.out(), "sub"),
            TagEnd::Link => self.end_link(),
            // `start_image` reads the image's events up to and including this end.
            TagEnd::Image => {}
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
        }
    }

    // Text and inline events.

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code {
            code.text.push_str(text);
        } else if !self.in_metadata {
            self.pending_text.push_str(text);
        }
    }

    /// Writes the text gathered since the last markup, which `next` follows: highlights
    /// marked, tags collected, and a block id at the end of a block turned into an anchor.
    fn flush_text(&mut self, next: Option<&Event<'_>>) {
        if self.pending_text.is_empty() {
            return;
        }
        let mut text = std::mem::take(&mut self.pending_text);
        let block_id = if ends_block(next) {
            obsidian::take_block_id(&mut text)
        } else {
            None
        };
        let mut rest = text.as_str();
        while let Some((before, footnote, after)) = obsidian::inline_footnote(rest) {
            self.marked_text(before);
            self.inline_footnote(footnote);
            rest = after;
        }
        self.marked_text(rest);
        if let Some(id) = block_id {
            markup::anchor(self.out(), &id);
        }
        text.clear();
        self.pending_text = text;
    }

    /// `text` with its highlights marked.
    fn marked_text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if scan::pair_start(text, 0, b'=', b'=').is_none() {
            return self.plain_text(text);
        }
        for piece in obsidian::highlights(text) {
            match piece {
                Piece::Plain(plain) => self.plain_text(plain),
                Piece::Highlight(marked) => {
                    self.note_link_text(None);
                    let style = [("style", HIGHLIGHT_STYLE)];
                    markup::text_element(self.out(), "span", &style, marked);
                }
            }
        }
    }

    /// `^[text]`: a footnote numbered with the others, its text as the definition.
    fn inline_footnote(&mut self, text: &str) {
        self.inline_footnotes += 1;
        // No footnote label holds a control character, so this one is the page's own.
        let label = format!("\u{1}inline {}", self.inline_footnotes);
        self.footnote_reference(&label);
        let mut body = String::new();
        markup::text_element(&mut body, "p", &[], text.trim());
        self.page.footnotes.define(self.scope, &label, body);
    }

    fn plain_text(&mut self, text: &str) {
        if self.collect_tags {
            for tag in obsidian::tags(text) {
                self.page.tag(tag);
            }
        }
        self.note_link_text(Some(text));
        if !self.links.is_empty() {
            return escape::push_text(self.out(), text);
        }
        let mut rest = text;
        while let Some((before, url, after)) = obsidian::bare_url(rest) {
            escape::push_text(self.out(), before);
            markup::text_element(self.out(), "a", &[("href", url)], url);
            rest = after;
        }
        escape::push_text(self.out(), rest);
    }

    /// Cloud answers 500 to a heading whose first child is `<code>`: there it stays plain text.
    fn inline_code(&mut self, code: &str) {
        if self.heading_just_opened {
            self.page.warnings.add(Warning::HeadingCodeAsText);
            escape::push_text(self.out(), code);
        } else {
            markup::text_element(self.out(), "code", &[], code);
        }
    }

    /// `name`, unless it is `code` first in a heading: then `span` (see [`Self::inline_code`]).
    fn not_code_first_in_heading(&mut self, name: &'static str) -> &'static str {
        if name == "code" && self.heading_just_opened {
            self.page.warnings.add(Warning::HeadingCodeAsText);
            return "span";
        }
        name
    }

    fn inline_math(&mut self, tex: &str) {
        let end = self.cdata_end();
        match &self.page.options.math {
            MathOutput::Code => {
                let name = self.not_code_first_in_heading("code");
                markup::text_element(self.out(), name, &[], tex);
            }
            MathOutput::Macro { inline, .. } => {
                let name = inline.clone();
                markup::plain_text_macro(self.out(), &name, tex, end);
            }
        }
    }

    /// Display math alone in its paragraph is a block; within text, it stays inline.
    fn display_math(&mut self, tex: &str) {
        let alone = self.blocks.last() == Some(&Block::Paragraph(Paragraph::Omitted));
        let end = self.cdata_end();
        let tex = tex.trim();
        match (&self.page.options.math, alone) {
            (MathOutput::Code, true) => code::push_macro(self.out(), None, None, tex, end),
            (MathOutput::Code, false) => markup::text_element(self.out(), "code", &[], tex),
            (MathOutput::Macro { display, .. }, _) => {
                let name = display.clone();
                markup::plain_text_macro(self.out(), &name, tex, end);
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        let (number, first) = self.page.footnotes.reference(self.scope, label);
        let shown = number.to_string();
        let end = self.cdata_end();
        let in_link = !self.links.is_empty();
        let out = self.out();
        markup::open(out, "sup", &[]);
        if in_link {
            escape::push_text(out, &shown);
        } else {
            if first {
                markup::anchor(out, &super::footnotes::reference_anchor(number));
            }
            let target = super::footnotes::definition_anchor(number);
            markup::anchor_link(out, &target, &shown, end);
        }
        markup::close(out, "sup");
    }

    // Blocks.

    fn rule(&mut self) {
        self.fresh_line();
        markup::empty(self.out(), "hr", &[]);
        self.out().push('\n');
    }

    fn start_paragraph(&mut self) {
        if let Some(Block::Task { paragraphs }) = self.blocks.last_mut() {
            *paragraphs += 1;
            if *paragraphs > 1 {
                markup::empty(self.out(), "br", &[]);
            }
            self.blocks.push(Block::Paragraph(Paragraph::InTask));
        } else if self.holds_only_block() {
            self.fresh_line();
            self.blocks.push(Block::Paragraph(Paragraph::Omitted));
        } else {
            self.open_block("p", &[]);
            self.inline_depth += 1;
            self.blocks.push(Block::Paragraph(Paragraph::Written));
        }
    }

    /// A paragraph left empty (it held only a comment) is taken out again.
    fn end_paragraph(&mut self) {
        match self.blocks.pop() {
            Some(Block::Paragraph(Paragraph::Written)) => {}
            Some(Block::Paragraph(Paragraph::Omitted)) => return self.fresh_line(),
            _ => return,
        }
        self.inline_depth = self.inline_depth.saturating_sub(1);
        let out = self.out();
        match out.strip_suffix("<p>") {
            Some(before) => out.truncate(before.len()),
            None => self.close_block("p"),
        }
    }

    /// Whether the paragraph about to open holds only display math or an embed shown as a
    /// block: then it is written without `<p>`.
    fn holds_only_block(&mut self) -> bool {
        self.events.fill(2);
        match self.events.peek(0) {
            Some(Event::DisplayMath(_)) => {
                matches!(self.events.peek(1), Some(Event::End(TagEnd::Paragraph)))
            }
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            })) => self.is_block_embed(*link_type, dest_url) && self.image_ends_paragraph(),
            _ => false,
        }
    }

    /// Whether the image the next event starts is followed by the end of the paragraph.
    fn image_ends_paragraph(&mut self) -> bool {
        let mut depth = 0usize;
        let mut index = 0;
        while let Some(event) = self.events.get(index) {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 1 => {
                    let next = self.events.get(index + 1);
                    return matches!(next, Some(Event::End(TagEnd::Paragraph)));
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            index += 1;
        }
        false
    }

    fn start_heading(&mut self, level: HeadingLevel) {
        let text = self.heading_text();
        let name = self.page.anchors.for_heading(&text);
        self.open_block(heading_name(level), &[]);
        markup::anchor(self.out(), &name);
        self.inline_depth += 1;
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        self.inline_depth = self.inline_depth.saturating_sub(1);
        self.close_block(heading_name(level));
    }

    /// The plain text of the heading about to be written, from the events up to its end.
    fn heading_text(&mut self) -> String {
        let mut text = String::new();
        let mut index = 0;
        while let Some(event) = self.events.get(index) {
            index += 1;
            match event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(piece) | Event::Code(piece) | Event::InlineMath(piece) => {
                    text.push_str(piece);
                }
                _ => {}
            }
        }
        text
    }

    fn start_quote(&mut self) {
        match self.callout_marker() {
            Some(marker) => self.start_callout(&marker),
            None => {
                self.open_container("blockquote", &[]);
                self.blocks.push(Block::Quote);
            }
        }
    }

    /// The callout marker opening the block quote about to be written, if any.
    fn callout_marker(&mut self) -> Option<Marker> {
        if !matches!(self.events.get(0), Some(Event::Start(Tag::Paragraph))) {
            return None;
        }
        Marker::parse(&self.leading_text(1, 128))
    }

    /// Opens the callout's macro, taking its first line (marker and title) from the queue.
    fn start_callout(&mut self, marker: &Marker) {
        self.events.pop_front();
        self.consume_text(0, marker.length);
        let (title, body_follows) = self.callout_title();
        let title = match title.trim() {
            "" => marker.default_title(),
            title => title.to_owned(),
        };
        let look = marker.look();
        self.fresh_line();
        let out = self.out();
        match look {
            Look::Panel(name) => open_rich_macro(out, name, &title),
            Look::Expand => open_rich_macro(out, "expand", &title),
            Look::Quote => {
                markup::open(out, "blockquote", &[]);
                out.push('\n');
                markup::open(out, "p", &[]);
                markup::text_element(out, "strong", &[], &title);
                markup::close(out, "p");
                out.push('\n');
            }
        }
        self.blocks.push(Block::Callout(look));
        if body_follows {
            self.start(Tag::Paragraph);
        }
    }

    /// The plain text of the rest of the first line, and whether the paragraph goes on.
    fn callout_title(&mut self) -> (String, bool) {
        let mut title = String::new();
        let mut depth = 0usize;
        while let Some(event) = self.events.pop_front() {
            match event {
                Event::SoftBreak | Event::HardBreak if depth == 0 => return (title, true),
                Event::End(TagEnd::Paragraph) if depth == 0 => return (title, false),
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                other => push_plain(&mut title, &other),
            }
        }
        (title, false)
    }

    fn end_quote(&mut self) {
        let out_name = match self.blocks.pop() {
            Some(Block::Callout(Look::Panel(_) | Look::Expand)) => None,
            _ => Some("blockquote"),
        };
        match out_name {
            Some(name) => self.close_block(name),
            None => {
                let out = self.out();
                markup::close(out, "ac:rich-text-body");
                markup::close(out, "ac:structured-macro");
                out.push('\n');
            }
        }
    }

    fn start_code_block(&mut self, kind: CodeBlockKind<'a>) {
        let info = match kind {
            CodeBlockKind::Indented => String::new(),
            CodeBlockKind::Fenced(info) => info.into_string(),
        };
        let text = String::new();
        self.code = Some(CodeBlock { info, text });
    }

    fn end_code_block(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        let text = block.text.strip_suffix('\n').unwrap_or(&block.text);
        let info = code::Info::parse(&block.info);
        if info.is_diagram() {
            self.page.warnings.add(Warning::DiagramsAsCode);
            self.page.diagrams.push(super::Diagram {
                language: info.word.unwrap_or_default().to_lowercase(),
                source: text.to_owned(),
            });
        }
        let language = self.code_language(&info);
        if !self.page.options.split_cdata && text.contains("]]>") {
            self.page.warnings.add(Warning::CdataEndBroken);
        }
        let end = self.cdata_end();
        self.fresh_line();
        code::push_macro(self.out(), language, info.title, text, end);
        self.out().push('\n');
    }

    fn code_language(&mut self, info: &code::Info<'_>) -> Option<&'static str> {
        let word = info.word?;
        let language = code::language_for(word);
        if language.is_none() && !info.is_diagram() {
            let warning = Warning::UnknownCodeLanguage(word.to_owned());
            self.page.warnings.add(warning);
        }
        language
    }

    fn start_footnote(&mut self, label: CowStr<'a>) {
        self.footnote_labels.push(label);
        self.sinks.push(String::new());
    }

    fn end_footnote(&mut self) {
        let label = self.footnote_labels.pop();
        let label = label.expect("events are balanced: start_footnote pushed a label");
        let body = self.sinks.pop();
        let body = body.expect("events are balanced: start_footnote pushed a sink");
        self.page.footnotes.define(self.scope, &label, body);
    }

    fn start_table(&mut self, alignments: Vec<Alignment>) {
        self.table = Table {
            alignments,
            ..Table::default()
        };
        self.fresh_line();
        let out = self.out();
        markup::open(out, "table", &[]);
        markup::open(out, "tbody", &[]);
        out.push('\n');
    }

    fn start_row(&mut self, in_head: bool) {
        self.table.in_head = in_head;
        self.table.cell = 0;
        markup::open(self.out(), "tr", &[]);
    }

    fn start_cell(&mut self) {
        let name = self.cell_name();
        let alignment = self.table.alignments.get(self.table.cell);
        let style = alignment.and_then(|alignment| alignment_style(*alignment));
        let out = self.out();
        match style {
            Some(style) => markup::open(out, name, &[("style", style)]),
            None => markup::open(out, name, &[]),
        }
        markup::open(out, "p", &[]);
        self.inline_depth += 1;
    }

    fn end_cell(&mut self) {
        self.table.cells_end = self.table.cells_end.max(self.events.last_range().end);
        self.inline_depth = self.inline_depth.saturating_sub(1);
        let name = self.cell_name();
        let out = self.out();
        markup::close(out, "p");
        markup::close(out, name);
        self.table.cell += 1;
    }

    /// Closes the row. The parser drops cells beyond the header's columns (as GitHub does), but
    /// their text is still in the row's source after the last cell: then the user is told.
    fn end_row(&mut self) {
        let row = self.events.last_range();
        let start = self.table.cells_end.max(row.start);
        let rest = self.events.text().get(start..row.end).unwrap_or_default();
        if rest.chars().any(|c| !c.is_whitespace() && c != '|') {
            self.page.warnings.add(Warning::TableCellsLeftOut);
        }
        self.table.cells_end = 0;
        self.close_block("tr");
    }

    fn cell_name(&self) -> &'static str {
        if self.table.in_head {
            "th"
        } else {
            "td"
        }
    }

    fn end_table(&mut self) {
        let out = self.out();
        markup::close(out, "tbody");
        markup::close(out, "table");
        out.push('\n');
    }

    // Looking ahead.

    /// The text of the run of text events starting at queue index `from`, up to about `limit`
    /// bytes.
    fn leading_text(&mut self, from: usize, limit: usize) -> String {
        let mut text = String::new();
        let mut index = from;
        while let Some(Event::Text(piece)) = self.events.get(index) {
            text.push_str(piece);
            if text.len() >= limit {
                break;
            }
            index += 1;
        }
        text
    }

    /// Takes `bytes` bytes of text from the run of text events starting at queue index `from`.
    fn consume_text(&mut self, from: usize, mut bytes: usize) {
        let mut index = from;
        while bytes > 0 {
            let Some(Event::Text(text)) = self.events.get_mut(index) else {
                break;
            };
            let taken = bytes.min(text.len());
            *text = text_after(std::mem::replace(text, CowStr::Borrowed("")), taken);
            bytes -= taken;
            index += 1;
        }
    }

    // Output helpers.

    fn out(&mut self) -> &mut String {
        self.sinks
            .last_mut()
            .expect("the page sink is never removed")
    }

    fn cdata_end(&self) -> CdataEnd {
        if self.page.options.split_cdata {
            CdataEnd::Split
        } else {
            CdataEnd::ZeroWidthSpace
        }
    }

    /// Starts a new line unless the output is at the start of one.
    fn fresh_line(&mut self) {
        let out = self.out();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    }

    fn open_block(&mut self, name: &'static str, attributes: &[markup::Attribute<'_>]) {
        self.fresh_line();
        markup::open(self.out(), name, attributes);
    }

    /// Opens a block that holds other blocks, each on its own line.
    fn open_container(&mut self, name: &'static str, attributes: &[markup::Attribute<'_>]) {
        self.open_block(name, attributes);
        self.out().push('\n');
    }

    fn close_block(&mut self, name: &'static str) {
        let out = self.out();
        markup::close(out, name);
        out.push('\n');
    }
}

/// Opens a macro with a title and a rich-text body.
fn open_rich_macro(out: &mut String, name: &str, title: &str) {
    markup::open_macro(out, name, &[("title", title)]);
    markup::open(out, "ac:rich-text-body", &[]);
    out.push('\n');
}

/// Whether `next` ends the block the text before it is in (`None`: the note ends).
fn ends_block(next: Option<&Event<'_>>) -> bool {
    matches!(
        next,
        None | Some(Event::End(
            TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_)
        ))
    )
}

/// Appends the plain text an inline event shows.
fn push_plain(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(piece)
        | Event::Code(piece)
        | Event::InlineMath(piece)
        | Event::DisplayMath(piece)
        | Event::Html(piece)
        | Event::InlineHtml(piece) => text.push_str(piece),
        Event::FootnoteReference(label) => text.extend(["[^", label, "]"]),
        Event::SoftBreak | Event::HardBreak => text.push(' '),
        Event::Start(_) | Event::End(_) | Event::Rule | Event::TaskListMarker(_) => {}
    }
}

/// `text` without its first `bytes` bytes.
fn text_after(text: CowStr<'_>, bytes: usize) -> CowStr<'_> {
    match text {
        CowStr::Borrowed(text) => CowStr::Borrowed(&text[bytes..]),
        other => CowStr::from(other[bytes..].to_owned()),
    }
}

fn heading_name(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn alignment_style(alignment: Alignment) -> Option<&'static str> {
    match alignment {
        Alignment::None => None,
        Alignment::Left => Some("text-align: left"),
        Alignment::Center => Some("text-align: center"),
        Alignment::Right => Some("text-align: right"),
    }
}
