//! The shipped lessons' structure, as data: `shipped.bin`, the lesson files (`lessons/*.toml`)
//! without their words, in postcard's compact form (which the recordings' reader brings into
//! the web app already). A lesson costs the page a quarter of what code that builds it did,
//! and the web app needs no TOML parser. The words are loaded by language (see
//! [`super::words`]). `tests/lessons.rs` checks that the file is the lesson files
//! (`UPDATE_SHIPPED=1 cargo test --test lessons` writes it).

use super::file::Lesson;

/// Every shipped lesson, in the order of its file name, without its words.
pub fn shipped() -> Vec<Lesson> {
    // The file is this build's own, read back by a test: it does not fail to read.
    decode(include_bytes!("shipped.bin")).unwrap_or_default()
}

/// What `shipped.bin` holds for these lessons: their structure, without their words.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(lessons: &[Lesson]) -> Vec<u8> {
    // Plain data into a vector: nothing in it can fail to serialise.
    postcard::to_allocvec(lessons).unwrap_or_default()
}

/// Lessons read back from what [`encode`] wrote, or `None` if the bytes are not that.
pub fn decode(bytes: &[u8]) -> Option<Vec<Lesson>> {
    match postcard::take_from_bytes(bytes) {
        Ok((lessons, [])) => Some(lessons),
        _ => None,
    }
}
