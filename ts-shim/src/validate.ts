// Checks the settings tab runs as the user types, so a field says what is wrong next to it.
//
// Each check answers null when the value can work, else one sentence to show beside the
// field. An empty field passes: the core names it when a command needs it. The core checks
// every field again before it sends anything; these checks only mirror its rules early.

/** The Confluence base URL: a whole http(s) address, and http:// only where it is safe. */
export function baseUrlProblem(value: string, allowInsecureHttp: boolean): string | null {
  const text = value.trim();
  if (text === "") return null;
  const url = parseUrl(text);
  if (url === null || !["http:", "https:"].includes(url.protocol) || url.hostname === "") {
    return (
      "Write the whole address, starting with https:// " +
      "(for example https://confluence.example.com)."
    );
  }
  if (url.username !== "" || url.password !== "") {
    return "Take out the user name and password (before @): they belong in the token fields.";
  }
  if (url.protocol === "http:" && !isThisMachine(url.hostname) && !allowInsecureHttp) {
    return (
      "An http:// address would send your token unencrypted. Use the https:// address, " +
      'or turn on "Allow unencrypted http" under Advanced.'
    );
  }
  return null;
}

/** The space key: letters, digits, `~` and `_`, as Confluence allows. */
export function spaceKeyProblem(value: string): string | null {
  const key = value.trim();
  if (key === "" || /^[\p{L}\p{N}~_]+$/u.test(key)) return null;
  const spaces = /\s/.test(key) ? "no spaces, " : "";
  return `A space key has ${spaces}only letters, digits and ~ (for example DOCS).`;
}

/** The parent page ID: digits only. */
export function parentPageIdProblem(value: string): string | null {
  const id = value.trim();
  if (id === "" || /^\d+$/.test(id)) return null;
  return (
    "A page ID has only digits: copy them from the page's address " +
    "(pageId=123456 or /pages/123456/)."
  );
}

/** Whether `hostname` is this machine, where http:// never crosses a network. */
function isThisMachine(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
