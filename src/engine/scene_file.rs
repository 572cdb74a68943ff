//! A shipped scene's file, as the web app loads it (`recordings/<scene>.bin`, written by
//! `tests/builtin.rs`): the scene without its words, then its recorded run. The scene comes
//! with its run, so the page's code carries no scene of its own.

use super::scenario::{Scenario, Wire};
use super::timeline::{Recording, RecordingError};

/// What a shipped scene's file begins with: the format's name and version.
const SCENE_MAGIC: &[u8; 4] = b"SLS4";

/// A shipped scene's file: [`SCENE_MAGIC`], the scene's id (its file's stem), its scenario without its words (title, description,
/// stages' titles and texts: the page loads them in the learner's language) in its compact
/// form ([`Wire`]), then its recorded run ([`Recording::encode`]).
pub fn encode(id: &str, scenario: &Scenario, recording: &Recording) -> Vec<u8> {
    let mut bare = scenario.clone();
    bare.title.clear();
    bare.description = None;
    for stage in &mut bare.stages {
        stage.title.clear();
        stage.text.clear();
    }
    let mut out = SCENE_MAGIC.to_vec();
    id.to_string().put(&mut out);
    bare.put(&mut out);
    out.extend(recording.encode());
    out
}

/// Scene `id`'s file read back: its scenario (without words) and its run, the run checked as
/// [`Recording::decode`] checks it, and its hosts the scenario's, in order. Another scene's
/// file is refused.
pub fn decode(bytes: &[u8], id: &str) -> Result<(Scenario, Recording), RecordingError> {
    let mut rest = bytes
        .strip_prefix(SCENE_MAGIC)
        .ok_or(RecordingError::NotARecording)?;
    if String::take(&mut rest).as_deref() != Some(id) {
        return Err(RecordingError::OtherScene);
    }
    let scenario = Scenario::take(&mut rest).ok_or(RecordingError::SceneDamaged)?;
    let recording = Recording::decode(rest)?;
    let names = recording.hosts.iter().map(|h| &h.name);
    match names.eq(scenario.hosts.iter().map(|h| &h.name)) {
        true => Ok((scenario, recording)),
        false => Err(RecordingError::Inconsistent(0)),
    }
}
