// Frame times while the stress scene plays (50 clients, 100+ segments in flight), in Chromium
// with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), for 10 s. Prints p50/p95/p99.
// Usage: node benches/frames.mjs   (after `trunk build --release`; benches/frames.sh does both)
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "../tests/e2e/harness.mjs";

const SECONDS = Number(process.env.FRAME_SECONDS ?? 10);
const site = await serveDist();
const chrome = await launchChromium();
try {
  const w = await openWatched(chrome.browser, site.url, VIEWPORTS.desktop);
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
    return { deltas: deltas.slice(1), inFlight, clock: document.querySelector(".clock").textContent };
  }, SECONDS);
  const problems = await w.problems();
  if (problems.length) throw new Error(problems.join("\n"));
  const d = result.deltas.sort((a, b) => a - b);
  const at = (p) => d[Math.min(d.length - 1, Math.round((d.length - 1) * p))];
  const most = Math.max(...result.inFlight);
  console.log(`stress scene, 4× CPU throttling, ${SECONDS} s: ${d.length} frames, up to ${most} segments in flight (sampled), clock reached ${result.clock}`);
  const slow = d.filter((x) => x > 17.5).length;
  console.log(`frames over one vsync (16.7 ms): ${slow} of ${d.length} (${((100 * slow) / d.length).toFixed(1)}%)`);
  console.log(`frame time p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${d[d.length - 1].toFixed(1)} ms (budget: p95 ≤ 16.7 ms)`);
} finally {
  await chrome.close();
  await site.close();
}
