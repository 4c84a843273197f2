// The settings tab, driven like a person would: the groups and their rows, the toggle that shows
// the rows it uses, tokens picked with the secret picker (data.json keeps only the secrets'
// names), fields that say what is wrong as they are typed, and the "Test connection" button.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import { test } from "node:test";
import { loadPlugin } from "../harness/load-plugin.mjs";
import { ADA, SECRET_IDS, startScenario } from "../harness/scenario.mjs";
import { makeVault } from "../harness/vault.mjs";

const GROUPS = {
  Connection: ["Confluence base URL", "Kind of Confluence"],
  Authentication: [
    "Use personal access token",
    "Personal access token",
    "Atlassian username",
    "Atlassian API token",
  ],
  Publishing: [
    "Space key",
    "Parent page ID",
    "Links to unpublished notes",
    "Place linked notes",
    "Labels from tags",
    "Protect edits made in Confluence",
    "Test connection",
  ],
  Advanced: ["Allow unencrypted http", "Data Center 8.0 to 8.2 code blocks", "Debug logging"],
};

/** A fresh vault and the plugin loaded in it, with `data` as data.json if given. */
async function freshPlugin(t, options = {}) {
  const vault = await makeVault();
  t.after(() => vault.remove());
  const obsidian = await loadPlugin({ vaultDir: vault.vaultDir, ...options });
  t.after(() => obsidian.unload());
  return obsidian;
}

test("the tab has four groups under setHeading() headings, in sentence case", async (t) => {
  const obsidian = await freshPlugin(t);
  const tab = obsidian.openSettingTab();

  const groups = {};
  let current = null;
  for (const row of tab.rows()) {
    if (row.heading) groups[(current = row.name)] = [];
    else groups[current].push(row.name);
  }
  assert.deepEqual(groups, GROUPS);
  for (const heading of Object.keys(groups)) {
    assert.doesNotMatch(heading, /settings/i, "a heading should not say settings");
  }
  const rawHeadings = [...tab.containerEl.descendants()].filter((el) => /^H\d$/.test(el.tagName));
  assert.deepEqual(rawHeadings, [], "headings should not be raw h1-h6 elements");

  // Each row says what it does.
  assert.match(tab.row("Parent page ID").desc, /empty/i);
  assert.match(tab.row("Parent page ID").desc, /top level/i);
  assert.deepEqual(tab.row("Kind of Confluence").component("dropdown").optionValues(), [
    "auto",
    "cloud",
    "datacenter",
  ]);
  assert.match(tab.row("Allow unencrypted http").desc, /^Warning: .*unencrypted/);
  assert.equal(tab.row("Allow unencrypted http").component("toggle").getValue(), false);
  assert.equal(tab.row("Data Center 8.0 to 8.2 code blocks").component("toggle").getValue(), false);
  assert.equal(tab.row("Debug logging").component("toggle").getValue(), false);
  assert.match(tab.row("Debug logging").desc, /Never a token/);
});

test("the toggle says which servers take which method, with links to make a token", async (t) => {
  const obsidian = await freshPlugin(t);
  const tab = obsidian.openSettingTab();
  const toggleRow = tab.row("Use personal access token");

  assert.equal(
    toggleRow.desc,
    "On for Server and Data Center 7.9 and later, with a personal access token. " +
      "Off for Cloud, with your email and an API token. " +
      "Atlassian's help: Personal access tokens, API tokens.",
  );
  const links = [...toggleRow.descEl.descendants()].filter((el) => el.tagName === "A");
  assert.deepEqual(
    links.map((link) => [link.textContent, new URL(link.getAttr("href")).host]),
    [
      ["Personal access tokens", "confluence.atlassian.com"],
      ["API tokens", "support.atlassian.com"],
    ],
  );
});

