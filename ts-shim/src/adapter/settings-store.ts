// Settings as the plugin holds them: data.json for the plain fields and the names of secrets,
// Obsidian's secret storage for the tokens themselves.

import type { App, Plugin } from "obsidian";
import type { CoreError, CoreSettings } from "../core/types";
import { CoreFailure } from "../core-failure";
import { hideToken } from "../redact";
import {
  migrateSettings,
  SECRET_IDS,
  SECRET_NAME_FIELDS,
  toCoreSettings,
  toStoredSettings,
  type PluginSettings,
  type Secrets,
} from "../settings";

/** Each token's field as the settings tab names it. */
export const TOKEN_LABELS: Readonly<Record<keyof Secrets, string>> = Object.freeze({
  personalAccessToken: "Personal access token",
  apiToken: "Atlassian API token",
});

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
   * Reads data.json. A token an older data.json held is moved to secret storage (under the
   * secret already named for it, else under the plugin's own name for it) and erased from the
   * file, which then names that secret.
   */
  static async load(plugin: Plugin): Promise<SettingsStore> {
    const { settings, strayTokens, changed } = migrateSettings(await plugin.loadData());
    const store = new SettingsStore(plugin, settings);
    for (const [key, token] of Object.entries(strayTokens) as [keyof Secrets, string][]) {
      const field = SECRET_NAME_FIELDS[key];
      const name = settings[field] === "" ? SECRET_IDS[key] : settings[field];
      if ((store.storage().getSecret(name) ?? "") === "") store.storage().setSecret(name, token);
      settings[field] = name;
    }
    if (changed) await store.save();
    return store;
  }

  /** Writes the plain fields and the secrets' names to data.json: never a token. */
  async save(): Promise<void> {
    await this.plugin.saveData(toStoredSettings(this.settings));
  }

  /** The names of the secrets in secret storage. */
  secretNames(): string[] {
    return this.storage().listSecrets();
  }

  /**
   * Everything the core needs, the token the toggle chooses included: pass it to the core and
   * drop it. Throws a "settings" error when the chosen secret is not on this device.
   */
  coreSettings(): CoreSettings {
    const used: keyof Secrets = this.settings.usePersonalAccessToken
      ? "personalAccessToken"
      : "apiToken";
    const secrets: Secrets = {
      personalAccessToken: this.token("personalAccessToken", used === "personalAccessToken"),
      apiToken: this.token("apiToken", used === "apiToken"),
    };
    hideToken(secrets.personalAccessToken);
    hideToken(secrets.apiToken, this.settings.username);
    return toCoreSettings(this.settings, secrets);
  }

  /** The token whose secret the settings name; "" when none is named. */
  private token(key: keyof Secrets, required: boolean): string {
    const name = this.settings[SECRET_NAME_FIELDS[key]];
    if (name === "") return "";
    const token = this.storage().getSecret(name);
    if (token === null && required) {
      throw new CoreFailure(missingSecret(name, TOKEN_LABELS[key]));
    }
    return token ?? "";
  }

  private storage(): App["secretStorage"] {
    return this.plugin.app.secretStorage;
  }
}

/** Secrets stay on the device they were made on: another device has the name only. */
function missingSecret(name: string, label: string): CoreError {
  return {
    kind: "settings",
    message:
      `${label}: the secret "${name}" is not in this device's secret storage (secrets stay ` +
      `on the device they were made on). Choose or create it under "${label}" in the ` +
      `plugin's settings.`,
  };
}
