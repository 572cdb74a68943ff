// Prints the bytes of every file the page loads at startup, raw, gzip (-9) and brotli (q 11),
// and the totals, for every kind of page: the home screen, a lesson opened by its link, the same
// lesson launched from the SCORM package (which also loads the LMS bridge, lms.js), and the free
// player, each in English and in Traditional Chinese, and the free player on its largest scene. It
// asks Chromium what each page really fetched, so nothing is guessed. The budget holds for the
// worst. Then the engine's worker (socketlab-engine*), which no page may load at startup: it
// loads when a fix-it question first runs a setup. Last, the workshop (its own build, words and
// styles), apart, with its own aim: opened by its address and by a shared scene's link; and the
// import's page (?import), held to the same aim, with the capture's worker apart.
// Usage: node benches/size.mjs   (after `trunk build --release`; benches/size.sh does both)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, deflateRawSync, constants } from "node:zlib";
import { serveDist, launchChromium, openWatched, DIST, ROOT, VIEWPORTS } from "../tests/e2e/harness.mjs";

// Our budget: 10 KB under the hard limit of 240 KB, room for what the next parts add.
const BUDGET_BROTLI = 230 * 1000;
const LIMIT_BROTLI = 240 * 1000;
const PAGES = [
  // The front door: the lessons, in each language (the home screen's own build, without the
  // player and the lessons' code).
  ["the home screen", ""],
  ["the home screen in Traditional Chinese", "?lang=zh-Hant"],
  // A lesson loads the lessons' build and the stage's worker script.
  ["a lesson by its link", "?lesson=new-socket-per-connection&step=1"],
  ["the lesson launched from the SCORM package", "?lesson=new-socket-per-connection&lms=scorm12&questions=2"],
  // Each language loads its own catalog (locales/<lang>.json); the budget holds for either.
  ["the lesson in Traditional Chinese", "?lesson=new-socket-per-connection&step=1&lang=zh-Hant"],
  ["the SCORM launch in Traditional Chinese", "?lesson=new-socket-per-connection&lms=scorm12&questions=2&lang=zh-Hant"],
  // A challenge loads the challenges' build (the lessons and the challenge page) and its drawn
  // setup's recorded run: no engine until a fix runs.
  ["a challenge by its link (its own build)", "?lesson=whats-wrong&seed=19&step=1"],
  ["a challenge in Traditional Chinese", "?lesson=whats-wrong&seed=19&step=1&lang=zh-Hant"],
  // The free player loads every scene's words (scenes/<lang>.json) for its picker.
  ["the free player", "?scene=walkthrough"],
  ["the free player in Traditional Chinese", "?scene=walkthrough&lang=zh-Hant"],
  // The player by its plain address: its first scene.
  ["the free player by ?explore", "?explore"],
  // The largest recording: fifty clients' segments.
  ["the free player on the stress scene", "?scene=stress-50-clients&lang=zh-Hant"],
];

// The workshop: its own build, words and styles, and its own aim (330 KB brotli in all); opened
// by its address, and by a shared scene's link (read in the page; the engine's worker loads only
// when a scene runs).
const WORKSHOP_AIM = 330 * 1000;
const sharedLink = () => {
  const file = readFileSync(join(ROOT, "scenarios/node-server-8099.toml"));
  return "#s=1." + deflateRawSync(file, { level: 9 }).toString("base64url");
};
const WORKSHOP_PAGES = [
  ["the workshop", "?workshop"],
  ["the workshop in Traditional Chinese", "?workshop&lang=zh-Hant"],
  ["the workshop opened by a shared scene's link", `${sharedLink()}`],
  // The learner's own traffic: its own build, words and styles, held to the same aim; the
  // capture's worker loads when a file is opened.
  ["the import (your own traffic)", "?import"],
  ["the import in Traditional Chinese", "?import&lang=zh-Hant"],
];

/** The files `query` makes the page fetch until it is idle with the app drawn. */
async function fetched(chrome, site, query) {
  const urls = new Set();
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS.desktop);
  try {
    w.page.on("response", (r) => urls.add(r.url()));
    await w.page.goto(`${site.url}${query}`, { waitUntil: "networkidle" });
    // The stage, or the home screen as the app draws it (index.html's first screen has no
    // explore card).
    await w.page.locator(".stage-svg, .explore-card, .workshop-tools, .import-main").first().waitFor();
    // A shared link's scene: read, then the workshop says so.
    if (query.includes("#s=")) await w.page.locator(".workshop-notice").waitFor();
    await w.page.waitForLoadState("networkidle");
    const problems = await w.problems();
    if (problems.length) throw new Error(problems.join("\n"));
  } finally {
    await w.context.close();
  }
  return [...urls];
}