test("the toggle shows the rows it uses; data.json holds only secret names", async (t) => {
  const obsidian = await freshPlugin(t);
  const tab = obsidian.openSettingTab();

  // A fresh install: the personal access token, picked with Obsidian's secret picker.
  const toggle = tab.row("Use personal access token").component("toggle");
  assert.equal(toggle.getValue(), true);
  assertVisible(tab, {
    "Personal access token": true,
    "Atlassian username": false,
    "Atlassian API token": false,
  });
  const patPicker = tab.row("Personal access token").component("secret");
  assert.equal(patPicker.getValue(), "", "no secret is picked on a fresh install");

  // Fill in everything, as a person would; the tokens are created in the picker.
  await tab
    .row("Confluence base URL")
    .component("text")
    .simulateInput("https://confluence.example.com ");
  await tab.row("Kind of Confluence").component("dropdown").select("Server or Data Center");
  await tab.row("Space key").component("text").simulateInput("DOCS");
  await patPicker.create("work-confluence-pat", ADA.personalAccessToken);

  // Toggle off: the username and API token rows instead.
  await toggle.click();
  assertVisible(tab, {
    "Personal access token": false,
    "Atlassian username": true,
    "Atlassian API token": true,
  });
  await tab.row("Atlassian username").component("text").simulateInput(ADA.email);
  await tab.row("Atlassian API token").component("secret").create("atlassian-api", ADA.apiToken);

  // "Links to unpublished notes" set to publish shows where the linked notes go.
  assertVisible(tab, { "Place linked notes": false });
  await tab.row("Links to unpublished notes").component("dropdown").select("publishOneLevel");
  assertVisible(tab, { "Place linked notes": true });
  await tab.row("Place linked notes").component("dropdown").select("Beside the note's page");
  await tab.row("Debug logging").component("toggle").click();

  // data.json holds the plain fields and the secrets' names; secret storage the tokens.
  const saved = await obsidian.readDataJson();
  assert.ok(!saved.includes(ADA.personalAccessToken), "data.json must not hold the token");
  assert.ok(!saved.includes(ADA.apiToken), "data.json must not hold the API token");
  assert.deepEqual(JSON.parse(saved), {
    baseUrl: "https://confluence.example.com",
    deployment: "datacenter",
    usePersonalAccessToken: false,
    personalAccessTokenSecret: "work-confluence-pat",
    username: ADA.email,
    apiTokenSecret: "atlassian-api",
    spaceKey: "DOCS",
    parentPageId: "",
    unpublishedLinks: "publishOneLevel",
    linkedNotesPlacement: "beside",
    labelsFromTags: true,
    protectRemoteEdits: true,
    allowInsecureHttp: false,
    dataCenterCdataWorkaround: false,
    debugLogging: true,
  });
  assert.deepEqual(obsidian.secrets.entries(), {
    "work-confluence-pat": ADA.personalAccessToken,
    "atlassian-api": ADA.apiToken,
  });

  // Opened again, the tab shows what was saved: the secrets by name, never the tokens.
  const reopened = obsidian.openSettingTab();
  assert.equal(reopened.row("Atlassian API token").component("secret").getValue(), "atlassian-api");
  assert.equal(reopened.row("Use personal access token").component("toggle").getValue(), false);
  assertVisible(reopened, {
    "Personal access token": false,
    "Atlassian username": true,
    "Atlassian API token": true,
    "Place linked notes": true,
  });
  assert.ok(!reopened.containerEl.textContent.includes(ADA.apiToken), "never show a token");
});

test("picking a secret that already exists names it in data.json", async (t) => {
  const obsidian = await freshPlugin(t, { secrets: { "shared-pat": ADA.personalAccessToken } });
  const tab = obsidian.openSettingTab();
  const picker = tab.row("Personal access token").component("secret");
  assert.deepEqual(picker.options(), ["shared-pat"]);

  await picker.select("shared-pat");

  assert.equal(JSON.parse(await obsidian.readDataJson()).personalAccessTokenSecret, "shared-pat");
});

