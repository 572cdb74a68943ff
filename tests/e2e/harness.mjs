// Shared pieces of the end-to-end tests: serve the built site from dist/ on 127.0.0.1, start
// Debian's Chromium through playwright-core, and watch a page for what must never happen
// (a request to another origin, a console error, a Content-Security-Policy violation).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { inflateRawSync } from "node:zlib";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
export const DIST = join(ROOT, "dist");
/** The SCORM package scripts/package.sh builds. */
export const PACKAGE = join(ROOT, "target/package/socketlab-scorm12.zip");

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
};

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
  ".xml": "application/xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/**
 * The built site served, and Chromium started, once for a test file: `env.site` and
 * `env.chrome` are there from node:test's `before` until its `after`.
 */
export function sharedSite() {
  const env = {};
  before(async () => {
    env.site = await serveDist();
    env.chrome = await launchChromium();
  });
  after(async () => {
    await env.chrome?.close();
    await env.site?.close();
  });
  return env;
}

/**
 * Serve a folder (dist/ by default) on 127.0.0.1 at a free port, under `prefix` (a path such as
 * "/courses/comps381f/socketlab/"; anything outside it is not found). `url` is the folder's.
 */
export async function serveDist(dir = DIST, { prefix = "/" } = {}) {
  await stat(join(dir, "index.html")).catch(() => {
    throw new Error(`${dir}/index.html is missing: build the site first (trunk build --release)`);
  });
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!full.startsWith(prefix)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const path = "/" + full.slice(prefix.length);
    const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** The flags Chromium needs here: headless, no sandbox (root), and no network of its own. */
export const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

/**
 * Start Chromium with the flags this closed network needs. Playwright gives every launch a fresh
 * temporary profile of its own (and refuses --user-data-dir), so no state leaks between runs.
 */
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  return { browser, close: () => browser.close() };
}

/**
 * Open a page in a new context and record everything the tests forbid. `problems()` lists them
 * in plain words; a passing page has none.
 */
/**
 * How a page fits its window: how wide the page is against the window, and the smallest font
 * of any element under `root` (a CSS selector) that has text of its own, in CSS px. A learner
 * must read every label (12 px or more) and never scroll sideways.
 */
export async function fit(page, root) {
  return page.evaluate((root) => {
    let smallest = Infinity;
    for (const el of document.querySelectorAll(`${root} *`)) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (own && el.getClientRects().length) smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, smallest };
  }, root);
}

export async function openWatched(browser, origin, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const seen = { foreign: [], consoleErrors: [], pageErrors: [] };
  const own = new URL(origin).origin;
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.origin !== own) seen.foreign.push(req.url());
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") seen.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => seen.pageErrors.push(String(err)));
  // Collect CSP violations as the page itself reports them, before any of its code runs.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`);
    });
  });
  return {
    page,
    context,
    seen,
    async cspViolations() {
      return page.evaluate(() => window.__cspViolations ?? []);
    },
    async problems() {
      const csp = await this.cspViolations();
      return [
        ...seen.foreign.map((u) => `request to another origin: ${u}`),
        ...seen.consoleErrors.map((t) => `console error: ${t}`),
        ...seen.pageErrors.map((t) => `uncaught error: ${t}`),
        ...csp.map((v) => `CSP violation: ${v}`),
      ];
    },
  };
}

/**
 * What the stage's canvas draws, found by difference: two screenshots of the stage, with the
 * canvas and with it hidden for a moment, decoded in the page and compared pixel by pixel.
 * Returns, for each packet button (in document order), the share of its box the canvas painted,
 * and the centres (viewport CSS px) of drawn spots outside every button: the dots.
 */
export async function canvasDrawing(page) {
  const frame = page.locator(".stage-frame");
  const shown = await frame.screenshot();
  await page.evaluate(() => (document.querySelector(".packet-canvas").style.visibility = "hidden"));
  const hidden = await frame.screenshot();
  await page.evaluate(() => (document.querySelector(".packet-canvas").style.visibility = ""));
  return page.evaluate(
    async ([a, b]) => {
      const decode = async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext("2d");
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [x, y] = [await decode(a), await decode(b)];
      const box = document.querySelector(".stage-frame").getBoundingClientRect();
      const scale = x.width / box.width;
      const changed = (px, py) => {
        const i = (py * x.width + px) * 4;
        return Math.max(...[0, 1, 2].map((c) => Math.abs(x.data[i + c] - y.data[i + c]))) > 24;
      };
      const buttons = [...document.querySelectorAll(".stage-frame .packet")].map((el) => el.getBoundingClientRect());
      const painted = buttons.map((r) => {
        let [n, hit] = [0, 0];
        for (let py = Math.ceil((r.top - box.top) * scale); py < Math.floor((r.bottom - box.top) * scale); py++) {
          for (let px = Math.ceil((r.left - box.left) * scale); px < Math.floor((r.right - box.left) * scale); px++) {
            n++;
            if (changed(px, py)) hit++;
          }
        }
        return n ? hit / n : 0;
      });
      // A dot's centre: a painted pixel whose neighbours 4 CSS px away are painted too, outside
      // every button (with a margin for its ring).
      const near = (cx, cy) => buttons.some((r) => cx > r.left - 8 && cx < r.right + 8 && cy > r.top - 8 && cy < r.bottom + 8);
      const dots = [];
      const step = Math.max(1, Math.round(2 * scale));
      const d = Math.round(4 * scale);
      for (let py = d; py < x.height - d && dots.length < 20; py += step) {
        for (let px = d; px < x.width - d && dots.length < 20; px += step) {
          if (![[0, 0], [d, 0], [-d, 0], [0, d], [0, -d]].every(([dx, dy]) => changed(px + dx, py + dy))) continue;
          const [cx, cy] = [box.left + px / scale, box.top + py / scale];
          if (!near(cx, cy) && !dots.some(([ox, oy]) => Math.hypot(ox - cx, oy - cy) < 12)) dots.push([cx, cy]);
        }
      }
      return { painted, dots };
    },
    [shown.toString("base64"), hidden.toString("base64")],
  );
}

