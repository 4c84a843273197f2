//! Fuzzes the Markdown to storage format converter: no input may panic it or make it write
//! storage format Confluence refuses.
//!
//! Arbitrary bytes are read as lossy UTF-8, converted with `split_cdata` on and off, math as
//! code and as macros, and each output goes through the checker the converter's tests use
//! (`crates/core/tests/convert_check.rs`): well-formed XML with the `ac:`/`ri:` namespaces,
//! lists holding only `li`, task lists only tasks, macro parameters before the body; and, as
//! `crates/core/tests/convert_props.rs` also checks, no `]]>` outside a CDATA section.
//!
//! Only a stable toolchain is needed: `RUSTC_BOOTSTRAP=1 cargo fuzz run convert`, as
//! `fuzz/README.md` shows. Keep any crash as a file in
//! `crates/core/tests/fuzz_regressions/`.
#![no_main]

#[path = "../../crates/core/tests/convert_check.rs"]
mod check;

use libfuzzer_sys::fuzz_target;
use publish_core::convert::{to_storage, ConvertOptions, MathOutput};

fuzz_target!(|bytes: &[u8]| {
    let note = String::from_utf8_lossy(bytes);
    for options in option_sets() {
        let storage = to_storage(&note, &options).storage;
        if let Err(problem) = check::check_storage(&storage).and(cdata_ends(&storage)) {
            panic!("{options:?}: {problem}\nnote: {note:?}\nstorage: {storage:?}");
        }
    }
});

/// Split CDATA sections on and off, each with math as code and as app macros.
fn option_sets() -> [ConvertOptions; 4] {
    let macros = || MathOutput::Macro {
        inline: "mathinline".to_owned(),
        display: "mathblock".to_owned(),
    };
    let with = |split_cdata, math| ConvertOptions { split_cdata, math };
    [
        with(true, MathOutput::Code),
        with(true, macros()),
        with(false, MathOutput::Code),
        with(false, macros()),
    ]
}

/// `Err` if `]]>` stands outside a CDATA section: XML 1.0 forbids it in text, quick-xml lets it
/// pass. The same check as in `crates/core/tests/convert_props.rs`.
fn cdata_ends(storage: &str) -> Result<(), String> {
    const OPEN: &str = "<![CDATA[";
    let mut rest = storage;
    loop {
        let open = rest.find(OPEN).unwrap_or(rest.len());
        if let Some(at) = rest[..open].find("]]>") {
            let at = storage.len() - rest.len() + at;
            return Err(format!("at byte {at}: ]]> outside a CDATA section"));
        }
        // An unclosed section is the checker's to report.
        let Some(close) = rest
            .get(open + OPEN.len()..)
            .and_then(|body| body.find("]]>"))
        else {
            return Ok(());
        };
        rest = &rest[open + OPEN.len() + close + "]]>".len()..];
    }
}
