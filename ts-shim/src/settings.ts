// The plugin's settings: what data.json holds, how old data is read, and what the core receives.
//
// Tokens are not settings here. Obsidian's secret storage keeps them on the device; data.json
// (which syncs with the vault) keeps only the NAME of the secret the user picked for each, and
// the token is read from storage when a flow is built (toCoreSettings). An older data.json that
// held a token in plain text has it moved to secret storage and erased from the file.

import type { CoreSettings, Deployment } from "./core/types";

/** What "Links to unpublished notes" does with links to notes that have no page yet. */
export type UnpublishedLinks = "text" | "publishOneLevel" | "publishAllLevels";

/** Where notes published because the note links to them go: under its page, or beside it. */
export type LinkedNotesPlacement = "under" | "beside";

/** Everything data.json holds. */
export interface PluginSettings {
  /** "Confluence base URL": https://confluence.example.com or https://site.atlassian.net/wiki. */
  baseUrl: string;
  /** "Kind of Confluence"; "auto" decides by the host name. */
  deployment: Deployment;
  /** "Use personal access token": on for Server / Data Center, off for Cloud. */
  usePersonalAccessToken: boolean;
  /** "Personal access token": the name of the secret that holds it, never the token. */
  personalAccessTokenSecret: string;
  /** "Atlassian username": the account's email, used when the toggle is off. */
  username: string;
  /** "Atlassian API token": the name of the secret that holds it, never the token. */
  apiTokenSecret: string;
  /** "Space key", e.g. DOCS. */
  spaceKey: string;
  /** "Parent page ID"; empty puts new pages at the top level of the space. */
  parentPageId: string;
  /** "Links to unpublished notes". */
  unpublishedLinks: UnpublishedLinks;
  /** "Place linked notes". */
  linkedNotesPlacement: LinkedNotesPlacement;
  /** "Allow unencrypted http": credentials may go over http:// to another machine. */
  allowInsecureHttp: boolean;
  /** "Labels from tags": the note's tags become page labels. */
  labelsFromTags: boolean;
  /** "Protect edits made in Confluence": ask before overwriting them. */
  protectRemoteEdits: boolean;
  /** "Data Center 8.0 to 8.2 code blocks". */
  dataCenterCdataWorkaround: boolean;
  /** "Debug logging": one console.debug line per request (method, address, status, time). */
  debugLogging: boolean;
}

/** The tokens, read from secret storage, never from data.json. */
export interface Secrets {
  personalAccessToken: string;
  apiToken: string;
}

/** The settings field that names the secret of each token. */
export const SECRET_NAME_FIELDS: Readonly<Record<keyof Secrets, SecretNameField>> = Object.freeze({
  personalAccessToken: "personalAccessTokenSecret",
  apiToken: "apiTokenSecret",
});

export type SecretNameField = "personalAccessTokenSecret" | "apiTokenSecret";

/**
 * The secret names this plugin used before the user could pick one, and the names a token
 * moved out of an older data.json is stored under (lowercase letters, digits, dashes).
 */
export const SECRET_IDS: Readonly<Record<keyof Secrets, string>> = Object.freeze({
  personalAccessToken: "confluence-publish-personal-access-token",
  apiToken: "confluence-publish-api-token",
});

/** The most notes "Links to unpublished notes" adds to one publish. */
export const MAX_LINKED_NOTES = 50;

/** A fresh install: everything empty or off, the kind of Confluence chosen automatically. */
export const DEFAULT_SETTINGS: Readonly<PluginSettings> = Object.freeze({
  baseUrl: "",
  deployment: "auto",
  usePersonalAccessToken: true,
  personalAccessTokenSecret: "",
  username: "",
  apiTokenSecret: "",
  spaceKey: "",
  parentPageId: "",
  unpublishedLinks: "text",
  linkedNotesPlacement: "under",
  labelsFromTags: true,
  protectRemoteEdits: true,
  allowInsecureHttp: false,
  dataCenterCdataWorkaround: false,
  debugLogging: false,
});

/** What migrateSettings made of data.json. */
export interface MigratedSettings {
  settings: PluginSettings;
  /** Tokens that an older data.json held in plain text: move them to secret storage. */
  strayTokens: Partial<Secrets>;
  /** True when data.json held something the settings do not keep as it was: write it again. */
  changed: boolean;
}

/**
 * Settings from whatever data.json held: missing or ill-typed fields take their defaults,
 * unknown fields are dropped, and tokens found in it are handed back to be moved to secret
 * storage. A data.json written before secrets had names gets the names that version used.
 */
