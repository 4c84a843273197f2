// "Test connection" and the failures a person meets first: a token that is not accepted, and a
// setting left empty.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ADA, publishedPages, restRequests, startScenario } from "../harness/scenario.mjs";

test("Test connection with good settings names the user and the space", async (t) => {
  const { confluence, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });

  const message = await obsidian.runCommand("test-connection");

  assert.match(message, /Ada Lovelace/);
  assert.match(message, /Documentation \(DOCS\)/);
  for (const request of await restRequests(confluence)) {
    assert.equal(request.method, "GET", "a connection test should change nothing");
    assert.equal(request.specViolation, null);
  }
});

test("Test connection on Cloud with email and API token names the user and space", async (t) => {
  const { obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: false, username: ADA.email },
    tokens: { apiToken: ADA.apiToken },
  });

  const message = await obsidian.runCommand("test-connection");

  assert.match(message, /Ada Lovelace/);
  assert.match(message, /DOCS/);
});

test("a wrong token answered as anonymous is not accepted; nothing is published", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    anonymousAccess: true,
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: "pat-wrong-9999" },
  });

  const message = await obsidian.runCommand("test-connection");
  assert.match(message, /not accepted/, `should say the token was not accepted: ${message}`);
  assert.doesNotMatch(message, /pat-wrong-9999/, "should never show the token");

  const publishMessage = await obsidian.runCommand("publish-current-note");
  assert.match(publishMessage, /not accepted/, `should blame the token: ${publishMessage}`);
  assert.doesNotMatch(publishMessage, /pat-wrong-9999/, "should never show the token");
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), [], "should create no page");
});

test("an empty token is named in the Notice and no request is sent", async (t) => {
  const { confluence, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: {},
  });

  const testMessage = await obsidian.runCommand("test-connection");
  const publishMessage = await obsidian.runCommand("publish-current-note");

  assert.match(testMessage, /Personal access token/);
  assert.match(publishMessage, /Personal access token/);
  assert.deepEqual(await restRequests(confluence), [], "the emulator should receive no request");
});

test("an unreachable server is reported with its host and what to check", async (t) => {
  const { obsidian, confluence } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });
  const host = new URL(confluence.baseUrl).host;
  await confluence.stop();

  const message = await obsidian.runCommand("test-connection");

  assert.match(message, new RegExp(`Could not reach ${host.replace(/\./g, "\\.")}`));
  assert.match(message, /Check the base URL and your network/);
});
