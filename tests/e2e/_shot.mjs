import { serveDist, launchChromium, openWatched, VIEWPORTS } from "./harness.mjs";
const site = await serveDist(); const c = await launchChromium();
const q = process.argv[2] ?? ""; const steps = Number(process.argv[3] ?? 0);
for (const [n, o] of Object.entries(VIEWPORTS)) {
  const w = await openWatched(c.browser, site.url, o);
  await w.page.goto(site.url + q); await w.page.waitForTimeout(500);
  for (let i = 0; i < steps; i++) await w.page.keyboard.press("ArrowRight");
  await w.page.waitForTimeout(300);
  await w.page.screenshot({ path: `/tmp/ui-${n}.png`, fullPage: n === "desktop", clip: n === "phone" ? { x: 0, y: 0, width: 390, height: 1700 } : undefined });
  console.log(n, JSON.stringify(await w.problems()));
  await w.context.close();
}
await c.close(); await site.close();
