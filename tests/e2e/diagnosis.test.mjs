// What "Test connection" (and "Publish current note") say when the settings do not fit the
// Confluence they reach: a token answered as anonymous, a Cloud address without /wiki taken
// for a server, a personal access token sent to Cloud or to a server older than 7.9, and an
// http:// address to another machine. Each message is checked word for word.

import assert from "node:assert/strict";
import { test } from "node:test";
import { publishedPages, restRequests, startScenario } from "../harness/scenario.mjs";

const NOT_ACCEPTED =
  "The personal access token was not accepted: Confluence answered as an anonymous user, which " +
  "it does for an unknown token when anonymous access is on. Check the token in the plugin's " +
  "settings, or create a new one.";

const PAT_ON_CLOUD =
  'Confluence Cloud does not take personal access tokens (401). Turn off "Use personal access ' +
  'token" and fill in your Atlassian email as the username and an API token (made at ' +
  "id.atlassian.com > Security > API tokens).";

const PAT_REJECTED =
  "Confluence did not accept the personal access token (401). Check that it was copied whole " +
  "and has not expired or been revoked; create a new one under your avatar > Settings > " +
  "Personal Access Tokens. Servers older than 7.9 have no personal access tokens; on " +
  'Confluence Cloud, turn off "Use personal access token" and use your email and an API token ' +
  "instead.";

const PAT_TOO_OLD =
  'This Confluence is version 7.4.0; personal access tokens need 7.9 or later. Turn off "Use ' +
  'personal access token" and use your username and password instead.';

const INSECURE_URL =
  'Confluence base URL "http://wiki.example.invalid" starts with http://, so your token would ' +
  'cross the network unencrypted. Use the https:// address, or turn on "Allow unencrypted ' +
  'http" if you trust this network.';

test("a wrong token answered as anonymous: test and publish say it was not accepted", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    anonymousAccess: true,
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-wrong-9999" },
  });
  const before = await vault.readNote();

  assert.equal(await obsidian.runCommand("test-connection"), NOT_ACCEPTED);
  assert.equal(await obsidian.runCommand("publish-current-note"), NOT_ACCEPTED);
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), [], "no page");
  assert.equal(await vault.readNote(), before, "the note should be untouched");
});

test("Cloud without /wiki, kind Automatic, not atlassian.net: no Confluence there", async (t) => {
  const { confluence, obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "auto", usePersonalAccessToken: false, username: "ada@example.com" },
    tokens: { apiToken: "api-ada-0001" },
  });
  const tab = obsidian.openSettingTab();
  await tab.row("Confluence base URL").component("text").simulateInput(confluence.origin);

  assert.equal(
    await obsidian.runCommand("test-connection"),
    `There is no Confluence at ${confluence.origin} (the server answered 404). Check the ` +
      "Confluence base URL: if Confluence opens at an address with a path, such as " +
      "https://host/confluence, include that path; a Cloud site on its own domain needs the " +
      "kind of Confluence set to Cloud.",
  );

  // Kind Cloud: the core adds /wiki, and both work.
  await tab.row("Kind of Confluence").component("dropdown").select("Cloud");
  assert.equal(
    await obsidian.runCommand("test-connection"),
    "Connected as Ada Lovelace to space Documentation (DOCS), authenticated by email and API " +
      "token.",
  );
  assert.match(await obsidian.runCommand("publish-current-note"), /^Created "Create a vault"/);
  const paths = (await restRequests(confluence)).map((request) => request.path);
  assert.ok(paths.at(-1).startsWith("/wiki/"), "requests go to /wiki once the kind is Cloud");
});

test("publishing to a Cloud address without /wiki, kind Automatic, says there is no Confluence", async (t) => {
  const { confluence, obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "auto", usePersonalAccessToken: false, username: "ada@example.com" },
    tokens: { apiToken: "api-ada-0001" },
  });
  await obsidian
    .openSettingTab()
    .row("Confluence base URL")
    .component("text")
    .simulateInput(confluence.origin);

  const message = await obsidian.runCommand("publish-current-note");

  assert.match(message, /^There is no Confluence at /);
});

test("a personal access token sent to Cloud: Cloud does not take them", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-ada-0001" },
  });

  assert.equal(await obsidian.runCommand("test-connection"), PAT_ON_CLOUD);
  assert.equal(await obsidian.runCommand("publish-current-note"), PAT_ON_CLOUD);
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
});

test("publishing with a personal access token to Cloud says Cloud does not take them", async (t) => {
  const { obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-ada-0001" },
  });
  assert.equal(await obsidian.runCommand("publish-current-note"), PAT_ON_CLOUD);
});

test("Data Center 7.4 with the personal access token toggle on: tokens need 7.9", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    version: "7.4.0",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-ada-0001" },
  });

  assert.equal(await obsidian.runCommand("test-connection"), PAT_TOO_OLD);
  assert.equal(await obsidian.runCommand("publish-current-note"), PAT_TOO_OLD);
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
});

test("publishing to Data Center 7.4 with a personal access token says tokens need 7.9", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    version: "7.4.0",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-ada-0001" },
  });
  const before = await vault.readNote();
  assert.equal(await obsidian.runCommand("publish-current-note"), PAT_TOO_OLD);
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
  assert.equal(await vault.readNote(), before);
});

test("a refused token on a server that has tokens is blamed on the token", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-wrong-9999" },
  });
  const before = await vault.readNote();

  assert.equal(await obsidian.runCommand("test-connection"), PAT_REJECTED);
  assert.equal(await obsidian.runCommand("publish-current-note"), PAT_REJECTED);
  const paths = (await restRequests(confluence)).map((request) => request.path);
  assert.equal(paths.at(-1), "/rest/applinks/1.0/manifest", "the publish asked for the version");
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
  assert.equal(await vault.readNote(), before);
});

test("http:// to another machine: the settings say why, and nothing is sent", async (t) => {
  const { vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true, baseUrl: "http://wiki.example.invalid" },
    tokens: { personalAccessToken: "pat-ada-0001" },
  });
  const before = await vault.readNote();

  // The field says it as soon as the tab opens; both commands refuse before any request.
  const tab = obsidian.openSettingTab();
  const problem = tab
    .row("Confluence base URL")
    .settingEl.findByClass("confluence-publish-field-problem");
  assert.ok(problem.isVisible());
  assert.match(problem.textContent, /^An http:\/\/ address would send your token unencrypted/);
  assert.equal(await obsidian.runCommand("test-connection"), INSECURE_URL);
  assert.equal(await obsidian.runCommand("publish-current-note"), INSECURE_URL);
  assert.deepEqual(obsidian.sentRequests, [], "no request should be sent");
  assert.equal(await vault.readNote(), before);

  // Allowed: the test goes ahead (the test Obsidian answers a .invalid host as unresolvable,
  // without asking any name server).
  await tab.row("Allow unencrypted http").component("toggle").click();
  assert.ok(!problem.isVisible(), "the field has nothing more to say");
  assert.equal(
    await obsidian.runCommand("test-connection"),
    "Could not reach wiki.example.invalid: net::ERR_NAME_NOT_RESOLVED. Check the base URL and " +
      "your network (a VPN or proxy may be needed).",
  );
  assert.ok(obsidian.sentRequests.length > 0, "a request should have been tried");
  for (const request of obsidian.sentRequests) {
    assert.equal(new URL(request.url).host, "wiki.example.invalid");
  }
});
