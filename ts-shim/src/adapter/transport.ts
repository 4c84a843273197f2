// Sends the requests the core builds with Obsidian's requestUrl (no CORS limits, works on mobile).

import { requestUrl, type RequestUrlResponse } from "obsidian";
import type { HttpRequest, HttpResponse } from "../core/types";

/** A request that got no answer at all: the message names the host and what to check. */
export class NetworkError extends Error {
  readonly kind = "network";
}

/**
 * Sends `request` and returns the answer whatever its status (`throw: false`: with Obsidian's
 * default a 4xx rejects and its body, the only explanation, is lost). Rejects with a
 * NetworkError when the server could not be reached.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpResponse> {
  const { contentType, headers } = splitContentType(request.headers);
  let response: RequestUrlResponse;
  try {
    response = await requestUrl({
      url: request.url,
      method: request.method,
      headers,
      contentType,
      body: request.body,
      throw: false,
    });
  } catch (error) {
    throw new NetworkError(
      `Could not reach ${hostOf(request.url)}: ${reasonOf(error)}. ` +
        "Check the base URL and your network.",
    );
  }
  return {
    status: response.status,
    headers: lowercaseNames(response.headers),
    body: bodyText(response),
  };
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

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/\.$/, "") || "no answer";
}
