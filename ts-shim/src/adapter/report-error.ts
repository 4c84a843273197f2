// The one place a failure reaches the user: a Notice with a message they can act on, and a line
// in the developer console. Core messages never hold a token; every message is redacted anyway,
// since a server's answer quoted in one might echo it.

import { Notice } from "obsidian";
import type { CoreError } from "../core/types";
import { redact } from "../redact";

/** How long an error stays on screen: long enough to read advice of a few sentences. */
const ERROR_NOTICE_MS = 15_000;

/** Shows `error` (a core `{kind, message}` or anything thrown) and returns the message shown. */
export function reportError(error: unknown): string {
  const { kind, message } = describe(error);
  new Notice(message, ERROR_NOTICE_MS);
  console.error("[confluence-publish]", `${kind}:`, message);
  return message;
}

function describe(error: unknown): CoreError {
  if (isCoreError(error)) return { kind: error.kind, message: redact(error.message) };
  if (error instanceof Error) {
    return { kind: "internal", message: redact(error.message || error.name) };
  }
  return { kind: "internal", message: redact(`Unexpected failure: ${String(error)}`) };
}

/** The core throws plain objects; the shim's own errors are Errors that may carry a kind. */
export function isCoreError(value: unknown): value is CoreError {
  if (typeof value !== "object" || value === null) return false;
  const { kind, message } = value as Partial<CoreError>;
  return typeof kind === "string" && typeof message === "string";
}
