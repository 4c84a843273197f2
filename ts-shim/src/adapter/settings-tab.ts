// The settings tab, in four groups: where Confluence is, how to sign in, where and what to
// publish (with a button that tries all of it), and the advanced switches.
//
// Every change is saved to data.json at once. Tokens are picked with Obsidian's secret picker:
// data.json keeps the secret's name, secret storage keeps the token. The "Use personal access
// token" toggle shows only the rows it uses. Text fields check their value as it is typed and
// say what is wrong beside the field.

import {
  PluginSettingTab,
  SecretComponent,
  Setting,
  type App,
  type Plugin,
  type TextComponent,
} from "obsidian";
import type { Deployment } from "../core/types";
import type { LinkedNotesPlacement, PluginSettings, Secrets, UnpublishedLinks } from "../settings";
import { MAX_LINKED_NOTES, SECRET_NAME_FIELDS } from "../settings";
import { baseUrlProblem, parentPageIdProblem, spaceKeyProblem } from "../validate";
import { testConnection, type ConnectionResult } from "./commands/test-connection";
import type { PluginContext } from "./context";
import { TOKEN_LABELS } from "./settings-store";

const DEPLOYMENT_OPTIONS: Readonly<Record<Deployment, string>> = Object.freeze({
  auto: "Automatic",
  cloud: "Cloud",
  datacenter: "Server or Data Center",
});

const UNPUBLISHED_LINKS_OPTIONS: Readonly<Record<UnpublishedLinks, string>> = Object.freeze({
  text: "Keep as plain text",
  publishOneLevel: "Publish linked notes, one level",
  publishAllLevels: `Publish linked notes, all levels (up to ${MAX_LINKED_NOTES})`,
});

const PLACEMENT_OPTIONS: Readonly<Record<LinkedNotesPlacement, string>> = Object.freeze({
  under: "Under the note's page",
  beside: "Beside the note's page",
});

/** Atlassian's instructions for each kind of token. */
const TOKEN_HELP = Object.freeze({
  personalAccessToken:
    "https://confluence.atlassian.com/enterprise/using-personal-access-tokens-1026032365.html",
  apiToken:
    "https://support.atlassian.com/atlassian-account/docs/" +
    "manage-api-tokens-for-your-atlassian-account/",
});

const SECRET_DESC =
  "Pick the secret that holds it, or create one. Obsidian keeps it on this device; " +
  "only its name is saved with the plugin's settings, which sync with the vault.";

