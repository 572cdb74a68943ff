// Frame cost while the stress scene plays (50 clients, about a hundred segments in flight), in
// Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), at desktop (1280×800)
// and phone (390×844) sizes, FRAME_RUNS times each (3).
//
// The figures per run, all from a Chromium trace (nothing runs in the page to measure it):
// - the animation's frames: the stage's painter draws the packets at each animation frame of
//   its own, in a worker (static/stage.js), so its frames are what the learner sees move. Their
//   intervals: p95 and the share that missed a vsync (see MISSED_MS). Budget: ≤ 1 %.
// - main-thread work per animation frame: the time the page's main thread spends in tasks
//   (script, style, layout, paint, garbage collection: everything) between one animation frame
//   and the next; p50, p95 and max. Budget: p95 ≤ 8 ms.
// - redraws: the main thread's bursts of work, when the page wakes to cross a moment (tables,
//   narration, stage text) or to move the scrubber: how many, and their work's p95 and max.
// It prints every run and then the worst run of each viewport, which is what the budgets are
// held to (this machine's speed drifts by ±25 %).
//
// Usage: node benches/frames.mjs   (after `trunk build --release`; benches/frames.sh does both)
// FRAME_PAGE=lesson measures the lesson view instead: lesson 7 (a Node.js server and three
// clients) played from its first step, with the step panel beside the stage.
// FRAME_PAGE=import measures the import's stage: a capture (benches/capture-file.mjs) opened on
// ?import, its first FRAME_CONNECTIONS connections (11: twelve hosts, the most the stage draws)
// chosen and played on the stage from the start.
// FRAME_VIEWPORTS=desktop,phone (default both), FRAME_RUNS=3, FRAME_SECONDS=10.
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist, launchChromium, openWatched, playLessonSeven, VIEWPORTS } from "../tests/e2e/harness.mjs";
import { capture } from "./capture-file.mjs";

const SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const RUNS = Number(process.env.FRAME_RUNS ?? 3);
const VIEWS = (process.env.FRAME_VIEWPORTS ?? "desktop,phone").split(",");
// A frame over one vsync: the trace gives when each frame's callback started, which wanders a
// few ms around the vsync it belongs to (an interval of 19 ms is followed by one of 14), so an
// interval counts as a missed vsync when it is nearer two vsyncs than one: over 1.5 × 16.7 ms.
const MISSED_MS = 25;
const LESSON = process.env.FRAME_PAGE === "lesson";
// FRAME_PAGE=node: the same scene as the lesson, in the free player, to compare.
const NODE = process.env.FRAME_PAGE === "node";
const IMPORT = process.env.FRAME_PAGE === "import";
// 11 connections from 11 clients to one server: the most hosts the stage draws (12,
// src/capture/staged.rs's MOST_HOSTS).
const CONNECTIONS = Number(process.env.FRAME_CONNECTIONS ?? 11);

/** Open `file` on the import's page, show its first CONNECTIONS connections, play them on the stage. */
async function playCapture(page, url, file) {
  await page.goto(`${url}?import`);
  await page.locator('.import-capture input[type="file"]').setInputFiles(file);
  await page.locator(".import-capture .import-summary").waitFor({ timeout: 60_000 });
  await page.locator('input[name="count"]').fill(String(CONNECTIONS));
  await page.getByRole("button", { name: "Show this part" }).click();
  await page.getByText(`Shown: the first ${CONNECTIONS} of`, { exact: false }).waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "Play it on the stage" }).click();
  await page.locator(".stage-svg").waitFor({ timeout: 60_000 });
  // The pointer out of the way, as in the other pages' runs (opened by their address).
  await page.mouse.move(0, 0);
}
const CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "__metadata",
].join(",");

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))];

/** The trace's threads: "pid:tid" → name. */
function threadNames(events) {
  const names = new Map();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
  return names;
}