export function migrateSettings(stored: unknown): MigratedSettings {
  const raw = isRecord(stored) ? stored : {};
  const olderShape = isRecord(stored) && !("personalAccessTokenSecret" in raw);
  const secretName = (key: keyof Secrets): string => {
    const field = SECRET_NAME_FIELDS[key];
    const named = stringField(raw, field, "").trim();
    return named === "" && olderShape ? SECRET_IDS[key] : named;
  };
  const settings: PluginSettings = {
    baseUrl: stringField(raw, "baseUrl", DEFAULT_SETTINGS.baseUrl).trim(),
    deployment: deploymentField(raw),
    usePersonalAccessToken: booleanField(raw, "usePersonalAccessToken"),
    personalAccessTokenSecret: secretName("personalAccessToken"),
    username: stringField(raw, "username", DEFAULT_SETTINGS.username).trim(),
    apiTokenSecret: secretName("apiToken"),
    spaceKey: stringField(raw, "spaceKey", DEFAULT_SETTINGS.spaceKey).trim(),
    parentPageId: stringField(raw, "parentPageId", DEFAULT_SETTINGS.parentPageId).trim(),
    unpublishedLinks: oneOf(raw, "unpublishedLinks", UNPUBLISHED_LINKS),
    linkedNotesPlacement: oneOf(raw, "linkedNotesPlacement", PLACEMENTS),
    labelsFromTags: booleanField(raw, "labelsFromTags"),
    protectRemoteEdits: booleanField(raw, "protectRemoteEdits"),
    allowInsecureHttp: booleanField(raw, "allowInsecureHttp"),
    dataCenterCdataWorkaround: booleanField(raw, "dataCenterCdataWorkaround"),
    debugLogging: booleanField(raw, "debugLogging"),
  };
  const strayTokens = tokensIn(raw);
  const kept: Record<string, unknown> = { ...settings };
  const changed =
    olderShape || Object.keys(raw).some((key) => raw[key] !== kept[key]) || isNonEmpty(strayTokens);
  return { settings, strayTokens, changed };
}

/** The settings the core validates and builds requests from. */
export function toCoreSettings(
  settings: Readonly<PluginSettings>,
  secrets: Readonly<Secrets>,
): CoreSettings {
  return {
    baseUrl: settings.baseUrl,
    spaceKey: settings.spaceKey,
    parentPageId: settings.parentPageId,
    deployment: settings.deployment,
    usePersonalAccessToken: settings.usePersonalAccessToken,
    personalAccessToken: secrets.personalAccessToken,
    username: settings.username,
    apiToken: secrets.apiToken,
    allowInsecureHttp: settings.allowInsecureHttp,
    dataCenterCdataWorkaround: settings.dataCenterCdataWorkaround,
    labelsFromTags: settings.labelsFromTags,
    protectRemoteEdits: settings.protectRemoteEdits,
  };
}

/** Exactly the fields data.json keeps, in a fixed order, whatever else the object carries. */
export function toStoredSettings(settings: Readonly<PluginSettings>): PluginSettings {
  const stored = {} as Record<keyof PluginSettings, unknown>;
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof PluginSettings)[]) {
    stored[key] = settings[key];
  }
  return stored as PluginSettings;
}

/** Field names under which a token may have been written by hand or by an early build. */
const STRAY_TOKEN_FIELDS: Readonly<Record<keyof Secrets, readonly string[]>> = Object.freeze({
  personalAccessToken: ["personalAccessToken", "pat", "token"],
  apiToken: ["apiToken", "password"],
});

const UNPUBLISHED_LINKS: readonly UnpublishedLinks[] = [
  "text",
  "publishOneLevel",
  "publishAllLevels",
];

const PLACEMENTS: readonly LinkedNotesPlacement[] = ["under", "beside"];

function tokensIn(raw: Record<string, unknown>): Partial<Secrets> {
  const found: Partial<Secrets> = {};
  for (const key of Object.keys(STRAY_TOKEN_FIELDS) as (keyof Secrets)[]) {
    const value = STRAY_TOKEN_FIELDS[key].map((field) => raw[field]).find(isNonEmptyString);
    if (value !== undefined) found[key] = value.trim();
  }
  return found;
}

/** Accepts the current values and the spellings a person might write by hand ("Cloud", "dc"). */
function deploymentField(raw: Record<string, unknown>): Deployment {
  const value = raw["deployment"];
  if (typeof value !== "string") return DEFAULT_SETTINGS.deployment;
  const normalized = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, "");
  if (normalized === "cloud") return "cloud";
  if (["datacenter", "dc", "server"].includes(normalized)) return "datacenter";
  return "auto";
}

function oneOf<Key extends "unpublishedLinks" | "linkedNotesPlacement">(
  raw: Record<string, unknown>,
  key: Key,
  allowed: readonly PluginSettings[Key][],
): PluginSettings[Key] {
  const value = raw[key];
  const found = allowed.find((option) => option === value);
  return found ?? DEFAULT_SETTINGS[key];
}

function stringField(raw: Record<string, unknown>, key: string, fallback: string): string {
  const value = raw[key];
  return typeof value === "string" ? value : fallback;
}

/** The settings that are on or off. */
type BooleanKey = {
  [Key in keyof PluginSettings]: PluginSettings[Key] extends boolean ? Key : never;
}[keyof PluginSettings];

function booleanField(raw: Record<string, unknown>, key: BooleanKey): boolean {
  const value = raw[key];
  return typeof value === "boolean" ? value : DEFAULT_SETTINGS[key];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim().length > 0;
}

function isNonEmpty(record: object): boolean {
  return Object.keys(record).length > 0;
}
