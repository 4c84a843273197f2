//! Byte searches the converter's scanners share.
//!
//! The syntax they look for starts with an ASCII byte, so a search for that one byte (which
//! compiles to a fast scan) and a look at the byte after it find it faster than a search for a
//! substring, whose searcher costs a setup on every call.

/// Where, from `from` on, the byte `first` followed by the byte `second` starts in `text`.
pub fn pair_start(text: &str, from: usize, first: u8, second: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == first)?;
        if bytes.get(at + 1) == Some(&second) {
            return Some(at);
        }
        at += 1;
    }
}

/// Where each `first` followed by `second` starts in `text`, in order (`%%%` holds two `%%`).
pub fn pair_starts(text: &str, first: u8, second: u8) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = pair_start(text, from, first, second)?;
        from = at + 1;
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_found_overlapping_and_from_an_offset() {
        assert_eq!(
            pair_starts("a%%%b%", b'%', b'%').collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(pair_start("==a==", 1, b'=', b'='), Some(3));
        assert_eq!(pair_start("=a=", 0, b'=', b'='), None);
    }
}
