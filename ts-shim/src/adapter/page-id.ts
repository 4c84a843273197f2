// The frontmatter field that links a note to its Confluence page: read when building a note's
// input (links to published notes) and when looking for linked notes without a page, written
// after each publish.

import type { App, TFile } from "obsidian";
import type { FolderOutcome, LinkedNote } from "../core/types";

/** The field this plugin writes. */
export const PAGE_ID_FIELD = "confluence-page-id";

/** Fields read as the page id too, first match wins (`connie-page-id`: the Connie plugin). */
const PAGE_ID_FIELDS = [PAGE_ID_FIELD, "connie-page-id"] as const;

/** The page id in `file`'s frontmatter, or null when it has none. */
export function pageIdOf(app: App, file: TFile): string | null {
  const frontmatter: Record<string, unknown> | undefined =
    app.metadataCache.getFileCache(file)?.frontmatter;
  for (const field of PAGE_ID_FIELDS) {
    const value = frontmatter?.[field];
    if (typeof value !== "string" && typeof value !== "number") continue;
    const id = String(value).trim();
    if (id !== "") return id;
  }
  return null;
}

/**
 * Writes `pageId` into `file`'s frontmatter unless it is already there. Rejects with the reason
 * when the frontmatter cannot be written (e.g. YAML that does not parse).
 */
export async function writePageId(app: App, file: TFile, pageId: string): Promise<void> {
  if (pageIdOf(app, file) === pageId) return;
  await app.fileManager.processFrontMatter(file, (frontmatter: Record<string, unknown>) => {
    frontmatter[PAGE_ID_FIELD] = pageId;
  });
}

/**
 * Writes the page id of every note a folder run published into that note; answers the notes
 * it could not write, each with why.
 */
export async function writePageIds(app: App, outcome: FolderOutcome): Promise<string[]> {
  const unlinked: string[] = [];
  const failedWithPage = outcome.failed.flatMap(({ path, error }) =>
    error.pageId === undefined ? [] : [{ path, outcome: { pageId: error.pageId } }],
  );
  for (const { path, outcome: published } of [...outcome.published, ...failedWithPage]) {
    const reason = await linkNoteAt(app, path, published.pageId);
    if (reason !== null) unlinked.push(`${path} (${reason})`);
  }
  return unlinked;
}

/**
 * Links each note a running folder publish reports to its page, as soon as the page exists. A
 * note that cannot be written now is left to `writePageIds` at the end, which says why.
 */
export async function linkNewPages(app: App, linked: LinkedNote[]): Promise<void> {
  for (const { path, pageId } of linked) await linkNoteAt(app, path, pageId);
}

/** Writes `pageId` into the note at `path`; answers why it could not, or null. */
async function linkNoteAt(app: App, path: string, pageId: string): Promise<string | null> {
  try {
    const file = app.vault.getFileByPath(path);
    if (file === null) throw new Error("the note is not in the vault any more");
    await writePageId(app, file, pageId);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
