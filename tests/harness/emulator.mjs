// Starts the Confluence emulator (crates/emulator, built by `cargo build -p confluence-emulator`)
// for one test and stops it afterwards.
//
//   const confluence = await startEmulator({ flavor: "dc" });
//   ... confluence.baseUrl ...
//   await confluence.faults({ rateLimit: { remaining: 2, retryAfter: "1" } });
//   const log = await confluence.requests();
//   await confluence.stop();

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { repoRoot } from "./load-plugin.mjs";

export const emulatorBinary = path.join(repoRoot, "target", "debug", "confluence-emulator");

/** Emulators still running: killed when this process exits, even after a crash. */
const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const READY_LINE = /^confluence-emulator listening on (\S+)/;
const START_TIMEOUT_MS = 15_000;

/**
 * @param {object} [options]
 * @param {"dc" | "cloud"} [options.flavor]
 * @param {boolean} [options.anonymousAccess]  anonymous access on (Data Center)
 * @param {string} [options.contextPath]       e.g. "/confluence" (Data Center)
 * @param {string} [options.version]           Data Center release, e.g. "7.4.0" (default 9.2.0)
 * @param {boolean} [options.basicAuthDisabled] Data Center with Basic authentication off
 * @param {object} [options.seed]              users and spaces instead of the default seed
 *   (the shape of crates/emulator/seed.example.json)
 * @returns {Promise<{baseUrl: string, origin: string, requests: () => Promise<object[]>,
 *   pages: () => Promise<object[]>, faults: Function, clearFaults: Function, stats: Function,
 *   rest: Function, stop: () => Promise<void>}>}
 */
export async function startEmulator({
  flavor = "dc",
  anonymousAccess = false,
  contextPath,
  version,
  basicAuthDisabled = false,
  seed,
} = {}) {
  if (!fs.existsSync(emulatorBinary)) {
    throw new Error(`${emulatorBinary} is missing: run "cargo build -p confluence-emulator" first`);
  }
  const args = ["--flavor", flavor, "--port", "0"];
  if (anonymousAccess) args.push("--anonymous-access");
  if (contextPath) args.push("--context-path", contextPath);
  if (version) args.push("--version", version);
  if (basicAuthDisabled) args.push("--basic-auth-disabled");
  let seedDir = null;
  if (seed !== undefined) {
    seedDir = fs.mkdtempSync(path.join(os.tmpdir(), "confluence-emulator-seed-"));
    fs.writeFileSync(path.join(seedDir, "seed.json"), JSON.stringify(seed));
    args.push("--seed", path.join(seedDir, "seed.json"));
  }

  // The emulator finds Atlassian's OpenAPI documents at ../shared/specs from the repository root.
  const child = spawn(emulatorBinary, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(chunk));
  running.add(child);
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  exited.then(() => {
    running.delete(child);
    if (seedDir !== null) fs.rmSync(seedDir, { recursive: true, force: true });
  });

  let baseUrl;
  try {
    baseUrl = await readyLine(child, exited, () => Buffer.concat(stderr).toString());
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const origin = new URL(baseUrl).origin;

  return {
    baseUrl,
    origin,
    /**
     * The emulator's log: `{method, path, query, authScheme, user, status, operationId,
     * specViolation, body, form, notes}`.
     */
    requests: () => getJson(`${origin}/__emulator/requests`),
    /**
     * Stored pages, space home pages included: `{id, spaceKey, title, version, parentId, body,
     * attachments: [{id, fileName, size, sha256, version, comment, mediaType}], labels,
     * properties}`.
     */
    pages: () => getJson(`${origin}/__emulator/pages`),
    /**
     * Switches faults on (see crates/emulator/src/faults.rs), e.g. `{ rateLimit: { remaining:
     * 2, retryAfter: "1" } }`, `{ dropAfterCreate: true }`, `{ captcha: true }`.
     */
    async faults(faults) {
      const response = await fetch(`${origin}/__emulator/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(faults),
      });
      if (!response.ok) throw new Error(`faults ${response.status}: ${await response.text()}`);
    },
    /** Every fault off. */
    async clearFaults() {
      const response = await fetch(`${origin}/__emulator/faults`, { method: "DELETE" });
      if (!response.ok) throw new Error(`faults ${response.status}: ${await response.text()}`);
    },
    /** The emulator's counters, faults fired included. */
    stats: () => getJson(`${origin}/__emulator/stats`),
    /**
     * Sends a REST request as another client would (e.g. a person editing in Confluence):
     * `path` is relative to the base URL, `authorization` the whole header value. Resolves with
     * `{status, json}`; the request is in the log like any other.
     */
    async rest(method, path, { body, authorization } = {}) {
      const headers = { Accept: "application/json" };
      if (authorization) headers.Authorization = authorization;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(`${baseUrl}/${path.replace(/^\//, "")}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: callers look at the status.
      }
      return { status: response.status, json, text };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function readyLine(child, exited, stderrText) {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(
      () =>
        reject(new Error(`the emulator did not start in ${START_TIMEOUT_MS} ms: ${stderrText()}`)),
      START_TIMEOUT_MS,
    );
    lines.on("line", (line) => {
      const match = READY_LINE.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1].replace(/\/$/, ""));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`the emulator exited (${code ?? signal}) before listening: ${stderrText()}`),
      );
    });
  });
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}
