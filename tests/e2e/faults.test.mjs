// A misbehaving Confluence (the emulator's faults): busy answers that the core retries, a
// connection lost right after a create, an edit made between the read and the write, a CAPTCHA
// and a login page in front of Confluence. Each run checks the exact message the user reads,
// that no page is made twice, and that the note is intact (only a correct page id added).

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoteIntact } from "../harness/frontmatter.mjs";
import {
  FLAVOURS,
  publishedPages,
  restRequestsSince,
  restRequests,
  startScenario,
} from "../harness/scenario.mjs";

const BUSY = "Confluence is busy; trying again in 1 s.";

/** What "Publish current note" says after creating the default note's page. */
function createdMessage(flavourName, confluence, page) {
  const url =
    flavourName === "cloud"
      ? `${confluence.baseUrl}/spaces/DOCS/pages/${page.id}/Create-a-vault`
      : `${confluence.baseUrl}/pages/viewpage.action?pageId=${page.id}`;
  return [
    `Created "Create a vault" (version 1): ${url}`,
    "Warning: links to notes that are not published are shown as plain text",
    "Unresolved links: How Obsidian stores data, Create your first note.",
  ].join("\n");
}

/** Publishes the open note with `faults` switched on; the one page it made, and the message. */
async function publishWithFaults(t, flavourName, faults) {
  const scenario = await startScenario(t, { ...FLAVOURS[flavourName] });
  const { confluence, vault, obsidian } = scenario;
  const before = await vault.readNote();
  await confluence.faults(faults);

  const message = await obsidian.runCommand("publish-current-note");

  const pages = await publishedPages(confluence, vault.noteTitle);
  assert.equal(pages.length, 1, `should make exactly one page: ${message}`);
  assert.equal(message, createdMessage(flavourName, confluence, pages[0]));
  assertNoteIntact(before, await vault.readNote(), pages[0].id);
  return { ...scenario, page: pages[0], message };
}

for (const flavourName of ["dc", "cloud"]) {
  test(`${flavourName}: a rate limit is waited out, saying so; one page`, async (t) => {
    const { confluence, obsidian } = await publishWithFaults(t, flavourName, {
      rateLimit: { remaining: 2, retryAfter: "1", status: 429 },
    });

    const busy = obsidian.notices.filter((notice) => notice.message.startsWith("Confluence is"));
    assert.deepEqual(
      busy.map((notice) => notice.message),
      [BUSY, BUSY],
      "each wait should be announced",
    );
    assert.ok(
      busy.every((notice) => notice.hidden),
      "the busy Notice goes once the retry is sent",
    );
    assert.equal((await confluence.stats()).faults.rateLimit, 2);
  });

  test(`${flavourName}: a connection lost after a create: no second page`, async (t) => {
    const { confluence } = await publishWithFaults(t, flavourName, { dropAfterCreate: true });

    const stats = await confluence.stats();
    assert.equal(stats.faults.dropAfterCreate, 1, "the create's answer should have been lost");
    const creates = (await restRequests(confluence)).filter(
      (request) => request.method === "POST" && /\/(content|pages)$/.test(request.path),
    );
    assert.equal(creates.length, 1, "the core should look the page up, not create it again");
  });
}

test("dc: a burst of 503s is retried until Confluence answers", async (t) => {
  const { confluence, obsidian } = await publishWithFaults(t, "dc", {
    unavailable: { remaining: 2 },
  });

  assert.equal((await confluence.stats()).faults.unavailable, 2);
  assert.ok(obsidian.notices.some((notice) => notice.message.startsWith("Confluence is busy")));
});