export class ConfluenceSettingTab extends PluginSettingTab {
  /** Checks to run again when a setting they depend on changes. */
  private recheck: (() => void)[] = [];

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
    this.recheck = [];
    this.addConnectionRows(containerEl);
    this.addAuthenticationRows(containerEl);
    this.addPublishingRows(containerEl);
    this.addTestConnectionRow(containerEl);
    this.addAdvancedRows(containerEl);
  }

  private addConnectionRows(el: HTMLElement): void {
    new Setting(el).setName("Connection").setHeading();
    this.addTextRow(
      el,
      "baseUrl",
      {
        name: "Confluence base URL",
        desc:
          "The address of your Confluence: https://your-site.atlassian.net/wiki for Cloud; " +
          "for Server or Data Center the address you open it at, with its context path " +
          "(such as /confluence) if it has one.",
        placeholder: "https://confluence.example.com",
      },
      (value) => baseUrlProblem(value, this.settings.allowInsecureHttp),
    );
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
            this.settings.deployment = optionOf(DEPLOYMENT_OPTIONS, value, "auto");
            await this.save();
          }),
      );
  }

  private addAuthenticationRows(el: HTMLElement): void {
    new Setting(el).setName("Authentication").setHeading();
    const toggleRow = new Setting(el)
      .setName("Use personal access token")
      .setDesc(authenticationHelp());
    const patRow = this.addSecretRow(el, "personalAccessToken");
    const usernameRow = this.addTextRow(el, "username", {
      name: "Atlassian username",
      desc: "The email address of your Atlassian account.",
      placeholder: "you@example.com",
    });
    const apiTokenRow = this.addSecretRow(el, "apiToken");
    const showRows = (usePersonalAccessToken: boolean): void => {
      patRow.settingEl.toggle(usePersonalAccessToken);
      usernameRow.settingEl.toggle(!usePersonalAccessToken);
      apiTokenRow.settingEl.toggle(!usePersonalAccessToken);
    };
    toggleRow.addToggle((toggle) =>
      toggle.setValue(this.settings.usePersonalAccessToken).onChange(async (value) => {
        this.settings.usePersonalAccessToken = value;
        showRows(value);
        await this.save();
      }),
    );
    showRows(this.settings.usePersonalAccessToken);
  }

  private addPublishingRows(el: HTMLElement): void {
    new Setting(el).setName("Publishing").setHeading();
    this.addTextRow(
      el,
      "spaceKey",
      {
        name: "Space key",
        desc: "The key of the space new pages go to, such as DOCS.",
        placeholder: "DOCS",
      },
      spaceKeyProblem,
    );
    this.addTextRow(
      el,
      "parentPageId",
      {
        name: "Parent page ID",
        desc:
          "Optional. The ID of the page that new pages go under; " +
          "empty puts them at the top level of the space.",
        placeholder: "123456",
      },
      parentPageIdProblem,
    );
    const showPlacement = (): void => {
      placementRow.settingEl.toggle(this.settings.unpublishedLinks !== "text");
    };
    new Setting(el)
      .setName("Links to unpublished notes")
      .setDesc(
        "What a link to a note that has no page yet becomes when you publish a note: " +
          "plain text, or a link to a page made for that note as well.",
      )
      .addDropdown((dropdown) =>
        dropdown
          .addOptions(UNPUBLISHED_LINKS_OPTIONS)
          .setValue(this.settings.unpublishedLinks)
          .onChange(async (value) => {
            this.settings.unpublishedLinks = optionOf(UNPUBLISHED_LINKS_OPTIONS, value, "text");
            showPlacement();
            await this.save();
          }),
      );
    const placementRow = new Setting(el)
      .setName("Place linked notes")
      .setDesc("Where the pages of the linked notes published with a note go.")
      .addDropdown((dropdown) =>
        dropdown
          .addOptions(PLACEMENT_OPTIONS)
          .setValue(this.settings.linkedNotesPlacement)
          .onChange(async (value) => {
            this.settings.linkedNotesPlacement = optionOf(PLACEMENT_OPTIONS, value, "under");
            await this.save();
          }),
      );
    showPlacement();
    this.addToggleRow(el, "labelsFromTags", {
      name: "Labels from tags",
      desc: "The note's tags (frontmatter and #tags) become the page's labels.",
    });
    this.addToggleRow(el, "protectRemoteEdits", {
      name: "Protect edits made in Confluence",
      desc:
        "Ask before publishing over a page that someone edited in Confluence since your last " +
        "publish. Off, the note always wins.",
    });
  }

  private addAdvancedRows(el: HTMLElement): void {
    new Setting(el).setName("Advanced").setHeading();
    this.addToggleRow(el, "allowInsecureHttp", {
      name: "Allow unencrypted http",
      desc:
        "Warning: with an http:// base URL, your token crosses the network unencrypted, " +
        "readable by anyone on the way. Turn this on only for a server you reach over a " +
        "network you trust. Addresses on this device are always allowed.",
    });
    this.addToggleRow(el, "dataCenterCdataWorkaround", {
      name: "Data Center 8.0 to 8.2 code blocks",
      desc:
        "Turn on if Data Center 8.0 to 8.2 refuses pages whose code blocks contain ]]>. " +
        "An invisible zero-width space then goes between ]] and >.",
    });
    this.addToggleRow(el, "debugLogging", {
      name: "Debug logging",
      desc:
        "Writes each request's method, address (without its query), status and time to the " +
        "developer console. Never a token, a header or a page's content.",
    });
  }

  private addTestConnectionRow(el: HTMLElement): void {
    const row = new Setting(el)
      .setName("Test connection")
      .setDesc("Signs in and looks up the space with the values above, without changing anything.");
    const resultEl = el.createDiv({ cls: "confluence-publish-test-result" });
    resultEl.setAttr("aria-live", "polite");
    row.addButton((button) =>
      button.setButtonText("Test connection").onClick(async () => {
        button.setDisabled(true);
        showResult(resultEl, null);
        showResult(resultEl, await testConnection(this.context));
        button.setDisabled(false);
      }),
    );
  }

  /**
   * A text row bound to a plain setting, saved to data.json on every change; `check` says
   * what is wrong with the value, beside the field, as it is typed.
   */
  private addTextRow(
    el: HTMLElement,
    key: TextSettingKey,
    labels: RowLabels,
    check?: (value: string) => string | null,
  ): Setting {
    const row = new Setting(el).setName(labels.name).setDesc(labels.desc);
    const problemEl = row.infoEl.createDiv({ cls: "confluence-publish-field-problem" });
    problemEl.setAttr("aria-live", "polite");
    let input: TextComponent | null = null;
    const showProblem = (): void => {
      const problem = check?.(this.settings[key]) ?? null;
      problemEl.setText(problem ?? "");
      problemEl.toggle(problem !== null);
      input?.inputEl.setAttr("aria-invalid", String(problem !== null));
    };
    row.addText((text) => {
      input = text;
      text
        .setPlaceholder(labels.placeholder ?? "")
        .setValue(this.settings[key])
        .onChange(async (value) => {
          this.settings[key] = value.trim();
          showProblem();
          await this.save();
        });
    });
    showProblem();
    this.recheck.push(showProblem);
    return row;
  }

  /** A row that picks the secret holding a token; data.json keeps only the secret's name. */
  private addSecretRow(el: HTMLElement, token: keyof Secrets): Setting {
    const field = SECRET_NAME_FIELDS[token];
    return new Setting(el)
      .setName(TOKEN_LABELS[token])
      .setDesc(SECRET_DESC)
      .addComponent((controlEl) =>
        new SecretComponent(this.app, controlEl)
          .setValue(this.settings[field])
          .onChange(async (name) => {
            this.settings[field] = name.trim();
            await this.save();
          }),
      );
  }

  /** A toggle bound to a plain setting; every check runs again when it changes. */
  private addToggleRow(el: HTMLElement, key: ToggleSettingKey, labels: RowLabels): Setting {
    return new Setting(el)
      .setName(labels.name)
      .setDesc(labels.desc)
      .addToggle((toggle) =>
        toggle.setValue(this.settings[key]).onChange(async (value) => {
          this.settings[key] = value;
          for (const check of this.recheck) check();
          await this.save();
        }),
      );
  }

  private async save(): Promise<void> {
    await this.context.store.save();
  }

  private get settings(): PluginSettings {
    return this.context.store.settings;
  }
}

