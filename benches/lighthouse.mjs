// Lighthouse (mobile, its default: a mid-range phone on slow 4G with 4× CPU slowdown,
// simulated) on the release site served as a real web host serves it: every file compressed
// with brotli. Runs LIGHTHOUSE_RUNS times (3) and prints each run's performance score, LCP,
// FCP, TBT, CLS and Speed Index, then the worst of each. Budget: performance ≥ 98, LCP ≤ 1.5 s.
// Usage: node benches/lighthouse.mjs   (after `trunk build --release`; benches/lighthouse.sh does both)
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { DIST, CHROMIUM_FLAGS } from "../tests/e2e/harness.mjs";

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json",
};

/** Every file of the site, compressed once, as a static host with brotli would send it. */
function compressAll(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
        files.set("/" + relative(dir, path), { body, br, type: TYPES[extname(path)] ?? "application/octet-stream" });
      }
    }
  };
  walk(dir);
  return files;
}

function serveBrotli(files) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const f = files.get(path);
    if (!f) return res.writeHead(404).end();
    const br = /\bbr\b/.test(req.headers["accept-encoding"] ?? "");
    res.writeHead(200, {
      "content-type": f.type,
      "cache-control": "no-cache",
      vary: "accept-encoding",
      ...(br ? { "content-encoding": "br" } : {}),
    });
    res.end(br ? f.br : f.body);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

/** The first element snippet anywhere in a Lighthouse details object. */
function snippet(details) {
  if (!details || typeof details !== "object") return undefined;
  if (typeof details.snippet === "string") return `${details.snippet} (${details.selector ?? details.path ?? ""})`;
  for (const v of Object.values(details)) {
    const found = snippet(v);
    if (found) return found;
  }
  return undefined;
}

const server = await serveBrotli(compressAll(DIST));
// LIGHTHOUSE_QUERY audits another address of the site, e.g. "?lang=zh-Hant".
const url = `http://127.0.0.1:${server.address().port}/${process.env.LIGHTHOUSE_QUERY ?? ""}`;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: CHROMIUM_FLAGS,
});
const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.message}`);
    const audit = (id) => lhr.audits[id].numericValue;
    const run = {
      score: Math.round(lhr.categories.performance.score * 100),
      lcp: audit("largest-contentful-paint"),
      fcp: audit("first-contentful-paint"),
      tbt: audit("total-blocking-time"),
      cls: audit("cumulative-layout-shift"),
      si: audit("speed-index"),
      lcpElement: snippet(lhr.audits["largest-contentful-paint-element"]?.details) ?? "?",
      shifts: (lhr.audits["layout-shifts"]?.details?.items ?? []).map((i) => `${(i.score ?? 0).toFixed(3)} ${snippet(i) ?? "?"}`),
    };
    runs.push(run);
    if (run.shifts.length) console.log(`  layout shifts: ${run.shifts.join("; ")}`);
    // What blocks the main thread (TBT counts each task's time past 50 ms), at 4× slowdown.
    const tasks = (lhr.audits["long-tasks"]?.details?.items ?? []).map(
      (t) => `${t.duration.toFixed(0)} ms at ${t.startTime.toFixed(0)} ms (${String(t.url).split("/").pop() || "page"})`,
    );
    if (tasks.length) console.log(`  long tasks: ${tasks.join("; ")}`);
    console.log(
      `run ${i + 1}: performance ${run.score}, LCP ${(run.lcp / 1000).toFixed(2)} s, FCP ${(run.fcp / 1000).toFixed(2)} s, ` +
        `TBT ${run.tbt.toFixed(0)} ms, CLS ${run.cls.toFixed(3)}, Speed Index ${(run.si / 1000).toFixed(2)} s; LCP element ${run.lcpElement}`,
    );
  }
} finally {
  await chrome.kill();
  server.close();
}
const worst = {
  score: Math.min(...runs.map((r) => r.score)),
  lcp: Math.max(...runs.map((r) => r.lcp)),
  fcp: Math.max(...runs.map((r) => r.fcp)),
  tbt: Math.max(...runs.map((r) => r.tbt)),
  cls: Math.max(...runs.map((r) => r.cls)),
};
const ok = worst.score >= 98 && worst.lcp <= 1500;
console.log(
  `worst of ${RUNS} (Lighthouse mobile, brotli): performance ${worst.score}, LCP ${(worst.lcp / 1000).toFixed(2)} s, ` +
    `FCP ${(worst.fcp / 1000).toFixed(2)} s, TBT ${worst.tbt.toFixed(0)} ms, CLS ${worst.cls.toFixed(3)} ` +
    `(budget: performance ≥ 98, LCP ≤ 1.5 s: ${ok ? "within" : "OVER"})`,
);
