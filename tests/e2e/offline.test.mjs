// End-to-end: offline after the first visit. The service worker (static/sw.js) keeps the whole
// release; with the network gone, a reload, a lesson step and a scene still work. A new release
// is picked up on a later visit, with one line saying so, and never mixed with the old one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, serveDist, launchChromium, openWatched, VIEWPORTS } from "./harness.mjs";

test("after one visit the app, a lesson and a scene work offline; a new release comes with a notice", async () => {
  // A copy of the site, so the test can publish a "new release" of it later.
  const dir = mkdtempSync(join(tmpdir(), "socketlab-offline-"));
  cpSync(DIST, dir, { recursive: true });
  const site = await serveDist(dir);
  const chrome = await launchChromium();
  try {
    const w = await openWatched(chrome.browser, site.url, VIEWPORTS.phone);
    const page = w.page;
    await page.goto(site.url);
    await page.locator("#boot-message").waitFor({ state: "detached" });
    // The worker has kept the release once it is active; the next load is answered by it.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), "the page is served by the worker");

    await w.context.setOffline(true);
    await page.reload();
    await page.locator("#boot-message").waitFor({ state: "detached" });
    await page.getByRole("link", { name: /A new socket for each connection/ }).tap();
    await page.getByText("Lesson 5 · Step 1 of 2").waitFor();
    await page.goto(`${site.url}?lesson=new-socket-per-connection&step=2`);
    await page.locator(".question").getByRole("button", { name: /^Server: Socket 2$/ }).tap();
    await page.locator(".feedback", { hasText: "✓ Right." }).waitFor();
    await page.goto(`${site.url}?scene=stress-50-clients`);
    await page.locator(".stage-svg").waitFor();
    assert.equal(await page.locator("#update-notice").isHidden(), true, "no notice for the same release");
    assert.deepEqual(await w.problems(), []);

    // A new release is published: the next visit after this one uses it, and says so once.
    await w.context.setOffline(false);
    const sw = join(dir, "sw.js");
    const old = readFileSync(sw, "utf8").match(/VERSION="([0-9a-f]+)"/)[1];
    writeFileSync(sw, readFileSync(sw, "utf8").replace(old, "0123456789abcdef"));
    await page.goto(site.url);
    // This visit finds the new release; it installs beside the old one and waits.
    for (let i = 0; !(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!(r && r.waiting)))); i++) {
      assert.ok(i < 100, "the new release is installed and waiting");
      await page.waitForTimeout(100);
    }
    assert.equal(await page.locator("#update-notice").isHidden(), true, "this visit still uses the release it started with");
    await page.close();
    // The waiting release takes over once no page uses the old one: the next visit, here a new
    // page once the old page is gone (tried again while the browser still hands over).
    let next = null;
    for (let attempt = 0; ; attempt++) {
      next = await w.context.newPage();
      await next.goto(site.url);
      const shown = await next.locator("#update-notice").waitFor({ timeout: 2000 }).then(() => true, () => false);
      if (shown) break;
      assert.ok(attempt < 10, "a later visit gets the new release and says so");
      await next.close();
      await new Promise((ok) => setTimeout(ok, 300));
    }
    assert.equal((await next.locator("#update-notice").innerText()).trim(), "Socket Lab was updated since your last visit.");
    assert.equal(await next.evaluate(() => new Promise((ok) => {
      navigator.serviceWorker.addEventListener("message", (e) => ok(e.data.version));
      navigator.serviceWorker.controller.postMessage("version");
    })), "0123456789abcdef", "the new release answers, whole");
    await w.context.close();
  } finally {
    await chrome.close();
    await site.close();
  }
});
