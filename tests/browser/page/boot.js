// Loads the built main.js as Obsidian does (CommonJS, `require("obsidian")`) into the fake, and
// opens the plugin's settings tab in the page. The test calls `window.startPlugin(options)`.

"use strict";

window.startPlugin = async ({ data, secrets }) => {
  const [code, manifest] = await Promise.all([
    fetch("/main.js").then((response) => response.text()),
    fetch("/manifest.json").then((response) => response.json()),
  ]);
  const module = { exports: {} };
  const require = (id) => {
    if (id === "obsidian") return window.obsidianFake;
    throw new Error(`main.js required "${id}", which plugins do not have on every platform`);
  };
  new Function("require", "module", "exports", code)(require, module, module.exports);
  const PluginClass = module.exports.default ?? module.exports;

  const app = new window.obsidianFake.App({ data, secrets });
  const plugin = new PluginClass(app, manifest);
  await plugin.load();
  const tab = plugin.settingTabs[0];
  tab.display();
  document.getElementById("tab").appendChild(tab.containerEl);
  window.pluginApp = app;
  return plugin.commands.map((command) => command.name);
};
