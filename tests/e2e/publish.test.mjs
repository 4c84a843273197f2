// "Publish current note" against the emulator, in both kinds of Confluence, with the built
// main.js in the test Obsidian.

import assert from "node:assert/strict";
import { test } from "node:test";
import { splitFrontmatterOf } from "../harness/frontmatter.mjs";
import {
  ADA,
  publishedPages,
  restRequests,
  restRequestsSince,
  startScenario,
} from "../harness/scenario.mjs";

test("Data Center, personal access token: create, unchanged, update after an edit", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });
  await publishTwice({ confluence, vault, obsidian, authScheme: "Bearer" });
});

test("Cloud, email and API token: create, unchanged, then update after an edit", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: false, username: ADA.email },
    tokens: { apiToken: ADA.apiToken },
  });
  await publishTwice({ confluence, vault, obsidian, authScheme: "Basic" });
});

test("with the toggle on, the token wins over a username and API token", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true, username: ADA.email },
    tokens: { personalAccessToken: ADA.personalAccessToken, apiToken: ADA.apiToken },
  });

  const message = await obsidian.runCommand("publish-current-note");

  assert.equal(
    (await publishedPages(confluence, vault.noteTitle)).length,
    1,
    `should create the page: ${message}`,
  );
  await assertEveryRequest(confluence, { authScheme: "Bearer" });
});

test("Data Center under a context path: the page is created there", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    contextPath: "/confluence",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });
  assert.ok(confluence.baseUrl.endsWith("/confluence"), confluence.baseUrl);

  const message = await obsidian.runCommand("publish-current-note");

  const [page] = await publishedPages(confluence, vault.noteTitle);
  assert.ok(page, `should create the page: ${message}`);
  await assertEveryRequest(confluence, { authScheme: "Bearer" });
  for (const request of await restRequests(confluence))
    assert.ok(request.path.startsWith("/confluence/rest/"));
  await assertShowsPageUrl(message, page);
});

test("the command is offered only while a Markdown note is open", async (t) => {
  const { obsidian } = await startScenario(t, {
    openNote: false,
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });
  assert.equal(
    obsidian.isCommandAvailable("publish-current-note"),
    false,
    "should be hidden without an open note",
  );
  const command = obsidian
    .commands()
    .find((c) => c.id === "confluence-publish:publish-current-note");
  assert.equal(command.plainName, "Publish current note");
  assert.equal(command.hotkeys, undefined, "should have no default hotkey");
});

/**
 * Publishes the open note, publishes it again unchanged, edits it and publishes it once more;
 * checks the page, the log, the frontmatter and the Notices after each.
 */
async function publishTwice({ confluence, vault, obsidian, authScheme }) {
  // First publish: a new page, linked from the note.
  const first = await obsidian.runCommand("publish-current-note");
  const [page] = await publishedPages(confluence, vault.noteTitle);
  assert.ok(page, `should create a page titled "${vault.noteTitle}"; Notice: ${first}`);
  assert.equal(page.version, 1);
  assert.equal(page.spaceKey, "DOCS");
  await assertEveryRequest(confluence, { authScheme });
  const { frontmatter } = splitFrontmatterOf(await vault.readNote());
  assert.equal(
    String(frontmatter["confluence-page-id"]),
    page.id,
    "should link the note to its page",
  );
  assert.deepEqual(
    frontmatter.aliases,
    ["Local vault"],
    "should keep the note's other frontmatter",
  );
  await assertShowsPageUrl(first, page);

  // Second publish, nothing changed: no new version, nothing written.
  const sentBefore = (await restRequests(confluence)).length;
  const second = await obsidian.runCommand("publish-current-note");
  assert.match(second, /^Unchanged/, "should say the page is unchanged");
  const unchanged = await publishedPages(confluence, vault.noteTitle);
  assert.equal(unchanged.length, 1, "should still be one page");
  assert.equal(unchanged[0].version, 1, `should still be version 1; Notice: ${second}`);
  const writes = (await restRequestsSince(confluence, sentBefore)).filter(
    (request) => request.method !== "GET",
  );
  assert.deepEqual(
    writes.map((request) => `${request.method} ${request.path}`),
    [],
    "an unchanged note should send no PUT or POST",
  );
  await assertShowsPageUrl(second, unchanged[0]);

  // Third publish, after a line was added to the note: the same page, one version up.
  const added = "One more line, added after the first publish.";
  const file = obsidian.app.vault.getFileByPath(vault.notePath);
  await obsidian.app.vault.append(file, `\n${added}\n`);
  const third = await obsidian.runCommand("publish-current-note");
  const pages = await publishedPages(confluence, vault.noteTitle);
  assert.equal(pages.length, 1, "should still be one page");
  assert.equal(pages[0].id, page.id);
  assert.equal(pages[0].version, 2, `should be version 2; Notice: ${third}`);
  assert.match(third, /^Updated/);
  assert.ok(pages[0].body.includes(added), "the page should hold the added line");
  await assertEveryRequest(confluence, { authScheme });
  await assertShowsPageUrl(third, pages[0]);
  const note = await vault.readNote();
  assert.ok(note.includes("[[Create your first note]]."), "should keep the note's body");
  assert.ok(note.trimEnd().endsWith(added), "should keep the added line");
}

async function assertEveryRequest(confluence, { authScheme }) {
  const requests = await restRequests(confluence);
  assert.ok(requests.length > 0, "should have sent requests");
  for (const request of requests) {
    const where = `${request.method} ${request.path} (${request.status})`;
    assert.equal(request.authScheme, authScheme, `${where} should authenticate with ${authScheme}`);
    assert.equal(request.specViolation, null, `${where} should follow the OpenAPI document`);
  }
}

/** The Notice holds the page's address, and that address shows the page. */
async function assertShowsPageUrl(message, page) {
  const url = /https?:\/\/\S+/.exec(message)?.[0]?.replace(/[.,)]+$/, "");
  assert.ok(url, `the Notice should hold the page URL: ${message}`);
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} should open the page`);
  assert.ok(
    (await response.text()).includes(page.title),
    `${url} should show the page "${page.title}"`,
  );
}
