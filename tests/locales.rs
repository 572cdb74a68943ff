//! The message catalogs (`locales/`): every language says every message, with the same
//! parameters; the glossary's terms are used as it fixes them; and no learner-facing words are
//! written into the app's code instead of a catalog.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use socketlab::i18n::{self, Msg, KEYS, LANGUAGES};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalog(lang: &str) -> Map<String, Value> {
    let path = root().join("locales").join(format!("{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{lang}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{lang}: not a JSON object: {e}"))
}

/// Each text of a message: one, or one per plural form.
fn texts(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// The `{name}` parameters of a message (all its forms together).
fn params(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in texts(value) {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    out.insert(after[..close].to_string());
                    rest = &after[close + 1..];
                }
                None => break,
            }
        }
    }
    out
}

#[test]
fn every_language_has_every_message_with_the_same_parameters() {
    let english = catalog("en");
    assert_eq!(
        english.keys().map(String::as_str).collect::<Vec<_>>(),
        KEYS,
        "the Msg enum is made from locales/en.json"
    );
    for (lang, _) in LANGUAGES {
        let other = catalog(lang);
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "{lang} has keys English has not: {extra:?}"
        );
        for (key, en) in &english {
            let Some(value) = other.get(key) else {
                panic!("{lang} has no {key}");
            };
            assert!(
                !texts(value).is_empty() && texts(value).iter().all(|t| !t.trim().is_empty()),
                "{lang} {key}: a text, or plural forms of text"
            );
            if let Value::Object(forms) = value {
                assert!(
                    forms.contains_key("one") && forms.contains_key("other"),
                    "{lang} {key}: plural forms are \"one\" and \"other\""
                );
            }
            assert_eq!(
                params(value),
                params(en),
                "{lang} {key}: the same parameters"
            );
        }
    }
}

#[test]
fn a_message_is_filled_in_and_a_catalog_can_be_switched() {
    assert_eq!(&*i18n::t(Msg::HomeExport), "Export progress");
    assert_eq!(
        i18n::tp(Msg::HomeInProgress, &[("step", "2"), ("steps", "3")]),
        "In progress: step 2 of 3"
    );
    let zh = std::fs::read_to_string(root().join("locales/zh-Hant.json")).unwrap();
    i18n::install_source("zh-Hant", &zh).unwrap();
    assert_eq!(i18n::lang(), "zh-Hant");
    assert_eq!(
        i18n::tp(Msg::HomeInProgress, &[("step", "2"), ("steps", "3")]),
        "進行中：第 2 步，共 3 步"
    );
    assert!(
        i18n::install_source("zh-Hant", "{}").is_err(),
        "a catalog with no messages is refused"
    );
    let en = std::fs::read_to_string(root().join("locales/en.json")).unwrap();
    i18n::install_source("en", &en).unwrap();
}

