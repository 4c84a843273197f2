//! The storage-format writer: one pass over pulldown-cmark's events.
//!
//! Every [`Event`], [`Tag`] and [`TagEnd`] variant has its own arm, with no catch-all, so a
//! variant added upstream fails the build instead of vanishing from pages. The parser balances
//! start and end events, and each start writes exactly what its end closes, so the output is
//! well-formed whatever the input. A newline follows each block element, for readable output;
//! Confluence ignores it.

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd,
};

use super::code;
use super::escape::{self, CdataEnd};
use super::footnotes::Footnotes;
use super::markup;
use super::obsidian::{self, Piece};
use super::raw_html::{self, InlineHtml};
use super::target::{self, ImageSource};
use super::warnings::{Warning, Warnings};
use super::ConvertOptions;

/// The look of `==highlighted==` text: a light yellow background, as in Obsidian.
const HIGHLIGHT_STYLE: &str = "background-color: rgb(255,240,179)";

/// Writes the storage format for a stream of Markdown events.
pub struct StorageWriter<'a, 'o, I> {
    events: I,
    options: &'o ConvertOptions,
    /// Where output goes: the page at the bottom, above it one buffer per footnote definition
    /// being rendered.
    sinks: Vec<String>,
    /// Labels of the footnote definitions being rendered, one per sink above the page.
    footnote_labels: Vec<CowStr<'a>>,
    footnotes: Footnotes,
    warnings: Warnings,
    table: Table,
    /// The code block being collected.
    code: Option<CodeBlock>,
    /// The HTML block being collected.
    html_block: Option<String>,
    /// Text gathered since the last markup, written out by `flush_text`.
    pending_text: String,
    /// The wiki link being written.
    wikilink: Option<WikiLink>,
    in_metadata: bool,
    /// Whether the previous event opened a heading.
    heading_just_opened: bool,
}

/// The table being written.
#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

/// A wiki link being written: its text goes out without a link around it.
struct WikiLink {
    destination: String,
    /// Length of the output where the link's text starts.
    text_start: usize,
}

/// A code block being collected: the macro needs the whole text at once.
struct CodeBlock {
    language: Option<&'static str>,
    text: String,
}

