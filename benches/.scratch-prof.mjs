import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDist, launchChromium, openWatched, VIEWPORTS } from "../tests/e2e/harness.mjs";
import { capture } from "./capture-file.mjs";
const N = Number(process.env.N ?? 50);
const site = await serveDist();
const chrome = await launchChromium();
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const file = join(dir, "c.pcap");
writeFileSync(file, capture(N * 10 + 100));
const w = await openWatched(chrome.browser, site.url, VIEWPORTS[process.env.VIEW ?? "desktop"]);
const page = w.page;
const cdp = await w.context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
if (process.env.STRESS) {
  await page.goto(`${site.url}?scene=stress-50-clients&t=800&speed=1&play=1`);
} else {
await page.goto(`${site.url}?import`);
await page.locator('.import-capture input[type="file"]').setInputFiles(file);
await page.locator(".import-capture .import-summary").waitFor({ timeout: 60_000 });
await page.locator('input[name="count"]').fill(String(N));
await page.getByRole("button", { name: "Show this part" }).click();
await page.getByText(`Shown: the first ${N} of`, { exact: false }).waitFor({ timeout: 60_000 });
await page.getByRole("button", { name: "Play it on the stage" }).click();
await page.mouse.move(0, 0);
}
await page.locator(".stage-svg").waitFor();
await page.waitForTimeout(1500);
await chrome.browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8.execute", "blink"] });
await page.waitForTimeout(4000);
const trace = JSON.parse((await chrome.browser.stopTracing()).toString("utf8"));
const events = trace.traceEvents;
const names = new Map();
for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
const main = [...names.entries()].filter(([, n]) => n === "CrRendererMain").map(([k]) => k);
const sums = new Map();
for (const e of events) {
  if (e.ph !== "X" || !main.includes(`${e.pid}:${e.tid}`)) continue;
  sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
}
console.log([...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, 18).map(([n, d]) => `${d.toFixed(0).padStart(7)} ms ${n}`).join("\n"));
const dom = await page.evaluate(() => ({ nodes: document.getElementsByTagName("*").length, lines: document.querySelectorAll(".event-list li").length, tables: document.querySelectorAll(".socket-table").length }));
console.log(dom);
await chrome.close(); await site.close();
