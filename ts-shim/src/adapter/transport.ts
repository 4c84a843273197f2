// Sends the requests the core builds with Obsidian's requestUrl (no CORS limits, works on mobile).

import { Notice, requestUrl, type App, type RequestUrlResponse } from "obsidian";
import type { Transport } from "../core/run-flow";
import type { HttpRequest, HttpResponse, RequestBody } from "../core/types";
import type { PluginContext } from "./context";

export interface TransportOptions {
  /**
   * One console.debug line per request: method, address without its query, status, time.
   * Never a header (the token is in one), a body or a query (it may hold a page title).
   */
  debug: boolean;
}

/** The transport for a command, with the user's "Debug logging" setting. */
export function transportFor({ app, store }: PluginContext): Transport {
  return vaultTransport(app, { debug: store.settings.debugLogging });
}

/**
 * A transport over `app`'s vault (uploads read their file from it). It returns the answer
 * whatever its status (`throw: false`: with Obsidian's default a 4xx rejects and its body, the
 * only explanation, is lost). A request that gets no answer at all comes back as status 0 with
 * the reason as its body: the core retries it, or looks before repeating a create, and words
 * the message. A request the core delays (a retry after a busy answer) waits first, and says so.
 */
export function vaultTransport(app: App, { debug }: TransportOptions): Transport {
  return async (request) => {
    if (request.delayMs !== undefined && request.delayMs > 0) {
      await waitFor(request.delayMs, request.retryMessage ?? "Trying again.");
    }
    const body = await bodyOf(app, request.body);
    const started = Date.now();
    const response = await send(request, body);
    if (debug) {
      const ms = Date.now() - started;
      console.debug(LOG_PREFIX, request.method, withoutQuery(request.url), response.status, ms);
    }
    return response;
  };
}

const LOG_PREFIX = "[confluence-publish]";

async function waitFor(delayMs: number, message: string): Promise<void> {
  const notice = new Notice(message, delayMs);
  await new Promise((resolve) => window.setTimeout(resolve, delayMs));
  notice.hide();
}

async function send(
  request: HttpRequest,
  body: string | ArrayBuffer | undefined,
): Promise<HttpResponse> {
  const { contentType, headers } = splitContentType(request.headers);
  let response: RequestUrlResponse;
  try {
    response = await requestUrl({
      url: request.url,
      method: request.method,
      headers,
      contentType,
      body,
      throw: false,
    });
  } catch (error) {
    return { status: 0, headers: {}, body: reasonOf(error) };
  }
  return {
    status: response.status,
    headers: lowercaseNames(response.headers),
    body: bodyText(response),
  };
}

/** A text body as is; a multipart body with the vault file's bytes between its two texts. */
async function bodyOf(
  app: App,
  body: RequestBody | undefined,
): Promise<string | ArrayBuffer | undefined> {
  if (body === undefined) return undefined;
  if (body.kind === "text") return body.text;
  const file = app.vault.getFileByPath(body.filePath);
  if (file === null) throw new Error(`The file ${body.filePath} is not in the vault any more.`);
  const bytes = new Uint8Array(await app.vault.readBinary(file));
  const encoder = new TextEncoder();
  const before = encoder.encode(body.before);
  const after = encoder.encode(body.after);
  const whole = new Uint8Array(before.length + bytes.length + after.length);
  whole.set(before, 0);
  whole.set(bytes, before.length);
  whole.set(after, before.length + bytes.length);
  return whole.buffer;
}

/**
 * requestUrl takes the content type as its own option; passing it as a header too may
 * duplicate it.
 */
function splitContentType(all: Record<string, string>): {
  contentType?: string;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(all)) {
    if (name.toLowerCase() === "content-type") contentType = value;
    else headers[name] = value;
  }
  return { contentType, headers };
}

function lowercaseNames(headers: Record<string, string>): Record<string, string> {
  const lowercase: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowercase[name.toLowerCase()] = value;
  return lowercase;
}

/** The text of an empty or undecodable body is "", not an exception. */
function bodyText(response: RequestUrlResponse): string {
  try {
    return response.text ?? "";
  } catch {
    return "";
  }
}

/** The address without its query and fragment (and without credentials, were any in it). */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/, 1)[0] ?? "";
  }
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/\.$/, "") || "no answer";
}
