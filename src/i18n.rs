//! Words are data: every sentence a learner reads comes from a message catalog, one per
//! language (`locales/en.json`, `locales/zh-Hant.json`), and the code names a message by its
//! key ([`Msg`], generated from the English catalog by `build.rs`, so a key that is not in the
//! catalog does not compile). The engine has no words of its own.
//!
//! A message is a text with named parameters (`"In progress: step {step} of {steps}"`), or a
//! text per plural form (`{"one": "…", "other": "…"}`: English has two; Chinese needs none,
//! so its catalog gives one text).
//!
//! In the page, the catalog of the chosen language only is loaded: `static/boot.js` fetches
//! `locales/<lang>.json` (an array in [`Msg`]'s order, written by `scripts/postbuild.mjs`)
//! beside the app's code and leaves it in `globalThis.socketlabCatalog`, which [`install`]
//! reads once at start. Natively (tests, tools) the English catalog is read from its source.

use std::cell::RefCell;
use std::rc::Rc;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The languages there are catalogs for: (tag, own name).
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("zh-Hant", "繁體中文")];

/// One message: a text, or a text for one and one for any other number.
#[derive(Clone, Debug)]
enum Entry {
    Text(Rc<str>),
    Plural { one: Rc<str>, other: Rc<str> },
}

struct Catalog {
    lang: &'static str,
    entries: Vec<Entry>,
}

thread_local! {
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// The language of the installed catalog ("en" until one is installed).
pub fn lang() -> &'static str {
    with(|c| c.lang)
}

/// A message with no parameters: the catalog's own text, shared (an `Rc<str>` goes into the
/// page's markup without a copy).
pub fn t(msg: Msg) -> Rc<str> {
    with(|c| match &c.entries[msg as usize] {
        Entry::Text(t) | Entry::Plural { other: t, .. } => t.clone(),
    })
}

/// A message with its parameters filled in: `{name}` becomes the value given for `name`.
pub fn tp(msg: Msg, args: &[(&str, &str)]) -> String {
    with(|c| fill(text(&c.entries[msg as usize], 0), args))
}

/// A message whose words depend on a number (`count`), with its parameters filled in.
pub fn tn(msg: Msg, count: u64, args: &[(&str, &str)]) -> String {
    with(|c| fill(text(&c.entries[msg as usize], count), args))
}

fn text(entry: &Entry, count: u64) -> &str {
    match entry {
        Entry::Text(t) => t,
        // English's rule, the only language here with plural forms.
        Entry::Plural { one, .. } if count == 1 => one,
        Entry::Plural { other, .. } => other,
    }
}

/// `template` with each `{name}` replaced by its value in `args` (a name not given stays).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let given = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match given {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn with<R>(f: impl FnOnce(&Catalog) -> R) -> R {
    CATALOG.with(|cell| {
        if cell.borrow().is_none() {
            *cell.borrow_mut() = Some(default_catalog());
        }
        f(cell.borrow().as_ref().expect("installed just above"))
    })
}

/// The English catalog from its source file, natively (tests and tools read words this way).
#[cfg(not(target_arch = "wasm32"))]
fn default_catalog() -> Catalog {
    from_source("en", include_str!("../locales/en.json")).expect("locales/en.json is a catalog")
}

/// In the page, the catalog is installed at start, before anything is drawn (or the page says
/// why it cannot be); a message asked for before that (there is none) would read as empty
/// rather than stop the app. (Not the keys: they would cost the page 1 KB.)
#[cfg(target_arch = "wasm32")]
fn default_catalog() -> Catalog {
    Catalog {
        lang: "en",
        entries: vec![Entry::Text(Rc::from("")); KEYS.len()],
    }
}

