// "Publish folder": publishes every note in a folder and its subfolders, each like "Publish
// current note", in one run of the core (which links the notes to each other's pages, keeps
// going when one note fails, and gives taken titles a unique one). A progress indicator shows
// the note under way; each note is linked to its page as soon as the page exists (so a run cut
// short leaves no page unlinked), and at the end a Notice sums up.

import { Notice, TFile, TFolder, type Command } from "obsidian";
import { MAX_REQUESTS_PER_NOTE, runFlow } from "../../core/run-flow";
import type { FolderOutcome, NoteInput } from "../../core/types";
import { folderMessage, progressMessage } from "../../messages";
import type { PluginContext } from "../context";
import { NoteInputBuilder } from "../note-input";
import { linkNewPages, writePageIds } from "../page-id";
import { ProgressIndicator } from "../progress";
import { reportError } from "../report-error";
import { transportFor } from "../transport";

/** How long the result stays on screen: it may list failures. */
const RESULT_NOTICE_MS = 15_000;

/** Publishes the folder of the open note. */
export function publishFolderCommand(context: PluginContext): Command {
  return {
    id: "publish-folder",
    name: "Publish folder",
    icon: "folder-up",
    checkCallback: (checking) => {
      const file = context.app.workspace.getActiveFile();
      if (file === null) return false;
      if (!checking) void publishFolder(context, file.parent ?? context.app.vault.getRoot());
      return true;
    },
  };
}

/** Publishes every note under `folder`; every failure of the whole run ends in the funnel. */
export async function publishFolder(context: PluginContext, folder: TFolder): Promise<void> {
  const progress = new ProgressIndicator(context.addStatusBarItem);
  try {
    const notes = markdownNotesIn(folder);
    if (notes.length === 0) {
      new Notice(`There are no notes in ${folderName(folder)} to publish.`);
      return;
    }
    const outcome = await publish(context, folder, notes, progress);
    progress.show("Linking notes to their pages…");
    const unlinked = await writePageIds(context.app, outcome);
    progress.hide();
    new Notice(folderMessage(outcome, unlinked), RESULT_NOTICE_MS);
  } catch (error) {
    progress.hide();
    reportError(error);
  }
}

async function publish(
  context: PluginContext,
  folder: TFolder,
  notes: TFile[],
  progress: ProgressIndicator,
): Promise<FolderOutcome> {
  // Each note's input, files hashed once however many notes embed them.
  const core = await context.core;
  const builder = new NoteInputBuilder(context.app);
  const inputs: NoteInput[] = [];
  for (const [index, note] of notes.entries()) {
    progress.show(`Reading ${index + 1} of ${notes.length} notes: ${note.path}`);
    inputs.push(await builder.build(note));
  }

  // One run of the core for the whole folder.
  const path = folder.isRoot() ? "" : folder.path;
  const job = new core.FolderJob(context.store.coreSettings(), { folder: path, notes: inputs });
  return runFlow(job, transportFor(context), {
    maxRequests: MAX_REQUESTS_PER_NOTE * notes.length,
    beforeRequest: () => progress.show(progressMessage(job.progress())),
    afterResponse: () => linkNewPages(context.app, job.takeLinked()),
  });
}

/** Every Markdown note in `folder` and its subfolders, by path. */
function markdownNotesIn(folder: TFolder): TFile[] {
  const notes: TFile[] = [];
  const visit = (current: TFolder): void => {
    for (const child of current.children) {
      if (child instanceof TFolder) visit(child);
      else if (child instanceof TFile && child.extension === "md") notes.push(child);
    }
  };
  visit(folder);
  return notes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function folderName(folder: TFolder): string {
  return folder.isRoot() ? "the vault" : folder.path;
}
