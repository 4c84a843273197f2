//! Code blocks as Confluence `code` macros.
//!
//! Output: `<ac:structured-macro ac:name="code">`, then `<ac:parameter ac:name="language">` only
//! when the fence names a language Confluence knows, then the code in
//! `<ac:plain-text-body><![CDATA[...]]></ac:plain-text-body>`.
//!
//! The language list differs between Cloud and each Data Center version, and a name the server
//! does not know fails the whole page (`json` failed on Data Center 8.8). So the map below keeps
//! to the syntax brushes Confluence has shipped for many versions, written with the names those
//! brushes are registered under; any other fence language is left out, never sent empty.
//! A `title` in the info string becomes the macro's `title` parameter.

use super::escape::CdataEnd;
use super::markup;

/// Maps a fence's info string (```` ```python title ````) to a language Confluence knows.
///
/// Only the first word counts, case-insensitively. `None` for an empty info string or an
/// unknown language.
pub fn language_for(info: &str) -> Option<&'static str> {
    let word = info.split_whitespace().next()?;
    let word = word
        .split('{')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let language = match word.as_str() {
        "actionscript" | "actionscript3" | "as3" => "actionscript3",
        "applescript" => "applescript",
        "bash" | "sh" | "shell" | "zsh" => "bash",
        "c#" | "cs" | "csharp" => "c#",
        "c" | "c++" | "cc" | "cpp" | "cxx" | "h" | "hpp" => "cpp",
        "cf" | "cfm" | "coldfusion" => "coldfusion",
        "css" => "css",
        "delphi" | "pas" | "pascal" => "delphi",
        "diff" | "patch" => "diff",
        "erl" | "erlang" => "erl",
        "groovy" => "groovy",
        "java" => "java",
        "javafx" => "javafx",
        "cjs" | "javascript" | "js" | "mjs" => "js",
        "perl" | "pl" => "perl",
        "php" => "php",
        "plain" | "plaintext" | "text" | "txt" => "text",
        "powershell" | "ps1" | "pwsh" => "powershell",
        "py" | "python" | "python3" => "py",
        "rb" | "ruby" => "ruby",
        "sass" | "scss" => "sass",
        "scala" => "scala",
        "sql" => "sql",
        "vb" | "vbnet" => "vb",
        "htm" | "html" | "svg" | "xhtml" | "xml" => "xml",
        "yaml" | "yml" => "yml",
        "markdown" | "md" => "text",
        _ => return None,
    };
    Some(language)
}

/// What a fence's info string says: ```` ```py title="demo.py" ````.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info<'i> {
    /// The first word, as written.
    pub word: Option<&'i str>,
    /// The `title` given as `title="..."`, `title='...'`, `title=word` or `title:word`.
    pub title: Option<&'i str>,
}

impl<'i> Info<'i> {
    pub fn parse(info: &'i str) -> Self {
        let word = info.split_whitespace().next();
        let title = info
            .find("title")
            .and_then(|at| title_value(&info[at + 5..]));
        Self { word, title }
    }

    /// Whether the block is a diagram a later step can render (Mermaid).
    pub fn is_diagram(&self) -> bool {
        self.word
            .is_some_and(|word| word.eq_ignore_ascii_case("mermaid"))
    }
}

fn title_value(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix(['=', ':'])?.trim_start();
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest.split_whitespace().next()?,
    };
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

/// Writes one code macro holding `code`.
pub fn push_macro(
    out: &mut String,
    language: Option<&str>,
    title: Option<&str>,
    code: &str,
    end: CdataEnd,
) {
    markup::open(out, "ac:structured-macro", &[("ac:name", "code")]);
    if let Some(language) = language {
        markup::text_element(out, "ac:parameter", &[("ac:name", "language")], language);
    }
    if let Some(title) = title {
        markup::text_element(out, "ac:parameter", &[("ac:name", "title")], title);
    }
    markup::open(out, "ac:plain-text-body", &[]);
    markup::cdata(out, code, end);
    markup::close(out, "ac:plain-text-body");
    markup::close(out, "ac:structured-macro");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_to_brush_names() {
        assert_eq!(language_for("python"), Some("py"));
        assert_eq!(language_for("JavaScript"), Some("js"));
        assert_eq!(language_for("sh"), Some("bash"));
        assert_eq!(language_for("html"), Some("xml"));
    }

    #[test]
    fn only_the_first_word_counts() {
        assert_eq!(language_for("  rust title=x"), None);
        assert_eq!(language_for("sql title=q.sql"), Some("sql"));
        assert_eq!(language_for("java{.numberLines}"), Some("java"));
    }

    #[test]
    fn unknown_and_risky_languages_are_left_out() {
        assert_eq!(language_for(""), None);
        assert_eq!(language_for("json"), None);
        assert_eq!(language_for("mermaid"), None);
        assert_eq!(language_for("typescript"), None);
    }

    #[test]
    fn titles_come_from_the_info_string() {
        assert_eq!(Info::parse("py title=\"a b.py\"").title, Some("a b.py"));
        assert_eq!(Info::parse("js title:x.js other").title, Some("x.js"));
        assert_eq!(Info::parse("sql title='q'").title, Some("q"));
        assert_eq!(Info::parse("sql").title, None);
        assert_eq!(Info::parse("sql title=").title, None);
        assert!(Info::parse("Mermaid").is_diagram());
    }

    #[test]
    fn macro_has_parameter_before_body() {
        let mut out = String::new();
        push_macro(&mut out, Some("py"), None, "x = 1", CdataEnd::Split);
        assert_eq!(
            out,
            "<ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">py\
             </ac:parameter><ac:plain-text-body><![CDATA[x = 1]]></ac:plain-text-body>\
             </ac:structured-macro>"
        );
    }
}
