// The settings tab in a real browser: headless Chromium (Debian's `chromium`) driven by
// playwright-core loads the BUILT main.js into a fake Obsidian that renders real DOM
// (page/obsidian-fake.js), flips "Use personal access token", tests the connection against the
// emulator, and saves screenshots to build/screenshots/ (or $SCREENSHOTS_DIR; the README shows
// copies kept in docs/screenshots/, refreshed with `make screenshots`).
//
// Skipped, with the reason, when there is no Chromium at /usr/bin/chromium.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { startEmulator } from "../harness/emulator.mjs";
import { repoRoot } from "../harness/load-plugin.mjs";
import { ADA } from "../harness/scenario.mjs";
import { startPageServer } from "./server.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(repoRoot, "build", "screenshots");
const PAT_SECRET = "confluence-pat";
const API_SECRET = "confluence-api-token";

const skip = fs.existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: install Debian's "chromium" package (.ci/run does)`;

test("settings tab in Chromium: the toggle, Test connection, screenshots", { skip }, async (t) => {
  const confluence = await startEmulator({ flavor: "dc" });
  t.after(() => confluence.stop());
  const server = await startPageServer();
  t.after(() => server.close());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(server.origin);

  // The plugin, loaded with a personal access token that works and an API token that does not.
  const commands = await page.evaluate((options) => window.startPlugin(options), {
    data: {
      baseUrl: confluence.baseUrl,
      spaceKey: "DOCS",
      usePersonalAccessToken: true,
      personalAccessTokenSecret: PAT_SECRET,
      username: ADA.email,
      apiTokenSecret: API_SECRET,
    },
    secrets: { [PAT_SECRET]: ADA.personalAccessToken, [API_SECRET]: "not-the-api-token" },
  });
  assert.ok(commands.includes("Copy page link"), `commands: ${commands.join(", ")}`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const settings = page.locator(".modal.mod-settings");
  const row = (name) =>
    page.locator(".setting-item").filter({
      has: page.locator(".setting-item-name", { hasText: new RegExp(`^${name}$`) }),
    });
  const visible = async (names) =>
    Object.fromEntries(await Promise.all(names.map(async (n) => [n, await row(n).isVisible()])));
  const AUTH_ROWS = ["Personal access token", "Atlassian username", "Atlassian API token"];
  const result = page.locator(".confluence-publish-test-result");
  const testConnection = async () => {
    await row("Test connection").getByRole("button", { name: "Test connection" }).click();
    await page.waitForFunction(
      () =>
        !document
          .querySelector(".confluence-publish-test-result")
          ?.textContent?.includes("Testing"),
    );
    await page.waitForSelector(".confluence-publish-test-result:is(.is-success, .is-error)");
    await page.evaluate(() => document.querySelectorAll(".notice").forEach((n) => n.remove()));
  };

  // PAT on: only the token's row, and the test passes as Ada.
  assert.deepEqual(await visible(AUTH_ROWS), {
    "Personal access token": true,
    "Atlassian username": false,
    "Atlassian API token": false,
  });
  await testConnection();
  assert.equal(await result.getAttribute("class"), "confluence-publish-test-result is-success");
  assert.match(await result.innerText(), new RegExp(ADA.displayName));
  await settings.screenshot({ path: path.join(SCREENSHOTS, "settings-pat-on.png") });

  // PAT off: the username and API token rows instead, saved at once.
  const toggle = row("Use personal access token").locator(".checkbox-container");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-checked"), "false");
  assert.deepEqual(await visible(AUTH_ROWS), {
    "Personal access token": false,
    "Atlassian username": true,
    "Atlassian API token": true,
  });
  const saved = await page.evaluate(() => window.pluginApp.data);
  assert.equal(saved.usePersonalAccessToken, false);
  assert.equal(JSON.stringify(saved).includes(ADA.personalAccessToken), false);
  await page.evaluate(() => {
    const el = document.querySelector(".confluence-publish-test-result");
    el.replaceChildren();
    el.className = "confluence-publish-test-result";
  });
  await settings.screenshot({ path: path.join(SCREENSHOTS, "settings-pat-off.png") });

  // With a wrong API token, the test fails and says why, under the button.
  await testConnection();
  assert.equal(await result.getAttribute("class"), "confluence-publish-test-result is-error");
  const failure = await result.innerText();
  assert.match(failure, /401|did not accept/i);
  assert.equal(failure.includes("not-the-api-token"), false, "the token must not be shown");
  await settings.screenshot({ path: path.join(SCREENSHOTS, "settings-test-failed.png") });

  assert.deepEqual(pageErrors, []);
  console.log(`screenshots in ${SCREENSHOTS}:`);
  for (const name of fs.readdirSync(SCREENSHOTS).sort()) {
    console.log(`  ${name} (${fs.statSync(path.join(SCREENSHOTS, name)).size} bytes)`);
  }
});
