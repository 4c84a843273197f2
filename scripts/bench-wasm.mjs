// Converter speed in the WebAssembly build under Node: `node scripts/bench-wasm.mjs`.
//
// Loads build/wasm/publish_wasm.js and publish_wasm_bg.wasm (`make wasm`) and times the exported
// `convertNote(markdown)` on the inputs `cargo bench -p publish-core --bench convert` times
// natively, byte for byte: the help vault (shared/corpus/obsidian-help-en, beside the repository)
// concatenated in path order with a blank line after each note, and a synthetic note of
// numbered blocks (headings, paragraphs with emphasis, links and code, lists, tasks, a table, a
// code block, a callout, a footnote) at 1 MB and at 10 MB. After a warm-up, MB/s comes from the
// fastest of repeated runs (the least disturbed on a shared machine), and the ratio is the median
// over rounds that each time ten 1 MB runs and one 10 MB run back to back. Prints:
//
//   corpus: N.N MB/s
//   synthetic 1 MB: N.N MB/s
//   synthetic 10 MB: N.N MB/s
//   10x size costs X.Xx time
//
// Targets: at least 10 MB/s, and the 10 MB note at most 12 times the time of the 1 MB one.
// Plain Node, no dependencies. 1 MB = 10^6 bytes of UTF-8.

import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WASM_DIR = path.join(ROOT, "build/wasm");
const CORPUS = path.resolve(ROOT, "../shared/corpus/obsidian-help-en");
const MB = 1_000_000;
const ROUNDS = 9;

const glue = pathToFileURL(path.join(WASM_DIR, "publish_wasm.js"));
const { default: init, convertNote } = await import(glue.href);
await init({
  module_or_path: await readFile(path.join(WASM_DIR, "publish_wasm_bg.wasm")),
});

const corpus = await corpusText();
const blocks = blocksFor(MB);
const small = synthetic(blocks);
const large = synthetic(10 * blocks);

const rate = (text, seconds) => megabytes(text) / seconds;
console.log(`corpus: ${rate(corpus, fastest(timings(corpus))).toFixed(1)} MB/s`);

const paired = pairedRounds(small, large);
console.log(`synthetic 1 MB: ${rate(small, fastest(paired.small)).toFixed(1)} MB/s`);
console.log(`synthetic 10 MB: ${rate(large, fastest(paired.large)).toFixed(1)} MB/s`);
console.log(`10x size costs ${median(paired.ratios).toFixed(1)}x time`);

/** Seconds one conversion of `note` takes. */
function seconds(note) {
  const started = performance.now();
  convertNote(note);
  return (performance.now() - started) / 1000;
}

/** Seconds for each of at least 5 runs taking 2 s or more in all, after 3 warm-up runs. */
function timings(note) {
  for (let run = 0; run < 3; run++) seconds(note);
  const started = performance.now();
  const times = [];
  while (times.length < 5 || performance.now() - started < 2000) {
    times.push(seconds(note));
  }
  return times;
}

/**
 * Timings of `small` and of `large` (ten times larger), in rounds of ten small runs and one large
 * run back to back, so both see the same load; `ratios` holds, per round, the large run's time
 * over the mean of the small ones.
 */
function pairedRounds(small, large) {
  for (let run = 0; run < 3; run++) seconds(small);
  seconds(large);
  const paired = { small: [], large: [], ratios: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const smalls = [];
    for (let run = 0; run < 10; run++) smalls.push(seconds(small));
    const largeSeconds = seconds(large);
    paired.small.push(...smalls);
    paired.large.push(largeSeconds);
    paired.ratios.push(largeSeconds / (smalls.reduce((a, b) => a + b) / 10));
  }
  return paired;
}

function fastest(values) {
  return Math.min(...values);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function megabytes(text) {
  return Buffer.byteLength(text, "utf8") / MB;
}

/** The vault's notes in the order Rust sorts their paths, a blank line after each. */
async function corpusText() {
  const files = (await readdir(CORPUS, { recursive: true }))
    .filter((file) => file.endsWith(".md"))
    .map((file) => file.split(path.sep));
  files.sort(comparePaths);
  const notes = await Promise.all(
    files.map((parts) => readFile(path.join(CORPUS, ...parts), "utf8")),
  );
  return notes.map((note) => `${note}\n\n`).join("");
}

/** Rust's `Path` order: component by component, each compared as bytes. */
function comparePaths(left, right) {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const order = Buffer.compare(Buffer.from(left[index]), Buffer.from(right[index]));
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** How many synthetic blocks make at least `bytes` bytes. */
function blocksFor(bytes) {
  let total = 0;
  let count = 0;
  while (total < bytes) {
    count += 1;
    total += Buffer.byteLength(block(count), "utf8");
  }
  return count;
}

/** Blocks 1 to `count`, one after another. */
function synthetic(count) {
  const blocks = [];
  for (let number = 1; number <= count; number++) blocks.push(block(number));
  return blocks.join("");
}

/** One numbered block, byte for byte the one `crates/core/benches/convert.rs` builds. */
function block(number) {
  const n = String(number).padStart(6, "0");
  return `## Section ${n}: setup & usage

Some prose with *emphasis*, **strong text**, \`inline code\`, a [web
link](https://example.com/page?id=${n}&lang=en), a wiki link [[Other note ${n}|alias]],
==highlighted== and ~~struck~~ words. More plain prose follows so that the paragraph has a
realistic length, with a footnote[^f${n}] and an image embed ![[diagram-${n}.png|300]].

- first item with **bold**
- second item with a [link](https://example.org/${n})
  - nested item with \`code\`
  - another nested item
1. ordered one
2. ordered two

- [ ] open task ${n}
- [x] done task ${n}

| Name | Value | Notes |
| --- | ---: | :-- |
| alpha | ${n} | \`x < y\` |
| beta | 2 | *styled* & plain |

\`\`\`rust
fn main() {
    println!("block ${n}");
}
\`\`\`

> [!note] Callout ${n}
> Callout body with a [[link]] and \`code\`.

[^f${n}]: Footnote ${n} text.

`;
}
