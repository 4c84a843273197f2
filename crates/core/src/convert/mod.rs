//! Markdown to Confluence storage format.
//!
//! [`to_storage`] turns a note body into the XHTML-like markup Confluence stores
//! (`docs/CONFLUENCE.md`, section 5). It never fails: whatever the input, the output is
//! well-formed XML using only elements Confluence accepts, and anything that could not be
//! carried over faithfully is listed in [`Conversion::warnings`].
//!
//! ```
//! use publish_core::convert::{to_storage, ConvertOptions};
//!
//! let page = to_storage("# Tips & tricks\n\nUse `List<String>`.", &ConvertOptions::default());
//! assert_eq!(
//!     page.storage,
//!     "<h1>Tips &amp; tricks</h1>\n<p>Use <code>List&lt;String&gt;</code>.</p>\n"
//! );
//! ```
//!
//! In scope: CommonMark with GFM tables, strikethrough, task lists and footnotes, plus
//! Obsidian's wiki links, `==highlights==` and `%%comments%%`. Headings, paragraphs, emphasis,
//! lists, block quotes, rules, links and tables map to their storage elements; code blocks to
//! `code` macros; images, and image embeds (`![[shot.png|300]]`), to `ac:image` (web address
//! or attachment). A leading YAML front matter block is skipped. HTML and Obsidian comments
//! are left out.
//!
//! Out of scope for now, shown as text or simplified, never dropped: links between notes
//! (`[[Note|alias]]` shows its alias, a Markdown link keeps its relative `href`), embeds of
//! notes and other files (shown as their name), raw HTML (shown as text, see `raw_html.rs`),
//! callouts (a quote starting `[!type]`), `$math$`, highlights and comments split by markup
//! (see `obsidian.rs`), tasks (a ☐ or ☑ character instead of Confluence tasks). Resolving
//! links between notes and uploading attachments belong to the caller.

pub mod escape;

mod code;
mod footnotes;
mod markup;
mod obsidian;
mod raw_html;
mod target;
mod warnings;
mod writer;

use pulldown_cmark::{Event, Options, Parser, Tag};

use self::warnings::{Warning, Warnings};
use self::writer::StorageWriter;

/// How [`to_storage`] writes what Confluence versions disagree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertOptions {
    /// Emit `]]>` inside code as split CDATA sections (`]]]]><![CDATA[>`), which is exact.
    ///
    /// Default `true`. Data Center 8.0 to 8.2 reject the split (CONFSERVER-82849); with
    /// `false`, a zero-width space goes between `]]` and `>` instead, which every version
    /// accepts but which puts an invisible character into the code.
    pub split_cdata: bool,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        Self { split_cdata: true }
    }
}

/// The result of [`to_storage`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conversion {
    /// The page body in storage format, without namespace declarations.
    pub storage: String,
    /// What the page shows differently from the note, one short sentence each, without
    /// repeats, in the order first met.
    pub warnings: Vec<String>,
}

/// Converts a note body to Confluence storage format.
///
/// A YAML front matter block at the very start (`---` ... `---`) is skipped; the caller
/// normally strips it already.
///
/// ```
/// use publish_core::convert::{to_storage, ConvertOptions};
///
/// let page = to_storage("- [x] done", &ConvertOptions::default());
/// assert_eq!(page.storage, "<ul>\n<li>☑ done</li>\n</ul>\n");
/// assert_eq!(page.warnings, ["tasks are shown as list items with ☐ or ☑"]);
/// ```
pub fn to_storage(markdown: &str, options: &ConvertOptions) -> Conversion {
    let body = without_front_matter(markdown);
    let mut warnings = Warnings::default();
    if body.chars().any(|c| c != '\0' && !escape::is_xml_char(c)) {
        warnings.add(Warning::IllegalCharacters);
    }

    let events = Parser::new_ext(body, parser_options());
    let (storage, writer_warnings) = StorageWriter::new(events, options).run();
    warnings.extend(writer_warnings);
    Conversion {
        storage,
        warnings: warnings.into_messages(),
    }
}

/// The Markdown dialect: CommonMark plus what GitHub and Obsidian notes commonly use.
///
/// Left off: GFM alert blocks (they cover 5 of Obsidian's callout types and would drop the
/// `[!type]` marker of the rest), smart punctuation (it rewrites the author's text), heading
/// attributes (`{#id}` is text in Obsidian), math, and metadata blocks (only the
/// leading one is front matter; see [`without_front_matter`]).
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_WIKILINKS
}

/// `markdown` after a leading YAML front matter block, if it has one.
///
/// pulldown-cmark also takes a `---` rule followed later by another `---` line for a
/// metadata block anywhere in the text, so only a block at the very start is cut, and the rest
/// is parsed with metadata blocks off: a `---` further down stays a rule or a heading underline.
fn without_front_matter(markdown: &str) -> &str {
    let markdown = markdown.strip_prefix('\u{FEFF}').unwrap_or(markdown);
    if !markdown.starts_with("---") {
        return markdown;
    }
    let options = parser_options() | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let first = Parser::new_ext(markdown, options).into_offset_iter().next();
    if let Some((Event::Start(Tag::MetadataBlock(_)), range)) = first {
        if range.start == 0 {
            return &markdown[range.end..];
        }
    }
    markdown
}
