//! Links, images and embeds.
//!
//! - A link with a URI scheme (`https:`, `mailto:`, `obsidian:`) stays an `<a href>`.
//! - A wiki link, or a Markdown link without a scheme, names a note, a file or a heading or
//!   block of this page. A note the caller resolved to a page becomes
//!   `<ac:link [ac:anchor]><ri:page ri:content-title/>...</ac:link>`; a file becomes a link to
//!   the attachment (listed in the page's attachments); `#Heading` and `#^block` alone become
//!   a same-page `ac:link ac:anchor`. A note without page keeps its text, unlinked, and is
//!   reported in [`crate::convert::Conversion::unresolved_links`].
//! - Link text that is plain goes in `ac:plain-text-link-body` (CDATA); formatted text in
//!   `ac:link-body`.
//! - Images and embeds of files become `ac:image` (images), `view-file` (PDF), `multimedia`
//!   (audio, video) or an attachment link (anything else). Embedded notes are written in
//!   place when the caller supplied their Markdown and the embed stands alone in its block;
//!   otherwise they become links.

use pulldown_cmark::{Event, LinkType, TagEnd};

use super::{Block, Paragraph, StorageWriter};
use crate::convert::anchors::anchor_name;
use crate::convert::attachments::AttachmentKind;
use crate::convert::embeds::{self, ImageLabel};
use crate::convert::links::Target;
use crate::convert::page::MAX_EMBED_DEPTH;
use crate::convert::source;
use crate::convert::target::{self, ImageSource};
use crate::convert::warnings::Warning;
use crate::convert::{markup, parser_options};

/// A link being written.
pub struct LinkFrame {
    kind: LinkKind,
    /// Whether the text so far is plain (no markup).
    plain: bool,
    /// The plain text so far.
    text: String,
    /// Shown when the link has no text of its own.
    fallback: String,
    /// Length of the output where the link's text starts.
    text_start: usize,
}

/// What a link becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum LinkKind {
    /// `<a href>`, already opened.
    Html,
    /// `ac:link`, written at the end around the text gathered in a sink of its own.
    Confluence {
        anchor: Option<String>,
        resource: Option<Resource>,
    },
    /// Text only.
    Unlinked,
}

/// What an `ac:link` points at.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Resource {
    /// A page, by title.
    Page(String),
    /// An attachment of this page, by file name.
    Attachment(String),
}

impl<'a> StorageWriter<'a, '_, '_> {
    // Links.

    pub(super) fn start_link(&mut self, link_type: LinkType, destination: &str) {
        let destination = wiki_target(link_type, destination);
        match link_type {
            LinkType::WikiLink { has_pothole } => self.start_wikilink(destination, has_pothole),
            LinkType::Email => {
                let href = ["mailto:", destination].concat();
                markup::open(self.out(), "a", &[("href", &href)]);
                self.push_link(LinkKind::Html, destination.to_owned());
            }
            LinkType::Inline
            | LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
            | LinkType::Autolink => self.start_markdown_link(destination),
        }
    }

    fn start_markdown_link(&mut self, destination: &str) {
        if target::runs_script(destination) {
            self.page.warnings.add(Warning::ScriptLinkAsText);
            self.push_link(LinkKind::Unlinked, destination.to_owned());
            return;
        }
        if target::has_scheme(destination) || destination.trim().is_empty() {
            // `<https://host/a b>` may hold spaces, which an address may not.
            let href = destination.replace(' ', "%20");
            markup::open(self.out(), "a", &[("href", &href)]);
            self.push_link(LinkKind::Html, destination.to_owned());
            return;
        }
        let decoded = target::percent_decode(destination);
        let kind = self.resolve(&decoded);
        self.push_link(kind, decoded);
    }

    /// A wiki link without alias shows what Obsidian shows (`Note > Heading`), not its target.
    fn start_wikilink(&mut self, destination: &str, has_pothole: bool) {
        let kind = self.resolve(destination);
        let shown = Target::parse(destination).display();
        self.push_link(kind, shown.clone());
        if !has_pothole {
            self.skip_to_end();
            self.depth = self.depth.saturating_sub(1);
            self.plain_text(&shown);
            self.end_link();
        }
    }

