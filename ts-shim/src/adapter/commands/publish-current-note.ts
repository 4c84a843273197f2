// "Publish current note": creates the note's page in Confluence, or updates the page it is
// linked to, and links the note to its page through the `confluence-page-id` frontmatter field.
// With "Links to unpublished notes" set to publish, the notes it links to that have no page yet
// are published with it, in one run (see linked-notes.ts).
//
// Two failures are questions for the user rather than errors: a page with the note's title
// already exists ("title-taken"), or the page was edited in Confluence since this note last
// published it ("edited-in-confluence"). Each opens a modal; when the user agrees, the note is
// published again with that consent.

import { Notice, type App, type Command, type TFile } from "obsidian";
import { runFlow } from "../../core/run-flow";
import { ProgressIndicator } from "../progress";
import type { CoreError, PublishOutcome } from "../../core/types";
import { publishMessage } from "../../messages";
import type { PluginContext } from "../context";
import { linkedNotesToPublish, publishWithLinkedNotes } from "../linked-notes";
import { askToOverwrite } from "../modals/edited-in-confluence-modal";
import { askToLinkExistingPage } from "../modals/title-taken-modal";
import { NoteInputBuilder, type Consent } from "../note-input";
import { PAGE_ID_FIELD, writePageId } from "../page-id";
import { isCoreError, reportError } from "../report-error";
import { transportFor } from "../transport";

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

/** The ribbon icon's action: publishes the active note, or says to open one. */
export function publishActiveNote(context: PluginContext): void {
  const file = context.app.workspace.getActiveFile();
  if (file === null || file.extension !== "md") {
    new Notice("Open a note to publish it to Confluence.");
    return;
  }
  void publishNote(context, file);
}

/** Publishes `file` with the saved settings; every failure ends in the error funnel. */
export async function publishNote(context: PluginContext, file: TFile): Promise<void> {
  try {
    const message = await publishWithConsent(context, file);
    if (message !== null) new Notice(message, RESULT_NOTICE_MS);
  } catch (error) {
    reportError(error);
  }
}

/**
 * Publishes, asking the user when the core needs their consent, and publishing again with it.
 * Resolves with the result's text, or null when the user declined (a Notice says so).
 */
async function publishWithConsent(context: PluginContext, file: TFile): Promise<string | null> {
  const consent: Consent = {};
  for (;;) {
    try {
      return await publishOnce(context, file, consent);
    } catch (error) {
      if (!isCoreError(error)) throw error;
      // The page was made before the failure: link the note to it, so the next publish
      // updates that page instead of finding its title taken.
      if (error.pageId !== undefined) await writePageId(context.app, file, error.pageId);
      const question = questionFor(error, consent);
      if (question === null) throw error;
      if (!(await question.ask(context.app, error))) {
        new Notice(question.declined);
        return null;
      }
      consent[question.consent] = true;
    }
  }
}

/** One publish, with the linked notes to publish if there are any; the result's text. */
async function publishOnce(context: PluginContext, file: TFile, consent: Consent): Promise<string> {
  const linked = linkedNotesToPublish(context.app, file, context.store.settings);
  if (linked.length > 0) return publishWithLinkedNotes(context, file, linked, consent);

  const core = await context.core;
  const input = await new NoteInputBuilder(context.app).build(file, consent);
  const job = new core.PublishJob(context.store.coreSettings(), input);
  const progress = new ProgressIndicator(context.addStatusBarItem);
  try {
    const outcome = await runFlow(job, transportFor(context), {
      beforeRequest: () => progress.show(`Confluence: ${job.progress().step}`),
    });
    await linkNoteToPage(context, file, outcome);
    return publishMessage(outcome);
  } finally {
    progress.hide();
  }
}

interface Question {
  ask: (app: App, error: CoreError) => Promise<boolean>;
  consent: keyof Consent;
  /** The Notice when the user says no. */
  declined: string;
}

/** The question an error asks, unless the user already agreed to it (then it is an error). */
function questionFor(error: CoreError, consent: Consent): Question | null {
  if (error.kind === "title-taken" && consent.linkExistingPage !== true) {
    return {
      ask: askToLinkExistingPage,
      consent: "linkExistingPage",
      declined: "Not published: the page with this title was left as it is.",
    };
  }
  if (error.kind === "edited-in-confluence" && consent.overwriteRemoteEdits !== true) {
    return {
      ask: askToOverwrite,
      consent: "overwriteRemoteEdits",
      declined: "Not published: the page keeps the edits made in Confluence.",
    };
  }
  return null;
}

/** Writes the page id into the frontmatter, unless it is already there. */
async function linkNoteToPage(
  { app }: PluginContext,
  file: TFile,
  outcome: PublishOutcome,
): Promise<void> {
  try {
    await writePageId(app, file, outcome.pageId);
  } catch (error) {
    // The page exists now: say so, and how to link the note by hand.
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${outcome.summary} But ${PAGE_ID_FIELD} could not be written to the note's ` +
        `frontmatter (${reason}). Add "${PAGE_ID_FIELD}: ${outcome.pageId}" to it by hand.`,
    );
  }
}