impl<'a, 'o, I: Iterator<Item = Event<'a>>> StorageWriter<'a, 'o, I> {
    /// A writer over `events`.
    pub fn new(events: I, options: &'o ConvertOptions) -> Self {
        Self {
            events,
            options,
            sinks: vec![String::new()],
            footnote_labels: Vec::new(),
            footnotes: Footnotes::default(),
            warnings: Warnings::default(),
            table: Table::default(),
            code: None,
            html_block: None,
            pending_text: String::new(),
            wikilink: None,
            in_metadata: false,
            heading_just_opened: false,
        }
    }

    /// Writes every event, then the footnotes; returns the page and what it could not carry.
    pub fn run(mut self) -> (String, Warnings) {
        while let Some(event) = self.events.next() {
            let opens_heading = matches!(event, Event::Start(Tag::Heading { .. }));
            if !matches!(event, Event::Text(_) | Event::SoftBreak) {
                self.flush_text();
            }
            self.event(event);
            self.heading_just_opened = opens_heading;
        }
        self.flush_text();
        let mut page = self.sinks.swap_remove(0);
        self.footnotes.push_section(&mut page);
        (page, self.warnings)
    }

    fn event(&mut self, event: Event<'a>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline_code(&code),
            // Math parsing is off, so these do not occur; were it on, the TeX stays text.
            Event::InlineMath(math) => self.delimited_text("$", &math),
            Event::DisplayMath(math) => self.delimited_text("$$", &math),
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::SoftBreak => self.pending_text.push(' '),
            Event::HardBreak => markup::empty(self.out(), "br", &[]),
            Event::Rule => self.rule(),
            Event::TaskListMarker(checked) => self.task_marker(checked),
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        match tag {
            Tag::Paragraph => self.open_block("p", &[]),
            Tag::Heading { level, .. } => self.open_block(heading_name(level), &[]),
            Tag::BlockQuote(_) => self.open_container("blockquote", &[]),
            Tag::CodeBlock(kind) => self.start_code_block(kind),
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::List(Some(1)) => self.open_container("ol", &[]),
            Tag::List(Some(start)) => self.open_container("ol", &[("start", &start.to_string())]),
            Tag::List(None) => self.open_container("ul", &[]),
            Tag::Item => self.open_block("li", &[]),
            Tag::FootnoteDefinition(label) => self.start_footnote(label),
            // Definition lists are not parsed (the option is off); were they, they would come
            // out as a bold term paragraph and an indented definition.
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
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            } => self.start_wikilink(&dest_url),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.start_link(link_type, &dest_url),
            Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            } => self.embed(&dest_url, has_pothole),
            Tag::Image {
                dest_url, title, ..
            } => self.image(&dest_url, &title),
            Tag::MetadataBlock(_) => self.in_metadata = true,
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.end_paragraph(),
            TagEnd::Heading(level) => self.close_block(heading_name(level)),
            TagEnd::BlockQuote(_) => self.close_block("blockquote"),
            TagEnd::CodeBlock => self.end_code_block(),
            TagEnd::HtmlBlock => self.end_html_block(),
            TagEnd::List(true) => self.close_block("ol"),
            TagEnd::List(false) => self.close_block("ul"),
            TagEnd::Item => self.close_block("li"),
            TagEnd::FootnoteDefinition => self.end_footnote(),
            TagEnd::DefinitionList => {}
            TagEnd::DefinitionListTitle => self.close_block("p"),
            TagEnd::DefinitionListDefinition => self.close_block("blockquote"),
            TagEnd::Table => self.end_table(),
            TagEnd::TableHead | TagEnd::TableRow => self.close_block("tr"),
            TagEnd::TableCell => self.end_cell(),
            TagEnd::Emphasis => markup::close(self.out(), "em"),
            TagEnd::Strong => markup::close(self.out(), "strong"),
            TagEnd::Strikethrough => markup::close(self.out(), "s"),
            TagEnd::Superscript => markup::close(self.out(), "sup"),
            TagEnd::Subscript => markup::close(self.out(), "sub"),
            TagEnd::Link => self.end_link(),
            // `image` reads the image's events up to and including this end.
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

    /// Writes the text gathered since the last markup, with Obsidian's comments cut out and
    /// its highlights marked.
    fn flush_text(&mut self) {
        if self.pending_text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending_text);
        let (text, had_comment) = obsidian::without_comments(&text);
        if had_comment {
            self.warnings.add(Warning::CommentsLeftOut);
        }
        for piece in obsidian::highlights(&text) {
            match piece {
                Piece::Plain(plain) => escape::push_text(self.out(), plain),
                Piece::Highlight(marked) => {
                    let style = [("style", HIGHLIGHT_STYLE)];
                    markup::text_element(self.out(), "span", &style, marked);
                }
            }
        }
    }

    /// Cloud answers 500 to a heading whose first child is `<code>`: there it stays plain text.
    fn inline_code(&mut self, code: &str) {
        if self.heading_just_opened {
            self.warnings.add(Warning::HeadingCodeAsText);
            escape::push_text(self.out(), code);
        } else {
            markup::text_element(self.out(), "code", &[], code);
        }
    }

    fn delimited_text(&mut self, delimiter: &str, text: &str) {
        let out = self.out();
        escape::push_text(out, delimiter);
        escape::push_text(out, text);
        escape::push_text(out, delimiter);
    }

    fn inline_html(&mut self, html: &str) {
        match raw_html::classify(html) {
            InlineHtml::LineBreak => markup::empty(self.out(), "br", &[]),
            InlineHtml::Comment => self.warnings.add(Warning::CommentsLeftOut),
            InlineHtml::Other(html) => {
                self.warnings.add(Warning::RawHtmlShownAsText);
                escape::push_text(self.out(), html);
            }
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        let number = self.footnotes.reference(label).to_string();
        markup::text_element(self.out(), "sup", &[], &number);
    }

    fn task_marker(&mut self, checked: bool) {
        self.warnings.add(Warning::TasksAsText);
        let marker = if checked { "☑ " } else { "☐ " };
        escape::push_text(self.out(), marker);
    }

    fn start_link(&mut self, link_type: LinkType, destination: &str) {
        if link_type == LinkType::Email {
            let href = ["mailto:", destination].concat();
            markup::open(self.out(), "a", &[("href", &href)]);
        } else {
            markup::open(self.out(), "a", &[("href", destination)]);
        }
    }

    fn end_link(&mut self) {
        match self.wikilink.take() {
            Some(wikilink) => self.end_wikilink(wikilink),
            None => markup::close(self.out(), "a"),
        }
    }

    /// Wiki links are shown as their text until links between pages are resolved.
    fn start_wikilink(&mut self, destination: &str) {
        self.warnings.add(Warning::WikiLinksAsText);
        let text_start = self.out().len();
        let destination = destination.to_owned();
        self.wikilink = Some(WikiLink {
            destination,
            text_start,
        });
    }

    /// `[[Note|]]` has no text: the note's name stands in.
    fn end_wikilink(&mut self, wikilink: WikiLink) {
        let out = self.out();
        if out.len() == wikilink.text_start {
            escape::push_text(out, &wikilink.destination);
        }
    }

    /// An Obsidian embed: images become attachment images, `|300` or `|300x200` giving the
    /// width and any other text after `|` the alt text; other files are shown as their name.
    fn embed(&mut self, destination: &str, has_pothole: bool) {
        let text = self.alt_text();
        // `![[shot.png#interface]]`: what follows `#` is a heading, block or style, not the file.
        let destination = destination.split('#').next().unwrap_or_default();
        if !target::is_image_file(destination) {
            self.warnings.add(Warning::EmbedsAsText);
            escape::push_text(self.out(), &text);
            return;
        }
        let name = target::file_name(destination);
        let width = target::embed_width(&text).filter(|_| has_pothole);
        let attributes = match width {
            Some(width) => vec![("ac:width", width)],
            None if has_pothole && !text.is_empty() => vec![("ac:alt", text.as_str())],
            None => Vec::new(),
        };
        self.push_image(&attributes, "ri:attachment", ("ri:filename", name));
    }

    /// Writes an image, reading its alt text from the events up to its end.
    fn image(&mut self, destination: &str, title: &str) {
        let alt = self.alt_text();
        let source = target::image_source(destination);
        let mut attributes = Vec::with_capacity(2);
        if !alt.is_empty() {
            attributes.push(("ac:alt", alt.as_str()));
        }
        if !title.is_empty() {
            attributes.push(("ac:title", title));
        }
        match source {
            ImageSource::Url(url) => self.push_image(&attributes, "ri:url", ("ri:value", url)),
            ImageSource::Attachment(name) => {
                self.push_image(&attributes, "ri:attachment", ("ri:filename", &name))
            }
            ImageSource::Unsupported => {
                self.warnings.add(Warning::UnsupportedImage);
                escape::push_text(self.out(), &alt);
            }
        }
    }

    fn push_image(
        &mut self,
        attributes: &[markup::Attribute<'_>],
        resource: &'static str,
        reference: markup::Attribute<'_>,
    ) {
        let out = self.out();
        markup::open(out, "ac:image", attributes);
        markup::empty(out, resource, &[reference]);
        markup::close(out, "ac:image");
    }

    /// The plain text of the events up to the end of the current image.
    fn alt_text(&mut self) -> String {
        let mut alt = String::new();
        let mut depth = 0usize;
        for event in self.events.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                Event::Text(text)
                | Event::Code(text)
                | Event::InlineMath(text)
                | Event::DisplayMath(text)
                | Event::Html(text)
                | Event::InlineHtml(text) => alt.push_str(&text),
                Event::FootnoteReference(label) => alt.extend(["[^", &label, "]"]),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                Event::Rule | Event::TaskListMarker(_) => {}
            }
        }
        alt
    }

    // Blocks.

    fn rule(&mut self) {
        self.fresh_line();
        markup::empty(self.out(), "hr", &[]);
        self.out().push('\n');
    }

    /// A paragraph left empty (it held only a comment) is taken out again.
    fn end_paragraph(&mut self) {
        let out = self.out();
        match out.strip_suffix("<p>") {
            Some(before) => out.truncate(before.len()),
            None => self.close_block("p"),
        }
    }

    fn start_code_block(&mut self, kind: CodeBlockKind<'a>) {
        let language = match kind {
            CodeBlockKind::Indented => None,
            CodeBlockKind::Fenced(info) => self.code_language(&info),
        };
        let text = String::new();
        self.code = Some(CodeBlock { language, text });
    }

    fn code_language(&mut self, info: &str) -> Option<&'static str> {
        let language = code::language_for(info);
        if let (None, Some(word)) = (language, info.split_whitespace().next()) {
            self.warnings
                .add(Warning::UnknownCodeLanguage(word.to_owned()));
        }
        language
    }

    fn end_code_block(&mut self) {
        let Some(block) = self.code.take() else {
            return;
        };
        let text = block.text.strip_suffix('\n').unwrap_or(&block.text);
        let end = if self.options.split_cdata {
            CdataEnd::Split
        } else {
            if text.contains("]]>") {
                self.warnings.add(Warning::CdataEndBroken);
            }
            CdataEnd::ZeroWidthSpace
        };
        self.fresh_line();
        code::push_macro(self.out(), block.language, text, end);
        self.out().push('\n');
    }

    fn html(&mut self, html: &str) {
        match &mut self.html_block {
            Some(block) => block.push_str(html),
            None => self.inline_html(html),
        }
    }

    /// An HTML block becomes a paragraph showing its text, without its comments.
    fn end_html_block(&mut self) {
        let block = self.html_block.take().unwrap_or_default();
        let (visible, had_comment) = raw_html::without_comments(&block);
        if had_comment {
            self.warnings.add(Warning::CommentsLeftOut);
        }
        let visible = visible.trim();
        if visible.is_empty() {
            return;
        }
        self.open_block("p", &[]);
        if raw_html::push_as_text(self.out(), visible) {
            self.warnings.add(Warning::RawHtmlShownAsText);
        }
        self.close_block("p");
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
        self.footnotes.define(&label, body);
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
    }

    fn end_cell(&mut self) {
        let name = self.cell_name();
        let out = self.out();
        markup::close(out, "p");
        markup::close(out, name);
        self.table.cell += 1;
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

    // Output helpers.

    fn out(&mut self) -> &mut String {
        self.sinks
            .last_mut()
            .expect("the page sink is never removed")
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
