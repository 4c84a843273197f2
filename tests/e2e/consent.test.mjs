// The two questions "Publish current note" asks before it touches a page the note does not own
// outright: a page with the note's title already exists, or the page was edited in Confluence
// since this note published it. Cancel leaves the page alone; agreeing publishes.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { splitFrontmatterOf } from "../harness/frontmatter.mjs";
import {
  FLAVOURS,
  publishedPages,
  restRequests,
  restRequestsSince,
  startScenario,
} from "../harness/scenario.mjs";

/** A second note that asks for the title of the default note ("Create a vault"). */
const RIVAL_NOTE = "Vault notes.md";
const RIVAL_TEXT = `---
confluence-title: Create a vault
---
Notes about vaults, published under another note's title.
`;

for (const [name, flavour] of Object.entries(FLAVOURS)) {
  test(`${name}: a taken title asks; Cancel leaves it, linking publishes onto it`, async (t) => {
    const { confluence, vault, obsidian } = await startScenario(t, {
      ...flavour,
      openNote: RIVAL_NOTE,
      prepareVault: (copy) => fs.writeFile(path.join(copy.vaultDir, RIVAL_NOTE), RIVAL_TEXT),
    });

    // Another note takes the title first.
    const rivalNotice = await obsidian.runCommand("publish-current-note");
    const [taken] = await publishedPages(confluence, vault.noteTitle);
    assert.ok(taken, `the other note should create "${vault.noteTitle}": ${rivalNotice}`);

    // The note with that title: a question, not an error. Cancel.
    obsidian.setActiveFile(vault.notePath);
    const sentBefore = (await restRequests(confluence)).length;
    const asked = obsidian.modals.length;
    const noticesBefore = await obsidian.startCommand("publish-current-note");
    const modal = await obsidian.waitForModal({ after: asked });
    assert.equal(modal.title, "There is already a page with this title");
    assert.match(modal.text, new RegExp(`"${vault.noteTitle}"`));
    assert.deepEqual(modal.buttonLabels().slice(-2), ["Link to that page and publish", "Cancel"]);
    await modal.click("Cancel");
    const cancelled = await obsidian.waitForNotice({ after: noticesBefore });
    assert.match(cancelled, /^Not published/);
    assert.equal(modal.isOpen, false);
    assert.deepEqual(await writesSince(confluence, sentBefore), [], "Cancel should write nothing");
    assert.equal(
      splitFrontmatterOf(await vault.readNote()).frontmatter["confluence-page-id"],
      undefined,
    );

    // Again, and this time link the note to that page.
    const againNotices = await obsidian.startCommand("publish-current-note");
    const again = await obsidian.waitForModal({ after: asked + 1 });
    await again.click("Link to that page and publish");
    const linked = await obsidian.waitForNotice({ after: againNotices });
    const pages = await publishedPages(confluence, vault.noteTitle);
    assert.equal(pages.length, 1, `should still be one page: ${linked}`);
    assert.equal(pages[0].id, taken.id, "should publish onto the existing page");
    assert.equal(pages[0].version, 2, `should make version 2: ${linked}`);
    assert.match(linked, /^Updated/);
    assert.ok(pages[0].body.includes("A vault is a folder"), "the page should hold the note");
    const { frontmatter } = splitFrontmatterOf(await vault.readNote());
    assert.equal(String(frontmatter["confluence-page-id"]), taken.id, "should link the note");
    assert.equal(obsidian.modals.length, asked + 2, "no other question should be asked");
  });

  test(`${name}: an edit in Confluence asks; Cancel keeps it, Overwrite wins`, async (t) => {
    const { confluence, vault, obsidian } = await startScenario(t, { ...flavour });
    await obsidian.runCommand("publish-current-note");
    const [page] = await publishedPages(confluence, vault.noteTitle);
    assert.ok(page);

    // Someone edits the page in Confluence: version 2.
    const edited = "<p>Edited in Confluence by a colleague.</p>";
    const answer = await editInConfluence(confluence, name, page, edited, flavour.authorization);
    assert.equal(answer.status, 200, `the edit should be accepted: ${answer.text}`);
    assert.equal((await publishedPages(confluence, vault.noteTitle))[0].version, 2);

    // Publishing the note asks; "Open page" opens it and leaves the question open; Cancel.
    const sentBefore = (await restRequests(confluence)).length;
    const noticesBefore = await obsidian.startCommand("publish-current-note");
    const modal = await obsidian.waitForModal({ after: 0 });
    assert.equal(modal.title, "The page was edited in Confluence");
    assert.deepEqual(modal.buttonLabels(), ["Open page", "Overwrite", "Cancel"]);
    await modal.click("Open page");
    assert.equal(modal.isOpen, true, "opening the page should not answer the question");
    assert.equal(obsidian.openedUrls.length, 1);
    assert.match(obsidian.openedUrls[0], new RegExp(`${page.id}`));
    await modal.click("Cancel");
    assert.match(await obsidian.waitForNotice({ after: noticesBefore }), /^Not published/);
    assert.deepEqual(await writesSince(confluence, sentBefore), [], "Cancel should write nothing");
    const kept = (await publishedPages(confluence, vault.noteTitle))[0];
    assert.equal(kept.version, 2);
    assert.ok(kept.body.includes("Edited in Confluence"), "Cancel should keep the edit");

    // Again, and overwrite.
    const againNotices = await obsidian.startCommand("publish-current-note");
    const again = await obsidian.waitForModal({ after: 1 });
    await again.click("Overwrite");
    const notice = await obsidian.waitForNotice({ after: againNotices });
    const [overwritten] = await publishedPages(confluence, vault.noteTitle);
    assert.equal(overwritten.version, 3, `should make version 3: ${notice}`);
    assert.ok(!overwritten.body.includes("Edited in Confluence"), "the edit should be replaced");
    assert.ok(overwritten.body.includes("A vault is a folder"), "the page should hold the note");
    assert.match(notice, /^Updated/);

    // Published by this note again: the next publish is plain "unchanged".
    assert.match(await obsidian.runCommand("publish-current-note"), /^Unchanged/);
    assert.equal(obsidian.modals.length, 2, "no other question should be asked");
  });
}

/** A new version of `page` made by another client, as Ada (what editing in Confluence does). */
function editInConfluence(confluence, flavourName, page, storage, authorization) {
  const version = { number: page.version + 1, message: "Edited in Confluence" };
  if (flavourName === "cloud") {
    return confluence.rest("PUT", `api/v2/pages/${page.id}`, {
      authorization,
      body: {
        id: page.id,
        status: "current",
        title: page.title,
        body: { representation: "storage", value: storage },
        version,
      },
    });
  }
  return confluence.rest("PUT", `rest/api/content/${page.id}`, {
    authorization,
    body: {
      id: page.id,
      type: "page",
      title: page.title,
      space: { key: page.spaceKey },
      body: { storage: { value: storage, representation: "storage" } },
      version,
    },
  });
}

async function writesSince(confluence, count) {
  const requests = await restRequestsSince(confluence, count);
  return requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
}
