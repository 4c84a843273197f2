// The page the browser test loads: the built plugin (main.js, manifest.json, styles.css), the
// fake Obsidian (page/), and POST /__request, which sends a request the plugin made with
// requestUrl to this machine (only) and hands back the answer, as Obsidian does without CORS.

import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../harness/load-plugin.mjs";

const pageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "page");

const FILES = {
  "/": path.join(pageDir, "index.html"),
  "/main.js": path.join(repoRoot, "main.js"),
  "/manifest.json": path.join(repoRoot, "manifest.json"),
  "/styles.css": path.join(repoRoot, "styles.css"),
};

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** Starts the server on 127.0.0.1; resolves with `{ origin, close() }`. */
export async function startPageServer() {
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function handle(request, response) {
  const { pathname } = new URL(request.url, "http://page");
  if (request.method === "POST" && pathname === "/__request") {
    const answer = await forward(JSON.parse(await readAll(request)));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(answer));
    return;
  }
  const file =
    FILES[pathname] ??
    (pathname.startsWith("/page/") ? path.join(pageDir, path.basename(pathname)) : null);
  if (file === null) {
    response.writeHead(404).end();
    return;
  }
  const body = await fs.readFile(file);
  response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/json" });
  response.end(body);
}

/** One requestUrl request, sent to this machine only; `{status, headers, body}` or `{error}`. */
async function forward({ url, method, headers, body }) {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    return { error: "net::ERR_BLOCKED_BY_CLIENT" };
  }
  try {
    const answer = await fetch(target, {
      method,
      headers,
      body: body === undefined ? undefined : Buffer.from(body, "base64"),
      redirect: "follow",
    });
    const bytes = Buffer.from(await answer.arrayBuffer());
    return {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: bytes.toString("base64"),
    };
  } catch {
    return { error: "net::ERR_CONNECTION_REFUSED" };
  }
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