/** The key ("pid:tid") of the thread with the most events called `name` among `keys`. */
function busiest(events, name, keep) {
  const counts = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === name && keep(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * From a trace: the animation's frames and the page's main-thread work in each.
 * - The page's main thread: the renderer's main thread (CrRendererMain) with the most tasks.
 * - The animation's frames: the stage's painter draws at each animation frame of its own, in a
 *   worker (OffscreenCanvas), so its thread's FireAnimationFrame events are the frames the
 *   learner sees; where the painter runs in the page, the main thread's.
 * - Main-thread work per animation frame: the time the main thread spends in tasks (script,
 *   style, layout, paint, garbage collection: everything) between one animation frame and the
 *   next.
 * - Redraws: the main thread's bursts of work (tasks less than 2 ms apart), which are the
 *   page waking to cross a moment (tables, narration, stage text) or to tick the scrubber.
 */
function analyse(trace) {
  const events = trace.traceEvents;
  const names = threadNames(events);
  const task = (e) => e.ph === "X" && (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") && e.dur > 0;
  const main = busiest(events, "RunTask", (k) => names.get(k) === "CrRendererMain") ?? busiest(events, "ThreadControllerImpl::RunTask", (k) => names.get(k) === "CrRendererMain");
  if (!main) throw new Error("the trace has no renderer main thread");
  const painter = busiest(events, "FireAnimationFrame", (k) => /Worker/.test(names.get(k) ?? "")) ?? main;
  const on = (key) => (e) => `${e.pid}:${e.tid}` === key;
  const starts = events.filter((e) => on(painter)(e) && e.name === "FireAnimationFrame").map((e) => e.ts).sort((a, b) => a - b);
  if (starts.length < 2) throw new Error("the trace has no animation frames");
  const tasks = events.filter((e) => on(main)(e) && task(e)).map((e) => [e.ts, e.ts + e.dur]).sort((a, b) => a[0] - b[0]);
  // Merge nested or overlapping tasks so no time counts twice.
  const busy = [];
  for (const [a, b] of tasks) {
    const last = busy[busy.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else busy.push([a, b]);
  }
  const work = [];
  let k = 0;
  for (let i = 0; i + 1 < starts.length; i++) {
    const [lo, hi] = [starts[i], starts[i + 1]];
    while (k < busy.length && busy[k][1] <= lo) k++;
    let sum = 0;
    for (let j = k; j < busy.length && busy[j][0] < hi; j++) sum += Math.min(hi, busy[j][1]) - Math.max(lo, busy[j][0]);
    work.push(sum / 1000);
  }
  const intervals = starts.slice(1).map((t, i) => (t - starts[i]) / 1000);
  const bursts = [];
  for (const [a, b] of busy) {
    const last = bursts[bursts.length - 1];
    if (last && a - last[1] < 2000) {
      last[1] = b;
      last[2] += b - a;
    } else bursts.push([a, b, b - a]);
  }
  const redraws = bursts.map((x) => x[2] / 1000).filter((ms) => ms >= 1).sort((a, b) => a - b);
  return {
    painter: painter === main ? "the page" : "a worker",
    work: work.sort((a, b) => a - b),
    intervals: intervals.sort((a, b) => a - b),
    redraws,
  };
}

async function measure(chrome, site, view) {
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS[view]);
  try {
    const cdp = await w.context.newCDPSession(w.page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    // Start at 0.8 s of virtual time: in the 10 s that follow (0.4 s of virtual time at 1×) handshakes,
    // requests and replies overlap, and about a hundred segments are in flight at the peak (1.0 s).
    if (LESSON) {
      await playLessonSeven(w.page, site.url);
    } else if (IMPORT) {
      await playCapture(w.page, site.url, captureFile);
    } else if (NODE) {
      await w.page.goto(`${site.url}?scene=node-server-8099&play=1`);
    } else {
      await w.page.goto(`${site.url}?scene=stress-50-clients&t=800&speed=1&play=1`);
    }
    // Playing, with packets on the wire (a lesson's phone stage may draw them all as dots).
    await w.page.locator('.button.play[aria-label="Pause"]').waitFor();
    await w.page.waitForFunction(() => /[1-9]\d* segments? on the wire/.test(document.querySelector(".stage-frame")?.getAttribute("aria-label") ?? ""));
    await w.page.waitForTimeout(500);
    await chrome.browser.startTracing(w.page, { categories: CATEGORIES.split(",") });
    // Nothing runs in the page to measure it (a loop of its own would add main-thread frames
    // the page does not have): the trace says it all. Twice a second, how many segments the
    // stage says are on the wire (it is told at each redraw).
    const inFlight = [];
    for (let waited = 0; waited < SECONDS * 1000; waited += 500) {
      await w.page.waitForTimeout(500);
      const label = await w.page.locator(".stage-frame").getAttribute("aria-label");
      inFlight.push(Number(label?.match(/(\d+) segments? on the wire/)?.[1] ?? 0));
    }
    const playing = await w.page.locator("button[aria-label='Pause']").count();
    const trace = JSON.parse((await chrome.browser.stopTracing()).toString("utf8"));
    const problems = await w.problems();
    if (problems.length) throw new Error(problems.join("\n"));
    if (!playing) throw new Error("the scene stopped playing before the measurement ended");
    const { painter, work, intervals, redraws } = analyse(trace);
    return {
      painter,
      redraws: redraws.length,
      redrawP95: redraws.length ? pct(redraws, 0.95) : 0,
      redrawMax: redraws.length ? redraws[redraws.length - 1] : 0,
      frames: intervals.length,
      most: Math.max(...inFlight),
      intervalP95: pct(intervals, 0.95),
      over: (100 * intervals.filter((x) => x > MISSED_MS).length) / intervals.length,
      workP50: pct(work, 0.5),
      workP95: pct(work, 0.95),
      workMax: work[work.length - 1],
    };
  } finally {
    await w.context.close();
  }
}

const site = await serveDist();
const chrome = await launchChromium();
const dir = mkdtempSync(join(tmpdir(), "socketlab-frames-"));
const captureFile = join(dir, "connections.pcap");
if (IMPORT) writeFileSync(captureFile, capture(CONNECTIONS * 10 + 100));
const ms = (x) => `${x.toFixed(2)} ms`;
const line = (r) =>
  `${r.frames} animation frames (painted in ${r.painter}), up to ${r.most} segments in flight; main-thread work per frame p50 ${ms(r.workP50)}, p95 ${ms(r.workP95)}, max ${ms(r.workMax)}; ` +
  `frame interval p95 ${ms(r.intervalP95)}, ${r.over.toFixed(1)}% of frames over one vsync; ` +
  `${r.redraws} redraws, main-thread work p95 ${ms(r.redrawP95)}, max ${ms(r.redrawMax)}`;
const summary = [];
try {
  for (const view of VIEWS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await measure(chrome, site, view);
      runs.push(r);
      console.log(`${view} run ${i + 1}: ${line(r)}`);
    }
    const worst = (key) => Math.max(...runs.map((r) => r[key]));
    const ok = worst("workP95") <= 8 && worst("over") <= 1;
    summary.push(
      `${view} (${VIEWPORTS[view].viewport.width}×${VIEWPORTS[view].viewport.height}), worst of ${RUNS}: work p50 ${ms(worst("workP50"))}, p95 ${ms(worst("workP95"))}; ` +
        `interval p95 ${ms(worst("intervalP95"))}, ${worst("over").toFixed(1)}% over one vsync; ` +
        `redraws' work p95 ${ms(worst("redrawP95"))}, max ${ms(worst("redrawMax"))} ` +
        `(budget: work p95 ≤ 8 ms, ≤ 1 % over one vsync: ${ok ? "within" : "OVER"})`,
    );
  }
} finally {
  await chrome.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
}
const what = LESSON
  ? "lesson 7's view (Node.js server, three clients)"
  : NODE
    ? "the Node.js scene in the free player"
    : IMPORT
      ? `the import's stage (${CONNECTIONS} connections, ${CONNECTIONS * 10} packets)`
      : "stress scene";
console.log(`${what}, 4× CPU throttling, ${SECONDS} s a run:`);
for (const s of summary) console.log(s);
