// End-to-end: the lessons inside an LMS. A test LMS page hosts a real SCORM 1.2 runtime
// (npm scorm-again) and frames the unpacked SCORM package from the same origin, as an LMS serves
// it, so the page finds the API through window.parent. A learner completes a lesson and the
// runtime holds what an LMS would store; launched again with that data, the lesson resumes at
// its step with its progress; an LMS that refuses to save gets one plain line and the lesson
// still works; without an LMS nothing changes.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, challengeSeeds, serveDist, launchChromium, openWatched, unpackPackage, VIEWPORTS } from "./harness.mjs";

const env = {};
let launch = ""; // lesson 2's launch address, from the package's manifest
let challengeLaunch = ""; // the challenge's

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "socketlab-lms-"));
  mkdirSync(join(dir, "course"));
  const files = unpackPackage(join(dir, "course"));
  const manifest = files.get("imsmanifest.xml").toString("utf8");
  launch = manifest.match(/href="(index\.html\?lesson=well-known-ports[^"]*)"/)[1].replaceAll("&amp;", "&");
  challengeLaunch = manifest.match(/href="(index\.html\?lesson=whats-wrong[^"]*)"/)[1].replaceAll("&amp;", "&");
  copyFileSync(join(ROOT, "node_modules/scorm-again/dist/scorm12.min.js"), join(dir, "scorm12.min.js"));
  // The LMS's page: the runtime, and a frame for the lesson (the test starts both).
  writeFileSync(
    join(dir, "index.html"), // the LMS page, at the root
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test LMS</title><link rel="icon" href="data:,"><script src="scorm12.min.js"></script></head>
<body><iframe id="sco" title="Lesson" style="width: 390px; height: 800px; border: 0"></iframe></body></html>`,
  );
  env.site = await serveDist(dir);
  env.chrome = await launchChromium();
});
after(async () => {
  await env.chrome?.close();
  await env.site?.close();
});

/** Opens the LMS page, starts a SCORM 1.2 runtime with `cmi` (and `failing`: LMSSetValue
 * refuses with error 101), and launches the lesson in its frame. */
async function openInLms(cmi, { failing = false, sco = launch } = {}) {
  const w = await openWatched(env.chrome.browser, env.site.url, { viewport: { width: 420, height: 860 } });
  await w.page.goto(env.site.url);
  await w.page.evaluate(
    ({ cmi, failing, sco }) => {
      const api = new window.Scorm12API({ autocommit: false, logLevel: 5 });
      api.loadFromJSON(cmi);
      window.calls = [];
      api.on("LMSInitialize", () => window.calls.push(["LMSInitialize"]));
      api.on("LMSSetValue.cmi.*", (element, value) => window.calls.push(["LMSSetValue", element, value]));
      api.on("LMSCommit", () => window.calls.push(["LMSCommit"]));
      api.on("LMSFinish", () => window.calls.push(["LMSFinish"]));
      if (failing) {
        // Every LMSSetValue is refused with error 101; everything else works.
        let last = "0";
        const lastError = api.LMSGetLastError.bind(api);
        api.LMSSetValue = () => {
          last = "101";
          return "false";
        };
        api.LMSGetLastError = () => {
          const code = last === "0" ? lastError() : last;
          last = "0";
          return code;
        };
      }
      window.API = api;
      document.getElementById("sco").src = `course/${sco}`;
    },
    { cmi, failing, sco },
  );
  return { w, frame: w.page.frameLocator("#sco") };
}

const runtime = (page) =>
  page.evaluate(() => ({
    core: JSON.parse(JSON.stringify(window.API.cmi.core)),
    suspend: window.API.cmi.suspend_data,
    calls: window.calls,
  }));

describe("inside an LMS (SCORM 1.2, scorm-again)", () => {
  let saved = null;

  test("a learner completes lesson 2; the LMS gets status, score, location, suspend data and session time", async () => {
    const { w, frame } = await openInLms({ core: { lesson_status: "not attempted", entry: "ab-initio" }, student_data: { mastery_score: "50" } });
    try {
      await frame.getByText("Lesson 2 · Step 1 of 4").waitFor();
      assert.equal((await runtime(w.page)).core.lesson_status, "incomplete", "started: incomplete");
      await frame.getByRole("link", { name: "Next →" }).click();
      // Right the first time: 100 of the question's credit.
      await frame.getByRole("button", { name: "80", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      let now = await runtime(w.page);
      assert.equal(now.core.lesson_status, "incomplete", "one of three questions");
      assert.equal(now.core.score.raw, "33");
      assert.equal(now.core.lesson_location, "2");
      // Right after a wrong try: 75.
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.getByRole("button", { name: "27107", exact: true }).click();
      await frame.getByText("✗ Not quite.").waitFor();
      await frame.getByRole("button", { name: "27017", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      now = await runtime(w.page);
      assert.equal(now.core.score.raw, "58", "(100 + 75) / 3");
      // Right after a hint: 50.
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.getByRole("button", { name: /Show a hint/ }).click();
      await frame.getByRole("button", { name: "1024–49151", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      now = await runtime(w.page);
      assert.equal(now.core.lesson_status, "passed", "75 of 100, mastery 50");
      assert.equal(now.core.score.raw, "75", "(100 + 75 + 50) / 3");
      assert.equal(now.core.score.min, "0");
      assert.equal(now.core.score.max, "100");
      assert.equal(now.core.lesson_location, "4");
      const suspend = JSON.parse(now.suspend);
      assert.equal(suspend.step, 3);
      assert.deepEqual(Object.keys(suspend.questions).sort(), ["1", "2", "3"]);
      assert.ok(now.suspend.length <= 4096, "suspend data fits SCORM 1.2's 4,096 characters");
      const commits = now.calls.filter((c) => c[0] === "LMSCommit").length;
      assert.ok(commits >= 2, `a commit after each answer (${commits})`);
      // The learner leaves: the page goes away, the session is timed and finished.
      await w.page.evaluate(() => (document.getElementById("sco").src = "about:blank"));
      await w.page.waitForFunction(() => window.calls.some((c) => c[0] === "LMSFinish"));
      now = await runtime(w.page);
      const time = now.calls.find((c) => c[1] === "cmi.core.session_time")[2];
      assert.match(time, /^\d{4}:\d{2}:\d{2}\.\d{2}$/, "HHHH:MM:SS.SS");
      saved = now;
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("launched again with what the LMS stored halfway, the lesson resumes at its step with its progress", async () => {
    // Halfway: the first question answered, on step 2. (A new browser: no progress of its own.)
    const half = { step: 1, questions: { 1: { done: true, tries: 1, hints: 0, solution_shown: false }, 3: { done: true, tries: 1, hints: 0, solution_shown: false } } };
    const { w, frame } = await openInLms({
      core: { lesson_status: "incomplete", lesson_location: "2", entry: "resume" },
      suspend_data: JSON.stringify(half),
      student_data: { mastery_score: "50" },
    });
    try {
      await frame.getByText("Lesson 2 · Step 2 of 4").waitFor();
      await frame.getByText("✓ You answered this one before.").waitFor();
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.getByRole("button", { name: "27017", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      const now = await runtime(w.page);
      assert.equal(now.core.lesson_status, "passed", "the resumed answer counts");
      assert.equal(now.core.score.raw, "100");
      assert.ok(saved, "the first test ran");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("a challenge resumed from the LMS: passed once its goals hold, scored by its best attempt", async () => {
    // The attempt under way: its seed, from what the LMS stored (the fault a seed draws is in
    // tests/data/challenge-seeds.json).
    const { names, seeds } = challengeSeeds();
    const { fault, seed, fix } = seeds.find((s) => s.fix === "off");
    const stored = { step: 1, questions: {}, challenge: { seed, started: 1, passed: 0, hints: 0, best: 0 } };
    const { w, frame } = await openInLms(
      { core: { lesson_status: "incomplete", lesson_location: "2", entry: "resume" }, suspend_data: JSON.stringify(stored) },
      { sco: challengeLaunch },
    );
    try {
      await frame.getByText("Lesson 17 · Step 2 of 3").waitFor();
      await frame.getByText(`Fault number ${seed}.`).waitFor();
      await frame.getByRole("button", { name: names[fault], exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      let now = await runtime(w.page);
      assert.equal(now.core.lesson_status, "incomplete", "diagnosed, not fixed");
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.locator("[name=control-0]").setChecked(fix === "on");
      await frame.getByRole("button", { name: "Run it" }).click();
      await frame.getByText("✓ Right.").waitFor();
      now = await runtime(w.page);
      assert.equal(now.core.lesson_status, "completed", "the goals hold: the challenge is passed");
      assert.equal(now.core.score.raw, "100");
      assert.equal(JSON.parse(now.suspend).challenge.passed, 1);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("the LMS's language is the lesson's, and a language picked goes back to the LMS", async () => {
    const { w, frame } = await openInLms({
      core: { lesson_status: "not attempted", entry: "ab-initio" },
      student_preference: { language: "zh-HK" },
      student_data: { mastery_score: "50" },
    });
    try {
      await frame.getByRole("link", { name: "所有單元", exact: true }).waitFor();
      assert.equal(await frame.locator("html").getAttribute("lang"), "zh-Hant");
      await frame.getByRole("combobox", { name: "語言 Language" }).selectOption("en");
      await frame.getByRole("link", { name: "All lessons", exact: true }).waitFor();
      assert.equal(await frame.locator("html").getAttribute("lang"), "en");
      const language = await w.page.evaluate(() => window.API.cmi.student_preference.language);
      assert.equal(language, "en", "the LMS keeps the learner's choice");
      assert.equal(await frame.locator("#lms-notice:visible").count(), 0, "no LMS error");
      // The lesson carries on in the same LMS session.
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.getByRole("button", { name: "80", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      const calls = (await runtime(w.page)).calls.filter(([name]) => name === "LMSInitialize");
      assert.equal(calls.length, 1, "one session");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("an LMS that refuses to save: one plain line, and the lesson still works", async () => {
    const { w, frame } = await openInLms({ core: { lesson_status: "not attempted" } }, { failing: true });
    try {
      await frame.getByText("Lesson 2 · Step 1 of 4").waitFor();
      const line = frame.locator("#lms-notice");
      await line.waitFor();
      assert.match(await line.textContent(), /^Your course site \(LMS\) did not save this lesson's progress: LMSSetValue cmi\.core\.\w+(\.\w+)* failed with error 101 \(General [Ee]xception\)\. The lesson still works/);
      await frame.getByRole("link", { name: "Next →" }).click();
      await frame.getByRole("button", { name: "80", exact: true }).click();
      await frame.getByText("✓ Right.").waitFor();
      assert.equal(await frame.locator("#lms-notice").count(), 1, "said once");
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("an LMS that refuses to save, for a learner who reads Chinese: the line is in Chinese", async () => {
    const { w, frame } = await openInLms({ core: { lesson_status: "not attempted" }, student_preference: { language: "zh-HK" } }, { failing: true });
    try {
      await frame.getByText("第 2 單元 · 第 1 步，共 4 步").waitFor();
      const line = frame.locator("#lms-notice");
      await line.waitFor();
      assert.match(await line.textContent(), /^課程網站（LMS）未能保存進度：LMSSetValue cmi\.core\.\w+(\.\w+)* 失敗，錯誤 101（General [Ee]xception）。單元仍可繼續/);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });

  test("launched from the package with no LMS around, the lesson works and nothing is said", async () => {
    const w = await openWatched(env.chrome.browser, env.site.url, VIEWPORTS.phone);
    try {
      await w.page.goto(`${env.site.url}course/${launch}`);
      await w.page.getByText("Lesson 2 · Step 1 of 4").waitFor();
      assert.equal(await w.page.locator("#lms-notice").isHidden(), true);
      assert.deepEqual(await w.problems(), []);
    } finally {
      await w.context.close();
    }
  });
});