test("fields say what is wrong as they are typed, beside the field", async (t) => {
  const obsidian = await freshPlugin(t);
  const tab = obsidian.openSettingTab();
  const problemOf = (name) => {
    const el = tab.row(name).settingEl.findByClass("confluence-publish-field-problem");
    return el.isVisible() ? el.textContent : null;
  };
  const type = (name, value) => tab.row(name).component("text").simulateInput(value);

  // Nothing to say about empty fields.
  for (const name of ["Confluence base URL", "Space key", "Parent page ID"]) {
    assert.equal(problemOf(name), null, `${name} should say nothing while empty`);
  }

  // A base URL that is not a whole address.
  await type("Confluence base URL", "confluence.example.com");
  assert.equal(
    problemOf("Confluence base URL"),
    "Write the whole address, starting with https:// " +
      "(for example https://confluence.example.com).",
  );
  assert.equal(
    tab.row("Confluence base URL").component("text").inputEl.getAttr("aria-invalid"),
    "true",
  );
  await type("Confluence base URL", "https://confluence.example.com/confluence");
  assert.equal(problemOf("Confluence base URL"), null);
  assert.equal(
    tab.row("Confluence base URL").component("text").inputEl.getAttr("aria-invalid"),
    "false",
  );

  // http:// to another machine, until "Allow unencrypted http" is on; this machine is fine.
  await type("Confluence base URL", "http://wiki.example.invalid");
  const insecure =
    "An http:// address would send your token unencrypted. Use the https:// address, " +
    'or turn on "Allow unencrypted http" under Advanced.';
  assert.equal(problemOf("Confluence base URL"), insecure);
  await tab.row("Allow unencrypted http").component("toggle").click();
  assert.equal(problemOf("Confluence base URL"), null, "allowed: nothing more to say");
  await tab.row("Allow unencrypted http").component("toggle").click();
  assert.equal(problemOf("Confluence base URL"), insecure);
  await type("Confluence base URL", "http://localhost:8090");
  assert.equal(problemOf("Confluence base URL"), null, "this machine may use http://");

  // A user name and password in the address.
  await type("Confluence base URL", "https://ada:s3cret@confluence.example.com");
  assert.equal(
    problemOf("Confluence base URL"),
    "Take out the user name and password (before @): they belong in the token fields.",
  );
  await type("Confluence base URL", "http://localhost:8090");

  // A space key with spaces, or other characters.
  await type("Space key", "MY SPACE");
  assert.equal(
    problemOf("Space key"),
    "A space key has no spaces, only letters, digits and ~ (for example DOCS).",
  );
  await type("Space key", "DOCS-1");
  assert.equal(
    problemOf("Space key"),
    "A space key has only letters, digits and ~ (for example DOCS).",
  );
  await type("Space key", "~ada");
  assert.equal(problemOf("Space key"), null);

  // A page id that is not digits.
  await type("Parent page ID", "12a45");
  assert.equal(
    problemOf("Parent page ID"),
    "A page ID has only digits: copy them from the page's address " +
      "(pageId=123456 or /pages/123456/).",
  );
  await type("Parent page ID", "12345");
  assert.equal(problemOf("Parent page ID"), null);

  // A saved bad value is pointed out when the tab opens.
  await type("Space key", "A B");
  const reopened = obsidian.openSettingTab();
  const spaceProblem = reopened
    .row("Space key")
    .settingEl.findByClass("confluence-publish-field-problem");
  assert.ok(spaceProblem.isVisible());
});

