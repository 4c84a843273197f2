// A modal that asks the user to choose: a title, a few paragraphs (tokens hidden, as in every
// message), and a row of buttons. Closing it any other way (Escape, the close button) chooses
// nothing.

import { Modal, Setting, type App } from "obsidian";
import { redact } from "../../redact";

export interface Choice<T> {
  label: string;
  /** What choosing this button resolves with; null is "cancel". */
  value: T | null;
  /** "warning" for a button that overwrites or takes over something, "cta" for the default. */
  style?: "cta" | "warning";
}

export interface ChoiceOptions<T> {
  title: string;
  paragraphs: string[];
  choices: Choice<T>[];
  /** A page to show with an "Open page" button that leaves the modal open. */
  pageUrl?: string;
}

/** Opens the modal; resolves with the chosen value, or null when the user chose nothing. */
export function askChoice<T>(app: App, options: ChoiceOptions<T>): Promise<T | null> {
  return new Promise((resolve) => new ChoiceModal(app, options, resolve).open());
}

class ChoiceModal<T> extends Modal {
  private chosen: T | null = null;

  constructor(
    app: App,
    private readonly options: ChoiceOptions<T>,
    private readonly resolve: (value: T | null) => void,
  ) {
    super(app);
  }

  override onOpen(): void {
    const { title, paragraphs, choices, pageUrl } = this.options;
    this.setTitle(title);
    for (const paragraph of paragraphs) this.contentEl.createEl("p", { text: redact(paragraph) });
    const buttons = new Setting(this.contentEl);
    if (pageUrl !== undefined) {
      buttons.addButton((button) =>
        button.setButtonText("Open page").onClick(() => window.open(pageUrl)),
      );
    }
    for (const choice of choices) {
      buttons.addButton((button) => {
        button.setButtonText(choice.label).onClick(() => {
          this.chosen = choice.value;
          this.close();
        });
        if (choice.style === "cta") button.setCta();
        if (choice.style === "warning") button.setWarning();
      });
    }
  }

  override onClose(): void {
    this.contentEl.empty();
    this.resolve(this.chosen);
  }
}