/// A catalog's source (`locales/<lang>.json`: keys to texts or plural forms), read natively.
#[cfg(not(target_arch = "wasm32"))]
fn from_source(lang: &str, source: &str) -> Result<Catalog, String> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(source).map_err(|e| e.to_string())?;
    let entries = KEYS
        .iter()
        .map(|key| match map.get(*key) {
            Some(serde_json::Value::String(s)) => Ok(Entry::Text(Rc::from(s.as_str()))),
            Some(serde_json::Value::Object(forms)) => {
                let form = |f: &str| forms.get(f).and_then(|v| v.as_str()).map(Rc::from);
                match (form("one"), form("other")) {
                    (Some(one), Some(other)) => Ok(Entry::Plural { one, other }),
                    _ => Err(format!("{key}: plural forms need \"one\" and \"other\"")),
                }
            }
            _ => Err(format!("{key} is missing")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Catalog {
        lang: tag(lang),
        entries,
    })
}

/// Use the catalog of `lang` from its source text (tests of words in another language).
#[cfg(not(target_arch = "wasm32"))]
pub fn install_source(lang: &str, source: &str) -> Result<(), String> {
    let catalog = from_source(lang, source)?;
    CATALOG.with(|cell| *cell.borrow_mut() = Some(catalog));
    Ok(())
}

/// A language tag as one of [`LANGUAGES`] (English for any other).
fn tag(lang: &str) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(t, _)| *t == lang)
        .map_or("en", |(t, _)| t)
}

/// Use the catalog of `lang` from its source text (`locales/<lang>.json`), as the page would
/// after loading it (component tests, which have no page of ours to load it).
#[cfg(target_arch = "wasm32")]
pub fn install_source(lang: &str, source: &str) -> Result<(), String> {
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let map = js_sys::JSON::parse(source).map_err(|_| format!("{lang}: not JSON"))?;
    let messages = js_sys::Array::new();
    for key in KEYS {
        let m = get(&map, key).filter(|m| !m.is_undefined());
        let m = m.ok_or_else(|| format!("{lang}: {key} is missing"))?;
        match m.as_string() {
            Some(_) => messages.push(&m),
            None => messages.push(&js_sys::Array::of2(
                &get(&m, "one").unwrap_or_default(),
                &get(&m, "other").unwrap_or_default(),
            )),
        };
    }
    let loaded = js_sys::Object::new();
    let set = |k: &str, v: &wasm_bindgen::JsValue| js_sys::Reflect::set(&loaded, &k.into(), v);
    let _ = set("lang", &lang.into());
    let _ = set("messages", &messages);
    let _ = js_sys::Reflect::set(&js_sys::global(), &"socketlabCatalog".into(), &loaded);
    install()
}

/// Use the shipped lessons' words in `lang` from their source (`locales/lessons/<lang>.json`),
/// as the page has them once each lesson and the home screen have been opened (component tests).
#[cfg(target_arch = "wasm32")]
pub fn install_lessons_source(lang: &str, source: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let by_id = js_sys::JSON::parse(source).map_err(|_| format!("{lang}: not JSON"))?;
    let (heads, words) = (js_sys::Array::new(), js_sys::Object::new());
    for id in js_sys::Object::keys(by_id.unchecked_ref::<js_sys::Object>()).iter() {
        let texts: js_sys::Array = js_sys::Reflect::get(&by_id, &id)
            .unwrap_or_default()
            .unchecked_into();
        heads.push(&texts.get(0));
        heads.push(&texts.get(1));
        let key = format!("{lang}/{}", id.as_string().unwrap_or_default());
        let _ = js_sys::Reflect::set(&words, &key.into(), &texts);
    }
    let _ = js_sys::Reflect::set(&words, &format!("{lang}/").into(), &heads);
    let _ = js_sys::Reflect::set(&js_sys::global(), &"socketlabLessonTexts".into(), &words);
    Ok(())
}

/// Use the shipped scenes' words in `lang` from their source (`locales/scenes/<lang>.json`), as
/// the page has them once the free player has opened (component tests).
#[cfg(target_arch = "wasm32")]
pub fn install_scenes_source(lang: &str, source: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let by_id = js_sys::JSON::parse(source).map_err(|_| format!("{lang}: not JSON"))?;
    let global = js_sys::global();
    let mut words =
        js_sys::Reflect::get(&global, &"socketlabLessonTexts".into()).unwrap_or_default();
    if !words.is_object() {
        words = js_sys::Object::new().into();
        let _ = js_sys::Reflect::set(&global, &"socketlabLessonTexts".into(), &words);
    }
    let ids = js_sys::Object::keys(by_id.unchecked_ref::<js_sys::Object>());
    for id in ids.iter() {
        let key = format!("{lang}/@{}", id.as_string().unwrap_or_default());
        let texts = js_sys::Reflect::get(&by_id, &id).unwrap_or_default();
        let _ = js_sys::Reflect::set(&words, &key.into(), &texts);
    }
    let _ = js_sys::Reflect::set(&words, &format!("{lang}/@").into(), &ids);
    Ok(())
}

