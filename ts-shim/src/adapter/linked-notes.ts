// "Links to unpublished notes": publish the notes a note links to along with it, so its links
// become links to their pages instead of plain text.
//
// The notes are found through Obsidian's metadata cache, as the links resolve in the app: each
// link on the note's page (its own, and those of the notes it embeds) that leads to a note
// without `confluence-page-id` (one level, or following those notes' links in turn), at most
// MAX_LINKED_NOTES. Embedded notes themselves are not published: their text is in the page.
// Notes that already have a page are not followed further: their links were dealt with when
// they were published. The core then publishes all of them in one run, the note first, the
// others under its page or beside it, every link between them resolved by title.

import type { App, Reference, TFile } from "obsidian";
import { CoreFailure } from "../core-failure";
import { MAX_REQUESTS_PER_NOTE, runFlow } from "../core/run-flow";
import type { CoreError, NoteInput } from "../core/types";
import { linkpathOf } from "../link-targets";
import { linkedNotesMessage, progressMessage } from "../messages";
import { MAX_LINKED_NOTES, type PluginSettings } from "../settings";
import type { PluginContext } from "./context";
import { MAX_EMBED_DEPTH, NoteInputBuilder, type Consent } from "./note-input";
import { linkNewPages, pageIdOf, writePageIds } from "./page-id";
import { ProgressIndicator } from "./progress";
import { transportFor } from "./transport";

/** The notes to publish with `note`, as "Links to unpublished notes" says; none for "text". */
export function linkedNotesToPublish(
  app: App,
  note: TFile,
  { unpublishedLinks }: Pick<PluginSettings, "unpublishedLinks">,
): TFile[] {
  if (unpublishedLinks === "text") return [];
  const levels = unpublishedLinks === "publishOneLevel" ? 1 : Infinity;
  return unpublishedLinkedNotes(app, note, levels);
}

/**
 * Publishes `note` with the notes in `linked` and writes every page id back; resolves with
 * the Notice's text. When `note` itself fails on a question for the user (its title is taken,
 * or its page was edited in Confluence), rejects with that error once the others are linked.
 */
export async function publishWithLinkedNotes(
  context: PluginContext,
  note: TFile,
  linked: readonly TFile[],
  consent: Consent,
): Promise<string> {
  const { app, store } = context;
  const progress = new ProgressIndicator(context.addStatusBarItem);
  try {
    // Each note's input: the note first, with what the user agreed to.
    const core = await context.core;
    const builder = new NoteInputBuilder(app);
    const notes: NoteInput[] = [await builder.build(note, consent)];
    for (const other of linked) notes.push(await builder.build(other));

    // One run of the core for all of them.
    const layout = store.settings.linkedNotesPlacement === "under" ? "childrenOfFirst" : "flat";
    const job = new core.FolderJob(store.coreSettings(), { folder: "", notes, layout });
    const outcome = await runFlow(job, transportFor(context), {
      maxRequests: MAX_REQUESTS_PER_NOTE * notes.length,
      beforeRequest: () => progress.show(progressMessage(job.progress())),
      afterResponse: () => linkNewPages(context.app, job.takeLinked()),
    });

    // Every published note linked to its page; then the note's own result.
    progress.show("Linking notes to their pages…");
    const unlinked = await writePageIds(app, outcome);
    const main = outcome.published.find(({ path }) => path === note.path);
    if (main === undefined) throw new CoreFailure(failureOf(note, outcome.failed));
    return linkedNotesMessage(main.outcome, outcome, note.path, unlinked);
  } finally {
    progress.hide();
  }
}

/** The notes without a page that `note` links to, breadth first, `levels` deep. */
function unpublishedLinkedNotes(app: App, note: TFile, levels: number): TFile[] {
  const found: TFile[] = [];
  const seen = new Set([note.path]);
  let level = [note];
  for (let depth = 0; depth < levels && level.length > 0; depth++) {
    const next: TFile[] = [];
    for (const source of level) {
      for (const target of notesLinkedFrom(app, source)) {
        if (seen.has(target.path)) continue;
        seen.add(target.path);
        if (pageIdOf(app, target) !== null) continue;
        if (found.length >= MAX_LINKED_NOTES) return found;
        found.push(target);
        next.push(target);
      }
    }
    level = next;
  }
  return found;
}

/**
 * The notes the page of `source` links to: its own links, and the links of the notes it
 * embeds (their text is published in place), as deep as embeds are followed for the page.
 */
function notesLinkedFrom(app: App, source: TFile): TFile[] {
  const notes: TFile[] = [];
  const expanded = new Set<string>();
  const visit = (note: TFile, depth: number): void => {
    expanded.add(note.path);
    const cache = app.metadataCache.getFileCache(note);
    notes.push(...resolvedNotes(app, note, cache?.links ?? []));
    if (depth >= MAX_EMBED_DEPTH) return;
    for (const embedded of resolvedNotes(app, note, cache?.embeds ?? [])) {
      if (!expanded.has(embedded.path)) visit(embedded, depth + 1);
    }
  };
  visit(source, 0);
  return notes;
}

/** The notes (not other files) that `references` of `source` resolve to, in order. */
function resolvedNotes(app: App, source: TFile, references: readonly Reference[]): TFile[] {
  const notes: TFile[] = [];
  for (const { link } of references) {
    const linkpath = linkpathOf(link);
    if (linkpath === "") continue;
    const target = app.metadataCache.getFirstLinkpathDest(linkpath, source.path);
    if (target !== null && target.extension === "md") notes.push(target);
  }
  return notes;
}

/** Why the note itself was not published, as the core said it. */
function failureOf(note: TFile, failed: readonly { path: string; error: CoreError }[]): CoreError {
  const failure = failed.find(({ path }) => path === note.path);
  return failure?.error ?? { kind: "internal", message: `${note.path} was not published.` };
}
