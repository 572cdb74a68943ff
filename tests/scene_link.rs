//! A scene shared as a link (`engine::scene_link`): any scenario file survives file → link →
//! file unchanged, and whatever a learner pastes as a link is read or refused with a reason,
//! never a panic. The page compresses with the browser's `CompressionStream("deflate-raw")`;
//! here miniz_oxide's raw DEFLATE stands in for it (the same format, RFC 1951), and reads what
//! the other writes.

mod common;

use proptest::prelude::*;
use socketlab::engine::scenario::{self, Scenario};
use socketlab::engine::scene_link::{self, LinkError};

/// Every shipped scenario, by its file's name.
fn shipped() -> Vec<(String, Scenario)> {
    common::shipped()
        .into_iter()
        .map(|(name, text)| (name, scenario::from_toml(&text).unwrap()))
        .collect()
}

/// A scenario as the workshop shares it: its file, compressed, in a link.
fn link_of(s: &Scenario) -> String {
    scene_link::encode(&miniz_oxide::deflate::compress_to_vec(
        s.to_toml().as_bytes(),
        9,
    ))
}

/// A link opened: its form checked, inflated, read as a file.
fn open(link: &str) -> Result<Scenario, String> {
    let deflated = scene_link::decode(link).map_err(|e| format!("{e:?}"))?;
    let text =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, scenario::MAX_FILE_BYTES)
            .map_err(|e| format!("{e:?}"))?;
    let text = String::from_utf8(text).map_err(|e| e.to_string())?;
    scenario::from_toml(&text).map_err(|p| format!("{p:?}"))
}

#[test]
fn every_shipped_scene_survives_a_link_and_fits_one() {
    for (name, s) in shipped() {
        let link = link_of(&s);
        assert_eq!(open(&link).as_ref(), Ok(&s), "{name}");
        assert!(
            link.len() <= scene_link::MOST_SHARED_CHARS,
            "{name}: {} characters",
            link.len()
        );
    }
}

#[test]
fn a_link_that_is_not_one_is_refused_with_its_reason() {
    let s = &shipped()[0].1;
    let link = link_of(s);
    // Another version: said, not guessed at.
    let newer = link.replacen("s=1.", "s=2.", 1);
    assert_eq!(scene_link::decode(&newer), Err(LinkError::OtherVersion(2)));
    // Not a scene's link at all.
    for other in [
        "",
        "#",
        "x=1.AAAA",
        "s=.AAAA",
        "s=1AAAA",
        "s=abc.AA",
        "s=12345678901.AA",
    ] {
        assert_eq!(
            scene_link::decode(other),
            Err(LinkError::NotASceneLink),
            "{other:?}"
        );
    }
    // A character that base64url has not, and where it is.
    let mut damaged = link.clone();
    damaged.replace_range(10..11, "*");
    assert_eq!(
        scene_link::decode(&damaged),
        Err(LinkError::Damaged { at: 10 })
    );
    // Cut short to a length no link has.
    let cut = &link[..4 + (link.len() - 5) / 4 * 4 + 1];
    assert_eq!(
        scene_link::decode(cut),
        Err(LinkError::Damaged { at: cut.len() })
    );
    // Too long to read at all.
    let long = format!("s=1.{}", "A".repeat(scene_link::MOST_READ_CHARS));
    assert!(matches!(
        scene_link::decode(&long),
        Err(LinkError::TooLong { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any valid scene (a shipped one with its words, seed and timings changed) survives file →
    /// link → file unchanged.
    #[test]
    fn any_valid_scene_survives_file_link_file(
        pick in 0usize..100,
        title in "\\PC{1,40}",
        description in "(\\PC|\n|\t|\"|\\\\){0,80}",
        seed in 0u64..=(i64::MAX as u64),
        at in (0u64..=360_000_000_000_000).prop_map(|n| n as f64 / 1e8),
    ) {
        let files = shipped();
        let mut s = files[pick % files.len()].1.clone();
        s.title = format!("T{title}");
        s.description = Some(format!("D{description}"));
        s.seed = seed;
        if let Some(a) = s.actions.iter_mut().find(|a| a.at_ms.is_some()) {
            a.at_ms = Some(at);
        }
        prop_assume!(s.build().is_ok());
        let opened = open(&link_of(&s));
        prop_assert_eq!(opened.as_ref(), Ok(&s));
    }

    /// Whatever is pasted as a link, reading it never panics: it is read or refused.
    #[test]
    fn any_pasted_text_is_read_or_refused(text in "(s=1\\.)?[A-Za-z0-9_\\-=.#*]{0,300}") {
        let _ = scene_link::decode(&text);
    }

    /// A real link changed in one character, or cut anywhere, is refused or reads as bytes that
    /// are then checked as a file: never a panic.
    #[test]
    fn a_damaged_link_never_panics(pick in 0usize..100, at in 0usize..10_000, c in "[A-Za-z0-9_\\-*]", cut in 0usize..10_000) {
        let files = shipped();
        let link = link_of(&files[pick % files.len()].1);
        let mut changed = link.clone();
        let at = at % changed.len();
        changed.replace_range(at..at + 1, &c);
        let _ = open(&changed);
        let _ = open(&link[..cut % link.len()]);
    }
}