/** The entries of a zip file, name → bytes: stored or deflated, as zip readers in LMSs read it. */
export function unzip(bytes) {
  // The end-of-central-directory record: its signature, searched from the end.
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, "the zip has an end-of-central-directory record");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, "a central directory entry");
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    assert.equal(bytes.readUInt32LE(local), 0x04034b50, `${name}: a local header`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated`);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
  }
  return files;
}

/** Unpacks the SCORM package into `dir`, as an LMS does, and returns its entries (name → bytes).
 * Every entry must be a relative path. */
export function unpackPackage(dir) {
  assert.ok(existsSync(PACKAGE), `${PACKAGE} is missing: build it with bash scripts/package.sh`);
  const files = unzip(readFileSync(PACKAGE));
  for (const [name, data] of files) {
    assert.ok(!name.startsWith("/") && !name.split("/").includes(".."), `${name} is a relative path`);
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return files;
}

/**
 * The lesson files (lessons/*.toml) in the course's order: each one's id, title and, per step,
 * its question's kind, solution and (for "fix it") the kinds of its controls. Tests take the
 * learner's answers and the course's order from the same files the app ships.
 */
export function lessonFiles() {
  const dir = join(ROOT, "lessons");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".toml"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const id = text.match(/^id = "(.+)"$/m)[1];
      const title = text.match(/^title\.en = "(.+)"$/m)[1];
      const steps = text.split(/^\[\[steps\]\]$/m).slice(1).map((step) => {
        const kind = step.match(/^question\.kind = "(\w+)"$/m)?.[1];
        const solution = step.match(/^question\.solution = (.+)$/m)?.[1];
        const controls = [...(step.match(/^question\.controls = (.+)$/m)?.[1] ?? "").matchAll(/\{ (\w+) = /g)].map((m) => m[1]);
        return { kind, solution, controls };
      });
      // A challenge's questions take their answers from the fault its seed draws: see
      // challengeSeeds().
      const challenge = /^challenge = true$/m.test(text);
      return { file, id, title, steps, challenge };
    });
}

/**
 * For the challenge lesson: a seed that draws each kind of fault, the value that fixes it and a
 * wrong cause (tests/data/challenge-seeds.json, which `tests/challenges.rs` holds to the draw),
 * with the English names of the causes the diagnose question offers, by key.
 */
export function challengeSeeds() {
  const lesson = lessonFiles().find((l) => l.challenge);
  const text = readFileSync(join(ROOT, "lessons", lesson.file), "utf8");
  const names = {};
  for (const m of text.matchAll(/^answer = "([\w-]+)"\nname\.en = "(.+)"$/gm)) names[m[1]] = m[2];
  const seeds = JSON.parse(readFileSync(join(ROOT, "tests/data/challenge-seeds.json"), "utf8"));
  return { lesson, names, seeds };
}

/**
 * Lesson 7 (a Node.js server, three clients) playing from its first step, for a learner who
 * has answered its questions: an open question would hold the scene at its moment. What the
 * benchmarks play for "a lesson's view".
 */
/** The home screen as the app draws it: a page load (the home screen has its own build) shows
 * index.html's first screen until then, which has no Explore card and no learner's progress. */
export async function homeDrawn(page) {
  await page.locator(".explore-card").waitFor();
}

export async function playLessonSeven(page, url) {
  await page.goto(url);
  await page.evaluate(() => {
    const done = { done: true, tries: 1, hints: 0, solution_shown: false };
    const progress = { app: "socketlab", version: 1, lessons: { "three-clients": { step: 0, questions: { 1: done, 2: done } } } };
    localStorage.setItem("socketlab.progress.v1", JSON.stringify(progress));
  });
  await page.goto(`${url}?lesson=three-clients&step=1`);
  await page.locator(".step-panel").waitFor();
  await page.getByRole("button", { name: "Play", exact: true }).click();
}

/** The cells of one host's socket table in the player (the course's layout), by row name:
 * { "Source Port": [...], "State": [...] }. */
export async function courseTable(page, host) {
  return page.locator(`section.socket-table[aria-label^="${host} sockets"] table`).evaluate((t) => {
    const out = {};
    for (const tr of t.querySelectorAll("tbody tr")) {
      const th = tr.querySelector("th");
      out[(th.querySelector(".long") ?? th).textContent.trim()] = [...tr.querySelectorAll("td")].map((td) => td.textContent.trim());
    }
    return out;
  });
}
