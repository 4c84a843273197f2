// Plugin and Notice of the test Obsidian. Commands, setting tabs, ribbon icons and notices are
// recorded where tests can reach them; data.json lives where Obsidian keeps it.

"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { makeElement } = require("./dom.cjs");

/** Every Notice shown since the test Obsidian was loaded (tests may empty it). */
const notices = [];

class Notice {
  constructor(message, duration) {
    const text = textOf(message);
    /** `history`: every message the Notice showed, setMessage included. */
    this.record = { message: text, duration, hidden: false, history: [text] };
    this.noticeEl = makeElement("div", { cls: "notice", text: this.record.message });
    this.messageEl = this.noticeEl;
    notices.push(this.record);
  }

  setMessage(message) {
    this.record.message = textOf(message);
    this.record.history.push(this.record.message);
    this.noticeEl.setText(this.record.message);
    return this;
  }

  hide() {
    this.record.hidden = true;
  }
}

class Component {
  constructor() {
    this.cleanups = [];
    this.loaded = false;
  }

  load() {
    this.loaded = true;
    return this.onload();
  }

  onload() {}

  unload() {
    for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
    this.loaded = false;
    return this.onunload();
  }

  onunload() {}

  register(cleanup) {
    this.cleanups.push(cleanup);
  }

  registerEvent(ref) {
    this.register(() => ref.events.offref(ref));
  }

  registerInterval(id) {
    this.register(() => clearInterval(id));
    return id;
  }

  registerDomEvent() {}
}

class Plugin extends Component {
  constructor(app, manifest) {
    super();
    this.app = app;
    this.manifest = manifest;
    /** Test registry: commands by full id (`<plugin id>:<command id>`). */
    this.registeredCommands = new Map();
    this.settingTabs = [];
    this.ribbonIcons = [];
    /** The status bar: the items shown now are its children. */
    this.statusBarEl = makeElement("div", { cls: "status-bar" });
    /** Every status bar item ever added, each with `history`: every text it showed. */
    this.statusBarItems = [];
  }

  addCommand(command) {
    if (!command.id || !command.name) throw new Error("a command needs an id and a name");
    const fullId = `${this.manifest.id}:${command.id}`;
    if (this.registeredCommands.has(fullId)) throw new Error(`command ${fullId} added twice`);
    const registered = {
      ...command,
      id: fullId,
      name: `${this.manifest.name}: ${command.name}`,
      plainName: command.name,
    };
    this.registeredCommands.set(fullId, registered);
    return registered;
  }

  removeCommand(id) {
    this.registeredCommands.delete(`${this.manifest.id}:${id}`);
  }

  addSettingTab(tab) {
    this.settingTabs.push(tab);
  }

  addStatusBarItem() {
    const el = this.statusBarEl.createDiv({ cls: "status-bar-item" });
    el.history = [];
    const setText = el.setText.bind(el);
    el.setText = (text) => {
      el.history.push(String(text));
      setText(text);
    };
    this.statusBarItems.push(el);
    this.register(() => el.remove());
    return el;
  }

  addRibbonIcon(icon, title, callback) {
    const el = makeElement("div", {
      cls: "side-dock-ribbon-action",
      attr: { "aria-label": title },
    });
    this.ribbonIcons.push({ icon, title, callback, el });
    return el;
  }

  async loadData() {
    try {
      return JSON.parse(await fs.promises.readFile(this.dataPath(), "utf8"));
    } catch (error) {
      if (error.code === "ENOENT") return null;
      throw error;
    }
  }

  async saveData(data) {
    await fs.promises.mkdir(path.dirname(this.dataPath()), { recursive: true });
    await fs.promises.writeFile(this.dataPath(), JSON.stringify(data, null, 2), "utf8");
  }

  /** `<vault>/.obsidian/plugins/<id>/data.json`, as in Obsidian. */
  dataPath() {
    const { vault } = this.app;
    return path.join(vault.vaultDir, vault.configDir, "plugins", this.manifest.id, "data.json");
  }
}

function textOf(message) {
  return typeof message === "string" ? message : message.textContent;
}

module.exports = { Component, Plugin, Notice, notices };
