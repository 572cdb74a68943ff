// Trunk's post-build hook (Trunk.toml). In every build, the message catalogs (below). In a
// release build:
// 1. terser (pinned in package.json) minifies every JavaScript file of the site: wasm-bindgen's
//    glue (Trunk's own minifier cannot parse it), lang.js, boot.js, stage.js, lms.js, embed.js.
//    Comments and long names go; what the code does does not change.
// 2. The wasm's imports from the glue get short names, in both files (scripts/short-imports.mjs).
// 3. sw.js, the service worker, gets the site's version (a hash of every other file) and the list
//    of files to keep offline. A development build leaves it with no files: it then keeps nothing.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";
import { shortenImports } from "./short-imports.mjs";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("scripts/postbuild.mjs runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)");
/** `code` minified; a module's top-level names may go too, a classic script's stay. */
async function squeeze(code, module) {
  const out = await minify(code, { module, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  return out.code;
}

// Every build: each catalog of locales/ becomes dist/locales/<lang>.json, the array the app
// reads by position: one entry per key of locales/en.json in sorted order (the order of the
// `Msg` enum build.rs makes), a text or [one, other]. A key missing from a catalog stops the
// build here rather than show a learner a key. The lessons' words in each language
// (locales/lessons/<lang>.json, written from the lesson files by tests/lessons.rs) become
// dist/lessons/<lang>/<id>.json, a lesson's every text with its scene's id and words, fetched
// when it opens, and dist/lessons/<lang>.json, every lesson's title and goal in order, for the
// home screen. The scenes' words (locales/scenes/<lang>.json, written by tests/builtin.rs) become
// dist/scenes/<lang>.json, for the free player. English stands in for a text a lesson or a scene
// does not have in that language.
{
  const src = join(dirname(fileURLToPath(import.meta.url)), "..", "locales");
  const read = (name) => JSON.parse(readFileSync(join(src, name), "utf8"));
  const keys = Object.keys(read("en.json")).sort();
  const bad = keys.find((k) => !/^[a-z0-9._-]+$/.test(k));
  if (bad) throw new Error(`locales/en.json: the key ${JSON.stringify(bad)} is not lowercase ASCII`);
  const english = read("lessons/en.json");
  const englishScenes = read("scenes/en.json");
  // Each lesson's scene, as the lesson reader read it (written by tests/lessons.rs).
  const sceneOf = read("lessons/scenes.json");
  for (const id of Object.keys(english)) {
    if (!englishScenes[sceneOf[id]]) throw new Error(`locales/lessons/scenes.json: lesson ${id} has no shipped scene`);
  }
  // The home screen's own words: keys under "home." that only src/ui/home.rs says (by name,
  // `Msg::HomeIntro`; a file naming messages any other way, `Msg::*` or `Msg::{…}`, stops the
  // build, since its words could not be told). Every page but the home screen loads
  // locales/app-<lang>.json, the catalog with those texts empty: the same positions, less to
  // fetch; the home screen loads locales/<lang>.json, with them.
  const sources = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".rs")) sources.push(p);
    }
  };
  walk(join(src, "..", "src"));
  const sayers = new Map();
  for (const file of sources) {
    const code = readFileSync(file, "utf8");
    const rel = relative(join(src, ".."), file).split(sep).join("/");
    if (/Msg::\{|Msg::\*/.test(code) && rel !== "src/ui/workshop.rs") {
      throw new Error(`${rel} names messages other than as Msg::Name: say each by its name`);
    }
    for (const m of code.matchAll(/Msg::([A-Za-z0-9]+)/g)) {
      if (!sayers.has(m[1])) sayers.set(m[1], new Set());
      sayers.get(m[1]).add(rel);
    }
  }
  const msgName = (k) => k.split(/[._-]/).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
  const homeOnly = new Set(
    keys.filter((k) => k.startsWith("home.") && [...(sayers.get(msgName(k)) ?? [])].every((f) => f === "src/ui/home.rs")),
  );
  mkdirSync(join(dir, "locales"), { recursive: true });
  for (const name of readdirSync(src).filter((f) => f.endsWith(".json"))) {
    const lang = name.slice(0, -".json".length);
    const catalog = read(name);
    const messages = keys.map((k) => {
      const m = catalog[k];
      if (typeof m === "string") return m;
      if (m && typeof m.one === "string" && typeof m.other === "string") return [m.one, m.other];
      throw new Error(`locales/${name}: ${k} is missing or not a text`);
    });
    // The workshop's words (keys "workshop.…") and the import's ("import.…"), each one run of
    // the sorted keys, go in files of their own, which only that page loads (static/boot.js and
    // part-boot.js put them in place): the other pages' catalogs hold an empty text there,
    // which costs them a few bytes.
    const parts = ["workshop", "import"].map((own) => {
      const first = keys.findIndex((k) => k.startsWith(`${own}.`));
      const count = keys.filter((k) => k.startsWith(`${own}.`)).length;
      if (first >= 0 && !keys.slice(first, first + count).every((k) => k.startsWith(`${own}.`))) {
        throw new Error(`locales: the ${own} page's keys are not one run`);
      }
      const texts = first >= 0 ? messages.splice(first, count, ...Array(count).fill("")) : [];
      return [own, first, texts];
    });
    writeFileSync(join(dir, "locales", name), JSON.stringify(messages));
    writeFileSync(join(dir, "locales", `app-${name}`), JSON.stringify(messages.map((m, i) => (homeOnly.has(keys[i]) ? "" : m))));
    // [where they start, how many messages the whole catalog has, …the texts]: the page checks
    // that the two files are one release's before it puts them together.
    for (const [own, first, texts] of parts) {
      writeFileSync(join(dir, "locales", `${own}-${name}`), JSON.stringify([Math.max(first, 0), keys.length, ...texts]));
    }
    // English stands in for a text a language does not have.
    const inLang = (en, theirs) => en.map((text, i) => (theirs && typeof theirs[i] === "string" ? theirs[i] : text));
    const words = read(`lessons/${name}`);
    const sceneWords = read(`scenes/${name}`);
    const scenes = {};
    for (const [id, en] of Object.entries(englishScenes)) scenes[id] = inLang(en, sceneWords[id]);
    mkdirSync(join(dir, "scenes"), { recursive: true });
    writeFileSync(join(dir, "scenes", name), JSON.stringify(scenes));
    const heads = [];
    mkdirSync(join(dir, "lessons", lang), { recursive: true });
    for (const [id, en] of Object.entries(english)) {
      const texts = inLang(en, words[id]);
      heads.push(texts[0], texts[1]);
      const scene = sceneOf[id];
      writeFileSync(join(dir, "lessons", lang, `${id}.json`), JSON.stringify([texts, scene, scenes[scene]]));
    }
    writeFileSync(join(dir, "lessons", name), JSON.stringify(heads));
  }
}

