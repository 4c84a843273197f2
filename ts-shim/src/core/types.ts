// The data that crosses the boundary between the shim and the Rust core (crates/wasm).
// Plain objects only; every field name is camelCase on both sides.

/** The kind of Confluence. "auto": Cloud when the host ends in atlassian.net. */
export type Deployment = "auto" | "cloud" | "datacenter";

/** The settings the core needs to build requests. Secrets are passed in, never stored. */
export interface CoreSettings {
  baseUrl: string;
  spaceKey: string;
  /** Empty when the page goes to the space's top level. */
  parentPageId: string;
  deployment: Deployment;
  usePersonalAccessToken: boolean;
  personalAccessToken: string;
  username: string;
  apiToken: string;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** One request the core wants sent. Headers include Authorization: never log a request. */
export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
}

/**
 * A request body: text (JSON), or a multipart upload to send as `before`, the bytes of the
 * vault file at `filePath`, then `after` (the boundary is in the content-type header). The
 * file is read by the shim, so attachment bytes never pass through the core.
 */
export type RequestBody =
  | { kind: "text"; text: string }
  | { kind: "multipart"; before: string; filePath: string; after: string };

/** What the transport got back. Header names lowercase. `body` is the raw text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A step of a flow: send this request and resume with its response, or the flow is done. */
export type Step<Outcome> =
  { type: "request"; request: HttpRequest } | { type: "done"; outcome: Outcome };

/**
 * Every error thrown by the core. `kind` is stable: "settings", "note", "auth", "not-found",
 * "forbidden", "title-taken", "conflict", "rate-limited", "rejected", "server",
 * "unexpected-response", "internal"; the shim adds "network" when a request gets no answer.
 */
export interface CoreError {
  kind: string;
  message: string;
}

export interface ConnectionReport {
  /** "personal access token" or "email and API token" */
  authMethod: string;
  deployment: "cloud" | "datacenter";
  userDisplayName: string;
  userName: string;
  spaceKey: string;
  spaceName: string;
  /**
   * One line for a Notice, e.g. "Connected as Ada Lovelace to space Docs (DOCS), authenticated
   * by personal access token."
   */
  summary: string;
}

/** The note to publish: its vault path and its whole text, frontmatter included. */
export interface NoteInput {
  path: string;
  markdown: string;
}

export interface PublishOutcome {
  action: "created" | "updated";
  pageId: string;
  title: string;
  version: number;
  /** The page's address for people. */
  url: string;
  authMethod: string;
  /** Things the user should know (e.g. content the converter could not map). */
  warnings: string[];
  /** One line for a Notice. */
  summary: string;
}

/** A running flow: call start() once, then resume() with each response until a "done" step. */
export interface Flow<Outcome> {
  start(): Step<Outcome>;
  resume(response: HttpResponse): Step<Outcome>;
  free(): void;
}

/**
 * What the wasm module exports (crates/wasm). Every function and method throws a CoreError
 * (a plain object, not an Error) on failure.
 */
export interface CoreModule {
  /** Markdown (frontmatter included) to Confluence storage format. */
  convertNote(markdown: string): string;
  ConnectionTest: new (settings: CoreSettings) => Flow<ConnectionReport>;
  PublishJob: new (settings: CoreSettings, note: NoteInput) => Flow<PublishOutcome>;
}
