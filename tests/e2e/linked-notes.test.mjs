// "Links to unpublished notes": publishing a note with the notes it links to that have no page
// yet, one level or all levels, under the note's page or beside it; the note's page links to
// theirs by title, and every published note gets its page id.

import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { assertNoteIntact, splitFrontmatterOf } from "../harness/frontmatter.mjs";
import { FLAVOURS, startScenario } from "../harness/scenario.mjs";

/**
 * A trip plan linking two notes, one of which links a third, and embedding a note that links a
 * fourth; "Route" gets published first.
 */
const NOTES = {
  "Trip plan.md":
    "# Trip plan\n\nSee [[Packing list]] and [[Route|the route]].\n\n" +
    "An embedded note is published in place:\n\n![[Budget]]\n",
  "Gear/Packing list.md": "Bring boots. Check the [[Weather]] first.\n",
  "Route.md": "North along the coast, then east.\n",
  "Weather.md": "Rain, mostly.\n",
  "Budget.md": "Small, in [[Currency]].\n",
  "Currency.md": "Euros.\n",
};

async function tripScenario(t, settings) {
  const scenario = await startScenario(t, {
    ...FLAVOURS.dc,
    settings: { ...FLAVOURS.dc.settings, ...settings },
    openNote: false,
    prepareVault: async (vault) => {
      for (const [notePath, text] of Object.entries(NOTES)) {
        await fs.mkdir(path.dirname(path.join(vault.vaultDir, notePath)), { recursive: true });
        await fs.writeFile(path.join(vault.vaultDir, notePath), text);
      }
    },
  });
  const read = (notePath) => fs.readFile(path.join(scenario.vault.vaultDir, notePath), "utf8");
  const pageIdOf = async (notePath) =>
    String(splitFrontmatterOf(await read(notePath)).frontmatter["confluence-page-id"]);
  const pages = async () => {
    const byTitle = {};
    for (const page of await scenario.confluence.pages()) byTitle[page.title] = page;
    return byTitle;
  };

  // "Route" has its page already: it is linked to, not published again.
  scenario.obsidian.setActiveFile("Route.md");
  await scenario.obsidian.runCommand("publish-current-note");
  scenario.obsidian.setActiveFile("Trip plan.md");
  return { ...scenario, read, pageIdOf, pages };
}

test("one level, under the note's page: the linked notes become its child pages", async (t) => {
  const { confluence, obsidian, read, pageIdOf, pages } = await tripScenario(t, {
    unpublishedLinks: "publishOneLevel",
    linkedNotesPlacement: "under",
  });
  const before = {};
  for (const notePath of Object.keys(NOTES)) before[notePath] = await read(notePath);

  const message = await obsidian.runCommand("publish-current-note");

  // The note's page, and under it the notes its page links to ("Currency" through the embedded
  // note); "Weather" is two links away.
  const byTitle = await pages();
  const trip = byTitle["Trip plan"];
  const packing = byTitle["Packing list"];
  const currency = byTitle["Currency"];
  assert.ok(trip && packing && currency, `the pages should exist: ${message}`);
  assert.equal(packing.parentId, trip.id, "the linked note goes under the note's page");
  assert.equal(currency.parentId, trip.id, "so does a note linked from an embedded note");
  assert.equal(byTitle["Weather"], undefined, "one level only");
  assert.equal(byTitle["Budget"], undefined, "an embedded note is published in place");
  assert.equal(byTitle["Route"].version, 1, "a note with a page is not published again");
  assert.equal(
    message,
    `Created "Trip plan" (version 1): ${confluence.baseUrl}/pages/viewpage.action?pageId=` +
      `${trip.id}\nPublished 2 linked notes with it: "Packing list", "Currency".`,
  );

  // The note's page links to both pages by title.
  assert.match(trip.body, /<ri:page ri:content-title="Packing list"/);
  assert.match(trip.body, /<ri:page ri:content-title="Route"/);
  assert.match(trip.body, /<ri:page ri:content-title="Currency"/);
  assert.match(trip.body, /Small, in /, "the embedded note is in the page");

  // Every published note knows its page; nothing else in the notes changed.
  assertNoteIntact(before["Trip plan.md"], await read("Trip plan.md"), trip.id);
  assertNoteIntact(before["Gear/Packing list.md"], await read("Gear/Packing list.md"), packing.id);
  assertNoteIntact(before["Currency.md"], await read("Currency.md"), currency.id);
  assert.equal(await read("Budget.md"), before["Budget.md"], "an embedded note is not linked");
  assert.equal(await read("Weather.md"), before["Weather.md"]);
  assert.equal(await pageIdOf("Route.md"), byTitle["Route"].id);

  // Published again: one plain publish, nothing new.
  assert.match(await obsidian.runCommand("publish-current-note"), /^Unchanged/);
  assert.equal(Object.keys(await pages()).length, Object.keys(byTitle).length);
});

