// "Open page in Confluence", "Copy page link" and the ribbon icon: the two commands are offered
// only for a note linked to a page, and both lead to the page Confluence shows for it.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { loadPlugin } from "../harness/load-plugin.mjs";
import { ADA, publishedPages, startScenario } from "../harness/scenario.mjs";
import { makeVault } from "../harness/vault.mjs";

const LINK_COMMANDS = ["open-page-in-confluence", "copy-page-link"];

/** A vault whose note is linked to page `pageId` (none when null), with the plugin loaded. */
async function linkedNote(t, { pageId, field = "confluence-page-id", data }) {
  const vault = await makeVault();
  t.after(() => vault.remove());
  if (pageId !== null) {
    const notePath = path.join(vault.vaultDir, vault.notePath);
    const text = await fs.readFile(notePath, "utf8");
    await fs.writeFile(notePath, text.replace(/^---\n/, `---\n${field}: ${pageId}\n`));
  }
  const obsidian = await loadPlugin({ vaultDir: vault.vaultDir, data });
  t.after(() => obsidian.unload());
  return { vault, obsidian };
}

test("the link commands are offered only while the active note has a page", async (t) => {
  const data = { baseUrl: "https://confluence.example.com" };
  const { vault, obsidian } = await linkedNote(t, { pageId: null, data });
  for (const id of LINK_COMMANDS) {
    assert.equal(obsidian.isCommandAvailable(id), false, `${id} without an active note`);
  }
  obsidian.setActiveFile(vault.notePath);
  for (const id of LINK_COMMANDS) {
    assert.equal(obsidian.isCommandAvailable(id), false, `${id} for a note without a page`);
  }

  const linked = await linkedNote(t, { pageId: "4242", data });
  linked.obsidian.setActiveFile(linked.vault.notePath);
  for (const id of LINK_COMMANDS) {
    assert.equal(linked.obsidian.isCommandAvailable(id), true, `${id} for a linked note`);
  }
});

test("the link commands have sentence-case names, icons and no default hotkeys", async (t) => {
  const { obsidian } = await linkedNote(t, { pageId: null, data: {} });
  const byId = Object.fromEntries(obsidian.commands().map((c) => [c.id.split(":")[1], c]));
  assert.equal(byId["open-page-in-confluence"].plainName, "Open page in Confluence");
  assert.equal(byId["copy-page-link"].plainName, "Copy page link");
  for (const id of LINK_COMMANDS) {
    assert.equal(byId[id].hotkeys, undefined, `${id} should have no default hotkey`);
    assert.equal(typeof byId[id].icon, "string");
    assert.equal(typeof byId[id].checkCallback, "function");
  }
});

test("open and copy use the base URL and the page id, without a trailing slash", async (t) => {
  const data = { baseUrl: "https://confluence.example.com/confluence/" };
  const { vault, obsidian } = await linkedNote(t, { pageId: "98765", data });
  obsidian.setActiveFile(vault.notePath);
  const expected = "https://confluence.example.com/confluence/pages/viewpage.action?pageId=98765";

  await obsidian.startCommand("open-page-in-confluence");
  assert.deepEqual(obsidian.openedUrls, [expected]);

  const message = await obsidian.runCommand("copy-page-link");
  assert.deepEqual(obsidian.clipboardWrites, [expected]);
  assert.equal(message, `Copied the page's link: ${expected}`);
});

test("a Cloud address without /wiki gets it; the Connie plugin's field counts too", async (t) => {
  const data = { baseUrl: "https://example.atlassian.net", deployment: "auto" };
  const { vault, obsidian } = await linkedNote(t, { pageId: "77", field: "connie-page-id", data });
  obsidian.setActiveFile(vault.notePath);
  await obsidian.runCommand("copy-page-link");
  assert.deepEqual(obsidian.clipboardWrites, [
    "https://example.atlassian.net/wiki/pages/viewpage.action?pageId=77",
  ]);
});

test("without a base URL, the commands say to set it and open nothing", async (t) => {
  const { vault, obsidian } = await linkedNote(t, { pageId: "5", data: {} });
  obsidian.setActiveFile(vault.notePath);
  const message = await obsidian.runCommand("open-page-in-confluence");
  assert.match(message, /Set the Confluence base URL/);
  assert.deepEqual(obsidian.openedUrls, []);
  await obsidian.runCommand("copy-page-link");
  assert.deepEqual(obsidian.clipboardWrites, []);
});

test("a base URL holding a password is never shown or copied in a page link", async (t) => {
  const data = { baseUrl: "https://ada:s3cret@confluence.example.com", deployment: "auto" };
  const { vault, obsidian } = await linkedNote(t, { pageId: "5", data });
  obsidian.setActiveFile(vault.notePath);
  const message = await obsidian.runCommand("copy-page-link");
  assert.equal(
    message,
    "Take out the user name and password (before @): they belong in the token fields.",
  );
  assert.deepEqual(obsidian.clipboardWrites, []);
  await obsidian.runCommand("open-page-in-confluence");
  assert.deepEqual(obsidian.openedUrls, []);
});

test("after publishing, the copied link opens the page in Confluence (Data Center)", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
  });
  for (const id of LINK_COMMANDS) assert.equal(obsidian.isCommandAvailable(id), false);

  // The ribbon icon publishes the active note.
  const ribbon = obsidian.ribbonIcons().find((icon) => icon.icon === "upload-cloud");
  assert.ok(ribbon, "there should be an upload-cloud ribbon icon");
  assert.equal(ribbon.title, "Publish current note to Confluence");
  const before = obsidian.notices.length;
  ribbon.callback();
  const published = await obsidian.waitForNotice({ after: before });
  assert.match(published, /Created/i);
  const [page] = await publishedPages(confluence, vault.noteTitle);
  assert.ok(page, "the ribbon icon should have published the note");

  for (const id of LINK_COMMANDS) assert.equal(obsidian.isCommandAvailable(id), true);
  await obsidian.runCommand("copy-page-link");
  const [link] = obsidian.clipboardWrites;
  assert.equal(link, `${confluence.baseUrl}/pages/viewpage.action?pageId=${page.id}`);
  const response = await fetch(link);
  assert.equal(response.status, 200);
  assert.match(await response.text(), new RegExp(vault.noteTitle));

  await obsidian.startCommand("open-page-in-confluence");
  assert.deepEqual(obsidian.openedUrls, [link]);
});

test("the ribbon icon asks for a note when none is open", async (t) => {
  const { obsidian } = await linkedNote(t, { pageId: null, data: {} });
  const ribbon = obsidian.ribbonIcons().find((icon) => icon.icon === "upload-cloud");
  const before = obsidian.notices.length;
  ribbon.callback();
  assert.equal(
    await obsidian.waitForNotice({ after: before }),
    "Open a note to publish it to Confluence.",
  );
});
