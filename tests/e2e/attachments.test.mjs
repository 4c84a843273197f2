// Attachments and links to published notes, in both kinds of Confluence: a note embedding three
// real images (one twice) and a PDF, and linking to a note published before it. Each file is
// uploaded once, an unchanged note sends nothing, and a changed file is the only one sent again.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { splitFrontmatterOf } from "../harness/frontmatter.mjs";
import { makePdf } from "../harness/pdf.mjs";
import {
  FLAVOURS,
  publishedPages,
  restRequests,
  restRequestsSince,
  startScenario,
} from "../harness/scenario.mjs";
import { corpusDir } from "../harness/vault.mjs";

const NOTE = "Field notes.md";
const LINKED_NOTE = "Status bar.md";
const FILES = {
  "status-bar-desktop.png": "Attachments/status-bar-desktop.png",
  "status-bar-mobile.jpeg": "Attachments/status-bar-mobile.jpeg",
  "Roam-exporting.png": "Attachments/Roam-exporting.png",
  "Report.pdf": "Attachments/Report.pdf",
};

/** The requests of the first publish of NOTE, after the linked note was published. */
const FIRST_PUBLISH = {
  dc: (ids) => [
    `GET /rest/api/content/${ids.linked}`,
    "GET /rest/api/content",
    "POST /rest/api/content",
    `POST /rest/api/content/${ids.page}/label`,
    `POST /rest/api/content/${ids.page}/property`,
    ...Object.keys(FILES).map(() => `POST /rest/api/content/${ids.page}/child/attachment`),
  ],
  cloud: (ids) => [
    `GET /api/v2/pages/${ids.linked}`,
    "GET /api/v2/spaces",
    "GET /api/v2/pages",
    "POST /api/v2/pages",
    `POST /rest/api/content/${ids.page}/label`,
    `POST /api/v2/pages/${ids.page}/properties`,
    ...Object.keys(FILES).map(() => `POST /rest/api/content/${ids.page}/child/attachment`),
  ],
};

for (const [name, flavour] of Object.entries(FLAVOURS)) {
  test(`${name}: three images, a PDF, a link: each file once, then only a change`, async (t) => {
    const { confluence, vault, obsidian } = await startScenario(t, {
      ...flavour,
      vaultFrom: "vault-attachments",
      openNote: LINKED_NOTE,
      prepareVault: (copy) => copy.write(FILES["Report.pdf"], makePdf("Field report, page 1")),
    });
    const basePath = new URL(confluence.baseUrl).pathname.replace(/\/$/, "");
    const sent = (requests) =>
      requests.map((request) => `${request.method} ${request.path.slice(basePath.length)}`);

    // The linked note first: it gets a page (and its own image).
    const linkedNotice = await obsidian.runCommand("publish-current-note");
    const [linked] = await publishedPages(confluence, "Status bar");
    assert.ok(linked, `should publish ${LINKED_NOTE}: ${linkedNotice}`);

    // The note: one request after another, exactly as planned.
    obsidian.setActiveFile(NOTE);
    const before = (await restRequests(confluence)).length;
    const notice = await obsidian.runCommand("publish-current-note");
    const [page] = await publishedPages(confluence, "Field notes");
    assert.ok(page, `should create the page: ${notice}`);
    const firstRequests = await restRequestsSince(confluence, before);
    assert.deepEqual(
      sent(firstRequests),
      FIRST_PUBLISH[name]({ linked: linked.id, page: page.id }),
    );
    for (const request of firstRequests) {
      const where = `${request.method} ${request.path}`;
      assert.equal(request.specViolation, null, `${where} should follow the OpenAPI document`);
      assert.equal(request.authScheme, flavour.authScheme);
      assert.ok(request.status < 300, `${where} answered ${request.status}`);
    }
    assert.match(notice, /uploaded 4 files/);

    // Each file once, with its real bytes; the link names the other page.
    const expected = await hashes(vault.vaultDir);
    assert.equal(page.attachments.length, Object.keys(FILES).length, "each file once");
    assert.deepEqual(attachmentsOf(page), expected);
    for (const attachment of page.attachments) assert.equal(attachment.version, 1);
    assert.deepEqual(page.missingAttachments, []);
    assert.match(
      page.body,
      /<ac:link[^>]*><ri:page ri:content-title="Status bar"\/>/,
      "the link to the published note should be an ac:link to its page",
    );
    const { frontmatter } = splitFrontmatterOf(await vault.read(NOTE));
    assert.equal(String(frontmatter["confluence-page-id"]), page.id);

    // Unchanged: nothing uploaded, no new version.
    const beforeUnchanged = (await restRequests(confluence)).length;
    const unchanged = await obsidian.runCommand("publish-current-note");
    assert.match(unchanged, /^Unchanged/);
    const unchangedRequests = await restRequestsSince(confluence, beforeUnchanged);
    assert.deepEqual(
      unchangedRequests.filter((request) => request.method !== "GET").map((r) => r.path),
      [],
      "an unchanged note should upload nothing and write nothing",
    );
    assert.equal((await publishedPages(confluence, "Field notes"))[0].version, 1);

    // One image changed in the vault: only it is sent, as a new version of its attachment.
    const changed = "Roam-exporting.png";
    const replacement = await fs.readFile(
      path.join(corpusDir, "Attachments", "Style-guide-zoomed-example.png"),
    );
    const file = obsidian.app.vault.getFileByPath(FILES[changed]);
    await obsidian.app.vault.modifyBinary(file, toArrayBuffer(replacement));
    const beforeChange = (await restRequests(confluence)).length;
    const afterChange = await obsidian.runCommand("publish-current-note");
    assert.match(afterChange, /uploaded 1 file/);
    const oldAttachment = page.attachments.find((a) => a.fileName === changed);
    const writes = (await restRequestsSince(confluence, beforeChange)).filter(
      (request) => request.method !== "GET",
    );
    assert.deepEqual(sent(writes), [
      `POST /rest/api/content/${page.id}/child/attachment/${oldAttachment.id}/data`,
    ]);
    const [updated] = await publishedPages(confluence, "Field notes");
    const newAttachment = updated.attachments.find((a) => a.fileName === changed);
    assert.equal(newAttachment.sha256, sha256(replacement));
    assert.equal(newAttachment.version, 2);
    assert.deepEqual(attachmentsOf(updated), await hashes(vault.vaultDir));
    assert.equal(updated.version, 1, "a new file version is not a new page version");
  });
}

/** `{fileName: sha256}` of the files the note embeds, from the vault on disk. */
async function hashes(vaultDir) {
  const entries = await Promise.all(
    Object.entries(FILES).map(async ([fileName, vaultPath]) => [
      fileName,
      sha256(await fs.readFile(path.join(vaultDir, vaultPath))),
    ]),
  );
  return Object.fromEntries(entries);
}

function attachmentsOf(page) {
  return Object.fromEntries(page.attachments.map((a) => [a.fileName, a.sha256]));
}

function sha256(bytes) {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

function toArrayBuffer(buffer) {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}
