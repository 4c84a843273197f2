// "Publish folder" and the file menu: a folder of the Obsidian help with a subfolder, on desktop
// (progress in the status bar) and on mobile (progress in a Notice), and the whole Obsidian help
// vault at once.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { splitFrontmatterOf } from "../harness/frontmatter.mjs";
import { FLAVOURS, restRequests, restRequestsSince, startScenario } from "../harness/scenario.mjs";
import { corpusDir } from "../harness/vault.mjs";

/** The whole corpus takes about ten seconds here; a slow machine gets far more. */
const CORPUS_TIMEOUT_MS = 600_000;

test("the folder command needs an open note; the file menu offers both publishes", async (t) => {
  const { obsidian } = await startScenario(t, {
    ...FLAVOURS.dc,
    vaultFrom: "vault-attachments",
    openNote: false,
  });
  assert.equal(obsidian.isCommandAvailable("publish-folder"), false);
  const command = obsidian.commands().find((c) => c.id === "confluence-publish:publish-folder");
  assert.equal(command.plainName, "Publish folder");
  assert.equal(command.hotkeys, undefined, "should have no default hotkey");
  obsidian.setActiveFile("Field notes.md");
  assert.equal(obsidian.isCommandAvailable("publish-folder"), true);

  assert.deepEqual(obsidian.openFileMenu("Attachments").titles(), ["Publish folder to Confluence"]);
  assert.deepEqual(obsidian.openFileMenu("Field notes.md").titles(), ["Publish to Confluence"]);
  assert.deepEqual(obsidian.openFileMenu("Attachments/Roam-exporting.png").titles(), []);

  // A folder without notes: said so, nothing sent.
  const before = obsidian.notices.length;
  await obsidian.openFileMenu("Attachments").item("Publish folder to Confluence").click();
  assert.match(await obsidian.waitForNotice({ after: before }), /no notes in Attachments/);
});

