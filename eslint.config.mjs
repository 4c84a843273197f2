// ESLint for the TypeScript shim: Obsidian's review rules (eslint-plugin-obsidianmd, which
// brings ESLint's and typescript-eslint's type-checked recommended rules with it).

import { defineConfig, globalIgnores } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";
import { DEFAULT_BRANDS } from "eslint-plugin-obsidianmd/dist/lib/rules/ui/brands.js";

export default defineConfig([
  globalIgnores(["build/", "dist/", "target/", "main.js", "node_modules/"]),
  ...obsidianmd.configs.recommended,
  {
    files: ["ts-shim/src/**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.*"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Product names keep their capitals mid-sentence ("Publish to Confluence").
      "obsidianmd/ui/sentence-case": [
        "warn",
        { brands: [...DEFAULT_BRANDS, "Confluence", "Atlassian"] },
      ],
      // It asks for getSettingDefinitions(), an Obsidian 1.13 API that the obsidian package this
      // plugin builds against (1.11.4, its minAppVersion) does not have.
      "obsidianmd/settings-tab/prefer-setting-definitions": "off",
    },
  },
]);