// The site's classic scripts (their top-level names stay): the stage painter, lang.js, and the
// engine worker's glue and loader (the loader calls the glue's global `wasm_bindgen`).
const CLASSIC = ["stage.js", "lang.js", "socketlab-engine.js", "socketlab-engine_loader.js", "socketlab-capture.js", "socketlab-capture_loader.js"];

if (process.env.TRUNK_PROFILE === "release") {
  // The app's builds: the lessons', the home screen's, the free player's, the challenges' and
  // the workshop's and the import's (Cargo.toml's features; tests/first_screen.rs holds this list to index.html's).
  for (const name of ["socketlab", "socketlab-home", "socketlab-player", "socketlab-challenge", "socketlab-workshop", "socketlab-import"]) {
    const wasm = join(dir, `${name}_bg.wasm`);
    const glue = join(dir, `${name}.js`);
    const short = shortenImports(readFileSync(wasm), readFileSync(glue, "utf8"), `./${name}_bg.js`);
    writeFileSync(wasm, short.wasm);
    writeFileSync(glue, short.glue);
  }
  // Trunk leaves the main build's `<link data-trunk rel=rust>` in the page (it injects no script
  // for it: static/boot.js loads the builds); the browser ignores it, so it need not travel.
  const page = join(dir, "index.html");
  writeFileSync(page, readFileSync(page, "utf8").replace(/<link [^>]*\brel=rust>/g, ""));
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    // sw.js is minified below, once it is stamped. The CLASSIC scripts keep their top-level
    // names (stage.js runs as a worker or a page script, lang.js in the page's head); the others
    // are modules.
    if (name === "sw.js") continue;
    const path = join(dir, name);
    writeFileSync(path, await squeeze(readFileSync(path, "utf8"), !CLASSIC.includes(name)));
  }

  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  const site = files.filter((f) => f !== "sw.js");
  const hash = createHash("sha256");
  for (const f of site) hash.update(f).update(readFileSync(join(dir, f)));
  const version = hash.digest("hex").slice(0, 16);
  const sw = join(dir, "sw.js");
  const stamped = readFileSync(sw, "utf8")
    .replace(/^const VERSION = "dev";$/m, `const VERSION = ${JSON.stringify(version)};`)
    .replace(/^const FILES = \[\];$/m, `const FILES = ${JSON.stringify(site)};`);
  if (!stamped.includes(version)) throw new Error("sw.js has no `const VERSION = \"dev\";` line to stamp");
  writeFileSync(sw, await squeeze(stamped, false));
}