type TextSettingKey = "baseUrl" | "spaceKey" | "parentPageId" | "username";

type ToggleSettingKey =
  | "labelsFromTags"
  | "protectRemoteEdits"
  | "allowInsecureHttp"
  | "dataCenterCdataWorkaround"
  | "debugLogging";

interface RowLabels {
  name: string;
  desc: string;
  placeholder?: string;
}

/** Which servers take which way of signing in, with Atlassian's instructions for each token. */
function authenticationHelp(): DocumentFragment {
  return createFragment((fragment) => {
    fragment.appendText(
      "On for Server and Data Center 7.9 and later, with a personal access token. " +
        "Off for Cloud, with your email and an API token. Atlassian's help: ",
    );
    fragment.createEl("a", {
      text: "Personal access tokens",
      href: TOKEN_HELP.personalAccessToken,
    });
    fragment.appendText(", ");
    fragment.createEl("a", { text: "API tokens", href: TOKEN_HELP.apiToken });
    fragment.appendText(".");
  });
}

/** The result of "Test connection": each step that passed and the summary, or the error. */
function showResult(el: HTMLElement, result: ConnectionResult | null): void {
  el.empty();
  el.removeClass("is-success", "is-error");
  if (result === null) {
    el.createDiv({ text: "Testing…" });
    return;
  }
  el.addClass(result.ok ? "is-success" : "is-error");
  const lines = result.ok ? [...result.steps, result.summary] : [result.message];
  for (const line of lines) el.createDiv({ text: line });
}

function optionOf<Value extends string>(
  options: Readonly<Record<Value, string>>,
  value: string,
  fallback: Value,
): Value {
  return Object.prototype.hasOwnProperty.call(options, value) ? (value as Value) : fallback;
}
