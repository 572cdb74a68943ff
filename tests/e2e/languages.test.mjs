// End-to-end: choosing the language. A link's ?lang=zh-Hant, the picker in the header, the
// browser's languages on a first visit, a choice remembered; <html lang> follows, only the chosen
// language's catalog is loaded, no message key is ever shown, and the page fits the phone.
// (Issue 13 is moving the rest of the app's words into the catalogs.)
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, VIEWPORTS, ROOT } from "./harness.mjs";

const env = sharedSite();
const KEYS = Object.keys(JSON.parse(readFileSync(join(ROOT, "locales/en.json"), "utf8")));

/** What a learner would notice: the page's language, its words, and what it loaded. */
async function look(page) {
  await page.locator("#lessons-title").waitFor();
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.querySelector("#lessons-title").textContent,
    text: document.body.innerText,
    catalogs: performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.includes("/locales/")),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  }));
}

const noKeys = (text) => KEYS.filter((k) => text.includes(k));

for (const [name, options] of Object.entries(VIEWPORTS)) {
  describe(`languages at ${name} size`, () => {
    test("?lang=zh-Hant shows the home screen in Traditional Chinese, and the choice is kept", async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(`${env.site.url}?lang=zh-Hant`);
        let seen = await look(page);
        assert.equal(seen.lang, "zh-Hant");
        assert.equal(seen.title, "課堂");
        assert.match(seen.text, /同一部電腦上的兩個應用程式共用一個 IP 位址/);
        assert.deepEqual(seen.catalogs.map((p) => p.split("/").pop()), ["zh-Hant.json"], "only the chosen catalog");
        assert.deepEqual(noKeys(seen.text), [], "no message key shown");
        assert.ok(seen.overflow <= 0, `no horizontal scroll (${seen.overflow} px over)`);
        const picker = page.getByRole("combobox", { name: "語言 Language" });
        assert.equal(await picker.inputValue(), "zh-Hant");
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);

        // The next visit, with no ?lang, keeps it.
        await page.goto(env.site.url);
        seen = await look(page);
        assert.equal(seen.lang, "zh-Hant");
        assert.equal(seen.title, "課堂");

        // The picker goes back to English: the app is drawn again in English, in place (no
        // reload, so an LMS session carries on) and at the same place; the address drops its lang.
        await page.goto(`${env.site.url}?scene=node-server-8099&lang=zh-Hant`);
        await page.getByRole("link", { name: "課堂" }).waitFor();
        await page.evaluate(() => (window.__samePage = true));
        await page.getByRole("combobox", { name: "語言 Language" }).selectOption("en");
        await page.waitForFunction(() => document.documentElement.lang === "en");
        await page.getByRole("link", { name: "Lessons" }).waitFor();
        assert.equal(await page.evaluate(() => window.__samePage), true, "not reloaded");
        assert.equal(new URL(page.url()).search, "?scene=node-server-8099");
        assert.match(await page.getByRole("combobox", { name: "Scene" }).inputValue(), /^\d+$/);
        assert.equal(await page.locator(".shell").count(), 1, "one app drawn");
        await page.goto(env.site.url);
        seen = await look(page);
        assert.equal(seen.lang, "en");
        assert.equal(seen.title, "Lessons");
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  });
}

describe("a first visit", () => {
  test("follows the browser's languages: Hong Kong Chinese gets Traditional Chinese", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.phone, locale: "zh-HK" });
    try {
      await w.page.goto(env.site.url);
      const seen = await look(w.page);
      assert.equal(seen.lang, "zh-Hant");
      assert.equal(seen.title, "課堂");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("in English for an English browser, and for a language there is no catalog for", async () => {
    for (const locale of ["en-GB", "fr-FR"]) {
      const w = await openWatched(env.chrome.browser, env.site.url, { ...VIEWPORTS.desktop, locale });
      try {
        await w.page.goto(env.site.url);
        const seen = await look(w.page);
        assert.equal(seen.lang, "en", locale);
        assert.equal(seen.title, "Lessons", locale);
        assert.deepEqual(seen.catalogs.map((p) => p.split("/").pop()), ["en.json"], locale);
      } finally {
        await w.context.close();
      }
    }
  });
});

describe("Traditional Chinese fits the screen", () => {
  for (const width of [360, 390, 1280]) {
    test(`at ${width} px: a lesson and the player, with no horizontal scroll, no key shown and no axe violation`, async () => {
      const height = width > 1000 ? 800 : 844;
      const w = await openWatched(env.chrome.browser, env.site.url, { viewport: { width, height }, deviceScaleFactor: width > 1000 ? 1 : 3, isMobile: width < 1000, hasTouch: width < 1000 });
      try {
        const page = w.page;
        for (const query of ["?lesson=new-socket-per-connection&step=1&lang=zh-Hant", "?scene=node-server-8099&lang=zh-Hant"]) {
          await page.goto(env.site.url + query);
          await page.locator(".stage-svg").waitFor();
          const seen = await page.evaluate(() => ({
            lang: document.documentElement.lang,
            text: document.body.innerText,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          }));
          assert.equal(seen.lang, "zh-Hant", query);
          assert.deepEqual(noKeys(seen.text), [], `${query}: no message key shown`);
          assert.ok(seen.overflow <= 0, `${query}: no horizontal scroll (${seen.overflow} px over)`);
          const axe = await new AxeBuilder({ page }).analyze();
          assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), [], query);
        }
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  }
});
