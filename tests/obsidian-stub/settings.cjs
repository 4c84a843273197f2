// Setting rows and their components, as a settings tab builds them. Each row records its name,
// description, heading flag and components; tests read them and drive the components
// (`simulateInput`, `click`, `select`) the way a person would, firing the plugin's handlers.

"use strict";

const { makeElement } = require("./dom.cjs");
const { strict } = require("./strict.cjs");

class Setting {
  constructor(containerEl) {
    this.settingEl = containerEl.createDiv({ cls: "setting-item" });
    this.infoEl = this.settingEl.createDiv({ cls: "setting-item-info" });
    this.nameEl = this.infoEl.createDiv({ cls: "setting-item-name" });
    this.descEl = this.infoEl.createDiv({ cls: "setting-item-description" });
    this.controlEl = this.settingEl.createDiv({ cls: "setting-item-control" });
    this.components = [];
    this.name = "";
    this.desc = "";
    this.heading = false;
    const self = strict(this, "Setting");
    this.settingEl.setting = self;
    return self;
  }

  setName(name) {
    this.name = textOf(name);
    setContent(this.nameEl, name);
    return this;
  }

  /** A string, or a DocumentFragment whose elements (links...) move into the description. */
  setDesc(desc) {
    this.desc = textOf(desc);
    setContent(this.descEl, desc);
    return this;
  }

  setHeading() {
    this.heading = true;
    this.settingEl.addClass("setting-item-heading");
    return this;
  }

  setClass(cls) {
    this.settingEl.addClass(cls);
    return this;
  }

  setTooltip(tooltip) {
    this.settingEl.setAttr("title", tooltip);
    return this;
  }

  setDisabled(disabled) {
    this.settingEl.toggleClass("is-disabled", disabled);
    for (const component of this.components) component.setDisabled(disabled);
    return this;
  }

  addText(build) {
    return this.add(new TextComponent(this.controlEl), build);
  }

  addTextArea(build) {
    return this.add(new TextAreaComponent(this.controlEl), build);
  }

  addToggle(build) {
    return this.add(new ToggleComponent(this.controlEl), build);
  }

  addDropdown(build) {
    return this.add(new DropdownComponent(this.controlEl), build);
  }

  addButton(build) {
    return this.add(new ButtonComponent(this.controlEl), build);
  }

  addExtraButton(build) {
    return this.add(new ButtonComponent(this.controlEl), build);
  }

  addComponent(build) {
    const component = build(this.controlEl);
    this.components.push(component);
    return this;
  }

  then(callback) {
    callback(this);
    return this;
  }

  // Test helpers.

  /** Whether the row is shown (`settingEl.toggle`). */
  get visible() {
    return this.settingEl.isVisible();
  }

  /** The first component of a kind: "text", "toggle", "dropdown", "button" or "secret". */
  component(kind) {
    const found = this.components.find((component) => component.kind === kind);
    if (!found) throw new Error(`setting "${this.name}" has no ${kind} component`);
    return found;
  }

  add(component, build) {
    this.components.push(component);
    build(component);
    return this;
  }
}

class ValueComponent {
  constructor(kind, inputEl) {
    this.kind = kind;
    this.inputEl = inputEl;
    this.changeHandlers = [];
    this.disabled = false;
  }

  getValue() {
    return this.inputEl.value;
  }

  setValue(value) {
    this.inputEl.value = value;
    return this;
  }

  onChange(handler) {
    this.changeHandlers.push(handler);
    return this;
  }

  setDisabled(disabled) {
    this.disabled = disabled;
    this.inputEl.disabled = disabled;
    return this;
  }

  setPlaceholder(placeholder) {
    this.inputEl.placeholder = placeholder;
    return this;
  }

  setTooltip(tooltip) {
    this.inputEl.setAttr("title", tooltip);
    return this;
  }

  then(callback) {
    callback(this);
    return this;
  }

  /** Test helper: what a person typing `value` causes; resolves when the handlers have. */
  async simulateInput(value) {
    if (this.disabled) throw new Error(`the ${this.kind} component is disabled`);
    this.inputEl.value = value;
    for (const handler of this.changeHandlers) await handler(value);
  }
}

class TextComponent extends ValueComponent {
  constructor(containerEl) {
    super("text", containerEl.createEl("input", { type: "text" }));
    return strict(this, "TextComponent");
  }
}

class TextAreaComponent extends ValueComponent {
  constructor(containerEl) {
    super("textarea", containerEl.createEl("textarea"));
    return strict(this, "TextAreaComponent");
  }
}

class ToggleComponent extends ValueComponent {
  constructor(containerEl) {
    super("toggle", containerEl.createDiv({ cls: "checkbox-container" }));
    this.toggleEl = this.inputEl;
    this.inputEl.value = false;
    return strict(this, "ToggleComponent");
  }

  setValue(on) {
    this.inputEl.value = Boolean(on);
    this.toggleEl.toggleClass("is-enabled", Boolean(on));
    return this;
  }

  /** Test helper: a click flips the toggle and fires onChange. */
  async click() {
    await this.simulateInput(!this.getValue());
  }

  async simulateInput(on) {
    this.toggleEl.toggleClass("is-enabled", Boolean(on));
    await super.simulateInput(Boolean(on));
  }
}

class DropdownComponent extends ValueComponent {
  constructor(containerEl) {
    super("dropdown", containerEl.createEl("select", { cls: "dropdown" }));
    this.selectEl = this.inputEl;
    this.options = [];
    return strict(this, "DropdownComponent");
  }

  addOption(value, display) {
    this.options.push({ value, display });
    this.selectEl.createEl("option", { text: display, value });
    if (this.options.length === 1) this.inputEl.value = value;
    return this;
  }

