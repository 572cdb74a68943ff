//! What the capture tests share (`tests/capture.rs`, `tests/staged.rs`): the kernel's recorded
//! captures, and the damage a fuzz test does to a file's bytes.
#![allow(dead_code)]

/// A capture recorded by `scripts/kernel-capture.sh` (`tests/data/captures/`).
pub fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/captures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `bytes` with each of `flips` flipped (a place, taken modulo the length, and a bit), then,
/// given `cut`, cut short (to `cut` modulo the length and one).
pub fn damaged(bytes: &[u8], flips: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let n = b.len();
    if n > 0 {
        for &(at, bit) in flips {
            b[at % n] ^= 1 << (bit % 8);
        }
    }
    if let Some(cut) = cut {
        b.truncate(cut % (n + 1));
    }
    b
}