    fn push_link(&mut self, kind: LinkKind, fallback: String) {
        if matches!(kind, LinkKind::Confluence { .. }) {
            self.sinks.push(String::new());
        }
        let text_start = self.out().len();
        self.links.push(LinkFrame {
            kind,
            plain: true,
            text: String::new(),
            fallback,
            text_start,
        });
    }

    pub(super) fn end_link(&mut self) {
        let Some(frame) = self.links.last() else {
            return;
        };
        let (text_start, fallback) = (frame.text_start, frame.fallback.clone());
        if self.out().len() == text_start {
            self.plain_text(&fallback);
        }
        let frame = self.links.pop().expect("a link frame was found above");
        match frame.kind {
            LinkKind::Html => markup::close(self.out(), "a"),
            LinkKind::Confluence { anchor, resource } => {
                let body = self
                    .sinks
                    .pop()
                    .expect("push_link pushed a sink for this link");
                let text = frame.plain.then_some(frame.text.as_str());
                self.write_ac_link(anchor.as_deref(), resource.as_ref(), text, &body);
            }
            LinkKind::Unlinked => {}
        }
    }

    fn write_ac_link(
        &mut self,
        anchor: Option<&str>,
        resource: Option<&Resource>,
        plain: Option<&str>,
        body: &str,
    ) {
        let end = self.cdata_end();
        let out = self.out();
        match anchor {
            Some(anchor) => markup::open(out, "ac:link", &[("ac:anchor", anchor)]),
            None => markup::open(out, "ac:link", &[]),
        }
        match resource {
            Some(Resource::Page(title)) => {
                markup::empty(out, "ri:page", &[("ri:content-title", title)]);
            }
            Some(Resource::Attachment(name)) => {
                markup::empty(out, "ri:attachment", &[("ri:filename", name)]);
            }
            None => {}
        }
        match plain {
            Some(text) => markup::plain_link_body(out, text, end),
            None => {
                markup::open(out, "ac:link-body", &[]);
                // `body` is storage format this writer produced for the link's text.
                out.push_str(body);
                markup::close(out, "ac:link-body");
            }
        }
        markup::close(out, "ac:link");
    }

    /// Records the plain text written inside a link; `None` for formatted text.
    pub(super) fn note_link_text(&mut self, text: Option<&str>) {
        if let Some(frame) = self.links.last_mut() {
            match text {
                Some(text) => frame.text.push_str(text),
                None => frame.plain = false,
            }
        }
    }

    /// Marks the open link's text as formatted when `event` is markup.
    pub(super) fn note_link_markup(&mut self, event: &Event<'_>) {
        let plain = matches!(
            event,
            Event::Text(_) | Event::SoftBreak | Event::End(TagEnd::Link)
        );
        if !plain {
            self.note_link_text(None);
        }
    }

    /// What the link target `written` (decoded) points at.
    fn resolve(&mut self, written: &str) -> LinkKind {
        let target = Target::parse(written);
        let anchor = target.last_section().map(anchor_name);
        if target.path.is_empty() {
            return match anchor {
                Some(anchor) => confluence(Some(anchor), None),
                None => LinkKind::Unlinked,
            };
        }
        if let Some(kind) = self.file_kind(target.path, false) {
            let name = self.attach(target.path, kind);
            return confluence(None, Some(Resource::Attachment(name)));
        }
        match self.page.resolver.pages.get(target.path) {
            Some(title) => confluence(anchor, Some(Resource::Page(title.to_owned()))),
            None => {
                self.page.unresolved(target.path);
                self.page.warnings.add(Warning::UnresolvedLinks);
                LinkKind::Unlinked
            }
        }
    }