test("all levels, beside the note's page: linked notes of linked notes too", async (t) => {
  const { obsidian, pages, pageIdOf } = await tripScenario(t, {
    unpublishedLinks: "publishAllLevels",
    linkedNotesPlacement: "beside",
  });

  const message = await obsidian.runCommand("publish-current-note");

  const byTitle = await pages();
  const trip = byTitle["Trip plan"];
  for (const title of ["Packing list", "Currency", "Weather"]) {
    assert.ok(byTitle[title], `"${title}" should be published: ${message}`);
    assert.equal(byTitle[title].parentId, trip.parentId, `"${title}" goes beside the note`);
  }
  assert.match(byTitle["Packing list"].body, /<ri:page ri:content-title="Weather"/);
  assert.equal(await pageIdOf("Weather.md"), byTitle["Weather"].id);
  assert.match(message, /^Created "Trip plan"/);
  assert.match(
    message,
    /\nPublished 3 linked notes with it: "Packing list", "Currency", "Weather"\.$/,
  );
});

test("kept as plain text (the default): only the note is published", async (t) => {
  const { obsidian, pages } = await tripScenario(t, {});

  const message = await obsidian.runCommand("publish-current-note");

  const byTitle = await pages();
  assert.ok(byTitle["Trip plan"]);
  assert.equal(byTitle["Packing list"], undefined, `should publish nothing else: ${message}`);
  assert.match(message, /\nUnresolved links: Packing list, Currency\.$/);
});

test("at most 50 linked notes are published with a note", async (t) => {
  const names = Array.from(
    { length: 60 },
    (_, index) => `Topic ${String(index + 1).padStart(2, "0")}`,
  );
  const { confluence, obsidian } = await startScenario(t, {
    ...FLAVOURS.dc,
    settings: { ...FLAVOURS.dc.settings, unpublishedLinks: "publishAllLevels" },
    openNote: "Hub.md",
    prepareVault: async (vault) => {
      const links = names.map((name) => `- [[${name}]]`).join("\n");
      await fs.writeFile(path.join(vault.vaultDir, "Hub.md"), `# Hub\n\n${links}\n`);
      for (const name of names) {
        await fs.writeFile(path.join(vault.vaultDir, `${name}.md`), `About ${name}.\n`);
      }
    },
  });

  const message = await obsidian.runCommand("publish-current-note", { timeoutMs: 120_000 });

  const titles = (await confluence.pages()).map((page) => page.title);
  const topics = titles.filter((title) => title.startsWith("Topic "));
  assert.deepEqual(topics.sort(), names.slice(0, 50), "the first 50 linked notes, in link order");
  assert.match(message, /\nPublished 50 linked notes with it: "Topic 01", .* and 45 more\.$/);
});

/** "Trip plan" with its title taken by another note's page; the user links it to that page. */
async function takenTitleScenario(t) {
  const scenario = await tripScenario(t, { unpublishedLinks: "publishOneLevel" });
  const { obsidian, vault } = scenario;
  const rival = "---\nconfluence-title: Trip plan\n---\nAnother plan.\n";
  await fs.writeFile(path.join(vault.vaultDir, "Rival.md"), rival);
  obsidian.setActiveFile("Rival.md");
  await obsidian.runCommand("publish-current-note");
  obsidian.setActiveFile("Trip plan.md");

  const before = await obsidian.startCommand("publish-current-note");
  const modal = await obsidian.waitForModal({ after: 0 });
  assert.equal(modal.title, "There is already a page with this title");
  await modal.click("Link to that page and publish");
  const message = await obsidian.waitForNotice({ after: before });
  return { ...scenario, message, pages: await scenario.pages() };
}

test("a taken title asks first; linked to it, the note and its links are published", async (t) => {
  const { message, pages, pageIdOf } = await takenTitleScenario(t);

  const trip = pages["Trip plan"];
  assert.equal(trip.version, 2, `the existing page gets the note: ${message}`);
  assert.match(message, /^Updated "Trip plan" \(version 2\)/);
  assert.match(trip.body, /<ri:page ri:content-title="Packing list"/);
  assert.equal(await pageIdOf("Trip plan.md"), trip.id);
  assert.equal(await pageIdOf("Gear/Packing list.md"), pages["Packing list"].id);
});

test("a taken title asks first; the linked notes still go under the note's page", async (t) => {
  const { pages } = await takenTitleScenario(t);
  assert.equal(pages["Packing list"].parentId, pages["Trip plan"].id);
});
