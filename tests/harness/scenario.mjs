// One e2e scenario: an emulator, a temp vault with a real note, and the built plugin loaded in
// the test Obsidian with the given settings. Everything is torn down when the test ends.

import { startEmulator } from "./emulator.mjs";
import { loadPlugin } from "./load-plugin.mjs";
import { makeVault } from "./vault.mjs";

/** Where the plugin keeps its tokens in secret storage. */
export const SECRET_IDS = Object.freeze({
  personalAccessToken: "confluence-publish-personal-access-token",
  apiToken: "confluence-publish-api-token",
});

/** The emulator's default seed. */
export const ADA = Object.freeze({
  displayName: "Ada Lovelace",
  email: "ada@example.com",
  personalAccessToken: "pat-ada-0001",
  apiToken: "api-ada-0001",
});

/**
 * @param {import("node:test").TestContext} t
 * @param {object} options
 * @param {"dc" | "cloud"} [options.flavor]
 * @param {boolean} [options.anonymousAccess]
 * @param {string} [options.contextPath]  Data Center context path, e.g. "/confluence"
 * @param {object} [options.settings]  data.json fields besides baseUrl (which points at the emulator)
 * @param {{personalAccessToken?: string, apiToken?: string}} [options.tokens]  put in secret storage
 * @param {boolean} [options.openNote]  make the copied note the active file (default true)
 */
export async function startScenario(
  t,
  {
    flavor = "dc",
    anonymousAccess = false,
    contextPath,
    settings = {},
    tokens = {},
    openNote = true,
  },
) {
  const confluence = await startEmulator({ flavor, anonymousAccess, contextPath });
  t.after(() => confluence.stop());
  const vault = await makeVault();
  t.after(() => vault.remove());

  const secrets = {};
  for (const [name, value] of Object.entries(tokens)) secrets[SECRET_IDS[name]] = value;
  const obsidian = await loadPlugin({
    vaultDir: vault.vaultDir,
    data: {
      baseUrl: confluence.baseUrl,
      spaceKey: "DOCS",
      parentPageId: "",
      deployment: "auto",
      ...settings,
    },
    secrets,
  });
  t.after(() => obsidian.unload());
  if (openNote) obsidian.setActiveFile(vault.notePath);
  return { confluence, vault, obsidian };
}

/** The REST requests of the emulator's log (not its inspection endpoints, not page views in a browser). */
export async function restRequests(confluence) {
  const isRest = (request) =>
    /\/rest\/|\/api\/v2\//.test(request.path) && !request.path.startsWith("/__emulator");
  return (await confluence.requests()).filter(isRest);
}

/** Pages other than the seeded space home pages. */
export async function publishedPages(confluence, title) {
  return (await confluence.pages()).filter((page) => page.title === title);
}
