# Build, test and demo the plugin. Needs only rustup, cargo, node and npm: `make tools`
# installs the rest (the wasm32 target and the wasm-bindgen CLI pinned to the crate's version).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print}' Cargo.lock)
WASM_OUT := build/wasm
WASM_FEATURES := --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
	--enable-sign-ext --enable-reference-types --enable-multivalue
RUST_SOURCES := $(shell find crates -name '*.rs' -o -name Cargo.toml) Cargo.toml Cargo.lock
TS_SOURCES := $(shell find ts-shim -name '*.ts') esbuild.config.mjs package.json

.PHONY: all tools wasm build emulator test test-rust test-wasm test-ts lint test-browser demo release screenshots fmt \
	clean

all: build

## tools: the wasm32 target, the wasm-bindgen CLI at the crate's exact version, npm packages
tools: node_modules/.installed
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version "=$(WASM_BINDGEN_VERSION)" --force; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## wasm: the core as a WebAssembly module with its JavaScript glue
wasm: $(WASM_OUT)/publish_wasm_bg.wasm

$(WASM_OUT)/publish_wasm_bg.wasm: $(RUST_SOURCES) | tools
	cargo build --release --target $(WASM_TARGET) -p publish-wasm
	wasm-bindgen --target web --out-dir $(WASM_OUT) \
		target/$(WASM_TARGET)/release/publish_wasm.wasm
	@# TypeScript would prefer this file to ts-shim/src/wasm.d.ts and type the bytes wrongly.
	rm -f $(WASM_OUT)/publish_wasm_bg.wasm.d.ts
	@# A quarter smaller for mobile; only the features rustc already emits are enabled.
	npx wasm-opt -Oz $(WASM_FEATURES) $@ -o $@

## build: main.js, the plugin as shipped (wasm inlined)
build: main.js

main.js: $(WASM_OUT)/publish_wasm_bg.wasm $(TS_SOURCES) | tools
	npm run build

## emulator: the local Confluence used by the tests and the demo
emulator:
	cargo build -p confluence-emulator

## test: every test (Rust, wasm under Node, TypeScript type check, end to end through main.js)
test: test-rust test-wasm test-ts

test-rust:
	cargo test --workspace

test-wasm: | tools
	cargo test -p publish-wasm --target $(WASM_TARGET)

test-ts: main.js emulator lint
	npm run typecheck
	npm test
	$(MAKE) test-browser

## lint: Obsidian's review rules (eslint-plugin-obsidianmd) over the shim, with no findings
lint: | tools
	npm run lint

## test-browser: the settings tab in headless Chromium (Debian's chromium); screenshots to
## build/screenshots/ (make screenshots refreshes the README's copies in docs/screenshots/)
test-browser: main.js emulator
	npm run test:browser

## demo: publish a real note from the corpus through the built plugin, twice, on both flavours
demo: main.js emulator
	node scripts/demo.mjs

## screenshots: refresh the README's screenshots from the browser test
screenshots: main.js emulator
	SCREENSHOTS_DIR=docs/screenshots npm run test:browser

## release: the three files a release ships, in dist/, with their sizes
release: main.js
	mkdir -p dist
	cp main.js manifest.json styles.css dist/
	@cd dist && for file in main.js manifest.json styles.css; do \
		printf '%-14s %9d bytes\n' "$$file" "$$(wc -c < "$$file")"; \
	done

fmt:
	cargo fmt --all
	npx prettier --write ts-shim tests scripts

clean:
	rm -rf build dist main.js target/$(WASM_TARGET)
