// One e2e scenario: an emulator, a temp vault with a real note, and the built plugin loaded in
// the test Obsidian with the given settings. Everything is torn down when the test ends.

import { startEmulator } from "./emulator.mjs";
import { loadPlugin } from "./load-plugin.mjs";
import { copyVault, makeVault } from "./vault.mjs";

/**
 * The names of the secrets scenarios keep tokens under (the names the plugin itself used before
 * secrets could be picked, and moves a token from an older data.json to).
 */
export const SECRET_IDS = Object.freeze({
  personalAccessToken: "confluence-publish-personal-access-token",
  apiToken: "confluence-publish-api-token",
});

/** The data.json field naming each token's secret. */
export const SECRET_NAME_FIELDS = Object.freeze({
  personalAccessToken: "personalAccessTokenSecret",
  apiToken: "apiTokenSecret",
});

/** The emulator's default seed. */
export const ADA = Object.freeze({
  displayName: "Ada Lovelace",
  email: "ada@example.com",
  personalAccessToken: "pat-ada-0001",
  apiToken: "api-ada-0001",
});

/**
 * The two kinds of Confluence with Ada's credentials: the scenario options for each, the
 * scheme the emulator should see, and the header another client would send as Ada.
 */
export const FLAVOURS = Object.freeze({
  dc: Object.freeze({
    flavor: "dc",
    settings: { usePersonalAccessToken: true },
    tokens: { personalAccessToken: ADA.personalAccessToken },
    authScheme: "Bearer",
    authorization: `Bearer ${ADA.personalAccessToken}`,
  }),
  cloud: Object.freeze({
    flavor: "cloud",
    settings: { deployment: "cloud", usePersonalAccessToken: false, username: ADA.email },
    tokens: { apiToken: ADA.apiToken },
    authScheme: "Basic",
    authorization: `Basic ${Buffer.from(`${ADA.email}:${ADA.apiToken}`).toString("base64")}`,
  }),
});

/**
 * @param {import("node:test").TestContext} t
 * @param {object} options
 * @param {"dc" | "cloud"} [options.flavor]
 * @param {boolean} [options.anonymousAccess]
 * @param {string} [options.contextPath]  Data Center context path, e.g. "/confluence"
 * @param {string} [options.version]  Data Center release, e.g. "7.4.0"
 * @param {boolean} [options.basicAuthDisabled]
 * @param {object} [options.seed]  the emulator's users and spaces (see seed.example.json)
 * @param {object} [options.settings]  data.json fields besides baseUrl (the emulator's)
 * @param {{personalAccessToken?: string, apiToken?: string}} [options.tokens]  secret storage,
 *   each under SECRET_IDS and named in data.json
 * @param {boolean | string} [options.openNote]  make the copied note (or this vault path) the
 *   active file (default true)
 * @param {string} [options.vaultFrom]  copy this fixture (or absolute folder) as the vault
 *   instead of the default note
 * @param {(vault: object) => Promise<void>} [options.prepareVault]  runs before the plugin loads
 */
export async function startScenario(
  t,
  {
    flavor = "dc",
    anonymousAccess = false,
    contextPath,
    version,
    basicAuthDisabled = false,
    seed,
    settings = {},
    tokens = {},
    openNote = true,
    vaultFrom,
    prepareVault,
  },
) {
  const confluence = await startEmulator({
    flavor,
    anonymousAccess,
    contextPath,
    version,
    basicAuthDisabled,
    seed,
  });
  t.after(() => confluence.stop());
  const vault = vaultFrom === undefined ? await makeVault() : await copyVault(vaultFrom);
  t.after(() => vault.remove());
  if (prepareVault) await prepareVault(vault);

  const secrets = {};
  const secretNames = { personalAccessTokenSecret: "", apiTokenSecret: "" };
  for (const [name, value] of Object.entries(tokens)) {
    secrets[SECRET_IDS[name]] = value;
    secretNames[SECRET_NAME_FIELDS[name]] = SECRET_IDS[name];
  }
  const obsidian = await loadPlugin({
    vaultDir: vault.vaultDir,
    data: {
      baseUrl: confluence.baseUrl,
      spaceKey: "DOCS",
      parentPageId: "",
      deployment: "auto",
      ...secretNames,
      ...settings,
    },
    secrets,
  });
  t.after(() => obsidian.unload());
  if (typeof openNote === "string") obsidian.setActiveFile(openNote);
  else if (openNote && vault.notePath) obsidian.setActiveFile(vault.notePath);
  return { confluence, vault, obsidian };
}

/** The REST requests of the emulator's log (not inspection endpoints, not page views). */
export async function restRequests(confluence) {
  const isRest = (request) =>
    /\/rest\/|\/api\/v2\//.test(request.path) && !request.path.startsWith("/__emulator");
  return (await confluence.requests()).filter(isRest);
}

/** The REST requests after the first `count` of them. */
export async function restRequestsSince(confluence, count) {
  return (await restRequests(confluence)).slice(count);
}

/** Pages other than the seeded space home pages. */
export async function publishedPages(confluence, title) {
  return (await confluence.pages()).filter((page) => page.title === title);
}
