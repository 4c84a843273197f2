// The vault, metadata cache, file manager, workspace and secret storage of the test Obsidian,
// over a real folder on disk. Paths are vault-relative with forward slashes, as in Obsidian.
// The metadata cache reads links and embeds from the notes themselves (links.cjs) and resolves
// them the way Obsidian does.

"use strict";

const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");
const { frontmatterLinks, linksAndEmbeds } = require("./links.cjs");
const { strict } = require("./strict.cjs");

class TAbstractFile {
  constructor(vault, filePath) {
    this.vault = vault;
    this.path = filePath;
    this.name = filePath === "" ? "" : path.posix.basename(filePath);
  }

  get parent() {
    if (this.path === "") return null;
    const dir = path.posix.dirname(this.path);
    return this.vault.getFolderByPath(dir === "." ? "" : dir);
  }
}

class TFile extends TAbstractFile {
  get extension() {
    const ext = path.posix.extname(this.name);
    return ext.startsWith(".") ? ext.slice(1) : "";
  }

  get basename() {
    return this.extension === "" ? this.name : this.name.slice(0, -(this.extension.length + 1));
  }

  get stat() {
    const stat = fs.statSync(this.vault.diskPath(this.path));
    return { ctime: stat.birthtimeMs, mtime: stat.mtimeMs, size: stat.size };
  }
}

class TFolder extends TAbstractFile {
  get children() {
    const dir = this.vault.diskPath(this.path);
    return fs
      .readdirSync(dir)
      .filter((name) => !(this.path === "" && name === this.vault.configDir))
      .map((name) =>
        this.vault.getAbstractFileByPath(this.path === "" ? name : `${this.path}/${name}`),
      )
      .filter(Boolean);
  }

  isRoot() {
    return this.path === "";
  }
}

/** Event registration shared by vault, workspace and metadata cache. */
class Events {
  constructor() {
    this.handlers = new Map();
  }

  on(name, callback, ctx) {
    const ref = { events: this, name, callback: ctx ? callback.bind(ctx) : callback };
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name).add(ref);
    return ref;
  }

  offref(ref) {
    this.handlers.get(ref.name)?.delete(ref);
  }

  trigger(name, ...args) {
    for (const ref of this.handlers.get(name) ?? []) ref.callback(...args);
  }
}

class Vault extends Events {
  constructor(vaultDir) {
    super();
    this.vaultDir = path.resolve(vaultDir);
    this.configDir = ".obsidian";
    this.files = new Map();
    /** Every file, walked from disk when first needed after a change made through the vault. */
    this.fileList = null;
    for (const name of ["create", "modify", "delete", "rename"]) {
      this.on(name, () => (this.fileList = null));
    }
  }

  getName() {
    return path.basename(this.vaultDir);
  }

  getRoot() {
    return this.getFolderByPath("");
  }

  getAbstractFileByPath(filePath) {
    const normalized = normalizePath(filePath);
    const disk = this.diskPath(normalized);
    if (!fs.existsSync(disk)) {
      this.files.delete(normalized);
      return null;
    }
    const isDir = fs.statSync(disk).isDirectory();
    const cached = this.files.get(normalized);
    if (cached && cached instanceof TFolder === isDir) return cached;
    const file = strict(
      isDir ? new TFolder(this, normalized) : new TFile(this, normalized),
      isDir ? "TFolder" : "TFile",
    );
    this.files.set(normalized, file);
    return file;
  }

  getFileByPath(filePath) {
    const file = this.getAbstractFileByPath(filePath);
    return file instanceof TFile ? file : null;
  }

  getFolderByPath(filePath) {
    const file = this.getAbstractFileByPath(filePath);
    return file instanceof TFolder ? file : null;
  }

  getFiles() {
    this.fileList ??= this.walk(this.getRoot());
    return this.fileList.filter((file) => fs.existsSync(this.diskPath(file.path)));
  }

  getMarkdownFiles() {
    return this.getFiles().filter((file) => file.extension === "md");
  }

  getAllLoadedFiles() {
    const all = [];
    const visit = (folder) => {
      all.push(folder);
      for (const child of folder.children)
        child instanceof TFolder ? visit(child) : all.push(child);
    };
    visit(this.getRoot());
    return all;
  }

  async read(file) {
    return fs.promises.readFile(this.diskPath(this.checkFile(file).path), "utf8");
  }

  async cachedRead(file) {
    return this.read(file);
  }

