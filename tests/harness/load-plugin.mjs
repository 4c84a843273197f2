// Loads the built main.js exactly as shipped into the test Obsidian (tests/obsidian-stub) and
// hands back what a test needs to drive it like a person would.
//
//   const obsidian = await loadPlugin({ vaultDir, data: {...}, secrets: {...} });
//   obsidian.setActiveFile("Create a vault.md");
//   const message = await obsidian.runCommand("publish-current-note");
//
// main.js may require only "obsidian": anything else (a Node module, electron) would not exist
// on mobile, so it fails here. The plugin's console is a recorder: every line it writes is kept
// in `consoleLines` (and echoed when PLUGIN_CONSOLE=1), so tests can read what it logged.

import { createRequire } from "node:module";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import vm from "node:vm";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const obsidian = createRequire(import.meta.url)("../obsidian-stub/index.cjs");

/** How long runCommand waits for the Notice that ends a command. */
const COMMAND_TIMEOUT_MS = 30_000;

/**
 * @param {object} options
 * @param {string} options.vaultDir  a folder on disk: the vault
 * @param {string} [options.mainJs]  the bundle, relative to the repository root
 * @param {object} [options.data]    written to the plugin's data.json before loading
 * @param {Record<string, string>} [options.secrets]  secret storage before loading, by id
 */
