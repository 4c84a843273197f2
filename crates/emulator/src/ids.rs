//! Stable, made-up identifiers derived from names, so every run of a seed looks the same.

/// 64-bit FNV-1a of `text`, salted.
fn fnv1a(salt: u64, text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ salt;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A Data Center user key: 32 hex digits, like `8a7f808a8b5d6b0a018b5d6c1e2f0001`.
pub fn user_key(username: &str) -> String {
    format!("{:016x}{:016x}", fnv1a(1, username), fnv1a(2, username))
}

/// A Cloud account id: 24 hex digits, like `5b10ac8d82e05b22cc7d4ef5`.
pub fn account_id(username: &str) -> String {
    let full = format!("{:016x}{:016x}", fnv1a(3, username), fnv1a(4, username));
    full[..24].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(user_key("ada"), user_key("ada"));
        assert_ne!(user_key("ada"), user_key("bob"));
        assert_eq!(user_key("ada").len(), 32);
        assert_eq!(account_id("ada").len(), 24);
    }
}
