// Drives a core flow to its outcome: the core decides every request, the transport sends it.
//
// The core is sans-IO: `start()` and `resume(response)` return either the next request or the
// outcome. This loop is the only place that alternates between them, and it frees the flow's
// wasm memory whatever happens.

import type { Flow, HttpRequest, HttpResponse } from "./types";

/** Sends one request and resolves with the answer; rejects only when nothing came back. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * More requests than any one note needs: a flow that goes on is a bug, not a slow server. A
 * folder gets this many per note.
 */
export const MAX_REQUESTS_PER_NOTE = 500;

export interface RunOptions {
  /** The most requests the flow may ask for; MAX_REQUESTS_PER_NOTE unless given. */
  maxRequests?: number;
  /** Called before each request is sent, e.g. to show how far the flow is. */
  beforeRequest?: () => void;
  /** Awaited after each answer is handed to the flow, e.g. to write what it settled. */
  afterResponse?: () => Promise<void>;
}

/**
 * Runs `flow` until it is done and returns its outcome. Rejects with the core's `{kind, message}`
 * when the flow fails, or with the transport's error when a request could not be sent.
 */
export async function runFlow<Outcome>(
  flow: Flow<Outcome>,
  send: Transport,
  { maxRequests = MAX_REQUESTS_PER_NOTE, beforeRequest, afterResponse }: RunOptions = {},
): Promise<Outcome> {
  try {
    let step = flow.start();
    for (let sent = 0; step.type === "request"; sent++) {
      if (sent >= maxRequests) {
        throw new Error(`internal error: the core asked for more than ${maxRequests} requests`);
      }
      beforeRequest?.();
      const response = await send(step.request);
      step = flow.resume(response);
      await afterResponse?.();
    }
    return step.outcome;
  } finally {
    flow.free();
  }
}