export async function loadPlugin({ vaultDir, mainJs = "main.js", data, secrets = {} }) {
  const manifest = JSON.parse(await fs.readFile(path.join(repoRoot, "manifest.json"), "utf8"));
  const consoleLines = [];
  const PluginClass = await evaluateBundle(
    path.resolve(repoRoot, mainJs),
    recordingConsole(consoleLines),
  );
  const app = new obsidian.App({ vaultDir, secrets });
  const dataPath = path.join(vaultDir, ".obsidian", "plugins", manifest.id, "data.json");
  if (data !== undefined) {
    await fs.mkdir(path.dirname(dataPath), { recursive: true });
    await fs.writeFile(dataPath, JSON.stringify(data, null, 2));
  }

  // What Obsidian does when the plugin is enabled.
  const { notices, modals, openedUrls, clipboardWrites, sentRequests } = obsidian.__testing;
  notices.length = 0;
  modals.length = 0;
  openedUrls.length = 0;
  clipboardWrites.length = 0;
  sentRequests.length = 0;
  obsidian.__testing.setMobile(false);
  globalThis.window ??= obsidian.__testing.window;
  globalThis.createFragment ??= obsidian.__testing.createFragment;
  const plugin = new PluginClass(app, manifest);
  await plugin.load();

  const command = (id) => {
    const fullId = id.includes(":") ? id : `${manifest.id}:${id}`;
    const found = plugin.registeredCommands.get(fullId);
    if (!found)
      throw new Error(
        `no command ${fullId}; have ${[...plugin.registeredCommands.keys()].join(", ")}`,
      );
    return found;
  };

  async function startCommand(id) {
    const found = command(id);
    if (!isAvailable(found)) throw new Error(`command ${found.id} is not available now`);
    if (found.checkCallback) found.checkCallback(false);
    else await found.callback();
  }

  async function waitForNotice({
    after = notices.length,
    matching = () => true,
    timeoutMs = COMMAND_TIMEOUT_MS,
    what = "a Notice",
  } = {}) {
    const found = () => notices.slice(after).find((notice) => matching(notice.message));
    await waitFor(() => found() !== undefined, timeoutMs, what);
    return found().message;
  }

  return {
    plugin,
    app,
    manifest,
    /** Every Notice shown since loading, oldest first: `{ message, duration, hidden }`. */
    notices,
    /** Every line the plugin wrote to the console: `{ level, text }`, oldest first. */
    consoleLines,
    /** Every request the plugin tried since loading: `{ method, url }` (no headers, no body). */
    sentRequests,
    /** The secret storage: `secrets.entries()`, `secrets.getSecret(id)`. */
    secrets: app.secretStorage,
    dataPath,
    commands: () => [...plugin.registeredCommands.values()],
    isCommandAvailable: (id) => isAvailable(command(id)),
    /**
     * Runs a command as the command palette does and resolves with the message of the Notice
     * that ends it (every command of this plugin ends with exactly one; the passing "…; trying
     * again in N s." Notices of retries are not it).
     */
    async runCommand(id, { timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
      const before = notices.length;
      await startCommand(id);
      const final = (message) => !/; trying again in \d+ s\.$/.test(message);
      return waitForNotice({
        after: before,
        matching: final,
        timeoutMs,
        what: `a Notice after ${id}`,
      });
    },
    /**
     * Starts a command and returns at once, with `notices.length` from before it started; for
     * a command that opens a modal (see waitForModal) or shows progress first.
     */
    async startCommand(id) {
      const before = notices.length;
      await startCommand(id);
      return before;
    },
    /** Resolves with the message of the first Notice after the first `after` that matches. */
    waitForNotice,
    /** Every modal opened since loading, oldest first (see the stub's Modal test helpers). */
    modals,
    /** Resolves with the next modal opened after the first `after`, once it is open. */
    async waitForModal({ after = modals.length, timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
      await waitFor(() => modals.length > after, timeoutMs, "a modal");
      return modals[after];
    },
    /** Pages the plugin opened with window.open. */
    openedUrls,
    /** Texts the plugin copied with navigator.clipboard.writeText. */
    clipboardWrites,
    /** The ribbon icons the plugin added: `{ icon, title, callback }`. */
    ribbonIcons: () => plugin.ribbonIcons,
    /** The menu right-clicking `filePath` in the file explorer shows (titles(), item(title)). */
    openFileMenu(filePath) {
      const file = app.vault.getAbstractFileByPath(filePath);
      if (!file) throw new Error(`no file or folder ${filePath} in the vault`);
      const menu = new obsidian.Menu();
      app.workspace.trigger("file-menu", menu, file, "file-explorer-context-menu");
      return menu;
    },
    /**
     * Every status bar item the plugin added, each with `history` (every text it showed) and
     * `parentElement` (null once removed).
     */
    statusBarItems: () => plugin.statusBarItems,
    /** Makes the test Obsidian a phone (true) or a desktop app (false). */
    setMobile: (mobile) => obsidian.__testing.setMobile(mobile),
    /** Opens the plugin's settings tab, which has `rows()` and `row(name)` (see the stub). */
    openSettingTab() {
      const tab = plugin.settingTabs[0];
      if (!tab) throw new Error("the plugin added no settings tab");
      tab.display();
      return tab;
    },
    setActiveFile: (filePath) => app.workspace.setActiveFile(filePath),
    /** The text of data.json, or null when the plugin has not written it. */
    async readDataJson() {
      return fs
        .readFile(dataPath, "utf8")
        .catch((error) => (error.code === "ENOENT" ? null : Promise.reject(error)));
    },
    unload: () => plugin.unload(),
  };
}

/** Evaluates main.js as Obsidian does (CommonJS, `require("obsidian")`): the plugin class. */
async function evaluateBundle(mainPath, pluginConsole) {
  const code = await fs.readFile(mainPath, "utf8").catch((error) => {
    throw new Error(`cannot read ${mainPath} (${error.code}): run "npm run build" first`);
  });
  const module = { exports: {} };
  const requireInObsidian = (id) => {
    if (id === "obsidian") return obsidian;
    throw new Error(
      `main.js required "${id}", which is not available to plugins on every platform`,
    );
  };
  // `navigator` is passed in rather than installed globally: Node 21+ has its own, without a
  // clipboard.
  const params = ["require", "module", "exports", "console", "navigator"];
  const run = vm.compileFunction(code, params, { filename: mainPath });
  run(requireInObsidian, module, module.exports, pluginConsole, obsidian.__testing.navigator);
  const PluginClass = module.exports.default ?? module.exports;
  if (typeof PluginClass !== "function") throw new Error("main.js exports no plugin class");
  return PluginClass;
}

/** A console that keeps every line in `lines` (`{ level, text }`). */
function recordingConsole(lines) {
  const echo = process.env.PLUGIN_CONSOLE === "1";
  const record =
    (level) =>
    (...args) => {
      const text = format(...args);
      lines.push({ level, text });
      if (echo) console.error(`[plugin console.${level}] ${text}`);
    };
  const levels = ["log", "info", "warn", "error", "debug", "trace"];
  return Object.fromEntries(levels.map((level) => [level, record(level)]));
}

function isAvailable(command) {
  if (command.checkCallback) return command.checkCallback(true) === true;
  if (command.editorCheckCallback || command.editorCallback) {
    throw new Error("editor commands are not implemented in the test obsidian");
  }
  return typeof command.callback === "function";
}

async function waitFor(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