/// Every text in `lang` with the English it says, by a name for messages: the catalog's
/// messages, the lessons' words (`locales/lessons/<lang>.json`, from the lesson files) and the
/// scenes' words (`locales/scenes/<lang>.json`).
fn said_in(lang: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let strings = |v: &Value| texts(v).into_iter().map(str::to_string).collect::<Vec<_>>();
    let (english, other) = (catalog("en"), catalog(lang));
    let mut out: Vec<_> = english
        .iter()
        .map(|(key, en)| (key.clone(), strings(en), strings(&other[key])))
        .collect();
    let words = |lang: &str| -> Map<String, Value> {
        let path = root().join(format!("locales/lessons/{lang}.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let scenes = |lang: &str| -> Map<String, Value> {
        let path = root().join(format!("locales/scenes/{lang}.json"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    for (kind, english, other) in [
        ("lesson", words("en"), words(lang)),
        ("scene", scenes("en"), scenes(lang)),
    ] {
        for (id, en) in &english {
            let theirs = other[id].as_array().unwrap();
            for (i, en) in en.as_array().unwrap().iter().enumerate() {
                out.push((
                    format!("{kind} {id} text {i}"),
                    strings(en),
                    strings(&theirs[i]),
                ));
            }
        }
    }
    out
}

/// The glossary (`locales/glossary.toml`) fixes how a term is said in each language; a message
/// or a lesson's text whose English uses a term says it the glossary's way in every other
/// language.
#[test]
fn the_glossary_terms_are_used_as_it_fixes_them() {
    let text = std::fs::read_to_string(root().join("locales/glossary.toml")).unwrap();
    let glossary: toml::Table = text.parse().expect("the glossary is TOML");
    let terms = glossary["terms"].as_array().expect("[[terms]]");
    assert!(terms.len() >= 10, "the glossary fixes the course's terms");
    for (lang, _) in LANGUAGES.iter().filter(|(l, _)| *l != "en") {
        let all = said_in(lang);
        for term in terms {
            let en_term = term["en"].as_str().unwrap().to_lowercase();
            let said = term[*lang]
                .as_str()
                .unwrap_or_else(|| panic!("{en_term}: no {lang}"));
            for (key, en, theirs) in &all {
                let uses = en.iter().any(|t| {
                    // A parameter's name ("{port}") is not a word the learner reads.
                    let t = t
                        .split('{')
                        .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let folded = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    has_word(&folded.to_lowercase(), &en_term)
                });
                // A text kept as it is in English (a tool's column, "Local Address:Port")
                // is the tool's own words.
                let kept = theirs == en;
                if uses && !kept {
                    assert!(
                        theirs
                            .iter()
                            .all(|t| t.to_lowercase().contains(&said.to_lowercase())),
                        "{lang} {key}: says \"{en_term}\" as \"{said}\": {theirs:?}"
                    );
                }
            }
        }
    }
}

/// Every lesson says all it says in every language, and keeps its `code` (commands, addresses,
/// ports, errno names: never translated) exactly as the English has it.
#[test]
fn every_lessons_words_are_in_every_language_with_the_same_code() {
    // In any order: a language puts its words where its grammar wants them.
    let code = |t: &str| -> Vec<String> {
        let mut spans: Vec<String> = t
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        spans.sort();
        spans
    };
    for (lang, _) in LANGUAGES.iter().filter(|(l, _)| *l != "en") {
        for (key, en, theirs) in said_in(lang)
            .iter()
            .filter(|(k, ..)| k.starts_with("lesson "))
        {
            assert_eq!(
                theirs.len(),
                1,
                "{lang} {key}: no text (the lesson file has no {lang} for it)"
            );
            assert_eq!(
                code(&theirs[0]),
                code(&en[0]),
                "{lang} {key}: the `code` differs"
            );
        }
    }
}

/// Every scene says all it says in every language, with the same numbers: addresses, ports,
/// times and typos quoted from the slides are never translated, and never lost.
#[test]
fn every_scenes_words_are_in_every_language_with_the_same_numbers() {
    let numbers = |t: &str| -> Vec<String> {
        let mut found: Vec<String> = t
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map(|n| n.trim_matches('.').to_string())
            .filter(|n| !n.is_empty())
            .collect();
        found.sort();
        found
    };
    for (lang, _) in LANGUAGES.iter().filter(|(l, _)| *l != "en") {
        let scenes = said_in(lang);
        let scenes: Vec<_> = scenes
            .iter()
            .filter(|(k, ..)| k.starts_with("scene "))
            .collect();
        assert!(
            scenes.len() >= 30,
            "{lang}: every scene's title, description and stages"
        );
        for (key, en, theirs) in scenes {
            // (A description the player never shows is empty in every language.)
            assert_eq!(
                theirs[0].trim().is_empty(),
                en[0].is_empty(),
                "{lang} {key}: no text"
            );
            assert_eq!(
                numbers(&theirs[0]),
                numbers(&en[0]),
                "{lang} {key}: the numbers differ"
            );
        }
    }
}

/// Whether `text` has `word` (or its plural with "s") as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..]
            .trim_start_matches('s')
            .chars()
            .next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

// --- No words in the code --------------------------------------------------------------------

/// Files whose words are for authors, not learners: the checks of scenario and lesson files
/// (read by `socketlab-cli` and the tests, which stay English), the engine's self-checks against
/// smoltcp (a broken invariant, for developers), the code generator, and the SCORM manifest's
/// course title (for the LMS's administrators). (The CLI's text tables, `src/report.rs`, are
/// outside the scanned folders: the CLI stays English.) And one file whose
/// words are a terminal's: "Try it on your machine" shows what `ss`, `netstat` and PowerShell
/// print and the code a learner types, as they are in every language, so that a learner can
/// compare them with their own terminal.
const NOT_SCANNED: &[&str] = &[
    "src/engine/checker.rs",
    "src/engine/scenario.rs",
    "src/engine/verify.rs",
    "src/lessons/file.rs",
    "src/lessons/lint.rs",
    "src/lessons/scorm.rs",
    "src/lessons/try_it.rs",
];

/// Words that are in code on purpose, each with why.
const NOT_WORDS: &[(&str, &str)] = &[
    // serde's attribute naming the type a sent segment is recorded as.
    // The key's samples of what the stage draws: connection letters, a packet's label, a
    // descriptor. Notation, the same in every language, as the stage shows it.
    ("src/ui/components/controls.rs", "A"),
    ("src/ui/components/controls.rs", "B"),
    ("src/ui/components/controls.rs", "10378→80 SYN"),
    ("src/ui/components/controls.rs", "fd 3"),
    // Shown only when no catalog could be loaded, beside index.html's own fatal message (whose
    // language it shares: both are there before any catalog is).
    ("src/ui/mod.rs", "The app could not start: {why}."),
    // Operating systems by their own names, in every language.
    ("src/ui/lesson.rs", "Linux"),
    ("src/ui/lesson.rs", "Windows"),
    ("src/view/narrate.rs", "Linux"),
    ("src/view/narrate.rs", "Windows"),
    ("src/engine/ports.rs", "Linux"),
    ("src/engine/ports.rs", "Windows"),
    // Class names and a checkbox's values, chosen in code.
    ("src/ui/components/question.rs", "right"),
    ("src/ui/components/question.rs", "wrong"),
    ("src/ui/components/question.rs", "on"),
    ("src/ui/components/question.rs", "off"),
    // Names the page's JavaScript knows (a Worker, the stage painter) and the canvas's font.
    ("src/ui/components/packets.rs", "Worker"),
    ("src/ui/components/packets.rs", "SocketLabStagePainter"),
    ("src/ui/components/packets.rs", "700 {}px ui-monospace, \\\"SFMono-Regular\\\", Menlo, Consolas, \\\"DejaVu Sans Mono\\\", monospace"),
    // ARIA roles, and the keyboards a field asks a phone for.
    ("src/ui/workshop.rs", "alert"),
    ("src/ui/workshop.rs", "status"),
    ("src/ui/workshop.rs", "numeric"),
    ("src/ui/workshop.rs", "decimal"),
    // Element ids the share dialog moves the focus between.
    ("src/ui/workshop.rs", "ws-share"),
    ("src/ui/workshop.rs", "ws-share-button"),
    // The browser's classes the share link is made with (compression, and a Response that
    // reads a stream whole).
    ("src/ui/workshop.rs", "CompressionStream"),
    ("src/ui/workshop.rs", "DecompressionStream"),
    ("src/ui/workshop.rs", "Response"),
    // A protocol's name, never translated.
    ("src/ui/components/inspector.rs", "ICMP"),
    // Why bytes did not decode as a packet: the engine's stacks only write valid IPv4, and a
    // packet that does not decode is dropped unseen (`Sim::put_on_link`). For developers.
    ("src/engine/packet.rs", "UDP: a first fragment shorter than its header"),
    ("src/engine/packet.rs", "not a valid IPv4 packet: {}"),
    // Hosts' names as ids: the name a scene file (or the course's network in code) gives a
    // host, by which lessons, links and a learner's answers name it. The view shows a shipped
    // scene's host in the learner's language (`view::scenes::host_name`, from the scene's words).
    ("src/engine/sim.rs", "Client PC"),
    ("src/engine/sim.rs", "Server"),
    // A program's English name: the name the engine gives its process (tests and the CLI's
    // lists), and what a web server's reply says on the wire ("Hello from the Node.js server on
    // port 8099!"). The view says a program by its kind, from the catalog (`program.*`).
    ("src/engine/program.rs", "Node.js server"),
    ("src/engine/program.rs", "MongoDB server"),
    // What programs send: bytes on the wire, the same in every language (said in another, they
    // would change the segments' lengths).
    ("src/engine/program.rs", "MobileApp/1.0 (Android 14)"),
    // mongod's answer to HTTP on its own port, word for word as real mongod sends it.
    ("src/engine/program.rs", "HTTP/1.0 200 OK\\r\\nConnection: close\\r\\nContent-Type: text/plain\\r\\nContent-Length: {}\\r\\n\\r\\n{MONGOD_HTTP_ANSWER}"),
    ("src/engine/program.rs", "It looks like you are trying to access MongoDB over HTTP on the native driver port.\\r\\n"),
    ("src/engine/program.rs", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"),
    ("src/engine/program.rs", "GET / HTTP/1.1\\r\\nHost: {server}\\r\\nUser-Agent: {agent}\\r\\nAccept: */*\\r\\n\\r\\n"),
    ("src/engine/program.rs", "Hello from the {} on port {}!\\n"),
    // Python's http.server answers in HTTP/1.0.
    ("src/engine/program.rs", "HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: {}\\r\\n\\r\\n{body}"),
    ("src/engine/program.rs", "HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: {}\\r\\nConnection: keep-alive\\r\\n\\r\\n{body}"),
    ("src/engine/program.rs", "{\\\"cursor\\\":{\\\"firstBatch\\\":[{\\\"name\\\":\\\"Ada\\\"}]},\\\"ok\\\":1}\\n"),
    // SVG's text-anchor values.
    ("src/ui/components/stage.rs", "end"),
    ("src/ui/components/stage.rs", "start"),
    // The embed snippet a teacher copies: markup, with the lesson's title filled in.
    ("src/ui/lesson.rs", "<iframe src=\\\"{}\\\" title=\\\"{}\\\" width=\\\"100%\\\" height=\\\"800\\\" style=\\\"border: 0\\\" loading=\\\"lazy\\\"></iframe>"),
    ("src/ui/workshop.rs", "<iframe src=\\\"{page}?embed=1#{fragment}\\\" title=\\\"{}\\\" width=\\\"100%\\\" height=\\\"800\\\" style=\\\"border: 0\\\" loading=\\\"lazy\\\"></iframe>"),
    // An author's mistake, which the lesson lint refuses before a lesson ships: never shown.
    ("src/lessons/answer.rs", "a predict question needs a step with \\\"before_segment\\\""),
    ("src/lessons/answer.rs", "that answer does not fit this kind of question"),
    ("src/lessons/answer.rs", "a challenge's diagnose question is answered once a seed has drawn its fault"),
    ("src/lessons/answer.rs", "a challenge's page asks only diagnose and fix questions"),
    // Why the engine worker's answer does not read back: for developers (the page says only
    // that the engine's script failed).
    ("src/lessons/fix.rs", "the answer's recording does not read"),
    ("src/lessons/fix.rs", "the answer does not read"),
    ("src/lessons/moment.rs", "{host} never has a Socket {socket} in this scene"),
    ("src/lessons/moment.rs", "the scene has no host named \\\"{h}\\\""),
    ("src/lessons/moment.rs", "segment {n} never arrives at a host in this scene"),
    ("src/lessons/moment.rs", "the port registry has no service named \\\"{name}\\\""),
    ("src/lessons/moment.rs", "no program on {host} reads a reply or gets an error in this scene"),
    ("src/lessons/moment.rs", "{host}'s Socket {socket} has no port yet at that moment"),
    ("src/lessons/moment.rs", "no process holds {host}'s Socket {socket} at that moment"),
    // A language's tag, and the file of a language's lesson words.
    ("src/lessons/words.rs", "zh-Hant"),
    ("src/lessons/words.rs", "../../locales/lessons/zh-Hant.json"),
];

/// Learner-facing words written as a string literal in code: what this test looks for.
/// - a text child of `html!`: `{ "…" }` with a letter in it;
/// - the value of an attribute a learner reads or hears: `aria-label`, `aria-description`,
///   `aria-roledescription`, `title`, `alt`, `placeholder`, with a letter in it;
/// - any other literal with a capitalised word in it (`"Play"`, `"Reset progress…"`), as
///   sentences have and class names, keys, ids and protocol names (`"TCP"`) have not;
/// - a `format!` template, or a literal made into a `String`, with two words side by side
///   (`"… and {n} earlier events"`, `"a new socket".to_string()`): a class list or a key is
///   neither;
/// - any literal of three words or more with one of English's small words in it ("the", "to",
///   "is", …): `"a firewall rule drops traffic to this port"` is a sentence wherever it is
///   written, and a class list (`"button small primary"`) has none;
///
/// except a match arm's pattern (`"ArrowLeft" =>`), which is a value compared, not words, and a
/// broken invariant's message (`expect("…")`, `assert!(…, "…")`, `panic!("…")`), for developers,
/// and a component's or an effect's name in `counted("Stage")` or `timed("Flow: scroll")` (a
/// benchmark's count and times).
///
/// Comments are skipped. Not caught: a short all-lowercase phrase outside markup and `format!`
/// (`"lost packet"`: a class list and such a phrase look the same); review catches those.
fn words_in_code(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for literal in literals(source) {
        let Literal {
            text,
            before,
            after,
            call,
        } = literal;
        let has_letter = text.chars().any(char::is_alphabetic);
        let before = before.trim_end();
        let child = before.ends_with('{') && after.trim_start().starts_with('}') && has_letter;
        let attribute = [
            "aria-label=",
            "aria-description=",
            "aria-roledescription=",
            "title=",
            "alt=",
            "placeholder=",
        ]
        .iter()
        .any(|a| before.ends_with(a))
            && has_letter;
        // A capital starting a word ("Play"; not the "L" of "socketlabLanguage").
        let bytes = text.as_bytes();
        let capitalised = (0..bytes.len().saturating_sub(2)).any(|i| {
            (i == 0 || !bytes[i - 1].is_ascii_alphabetic())
                && bytes[i].is_ascii_uppercase()
                && bytes[i + 1].is_ascii_lowercase()
                && bytes[i + 2].is_ascii_lowercase()
        });
        // Two words side by side in a template: "closing socket ({})".
        // Parameters ("{host:<12}") are not words.
        let plain: String = text
            .split('{')
            .map(|part| part.split_once('}').map_or(part, |(_, rest)| rest))
            .collect::<Vec<_>>()
            .join("{}");
        let words: Vec<&str> = plain
            .split(' ')
            .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
            .collect();
        // Made into a String of its own, or a template: text to show, not a class list or key.
        let owned = [".to_string()", ".into()", ".to_owned()"]
            .iter()
            .any(|m| after.trim_start().starts_with(m));
        let phrase = (before.ends_with("format!(") || owned)
            && words.windows(2).any(|pair| {
                pair.iter()
                    .all(|w| w.chars().count() >= 2 && w.chars().all(char::is_lowercase))
            });
        // A sentence, wherever it is: three words or more, one of them a small word of English.
        const SMALL: [&str; 14] = [
            "the", "a", "an", "to", "is", "are", "of", "and", "or", "its", "this", "no", "not",
            "on",
        ];
        let sentence = words.iter().filter(|w| !w.is_empty()).count() >= 3
            && words.iter().any(|w| SMALL.contains(w));
        // A match arm's pattern ("ArrowLeft" => …) is a value the code compares, not words.
        let after = after.trim_start();
        let pattern = after.starts_with("=>") || after.starts_with('|') || after.starts_with("if ");
        // A broken invariant's message, for developers: `expect("…")`, `assert!(…, "…")`.
        let invariant = [
            "expect",
            "assert!",
            "assert_eq!",
            "assert_ne!",
            "debug_assert!",
            "debug_assert_eq!",
            "panic!",
            "unreachable!",
            // A component's or an effect's name for the render count and times of
            // benches/renders.mjs.
            "counted",
            "timed",
        ]
        .contains(&call.as_str());
        if (child || attribute || capitalised || phrase || sentence) && !pattern && !invariant {
            found.push(text);
        }
    }
    found
}

struct Literal {
    text: String,
    /// The code just before and after it (up to 40 bytes), to tell where it stands.
    before: String,
    after: String,
    /// The function or macro it is an argument of (`expect`, `assert_eq!`), if any.
    call: String,
}

/// The string literals of Rust `source` (plain and raw), outside comments and outside its unit
/// tests (`#[cfg(test)] mod tests`, for developers).
fn literals(source: &str) -> Vec<Literal> {
    let source = source
        .split_once("#[cfg(test)]\nmod tests")
        .map_or(source, |(code, _)| code);
    let b = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                // A char literal ('"', '\'') or a lifetime: step over it.
                let end = source[i + 1..].find('\'').map(|e| i + 1 + e);
                i = match end {
                    Some(e) if e - i <= 4 || source[i + 1..e].starts_with('\\') => e + 1,
                    _ => i + 1,
                };
            }
            b'r' if b.get(i + 1) == Some(&b'#') || b.get(i + 1) == Some(&b'"') => {
                let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i + 2 + hashes;
                let close = format!("\"{}", "#".repeat(hashes));
                let end = source[start..].find(&close).map_or(b.len(), |e| start + e);
                i = end + close.len();
                out.push(literal(source, start, end, i));
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push(literal(source, start, j.min(b.len()), j + 1));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The literal whose text is `source[start..end]`, opened at `start` and closed before `next`.
fn literal(source: &str, start: usize, end: usize, next: usize) -> Literal {
    let open = start - 1; // its opening quote
    let near = |from: usize, to: usize| {
        source
            .get(from..to.min(source.len()))
            .unwrap_or("")
            .to_string()
    };
    Literal {
        text: near(start, end),
        before: near(open.saturating_sub(40), open),
        after: near(next, next + 40),
        call: call_around(&source[..open]),
    }
}

/// The name of the call whose arguments `code` ends inside (`assert_eq!` for
/// `assert_eq!(a, b, `), or nothing when it ends in a block or a statement. Parentheses inside
/// string literals may mislead it; the names it is asked about are developers' macros.
fn call_around(code: &str) -> String {
    let mut depth = 0usize;
    for (i, c) in code.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let name = code[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '!')
                    .collect::<String>();
                return name.chars().rev().collect();
            }
            '(' => depth -= 1,
            ';' | '{' | '}' if depth == 0 => return String::new(),
            _ => {}
        }
    }
    String::new()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_detector_finds_words_written_into_code_and_passes_catalog_messages() {
    let caught = words_in_code(
        r#"html! { <p class="intro">{ "Hello there" }</p> <button aria-label="close">{ t(Msg::HomeCancel) }</button> }
        let s = format!("Step {n} of {m}"); let c = classes!("button small", "TCP"); // "Not this"
        let q = '"'; let r = r"Raw Words"; let f = js("socketlabLanguage");
        match key { "ArrowLeft" => back(), "Home" | "End" => edge(), _ => {} }
        let e = format!("… and {n} earlier events"); let o = "a new socket".to_string();
        let line = format!("{at} s  {host:<12} {text}"); let k = "lesson-card new".to_string();
        f.write_str("a firewall rule drops traffic to this port"); let l = "button small primary";"#,
    );
    assert_eq!(
        caught,
        [
            "Hello there",
            "close",
            "Step {n} of {m}",
            "Raw Words",
            "… and {n} earlier events",
            "a new socket",
            "a firewall rule drops traffic to this port"
        ]
    );
}

#[test]
fn no_learner_facing_words_are_written_into_the_app_code() {
    let mut files = Vec::new();
    for dir in ["src/ui", "src/view", "src/lessons", "src/engine"] {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut problems = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if NOT_SCANNED.contains(&name.as_str()) {
            continue;
        }
        let all = words_in_code(&std::fs::read_to_string(path).unwrap());
        // The list only holds words still in their file.
        for (_, listed) in NOT_WORDS.iter().filter(|(file, _)| *file == name) {
            if !all.iter().any(|w| w == listed) {
                problems.push(format!(
                    "{name} no longer has {listed:?}: take it off NOT_WORDS"
                ));
            }
        }
        let words: Vec<String> = all
            .into_iter()
            .filter(|w| !NOT_WORDS.contains(&(name.as_str(), w.as_str())))
            .collect();
        if !words.is_empty() {
            problems.push(format!("{name} writes words into code: {words:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every event of every shipped scene is told in each language: in Traditional Chinese, a line
/// in its own words (not the English one) with every parameter filled in, and an error a call
/// returns told in Chinese after its call and errno ("bind：EADDRINUSE：8099 埠已被 …").
#[test]
fn every_event_of_every_scene_is_narrated_in_every_language() {
    use socketlab::view::scenes::{Scene, SCENES};
    let lines = |lang: &str| -> Vec<String> {
        let source = std::fs::read_to_string(root().join(format!("locales/{lang}.json"))).unwrap();
        i18n::install_source(lang, &source).unwrap();
        (0..SCENES.len())
            .flat_map(|i| Scene::load(i).unwrap().lines.clone())
            .map(|l| l.text.to_string())
            .collect()
    };
    let english = lines("en");
    let chinese = lines("zh-Hant");
    let en = std::fs::read_to_string(root().join("locales/en.json")).unwrap();
    i18n::install_source("en", &en).unwrap();
    assert_eq!(english.len(), chinese.len());
    assert!(
        english.len() > 1000,
        "every scene's events: {}",
        english.len()
    );
    for (e, z) in english.iter().zip(&chinese) {
        assert_ne!(e, z, "told in English only");
        assert!(
            !z.contains("{") || e.contains("{"),
            "a parameter left unfilled: {z}"
        );
        assert!(!e.contains("{") || z.contains("{"), "{e}");
    }
    let errors: Vec<&String> = chinese.iter().filter(|z| z.contains("：E")).collect();
    assert!(
        errors.len() >= 3,
        "the scenes' refused, timed-out and in-use calls"
    );
    for z in errors {
        let why = z.rsplit('：').next().unwrap();
        assert!(
            why.chars().any(|c| c >= '\u{4E00}'),
            "the reason in Chinese: {z}"
        );
    }
    // The words a line is built from are Chinese too: the programs' names ("Node.js 伺服器
    // (node, pid 1000) 啟動"), why a segment was dropped, what an ICMP message says.
    let (en, zh) = (catalog("en"), catalog("zh-Hant"));
    let parts: Vec<(&str, &str, &str)> = en
        .iter()
        .filter(|(k, _)| {
            ["program.", "drop.", "icmp."]
                .iter()
                .any(|p| k.starts_with(p))
        })
        .map(|(k, e)| (k.as_str(), e.as_str().unwrap(), zh[k].as_str().unwrap()))
        .filter(|(_, e, _)| !e.contains('{'))
        .collect();
    assert!(parts.len() >= 20, "{parts:?}");
    // Commands, the same in every language.
    let same = ["program.curl", "program.mongo_shell"];
    for (key, e, z) in &parts {
        assert!(e != z || same.contains(key), "{key} is not translated: {z}");
        if same.contains(key) {
            continue;
        }
        let english = chinese.iter().find(|line| line.contains(e));
        assert!(english.is_none(), "{key} in English: {english:?}");
    }
    // Each program a scene runs and the firewall's drop are told at least once.
    for key in [
        "program.node_server",
        "program.web_browser",
        "drop.firewall",
    ] {
        let z = zh[key].as_str().unwrap();
        assert!(
            chinese.iter().any(|line| line.contains(z)),
            "{z} is never told"
        );
    }
}

/// Every lesson's solution and wrong answers get their feedback in each language: in
/// Traditional Chinese, in its own words (not the English), every parameter filled in.
#[test]
fn every_lessons_feedback_is_given_in_every_language() {
    use socketlab::view::scenes::Scene;
    let feedback = |lang: &str| -> Vec<String> {
        let source = std::fs::read_to_string(root().join(format!("locales/{lang}.json"))).unwrap();
        i18n::install_source(lang, &source).unwrap();
        let mut out = Vec::new();
        for lesson in socketlab::lessons::words::shipped() {
            let scene = Scene::load(Scene::index_of(&lesson.scenario).unwrap()).unwrap();
            // A challenge: the lesson each kind of fault draws, on its own run.
            let played: Vec<_> = match lesson.challenge {
                false => vec![(lesson.clone(), scene.scenario.clone(), None)],
                true => socketlab::lessons::challenge::Drawn::all()
                    .into_iter()
                    .map(|drawn| {
                        let setup =
                            socketlab::lessons::challenge::setup(&scene.scenario, drawn).unwrap();
                        let l = socketlab::lessons::challenge::lesson(&lesson, drawn.fault, &setup)
                            .unwrap();
                        let timeline = socketlab::engine::Timeline::record(
                            setup.build().unwrap(),
                            setup.run_limit(),
                        );
                        (l, setup, Some(timeline))
                    })
                    .collect(),
            };
            for (lesson, scenario, timeline) in &played {
                for step in &lesson.steps {
                    let Some(q) = &step.question else { continue };
                    for answer in std::iter::once(q.ask.solution()).chain(q.ask.wrong_answers()) {
                        let timeline = timeline.as_ref().unwrap_or(&scene.timeline);
                        let judged = q.ask.judge(&step.at, timeline, scenario, &answer);
                        out.push(judged.unwrap().verdict.feedback);
                    }
                }
            }
        }
        out
    };
    let english = feedback("en");
    let chinese = feedback("zh-Hant");
    let en = std::fs::read_to_string(root().join("locales/en.json")).unwrap();
    i18n::install_source("en", &en).unwrap();
    assert!(english.len() >= 40, "{}", english.len());
    // A right choice says nothing more than "Right." (its explanation is the lesson's text).
    for (e, z) in english.iter().zip(&chinese).filter(|(e, _)| !e.is_empty()) {
        assert_ne!(e, z, "given in English only");
        assert!(!z.contains('{'), "a parameter left unfilled: {z}");
    }
}

/// Every port of the registry is described in every language (what listens there, shown in the
/// Ports panel and in feedback), and the catalogs describe no port the registry lacks.
#[test]
fn every_registry_port_is_described_in_every_language() {
    use socketlab::engine::ports::SERVICES;
    let ports: BTreeSet<String> = SERVICES
        .iter()
        .map(|s| format!("port.{:05}", s.port))
        .collect();
    for (lang, _) in LANGUAGES {
        let described: BTreeSet<String> = catalog(lang)
            .keys()
            .filter(|k| k.starts_with("port."))
            .cloned()
            .collect();
        assert_eq!(described, ports, "{lang}");
    }
    for s in SERVICES {
        let said = socketlab::view::ports::description(s.port);
        assert!(said.is_some_and(|d| !d.is_empty()), "{}", s.port);
    }
}

/// Every reason a socket call can fail for (`engine::socket::Why`, read from its source) has its
/// message (`err.<reason in snake case>`) in every language, in that language's own words: the
/// shipped scenes make only a few of them, a learner's fix-it and the sandbox any.
#[test]
fn every_reason_a_call_fails_for_is_said_in_every_language() {
    let source = std::fs::read_to_string(root().join("src/engine/socket.rs")).unwrap();
    let body = source
        .split_once("pub enum Why {")
        .and_then(|(_, rest)| rest.split_once('}'))
        .map(|(body, _)| body)
        .expect("socket.rs has `pub enum Why`");
    let reasons: Vec<String> = body
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|variant| {
            let mut key = String::from("err.");
            for (i, c) in variant.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    key.push('_');
                }
                key.push(c.to_ascii_lowercase());
            }
            key
        })
        .collect();
    assert!(reasons.len() >= 30, "{reasons:?}");
    let (en, zh) = (catalog("en"), catalog("zh-Hant"));
    let said: BTreeSet<&String> = en
        .keys()
        .filter(|k| k.starts_with("err.") && *k != "err.said")
        .collect();
    assert_eq!(said, reasons.iter().collect(), "one message per reason");
    for key in &reasons {
        let z = zh[key].as_str().unwrap();
        assert!(z.chars().any(|c| c >= '\u{4E00}'), "{key} in Chinese: {z}");
        assert_ne!(en[key].as_str(), Some(z), "{key}");
    }
}

// --- Chinese as Hong Kong reads it -------------------------------------------------------------

/// The glossary (`locales/glossary.toml`).
fn glossary() -> toml::Table {
    let text = std::fs::read_to_string(root().join("locales/glossary.toml")).unwrap();
    text.parse().expect("the glossary is TOML")
}

/// Each term's Chinese and the other words for the same idea that no text may use.
fn avoided(glossary: &toml::Table) -> Vec<(String, Vec<String>)> {
    glossary["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| {
            let avoid = t.get("avoid")?.as_array()?;
            let words = avoid.iter().filter_map(|w| w.as_str()).map(str::to_string);
            Some((t["zh-Hant"].as_str()?.to_string(), words.collect()))
        })
        .collect()
}

/// Hong Kong's character forms: (use, not, except).
fn forms(glossary: &toml::Table) -> Vec<(String, String, Vec<String>)> {
    let s = |v: &toml::Value| v.as_str().unwrap().to_string();
    glossary["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let except = f.get("except").and_then(|e| e.as_array());
            (
                s(&f["use"]),
                s(&f["not"]),
                except.map_or(Vec::new(), |e| e.iter().map(s).collect()),
            )
        })
        .collect()
}

/// The terms that carry their English at their first use, with that English.
fn first_english(glossary: &toml::Table) -> Vec<(String, String)> {
    let terms = glossary["terms"].as_array().unwrap();
    glossary["first_english"]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|zh| {
            let zh = zh.as_str().unwrap();
            let en = terms
                .iter()
                .find(|t| t["zh-Hant"].as_str() == Some(zh))
                .unwrap_or_else(|| panic!("{zh}: first_english names a term the glossary lacks"));
            (zh.to_string(), en["en"].as_str().unwrap().to_string())
        })
        .collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A text with its `code spans` left out (a command, an address or a tool's output is the same in
/// every language): each becomes one "§".
fn prose(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { part } else { "§" })
        .collect()
}

/// The words of `avoid` that a text uses for a term's idea.
fn other_words(text: &str, terms: &[(String, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (zh, avoid) in terms {
        // The term itself may contain a shorter word that is avoided (連線被拒 in 連線被拒絕).
        let rest = text.replace(zh.as_str(), "\u{0}");
        out.extend(avoid.iter().filter(|w| rest.contains(w.as_str())).cloned());
    }
    out
}

/// The characters written in a form other than Hong Kong's.
fn other_forms(text: &str, forms: &[(String, String, Vec<String>)]) -> Vec<String> {
    forms
        .iter()
        .filter(|(_, not, except)| {
            let rest = except
                .iter()
                .fold(text.to_string(), |t, e| t.replace(e.as_str(), ""));
            rest.contains(not.as_str())
        })
        .map(|(right, not, _)| format!("{not} (Hong Kong writes {right})"))
        .collect()
}

/// Half-width quotes and brackets in a Chinese text: "…" for 「…」 and (…) for （…）. A
/// function's empty brackets after its name (`connect()`) are code, not punctuation.
fn half_width_marks(text: &str) -> Vec<String> {
    let text = prose(text);
    if !text.chars().any(is_han) {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let call = |at: usize| {
            chars[at] == '('
                && chars.get(at + 1) == Some(&')')
                && at > 0
                && (chars[at - 1].is_ascii_alphanumeric() || chars[at - 1] == '_')
        };
        let bad = match c {
            '"' => true,
            '(' => !call(i),
            ')' => !(i > 0 && call(i - 1)),
            _ => false,
        };
        if bad {
            let from = i.saturating_sub(6);
            out.push(chars[from..(i + 6).min(chars.len())].iter().collect());
        }
    }
    out
}

/// A time written with an ASCII unit after a number (or a number's parameter) in a Chinese text:
/// "100 ms" for 「100 毫秒」.
fn ascii_units(text: &str) -> Vec<String> {
    let text = prose(text);
    if !text.chars().any(is_han) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (at, c) in text.char_indices() {
        if !(c.is_ascii_digit() || c == '}') {
            continue;
        }
        let after = &text[at + 1..];
        let after = after.strip_prefix(' ').unwrap_or(after);
        for unit in ["ms", "µs", "us", "min", "s"] {
            if let Some(rest) = after.strip_prefix(unit) {
                if !rest.starts_with(|n: char| n.is_ascii_alphabetic()) {
                    out.push(format!("{c}{unit}"));
                    break;
                }
            }
        }
    }
    out
}

/// The parameters that carry a Chinese name (a host's, a program's): written against the Chinese
/// beside them, as 「{host}的 socket」.
const CHINESE_NAMES: [&str; 6] = ["host", "here", "owner", "process", "who", "name"];

/// A space between a parameter that carries a Chinese name and the Chinese beside it.
fn spaced_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in CHINESE_NAMES {
        let param = format!("{{{name}}}");
        for (at, _) in text.match_indices(&param) {
            let after = &text[at + param.len()..];
            let before = &text[..at];
            let spaced_after = after
                .strip_prefix(' ')
                .is_some_and(|r| r.starts_with(is_han));
            let spaced_before = before
                .strip_suffix(' ')
                .is_some_and(|b| b.ends_with(is_han));
            if spaced_after || spaced_before {
                out.push(param.clone());
            }
        }
    }
    out
}

/// In a lesson's or a scene's texts (in order), the terms whose first use lacks its English in
/// full-width brackets right after it: 「區段（segment）」.
fn unexplained_terms(texts: &[String], terms: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (zh, en) in terms {
        let first = texts.iter().map(|t| prose(t)).find_map(|t| {
            let at = t.find(zh.as_str())?;
            Some(t[at + zh.len()..].to_string())
        });
        if let Some(after) = first {
            let explained = after.strip_prefix('（').is_some_and(|inside| {
                let inside = inside.split('）').next().unwrap_or("");
                inside.to_lowercase().contains(&en.to_lowercase())
            });
            if !explained {
                out.push(format!("{zh} (first use without 「（{en}）」)"));
            }
        }
    }
    out
}

/// Every Chinese text: the catalog's messages, the lessons' and the scenes' words.
fn chinese() -> Vec<(String, String)> {
    said_in("zh-Hant")
        .into_iter()
        .flat_map(|(key, _, theirs)| theirs.into_iter().map(move |t| (key.clone(), t)))
        .collect()
}

#[test]
fn the_chinese_rules_catch_bad_examples() {
    let g = glossary();
    let (terms, forms) = (avoided(&g), forms(&g));
    // The glossary's terms: the other words for an idea are caught, the term itself is not.
    assert_eq!(other_words("伺服器的 IP 位址", &terms), ["位址"]);
    assert!(other_words("伺服器的 IP 地址", &terms).is_empty());
    assert_eq!(other_words("錯誤：連線被拒", &terms), ["連線被拒"]);
    assert!(other_words("錯誤：連線被拒絕", &terms).is_empty());
    assert_eq!(other_words("回到所有課堂", &terms), ["課堂"]);
    // Hong Kong's forms, but 著 stays in 著名.
    assert_eq!(other_forms("在這裡等著", &forms).len(), 2);
    assert!(other_forms("在這裏等着一個著名的埠", &forms).is_empty());
    // Full-width quotes and brackets; a function's () and code are not punctuation.
    assert_eq!(
        half_width_marks("curl 報告 \"Connection refused\"").len(),
        2
    );
    assert_eq!(half_width_marks("伺服器 (Node.js) 監聽").len(), 2);
    assert!(half_width_marks("呼叫 connect() 之後，`ss (x)` 顯示「LISTEN」（監聽）").is_empty());
    assert!(half_width_marks("only English (here)").is_empty());
    // 秒 and 毫秒 after a number, not s and ms; a word that starts with s is not a unit.
    assert_eq!(ascii_units("它在 100 ms 後到達"), ["0ms"]);
    assert_eq!(ascii_units("等了 {n}s 之後"), ["}s"]);
    assert!(ascii_units("它在 100 毫秒後到達，8099 socket，`sleep 3s`").is_empty());
    // A Chinese name against the Chinese beside it; numbers keep their space.
    assert_eq!(spaced_names("{process} 的 socket"), ["{process}"]);
    assert_eq!(spaced_names("送往 {host}"), ["{host}"]);
    assert!(spaced_names("{process}的 socket 監聽連接埠 {port}（{host}）").is_empty());
    // A Taiwanese textbook's term: its English at its first use, plain after.
    let english = first_english(&g);
    let texts = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(unexplained_terms(&texts(&["一個區段（segment）", "另一個區段"]), &english).is_empty());
    assert_eq!(
        unexplained_terms(&texts(&["一個區段", "另一個區段（segment）"]), &english).len(),
        1
    );
}

/// Every Chinese text says each idea with the glossary's one word, in Hong Kong's forms.
#[test]
fn chinese_says_each_idea_one_way_in_hong_kong_forms() {
    let g = glossary();
    let (terms, forms) = (avoided(&g), forms(&g));
    let mut problems = Vec::new();
    for (key, text) in chinese() {
        let text = prose(&text);
        for w in other_words(&text, &terms)
            .into_iter()
            .chain(other_forms(&text, &forms))
        {
            problems.push(format!("{key}: {w}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Chinese text uses full-width quotes and brackets, 秒 and 毫秒, and writes a Chinese name
/// against the Chinese beside it.
#[test]
fn chinese_uses_its_own_punctuation_units_and_spacing() {
    let mut problems = Vec::new();
    for (key, text) in chinese() {
        for m in half_width_marks(&text) {
            problems.push(format!("{key}: half-width mark in …{m}…"));
        }
        for u in ascii_units(&text) {
            problems.push(format!("{key}: unit {u:?}"));
        }
        for p in spaced_names(&text) {
            problems.push(format!("{key}: a space beside {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A term from Taiwanese textbooks that a Hong Kong student may not know (區段, 酬載, 旗標, 程序)
/// has its English beside it at its first use in each lesson and each scene.
#[test]
fn a_taiwanese_term_has_its_english_at_its_first_use_in_each_lesson_and_scene() {
    let english = first_english(&glossary());
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (key, _, theirs) in said_in("zh-Hant") {
        let mut words = key.split(' ');
        let (Some(kind @ ("lesson" | "scene")), Some(id)) = (words.next(), words.next()) else {
            continue;
        };
        let group = format!("{kind} {id}");
        match groups.last_mut() {
            Some((g, texts)) if *g == group => texts.extend(theirs),
            _ => groups.push((group, theirs)),
        }
    }
    assert!(
        groups.len() >= 15,
        "every lesson and scene: {}",
        groups.len()
    );
    let problems: Vec<String> = groups
        .iter()
        .flat_map(|(g, texts)| {
            unexplained_terms(texts, &english)
                .into_iter()
                .map(move |p| format!("{g}: {p}"))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The workshop's words (keys `workshop.…`) ship in a file of their own that only the workshop's
/// page loads (`scripts/postbuild.mjs`): every other page has an empty text there. So only the
/// workshop's code may say them: its module, and the player's way back to it (built only with
/// the workshop).
#[test]
fn only_the_workshops_code_says_the_workshops_words() {
    let allowed = ["src/ui/workshop.rs", "src/ui/app.rs"];
    let mut found = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&path).unwrap();
                // A scenario file's problems name their messages (`workshop.problem.…`) where
                // the file is checked: the worker sends them to the workshop, which says them.
                let said = text
                    .match_indices("Msg::Workshop")
                    .any(|(at, _)| !text[at..].starts_with("Msg::WorkshopProblem"));
                if said && !allowed.contains(&name.as_str()) {
                    found.push(name);
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the workshop's words said outside it: {found:?}"
    );
    // In the player, only under the workshop's feature.
    let app = std::fs::read_to_string("src/ui/app.rs").unwrap();
    for (i, _) in app.match_indices("Msg::Workshop") {
        let before = &app[..i];
        let gate = before.rfind("#[cfg(feature = \"workshop\")]").unwrap_or(0);
        assert!(
            gate > 0 && before[gate..].matches("\n}\n").count() == 0,
            "src/ui/app.rs says a workshop word outside #[cfg(feature = \"workshop\")]"
        );
    }
}
