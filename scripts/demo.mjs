// `make demo`: publishes a real note from the Obsidian help through the built main.js to the
// local Confluence emulator, three times: new (version 1), again unchanged (no new version),
// and after a line was appended to the note (version 2). First as Data Center with a personal
// access token, then as Cloud with an email and API token. Needs main.js (`npm run build`) and
// the emulator (`cargo build -p confluence-emulator`). Prints addresses and versions, never a
// token (data.json names the secret that holds it; the secret is in secret storage).
//
// `node scripts/demo.mjs --keep` leaves each emulator running until Enter is pressed, so the
// printed addresses can be opened in a browser.

import { startEmulator } from "../tests/harness/emulator.mjs";
import { loadPlugin } from "../tests/harness/load-plugin.mjs";
import { ADA, SECRET_IDS } from "../tests/harness/scenario.mjs";
import { makeVault } from "../tests/harness/vault.mjs";
import readline from "node:readline/promises";

const NOTE = "Getting started/Create a vault.md";
const keep = process.argv.includes("--keep");

const RUNS = [
  {
    label: "Confluence Data Center",
    flavor: "dc",
    settings: {
      deployment: "datacenter",
      usePersonalAccessToken: true,
      personalAccessTokenSecret: SECRET_IDS.personalAccessToken,
    },
    secrets: { [SECRET_IDS.personalAccessToken]: ADA.personalAccessToken },
    authentication: "personal access token (Authorization: Bearer)",
    scheme: "Bearer",
  },
  {
    label: "Confluence Cloud",
    flavor: "cloud",
    settings: {
      deployment: "cloud",
      usePersonalAccessToken: false,
      username: ADA.email,
      apiTokenSecret: SECRET_IDS.apiToken,
    },
    secrets: { [SECRET_IDS.apiToken]: ADA.apiToken },
    authentication: `email ${ADA.email} and API token (Authorization: Basic)`,
    scheme: "Basic",
  },
];

for (const run of RUNS) await demo(run);

async function demo({ label, flavor, settings, secrets, authentication, scheme }) {
  console.log(`\n== ${label} ==`);
  const confluence = await startEmulator({ flavor });
  const vault = await makeVault({ note: NOTE });
  try {
    console.log(`emulator:  ${confluence.baseUrl}`);
    console.log(`note:      ${NOTE} (a copy in ${vault.vaultDir})`);
    const obsidian = await loadPlugin({
      vaultDir: vault.vaultDir,
      data: { baseUrl: confluence.baseUrl, spaceKey: "DOCS", parentPageId: "", ...settings },
      secrets,
    });
    obsidian.setActiveFile(vault.notePath);

    const steps = [
      { attempt: "first publish", version: 1 },
      { attempt: "second publish, nothing changed: no new version", version: 1 },
      {
        attempt: "third publish, after appending a line to the note",
        before: () => appendLine(obsidian, vault.notePath),
        version: 2,
      },
    ];
    let lastUrl = "";
    for (const { attempt, before, version } of steps) {
      if (before) console.log(`\n${await before()}`);
      const notice = await obsidian.runCommand("publish-current-note");
      const page = (await confluence.pages()).find((p) => p.title === vault.noteTitle);
      if (!page) throw new Error(`publishing failed: ${notice}`);
      if (page.version !== version)
        throw new Error(`expected version ${version}, the page is at ${page.version}: ${notice}`);
      const schemes = [
        ...new Set((await confluence.requests()).map((r) => r.authScheme).filter(Boolean)),
      ];
      if (schemes.join() !== scheme)
        throw new Error(`expected ${scheme} only, the emulator saw ${schemes.join(", ")}`);
      console.log(`\n${attempt}:`);
      console.log(`  notice:  ${notice.replace(/\n/g, "\n           ")}`);
      console.log(
        `  page:    ${page.id} "${page.title}" in space ${page.spaceKey}, version ${page.version}`,
      );
      lastUrl = pageUrl(notice) ?? "(none in the notice)";
      console.log(`  url:     ${lastUrl}`);
      console.log(`  auth:    authenticated by ${authentication}; the emulator saw ${scheme} only`);
    }
    console.log(`\nHTML view: ${lastUrl} (the page), ${confluence.baseUrl}/ (every space)`);
    await obsidian.unload();
    if (keep) await pressEnter(`Open them now; press Enter to stop the ${label} emulator.`);
  } finally {
    await confluence.stop();
    await vault.remove();
  }
}

/** Appends a line to the note through the vault, as typing would; says what it did. */
async function appendLine(obsidian, notePath) {
  const line = `Edited for the demo at ${new Date().toISOString()}.`;
  await obsidian.app.vault.append(obsidian.app.vault.getFileByPath(notePath), `\n${line}\n`);
  return `appended to ${notePath}: "${line}"`;
}

async function pressEnter(prompt) {
  const terminal = readline.createInterface({ input: process.stdin, output: process.stdout });
  await terminal.question(prompt);
  terminal.close();
}

function pageUrl(message) {
  return /https?:\/\/\S+/.exec(message)?.[0]?.replace(/[.,)]+$/, "");
}
