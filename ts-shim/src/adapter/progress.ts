// Shows how far a long publish is: a status bar item on desktop, a Notice updated in place on
// mobile (which has no status bar).

import { Notice, Platform } from "obsidian";

export class ProgressIndicator {
  private statusItem: HTMLElement | null = null;
  private notice: Notice | null = null;
  private shown = "";

  /** `addStatusBarItem` is the plugin's; it is called only on desktop, when first needed. */
  constructor(private readonly addStatusBarItem: () => HTMLElement) {}

  show(text: string): void {
    if (text === this.shown) return;
    this.shown = text;
    if (Platform.isMobile) {
      if (this.notice === null) this.notice = new Notice(text, 0);
      else this.notice.setMessage(text);
      return;
    }
    this.statusItem ??= this.addStatusBarItem();
    this.statusItem.setText(text);
  }

  /** Removes the indicator; it may be shown again afterwards. */
  hide(): void {
    this.notice?.hide();
    this.statusItem?.remove();
    this.notice = null;
    this.statusItem = null;
    this.shown = "";
  }
}
