// "Publish current note": creates the note's page in Confluence, or updates the page it is
// linked to, and links the note to its page through the `confluence-page-id` frontmatter field.

import { Notice, type App, type Command, type TFile } from "obsidian";
import { runFlow } from "../../core/run-flow";
import type { PublishOutcome } from "../../core/types";
import type { PluginContext } from "../context";
import { reportError } from "../report-error";
import { vaultTransport } from "../transport";

/** The frontmatter field that links a note to its Confluence page. */
export const PAGE_ID_FIELD = "confluence-page-id";

/** How long the result stays on screen: it holds the page's address. */
const RESULT_NOTICE_MS = 10_000;

export function publishCurrentNoteCommand(context: PluginContext): Command {
  return {
    id: "publish-current-note",
    name: "Publish current note",
    icon: "upload-cloud",
    checkCallback: (checking) => {
      const file = context.app.workspace.getActiveFile();
      if (file === null || file.extension !== "md") return false;
      if (!checking) void publishNote(context, file);
      return true;
    },
  };
}

/** Publishes `file` with the saved settings; every failure ends in the error funnel. */
async function publishNote(context: PluginContext, file: TFile): Promise<void> {
  try {
    const core = await context.core;
    const markdown = await context.app.vault.read(file);
    const job = new core.PublishJob(context.store.coreSettings(), { path: file.path, markdown });
    const outcome = await runFlow(job, vaultTransport(context.app));
    await linkNoteToPage(context.app, file, outcome);
    new Notice(resultMessage(outcome), RESULT_NOTICE_MS);
  } catch (error) {
    reportError(error);
  }
}

/** Writes the page id into the frontmatter, unless it is already there. */
async function linkNoteToPage(app: App, file: TFile, outcome: PublishOutcome): Promise<void> {
  const { pageId } = outcome;
  const linked: unknown = app.metadataCache.getFileCache(file)?.frontmatter?.[PAGE_ID_FIELD];
  if (linked !== undefined && linked !== null && String(linked).trim() === pageId) return;
  try {
    await app.fileManager.processFrontMatter(file, (frontmatter: Record<string, unknown>) => {
      frontmatter[PAGE_ID_FIELD] = pageId;
    });
  } catch (error) {
    // The page exists now: say so, and how to link the note by hand.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${outcome.summary} But ${PAGE_ID_FIELD} could not be written to the note's ` +
        `frontmatter (${reason}). Add "${PAGE_ID_FIELD}: ${pageId}" to it by hand.`,
    );
  }
}

function resultMessage(outcome: PublishOutcome): string {
  return [outcome.summary, ...outcome.warnings.map((warning) => `Warning: ${warning}`)].join("\n");
}
