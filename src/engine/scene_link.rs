//! A scene in an address, for sharing: the link's fragment (the part after `#`, which a browser
//! never sends to a server) holds the scenario file, compressed. The form is versioned:
//!
//! ```text
//! #s=1.<the file's text, compressed with raw DEFLATE, in base64url without padding>
//! ```
//!
//! The page compresses with the browser's own `CompressionStream("deflate-raw")`, so no
//! compression code ships in the app; here is what the link says around those bytes. Reading a
//! link checks its form before anything inflates it, and the scenario it holds is then checked
//! like any file ([`super::scenario::from_toml`]): a link is something a learner pastes, so it
//! is hostile until checked.

/// The link form this code writes. A link of another version says which, so that a page can
/// say it came from a newer Socket Lab.
pub const VERSION: u32 = 1;

/// Beyond this many characters a scene is offered as a file instead: longer addresses get cut
/// by chat apps, LMS editors and some browsers' address bars.
pub const MOST_SHARED_CHARS: usize = 8_000;

/// The longest fragment read at all (a damaged or hostile link may be any length): about
/// 75 KB of compressed file, far more than any scenario ([`super::scenario::MAX_FILE_BYTES`]
/// of text) compresses to.
pub const MOST_READ_CHARS: usize = 100_000;

/// Why a fragment is not a scene's link that this code reads (the page words each case from
/// its catalog).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// It does not begin with `s=` and a version: not a shared scene at all.
    NotASceneLink,
    /// Made by another version of the link form (a newer Socket Lab).
    OtherVersion(u32),
    /// Its characters are not base64url (cut short, or changed on the way), at this place.
    Damaged { at: usize },
    /// Longer than [`MOST_READ_CHARS`]: refused unread.
    TooLong { chars: usize },
}

/// The fragment (without `#`) that shares `deflated`, a scenario file's text compressed with
/// raw DEFLATE.
pub fn encode(deflated: &[u8]) -> String {
    let mut out = format!("s={VERSION}.");
    out.reserve(deflated.len().div_ceil(3) * 4);
    for chunk in deflated.chunks(3) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(bits >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The compressed file a fragment holds (with or without its `#`), its form checked.
pub fn decode(fragment: &str) -> Result<Vec<u8>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MOST_READ_CHARS {
        return Err(LinkError::TooLong {
            chars: fragment.chars().count(),
        });
    }
    let rest = fragment
        .strip_prefix("s=")
        .ok_or(LinkError::NotASceneLink)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return Err(LinkError::NotASceneLink);
    }
    let version: u32 = rest[..digits]
        .parse()
        .map_err(|_| LinkError::NotASceneLink)?;
    let Some(body) = rest[digits..].strip_prefix('.') else {
        return Err(LinkError::NotASceneLink);
    };
    if version != VERSION {
        return Err(LinkError::OtherVersion(version));
    }
    let start = 2 + digits + 1;
    // Four characters make three bytes; a last group of one character is never written.
    if body.len() % 4 == 1 {
        return Err(LinkError::Damaged {
            at: start + body.len(),
        });
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for (g, group) in body.as_bytes().chunks(4).enumerate() {
        let mut bits = 0u32;
        for (i, c) in group.iter().enumerate() {
            let value = ALPHABET
                .iter()
                .position(|a| a == c)
                .ok_or(LinkError::Damaged {
                    at: start + 4 * g + i,
                })?;
            bits |= (value as u32) << (18 - 6 * i);
        }
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        let whole = group.len() - 1;
        // The bits a short last group leaves over are zero in a link this code wrote.
        if bytes[whole..].iter().any(|b| *b != 0) && group.len() < 4 {
            return Err(LinkError::Damaged {
                at: start + 4 * g + group.len() - 1,
            });
        }
        out.extend_from_slice(&bytes[..whole]);
    }
    Ok(out)
}

/// base64url's letters (RFC 4648, section 5): safe in an address without escaping.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_survive_the_link_whatever_their_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let link = encode(&bytes);
            assert!(link.starts_with("s=1."));
            assert_eq!(decode(&link), Ok(bytes.clone()), "{link}");
            assert_eq!(decode(&format!("#{link}")), Ok(bytes));
        }
    }

    #[test]
    fn the_link_is_rfc_4648_base64url_without_padding() {
        assert_eq!(encode(b"\xfb\xff\xbf"), "s=1.-_-_");
        assert_eq!(encode(b"Man"), "s=1.TWFu");
        assert_eq!(encode(b"Ma"), "s=1.TWE");
        assert_eq!(encode(b"M"), "s=1.TQ");
    }
}
