// What the user reads after a publish: the text of the Notices and of the progress indicator.
// Plain functions of the core's outcomes, so every command words things the same way.

import type { FolderOutcome, FolderProgress, PublishOutcome } from "./core/types";

/** How many names a Notice lists before it says "and N more". */
const LISTED = 5;

/** The summary of one note's publish, then what the user should know about it. */
export function publishMessage(outcome: PublishOutcome): string {
  const lines = [outcome.summary, ...outcome.warnings.map((warning) => `Warning: ${warning}`)];
  if (outcome.unresolvedLinks.length > 0) {
    lines.push(`Unresolved links: ${listed(outcome.unresolvedLinks)}.`);
  }
  const unmentioned = outcome.missingFiles.filter(
    (path) => !outcome.warnings.some((warning) => warning.includes(path)),
  );
  if (unmentioned.length > 0) {
    lines.push(`Missing files, not uploaded: ${listed(unmentioned)}.`);
  }
  return lines.join("\n");
}

/**
 * The summary of a folder's publish: failures first, then retitled notes, then what else the
 * notes reported, and notes whose page id could not be written back.
 */
export function folderMessage(outcome: FolderOutcome, unlinked: readonly string[]): string {
  const lines = [outcome.summary];
  lines.push(...failedAndRetitled(outcome));
  const outcomes = outcome.published.map((entry) => entry.outcome);
  const withTextLinks = outcomes.filter((done) => done.unresolvedLinks.length > 0).length;
  if (withTextLinks > 0) {
    lines.push(`${notes(withTextLinks)} links shown as text (no published page).`);
  }
  const missing = outcomes.reduce((count, done) => count + done.missingFiles.length, 0);
  if (missing > 0) {
    lines.push(`${files(missing)} embedded but not in the vault, so not uploaded.`);
  }
  lines.push(...unlinkedNotes(unlinked));
  return lines.join("\n");
}

/**
 * The summary of a note published with the notes it links to: the note's own summary, then
 * the linked notes published with it, then what failed or was retitled, and notes whose page
 * id could not be written back.
 */
export function linkedNotesMessage(
  main: PublishOutcome,
  outcome: FolderOutcome,
  mainPath: string,
  unlinked: readonly string[],
): string {
  const lines = [publishMessage(main)];
  const linked = outcome.published.filter(({ path }) => path !== mainPath);
  if (linked.length > 0) {
    const titles = linked.map(({ outcome: done }) => `"${done.title}"`);
    const count = linked.length === 1 ? "1 linked note" : `${linked.length} linked notes`;
    lines.push(`Published ${count} with it: ${listed(titles)}.`);
  }
  lines.push(...failedAndRetitled(outcome));
  lines.push(...unlinkedNotes(unlinked));
  return lines.join("\n");
}

/** "Publishing 3 of 12 notes: Folder/Note.md" while a note is under way. */
export function progressMessage({ notesDone, notesTotal, current }: FolderProgress): string {
  if (current === "") return `Published ${notesDone} of ${notesTotal} notes`;
  return `Publishing ${Math.min(notesDone + 1, notesTotal)} of ${notesTotal} notes: ${current}`;
}

/** The notes that failed (the first few), then the notes given another title. */
function failedAndRetitled(outcome: FolderOutcome): string[] {
  const lines = outcome.failed
    .slice(0, LISTED)
    .map(({ path, error }) => `Failed: ${path}: ${error.message}`);
  if (outcome.failed.length > LISTED) {
    lines.push(`… and ${outcome.failed.length - LISTED} more failed.`);
  }
  if (outcome.retitled.length > 0) {
    const retitled = outcome.retitled.map(({ path, title }) => `${path} as "${title}"`);
    lines.push(`Published under another title, as the title was taken: ${listed(retitled)}.`);
  }
  return lines;
}

function unlinkedNotes(unlinked: readonly string[]): string[] {
  if (unlinked.length === 0) return [];
  return [`Could not write confluence-page-id into: ${listed(unlinked)}.`];
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED).join(", ");
  const more = names.length - LISTED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function notes(count: number): string {
  return count === 1 ? "1 note has" : `${count} notes have`;
}

function files(count: number): string {
  return count === 1 ? "1 file is" : `${count} files are`;
}
