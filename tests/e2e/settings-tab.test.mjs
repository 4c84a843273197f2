// The settings tab, driven like a person would: rows, headings, the toggle that shows the rows
// it uses, tokens kept out of data.json, and the "Test connection" button.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import { test } from "node:test";
import { loadPlugin } from "../harness/load-plugin.mjs";
import { ADA, SECRET_IDS, startScenario } from "../harness/scenario.mjs";
import { makeVault } from "../harness/vault.mjs";

const ROWS = [
  "Confluence base URL",
  "Space key",
  "Parent page ID",
  "Kind of Confluence",
  "Use personal access token",
  "Personal access token",
  "Atlassian username",
  "Atlassian API token",
  "Test connection",
];

test("the toggle shows the token row or the username and API token rows; tokens stay out of data.json", async (t) => {
  const vault = await makeVault();
  t.after(() => vault.remove());
  const obsidian = await loadPlugin({ vaultDir: vault.vaultDir });
  t.after(() => obsidian.unload());
  const tab = obsidian.openSettingTab();

  // Every row, in sentence case, with headings made by setHeading().
  const names = tab
    .rows()
    .filter((row) => !row.heading)
    .map((row) => row.name);
  assert.deepEqual(names, ROWS);
  const headings = tab.rows().filter((row) => row.heading);
  assert.ok(headings.length > 0, "should group the rows under headings");
  for (const heading of headings)
    assert.doesNotMatch(heading.name, /settings/i, "a heading should not say settings");
  assert.match(tab.row("Parent page ID").desc, /empty/i);
  assert.match(tab.row("Parent page ID").desc, /top level/i);
  assert.match(tab.row("Use personal access token").desc, /7\.9/);
  assert.match(tab.row("Use personal access token").desc, /Cloud/);
  assert.deepEqual(tab.row("Kind of Confluence").component("dropdown").optionValues(), [
    "auto",
    "cloud",
    "datacenter",
  ]);
  assert.equal(tab.row("Personal access token").component("text").inputEl.type, "password");
  assert.equal(tab.row("Atlassian API token").component("text").inputEl.type, "password");

  // Toggle on: only the token row.
  const toggle = tab.row("Use personal access token").component("toggle");
  if (!toggle.getValue()) await toggle.click();
  assertVisible(tab, {
    "Personal access token": true,
    "Atlassian username": false,
    "Atlassian API token": false,
  });

  // Fill in everything, as a person would.
  await tab
    .row("Confluence base URL")
    .component("text")
    .simulateInput("https://confluence.example.com ");
  await tab.row("Space key").component("text").simulateInput("DOCS");
  await tab.row("Kind of Confluence").component("dropdown").select("Server or Data Center");
  await tab.row("Personal access token").component("text").simulateInput(ADA.personalAccessToken);

  // Toggle off: the username and API token rows instead.
  await toggle.click();
  assertVisible(tab, {
    "Personal access token": false,
    "Atlassian username": true,
    "Atlassian API token": true,
  });
  await tab.row("Atlassian username").component("text").simulateInput(ADA.email);
  await tab.row("Atlassian API token").component("text").simulateInput(ADA.apiToken);

  // data.json holds the plain fields only; secret storage holds the tokens.
  const saved = await obsidian.readDataJson();
  assert.ok(saved, "should have written data.json");
  assert.ok(
    !saved.includes(ADA.personalAccessToken),
    "data.json must not hold the personal access token",
  );
  assert.ok(!saved.includes(ADA.apiToken), "data.json must not hold the API token");
  assert.deepEqual(JSON.parse(saved), {
    baseUrl: "https://confluence.example.com",
    spaceKey: "DOCS",
    parentPageId: "",
    deployment: "datacenter",
    usePersonalAccessToken: false,
    username: ADA.email,
  });
  assert.deepEqual(obsidian.secrets.entries(), {
    [SECRET_IDS.personalAccessToken]: ADA.personalAccessToken,
    [SECRET_IDS.apiToken]: ADA.apiToken,
  });

  // Opened again, the tab shows what was saved, tokens included (masked).
  const reopened = obsidian.openSettingTab();
  assert.equal(reopened.row("Atlassian API token").component("text").getValue(), ADA.apiToken);
  assert.equal(reopened.row("Use personal access token").component("toggle").getValue(), false);
  assertVisible(reopened, {
    "Personal access token": false,
    "Atlassian username": true,
    "Atlassian API token": true,
  });
});

test("a token an older data.json held is moved to secret storage and erased from data.json", async (t) => {
  const vault = await makeVault();
  t.after(() => vault.remove());
  const obsidian = await loadPlugin({
    vaultDir: vault.vaultDir,
    data: {
      baseUrl: "https://confluence.example.com",
      spaceKey: "DOCS",
      personalAccessToken: "pat-old-0001",
      extra: 1,
    },
  });
  t.after(() => obsidian.unload());

  const saved = await fs.readFile(obsidian.dataPath, "utf8");
  assert.ok(!saved.includes("pat-old-0001"), "data.json must no longer hold the token");
  assert.ok(!saved.includes("extra"), "unknown fields should be dropped");
  assert.equal(obsidian.secrets.getSecret(SECRET_IDS.personalAccessToken), "pat-old-0001");
});

test("the Test connection button shows the result under it and in a Notice", async (t) => {
  const { obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: false },
  });
  const tab = obsidian.openSettingTab();
  const result = tab.containerEl.findByClass("confluence-publish-test-result");
  assert.ok(result, "should have a place for the result");

  // A missing token: the message names the field.
  const button = tab.row("Test connection").component("button");
  await tab.row("Use personal access token").component("toggle").click();
  await button.click();
  assert.match(result.textContent, /Personal access token/);
  assert.ok(result.hasClass("is-error"));

  // With the token: connected as Ada, to the space.
  await tab.row("Personal access token").component("text").simulateInput(ADA.personalAccessToken);
  await button.click();
  assert.match(result.textContent, /Ada Lovelace/);
  assert.match(result.textContent, /DOCS/);
  assert.ok(result.hasClass("is-success"));
  assert.equal(
    obsidian.notices.at(-1).message,
    result.textContent,
    "the Notice should say the same",
  );
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
