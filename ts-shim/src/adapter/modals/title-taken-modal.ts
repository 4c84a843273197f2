// Asked when the note is not linked to a page yet and its title is taken in the space: publish
// onto that page (linking the note to it), or leave it alone.

import type { App } from "obsidian";
import type { CoreError } from "../../core/types";
import { askChoice } from "./choice-modal";

/** Resolves true when the user agreed to link the note to the existing page and publish. */
export async function askToLinkExistingPage(app: App, error: CoreError): Promise<boolean> {
  const choice = await askChoice(app, {
    title: "There is already a page with this title",
    paragraphs: [
      error.message,
      "Link to that page and publish: the note is linked to that page and its content " +
        "replaces the page's, as a new version.",
    ],
    choices: [
      { label: "Link to that page and publish", value: true, style: "warning" },
      { label: "Cancel", value: null },
    ],
    pageUrl: error.pageUrl,
  });
  return choice === true;
}
