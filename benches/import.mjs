// The import's speed and smoothness: a capture opened on the import page (?import), read in the
// capture's worker (WebAssembly), in Chromium, IMPORT_RUNS times (3) at each size.
//
// The captures are made here: IMPORT_SIZES packets (default 10,000, 100,000 and 1,000,000) of
// Ethernet + IPv4 + TCP, in connections of ten packets each (handshake, a request, its ACK, a
// reply, its ACK, and the close), written as classic pcap files. For each size and run:
// - the time from choosing the file to the page showing what it holds (the page's own clock),
//   and so the packets read per second, at desktop size without throttling and at phone size (390×844) with the CPU
//   throttled 4× (CDP Emulation.setCPUThrottlingRate);
// - on the phone, from a Chromium trace of the import, the page's longest main-thread task
//   while the worker reads (the page stays usable when it is under 50 ms: a "long task");
// - on the phone, the main-thread work of each step (Step forward, 30 times, through the first
//   ten connections, or IMPORT_CUT of them): p95 and max.
// It prints every run, then the worst of the runs for each size (the machine's speed drifts).
//
// Usage: node benches/import.mjs   (after `bash scripts/package.sh`)
import { mkdtempSync, writeFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "../tests/e2e/harness.mjs";
import { capture } from "./capture-file.mjs";

const RUNS = Number(process.env.IMPORT_RUNS ?? 3);
const SIZES = (process.env.IMPORT_SIZES ?? "10000,100000,1000000").split(",").map(Number);
// How many connections the steps are taken in (the page shows 10 at first; 200 is the most a cut
// shows, 2,000 packets).
const CUT = Number(process.env.IMPORT_CUT ?? 10);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))];

/** The renderer main thread's tasks in a trace, merged: [start, end] in µs. */
function mainTasks(trace) {
  const events = trace.traceEvents;
  const names = new Map();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
  const counts = new Map();
  const isTask = (e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask";
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (isTask(e) && names.get(k) === "CrRendererMain") counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const main = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) throw new Error("the trace has no renderer main thread");
  const tasks = events
    .filter((e) => `${e.pid}:${e.tid}` === main && e.ph === "X" && isTask(e) && e.dur > 0)
    .map((e) => [e.ts, e.ts + e.dur])
    .sort((a, b) => a[0] - b[0]);
  const busy = [];
  for (const [a, b] of tasks) {
    const last = busy[busy.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else busy.push([a, b]);
  }
  return busy;
}

const CATEGORIES = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "__metadata"];

async function run(chrome, site, file, n, view) {
  const phone = view === "phone";
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS[view]);
  try {
    const { page } = w;
    const cdp = await w.context.newCDPSession(page);
    if (phone) await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto(`${site.url}?import`);
    await page.locator(".import-main").waitFor();
    // The time is the page's own: from the file input's change (the file chosen) to the moment
    // the page shows what the file holds (a MutationObserver), so the test driver's handing
    // over of the file does not count.
    await page.evaluate(() => {
      document.addEventListener("change", () => (window.__chosen = performance.now()), true);
      new MutationObserver(() => {
        if (!window.__shown && document.querySelector(".import-capture .import-summary")) window.__shown = performance.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    if (phone) await chrome.browser.startTracing(page, { categories: CATEGORIES });
    await page.locator('.import-capture input[type="file"]').setInputFiles(file);
    await page.locator(".import-capture .import-summary").waitFor({ timeout: 600_000 });
    const seconds = (await page.evaluate(() => window.__shown - window.__chosen)) / 1000;
    const said = await page.locator(".import-capture .import-summary").textContent();
    if (!said.includes(`${n} TCP and UDP packets`)) throw new Error(`the page says: ${said}`);
    let longest = 0;
    let steps = [];
    if (phone) {
      const trace = JSON.parse((await chrome.browser.stopTracing()).toString("utf8"));
      longest = Math.max(0, ...mainTasks(trace).map(([a, b]) => (b - a) / 1000));
      if (CUT !== 10) {
        await page.locator('input[name="count"]').fill(String(CUT));
        await page.getByRole("button", { name: "Show this part" }).click();
        await page.getByText(`Shown: the first ${CUT} of`, { exact: false }).waitFor({ timeout: 60_000 });
      }
      // Step through the first connections: each step's main-thread work. The clicks are the
      // browser's own input events at the button (nothing runs in the page to find it or to
      // wait), 300 ms apart; afterwards the page must say it is at packet 30.
      const forward = page.getByRole("button", { name: "Step forward", exact: true });
      await forward.scrollIntoViewIfNeeded();
      const box = await forward.boundingBox();
      await page.waitForTimeout(300);
      await chrome.browser.startTracing(page, { categories: CATEGORIES });
      for (let i = 0; i < 30; i++) {
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForTimeout(300);
      }
      const trace2 = JSON.parse((await chrome.browser.stopTracing()).toString("utf8"));
      await page.getByText("Packet 30 of", { exact: false }).waitFor();
      const busy = mainTasks(trace2);
      // Each step's work: the bursts of work (tasks less than 20 ms apart).
      const bursts = [];
      for (const [a, b] of busy) {
        const last = bursts[bursts.length - 1];
        if (last && a - last[1] < 20_000) {
          last[1] = b;
          last[2] += b - a;
        } else bursts.push([a, b, b - a]);
      }
      steps = bursts.map((x) => x[2] / 1000).filter((ms) => ms >= 0.5).sort((a, b) => a - b);
    }
    const problems = await w.problems();
    if (problems.length) throw new Error(problems.join("\n"));
    return { seconds, rate: n / seconds, longest, stepP95: steps.length ? pct(steps, 0.95) : 0, stepMax: steps.length ? steps[steps.length - 1] : 0, steps: steps.length };
  } finally {
    await w.context.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), "socketlab-import-bench-"));
const site = await serveDist();
const chrome = await launchChromium();
const summary = [];
try {
  for (const n of SIZES) {
    const file = join(dir, `capture-${n}.pcap`);
    writeFileSync(file, capture(n));
    const mb = (statSync(file).size / 1e6).toFixed(1);
    for (const view of ["desktop", "phone"]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await run(chrome, site, file, n, view);
        runs.push(r);
        console.log(
          `${n} packets (${mb} MB), ${view}${view === "phone" ? " at 4× throttling" : ""}, run ${i + 1}: read in ${r.seconds.toFixed(2)} s, ` +
            `${Math.round(r.rate).toLocaleString("en")} packets/s` +
            (view === "phone" ? `; longest main-thread task while reading ${r.longest.toFixed(1)} ms; ${r.steps} steps' work p95 ${r.stepP95.toFixed(2)} ms, max ${r.stepMax.toFixed(2)} ms` : ""),
        );
      }
      const worst = (k, f = Math.max) => f(...runs.map((r) => r[k]));
      summary.push(
        `${n} packets (${mb} MB), ${view}, worst of ${RUNS}: ${worst("seconds").toFixed(2)} s, ${Math.round(worst("rate", Math.min)).toLocaleString("en")} packets/s` +
          (view === "phone" ? `; longest main-thread task ${worst("longest").toFixed(1)} ms; a step's work p95 ${worst("stepP95").toFixed(2)} ms, max ${worst("stepMax").toFixed(2)} ms` : ""),
      );
    }
  }
} finally {
  await chrome.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log("The import, worst runs:");
for (const s of summary) console.log(s);