  async readBinary(file) {
    const bytes = await fs.promises.readFile(this.diskPath(this.checkFile(file).path));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  async modify(file, data) {
    this.checkFile(file);
    if (typeof data !== "string") throw new TypeError("Vault.modify takes a string");
    await fs.promises.writeFile(this.diskPath(file.path), data, "utf8");
    this.trigger("modify", file);
  }

  async process(file, fn) {
    const data = fn(await this.read(file));
    await this.modify(file, data);
    return data;
  }

  async modifyBinary(file, data) {
    this.checkFile(file);
    if (!(data instanceof ArrayBuffer))
      throw new TypeError("Vault.modifyBinary takes an ArrayBuffer");
    await fs.promises.writeFile(this.diskPath(file.path), Buffer.from(data));
    this.trigger("modify", file);
  }

  async createBinary(filePath, data) {
    if (!(data instanceof ArrayBuffer))
      throw new TypeError("Vault.createBinary takes an ArrayBuffer");
    return this.createWith(filePath, Buffer.from(data));
  }

  async append(file, data) {
    await this.modify(file, (await this.read(file)) + data);
  }

  async create(filePath, data) {
    if (typeof data !== "string") throw new TypeError("Vault.create takes a string");
    return this.createWith(filePath, data);
  }

  async createWith(filePath, data) {
    const normalized = normalizePath(filePath);
    const disk = this.diskPath(normalized);
    if (fs.existsSync(disk)) throw new Error("File already exists.");
    await fs.promises.mkdir(path.dirname(disk), { recursive: true });
    await fs.promises.writeFile(disk, data);
    const file = this.getFileByPath(normalized);
    this.trigger("create", file);
    return file;
  }

  // Helpers of the test Obsidian itself.

  diskPath(vaultPath) {
    const disk = path.resolve(this.vaultDir, vaultPath);
    if (disk !== this.vaultDir && !disk.startsWith(this.vaultDir + path.sep)) {
      throw new Error(`path outside the vault: ${vaultPath}`);
    }
    return disk;
  }

  checkFile(file) {
    if (!(file instanceof TFile)) throw new TypeError("expected a TFile from this vault");
    if (!fs.existsSync(this.diskPath(file.path)))
      throw new Error(`ENOENT: no such file ${file.path}`);
    return file;
  }

  walk(folder) {
    return folder.children.flatMap((child) =>
      child instanceof TFolder ? this.walk(child) : [child],
    );
  }
}

/** The YAML block at the very top of a note, as Obsidian recognises it. */
const FRONTMATTER = /^---\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** `{ yaml, body, end }` of a note's text; `yaml` is null when there is no frontmatter. */
function splitFrontmatter(text) {
  const match = FRONTMATTER.exec(text);
  if (!match) return { yaml: null, body: text, end: 0 };
  return { yaml: match[1] ?? "", body: text.slice(match[0].length), end: match[0].length };
}

class MetadataCache extends Events {
  constructor(vault) {
    super();
    this.vault = vault;
  }

  /**
   * Parsed fresh from disk on every call (Obsidian's cache lags a little after a write):
   * frontmatter, links, embeds and frontmatter links. A member Obsidian leaves out when there
   * is nothing to list is present and undefined here; other members are not implemented.
   */
  getFileCache(file) {
    if (!(file instanceof TFile) || !fs.existsSync(this.vault.diskPath(file.path))) return null;
    const cache = {
      frontmatter: undefined,
      frontmatterPosition: undefined,
      frontmatterLinks: undefined,
      links: undefined,
      embeds: undefined,
    };
    if (file.extension !== "md") return strict(cache, "CachedMetadata");
    const text = fs.readFileSync(this.vault.diskPath(file.path), "utf8");
    const { yaml, body, end } = splitFrontmatter(text);
    if (yaml !== null) {
      try {
        const parsed = YAML.parse(yaml);
        if (parsed && typeof parsed === "object") {
          cache.frontmatter = parsed;
          cache.frontmatterPosition = {
            start: { line: 0, col: 0, offset: 0 },
            end: { offset: end },
          };
          const linked = frontmatterLinks(parsed);
          if (linked.length > 0) cache.frontmatterLinks = linked;
        }
      } catch {
        // Obsidian leaves frontmatter out when the YAML does not parse.
      }
    }
    const lineOffset = text.slice(0, end).split("\n").length - 1;
    const { links, embeds } = linksAndEmbeds(body, end, lineOffset);
    if (links.length > 0) cache.links = links;
    if (embeds.length > 0) cache.embeds = embeds;
    return strict(cache, "CachedMetadata (frontmatter, links and embeds are implemented)");
  }

  getCache(filePath) {
    return this.getFileCache(this.vault.getFileByPath(filePath));
  }

