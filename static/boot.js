// Loads the app's wasm. This file exists so that index.html needs no inline script and the
// Content-Security-Policy can stay at script-src 'self' 'wasm-unsafe-eval'. Trunk writes the
// modules under stable names (Trunk.toml: filehash = false); each finds its wasm beside it.
//
// The page's first screen is plain HTML (index.html). The app's code is requested only once
// that screen has painted (two animation frames), so the first paint never waits for it and
// the app then takes the screen over.

function showFatal(detail) {
  const fatal = document.getElementById("fatal");
  const text = document.getElementById("fatal-detail");
  const boot = document.getElementById("boot-message");
  if (boot) boot.remove();
  if (text) text.textContent = detail;
  if (fatal) fatal.hidden = false;
}

// Launched from the SCORM package: the LMS bridge runs first, so the app starts at the step
// and with the progress the LMS saved. Embedded: the page drops the site's header and sizes its
// frame.
const query = new URLSearchParams(location.search);
const inLms = query.get("lms") === "scorm12";
const first = [];
if (inLms) first.push(import("./lms.js"));
if (query.get("embed") === "1") first.push(import("./embed.js"));

// The page's language: lang.js chose it before the first paint (the first screen shows its
// words); once the LMS bridge has run, the LMS's language counts too. Only that language's
// catalog is loaded (locales/<lang>.json), beside the app's code, and with it the words the page
// shows: those of the lesson the address opens (with its scene's), the free player's scenes', or
// the home screen's titles.
const chooseLanguage = () => globalThis.socketlabChooseLanguage();

// The words the page shows: the app's lesson panel (or free player, "@", or workshop, "%")
// names them; before the app has drawn, the address does: a lesson, if it is one the page lists
// (an address may name one there is not: the app then shows the home screen, which needs the
// titles), the workshop, or the free player's scenes (the parameters of src/ui/route.rs's
// PLAYER_PARAMS).
function shownLesson() {
  const panel = document.querySelector("#app [data-lesson]");
  if (panel) return panel.dataset.lesson;
  const q = new URLSearchParams(location.search);
  const asked = q.get("lesson");
  if (asked) return document.querySelector(`#app a[href^="?lesson=${CSS.escape(asked)}&"]`) ? asked : "";
  // The workshop: its address, or a shared scene's link (the scene is in the fragment).
  if (q.has("workshop") || location.hash.startsWith("#s=")) return "%";
  // The learner's own traffic.
  if (q.has("import")) return "&";
  return ["scene", "t", "speed", "play", "explore"].some((p) => q.has(p)) ? "@" : "";
}

function loadCatalog(lang) {
  // Words that do not load here are asked for again by the app, which says so if they still
  // do not come; so is the free player's scene's recording.
  const shown = shownLesson();
  // The workshop ("%") and the import ("&") show the learner's own: no lesson's or shipped
  // scene's words.
  const words = shown === "%" || shown === "&" ? Promise.resolve() : loadLesson(lang, shown).catch(() => {});
  const scene =
    shown === "@"
      ? words.then(() => {
          // A scene the address names, if the player has it; else its first (src/view/scenes.rs).
          const asked = new URLSearchParams(location.search).get("scene");
          const ids = lessonWords[`${lang}/@`] || [];
          return loadRecording(ids.includes(asked) ? asked : "slides").catch(() => {});
        })
      : null;
  // The home screen's catalog has its own words; every other page's leaves them out. The
  // workshop and the import put their own in (part-boot.js).
  const file = `locales/${shown ? "app-" : ""}${lang}.json`;
  const part = globalThis.socketlabCatalogPart;
  const catalog = fetch(file)
    .then((r) => {
      if (!r.ok) throw new Error(`its language file (${file}) did not load (HTTP ${r.status})`);
      return r.json();
    })
    .then((messages) => (part ? part(messages, lang) : messages))
    .then((messages) => {
      globalThis.socketlabCatalog = { lang, messages };
      document.documentElement.lang = lang;
    });
  return Promise.all([catalog, words, scene]);
}

