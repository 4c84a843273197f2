// The settings tab: where to publish, how to sign in, and a button to try both.
//
// Plain fields are saved to data.json on every change; tokens go to Obsidian's secret storage
// and never into data.json. The "Use personal access token" toggle shows only the rows it uses.

import { PluginSettingTab, Setting, type App, type Plugin, type TextComponent } from "obsidian";
import type { Deployment } from "../core/types";
import type { PluginSettings, Secrets } from "../settings";
import { testConnection } from "./commands/test-connection";
import type { PluginContext } from "./context";

const DEPLOYMENT_OPTIONS: Readonly<Record<Deployment, string>> = Object.freeze({
  auto: "Automatic",
  cloud: "Cloud",
  datacenter: "Server or Data Center",
});

/** The rows that only one way of signing in uses. */
interface CredentialRows {
  personalAccessToken: Setting;
  username: Setting;
  apiToken: Setting;
}

export class ConfluenceSettingTab extends PluginSettingTab {
  constructor(
    app: App,
    plugin: Plugin,
    private readonly context: PluginContext,
  ) {
    super(app, plugin);
  }

  display(): void {
    const { containerEl } = this;
    containerEl.empty();
    this.addSiteRows(containerEl);
    this.addAuthenticationRows(containerEl);
    this.addTestConnectionRow(containerEl);
  }

  private addSiteRows(el: HTMLElement): void {
    new Setting(el).setName("Site and space").setHeading();
    this.addTextRow(el, "baseUrl", {
      name: "Confluence base URL",
      desc:
        "The address of your Confluence: https://your-site.atlassian.net/wiki for Cloud; " +
        "for Server or Data Center the address you open it at, with its context path " +
        "(such as /confluence) if it has one.",
      placeholder: "https://confluence.example.com",
    });
    this.addTextRow(el, "spaceKey", {
      name: "Space key",
      desc: "The key of the space new pages go to, such as DOCS.",
      placeholder: "DOCS",
    });
    this.addTextRow(el, "parentPageId", {
      name: "Parent page ID",
      desc:
        "Optional. The ID of the page that new pages go under; " +
        "empty puts them at the top level of the space.",
      placeholder: "123456",
    });
    new Setting(el)
      .setName("Kind of Confluence")
      .setDesc(
        "Automatic picks Cloud for addresses ending in atlassian.net, " +
          "and Server or Data Center otherwise.",
      )
      .addDropdown((dropdown) =>
        dropdown
          .addOptions(DEPLOYMENT_OPTIONS)
          .setValue(this.settings.deployment)
          .onChange(async (value) => {
            this.settings.deployment = isDeployment(value) ? value : "auto";
            await this.context.store.save();
          }),
      );
  }

  private addAuthenticationRows(el: HTMLElement): void {
    new Setting(el).setName("Authentication").setHeading();
    const toggleRow = new Setting(el)
      .setName("Use personal access token")
      .setDesc(
        "On for Server / Data Center 7.9 and later. " +
          "Off for Cloud, which signs in with your email and an API token.",
      );
    const rows: CredentialRows = {
      personalAccessToken: this.addSecretRow(el, "personalAccessToken", {
        name: "Personal access token",
        desc:
          "Create one in Confluence under your avatar > Settings > Personal Access Tokens. " +
          "Kept in Obsidian's secret storage on this device, never in the synced plugin data.",
      }),
      username: this.addTextRow(el, "username", {
        name: "Atlassian username",
        desc: "The email address of your Atlassian account.",
        placeholder: "you@example.com",
      }),
      apiToken: this.addSecretRow(el, "apiToken", {
        name: "Atlassian API token",
        desc:
          "Create one at id.atlassian.com > Security > API tokens. " +
          "Kept in Obsidian's secret storage on this device, never in the synced plugin data.",
      }),
    };
    toggleRow.addToggle((toggle) =>
      toggle.setValue(this.settings.usePersonalAccessToken).onChange(async (value) => {
        this.settings.usePersonalAccessToken = value;
        showCredentialRows(rows, value);
        await this.context.store.save();
      }),
    );
    showCredentialRows(rows, this.settings.usePersonalAccessToken);
  }

  private addTestConnectionRow(el: HTMLElement): void {
    const row = new Setting(el)
      .setName("Test connection")
      .setDesc("Signs in and looks up the space with the values above, without changing anything.");
    const resultEl = el.createDiv({ cls: "confluence-publish-test-result" });
    row.addButton((button) =>
      button.setButtonText("Test connection").onClick(async () => {
        button.setDisabled(true);
        showResult(resultEl, "Testing…", "");
        const result = await testConnection(this.context);
        if (result.ok) showResult(resultEl, result.summary, "is-success");
        else showResult(resultEl, result.message, "is-error");
        button.setDisabled(false);
      }),
    );
  }

  /** A text row bound to a plain setting, saved to data.json on every change. */
  private addTextRow(el: HTMLElement, key: TextSettingKey, labels: RowLabels): Setting {
    return new Setting(el)
      .setName(labels.name)
      .setDesc(labels.desc)
      .addText((text) =>
        text
          .setPlaceholder(labels.placeholder ?? "")
          .setValue(this.settings[key])
          .onChange(async (value) => {
            this.settings[key] = value.trim();
            await this.context.store.save();
          }),
      );
  }

  /** A masked row bound to a token in secret storage. */
  private addSecretRow(el: HTMLElement, name: keyof Secrets, labels: RowLabels): Setting {
    return new Setting(el)
      .setName(labels.name)
      .setDesc(labels.desc)
      .addText((text) => {
        maskInput(text);
        text.setValue(this.context.store.secret(name)).onChange((value) => {
          this.context.store.setSecret(name, value.trim());
        });
      });
  }

  private get settings(): PluginSettings {
    return this.context.store.settings;
  }
}

type TextSettingKey = "baseUrl" | "spaceKey" | "parentPageId" | "username";

interface RowLabels {
  name: string;
  desc: string;
  placeholder?: string;
}

function showCredentialRows(rows: CredentialRows, usePersonalAccessToken: boolean): void {
  rows.personalAccessToken.settingEl.toggle(usePersonalAccessToken);
  rows.username.settingEl.toggle(!usePersonalAccessToken);
  rows.apiToken.settingEl.toggle(!usePersonalAccessToken);
}

function maskInput(text: TextComponent): void {
  text.inputEl.type = "password";
  text.inputEl.autocomplete = "off";
}

function showResult(el: HTMLElement, message: string, cls: "" | "is-success" | "is-error"): void {
  el.removeClass("is-success", "is-error");
  if (cls !== "") el.addClass(cls);
  el.setText(message);
}

function isDeployment(value: string): value is Deployment {
  return Object.prototype.hasOwnProperty.call(DEPLOYMENT_OPTIONS, value);
}
