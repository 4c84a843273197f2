// The plugin's settings: what data.json holds, how old data is read, and what the core receives.
//
// Tokens are not settings here: they live in Obsidian's secret storage under SECRET_IDS and are
// joined in only when a flow is built (toCoreSettings). data.json syncs with the vault, so it
// must never hold one.

import type { CoreSettings, Deployment } from "./core/types";

/** Everything data.json holds. */
export interface PluginSettings {
  /** "Confluence base URL": https://confluence.example.com or https://site.atlassian.net/wiki. */
  baseUrl: string;
  /** "Space key", e.g. DOCS. */
  spaceKey: string;
  /** "Parent page ID"; empty puts new pages at the top level of the space. */
  parentPageId: string;
  /** "Kind of Confluence"; "auto" decides by the host name. */
  deployment: Deployment;
  /** "Use personal access token": on for Server / Data Center, off for Cloud. */
  usePersonalAccessToken: boolean;
  /** "Atlassian username": the account's email, used when the toggle is off. */
  username: string;
}

/** The tokens, read from secret storage, never from data.json. */
export interface Secrets {
  personalAccessToken: string;
  apiToken: string;
}

/** Where each token is kept in Obsidian's secret storage (lowercase letters, digits, dashes). */
export const SECRET_IDS: Readonly<Record<keyof Secrets, string>> = Object.freeze({
  personalAccessToken: "confluence-publish-personal-access-token",
  apiToken: "confluence-publish-api-token",
});

/** A fresh install: everything empty, the kind of Confluence chosen automatically. */
export const DEFAULT_SETTINGS: Readonly<PluginSettings> = Object.freeze({
  baseUrl: "",
  spaceKey: "",
  parentPageId: "",
  deployment: "auto",
  usePersonalAccessToken: true,
  username: "",
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
 * storage.
 */
export function migrateSettings(stored: unknown): MigratedSettings {
  const raw = isRecord(stored) ? stored : {};
  const settings: PluginSettings = {
    baseUrl: stringField(raw, "baseUrl", DEFAULT_SETTINGS.baseUrl).trim(),
    spaceKey: stringField(raw, "spaceKey", DEFAULT_SETTINGS.spaceKey).trim(),
    parentPageId: stringField(raw, "parentPageId", DEFAULT_SETTINGS.parentPageId).trim(),
    deployment: deploymentField(raw),
    usePersonalAccessToken: booleanField(
      raw,
      "usePersonalAccessToken",
      DEFAULT_SETTINGS.usePersonalAccessToken,
    ),
    username: stringField(raw, "username", DEFAULT_SETTINGS.username).trim(),
  };
  const strayTokens = tokensIn(raw);
  const kept: Record<string, unknown> = { ...settings };
  const changed = Object.keys(raw).some((key) => raw[key] !== kept[key]);
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
  };
}

/** Exactly the fields data.json keeps, whatever else the object carries. */
export function toStoredSettings(settings: Readonly<PluginSettings>): PluginSettings {
  const { baseUrl, spaceKey, parentPageId, deployment, usePersonalAccessToken, username } =
    settings;
  return { baseUrl, spaceKey, parentPageId, deployment, usePersonalAccessToken, username };
}

/** Field names under which a token may have been written by hand or by an early build. */
const STRAY_TOKEN_FIELDS: Readonly<Record<keyof Secrets, readonly string[]>> = Object.freeze({
  personalAccessToken: ["personalAccessToken", "pat", "token"],
  apiToken: ["apiToken", "password"],
});

function tokensIn(raw: Record<string, unknown>): Partial<Secrets> {
  const found: Partial<Secrets> = {};
  for (const key of Object.keys(STRAY_TOKEN_FIELDS) as (keyof Secrets)[]) {
    const value = STRAY_TOKEN_FIELDS[key].map((field) => raw[field]).find(isNonEmptyString);
    if (value !== undefined) found[key] = value;
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

function stringField(raw: Record<string, unknown>, key: string, fallback: string): string {
  const value = raw[key];
  return typeof value === "string" ? value : fallback;
}

function booleanField(raw: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = raw[key];
  return typeof value === "boolean" ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}
