// Frame times while the stress scene plays (50 clients, about a hundred segments in flight),
// in Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), for 10 s.
// Headless frame timing varies a lot from run to run, so it measures FRAME_RUNS times (3) and
// prints each run and the median. Budget: p95 ≤ 16.7 ms.
// Usage: node benches/frames.mjs   (after `trunk build --release`; benches/frames.sh does both)
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "../tests/e2e/harness.mjs";

const SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const RUNS = Number(process.env.FRAME_RUNS ?? 3);

async function measure(chrome, site) {
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS.desktop);
  try {
    const cdp = await w.context.newCDPSession(w.page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    // Start at 0.6 s of virtual time, where handshakes, requests and replies overlap.
    await w.page.goto(`${site.url}?scene=stress-50-clients&t=600&speed=1&play=1`);
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
    return { frames: d.length, slow: d.filter((x) => x > 17.5).length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: d[d.length - 1], most: Math.max(...result.inFlight) };
  } finally {
    await w.context.close();
  }
}

const site = await serveDist();
const chrome = await launchChromium();
try {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(chrome, site);
    runs.push(r);
    console.log(
      `run ${i + 1}: ${r.frames} frames, up to ${r.most} segments in flight; p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; ${((100 * r.slow) / r.frames).toFixed(1)}% of frames over one vsync`,
    );
  }
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(`stress scene, 4× CPU throttling, ${SECONDS} s × ${RUNS}: median p50 ${median("p50").toFixed(1)} ms, p95 ${median("p95").toFixed(1)} ms, p99 ${median("p99").toFixed(1)} ms (budget: p95 ≤ 16.7 ms)`);
} finally {
  await chrome.close();
  await site.close();
}
