// Frame times while the stress scene plays (50 clients, about a hundred segments in flight),
// in Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), for 10 s.
// Headless frame timing varies a lot from run to run, so it measures FRAME_RUNS times (3) and
// prints each run and the median. Budget: p95 ≤ 16.7 ms.
// It first measures the same page paused, as a floor: headless Chromium's frame clock jitters by
// about ±0.1 ms around 16.67 ms, so even an idle page's p95 can read 16.8 ms. A frame that misses
// a vsync shows up as 33.3 ms; "over one vsync" counts those. So it also prints the p95 in whole
// vsync intervals (each frame's time rounded to a multiple of the paused page's mean interval),
// which is what the budget means: p95 within one 60 Hz frame.
// Usage: node benches/frames.mjs   (after `trunk build --release`; benches/frames.sh does both)
// FRAME_VIEWPORT=phone measures at 390×844; FRAME_RUNS and FRAME_SECONDS change the run count and length.
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "../tests/e2e/harness.mjs";

const SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const RUNS = Number(process.env.FRAME_RUNS ?? 3);
// desktop (1280×800, the default) or phone (390×844).
const VIEWPORT = process.env.FRAME_VIEWPORT ?? "desktop";

async function measure(chrome, site, play = true) {
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS[VIEWPORT]);
  try {
    const cdp = await w.context.newCDPSession(w.page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    // Start at 0.6 s of virtual time, where handshakes, requests and replies overlap.
    await w.page.goto(`${site.url}?scene=stress-50-clients&t=600&speed=1&play=${play ? 1 : 0}`);
    await w.page.locator(".stage-svg .packet").first().waitFor();
    const result = await w.page.evaluate(async (seconds) => {
      const deltas = [];
      const inFlight = [];
      let last = performance.now();
      const end = last + seconds * 1000;
      await new Promise((resolve) => {
        function frame(now) {
          deltas.push(now - last);
          last = now;
          if (deltas.length % 30 === 0) inFlight.push(document.querySelectorAll(".stage-svg .packet").length);
          if (now < end) requestAnimationFrame(frame);
          else resolve();
        }
        requestAnimationFrame(frame);
      });
      return { deltas: deltas.slice(1), inFlight };
    }, SECONDS);
    const problems = await w.problems();
    if (problems.length) throw new Error(problems.join("\n"));
    const d = result.deltas.sort((a, b) => a - b);
    const at = (p) => d[Math.min(d.length - 1, Math.round((d.length - 1) * p))];
    const mean = d.reduce((a, x) => a + x, 0) / d.length;
    return { deltas: d, mean, frames: d.length, slow: d.filter((x) => x > 17.5).length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: d[d.length - 1], most: Math.max(...result.inFlight) };
  } finally {
    await w.context.close();
  }
}

const site = await serveDist();
const chrome = await launchChromium();
try {
  const ms = (x) => `${x.toFixed(2)} ms`;
  const line = (r) =>
    `${r.frames} frames, up to ${r.most} segments in flight; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, max ${ms(r.max)}; ${((100 * r.slow) / r.frames).toFixed(1)}% of frames over one vsync`;
  const idle = await measure(chrome, site, false);
  console.log(`paused (floor): ${line(idle)}; mean interval ${ms(idle.mean)}`);
  // The p95 in whole vsync intervals of the paused page.
  const vsyncs = (r) => {
    const k = r.deltas.map((x) => Math.max(1, Math.round(x / idle.mean))).sort((a, b) => a - b);
    return k[Math.round((k.length - 1) * 0.95)] * idle.mean;
  };
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(chrome, site);
    runs.push(r);
    r.p95v = vsyncs(r);
    console.log(`run ${i + 1}: ${line(r)}; p95 in vsyncs ${ms(r.p95v)}`);
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(
    `stress scene at ${VIEWPORT} size, 4× CPU throttling, ${SECONDS} s × ${RUNS}: median p50 ${ms(median("p50"))}, p95 ${ms(median("p95"))}, p99 ${ms(median("p99"))}, ` +
      `${((100 * median("slow")) / median("frames")).toFixed(1)}% of frames over one vsync; p95 in vsyncs ${ms(median("p95v"))} ` +
      `(budget: p95 ≤ 16.7 ms; paused floor p95 ${ms(idle.p95)})`,
  );
} finally {
  await chrome.close();
  await site.close();
}
