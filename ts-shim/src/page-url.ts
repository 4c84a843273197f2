// The address a person opens to read a published page. Both kinds of Confluence answer
// `<base URL>/pages/viewpage.action?pageId=<id>`; Cloud serves it under /wiki, which its base
// URL may leave out.

import type { PluginSettings } from "./settings";

/** The page's address in the browser, or null while the settings have no base URL. */
export function pageUrl(
  settings: Pick<PluginSettings, "baseUrl" | "deployment">,
  pageId: string,
): string | null {
  const base = settings.baseUrl.trim().replace(/\/+$/, "");
  if (base === "") return null;
  const site = isCloud(settings, base) && !/\/wiki$/.test(base) ? `${base}/wiki` : base;
  return `${site}/pages/viewpage.action?pageId=${encodeURIComponent(pageId)}`;
}

/** Cloud when the settings say so, or when "Automatic" sees an atlassian.net address. */
function isCloud({ deployment }: Pick<PluginSettings, "deployment">, base: string): boolean {
  if (deployment !== "auto") return deployment === "cloud";
  try {
    return new URL(base).hostname.toLowerCase().endsWith(".atlassian.net");
  } catch {
    return false;
  }
}
