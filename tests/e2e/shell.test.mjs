// End-to-end: the built release site in real Chromium, at desktop and phone sizes.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, VIEWPORTS, lessonFiles } from "./harness.mjs";

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

// On a phone the home screen's first screen is lesson titles: each lesson one row (its number,
// title and state's mark), its goal and state's words kept for a screen reader. So is the
// static first screen index.html paints before the app's code arrives.
for (const [lang, query] of [["English", ""], ["Traditional Chinese", "?lang=zh-Hant"]]) {
  for (const [when, block] of [["as the app draws it", false], ["before the app's code arrives", true]]) {
    test(`on a 360×640 phone, the home screen in ${lang} shows a screen of lesson titles, ${when}`, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, {
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      try {
        const page = w.page;
        // The app's code held back (never answered): the static first screen stays.
        if (block) await page.route(/socketlab.*\.(js|wasm)$/, () => {});
        await page.goto(env.site.url + query);
        if (block) await page.locator("#boot-message").waitFor();
        else await page.locator(".explore-card").waitFor();
        const rows = await page.evaluate(() =>
          [...document.querySelectorAll(".lesson-card")].map((card) => {
            const box = (el) => el.getBoundingClientRect();
            const title = card.querySelector(".lesson-title");
            const mark = card.querySelector(".state-mark");
            return {
              card: box(card).toJSON(),
              title: box(title).toJSON(),
              mark: box(mark).toJSON(),
              font: parseFloat(getComputedStyle(title).fontSize),
              goal: card.querySelector(".lesson-goal").textContent.trim(),
              goalShown: box(card.querySelector(".lesson-goal")).width > 1,
              state: card.querySelector(".lesson-state").textContent.trim(),
            };
          }),
        );
        assert.equal(rows.length, lessonFiles().length, "every lesson");
        const onScreen = rows.filter((r) => r.card.bottom <= 640);
        assert.ok(onScreen.length >= 6, `${onScreen.length} lesson titles on the first screen`);
        for (const [i, r] of rows.entries()) {
          assert.ok(r.font >= 12, `lesson ${i + 1}'s title is ${r.font} px`);
          assert.ok(r.title.right <= r.mark.left, `lesson ${i + 1}: its state's mark is beside its title, not on it`);
          assert.ok(r.mark.width > 0 && r.mark.right <= 360, `lesson ${i + 1}: its state's mark shows`);
          assert.ok(!r.goalShown && r.goal.length > 5, `lesson ${i + 1}: its goal is kept for a screen reader, not shown`);
          assert.ok(r.state.length > 2, `lesson ${i + 1}: its state has words`);
          if (i > 0) assert.ok(rows[i - 1].card.bottom <= r.card.top, `lessons ${i} and ${i + 1} do not overlap`);
        }
        if (!block) assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  }
}
