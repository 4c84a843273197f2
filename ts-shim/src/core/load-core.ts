// Loads the Rust core once: the wasm bytes are inlined in main.js by esbuild's binary loader.
//
// Compilation is asynchronous on purpose: some Android WebViews refuse to compile a large module
// synchronously. The bytes are passed in, so the glue never looks for a .wasm file by URL.

import init, * as wasm from "../../../build/wasm/publish_wasm.js";
import wasmBytes from "../../../build/wasm/publish_wasm_bg.wasm";
import type { CoreModule } from "./types";

/** Compiles and instantiates the core; call it once per plugin load. */
export async function loadCore(): Promise<CoreModule> {
  await init({ module_or_path: wasmBytes });
  const core: CoreModule = wasm;
  return core;
}
