import { serveDist, launchChromium, openWatched, VIEWPORTS } from "./harness.mjs";
const site = await serveDist();
const chrome = await launchChromium();
const urls = process.argv.slice(2);
try {
  for (const [name, options] of Object.entries(VIEWPORTS)) {
    for (const u of urls) {
      const w = await openWatched(chrome.browser, site.url, options);
      await w.page.goto(site.url + u);
      await w.page.waitForTimeout(1500);
      const file = `/tmp/shots/${name}-${u.replace(/[^a-z0-9]+/gi, "_") || "home"}.png`;
      await w.page.screenshot({ path: file, fullPage: true });
      console.log(file, JSON.stringify(await w.problems()));
      await w.context.close();
    }
  }
} finally { await chrome.close(); await site.close(); }
