// What the core needs to know about a note besides its text, found in the vault through
// Obsidian's metadata cache: where each link and embed points, which linked notes are
// published, and the hash and size of every embedded file.
//
// - A link or embed to a note with a page id (`confluence-page-id`): linkedPageIds, so the core
//   links to that page by its current title.
// - A note embedded with `![[Note]]`: its Markdown, and what its own links and embeds point
//   to (resolved from the embedded note, since its content is published in place).
// - Any other file: its vault path, and its SHA-256 and size, so the core uploads only what
//   the page does not have yet.
// - A target that resolves to nothing is left out: the core reports it.

import type { App, Reference, TFile } from "obsidian";
import type { FileInfo, NoteInput } from "../core/types";
import { linkKeys, linkpathOf } from "../link-targets";
import { pageIdOf } from "./page-id";

/** What the user agreed to after being asked. */
export type Consent = Pick<NoteInput, "linkExistingPage" | "overwriteRemoteEdits">;

/** Embedded notes inside embedded notes are followed this deep, as far as Obsidian shows them. */
export const MAX_EMBED_DEPTH = 5;

/**
 * Builds the core's input for notes of one vault. One builder per command: it hashes each file
 * once, however many notes embed it.
 */
export class NoteInputBuilder {
  private readonly fileInfos = new Map<string, Promise<FileInfo>>();

  constructor(private readonly app: App) {}

  /** The input for publishing `note`, with what the user agreed to. */
  async build(note: TFile, consent: Consent = {}): Promise<NoteInput> {
    const markdown = await this.app.vault.read(note);
    const found = new Found();
    found.expanded.add(note.path);
    await this.collect(note, found, 0);
    return { path: note.path, markdown, ...found.toInput(), ...consent };
  }

  /** Resolves every link, embed and frontmatter link of `source`. */
  private async collect(source: TFile, found: Found, depth: number): Promise<void> {
    const cache = this.app.metadataCache.getFileCache(source);
    if (cache === null) return;
    const references: [Reference, boolean][] = [
      ...(cache.links ?? []).map((link): [Reference, boolean] => [link, false]),
      ...(cache.embeds ?? []).map((embed): [Reference, boolean] => [embed, true]),
      ...(cache.frontmatterLinks ?? []).map((link): [Reference, boolean] => [link, false]),
    ];
    for (const [reference, embedded] of references) {
      await this.resolve(reference.link, embedded, source, found, depth);
    }
  }

  private async resolve(
    target: string,
    embedded: boolean,
    source: TFile,
    found: Found,
    depth: number,
  ): Promise<void> {
    const keys = linkKeys(target);
    if (keys.length === 0) return;
    const dest = this.app.metadataCache.getFirstLinkpathDest(linkpathOf(target), source.path);
    if (dest === null) return;

    // Another file: the core attaches it.
    if (dest.extension !== "md") {
      found.add(found.filePaths, keys, dest.path);
      if (!found.files.has(dest.path)) found.files.set(dest.path, await this.fileInfo(dest));
      return;
    }

    // A published note: the core links to its page.
    const pageId = pageIdOf(this.app, dest);
    if (pageId !== null) found.add(found.linkedPageIds, keys, pageId);

    // An embedded note: its text, and whatever its own links point to.
    if (!embedded) return;
    if (keys.some((key) => !found.notes.has(key))) {
      found.add(found.notes, keys, await this.app.vault.cachedRead(dest));
    }
    if (found.expanded.has(dest.path) || depth >= MAX_EMBED_DEPTH) return;
    found.expanded.add(dest.path);
    await this.collect(dest, found, depth + 1);
  }

  /** SHA-256 (lowercase hex) and size of a vault file, computed once per builder. */
  private fileInfo(file: TFile): Promise<FileInfo> {
    let info = this.fileInfos.get(file.path);
    if (info === undefined) {
      info = hashFile(this.app, file);
      this.fileInfos.set(file.path, info);
    }
    return info;
  }
}

/** The maps being filled; the first resolution of a key wins. */
class Found {
  readonly linkedPageIds = new Map<string, string>();
  readonly notes = new Map<string, string>();
  readonly filePaths = new Map<string, string>();
  readonly files = new Map<string, FileInfo>();
  /** Notes whose links have been resolved: the note itself and the notes it embeds. */
  readonly expanded = new Set<string>();

  add(map: Map<string, string>, keys: readonly string[], value: string): void {
    for (const key of keys) if (!map.has(key)) map.set(key, value);
  }

  toInput(): Pick<NoteInput, "links" | "linkedPageIds" | "files"> {
    return {
      links: {
        files: Object.fromEntries(this.filePaths),
        notes: Object.fromEntries(this.notes),
      },
      linkedPageIds: Object.fromEntries(this.linkedPageIds),
      files: Object.fromEntries(this.files),
    };
  }
}

async function hashFile(app: App, file: TFile): Promise<FileInfo> {
  const bytes = await app.vault.readBinary(file);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return { sha256, size: bytes.byteLength };
}
