//! A lesson's words, kept apart from its structure, so that the web app loads only the words of
//! the learner's language, and only when they are read.
//!
//! - The lesson files (`lessons/*.toml`) are the source: every text under a language key.
//! - `locales/lessons/<lang>.json` holds each shipped lesson's words in one language, as a list
//!   in the order of [`Lesson::texts_mut`] (title, goal, then each step's text, prompt and
//!   hints); `null` where the lesson has no text in that language. It is written from the
//!   lesson files and checked by `tests/lessons.rs`, as `shipped.bin` is.
//! - The page's build (`scripts/postbuild.mjs`) writes each lesson's texts in a language to
//!   `lessons/<lang>/<id>.json`, which the page fetches when the lesson opens, and every
//!   lesson's title and goal to `lessons/<lang>.json`, for the home screen (English stands in
//!   for a missing text).

use super::file::Lesson;

/// A paragraph of a lesson's text as one line: its lines joined with a space between words, but
/// none where a line breaks between two CJK characters (Chinese puts no space between words),
/// nor beside a full-width punctuation mark ("27017（…", "。curl").
pub fn one_line(paragraph: &str) -> String {
    let cjk = |c: Option<char>| c.is_some_and(|c| c >= '\u{2E80}');
    let wide_mark = |c: Option<char>| {
        c.is_some_and(|c| {
            ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c)
        })
    };
    let mut out = String::with_capacity(paragraph.len());
    for word in paragraph.split_whitespace() {
        let (before, after) = (out.chars().next_back(), word.chars().next());
        let joined = (cjk(before) && cjk(after)) || wide_mark(before) || wide_mark(after);
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Put `texts` (in [`Lesson::texts_mut`]'s order; fewer is fine) in as the lesson's words in
/// `lang`. A `None` leaves that text without words in `lang`.
pub fn fill<S: AsRef<str>>(
    lesson: &mut Lesson,
    lang: &str,
    texts: impl IntoIterator<Item = Option<S>>,
) {
    for (slot, text) in lesson.texts_mut().into_iter().zip(texts) {
        if let Some(text) = text {
            slot.0.insert(lang.to_string(), text.as_ref().to_string());
        }
    }
}

/// The shipped lessons with their words in every language, as the lesson files give them (the
/// CLI's SCORM manifest, tests and tools read lessons this way; the web app does not).
pub fn shipped() -> Vec<Lesson> {
    let sources = [
        ("en", include_str!("../../locales/lessons/en.json")),
        (
            "zh-Hant",
            include_str!("../../locales/lessons/zh-Hant.json"),
        ),
    ];
    let mut lessons = super::shipped::shipped();
    for (lang, source) in sources {
        let by_id: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(source).expect("locales/lessons/*.json are written by a test");
        for lesson in &mut lessons {
            let texts = by_id.get(&lesson.id).and_then(|v| v.as_array());
            let texts = texts.into_iter().flatten().map(|v| v.as_str());
            fill(lesson, lang, texts);
        }
    }
    lessons
}

/// `locales/lessons/<lang>.json` for these lessons: each one's words in `lang` by its id, one
/// text a line.
#[cfg(not(target_arch = "wasm32"))]
pub fn words_json(lessons: &[Lesson], lang: &str) -> String {
    let mut out = String::from("{\n");
    for (i, lesson) in lessons.iter().enumerate() {
        let mut lesson = lesson.clone();
        let texts: Vec<String> = lesson
            .texts_mut()
            .into_iter()
            .map(|t| match t.0.get(lang) {
                Some(s) => serde_json::to_string(s).expect("a string"),
                None => "null".to_string(),
            })
            .collect();
        let comma = if i + 1 < lessons.len() { "," } else { "" };
        out.push_str(&format!(
            "  {}: [\n    {}\n  ]{comma}\n",
            serde_json::to_string(&lesson.id).expect("a string"),
            texts.join(",\n    ")
        ));
    }
    out.push_str("}\n");
    out
}