  /**
   * The file a link points to, as Obsidian resolves it: a vault path (with or without `.md`), a
   * path relative to the linking note, else a file whose name (a note's without `.md`) matches
   * in any case and whose path ends with the link's folders; among several, the one in the
   * linking note's folder, else the shortest path. Notes match without their extension, other
   * files only with it.
   */
  getFirstLinkpathDest(linkpath, sourcePath) {
    const target = normalizePath(linkpath.split("#")[0]);
    if (target === "") return this.vault.getFileByPath(sourcePath);
    const dir = path.posix.dirname(sourcePath);
    const relative = path.posix.normalize(path.posix.join(dir === "." ? "" : dir, target));
    for (const candidate of [target, `${target}.md`, relative, `${relative}.md`]) {
      if (candidate.startsWith("..")) continue;
      const file = this.vault.getFileByPath(candidate);
      if (file) return file;
    }
    const wanted = target.toLowerCase();
    const matches = this.vault.getFiles().filter((file) => {
      const full = file.path.toLowerCase();
      const bare = file.extension === "md" ? full.slice(0, -3) : null;
      return [full, bare].some(
        (name) => name !== null && (name === wanted || name.endsWith(`/${wanted}`)),
      );
    });
    const sameFolder = matches.find((file) => path.posix.dirname(file.path) === dir);
    if (sameFolder) return sameFolder;
    matches.sort((a, b) => a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
    return matches[0] ?? null;
  }
}

class FileManager {
  constructor(vault) {
    this.vault = vault;
  }

  /** Parses the frontmatter, lets `fn` change it in place, and writes it back; the body is kept. */
  async processFrontMatter(file, fn) {
    const text = await this.vault.read(file);
    const { yaml, body } = splitFrontmatter(text);
    const parsed = yaml === null ? {} : (YAML.parse(yaml) ?? {});
    if (typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error("frontmatter is not a YAML mapping");
    fn(parsed);
    const block = Object.keys(parsed).length === 0 ? "" : YAML.stringify(parsed);
    await this.vault.modify(file, `---\n${block}---\n${body}`);
  }
}

class Workspace extends Events {
  constructor(vault) {
    super();
    this.vault = vault;
    this.activeFile = null;
    this.layoutReady = true;
  }

  getActiveFile() {
    return this.activeFile;
  }

  onLayoutReady(callback) {
    callback();
  }

  /** Test helper: what opening a note in the editor does. */
  setActiveFile(fileOrPath) {
    const file =
      typeof fileOrPath === "string" ? this.vault.getAbstractFileByPath(fileOrPath) : fileOrPath;
    if (fileOrPath !== null && !file) throw new Error(`no file ${fileOrPath} in the vault`);
    this.activeFile = file;
    this.trigger("file-open", file);
  }
}

/** Obsidian's secret storage (1.11.4): kept in memory here; tests inspect it with entries(). */
class SecretStorage {
  constructor(initial = {}) {
    this.secrets = new Map();
    for (const [id, value] of Object.entries(initial)) this.setSecret(id, value);
  }

  setSecret(id, secret) {
    if (typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)) {
      throw new Error(`Invalid secret ID "${id}": use lowercase letters, digits and dashes`);
    }
    if (typeof secret !== "string") throw new TypeError("a secret must be a string");
    this.secrets.set(id, secret);
  }

  getSecret(id) {
    return this.secrets.has(id) ? this.secrets.get(id) : null;
  }

  listSecrets() {
    return [...this.secrets.keys()];
  }

  /** Test helper: every secret, by id. */
  entries() {
    return Object.fromEntries(this.secrets);
  }
}

class App {
  constructor({ vaultDir, secrets = {} }) {
    this.vault = strict(new Vault(vaultDir), "app.vault");
    this.metadataCache = strict(new MetadataCache(this.vault), "app.metadataCache");
    this.fileManager = strict(new FileManager(this.vault), "app.fileManager");
    this.workspace = strict(new Workspace(this.vault), "app.workspace");
    this.secretStorage = strict(new SecretStorage(secrets), "app.secretStorage");
    return strict(this, "app");
  }
}

function normalizePath(value) {
  const cleaned = String(value)
    .replace(/\\/g, "/")
    .replace(/\/+/g, "/")
    .replace(/^\/+|\/+$/g, "")
    .normalize("NFC");
  return cleaned === "." ? "" : cleaned;
}

module.exports = {
  App,
  Vault,
  TAbstractFile,
  TFile,
  TFolder,
  SecretStorage,
  normalizePath,
  splitFrontmatter,
};
