// The test Obsidian: the part of the `obsidian` module this plugin uses, implemented for real
// where it matters (HTTP, files, frontmatter, links and embeds, data.json) and small fakes
// elsewhere (DOM, modals, menus, the status bar, Platform). Anything else throws "... is not
// implemented in the test obsidian" when used.

"use strict";

const { FakeElement, FakeFragment, makeElement } = require("./dom.cjs");
const { Component, Plugin, Notice, notices } = require("./plugin.cjs");
const { requestUrl, sentRequests } = require("./request-url.cjs");
const settings = require("./settings.cjs");
const { strict } = require("./strict.cjs");
const ui = require("./ui.cjs");
const vault = require("./vault.cjs");

const api = {
  App: vault.App,
  Component,
  Plugin,
  PluginSettingTab: settings.PluginSettingTab,
  Setting: settings.Setting,
  TextComponent: settings.TextComponent,
  TextAreaComponent: settings.TextAreaComponent,
  ToggleComponent: settings.ToggleComponent,
  DropdownComponent: settings.DropdownComponent,
  ButtonComponent: settings.ButtonComponent,
  SecretComponent: settings.SecretComponent,
  Notice,
  Modal: ui.Modal,
  Menu: ui.Menu,
  MenuItem: ui.MenuItem,
  Platform: ui.Platform,
  requestUrl,
  TAbstractFile: vault.TAbstractFile,
  TFile: vault.TFile,
  TFolder: vault.TFolder,
  normalizePath: vault.normalizePath,
  /** Not part of Obsidian: what tests read and drive. */
  __testing: {
    notices,
    modals: ui.modals,
    /** Every request the plugin tried: `{ method, url }`. */
    sentRequests,
    openedUrls: ui.openedUrls,
    /** Every text the plugin copied to the clipboard. */
    clipboardWrites: ui.clipboardWrites,
    setMobile: ui.setMobile,
    /** What `window` is to the plugin: install it as a global before loading main.js. */
    window: ui.fakeWindow,
    /** What `navigator` is to the plugin (its clipboard records what is copied). */
    navigator: ui.fakeNavigator,
    /** Obsidian's global `createFragment`: install it as a global before loading main.js. */
    createFragment,
    FakeElement,
    makeElement,
    SecretStorage: vault.SecretStorage,
    splitFrontmatter: vault.splitFrontmatter,
  },
};

/** Obsidian's global `createFragment(build)`: a fragment with Obsidian's element helpers. */
function createFragment(build) {
  const fragment = new FakeFragment();
  if (build) build(fragment);
  return fragment;
}

module.exports = strict(api, "obsidian");
