// What "Open page in Confluence" and "Copy page link" share: the address of the active note's
// page, when the note is linked to one, and a command offered only then.

import { Notice, type Command, type TFile } from "obsidian";
import { pageUrl } from "../page-url";
import { baseUrlProblem } from "../validate";
import type { PluginContext } from "./context";
import { pageIdOf } from "./page-id";

/** The active note when it is linked to a Confluence page, with that page's id. */
export function activeLinkedNote(context: PluginContext): { file: TFile; pageId: string } | null {
  const file = context.app.workspace.getActiveFile();
  if (file === null || file.extension !== "md") return null;
  const pageId = pageIdOf(context.app, file);
  return pageId === null ? null : { file, pageId };
}

/**
 * The page's address; null after a Notice saying what is wrong with the base URL (missing, or
 * holding a password that must not be shown or copied).
 */
export function pageUrlOrNotice(context: PluginContext, pageId: string): string | null {
  // http:// is no problem here: opening a page sends no token.
  const problem = baseUrlProblem(context.store.settings.baseUrl, true);
  if (problem !== null) {
    new Notice(problem);
    return null;
  }
  const url = pageUrl(context.store.settings, pageId);
  if (url === null) {
    new Notice("Set the Confluence base URL in the plugin's settings first.");
  }
  return url;
}

/**
 * A command offered only while the active note is linked to a page; run, it hands `act` the
 * page's address.
 */
export function linkedPageCommand(
  context: PluginContext,
  command: Pick<Command, "id" | "name" | "icon">,
  act: (url: string) => void,
): Command {
  return {
    ...command,
    checkCallback: (checking) => {
      const linked = activeLinkedNote(context);
      if (linked === null) return false;
      if (!checking) {
        const url = pageUrlOrNotice(context, linked.pageId);
        if (url !== null) act(url);
      }
      return true;
    },
  };
}
