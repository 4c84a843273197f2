// Temporary vaults holding a copy of a real note from the Obsidian help corpus.

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./load-plugin.mjs";

/** The English Obsidian help, shared beside the repository. */
export const corpusDir = path.resolve(repoRoot, "..", "shared", "corpus", "obsidian-help-en");

/** A small note with frontmatter, headings, a list and wikilinks. */
export const DEFAULT_NOTE = "Getting started/Create a vault.md";

/**
 * A fresh vault in the system's temp folder with `note` copied to its top level.
 * Returns `{ vaultDir, notePath, noteTitle, readNote(), remove() }`.
 */
export async function makeVault({ note = DEFAULT_NOTE } = {}) {
  const vaultDir = await fs.mkdtemp(path.join(os.tmpdir(), "confluence-publish-vault-"));
  const notePath = path.basename(note);
  await fs.copyFile(path.join(corpusDir, note), path.join(vaultDir, notePath));
  return {
    vaultDir,
    notePath,
    noteTitle: path.basename(note, ".md"),
    readNote: () => fs.readFile(path.join(vaultDir, notePath), "utf8"),
    remove: () => fs.rm(vaultDir, { recursive: true, force: true }),
  };
}
