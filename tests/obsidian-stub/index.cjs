// The test Obsidian: the part of the `obsidian` module this plugin uses, implemented for real
// where it matters (HTTP, files, frontmatter, data.json) and small fakes elsewhere (DOM).
// Anything else throws "... is not implemented in the test obsidian" when used.

"use strict";

const { FakeElement, FakeFragment, makeElement } = require("./dom.cjs");
const { Component, Plugin, Notice, notices } = require("./plugin.cjs");
const { requestUrl } = require("./request-url.cjs");
const settings = require("./settings.cjs");
const { strict } = require("./strict.cjs");
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
  requestUrl,
  TAbstractFile: vault.TAbstractFile,
  TFile: vault.TFile,
  TFolder: vault.TFolder,
  normalizePath: vault.normalizePath,
  createFragment: (build) => {
    const fragment = new FakeFragment();
    if (build) build(fragment);
    return fragment;
  },
  /** Not part of Obsidian: what tests read and drive. */
  __testing: {
    notices,
    FakeElement,
    makeElement,
    SecretStorage: vault.SecretStorage,
    splitFrontmatter: vault.splitFrontmatter,
  },
};

module.exports = strict(api, "obsidian");
