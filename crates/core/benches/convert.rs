//! Converter speed: MB/s on real notes and on a synthetic note at two sizes, to check linearity.
//!
//! Run with `cargo bench -p publish-core --bench convert`. Three inputs are timed:
//!
//! - `corpus`: every note of `shared/corpus/obsidian-help-en/` (beside the repository),
//!   concatenated in path order with a blank line after each, about 0.7 MB;
//! - `synthetic 1 MB`: a numbered block of headings, paragraphs with emphasis, links and code,
//!   lists, tasks, a table, a code block, a callout and a footnote, repeated to 1 MB;
//! - `synthetic 10 MB`: the same block repeated ten times as often.
//!
//! criterion measures each first and reports MB/s (`Throughput::BytesDecimal`, 1 MB = 10^6
//! bytes); its options follow `--`, e.g. `-- corpus` to run one. Then this file's own `main`
//! prints a plain summary after a warm-up: MB/s from the fastest of repeated runs (the one least
//! disturbed on a shared machine), and the ratio as the median over rounds that each time ten
//! 1 MB runs and one 10 MB run back to back, so that both sizes see the same load:
//!
//! ```text
//! corpus: N.N MB/s
//! synthetic 1 MB: N.N MB/s
//! synthetic 10 MB: N.N MB/s
//! 10x size costs X.Xx time
//! 10x size costs X.Xx time, freed memory kept
//! ```
//!
//! Targets: at least 20 MB/s, and the 10 MB note at most 12 times the time of the 1 MB one.
//!
//! Why the ratio is printed twice: converting the 10 MB note allocates about 100 MB (most of it
//! pulldown-cmark's tree), and glibc hands allocations that large back to the system when they
//! are freed, so every repeated run of the 10 MB note faults in fresh pages (about 22,000 per
//! run) while the 1 MB note reuses memory it already has (about 700). The first ratio includes
//! that; the second is taken after `mallopt` tells glibc to keep freed memory, as the
//! WebAssembly build's allocator always does, and measures the converter's own work. A single
//! conversion in a fresh process (the CLI) faults in all its memory at either size.
//! `scripts/bench-wasm.mjs` times the WebAssembly build on the same inputs. Under
//! `cargo test --benches` each benchmark runs once and no summary is printed.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use publish_core::convert::{to_storage, ConvertOptions};

/// Bytes in a megabyte, as criterion's `BytesDecimal` counts them.
const MB: usize = 1_000_000;

fn main() {
    let inputs = Inputs::load();
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench_inputs(&mut criterion, &inputs);
    criterion.final_summary();

    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and wants no timing.
    if std::env::args().any(|argument| argument == "--bench") {
        print_summary(&inputs);
    }
}

/// The three notes timed.
struct Inputs {
    corpus: String,
    synthetic_1mb: String,
    synthetic_10mb: String,
}

impl Inputs {
    fn load() -> Self {
        let blocks = blocks_for(MB);
        Self {
            corpus: corpus(),
            synthetic_1mb: synthetic(blocks),
            synthetic_10mb: synthetic(10 * blocks),
        }
    }

    fn named(&self) -> [(&'static str, &str); 3] {
        [
            ("corpus", &self.corpus),
            ("synthetic 1 MB", &self.synthetic_1mb),
            ("synthetic 10 MB", &self.synthetic_10mb),
        ]
    }
}

fn bench_inputs(criterion: &mut Criterion, inputs: &Inputs) {
    let options = ConvertOptions::default();
    let mut group = criterion.benchmark_group("to_storage");
    for (name, note) in inputs.named() {
        group.throughput(Throughput::BytesDecimal(note.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), note, |bencher, note| {
            bencher.iter(|| to_storage(black_box(note), &options))
        });
    }
    group.finish();
}

fn print_summary(inputs: &Inputs) {
    let rate = |note: &str, seconds: f64| note.len() as f64 / MB as f64 / seconds;
    let corpus = fastest(&timings(&inputs.corpus));
    println!("corpus: {:.1} MB/s", rate(&inputs.corpus, corpus));

    let paired = Paired::measure(&inputs.synthetic_1mb, &inputs.synthetic_10mb);
    let small = rate(&inputs.synthetic_1mb, fastest(&paired.small));
    let large = rate(&inputs.synthetic_10mb, fastest(&paired.large));
    println!("synthetic 1 MB: {small:.1} MB/s");
    println!("synthetic 10 MB: {large:.1} MB/s");
    println!("10x size costs {:.1}x time", median(&mut paired.ratios()));

    if keep_freed_memory() {
        let kept = Paired::measure(&inputs.synthetic_1mb, &inputs.synthetic_10mb);
        let ratio = median(&mut kept.ratios());
        println!("10x size costs {ratio:.1}x time, freed memory kept");
    }
}

/// Tells glibc's allocator to keep freed memory of any size for reuse instead of returning it
/// to the system; false where the allocator is not glibc's.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() -> bool {
    const GIB: libc::c_int = 1 << 30;
    // SAFETY: mallopt only changes the allocator's thresholds; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, GIB) == 1
            && libc::mallopt(libc::M_TRIM_THRESHOLD, GIB) == 1
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() -> bool {
    false
}

/// Seconds taken by each of at least 5 conversions of `note`, 2 seconds in all or more, after
/// one conversion to warm up.
fn timings(note: &str) -> Vec<f64> {
    seconds(note);
    let started = Instant::now();
    let mut timings = Vec::new();
    while timings.len() < 5 || started.elapsed() < Duration::from_secs(2) {
        timings.push(seconds(note));
    }
    timings
}

/// Seconds one conversion of `note` takes.
fn seconds(note: &str) -> f64 {
    let options = ConvertOptions::default();
    let started = Instant::now();
    black_box(to_storage(black_box(note), &options));
    started.elapsed().as_secs_f64()
}

/// Timings of a small note and of one ten times larger, taken in rounds that convert the small
/// note ten times and the large one once, back to back, so that both see the same load on a
/// shared machine.
struct Paired {
    /// Seconds of each small conversion, ten per round.
    small: Vec<f64>,
    /// Seconds of each large conversion, one per round.
    large: Vec<f64>,
}

impl Paired {
    const ROUNDS: usize = 9;