test("a folder from the file menu: progress in the status bar; again: unchanged", async (t) => {
  const { confluence, vault, obsidian } = await startScenario(t, {
    ...FLAVOURS.dc,
    vaultFrom: corpusDir,
    openNote: false,
  });
  const notes = obsidian.app.vault.getMarkdownFiles().filter((f) => f.path.startsWith("Bases/"));
  assert.equal(notes.length, 10);

  // Publish "Bases" (with its subfolder "Layouts") from the file menu.
  const before = obsidian.notices.length;
  await obsidian.openFileMenu("Bases").item("Publish folder to Confluence").click();
  const notice = await obsidian.waitForNotice({ after: before });
  assert.match(notice, /^Published 10 of 10 notes \(10 created/);
  assert.doesNotMatch(notice, /Failed/);

  // Progress was shown in the status bar, note by note, and is gone.
  const [item, ...others] = obsidian.statusBarItems();
  assert.equal(others.length, 0);
  assert.ok(item.history.includes("Publishing 1 of 10 notes: Bases/Bases syntax.md"));
  assert.ok(item.history.some((text) => /^Publishing 10 of 10 notes: Bases\//.test(text)));
  assert.equal(item.parentElement, null, "the status bar item should be removed at the end");

  // Every note linked to its page; the subfolder has a page listing its notes.
  const pages = await confluence.pages();
  const pageOf = new Map();
  for (const note of notes) {
    const id = await pageIdOf(vault, note.path);
    const page = pages.find((p) => p.id === id);
    assert.ok(page, `${note.path} should be linked to its page`);
    pageOf.set(note.path, page);
  }
  const layouts = pages.find((p) => p.title === "Layouts");
  assert.ok(layouts, "the subfolder should have a page");
  assert.equal(
    pageOf.get("Bases/Layouts/Cards view.md").parentId,
    layouts.id,
    "a note in the subfolder goes under its page",
  );
  await assertAllAccepted(confluence);

  // Again: nothing changed, nothing written.
  const sent = (await restRequests(confluence)).length;
  const againBefore = obsidian.notices.length;
  await obsidian.openFileMenu("Bases").item("Publish folder to Confluence").click();
  const again = await obsidian.waitForNotice({ after: againBefore });
  assert.match(again, /\(0 created, 0 updated, 10 unchanged\)/);
  const writes = (await restRequestsSince(confluence, sent)).filter((r) => r.method !== "GET");
  assert.deepEqual(writes, [], "an unchanged folder should write nothing");
});

test("on mobile the progress is a Notice updated in place, hidden at the end", async (t) => {
  const { obsidian } = await startScenario(t, {
    ...FLAVOURS.cloud,
    vaultFrom: corpusDir,
    openNote: "Bases/Layouts/Map view.md",
  });
  obsidian.setMobile(true);

  const before = await obsidian.startCommand("publish-folder");
  await obsidian.waitForNotice({
    after: before,
    matching: (message) => /^Published 4 of 4 notes/.test(message),
  });
  const [progress, ...others] = obsidian.notices.slice(before);
  assert.equal(others.length, 1, "a progress Notice, then the result");
  assert.ok(progress.history.length > 1, "the progress Notice should be updated in place");
  assert.equal(progress.duration, 0, "the progress Notice stays until hidden");
  assert.ok(progress.history.includes("Publishing 1 of 4 notes: Bases/Layouts/Cards view.md"));
  assert.equal(progress.hidden, true, "the progress Notice should be hidden at the end");
  assert.deepEqual(obsidian.statusBarItems(), [], "mobile has no status bar");
});

test(
  "Data Center: the whole Obsidian help vault, every note a page, every embedded file once",
  { timeout: CORPUS_TIMEOUT_MS },
  async (t) => {
    const { confluence, vault, obsidian } = await startScenario(t, {
      ...FLAVOURS.dc,
      vaultFrom: corpusDir,
      openNote: "Home.md",
    });
    const { app } = obsidian;
    const notes = app.vault.getMarkdownFiles();
    assert.equal(notes.length, 173);
    const seeded = new Set((await confluence.pages()).map((page) => page.id));

    // The folder command on a note at the top of the vault publishes the whole vault.
    const notice = await obsidian.runCommand("publish-folder", { timeoutMs: CORPUS_TIMEOUT_MS });
    const requests = await restRequests(confluence);
    console.log(`publishing the Obsidian help vault took ${requests.length} REST requests`);
    assert.match(notice, /^Published 173 of 173 notes \(173 created/);
    assert.doesNotMatch(notice, /Failed/);
    // Two notes share a file name with a note elsewhere: their titles are made unique.
    assert.match(notice, /Obsidian Sync\/Security and privacy\.md as "Security and privacy \(/);
    assert.match(notice, /Plugins\/Templates\.md as "Templates \(Plugins\)"/);
    await assertAllAccepted(confluence);

    // Every note has its own page; every folder holding notes has one too.
    const pages = (await confluence.pages()).filter((page) => !seeded.has(page.id));
    const byId = new Map(pages.map((page) => [page.id, page]));
    const pageOfNote = new Map();
    for (const note of notes) {
      const page = byId.get(await pageIdOf(vault, note.path));
      assert.ok(page, `${note.path} should be linked to a page it made`);
      pageOfNote.set(note.path, page);
    }
    assert.equal(new Set([...pageOfNote.values()].map((p) => p.id)).size, 173);
    const folders = foldersHoldingNotes(notes);
    assert.equal(pages.length, 173 + folders.size, "a page per note and per folder of notes");

    // Attachments: each on the page of the note that embeds it, each uploaded once.
    const uploads = requests.filter(
      (r) => r.method === "POST" && /\/child\/attachment$/.test(r.path),
    );
    const onPages = pages.reduce((count, page) => count + page.attachments.length, 0);
    assert.equal(uploads.length, onPages, "one upload per attachment");
    let direct = 0;
    for (const note of notes) {
      const page = pageOfNote.get(note.path);
      const own = await embeddedFiles(app, note, { throughEmbeds: false });
      const reachable = await embeddedFiles(app, note, { throughEmbeds: true });
      direct += own.size;
      const attached = page.attachments.map((a) => a.sha256);
      assert.equal(new Set(page.attachments.map((a) => a.fileName)).size, attached.length);
      for (const attachment of page.attachments) assert.equal(attachment.version, 1);
      for (const [filePath, sha] of own) {
        assert.ok(attached.includes(sha), `${note.path}: ${filePath} should be attached`);
      }
      const allowed = new Set(reachable.values());
      for (const attachment of page.attachments) {
        assert.ok(allowed.has(attachment.sha256), `${note.path}: ${attachment.fileName}?`);
      }
    }
    console.log(`${direct} files linked or embedded by the notes themselves; ${onPages} attached`);
    assert.ok(onPages >= direct);
  },
);

/** The page id written into a note's frontmatter, if any. */
async function pageIdOf(vault, notePath) {
  const { frontmatter } = splitFrontmatterOf(await vault.read(notePath));
  const id = frontmatter["confluence-page-id"];
  return id === undefined ? undefined : String(id);
}

/** Every folder (not the vault itself) that holds a note at any depth. */
function foldersHoldingNotes(notes) {
  const folders = new Set();
  for (const note of notes) {
    for (let dir = path.posix.dirname(note.path); dir !== "."; dir = path.posix.dirname(dir)) {
      folders.add(dir);
    }
  }
  return folders;
}

/**
 * The files (not notes) a note links to or embeds that exist, by vault path, with their
 * SHA-256; through the notes it embeds too when `throughEmbeds`. Read from the test Obsidian's
 * metadata cache, as the plugin reads Obsidian's.
 */
async function embeddedFiles(app, note, { throughEmbeds }, seen = new Set()) {
  const files = new Map();
  seen.add(note.path);
  const cache = app.metadataCache.getFileCache(note);
  const references = [
    ...(cache.links ?? []).map((r) => [r, false]),
    ...(cache.embeds ?? []).map((r) => [r, true]),
  ];
  for (const [reference, embedded] of references) {
    const linkpath = reference.link.split("#")[0];
    if (linkpath === "") continue;
    const dest = app.metadataCache.getFirstLinkpathDest(linkpath, note.path);
    if (dest === null) continue;
    if (dest.extension !== "md") {
      const bytes = await fs.readFile(app.vault.diskPath(dest.path));
      files.set(dest.path, crypto.createHash("sha256").update(bytes).digest("hex"));
    } else if (embedded && throughEmbeds && !seen.has(dest.path)) {
      const inner = await embeddedFiles(app, dest, { throughEmbeds }, seen);
      for (const [filePath, sha] of inner) files.set(filePath, sha);
    }
  }
  return files;
}

/** Every REST request followed the OpenAPI document and was accepted. */
async function assertAllAccepted(confluence) {
  for (const request of await restRequests(confluence)) {
    const where = `${request.method} ${request.path} (${request.status})`;
    assert.equal(request.specViolation, null, `${where} should follow the OpenAPI document`);
    assert.ok(request.status < 400, `${where} should be accepted`);
  }
}
