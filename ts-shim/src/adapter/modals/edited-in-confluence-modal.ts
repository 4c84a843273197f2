// Asked when the note's page was edited in Confluence since this note last published it:
// overwrite those edits, or leave the page as it is.

import type { App } from "obsidian";
import type { CoreError } from "../../core/types";
import { askChoice } from "./choice-modal";

/** Resolves true when the user agreed to overwrite the edits made in Confluence. */
export async function askToOverwrite(app: App, error: CoreError): Promise<boolean> {
  const choice = await askChoice(app, {
    title: "The page was edited in Confluence",
    paragraphs: [
      error.message,
      "Overwrite: the note's content replaces the page's, and the edits made in Confluence " +
        "remain only in the page's history.",
    ],
    choices: [
      { label: "Overwrite", value: true, style: "warning" },
      { label: "Cancel", value: null },
    ],
    pageUrl: error.pageUrl,
  });
  return choice === true;
}
