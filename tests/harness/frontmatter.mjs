// Reads a note's YAML frontmatter the way Obsidian does, for assertions.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import YAML from "yaml";

const { splitFrontmatter } = createRequire(import.meta.url)("../obsidian-stub/index.cjs").__testing;

/** `{ frontmatter, body }`; frontmatter is {} when the note has none. */
export function splitFrontmatterOf(text) {
  const { yaml, body } = splitFrontmatter(text);
  return { frontmatter: yaml === null ? {} : (YAML.parse(yaml) ?? {}), body };
}

/**
 * Asserts that publishing left the note intact: the same body, character for character, and
 * the same frontmatter except `confluence-page-id`, which is `pageId` (or absent when `pageId`
 * is undefined, for a publish that must not have linked the note).
 */
export function assertNoteIntact(before, after, pageId) {
  const old = splitFrontmatterOf(before);
  const now = splitFrontmatterOf(after);
  assert.equal(now.body, old.body, "the note's text should be unchanged");
  const { "confluence-page-id": written, ...rest } = now.frontmatter;
  const { "confluence-page-id": _previous, ...oldRest } = old.frontmatter;
  assert.deepEqual(rest, oldRest, "the other frontmatter fields should be unchanged");
  if (pageId === undefined) {
    assert.equal(written, old.frontmatter["confluence-page-id"], "the page id should not change");
  } else {
    assert.equal(String(written), String(pageId), "confluence-page-id should name the page");
  }
}
