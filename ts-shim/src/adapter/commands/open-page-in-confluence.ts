// "Open page in Confluence": opens the active note's page in the browser. Offered only while
// the note is linked to a page (its `confluence-page-id` frontmatter field).

import type { Command } from "obsidian";
import type { PluginContext } from "../context";
import { linkedPageCommand } from "../page-link";

export function openPageInConfluenceCommand(context: PluginContext): Command {
  const command = {
    id: "open-page-in-confluence",
    name: "Open page in Confluence",
    icon: "external-link",
  };
  return linkedPageCommand(context, command, (url) => window.open(url));
}
