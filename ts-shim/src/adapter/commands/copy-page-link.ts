// "Copy page link": copies the address of the active note's page to the clipboard. Offered
// only while the note is linked to a page (its `confluence-page-id` frontmatter field).

import { Notice, type Command } from "obsidian";
import type { PluginContext } from "../context";
import { linkedPageCommand } from "../page-link";
import { reportError } from "../report-error";

export function copyPageLinkCommand(context: PluginContext): Command {
  const command = { id: "copy-page-link", name: "Copy page link", icon: "link" };
  return linkedPageCommand(context, command, (url) => void copyLink(url));
}

async function copyLink(url: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    new Notice(`Copied the page's link: ${url}`);
  } catch (error) {
    reportError(error);
  }
}
