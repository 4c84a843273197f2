// Link targets as a note writes them, and the keys the core looks them up by.
//
// Obsidian's metadata cache gives each link's target without its alias (`Note#Heading` for
// `[[Note#Heading|shown]]`). The core's link maps are keyed by target; it looks a link up by
// the part before `#`, and forgives case, `.md` and percent-encoding itself. Each resolved
// target is filed under both spellings, so either lookup finds it.

/** The note or file a target points at: the part before its first `#` (may be empty). */
export function linkpathOf(target: string): string {
  const hash = target.indexOf("#");
  return (hash === -1 ? target : target.slice(0, hash)).trim();
}

/**
 * The keys to file a resolved `target` under: the target as written, and its linkpath when that
 * differs. None for a link within the same note (`#Heading`).
 */
export function linkKeys(target: string): string[] {
  const written = target.trim();
  const linkpath = linkpathOf(written);
  if (linkpath === "") return [];
  return linkpath === written ? [written] : [written, linkpath];
}
