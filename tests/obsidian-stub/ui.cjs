// Modals, menus and the platform flags of the test Obsidian. Opened modals are recorded where
// tests can reach them, and their buttons clicked by label; menus record their items.

"use strict";

const { makeElement } = require("./dom.cjs");
const { strict } = require("./strict.cjs");

/** Every modal opened since the test Obsidian was loaded, oldest first (tests may empty it). */
const modals = [];

class Modal {
  constructor(app) {
    this.app = app;
    this.containerEl = makeElement("div", { cls: "modal-container" });
    this.modalEl = this.containerEl.createDiv({ cls: "modal" });
    this.titleEl = this.modalEl.createDiv({ cls: "modal-title" });
    this.contentEl = this.modalEl.createDiv({ cls: "modal-content" });
    this.shouldRestoreSelection = false;
    this.isOpen = false;
    this.closeCallback = null;
  }

  open() {
    if (this.isOpen) return;
    this.isOpen = true;
    modals.push(this);
    this.onOpen();
  }

  close() {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.onClose();
    if (this.closeCallback) this.closeCallback();
  }

  onOpen() {}

  onClose() {}

  setTitle(title) {
    this.titleEl.setText(title);
    return this;
  }

  setContent(content) {
    this.contentEl.empty();
    if (typeof content === "string") this.contentEl.setText(content);
    else this.contentEl.appendChild(content);
    return this;
  }

  setCloseCallback(callback) {
    this.closeCallback = callback;
    return this;
  }

  // Test helpers.

  get title() {
    return this.titleEl.textContent;
  }

  /** All the text of the modal, title included. */
  get text() {
    return this.modalEl.textContent;
  }

  /** The labels of the modal's buttons, in order. */
  buttonLabels() {
    return this.buttons().map((button) => button.text);
  }

  buttons() {
    return [...this.modalEl.descendants()]
      .map((element) => element.component)
      .filter((component) => component && component.kind === "button");
  }

  /** Clicks the button labelled `label`; resolves when the plugin's handlers have finished. */
  async click(label) {
    const button = this.buttons().find((candidate) => candidate.text === label);
    if (!button)
      throw new Error(
        `the modal has no button "${label}"; it has: ${this.buttonLabels().join(", ")}`,
      );
    await button.click();
  }
}

class MenuItem {
  constructor() {
    this.title = "";
    this.icon = null;
    this.section = "";
    this.clickHandler = null;
    this.disabled = false;
    return strict(this, "MenuItem");
  }

  setTitle(title) {
    this.title = typeof title === "string" ? title : title.textContent;
    return this;
  }

  setIcon(icon) {
    this.icon = icon;
    return this;
  }

  setSection(section) {
    this.section = section;
    return this;
  }

  setDisabled(disabled) {
    this.disabled = disabled;
    return this;
  }

  setChecked() {
    return this;
  }

  setWarning() {
    return this;
  }

  onClick(callback) {
    this.clickHandler = callback;
    return this;
  }

  /** Test helper: a click; resolves when the plugin's (possibly async) handler has finished. */
  async click() {
    if (this.disabled) throw new Error(`the menu item "${this.title}" is disabled`);
    if (this.clickHandler) await this.clickHandler(makeElement("#event"));
  }
}

class Menu {
  constructor() {
    this.items = [];
    return strict(this, "Menu");
  }

  addItem(build) {
    const item = new MenuItem();
    build(item);
    this.items.push(item);
    return this;
  }

  addSeparator() {
    return this;
  }

  // Test helpers.

  titles() {
    return this.items.map((item) => item.title);
  }

  item(title) {
    const found = this.items.find((item) => item.title === title);
    if (!found)
      throw new Error(`the menu has no item "${title}"; it has: ${this.titles().join(", ")}`);
    return found;
  }
}

/** Obsidian's Platform flags: desktop on Linux unless a test says otherwise (setMobile). */
const Platform = {
  isDesktop: true,
  isMobile: false,
  isDesktopApp: true,
  isMobileApp: false,
  isIosApp: false,
  isAndroidApp: false,
  isPhone: false,
  isTablet: false,
  isMacOS: false,
  isWin: false,
  isLinux: true,
  isSafari: false,
  resourcePathPrefix: "app://",
};

/** Test helper: makes the test Obsidian a phone (true) or a desktop app (false). */
function setMobile(mobile) {
  Object.assign(Platform, {
    isDesktop: !mobile,
    isMobile: mobile,
    isDesktopApp: !mobile,
    isMobileApp: mobile,
    isAndroidApp: mobile,
    isPhone: mobile,
    isLinux: !mobile,
  });
}

/** Pages the plugin opened with `window.open`, oldest first. */
const openedUrls = [];

/**
 * The part of `window` plugins use here: `open` (recorded, nothing is opened), and the real
 * timers.
 */
const fakeWindow = strict(
  {
    open(url) {
      openedUrls.push(String(url));
      return null;
    },
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle),
  },
  "window",
);

/** What the plugin wrote to the clipboard with `navigator.clipboard.writeText`, oldest first. */
const clipboardWrites = [];

/** The part of `navigator` plugins use here: the clipboard (recorded). */
const fakeNavigator = strict(
  {
    clipboard: strict(
      {
        async writeText(text) {
          clipboardWrites.push(String(text));
        },
      },
      "navigator.clipboard",
    ),
  },
  "navigator",
);

module.exports = {
  Modal,
  Menu,
  MenuItem,
  Platform: strict(Platform, "Platform"),
  setMobile,
  modals,
  openedUrls,
  fakeWindow,
  clipboardWrites,
  fakeNavigator,
};