/// Lesson words in the installed catalog's language, once the page has loaded them
/// (`static/boot.js` keeps them in `globalThis.socketlabLessonTexts`, under "lang/id"): lesson
/// `id`'s every text (see [`crate::lessons::words`]), for `""` every lesson's title and goal,
/// in the order of the shipped lessons, for `"@id"` scene `id`'s words (see
/// [`crate::view::scenes`]) and for `"@"` the ids of the scenes whose words are in.
#[cfg(target_arch = "wasm32")]
pub fn lesson_words(id: &str) -> Option<Vec<Rc<str>>> {
    use wasm_bindgen::JsCast;
    let all = js_sys::Reflect::get(&js_sys::global(), &"socketlabLessonTexts".into()).ok()?;
    let key = format!("{}/{id}", lang());
    let texts = js_sys::Reflect::get(&all, &key.into()).ok()?;
    let texts = texts.dyn_into::<js_sys::Array>().ok()?;
    texts
        .iter()
        .map(|v| v.as_string().map(|s| Rc::from(s.as_str())))
        .collect()
}

/// Install the catalog the page loaded (`globalThis.socketlabCatalog`: `{lang, messages}`,
/// `messages` an array in [`Msg`]'s order), or say why it cannot be used.
#[cfg(target_arch = "wasm32")]
pub fn install() -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let loaded = get(&js_sys::global(), "socketlabCatalog")
        .filter(|v| v.is_object())
        .ok_or("the page loaded no language file")?;
    let lang = get(&loaded, "lang")
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let messages = get(&loaded, "messages")
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .filter(|a| a.length() as usize == KEYS.len())
        .ok_or("the language file is not this release's")?;
    let text = |v: wasm_bindgen::JsValue| v.as_string().map(|s| Rc::from(s.as_str()));
    let entries = messages
        .iter()
        .map(|m| match m.dyn_into::<js_sys::Array>() {
            Ok(forms) => text(forms.get(0))
                .zip(text(forms.get(1)))
                .map(|(one, other)| Entry::Plural { one, other }),
            Err(m) => text(m).map(Entry::Text),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or("the language file is damaged")?;
    let catalog = Catalog {
        lang: tag(&lang),
        entries,
    };
    CATALOG.with(|cell| *cell.borrow_mut() = Some(catalog));
    Ok(())
}

// Problems with a file (`crate::engine::checker`), said: the engine names what is wrong, by a
// message and its values; the words are the catalog's, here.
use crate::engine::checker::{Arg, Problem, Said};
use std::fmt;

impl Said {
    /// The sentence in the installed catalog's language (English natively).
    pub fn words(&self) -> String {
        self.words_with(&|path: &str| path.to_string())
    }

    /// The sentence, with each place in the file said by `place` (from its path).
    pub fn words_with(&self, place: &dyn Fn(&str) -> String) -> String {
        match self {
            Said::Author(s) => s.clone(),
            Said::Message(msg, args) => {
                let args: Vec<(&str, String)> = args
                    .iter()
                    .map(|(name, a)| {
                        let value = match a {
                            Arg::Text(t) => t.clone(),
                            Arg::Word(w) => t(*w).to_string(),
                            Arg::Place(p) => place(p),
                        };
                        (name.as_str(), value)
                    })
                    .collect();
                let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
                tp(*msg, &args)
            }
        }
    }
}

/// A value in words (a word in the installed catalog's language).
impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Text(t) | Arg::Place(t) => f.write_str(t),
            Arg::Word(w) => f.write_str(&t(*w)),
        }
    }
}

impl Problem {
    /// What is wrong, in words (see [`Said::words`]).
    pub fn message(&self) -> String {
        self.said.words()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message())
        } else {
            write!(f, "{}: {}", self.path, self.message())
        }
    }
}
