// Temporary vaults: a copy of a real note from the Obsidian help corpus, of a fixture folder, or
// of the whole corpus. Tests never write to the corpus or the fixtures, only to these copies.

import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./load-plugin.mjs";

/** The English Obsidian help, shared beside the repository. */
export const corpusDir = path.resolve(repoRoot, "..", "shared", "corpus", "obsidian-help-en");

/** Small vaults made for tests (tests/fixtures/<name>). */
export const fixturesDir = path.join(repoRoot, "tests", "fixtures");

/** A small note with frontmatter, headings, a list and wikilinks. */
export const DEFAULT_NOTE = "Getting started/Create a vault.md";

/**
 * A fresh vault in the system's temp folder with `note` copied to its top level.
 * Returns `{ vaultDir, notePath, noteTitle, readNote(), remove() }`.
 */
export async function makeVault({ note = DEFAULT_NOTE } = {}) {
  const vaultDir = await makeTempDir();
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

/**
 * A fresh vault holding a copy of the folder `from` (a fixture name, or an absolute path such
 * as corpusDir). Returns `{ vaultDir, read(path), write(path, data), remove() }`, paths
 * vault-relative.
 */
export async function copyVault(from) {
  const source = path.isAbsolute(from) ? from : path.join(fixturesDir, from);
  const vaultDir = await makeTempDir();
  await fs.cp(source, vaultDir, { recursive: true });
  // The corpus is read-only: make the copy writable, as a vault is.
  await makeWritable(vaultDir);
  return {
    vaultDir,
    read: (vaultPath, encoding = "utf8") => fs.readFile(path.join(vaultDir, vaultPath), encoding),
    write: async (vaultPath, data) => {
      await fs.mkdir(path.dirname(path.join(vaultDir, vaultPath)), { recursive: true });
      await fs.writeFile(path.join(vaultDir, vaultPath), data);
    },
    remove: () => fs.rm(vaultDir, { recursive: true, force: true }),
  };
}

function makeTempDir() {
  return fs.mkdtemp(path.join(os.tmpdir(), "confluence-publish-vault-"));
}

async function makeWritable(dir) {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(full);
    else await fs.chmod(full, 0o644);
  }
}
