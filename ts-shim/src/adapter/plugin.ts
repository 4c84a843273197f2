// The one door through which main.ts reaches Obsidian: it may extend Plugin, nothing more.
export { Plugin } from "obsidian";
