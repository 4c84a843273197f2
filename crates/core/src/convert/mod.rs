//! Markdown to Confluence storage format.
//!
//! [`to_storage_with`] turns a note body into the XHTML-like markup Confluence stores
//! (`docs/CONFLUENCE.md`, section 5), using what the caller resolved about the vault
//! ([`Links`]); [`to_storage`] does the same knowing nothing about the vault. Neither fails:
//! whatever the input, the output is well-formed XML using only elements Confluence accepts,
//! and anything that could not be carried over faithfully is listed in
//! [`Conversion::warnings`]. No text of the note is dropped without a warning.
//!
//! ```
//! use publish_core::convert::{to_storage, ConvertOptions};
//!
//! let page = to_storage("Use `List<String>` & more.", &ConvertOptions::default());
//! assert_eq!(page.storage, "<p>Use <code>List&lt;String&gt;</code> &amp; more.</p>\n");
//! ```
//!
//! In scope: CommonMark with GFM tables, strikethrough, task lists and footnotes, plus what
//! Obsidian adds: wiki links and embeds, callouts, `==highlights==`, `%%comments%%`, `$math$`,
//! `#tags`, block ids, other task states. `docs/conversion.md` has the table of every construct
//! and what it becomes. The pieces:
//!
//! - `source.rs` prepares the text (front matter, comments, spaced link destinations);
//! - `writer.rs` walks pulldown-cmark's events and writes the page through `markup.rs`, which
//!   escapes everything through `escape.rs`;
//! - `page.rs` holds what the page gathers (attachments, tags, unresolved links, warnings);
//! - `links.rs` resolves link targets; `anchors.rs` names headings; `callout.rs`,
//!   `tasks.rs`, `code.rs`, `footnotes.rs`, `embeds.rs`, `raw_html.rs`, `obsidian.rs`,
//!   `attachments.rs` and `target.rs` each handle one construct.
//!
//! Out of scope: uploading attachments and rendering diagrams (the caller gets the lists),
//! reading the vault (the caller passes [`Links`]), and labels (the caller gets the tags).

pub mod escape;

mod anchors;
mod attachments;
mod callout;
mod code;
mod embeds;
mod footnotes;
mod links;
mod markup;
mod obsidian;
mod page;
mod raw_html;
mod scan;
mod source;
mod target;
mod tasks;
mod warnings;
mod writer;

use pulldown_cmark::Options;
use serde::Serialize;

pub use self::attachments::{Attachment, AttachmentKind};
pub use self::links::{LinkIndex, Links};

use self::page::Page;
use self::warnings::Warning;
use self::writer::StorageWriter;

/// How [`to_storage`] writes what Confluence versions and sites disagree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertOptions {
    /// Emit `]]>` inside code as split CDATA sections (`]]]]><![CDATA[>`), which is exact.
    ///
    /// Default `true`. Data Center 8.0 to 8.2 reject the split (CONFSERVER-82849); with
    /// `false`, a zero-width space goes between `]]` and `>` instead, which every version
    /// accepts but which puts an invisible character into the code.
    pub split_cdata: bool,
    /// How `$inline$` and `$$display$$` math is shown. Default [`MathOutput::Code`].
    pub math: MathOutput,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self {
            split_cdata: true,
            math: MathOutput::Code,
        }
    }
}

impl ConvertOptions {
    /// These options with `split_cdata` set.
    pub fn with_split_cdata(mut self, split_cdata: bool) -> Self {
        self.split_cdata = split_cdata;
        self
    }

    /// These options with `math` set.
    pub fn with_math(mut self, math: MathOutput) -> Self {
        self.math = math;
        self
    }
}

/// How math is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MathOutput {
    /// The TeX source as code: `<code>` inline, a `code` macro for display math on its own.
    /// Works on every site, renders no formula.
    Code,
    /// A macro from a math app installed on the site, with the TeX source as its plain-text
    /// body: `inline` for `$...$`, `display` for `$$...$$` (for example `mathinline` and
    /// `mathblock`). The site refuses the page if the app is missing.
    Macro { inline: String, display: String },
}

/// The result of [`to_storage`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversion {
    /// The page body in storage format, without namespace declarations.
    pub storage: String,
    /// What the page shows differently from the note, one short sentence each, without
    /// repeats, in the order first met.
    pub warnings: Vec<String>,
    /// The files the page shows or links to, once per file name, in the order first met.
    pub attachments: Vec<Attachment>,
    /// Link targets no published page was found for, as written, once each. Their text is on
    /// the page without a link.
    pub unresolved_links: Vec<String>,
    /// Inline `#tags`, without `#`, once each, in the order first met (for labels).
    pub tags: Vec<String>,
    /// Diagrams shown as code for now, which a later step renders to images.
    pub diagrams_to_render: Vec<Diagram>,
}

/// A diagram block of the note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagram {
    /// The fence language, such as `mermaid`.
    pub language: String,
    /// The diagram source.
    pub source: String,
}

/// Converts a note body to Confluence storage format, resolving nothing: links between notes
/// are reported unresolved, embedded notes become unresolved links, and attachments carry the
/// path as written.
///
/// ```
/// use publish_core::convert::{to_storage, ConvertOptions};
///
/// let page = to_storage("- [x] done", &ConvertOptions::default());
/// assert!(page.storage.starts_with("<ac:task-list>\n<ac:task><ac:task-id>1</ac:task-id>"));
/// ```
pub fn to_storage(markdown: &str, options: &ConvertOptions) -> Conversion {
    to_storage_with(markdown, options, &Links::default())
}

/// Converts a note body to Confluence storage format, resolving links and embeds with `links`.
///
/// A YAML front matter block at the very start (`---` ... `---`) is skipped; the caller
/// normally strips it already.
pub fn to_storage_with(markdown: &str, options: &ConvertOptions, links: &Links) -> Conversion {
    let mut page = Page::new(options, links);
    if escape::has_illegal_chars(markdown) {
        page.warnings.add(Warning::IllegalCharacters);
    }
    let prepared = source::prepare(markdown, parser_options());
    if prepared.had_comments {
        page.warnings.add(Warning::CommentsLeftOut);
    }
    let mut storage = StorageWriter::new(&prepared.text, &mut page, true).run();
    let end = if options.split_cdata {
        escape::CdataEnd::Split
    } else {
        escape::CdataEnd::ZeroWidthSpace
    };
    std::mem::take(&mut page.footnotes).push_section(&mut storage, end);
    page.finish(storage)
}

/// The Markdown dialect: CommonMark plus what GitHub and Obsidian notes commonly use.
///
/// Left off: GFM alert blocks (callouts are recognised by the writer, which also covers all
/// of Obsidian's types), smart punctuation (it rewrites the author's text), heading attributes
/// (`{#id}` is text in Obsidian), `^sup^` and `~sub~` (not Obsidian syntax, and a single `~`
/// is common in prose), and metadata blocks (only the leading one is front matter; see
/// `source.rs`).
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}
