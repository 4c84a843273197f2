//! The converter stays linear in the size of the note (issue 3), whatever the note holds.
//!
//! Each note here repeats one piece of syntax that makes some step scan ahead or look at what is
//! open (several once did so across the whole note, at every occurrence). It is converted at two
//! sizes, the larger ten times the smaller: linear work takes about ten times as long, quadratic
//! work about a hundred times. The test fails above thirty times, which leaves room for a busy
//! machine. Each size is timed as the fastest of a few runs, the one least disturbed, and a ratio
//! over the limit is measured once more before it counts. Sizes are small enough for the debug
//! build (`cargo test`).
//!
//! `benches/convert.rs` times ordinary notes in a release build.

use std::hint::black_box;
use std::time::{Duration, Instant};

use publish_core::convert::{to_storage, ConvertOptions};

/// Bytes in the smaller note.
const SMALL: usize = 10_000;
/// How many times longer the larger note may take than the smaller one.
const LIMIT: f64 = 30.0;
/// Runs per size; the fastest counts.
const RUNS: usize = 3;

/// Pieces of syntax, each repeated into a note of its own.
const PIECES: &[&str] = &[
    // Link destinations with spaces, looked for at every `](`.
    "](",
    "[a](b ",
    "![a](",
    "[a](b c.md) %% ",
    // Comments: paired across blank lines, with labels that later definitions could change.
    "%%\n\n",
    "[^`%%`]\n\n[^`%%`]: x\n\n",
    "[a][`b`] %%\n\n[`b`]: /u\n",
    // Front matter that never closes.
    "---\n",
    // Raw HTML: relayed elements left open, paragraphs opened for HTML text.
    "<div>",
    "<div>\n\n",
    "<p>",
    "<p>\n\n",
    "<details open>",
    "<details>\n\n",
    "<details><summary>",
    "<details><summary>x",
    "<span>",
    "<b>x",
    "</div>",
    // Nested blocks on one line.
    "> ",
    "- ",
    "> - ",
    // Obsidian syntax and inline markup.
    "[[",
    "]]",
    "![[x]]",
    "%%",
    "%% `%%` ",
    "$",
    "$$",
    "==",
    "==a ",
    "`",
    "`a`` ",
    "[^a]",
    "*a",
    "[",
    "<",
    "#a ",
    "^a ",
    // Inline footnotes: openers never closed, or closed only by what they open.
    "^[",
    "^[[]",
    "^[a] ",
    // Bare web addresses: candidates that are not one, and trailing brackets.
    "xhttps://",
    "(https://a)",
    "https://a) ",
];

#[test]
fn pathological_notes_convert_in_linear_time() {
    let failures: Vec<String> = PIECES
        .iter()
        .filter_map(|piece| {
            let ratio = ratio(piece);
            let ratio = if ratio > LIMIT {
                self::ratio(piece)
            } else {
                ratio
            };
            println!("{piece:?}: 10x size costs {ratio:.1}x time");
            (ratio > LIMIT).then(|| format!("{piece:?}: {ratio:.1}x"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "10x larger notes took more than {LIMIT}x the time:\n{}",
        failures.join("\n")
    );
}

/// How many times longer a note of `piece` repeated to ten times [`SMALL`] takes than one of
/// [`SMALL`] bytes.
fn ratio(piece: &str) -> f64 {
    let small = piece.repeat(SMALL / piece.len());
    let large = piece.repeat(10 * SMALL / piece.len());
    fastest(&large).as_secs_f64() / fastest(&small).as_secs_f64()
}

fn fastest(note: &str) -> Duration {
    let options = ConvertOptions::default();
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let started = Instant::now();
        black_box(to_storage(black_box(note), &options));
        best = best.min(started.elapsed());
    }
    best
}