    /// The kind of file `path` names, or none for a note. What the caller resolved decides;
    /// otherwise the extension does: Obsidian's own file types are files, and so is any other
    /// extension in an embed, but a link such as `[[Node.js]]` names a note, as in Obsidian.
    fn file_kind(&self, path: &str, embedded: bool) -> Option<AttachmentKind> {
        let resolver = &self.page.resolver;
        if let Some(vault_path) = resolver.files.get(path) {
            let kind = AttachmentKind::of(vault_path).or_else(|| AttachmentKind::of(path));
            return Some(kind.unwrap_or(AttachmentKind::Other));
        }
        if resolver.pages.get(path).is_some() || resolver.notes.get(path).is_some() {
            return None;
        }
        AttachmentKind::of(path).filter(|&kind| embedded || kind != AttachmentKind::Other)
    }

    /// Lists the file `path` as an attachment and returns its name on the page.
    fn attach(&mut self, path: &str, kind: AttachmentKind) -> String {
        let vault_path = self.page.resolver.files.get(path).unwrap_or(path);
        self.page.attachments.add(vault_path, kind)
    }

    /// Takes the events up to and including the end of the current link or image.
    fn skip_to_end(&mut self) {
        let _ = self.image_text();
    }

    // Images and embeds.

    pub(super) fn start_image(&mut self, link_type: LinkType, destination: &str, title: &str) {
        let destination = wiki_target(link_type, destination);
        let text = self.image_text();
        self.depth = self.depth.saturating_sub(1);
        match link_type {
            LinkType::WikiLink { has_pothole } => {
                let label = if has_pothole { text.as_str() } else { "" };
                self.embed(destination, label);
            }
            _ => self.markdown_image(destination, &text, title),
        }
    }

    fn markdown_image(&mut self, destination: &str, alt: &str, title: &str) {
        let title = (!title.is_empty()).then_some(title);
        match target::image_source(destination) {
            ImageSource::Url(url) => {
                let label = ImageLabel::parse(alt);
                let out = self.out();
                push_image(out, &label, title, "ri:url", ("ri:value", url));
            }
            ImageSource::Attachment(path) => {
                let kind = AttachmentKind::of(&path).unwrap_or(AttachmentKind::Image);
                self.embed_file(&path, kind, alt, title);
            }
            ImageSource::Unsupported => {
                self.page.warnings.add(Warning::UnsupportedImage);
                self.plain_text(alt);
            }
        }
    }

    /// `![[target|label]]`.
    fn embed(&mut self, destination: &str, label: &str) {
        let target = Target::parse(destination);
        match self.file_kind(target.path, true) {
            Some(kind) => {
                if kind == AttachmentKind::Pdf && target.section.is_some() {
                    self.page.warnings.add(Warning::PdfPageLeftOut);
                }
                self.embed_file(target.path, kind, label, None);
            }
            None => self.embed_note(destination, label),
        }
    }

    /// A vault file shown in place: `title` is a Markdown image's title, shown on hover.
    fn embed_file(&mut self, path: &str, kind: AttachmentKind, label: &str, title: Option<&str>) {
        let name = self.attach(path, kind);
        match kind {
            AttachmentKind::Image => {
                let label = ImageLabel::parse(label);
                let out = self.out();
                push_image(out, &label, title, "ri:attachment", ("ri:filename", &name));
            }
            AttachmentKind::Pdf => markup::attachment_macro(self.out(), "view-file", "name", &name),
            AttachmentKind::Audio | AttachmentKind::Video => {
                markup::attachment_macro(self.out(), "multimedia", "name", &name);
            }
            AttachmentKind::Other => {
                let text = if label.trim().is_empty() {
                    name.clone()
                } else {
                    label.to_owned()
                };
                let resource = Resource::Attachment(name);
                self.write_ac_link(None, Some(&resource), Some(&text), "");
            }
        }
    }

    /// An embedded note: its content in place when possible, else a link to it.
    fn embed_note(&mut self, destination: &str, label: &str) {
        let target = Target::parse(destination);
        let markdown = self.page.resolver.notes.get(target.path);
        let Some(markdown) = markdown else {
            self.page.warnings.add(Warning::EmbedsAsLinks);
            return self.embed_link(destination, label);
        };
        if !self.may_embed(target.path) {
            self.page.warnings.add(Warning::EmbedLoop);
        } else if self.inline_depth > 0 {
            self.page.warnings.add(Warning::EmbedInLine);
        } else if self.embed_content(markdown, &target) {
            return;
        }
        self.embed_link(destination, label);
    }