  addOptions(options) {
    for (const [value, display] of Object.entries(options)) this.addOption(value, display);
    return this;
  }

  setValue(value) {
    if (!this.options.some((option) => option.value === value)) {
      throw new Error(
        `dropdown has no option "${value}" (options: ${this.optionValues().join(", ")})`,
      );
    }
    return super.setValue(value);
  }

  /** Test helper: choose the option with this value or this label. */
  async select(valueOrLabel) {
    const option = this.options.find((o) => o.value === valueOrLabel || o.display === valueOrLabel);
    if (!option) throw new Error(`dropdown has no option "${valueOrLabel}"`);
    await this.simulateInput(option.value);
  }

  optionValues() {
    return this.options.map((option) => option.value);
  }
}

class ButtonComponent {
  constructor(containerEl) {
    this.kind = "button";
    this.buttonEl = containerEl.createEl("button");
    this.clickHandlers = [];
    this.disabled = false;
    this.text = "";
    const self = strict(this, "ButtonComponent");
    this.buttonEl.component = self;
    return self;
  }

  setButtonText(text) {
    this.text = text;
    this.buttonEl.setText(text);
    return this;
  }

  setIcon(icon) {
    this.buttonEl.setAttr("data-icon", icon);
    return this;
  }

  setCta() {
    this.buttonEl.addClass("mod-cta");
    return this;
  }

  setWarning() {
    this.buttonEl.addClass("mod-warning");
    return this;
  }

  setTooltip(tooltip) {
    this.buttonEl.setAttr("title", tooltip);
    return this;
  }

  setDisabled(disabled) {
    this.disabled = disabled;
    this.buttonEl.disabled = disabled;
    return this;
  }

  onClick(handler) {
    this.clickHandlers.push(handler);
    return this;
  }

  then(callback) {
    callback(this);
    return this;
  }

  /** Test helper: a click; resolves when the plugin's (possibly async) handlers have finished. */
  async click() {
    if (this.disabled) throw new Error(`the button "${this.text}" is disabled`);
    const event = makeElement("#event");
    for (const handler of this.clickHandlers) await handler(event);
  }
}

/**
 * Obsidian's secret picker (1.11.4). Its value is a secret's NAME in the app's secret storage;
 * the secret itself is never shown. A person picks an existing secret or creates a new one
 * (which goes into secret storage), and the component reports the name.
 */
class SecretComponent {
  constructor(app, containerEl) {
    if (!app || !app.secretStorage) throw new TypeError("SecretComponent needs the app");
    this.kind = "secret";
    this.app = app;
    this.value = "";
    this.changeHandlers = [];
    this.disabled = false;
    /** Shows the chosen secret's name, as Obsidian's picker does. */
    this.buttonEl = containerEl.createEl("button", { cls: "secret-component" });
    return strict(this, "SecretComponent");
  }

  setValue(name) {
    if (typeof name !== "string") throw new TypeError("SecretComponent.setValue takes a name");
    this.value = name;
    this.buttonEl.setText(name === "" ? "Select a secret" : name);
    return this;
  }

  onChange(handler) {
    this.changeHandlers.push(handler);
    return this;
  }

  setDisabled(disabled) {
    this.disabled = disabled;
    this.buttonEl.disabled = disabled;
    return this;
  }

  then(callback) {
    callback(this);
    return this;
  }

  // Test helpers.

  getValue() {
    return this.value;
  }

  /** The names the picker offers: every secret in the app's secret storage. */
  options() {
    return this.app.secretStorage.listSecrets();
  }

  /** A person picks the existing secret `name`; resolves when the handlers have. */
  async select(name) {
    if (this.disabled) throw new Error("the secret picker is disabled");
    if (this.app.secretStorage.getSecret(name) === null)
      throw new Error(`there is no secret "${name}" to pick; have ${this.options().join(", ")}`);
    await this.choose(name);
  }

  /** A person creates the secret `name` holding `secret` in the picker, which picks it. */
  async create(name, secret) {
    if (this.disabled) throw new Error("the secret picker is disabled");
    this.app.secretStorage.setSecret(name, secret);
    await this.choose(name);
  }

  async choose(name) {
    this.setValue(name);
    for (const handler of this.changeHandlers) await handler(name);
  }
}

class PluginSettingTab {
  constructor(app, plugin) {
    this.app = app;
    this.plugin = plugin;
    this.containerEl = makeElement("div", { cls: "vertical-tab-content" });
  }

  display() {
    throw new Error("PluginSettingTab.display() must be implemented by the plugin");
  }

  hide() {}

  // Test helpers.

  /** Every Setting row in the tab, in order. */
  rows() {
    return [...this.containerEl.descendants()]
      .filter((element) => element.setting)
      .map((element) => element.setting);
  }

  /** The row named `name` (headings included); throws when there is none. */
  row(name) {
    const found = this.rows().find((setting) => setting.name === name);
    if (!found)
      throw new Error(
        `no setting named "${name}"; rows: ${this.rows()
          .map((s) => s.name)
          .join(" | ")}`,
      );
    return found;
  }
}

/** What setting an element's content to a string or a fragment does in the DOM. */
function setContent(el, content) {
  if (typeof content === "string") {
    el.setText(content);
    return;
  }
  el.empty();
  for (const child of [...content.children]) el.appendChild(child);
}

function textOf(value) {
  return typeof value === "string" ? value : value.textContent;
}

module.exports = {
  Setting,
  PluginSettingTab,
  TextComponent,
  TextAreaComponent,
  ToggleComponent,
  DropdownComponent,
  ButtonComponent,
  SecretComponent,
};
