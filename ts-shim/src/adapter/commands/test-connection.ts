// "Test connection": is there a Confluence at the address, who am I, and may I see the space?
// Sends only GET requests.

import { Notice, type Command } from "obsidian";
import { runFlow } from "../../core/run-flow";
import type { PluginContext } from "../context";
import { reportError } from "../report-error";
import { transportFor } from "../transport";

/** How long a successful result stays on screen. */
const RESULT_NOTICE_MS = 8_000;

/** What the settings tab shows under its button: each step that passed, or why it failed. */
export type ConnectionResult =
  { ok: true; summary: string; steps: string[] } | { ok: false; message: string };

export function testConnectionCommand(context: PluginContext): Command {
  return {
    id: "test-connection",
    name: "Test connection",
    icon: "plug-zap",
    callback: () => testConnection(context),
  };
}

/** Runs the connection test with the saved settings and shows its result in a Notice. */
export async function testConnection(context: PluginContext): Promise<ConnectionResult> {
  try {
    const core = await context.core;
    const report = await runFlow(
      new core.ConnectionTest(context.store.coreSettings()),
      transportFor(context),
    );
    new Notice(report.summary, RESULT_NOTICE_MS);
    return { ok: true, summary: report.summary, steps: report.steps };
  } catch (error) {
    return { ok: false, message: reportError(error) };
  }
}
