// Reads a note's YAML frontmatter the way Obsidian does, for assertions.

import { createRequire } from "node:module";
import YAML from "yaml";

const { splitFrontmatter } = createRequire(import.meta.url)("../obsidian-stub/index.cjs").__testing;

/** `{ frontmatter, body }`; frontmatter is {} when the note has none. */
export function splitFrontmatterOf(text) {
  const { yaml, body } = splitFrontmatter(text);
  return { frontmatter: yaml === null ? {} : (YAML.parse(yaml) ?? {}), body };
}
