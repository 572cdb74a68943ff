// End-to-end: choosing the language. A link's ?lang=zh-Hant, the picker in the header, the
// browser's languages on a first visit, a choice remembered; <html lang> follows, only the chosen
// language's catalog is loaded, no message key is ever shown, and the page fits the phone.
// (Issue 13 is moving the rest of the app's words into the catalogs.)
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { sharedSite, openWatched, homeDrawn, VIEWPORTS, ROOT } from "./harness.mjs";

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
        assert.equal(seen.title, "單元");
        assert.match(seen.text, /同一部電腦上的兩個應用程式共用一個 IP 地址/);
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
        assert.equal(seen.title, "單元");

        // The picker goes back to English: the app is drawn again in English, in place (no
        // reload, so an LMS session carries on) and at the same place; the address drops its lang.
        // It stays at the moment it showed (the player's address keeps it as t).
        await page.goto(`${env.site.url}?scene=node-server-8099&t=150&lang=zh-Hant`);
        await page.getByRole("link", { name: "單元" }).waitFor();
        await page.evaluate(() => (window.__samePage = true));
        await page.getByRole("combobox", { name: "語言 Language" }).selectOption("en");
        await page.waitForFunction(() => document.documentElement.lang === "en");
        await page.getByRole("link", { name: "Lessons" }).waitFor();
        assert.equal(await page.evaluate(() => window.__samePage), true, "not reloaded");
        assert.equal(new URL(page.url()).search, "?scene=node-server-8099&t=150");
        assert.match(await page.locator(".clock").textContent(), /^0\.150 s/, "the same moment");
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
      assert.equal(seen.title, "單元");
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
        // The last: a moment with Chinese callouts on both hosts ("→ 關閉中的 socket（TIME-WAIT）").
        for (const query of ["?lesson=new-socket-per-connection&step=1&lang=zh-Hant", "?scene=node-server-8099&lang=zh-Hant", "?scene=port-in-use&t=900&lang=zh-Hant"]) {
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
          // Every label of a host (its name, programs, the callout) stays inside its box: a
          // Chinese character takes two columns of the monospace font.
          const spill = await page.evaluate(() =>
            [...document.querySelectorAll(".stage-svg g.host")].flatMap((g) => {
              const r = g.querySelector("rect").getBBox();
              return [...g.querySelectorAll("text")]
                .filter((t) => {
                  const b = t.getBBox();
                  return b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5;
                })
                .map((t) => t.textContent);
            }),
          );
          assert.deepEqual(spill, [], `${query}: every label inside its host's box`);
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

/** The files under `dir` this page has fetched, e.g. lessons/<lang>/<id>.json for "lessons". */
const fetchedUnder = (page, dir) =>
  page.evaluate(
    (dir) =>
      performance
        .getEntriesByType("resource")
        .map((r) => new URL(r.name).pathname)
        .filter((p) => p.includes(`/${dir}/`))
        .map((p) => p.slice(p.indexOf(`/${dir}/`) + 1)),
    dir,
  );
/** The lesson words this page has fetched (lessons/<lang>/<id>.json, lessons/<lang>.json). */
const lessonWords = (page) => fetchedUnder(page, "lessons");
/** The scene words this page has fetched (scenes/<lang>.json). */
const sceneWords = (page) => fetchedUnder(page, "scenes");

describe("a lesson in Traditional Chinese", () => {
  for (const [name, options] of Object.entries(VIEWPORTS)) {
    test(`at ${name} size: picked from home, its words load as it opens, and it plays through`, async () => {
      const w = await openWatched(env.chrome.browser, env.site.url, options);
      try {
        const page = w.page;
        await page.goto(`${env.site.url}?lang=zh-Hant`);
        await look(page);
        assert.deepEqual(await lessonWords(page), ["lessons/zh-Hant.json"], "the home screen loads the lessons' titles, and no lesson's words");
        const card = page.locator(".lesson-card", { hasText: "伺服器建立 socket 並監聽" });
        assert.match(await card.textContent(), /讀懂監聽中 socket 的那一行/, "the goal, in Chinese");
        await card.getByRole("link").click();
        await page.getByText("第 3 單元 · 第 1 步，共 2 步").waitFor();
        // A new page (the lessons have their own build): it loads this lesson's words only.
        assert.deepEqual(await lessonWords(page), ["lessons/zh-Hant/server-listens.json"], "this lesson's words, in this language only");
        assert.equal(await page.locator("#step-title").textContent(), "伺服器建立 socket 並監聽");
        const step = page.locator(".step-text");
        assert.match(await step.textContent(), /網頁伺服器建立一個 socket，把它綁定到自己的 IP 地址和網頁服務的知名埠/);
        assert.match(await page.locator(".question").textContent(), /填寫伺服器的 Socket 1。/);
        // The scene's words (its hosts' names) come with the lesson's words, in its language.
        assert.ok((await page.locator(".stage-svg .host-name").allTextContents()).includes("伺服器"), "the scene's words, in Chinese");
        const text = await page.evaluate(() => document.body.innerText);
        assert.doesNotMatch(text, /The web server creates a|Fill in the server|The slides' own story|Well-known ports/, "no English lesson or scene text");
        assert.deepEqual(noKeys(text), [], "no message key shown");
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);

        // Step 1: fill in the listening socket's row.
        for (const [cell, value] of [["source_port", "80"], ["source_addr", "192.168.1.102"], ["dest_port", "n/a"], ["dest_addr", "n/a"]]) {
          await page.locator(`.question input[name=${cell}]`).fill(value);
        }
        await page.getByRole("button", { name: "檢查" }).click();
        const filled = await page.locator(".feedback").textContent();
        assert.match(filled, /^\s*✓ 答對了。/);
        assert.doesNotMatch(filled, /Right|Source|Destination|Port/, `the feedback in Chinese: ${filled}`);
        await page.getByRole("link", { name: "下一步 →" }).click();
        // Step 2: the listening socket's state, from the options.
        await page.getByText("第 3 單元 · 第 2 步，共 2 步").waitFor();
        assert.match(await step.textContent(), /一個客戶端的 SYN 正在路上，但還未到達。/);
        await page.locator(".question").getByRole("button", { name: "LISTEN", exact: true }).click();
        assert.match(await page.locator(".feedback").textContent(), /^\s*✓ 答對了。\s*$/);
        assert.match(await page.locator(".question .explain").textContent(), /^原因：Socket 1 處於 LISTEN 狀態/);
        await page.getByRole("link", { name: "完成：返回單元列表" }).click();
        await page.locator("#lessons-title").waitFor();
        assert.match(await card.locator(".lesson-state").textContent(), /完成，得分 100：2 題一次答對。/);
        assert.deepEqual(await w.problems(), []);
      } finally {
        await w.context.close();
      }
    });
  }

  test("switching language on a lesson loads its words in the other language, in place", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await page.goto(`${env.site.url}?lesson=client-connects&step=2&lang=zh-Hant`);
      await page.getByText("第 4 單元 · 第 2 步，共 3 步").waitFor();
      assert.match(await page.locator(".step-text").textContent(), /瀏覽器的第一個區段/);
      await page.evaluate(() => (window.__samePage = true));
      await page.getByRole("combobox", { name: "語言 Language" }).selectOption("en");
      await page.getByText("Lesson 4 · Step 2 of 3").waitFor();
      assert.match(await page.locator(".step-text").textContent(), /The browser's first segment, a SYN, is on its way to the server\./);
      assert.equal(await page.locator("#step-title").textContent(), "The client creates a socket and connects");
      assert.doesNotMatch((await page.locator(".stage-svg .host-name").allTextContents()).join(" "), /[\u4e00-\u9fff]/, "the scene's words, in English");
      assert.equal(await page.evaluate(() => window.__samePage), true, "not reloaded");
      assert.equal(new URL(page.url()).search, "?lesson=client-connects&step=2");
      assert.deepEqual(await lessonWords(page), ["lessons/zh-Hant/client-connects.json", "lessons/en/client-connects.json"]);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("when a lesson's words do not load, the page says so and can try again; nothing is blank", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      await page.route("**/lessons/zh-Hant/port-in-use.json", (route) => route.abort());
      await page.goto(`${env.site.url}?lesson=port-in-use&step=1&lang=zh-Hant`);
      await page.getByText("這個頁面有部分內容未能載入。請檢查網絡連線，然後再試。").waitFor();
      const again = page.getByRole("link", { name: "再試一次" });
      assert.match(await again.getAttribute("href"), /\?lesson=port-in-use&step=1$/);
      assert.equal(await page.getByRole("link", { name: "← 所有單元" }).count(), 1);
      await page.unroute("**/lessons/zh-Hant/port-in-use.json");
      await again.click();
      await page.getByText("第 14 單元 · 第 1 步，共 2 步").waitFor();
      assert.match(await page.locator(".step-text").textContent(), /第一個 Node\.js 伺服器在連接埠 8099 監聽/);
      assert.deepEqual(await lessonWords(page), ["lessons/zh-Hant/port-in-use.json"]);
      // Home is a page of its own, which loads the lessons' titles.
      await page.getByRole("link", { name: "← 所有單元" }).click();
      await homeDrawn(page);
      await page.locator(".lesson-card", { hasText: "出錯時：連接埠已被使用" }).waitFor();
      assert.deepEqual(await lessonWords(page), ["lessons/zh-Hant.json"]);
      // The aborted request is the only thing the console reported.
      const problems = (await w.problems()).filter((p) => !/Failed to load resource|ERR_FAILED/.test(p));
      assert.deepEqual(problems, []);
    } finally {
      await w.context.close();
    }
  });
});

describe("the free player in Traditional Chinese", () => {
  test("every scene's title and story are in Chinese, loaded once with the player, and follow the language picker", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      const page = w.page;
      await page.goto(`${env.site.url}?scene=slides&lang=zh-Hant`);
      await page.locator(".stage-svg").waitFor();
      const picker = page.getByRole("combobox", { name: "場景" });
      const titles = await picker.locator("option").allTextContents();
      assert.equal(titles.length, 16);
      assert.equal(titles[0], "課程投影片：一個瀏覽器，連接埠 80 上的一個網頁伺服器");
      for (const title of titles) assert.match(title, /[\u4e00-\u9fff]/, `a title in Chinese: ${title}`);
      const story = page.locator(".stage-text");
      // The slides' scene tells its story in stages, the first from the start.
      assert.equal(await story.locator("h3").textContent(), "1／7：知名埠");
      assert.match(await story.textContent(), /網頁伺服器在 80，MongoDB 在 27017（投影片上的 27107 是筆誤）。$/);
      await page.goto(`${env.site.url}?scene=slides&t=150&lang=zh-Hant`);
      await page.locator(".stage-svg").waitFor();
      assert.match(await story.locator("h3").textContent(), /^2／7：伺服器建立 socket 並監聽$/);
      // Another scene: its words were loaded with the first, so nothing more is fetched.
      await picker.selectOption({ label: "連線被拒絕" });
      await page.waitForFunction(() => document.querySelector(".stage-text h3")?.textContent === "連線被拒絕");
      assert.match(await story.textContent(), /curl 便報告「Connection refused」（連線被拒絕，ECONNREFUSED）/);
      // The hosts and the programs by their Chinese names: on the stage, over the tables, in
      // the events (the events panel is behind a tab on a phone: its text is still there).
      assert.deepEqual(await page.locator(".stage-svg .host-name").allTextContents(), ["客戶端電腦", "伺服器"]);
      assert.deepEqual(await page.locator(".table-picker button").allTextContents(), ["客戶端電腦", "伺服器"]);
      await page.getByRole("button", { name: /播放/ }).first().click();
      await page.waitForFunction(() => document.querySelectorAll(".stage-svg .program").length >= 2);
      const programs = await page.locator(".stage-svg .program").allTextContents();
      assert.ok(programs.some((p) => /^Node\.js 伺服器/.test(p)), `the server's program: ${programs}`);
      const events = await page.locator(".event-list").textContent();
      assert.match(events, /伺服器：Node\.js 伺服器（node，pid \d+）啟動/);
      assert.doesNotMatch(events, /Client PC|Server:|Node\.js server|web browser/, "no English host or program name");
      assert.deepEqual(await sceneWords(page), ["scenes/zh-Hant.json"], "the scenes' words, in this language, once");
      assert.deepEqual(await lessonWords(page), [], "no lesson's words");
      const text = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(text, /Connection refused\n|curl asks for port 8080|The course's slides/, "no English scene text");
      assert.deepEqual(noKeys(text), [], "no message key shown");
      // The Ports panel: what listens on each port, and each port's class, in Chinese.
      await page.locator(".panel-tabs").getByRole("button", { name: "連接埠", exact: true }).click();
      const ports = page.locator("#panel-ports");
      const http = ports.locator("tr", { has: page.locator("th", { hasText: /^80$/ }) });
      assert.deepEqual(await http.locator("td").allTextContents(), ["TCP", "網頁伺服器（HTTP）", "知名埠"]);
      const node = ports.locator("tr", { has: page.locator("th", { hasText: /^8099$/ }) });
      assert.deepEqual(await node.locator("td").allTextContents(), ["TCP", "課程的 Node.js 伺服器；一個例子，不是 IANA 的分配", "已登記埠；課程的例子"]);
      assert.match(await ports.textContent(), /Linux（net\.ipv4\.ip_local_port_range）\s?Android 也用它。/);
      assert.doesNotMatch(await ports.textContent(), /Web server|well-known|registered|Android too/, "no English registry words");
      // The address names the scene picked (and no time), so a reload or a language switch
      // opens it again.
      assert.equal(new URL(page.url()).search, "?scene=connection-refused");
      await page.reload();
      await page.locator(".stage-svg").waitFor();
      assert.equal(await story.locator("h3").textContent(), "連線被拒絕", "the scene and the language, kept");
      // English, in place: the scenes' English words load.
      await page.evaluate(() => (window.__samePage = true));
      await page.getByRole("combobox", { name: "語言 Language" }).selectOption("en");
      await page.waitForFunction(() => document.querySelector(".stage-text h3")?.textContent === "Connection refused");
      assert.match(await story.textContent(), /curl asks for port 8080, but the Node\.js server listens on 8099\./);
      assert.equal(await page.evaluate(() => window.__samePage), true, "not reloaded");
      assert.deepEqual(await sceneWords(page), ["scenes/zh-Hant.json", "scenes/en.json"]);
      assert.equal(new URL(page.url()).search, "?scene=connection-refused");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("when the scenes' words do not load, the player says so and can try again at the same address", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.desktop);
    try {
      const page = w.page;
      await page.route("**/scenes/zh-Hant.json", (route) => route.abort());
      await page.goto(`${env.site.url}?scene=walkthrough&t=2000&lang=zh-Hant`);
      await page.getByText("這個頁面有部分內容未能載入。請檢查網絡連線，然後再試。").waitFor();
      const again = page.getByRole("link", { name: "再試一次" });
      assert.match(await again.getAttribute("href"), /\?scene=walkthrough&t=2000&lang=zh-Hant$/);
      await page.unroute("**/scenes/zh-Hant.json");
      await again.click();
      await page.locator(".stage-svg").waitFor();
      assert.match(await page.locator(".stage-text h3").textContent(), /／7：/);
      assert.match(await page.locator(".stage-text").textContent(), /[\u4e00-\u9fff]/);
      const problems = (await w.problems()).filter((p) => !/Failed to load resource|ERR_FAILED/.test(p));
      assert.deepEqual(problems, []);
    } finally {
      await w.context.close();
    }
  });
});
