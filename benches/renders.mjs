// What a redraw touches, counted, so that the machine's speed cannot blur it: while lesson 7's
// view and the stress scene play, each redraw (a frame in which a component rendered) is
// printed with the components rendered, by name, and the DOM mutations it made (a
// MutationObserver's records: nodes added or removed, attributes and text changed), then the
// totals and the mean per redraw. The playback controls' own writes (the clock, the slider) are
// left out: they are not redraws. Each component's and effect's time is printed too (marked by
// `counted()` and `timed()` in the code): on a noisy machine those swing by tens of percent
// between runs, so the counts are what to compare.
//
// Usage: bash benches/renders.sh, which builds the counting site into target/renders-dist (the
// components count their renders only with --features render-count) and runs this.
// RENDER_SECONDS (default 8) of real time a scene, at 1×; RENDER_VIEWPORT=desktop|phone
// (default desktop); RENDER_LINES=0 prints the totals only.
import { join } from "node:path";
import { serveDist, launchChromium, openWatched, playLessonSeven, VIEWPORTS, ROOT } from "../tests/e2e/harness.mjs";

const SECONDS = Number(process.env.RENDER_SECONDS ?? 8);
const VIEW = VIEWPORTS[process.env.RENDER_VIEWPORT ?? "desktop"];
const LINES = process.env.RENDER_LINES !== "0";
const DIST = join(ROOT, "target/renders-dist");

/** Plays in the page for `seconds` and returns one entry per redraw. */
async function record(page, seconds) {
  return page.evaluate(async (seconds) => {
    const counts = () => ({ ...(window.__socketlabRenders ?? {}) });
    // Each render's time (its view, its reconcile, and what runs before the next render
    // starts), in ms of the page's clock: from one component's render to the next one's, and
    // for the last of a redraw to the end of the task that drew them.
    let times = {};
    let current = null;
    const add = (name, ms) => (times[name] = (times[name] ?? 0) + ms);
    window.__socketlabMark = (name) => {
      const now = performance.now();
      if (current) add(current.name, now - current.at);
      else {
        // Yew draws in one run of its scheduler: a microtask queued now runs when it ends.
        queueMicrotask(() => {
          add(current.name, performance.now() - current.at);
          current = null;
        });
      }
      current = { name, at: now };
    };
    let mutations = 0;
    // Where the mutations are: the panel (an element with an id, or a table) they fall in.
    const where = {};
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        if (el?.closest(".controls")) continue;
        const n = r.type === "childList" ? r.addedNodes.length + r.removedNodes.length : 1;
        mutations += n;
        const place = el?.closest(".socket-table, [id]");
        const key = place ? (place.id || place.className.split(" ")[0]) : "page";
        where[key] = (where[key] ?? 0) + n;
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const redraws = [];
    let before = counts();
    const end = performance.now() + seconds * 1000;
    await new Promise((done) => {
      const frame = () => {
        // Records of this frame's changes are delivered before the next frame's callback.
        observer.takeRecords().forEach(() => {});
        const now = counts();
        const rendered = {};
        for (const [name, n] of Object.entries(now)) {
          const d = n - (before[name] ?? 0);
          if (d > 0) rendered[name] = d;
        }
        if (Object.keys(rendered).length) {
          redraws.push({ at: document.querySelector(".clock")?.textContent.split(" /")[0] ?? "", rendered, mutations, times });
          mutations = 0;
          times = {};
        }
        before = now;
        if (performance.now() < end) requestAnimationFrame(frame);
        else done();
      };
      requestAnimationFrame(frame);
    });
    observer.disconnect();
    redraws.where = where;
    return { redraws, where };
  }, seconds);
}

/** Prints one scene's redraws and totals, and where the mutations were. */
function report(what, { redraws, where }) {
  console.log(`\n${what}: ${redraws.length} redraws in ${SECONDS} s`);
  const total = {};
  let mutations = 0;
  for (const r of redraws) {
    const sum = Object.values(r.rendered).reduce((a, b) => a + b, 0);
    for (const [name, n] of Object.entries(r.rendered)) total[name] = (total[name] ?? 0) + n;
    mutations += r.mutations;
    if (LINES) {
      const names = Object.entries(r.rendered).map(([name, n]) => `${name} ${n}`).join(", ");
      console.log(`  at ${r.at.padStart(9)}: ${String(sum).padStart(4)} components, ${String(r.mutations).padStart(5)} mutations (${names})`);
    }
  }
  const components = Object.values(total).reduce((a, b) => a + b, 0);
  const ms = {};
  for (const r of redraws) for (const [name, t] of Object.entries(r.times)) ms[name] = (ms[name] ?? 0) + t;
  const n = Math.max(1, redraws.length);
  console.log(`  totals: ${components} components rendered, ${mutations} DOM mutations`);
  console.log(`  per redraw: ${(components / n).toFixed(1)} components, ${(mutations / n).toFixed(1)} mutations`);
  console.log(`  by component: ${Object.entries(total).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const all = Object.values(ms).reduce((a, b) => a + b, 0);
  console.log(`  time in renders (ms, this machine, no throttle; view, reconcile and effects): ${all.toFixed(1)}, per redraw ${(all / n).toFixed(2)}`);
  console.log(`  time by component: ${Object.entries(ms).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ")}`);
  console.log(`  mutations by place: ${Object.entries(where).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
}

const site = await serveDist(DIST);
const chrome = await launchChromium();
try {
  let w = await openWatched(chrome.browser, site.url, VIEW);
  await playLessonSeven(w.page, site.url);
  report("lesson 7's view (played from its first step)", await record(w.page, SECONDS));
  await w.context.close();
  // The stress scene in the free player, from 0.8 s (about a hundred segments in flight).
  w = await openWatched(chrome.browser, site.url, VIEW);
  await w.page.goto(`${site.url}?scene=stress-50-clients&t=800&speed=1&play=1`);
  await w.page.locator('.button.play[aria-label="Pause"]').waitFor();
  report("the stress scene (from 0.8 s, at 1×)", await record(w.page, SECONDS));
  await w.context.close();
} finally {
  await chrome.close();
  await site.close();
}