    fn measure(small: &str, large: &str) -> Self {
        seconds(small);
        seconds(large);
        let mut paired = Self {
            small: Vec::new(),
            large: Vec::new(),
        };
        for _ in 0..Self::ROUNDS {
            paired.small.extend((0..10).map(|_| seconds(small)));
            paired.large.push(seconds(large));
        }
        paired
    }

    /// Per round, the large conversion's time over the mean time of the small ones.
    fn ratios(&self) -> Vec<f64> {
        let rounds = self.small.chunks(10).zip(&self.large);
        rounds
            .map(|(small, large)| large / (small.iter().sum::<f64>() / small.len() as f64))
            .collect()
    }
}

fn fastest(seconds: &[f64]) -> f64 {
    seconds.iter().copied().fold(f64::INFINITY, f64::min)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The help vault's notes, concatenated in path order, a blank line after each.
fn corpus() -> String {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/obsidian-help-en");
    let mut paths = markdown_files(&root);
    paths.sort();
    assert!(!paths.is_empty(), "no notes under {}", root.display());
    let mut corpus = String::new();
    for path in paths {
        let note = std::fs::read_to_string(&path).expect("corpus notes should be UTF-8 text");
        corpus.push_str(&note);
        corpus.push_str("\n\n");
    }
    corpus
}

/// The `.md` files under `dir`, at any depth.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).expect("corpus folders should be readable");
        for entry in entries {
            let path = entry.expect("corpus entries should be readable").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                found.push(path);
            }
        }
    }
    found
}

/// How many synthetic blocks make at least `bytes` bytes.
fn blocks_for(bytes: usize) -> usize {
    let mut total = 0;
    let mut count = 0;
    while total < bytes {
        count += 1;
        total += block(count).len();
    }
    count
}

/// Blocks 1 to `count`, one after another.
fn synthetic(count: usize) -> String {
    (1..=count).map(block).collect()
}

/// One numbered block of typical note content, byte for byte the one `scripts/bench-wasm.mjs`
/// builds; numbers have six digits, so that ten times the blocks are ten times the bytes.
fn block(number: usize) -> String {
    let n = format!("{number:06}");
    format!(
        r#"## Section {n}: setup & usage

Some prose with *emphasis*, **strong text**, `inline code`, a [web
link](https://example.com/page?id={n}&lang=en), a wiki link [[Other note {n}|alias]],
==highlighted== and ~~struck~~ words. More plain prose follows so that the paragraph has a
realistic length, with a footnote[^f{n}] and an image embed ![[diagram-{n}.png|300]].

- first item with **bold**
- second item with a [link](https://example.org/{n})
  - nested item with `code`
  - another nested item
1. ordered one
2. ordered two

- [ ] open task {n}
- [x] done task {n}

| Name | Value | Notes |
| --- | ---: | :-- |
| alpha | {n} | `x < y` |
| beta | 2 | *styled* & plain |

```rust
fn main() {{
    println!("block {n}");
}}
```

> [!note] Callout {n}
> Callout body with a [[link]] and `code`.

[^f{n}]: Footnote {n} text.

"#
    )
}
