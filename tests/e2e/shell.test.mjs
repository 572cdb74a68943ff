// End-to-end: the built release site in real Chromium, at desktop and phone sizes.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, VIEWPORTS } from "./harness.mjs";

const env = sharedSite();

for (const [name, options] of Object.entries(VIEWPORTS)) {
  describe(`the shell at ${name} size (${options.viewport.width}×${options.viewport.height})`, () => {
    test("renders the name, the stage and the side panel, cleanly", async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        await w.page.goto(env.site.url + "?scene=slides");
        const page = w.page;
        await page.getByRole("heading", { level: 1, name: "Socket Lab" }).waitFor();
        // The app has taken over the static first screen.
        await page.locator(".stage-svg").waitFor();
        assert.ok(await page.getByRole("region", { name: "The network" }).isVisible());
        assert.ok(await page.getByRole("group", { name: /^The network at 0\.000 s: 2 hosts/ }).isVisible());
        // On a phone the port reference is one tap away.
        if (options.isMobile) await page.getByRole("button", { name: "Ports", exact: true }).click();
        assert.ok(await page.getByRole("complementary", { name: "Common ports" }).isVisible());
        assert.ok(await page.getByRole("rowheader", { name: "27017" }).isVisible());
        assert.equal(await page.locator("#boot-message").count(), 0, "the loading line is gone");
        assert.ok(await page.locator("#fatal").isHidden(), "no failure message");
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });

    test("has no horizontal scroll and no axe-core violations", async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        await w.page.goto(env.site.url);
        await w.page.getByRole("heading", { level: 1, name: "Socket Lab" }).waitFor();
        const { scrollWidth, innerWidth } = await w.page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`);
        const axe = await new AxeBuilder({ page: w.page }).analyze();
        const found = axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}×)`);
        assert.deepEqual(found, []);
      } finally {
        await w.context.close();
      }
    });
  });
}

describe("failures are shown, never hidden", () => {
  test("a Rust panic shows a readable message whose button reloads a working app", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      await page.goto(env.site.url + "?debug-panic");
      const alert = page.getByRole("alert");
      await alert.getByRole("heading", { name: "Socket Lab stopped working" }).waitFor();
      assert.match(await page.locator("#fatal-detail").textContent(), /debug-panic/);
      assert.deepEqual(w.seen.foreign, []);
      await alert.getByRole("button", { name: "Reload Socket Lab" }).click();
      await page.getByRole("heading", { level: 1, name: "Socket Lab" }).waitFor();
      assert.equal(new URL(page.url()).search, "", "reloading drops the parameter that caused the panic");
      assert.ok(await page.locator("#fatal").isHidden());
    } finally {
      await w.context.close();
    }
  });

  test("in Traditional Chinese, the failure message is in Chinese", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await page.goto(env.site.url + "?lang=zh-Hant&debug-panic");
      const alert = page.getByRole("alert");
      await alert.getByRole("heading", { name: "Socket Lab 停止運作了" }).waitFor();
      assert.doesNotMatch(await alert.innerText(), /stopped working|Something went wrong|Reload/);
      await alert.getByRole("button", { name: "重新載入 Socket Lab" }).waitFor();
    } finally {
      await w.context.close();
    }
  });

  test("a hostile address (huge or negative time, unknown scene and speed) changes nothing and breaks nothing", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      for (const [query, clock] of [
        ["?t=9223372036854775807", /^60\.900 s \/ 60\.900 s$/],
        ["?t=99999999999999999999999", /^0\.000 s \//],
        ["?t=-5000", /^0\.000 s \//],
        ["?speed=1e308&t=NaN", /^0\.000 s \//],
      ]) {
        await page.goto(env.site.url + query);
        await page.locator(".stage-svg").waitFor();
        assert.match((await page.locator(".clock").textContent()).trim(), clock, query);
      }
      await page.goto(env.site.url + "?scene=no-such-scene");
      await page.getByText('There is no scene called "no-such-scene"').waitFor();
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("the CSP watch catches a violation (so a clean page is really clean)", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      await w.page.goto(env.site.url);
      await w.page.getByRole("heading", { level: 1, name: "Socket Lab" }).waitFor();
      // An inline script is exactly what the policy forbids; the page must refuse to run it.
      const ran = await w.page.evaluate(async () => {
        window.__inlineRan = false;
        const s = document.createElement("script");
        s.textContent = "window.__inlineRan = true";
        document.body.append(s);
        await new Promise((r) => setTimeout(r, 50));
        return window.__inlineRan;
      });
      assert.equal(ran, false, "the inline script was blocked");
      const violations = await w.cspViolations();
      assert.equal(violations.length, 1, violations.join("; "));
      assert.match(violations[0], /script-src/);
    } finally {
      await w.context.close();
    }
  });
});
