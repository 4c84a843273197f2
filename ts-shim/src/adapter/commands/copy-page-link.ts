// "Copy page link": copies the address of the active note's page to the clipboard. Offered
// only while the note is linked to a page (its `confluence-page-id` frontmatter field).

import { Notice, type Command } from "obsidian";
import type { PluginContext } from "../context";
import { activeLinkedNote, pageUrlOrNotice } from "../page-link";
import { reportError } from "../report-error";

export function copyPageLinkCommand(context: PluginContext): Command {
  return {
    id: "copy-page-link",
    name: "Copy page link",
    icon: "link",
    checkCallback: (checking) => {
      const linked = activeLinkedNote(context);
      if (linked === null) return false;
      if (!checking) {
        const url = pageUrlOrNotice(context, linked.pageId);
        if (url !== null) void copyLink(url);
      }
      return true;
    },
  };
}

async function copyLink(url: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    new Notice(`Copied the page's link: ${url}`);
  } catch (error) {
    reportError(error);
  }
}