test("dc: an edit between the read and the write asks before overwriting", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, { ...FLAVOURS.dc });
  await obsidian.runCommand("publish-current-note");
  const [page] = await publishedPages(confluence, vault.noteTitle);

  // The note changes; someone edits the page while the plugin publishes it.
  const file = obsidian.app.vault.getFileByPath(vault.notePath);
  await obsidian.app.vault.append(file, "\nA line added in Obsidian.\n");
  const edited = await vault.readNote();
  await confluence.faults({ concurrentEdit: true });
  const sent = (await restRequests(confluence)).length;
  const noticesBefore = await obsidian.startCommand("publish-current-note");

  // A question, not an overwrite.
  const modal = await obsidian.waitForModal({ after: 0 });
  assert.equal(modal.title, "The page was edited in Confluence");
  assert.equal(
    modal.text,
    "The page was edited in Confluence" +
      '"Create a vault" was edited in Confluence since it was last published from this note ' +
      "(the page is at version 2; this note published version 1). Publishing now would " +
      "overwrite those edits: open the page and bring them into the note, or publish again and " +
      "choose to overwrite." +
      "Overwrite: the note's content replaces the page's, and the edits made in Confluence " +
      "remain only in the page's history." +
      "Open pageOverwriteCancel",
  );
  const writes = (await restRequestsSince(confluence, sent)).filter((r) => r.method !== "GET");
  assert.deepEqual(
    writes.map((r) => `${r.method} ${r.status}`),
    ["PUT 409"],
    "the only write should be the stale one Confluence refused",
  );

  // Cancel: the page keeps the edit, the note stays as it is.
  await modal.click("Cancel");
  assert.equal(
    await obsidian.waitForNotice({ after: noticesBefore }),
    "Not published: the page keeps the edits made in Confluence.",
  );
  const [kept] = await publishedPages(confluence, vault.noteTitle);
  assert.equal(kept.version, 2, "the edit made in Confluence should stay the latest version");
  assert.ok(!kept.body.includes("A line added in Obsidian"), "nothing should be overwritten");
  assert.equal(await vault.readNote(), edited, "the note should be untouched");

  // Asked again and told to overwrite: the note wins, as version 3.
  const again = await obsidian.startCommand("publish-current-note");
  const second = await obsidian.waitForModal({ after: 1 });
  await second.click("Overwrite");
  assert.match(await obsidian.waitForNotice({ after: again }), /^Updated "Create a vault"/);
  const [overwritten] = await publishedPages(confluence, vault.noteTitle);
  assert.equal(overwritten.version, 3);
  assert.ok(overwritten.body.includes("A line added in Obsidian"));
  assertNoteIntact(edited, await vault.readNote(), page.id);
});

test("dc: a CAPTCHA after failed logins says to log in once in the browser", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, { ...FLAVOURS.dc });
  const before = await vault.readNote();
  await confluence.faults({ captcha: true });

  const message = await obsidian.runCommand("publish-current-note");

  assert.equal(
    message,
    "Confluence asks for a CAPTCHA after failed logins (403). Log in once in the browser at " +
      `${confluence.baseUrl}, then try again.`,
  );
  assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
  assert.equal(await vault.readNote(), before, "the note should be untouched");
});

test("dc: Test connection meets a CAPTCHA and says to log in once in the browser", async (t) => {
  const { confluence, obsidian } = await startScenario(t, { ...FLAVOURS.dc });
  await confluence.faults({ captcha: true });

  const message = await obsidian.runCommand("test-connection");

  assert.equal(
    message,
    "Confluence asks for a CAPTCHA after failed logins (403). Log in once in the browser at " +
      `${confluence.baseUrl}, then try again.`,
  );
});

for (const flavourName of ["dc", "cloud"]) {
  test(`${flavourName}: a login page in front of Confluence is named`, async (t) => {
    const { confluence, vault, obsidian } = await startScenario(t, { ...FLAVOURS[flavourName] });
    const before = await vault.readNote();
    await confluence.faults({ htmlLogin: true });
    const expected =
      "The server answered with an HTML page instead of Confluence's JSON (status 200). A " +
      "login page, proxy or single sign-on may be in front of Confluence, or the base URL is " +
      "wrong (Cloud addresses end in /wiki; Server may need its context path such as " +
      "/confluence).";

    assert.equal(await obsidian.runCommand("test-connection"), expected);
    assert.equal(await obsidian.runCommand("publish-current-note"), expected);
    assert.deepEqual(await publishedPages(confluence, vault.noteTitle), []);
    assert.equal(await vault.readNote(), before, "the note should be untouched");
  });
}
