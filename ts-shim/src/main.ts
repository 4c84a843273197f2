// Confluence Publish: wires the settings, the Rust core and Obsidian together. Nothing else.

import { copyPageLinkCommand } from "./adapter/commands/copy-page-link";
import { openPageInConfluenceCommand } from "./adapter/commands/open-page-in-confluence";
import {
  publishActiveNote,
  publishCurrentNoteCommand,
} from "./adapter/commands/publish-current-note";
import { publishFolderCommand } from "./adapter/commands/publish-folder";
import { testConnectionCommand } from "./adapter/commands/test-connection";
import type { PluginContext } from "./adapter/context";
import { publishMenuItems } from "./adapter/file-menu";
import { Plugin } from "./adapter/plugin";
import { reportError } from "./adapter/report-error";
import { SettingsStore } from "./adapter/settings-store";
import { ConfluenceSettingTab } from "./adapter/settings-tab";
import { loadCore } from "./core/load-core";

export default class ConfluencePublishPlugin extends Plugin {
  override async onload(): Promise<void> {
    // Settings from data.json; tokens stay in Obsidian's secret storage.
    const store = await SettingsStore.load(this);

    // The Rust core, compiled once in the background; commands wait for it.
    const core = loadCore();
    core.catch(reportError);
    const context: PluginContext = {
      app: this.app,
      store,
      core,
      addStatusBarItem: () => this.addStatusBarItem(),
    };

    // The settings tab.
    this.addSettingTab(new ConfluenceSettingTab(this.app, this, context));

    // The commands, without default hotkeys.
    this.addCommand(publishCurrentNoteCommand(context));
    this.addCommand(publishFolderCommand(context));
    this.addCommand(testConnectionCommand(context));
    this.addCommand(openPageInConfluenceCommand(context));
    this.addCommand(copyPageLinkCommand(context));

    // The ribbon icon: publish the active note.
    this.addRibbonIcon("upload-cloud", "Publish current note to Confluence", () =>
      publishActiveNote(context),
    );

    // "Publish to Confluence" in the file menu of notes and folders.
    this.registerEvent(this.app.workspace.on("file-menu", publishMenuItems(context)));
  }
}
