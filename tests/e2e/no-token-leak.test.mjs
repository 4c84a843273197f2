// Tokens never show: every failure and fault path of the other tests is run again with tokens
// that are easy to find, debug logging on, and everything the user or a developer could read is
// searched for them: every Notice (and every message a Notice showed), every modal, the settings
// tab (its text and its fields' values), everything the plugin wrote to the console, and
// data.json. The Basic credentials made from the API token are searched for too.

import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { loadPlugin } from "../harness/load-plugin.mjs";
import { startScenario } from "../harness/scenario.mjs";
import { makeVault } from "../harness/vault.mjs";

const PAT = "pat-LEAK-CHECK-123";
const API_TOKEN = "api-LEAK-CHECK-456";
const EMAIL = "ada@example.com";
const FORBIDDEN = [
  PAT,
  API_TOKEN,
  Buffer.from(`${EMAIL}:${API_TOKEN}`).toString("base64"),
  "LEAK-CHECK",
];

/** The emulator's users, Ada holding the recognisable tokens (or others, to refuse them). */
function seed({ adaHasTheTokens = true } = {}) {
  const tokens = adaHasTheTokens
    ? { personalAccessTokens: [PAT], apiTokens: [API_TOKEN] }
    : { personalAccessTokens: ["pat-ada-0001"], apiTokens: ["api-ada-0001"] };
  return {
    users: [
      {
        username: "ada",
        displayName: "Ada Lovelace",
        email: EMAIL,
        password: "ada-password",
        ...tokens,
      },
    ],
    spaces: [
      {
        key: "DOCS",
        name: "Documentation",
        viewers: ["ada"],
        editors: ["ada"],
        anonymousView: true,
      },
    ],
  };
}

const DC = { flavor: "dc", settings: { usePersonalAccessToken: true } };
const CLOUD = {
  flavor: "cloud",
  settings: { deployment: "cloud", usePersonalAccessToken: false, username: EMAIL },
};

/**
 * Every path: the scenario's options, faults to switch on, and what to do before the commands
 * run (`prepare`). Each runs "Test connection" from the settings tab and "Publish current note".
 */
const PATHS = {
  "a token answered as anonymous": {
    ...DC,
    anonymousAccess: true,
    seed: seed({ adaHasTheTokens: false }),
  },
  "a personal access token refused (401)": { ...DC, seed: seed({ adaHasTheTokens: false }) },
  "an API token refused on Cloud (401)": { ...CLOUD, seed: seed({ adaHasTheTokens: false }) },
  "username and API token refused by a server": {
    flavor: "dc",
    basicAuthDisabled: true,
    settings: { usePersonalAccessToken: false, username: EMAIL },
  },
  "a CAPTCHA": { ...DC, faults: { captcha: true } },
  "a login page (Data Center)": { ...DC, faults: { htmlLogin: true } },
  "a login page (Cloud)": { ...CLOUD, faults: { htmlLogin: true } },
  "a Cloud address without /wiki, kind Automatic": {
    ...CLOUD,
    settings: { ...CLOUD.settings, deployment: "auto" },
    prepare: ({ confluence, tab }) =>
      tab.row("Confluence base URL").component("text").simulateInput(confluence.origin),
  },
  "a personal access token sent to Cloud": {
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: true },
  },
  "a personal access token on Data Center 7.4": { ...DC, version: "7.4.0" },
  "an http:// address to another machine": {
    ...DC,
    prepare: ({ tab }) =>
      tab.row("Confluence base URL").component("text").simulateInput("http://wiki.example.invalid"),
  },
  "an http:// address to another machine, allowed": {
    ...DC,
    settings: { ...DC.settings, allowInsecureHttp: true },
    prepare: ({ tab }) =>
      tab.row("Confluence base URL").component("text").simulateInput("http://wiki.example.invalid"),
  },
  "a rate limit (Data Center)": { ...DC, faults: { rateLimit: { remaining: 2, retryAfter: "1" } } },
  "a rate limit (Cloud)": { ...CLOUD, faults: { rateLimit: { remaining: 2, retryAfter: "1" } } },
  "a burst of 503s": { ...DC, faults: { unavailable: { remaining: 2 } } },
  "a connection lost after a create (Data Center)": { ...DC, faults: { dropAfterCreate: true } },
  "a connection lost after a create (Cloud)": { ...CLOUD, faults: { dropAfterCreate: true } },
  "an unreachable server": { ...DC, prepare: ({ confluence }) => confluence.stop() },
};

