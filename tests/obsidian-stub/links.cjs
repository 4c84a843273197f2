// The links, embeds and frontmatter links of a note, the way Obsidian's metadata cache lists
// them: wikilinks `[[...]]`, embeds `![[...]]`, Markdown links `[text](target)` and images
// `![alt](target)` to vault files (not URLs), and `[[...]]` in frontmatter string values.
// Nothing inside fenced code, inline code, math blocks or `%%comments%%` counts.
//
// Each entry is `{ link, original, displayText, position }`: `link` is the target without its
// alias (and percent-decoded for Markdown links), `original` the text as written.

"use strict";

/** Where to look for links: the text with code, math and comments blanked out. */
function searchableText(body) {
  const chars = body.split("");
  const blank = (start, end) => {
    for (let i = start; i < end; i++) if (chars[i] !== "\n") chars[i] = " ";
  };
  blankFences(body, blank);
  const masked = chars.join("");
  blankSpans(masked, blank);
  return chars.join("");
}

/** Fenced code (``` or ~~~) and $$ math blocks, line by line. */
function blankFences(text, blank) {
  const lines = text.split("\n");
  let offset = 0;
  let open = null;
  for (const line of lines) {
    const start = offset;
    offset += line.length + 1;
    const stripped = line.replace(/^(\s*>)*\s{0,3}/, "");
    if (open) {
      blank(start, start + line.length);
      if (open.kind === "math" ? /\$\$\s*$/.test(line) : closes(stripped, open)) open = null;
      continue;
    }
    const fence = /^(`{3,}|~{3,})/.exec(stripped);
    if (fence) {
      open = { kind: "code", char: fence[1][0], length: fence[1].length };
      blank(start, start + line.length);
    } else if (stripped.startsWith("$$")) {
      // A math block; one that closes on its own line is over at once.
      if (!stripped.slice(2).includes("$$")) open = { kind: "math" };
      blank(start, start + line.length);
    }
  }
}

function closes(line, open) {
  const match = /^(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1][0] === open.char && match[1].length >= open.length;
}

/** Inline code spans and %% comments (which may span lines). */
function blankSpans(text, blank) {
  let i = 0;
  while (i < text.length) {
    if (text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text[i] === "`") {
      const run = /^`+/.exec(text.slice(i))[0];
      const close = findRun(text, run, i + run.length);
      if (close === -1) {
        i += run.length;
        continue;
      }
      blank(i, close + run.length);
      i = close + run.length;
      continue;
    }
    if (text.startsWith("%%", i)) {
      const close = text.indexOf("%%", i + 2);
      const end = close === -1 ? text.length : close + 2;
      blank(i, end);
      i = end;
      continue;
    }
    i++;
  }
}

/** The next backtick run exactly as long as `run`, or -1. */
function findRun(text, run, from) {
  const pattern = /`+/g;
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0].length === run.length) return match.index;
  }
  return -1;
}

const WIKILINK = /(!?)\[\[([^\[\]\n]+?)\]\]/g;
/** `[label](destination "title")`: a label may hold escapes and one level of brackets. */
const LABEL = String.raw`\[((?:\\.|[^\[\]\n]|\[[^\[\]\n]*\])*)\]`;
/** `<any text>`, or no spaces with balanced parentheses. */
const DESTINATION = String.raw`(<[^<>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)`;
const TITLE = String.raw`(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?`;
const MARKDOWN_LINK = new RegExp(String.raw`(!?)${LABEL}\(\s*${DESTINATION}${TITLE}\s*\)`, "g");

/** `{ links, embeds }` of a note body; `offset` is where the body starts in the file. */
function linksAndEmbeds(body, offset, lineOffset) {
  const text = searchableText(body);
  const links = [];
  const embeds = [];
  const position = positions(body, offset, lineOffset);
  for (const match of text.matchAll(WIKILINK)) {
    const [original, bang, inner] = match;
    const { link, displayText } = splitWikilink(inner);
    if (link === "") continue;
    const entry = { link, original, displayText, position: position(match.index, original) };
    (bang ? embeds : links).push(entry);
  }
  for (const match of text.matchAll(MARKDOWN_LINK)) {
    const [original, bang, label, rawTarget] = match;
    const link = markdownTarget(rawTarget);
    if (link === null) continue;
    const entry = { link, original, displayText: label, position: position(match.index, original) };
    (bang ? embeds : links).push(entry);
  }
  const byOffset = (a, b) => a.position.start.offset - b.position.start.offset;
  return { links: links.sort(byOffset), embeds: embeds.sort(byOffset) };
}

/** `Note#Heading|shown` → link `Note#Heading`, displayText `shown` (`\|` in tables too). */
function splitWikilink(inner) {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const link = target.replace(/\\$/, "").trim();
  const displayText = bar === -1 ? link : inner.slice(bar + 1);
  return { link, displayText };
}

/** A vault path from a Markdown link target, or null for a URL. */
function markdownTarget(raw) {
  const target = raw.startsWith("<") ? raw.slice(1, -1) : raw;
  if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) return null;
  try {
    return decodeURI(target).trim();
  } catch {
    return target.trim();
  }
}

/** Frontmatter links: `[[...]]` in string values (lists included), with their key. */
function frontmatterLinks(frontmatter) {
  const found = [];
  const visit = (key, value) => {
    if (typeof value === "string") {
      for (const match of value.matchAll(WIKILINK)) {
        const { link, displayText } = splitWikilink(match[2]);
        if (link !== "") found.push({ key, link, original: match[0], displayText });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${key}.${index}`, item));
    }
  };
  for (const [key, value] of Object.entries(frontmatter ?? {})) visit(key, value);
  return found;
}

function positions(body, offset, lineOffset) {
  const lineStarts = [0];
  for (let i = 0; i < body.length; i++) if (body[i] === "\n") lineStarts.push(i + 1);
  const at = (index) => {
    let line = 0;
    for (let high = lineStarts.length - 1; line < high;) {
      const middle = Math.ceil((line + high) / 2);
      if (lineStarts[middle] <= index) line = middle;
      else high = middle - 1;
    }
    return { line: line + lineOffset, col: index - lineStarts[line], offset: index + offset };
  };
  return (index, original) => ({ start: at(index), end: at(index + original.length) });
}

module.exports = { linksAndEmbeds, frontmatterLinks, searchableText };
