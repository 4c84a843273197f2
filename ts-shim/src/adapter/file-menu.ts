// The file menu (right-click in the file explorer): "Publish to Confluence" on a note,
// "Publish folder to Confluence" on a folder.

import { TFile, TFolder, type Menu, type TAbstractFile } from "obsidian";
import { publishNote } from "./commands/publish-current-note";
import { publishFolder } from "./commands/publish-folder";
import type { PluginContext } from "./context";

/** The handler for the workspace's "file-menu" event. */
export function publishMenuItems(
  context: PluginContext,
): (menu: Menu, file: TAbstractFile) => void {
  return (menu, file) => {
    if (file instanceof TFolder) {
      menu.addItem((item) =>
        item
          .setTitle("Publish folder to Confluence")
          .setIcon("folder-up")
          .onClick(() => publishFolder(context, file)),
      );
    } else if (file instanceof TFile && file.extension === "md") {
      menu.addItem((item) =>
        item
          .setTitle("Publish to Confluence")
          .setIcon("upload-cloud")
          .onClick(() => publishNote(context, file)),
      );
    }
  };
}