for (const [name, { faults, prepare, seed: pathSeed, ...options }] of Object.entries(PATHS)) {
  test(`no token shows: ${name}`, async (t) => {
    const scenario = await startScenario(t, {
      ...options,
      seed: pathSeed ?? seed(),
      settings: { ...options.settings, debugLogging: true },
      tokens: { personalAccessToken: PAT, apiToken: API_TOKEN },
    });
    const { confluence, obsidian } = scenario;
    const tab = obsidian.openSettingTab();
    if (prepare) await prepare({ ...scenario, tab });
    if (faults) await confluence.faults(faults);

    await tab.row("Test connection").component("button").click();
    if (faults) {
      await confluence.clearFaults();
      await confluence.faults(faults);
    }
    await obsidian.runCommand("publish-current-note");

    assert.ok(obsidian.consoleLines.length > 0, "the run should have logged something");
    await assertNoTokenIn(obsidian, tab);
  });
}

test("no token shows: an edit in Confluence while publishing, asked in a modal", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    ...DC,
    seed: seed(),
    settings: { ...DC.settings, debugLogging: true },
    tokens: { personalAccessToken: PAT },
  });
  await obsidian.runCommand("publish-current-note");
  const file = obsidian.app.vault.getFileByPath(vault.notePath);
  await obsidian.app.vault.append(file, "\nMore.\n");
  await confluence.faults({ concurrentEdit: true });

  const before = await obsidian.startCommand("publish-current-note");
  const modal = await obsidian.waitForModal({ after: 0 });
  await modal.click("Cancel");
  await obsidian.waitForNotice({ after: before });

  await assertNoTokenIn(obsidian, obsidian.openSettingTab());
});

test("no token shows: a server that echoes the Authorization header in its error", async (t) => {
  const server = await echoingServer();
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const vault = await makeVault();
  t.after(() => vault.remove());
  const obsidian = await loadPlugin({
    vaultDir: vault.vaultDir,
    data: {
      baseUrl: `http://127.0.0.1:${server.address().port}`,
      spaceKey: "DOCS",
      personalAccessTokenSecret: "leak-check-pat",
      debugLogging: true,
    },
    secrets: { "leak-check-pat": PAT },
  });
  t.after(() => obsidian.unload());
  obsidian.setActiveFile(vault.notePath);

  const message = await obsidian.runCommand("test-connection");

  assert.match(message, /\[token hidden\]/, `the echoed token should be hidden: ${message}`);
  await assertNoTokenIn(obsidian, obsidian.openSettingTab());
});

/** Everything the user or a developer could read, searched for the tokens. */
async function assertNoTokenIn(obsidian, tab) {
  const readable = {
    notices: obsidian.notices.flatMap((notice) => notice.history),
    modals: obsidian.modals.map((modal) => modal.text),
    "settings tab": [
      tab.containerEl.textContent,
      ...[...tab.containerEl.descendants()].map((element) => String(element.value ?? "")),
    ],
    console: obsidian.consoleLines.map((line) => line.text),
    "data.json": [(await obsidian.readDataJson()) ?? ""],
  };
  for (const [where, texts] of Object.entries(readable)) {
    for (const text of texts) {
      for (const secret of FORBIDDEN) {
        assert.ok(!text.includes(secret), `the ${where} should not show a token: ${text}`);
      }
    }
  }
}

/**
 * A server at this machine that says it is Confluence 9.2.0 and answers every other request
 * with a 400 quoting the request's Authorization header, as some proxies' error pages do.
 */
function echoingServer() {
  const server = http.createServer((request, response) => {
    if (request.url.endsWith("/rest/applinks/1.0/manifest")) {
      response.writeHead(200, { "Content-Type": "application/xml" });
      response.end("<manifest><version>9.2.0</version><type>confluence</type></manifest>");
      return;
    }
    response.writeHead(400, { "Content-Type": "application/json" });
    const message = `Bad request with Authorization: ${request.headers.authorization}`;
    response.end(JSON.stringify({ statusCode: 400, message }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
