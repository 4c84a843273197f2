// A browser-side fake of the part of the `obsidian` module the plugin's settings tab uses, with
// real DOM elements: each Setting is a row with its name, description and controls, as in
// Obsidian's markup (class names included), so the page can be looked at and clicked.
//
// requestUrl has no CORS limits in Obsidian; here it hands each request to the page's server
// (POST /__request), which sends it to this machine only and returns the answer.
//
// Loaded as a classic script: it defines `window.obsidianFake` and Obsidian's DOM helpers.

"use strict";

(() => {
  // Obsidian's helpers on every element and fragment.
  const helpers = {
    createEl(tag, options = {}, callback) {
      const el = document.createElement(tag);
      if (typeof options === "string") options = { cls: options };
      if (options.cls) el.className = [].concat(options.cls).join(" ");
      if (options.text !== undefined) el.append(textOf(options.text));
      if (options.href !== undefined) el.setAttribute("href", options.href);
      if (options.type !== undefined) el.setAttribute("type", options.type);
      if (options.value !== undefined) el.value = options.value;
      if (options.placeholder !== undefined) el.setAttribute("placeholder", options.placeholder);
      for (const [name, value] of Object.entries(options.attr ?? {})) {
        el.setAttribute(name, String(value));
      }
      this.appendChild(el);
      if (callback) callback(el);
      return el;
    },
    createDiv(options, callback) {
      return this.createEl("div", options, callback);
    },
    createSpan(options, callback) {
      return this.createEl("span", options, callback);
    },
    appendText(text) {
      this.append(text);
    },
    empty() {
      this.replaceChildren();
    },
    setText(text) {
      this.replaceChildren(textOf(text));
    },
  };
  for (const [name, fn] of Object.entries(helpers)) {
    Object.defineProperty(Node.prototype, name, { value: fn, configurable: true });
  }
  const elementHelpers = {
    toggle(show) {
      this.style.display = show ? "" : "none";
    },
    show() {
      this.style.display = "";
    },
    hide() {
      this.style.display = "none";
    },
    addClass(...names) {
      this.classList.add(...names);
    },
    removeClass(...names) {
      this.classList.remove(...names);
    },
    setAttr(name, value) {
      this.setAttribute(name, String(value));
    },
  };
  for (const [name, fn] of Object.entries(elementHelpers)) {
    Object.defineProperty(HTMLElement.prototype, name, { value: fn, configurable: true });
  }
  window.createFragment = (build) => {
    const fragment = document.createDocumentFragment();
    if (build) build(fragment);
    return fragment;
  };

  function textOf(text) {
    return typeof text === "string" ? document.createTextNode(text) : text;
  }

  // Notices: shown at the top right, and recorded.
  const notices = [];
  class Notice {
    constructor(message, duration) {
      this.noticeEl = document.createElement("div");
      this.noticeEl.className = "notice";
      this.noticeEl.setText(message);
      document.querySelector(".notice-container")?.appendChild(this.noticeEl);
      notices.push(this.noticeEl.textContent);
      window.setTimeout(() => this.hide(), Math.min(duration ?? 4000, 4000));
    }
    setMessage(message) {
      this.noticeEl.setText(message);
      return this;
    }
    hide() {
      this.noticeEl.remove();
    }
  }

  // Plugin, with data.json kept in memory.
  class Component {
    load() {
      return this.onload();
    }
    onload() {}
    unload() {}
    register() {}
    registerEvent() {}
    registerDomEvent() {}
    registerInterval(id) {
      return id;
    }
  }
  class Plugin extends Component {
    constructor(app, manifest) {
      super();
      this.app = app;
      this.manifest = manifest;
      this.settingTabs = [];
      this.commands = [];
    }
    async loadData() {
      return this.app.data;
    }
    async saveData(data) {
      this.app.data = structuredClone(data);
    }
    addSettingTab(tab) {
      this.settingTabs.push(tab);
    }
    addCommand(command) {
      this.commands.push(command);
      return command;
    }
    addRibbonIcon() {
      return document.createElement("div");
    }
    addStatusBarItem() {
      return document.createElement("div");
    }
  }

  class PluginSettingTab {
    constructor(app, plugin) {
      this.app = app;
      this.plugin = plugin;
      this.containerEl = document.createElement("div");
      this.containerEl.className = "vertical-tab-content";
    }
    display() {}
    hide() {}
  }

  // Setting rows and their components.
  class Setting {
    constructor(containerEl) {
      this.settingEl = containerEl.createDiv("setting-item");
      this.infoEl = this.settingEl.createDiv("setting-item-info");
      this.nameEl = this.infoEl.createDiv("setting-item-name");
      this.descEl = this.infoEl.createDiv("setting-item-description");
      this.controlEl = this.settingEl.createDiv("setting-item-control");
      this.components = [];
    }
    setName(name) {
      this.nameEl.setText(name);
      return this;
    }
    setDesc(desc) {
      this.descEl.setText(desc);
      return this;
    }
    setHeading() {
      this.settingEl.addClass("setting-item-heading");
      return this;
    }
    setClass(cls) {
      this.settingEl.addClass(cls);
      return this;
    }
    addText(build) {
      return this.add(new TextComponent(this.controlEl), build);
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
    addComponent(build) {
      this.components.push(build(this.controlEl));
      return this;
    }
    add(component, build) {
      this.components.push(component);
      build(component);
      return this;
    }
  }

  class ValueComponent {
    then(callback) {
      callback(this);
      return this;
    }
  }

  class TextComponent extends ValueComponent {
    constructor(containerEl) {
      super();
      this.inputEl = containerEl.createEl("input", { type: "text" });
      this.inputEl.addEventListener("input", () => this.changed?.(this.inputEl.value));
    }
    setValue(value) {
      this.inputEl.value = value;
      return this;
    }
    getValue() {
      return this.inputEl.value;
    }
    setPlaceholder(placeholder) {
      this.inputEl.placeholder = placeholder;
      return this;
    }
    setDisabled(disabled) {
      this.inputEl.disabled = disabled;
      return this;
    }
    onChange(callback) {
      this.changed = callback;
      return this;
    }
  }

  class ToggleComponent extends ValueComponent {
    constructor(containerEl) {
      super();
      this.toggleEl = containerEl.createDiv("checkbox-container");
      this.toggleEl.setAttr("role", "switch");
      this.toggleEl.createEl("input", { type: "checkbox", attr: { tabindex: "0" } });
      this.value = false;
      this.toggleEl.addEventListener("click", () => {
        this.setValue(!this.value);
        this.changed?.(this.value);
      });
    }
    setValue(on) {
      this.value = on;
      this.toggleEl.classList.toggle("is-enabled", on);
      this.toggleEl.setAttr("aria-checked", String(on));
      return this;
    }
    getValue() {
      return this.value;
    }
    setDisabled() {
      return this;
    }
    onChange(callback) {
      this.changed = callback;
      return this;
    }
  }

  class DropdownComponent extends ValueComponent {
    constructor(containerEl) {
      super();
      this.selectEl = containerEl.createEl("select", "dropdown");
      this.selectEl.addEventListener("change", () => this.changed?.(this.selectEl.value));
    }
    addOption(value, text) {
      this.selectEl.createEl("option", { value, text });
      return this;
    }
    addOptions(options) {
      for (const [value, text] of Object.entries(options)) this.addOption(value, text);
      return this;
    }
    setValue(value) {
      this.selectEl.value = value;
      return this;
    }
    getValue() {
      return this.selectEl.value;
    }
    setDisabled(disabled) {
      this.selectEl.disabled = disabled;
      return this;
    }
    onChange(callback) {
      this.changed = callback;
      return this;
    }
  }

  class ButtonComponent {
    constructor(containerEl) {
      this.buttonEl = containerEl.createEl("button");
      this.buttonEl.addEventListener("click", () => this.clicked?.());
    }
    setButtonText(text) {
      this.buttonEl.setText(text);
      return this;
    }
    setCta() {
      this.buttonEl.addClass("mod-cta");
      return this;
    }
    setDisabled(disabled) {
      this.buttonEl.disabled = disabled;
      return this;
    }
    onClick(callback) {
      this.clicked = callback;
      return this;
    }
  }

  /** Obsidian's secret picker: a dropdown of the secrets' names. */
  class SecretComponent extends ValueComponent {
    constructor(app, containerEl) {
      super();
      this.selectEl = containerEl.createEl("select", "dropdown secret-component");
      this.selectEl.createEl("option", { value: "", text: "Select a secret" });
      for (const name of app.secretStorage.listSecrets()) {
        this.selectEl.createEl("option", { value: name, text: name });
      }
      this.selectEl.addEventListener("change", () => this.changed?.(this.selectEl.value));
    }
    setValue(name) {
      this.selectEl.value = name;
      return this;
    }
    getValue() {
      return this.selectEl.value;
    }
    onChange(callback) {
      this.changed = callback;
      return this;
    }
  }

  // requestUrl through the page's server, which has no CORS limits either.
  async function requestUrl(request) {
    const { url, method = "GET", headers = {}, contentType, body } = request;
    const all = { ...headers };
    if (contentType !== undefined) all["content-type"] = contentType;
    const answer = await fetch("/__request", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url, method, headers: all, body: await bodyBase64(body) }),
    });
    const result = await answer.json();
    if (result.error) throw new Error(result.error);
    const bytes = Uint8Array.from(atob(result.body), (c) => c.charCodeAt(0));
    const text = new TextDecoder().decode(bytes);
    if (request.throw !== false && result.status >= 400) {
      throw new Error(`Request failed, status ${result.status}`);
    }
    return {
      status: result.status,
      headers: result.headers,
      text,
      arrayBuffer: bytes.buffer,
      get json() {
        return JSON.parse(text);
      },
    };
  }

  async function bodyBase64(body) {
    if (body === undefined) return undefined;
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body);
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  class TAbstractFile {}
  class TFile extends TAbstractFile {}
  class TFolder extends TAbstractFile {}
  class Modal {}

  /** The app: a workspace without notes, secret storage, and data.json in memory. */
  class App {
    constructor({ data, secrets }) {
      this.data = data;
      const store = new Map(Object.entries(secrets));
      this.secretStorage = {
        getSecret: (id) => store.get(id) ?? null,
        setSecret: (id, value) => void store.set(id, value),
        listSecrets: () => [...store.keys()],
      };
      this.workspace = {
        on: () => ({}),
        getActiveFile: () => null,
      };
      this.vault = { configDir: ".obsidian" };
    }
  }

  window.obsidianFake = {
    App,
    Component,
    Plugin,
    PluginSettingTab,
    Setting,
    TextComponent,
    ToggleComponent,
    DropdownComponent,
    ButtonComponent,
    SecretComponent,
    Notice,
    Modal,
    Platform: { isDesktop: true, isMobile: false, isDesktopApp: true, isMobileApp: false },
    requestUrl,
    TAbstractFile,
    TFile,
    TFolder,
    normalizePath: (path) => path.replace(/\/+/g, "/").replace(/^\/|\/$/g, ""),
    __notices: notices,
  };
})();
