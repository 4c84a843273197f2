// Tokens never reach the screen or the console, even when a server quotes them back.
//
// The core's messages never hold a token, but they may quote a server's answer, and a proxy's
// error page can echo the request's Authorization header. Every token the plugin reads from
// secret storage is registered here (with the Basic credentials made from it), and every text
// the plugin shows or logs about a failure passes through `redact` first.

/** What a hidden token is shown as. */
const HIDDEN = "[token hidden]";

/** Shorter values are too common to be recognised as a token. */
const MIN_LENGTH = 4;

const hidden = new Set<string>();

/** Registers a token (and, with a username, its Basic credentials) to be hidden. */
export function hideToken(token: string, username?: string): void {
  if (token.length < MIN_LENGTH) return;
  hidden.add(token);
  if (username !== undefined && username !== "") hidden.add(base64(`${username}:${token}`));
}

/** `text` with every registered token replaced. */
export function redact(text: string): string {
  let safe = text;
  for (const token of hidden) safe = safe.split(token).join(HIDDEN);
  return safe;
}

/** Base64 of the UTF-8 bytes of `text`, as an Authorization: Basic header carries them. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""));
}
