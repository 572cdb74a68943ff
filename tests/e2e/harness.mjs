// Shared pieces of the end-to-end tests: serve the built site from dist/ on 127.0.0.1, start
// Debian's Chromium through playwright-core, and watch a page for what must never happen
// (a request to another origin, a console error, a Content-Security-Policy violation).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
export const DIST = join(ROOT, "dist");

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
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** Serve a folder (dist/ by default) on 127.0.0.1 at a free port. */
export async function serveDist(dir = DIST) {
  await stat(join(dir, "index.html")).catch(() => {
    throw new Error(`${dir}/index.html is missing: build the site first (trunk build --release)`);
  });
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
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
  const url = `http://127.0.0.1:${server.address().port}/`;
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
