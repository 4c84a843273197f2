// What the settings tab and the commands share.

import type { App } from "obsidian";
import type { CoreModule } from "../core/types";
import type { SettingsStore } from "./settings-store";

export interface PluginContext {
  app: App;
  store: SettingsStore;
  /** The core, loading since the plugin loaded; rejects when the wasm could not be loaded. */
  core: Promise<CoreModule>;
  /** The plugin's `addStatusBarItem` (desktop only; removed when the plugin unloads). */
  addStatusBarItem: () => HTMLElement;
}
