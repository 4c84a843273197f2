// "Open page in Confluence": opens the active note's page in the browser. Offered only while
// the note is linked to a page (its `confluence-page-id` frontmatter field).

import type { Command } from "obsidian";
import type { PluginContext } from "../context";
import { activeLinkedNote, pageUrlOrNotice } from "../page-link";

export function openPageInConfluenceCommand(context: PluginContext): Command {
  return {
    id: "open-page-in-confluence",
    name: "Open page in Confluence",
    icon: "external-link",
    checkCallback: (checking) => {
      const linked = activeLinkedNote(context);
      if (linked === null) return false;
      if (!checking) {
        const url = pageUrlOrNotice(context, linked.pageId);
        if (url !== null) window.open(url);
      }
      return true;
    },
  };
}