// Words, fetched when they are shown and kept here under "lang/id" for the app:
// - a lesson's every text (lessons/<lang>/<id>.json: [texts, its scene's id, the scene's words]),
//   with its scene's words kept under "lang/@scene";
// - for no id, every lesson's title and goal (lessons/<lang>.json);
// - for "@", every scene's words (scenes/<lang>.json, by scene id), each kept under "lang/@id",
//   and under "lang/@" the list of their ids.
const lessonWords = (globalThis.socketlabLessonTexts = {});
function loadLesson(lang, id) {
  if (!/^(@|[a-z0-9-]*)$/.test(id)) return Promise.reject(new Error(`there is no lesson "${id}"`));
  const file = id === "@" ? `scenes/${lang}.json` : id ? `lessons/${lang}/${id}.json` : `lessons/${lang}.json`;
  return fetch(file)
    .then((r) => {
      if (!r.ok) throw new Error(`${file} did not load (HTTP ${r.status})`);
      return r.json();
    })
    .then((texts) => {
      const keepScene = (scene, words) => (lessonWords[`${lang}/@${scene}`] = words);
      let scene = null;
      if (id === "@") {
        for (const [scene, words] of Object.entries(texts)) keepScene(scene, words);
        texts = Object.keys(texts);
      } else if (id) {
        const [own, ofLesson, words] = texts;
        keepScene(ofLesson, words);
        texts = own;
        scene = ofLesson;
      }
      // A lesson's words are in once its scene's recording is too.
      return (scene ? loadRecording(scene) : Promise.resolve()).then(() => {
        lessonWords[`${lang}/${id}`] = texts;
      });
    });
}

// Each shipped scene's recorded run (recordings/<scene>.bin, what the app plays), fetched with
// the words that open the scene, or when the free player turns to it, and kept here as bytes
// by scene id.
const recordings = (globalThis.socketlabRecordings = {});
const fetching = {};
function loadRecording(scene) {
  if (recordings[scene]) return Promise.resolve();
  if (!/^[a-z0-9-]+$/.test(scene)) return Promise.reject(new Error(`there is no scene "${scene}"`));
  const file = `recordings/${scene}.bin`;
  fetching[scene] ??= fetch(file)
    .then((r) => {
      if (!r.ok) throw new Error(`${file} did not load (HTTP ${r.status})`);
      return r.arrayBuffer();
    })
    .then((bytes) => {
      recordings[scene] = new Uint8Array(bytes);
    })
    .finally(() => delete fetching[scene]);
  return fetching[scene];
}

// The language picker asks for another catalog through this, and the app for lesson words;
// the app is drawn again once they are in place.
globalThis.socketlabLanguage = loadCatalog;
globalThis.socketlabLesson = loadLesson;
globalThis.socketlabRecording = loadRecording;

// The app's build, by what the address opens, so that a page carries only its own code
// (Cargo.toml's features): a scene gets the free player's build, a lesson the lessons' build (a
// challenge, whose card on the first screen says so, the challenges' build), and any other
// address (the home screen, or a lesson there is not) the home screen's.
const shown = shownLesson();
// The workshop's and the import's styles and words' loader, with their pages only.
const ownPart = { "%": "workshop", "&": "import" }[shown];
if (ownPart) first.push(import("./part-boot.js").then((m) => m.default(ownPart)));
const challenge = shown && shown !== "@" && document.querySelector(`#app a[data-challenge][href^="?lesson=${CSS.escape(shown)}&"]`);
const build = ownPart ? `./socketlab-${ownPart}.js` : shown === "@" ? "./socketlab-player.js" : challenge ? "./socketlab-challenge.js" : shown ? "./socketlab.js" : "./socketlab-home.js";

function start() {
  Promise.all(first)
    .then(() => Promise.all([import(build), loadCatalog(chooseLanguage())]))
    .then(([app]) => app.default())
    .catch((err) => {
      // A panic has already shown its own message; anything else (no WebAssembly, a missing
      // file) still gets a readable one instead of a blank page.
      const fatal = document.getElementById("fatal");
      if (fatal && !fatal.hidden) return;
      showFatal("The app could not start: " + (err && err.message ? err.message : String(err)));
    });
}

requestAnimationFrame(() => requestAnimationFrame(start));

// Offline after the first visit: the service worker (sw.js) keeps this release of the site. Not
// inside an LMS's package, where a service worker may not be allowed: there, and wherever
// registering fails, the page works online as before and says nothing. When the release that
// answers differs from the one seen last, one line says so.
const SEEN = "socketlab.release";
function offline() {
  const sw = navigator.serviceWorker;
  if (!sw || inLms) return;
  // Each visit asks for sw.js again, so a new release is found on the visit after it is
  // published (and used from the one after that).
  sw.register("sw.js")
    .then((r) => r.update())
    .catch(() => {});
  sw.addEventListener("message", (e) => {
    const now = e.data && e.data.version;
    if (!now || now === "dev") return;
    try {
      const before = localStorage.getItem(SEEN);
      localStorage.setItem(SEEN, now);
      const line = document.getElementById("update-notice");
      if (before && before !== now && line) line.hidden = false;
    } catch {
      /* no storage: nothing to compare */
    }
  });
  sw.startMessages();
  if (sw.controller) sw.controller.postMessage("version");
}
offline();