test("a token in an older data.json is moved to secret storage and erased", async (t) => {
  const obsidian = await freshPlugin(t, {
    data: {
      baseUrl: "https://confluence.example.com",
      spaceKey: "DOCS",
      personalAccessToken: "pat-old-0001",
      apiToken: "api-old-0001",
      extra: 1,
    },
  });

  const saved = await fs.readFile(obsidian.dataPath, "utf8");
  assert.ok(!saved.includes("pat-old-0001"), "data.json must no longer hold the token");
  assert.ok(!saved.includes("api-old-0001"), "data.json must no longer hold the API token");
  assert.ok(!saved.includes("extra"), "unknown fields should be dropped");
  const data = JSON.parse(saved);
  assert.equal(data.personalAccessTokenSecret, SECRET_IDS.personalAccessToken);
  assert.equal(data.apiTokenSecret, SECRET_IDS.apiToken);
  assert.deepEqual(obsidian.secrets.entries(), {
    [SECRET_IDS.personalAccessToken]: "pat-old-0001",
    [SECRET_IDS.apiToken]: "api-old-0001",
  });
  const tab = obsidian.openSettingTab();
  assert.equal(
    tab.row("Personal access token").component("secret").getValue(),
    SECRET_IDS.personalAccessToken,
  );
});

test("a data.json from before secrets had names keeps the tokens the plugin stored", async (t) => {
  const obsidian = await freshPlugin(t, {
    data: { baseUrl: "https://confluence.example.com", spaceKey: "DOCS", username: "" },
    secrets: { [SECRET_IDS.personalAccessToken]: ADA.personalAccessToken },
  });

  const data = JSON.parse(await obsidian.readDataJson());
  assert.equal(data.personalAccessTokenSecret, SECRET_IDS.personalAccessToken);
  assert.equal(data.apiTokenSecret, SECRET_IDS.apiToken);
  assert.equal(data.unpublishedLinks, "text", "new settings take their defaults");
  assert.equal(data.allowInsecureHttp, false);
});

test("a secret named in data.json but missing on this device is named", async (t) => {
  const { obsidian, confluence } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true, personalAccessTokenSecret: "laptop-only-pat" },
  });

  const message = await obsidian.runCommand("test-connection");

  assert.equal(
    message,
    'Personal access token: the secret "laptop-only-pat" is not in this device\'s secret ' +
      "storage (secrets stay on the device they were made on). Choose or create it under " +
      '"Personal access token" in the plugin\'s settings.',
  );
  assert.deepEqual(await confluence.requests(), [], "nothing should be sent");
});

test("Test connection shows each step and the summary, and the summary in a Notice", async (t) => {
  const { obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: false },
  });
  const tab = obsidian.openSettingTab();
  const result = tab.containerEl.findByClass("confluence-publish-test-result");
  assert.ok(result, "should have a place for the result");
  const lines = () => result.children.map((line) => line.textContent);

  // A missing token: the message names the field, under the button and in the Notice.
  const button = tab.row("Test connection").component("button");
  await tab.row("Use personal access token").component("toggle").click();
  await button.click();
  assert.deepEqual(lines(), ["Personal access token is empty: fill it in the plugin's settings."]);
  assert.ok(result.hasClass("is-error"));
  assert.equal(obsidian.notices.at(-1).message, lines()[0]);

  // With the token: each step that passed, one line each, then the summary.
  await tab
    .row("Personal access token")
    .component("secret")
    .create("ada-pat", ADA.personalAccessToken);
  await button.click();
  const shown = lines();
  assert.ok(shown.length >= 3, `should list the steps: ${shown.join(" / ")}`);
  assert.match(shown[0], /9\.2\.0/, "the first step names the server and its version");
  assert.ok(
    shown.some((line) => line.includes("Ada Lovelace")),
    "a step names the user",
  );
  assert.ok(
    shown.some((line) => line.includes("DOCS")),
    "a step names the space",
  );
  const summary = shown.at(-1);
  assert.equal(
    summary,
    "Connected as Ada Lovelace to space Documentation (DOCS), authenticated by personal " +
      "access token.",
  );
  assert.ok(result.hasClass("is-success"));
  assert.equal(obsidian.notices.at(-1).message, summary, "the Notice shows the summary");
});

function assertVisible(tab, expected) {
  for (const [name, visible] of Object.entries(expected)) {
    assert.equal(
      tab.row(name).visible,
      visible,
      `"${name}" should be ${visible ? "shown" : "hidden"}`,
    );
  }
}
