//! The converter turns any text into valid storage format, without panicking.
//!
//! Thousands of notes are built from a fixed alphabet of Markdown, Obsidian and XML fragments
//! chosen to collide (fences, brackets, `]]>`, entities, control characters, comments) by a
//! small seeded generator, so every run checks the same notes and a failure names its seed.

#[path = "convert_check.rs"]
mod check;

use publish_core::convert::{to_storage, ConvertOptions};

/// How many notes each option setting is tried on.
const NOTES: u64 = 3_000;

const FRAGMENTS: &[&str] = &[
    "# ",
    "## ",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "3) ",
    "> ",
    "> [!note] ",
    "```",
    "```py\n",
    "~~~\n",
    "    ",
    "`",
    "*",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[[",
    "]]",
    "|",
    "==",
    "%%",
    "<",
    ">",
    "&",
    "&nbsp;",
    "&mdash;",
    "&#0;",
    "<br>",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "]]>",
    "<![CDATA[",
    "[^1]",
    "[^1]: ",
    "| a | b |\n|:-|-:|\n",
    "- [ ] ",
    "- [x] ",
    "---\n",
    "\u{1}",
    "\u{B}",
    "\u{FFFE}",
    "https://x.org/a?b=1&c=2",
    "img.png",
    "a%20b.png",
    " ",
    "  ",
    "text",
    "é",
    "\t",
    "\\",
    "$",
    "<String>",
    "\"",
    "'",
    "<https://x.org>",
    "<a@b.c>",
    "<?x?>",
];

#[test]
fn random_notes_convert_to_valid_storage() {
    let split = ConvertOptions::default();
    let unsplit = ConvertOptions {
        split_cdata: false,
        ..ConvertOptions::default()
    };
    for seed in 1..=NOTES {
        let note = note(seed);
        for options in [&split, &unsplit] {
            let storage = to_storage(&note, options).storage;
            if let Err(problem) = check::check_storage(&storage) {
                panic!("seed {seed}: {problem}\nnote: {note:?}\nstorage: {storage:?}");
            }
        }
    }
}

/// The note for `seed`: up to 40 fragments.
fn note(seed: u64) -> String {
    let mut random = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let length = random.below(40) + 1;
    (0..length)
        .map(|_| FRAGMENTS[random.below(FRAGMENTS.len())])
        .collect()
}

/// A xorshift64 generator: small, seeded, good enough to pick fragments.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}