function sizes(urls) {
  const rows = urls.map((u) => {
    let path = new URL(u).pathname;
    if (path.endsWith("/")) path += "index.html";
    const body = readFileSync(join(DIST, decodeURIComponent(path)));
    return {
      file: path.slice(1),
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  return rows.sort((a, b) => b.raw - a.raw);
}

const site = await serveDist();
const chrome = await launchChromium();
const pad = (s, n) => String(s).padStart(n);
let worst = 0;
let engineAtStartup = [];
let workshopWorst = 0;
try {
  for (const [name, query] of PAGES) {
    const urls = await fetched(chrome, site, query);
    if (urls.some((u) => u.includes("socketlab-engine") || u.includes("socketlab-capture"))) engineAtStartup.push(name);
    const rows = sizes(urls);
    const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
    console.log(`\n${name} (${query})`);
    console.log(`${"file".padEnd(44)} ${pad("raw", 10)} ${pad("gzip", 10)} ${pad("brotli", 10)}`);
    for (const r of rows) console.log(`${r.file.padEnd(44)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
    console.log(`${("total (" + rows.length + " files)").padEnd(44)} ${pad(total.raw, 10)} ${pad(total.gzip, 10)} ${pad(total.brotli, 10)}`);
    worst = Math.max(worst, total.brotli);
  }
  for (const [name, query] of WORKSHOP_PAGES) {
    const urls = await fetched(chrome, site, query);
    if (urls.some((u) => u.includes("socketlab-capture"))) engineAtStartup.push(name);
    const rows = sizes(urls);
    const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
    console.log(`\n${name} (${query.length > 40 ? query.slice(0, 40) + "…" : query}), aim ${WORKSHOP_AIM / 1000} KB brotli`);
    console.log(`${"file".padEnd(44)} ${pad("raw", 10)} ${pad("gzip", 10)} ${pad("brotli", 10)}`);
    for (const r of rows) console.log(`${r.file.padEnd(44)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
    console.log(`${("total (" + rows.length + " files)").padEnd(44)} ${pad(total.raw, 10)} ${pad(total.gzip, 10)} ${pad(total.brotli, 10)}`);
    workshopWorst = Math.max(workshopWorst, total.brotli);
  }
} finally {
  await chrome.close();
  await site.close();
}
const engine = sizes(["socketlab-engine_loader.js", "socketlab-engine.js", "socketlab-engine_bg.wasm"].map((f) => `${site.url}${f}`));
console.log(`\nthe engine's worker, loaded when a fix-it question first runs a setup (never at startup)`);
for (const r of engine) console.log(`${r.file.padEnd(44)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
console.log(`${"total".padEnd(44)} ${pad(engine.reduce((t, r) => t + r.raw, 0), 10)} ${pad(engine.reduce((t, r) => t + r.gzip, 0), 10)} ${pad(engine.reduce((t, r) => t + r.brotli, 0), 10)}`);
const worker = sizes(["socketlab-capture_loader.js", "socketlab-capture.js", "socketlab-capture_bg.wasm"].map((f) => `${site.url}${f}`));
console.log(`\nthe capture's worker, loaded when the import page opens a file (never at startup)`);
for (const r of worker) console.log(`${r.file.padEnd(44)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
console.log(`${"total".padEnd(44)} ${pad(worker.reduce((t, r) => t + r.raw, 0), 10)} ${pad(worker.reduce((t, r) => t + r.gzip, 0), 10)} ${pad(worker.reduce((t, r) => t + r.brotli, 0), 10)}`);
console.log(`pages that loaded the engine at startup: ${engineAtStartup.length ? engineAtStartup.join("; ") : "none"}`);
const verdict = worst <= BUDGET_BROTLI ? "within" : worst <= LIMIT_BROTLI ? "OVER the budget, under the limit" : "OVER the limit";
console.log(`\nstartup brotli, the largest page: ${(worst / 1000).toFixed(1)} KB; budget ${BUDGET_BROTLI / 1000} KB, limit ${LIMIT_BROTLI / 1000} KB (${verdict})`);
console.log(`the workshop's and the import's startup brotli, the largest: ${(workshopWorst / 1000).toFixed(1)} KB; aim ${WORKSHOP_AIM / 1000} KB (${workshopWorst <= WORKSHOP_AIM ? "within" : "OVER"})`);
