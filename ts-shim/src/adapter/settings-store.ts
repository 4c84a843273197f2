// Settings as the plugin holds them: data.json for the plain fields, secret storage for tokens.

import type { App, Plugin } from "obsidian";
import type { CoreSettings } from "../core/types";
import {
  migrateSettings,
  SECRET_IDS,
  toCoreSettings,
  toStoredSettings,
  type PluginSettings,
  type Secrets,
} from "../settings";

export class SettingsStore {
  /** Edited in place by the settings tab; call save() afterwards. */
  readonly settings: PluginSettings;

  private constructor(
    private readonly plugin: Plugin,
    settings: PluginSettings,
  ) {
    this.settings = settings;
  }

  /**
   * Reads data.json; tokens an older data.json held are moved to secret storage and erased
   * from it.
   */
  static async load(plugin: Plugin): Promise<SettingsStore> {
    const { settings, strayTokens, changed } = migrateSettings(await plugin.loadData());
    const store = new SettingsStore(plugin, settings);
    for (const [name, value] of Object.entries(strayTokens) as [keyof Secrets, string][]) {
      if (store.secret(name) === "") store.setSecret(name, value);
    }
    if (changed) await store.save();
    return store;
  }

  /** Writes the plain fields to data.json: never a token. */
  async save(): Promise<void> {
    await this.plugin.saveData(toStoredSettings(this.settings));
  }

  /** A token from secret storage; empty when none was saved. */
  secret(name: keyof Secrets): string {
    return this.secretStorage().getSecret(SECRET_IDS[name]) ?? "";
  }

  setSecret(name: keyof Secrets, value: string): void {
    this.secretStorage().setSecret(SECRET_IDS[name], value);
  }

  /** Everything the core needs, tokens included: pass it to the core and drop it. */
  coreSettings(): CoreSettings {
    return toCoreSettings(this.settings, {
      personalAccessToken: this.secret("personalAccessToken"),
      apiToken: this.secret("apiToken"),
    });
  }

  private secretStorage(): App["secretStorage"] {
    return this.plugin.app.secretStorage;
  }
}
