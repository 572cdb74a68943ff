//! The first screen in index.html is plain HTML, painted before the app's code arrives: the
//! home screen. Its words must be the app's home screen's, or the page would say one thing and
//! then another: each lesson's title, goal and link in order, and the intro.
#![cfg(not(target_arch = "wasm32"))]

use socketlab::lessons::words::shipped;

/// Whitespace folded to single spaces, and the few entities index.html uses decoded.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&amp;", "&")
}

/// Every text between `open` (its end) and the next `close`, in order.
fn all_between<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let start = i + open.len();
        let start = start + rest[start..].find('>').unwrap() + 1;
        let end = start + rest[start..].find(close).unwrap();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_static_first_screen_is_the_home_screen_the_app_draws() {
    let root = env!("CARGO_MANIFEST_DIR");
    let html = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
    let lessons = shipped();
    // Each title and goal in every language, as (English, Chinese).
    let both = |chunk: &str| -> (String, String) {
        let en = all_between(chunk, "<span class=\"in-en\"", "</span>");
        let zh = all_between(chunk, "<span class=\"in-zh\"", "</span>");
        (fold(en[0]), fold(zh[0]))
    };
    let titles: Vec<(String, String)> =
        all_between(&html, "<span class=\"lesson-title\"", "</span></span>")
            .into_iter()
            .map(|c| both(&format!("{c}</span>")))
            .collect();
    let goals: Vec<(String, String)> = all_between(&html, "<p class=\"lesson-goal\"", "</p>")
        .into_iter()
        .map(both)
        .collect();
    let said = |text: &dyn Fn(&socketlab::lessons::Lesson) -> &socketlab::lessons::Text| {
        lessons
            .iter()
            .map(|l| {
                (
                    text(l).get("en").to_string(),
                    text(l).get("zh-Hant").to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let links: Vec<String> = all_between(&html, "<li class=\"lesson-card new\"", "\">")
        .into_iter()
        .map(|a| {
            let href = a.trim().trim_start_matches("<a href=\"");
            fold(href.split('"').next().unwrap_or(href))
        })
        .collect();
    assert_eq!(titles, said(&|l| &l.title));
    assert_eq!(goals, said(&|l| &l.goal));
    assert_eq!(
        links,
        lessons
            .iter()
            .map(|l| format!("?lesson={}&step=1", l.id))
            .collect::<Vec<_>>()
    );
    let intro = all_between(&html, "<p class=\"intro\"", "</p>")[0];
    assert!(
        intro.contains(&*socketlab::i18n::t(socketlab::i18n::Msg::HomeIntro)),
        "the home screen draws the same intro (locales/en.json)"
    );
}

/// The first screen's words are there in each language, side by side (the page's language
/// shows), and each pair is one message of the catalogs.
#[test]
fn the_first_screens_words_are_the_catalogs_in_each_language() {
    let root = env!("CARGO_MANIFEST_DIR");
    let html = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
    let catalog = |lang: &str| -> serde_json::Map<String, serde_json::Value> {
        let text = std::fs::read_to_string(format!("{root}/locales/{lang}.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let (en, zh) = (catalog("en"), catalog("zh-Hant"));
    let english = all_between(&html, "<span class=\"in-en\"", "</span>");
    let chinese = all_between(&html, "<span class=\"in-zh\"", "</span>");
    assert_eq!(
        english.len(),
        chinese.len(),
        "every English word has its Chinese"
    );
    assert!(
        english.len() >= 34,
        "tagline, intro, heading, ten lessons' titles, goals and states, loading"
    );
    // The words are a message of the catalogs, or a lesson's title or goal (from its file).
    let mut pairs: Vec<(String, String)> = en
        .iter()
        .filter_map(|(k, v)| Some((v.as_str()?.to_string(), zh[k].as_str()?.to_string())))
        .collect();
    for l in shipped() {
        for text in [&l.title, &l.goal] {
            pairs.push((text.get("en").to_string(), text.get("zh-Hant").to_string()));
        }
    }
    // Said by boot.js or the panic hook, not drawn by the app, so not in the catalogs: the
    // release changed; the app stopped (which must be said even when no catalog loaded).
    for (e, z) in [
        (
            "Socket Lab was updated since your last visit.",
            "Socket Lab 自你上次瀏覽後已經更新。",
        ),
        ("Socket Lab stopped working", "Socket Lab 停止運作了"),
        (
            "Something went wrong inside the app. Your progress on this page is lost, but reloading starts it fresh.",
            "程式內部出了問題。這一頁上的進度已經失去，但重新載入可以重新開始。",
        ),
        ("Reload Socket Lab", "重新載入 Socket Lab"),
    ] {
        pairs.push((e.to_string(), z.to_string()));
    }
    for (e, z) in english.iter().zip(&chinese) {
        let (_, said) = pairs
            .iter()
            .find(|(english, _)| *english == fold(e))
            .unwrap_or_else(|| {
                panic!("\"{e}\" is not in locales/en.json nor a lesson's title or goal")
            });
        assert_eq!(*said, fold(z), "\"{e}\" in zh-Hant");
    }
    assert!(
        html.contains("<span class=\"in-zh\" lang=\"zh-Hant\">"),
        "the Chinese words say their language"
    );
}

/// A challenge's card on the first screen says it is one (`data-challenge`), and no lesson's
/// does: `static/boot.js` loads the challenges' build for its address (the lessons' build would
/// send it there again).
#[test]
fn the_first_screen_marks_the_challenges_for_boot_js() {
    let root = env!("CARGO_MANIFEST_DIR");
    let html = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
    for l in shipped() {
        let link = format!("<a href=\"?lesson={}&amp;step=1\"", l.id);
        let at = html
            .find(&link)
            .unwrap_or_else(|| panic!("no card for {}", l.id));
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        assert_eq!(tag.contains(" data-challenge"), l.challenge, "{tag}");
    }
    let boot = std::fs::read_to_string(format!("{root}/static/boot.js")).unwrap();
    assert!(boot.contains("a[data-challenge]") && boot.contains("./socketlab-challenge.js"));
}

/// Every build of the app that `index.html` makes (all but the engine's worker, a classic
/// script) gets its imports' short names (`scripts/postbuild.mjs`): a build left out of that
/// list carries every import's long name (12 KB for the challenges' build).
#[test]
fn every_app_build_gets_short_import_names() {
    let root = env!("CARGO_MANIFEST_DIR");
    let html = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
    let post = std::fs::read_to_string(format!("{root}/scripts/postbuild.mjs")).unwrap();
    let list = post
        .split("for (const name of [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap();
    let listed: Vec<&str> = list
        .split(',')
        .map(|s| s.trim().trim_matches('"'))
        .collect();
    let builds: Vec<&str> = html
        .split("data-bin=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        // The workers are classic scripts, loaded by their own loaders.
        .filter(|b| *b != "socketlab-engine" && *b != "socketlab-capture")
        .collect();
    assert!(builds.len() >= 4, "{builds:?}");
    for b in builds {
        assert!(
            listed.contains(&b),
            "{b} is not in postbuild.mjs's list {listed:?}"
        );
    }
}
