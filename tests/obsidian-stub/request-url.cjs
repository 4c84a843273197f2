// Obsidian's requestUrl, for real, over node:http and node:https.
//
// Behaves as documented for plugins: the content type comes from `contentType`, the body is a
// string or an ArrayBuffer, a 4xx/5xx rejects with "Request failed, status N" unless
// `throw: false`, and a request that gets no answer rejects with a Chromium-style net:: error.
// The response has lowercase header names, `text`, `arrayBuffer`, and a `json` getter that
// throws on a body that is not JSON.
//
// The test Obsidian contacts only this machine: a request to any other host is refused as a
// browser would refuse a name that does not resolve (for `.invalid`, which never does) or a
// blocked request, without any network traffic. Every request tried is recorded (method and
// URL, never headers or body) in `sentRequests`, so a test can tell that none was sent.

"use strict";

const http = require("node:http");
const https = require("node:https");
const { NotImplementedError } = require("./strict.cjs");

/** Every request the plugin tried, oldest first: `{ method, url }` (tests may empty it). */
const sentRequests = [];

const KNOWN_PARAMS = new Set(["url", "method", "contentType", "body", "headers", "throw"]);

/** No keep-alive: a finished test must not hold sockets open. */
const agents = {
  "http:": new http.Agent({ keepAlive: false }),
  "https:": new https.Agent({ keepAlive: false }),
};

function requestUrl(request) {
  const promise = send(typeof request === "string" ? { url: request } : request);
  // Obsidian's RequestUrlResponsePromise also exposes the parts as promises (made when asked
  // for, so an unused one cannot become an unhandled rejection).
  for (const part of ["text", "json", "arrayBuffer"]) {
    Object.defineProperty(promise, part, { get: () => promise.then((response) => response[part]) });
  }
  return promise;
}

async function send(param) {
  const unknown = Object.keys(param).filter((key) => !KNOWN_PARAMS.has(key));
  if (unknown.length > 0) throw new NotImplementedError(`requestUrl option ${unknown.join(", ")}`);
  const {
    url,
    method = "GET",
    contentType,
    body,
    headers = {},
    throw: throwOnError = true,
  } = param;
  const target = new URL(url);
  sentRequests.push({ method, url: target.href });
  const transport =
    target.protocol === "https:" ? https : target.protocol === "http:" ? http : null;
  if (!transport) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (${target.protocol})`);
  if (!isThisMachine(target.hostname)) {
    if (target.hostname.endsWith(".invalid")) throw new Error("net::ERR_NAME_NOT_RESOLVED");
    throw new Error("net::ERR_BLOCKED_BY_CLIENT (the test obsidian contacts only this machine)");
  }

  const outgoing = { ...headers };
  if (contentType !== undefined) outgoing["Content-Type"] = contentType;
  const payload = bodyBytes(body);
  if (payload) outgoing["Content-Length"] = String(payload.length);

  const response = await exchange(
    transport,
    target,
    { method, headers: outgoing, agent: agents[target.protocol] },
    payload,
  );
  if (throwOnError && response.status >= 400) {
    throw Object.assign(new Error(`Request failed, status ${response.status}`), {
      status: response.status,
    });
  }
  return response;
}

function isThisMachine(hostname) {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function exchange(transport, target, options, payload) {
  return new Promise((resolve, reject) => {
    const request = transport.request(target, options, (incoming) => {
      const chunks = [];
      incoming.on("data", (chunk) => chunks.push(chunk));
      incoming.on("error", (error) => reject(netError(error)));
      incoming.on("end", () => resolve(makeResponse(incoming, Buffer.concat(chunks))));
    });
    request.on("error", (error) => reject(netError(error)));
    request.end(payload);
  });
}

function makeResponse(incoming, bytes) {
  const headers = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const text = bytes.toString("utf8");
  return {
    status: incoming.statusCode,
    headers,
    arrayBuffer,
    text,
    get json() {
      return JSON.parse(text);
    },
  };
}

function bodyBytes(body) {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError("requestUrl: body must be a string or an ArrayBuffer");
}

const NET_ERRORS = {
  ECONNREFUSED: "net::ERR_CONNECTION_REFUSED",
  ECONNRESET: "net::ERR_CONNECTION_RESET",
  ENOTFOUND: "net::ERR_NAME_NOT_RESOLVED",
  EAI_AGAIN: "net::ERR_NAME_NOT_RESOLVED",
  ETIMEDOUT: "net::ERR_CONNECTION_TIMED_OUT",
  EHOSTUNREACH: "net::ERR_ADDRESS_UNREACHABLE",
  DEPTH_ZERO_SELF_SIGNED_CERT: "net::ERR_CERT_AUTHORITY_INVALID",
  SELF_SIGNED_CERT_IN_CHAIN: "net::ERR_CERT_AUTHORITY_INVALID",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "net::ERR_CERT_AUTHORITY_INVALID",
  CERT_HAS_EXPIRED: "net::ERR_CERT_DATE_INVALID",
};

/** What Obsidian's (Chromium's) network stack rejects with. */
function netError(error) {
  return new Error(NET_ERRORS[error.code] ?? `net::ERR_FAILED (${error.code ?? error.message})`);
}

module.exports = { requestUrl, sentRequests };
