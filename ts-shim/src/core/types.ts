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
  /** Send credentials over http:// to a host other than this machine (the user agreed). */
  allowInsecureHttp?: boolean;
  /** Data Center 8.0 to 8.2 refuse `]]>` split across CDATA sections in code blocks. */
  dataCenterCdataWorkaround?: boolean;
  /** The note's tags become page labels (default true). */
  labelsFromTags?: boolean;
  /** Ask before overwriting edits made in Confluence since the last publish (default true). */
  protectRemoteEdits?: boolean;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** One request the core wants sent. Headers include Authorization: never log a request. */
export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: RequestBody;
  /** Wait this long before sending (a retry after a busy answer). */
  delayMs?: number;
  /** For a retry, what to tell the user while waiting. */
  retryMessage?: string;
}

/**
 * A request body: text (JSON), or a multipart upload to send as `before`, the bytes of the
 * vault file at `filePath`, then `after` (the boundary is in the content-type header). The
 * file is read by the shim, so attachment bytes never pass through the core.
 */
export type RequestBody =
  | { kind: "text"; text: string }
  | { kind: "multipart"; before: string; filePath: string; after: string };

/**
 * What the transport got back. Header names lowercase. `body` is the raw text. Status 0: no
 * answer at all (the body says why).
 */
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
 * "forbidden", "title-taken", "conflict", "edited-in-confluence", "rate-limited", "rejected",
 * "server", "unexpected-response", "internal"; the shim adds "network" when a request gets no
 * answer.
 */
export interface CoreError {
  kind: string;
  message: string;
  /** The page concerned, when there is one (e.g. "title-taken", "edited-in-confluence"). */
  pageUrl?: string;
  /**
   * Set when a publish failed after it made or found the note's page (an upload failed, say):
   * write it into the note's confluence-page-id all the same, so the next publish updates it.
   */
  pageId?: string;
}

export interface ConnectionReport {
  /** "personal access token" or "email and API token" */
  authMethod: string;
  deployment: "cloud" | "datacenter";
  /** Server / Data Center's version, from its manifest. */
  serverVersion?: string;
  /** One line per step that passed, e.g. "Server: Confluence 9.2.0 at https://…". */
  steps: string[];
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

/** Link targets the shim resolved, each keyed by the target as the note writes it. */
export interface LinkMaps {
  /** Confluence page title of a published note (rarely needed: see linkedPageIds). */
  pages?: Record<string, string>;
  /** Vault path of an attachment file (image, PDF, audio, video, any other file). */
  files?: Record<string, string>;
  /** Markdown of a note embedded with ![[Note]]. */
  notes?: Record<string, string>;
}

/** Hash and size of a vault file, computed by the shim (SHA-256, lowercase hex). */
export interface FileInfo {
  sha256: string;
  size: number;
}

/** The note to publish and what the shim found in the vault for it. */
export interface NoteInput {
  /** Vault path of the note. */
  path: string;
  /** The whole text, frontmatter included. */
  markdown: string;
  links?: LinkMaps;
  /** Link targets whose notes have a confluence-page-id: target -> page id. */
  linkedPageIds?: Record<string, string>;
  /** Every embedded file that exists, by vault path. Missing files are reported. */
  files?: Record<string, FileInfo>;
  /** The user agreed to publish onto an existing page with the same title. */
  linkExistingPage?: boolean;
  /** The user agreed to overwrite edits made in Confluence since the last publish. */
  overwriteRemoteEdits?: boolean;
}

export interface PublishOutcome {
  action: "created" | "updated" | "unchanged";
  pageId: string;
  title: string;
  version: number;
  /** The page's address for people. */
  url: string;
  authMethod: string;
  /** File names uploaded (new files or new versions). */
  uploaded: string[];
  /** Vault paths of embedded files that are not in the vault. */
  missingFiles: string[];
  /** Links shown as text: no published page for them. */
  unresolvedLinks: string[];
  /** Things the user should know (e.g. content the converter could not map). */
  warnings: string[];
  /** Requests sent. */
  requests: number;
  /** One line for a Notice. */
  summary: string;
}

/** What a single publish is doing, e.g. "Uploading 2 of 5 files". */
export interface PublishProgress {
  step: string;
}

/** A folder to publish: every note in it, each prepared like a single note. */
export interface FolderInput {
  /** Vault path of the folder ("" for the vault root). */
  folder: string;
  notes: NoteInput[];
  /**
   * How the notes become pages: "tree" (folders become pages; the default), or, for a note
   * published with the notes it links to (it comes first), "childrenOfFirst" or "flat".
   */
  layout?: "tree" | "childrenOfFirst" | "flat";
}

export interface FolderOutcome {
  /** Each note published, in order, with its outcome; write each pageId back. */
  published: { path: string; outcome: PublishOutcome }[];
  /** Notes that failed; the others went on. */
  failed: { path: string; error: CoreError }[];
  /** Notes whose title was changed to be unique in the space. */
  retitled: { path: string; title: string }[];
  requests: number;
  summary: string;
}

/** Where a folder publish is, for a progress indicator. */
export interface FolderProgress {
  notesDone: number;
  notesTotal: number;
  /** Vault path of the note being published, or "" between notes. */
  current: string;
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
  PublishJob: new (
    settings: CoreSettings,
    note: NoteInput,
  ) => Flow<PublishOutcome> & { progress(): PublishProgress };
  FolderJob: new (
    settings: CoreSettings,
    input: FolderInput,
  ) => Flow<FolderOutcome> & { progress(): FolderProgress; takeLinked(): LinkedNote[] };
}

/** A note whose page exists now, to link at once (so an interrupted run leaves none unlinked). */
export interface LinkedNote {
  path: string;
  pageId: string;
}