    /// Whether `path` may be embedded here: not already being embedded, not too deep.
    fn may_embed(&self, path: &str) -> bool {
        let key = path.to_lowercase();
        self.page.embedding.len() < MAX_EMBED_DEPTH && !self.page.embedding.contains(&key)
    }

    /// Writes the note (or its section) in place; `false` if the section is not there.
    fn embed_content(&mut self, markdown: &str, target: &Target<'_>) -> bool {
        let options = parser_options();
        let prepared = source::prepare(markdown, options);
        let text: &str = &prepared.text;
        let range = match target.last_section() {
            Some(section) => match embeds::section(text, section, options) {
                Some(range) => range,
                None => {
                    let warning = Warning::EmbedSectionMissing(section.to_owned());
                    self.page.warnings.add(warning);
                    return false;
                }
            },
            None => 0..text.len(),
        };
        if prepared.had_comments {
            self.page.warnings.add(Warning::CommentsLeftOut);
        }
        self.page.embedding.push(target.path.to_lowercase());
        let body = StorageWriter::new(&text[range], self.page, false).run();
        self.page.embedding.pop();
        self.fresh_line();
        // `body` is storage format a writer produced.
        self.out().push_str(&body);
        true
    }

    /// A link in place of an embed; in a paragraph of its own if the embed was to be a block.
    fn embed_link(&mut self, destination: &str, label: &str) {
        let kind = self.resolve(destination);
        let shown = match label.trim() {
            "" => Target::parse(destination).display(),
            label => label.to_owned(),
        };
        let alone = self.blocks.last() == Some(&Block::Paragraph(Paragraph::Omitted));
        if alone {
            markup::open(self.out(), "p", &[]);
        }
        self.push_link(kind, shown.clone());
        self.plain_text(&shown);
        self.end_link();
        if alone {
            markup::close(self.out(), "p");
        }
    }

    /// Whether an image event with this type and destination is shown as a block: an embedded
    /// note whose content the caller supplied, or a file shown with a macro.
    pub(super) fn is_block_embed(&self, link_type: LinkType, destination: &str) -> bool {
        if !matches!(link_type, LinkType::WikiLink { .. }) {
            return false;
        }
        let target = Target::parse(wiki_target(link_type, destination));
        match AttachmentKind::of(target.path) {
            Some(AttachmentKind::Pdf | AttachmentKind::Audio | AttachmentKind::Video) => true,
            Some(AttachmentKind::Image | AttachmentKind::Other) => false,
            None => {
                let known = self.page.resolver.notes.get(target.path).is_some();
                known && self.may_embed(target.path)
            }
        }
    }

    /// The plain text of the events up to the end of the current image (or link), taken from
    /// the queue.
    fn image_text(&mut self) -> String {
        let mut text = String::new();
        let mut depth = 0usize;
        while let Some(event) = self.events.pop_front() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                other => super::push_plain(&mut text, &other),
            }
        }
        text
    }
}

/// A wiki link's target without the `\\` of `[[Note\\|alias]]`, the spelling tables need.
fn wiki_target(link_type: LinkType, destination: &str) -> &str {
    match link_type {
        LinkType::WikiLink { .. } => destination.strip_suffix('\\').unwrap_or(destination),
        _ => destination,
    }
}

fn confluence(anchor: Option<String>, resource: Option<Resource>) -> LinkKind {
    LinkKind::Confluence { anchor, resource }
}

/// Writes an `ac:image` whose resource is `resource` with the attribute `reference`.
fn push_image(
    out: &mut String,
    label: &ImageLabel<'_>,
    title: Option<&str>,
    resource: &'static str,
    reference: markup::Attribute<'_>,
) {
    let mut attributes = Vec::with_capacity(4);
    let optional = [
        ("ac:alt", label.alt),
        ("ac:title", title),
        ("ac:width", label.width),
        ("ac:height", label.height),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            attributes.push((name, value));
        }
    }
    markup::open(out, "ac:image", &attributes);
    markup::empty(out, resource, &[reference]);
    markup::close(out, "ac:image");
}
